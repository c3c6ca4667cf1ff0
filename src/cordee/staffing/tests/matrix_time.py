"""Rows of the authorization matrix for shared staff, time side (see matrix_support).

The world: a shared employee of the hub whose account is member_user_a, planned in November 2026
for organisations A and B; its week of 2 November submitted with lines for A only; an expense.
The people of A and B see the employee (B only its own lines); member_user_a logs its time; A's
member admins validate; the coordinator manages contracts and plans; the treasurer looks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from cordee.core.tests.matrix_support import REDIRECT, Row, World, coordinator_only, everyone, logged_in
from cordee.staffing.services.employees import expense_record
from cordee.staffing.tests.factories import employee, plan, submitted_week

WEEK = dt.date(2026, 11, 2)

# The shared-staff pages: people of member organisations, employees and the hub's keepers.
USES = {**logged_in(200), "outsider": 403, "committee": 403}
API_USES = {**USES, "visitor": 401}
MANAGER_FORM = {**coordinator_only(400)}
# What only the employee (member_user_a) and the coordinator may do.
LOGS = {**USES, "member_admin_a": 403, "member_admin_b": 403, "treasurer": 403}
# What only A's member admins may do.
A_DECIDES = {**USES, "member_user_a": 403, "member_admin_b": 403, "coordinator": 403, "treasurer": 403}


def _employee(w: World) -> int:
    return w.objects["staffing.employee"].pk


def _timesheet(w: World) -> int:
    return w.objects["staffing.timesheet"].pk


def _url(name: str, *args: Any) -> Any:
    return lambda w: reverse(name, args=[arg(w) if callable(arg) else arg for arg in args])


def _post(name: str, args: tuple[Any, ...], expect: dict[str, Any], data: Any = None) -> Row:
    return Row(_url(name, *args), expect, method="post", data=data or (lambda w: {}))


ROWS: dict[str, list[Row]] = {
    "staffing:index": [Row(_url("staffing:index"), USES)],
    "staffing:employee_new": [
        Row(_url("staffing:employee_new"), coordinator_only()),
        _post("staffing:employee_new", (), MANAGER_FORM),
    ],
    "staffing:employee": [Row(_url("staffing:employee", _employee), USES)],
    "staffing:employee_edit": [
        Row(_url("staffing:employee_edit", _employee), coordinator_only()),
        _post("staffing:employee_edit", (_employee,), MANAGER_FORM),
    ],
    "staffing:plan": [
        Row(_url("staffing:plan", _employee), coordinator_only()),
        Row(lambda w: reverse("staffing:plan", args=[_employee(w)]) + "?debut=2026-11-01", coordinator_only()),
        _post("staffing:plan", (_employee,), MANAGER_FORM),
    ],
    "staffing:expenses": [
        Row(_url("staffing:expenses", _employee), USES),
        _post("staffing:expenses", (_employee,), {**LOGS, "member_user_a": 400, "coordinator": 400}),
    ],
    "staffing:week": [
        Row(_url("staffing:week", _employee, WEEK.isoformat()), USES),
        Row(
            _url("staffing:week", _employee, "2026-11-04"),
            {
                **USES,
                **dict.fromkeys(
                    ["member_user_a", "member_admin_a", "member_admin_b", "coordinator", "treasurer"], REDIRECT
                ),
            },
        ),
        _post(
            "staffing:week",
            (_employee, WEEK.isoformat()),
            {**LOGS, "member_user_a": REDIRECT, "coordinator": REDIRECT},
            data=lambda w: {"action": "save"},
        ),
    ],
    "staffing:validation": [
        Row(_url("staffing:validation"), USES),
        _post(
            "staffing:validation",
            (),
            {**A_DECIDES, "member_admin_a": REDIRECT},
            data=lambda w: {"timesheet": _timesheet(w), "organisation": w.actors.org_a.pk, "action": "validate"},
        ),
    ],
    # The API
    "api-v1:list_employees": [Row(_url("api-v1:list_employees"), API_USES)],
    "api-v1:get_employee": [Row(_url("api-v1:get_employee", _employee), API_USES)],
    "api-v1:get_week": [
        Row(_url("api-v1:get_week", _employee, WEEK.isoformat()), API_USES),
        Row(
            _url("api-v1:get_week", _employee, "2026-11-03"),
            {
                **API_USES,
                **dict.fromkeys(["member_user_a", "member_admin_a", "member_admin_b", "coordinator", "treasurer"], 422),
            },
        ),
    ],
    # The matrix sends GET and POST only: the PUT of the same path is checked per role in test_api_time.
    "api-v1:put_week": [Row(_url("api-v1:put_week", _employee, WEEK.isoformat()), API_USES)],
    "api-v1:submit_timesheet": [
        _post(
            "api-v1:submit_timesheet",
            (_timesheet,),
            {**everyone(403), "visitor": 401, "member_user_a": 422, "coordinator": 422},
            data=lambda w: {"note": ""},
        )
    ],
    "api-v1:validate_time": [
        _post(
            "api-v1:validate_time",
            (_timesheet,),
            {**A_DECIDES, "visitor": 401, "member_admin_a": 200},
            data=lambda w: {"organisation": w.actors.org_a.pk},
        )
    ],
    "api-v1:dispute_time": [
        _post(
            "api-v1:dispute_time",
            (_timesheet,),
            {**A_DECIDES, "visitor": 401, "member_admin_a": 200},
            data=lambda w: {"organisation": w.actors.org_a.pk, "comment": "Pas ce jour-là"},
        )
    ],
}
ADMIN_MODELS: dict[str, Any] = {}


def populate(world: World) -> None:
    actors = world.actors
    staff = employee(person=actors.member_user_a, actor=actors.coordinator)
    world.objects["staffing.employee"] = staff
    world.objects["staffing.allocationplan"] = plan(
        staff, {actors.org_a: 80 * 60, actors.org_b: 60 * 60}, starts_on=dt.date(2026, 11, 1), actor=actors.coordinator
    )
    world.objects["staffing.timesheet"] = submitted_week(staff, WEEK, {actors.org_a: {0: 420, 1: 420}})
    world.objects["staffing.expense"] = expense_record(
        actor=actors.coordinator,
        employee=staff,
        spent_on=WEEK,
        label="Train Gap – Briançon",
        amount_cents=2_340,
        organisation=actors.org_a,
    )
