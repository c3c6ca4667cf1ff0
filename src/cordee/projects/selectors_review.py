"""Reads of the review: the ranking beside the envelope, who scored and who is recused, what a
committee member still has to score, an application's scores. Permissions are applied by the
scoped getters (Http404 for what the person may not see, PermissionDenied for what they may see
but not do)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cordee.core import permissions
from cordee.core.models import User
from cordee.governance import services as governance
from cordee.governance.models import BodyMember, Decision
from cordee.network.models import Affiliation
from cordee.projects import ranking
from cordee.projects.models import Application, Call, Criterion, Score

REVIEWED = (Application.Status.ELIGIBLE, Application.Status.FUNDED, Application.Status.REJECTED)
SEEING_STATUSES = ("active", "suspended")


def get_call_for_review(user: Any, slug: str) -> Call:
    call = Call.objects.select_related("committee").filter(slug=slug).first()
    if call is None or not permissions.can_see_call(user, call):
        raise Http404
    if not permissions.can_review_applications(user, call):
        raise PermissionDenied
    return call


def get_application_for_user(user: Any, pk: int) -> Application:
    application = (
        Application.objects.select_related("call", "call__committee", "organisation", "decision", "contact")
        .filter(pk=pk)
        .first()
    )
    if application is None or not permissions.can_see_application(user, application):
        raise Http404
    return application


def reviewed_applications(call: Call) -> QuerySet[Application]:
    return (
        Application.objects.filter(call=call, status__in=REVIEWED)
        .select_related("organisation", "decision")
        .prefetch_related("partners")
        .order_by("number", "pk")
    )


@dataclass
class ReviewRow:
    application: Application
    score: Fraction | None
    sheets: int
    scorers: list[str]
    recused: list[str]
    amount_cents: int  # what the walk counts: the grant once funded, else the request
    rank: int | None = None
    cumulative_cents: int | None = None
    remaining_cents: int | None = None
    fits: bool | None = None

    @property
    def score_text(self) -> str:
        return ranking.out_of_100(self.score)


@dataclass
class ReviewBoard:
    call: Call
    criteria: list[Criterion]
    seats: list[BodyMember]
    rows: list[ReviewRow]  # ranked (eligible and funded), then the rejected
    granted_cents: int
    runs_out_at: int | None
    todo: list[Application] = field(default_factory=list)

    @property
    def envelope_left_cents(self) -> int:
        return self.call.envelope_cents - self.granted_cents

    @property
    def ranked(self) -> list[ReviewRow]:
        return [row for row in self.rows if row.rank is not None]

    @property
    def rejected(self) -> list[ReviewRow]:
        return [row for row in self.rows if row.rank is None]


def _carriers(application: Application) -> set[int]:
    return {application.organisation_id} | {p.organisation_id for p in application.partners.all() if p.organisation_id}


def _affiliations(person_ids: set[int]) -> dict[int, set[int]]:
    """For each person, the organisations they belong to (memberships that give powers)."""
    rows = Affiliation.objects.filter(
        person_id__in=person_ids, organisation__membership__status__in=SEEING_STATUSES
    ).values_list("person_id", "organisation_id")
    found: dict[int, set[int]] = defaultdict(set)
    for person_id, organisation_id in rows:
        found[person_id].add(organisation_id)
    return found


def recused_on(seat: BodyMember, carriers: set[int], belongs: dict[int, set[int]]) -> bool:
    return seat.organisation_id in carriers or bool(belongs.get(seat.person_id, set()) & carriers)


def review_board(call: Call, *, user: Any = None) -> ReviewBoard:
    """The ranking of a call's reviewed applications walked down against its envelope."""
    criteria = list(call.criteria.all())
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    applications = list(reviewed_applications(call))
    seats = list(governance.current_seats(call.committee_id).select_related("person", "organisation"))
    belongs = _affiliations({seat.person_id for seat in seats})
    sheets: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    names: dict[int, str] = {}
    for application_id, scorer_id, scorer_name, criterion_id, value in Score.objects.filter(
        application__in=[a.pk for a in applications]
    ).values_list("application_id", "scorer_id", "scorer__full_name", "criterion_id", "value"):
        sheets[application_id][scorer_id][criterion_id] = value
        names[scorer_id] = scorer_name
    rows: list[ReviewRow] = []
    for application in applications:
        carriers = _carriers(application)
        by_scorer = sheets.get(application.pk, {})
        score, count = ranking.application_score(by_scorer, weights, call.score_max)
        amount = (
            application.granted_cents or 0
            if application.status == Application.Status.FUNDED
            else application.requested_cents
        )
        rows.append(
            ReviewRow(
                application=application,
                score=score,
                sheets=count,
                scorers=sorted(names[pk] for pk in by_scorer),
                recused=sorted(seat.person.full_name for seat in seats if recused_on(seat, carriers, belongs)),
                amount_cents=amount,
            )
        )
    in_walk = {row.application.pk: row for row in rows if row.application.status != Application.Status.REJECTED}
    steps = ranking.walk(
        [
            ranking.Candidate(key=pk, score=row.score, amount_cents=row.amount_cents, order=row.application.pk)
            for pk, row in in_walk.items()
        ],
        call.envelope_cents,
    )
    ranked: list[ReviewRow] = []
    for step in steps:
        row = in_walk[step.candidate.key]  # type: ignore[index]
        row.rank, row.cumulative_cents = step.rank, step.cumulative_cents
        row.remaining_cents, row.fits = step.remaining_cents, step.fits
        ranked.append(row)
    rejected = [row for row in rows if row.application.status == Application.Status.REJECTED]
    granted = sum(row.amount_cents for row in rows if row.application.status == Application.Status.FUNDED)
    board = ReviewBoard(
        call=call,
        criteria=criteria,
        seats=seats,
        rows=ranked + rejected,
        granted_cents=granted,
        runs_out_at=ranking.runs_out_at(steps),
    )
    if user is not None:
        board.todo = todo_for(user, call, board)
    return board


def todo_for(user: Any, call: Call, board: ReviewBoard | None = None) -> list[Application]:
    """The eligible applications, not yet put to the vote, this committee member may score and has not."""
    if not permissions.actor_for(user).is_authenticated or not permissions.sits_on(user, call.committee_id):
        return []
    scored = set(
        Score.objects.filter(application__call=call, scorer_id=user.pk).values_list("application_id", flat=True)
    )
    seats = [seat for seat in governance.current_seats(call.committee_id).filter(person_id=user.pk)]
    belongs = _affiliations({user.pk})
    applications = (
        sorted((row.application for row in board.rows), key=lambda a: (a.number, a.pk))
        if board is not None
        else list(reviewed_applications(call))
    )
    return [
        application
        for application in applications
        if application.status == Application.Status.ELIGIBLE
        and (application.decision is None or application.decision.status == Decision.Status.CANCELLED)
        and application.pk not in scored
        and not any(recused_on(seat, _carriers(application), belongs) for seat in seats)
    ]


@dataclass(frozen=True)
class Sheet:
    scorer: User
    marks: dict[int, int]
    comments: dict[int, str]
    score: Fraction | None

    @property
    def score_text(self) -> str:
        return ranking.out_of_100(self.score)


def sheets_of(application: Application) -> list[Sheet]:
    """Each scorer's marks on the application (for the coordinator and the committee only)."""
    criteria = list(application.call.criteria.all())
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    marks: dict[int, dict[int, int]] = defaultdict(dict)
    comments: dict[int, dict[int, str]] = defaultdict(dict)
    scorers: dict[int, User] = {}
    for score in Score.objects.filter(application=application).select_related("scorer"):
        marks[score.scorer_id][score.criterion_id] = score.value
        comments[score.scorer_id][score.criterion_id] = score.comment
        scorers[score.scorer_id] = score.scorer
    return [
        Sheet(
            scorer=scorers[pk],
            marks=marks[pk],
            comments=comments[pk],
            score=ranking.sheet_score(marks[pk], weights, application.call.score_max),
        )
        for pk in sorted(scorers, key=lambda pk: scorers[pk].full_name)
    ]


def own_marks(user: Any, application: Application) -> tuple[dict[int, int], dict[int, str]]:
    rows = Score.objects.filter(application=application, scorer_id=user.pk)
    return {s.criterion_id: s.value for s in rows}, {s.criterion_id: s.comment for s in rows}


def can_see_scores(user: Any, application: Application) -> bool:
    """The individual scores of named scorers: the coordinator and the committee, never the applicants."""
    if permissions.carries_application(user, application) and not permissions.can_manage_calls(user):
        return False
    return permissions.can_review_applications(user, application.call)
