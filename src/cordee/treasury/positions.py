"""Where an advance stands on a given day: what is due, what is late, what is left.

Computed from the rows, never stored, so that a repayment, a new schedule version or a charge is
reflected at once. Under the schedule version in force, the amounts due by a day are the
instalments due by then; what was paid under that version (principal beyond what was due, the
prepayment that started the next version, excepted) covers them in due-date order. The first
instalment not covered gives the days past due (Fineract's "oldest unpaid instalment" rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from cordee.treasury.models import Advance, Charge, Instalment, Repayment, Schedule

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


@dataclass(frozen=True)
class Due:
    """An instalment of the schedule in force and what is left to pay of it."""

    number: int
    due_on: dt.date
    principal_cents: int
    interest_cents: int
    unpaid_cents: int


@dataclass(frozen=True)
class Position:
    on: dt.date
    outstanding_cents: int  # principal not yet repaid
    penalties_due_cents: int
    fees_due_cents: int
    interest_due_cents: int  # interest of the instalments due by `on`, not paid
    principal_due_cents: int  # principal of the instalments due by `on`, not paid
    days_past_due: int
    first_unpaid_on: dt.date | None
    next_due: Due | None

    @property
    def arrears_cents(self) -> int:
        return self.penalties_due_cents + self.fees_due_cents + self.interest_due_cents + self.principal_due_cents

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_past_due)


def bucket_of(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "90+"


def current_schedule(advance: Advance, on: dt.date | None = None) -> Schedule | None:
    """The schedule version in force on `on` (the newest when no day is given)."""
    versions = advance.schedules.order_by("-version")
    if on is not None:
        in_force = versions.filter(effective_from__lte=on).first()
        if in_force is not None:
            return in_force
    return versions.first()


def _sum(queryset: object, field: str) -> int:
    return queryset.aggregate(total=Sum(field))["total"] or 0  # type: ignore[attr-defined]


def amounts_due(advance: Advance, on: dt.date) -> list[Due]:
    """The instalments of the schedule in force, each with what is left to pay of it on `on`
    (payments received later than `on` are not counted)."""
    schedule = current_schedule(advance, on)
    if schedule is None:
        return []
    paid = Repayment.objects.filter(schedule=schedule, received_on__lte=on).values_list(
        "interest_cents", "principal_cents", "prepaid_cents"
    )
    covered = sum(interest + principal - prepaid for interest, principal, prepaid in paid)
    dues = []
    for instalment in Instalment.objects.filter(schedule=schedule).order_by("number"):
        used = min(covered, instalment.total_cents)
        covered -= used
        dues.append(
            Due(
                number=instalment.number,
                due_on=instalment.due_on,
                principal_cents=instalment.principal_cents,
                interest_cents=instalment.interest_cents,
                unpaid_cents=instalment.total_cents - used,
            )
        )
    return dues


def _live_on(advance: Advance, on: dt.date) -> bool:
    """Whether the advance was being repaid on that day: disbursed by then, not yet closed."""
    if advance.disbursed_on is None or on < advance.disbursed_on:
        return False
    return advance.closed_on is None or on < advance.closed_on


def position(advance: Advance, on: dt.date) -> Position:
    repayments = Repayment.objects.filter(advance=advance, received_on__lte=on)
    live = _live_on(advance, on)
    outstanding = (advance.amount_cents or 0) - _sum(repayments, "principal_cents") if live else 0
    charges = Charge.objects.filter(advance=advance, charged_on__lte=on)
    penalties = _sum(charges.filter(kind=Charge.Kind.PENALTY), "amount_cents") - _sum(repayments, "penalties_cents")
    fees = _sum(charges.filter(kind=Charge.Kind.FEE), "amount_cents") - _sum(repayments, "fees_cents")
    schedule = current_schedule(advance, on)
    interest_due = principal_due = 0
    if schedule is not None and live:
        due = Instalment.objects.filter(schedule=schedule, due_on__lte=on)
        paid = repayments.filter(schedule=schedule)
        interest_due = max(0, _sum(due, "interest_cents") - _sum(paid, "interest_cents"))
        principal_due = max(
            0, _sum(due, "principal_cents") - (_sum(paid, "principal_cents") - _sum(paid, "prepaid_cents"))
        )
    dues = amounts_due(advance, on) if live else []
    late = [due for due in dues if due.due_on <= on and due.unpaid_cents > 0]
    upcoming = [due for due in dues if due.due_on > on and due.unpaid_cents > 0]
    first_unpaid = late[0].due_on if late else None
    return Position(
        on=on,
        outstanding_cents=outstanding,
        penalties_due_cents=max(0, penalties),
        fees_due_cents=max(0, fees),
        interest_due_cents=interest_due,
        principal_due_cents=principal_due,
        days_past_due=(on - first_unpaid).days if first_unpaid else 0,
        first_unpaid_on=first_unpaid,
        next_due=upcoming[0] if upcoming else None,
    )


def provision_booked(advance: Advance) -> int:
    return _sum(advance.provisions.all(), "change_cents")
