"""Reads of shared staff: scoped fetches for the views and the API, the plan covering a day, the
contract's hours over a period, the week grid of a timesheet, the lines waiting for validation.

Who sees what: the hub's keepers (coordinator, treasurer) everything; an employee its own sheets;
the people of the employer all its employee's hours; the people of an organisation sharing the
employee only the lines of their own organisation (`visible_organisations`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cordee.core import permissions
from cordee.network.models import Organisation
from cordee.staffing.models import AllocationPlan, Employee, Expense, PlanShare, TimeEntry, Timesheet, WorkDay

WEEK = dt.timedelta(days=7)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- Scoped fetches


def employees_for(user: Any) -> QuerySet[Employee]:
    """The employees a user may see: all for the hub's keepers; otherwise their own employments,
    the employees of their organisations and those planned for their organisations."""
    employees = Employee.objects.select_related("employer", "person")
    scope = permissions.staff_scope(user)
    if scope is None:
        return employees
    mine = Q(person_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    return employees.filter(
        mine
        | Q(employer_id__in=scope)
        | Q(pk__in=PlanShare.objects.filter(organisation_id__in=scope).values("plan__employee_id"))
    ).distinct()


def sharing_organisations(employee: Employee) -> set[int]:
    """The organisations any plan of the employee shares it with."""
    return set(PlanShare.objects.filter(plan__employee=employee).values_list("organisation_id", flat=True))


def get_employee_for_user(user: Any, pk: int) -> Employee:
    employee = Employee.objects.select_related("employer", "person").filter(pk=pk).first()
    if employee is None or not permissions.can_see_employee(user, employee, sharing_organisations(employee)):
        raise Http404
    return employee


def get_timesheet_for_user(user: Any, pk: int) -> Timesheet:
    timesheet = (
        Timesheet.objects.select_related("employee", "employee__employer", "employee__person").filter(pk=pk).first()
    )
    if timesheet is None or not permissions.can_see_employee(
        user, timesheet.employee, sharing_organisations(timesheet.employee)
    ):
        raise Http404
    return timesheet


def visible_organisations(user: Any, employee: Employee) -> set[int] | None:
    """Whose lines of this employee's sheets a user sees; None: every line (the hub's keepers, the
    employee, whoever logs its time, the people of its employer)."""
    if permissions.staff_scope(user) is None or permissions.can_log_time_of(user, employee):
        return None
    mine = set(permissions.actor_for(user).organisations)
    if employee.employer_id is not None and employee.employer_id in mine:
        return None
    return mine


# --- Plans and contract


def plans_of(employee: Employee, start: dt.date | None = None, end: dt.date | None = None) -> list[AllocationPlan]:
    plans = employee.plans.prefetch_related(
        Prefetch("shares", queryset=PlanShare.objects.select_related("organisation"))
    ).order_by("starts_on")
    if start is not None:
        plans = plans.filter(ends_on__gte=start)
    if end is not None:
        plans = plans.filter(starts_on__lte=end)
    return list(plans)


def plan_covering(employee: Employee, day: dt.date) -> AllocationPlan | None:
    """The plan of the employee whose period holds `day` (plans never overlap), shares prefetched."""
    plans = plans_of(employee, day, day)
    return plans[0] if plans else None


def contract_days(employee: Employee, start: dt.date, end: dt.date) -> int:
    first = max(start, employee.starts_on)
    last = min(end, employee.ends_on) if employee.ends_on else end
    return max(0, (last - first).days + 1)


def contract_minutes(employee: Employee, start: dt.date, end: dt.date) -> int:
    """The contract's hours between two days included: weekly minutes × days inside the contract / 7,
    rounded down (35 h a week over 30 days: 9 000 minutes, 150 h)."""
    return employee.weekly_minutes * contract_days(employee, start, end) // 7


def share_minutes(plan: AllocationPlan, share: PlanShare) -> int:
    """The minutes a share promises: its hours, or its percentage of the contract's period."""
    if share.minutes is not None:
        return share.minutes
    return contract_minutes(plan.employee, plan.starts_on, plan.ends_on) * (share.percent or 0) // 10_000


def logged_minutes(employee: Employee, start: dt.date, end: dt.date, *, validated_only: bool = False) -> dict[int, int]:
    """Minutes logged per organisation between two days included."""
    entries = TimeEntry.objects.filter(timesheet__employee=employee, day__gte=start, day__lte=end)
    if validated_only:
        entries = entries.filter(state=TimeEntry.State.VALIDATED)
    totals: dict[int, int] = defaultdict(int)
    for organisation_id, minutes in entries.values_list("organisation_id", "minutes"):
        totals[organisation_id] += minutes
    return dict(totals)


# --- The week grid


@dataclass
class Cell:
    day: dt.date
    minutes: int | None
    state: str = ""
    comment: str = ""
    in_plan: bool = True
    editable: bool = True


@dataclass
class GridRow:
    organisation: Organisation
    cells: list[Cell]

    @property
    def total(self) -> int:
        return sum(cell.minutes or 0 for cell in self.cells)


@dataclass
class WeekGrid:
    employee: Employee
    monday: dt.date
    timesheet: Timesheet | None
    days: list[dt.date]
    rows: list[GridRow]
    times: dict[dt.date, tuple[dt.time, dt.time]]
    plans: list[AllocationPlan]
    contract_minutes: int
    working_days: set[dt.date] = field(default_factory=set)
    closed_days: set[dt.date] = field(default_factory=set)

    @property
    def previous(self) -> dt.date:
        return self.monday - WEEK

    @property
    def next(self) -> dt.date:
        return self.monday + WEEK

    @property
    def day_totals(self) -> list[int]:
        return [sum(row.cells[i].minutes or 0 for row in self.rows) for i in range(7)]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def state(self) -> str:
        return self.timesheet.state if self.timesheet else Timesheet.State.DRAFT

    @property
    def editable(self) -> bool:
        return any(cell.editable for row in self.rows for cell in row.cells)


def week_grid(employee: Employee, monday: dt.date, *, user: Any = None) -> WeekGrid:
    """What the timesheet page needs: one row per organisation of the plan(s) of that week (and of
    any line logged), one column per day, the day's start and end times. A cell is editable when
    its day is in the contract and in a plan that holds the organisation, the month is not
    re-invoiced, and its line is not validated. With `user`, only the rows that user may see."""
    from cordee.staffing.models import MonthInvoicing

    monday = monday_of(monday)
    sunday = monday + dt.timedelta(days=6)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    timesheet = Timesheet.objects.filter(employee=employee, week=monday).first()
    entries = list(timesheet.entries.select_related("organisation")) if timesheet is not None else []
    times = (
        {work.day: (work.started_at, work.ended_at) for work in timesheet.days.all()} if timesheet is not None else {}
    )
    plans = plans_of(employee, monday, sunday)
    planned: dict[dt.date, set[int]] = {day: set() for day in days}
    organisations: dict[int, Organisation] = {}
    for plan in plans:
        for share in plan.shares.all():
            organisations[share.organisation_id] = share.organisation
            for day in days:
                if plan.starts_on <= day <= plan.ends_on:
                    planned[day].add(share.organisation_id)
    for entry in entries:
        organisations.setdefault(entry.organisation_id, entry.organisation)
    invoiced = set(
        MonthInvoicing.objects.filter(
            employee=employee, month__gte=monday.replace(day=1), month__lte=sunday
        ).values_list("month", flat=True)
    )
    working = {
        day for day in days if day >= employee.starts_on and (employee.ends_on is None or day <= employee.ends_on)
    }
    closed = {day for day in days if day.replace(day=1) in invoiced}
    scope = visible_organisations(user, employee) if user is not None else None
    by_cell = {(entry.day, entry.organisation_id): entry for entry in entries}
    rows = []
    for pk, organisation in sorted(organisations.items(), key=lambda item: item[1].name):
        if scope is not None and pk not in scope:
            continue
        cells = []
        for day in days:
            logged = by_cell.get((day, pk))
            open_day = day in working and day not in closed and pk in planned[day]
            cells.append(
                Cell(
                    day=day,
                    minutes=logged.minutes if logged else None,
                    state=logged.state if logged else "",
                    comment=logged.comment if logged else "",
                    in_plan=pk in planned[day],
                    editable=open_day and not (logged and logged.state == TimeEntry.State.VALIDATED),
                )
            )
        rows.append(GridRow(organisation=organisation, cells=cells))
    return WeekGrid(
        employee=employee,
        monday=monday,
        timesheet=timesheet,
        days=days,
        rows=rows,
        times=times if scope is None else {},
        plans=plans,
        contract_minutes=contract_minutes(employee, monday, sunday),
        working_days=working,
        closed_days=closed,
    )


def recent_weeks(employee: Employee, count: int = 8) -> list[tuple[Timesheet, int]]:
    """The employee's latest sheets with their logged minutes."""
    sheets = list(employee.timesheets.order_by("-week")[:count])
    totals: dict[int, int] = defaultdict(int)
    for sheet_id, minutes in TimeEntry.objects.filter(timesheet__in=sheets).values_list("timesheet_id", "minutes"):
        totals[sheet_id] += minutes
    return [(sheet, totals[sheet.pk]) for sheet in sheets]


def expenses_of(employee: Employee) -> QuerySet[Expense]:
    return employee.expenses.select_related("organisation").order_by("-spent_on", "-pk")


# --- Validation


@dataclass
class ToValidate:
    timesheet: Timesheet
    organisation: Organisation
    entries: list[TimeEntry]

    @property
    def minutes(self) -> int:
        return sum(entry.minutes for entry in self.entries)


def admin_organisations(user: Any) -> set[int]:
    actor = permissions.actor_for(user)
    return {pk for pk in actor.organisations if permissions.can_validate_time_for(user, pk)}


def to_validate(user: Any) -> list[ToValidate]:
    """The submitted lines waiting for this user's decision: those of the organisations it is a
    member admin of, grouped by sheet and organisation, oldest week first."""
    mine = admin_organisations(user)
    if not mine:
        return []
    entries = (
        TimeEntry.objects.filter(
            organisation_id__in=mine, state=TimeEntry.State.PENDING, timesheet__state=Timesheet.State.SUBMITTED
        )
        .select_related("organisation", "timesheet", "timesheet__employee")
        .order_by("timesheet__week", "timesheet__employee__full_name", "organisation__name", "day")
    )
    groups: dict[tuple[int, int], ToValidate] = {}
    for entry in entries:
        key = (entry.timesheet_id, entry.organisation_id)
        if key not in groups:
            groups[key] = ToValidate(timesheet=entry.timesheet, organisation=entry.organisation, entries=[])
        groups[key].entries.append(entry)
    return list(groups.values())


def day_times(employee: Employee, start: dt.date, end: dt.date) -> dict[dt.date, tuple[dt.time, dt.time]]:
    return {
        work.day: (work.started_at, work.ended_at)
        for work in WorkDay.objects.filter(timesheet__employee=employee, day__gte=start, day__lte=end)
    }
