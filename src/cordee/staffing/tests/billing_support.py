"""Test data for the re-invoicing, reports and documents of shared staff, written straight with the
ORM: an employee, its plans, its time entries in any state, its expenses. The services that write
them in real life (and their rules) are tested elsewhere; these tests need awkward data fast."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from cordee.network.models import Organisation
from cordee.staffing.models import (
    AllocationPlan,
    ContractType,
    Employee,
    Expense,
    PlanShare,
    TimeEntry,
    Timesheet,
)

D = dt.date
_serial = itertools.count(1)


def make_employee(employer: Organisation | None = None, **fields: Any) -> Employee:
    """A CDI of 35 h a week since 1 September 2026: 2 000,00 € gross, contributions 42 %,
    running costs 8 % (3 067,20 € a whole month)."""
    n = next(_serial)
    values: dict[str, Any] = {
        "full_name": f"Salarié {n}",
        "job_title": "Animateur",
        "contract_type": ContractType.CDI,
        "weekly_minutes": 35 * 60,
        "starts_on": D(2026, 9, 1),
        "gross_salary_cents": 200_000,
        "contributions_rate": 4200,
        "running_costs_rate": 800,
    }
    if employer is not None and not {"running_costs_rate", "running_costs_cents"} & set(fields):
        # A member lending its employee charges no running costs (Code du travail L8241-1).
        values.update(running_costs_rate=None, running_costs_cents=0)
    values.update(fields)
    return Employee.objects.create(employer=employer, **values)


def log(
    employee: Employee, day: dt.date, organisation: Organisation, minutes: int, state: str = TimeEntry.State.VALIDATED
) -> TimeEntry:
    monday = day - dt.timedelta(days=day.weekday())
    timesheet, _created = Timesheet.objects.get_or_create(
        employee=employee, week=monday, defaults={"state": Timesheet.State.SUBMITTED}
    )
    return TimeEntry.objects.create(
        timesheet=timesheet, day=day, organisation=organisation, minutes=minutes, state=state
    )


def spend(
    employee: Employee, day: dt.date, cents: int, organisation: Organisation | None = None, label: str = "Déplacement"
) -> Expense:
    return Expense.objects.create(
        employee=employee, spent_on=day, label=label, amount_cents=cents, organisation=organisation
    )


def plan(
    employee: Employee,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    percent: dict[Organisation, int] | None = None,
    minutes: dict[Organisation, int] | None = None,
    period: str = AllocationPlan.Period.MONTH,
    label: str = "",
) -> AllocationPlan:
    """A plan in percentages (basis points) or in hours (minutes) per organisation."""
    row = AllocationPlan.objects.create(
        employee=employee,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        basis=AllocationPlan.Basis.PERCENT if percent else AllocationPlan.Basis.HOURS,
        label=label,
    )
    for organisation, value in (percent or {}).items():
        PlanShare.objects.create(plan=row, organisation=organisation, percent=value)
    for organisation, value in (minutes or {}).items():
        PlanShare.objects.create(plan=row, organisation=organisation, minutes=value)
    return row
