"""The shared-staff pages: the index per person, contracts, plans, expenses, the week grid, validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.staffing.models import AllocationPlan, Employee, Expense, TimeEntry, Timesheet
from cordee.staffing.tests.factories import employee, plan, submitted_week, validated_week

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 2)


@pytest.fixture
def staff(actors: Actors) -> Employee:
    staff = employee(person=actors.member_user_a, actor=actors.coordinator, full_name="Inès Morel")
    plan(staff, {actors.org_a: 90 * 60, actors.org_b: 60 * 60}, actor=actors.coordinator)
    return staff


def _week_url(staff: Employee, monday: dt.date = MONDAY) -> str:
    return reverse("staffing:week", args=[staff.pk, monday.isoformat()])


def _cell(organisation_id: int, day: dt.date) -> str:
    return f"h-{organisation_id}-{day:%Y-%m-%d}"


def test_the_index_adapts_to_the_person(actors: Actors, staff: Employee, client_for: Any) -> None:
    submitted_week(staff, MONDAY, {actors.org_a: {0: 240}})
    coordinator = client_for(actors.coordinator).get(reverse("staffing:index"))
    assert reverse("staffing:employee_new") in coordinator.content.decode()
    assert list(coordinator.context["employees"]) == [staff]
    own = client_for(actors.member_user_a).get(reverse("staffing:index"))
    assert [person for person, _weeks in own.context["own"]] == [staff]
    assert reverse("staffing:employee_new") not in own.content.decode()
    admin_a = client_for(actors.member_admin_a).get(reverse("staffing:index"))
    assert [group.minutes for group in admin_a.context["to_validate"]] == [240]
    admin_b = client_for(actors.member_admin_b).get(reverse("staffing:index"))
    assert admin_b.context["to_validate"] == []
    assert list(admin_b.context["employees"]) == [staff]


def test_the_coordinator_records_an_employee_with_typed_amounts(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.coordinator).post(
        reverse("staffing:employee_new"),
        {
            "full_name": "Léa Chabrand",
            "job_title": "Animatrice",
            "employer": "",
            "person_email": "user.a@example.org",
            "contract_type": "cdd",
            "weekly_minutes": "24,5",
            "starts_on": "2026-09-01",
            "ends_on": "2027-08-31",
            "gross_salary_cents": "1 650,50",
            "contributions_rate": "42",
            "running_costs_cents": "150",
        },
    )
    staff = Employee.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("staffing:plan", args=[staff.pk])
    assert (staff.weekly_minutes, staff.gross_salary_cents, staff.contributions_rate, staff.running_costs_cents) == (
        1_470,
        165_050,
        4_200,
        15_000,
    )
    assert staff.person == actors.member_user_a


def test_a_bad_contract_form_is_refused(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.coordinator).post(
        reverse("staffing:employee_new"),
        {
            "full_name": "Léa",
            "job_title": "Animatrice",
            "contract_type": "cdi",
            "weekly_minutes": "49",
            "starts_on": "2026-09-01",
            "gross_salary_cents": "1650",
            "contributions_rate": "42",
        },
    )
    assert response.status_code == 400
    assert "weekly_minutes" in response.context["form"].errors
    assert not Employee.objects.exists()


def test_the_plan_form_shares_a_month_and_refuses_more_than_the_contract(actors: Actors, client_for: Any) -> None:
    staff = employee(actor=actors.coordinator)
    client = client_for(actors.coordinator)
    url = reverse("staffing:plan", args=[staff.pk])
    data = {"period": "month", "starts_on": "2026-11-01", "basis": "hours", "label": "Novembre"}
    over = client.post(url, {**data, f"share_{actors.org_a.pk}": "90", f"share_{actors.org_b.pk}": "60h01"})
    assert over.status_code == 400 and not AllocationPlan.objects.exists()
    assert over.context["form"].errors
    done = client.post(url, {**data, f"share_{actors.org_a.pk}": "90", f"share_{actors.org_b.pk}": "60"})
    assert done.status_code == 302
    assert dict(AllocationPlan.objects.get().shares.values_list("organisation_id", "minutes")) == {
        actors.org_a.pk: 5_400,
        actors.org_b.pk: 3_600,
    }
    page = client.get(url + "?debut=2026-11-01")
    assert page.context["form"].initial[f"share_{actors.org_a.pk}"] == "90"


def test_the_employee_fills_and_submits_the_week_grid(
    actors: Actors, staff: Employee, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(actors.member_user_a)
    page = client.get(_week_url(staff))
    assert page.status_code == 200
    assert _cell(actors.org_a.pk, MONDAY) in page.content.decode()
    tuesday = MONDAY + dt.timedelta(days=1)
    data = {
        _cell(actors.org_a.pk, MONDAY): "3h30",
        _cell(actors.org_b.pk, MONDAY): "3,5",
        _cell(actors.org_a.pk, tuesday): "7",
        "start-2026-11-02": "08:30",
        "end-2026-11-02": "16:30",
        "start-2026-11-03": "09:00",
        "end-2026-11-03": "17:00",
        "action": "submit",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_week_url(staff), data)
    assert response.status_code == 302
    sheet = Timesheet.objects.get(employee=staff, week=MONDAY)
    assert sheet.state == Timesheet.State.SUBMITTED
    assert sorted(sheet.entries.values_list("minutes", flat=True)) == [210, 210, 420]
    assert sheet.days.get(day=MONDAY).started_at == dt.time(8, 30)


def test_the_grid_refuses_a_day_over_ten_hours_naming_the_article(
    actors: Actors, staff: Employee, client_for: Any
) -> None:
    response = client_for(actors.member_user_a).post(
        _week_url(staff),
        {_cell(actors.org_a.pk, MONDAY): "10h01", "start-2026-11-02": "07:00", "end-2026-11-02": "19:00"},
    )
    assert response.status_code == 400
    assert any("L3121-18" in problem for problem in response.context["problems"])
    assert not TimeEntry.objects.exists()


def test_the_grid_refuses_badly_typed_hours(actors: Actors, staff: Employee, client_for: Any) -> None:
    response = client_for(actors.member_user_a).post(_week_url(staff), {_cell(actors.org_a.pk, MONDAY): "beaucoup"})
    assert response.status_code == 400
    assert _cell(actors.org_a.pk, MONDAY) in response.context["form"].errors
    assert not Timesheet.objects.exists()


def test_a_validated_cell_is_shown_but_not_editable(actors: Actors, staff: Employee, client_for: Any) -> None:
    validated_week(staff, MONDAY, {actors.org_a: {0: 240}})
    client = client_for(actors.member_user_a)
    page = client.get(_week_url(staff))
    assert _cell(actors.org_a.pk, MONDAY) not in page.context["form"].fields
    assert _cell(actors.org_b.pk, MONDAY) in page.context["form"].fields
    # The validated line is kept as it was when the rest of the week is saved.
    tuesday = "2026-11-03"
    response = client.post(
        _week_url(staff),
        {
            _cell(actors.org_b.pk, MONDAY + dt.timedelta(days=1)): "2",
            "start-2026-11-02": "08:00",
            "end-2026-11-02": "12:00",
            f"start-{tuesday}": "09:00",
            f"end-{tuesday}": "11:00",
        },
    )
    assert response.status_code == 302
    assert sorted(TimeEntry.objects.values_list("minutes", "state")) == [(120, "pending"), (240, "validated")]


def test_a_week_url_not_on_monday_goes_to_its_monday(actors: Actors, staff: Employee, client_for: Any) -> None:
    response = client_for(actors.member_user_a).get(_week_url(staff, MONDAY + dt.timedelta(days=3)))
    assert response.status_code == 302 and response["Location"] == _week_url(staff)


def test_member_b_never_sees_a_lines(actors: Actors, staff: Employee, client_for: Any) -> None:
    submitted_week(staff, MONDAY, {actors.org_a: {0: 240}, actors.org_b: {1: 180}})
    client = client_for(actors.member_admin_b)
    page = client.get(_week_url(staff))
    assert [row["organisation"] for row in page.context["layout"]["rows"]] == [actors.org_b]
    assert actors.org_a.name not in page.content.decode()
    validation = client.get(reverse("staffing:validation"))
    assert [group.organisation for group in validation.context["groups"]] == [actors.org_b]
    assert actors.org_a.name not in validation.content.decode()
    assert client.post(_week_url(staff), {"action": "save"}).status_code == 403


def test_member_admins_validate_and_dispute_their_own_lines_only(
    actors: Actors, staff: Employee, client_for: Any
) -> None:
    sheet = submitted_week(staff, MONDAY, {actors.org_a: {0: 240}, actors.org_b: {1: 180}})
    url = reverse("staffing:validation")
    intruder = client_for(actors.member_admin_b).post(
        url, {"timesheet": sheet.pk, "organisation": actors.org_a.pk, "action": "validate"}
    )
    assert intruder.status_code == 403
    assert not TimeEntry.objects.filter(state="validated").exists()
    validated = client_for(actors.member_admin_a).post(
        url, {"timesheet": sheet.pk, "organisation": actors.org_a.pk, "action": "validate"}
    )
    assert validated.status_code == 302
    no_comment = client_for(actors.member_admin_b).post(
        url, {"timesheet": sheet.pk, "organisation": actors.org_b.pk, "action": "dispute", "comment": ""}
    )
    assert no_comment.status_code == 400
    disputed = client_for(actors.member_admin_b).post(
        url, {"timesheet": sheet.pk, "organisation": actors.org_b.pk, "action": "dispute", "comment": "Mardi : 2 h"}
    )
    assert disputed.status_code == 302
    assert dict(TimeEntry.objects.values_list("organisation_id", "state")) == {
        actors.org_a.pk: "validated",
        actors.org_b.pk: "disputed",
    }


def test_costs_are_shown_to_the_keepers_only(actors: Actors, staff: Employee, client_for: Any) -> None:
    url = reverse("staffing:employee", args=[staff.pk])
    assert client_for(actors.coordinator).get(url).context["see_costs"] is True
    for person in (actors.member_admin_b, actors.member_admin_a, actors.member_user_a):
        page = client_for(person).get(url)
        assert page.status_code == 200
        assert page.context["see_costs"] is False
        assert 'id="gross-salary"' not in page.content.decode()


def test_the_employee_records_an_expense(actors: Actors, staff: Employee, client_for: Any) -> None:
    url = reverse("staffing:expenses", args=[staff.pk])
    response = client_for(actors.member_user_a).post(
        url, {"spent_on": "2026-11-04", "label": "Parking", "amount_cents": "12,50", "organisation": actors.org_a.pk}
    )
    assert response.status_code == 302
    assert list(Expense.objects.values_list("amount_cents", "organisation_id")) == [(1_250, actors.org_a.pk)]
    assert client_for(actors.member_admin_a).post(url, {"label": "x"}).status_code == 403


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_week_and_the_index_do_not_grow_with_organisations(actors: Actors, client_for: Any) -> None:
    from cordee.core.testing import make_organisation

    counts = []
    for extra in (0, 4):
        staff = employee(actor=actors.coordinator)
        organisations = [actors.org_a, *(make_organisation() for _ in range(extra))]
        plan(staff, dict.fromkeys(organisations, 600), actor=actors.coordinator)
        submitted_week(staff, MONDAY, {org: {n % 5: 30} for n, org in enumerate(organisations)})
        client = client_for(staff.person)
        counts.append(
            (
                _queries(client, _week_url(staff)),
                _queries(client_for(actors.member_admin_a), reverse("staffing:validation")),
            )
        )
    assert counts[0] == counts[1]
