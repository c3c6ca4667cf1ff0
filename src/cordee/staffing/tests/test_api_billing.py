"""The billing side of the shared-staff API: re-invoicing (or previewing) a month, the months
re-invoiced, one employee's plan versus actual."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.invoicing.models import Invoice
from cordee.staffing.models import MonthInvoicing, TimeEntry
from cordee.staffing.tests.billing_support import log, make_employee, plan

pytestmark = pytest.mark.django_db

D = dt.date
INVOICING = "api-v1:invoice_staff_month"


@pytest.fixture
def shared(actors: Actors):  # type: ignore[no-untyped-def]
    employee = make_employee(full_name="Inès Morel")
    plan(employee, D(2026, 10, 1), D(2026, 10, 31), percent={actors.org_a: 5000, actors.org_b: 5000})
    log(employee, D(2026, 10, 5), actors.org_a, 180)
    log(employee, D(2026, 10, 6), actors.org_b, 60)
    return employee


def post(client: Client, payload: dict[str, Any]) -> Any:
    return client.post(reverse(INVOICING), payload, content_type="application/json")


def test_a_preview_then_a_run_then_a_second_run(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(actors.treasurer)

    preview = post(client, {"month": "2026-10", "dry_run": True})
    assert preview.status_code == 200
    body = preview.json()
    assert body["dry_run"] and body["invoiced_cents"] == 306_720 and not Invoice.objects.exists()
    [month] = body["months"]
    assert month["status"] == "preview" and month["cost_cents"] == 306_720 and month["minutes"] == 240
    assert {(s["organisation_id"], s["total_cents"], s["invoice_id"]) for s in month["shares"]} == {
        (actors.org_a.pk, 230_040, None),
        (actors.org_b.pk, 76_680, None),
    }

    run = post(client, {"month": "2026-10", "dry_run": False}).json()
    [month] = run["months"]
    assert month["status"] == "invoiced" and month["invoicing_id"] == MonthInvoicing.objects.get().pk
    numbers = {s["invoice_number"] for s in month["shares"]}
    assert numbers == set(Invoice.objects.values_list("number", flat=True))

    again = post(client, {"month": "2026-10", "dry_run": False}).json()
    assert [(m["status"], m["invoiced_cents"]) for m in again["months"]] == [("already", 306_720)]
    assert Invoice.objects.count() == 2


def test_skipped_months_say_who_has_hours_to_validate(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    log(shared, D(2026, 10, 7), actors.org_b, 45, state=TimeEntry.State.DISPUTED)
    body = post(client_for(actors.coordinator), {"month": "2026-10", "dry_run": False}).json()
    [month] = body["months"]
    assert month["status"] == "pending"
    assert month["unvalidated"] == [
        {
            "organisation_id": actors.org_b.pk,
            "organisation_name": actors.org_b.name,
            "pending_minutes": 0,
            "disputed_minutes": 45,
        }
    ]
    assert not MonthInvoicing.objects.exists()


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"month": "octobre", "dry_run": True}, 422, "month"),
        ({"month": "2099-01", "dry_run": True}, 422, "month"),
        ({"month": "2026-10", "dry_run": True, "employee_id": 999_999}, 404, "employee_id"),
    ],
)
def test_it_refuses_bad_input_with_the_field(
    actors: Actors, client_for, payload: dict, status: int, field: str
) -> None:  # type: ignore[no-untyped-def]
    response = post(client_for(actors.coordinator), payload)
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field


def test_dry_run_must_be_said(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    assert post(client_for(actors.coordinator), {"month": "2026-10"}).status_code == 422


def test_members_may_not_invoice_staff(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    assert post(client_for(actors.member_admin_a), {"month": "2026-10", "dry_run": False}).status_code == 403
    assert client_for(actors.member_admin_a).get(reverse("api-v1:list_staff_invoicings")).status_code == 403
    assert not MonthInvoicing.objects.exists()


def test_the_months_reinvoiced(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(actors.treasurer)
    post(client, {"month": "2026-10", "dry_run": False})

    rows = client.get(reverse("api-v1:list_staff_invoicings"), {"month": "2026-10"}).json()

    assert [(row["employee_id"], row["month"], row["invoiced_cents"], len(row["invoices"])) for row in rows] == [
        (shared.pk, "2026-10-01", 306_720, 2)
    ]
    assert client.get(reverse("api-v1:list_staff_invoicings"), {"month": "2026-09"}).json() == []


def test_an_employees_report_is_scoped_to_the_readers_organisations(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("api-v1:get_employee_report", args=[shared.pk])
    period = {"start": "2026-10-01", "end": "2026-10-31"}

    mine = client_for(actors.member_admin_a).get(url, period).json()
    everything = client_for(actors.coordinator).get(url, period).json()

    # October: 155 contract hours, half of them planned for each: 4 650 minutes.
    assert [(r["organisation_id"], r["planned_minutes"], r["validated_minutes"]) for r in mine["rows"]] == [
        (actors.org_a.pk, 4_650, 180)
    ]
    assert len(everything["rows"]) == 2
    assert client_for(actors.outsider).get(url, period).status_code == 403
    assert client_for(actors.coordinator).get(url, {"start": "2026-10-31", "end": "2026-10-01"}).status_code == 422
    assert client_for(actors.coordinator).get(reverse("api-v1:get_employee_report", args=[999_999])).status_code == 404
