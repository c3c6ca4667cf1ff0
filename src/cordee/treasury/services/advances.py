"""An advance's life: requested, decided by the credit committee, reserved, disbursed, rescheduled,
written off.

The committee's vote lives in `governance`: a request opens a decision of the committee set in the
treasury settings, concerning the applicant (so its people sitting on the committee are recused).
Closing it here applies the outcome: an approval reserves the granted amount in the ledger as a
pending transfer that lapses after the validity set; disbursement posts it and draws up the first
schedule; refusal or lapse voids it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError
from cordee.core.mail import email_after_commit
from cordee.core.models import User
from cordee.core.money import format_cents
from cordee.governance import services as governance
from cordee.governance.models import Decision
from cordee.lib import schedules
from cordee.network.models import Organisation
from cordee.treasury import books, selectors
from cordee.treasury.models import Advance, AdvanceAttachment, Charge, Instalment, RepaymentMode, Schedule
from cordee.treasury.positions import current_schedule, position, provision_booked
from cordee.treasury.regimes import Rules, max_rate_bps
from cordee.treasury.services.common import admin_emails, next_reference, positive_amount, regime, require


def _check_not_back_dated(advance: Advance, on: dt.date) -> None:
    """A write-off or a rescheduling is dated today or in the past, after the last repayment and
    the last schedule: what is left is read on that day."""
    if on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="on")
    latest = advance.repayments.order_by("-received_on").values_list("received_on", flat=True).first()
    schedule_start = advance.schedules.order_by("-version").values_list("effective_from", flat=True).first()
    for boundary in (latest, schedule_start):
        if boundary is not None and on < boundary:
            raise DomainError(
                _("This advance already has a repayment or a schedule dated %(date)s: date it on or after.")
                % {"date": boundary.strftime("%d/%m/%Y")},
                field="on",
                code="back_dated",
            )


def _check_terms(*, rules: Rules, cap_bps: int, term_months: int, rate_bps: int, field: str = "term_months") -> None:
    if not 1 <= term_months <= rules.max_term_months:
        raise DomainError(
            _("The term must be between 1 and %(max)s months (%(citation)s).")
            % {"max": rules.max_term_months, "citation": rules.citation},
            field=field,
            code="regime",
        )
    top = max_rate_bps(rules, cap_bps)
    if not 0 <= rate_bps <= top:
        raise DomainError(
            _("The rate must be between 0 and %(cap)s basis points (%(citation)s).")
            % {"cap": top, "citation": rules.citation},
            field="rate_bps",
            code="regime",
        )


def _check_exposure(organisation: Organisation, amount_cents: int, cap_cents: int) -> None:
    """What a member owes and has been promised stays under the cap the hub set."""
    exposure = selectors.exposure_cents(organisation.pk) + amount_cents
    if exposure > cap_cents:
        raise DomainError(
            _("With this advance, %(name)s would owe %(exposure)s, beyond the cap of %(cap)s per member.")
            % {"name": organisation.name, "exposure": format_cents(exposure), "cap": format_cents(cap_cents)},
            field="amount_cents",
            code="exposure_cap",
        )


def _check_borrower(organisation: Organisation, rules: Rules) -> None:
    if organisation.family not in rules.borrower_families:
        raise DomainError(
            _("Under %(citation)s, a %(family)s cannot borrow from the pool.")
            % {"citation": rules.citation, "family": organisation.get_family_display()},
            field="organisation",
            code="regime",
        )
    membership = getattr(organisation, "membership", None)
    if membership is None or membership.status != "active":
        raise DomainError(_("Only an active member can request an advance."), field="organisation", code="membership")


@transaction.atomic(durable=True)
def advance_request(
    *,
    actor: User,
    organisation: Organisation,
    amount_cents: int,
    purpose: str,
    source: str,
    term_months: int,
    mode: str,
    grace_months: int = 0,
    funder: str = "",
    notified_amount_cents: int | None = None,
    funder_decision_on: dt.date | None = None,
    expected_payment_on: dt.date | None = None,
    notification: Any = None,
    attachments: Iterable[tuple[str, Any]] = (),
) -> Advance:
    """A member admin asks for an advance; the credit committee is seized at once."""
    require(permissions.can_act_for_treasury_of(actor, organisation.pk))
    settings_row, rules = regime()
    positive_amount(amount_cents)
    _check_borrower(organisation, rules)
    _check_exposure(organisation, amount_cents, settings_row.member_exposure_cap_cents)
    if not purpose.strip():
        raise DomainError(_("Say what the advance is for."), field="purpose")
    if source not in Advance.Source.values:
        raise DomainError(_("Choose the source of repayment."), field="source")
    if mode not in RepaymentMode.values:
        raise DomainError(_("Choose how the advance is repaid."), field="mode")
    _check_terms(rules=rules, cap_bps=settings_row.rate_cap_bps, term_months=term_months, rate_bps=0)
    if not 0 <= grace_months < term_months or (mode == RepaymentMode.BULLET and grace_months):
        raise DomainError(
            _("The grace must be shorter than the term, and none for a repayment in one payment."),
            field="grace_months",
        )
    today = timezone.localdate()
    if source == Advance.Source.SUBSIDY:
        if not funder.strip():
            raise DomainError(_("Name the funder of the subsidy."), field="funder")
        if not notified_amount_cents or notified_amount_cents <= 0:
            raise DomainError(_("Give the amount notified by the funder."), field="notified_amount_cents")
        if amount_cents > notified_amount_cents:
            raise DomainError(
                _("The advance cannot exceed the subsidy that repays it (%(amount)s).")
                % {"amount": format_cents(notified_amount_cents)},
                field="amount_cents",
            )
        if expected_payment_on is None or expected_payment_on <= today:
            raise DomainError(
                _("Give the expected payment date of the subsidy, in the future."), field="expected_payment_on"
            )
        if mode == RepaymentMode.BULLET and expected_payment_on > today + relativedelta(months=rules.max_term_months):
            # The advance is repaid when the subsidy comes: that day must be within the regime's term.
            raise DomainError(
                _("Repaid when the subsidy comes, the advance would last beyond the %(max)s months of %(citation)s.")
                % {"max": rules.max_term_months, "citation": rules.citation},
                field="expected_payment_on",
                code="regime",
            )
        if funder_decision_on is not None and funder_decision_on > today:
            raise DomainError(_("The funder's decision date cannot be in the future."), field="funder_decision_on")
    committee = settings_row.committee
    if committee is None:
        raise DomainError(
            _("The hub has not set its credit committee yet; the coordinator sets it in the treasury settings."),
            code="no_committee",
        )
    advance = Advance.objects.create(
        reference=next_reference(Advance, "AV", today),
        organisation=organisation,
        amount_requested_cents=amount_cents,
        purpose=purpose.strip(),
        source=source,
        funder=funder.strip(),
        notified_amount_cents=notified_amount_cents,
        funder_decision_on=funder_decision_on,
        expected_payment_on=expected_payment_on,
        notification=notification or "",
        term_months=term_months,
        mode=mode,
        grace_months=grace_months,
        rate_bps=settings_row.default_rate_bps
        if settings_row.default_rate_bps <= max_rate_bps(rules, settings_row.rate_cap_bps)
        else 0,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    for label, file in attachments:
        AdvanceAttachment.objects.create(advance=advance, label=label[:120] or file.name[:120], file=file)
    with translation.override(settings.LANGUAGE_CODE):  # stored, and printed on the minute: in French
        title = _("Advance %(reference)s: %(amount)s to %(name)s") % {
            "reference": advance.reference,
            "amount": format_cents(amount_cents),
            "name": organisation.name,
        }
    advance.decision = governance.decision_open(
        actor=actor,
        body=committee,
        title=title,
        text=advance.purpose,
        subject=advance,
        concerned=[organisation],
        check_permission=False,
    )
    advance.save(update_fields=["decision"])
    audit(actor=actor, action="treasury.advance.request", target=advance, amount_cents=amount_cents)
    return advance


@transaction.atomic(durable=True)
def advance_cancel(*, actor: User, advance: Advance) -> Advance:
    """The applicant withdraws its request before the decision."""
    advance = Advance.objects.select_for_update(of=("self",)).select_related("decision").get(pk=advance.pk)
    require(permissions.can_act_for_treasury_of(actor, advance.organisation_id))
    if advance.status != Advance.Status.REQUESTED:
        raise DomainError(_("Only a request not yet decided can be withdrawn."), field="status", code="state")
    if advance.decision is not None and advance.decision.status == Decision.Status.OPEN:
        governance.decision_cancel(
            actor=actor, decision=advance.decision, reasons=_("Withdrawn by the applicant."), check_permission=False
        )
    advance.status = Advance.Status.CANCELLED
    advance.save(update_fields=["status"])
    audit(actor=actor, action="treasury.advance.cancel", target=advance)
    return advance


@transaction.atomic(durable=True)
def advance_decide(
    *,
    actor: User,
    advance: Advance,
    amount_cents: int | None = None,
    rate_bps: int | None = None,
    conditions: str = "",
    reasons: str = "",
) -> Advance:
    """Close the committee's vote and apply it. An approval may grant less than asked, at a rate
    within the regime, and reserves the cash in the ledger: if the pool cannot hold it, nothing is
    recorded and the vote stays open."""
    require(permissions.can_see_pool(actor))
    advance = (
        Advance.objects.select_for_update(of=("self",)).select_related("organisation", "decision").get(pk=advance.pk)
    )
    if advance.status != Advance.Status.REQUESTED or advance.decision is None:
        raise DomainError(_("This advance is not waiting for a decision."), field="status", code="state")
    settings_row, rules = regime()
    granted = advance.amount_requested_cents if amount_cents is None else amount_cents
    rate = advance.rate_bps if rate_bps is None else rate_bps
    positive_amount(granted)
    if granted > advance.amount_requested_cents:
        raise DomainError(_("The committee cannot grant more than was requested."), field="amount_cents")
    decision = governance.decision_close(
        actor=actor, decision=advance.decision, reasons=reasons, conditions=conditions, check_permission=False
    )
    today = timezone.localdate()
    if decision.outcome == Decision.Outcome.APPROVED:
        _check_borrower(advance.organisation, rules)
        _check_exposure(advance.organisation, granted, settings_row.member_exposure_cap_cents)
        _check_terms(rules=rules, cap_bps=settings_row.rate_cap_bps, term_months=advance.term_months, rate_bps=rate)
        validity = dt.timedelta(days=settings_row.approval_validity_days)
        advance.amount_cents = granted
        advance.rate_bps = rate
        advance.conditions = conditions.strip()
        advance.status = Advance.Status.APPROVED
        advance.approved_on = today
        advance.approval_expires_at = timezone.now() + validity
        advance.pending_transfer_id = books.transfer_id("advance", advance.pk, "approve")
        books.reserve(
            id=advance.pending_transfer_id,
            debit=books.member_account("274", advance.organisation),
            amount=granted,
            timeout_seconds=int(validity.total_seconds()),
            reference=f"advance:{advance.pk}",
            piece=advance.reference,
            label=f"Avance {advance.reference} accordée — {advance.organisation.name}",
            value_date=today,
        )
    else:
        advance.status = Advance.Status.REFUSED
        advance.conditions = conditions.strip()
    advance.decision = decision
    advance.save()
    audit(
        actor=actor,
        action="treasury.advance.decide",
        target=advance,
        outcome=decision.outcome,
        amount_cents=advance.amount_cents,
    )
    email_after_commit(
        to=admin_emails(advance.organisation),
        template="treasury/email/advance_decided",
        context={"advance": advance, "decision": decision},
    )
    return advance


@transaction.atomic(durable=True)
def advance_disburse(*, actor: User, advance: Advance, on: dt.date | None = None) -> Advance:
    """Pay the approved amount: the reservation is posted and the first schedule drawn up."""
    require(permissions.can_keep_treasury(actor))
    advance = Advance.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=advance.pk)
    on = on or timezone.localdate()
    if advance.status != Advance.Status.APPROVED or advance.pending_transfer_id is None:
        raise DomainError(_("Only an approved advance can be disbursed."), field="status", code="state")
    if on > timezone.localdate():
        raise DomainError(_("The disbursement date cannot be in the future."), field="on")
    assert advance.amount_cents is not None
    bullet_due = None
    if advance.mode == RepaymentMode.BULLET and advance.expected_payment_on and advance.expected_payment_on > on:
        bullet_due = advance.expected_payment_on
    try:
        rows = schedules.build_schedule(
            principal_cents=advance.amount_cents,
            annual_rate_bps=advance.rate_bps,
            start=on,
            term_months=advance.term_months,
            mode=schedules.Mode(advance.mode),
            grace_months=advance.grace_months,
            bullet_due=bullet_due,
        )
    except ValueError as error:
        raise DomainError(str(error), field="term_months") from error
    books.resolve(
        id=books.transfer_id("advance", advance.pk, "disburse"),
        pending_id=advance.pending_transfer_id,
        post=True,
        code="advance.disburse",
        reference=f"advance:{advance.pk}",
        piece=advance.reference,
        label=f"Versement de l'avance {advance.reference} — {advance.organisation.name}",
        value_date=on,
    )
    _schedule_save(advance, rows, version=1, reason=Schedule.Reason.INITIAL, effective_from=on, actor=actor)
    advance.status = Advance.Status.DISBURSED
    advance.disbursed_on = on
    advance.save(update_fields=["status", "disbursed_on"])
    audit(actor=actor, action="treasury.advance.disburse", target=advance, amount_cents=advance.amount_cents)
    email_after_commit(
        to=admin_emails(advance.organisation),
        template="treasury/email/advance_disbursed",
        context={"advance": advance, "instalments": rows},
    )
    return advance


def _schedule_save(
    advance: Advance,
    rows: list[schedules.Instalment],
    *,
    version: int,
    reason: str,
    effective_from: dt.date,
    actor: User | None,
    note: str = "",
    rate_bps: int | None = None,
    mode: str | None = None,
) -> Schedule:
    schedule = Schedule.objects.create(
        advance=advance,
        version=version,
        reason=reason,
        note=note,
        effective_from=effective_from,
        principal_cents=sum(row.principal_cents for row in rows),
        rate_bps=advance.rate_bps if rate_bps is None else rate_bps,
        mode=mode or advance.mode,
        created_by=actor,
    )
    Instalment.objects.bulk_create(
        Instalment(
            schedule=schedule,
            number=row.number,
            due_on=row.due_date,
            principal_cents=row.principal_cents,
            interest_cents=row.interest_cents,
        )
        for row in rows
    )
    return schedule


def advances_expire(*, now: dt.datetime | None = None) -> int:
    """Void the reservations of approvals not disbursed in time (the daily run). Safe to repeat."""
    from cordee.ledger.posting import pending_expire

    now = now or timezone.now()
    pending_expire(now=now)  # the reservations whose timeout ran out are expired by the ledger itself
    count = 0
    for pk in Advance.objects.filter(status=Advance.Status.APPROVED, approval_expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic(durable=True):
            advance = Advance.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=pk)
            if advance.status != Advance.Status.APPROVED:
                continue
            _void(advance, event="expire", code="advance.expire", label="Accord échu")
            advance.status = Advance.Status.EXPIRED
            advance.save(update_fields=["status"])
            audit(actor=None, action="treasury.advance.expire", target=advance)
            count += 1
    return count


def _void(advance: Advance, *, event: str, code: str, label: str) -> None:
    from cordee.ledger.models import Transfer

    if advance.pending_transfer_id is None:
        return
    pending = Transfer.objects.filter(pk=advance.pending_transfer_id).first()
    if pending is None:
        return
    resolved = Transfer.objects.filter(pending_id=pending.pk).exists()
    if resolved:  # the ledger's own expiry got there first
        return
    books.resolve(
        id=books.transfer_id("advance", advance.pk, event),
        pending_id=pending.pk,
        post=False,
        code=code,
        reference=f"advance:{advance.pk}",
        piece=advance.reference,
        label=f"{label} — {advance.reference}",
        value_date=timezone.localdate(),
    )


@transaction.atomic(durable=True)
def advance_withdraw_approval(*, actor: User, advance: Advance, reason: str) -> Advance:
    """The member gives up an approved advance before it is paid: the reservation is voided."""
    advance = Advance.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=advance.pk)
    require(permissions.can_act_for_treasury_of(actor, advance.organisation_id) or permissions.can_keep_treasury(actor))
    if advance.status != Advance.Status.APPROVED:
        raise DomainError(_("Only an approved advance not yet paid can be given up."), field="status", code="state")
    _void(advance, event="void", code="advance.void", label="Accord abandonné")
    advance.status = Advance.Status.CANCELLED
    advance.conditions = (advance.conditions + "\n" + reason.strip()).strip()
    advance.save(update_fields=["status", "conditions"])
    audit(actor=actor, action="treasury.advance.give_up", target=advance, reason=reason)
    return advance


@transaction.atomic(durable=True)
def charge_add(
    *, actor: User, advance: Advance, kind: str, amount_cents: int, label: str, on: dt.date | None = None
) -> Charge:
    require(permissions.can_keep_treasury(actor))
    positive_amount(amount_cents)
    advance = Advance.objects.select_for_update().get(pk=advance.pk)
    if kind not in Charge.Kind.values:
        raise DomainError(_("Choose a penalty or a fee."), field="kind")
    if advance.status != Advance.Status.DISBURSED:
        raise DomainError(_("Charges apply only to an advance being repaid."), field="status", code="state")
    if not label.strip():
        raise DomainError(_("Say what the charge is for."), field="label")
    charge = Charge.objects.create(
        advance=advance,
        kind=kind,
        amount_cents=amount_cents,
        charged_on=on or timezone.localdate(),
        label=label.strip(),
        created_by=actor,
    )
    audit(actor=actor, action="treasury.charge.add", target=charge, amount_cents=amount_cents, kind=kind)
    return charge


@transaction.atomic(durable=True)
def advance_reschedule(
    *,
    actor: User,
    advance: Advance,
    on: dt.date,
    term_months: int,
    mode: str,
    grace_months: int = 0,
    bullet_due: dt.date | None = None,
    note: str,
) -> Schedule:
    """A new schedule for what is left (arrears included); the old one is kept. Unpaid interest
    already due is not forgiven: it becomes a fee paid first."""
    require(permissions.can_keep_treasury(actor))
    advance = Advance.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=advance.pk)
    if advance.status != Advance.Status.DISBURSED:
        raise DomainError(_("Only an advance being repaid can be rescheduled."), field="status", code="state")
    if not note.strip():
        raise DomainError(_("Say why the advance is rescheduled (the committee's decision)."), field="note")
    if mode not in RepaymentMode.values:
        raise DomainError(_("Choose how the advance is repaid."), field="mode")
    _check_not_back_dated(advance, on)
    _settings_row, rules = regime()
    assert advance.disbursed_on is not None
    months_since = (on.year - advance.disbursed_on.year) * 12 + on.month - advance.disbursed_on.month
    if months_since + term_months > rules.max_term_months:
        raise DomainError(
            _("With the time already run, the advance would last more than %(max)s months (%(citation)s).")
            % {"max": rules.max_term_months, "citation": rules.citation},
            field="term_months",
            code="regime",
        )
    place = position(advance, on)
    if place.outstanding_cents <= 0:
        raise DomainError(_("Nothing is left to repay."), field="status", code="state")
    if place.interest_due_cents:
        with translation.override(settings.LANGUAGE_CODE):
            label = _("Interest due carried over at the rescheduling")
        Charge.objects.create(
            advance=advance,
            kind=Charge.Kind.FEE,
            amount_cents=place.interest_due_cents,
            charged_on=on,
            label=label,
            created_by=actor,
        )
    try:
        rows = schedules.reschedule(
            outstanding_cents=place.outstanding_cents,
            annual_rate_bps=advance.rate_bps,
            start=on,
            term_months=term_months,
            mode=schedules.Mode(mode),
            grace_months=grace_months,
            bullet_due=bullet_due,
        )
    except ValueError as error:
        raise DomainError(str(error), field="term_months") from error
    previous = current_schedule(advance)
    schedule = _schedule_save(
        advance,
        rows,
        version=(previous.version + 1) if previous else 1,
        reason=Schedule.Reason.RESCHEDULING,
        effective_from=on,
        actor=actor,
        note=note.strip(),
        mode=mode,
    )
    audit(actor=actor, action="treasury.advance.reschedule", target=advance, version=schedule.version)
    return schedule


@transaction.atomic(durable=True)
def advance_write_off(*, actor: User, advance: Advance, on: dt.date | None = None, reason: str) -> Advance:
    """Give up on the principal left: a loss, and the provision booked for it released."""
    require(permissions.can_keep_treasury(actor))
    advance = Advance.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=advance.pk)
    on = on or timezone.localdate()
    if advance.status != Advance.Status.DISBURSED:
        raise DomainError(_("Only an advance being repaid can be written off."), field="status", code="state")
    if not reason.strip():
        raise DomainError(_("Say why the advance is written off."), field="reason")
    _check_not_back_dated(advance, on)
    left = position(advance, on).outstanding_cents
    booked = provision_booked(advance)
    books.post(
        [
            books.Move(
                id=books.transfer_id("advance", advance.pk, "write_off"),
                debit=books.hub_account("654POOL"),
                credit=books.member_account("274", advance.organisation),
                amount=left,
                code="advance.write_off",
                label=f"Avance {advance.reference} passée en perte",
                reference=f"advance:{advance.pk}",
                piece=advance.reference,
                value_date=on,
            ),
            books.Move(
                id=books.transfer_id("advance", advance.pk, "write_off_provision"),
                debit=books.member_account("2974", advance.organisation),
                credit=books.hub_account("7866POOL"),
                amount=booked,
                code="advance.provision",
                label=f"Reprise de la provision de {advance.reference}",
                reference=f"advance:{advance.pk}",
                piece=advance.reference,
                value_date=on,
            ),
        ],
        what=advance.reference,
    )
    if booked:
        from cordee.treasury.models import Provision

        Provision.objects.create(
            advance=advance,
            on=on,
            change_cents=-booked,
            bucket="written_off",
            transfer_id=books.transfer_id("advance", advance.pk, "write_off_provision"),
        )
    advance.status = Advance.Status.WRITTEN_OFF
    advance.closed_on = on
    advance.conditions = (advance.conditions + "\n" + reason.strip()).strip()
    advance.save(update_fields=["status", "closed_on", "conditions"])
    audit(actor=actor, action="treasury.advance.write_off", target=advance, amount_cents=left, reason=reason)
    return advance
