"""What members do under a sheet (comment, ask, testify, delete their words), and the sheet as a PDF.

Thin: `services.comments` writes, `cordee.core.permissions` decides; a sheet the user may not see is
a 404, a sheet they see but may not comment a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cordee.core import permissions
from cordee.core.errors import DomainError, NotAllowed
from cordee.practices import documents
from cordee.practices.forms_community import CommentForm, commenting_organisations
from cordee.practices.models import Comment, Practice
from cordee.practices.selectors import get_practice_for_user
from cordee.practices.services import comments as services
from cordee.practices.templatetags.practices_community import section_context

PDF = "application/pdf"


def _to_comments(practice: Practice) -> HttpResponse:
    return redirect(f"{practice.get_absolute_url()}#commentaires")


@require_POST
@login_required
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug)
    if not permissions.can_comment_practice(request.user, practice):
        raise PermissionDenied
    form = CommentForm(request.POST, organisations=commenting_organisations(request.user))
    if form.is_valid():
        try:
            services.comment_create(
                actor=request.user,  # type: ignore[arg-type]
                practice=practice,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                organisation=form.cleaned_data["organisation"],
            )
        except NotAllowed as error:
            raise PermissionDenied from error
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Thank you: the authors are told."))
            return _to_comments(practice)
    context = section_context(request.user, practice, form)
    return render(request, "practices/community/comment_form.html", context, status=400)


@require_POST
@login_required
def comment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug)
    comment = get_object_or_404(Comment, pk=pk, practice=practice)
    try:
        services.comment_delete(actor=request.user, comment=comment)  # type: ignore[arg-type]
    except NotAllowed as error:
        raise PermissionDenied from error
    messages.success(request, _("The comment is deleted."))
    return _to_comments(practice)


@require_safe
def practice_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug)
    response = HttpResponse(documents.practice_pdf(practice, user=request.user), content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="bonne-pratique-{practice.slug}.pdf"'
    return response
