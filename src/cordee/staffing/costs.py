"""What a shared employee costs its employer in one month, component by component.

- The gross salary is the contract's monthly gross (`gross_salary_cents`).
- The employer's contributions are either a rate of the gross salary (basis points: 4200 is 42 %)
  or a fixed monthly amount.
- The running costs (equipment, travel, management fees of the employers' group) are either a rate
  of salary + contributions or a fixed monthly amount.

A rate is applied to cents and rounded half up to the cent, once per component.

A month only partly inside the contract (hired on the 10th, contract ending on the 20th) costs pro
rata of its calendar days inside the contract: the gross salary and the fixed amounts are each
multiplied by days inside ÷ days of the month and rounded half up to the cent, then the rates are
applied to those prorated amounts. Calendar days (rather than working days) keep the rule simple to
check by hand and independent of the public holidays; it is the *méthode des jours calendaires* the
French payroll practice accepts for an entry or exit during the month. A month wholly outside the
contract costs nothing.

Nothing is stored here: `services.billing` freezes the figures in `MonthInvoicing` when the month is
re-invoiced.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Protocol

BASIS_POINTS = 10_000


class Contract(Protocol):
    """What the arithmetic reads of an employee (a `models.Employee`)."""

    starts_on: dt.date
    ends_on: dt.date | None
    gross_salary_cents: int
    contributions_rate: int | None
    contributions_cents: int | None
    running_costs_rate: int | None
    running_costs_cents: int | None


@dataclass(frozen=True)
class MonthCost:
    month: dt.date  # its first day
    days: int  # calendar days of the month inside the contract
    days_in_month: int
    salary_cents: int
    contributions_cents: int
    running_costs_cents: int

    @property
    def total_cents(self) -> int:
        return self.salary_cents + self.contributions_cents + self.running_costs_cents

    @property
    def is_partial(self) -> bool:
        return 0 < self.days < self.days_in_month


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator rounded half up, in integers (both non-negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of the month."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def days_in_contract(contract: Contract, month: dt.date) -> int:
    first, last = month_bounds(month)
    start = max(first, contract.starts_on)
    end = min(last, contract.ends_on) if contract.ends_on else last
    return max(0, (end - start).days + 1)


def month_cost(contract: Contract, month: dt.date) -> MonthCost:
    """The month's cost of the contract (see the module's docstring for the rules)."""
    first, last = month_bounds(month)
    return _cost(contract, first, days_in_contract(contract, month), last.day)


def full_month_cost(contract: Contract, month: dt.date) -> MonthCost:
    """The cost of the whole month, whatever the contract's dates: for estimates."""
    first, last = month_bounds(month)
    return _cost(contract, first, last.day, last.day)


def _cost(contract: Contract, first: dt.date, days: int, whole: int) -> MonthCost:
    def prorated(cents: int) -> int:
        return cents if days == whole else round_half_up(cents * days, whole)

    salary = prorated(contract.gross_salary_cents)
    if contract.contributions_rate is not None:
        contributions = round_half_up(salary * contract.contributions_rate, BASIS_POINTS)
    else:
        contributions = prorated(contract.contributions_cents or 0)
    if contract.running_costs_rate is not None:
        running_costs = round_half_up((salary + contributions) * contract.running_costs_rate, BASIS_POINTS)
    else:
        running_costs = prorated(contract.running_costs_cents or 0)
    return MonthCost(
        month=first,
        days=days,
        days_in_month=whole,
        salary_cents=salary,
        contributions_cents=contributions,
        running_costs_cents=running_costs,
    )
