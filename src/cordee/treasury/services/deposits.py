"""Deposits into the pool, withdrawals from it, the hub's own funds, lenders' cash declarations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.core.money import format_cents
from cordee.network.models import Organisation
from cordee.treasury import books, selectors
from cordee.treasury.models import CashDeclaration, Deposit, Withdrawal
from cordee.treasury.regimes import max_rate_bps
from cordee.treasury.services.common import next_reference, positive_amount, regime, require


def _months_after(day: dt.date, months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def _check_depositor(organisation: Organisation) -> None:
    settings_row, rules = regime()
    if not rules.allows_deposits:
        raise DomainError(
            _("Under the regime %(regime)s (%(citation)s), members do not deposit into the pool.")
            % {"regime": settings_row.get_regime_display(), "citation": rules.citation},
            field="organisation",
            code="regime",
        )
    if organisation.family not in rules.depositor_families:
        raise DomainError(
            _("Under %(citation)s only non-profit organisations can lend to the pool; %(name)s is a %(family)s.")
            % {"citation": rules.citation, "name": organisation.name, "family": organisation.get_family_display()},
            field="organisation",
            code="regime",
        )


@transaction.atomic(durable=True)
def deposit_propose(
    *,
    actor: User,
    organisation: Organisation,
    amount_cents: int,
    kind: str = Deposit.Kind.LOAN,
    term_date: dt.date | None = None,
    notice_days: int | None = None,
    rate_bps: int = 0,
    board_approved_on: dt.date | None = None,
    board_minute: Any = None,
    attestation: Any = None,
) -> Deposit:
    require(permissions.can_act_for_treasury_of(actor, organisation.pk))
    positive_amount(amount_cents)
    _check_depositor(organisation)
    settings_row, rules = regime()
    today = timezone.localdate()
    if kind not in Deposit.Kind.values:
        raise DomainError(_("Unknown kind of deposit."), field="kind")
    if term_date is not None and notice_days is not None:
        raise DomainError(_("Give a term or a notice period, not both."), field="notice_days")
    if kind == Deposit.Kind.LOAN and term_date is None and notice_days is None:
        raise DomainError(_("A cash deposit needs a term or a notice period."), field="term_date")
    if term_date is not None and term_date <= today:
        raise DomainError(_("The term must be a future date."), field="term_date")
    if term_date is not None and term_date > _months_after(today, rules.max_term_months):
        raise DomainError(
            _("A deposit lasts %(max)s months at most (%(citation)s).")
            % {"max": rules.max_term_months, "citation": rules.citation},
            field="term_date",
            code="regime",
        )
    if notice_days is not None and not 0 < notice_days <= 365:
        raise DomainError(_("The notice must be between 1 and 365 days."), field="notice_days")
    cap = max_rate_bps(rules, settings_row.rate_cap_bps)
    if rate_bps < 0 or rate_bps > cap:
        raise DomainError(
            _("The rate must be between 0 and %(cap)s basis points (%(citation)s).")
            % {"cap": cap, "citation": rules.citation},
            field="rate_bps",
        )
    deposit = Deposit.objects.create(
        reference=next_reference(Deposit, "DP", today),
        organisation=organisation,
        kind=kind,
        amount_cents=amount_cents,
        term_date=term_date,
        notice_days=notice_days,
        rate_bps=rate_bps,
        board_approved_on=board_approved_on,
        board_minute=board_minute or "",
        attestation=attestation or "",
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    audit(actor=actor, action="treasury.deposit.propose", target=deposit, amount_cents=amount_cents, kind=kind)
    return deposit


@transaction.atomic(durable=True)
def deposit_confirm(*, actor: User, deposit: Deposit, received_on: dt.date, bank_reference: str) -> Deposit:
    """The money has arrived: the pool owes it to the member from now on."""
    require(permissions.can_keep_treasury(actor))
    deposit = Deposit.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=deposit.pk)
    if deposit.status != Deposit.Status.PROPOSED:
        raise DomainError(_("Only a proposed deposit can be confirmed."), field="status", code="state")
    if not bank_reference.strip():
        raise DomainError(_("Give the bank reference of the transfer received."), field="bank_reference")
    if received_on > timezone.localdate():
        raise DomainError(_("The date received cannot be in the future."), field="received_on")
    _check_depositor(deposit.organisation)
    _settings_row, rules = regime()
    if deposit.kind == Deposit.Kind.LOAN:
        if rules.requires_board_approval and not (deposit.board_approved_on and deposit.board_minute):
            raise DomainError(
                _("%(citation)s: the lender's board must approve the deposit; add the date and the minute.")
                % {"citation": rules.citation},
                field="board_minute",
                code="regime",
            )
        if rules.requires_attestation and not deposit.attestation:
            raise DomainError(
                _("%(citation)s: the deposit must be attested by the lender's auditor or chartered accountant.")
                % {"citation": rules.citation},
                field="attestation",
                code="regime",
            )
        if rules.lender_yearly_share_percent is not None:
            year = received_on.year
            declaration = selectors.declaration_for(deposit.organisation_id, year)
            if declaration is None:
                raise DomainError(
                    _("%(citation)s: %(name)s must first declare its net available cash on 1 January %(year)s.")
                    % {"citation": rules.citation, "name": deposit.organisation.name, "year": year},
                    field="received_on",
                    code="regime",
                )
            cap = declaration.net_available_cash_cents * rules.lender_yearly_share_percent // 100
            lent = selectors.lent_in_year_cents(deposit.organisation_id, year)
            if lent + deposit.amount_cents > cap:
                raise DomainError(
                    _(
                        "%(citation)s: a lender commits at most %(share)s %% of its net available cash in a year "
                        "(%(cap)s for %(year)s, %(lent)s already lent)."
                    )
                    % {
                        "citation": rules.citation,
                        "share": rules.lender_yearly_share_percent,
                        "cap": format_cents(cap),
                        "year": year,
                        "lent": format_cents(lent),
                    },
                    field="amount_cents",
                    code="regime",
                )
    prefix = "168" if deposit.kind == Deposit.Kind.LOAN else "1034"
    books.post(
        [
            books.Move(
                id=books.transfer_id("deposit", deposit.pk, "confirm"),
                debit=books.pool(),
                credit=books.member_account(prefix, deposit.organisation),
                amount=deposit.amount_cents,
                code="deposit.confirm",
                label=f"Apport {deposit.reference} — {deposit.organisation.name}",
                reference=f"deposit:{deposit.pk}",
                piece=deposit.reference,
                value_date=received_on,
            )
        ],
        what=deposit.reference,
    )
    deposit.status = Deposit.Status.CONFIRMED
    deposit.received_on = received_on
    deposit.bank_reference = bank_reference.strip()
    deposit.confirmed_by = actor
    deposit.save(update_fields=["status", "received_on", "bank_reference", "confirmed_by"])
    audit(actor=actor, action="treasury.deposit.confirm", target=deposit, received_on=received_on.isoformat())
    return deposit


@transaction.atomic(durable=True)
def deposit_cancel(*, actor: User, deposit: Deposit) -> Deposit:
    deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
    require(permissions.can_act_for_treasury_of(actor, deposit.organisation_id) or permissions.can_keep_treasury(actor))
    if deposit.status != Deposit.Status.PROPOSED:
        raise DomainError(_("Only a proposed deposit can be cancelled."), field="status", code="state")
    deposit.status = Deposit.Status.CANCELLED
    deposit.save(update_fields=["status"])
    audit(actor=actor, action="treasury.deposit.cancel", target=deposit)
    return deposit


@transaction.atomic(durable=True)
def withdrawal_request(
    *, actor: User, deposit: Deposit, amount_cents: int, requested_on: dt.date | None = None
) -> Withdrawal:
    require(permissions.can_act_for_treasury_of(actor, deposit.organisation_id))
    positive_amount(amount_cents)
    deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
    if deposit.status != Deposit.Status.CONFIRMED:
        raise DomainError(_("Only a confirmed deposit can be withdrawn."), field="status", code="state")
    available = selectors.deposit_withdrawable_cents(deposit)
    if amount_cents > available:
        raise DomainError(
            _("At most %(amount)s can be withdrawn from this deposit.") % {"amount": format_cents(available)},
            field="amount_cents",
        )
    requested_on = requested_on or timezone.localdate()
    if requested_on > timezone.localdate():
        raise DomainError(_("The request date cannot be in the future."), field="requested_on")
    if deposit.received_on and requested_on < deposit.received_on:
        raise DomainError(_("A withdrawal is requested after the deposit was received."), field="requested_on")
    payable_on = requested_on + dt.timedelta(days=deposit.notice_days or 0)
    if deposit.term_date and deposit.term_date > payable_on:
        payable_on = deposit.term_date
    withdrawal = Withdrawal.objects.create(
        deposit=deposit,
        amount_cents=amount_cents,
        requested_on=requested_on,
        payable_on=payable_on,
        requested_by=actor,
    )
    audit(actor=actor, action="treasury.withdrawal.request", target=withdrawal, amount_cents=amount_cents)
    return withdrawal


@transaction.atomic(durable=True)
def withdrawal_pay(*, actor: User, withdrawal: Withdrawal, paid_on: dt.date | None = None) -> Withdrawal:
    """Pay a withdrawal from the available liquidity, never below the reserve."""
    require(permissions.can_keep_treasury(actor))
    withdrawal = (
        Withdrawal.objects.select_for_update(of=("self",)).select_related("deposit__organisation").get(pk=withdrawal.pk)
    )
    paid_on = paid_on or timezone.localdate()
    if withdrawal.status != Withdrawal.Status.REQUESTED:
        raise DomainError(_("This withdrawal is not waiting to be paid."), field="status", code="state")
    if paid_on > timezone.localdate():
        raise DomainError(_("The payment date cannot be in the future."), field="paid_on")
    if paid_on < withdrawal.payable_on:
        raise DomainError(
            _("The notice runs until %(date)s: the withdrawal cannot be paid before.")
            % {"date": withdrawal.payable_on.strftime("%d/%m/%Y")},
            field="paid_on",
            code="notice",
        )
    pool = books.pool()
    pool = type(pool).objects.select_for_update().get(pk=pool.pk)  # the reserve is read under the lock
    available = selectors.available_cents()
    reserve = selectors.reserve_cents()
    # The reserve is a share of the deposits: paying this one lowers it too.
    settings_row, _rules = regime()
    # The reserve is a share of the cash deposits: a returnable contribution paid back leaves it as is.
    lowers = withdrawal.amount_cents if withdrawal.deposit.kind == Deposit.Kind.LOAN else 0
    deposits_after = selectors.deposits_outstanding_cents() - lowers
    reserve_after = max(
        settings_row.liquidity_reserve_min_cents, deposits_after * settings_row.liquidity_reserve_percent // 100
    )
    if available - withdrawal.amount_cents < reserve_after:
        raise DomainError(
            _(
                "Paying %(amount)s would leave %(after)s available, below the liquidity reserve of %(reserve)s; "
                "wait for repayments or new deposits."
            )
            % {
                "amount": format_cents(withdrawal.amount_cents),
                "after": format_cents(available - withdrawal.amount_cents),
                "reserve": format_cents(min(reserve, reserve_after)),
            },
            field="amount_cents",
            code="reserve",
        )
    deposit = withdrawal.deposit
    prefix = "168" if deposit.kind == Deposit.Kind.LOAN else "1034"
    books.post(
        [
            books.Move(
                id=books.transfer_id("withdrawal", withdrawal.pk, "pay"),
                debit=books.member_account(prefix, deposit.organisation),
                credit=pool,
                amount=withdrawal.amount_cents,
                code="deposit.withdraw",
                label=f"Retrait {deposit.reference} — {deposit.organisation.name}",
                reference=f"deposit:{deposit.pk}",
                piece=deposit.reference,
                value_date=paid_on,
            )
        ],
        what=deposit.reference,
    )
    withdrawal.status = Withdrawal.Status.PAID
    withdrawal.paid_on = paid_on
    withdrawal.decided_by = actor
    withdrawal.transfer_id = books.transfer_id("withdrawal", withdrawal.pk, "pay")
    withdrawal.save(update_fields=["status", "paid_on", "decided_by", "transfer_id"])
    if selectors.deposit_balance_cents(deposit) == 0:
        deposit.status = Deposit.Status.CLOSED
        deposit.closed_on = paid_on
        deposit.save(update_fields=["status", "closed_on"])
    audit(actor=actor, action="treasury.withdrawal.pay", target=withdrawal, amount_cents=withdrawal.amount_cents)
    return withdrawal


@transaction.atomic(durable=True)
def withdrawal_refuse(*, actor: User, withdrawal: Withdrawal, reason: str) -> Withdrawal:
    require(permissions.can_keep_treasury(actor))
    withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
    if withdrawal.status != Withdrawal.Status.REQUESTED:
        raise DomainError(_("This withdrawal is not waiting to be paid."), field="status", code="state")
    if not reason.strip():
        raise DomainError(_("Say why the withdrawal is refused."), field="reason")
    withdrawal.status = Withdrawal.Status.REFUSED
    withdrawal.reason = reason.strip()
    withdrawal.decided_by = actor
    withdrawal.save(update_fields=["status", "reason", "decided_by"])
    audit(actor=actor, action="treasury.withdrawal.refuse", target=withdrawal, reason=withdrawal.reason)
    return withdrawal


@transaction.atomic(durable=True)
def pool_fund(*, actor: User, amount_cents: int, received_on: dt.date, label: str, reference: str) -> None:
    """The hub puts its own funds (a grant, a donation) in the pool."""
    require(permissions.can_keep_treasury(actor))
    positive_amount(amount_cents)
    if not reference.strip():
        raise DomainError(_("Give the bank reference of the transfer received."), field="reference")
    books.post(
        [
            books.Move(
                id=books.transfer_id("fund", reference.strip(), "receive"),
                debit=books.pool(),
                credit=books.hub_account("102POOL"),
                amount=amount_cents,
                code="pool.fund",
                label=label or "Fonds propres de la trésorerie solidaire",
                reference=f"fund:{reference.strip()}",
                piece=reference.strip()[:40],
                value_date=received_on,
            )
        ],
        what=reference.strip(),
    )
    audit(actor=actor, action="treasury.pool.fund", target=books.hub_account("102POOL"), amount_cents=amount_cents)


@transaction.atomic(durable=True)
def cash_declaration_set(
    *, actor: User, organisation: Organisation, year: int, net_available_cash_cents: int, declared_on: dt.date
) -> CashDeclaration:
    """A lender declares its net available cash on 1 January; it caps what it lends that year."""
    require(permissions.can_act_for_treasury_of(actor, organisation.pk) or permissions.can_keep_treasury(actor))
    if not isinstance(net_available_cash_cents, int) or net_available_cash_cents < 0:
        raise DomainError(_("The cash declared cannot be negative."), field="net_available_cash_cents")
    if declared_on.year < year:
        raise DomainError(_("The cash on 1 January can be declared from that date on."), field="declared_on")
    declaration, _created = CashDeclaration.objects.update_or_create(
        organisation=organisation,
        year=year,
        defaults={
            "net_available_cash_cents": net_available_cash_cents,
            "declared_on": declared_on,
            "declared_by": actor,
        },
    )
    audit(
        actor=actor,
        action="treasury.cash.declare",
        target=declaration,
        year=year,
        net_available_cash_cents=net_available_cash_cents,
    )
    return declaration
