"""Applications to a call for projects: drafted by the people of a member organisation, submitted
while the call is open, withdrawn before the decision, and checked for eligibility by the
coordinator.

A draft keeps incomplete data (a volunteer comes back to it); `missing` says what it still lacks.
Submission refuses an incomplete or unbalanced application (the budget rules are in
`cordee.projects.budget`) and one after the call's closing day; it gives the application its number
AAP-<year>-<call:02>-<seq:03>, allocated under a lock on the call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.core.models import HubRole, User
from cordee.network.models import Commune, Membership, Organisation
from cordee.practices.richtext import clean_html, plain_text
from cordee.projects import budget, phases
from cordee.projects.models import Application, BudgetLine, Call, Indicator, Partner
from cordee.projects.services.calls import MAX_CENTS

RICH_TEXT_MAX_LENGTH = 30_000
MAX_LINES = 40
MAX_PARTNERS = 15
MAX_INDICATORS = 15
MAX_COMMUNES = 200
ANSWER_MAX_LENGTH = 5_000


@dataclass(frozen=True)
class LineInput:
    kind: str  # "expense" | "resource"
    label: str
    amount_cents: int
    funder: str = ""
    status: str = ""  # resources: own | obtained | requested
    is_request: bool = False


@dataclass(frozen=True)
class PartnerInput:
    organisation: Organisation | None = None
    name: str = ""
    role: str = ""


@dataclass(frozen=True)
class IndicatorInput:
    label: str
    planned: int
    unit: str = ""


@dataclass
class Draft:
    """What an application says, as the forms and the API hand it to `application_update`."""

    title: str = ""
    summary: str = ""
    description: str = ""
    communes: Sequence[Commune] = ()
    territory: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    requested_cents: int = 0
    answers: Mapping[str, Any] = field(default_factory=dict)
    partners: Sequence[PartnerInput] = ()
    budget_lines: Sequence[LineInput] = ()
    indicators: Sequence[IndicatorInput] = ()


def call_phase(call: Call, today: dt.date | None = None) -> str:
    return phases.call_phase(
        state=call.state, opens_on=call.opens_on, closes_on=call.closes_on, today=today or timezone.localdate()
    )


def may_apply_with(call: Call, organisation: Organisation) -> bool:
    """Whether the organisation may lead an application to the call (members only: active members)."""
    if not call.members_only:
        return True
    status = Membership.objects.filter(organisation=organisation).values_list("status", flat=True).first()
    return status == Membership.Status.ACTIVE


def applying_organisations(user: User, call: Call) -> list[Organisation]:
    """The user's organisations that may lead an application to the call."""
    actor = permissions.actor_for(user)
    organisations = Organisation.objects.filter(pk__in=list(actor.organisations)).order_by("name")
    return [o for o in organisations if permissions.can_apply_for(user, o.pk) and may_apply_with(call, o)]


def resolve_communes(text: str) -> list[Commune]:
    """Communes named in a comma-separated list (names or INSEE codes), or a clear error naming
    the ones not found or ambiguous."""
    from cordee.lib.text import fold

    names = [" ".join(part.split()) for part in (text or "").replace(";", ",").split(",")]
    found: list[Commune] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for name in (n for n in names if n):
        matches = list(Commune.objects.filter(insee_code=name)) or list(Commune.objects.filter(search_name=fold(name)))
        if not matches:
            unknown.append(name)
        elif len(matches) > 1:
            ambiguous.append(f"{name} ({', '.join(c.insee_code for c in matches)})")
        else:
            found.append(matches[0])
    if unknown:
        raise DomainError(
            _("Unknown communes: %(names)s. Write their names as INSEE does, or their INSEE codes.")
            % {"names": ", ".join(unknown)},
            field="communes",
            code="unknown",
        )
    if ambiguous:
        raise DomainError(
            _("Several communes bear these names; give the INSEE code: %(names)s.") % {"names": "; ".join(ambiguous)},
            field="communes",
            code="ambiguous",
        )
    return list(dict.fromkeys(found))


def _text(value: str, field_name: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise DomainError(
            _("This field must be at most %(max)s characters long.") % {"max": limit}, field=field_name, code="length"
        )
    return value


def _amount(value: Any, field_name: str, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_CENTS:
        raise DomainError(
            _("%(label)s: an amount must be greater than zero.") % {"label": label}, field=field_name, code="amount"
        )
    return value


def _clean_answers(call: Call, answers: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for question in call.form_fields:
        key, kind = question["key"], question.get("kind", "text")
        value = answers.get(key)
        if value in (None, ""):
            continue
        if kind == "number":
            try:
                value = int(str(value).replace(" ", "").replace("\u00a0", ""))
            except ValueError:
                raise DomainError(
                    _("%(question)s: the answer is a whole number.") % {"question": question["label"]},
                    field=f"answers.{key}",
                    code="number",
                ) from None
        elif kind == "yesno":
            value = value in (True, "yes", "oui", "true", "on", "1", 1)
        else:
            value = str(value).strip()
            if len(value) > ANSWER_MAX_LENGTH:
                raise DomainError(
                    _("%(question)s: at most %(max)s characters.")
                    % {"question": question["label"], "max": ANSWER_MAX_LENGTH},
                    field=f"answers.{key}",
                    code="length",
                )
        cleaned[key] = value
    return cleaned


def _clean_lines(lines: Sequence[LineInput]) -> list[LineInput]:
    if len(lines) > MAX_LINES:
        raise DomainError(
            _("A budget has at most %(n)s lines.") % {"n": MAX_LINES}, field="budget_lines", code="too_many"
        )
    cleaned = []
    for index, line in enumerate(lines, start=1):
        if line.kind not in BudgetLine.Kind.values:
            raise DomainError(
                _("Budget line %(n)s: say whether it is an expense or a resource.") % {"n": index},
                field="budget_lines",
                code="kind",
            )
        label = _text(line.label, "budget_lines", 200)
        if not label:
            raise DomainError(
                _("Budget line %(n)s: give it a label.") % {"n": index}, field="budget_lines", code="label"
            )
        amount = _amount(
            line.amount_cents, "budget_lines", _("Budget line %(n)s (%(label)s)") % {"n": index, "label": label}
        )
        status = line.status or ""
        if line.kind == BudgetLine.Kind.EXPENSE:
            if line.is_request:
                raise DomainError(
                    _("The line asked of the hub must be a resource line."), field="budget_lines", code="request_kind"
                )
            status = ""
        elif status not in BudgetLine.Status.values:
            if line.is_request:
                status = BudgetLine.Status.REQUESTED
            else:
                raise DomainError(
                    _("Resource line %(n)s (%(label)s): say whether it is own funds, obtained or requested.")
                    % {"n": index, "label": label},
                    field="budget_lines",
                    code="status",
                )
        cleaned.append(
            LineInput(
                kind=line.kind,
                label=label,
                amount_cents=amount,
                funder=_text(line.funder, "budget_lines", 200),
                status=status,
                is_request=bool(line.is_request),
            )
        )
    if sum(1 for line in cleaned if line.is_request) > 1:
        raise DomainError(_("Only one resource line is asked of the hub."), field="budget_lines", code="request_line")
    return cleaned


def _clean_partners(application: Application, partners: Sequence[PartnerInput]) -> list[PartnerInput]:
    if len(partners) > MAX_PARTNERS:
        raise DomainError(
            _("An application names at most %(n)s partners.") % {"n": MAX_PARTNERS}, field="partners", code="too_many"
        )
    cleaned: list[PartnerInput] = []
    seen: set[int] = set()
    for index, partner in enumerate(partners, start=1):
        name = _text(partner.name, "partners", 200)
        role = _text(partner.role, "partners", 300)
        if partner.organisation is None and not name:
            raise DomainError(
                _("Partner %(n)s: choose an organisation of the directory or write its name.") % {"n": index},
                field="partners",
                code="named",
            )
        if partner.organisation is not None:
            if partner.organisation.pk == application.organisation_id:
                raise DomainError(
                    _("Partner %(n)s: the lead organisation is not its own partner.") % {"n": index},
                    field="partners",
                    code="lead",
                )
            if partner.organisation.pk in seen:
                raise DomainError(
                    _("Partner %(n)s: %(name)s is named twice.") % {"n": index, "name": partner.organisation.name},
                    field="partners",
                    code="twice",
                )
            seen.add(partner.organisation.pk)
            name = ""
        cleaned.append(PartnerInput(organisation=partner.organisation, name=name, role=role))
    return cleaned


def _clean_indicators(indicators: Sequence[IndicatorInput]) -> list[IndicatorInput]:
    if len(indicators) > MAX_INDICATORS:
        raise DomainError(
            _("An application has at most %(n)s indicators.") % {"n": MAX_INDICATORS},
            field="indicators",
            code="too_many",
        )
    cleaned = []
    for index, indicator in enumerate(indicators, start=1):
        label = _text(indicator.label, "indicators", 200)
        if not label:
            raise DomainError(_("Indicator %(n)s: give it a label.") % {"n": index}, field="indicators", code="label")
        planned = indicator.planned
        if not isinstance(planned, int) or isinstance(planned, bool) or not 0 <= planned <= 2_000_000_000:
            raise DomainError(
                _("Indicator %(n)s (%(label)s): the planned figure is a whole number, zero or more.")
                % {"n": index, "label": label},
                field="indicators",
                code="planned",
            )
        cleaned.append(IndicatorInput(label=label, planned=planned, unit=_text(indicator.unit, "indicators", 40)))
    return cleaned


def _clean_draft(application: Application, draft: Draft) -> dict[str, Any]:
    if len(draft.description or "") > RICH_TEXT_MAX_LENGTH:
        raise DomainError(
            _("This field must be at most %(max)s characters long.") % {"max": RICH_TEXT_MAX_LENGTH},
            field="description",
            code="length",
        )
    summary = plain_text(draft.summary or "")
    if len(summary) > 600:
        raise DomainError(
            _("This field must be at most %(max)s characters long.") % {"max": 600}, field="summary", code="length"
        )
    if draft.starts_on and draft.ends_on and draft.ends_on < draft.starts_on:
        raise DomainError(_("The action cannot end before it starts."), field="ends_on", code="before_start")
    requested = draft.requested_cents or 0
    if not isinstance(requested, int) or isinstance(requested, bool) or not 0 <= requested <= MAX_CENTS:
        raise DomainError(_("The amount requested must be an amount in euros."), field="requested", code="amount")
    if len(draft.communes) > MAX_COMMUNES:
        raise DomainError(_("Too many communes."), field="communes", code="too_many")
    return {
        "title": _text(draft.title, "title", 200),
        "summary": summary,
        "description": clean_html(draft.description or ""),
        "territory": _text(draft.territory, "territory", 300),
        "starts_on": draft.starts_on,
        "ends_on": draft.ends_on,
        "requested_cents": requested,
        "answers": _clean_answers(application.call, draft.answers or {}),
        "communes": list(draft.communes),
        "partners": _clean_partners(application, draft.partners or ()),
        "budget_lines": _clean_lines(draft.budget_lines or ()),
        "indicators": _clean_indicators(draft.indicators or ()),
    }


def budget_lines_of(application: Application) -> list[budget.Line]:
    return [
        budget.Line(kind=line.kind, label=line.label, amount_cents=line.amount_cents, is_request=line.is_request)
        for line in application.budget_lines.all()
    ]


def missing(application: Application) -> list[budget.Problem]:
    """What the application lacks before it can be submitted (an empty list: it is complete)."""
    problems: list[budget.Problem] = []

    def lack(field_name: str, message: str) -> None:
        problems.append(budget.Problem(field_name, "required", message))

    if not application.title.strip():
        lack("title", _("Give the action a title."))
    if not application.summary.strip():
        lack("summary", _("Sum the action up in a few sentences."))
    if not plain_text(application.description):
        lack("description", _("Describe the action."))
    if not application.territory.strip() and not application.communes.exists():
        lack("communes", _("Say where the action takes place: communes concerned or territory."))
    if application.starts_on is None:
        lack("starts_on", _("Give the day the action starts."))
    if application.ends_on is None:
        lack("ends_on", _("Give the day the action ends."))
    if not application.indicators.exists():
        lack("indicators", _("Give at least one expected indicator."))
    for question in application.call.form_fields:
        if question.get("required") and application.answers.get(question["key"]) in (None, ""):
            lack(f"answers.{question['key']}", _("Answer the question: %(q)s") % {"q": question["label"]})
    problems.extend(
        budget.check_budget(
            budget_lines_of(application),
            requested_cents=application.requested_cents,
            max_request_cents=application.call.max_request_cents,
            max_share_percent=application.call.max_share_percent,
        )
    )
    return problems


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)


def _refuse_if_call_closed(call: Call, today: dt.date) -> None:
    phase = call_phase(call, today)
    if phase == phases.OPEN:
        return
    if phase == phases.ANNOUNCED:
        raise DomainError(
            _("The call opens on %(day)s: applications are submitted from that day.")
            % {"day": formats.date_format(call.opens_on, "SHORT_DATE_FORMAT")},
            code="call_not_open",
        )
    raise DomainError(
        _("The call closed on %(day)s: applications are no longer accepted.")
        % {"day": formats.date_format(call.closes_on, "SHORT_DATE_FORMAT")},
        code="call_closed",
    )


@transaction.atomic(durable=True)
def application_start(
    *, actor: User, call: Call, organisation: Organisation, title: str = "", today: dt.date | None = None
) -> Application:
    """A draft application of the organisation to an open call, with the actor as contact."""
    if not permissions.can_see_call(actor, call) or call.state != Call.State.PUBLISHED:
        raise DomainError(_("This call is not published."), code="call_not_published")
    if not permissions.can_apply_for(actor, organisation.pk):
        raise NotAllowed(_("You can apply only in the name of your own organisations."))
    if not may_apply_with(call, organisation):
        raise DomainError(
            _("This call is open to active member organisations only: %(name)s is not one.")
            % {"name": organisation.name},
            field="organisation",
            code="not_member",
        )
    _refuse_if_call_closed(call, today or timezone.localdate())
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        contact=actor,
        title=_text(title, "title", 200),
        summary="",
        description="",
        status=Application.Status.DRAFT,
    )
    audit(actor=actor, action="projects.application.start", target=application, call=call.slug)
    return application


def _write_children(application: Application, values: Mapping[str, Any]) -> None:
    application.communes.set(values["communes"])
    application.partners.all().delete()
    Partner.objects.bulk_create(
        Partner(application=application, organisation=p.organisation, name=p.name, role=p.role)
        for p in values["partners"]
    )
    application.budget_lines.all().delete()
    positions = {"expense": 0, "resource": 0}
    rows = []
    for line in values["budget_lines"]:
        rows.append(
            BudgetLine(
                application=application,
                kind=line.kind,
                position=positions[line.kind],
                label=line.label,
                amount_cents=line.amount_cents,
                funder=line.funder,
                status=line.status,
                is_request=line.is_request,
            )
        )
        positions[line.kind] += 1
    BudgetLine.objects.bulk_create(rows)
    application.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(application=application, position=i, label=ind.label, unit=ind.unit, planned=ind.planned)
        for i, ind in enumerate(values["indicators"])
    )


@transaction.atomic(durable=True)
def application_update(*, actor: User, application: Application, draft: Draft) -> Application:
    """Save a draft as it is, complete or not (the partners, budget lines and indicators given
    replace the former ones). Only malformed data is refused."""
    application = _locked(application)
    if not permissions.can_edit_application(actor, application):
        raise NotAllowed(_("Only the lead organisation's people change an application, while it is a draft."))
    values = _clean_draft(application, draft)
    for name in ("title", "summary", "description", "territory", "starts_on", "ends_on", "requested_cents", "answers"):
        setattr(application, name, values[name])
    application.save()
    _write_children(application, values)
    audit(actor=actor, action="projects.application.update", target=application)
    return application


def _next_number(call: Call) -> str:
    start = f"AAP-{call.opens_on.year}-{call.pk:02d}-"
    numbers = Application.objects.filter(call=call, number__startswith=start).values_list("number", flat=True)
    last = max((int(n.rsplit("-", 1)[1]) for n in numbers if n.rsplit("-", 1)[1].isdigit()), default=0)
    return f"{start}{last + 1:03d}"


def coordinator_emails() -> list[str]:
    return list(
        User.objects.filter(hub_roles__role=HubRole.Role.COORDINATOR, is_active=True)
        .values_list("email", flat=True)
        .distinct()
    )


def admin_emails(organisation_id: int) -> list[str]:
    return list(
        User.objects.filter(
            affiliations__organisation_id=organisation_id, affiliations__role="admin", is_active=True
        ).values_list("email", flat=True)
    )


@transaction.atomic(durable=True)
def application_submit(*, actor: User, application: Application, today: dt.date | None = None) -> Application:
    """Submit a complete, balanced draft while the call is open; it gets its number."""
    application = _locked(application)
    if not permissions.can_edit_application(actor, application):
        raise NotAllowed(_("Only the lead organisation's people submit an application, while it is a draft."))
    _refuse_if_call_closed(application.call, today or timezone.localdate())
    problems = missing(application)
    if problems:
        raise DomainError(" ".join(p.message for p in problems), field=problems[0].field, code=problems[0].code)
    # The call's row orders the numbering of its applications.
    call = Call.objects.select_for_update().get(pk=application.call_id)
    application.number = _next_number(call)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["number", "status", "submitted_at", "updated_at"])
    audit(actor=actor, action="projects.application.submit", target=application, number=application.number)
    context = {"application": application, "call": call}
    email_after_commit(
        to=coordinator_emails(), template="projects/application_email_submitted_coordinator", context=context
    )
    email_after_commit(
        to=admin_emails(application.organisation_id), template="projects/application_email_submitted", context=context
    )
    return application


WITHDRAWABLE = (Application.Status.DRAFT, Application.Status.SUBMITTED, Application.Status.ELIGIBLE)


@transaction.atomic(durable=True)
def application_withdraw(*, actor: User, application: Application) -> Application:
    """The lead organisation's people withdraw the application, before the committee's decision."""
    application = _locked(application)
    if not permissions.actor_for(actor).belongs_to(application.organisation_id):
        raise NotAllowed(_("Only the lead organisation's people withdraw an application."))
    if application.status not in WITHDRAWABLE or application.decision_id is not None:
        raise DomainError(
            _("This application can no longer be withdrawn: it is %(status)s.")
            % {"status": application.get_status_display()},
            code="state",
        )
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="projects.application.withdraw", target=application)
    return application


@transaction.atomic(durable=True)
def application_check_eligibility(
    *, actor: User, application: Application, eligible: bool, note: str = ""
) -> Application:
    """The coordinator declares a submitted application eligible (it goes to the committee) or not
    eligible (a note says why); the applicant is told."""
    application = _locked(application)
    if not permissions.can_check_eligibility(actor, application):
        raise NotAllowed(_("Only the coordinator checks eligibility."))
    if application.status != Application.Status.SUBMITTED:
        raise DomainError(
            _("Only a submitted application is checked; this one is %(status)s.")
            % {"status": application.get_status_display()},
            code="state",
        )
    note = (note or "").strip()
    if len(note) > 3000:
        raise DomainError(
            _("This field must be at most %(max)s characters long.") % {"max": 3000}, field="note", code="length"
        )
    if not eligible and not note:
        raise DomainError(
            _("Say why the application is not eligible: the applicant will read it."), field="note", code="required"
        )
    application.status = Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
    application.eligibility_note = note
    application.checked_by = actor
    application.checked_at = timezone.now()
    application.save(update_fields=["status", "eligibility_note", "checked_by", "checked_at", "updated_at"])
    audit(actor=actor, action="projects.application.eligibility", target=application, eligible=eligible)
    recipients = list(dict.fromkeys([application.contact.email, *admin_emails(application.organisation_id)]))
    email_after_commit(
        to=recipients,
        template="projects/application_email_eligibility",
        context={"application": application, "call": application.call, "eligible": eligible},
    )
    return application
