"""The shared-staff API, time side: employees, their weeks, submitting, validating and disputing.

The same services as the pages. A working-time refusal lists every limit broken, each with its
code (`daily_max`, `weekly_max`, `average_12_weeks`, `daily_rest`, `amplitude`) and the article of
the Code du travail it comes from."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Problem, Refusal, refusal, refusal_status
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.staffing import selectors
from cordee.staffing.models import Employee, TimeEntry, Timesheet
from cordee.staffing.services.timesheets import (
    WorkTimeError,
    time_dispute,
    time_validate,
    timesheet_save,
    timesheet_submit,
)

router = Router(tags=["staffing"], auth=django_auth)


def _refusal(error: DomainError) -> Refusal:
    problems: list[Problem] = []
    if isinstance(error, WorkTimeError):
        problems = [
            Problem(
                field=error.field,
                code=violation.code,
                message=message,
                article=violation.article or None,
                day=violation.day or violation.week,
            )
            for violation, message in zip(error.violations, error.messages, strict=True)
        ]
    return refusal(error, problems)


_status = refusal_status


def _use(request: HttpRequest) -> User:
    if not permissions.can_use_staffing(request.user):
        raise HttpError(403, "Shared staff is for member organisations, employees and the hub's keepers.")
    user = request.user
    assert isinstance(user, User)
    return user


class ShareOut(Schema):
    organisation_id: int
    minutes: int | None = Field(description="Hours of the share, in minutes (basis 'hours')")
    percent: int | None = Field(description="Percentage in basis points, 5000 = 50 % (basis 'percent')")
    planned_minutes: int = Field(description="The minutes the share promises over the period")


class PlanOut(Schema):
    id: int
    period: str
    starts_on: dt.date
    ends_on: dt.date
    basis: str
    label: str
    contract_minutes: int
    shares: list[ShareOut]


class CostsOut(Schema):
    gross_salary_cents: int
    contributions_rate: int | None
    contributions_cents: int | None
    running_costs_rate: int | None
    running_costs_cents: int | None


class EmployeeOut(Schema):
    id: int
    full_name: str
    job_title: str
    employer_id: int | None = Field(description="None: the hub, as employers' group")
    person_id: int | None
    contract_type: str
    weekly_minutes: int
    starts_on: dt.date
    ends_on: dt.date | None
    active: bool


class EmployeeDetailOut(EmployeeOut):
    plans: list[PlanOut]
    costs: CostsOut | None = Field(description="Only for the hub's keepers and the employer's member admins")


class TimeEntryOut(Schema):
    day: dt.date
    organisation_id: int
    minutes: int
    state: str
    comment: str


class DayOut(Schema):
    day: dt.date
    started_at: dt.time
    ended_at: dt.time


class WeekOut(Schema):
    employee_id: int
    week: dt.date
    timesheet_id: int | None
    state: str
    contract_minutes: int
    entries: list[TimeEntryOut]
    days: list[DayOut]


class EntryIn(Schema):
    day: dt.date
    organisation_id: int
    minutes: int = Field(ge=0, le=24 * 60)


class WeekIn(Schema):
    entries: list[EntryIn] = Field(description="Every line of the week: those left out are removed")
    days: list[DayOut] = Field(default_factory=list, description="Start and end of work on each day with hours")


class DecisionIn(Schema):
    organisation: int


class DisputeIn(Schema):
    organisation: int
    comment: str


class TimeDecisionOut(Schema):
    timesheet_id: int
    organisation_id: int
    state: str
    minutes: int


def _employee(employee: Employee) -> dict[str, object]:
    return {
        "id": employee.pk,
        "full_name": employee.full_name,
        "job_title": employee.job_title,
        "employer_id": employee.employer_id,
        "person_id": employee.person_id,
        "contract_type": employee.contract_type,
        "weekly_minutes": employee.weekly_minutes,
        "starts_on": employee.starts_on,
        "ends_on": employee.ends_on,
        "active": employee.active,
    }


def _week(user: User, employee: Employee, monday: dt.date) -> WeekOut:
    grid = selectors.week_grid(employee, monday, user=user)
    return WeekOut(
        employee_id=employee.pk,
        week=grid.monday,
        timesheet_id=grid.timesheet.pk if grid.timesheet else None,
        state=grid.state,
        contract_minutes=grid.contract_minutes,
        entries=[
            TimeEntryOut(
                day=cell.day,
                organisation_id=row.organisation.pk,
                minutes=cell.minutes,
                state=cell.state,
                comment=cell.comment,
            )
            for row in grid.rows
            for cell in row.cells
            if cell.minutes
        ],
        days=[DayOut(day=day, started_at=start, ended_at=end) for day, (start, end) in sorted(grid.times.items())],
    )


def _monday(monday: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(monday)
    except ValueError as exc:
        raise HttpError(422, "monday: give a date as YYYY-MM-DD.") from exc
    if day.weekday() != 0:
        raise HttpError(422, "monday: a week starts on a Monday.")
    return day


@router.get("/staffing/employees", response=list[EmployeeOut], summary="Shared employees you may see")
def list_employees(request: HttpRequest) -> list[EmployeeOut]:
    user = _use(request)
    return [EmployeeOut(**_employee(e)) for e in selectors.employees_for(user).order_by("full_name")[:500]]  # type: ignore[arg-type]


@router.get("/staffing/employees/{employee_id}", response=EmployeeDetailOut, summary="One employee, its plans")
def get_employee(request: HttpRequest, employee_id: int) -> EmployeeDetailOut:
    user = _use(request)
    employee = selectors.get_employee_for_user(user, employee_id)
    scope = selectors.visible_organisations(user, employee)
    plans = [
        PlanOut(
            id=plan.pk,
            period=plan.period,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            basis=plan.basis,
            label=plan.label,
            contract_minutes=selectors.contract_minutes(employee, plan.starts_on, plan.ends_on),
            shares=[
                ShareOut(
                    organisation_id=share.organisation_id,
                    minutes=share.minutes,
                    percent=share.percent,
                    planned_minutes=selectors.share_minutes(plan, share),
                )
                for share in plan.shares.all()
                if scope is None or share.organisation_id in scope
            ],
        )
        for plan in selectors.plans_of(employee)
    ]
    costs = None
    if permissions.can_see_staff_costs(user, employee):
        costs = CostsOut(
            gross_salary_cents=employee.gross_salary_cents,
            contributions_rate=employee.contributions_rate,
            contributions_cents=employee.contributions_cents,
            running_costs_rate=employee.running_costs_rate,
            running_costs_cents=employee.running_costs_cents,
        )
    return EmployeeDetailOut(**_employee(employee), plans=plans, costs=costs)  # type: ignore[arg-type]


@router.get("/staffing/employees/{employee_id}/weeks/{monday}", response=WeekOut, summary="One week of an employee")
def get_week(request: HttpRequest, employee_id: int, monday: str) -> WeekOut:
    user = _use(request)
    employee = selectors.get_employee_for_user(user, employee_id)
    return _week(user, employee, _monday(monday))


@router.put(
    "/staffing/employees/{employee_id}/weeks/{monday}",
    response={200: WeekOut, 403: Refusal, 422: Refusal},
    summary="Replace a week's lines and times (the employee, or the coordinator); the limits are checked",
)
def put_week(request: HttpRequest, employee_id: int, monday: str, payload: WeekIn) -> Status[WeekOut | Refusal]:
    user = _use(request)
    employee = selectors.get_employee_for_user(user, employee_id)
    week = _monday(monday)
    entries: dict[tuple[dt.date, int], int] = {}
    for entry in payload.entries:
        key = (entry.day, entry.organisation_id)
        if key in entries:
            return Status(
                422,
                Refusal(
                    detail="entries: one line per day and organisation.",
                    errors=[Problem(field="entries", code="duplicate", message="One line per day and organisation.")],
                ),
            )
        entries[key] = entry.minutes
    days = {day.day: (day.started_at, day.ended_at) for day in payload.days}
    try:
        timesheet_save(actor=user, employee=employee, week=week, entries=entries, days=days)
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _week(user, employee, week))


def _timesheet(user: User, timesheet_id: int) -> Timesheet:
    return selectors.get_timesheet_for_user(user, timesheet_id)


@router.post(
    "/staffing/timesheets/{timesheet_id}/submit",
    response={200: WeekOut, 403: Refusal, 422: Refusal},
    summary="Submit a week for validation; the member admins concerned are told",
)
def submit_timesheet(request: HttpRequest, timesheet_id: int) -> Status[WeekOut | Refusal]:
    user = _use(request)
    timesheet = _timesheet(user, timesheet_id)
    try:
        timesheet_submit(actor=user, timesheet=timesheet)
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _week(user, timesheet.employee, timesheet.week))


def _organisation(pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise HttpError(404, "organisation: no such organisation.")
    return organisation


def _decision(timesheet: Timesheet, organisation: Organisation, lines: list[TimeEntry]) -> TimeDecisionOut:
    return TimeDecisionOut(
        timesheet_id=timesheet.pk,
        organisation_id=organisation.pk,
        state=lines[0].state,
        minutes=sum(line.minutes for line in lines),
    )


@router.post(
    "/staffing/timesheets/{timesheet_id}/validate",
    response={200: TimeDecisionOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Validate the pending lines of an organisation (its member admins)",
)
def validate_time(request: HttpRequest, timesheet_id: int, payload: DecisionIn) -> Status[TimeDecisionOut | Refusal]:
    user = _use(request)
    timesheet = _timesheet(user, timesheet_id)
    organisation = _organisation(payload.organisation)
    try:
        lines = time_validate(actor=user, timesheet=timesheet, organisation=organisation)
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _decision(timesheet, organisation, lines))


@router.post(
    "/staffing/timesheets/{timesheet_id}/dispute",
    response={200: TimeDecisionOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Dispute the pending lines of an organisation, with a comment (its member admins)",
)
def dispute_time(request: HttpRequest, timesheet_id: int, payload: DisputeIn) -> Status[TimeDecisionOut | Refusal]:
    user = _use(request)
    timesheet = _timesheet(user, timesheet_id)
    organisation = _organisation(payload.organisation)
    try:
        lines = time_dispute(actor=user, timesheet=timesheet, organisation=organisation, comment=payload.comment)
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _decision(timesheet, organisation, lines))
