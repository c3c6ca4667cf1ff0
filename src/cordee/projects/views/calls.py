"""The pages of the calls for projects: the list, a call (its text, and for the coordinator and the
committee its applications), and the coordinator's pages to write and publish one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.projects import phases
from cordee.projects import selectors_calls as selectors
from cordee.projects.forms_calls import FIELD_ALIASES, CallForm
from cordee.projects.models import Call
from cordee.projects.services import applications as application_services
from cordee.projects.services import calls as services


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def refused(form: Any, exc: DomainError) -> None:
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def call_url(call: Call) -> str:
    return reverse("projects:call", args=[call.slug])


def call_list(request: HttpRequest) -> HttpResponse:
    calls = list(selectors.calls_for(request.user))
    for call in calls:
        call.phase = selectors.phase_of(call)  # type: ignore[attr-defined]
        call.phase_label = phases.phase_label(call.phase)  # type: ignore[attr-defined]
    context = {
        "calls": calls,
        "can_manage": permissions.can_manage_calls(request.user),
        "is_member": permissions.actor_for(request.user).is_member,
        "can_follow_actions": permissions.can_follow_actions(request.user),
    }
    return render(request, "projects/call_list.html", context)


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    call = selectors.get_call_for_user(user, slug)
    phase = selectors.phase_of(call)
    applying = application_services.applying_organisations(user, call) if user.is_authenticated else []  # type: ignore[arg-type]
    context = {
        "call": call,
        "phase": phase,
        "phase_label": phases.phase_label(phase),
        "criteria": list(call.criteria.all()),
        "can_manage": permissions.can_manage_calls(user),
        "can_apply": phase == phases.OPEN and bool(applying),
        "mine": list(selectors.my_applications_to(user, call)) if user.is_authenticated else [],
        "applications": list(selectors.applications_of_call(user, call)),
        "reviews": permissions.can_review_applications(user, call),
    }
    return render(request, "projects/call_detail.html", context)


@require(permissions.can_manage_calls)
def call_create(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                call = services.call_create(actor=_actor(request), **form.service_fields())
            except DomainError as exc:
                refused(form, exc)
            else:
                messages.success(request, _("The call is saved as a draft. Publish it when it is ready."))
                return redirect(call_url(call))
        status = 400
    return render(request, "projects/call_form.html", {"form": form}, status=status)


@require(permissions.can_manage_calls)
def call_edit(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, slug)
    form = CallForm(request.POST or None, call=call)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.call_update(actor=_actor(request), call=call, **form.service_fields())
            except DomainError as exc:
                refused(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect(call_url(call))
        status = 400
    return render(request, "projects/call_form.html", {"form": form, "call": call}, status=status)


@require_POST
@require(permissions.can_manage_calls)
def call_publish(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, slug)
    try:
        services.call_publish(actor=_actor(request), call=call)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(call_url(call))
    messages.success(request, _("The call is published."))
    return redirect(call_url(call))
