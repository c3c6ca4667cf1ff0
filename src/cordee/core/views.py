from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from cordee.core import permissions, services
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.forms import AccountForm, EraseForm
from cordee.core.models import User

# The folders of MEDIA_ROOT whose files anyone may read: organisations' logos and the photos of
# pooled resources. Every other upload (treasury documents, reports of funded actions, attachments of
# good practices, highlights' pictures) is served by a view of its app that checks who asks.
PUBLIC_MEDIA = ("logos/", "resources/")


@require_GET
def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded logo or photo. A production proxy may serve these two folders itself; this
    keeps a single-process deployment working. Only files under them can be read."""
    if not path.startswith(PUBLIC_MEDIA) or ".." in path.split("/"):
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    from cordee.network.selectors import directory_organisations

    return render(
        request,
        "core/home.html",
        {"organisation_count": directory_organisations(request.user).count()},
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = AccountForm(request.POST or None, initial={"full_name": user.full_name, "phone": user.phone})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update_profile(actor=user, person=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Your details have been saved."))
            return redirect("account")
    affiliations = user.affiliations.select_related("organisation", "organisation__membership")
    return render(request, "core/account.html", {"form": form, "affiliations": affiliations})


def _export_response(actor: User, person: User) -> HttpResponse:
    try:
        data = services.person_export(actor=actor, person=person)
    except NotAllowed:
        raise PermissionDenied from None
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="cordee-person-{person.pk}.json"'
    return response


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    return _export_response(request.user, request.user)


@login_required
def account_erase(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = EraseForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(actor=user, person=user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            messages.success(request, _("Your personal data has been erased."))
            return redirect("home")
    return render(request, "core/account_erase.html", {"form": form, "person": user, "self_erase": True})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_network(request.user):
        raise PermissionDenied
    persons = User.objects.filter(erased_at__isnull=True).prefetch_related("affiliations__organisation", "hub_roles")
    return render(request, "core/people.html", {"people": persons})


@login_required
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    assert isinstance(request.user, User)
    return _export_response(request.user, person)


@login_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    actor = request.user
    assert isinstance(actor, User)
    if not permissions.can_erase_person(actor, person):
        raise PermissionDenied
    form = EraseForm(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(actor=actor, person=person)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The person's data has been erased."))
            if actor.pk == person.pk:
                logout(request)
                return redirect("home")
            return redirect("people")
    return render(request, "core/account_erase.html", {"form": form, "person": person, "self_erase": False})
