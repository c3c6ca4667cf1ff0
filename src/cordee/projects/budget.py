"""The rules an application's budget must follow, as pure functions (no database).

Expenses and resources add up exactly; exactly one resource line is what the hub is asked for, and
it equals the requested amount; the request stays within the call's largest request and within its
largest share of the total budget (whole percent, integer arithmetic: never a float); every line is
a positive amount. Money is in integer cents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cordee.core.money import format_cents

EXPENSE = "expense"
RESOURCE = "resource"


@dataclass(frozen=True)
class Line:
    kind: str  # "expense" | "resource"
    label: str
    amount_cents: int
    is_request: bool = False


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class Totals:
    expenses_cents: int
    resources_cents: int

    @property
    def difference_cents(self) -> int:
        return self.expenses_cents - self.resources_cents


def totals(lines: Iterable[Line]) -> Totals:
    items = list(lines)
    return Totals(
        expenses_cents=sum(line.amount_cents for line in items if line.kind == EXPENSE),
        resources_cents=sum(line.amount_cents for line in items if line.kind == RESOURCE),
    )


def largest_share_cents(total_cents: int, max_share_percent: int) -> int:
    """The most the hub may fund of a budget of `total_cents`: floor(total × percent / 100)."""
    return total_cents * max_share_percent // 100


def check_budget(
    lines: Iterable[Line],
    *,
    requested_cents: int,
    max_request_cents: int | None = None,
    max_share_percent: int = 100,
) -> list[Problem]:
    """Every rule the budget breaks (an empty list: the budget is sound)."""
    items = list(lines)
    problems: list[Problem] = []
    for index, line in enumerate(items, start=1):
        if line.amount_cents <= 0:
            problems.append(
                Problem(
                    "budget",
                    "amount_not_positive",
                    _("Budget line %(n)s (%(label)s): an amount must be greater than zero.")
                    % {"n": index, "label": line.label or "—"},
                )
            )
        if line.is_request and line.kind != RESOURCE:
            problems.append(
                Problem("budget", "request_not_resource", _("The line asked of the hub must be a resource line."))
            )
    expenses = [line for line in items if line.kind == EXPENSE]
    if not expenses:
        problems.append(Problem("budget", "no_expense", _("The budget has no expense line.")))
    requests = [line for line in items if line.is_request]
    if len(requests) != 1:
        problems.append(
            Problem(
                "budget",
                "request_line",
                _("The budget needs exactly one resource line asked of the hub (it has %(n)s).") % {"n": len(requests)},
            )
        )
    elif requests[0].amount_cents != requested_cents:
        problems.append(
            Problem(
                "requested",
                "request_mismatch",
                _("The line asked of the hub (%(line)s) differs from the amount requested (%(requested)s).")
                % {"line": format_cents(requests[0].amount_cents), "requested": format_cents(requested_cents)},
            )
        )
    sums = totals(items)
    if sums.difference_cents != 0:
        problems.append(
            Problem(
                "budget",
                "unbalanced",
                _(
                    "The budget does not add up: expenses total %(expenses)s, resources total %(resources)s, "
                    "a difference of %(difference)s."
                )
                % {
                    "expenses": format_cents(sums.expenses_cents),
                    "resources": format_cents(sums.resources_cents),
                    "difference": format_cents(abs(sums.difference_cents)),
                },
            )
        )
    if requested_cents <= 0:
        problems.append(Problem("requested", "request_missing", _("The amount requested must be greater than zero.")))
    if max_request_cents is not None and requested_cents > max_request_cents:
        problems.append(
            Problem(
                "requested",
                "request_too_large",
                _("The amount requested (%(requested)s) is above the call's largest request (%(max)s).")
                % {"requested": format_cents(requested_cents), "max": format_cents(max_request_cents)},
            )
        )
    if sums.expenses_cents > 0 and requested_cents * 100 > sums.expenses_cents * max_share_percent:
        problems.append(
            Problem(
                "requested",
                "share_too_large",
                _(
                    "The amount requested (%(requested)s) is more than %(percent)s %% of the total budget "
                    "(%(total)s): at most %(max)s."
                )
                % {
                    "requested": format_cents(requested_cents),
                    "percent": max_share_percent,
                    "total": format_cents(sums.expenses_cents),
                    "max": format_cents(largest_share_cents(sums.expenses_cents, max_share_percent)),
                },
            )
        )
    return problems
