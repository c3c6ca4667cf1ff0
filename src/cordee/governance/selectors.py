"""Reads on bodies and decisions, with the permissions applied where the rows are fetched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from cordee.core import permissions
from cordee.governance import rules
from cordee.governance.models import Body, BodyMember, Decision, Vote
from cordee.governance.services import Figures, count, current_seats, entitled_seats, recused_seats
from cordee.network.models import Organisation


def _sees_every_body(user: Any) -> bool:
    # The same rule as permissions.can_see_body, for every body at once: the hub's staff see them
    # all, a member sees the bodies they sit on.
    actor = permissions.actor_for(user)
    return actor.is_coordinator or permissions.TREASURER in actor.hub_roles


def _current(prefix: str, day: dt.date) -> Q:
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def visible_bodies(user: Any) -> QuerySet[Body]:
    if _sees_every_body(user):
        return Body.objects.all()
    if not permissions.actor_for(user).is_authenticated:
        return Body.objects.none()
    seats = BodyMember.objects.filter(_current("", timezone.localdate()), person=user)
    return Body.objects.filter(pk__in=seats.values("body_id"))


def bodies_for(user: Any) -> QuerySet[Body]:
    """The bodies this user sees, with their members today and their open decisions."""
    today = timezone.localdate()
    return visible_bodies(user).annotate(
        members_now=Count("members", filter=_current("members__", today), distinct=True),
        open_decisions=Count("decisions", filter=Q(decisions__status=Decision.Status.OPEN), distinct=True),
    )


def get_body_for_user(user: Any, slug: str) -> Body:
    body = Body.objects.filter(slug=slug).first()
    if body is None or not permissions.can_see_body(user, body):
        raise Http404
    return body


def seats_of(body: Body) -> tuple[list[BodyMember], list[BodyMember]]:
    """The seats current or to come, and the terms that have ended."""
    today = timezone.localdate()
    seats = BodyMember.objects.filter(body=body).select_related("person", "organisation")
    ongoing = seats.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).order_by("starts_on", "person__full_name")
    ended = seats.filter(ends_on__lt=today).order_by("-ends_on", "person__full_name")
    return list(ongoing), list(ended)


def decisions_for(user: Any, *, body: Body | None = None) -> QuerySet[Decision]:
    """The decisions this user may see: the open ones first (closing soonest first), then the newest."""
    queryset = Decision.objects.filter(body__in=visible_bodies(user)).select_related("body")
    if body is not None:
        queryset = queryset.filter(body=body)
    return queryset.annotate(
        finished=Case(When(status=Decision.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("finished", F("closes_at").asc(nulls_last=True), "-opens_at", "-pk")


def get_decision_for_user(user: Any, pk: int) -> Decision:
    """The decision if this user may see it; 404 otherwise (its existence is not revealed)."""
    decision = Decision.objects.select_related("body", "subject_type", "opened_by", "closed_by").filter(pk=pk).first()
    if decision is None or not permissions.can_see_decision(user, decision):
        raise Http404
    return decision


def subject_url(decision: Decision) -> str:
    """The page of the decision's subject, if it has one."""
    if decision.subject_type_id is None:
        return ""
    get_url = getattr(decision.subject, "get_absolute_url", None)
    return str(get_url()) if callable(get_url) else ""


@dataclass(frozen=True)
class Tally:
    """The spread of opinions on a decision: live while it is open (what closing now would give),
    the frozen figures once it is closed."""

    votes_for: int
    votes_against: int
    abstentions: int
    entitled: int
    recused: int
    quorum_percent: int
    majority: str
    outcome: str  # the frozen outcome, or the one closing now would give; "" when cancelled
    final: bool

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def quorum_needed(self) -> int:
        return rules.quorum_needed(self.quorum_percent, self.entitled)

    @property
    def quorum_reached(self) -> bool:
        if self.final:
            return self.outcome != rules.NO_QUORUM
        return self.cast >= self.quorum_needed

    @property
    def turnout_percent(self) -> int:
        """Whole percent of the entitled members who took part."""
        return self.cast * 100 // self.entitled if self.entitled else 0

    @property
    def shares(self) -> list[rules.Share]:
        return rules.shares(
            {
                Vote.Choice.FOR: self.votes_for,
                Vote.Choice.AGAINST: self.votes_against,
                Vote.Choice.ABSTAIN: self.abstentions,
            }
        )

    @property
    def outcome_label(self) -> str:
        return str(Decision.Outcome(self.outcome).label) if self.outcome else ""

    @property
    def labelled_shares(self) -> list[tuple[rules.Share, str]]:
        return [(share, str(Vote.Choice(share.key).label)) for share in self.shares]

    def _percent(self, key: str) -> int:
        return next(share.percent for share in self.shares if share.key == key)

    @property
    def percent_for(self) -> int:
        return self._percent(Vote.Choice.FOR)

    @property
    def percent_against(self) -> int:
        return self._percent(Vote.Choice.AGAINST)

    @property
    def percent_abstain(self) -> int:
        return self._percent(Vote.Choice.ABSTAIN)


def tally(decision: Decision) -> Tally:
    body = decision.body
    if decision.status == Decision.Status.CLOSED:
        figures = Figures(
            entitled=decision.entitled_count or 0,
            votes_for=decision.votes_for or 0,
            votes_against=decision.votes_against or 0,
            abstentions=decision.abstentions or 0,
        )
        outcome = decision.outcome
    else:
        figures = count(decision)
        outcome = figures.outcome(body) if decision.status == Decision.Status.OPEN else ""
    return Tally(
        votes_for=figures.votes_for,
        votes_against=figures.votes_against,
        abstentions=figures.abstentions,
        entitled=figures.entitled,
        recused=recused_seats(decision).count(),
        quorum_percent=body.quorum_percent,
        majority=body.majority,
        outcome=outcome,
        final=decision.status != Decision.Status.OPEN,
    )


@dataclass(frozen=True)
class CastVote:
    vote: Vote
    counts: bool  # False: cast through a seat that is no longer entitled (its term ended)


def votes_of(decision: Decision) -> list[CastVote]:
    entitled = set(entitled_seats(decision).values_list("pk", flat=True))
    votes = decision.votes.select_related("seat__person", "seat__organisation").order_by("seat__person__full_name")
    return [CastVote(vote, vote.seat_id in entitled) for vote in votes]


def recused_of(decision: Decision) -> list[BodyMember]:
    return list(recused_seats(decision).select_related("person", "organisation").order_by("person__full_name"))


def concerned_of(decision: Decision) -> list[Organisation]:
    return list(decision.concerned.order_by("sort_name", "pk"))


@dataclass(frozen=True)
class Ballot:
    """Where a person stands on a decision: the seat they would vote through, or the
    organisation that recuses them, and their vote so far."""

    seat: BodyMember | None
    recused_for: Organisation | None
    vote: Vote | None
    is_open: bool

    @property
    def can_vote(self) -> bool:
        return self.is_open and self.seat is not None


def ballot(user: Any, decision: Decision, *, now: dt.datetime | None = None) -> Ballot:
    now = now or timezone.now()
    is_open = decision.status == Decision.Status.OPEN and (decision.closes_at is None or now < decision.closes_at)
    if not permissions.actor_for(user).is_authenticated:
        return Ballot(None, None, None, is_open)
    seats = list(current_seats(decision.body_id, now).filter(person=user).select_related("organisation"))
    concerned = set(decision.concerned.values_list("pk", flat=True))
    seat = next((s for s in seats if s.organisation_id not in concerned), None)
    recused_for = seats[0].organisation if seats and seat is None else None
    own_seats = [s.pk for s in seats] or [-1]
    vote = Vote.objects.filter(decision=decision, seat_id__in=own_seats).order_by("-cast_at").first()
    return Ballot(seat, recused_for, vote, is_open)


def pending_votes_for(user: Any, *, now: dt.datetime | None = None) -> QuerySet[Decision]:
    """The open decisions this user may vote on and has not voted on yet, closing soonest first."""
    now = now or timezone.now()
    if not permissions.actor_for(user).is_authenticated:
        return Decision.objects.none()
    seats = list(current_seats_of_person(user, now))
    if not seats:
        return Decision.objects.none()
    conditions = []
    for seat in seats:
        condition = Q(body_id=seat.body_id) & ~Q(votes__seat_id=seat.pk)
        if seat.organisation_id is not None:
            condition &= ~Q(concerned=seat.organisation_id)
        conditions.append(condition)
    return (
        Decision.objects.filter(status=Decision.Status.OPEN)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .filter(reduce(or_, conditions))
        .select_related("body")
        .order_by(F("closes_at").asc(nulls_last=True), "opens_at", "pk")
        .distinct()
    )


def current_seats_of_person(user: Any, on: dt.date | dt.datetime | None = None) -> QuerySet[BodyMember]:
    day = timezone.localdate(on) if isinstance(on, dt.datetime) else (on or timezone.localdate())
    return BodyMember.objects.filter(_current("", day), person=user)
