"""The pool's liquidity over the coming months, month by month, and the same under stress.

Month 0 is the calendar month of `on`, month m the m-th calendar month after it. Each row closes its
month: the liquidity left at its end and the reserve the treasury must keep then; the reserve is
breached in a month that closes below it. Reads only, integer cents throughout.

What the forecast assumes, so that a treasurer can redo it by hand:

- Opening: the cash of the pool today, that is `selectors.available_cents()` plus what the approvals
  hold; the approvals then leave as disbursements in the month they are expected to be paid.
- Repayments: every unpaid instalment of the schedule in force of each disbursed advance (the rows of
  `positions.amounts_due`), in the month it falls due; the overdue ones in the current month (they
  may still come: the stress tells what happens if they do not). Penalties and fees are not counted.
- Commitments: an approved advance is paid on the day one month after its approval, or on the last
  day of its validity if that comes first, and never before `on`; an approval already lapsed is left
  out. Its instalments are those of the schedule the disbursement would draw up (the same
  `schedules.build_schedule` call as `advance_disburse`), expected like the others.
- Deposits: a requested withdrawal leaves in the month it is payable from (the current month if
  that date has passed); a term deposit's balance, less its requested withdrawals, leaves at its
  term. No new deposit and no renewal are counted: the base case is already prudent.
- Reserve of a month: `liquidity_reserve_percent` of the cash deposits (accounts 168) still owed at
  its end, at least `liquidity_reserve_min_cents`: the rule of `selectors.reserve_cents`.
- Stress, defaults: `default_percent` of the repayments expected over the horizon do not come, the
  largest borrowers first (by what they are expected to repay over the horizon, ties by oldest
  organisation): a borrower whose whole expectation fits in what is left to default pays nothing;
  the next one misses its earliest instalments until the share is reached, the last one in part.
  Lost: `total * default_percent // 100`, exactly. Concentrating the loss on the largest borrowers
  is harsher than spreading it, and it is what a treasurer fears.
- Stress, withdrawals: `withdrawal_percent` of each notice deposit's balance less its requested
  withdrawals (`balance * percent // 100`) is asked for on `on` and leaves in the month its notice
  ends. A contribution with neither term nor notice can be taken back at once (current month).
  Term deposits already leave at their term in the base case.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from cordee.lib import schedules
from cordee.treasury import selectors
from cordee.treasury.models import Advance, Deposit, RepaymentMode, TreasurySettings, Withdrawal
from cordee.treasury.positions import amounts_due

DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class ForecastMonth:
    month: dt.date  # the first day of the calendar month
    opening_cents: int
    repayments_cents: int  # the inflows
    disbursements_cents: int  # approved advances paid out
    withdrawals_cents: int  # requested withdrawals, and under stress the withdrawals of notice deposits
    maturities_cents: int  # term deposits reaching their term
    closing_cents: int
    deposits_cents: int  # cash deposits still owed at the end of the month
    reserve_cents: int

    @property
    def inflows_cents(self) -> int:
        return self.repayments_cents

    @property
    def outflows_cents(self) -> int:
        return self.disbursements_cents + self.withdrawals_cents + self.maturities_cents

    @property
    def breach(self) -> bool:
        return self.closing_cents < self.reserve_cents


@dataclass(frozen=True)
class Forecast:
    on: dt.date
    default_percent: int
    withdrawal_percent: int
    opening_cents: int
    rows: tuple[ForecastMonth, ...]

    @property
    def months(self) -> int:
        return len(self.rows)

    @property
    def first_breach(self) -> dt.date | None:
        """The first month closing below the reserve, or None if the reserve holds."""
        return next((row.month for row in self.rows if row.breach), None)


@dataclass(frozen=True)
class _Expected:
    """One instalment expected from a borrower."""

    organisation_id: int
    due_on: dt.date
    amount_cents: int


def liquidity_forecast(
    *, on: dt.date, months: int = DEFAULT_MONTHS, default_percent: int = 0, withdrawal_percent: int = 0
) -> Forecast:
    """The closing liquidity and the reserve of the pool for `months` calendar months from `on`'s."""
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    for name, percent in (("default_percent", default_percent), ("withdrawal_percent", withdrawal_percent)):
        if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
            raise ValueError(f"{name} must be a whole number from 0 to 100, got {percent!r}")
    first = on.replace(day=1)

    def index(day: dt.date) -> int:
        return max(0, (day.year - first.year) * 12 + day.month - first.month)

    repayments = [0] * months
    disbursements = [0] * months
    withdrawals = [0] * months
    maturities = [0] * months
    deposits_leaving = [0] * months  # of cash deposits: they lower the reserve

    disbursement_plan, expected = _advances(on)
    for day, amount in disbursement_plan:
        if index(day) < months:
            disbursements[index(day)] += amount
    expected = [item for item in expected if index(item.due_on) < months]
    for item, amount in _after_defaults(expected, default_percent):
        repayments[index(item.due_on)] += amount

    for leaving in _deposits_leaving(on, withdrawal_percent):
        m = index(leaving.on)
        if m >= months:
            continue
        if leaving.at_term:
            maturities[m] += leaving.amount_cents
        else:
            withdrawals[m] += leaving.amount_cents
        if leaving.cash_deposit:
            deposits_leaving[m] += leaving.amount_cents

    settings_row = TreasurySettings.current()
    opening = selectors.cash_cents()
    deposits_owed = selectors.deposits_outstanding_cents()
    rows = []
    liquidity = opening
    for m in range(months):
        start = liquidity
        liquidity += repayments[m] - disbursements[m] - withdrawals[m] - maturities[m]
        deposits_owed -= deposits_leaving[m]
        rows.append(
            ForecastMonth(
                month=first + relativedelta(months=m),
                opening_cents=start,
                repayments_cents=repayments[m],
                disbursements_cents=disbursements[m],
                withdrawals_cents=withdrawals[m],
                maturities_cents=maturities[m],
                closing_cents=liquidity,
                deposits_cents=deposits_owed,
                reserve_cents=_reserve(settings_row, deposits_owed),
            )
        )
    return Forecast(
        on=on,
        default_percent=default_percent,
        withdrawal_percent=withdrawal_percent,
        opening_cents=opening,
        rows=tuple(rows),
    )


def _reserve(settings_row: TreasurySettings, deposits_cents: int) -> int:
    share = deposits_cents * settings_row.liquidity_reserve_percent // 100
    return max(settings_row.liquidity_reserve_min_cents, share)


def _advances(on: dt.date) -> tuple[list[tuple[dt.date, int]], list[_Expected]]:
    """(the expected disbursements, the instalments expected) of the advances disbursed or approved."""
    disbursements: list[tuple[dt.date, int]] = []
    expected: list[_Expected] = []
    for advance in Advance.objects.filter(status=Advance.Status.DISBURSED).order_by("pk"):
        expected.extend(
            _Expected(advance.organisation_id, due.due_on, due.unpaid_cents)
            for due in amounts_due(advance, on)
            if due.unpaid_cents > 0
        )
    approved = Advance.objects.filter(status=Advance.Status.APPROVED).filter(
        Q(approval_expires_at__isnull=True) | Q(approval_expires_at__date__gte=on)
    )
    for advance in approved.order_by("pk"):
        assert advance.amount_cents is not None  # an approval always grants an amount
        paid_on = _expected_disbursement(advance, on)
        disbursements.append((paid_on, advance.amount_cents))
        expected.extend(
            _Expected(advance.organisation_id, row.due_date, row.total_cents)
            for row in _future_schedule(advance, paid_on)
        )
    return disbursements, expected


def _expected_disbursement(advance: Advance, on: dt.date) -> dt.date:
    approved_on = advance.approved_on or on
    paid_on = approved_on + relativedelta(months=1)
    if advance.approval_expires_at is not None:
        paid_on = min(paid_on, timezone.localdate(advance.approval_expires_at))
    return max(paid_on, on)


def _future_schedule(advance: Advance, start: dt.date) -> list[schedules.Instalment]:
    """The schedule `advance_disburse` would draw up if it paid the advance on `start`."""
    assert advance.amount_cents is not None
    bullet_due = None
    if advance.mode == RepaymentMode.BULLET and advance.expected_payment_on and advance.expected_payment_on > start:
        bullet_due = advance.expected_payment_on
    try:
        return schedules.build_schedule(
            principal_cents=advance.amount_cents,
            annual_rate_bps=advance.rate_bps,
            start=start,
            term_months=advance.term_months,
            mode=schedules.Mode(advance.mode),
            grace_months=advance.grace_months,
            bullet_due=bullet_due,
        )
    except ValueError:  # the disbursement itself would be refused: nothing comes back from it
        return []


def _after_defaults(expected: list[_Expected], default_percent: int) -> list[tuple[_Expected, int]]:
    """Each expected instalment with what still comes of it once the largest borrowers default."""
    to_lose = sum(item.amount_cents for item in expected) * default_percent // 100
    by_borrower: dict[int, list[int]] = defaultdict(list)  # organisation -> positions in `expected`
    for position, item in enumerate(expected):
        by_borrower[item.organisation_id].append(position)

    def expected_from(pair: tuple[int, list[int]]) -> tuple[int, int]:
        organisation_id, positions = pair
        return -sum(expected[p].amount_cents for p in positions), organisation_id

    received = [item.amount_cents for item in expected]
    for _organisation_id, positions in sorted(by_borrower.items(), key=expected_from):
        for position in sorted(positions, key=lambda p: expected[p].due_on):
            if to_lose <= 0:
                break
            lost = min(received[position], to_lose)
            received[position] -= lost
            to_lose -= lost
    return list(zip(expected, received, strict=True))


@dataclass(frozen=True)
class _Leaving:
    """Money expected to go back to a depositor."""

    on: dt.date
    amount_cents: int
    at_term: bool  # a term deposit reaching its term; otherwise a withdrawal
    cash_deposit: bool  # an apport en trésorerie (168), on which the reserve is computed


def _deposits_leaving(on: dt.date, withdrawal_percent: int) -> list[_Leaving]:
    leaving: list[_Leaving] = []
    for deposit in (
        Deposit.objects.filter(status=Deposit.Status.CONFIRMED).prefetch_related("withdrawals").order_by("pk")
    ):
        cash_deposit = deposit.kind == Deposit.Kind.LOAN
        withdrawals = list(deposit.withdrawals.all())
        requested = [w for w in withdrawals if w.status == Withdrawal.Status.REQUESTED]
        paid = sum(w.amount_cents for w in withdrawals if w.status == Withdrawal.Status.PAID)
        remaining = deposit.amount_cents - paid - sum(w.amount_cents for w in requested)
        leaving.extend(_Leaving(w.payable_on, w.amount_cents, False, cash_deposit) for w in requested)
        if deposit.term_date is not None:
            leaving.append(_Leaving(deposit.term_date, remaining, True, cash_deposit))
        elif withdrawal_percent:
            notice_ends = on + dt.timedelta(days=deposit.notice_days or 0)
            leaving.append(_Leaving(notice_ends, remaining * withdrawal_percent // 100, False, cash_deposit))
    return [item for item in leaving if item.amount_cents > 0]


def stress_from_query(query: Mapping[str, str]) -> tuple[int, int]:
    """(default %, withdrawal %) from the dashboard's `?defaut=20&retraits=30`; anything not a whole
    number is 0, and the numbers are kept between 0 and 100."""

    def percent(name: str) -> int:
        raw = (query.get(name) or "").strip()
        if not (raw.isascii() and raw.isdigit()):  # no sign, no decimals: "-5" or "12,5" read as no stress
            return 0
        digits = raw.lstrip("0")
        return 100 if len(digits) > 3 else min(100, int(digits or "0"))

    return percent("defaut"), percent("retraits")
