"""The governance API: the decisions a person may see, their tally, voting on them (a proposal or
a poll ballot, in the general assembly for an organisation one represents), and the register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.governance import selectors, services
from cordee.governance.models import Decision, Vote
from cordee.network.models import Organisation

# Session authentication: ninja then enforces the CSRF token on writes, as the pages do.
router = Router(tags=["governance"], auth=django_auth)

FORBIDDEN = ("forbidden", services.NO_SEAT, services.RECUSED)


class BodyRef(Schema):
    id: int
    slug: str
    name: str
    kind: str


class DecisionOut(Schema):
    id: int
    title: str
    body: BodyRef
    kind: Decision.Kind
    category: Decision.Category
    status: Decision.Status
    register_number: str = Field(description="The number in the register of decisions, once closed: 2026-014")
    outcome: Decision.Outcome | None = Field(description="Null until the decision is closed")
    opens_at: dt.datetime
    closes_at: dt.datetime | None = Field(description="Null: the coordinator closes the vote by hand")
    closed_at: dt.datetime | None
    subject_type: str | None = Field(description="The kind of row the decision is about, e.g. treasury.advance")
    subject_id: int | None


class TallyOut(Schema):
    votes_for: int
    votes_against: int
    abstentions: int
    cast: int = Field(description="Votes cast, abstentions included")
    entitled: int = Field(description="Members entitled to vote: current, and not recused")
    recused: int
    turnout_percent: int
    quorum_percent: int
    quorum_needed: int
    quorum_reached: bool
    majority: str
    percent_for: int = Field(description="Whole percent of the votes cast; the three add up to 100")
    percent_against: int
    percent_abstain: int
    outcome: Decision.Outcome | None = Field(
        description="Once closed, the outcome; while open, the outcome closing now would give"
    )
    final: bool
    ballots: int = Field(0, description="Polls: the ballots counted")


class OptionOut(Schema):
    id: int
    label: str
    starts_at: dt.datetime | None = Field(description="Meeting-time poll: the slot's start")
    ends_at: dt.datetime | None


class OptionResultOut(Schema):
    id: int
    label: str
    count: int = Field(description="Ballots that chose, ranked or scored the option")
    points: int = Field(description="Plurality: votes; ranked: Borda points; score: sum of scores; meeting: yes")
    percent: int = Field(description="The width of its bar, in whole percent")
    rank: int
    retained: bool
    mean_tenths: int = Field(0, description="Score: the mean score in tenths (34 is 3.4)")
    distribution: list[int] = Field([], description="Score: how many ballots gave 0, 1, … score_max")
    yes: int = 0
    maybe: int = Field(0, description="Meeting-time poll: if need be")
    no: int = 0


class OrganisationRef(Schema):
    id: int
    name: str


class VoteOut(Schema):
    id: int
    decision_id: int
    person: str = Field(description="Who cast the vote")
    organisation: OrganisationRef | None = Field(
        description="The organisation the member sits for; in the general assembly, the organisation that voted"
    )
    choice: Vote.Choice | None = Field(description="Proposals: for, against or abstain; null for a poll")
    preferences: dict[int, int] = Field({}, description="Polls: option id -> value")
    comment: str
    cast_at: dt.datetime
    counts: bool = Field(True, description="False: cast through a seat whose term has since ended")


class RecusedOut(Schema):
    person: str
    organisation: OrganisationRef


class DecisionDetailOut(DecisionOut):
    text: str
    reasons: str
    conditions: str
    concerned: list[OrganisationRef] = Field(description="Members sitting for these organisations are recused")
    recused: list[RecusedOut]
    tally: TallyOut
    options: list[OptionOut]
    results: list[OptionResultOut] = Field(description="Polls: each option's figures (frozen once closed)")
    winning_option_id: int | None = Field(description="Polls: the option retained once closed")
    max_choices: int | None
    score_max: int
    votes: list[VoteOut]
    can_vote: bool = Field(description="Whether you may vote (or change your vote) now")


class VoteIn(Schema):
    choice: str = Field("", description="Proposals: for, against or abstain", examples=["for"])
    preferences: dict[int, int] | None = Field(
        None,
        description="Polls: option id -> value. Single and multiple choice: 1 for each option chosen; "
        "ranked: the rank (1 first); score: 0 to score_max for every option; meeting: 2 yes, 1 if need be, 0 no",
    )
    organisation_id: int | None = Field(
        None, description="General assembly: the member organisation you vote for, if you represent several"
    )
    change: bool = Field(False, description="Change the vote you already cast (otherwise a second vote is refused)")
    comment: str = Field("", description="Seen by the members of the body")


class RegisterEntryOut(Schema):
    id: int
    register_number: str
    closed_at: dt.datetime
    body: BodyRef
    category: Decision.Category
    title: str
    outcome: Decision.Outcome
    figures: str
    winning_option: str | None
    subject_type: str | None
    subject_id: int | None


_refusal = refusal


def _governance(request: HttpRequest) -> None:
    if not permissions.can_use_governance(request.user):
        raise HttpError(403, "Governance is for the people of member organisations, the bodies and the staff.")


def _organisation(organisation: object) -> OrganisationRef | None:
    if organisation is None:
        return None
    return OrganisationRef(id=organisation.pk, name=organisation.name)  # type: ignore[attr-defined]


def _decision(decision: Decision) -> dict[str, Any]:
    body = decision.body
    subject_type = decision.subject_type
    return {
        "id": decision.pk,
        "title": decision.title,
        "body": {"id": body.pk, "slug": body.slug, "name": body.name, "kind": body.kind},
        "kind": decision.kind,
        "category": decision.category,
        "register_number": decision.register_number,
        "status": decision.status,
        "outcome": decision.outcome or None,
        "opens_at": decision.opens_at,
        "closes_at": decision.closes_at,
        "closed_at": decision.closed_at,
        "subject_type": f"{subject_type.app_label}.{subject_type.model}" if subject_type else None,
        "subject_id": decision.subject_id,
    }


class _LazyDecisions:
    """Turns only the rows of the requested page into dicts."""

    def __init__(self, queryset: QuerySet[Decision]) -> None:
        self.queryset = queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_decision(decision) for decision in self.queryset[item]]


def _vote(vote: Vote, counts: bool = True) -> VoteOut:
    cast = selectors.CastVote(vote, counts)
    return VoteOut(
        id=vote.pk,
        decision_id=vote.decision_id,
        person=cast.voter,
        organisation=_organisation(cast.organisation),
        choice=Vote.Choice(vote.choice) if vote.choice else None,
        preferences={p.option_id: p.value for p in vote.preferences.all()},
        comment=vote.comment,
        cast_at=vote.cast_at,
        counts=counts,
    )


@router.get(
    "/governance/decisions",
    response=list[DecisionOut],
    operation_id="list_decisions",
    url_name="list_decisions",
    summary="The decisions of the bodies you sit on (every body, for the hub's staff), open ones first",
)
@paginate(PageNumberPagination, page_size=50)
def list_decisions(request: HttpRequest) -> object:
    _governance(request)
    return _LazyDecisions(selectors.decisions_for(request.user).select_related("subject_type"))


@router.get(
    "/governance/decisions/{decision_id}",
    response=DecisionDetailOut,
    operation_id="get_decision",
    url_name="get_decision",
    summary="One decision with its tally, votes, comments and recusals",
)
def get_decision(request: HttpRequest, decision_id: int) -> DecisionDetailOut:
    _governance(request)
    decision = selectors.get_decision_for_user(request.user, decision_id)
    tally = selectors.tally(decision)
    return DecisionDetailOut(
        **_decision(decision),
        text=decision.text,
        reasons=decision.reasons,
        conditions=decision.conditions,
        concerned=[OrganisationRef(id=o.pk, name=o.name) for o in selectors.concerned_of(decision)],
        recused=[
            RecusedOut(
                person=seat.person.full_name,
                organisation=OrganisationRef(id=seat.organisation.pk, name=seat.organisation.name),
            )
            for seat in selectors.recused_of(decision)
            if seat.organisation is not None
        ],
        tally=TallyOut(
            votes_for=tally.votes_for,
            votes_against=tally.votes_against,
            abstentions=tally.abstentions,
            cast=tally.cast,
            entitled=tally.entitled,
            recused=tally.recused,
            turnout_percent=tally.turnout_percent,
            quorum_percent=tally.quorum_percent,
            quorum_needed=tally.quorum_needed,
            quorum_reached=tally.quorum_reached,
            majority=tally.majority,
            percent_for=tally.percent_for,
            percent_against=tally.percent_against,
            percent_abstain=tally.percent_abstain,
            outcome=Decision.Outcome(tally.outcome) if tally.outcome else None,
            final=tally.final,
            ballots=tally.ballots,
        ),
        options=[
            OptionOut(id=o.pk, label=o.label, starts_at=o.starts_at, ends_at=o.ends_at)
            for o in selectors.options_of(decision)
        ],
        results=[
            OptionResultOut(
                id=r.id,
                label=r.label,
                count=r.count,
                points=r.points,
                percent=r.percent,
                rank=r.rank,
                retained=r.retained,
                mean_tenths=r.mean_tenths,
                distribution=[share.count for share in r.distribution],
                yes=r.yes,
                maybe=r.maybe,
                no=r.no,
            )
            for r in tally.options
        ],
        winning_option_id=decision.winning_option_id,
        max_choices=decision.max_choices,
        score_max=decision.score_max,
        votes=[_vote(cast.vote, cast.counts) for cast in selectors.votes_of(decision)],
        can_vote=selectors.ballot(request.user, decision).can_vote,
    )


@router.post(
    "/governance/decisions/{decision_id}/votes",
    response={200: VoteOut, 403: Refusal, 422: Refusal},
    operation_id="cast_vote",
    url_name="cast_vote",
    summary="Vote on a decision (a proposal's choice or a poll's preferences) through your seat, or in the "
    "general assembly for the member organisation you represent; a second vote is refused unless `change`",
)
def cast_vote(request: HttpRequest, decision_id: int, payload: VoteIn) -> Status[VoteOut | Refusal]:
    _governance(request)
    decision = selectors.get_decision_for_user(request.user, decision_id)
    assert isinstance(request.user, User)
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            return Status(
                422,
                _refusal(
                    DomainError(gettext("Unknown organisation."), field="organisation_id", code="unknown_organisation")
                ),
            )
    try:
        vote = services.vote_cast(
            actor=request.user,
            decision=decision,
            choice=payload.choice,
            preferences=payload.preferences,
            organisation=organisation,
            change=payload.change,
            comment=payload.comment,
        )
    except DomainError as error:
        return Status(403 if error.code in FORBIDDEN else 422, _refusal(error))
    return Status(200, _vote(vote))


class _LazyRegister(_LazyDecisions):
    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [
            {
                "id": decision.pk,
                "register_number": decision.register_number,
                "closed_at": decision.closed_at,
                "body": {
                    "id": decision.body.pk,
                    "slug": decision.body.slug,
                    "name": decision.body.name,
                    "kind": decision.body.kind,
                },
                "category": decision.category,
                "title": decision.title,
                "outcome": decision.outcome,
                "figures": selectors.figures_line(decision),
                "winning_option": decision.winning_option.label if decision.winning_option else None,
                "subject_type": (
                    f"{decision.subject_type.app_label}.{decision.subject_type.model}"
                    if decision.subject_type
                    else None
                ),
                "subject_id": decision.subject_id,
            }
            for decision in self.queryset[item]
        ]


@router.get(
    "/governance/register",
    response=list[RegisterEntryOut],
    operation_id="list_register",
    url_name="list_register",
    summary="The register of decisions: the closed decisions you may see, newest first",
)
@paginate(PageNumberPagination, page_size=50)
def list_register(request: HttpRequest, category: str = "", year: int | None = None) -> object:
    if not permissions.can_see_register(request.user):
        raise HttpError(403, "The register of decisions is for the people of member organisations and the staff.")
    return _LazyRegister(selectors.register_for(request.user, category=category, year=year))
