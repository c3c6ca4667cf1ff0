"""The pages of the practice sheets: search them, read one (and print it), write one, its files,
and its review by the coordinator."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.practices import files, selectors
from cordee.practices.forms import FIELD_ALIASES, AttachmentForm, NoteForm, PracticeFilterForm, PracticeForm
from cordee.practices.models import Practice
from cordee.practices.services import sheets as services

PER_PAGE = 20


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _can_write(user: Any) -> bool:
    return permissions.can_write_practices(user) or permissions.can_review_practices(user)


def _refused(form: Any, exc: DomainError) -> None:
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def _attachments(practice: Practice) -> list[Any]:
    attachments = list(practice.attachments.all())
    for attachment in attachments:
        attachment.type_name = files.TYPE_NAMES.get(attachment.content_type, attachment.content_type)  # type: ignore[attr-defined]
    return attachments


def practice_list(request: HttpRequest) -> HttpResponse:
    filters = PracticeFilterForm(request.GET or None)
    sheets = selectors.practices_for(request.user, **filters.filters())
    page = Paginator(sheets, PER_PAGE).get_page(request.GET.get("page"))
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "filters": filters,
        "page": page,
        "query": urlencode(kept),
        "searching": bool(kept),
        "can_write": _can_write(request.user),
        "mine": selectors.my_unpublished_practices(request.user)[:20],
        "can_review": permissions.can_review_practices(request.user),
    }
    return render(request, "practices/list.html", context)


def _detail(
    request: HttpRequest,
    practice: Practice,
    *,
    status: int = 200,
    attachment_form: AttachmentForm | None = None,
    note_form: NoteForm | None = None,
    note_action: str = "",
) -> HttpResponse:
    user = request.user
    is_author = permissions.is_practice_author(user, practice)
    reviewer = permissions.can_review_practices(user)
    context = {
        "practice": practice,
        "organisations": selectors.shown_organisations(user, practice),
        "attachments": _attachments(practice),
        "related": selectors.related_practices(practice, user) if practice.state == Practice.State.PUBLISHED else [],
        "can_change": services.may_change(user, practice),
        "can_submit": practice.state == Practice.State.DRAFT and (is_author or reviewer),
        "can_review": reviewer,
        "is_author": is_author,
        "attachment_form": attachment_form or AttachmentForm(),
        "send_back_form": note_form if note_action == "send_back" else NoteForm(prefix="send_back"),
        "unpublish_form": note_form if note_action == "unpublish" else NoteForm(prefix="unpublish"),
        "max_upload": files.max_upload_bytes(),
    }
    return render(request, "practices/detail.html", context, status=status)


def practice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.get_practice_for_user(request.user, slug)
    if services.practice_record_read(practice=practice, reader=request.user):
        practice.read_count += 1
    return _detail(request, practice)


def practice_print(request: HttpRequest, slug: str) -> HttpResponse:
    practice = selectors.get_practice_for_user(request.user, slug)
    context = {
        "practice": practice,
        "organisations": selectors.shown_organisations(request.user, practice),
        "attachments": _attachments(practice),
    }
    return render(request, "practices/print.html", context)


@require(_can_write)
def practice_create(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    organisations = selectors.organisations_writing_for(user)
    form = PracticeForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                practice = services.practice_create(
                    actor=user, organisations=form.cleaned_data["organisations"], **form.service_fields()
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The sheet is saved as a draft. Submit it for review when it is ready."))
                return redirect(practice)
        status = 400
    return render(request, "practices/form.html", {"form": form}, status=status)


@login_required
def practice_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _actor(request)
    practice = selectors.get_practice_for_user(user, slug)
    if not services.may_change(user, practice):
        raise PermissionDenied
    organisations = selectors.organisations_writing_for(user)
    # An author also sees the sheet's other organisations listed, so that saving keeps them.
    shown = organisations if permissions.can_review_practices(user) else organisations | practice.organisations.all()
    form = PracticeForm(request.POST or None, organisations=shown.distinct(), practice=practice)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.practice_update(
                    actor=user,
                    practice=practice,
                    organisations=_kept_organisations(user, practice, form.cleaned_data["organisations"]),
                    **form.service_fields(),
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect(practice)
        status = 400
    return render(request, "practices/form.html", {"form": form, "practice": practice}, status=status)


def _kept_organisations(user: User, practice: Practice, chosen: Any) -> Any:
    """An author changes only their own organisations on a sheet; the others stay as they are."""
    if permissions.can_review_practices(user):
        return chosen
    if not list(chosen):
        return chosen  # the service refuses a sheet without organisations
    others = [
        organisation
        for organisation in practice.organisations.all()
        if not permissions.can_write_practice_for(user, organisation.pk)
    ]
    return [*chosen, *others]


def _transition(request: HttpRequest, slug: str, service: Any, done: str, **kwargs: Any) -> HttpResponse:
    user = _actor(request)
    practice = selectors.get_practice_for_user(user, slug)
    try:
        service(actor=user, practice=practice, **kwargs)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, practice, status=400)
    messages.success(request, done)
    return redirect(practice)


@require_POST
@login_required
def practice_submit(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(request, slug, services.practice_submit, _("The sheet is submitted for review."))


@require_POST
@require(permissions.can_review_practices)
def practice_publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(request, slug, services.practice_publish, _("The sheet is published."))


def _with_note(request: HttpRequest, slug: str, service: Any, prefix: str, done: str) -> HttpResponse:
    user = _actor(request)
    practice = selectors.get_practice_for_user(user, slug)
    form = NoteForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(actor=user, practice=practice, note=form.cleaned_data["note"])
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, done)
            return redirect(practice)
    return _detail(request, practice, status=400, note_form=form, note_action=prefix)


@require_POST
@require(permissions.can_review_practices)
def practice_send_back(request: HttpRequest, slug: str) -> HttpResponse:
    return _with_note(
        request, slug, services.practice_send_back, "send_back", _("The sheet is sent back to its authors.")
    )


@require_POST
@require(permissions.can_review_practices)
def practice_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    return _with_note(request, slug, services.practice_unpublish, "unpublish", _("The sheet is unpublished."))


@require(permissions.can_review_practices)
def review(request: HttpRequest) -> HttpResponse:
    return render(request, "practices/review.html", {"queue": selectors.review_queue(request.user)})


@require_POST
@login_required
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    user = _actor(request)
    practice = selectors.get_practice_for_user(user, slug)
    if not services.may_change(user, practice):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=user, practice=practice, file=form.cleaned_data["file"], label=form.cleaned_data["label"]
            )
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(practice)
    return _detail(request, practice, status=400, attachment_form=form)


@require_POST
@login_required
def attachment_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = _actor(request)
    attachment = selectors.get_attachment_for_user(user, slug, pk)
    practice = attachment.practice
    if not services.may_change(user, practice):
        raise PermissionDenied
    try:
        services.attachment_remove(actor=user, attachment=attachment)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, selectors.get_practice_for_user(user, slug), status=400)
    messages.success(request, _("The file is removed."))
    return redirect(practice)


def attachment_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    attachment = selectors.get_attachment_for_user(request.user, slug, pk)
    extension = files.extension_of(attachment.file.name)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{attachment.practice.slug}-{attachment.pk}.{extension}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
