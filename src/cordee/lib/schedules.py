"""Repayment schedules ("échéanciers") of the short advances the solidarity treasury lends to member
organisations. No Django here: integers and dates in, frozen `Instalment` rows out, so the advance
form, its PDF and the ledger postings all read the same schedule.

Conventions:
- Money is an integer number of cents; rates are in basis points (`annual_rate_bps=150` is 1.50 % a
  year), 0 allowed. Every division is done exactly on integers and rounded half-up to the cent once,
  where the amount is fixed; nothing goes through a float.
- Due dates: the k-th instalment (numbered from 1) falls due at start + k months (relativedelta, so a
  31 January start falls due on 28 or 29 February, then 31 March), moved by `business_day`: the
  modified following convention (the next day that is neither a weekend nor a public holiday of
  article L3133-1 of the Code du travail, metropolitan list, without Alsace-Moselle's two extra days;
  back to the previous business day if that next day is in the following month).
- Interest is computed on nominal periods, never on the moved dates, so moving a date never changes
  an amount. Monthly schedules: each period charges balance × rate / 12 (30/360), rounded half-up.
  Bullet: principal × rate × actual days / 365 between start and the nominal due date, half-up.
- `grace_months`: the first instalments pay interest only; the principal is then repaid over the
  remaining term_months - grace_months instalments.
- ANNUITY: a constant payment P·r / (1 - (1 + r)^-n) over the amortising instalments, r = rate / 12,
  rounded half-up to the cent; each instalment's principal is that payment less its interest and the
  last instalment takes whatever principal is left, so the principal sums exactly to the amount.
  The rounding of the payment compounds, so the last instalment differs from the others by at most
  ((1 + r)^n - 1) / r cents: n cents at rate 0, barely more at the treasury's low rates over a few
  years, but hundreds of euros on a large 50-year loan at 15 %. At rate 0 it is LINEAR.
- LINEAR: equal principal shares, the leftover cents one each on the first instalments, interest on
  the declining balance.
- BULLET: one instalment, at `bullet_due` if given (after start; `term_months` is then checked but
  not used) or at start + term_months; no grace.
- A loan so small that, rounded to the cent, it would be repaid before its last instalment (less than
  a cent per instalment, or a long annuity whose rounded payment overpays) is refused: shorten it.

Prepayment (`recompute_after_prepayment`) starts from the balance left and the instalments not yet
due, never from scratch: the new instalments keep their due dates and numbers. Leading interest-only
instalments (grace) stay interest-only. "shorten" keeps the payment (annuity) or the principal share
(linear) and stops earlier, the last instalment taking what is left; "reduce" keeps the dates and
recomputes smaller instalments: the annuity of the balance over the dates left, capped at the payment
before, or equal shares of it (it stops earlier only when rounding would repay it before the end).
The first new period charges a full period on the new balance: the interest on the prepaid amount
between the previous due date and the prepayment is the caller's to settle with the prepayment. For
a bullet, whatever the option, the single instalment keeps its date and charges the balance × rate ×
days / 365 from the prepayment day to the (moved) due date; the interest accrued on the full
principal before that day is likewise settled with the prepayment.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import holidays
from dateutil.relativedelta import relativedelta

MAX_TERM_MONTHS = 600
BPS_PER_UNIT = 10_000
MONTHS_PER_YEAR = 12
DAYS_PER_YEAR = 365  # actual/365 for bullets: the divisor stays 365 in a leap year
ONE_DAY = dt.timedelta(days=1)


class Mode(StrEnum):
    BULLET = "bullet"  # everything at the end
    ANNUITY = "annuity"  # equal instalments
    LINEAR = "linear"  # equal principal


@dataclass(frozen=True, slots=True)
class Instalment:
    number: int
    due_date: dt.date
    principal_cents: int
    interest_cents: int
    outstanding_after_cents: int

    @property
    def total_cents(self) -> int:
        return self.principal_cents + self.interest_cents


@functools.cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.France(years=year))


def _is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def business_day(d: dt.date) -> dt.date:
    """The modified following business day of `d` (`d` itself when it is one)."""
    following = d
    while not _is_business_day(following):
        following += ONE_DAY
    if following.month == d.month:
        return following
    preceding = d
    while not _is_business_day(preceding):
        preceding -= ONE_DAY
    return preceding


def build_schedule(
    *,
    principal_cents: int,
    annual_rate_bps: int,
    start: dt.date,
    term_months: int,
    mode: Mode,
    grace_months: int = 0,
    bullet_due: dt.date | None = None,
) -> list[Instalment]:
    """The schedule of a new loan of `principal_cents` lent on `start`. Raises ValueError naming the
    argument at fault."""
    mode = _mode(mode)
    _check_int("principal_cents", principal_cents, " number of cents, never a float")
    if principal_cents <= 0:
        raise ValueError(f"principal_cents must be positive, got {principal_cents}")
    _check_rate(annual_rate_bps)
    _check_int("term_months", term_months)
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        raise ValueError(f"term_months must be between 1 and {MAX_TERM_MONTHS}, got {term_months}")
    _check_int("grace_months", grace_months)
    if grace_months < 0:
        raise ValueError(f"grace_months must not be negative, got {grace_months}")
    if grace_months >= term_months:
        raise ValueError(
            f"grace_months ({grace_months}) must be less than term_months ({term_months}): "
            "at least one instalment must repay the principal"
        )

    if mode is Mode.BULLET:
        return [_bullet(principal_cents, annual_rate_bps, start, term_months, grace_months, bullet_due)]
    if bullet_due is not None:
        raise ValueError(f"bullet_due only applies to a bullet loan, not to mode {mode.value!r}")

    slots = [(k, business_day(start + relativedelta(months=k))) for k in range(1, term_months + 1)]
    amortising = term_months - grace_months
    if mode is Mode.ANNUITY and annual_rate_bps > 0:
        principal_of = _fixed_payment(_annuity_payment(principal_cents, annual_rate_bps, amortising))
    else:
        principal_of = _shares(_equal_shares(principal_cents, amortising))
    schedule = _amortise(
        balance=principal_cents,
        annual_rate_bps=annual_rate_bps,
        slots=slots,
        grace=grace_months,
        principal_of=principal_of,
    )
    if len(schedule) < term_months:
        raise ValueError(
            f"principal_cents ({principal_cents}) is too small for {amortising} {mode.value} instalments "
            f"at {annual_rate_bps} bps: rounded to the cent, it would be repaid before the last one; "
            "shorten term_months"
        )
    return schedule


def recompute_after_prepayment(
    *,
    outstanding_cents: int,
    annual_rate_bps: int,
    on: dt.date,
    remaining: Sequence[Instalment],
    mode: Mode,
    option: Literal["shorten", "reduce"],
) -> list[Instalment]:
    """The instalments that replace `remaining` (those not yet due on `on`) once a partial prepayment
    made on `on` has brought the balance down to `outstanding_cents`."""
    mode = _mode(mode)
    _check_int("outstanding_cents", outstanding_cents, " number of cents, never a float")
    if outstanding_cents < 0:
        raise ValueError(f"outstanding_cents must not be negative, got {outstanding_cents}")
    _check_rate(annual_rate_bps)
    if option not in ("shorten", "reduce"):
        raise ValueError(f"option must be 'shorten' or 'reduce', got {option!r}")
    if outstanding_cents == 0:
        return []
    if not remaining:
        raise ValueError("remaining is empty but outstanding_cents is not zero: nothing left to repay it on")
    for before, after in itertools.pairwise(remaining):
        if after.number != before.number + 1 or after.due_date <= before.due_date:
            raise ValueError("remaining must be consecutive instalments in due date order")
    if on >= remaining[0].due_date:
        raise ValueError(
            f"on ({on}) must be before the first remaining due date ({remaining[0].due_date}): "
            "remaining holds the instalments not yet due"
        )
    still_due = sum(instalment.principal_cents for instalment in remaining)
    if outstanding_cents > still_due:
        raise ValueError(
            f"outstanding_cents ({outstanding_cents}) exceeds the principal still due on remaining ({still_due})"
        )

    if mode is Mode.BULLET:
        if len(remaining) != 1:
            raise ValueError(f"a bullet loan has a single instalment, remaining holds {len(remaining)}")
        due = remaining[0]
        interest = _bullet_interest(outstanding_cents, annual_rate_bps, (due.due_date - on).days)
        return [Instalment(due.number, due.due_date, outstanding_cents, interest, 0)]

    slots = [(instalment.number, instalment.due_date) for instalment in remaining]
    grace = 0
    while grace < len(remaining) - 1 and remaining[grace].principal_cents == 0:
        grace += 1
    first_amortising = remaining[grace]
    amortising = len(remaining) - grace
    if option == "shorten":
        if mode is Mode.ANNUITY:
            principal_of = _fixed_payment(first_amortising.total_cents)
        else:
            principal_of = _fixed_share(first_amortising.principal_cents)
    elif mode is Mode.ANNUITY and annual_rate_bps > 0:
        # The balance left carries the rounding drift of the payment before, so after a prepayment of a
        # few cents the fresh annuity can round one cent above it: a prepayment never raises it.
        payment = _annuity_payment(outstanding_cents, annual_rate_bps, amortising)
        principal_of = _fixed_payment(min(payment, first_amortising.total_cents))
    else:
        principal_of = _shares(_equal_shares(outstanding_cents, amortising))
    return _amortise(
        balance=outstanding_cents,
        annual_rate_bps=annual_rate_bps,
        slots=slots,
        grace=grace,
        principal_of=principal_of,
    )


def reschedule(
    *,
    outstanding_cents: int,
    annual_rate_bps: int,
    start: dt.date,
    term_months: int,
    mode: Mode,
    grace_months: int = 0,
    bullet_due: dt.date | None = None,
) -> list[Instalment]:
    """A new schedule, numbered from 1, that repays `outstanding_cents` as if lent anew on `start`."""
    _check_int("outstanding_cents", outstanding_cents, " number of cents, never a float")
    if outstanding_cents <= 0:
        raise ValueError(f"outstanding_cents must be positive to reschedule, got {outstanding_cents}")
    return build_schedule(
        principal_cents=outstanding_cents,
        annual_rate_bps=annual_rate_bps,
        start=start,
        term_months=term_months,
        mode=mode,
        grace_months=grace_months,
        bullet_due=bullet_due,
    )


# (index among the amortising instalments, interest of the period) -> principal before clamping.
PrincipalRule = Callable[[int, int], int]


def _fixed_payment(payment_cents: int) -> PrincipalRule:
    return lambda index, interest: payment_cents - interest


def _fixed_share(share_cents: int) -> PrincipalRule:
    return lambda index, interest: share_cents


def _shares(shares: Sequence[int]) -> PrincipalRule:
    return lambda index, interest: shares[index]


def _amortise(
    *,
    balance: int,
    annual_rate_bps: int,
    slots: Sequence[tuple[int, dt.date]],
    grace: int,
    principal_of: PrincipalRule,
) -> list[Instalment]:
    """One instalment per slot: interest only for the first `grace`, then the principal the rule
    gives (never below 0 nor above the balance), the last slot taking whatever is left. Stops as soon
    as the balance is repaid, so rounding can make the list shorter than `slots`."""
    instalments = []
    for index, (number, due_date) in enumerate(slots):
        interest = _div_half_up(balance * annual_rate_bps, BPS_PER_UNIT * MONTHS_PER_YEAR)
        if index < grace:
            principal = 0
        elif index == len(slots) - 1:
            principal = balance
        else:
            principal = min(max(principal_of(index - grace, interest), 0), balance)
        balance -= principal
        instalments.append(Instalment(number, due_date, principal, interest, balance))
        if balance == 0:
            break
    return instalments


def _annuity_payment(principal_cents: int, annual_rate_bps: int, count: int) -> int:
    """P·r / (1 - (1 + r)^-n) rounded half-up, with r = a/b - 1 so that it is P·(a - b)·a^n / (b·(a^n - b^n))."""
    b = BPS_PER_UNIT * MONTHS_PER_YEAR
    a = b + annual_rate_bps
    return _div_half_up(principal_cents * annual_rate_bps * a**count, b * (a**count - b**count))


def _equal_shares(total_cents: int, count: int) -> list[int]:
    share, leftover = divmod(total_cents, count)
    return [share + 1] * leftover + [share] * (count - leftover)


def _bullet(
    principal_cents: int,
    annual_rate_bps: int,
    start: dt.date,
    term_months: int,
    grace_months: int,
    bullet_due: dt.date | None,
) -> Instalment:
    if grace_months:
        raise ValueError(f"grace_months must be 0 for a bullet loan, got {grace_months}")
    if bullet_due is None:
        nominal_due = start + relativedelta(months=term_months)
    elif bullet_due <= start:
        raise ValueError(f"bullet_due ({bullet_due}) must be after start ({start})")
    else:
        nominal_due = bullet_due
    due_date = business_day(nominal_due)
    if due_date <= start:
        raise ValueError(f"bullet_due ({bullet_due}) moves back to {due_date}, not after start ({start})")
    interest = _bullet_interest(principal_cents, annual_rate_bps, (nominal_due - start).days)
    return Instalment(1, due_date, principal_cents, interest, 0)


def _bullet_interest(principal_cents: int, annual_rate_bps: int, days: int) -> int:
    return _div_half_up(principal_cents * annual_rate_bps * days, BPS_PER_UNIT * DAYS_PER_YEAR)


def _div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up, both non-negative and exact on integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def _mode(mode: Mode) -> Mode:
    try:
        return Mode(mode)
    except ValueError:
        raise ValueError(f"mode must be one of {', '.join(Mode)}, got {mode!r}") from None


def _check_int(name: str, value: object, unit: str = "") -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int{unit}, got {value!r}")


def _check_rate(annual_rate_bps: int) -> None:
    _check_int("annual_rate_bps", annual_rate_bps)
    if annual_rate_bps < 0:
        raise ValueError(f"annual_rate_bps must not be negative, got {annual_rate_bps}")
