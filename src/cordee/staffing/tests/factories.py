"""Shared employees, plans and weeks for tests, all written through the services.

    staff = employee()                                   # the hub's, 35 h a week from 1 January 2026
    plan(staff, shares={org_a: 60 * 60, org_b: 40 * 60}, starts_on=dt.date(2026, 11, 1))
    validated_week(staff, dt.date(2026, 11, 2), {org_a: {0: 420, 1: 420}, org_b: {2: 420}})

Whoever acts is found or made: the hub's coordinator, the employee's account, a member admin of
each organisation.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

from cordee.core.models import HubRole, User
from cordee.core.testing import make_person
from cordee.network.models import Affiliation, Organisation
from cordee.staffing.models import AllocationPlan, Employee, Timesheet
from cordee.staffing.services.employees import employee_create, plan_set
from cordee.staffing.services.timesheets import time_validate, timesheet_save, timesheet_submit

CONTRACT_START = dt.date(2026, 1, 1)
_serial = itertools.count(1)


def _pk(organisation: Organisation | int) -> int:
    return organisation.pk if isinstance(organisation, Organisation) else organisation


def coordinator() -> User:
    role = HubRole.objects.filter(role=HubRole.Role.COORDINATOR).select_related("user").first()
    if role is not None:
        return role.user
    user = make_person(f"staff.coordinator{next(_serial)}@example.org", "Coordination")
    HubRole.objects.create(user=user, role=HubRole.Role.COORDINATOR)
    return user


def admin_of(organisation: Organisation) -> User:
    affiliation = (
        Affiliation.objects.filter(organisation=organisation, role=Affiliation.Role.ADMIN)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if affiliation is not None:
        return affiliation.person
    n = next(_serial)
    user = make_person(f"staff.admin{n}@example.org", f"Référent {n}")
    Affiliation.objects.create(person=user, organisation=organisation, role=Affiliation.Role.ADMIN)
    return user


def employee(*, actor: User | None = None, **overrides: Any) -> Employee:
    """Employed by the hub, 35 h a week from 1 January 2026 (CDI), gross 2 100,00 € a month,
    contributions 42 %, running costs 150,00 € a month, logging time with a new account."""
    n = next(_serial)
    fields: dict[str, Any] = {
        "full_name": f"Salariée partagée {n}",
        "job_title": "Chargée de mission",
        "contract_type": "cdi",
        "weekly_minutes": 35 * 60,
        "starts_on": CONTRACT_START,
        "gross_salary_cents": 210_000,
        "contributions_rate": 4_200,
        "running_costs_cents": 15_000,
    }
    if overrides.get("employer") is not None and not {"running_costs_rate", "running_costs_cents"} & set(overrides):
        fields["running_costs_cents"] = None  # a member lending staff charges no running costs (L8241-1)
    fields.update(overrides)
    if "person" not in fields:
        fields["person"] = make_person(f"shared.employee{n}@example.org", fields["full_name"])
    return employee_create(actor=actor or coordinator(), **fields)


def plan(
    staff: Employee,
    shares: Mapping[Organisation | int, int],
    *,
    period: str = AllocationPlan.Period.MONTH,
    starts_on: dt.date = dt.date(2026, 11, 1),
    ends_on: dt.date | None = None,
    basis: str | None = None,
    actor: User | None = None,
    label: str = "",
) -> AllocationPlan:
    """`shares`: organisation -> minutes (basis "hours", the default) or basis points ("percent")."""
    return plan_set(
        actor=actor or coordinator(),
        employee=staff,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        basis=basis or AllocationPlan.Basis.HOURS,
        shares={_pk(org): value for org, value in shares.items()},
        label=label,
    )


def week_entries(
    monday: dt.date, hours: Mapping[Organisation | int, Mapping[int, int]]
) -> tuple[dict[tuple[dt.date, int], int], dict[dt.date, tuple[dt.time, dt.time]]]:
    """(entries, days) for timesheet_save from {organisation: {weekday: minutes}}; each day worked
    starts at 8:00 and ends when its minutes are done, plus an hour's lunch break past 6 hours."""
    entries: dict[tuple[dt.date, int], int] = {}
    totals: dict[dt.date, int] = {}
    for org, days in hours.items():
        for weekday, minutes in days.items():
            day = monday + dt.timedelta(days=weekday)
            entries[(day, _pk(org))] = minutes
            totals[day] = totals.get(day, 0) + minutes
    times = {}
    for day, minutes in totals.items():
        span = minutes + (60 if minutes > 6 * 60 else 0)
        end = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=span)
        times[day] = (dt.time(8), end.time())
    return entries, times


def submitted_week(
    staff: Employee, monday: dt.date, hours: Mapping[Organisation | int, Mapping[int, int]]
) -> Timesheet:
    entries, days = week_entries(monday, hours)
    actor = staff.person or coordinator()
    timesheet = timesheet_save(actor=actor, employee=staff, week=monday, entries=entries, days=days)
    return timesheet_submit(actor=actor, timesheet=timesheet)


def validated_week(
    staff: Employee, monday: dt.date, hours: Mapping[Organisation | int, Mapping[int, int]]
) -> Timesheet:
    """The week saved and submitted by the employee, then validated by a member admin of each
    organisation. `hours`: {organisation: {weekday (0 = Monday): minutes}}."""
    timesheet = submitted_week(staff, monday, hours)
    for org in hours:
        organisation = org if isinstance(org, Organisation) else Organisation.objects.get(pk=org)
        time_validate(actor=admin_of(organisation), timesheet=timesheet, organisation=organisation)
    timesheet.refresh_from_db()
    return timesheet
