"""Who votes on a decision: the seats of a board or committee current on a day, the member
organisations of the general assembly active on a day, and the ones a decision recuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from cordee.core import permissions
from cordee.governance.models import Body, BodyMember, Decision, Vote
from cordee.network.models import Membership, Organisation

# Refusals of a vote that say the person may not vote, rather than that the vote is malformed.
NO_SEAT = "no_seat"
RECUSED = "recused"
# A second vote of the same seat or organisation.
ALREADY_VOTED = "already_voted"


def _day(value: dt.date | dt.datetime | None) -> dt.date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


def current_seats(body_id: int, on: dt.date | dt.datetime | None = None) -> QuerySet[BodyMember]:
    """The seats of a body whose term covers the day (today by default)."""
    day = _day(on)
    return BodyMember.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), body_id=body_id, starts_on__lte=day)


def _decision_day(decision: Decision, on: dt.date | dt.datetime | None) -> dt.date:
    """The day whose seats count: the one given, else the day a finished decision closed, else today."""
    if on is None and decision.closed_at is not None:
        return _day(decision.closed_at)
    return _day(on)


def entitled_seats(decision: Decision, on: dt.date | dt.datetime | None = None) -> QuerySet[BodyMember]:
    """The seats that may vote on the decision: current, and not sitting for an organisation it concerns."""
    return current_seats(decision.body_id, _decision_day(decision, on)).exclude(
        organisation__in=decision.concerned.values("pk")
    )


def recused_seats(decision: Decision, on: dt.date | dt.datetime | None = None) -> QuerySet[BodyMember]:
    """The current seats that sit for an organisation the decision concerns."""
    return current_seats(decision.body_id, _decision_day(decision, on)).filter(
        organisation__in=decision.concerned.values("pk")
    )


def assembly_members(on: dt.date | dt.datetime | None = None) -> QuerySet[Organisation]:
    """The member organisations active on the day: one vote each in the general assembly."""
    day = _day(on)
    return Organisation.objects.filter(
        Q(membership__joined_on__isnull=True) | Q(membership__joined_on__lte=day),
        membership__status=Membership.Status.ACTIVE,
    )


def entitled_organisations(decision: Decision, on: dt.date | dt.datetime | None = None) -> QuerySet[Organisation]:
    """The general assembly: the active member organisations the decision does not concern."""
    return assembly_members(_decision_day(decision, on)).exclude(pk__in=decision.concerned.values("pk"))


def recused_organisations(decision: Decision, on: dt.date | dt.datetime | None = None) -> QuerySet[Organisation]:
    return assembly_members(_decision_day(decision, on)).filter(pk__in=decision.concerned.values("pk"))


def represented_organisations(user: Any, on: dt.date | dt.datetime | None = None) -> QuerySet[Organisation]:
    """The active member organisations whose general assembly vote this person casts (permissions.represents)."""
    actor = permissions.actor_for(user)
    ids = [pk for pk in actor.organisations if permissions.represents(user, pk)]
    return assembly_members(on).filter(pk__in=ids).order_by("sort_name", "pk")


def counted_votes(decision: Decision, on: dt.date | dt.datetime | None = None) -> QuerySet[Vote]:
    """The votes that count: those of the seats (or, in the general assembly, the organisations) entitled on the day."""
    if decision.body.kind == Body.Kind.GENERAL_ASSEMBLY:
        return Vote.objects.filter(
            decision=decision, seat__isnull=True, organisation__in=entitled_organisations(decision, on).values("pk")
        )
    return Vote.objects.filter(decision=decision, seat__in=entitled_seats(decision, on).values("pk"))


def entitled_count(decision: Decision, on: dt.date | dt.datetime | None = None) -> int:
    if decision.body.kind == Body.Kind.GENERAL_ASSEMBLY:
        return entitled_organisations(decision, on).count()
    return entitled_seats(decision, on).count()
