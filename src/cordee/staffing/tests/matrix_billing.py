"""The re-invoicing, reports and documents rows of the authorization matrix (see
cordee/core/tests/matrix_support.py).

The world: an employee of the hub planned for organisation A last month, with validated hours for
A, and that month re-invoiced (`world.objects["staffing.monthinvoicing"]`). The re-invoicing is
for the coordinator and the treasurer. The report pages are for whoever uses shared staff; one
employee's report for whoever may see the employee (B's admin is told it does not exist). Its
documents: the hub's keepers; A's agreement and hours annex also A's member admins; a member user
of A sees the employee but not its documents (403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import Row, World, everyone, logged_in
from cordee.staffing.services.billing import invoice_staff
from cordee.staffing.tests.billing_support import log, make_employee, plan

KEEPERS = {**logged_in(403), "coordinator": 200, "treasurer": 200}
KEEPERS_FORM = {**logged_in(403), "coordinator": 400, "treasurer": 400}
USES_STAFFING = {**KEEPERS, "member_user_a": 200, "member_admin_a": 200, "member_admin_b": 200}
SEES_EMPLOYEE = {**KEEPERS, "member_user_a": 200, "member_admin_a": 200, "member_admin_b": 404}
SEES_EMPLOYEE_FORM = {
    **SEES_EMPLOYEE,
    "member_user_a": 400,
    "member_admin_a": 400,
    "coordinator": 400,
    "treasurer": 400,
}
A_DOCUMENT = {**SEES_EMPLOYEE, "member_user_a": 403}
EMPLOYER_DOCUMENT = {**A_DOCUMENT, "member_admin_a": 403}
# A document about B, which has no hours nor plan: no one gets it.
NO_DOCUMENT = {**A_DOCUMENT, "member_user_a": 404, "member_admin_a": 404, "coordinator": 404, "treasurer": 404}
API_KEEPERS = {**everyone(403), "visitor": 401, "coordinator": 200, "treasurer": 200}
API_SEES_EMPLOYEE = {**SEES_EMPLOYEE, "visitor": 401}
LONG_AGO = "2020-01"  # a month without any shared employee: a preview that finds nothing


def _employee(w: World) -> int:
    return w.objects["staffing.monthinvoicing"].employee_id


def _invoicing(w: World) -> int:
    return w.objects["staffing.monthinvoicing"].pk


ROWS: dict[str, list[Row]] = {
    "staffing:billing": [
        Row(lambda w: reverse("staffing:billing"), KEEPERS),
        Row(
            lambda w: reverse("staffing:billing"),
            KEEPERS,
            method="post",
            data=lambda w: {"month": LONG_AGO, "action": "preview"},
        ),
        Row(lambda w: reverse("staffing:billing"), KEEPERS_FORM, method="post", data=lambda w: {"month": "mars"}),
    ],
    "staffing:billing_annex": [
        Row(lambda w: reverse("staffing:billing_annex", args=[_invoicing(w), w.actors.org_a.pk]), A_DOCUMENT),
        Row(lambda w: reverse("staffing:billing_annex", args=[_invoicing(w), w.actors.org_b.pk]), NO_DOCUMENT),
    ],
    "staffing:report": [
        Row(lambda w: reverse("staffing:report"), USES_STAFFING),
        Row(
            lambda w: reverse("staffing:report") + "?du=2026-12-01&au=2026-11-01",
            {**USES_STAFFING, **{role: 400 for role, status in USES_STAFFING.items() if status == 200}},
        ),
    ],
    "staffing:employee_report": [
        Row(lambda w: reverse("staffing:employee_report", args=[_employee(w)]), SEES_EMPLOYEE),
        Row(lambda w: reverse("staffing:employee_report", args=[_employee(w)]) + "?du=hier", SEES_EMPLOYEE_FORM),
    ],
    "staffing:convention": [
        Row(lambda w: reverse("staffing:convention", args=[_employee(w), w.actors.org_a.pk]), A_DOCUMENT),
        Row(lambda w: reverse("staffing:convention", args=[_employee(w), w.actors.org_b.pk]), NO_DOCUMENT),
        Row(
            lambda w: reverse("staffing:convention", args=[_employee(w), w.actors.org_a.pk]),
            everyone(405),
            method="post",
        ),
    ],
    "staffing:mission_letter": [
        Row(lambda w: reverse("staffing:mission_letter", args=[_employee(w)]), EMPLOYER_DOCUMENT),
    ],
    "api-v1:invoice_staff_month": [
        Row(
            lambda w: reverse("api-v1:invoice_staff_month"),
            API_KEEPERS,
            method="post",
            data=lambda w: {"month": LONG_AGO, "dry_run": True},
        ),
    ],
    "api-v1:list_staff_invoicings": [Row(lambda w: reverse("api-v1:list_staff_invoicings"), API_KEEPERS)],
    "api-v1:get_employee_report": [
        Row(lambda w: reverse("api-v1:get_employee_report", args=[_employee(w)]), API_SEES_EMPLOYEE),
    ],
}
ADMIN_MODELS: dict[str, Any] = {}


def populate(world: World) -> None:
    actors = world.actors
    first = timezone.localdate().replace(day=1)
    month = (first - dt.timedelta(days=1)).replace(day=1)
    employee = make_employee(full_name="Salariée de la matrice", starts_on=month)
    plan(employee, month, first - dt.timedelta(days=1), percent={actors.org_a: 5000})
    log(employee, month + dt.timedelta(days=2), actors.org_a, 420)
    report = invoice_staff(month=month, employee=employee, notify=False)
    world.objects["staffing.monthinvoicing"] = report.months[0].invoicing
