"""Reads of the reporting pages: the highlights of a period, and the scoped getters that apply
`cordee.core.permissions` (Http404 for what the person may not see)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cordee.core import permissions
from cordee.network.models import Organisation
from cordee.reporting.models import Highlight
from cordee.reporting.periods import Period


def highlights_of(period: Period) -> QuerySet[Highlight]:
    """The entries whose dates overlap the period, in the order of their dates."""
    return (
        Highlight.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start)
        .select_related("organisation")
        .order_by("starts_on", "ends_on", "pk")
    )


def dashboard_organisations_for(user: Any) -> QuerySet[Organisation]:
    """The organisations whose dashboard this person opens as a member admin, by name."""
    return Organisation.objects.filter(pk__in=permissions.dashboard_organisations(user)).order_by("sort_name", "pk")


def get_dashboard_organisation_for_user(user: Any, organisation_id: int) -> Organisation:
    """The organisation whose dashboard is asked for: 404 when it does not exist or when the person
    may not see it (a member admin of another organisation is not told it exists); 403 for a person
    who opens no dashboard at all."""
    if not permissions.can_open_some_dashboard(user):
        raise PermissionDenied
    if not permissions.can_see_dashboard_of(user, organisation_id):
        raise Http404
    organisation = Organisation.objects.filter(pk=organisation_id).select_related("commune").first()
    if organisation is None:
        raise Http404
    return organisation


def get_highlight_for_user(user: Any, pk: int) -> Highlight:
    """A highlight, for those who see the hub's dashboard (where highlights are shown)."""
    if not permissions.can_see_hub_dashboard(user):
        raise PermissionDenied
    highlight = Highlight.objects.select_related("organisation").filter(pk=pk).first()
    if highlight is None:
        raise Http404
    return highlight


def highlight_organisations() -> QuerySet[Organisation]:
    """The organisations a highlight may concern: the members, current or past."""
    return (
        Organisation.objects.filter(membership__status__in=("active", "suspended", "left"))
        .only("pk", "name", "sort_name")
        .order_by("sort_name", "pk")
    )
