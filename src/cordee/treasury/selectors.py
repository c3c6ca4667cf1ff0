"""Reads of the treasury: the pool's figures, a member's exposure, the checks put to the committee,
and scoped fetches for the views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.money import format_cents
from cordee.ledger.models import Account
from cordee.network.models import Organisation
from cordee.treasury.models import Advance, CashDeclaration, Deposit, TreasurySettings, Withdrawal
from cordee.treasury.positions import Due, Position, amounts_due, bucket_of, position, provision_booked
from cordee.treasury.regimes import max_rate_bps, rules_for

__all__ = ["Due", "Position", "amounts_due", "bucket_of", "position", "provision_booked"]

LIVE = ("disbursed",)
COMMITTED = ("approved",)


# --- The pool ----------------------------------------------------------------------------------


def _balance(number: str) -> tuple[int, int]:
    """(posted debit balance, credits pending) of a hub account; zeros when it was never opened."""
    account = Account.objects.filter(ledger__code="EUR", number=number).first()
    if account is None:
        return 0, 0
    return account.debits_posted - account.credits_posted, account.credits_pending


def cash_cents() -> int:
    return _balance("512POOL")[0]


def available_cents() -> int:
    """Cash in the pool's bank account less what approvals hold."""
    cash, held = _balance("512POOL")
    return cash - held


def deposits_outstanding_cents(kind: str = Deposit.Kind.LOAN) -> int:
    """What the pool owes its depositors: the credit balance of their 168 (or 1034) accounts."""
    prefix = "168" if kind == Deposit.Kind.LOAN else "1034"
    totals = Account.objects.filter(ledger__code="EUR", number__startswith=prefix, owner__isnull=False).aggregate(
        credits=Sum("credits_posted"), debits=Sum("debits_posted")
    )
    return (totals["credits"] or 0) - (totals["debits"] or 0)


def reserve_cents(settings_row: TreasurySettings | None = None) -> int:
    """The liquidity the pool must keep: a share of the deposits, and at least the minimum set."""
    settings_row = settings_row or TreasurySettings.current()
    share = deposits_outstanding_cents() * settings_row.liquidity_reserve_percent // 100
    return max(settings_row.liquidity_reserve_min_cents, share)


def committed_cents(organisation_id: int | None = None) -> int:
    queryset = Advance.objects.filter(status__in=COMMITTED)
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    return queryset.aggregate(total=Sum("amount_cents"))["total"] or 0


def outstanding_cents(organisation_id: int | None = None, on: dt.date | None = None) -> int:
    on = on or timezone.localdate()
    queryset = Advance.objects.filter(status__in=LIVE)
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    return sum(position(advance, on).outstanding_cents for advance in queryset)


def exposure_cents(organisation_id: int, on: dt.date | None = None) -> int:
    """What a member owes and has been promised: outstanding plus approved, not yet disbursed."""
    return outstanding_cents(organisation_id, on) + committed_cents(organisation_id)


@dataclass(frozen=True)
class PoolFigures:
    cash_cents: int
    available_cents: int
    reserve_cents: int
    committed_cents: int
    outstanding_cents: int
    deposits_cents: int
    returnable_cents: int
    withdrawals_due_cents: int
    arrears_cents: int
    at_risk_30_cents: int
    buckets: dict[str, int]  # outstanding principal per ageing bucket
    advances_by_status: dict[str, int]

    @property
    def par30_percent(self) -> float | None:
        """Portfolio at risk at 30 days, for display only (never used in money arithmetic)."""
        if not self.outstanding_cents:
            return None
        return round(100 * self.at_risk_30_cents / self.outstanding_cents, 1)

    @property
    def free_cents(self) -> int:
        """What can still be lent without breaking the reserve."""
        return self.available_cents - self.reserve_cents


def pool_figures(on: dt.date | None = None) -> PoolFigures:
    on = on or timezone.localdate()
    buckets = dict.fromkeys(("current", "1-30", "31-60", "61-90", "90+"), 0)
    arrears = at_risk = outstanding = 0
    for advance in Advance.objects.filter(status__in=LIVE):
        place = position(advance, on)
        outstanding += place.outstanding_cents
        buckets[place.bucket] += place.outstanding_cents
        arrears += place.arrears_cents
        if place.days_past_due > 30:
            at_risk += place.outstanding_cents
    by_status = {row["status"]: row["count"] for row in Advance.objects.values("status").annotate(count=Count("pk"))}
    withdrawals_due = (
        Withdrawal.objects.filter(status=Withdrawal.Status.REQUESTED).aggregate(total=Sum("amount_cents"))["total"] or 0
    )
    return PoolFigures(
        cash_cents=cash_cents(),
        available_cents=available_cents(),
        reserve_cents=reserve_cents(),
        committed_cents=committed_cents(),
        outstanding_cents=outstanding,
        deposits_cents=deposits_outstanding_cents(),
        returnable_cents=deposits_outstanding_cents(Deposit.Kind.RETURNABLE),
        withdrawals_due_cents=withdrawals_due,
        arrears_cents=arrears,
        at_risk_30_cents=at_risk,
        buckets=buckets,
        advances_by_status=by_status,
    )


# --- Deposits --------------------------------------------------------------------------------


def deposit_balance_cents(deposit: Deposit) -> int:
    """What the pool still owes on a confirmed deposit."""
    if deposit.status not in (Deposit.Status.CONFIRMED, Deposit.Status.CLOSED):
        return 0
    paid = deposit.withdrawals.filter(status=Withdrawal.Status.PAID).aggregate(total=Sum("amount_cents"))["total"]
    return deposit.amount_cents - (paid or 0)


def deposit_withdrawable_cents(deposit: Deposit) -> int:
    """The balance less the withdrawals already requested."""
    requested = deposit.withdrawals.filter(status=Withdrawal.Status.REQUESTED).aggregate(total=Sum("amount_cents"))[
        "total"
    ]
    return deposit_balance_cents(deposit) - (requested or 0)


def lent_in_year_cents(organisation_id: int, year: int) -> int:
    """What a lender committed to the pool in a year (cash deposits confirmed that year)."""
    return (
        Deposit.objects.filter(
            organisation_id=organisation_id,
            kind=Deposit.Kind.LOAN,
            status__in=[Deposit.Status.CONFIRMED, Deposit.Status.CLOSED],
            received_on__year=year,
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )


def declaration_for(organisation_id: int, year: int) -> CashDeclaration | None:
    return CashDeclaration.objects.filter(organisation_id=organisation_id, year=year).first()


# --- The checks put to the committee --------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    label: str
    reason: str


def advance_checks(advance: Advance, on: dt.date | None = None) -> list[Check]:
    """Each automatic check, passed or failed with its reason, for the amount asked (or granted)."""
    on = on or timezone.localdate()
    settings_row = TreasurySettings.current()
    rules = rules_for(settings_row.regime)
    amount = advance.amount_cents or advance.amount_requested_cents
    organisation = advance.organisation
    checks: list[Check] = []

    regime_problems = []
    if organisation.family not in rules.borrower_families:
        regime_problems.append(
            _("a %(family)s cannot borrow under %(citation)s")
            % {"family": organisation.get_family_display(), "citation": rules.citation}
        )
    if advance.term_months > rules.max_term_months:
        regime_problems.append(
            _("the term of %(term)s months exceeds the %(max)s months of %(citation)s")
            % {"term": advance.term_months, "max": rules.max_term_months, "citation": rules.citation}
        )
    if advance.rate_bps > max_rate_bps(rules, settings_row.rate_cap_bps):
        regime_problems.append(_("the rate exceeds the cap of %(citation)s") % {"citation": rules.citation})
    checks.append(
        Check(
            "regime",
            not regime_problems,
            _("Legal regime"),
            "; ".join(regime_problems) or str(rules.description),
        )
    )

    membership = getattr(organisation, "membership", None)
    joined = membership.joined_on if membership and membership.status == "active" else None
    days = (on - joined).days if joined else -1
    checks.append(
        Check(
            "membership",
            days >= settings_row.min_membership_days,
            _("Active membership"),
            _("member for %(days)s days (at least %(min)s required)")
            % {"days": max(days, 0), "min": settings_row.min_membership_days}
            if joined
            else _("the membership is not active"),
        )
    )

    already = exposure_cents(organisation.pk, on) - (amount if advance.status == "approved" else 0)
    exposure = already + amount
    checks.append(
        Check(
            "exposure",
            exposure <= settings_row.member_exposure_cap_cents,
            _("Member's exposure"),
            _("%(exposure)s with this advance, cap %(cap)s")
            % {"exposure": format_cents(exposure), "cap": format_cents(settings_row.member_exposure_cap_cents)},
        )
    )

    held = amount if advance.status == "approved" else 0
    after = available_cents() + held - amount
    reserve = reserve_cents(settings_row)
    checks.append(
        Check(
            "liquidity",
            after >= reserve,
            _("Liquidity reserve"),
            _("%(after)s available after disbursement, reserve %(reserve)s")
            % {"after": format_cents(after), "reserve": format_cents(reserve)},
        )
    )

    total = outstanding_cents(on=on) + committed_cents() - held + amount
    share = exposure * 100 / total if total else 100
    checks.append(
        Check(
            "concentration",
            exposure * 100 <= settings_row.concentration_cap_percent * total,
            _("Concentration on one member"),
            _("%(share)s %% of the advances, cap %(cap)s %%")
            % {"share": f"{share:.0f}", "cap": settings_row.concentration_cap_percent},
        )
    )

    late = [
        other.reference
        for other in Advance.objects.filter(organisation=organisation, status="disbursed").exclude(pk=advance.pk)
        if position(other, on).days_past_due > 0
    ]
    written_off = Advance.objects.filter(organisation=organisation, status="written_off").exists()
    history_reason = (
        _("in arrears on %(refs)s") % {"refs": ", ".join(late)}
        if late
        else _("an advance was written off")
        if written_off
        else _("no arrears")
    )
    checks.append(Check("history", not late and not written_off, _("History"), history_reason))
    return checks


# --- Scoped reads for the views ---------------------------------------------------------------


def deposits_for(user: Any) -> QuerySet[Deposit]:
    queryset = Deposit.objects.select_related("organisation")
    if permissions.can_see_pool(user):
        return queryset
    return queryset.filter(organisation_id__in=permissions.treasury_organisations(user))


def advances_for(user: Any) -> QuerySet[Advance]:
    queryset = Advance.objects.select_related("organisation", "decision")
    if permissions.can_see_pool(user):
        return queryset
    mine = Q(organisation_id__in=permissions.treasury_organisations(user))
    body_ids = list(user.body_seats.values_list("body_id", flat=True)) if user.is_authenticated else []
    return queryset.filter(mine | Q(decision__body_id__in=body_ids))


def get_deposit_for_user(user: Any, pk: int) -> Deposit:
    deposit = Deposit.objects.select_related("organisation").filter(pk=pk).first()
    if deposit is None or not permissions.can_see_treasury_of(user, deposit.organisation_id):
        raise Http404
    return deposit


def get_advance_for_user(user: Any, pk: int) -> Advance:
    advance = Advance.objects.select_related("organisation", "decision", "decision__body").filter(pk=pk).first()
    if advance is None or not permissions.can_see_advance(user, advance):
        raise Http404
    return advance


def get_withdrawal_for_user(user: Any, pk: int) -> Withdrawal:
    withdrawal = Withdrawal.objects.select_related("deposit", "deposit__organisation").filter(pk=pk).first()
    if withdrawal is None or not permissions.can_see_treasury_of(user, withdrawal.deposit.organisation_id):
        raise Http404
    return withdrawal


def organisations_for(user: Any) -> QuerySet[Organisation]:
    """The organisations whose treasury this user may act for (member admins), or all for the pool."""
    if permissions.can_see_pool(user):
        return Organisation.objects.filter(membership__status="active").order_by("sort_name")
    return Organisation.objects.filter(pk__in=permissions.treasury_organisations(user)).order_by("sort_name")
