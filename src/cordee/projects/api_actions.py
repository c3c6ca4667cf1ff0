"""The review and funded-actions API: a call's ranking beside its envelope, scoring, the public list
of funded actions (with their progress and places), an action's detail, a milestone's progress, a
tranche paid.

The same services and selectors as the pages: what a person may not see answers 404, what they see
but may not do 403, a rule broken 422 with its code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal, refusal_status
from cordee.core.errors import DomainError, NotAllowed
from cordee.projects import selectors_actions, selectors_review
from cordee.projects.models import Action, Milestone
from cordee.projects.services import actions as action_services
from cordee.projects.services import review as review_services

router = Router(tags=["projects"])


class CallRankingLineOut(Schema):
    rank: int | None = Field(description="None: not funded, out of the walk")
    application_id: int
    number: str
    title: str
    organisation: str
    status: str
    score: str = Field(description="Out of 100, rounded to a tenth, French decimal comma; — when unscored")
    score_exact: str | None = Field(description="The exact score as a fraction, e.g. 230/3")
    sheets: int
    scorers: list[str]
    recused: list[str]
    amount_cents: int = Field(description="The grant once funded, else the amount asked")
    cumulative_cents: int | None
    remaining_cents: int | None
    fits: bool | None


class CallRankingOut(Schema):
    call_id: int
    slug: str
    envelope_cents: int
    granted_cents: int
    envelope_left_cents: int
    runs_out_at: int | None = Field(description="The rank of the first application the envelope cannot hold")
    lines: list[CallRankingLineOut]
    todo: list[int] = Field(description="Applications you still have to score (committee members)")


class ScoreMarkIn(Schema):
    criterion_id: int
    value: int
    comment: str = ""


class ScoreSheetIn(Schema):
    marks: list[ScoreMarkIn]


class ScoreMarkOut(Schema):
    criterion_id: int
    value: int
    comment: str


class PublicActionCommuneOut(Schema):
    name: str
    insee: str
    latitude: float | None
    longitude: float | None


class PublicActionOut(Schema):
    id: int
    number: str
    title: str
    summary: str
    organisation: str
    communes: list[PublicActionCommuneOut]
    granted_cents: int
    progress: int = Field(description="Mean of the milestones' progress weighted by their tranches, whole percent")
    status: str
    call: str


class ActionMilestoneOut(Schema):
    id: int
    position: int
    title: str
    due_on: dt.date
    progress: int
    tranche_cents: int
    paid_cents: int
    note: str


class ActionDisbursementOut(Schema):
    id: int
    milestone_id: int | None
    amount_cents: int
    paid_on: dt.date
    reference: str
    reverses_id: int | None


class ActionIndicatorOut(Schema):
    id: int
    label: str
    unit: str
    planned: int
    reached: int | None


class FundedActionOut(Schema):
    id: int
    number: str
    application_id: int
    title: str
    organisation_id: int
    status: str
    granted_cents: int
    paid_cents: int
    left_cents: int
    progress: int
    signed_on: dt.date | None
    signed_by: str
    public: bool
    milestones: list[ActionMilestoneOut]
    disbursements: list[ActionDisbursementOut]
    indicators: list[ActionIndicatorOut]


class MilestoneProgressIn(Schema):
    progress: int = Field(description="0 to 100")
    note: str = ""


class ActionDisbursementIn(Schema):
    milestone_id: int
    amount_cents: int
    paid_on: dt.date | None = Field(None, description="Today when left out")
    reference: str = ""


def _refused(error: DomainError) -> Status[Any]:
    return Status(refusal_status(error), refusal(error))


def _forbidden() -> Status[Any]:
    return _refused(NotAllowed())


@router.get(
    "/projects/calls/{slug}/ranking",
    auth=django_auth,
    response={200: CallRankingOut, 403: Refusal},
    summary="The ranking of a call's applications walked down against its envelope (committee, coordinator)",
)
def call_ranking(request: HttpRequest, slug: str) -> Status[CallRankingOut | Refusal]:
    try:
        call = selectors_review.get_call_for_review(request.user, slug)
    except PermissionDenied:
        return _forbidden()
    board = selectors_review.review_board(call, user=request.user)
    lines = [
        CallRankingLineOut(
            rank=row.rank,
            application_id=row.application.pk,
            number=row.application.number,
            title=row.application.title,
            organisation=row.application.organisation.name,
            status=row.application.status,
            score=row.score_text,
            score_exact=str(row.score) if row.score is not None else None,
            sheets=row.sheets,
            scorers=row.scorers,
            recused=row.recused,
            amount_cents=row.amount_cents,
            cumulative_cents=row.cumulative_cents,
            remaining_cents=row.remaining_cents,
            fits=row.fits,
        )
        for row in board.rows
    ]
    return Status(
        200,
        CallRankingOut(
            call_id=call.pk,
            slug=call.slug,
            envelope_cents=call.envelope_cents,
            granted_cents=board.granted_cents,
            envelope_left_cents=board.envelope_left_cents,
            runs_out_at=board.runs_out_at,
            lines=lines,
            todo=[application.pk for application in board.todo],
        ),
    )


@router.post(
    "/projects/applications/{application_id}/scores",
    auth=django_auth,
    response={200: list[ScoreMarkOut], 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Your marks on every criterion of the call's grid (committee members; again to change them)",
)
def score_application(
    request: HttpRequest, application_id: int, payload: ScoreSheetIn
) -> Status[list[ScoreMarkOut] | Refusal]:
    application = selectors_review.get_application_for_user(request.user, application_id)
    try:
        saved = review_services.score_set(
            actor=request.user,  # type: ignore[arg-type]
            application=application,
            scores={mark.criterion_id: mark.value for mark in payload.marks},
            comments={mark.criterion_id: mark.comment for mark in payload.marks},
        )
    except DomainError as error:
        return _refused(error)
    return Status(200, [ScoreMarkOut(criterion_id=s.criterion_id, value=s.value, comment=s.comment) for s in saved])


@router.get(
    "/projects/actions/public",
    response=list[PublicActionOut],
    summary="The funded actions shown to the public, with their progress and places (no login)",
)
def public_actions(request: HttpRequest) -> list[PublicActionOut]:
    return [
        PublicActionOut(
            id=row.id,
            number=row.number,
            title=row.title,
            summary=row.summary,
            organisation=row.organisation,
            communes=[
                PublicActionCommuneOut(name=n, insee=c, latitude=lat, longitude=lng) for n, c, lat, lng in row.communes
            ],
            granted_cents=row.granted_cents,
            progress=row.progress,
            status=row.status,
            call=row.call,
        )
        for row in selectors_actions.public_actions()
    ]


def _action(action: Action) -> FundedActionOut:
    lines = selectors_actions.milestone_lines(action)
    money = selectors_actions.money_of(action)
    return FundedActionOut(
        id=action.pk,
        number=action.number,
        application_id=action.application_id,
        title=action.application.title,
        organisation_id=action.application.organisation_id,
        status=action.status,
        granted_cents=action.granted_cents,
        paid_cents=money.paid_cents,
        left_cents=money.left_cents,
        progress=selectors_actions.overall_progress([line.milestone for line in lines]),
        signed_on=action.signed_on,
        signed_by=action.signed_by,
        public=action.public,
        milestones=[
            ActionMilestoneOut(
                id=line.milestone.pk,
                position=line.milestone.position,
                title=line.milestone.title,
                due_on=line.milestone.due_on,
                progress=line.milestone.progress,
                tranche_cents=line.milestone.tranche_cents,
                paid_cents=line.paid_cents,
                note=line.milestone.note,
            )
            for line in lines
        ],
        disbursements=[
            ActionDisbursementOut(
                id=d.pk,
                milestone_id=d.milestone_id,
                amount_cents=d.amount_cents,
                paid_on=d.paid_on,
                reference=d.reference,
                reverses_id=d.reverses_id,
            )
            for d in selectors_actions.disbursements_of(action)
        ],
        indicators=[
            ActionIndicatorOut(id=i.pk, label=i.label, unit=i.unit, planned=i.planned, reached=i.reached)
            for i in action.application.indicators.all()
        ],
    )


@router.get(
    "/projects/actions/{action_id}",
    auth=django_auth,
    response=FundedActionOut,
    summary="A funded action: its money, milestones, payments and indicators (the lead, coordinator, treasurer)",
)
def get_action(request: HttpRequest, action_id: int) -> FundedActionOut:
    return _action(selectors_actions.get_action_for_user(request.user, action_id))


@router.post(
    "/projects/milestones/{milestone_id}/progress",
    auth=django_auth,
    response={200: FundedActionOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="How far a milestone is, 0 to 100 % (the lead organisation's people)",
)
def milestone_progress(
    request: HttpRequest, milestone_id: int, payload: MilestoneProgressIn
) -> Status[FundedActionOut | Refusal]:
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    action = selectors_actions.get_action_for_user(request.user, milestone.action_id)
    try:
        action_services.milestone_progress(
            actor=request.user,  # type: ignore[arg-type]
            milestone=milestone,
            progress=payload.progress,
            note=payload.note,
        )
    except DomainError as error:
        return _refused(error)
    return Status(200, _action(action))


@router.post(
    "/projects/actions/{action_id}/disbursements",
    auth=django_auth,
    response={201: ActionDisbursementOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Pay a tranche tied to a milestone from the fund (the treasurer)",
)
def create_disbursement(
    request: HttpRequest, action_id: int, payload: ActionDisbursementIn
) -> Status[ActionDisbursementOut | Refusal]:
    action = selectors_actions.get_action_for_user(request.user, action_id)
    if not permissions.can_disburse(request.user):
        return _forbidden()
    milestone = Milestone.objects.filter(pk=payload.milestone_id, action=action).first()
    if milestone is None:
        return Status(
            422,
            refusal(DomainError("milestone_id: not a milestone of this action.", field="milestone_id", code="unknown")),
        )
    try:
        d = action_services.disbursement_create(
            actor=request.user,  # type: ignore[arg-type]
            action=action,
            milestone=milestone,
            amount_cents=payload.amount_cents,
            paid_on=payload.paid_on,
            reference=payload.reference,
        )
    except DomainError as error:
        return _refused(error)
    return Status(
        201,
        ActionDisbursementOut(
            id=d.pk,
            milestone_id=d.milestone_id,
            amount_cents=d.amount_cents,
            paid_on=d.paid_on,
            reference=d.reference,
            reverses_id=d.reverses_id,
        ),
    )
