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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.core import permissions
from cordee.governance import rules
from cordee.governance.models import Body, BodyMember, Decision, Option, Vote
from cordee.governance.services import (
    Figures,
    count,
    current_seats,
    entitled_organisations,
    entitled_seats,
    poll_results,
    recused_organisations,
    recused_seats,
    represented_organisations,
)
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
    actor = permissions.actor_for(user)
    if not actor.is_authenticated:
        return Body.objects.none()
    seats = BodyMember.objects.filter(_current("", timezone.localdate()), person=user)
    sits = Q(pk__in=seats.values("body_id"))
    if actor.is_member:  # the general assembly is every member organisation's
        sits |= Q(kind=Body.Kind.GENERAL_ASSEMBLY)
    return Body.objects.filter(sits)


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
class ScoreShare:
    score: int
    count: int
    percent: int
    offset: int


@dataclass(frozen=True)
class OptionResult:
    """One option of a poll with its figures (see services.poll_results)."""

    id: int
    label: str
    count: int
    points: int
    percent: int  # the width of its bar: share of the points, mean score of the highest, share of "yes"
    rank: int
    retained: bool = False
    mean_tenths: int = 0
    distribution: tuple[ScoreShare, ...] = ()
    yes: int = 0
    maybe: int = 0
    no: int = 0

    @property
    def mean(self) -> str:
        """The mean score, French style: 3,4."""
        return f"{self.mean_tenths // 10},{self.mean_tenths % 10}"


def _option_results(results: dict[str, Any]) -> tuple[OptionResult, ...]:
    winner = results.get("winner")
    rows = []
    for row in results.get("options", []):
        spread = row.get("distribution") or []
        shares = rules.shares({str(score): n for score, n in enumerate(spread)}) if spread else []
        rows.append(
            OptionResult(
                id=row["id"],
                label=row["label"],
                count=row["count"],
                points=row["points"],
                percent=row["percent"],
                rank=row["rank"],
                retained=row["id"] == winner,
                mean_tenths=row.get("mean_tenths", 0),
                distribution=tuple(ScoreShare(int(s.key), s.count, s.percent, s.offset) for s in shares),
                yes=row.get("yes", 0),
                maybe=row.get("maybe", 0),
                no=row.get("no", 0),
            )
        )
    return tuple(rows)


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
    kind: str = Decision.Kind.PROPOSAL
    ballots: int = 0  # polls: the ballots counted
    options: tuple[OptionResult, ...] = ()
    assembly: bool = False  # entitled and recused count member organisations, not seats

    @property
    def is_poll(self) -> bool:
        return self.kind != Decision.Kind.PROPOSAL

    @property
    def cast(self) -> int:
        return self.ballots if self.is_poll else self.votes_for + self.votes_against + self.abstentions

    @property
    def quorum_needed(self) -> int:
        return rules.quorum_needed(self.quorum_percent, self.entitled)

    @property
    def quorum_reached(self) -> bool:
        if self.final and self.outcome:
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
    def majority_label(self) -> str:
        return str(Body.Majority(self.majority).label) if self.majority in Body.Majority.values else self.majority

    @property
    def majority_reached(self) -> bool:
        """Proposals: whether the votes cast meet the body's majority rule (whatever the quorum)."""
        return rules.passes(
            self.majority, votes_for=self.votes_for, votes_against=self.votes_against, abstentions=self.abstentions
        )

    @property
    def retained(self) -> OptionResult | None:
        return next((option for option in self.options if option.retained), None)

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


def _is_assembly(decision: Decision) -> bool:
    return decision.body.kind == Body.Kind.GENERAL_ASSEMBLY


def tally(decision: Decision) -> Tally:
    body = decision.body
    closed = decision.status == Decision.Status.CLOSED
    results: dict[str, Any] = {}
    if closed:
        results = decision.results or {}
        figures = Figures(
            entitled=decision.entitled_count or 0,
            votes_for=decision.votes_for or 0,
            votes_against=decision.votes_against or 0,
            abstentions=decision.abstentions or 0,
            ballots=results.get("ballots", 0) if decision.kind != Decision.Kind.PROPOSAL else 0,
        )
        outcome = decision.outcome
        quorum_percent = results.get("quorum_percent", body.quorum_percent)
        majority = results.get("majority", body.majority)
    else:
        figures = count(decision)
        if decision.kind != Decision.Kind.PROPOSAL:
            results = poll_results(decision)
            outcome = results["outcome"] if decision.status == Decision.Status.OPEN else ""
        else:
            outcome = figures.outcome(body) if decision.status == Decision.Status.OPEN else ""
        quorum_percent, majority = body.quorum_percent, body.majority
    if _is_assembly(decision):
        recused = (
            len(results.get("recused_organisations", []))
            if closed and "recused_organisations" in results
            else recused_organisations(decision).count()
        )
    else:
        recused = recused_seats(decision).count()
    return Tally(
        votes_for=figures.votes_for,
        votes_against=figures.votes_against,
        abstentions=figures.abstentions,
        entitled=figures.entitled,
        recused=recused,
        quorum_percent=quorum_percent,
        majority=majority,
        outcome=outcome,
        final=decision.status != Decision.Status.OPEN,
        kind=decision.kind,
        ballots=figures.ballots,
        options=_option_results(results),
        assembly=_is_assembly(decision),
    )


@dataclass(frozen=True)
class CastVote:
    vote: Vote
    counts: bool  # False: cast through a seat no longer entitled (its term ended), or an organisation no longer active

    @property
    def voter(self) -> str:
        """Who cast the vote: the seat's person, or the person who cast an organisation's vote."""
        if self.vote.cast_by is not None:
            return self.vote.cast_by.full_name
        return self.vote.seat.person.full_name if self.vote.seat is not None else ""

    @property
    def organisation(self) -> Organisation | None:
        if self.vote.seat is not None:
            return self.vote.seat.organisation
        return self.vote.organisation

    @property
    def ballot(self) -> list[str]:
        """A poll ballot in words, in the options' order: the options chosen, the ranking, the
        scores, or each slot's answer (empty for a proposal)."""
        preferences = sorted(self.vote.preferences.all(), key=lambda p: (p.option.position, p.option_id))
        kind = self.vote.decision.kind
        if kind == Decision.Kind.RANKED:
            return [f"{p.value}. {p.option.label}" for p in sorted(preferences, key=lambda p: p.value)]
        if kind == Decision.Kind.SCORE:
            return [f"{p.option.label} : {p.value}" for p in preferences]
        if kind == Decision.Kind.MEETING:
            answers = {rules.YES: _("available"), rules.IF_NEED_BE: _("if need be"), rules.NO: _("not available")}
            return [f"{p.option.label} : {answers.get(p.value, p.value)}" for p in preferences]
        return [p.option.label for p in preferences if p.value]


def votes_of(decision: Decision) -> list[CastVote]:
    votes = decision.votes.select_related(
        "decision", "seat__person", "seat__organisation", "organisation", "cast_by"
    ).prefetch_related("preferences__option")
    if _is_assembly(decision):
        if decision.status == Decision.Status.CLOSED and "entitled_organisations" in (decision.results or {}):
            organisations = set(decision.results["entitled_organisations"])
        else:
            organisations = set(entitled_organisations(decision).values_list("pk", flat=True))
        ordered = votes.order_by("organisation__sort_name", "pk")
        return [CastVote(vote, vote.organisation_id in organisations) for vote in ordered]
    entitled = set(entitled_seats(decision).values_list("pk", flat=True))
    return [CastVote(vote, vote.seat_id in entitled) for vote in votes.order_by("seat__person__full_name", "pk")]


def recused_of(decision: Decision) -> list[BodyMember]:
    return list(recused_seats(decision).select_related("person", "organisation").order_by("person__full_name"))


def recused_organisations_of(decision: Decision) -> list[Organisation]:
    """The general assembly: the member organisations the decision concerns, which do not vote."""
    if decision.status == Decision.Status.CLOSED and "recused_organisations" in (decision.results or {}):
        return list(Organisation.objects.filter(pk__in=decision.results["recused_organisations"]).order_by("sort_name"))
    return list(recused_organisations(decision).order_by("sort_name", "pk"))


def concerned_of(decision: Decision) -> list[Organisation]:
    return list(decision.concerned.order_by("sort_name", "pk"))


def options_of(decision: Decision) -> list[Option]:
    return list(decision.options.all())


@dataclass(frozen=True)
class Ballot:
    """Where a person stands on a decision: the seat they would vote through (or, in the general
    assembly, the organisation they vote for), or the organisation that recuses them, and the vote
    so far."""

    seat: BodyMember | None
    recused_for: Organisation | None
    vote: Vote | None
    is_open: bool
    organisation: Organisation | None = None  # general assembly: the organisation this ballot is for
    not_yet_open: bool = False
    user_id: int | None = None

    @property
    def can_vote(self) -> bool:
        return self.is_open and (self.seat is not None or self.organisation is not None) and self.recused_for is None

    @property
    def can_change(self) -> bool:
        """Whether the person may change the vote cast: only its author, while the vote is open."""
        if not self.can_vote or self.vote is None:
            return False
        return self.vote.cast_by_id is None or self.vote.cast_by_id == self.user_id

    @property
    def key(self) -> str:
        """What tells the ballots of a page apart (form ids)."""
        return f"{self.organisation.pk}" if self.organisation is not None else "seat"


def _is_open(decision: Decision, now: dt.datetime) -> bool:
    return (
        decision.status == Decision.Status.OPEN
        and decision.opens_at <= now
        and (decision.closes_at is None or now < decision.closes_at)
    )


def ballots(user: Any, decision: Decision, *, now: dt.datetime | None = None) -> list[Ballot]:
    """Every ballot the person holds on the decision: one through their seat, or, in the general
    assembly, one per member organisation they represent."""
    now = now or timezone.now()
    is_open = _is_open(decision, now)
    not_yet = decision.status == Decision.Status.OPEN and now < decision.opens_at
    if not permissions.actor_for(user).is_authenticated:
        return []
    concerned = set(decision.concerned.values_list("pk", flat=True))
    if _is_assembly(decision):
        result = []
        organisations = list(represented_organisations(user, now))
        votes = {
            vote.organisation_id: vote
            for vote in Vote.objects.filter(
                decision=decision, seat__isnull=True, organisation__in=[o.pk for o in organisations]
            ).select_related("cast_by")
        }
        for organisation in organisations:
            recused = organisation if organisation.pk in concerned else None
            result.append(
                Ballot(
                    None,
                    recused,
                    votes.get(organisation.pk),
                    is_open,
                    organisation=organisation,
                    not_yet_open=not_yet,
                    user_id=user.pk,
                )
            )
        return result
    seats = list(current_seats(decision.body_id, now).filter(person=user).select_related("organisation"))
    if not seats:
        return []
    seat = next((s for s in seats if s.organisation_id not in concerned), None)
    recused_for = seats[0].organisation if seat is None else None
    vote = Vote.objects.filter(decision=decision, seat_id__in=[s.pk for s in seats]).order_by("-cast_at").first()
    return [Ballot(seat, recused_for, vote, is_open, not_yet_open=not_yet, user_id=user.pk)]


def ballot(user: Any, decision: Decision, *, now: dt.datetime | None = None) -> Ballot:
    """The person's first ballot on the decision (see `ballots`)."""
    now = now or timezone.now()
    found = ballots(user, decision, now=now)
    if found:
        return found[0]
    return Ballot(None, None, None, _is_open(decision, now))


def pending_votes_for(user: Any, *, now: dt.datetime | None = None) -> QuerySet[Decision]:
    """The open decisions this user may vote on and has not voted on yet, closing soonest first;
    in the general assembly, for an organisation they represent that has not voted yet."""
    now = now or timezone.now()
    if not permissions.actor_for(user).is_authenticated:
        return Decision.objects.none()
    conditions = []
    for seat in current_seats_of_person(user, now):
        condition = Q(body_id=seat.body_id) & ~Q(votes__seat_id=seat.pk)
        if seat.organisation_id is not None:
            condition &= ~Q(concerned=seat.organisation_id)
        conditions.append(condition)
    for organisation in represented_organisations(user, now):
        voted = Vote.objects.filter(organisation=organisation, seat__isnull=True).values("decision_id")
        conditions.append(Q(body__kind=Body.Kind.GENERAL_ASSEMBLY) & ~Q(pk__in=voted) & ~Q(concerned=organisation.pk))
    if not conditions:
        return Decision.objects.none()
    return (
        Decision.objects.filter(status=Decision.Status.OPEN, opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .filter(reduce(or_, conditions))
        .select_related("body")
        .order_by(F("closes_at").asc(nulls_last=True), "opens_at", "pk")
        .distinct()
    )


def current_seats_of_person(user: Any, on: dt.date | dt.datetime | None = None) -> QuerySet[BodyMember]:
    day = timezone.localdate(on) if isinstance(on, dt.datetime) else (on or timezone.localdate())
    return BodyMember.objects.filter(_current("", day), person=user)


# --- The register of decisions -------------------------------------------------------------------


def register_for(
    user: Any, *, body: Body | None = None, category: str = "", year: int | None = None
) -> QuerySet[Decision]:
    """The closed decisions this user may see, as the register lists them: newest first."""
    queryset = (
        Decision.objects.filter(body__in=visible_bodies(user), status=Decision.Status.CLOSED)
        .exclude(register_number="")
        .select_related("body", "subject_type", "winning_option")
        .prefetch_related("subject")
    )
    if body is not None:
        queryset = queryset.filter(body=body)
    if category:
        queryset = queryset.filter(category=category)
    if year is not None:
        queryset = queryset.filter(register_number__startswith=f"{year}-")
    return queryset.order_by("-closed_at", "-register_number")


def register_years(user: Any) -> list[int]:
    numbers = register_for(user).values_list("register_number", flat=True)
    return sorted({int(number.split("-", 1)[0]) for number in numbers}, reverse=True)


def figures_line(decision: Decision) -> str:
    """The figures of a closed decision in a few words, for the register."""
    results = decision.results or {}
    if decision.kind == Decision.Kind.PROPOSAL:
        return ngettext(
            "%(for)d for, %(against)d against, %(abstain)d abstentions, out of %(entitled)d voter",
            "%(for)d for, %(against)d against, %(abstain)d abstentions, out of %(entitled)d voters",
            decision.entitled_count or 0,
        ) % {
            "for": decision.votes_for or 0,
            "against": decision.votes_against or 0,
            "abstain": decision.abstentions or 0,
            "entitled": decision.entitled_count or 0,
        }
    line = ngettext(
        "%(ballots)d ballots out of %(entitled)d voter",
        "%(ballots)d ballots out of %(entitled)d voters",
        decision.entitled_count or 0,
    ) % {
        "ballots": results.get("ballots", 0),
        "entitled": decision.entitled_count or 0,
    }
    if decision.winning_option_id is not None:
        line += " — " + _("option retained: %(option)s") % {"option": decision.winning_option}
    return line
