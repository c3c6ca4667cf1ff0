"""Reads of the calls for projects and of the applications, scoped by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cordee.core import permissions
from cordee.projects import phases
from cordee.projects.models import Application, Call

# What the coordinator and the committee see of a call: applications once submitted.
SUBMITTED_STATUSES = ("submitted", "eligible", "ineligible", "funded", "rejected")


def calls_for(user: Any) -> QuerySet[Call]:
    """Published and archived calls; the coordinator also sees the drafts."""
    calls = Call.objects.select_related("committee").order_by("-closes_on", "title")
    if permissions.can_manage_calls(user):
        return calls
    return calls.exclude(state=Call.State.DRAFT)


def get_call_for_user(user: Any, slug: str) -> Call:
    call = Call.objects.select_related("committee").filter(slug=slug).first()
    if call is None or not permissions.can_see_call(user, call):
        raise Http404
    return call


def phase_of(call: Call) -> str:
    return phases.call_phase(
        state=call.state, opens_on=call.opens_on, closes_on=call.closes_on, today=timezone.localdate()
    )


def applications_of_call(user: Any, call: Call) -> QuerySet[Application]:
    """The submitted applications of a call, for the coordinator and its committee (none for others)."""
    if not permissions.can_review_applications(user, call):
        return Application.objects.none()
    return (
        Application.objects.filter(call=call)
        .filter(Q(status__in=SUBMITTED_STATUSES) | Q(status="withdrawn", submitted_at__isnull=False))
        .select_related("organisation")
        .order_by("number", "pk")
    )


def my_applications(user: Any) -> QuerySet[Application]:
    """The applications the user's organisations carry (as lead or partner), newest first."""
    ids = list(permissions.actor_for(user).organisations)
    if not ids:
        return Application.objects.none()
    return (
        Application.objects.filter(Q(organisation_id__in=ids) | Q(partners__organisation_id__in=ids))
        .select_related("call", "organisation")
        .distinct()
        .order_by("-created_at", "-pk")
    )


def my_applications_to(user: Any, call: Call) -> QuerySet[Application]:
    return my_applications(user).filter(call=call)


def get_application_for_user(user: Any, pk: int) -> Application:
    application = (
        Application.objects.select_related("call", "call__committee", "organisation", "contact").filter(pk=pk).first()
    )
    if application is None or not permissions.can_see_application(user, application):
        raise Http404
    return application
