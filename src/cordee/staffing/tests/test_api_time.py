"""The shared-staff API, time side: the same services as the pages, refusals as JSON with the rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.staffing.models import Employee, TimeEntry
from cordee.staffing.tests.factories import employee, plan, submitted_week

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 2)


@pytest.fixture
def staff(actors: Actors) -> Employee:
    staff = employee(person=actors.member_user_a, actor=actors.coordinator)
    plan(staff, {actors.org_a: 90 * 60, actors.org_b: 60 * 60}, actor=actors.coordinator)
    return staff


def _week(staff: Employee, monday: dt.date = MONDAY) -> str:
    return reverse("api-v1:get_week", args=[staff.pk, monday.isoformat()])


def _put(client: Any, url: str, payload: dict) -> Any:
    return client.put(url, payload, content_type="application/json")


def _payload(actors: Actors, minutes: int = 420, start: str = "08:00", end: str = "16:00") -> dict:
    return {
        "entries": [{"day": "2026-11-02", "organisation_id": actors.org_a.pk, "minutes": minutes}],
        "days": [{"day": "2026-11-02", "started_at": start, "ended_at": end}],
    }


def test_the_employee_puts_a_week_and_reads_it_back(actors: Actors, staff: Employee, client_for: Any) -> None:
    client = client_for(actors.member_user_a)
    response = _put(client, _week(staff), _payload(actors))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["contract_minutes"]) == ("draft", 2_100)
    assert body["entries"] == [
        {"day": "2026-11-02", "organisation_id": actors.org_a.pk, "minutes": 420, "state": "pending", "comment": ""}
    ]
    assert client.get(_week(staff)).json() == body


def test_a_week_over_the_limits_is_refused_with_each_rule(actors: Actors, staff: Employee, client_for: Any) -> None:
    payload = _payload(actors, minutes=601, start="07:00", end="17:00")
    response = _put(client_for(actors.member_user_a), _week(staff), payload)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(error["code"], error["article"]) for error in errors] == [("daily_max", "L3121-18"), ("amplitude", None)]
    assert not TimeEntry.objects.exists()


def test_a_line_for_an_organisation_not_in_the_plan_is_refused(
    actors: Actors, staff: Employee, client_for: Any
) -> None:
    plan(staff, {actors.org_a: 60 * 60}, actor=actors.coordinator)
    payload = _payload(actors)
    payload["entries"][0]["organisation_id"] = actors.org_b.pk
    response = _put(client_for(actors.member_user_a), _week(staff), payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_in_plan"


def test_only_the_employee_or_the_coordinator_puts_a_week(actors: Actors, staff: Employee, client_for: Any) -> None:
    expected = {
        "member_user_a": 200,
        "coordinator": 200,
        "member_admin_a": 403,
        "member_admin_b": 403,
        "treasurer": 403,
        "committee": 403,
        "outsider": 403,
        "visitor": 401,
    }
    for role, status in expected.items():
        response = _put(client_for(actors.by_role()[role]), _week(staff), _payload(actors))
        assert response.status_code == status, role


def test_a_week_must_start_on_monday(actors: Actors, staff: Employee, client_for: Any) -> None:
    response = _put(client_for(actors.member_user_a), _week(staff, MONDAY + dt.timedelta(days=1)), _payload(actors))
    assert response.status_code == 422


def test_submit_validate_and_dispute(actors: Actors, staff: Employee, client_for: Any) -> None:
    client = client_for(actors.member_user_a)
    payload = _payload(actors)
    payload["entries"].append({"day": "2026-11-02", "organisation_id": actors.org_b.pk, "minutes": 30})
    payload["days"][0]["ended_at"] = "17:00"
    sheet_id = _put(client, _week(staff), payload).json()["timesheet_id"]
    submitted = client.post(reverse("api-v1:submit_timesheet", args=[sheet_id]))
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    validate = reverse("api-v1:validate_time", args=[sheet_id])
    intruder = client_for(actors.member_admin_b).post(
        validate, {"organisation": actors.org_a.pk}, content_type="application/json"
    )
    assert intruder.status_code == 403
    accepted = client_for(actors.member_admin_a).post(
        validate, {"organisation": actors.org_a.pk}, content_type="application/json"
    )
    assert accepted.json() == {
        "timesheet_id": sheet_id,
        "organisation_id": actors.org_a.pk,
        "state": "validated",
        "minutes": 420,
    }
    dispute = reverse("api-v1:dispute_time", args=[sheet_id])
    empty = client_for(actors.member_admin_b).post(
        dispute, {"organisation": actors.org_b.pk, "comment": ""}, content_type="application/json"
    )
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "comment"
    disputed = client_for(actors.member_admin_b).post(
        dispute, {"organisation": actors.org_b.pk, "comment": "30 min ?"}, content_type="application/json"
    )
    assert disputed.json()["state"] == "disputed"
    # The validated line can no longer change.
    changed = _put(client, _week(staff), {**payload, "entries": payload["entries"][1:]})
    assert changed.status_code == 422 and changed.json()["errors"][0]["code"] == "validated_line"


def test_member_b_reads_only_its_lines_and_no_costs(actors: Actors, staff: Employee, client_for: Any) -> None:
    submitted_week(staff, MONDAY, {actors.org_a: {0: 240}, actors.org_b: {1: 180}})
    client = client_for(actors.member_admin_b)
    week = client.get(_week(staff)).json()
    assert {entry["organisation_id"] for entry in week["entries"]} == {actors.org_b.pk}
    assert week["days"] == []
    detail = client.get(reverse("api-v1:get_employee", args=[staff.pk])).json()
    assert detail["costs"] is None
    assert [share["organisation_id"] for share in detail["plans"][0]["shares"]] == [actors.org_b.pk]
    keeper = client_for(actors.treasurer).get(reverse("api-v1:get_employee", args=[staff.pk])).json()
    assert keeper["costs"]["gross_salary_cents"] == 210_000
    assert {share["planned_minutes"] for share in keeper["plans"][0]["shares"]} == {5_400, 3_600}


def test_the_list_holds_the_employees_one_may_see(actors: Actors, staff: Employee, client_for: Any) -> None:
    assert [row["id"] for row in client_for(actors.member_admin_b).get(reverse("api-v1:list_employees")).json()] == [
        staff.pk
    ]
    employee(actor=actors.coordinator)
    assert len(client_for(actors.coordinator).get(reverse("api-v1:list_employees")).json()) == 2
    assert client_for(actors.member_admin_b).get(reverse("api-v1:list_employees")).json()[0]["id"] == staff.pk
