"""Repayments, arrears reminders and provisions.

A repayment is split in the order of Fineract's default strategy: penalties, then fees, then
interest due, then principal due; what is left repays principal early, and starts a new schedule
version computed from the balance left and the instalments not yet due (shorter term or smaller
instalments, as the treasurer chooses). After a write-off, all that comes in is a recovery.
"""

from __future__ import annotations

import datetime as dt

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
from cordee.lib import schedules
from cordee.treasury import books
from cordee.treasury.models import Advance, Instalment, Provision, Reminder, Repayment, Schedule, TreasurySettings
from cordee.treasury.positions import bucket_of, current_schedule, position, provision_booked
from cordee.treasury.services.advances import _schedule_save
from cordee.treasury.services.common import admin_emails, positive_amount, require


@transaction.atomic
def repayment_record(
    *,
    actor: User | None,
    advance: Advance,
    amount_cents: int,
    received_on: dt.date,
    origin: str = Repayment.Origin.MANUAL,
    bank_reference: str = "",
    prepayment_option: str = "",
) -> Repayment:
    """Record money received for an advance (not durable: a bank import records many in one go,
    each in its own savepoint)."""
    if actor is not None:
        require(permissions.can_keep_treasury(actor))
    positive_amount(amount_cents)
    advance = Advance.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=advance.pk)
    if received_on > timezone.localdate():
        raise DomainError(_("The date received cannot be in the future."), field="received_on")
    if prepayment_option and prepayment_option not in Repayment.Option.values:
        raise DomainError(_("Choose a shorter term or smaller instalments."), field="prepayment_option")
    if advance.status == Advance.Status.WRITTEN_OFF:
        return _recovery(actor, advance, amount_cents, received_on, origin, bank_reference)
    if advance.status != Advance.Status.DISBURSED:
        raise DomainError(
            _("Advance %(reference)s is %(status)s: it takes no repayment.")
            % {"reference": advance.reference, "status": advance.get_status_display()},
            field="advance",
            code="closed",
        )
    assert advance.disbursed_on is not None
    if received_on < advance.disbursed_on:
        raise DomainError(_("A repayment cannot come before the disbursement."), field="received_on")
    latest = advance.repayments.order_by("-received_on").values_list("received_on", flat=True).first()
    schedule_start = advance.schedules.order_by("-version").values_list("effective_from", flat=True).first()
    for boundary in (latest, schedule_start):
        if boundary is not None and received_on < boundary:
            raise DomainError(
                _(
                    "Repayments are recorded in date order: this advance already has a repayment or a new "
                    "schedule dated %(date)s."
                )
                % {"date": boundary.strftime("%d/%m/%Y")},
                field="received_on",
                code="back_dated",
            )
    place = position(advance, received_on)
    left = amount_cents
    split = {}
    for name, due in (
        ("penalties", place.penalties_due_cents),
        ("fees", place.fees_due_cents),
        ("interest", place.interest_due_cents),
        ("principal", place.principal_due_cents),
    ):
        split[name] = min(left, due)
        left -= split[name]
    principal_not_due = place.outstanding_cents - split["principal"]
    if left > principal_not_due:
        raise DomainError(
            _("%(amount)s exceeds what %(reference)s still owes (%(owed)s).")
            % {
                "amount": format_cents(amount_cents),
                "reference": advance.reference,
                "owed": format_cents(amount_cents - left + principal_not_due),
            },
            field="amount_cents",
            code="overpayment",
        )
    prepaid = left
    schedule = current_schedule(advance)
    repayment = Repayment.objects.create(
        advance=advance,
        amount_cents=amount_cents,
        received_on=received_on,
        origin=origin,
        bank_reference=bank_reference[:140],
        prepayment_option=(prepayment_option or Repayment.Option.SHORTEN) if prepaid else "",
        penalties_cents=split["penalties"],
        fees_cents=split["fees"],
        interest_cents=split["interest"],
        principal_cents=split["principal"] + prepaid,
        prepaid_cents=prepaid,
        schedule=schedule,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    pool = books.pool()
    label = f"Remboursement {advance.reference} — {advance.organisation.name}"
    reference, piece = f"advance:{advance.pk}", advance.reference
    books.post(
        [
            books.Move(
                id=books.transfer_id("repayment", repayment.pk, "principal"),
                debit=pool,
                credit=books.member_account("274", advance.organisation),
                amount=repayment.principal_cents,
                code="advance.repay",
                label=label,
                reference=reference,
                piece=piece,
                value_date=received_on,
            ),
            books.Move(
                id=books.transfer_id("repayment", repayment.pk, "interest"),
                debit=pool,
                credit=books.hub_account("7624POOL"),
                amount=repayment.interest_cents,
                code="advance.interest",
                label=label,
                reference=reference,
                piece=piece,
                value_date=received_on,
            ),
            books.Move(
                id=books.transfer_id("repayment", repayment.pk, "charges"),
                debit=pool,
                credit=books.hub_account("758POOL"),
                amount=repayment.penalties_cents + repayment.fees_cents,
                code="advance.charges",
                label=label,
                reference=reference,
                piece=piece,
                value_date=received_on,
            ),
        ],
        what=advance.reference,
    )
    remaining = place.outstanding_cents - repayment.principal_cents
    if remaining == 0:
        _close_repaid(advance, received_on)
    elif prepaid and schedule is not None:
        _reschedule_after_prepayment(advance, schedule, remaining, received_on, repayment, actor)
    audit(
        actor=actor,
        action="treasury.repayment.record",
        target=repayment,
        advance=advance.reference,
        amount_cents=amount_cents,
        origin=origin,
    )
    return repayment


def _reschedule_after_prepayment(
    advance: Advance,
    schedule: Schedule,
    remaining: int,
    on: dt.date,
    repayment: Repayment,
    actor: User | None,
) -> None:
    """A new version from the balance left and the instalments not yet due: never from scratch."""
    not_due = [
        schedules.Instalment(
            number=row.number,
            due_date=row.due_on,
            principal_cents=row.principal_cents,
            interest_cents=row.interest_cents,
            outstanding_after_cents=0,
        )
        for row in Instalment.objects.filter(schedule=schedule, due_on__gt=on).order_by("number")
    ]
    if not not_due:  # everything was already due: the balance stays due at once
        return
    rows = schedules.recompute_after_prepayment(
        outstanding_cents=remaining,
        annual_rate_bps=schedule.rate_bps,
        on=on,
        remaining=not_due,
        mode=schedules.Mode(schedule.mode),
        option=repayment.prepayment_option or Repayment.Option.SHORTEN,  # type: ignore[arg-type]
    )
    _schedule_save(
        advance,
        rows,
        version=schedule.version + 1,
        reason=Schedule.Reason.PREPAYMENT,
        effective_from=on,
        actor=actor,
        note=_early_note(repayment.prepaid_cents),
        rate_bps=schedule.rate_bps,
        mode=schedule.mode,
    )


def _early_note(cents: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # stored, and printed on the schedule: in French
        return _("After the early repayment of %(amount)s") % {"amount": format_cents(cents)}


def _close_repaid(advance: Advance, on: dt.date) -> None:
    booked = provision_booked(advance)
    if booked:
        _provision_post(advance, on, -booked, "repaid")
    advance.status = Advance.Status.REPAID
    advance.closed_on = on
    advance.save(update_fields=["status", "closed_on"])
    email_after_commit(
        to=admin_emails(advance.organisation), template="treasury/email/advance_repaid", context={"advance": advance}
    )


def _recovery(
    actor: User | None, advance: Advance, amount_cents: int, received_on: dt.date, origin: str, bank_reference: str
) -> Repayment:
    from django.db.models import Sum

    written_off = (advance.amount_cents or 0) - (
        advance.repayments.aggregate(total=Sum("principal_cents"))["total"] or 0
    )
    recovered = advance.repayments.aggregate(total=Sum("recovery_cents"))["total"] or 0
    if amount_cents > written_off - recovered:
        raise DomainError(
            _("%(amount)s exceeds what is left to recover on %(reference)s (%(left)s).")
            % {
                "amount": format_cents(amount_cents),
                "reference": advance.reference,
                "left": format_cents(written_off - recovered),
            },
            field="amount_cents",
            code="overpayment",
        )
    if advance.closed_on and received_on < advance.closed_on:
        raise DomainError(_("A recovery comes after the write-off."), field="received_on")
    repayment = Repayment.objects.create(
        advance=advance,
        amount_cents=amount_cents,
        received_on=received_on,
        origin=origin,
        bank_reference=bank_reference[:140],
        recovery_cents=amount_cents,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    books.post(
        [
            books.Move(
                id=books.transfer_id("repayment", repayment.pk, "recovery"),
                debit=books.pool(),
                credit=books.hub_account("7714POOL"),
                amount=amount_cents,
                code="advance.recovery",
                label=f"Recouvrement sur {advance.reference} — {advance.organisation.name}",
                reference=f"advance:{advance.pk}",
                piece=advance.reference,
                value_date=received_on,
            )
        ],
        what=advance.reference,
    )
    audit(actor=actor, action="treasury.repayment.recovery", target=repayment, amount_cents=amount_cents)
    return repayment


# --- Provisions and reminders (the daily run) ---------------------------------------------------


def required_provision(advance: Advance, on: dt.date, settings_row: TreasurySettings) -> tuple[int, str]:
    place = position(advance, on)
    bucket = bucket_of(place.days_past_due)
    percent = {
        "current": 0,
        "1-30": settings_row.provision_percent_1_30,
        "31-60": settings_row.provision_percent_31_60,
        "61-90": settings_row.provision_percent_61_90,
        "90+": settings_row.provision_percent_over_90,
    }[bucket]
    return place.outstanding_cents * percent // 100, bucket


def _provision_post(advance: Advance, on: dt.date, change: int, bucket: str) -> Provision:
    transfer = books.transfer_id("provision", advance.pk, f"{on.isoformat()}:{bucket}:{change}")
    more = change > 0
    books.post(
        [
            books.Move(
                id=transfer,
                debit=books.hub_account("6866POOL") if more else books.member_account("2974", advance.organisation),
                credit=books.member_account("2974", advance.organisation) if more else books.hub_account("7866POOL"),
                amount=abs(change),
                code="advance.provision",
                label=f"{'Dotation' if more else 'Reprise'} provision {advance.reference} ({bucket})",
                reference=f"advance:{advance.pk}",
                piece=advance.reference,
                value_date=on,
            )
        ],
        what=advance.reference,
    )
    return Provision.objects.create(advance=advance, on=on, change_cents=change, bucket=bucket, transfer_id=transfer)


def provisions_update(*, on: dt.date | None = None) -> int:
    """Bring each advance's provision to its ageing bucket's percentage; a difference is a new
    transfer, never an edit. Safe to repeat: a second run the same day finds nothing to change."""
    on = on or timezone.localdate()
    settings_row = TreasurySettings.current()
    changed = 0
    for pk in Advance.objects.filter(status=Advance.Status.DISBURSED).values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            advance = Advance.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=pk)
            required, bucket = required_provision(advance, on, settings_row)
            change = required - provision_booked(advance)
            if change:
                provision = _provision_post(advance, on, change, bucket)
                audit(actor=None, action="treasury.provision", target=provision, change_cents=change)
                changed += 1
    return changed


def reminders_send(*, on: dt.date | None = None) -> int:
    """E-mail the member admins of each advance in arrears when it reaches a reminder step; each
    step once per first unpaid due date, so the daily run can be repeated."""
    on = on or timezone.localdate()
    steps = TreasurySettings.current().reminder_steps
    sent = 0
    for pk in Advance.objects.filter(status=Advance.Status.DISBURSED).values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            advance = Advance.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=pk)
            place = position(advance, on)
            if place.first_unpaid_on is None:
                continue
            reached = [step for step in steps if step <= place.days_past_due]
            done = set(
                Reminder.objects.filter(advance=advance, due_on=place.first_unpaid_on).values_list(
                    "step_days", flat=True
                )
            )
            new = [step for step in reached if step not in done]
            if not new:
                continue
            for step in new:  # one e-mail for the highest step reached; the lower ones are passed
                Reminder.objects.create(
                    advance=advance, step_days=step, due_on=place.first_unpaid_on, sent_at=timezone.now()
                )
            email_after_commit(
                to=admin_emails(advance.organisation),
                template="treasury/email/reminder",
                context={"advance": advance, "position": place, "step": max(new)},
            )
            audit(actor=None, action="treasury.reminder", target=advance, days_past_due=place.days_past_due)
            sent += 1
    return sent
