"""The API of the calls for projects and of the applications: list and read calls; start, change
and submit an application; list one's own applications. The same services as the pages; a refusal
is JSON naming the field and the rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from cordee.core.apierrors import Problem, Refusal, refusal, refusal_status
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.projects import selectors_calls as selectors
from cordee.projects.models import Application, Call
from cordee.projects.services import applications as services
from cordee.projects.services.applications import Draft, IndicatorInput, LineInput, PartnerInput

router = Router(tags=["projects"])


class CriterionOut(Schema):
    label: str
    weight: int
    description: str


class QuestionOut(Schema):
    key: str
    label: str
    help: str = ""
    kind: str
    required: bool


class CallOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    phase: str = Field(description="draft, announced, open, closed or archived")
    envelope_cents: int
    max_request_cents: int | None
    max_share_percent: int
    members_only: bool
    opens_on: dt.date
    closes_on: dt.date


class CallDetailOut(CallOut):
    text: str
    eligibility: str
    score_max: int
    criteria: list[CriterionOut]
    questions: list[QuestionOut]


class LineIO(Schema):
    kind: str = Field(description="expense or resource")
    label: str
    amount_cents: int = Field(description="In cents, more than zero")
    funder: str = ""
    status: str = Field("", description="Resources: own, obtained or requested")
    is_request: bool = Field(False, description="The one resource line asked of the hub")


class PartnerIO(Schema):
    organisation_id: int | None = None
    name: str = Field("", description="When the organisation is not in the directory")
    role: str = ""


class IndicatorIO(Schema):
    label: str
    unit: str = ""
    planned: int


class ApplicationStartIn(Schema):
    call_slug: str
    organisation_id: int
    title: str = ""


class ApplicationIn(Schema):
    title: str = ""
    summary: str = ""
    description: str = ""
    commune_codes: list[str] = Field(default_factory=list, description="INSEE codes")
    territory: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    requested_cents: int = 0
    answers: dict[str, Any] = Field(default_factory=dict)
    partners: list[PartnerIO] = Field(default_factory=list)
    budget_lines: list[LineIO] = Field(default_factory=list)
    indicators: list[IndicatorIO] = Field(default_factory=list)


class ApplicationOut(Schema):
    id: int
    call_slug: str
    number: str
    status: str
    organisation_id: int
    title: str
    summary: str
    description: str
    commune_codes: list[str]
    territory: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    requested_cents: int
    answers: dict[str, Any]
    partners: list[PartnerIO]
    budget_lines: list[LineIO]
    indicators: list[IndicatorIO]
    missing: list[Problem] = Field(description="What the draft lacks before it can be submitted")


def _refused(error: DomainError) -> Status[Any]:
    return Status(refusal_status(error), refusal(error))


def _call(call: Call) -> dict[str, Any]:
    return {
        "id": call.pk,
        "slug": call.slug,
        "title": call.title,
        "summary": call.summary,
        "phase": selectors.phase_of(call),
        "envelope_cents": call.envelope_cents,
        "max_request_cents": call.max_request_cents,
        "max_share_percent": call.max_share_percent,
        "members_only": call.members_only,
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
    }


def _application(application: Application) -> ApplicationOut:
    missing = services.missing(application) if application.status == Application.Status.DRAFT else []
    return ApplicationOut(
        id=application.pk,
        call_slug=application.call.slug,
        number=application.number,
        status=application.status,
        organisation_id=application.organisation_id,
        title=application.title,
        summary=application.summary,
        description=application.description,
        commune_codes=[c.insee_code for c in application.communes.all()],
        territory=application.territory,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        requested_cents=application.requested_cents,
        answers=application.answers,
        partners=[
            PartnerIO(organisation_id=p.organisation_id, name=p.name, role=p.role) for p in application.partners.all()
        ],
        budget_lines=[
            LineIO(
                kind=line.kind,
                label=line.label,
                amount_cents=line.amount_cents,
                funder=line.funder,
                status=line.status,
                is_request=line.is_request,
            )
            for line in application.budget_lines.all()
        ],
        indicators=[IndicatorIO(label=i.label, unit=i.unit, planned=i.planned) for i in application.indicators.all()],
        missing=[Problem(field=p.field, code=p.code, message=p.message) for p in missing],
    )


def _draft(payload: ApplicationIn) -> Draft:
    partner_ids = [p.organisation_id for p in payload.partners if p.organisation_id is not None]
    organisations = Organisation.objects.in_bulk(partner_ids)
    unknown = [pk for pk in partner_ids if pk not in organisations]
    if unknown:
        raise DomainError(
            _("Unknown organisations: %(ids)s.") % {"ids": ", ".join(str(pk) for pk in unknown)},
            field="partners",
            code="unknown",
        )
    return Draft(
        title=payload.title,
        summary=payload.summary,
        description=payload.description,
        communes=services.resolve_communes(", ".join(payload.commune_codes)),
        territory=payload.territory,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        requested_cents=payload.requested_cents,
        answers=payload.answers,
        partners=[
            PartnerInput(
                organisation=organisations.get(p.organisation_id) if p.organisation_id else None,
                name=p.name,
                role=p.role,
            )
            for p in payload.partners
        ],
        budget_lines=[
            LineInput(
                kind=line.kind,
                label=line.label,
                amount_cents=line.amount_cents,
                funder=line.funder,
                status=line.status,
                is_request=line.is_request,
            )
            for line in payload.budget_lines
        ],
        indicators=[IndicatorInput(label=i.label, unit=i.unit, planned=i.planned) for i in payload.indicators],
    )


@router.get("/projects/calls", response=list[CallOut], summary="The published calls for projects (no login)")
def list_calls(request: HttpRequest) -> list[dict[str, Any]]:
    return [_call(call) for call in selectors.calls_for(request.user)]


@router.get("/projects/calls/{slug}", response=CallDetailOut, summary="A call: its text, grid and questions")
def get_call(request: HttpRequest, slug: str) -> dict[str, Any]:
    call = selectors.get_call_for_user(request.user, slug)
    return {
        **_call(call),
        "text": call.text,
        "eligibility": call.eligibility,
        "score_max": call.score_max,
        "criteria": [{"label": c.label, "weight": c.weight, "description": c.description} for c in call.criteria.all()],
        "questions": call.form_fields,
    }


@router.get(
    "/projects/applications",
    auth=django_auth,
    response=list[ApplicationOut],
    summary="The applications your organisations carry",
)
def list_applications(request: HttpRequest) -> list[ApplicationOut]:
    return [_application(a) for a in selectors.my_applications(request.user).prefetch_related("communes")]


@router.post(
    "/projects/applications",
    auth=django_auth,
    response={201: ApplicationOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Start a draft application of one of your organisations to an open call",
)
def start_application(request: HttpRequest, payload: ApplicationStartIn) -> Status[Any]:
    user = request.user
    assert isinstance(user, User)
    call = selectors.get_call_for_user(user, payload.call_slug)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    try:
        if organisation is None:
            raise DomainError(_("Unknown organisation."), field="organisation_id", code="unknown")
        application = services.application_start(actor=user, call=call, organisation=organisation, title=payload.title)
    except DomainError as error:
        return _refused(error)
    return Status(201, _application(application))


@router.get(
    "/projects/applications/{application_id}",
    auth=django_auth,
    response=ApplicationOut,
    summary="An application (its carriers; once submitted, the coordinator and the committee)",
)
def get_application(request: HttpRequest, application_id: int) -> ApplicationOut:
    return _application(selectors.get_application_for_user(request.user, application_id))


@router.put(
    "/projects/applications/{application_id}",
    auth=django_auth,
    response={200: ApplicationOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Save a draft as it is (partners, budget lines and indicators replace the former ones)",
)
def update_application(request: HttpRequest, application_id: int, payload: ApplicationIn) -> Status[Any]:
    user = request.user
    assert isinstance(user, User)
    application = selectors.get_application_for_user(user, application_id)
    try:
        application = services.application_update(actor=user, application=application, draft=_draft(payload))
    except DomainError as error:
        return _refused(error)
    return Status(200, _application(application))


@router.post(
    "/projects/applications/{application_id}/submit",
    auth=django_auth,
    response={200: ApplicationOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Submit a complete, balanced draft while the call is open: it gets its number",
)
def submit_application(request: HttpRequest, application_id: int) -> Status[Any]:
    user = request.user
    assert isinstance(user, User)
    application = selectors.get_application_for_user(user, application_id)
    try:
        application = services.application_submit(actor=user, application=application)
    except DomainError as error:
        return _refused(error)
    return Status(200, _application(application))
