"""A funded action's life: milestones and tranches, the agreement signed, tranches paid from the
fund (and corrected), progress, reports and indicators, closing; and the fund's grants received.

The coordinator sets the milestones, each with the tranche paid when it is reached: the tranches
add up to the amount granted. Signing the agreement commits the grant in the ledger (see
`cordee.projects.books`); the treasurer pays the tranches from the fund, which cannot pay more than
it holds nor more than is left of the grant. A tranche paid in error is corrected by a reversal,
never changed. The lead organisation's people report progress, reach indicators and upload reports.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.core.money import format_cents
from cordee.practices.files import check_upload, extension_of
from cordee.projects import books
from cordee.projects.models import Action, Disbursement, Indicator, Milestone, Report

MAX_NOTE = 2000


def _lock(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("application", "application__organisation")
        .get(pk=action.pk)
    )


def _positive(amount: Any, field: str = "amount_cents") -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field=field, code="amount_not_positive")
    return amount


def paid_cents(action: Action, milestone: Milestone | None = None) -> int:
    """What was paid net of corrections, on the action or on one of its milestones."""
    rows = Disbursement.objects.filter(action=action)
    if milestone is not None:
        rows = rows.filter(milestone=milestone)
    return int(rows.aggregate(total=Sum("amount_cents"))["total"] or 0)


# --- Milestones --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneIn:
    title: str
    due_on: dt.date
    tranche_cents: int
    id: int | None = None  # an existing milestone of the action, kept with its progress


@transaction.atomic(durable=True)
def milestones_set(*, actor: User, action: Action, milestones: Sequence[MilestoneIn]) -> list[Milestone]:
    """The coordinator sets the action's milestones and tranches; the tranches add up to the grant.
    A milestone a tranche was paid on stays, with a tranche no smaller than what was paid on it."""
    action = _lock(action)
    if not permissions.can_manage_action(actor, action):
        raise NotAllowed(_("Only the coordinator sets an action's milestones."))
    if action.status not in (Action.Status.AGREEMENT, Action.Status.IN_PROGRESS):
        raise DomainError(_("This action is closed."), field="status", code="state")
    if not milestones:
        raise DomainError(_("Set at least one milestone."), field="milestones", code="required")
    existing = {m.pk: m for m in action.milestones.all()}
    for index, row in enumerate(milestones, start=1):
        if not row.title.strip():
            raise DomainError(
                _("Milestone %(n)d: give it a title.") % {"n": index}, field="milestones", code="required"
            )
        if not isinstance(row.tranche_cents, int) or row.tranche_cents < 0:
            raise DomainError(
                _("Milestone %(n)d: the tranche cannot be negative.") % {"n": index}, field="milestones", code="amount"
            )
        if row.id is not None and row.id not in existing:
            raise DomainError(_("This milestone is not the action's."), field="milestones", code="unknown")
    total = sum(row.tranche_cents for row in milestones)
    if total != action.granted_cents:
        raise DomainError(
            _("The tranches add up to %(total)s; they must add up to the %(granted)s granted.")
            % {"total": format_cents(total), "granted": format_cents(action.granted_cents)},
            field="milestones",
            code="tranches_total",
        )
    kept = {row.id for row in milestones if row.id is not None}
    for pk, milestone in existing.items():
        paid = paid_cents(action, milestone)
        kept_row = next((r for r in milestones if r.id == pk), None)
        if paid and kept_row is None:
            raise DomainError(
                _("A tranche was paid on “%(title)s”: it cannot be removed.") % {"title": milestone.title},
                field="milestones",
                code="paid",
            )
        if kept_row is not None and kept_row.tranche_cents < paid:
            raise DomainError(
                _("%(paid)s were already paid on “%(title)s”: its tranche cannot be smaller.")
                % {"paid": format_cents(paid), "title": milestone.title},
                field="milestones",
                code="paid",
            )
    Milestone.objects.filter(action=action).exclude(pk__in=kept).delete()
    saved: list[Milestone] = []
    for position, row in enumerate(milestones, start=1):
        found = existing.get(row.id) if row.id is not None else None
        step = found if found is not None else Milestone(action=action)
        step.position = position
        step.title = row.title.strip()[:200]
        step.due_on = row.due_on
        step.tranche_cents = row.tranche_cents
        step.save()
        saved.append(step)
    audit(
        actor=actor,
        action="projects.action.milestones",
        target=action,
        milestones=[[m.title, m.due_on.isoformat(), m.tranche_cents] for m in saved],
    )
    return saved


@transaction.atomic(durable=True)
def milestone_progress(*, actor: User, milestone: Milestone, progress: Any, note: str = "") -> Milestone:
    """The lead organisation's people (or the coordinator) say how far a milestone is, 0 to 100 %."""
    action = _lock(Action(pk=milestone.action_id))
    milestone = Milestone.objects.select_for_update(of=("self",)).get(pk=milestone.pk)
    if not permissions.can_report_on(actor, action):
        raise NotAllowed(_("Only the people of the organisation carrying the action report its progress."))
    if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
        raise DomainError(_("The progress is a percentage, from 0 to 100."), field="progress", code="progress_range")
    if len(note) > MAX_NOTE:
        raise DomainError(_("Keep the note under %(n)d characters.") % {"n": MAX_NOTE}, field="note", code="too_long")
    previous = milestone.progress
    milestone.progress = progress
    milestone.note = note.strip()
    milestone.save(update_fields=["progress", "note", "updated_at"])
    audit(actor=actor, action="projects.milestone.progress", target=milestone, progress=progress, previous=previous)
    return milestone


# --- The agreement and the money ---------------------------------------------------------------


@transaction.atomic(durable=True)
def action_sign(*, actor: User, action: Action, signed_on: dt.date, signed_by: str) -> Action:
    """The coordinator records the agreement signed by the member: the action starts and the grant
    is committed in the ledger."""
    action = _lock(action)
    if not permissions.can_manage_action(actor, action):
        raise NotAllowed(_("Only the coordinator records the signature of an agreement."))
    if action.status != Action.Status.AGREEMENT:
        raise DomainError(_("This agreement is already signed."), field="status", code="state")
    if not signed_by.strip():
        raise DomainError(_("Name the person who signed for the member."), field="signed_by", code="required")
    if signed_on > timezone.localdate():
        raise DomainError(_("The signature date cannot be in the future."), field="signed_on", code="future")
    tranches = int(action.milestones.aggregate(total=Sum("tranche_cents"))["total"] or 0)
    if tranches != action.granted_cents:
        raise DomainError(
            _("Set the milestones first: their tranches add up to %(total)s, not the %(granted)s granted.")
            % {"total": format_cents(tranches), "granted": format_cents(action.granted_cents)},
            field="milestones",
            code="tranches_total",
        )
    organisation = action.application.organisation
    books.post(
        id=books.transfer_id("action", action.pk, "commit"),
        debit=books.hub_account(books.AID),
        credit=books.member_account(organisation),
        amount=action.granted_cents,
        code="projects.commit",
        label=f"Convention {action.number} — aide accordée à {organisation.name}",
        reference=f"action:{action.pk}",
        piece=action.number,
        value_date=signed_on,
    )
    action.status = Action.Status.IN_PROGRESS
    action.signed_on = signed_on
    action.signed_by = signed_by.strip()[:150]
    action.save(update_fields=["status", "signed_on", "signed_by"])
    audit(actor=actor, action="projects.action.sign", target=action, signed_on=signed_on.isoformat())
    return action


@transaction.atomic(durable=True)
def disbursement_create(
    *,
    actor: User,
    action: Action,
    milestone: Milestone,
    amount_cents: int,
    paid_on: dt.date | None = None,
    reference: str = "",
) -> Disbursement:
    """The treasurer pays a tranche (or part of it) tied to a milestone, from the fund."""
    if not permissions.can_disburse(actor):
        raise NotAllowed(_("Only the treasurer pays the tranches."))
    action = _lock(action)
    _positive(amount_cents)
    paid_on = paid_on or timezone.localdate()
    if action.status != Action.Status.IN_PROGRESS:
        raise DomainError(
            _("Tranches are paid once the agreement is signed and until the action closes."),
            field="status",
            code="state",
        )
    if milestone.action_id != action.pk:
        raise DomainError(_("This milestone is not the action's."), field="milestone", code="unknown")
    if paid_on > timezone.localdate():
        raise DomainError(_("The payment date cannot be in the future."), field="paid_on", code="future")
    if action.signed_on and paid_on < action.signed_on:
        raise DomainError(
            _("The payment date cannot be before the agreement was signed (%(day)s).")
            % {"day": action.signed_on.strftime("%d/%m/%Y")},
            field="paid_on",
            code="before_signature",
        )
    left = action.granted_cents - paid_cents(action)
    if amount_cents > left:
        raise DomainError(
            _("Only %(left)s are left to pay of the %(granted)s granted.")
            % {"left": format_cents(left), "granted": format_cents(action.granted_cents)},
            field="amount_cents",
            code="beyond_grant",
        )
    tranche_left = milestone.tranche_cents - paid_cents(action, milestone)
    if amount_cents > tranche_left:
        raise DomainError(
            _("Only %(left)s are left to pay of the tranche of “%(title)s”.")
            % {"left": format_cents(tranche_left), "title": milestone.title},
            field="amount_cents",
            code="beyond_tranche",
        )
    disbursement = Disbursement.objects.create(
        action=action,
        milestone=milestone,
        amount_cents=amount_cents,
        paid_on=paid_on,
        reference=reference.strip()[:100],
        created_by=actor,
    )
    organisation = action.application.organisation
    books.post(
        id=books.transfer_id("disbursement", disbursement.pk, "pay"),
        debit=books.member_account(organisation),
        credit=books.bank(),
        amount=amount_cents,
        code="projects.disburse",
        label=f"Convention {action.number} — versement « {milestone.title} »",
        reference=f"disbursement:{disbursement.pk}",
        piece=action.number,
        value_date=paid_on,
    )
    audit(
        actor=actor,
        action="projects.disbursement.create",
        target=disbursement,
        action_number=action.number,
        amount_cents=amount_cents,
    )
    return disbursement


@transaction.atomic(durable=True)
def disbursement_reverse(*, actor: User, disbursement: Disbursement, reason: str) -> Disbursement:
    """The treasurer corrects a tranche paid in error: a reversal row, reversed in the ledger."""
    if not permissions.can_disburse(actor):
        raise NotAllowed(_("Only the treasurer corrects the tranches."))
    if not reason.strip():
        raise DomainError(_("Say why the payment is corrected."), field="reason", code="required")
    action = _lock(Action(pk=disbursement.action_id))
    original = Disbursement.objects.select_for_update(of=("self",)).get(pk=disbursement.pk)
    if action.status != Action.Status.IN_PROGRESS:
        raise DomainError(_("The action is closed: its payments can no longer change."), field="status", code="state")
    if original.reverses_id is not None:
        raise DomainError(_("A correction cannot itself be corrected."), field="disbursement", code="reversal")
    if Disbursement.objects.filter(reverses=original).exists():
        raise DomainError(_("This payment is already corrected."), field="disbursement", code="already_reversed")
    today = timezone.localdate()
    reversal = Disbursement.objects.create(
        action=action,
        milestone_id=original.milestone_id,
        amount_cents=-original.amount_cents,
        paid_on=max(today, original.paid_on),
        reference=reason.strip()[:100],
        reverses=original,
        created_by=actor,
    )
    organisation = action.application.organisation
    books.post(
        id=books.transfer_id("disbursement", original.pk, "reverse"),
        debit=books.bank(),
        credit=books.member_account(organisation),
        amount=original.amount_cents,
        code="projects.disburse.reverse",
        label=f"Convention {action.number} — correction d'un versement",
        reference=f"disbursement:{reversal.pk}",
        piece=action.number,
        value_date=reversal.paid_on,
    )
    audit(
        actor=actor,
        action="projects.disbursement.reverse",
        target=reversal,
        reverses=original.pk,
        amount_cents=reversal.amount_cents,
        reason=reason.strip(),
    )
    return reversal


def _endowment_key(*, funder: str, reference: str, received_on: dt.date, amount_cents: int) -> str:
    return f"{received_on.isoformat()}|{funder.strip().lower()}|{reference.strip().lower()}|{amount_cents}"


@transaction.atomic(durable=True)
def fund_endow(
    *, actor: User, amount_cents: int, funder: str, reference: str, received_on: dt.date | None = None
) -> None:
    """The coordinator or the treasurer records a grant received for the fund (the State's, the
    Region's). The same grant recorded twice (same day, funder, reference and amount) is posted once."""
    if not (permissions.can_manage_calls(actor) or permissions.can_disburse(actor)):
        raise NotAllowed(_("Only the coordinator and the treasurer record the fund's resources."))
    _positive(amount_cents)
    if not funder.strip():
        raise DomainError(_("Name the funder."), field="funder", code="required")
    if not reference.strip():
        raise DomainError(
            _("Give the reference of the grant (its decision or payment)."), field="reference", code="required"
        )
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="received_on", code="future")
    key = _endowment_key(funder=funder, reference=reference, received_on=received_on, amount_cents=amount_cents)
    bank = books.bank()
    books.post(
        id=books.transfer_id("fund", key, "endow"),
        debit=bank,
        credit=books.hub_account(books.GRANTS),
        amount=amount_cents,
        code="projects.fund.endow",
        label=f"Subvention reçue — {funder.strip()}"[:200],
        reference=reference.strip()[:100],
        piece=reference.strip()[:40],
        value_date=received_on,
    )
    audit(
        actor=actor,
        action="projects.fund.endow",
        target=bank,
        amount_cents=amount_cents,
        funder=funder.strip(),
        reference=reference.strip(),
    )


# --- Reports, indicators, closing --------------------------------------------------------------


@transaction.atomic(durable=True)
def report_upload(*, actor: User, action: Action, kind: str, title: str, file: Any, note: str = "") -> Report:
    """The lead organisation's people file a report (interim, final, financial) or another document."""
    action = _lock(action)
    if not permissions.can_report_on(actor, action):
        raise NotAllowed(_("Only the people of the organisation carrying the action file its reports."))
    if kind not in Report.Kind.values:
        raise DomainError(_("Choose the kind of report."), field="kind", code="invalid_choice")
    if not title.strip():
        raise DomainError(_("Give the report a title."), field="title", code="required")
    content_type, size = check_upload(file)
    name = (getattr(file, "name", "") or "rapport").rsplit("/", 1)[-1][:200]
    report = Report(
        action=action,
        kind=kind,
        title=title.strip()[:200],
        original_name=name,
        content_type=content_type,
        size=size,
        note=note.strip()[:MAX_NOTE],
        uploaded_by=actor,
    )
    # The site serves MEDIA_ROOT as it is: the stored name is random, never the one uploaded, and the
    # file is only ever linked through the permission-checked download view.
    report.file.save(f"{uuid.uuid4().hex}.{extension_of(name)}", file, save=False)
    report.save()
    audit(actor=actor, action="projects.report.upload", target=report, kind=kind, size=size)
    return report


@transaction.atomic(durable=True)
def indicator_reach(*, actor: User, indicator: Indicator, reached: Any, note: str = "") -> Indicator:
    """The lead organisation's people say how much of an indicator is reached so far."""
    indicator = Indicator.objects.select_for_update(of=("self",)).get(pk=indicator.pk)
    action = Action.objects.filter(application_id=indicator.application_id).first()
    if action is None:
        raise DomainError(_("This application has no funded action."), field="indicator", code="no_action")
    action = _lock(action)
    if not permissions.can_report_on(actor, action):
        raise NotAllowed(_("Only the people of the organisation carrying the action report its indicators."))
    if not isinstance(reached, int) or isinstance(reached, bool) or reached < 0:
        raise DomainError(_("Give a whole number, zero or more."), field="reached", code="invalid")
    previous = indicator.reached
    indicator.reached = reached
    indicator.reached_note = note.strip()[:300]
    indicator.save(update_fields=["reached", "reached_note", "updated_at"])
    audit(actor=actor, action="projects.indicator.reach", target=indicator, reached=reached, previous=previous)
    return indicator


@transaction.atomic(durable=True)
def action_close(*, actor: User, action: Action, status: str) -> Action:
    """The coordinator closes the action, completed or abandoned. What is left unpaid of a committed
    grant is released in the ledger."""
    action = _lock(action)
    if not permissions.can_manage_action(actor, action):
        raise NotAllowed(_("Only the coordinator closes an action."))
    if status not in (Action.Status.COMPLETED, Action.Status.ABANDONED):
        raise DomainError(_("Close the action as completed or abandoned."), field="status", code="invalid_choice")
    if action.status not in (Action.Status.AGREEMENT, Action.Status.IN_PROGRESS):
        raise DomainError(_("This action is already closed."), field="status", code="state")
    if action.status == Action.Status.AGREEMENT and status == Action.Status.COMPLETED:
        raise DomainError(
            _("An action whose agreement was never signed can only be abandoned."), field="status", code="state"
        )
    left = action.granted_cents - paid_cents(action)
    if action.signed_on is not None and left > 0:
        organisation = action.application.organisation
        books.post(
            id=books.transfer_id("action", action.pk, "release"),
            debit=books.member_account(organisation),
            credit=books.hub_account(books.AID),
            amount=left,
            code="projects.release",
            label=f"Convention {action.number} — solde non versé libéré",
            reference=f"action:{action.pk}",
            piece=action.number,
            value_date=timezone.localdate(),
        )
    action.status = status
    action.closed_at = timezone.now()
    action.save(update_fields=["status", "closed_at"])
    audit(actor=actor, action="projects.action.close", target=action, status=status, released_cents=max(left, 0))
    return action


@transaction.atomic(durable=True)
def action_set_public(*, actor: User, action: Action, public: bool) -> Action:
    action = _lock(action)
    if not permissions.can_manage_action(actor, action):
        raise NotAllowed(_("Only the coordinator chooses what the public page shows."))
    action.public = bool(public)
    action.save(update_fields=["public"])
    audit(actor=actor, action="projects.action.public", target=action, public=action.public)
    return action
