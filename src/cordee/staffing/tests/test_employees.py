"""Shared employees: recording and changing a contract, the expenses reimbursed, who sees whom."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation, make_person
from cordee.network.models import Membership
from cordee.staffing import selectors
from cordee.staffing.models import Employee, Expense
from cordee.staffing.services.employees import employee_create, employee_update, expense_record
from cordee.staffing.tests.factories import employee, plan, submitted_week

pytestmark = pytest.mark.django_db

CONTRACT: dict[str, Any] = {
    "full_name": "Camille Arnaud",
    "job_title": "Comptable partagée",
    "contract_type": "cdi",
    "weekly_minutes": 35 * 60,
    "starts_on": dt.date(2026, 1, 1),
    "gross_salary_cents": 210_000,
    "contributions_rate": 4_200,
    "running_costs_cents": 15_000,
}


def test_the_coordinator_records_a_shared_employee(actors: Actors) -> None:
    staff = employee_create(actor=actors.coordinator, person=actors.member_user_a, **CONTRACT)
    assert (staff.employer, staff.weekly_minutes, staff.contributions_rate, staff.running_costs_cents) == (
        None,
        2_100,
        4_200,
        15_000,
    )
    assert AuditEvent.objects.filter(action="staffing.employee.create", target_id=str(staff.pk)).exists()


def test_a_host_member_can_be_the_employer(actors: Actors) -> None:
    staff = employee_create(actor=actors.coordinator, employer=actors.org_b, **{**CONTRACT, "running_costs_cents": 0})
    assert staff.employer == actors.org_b


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"weekly_minutes": 48 * 60 + 1}, "weekly_minutes", "weekly_max"),
        ({"weekly_minutes": 0}, "weekly_minutes", "weekly_max"),
        ({"ends_on": dt.date(2025, 12, 31)}, "ends_on", "dates"),
        ({"contributions_cents": 88_200}, "contributions_rate", "rate_or_amount"),
        ({"contributions_rate": None}, "contributions_rate", "rate_or_amount"),
        ({"running_costs_rate": 1_000}, "running_costs_rate", "rate_or_amount"),
        ({"gross_salary_cents": -1}, "gross_salary_cents", "not_positive"),
        ({"full_name": "  "}, "full_name", "required"),
        ({"contract_type": "freelance"}, "contract_type", "invalid"),
    ],
)
def test_a_bad_contract_is_refused_naming_the_field(actors: Actors, changes: dict, field: str, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        employee_create(actor=actors.coordinator, **{**CONTRACT, **changes})
    assert (caught.value.field, caught.value.code) == (field, code)
    assert not Employee.objects.exists()


def test_the_running_costs_may_be_left_out(actors: Actors) -> None:
    fields = {**CONTRACT}
    fields.pop("running_costs_cents")
    assert employee_create(actor=actors.coordinator, **fields).running_costs_cents == 0


def test_the_employer_must_be_a_member(actors: Actors) -> None:
    gone = make_organisation("Partie", status=Membership.Status.LEFT)
    with pytest.raises(DomainError) as caught:
        employee_create(actor=actors.coordinator, employer=gone, **CONTRACT)
    assert caught.value.code == "not_member"


def test_only_the_coordinator_records_and_changes_contracts(actors: Actors) -> None:
    for person in (actors.member_admin_a, actors.treasurer, actors.member_user_a):
        with pytest.raises(NotAllowed):
            employee_create(actor=person, **CONTRACT)
    staff = employee(actor=actors.coordinator)
    with pytest.raises(NotAllowed):
        employee_update(actor=actors.treasurer, employee=staff, weekly_minutes=60)


def test_a_contract_is_changed_and_audited(actors: Actors) -> None:
    staff = employee(actor=actors.coordinator)
    changed = employee_update(
        actor=actors.coordinator, employee=staff, weekly_minutes=28 * 60, contributions_rate=4_500
    )
    assert (changed.weekly_minutes, changed.contributions_rate) == (1_680, 4_500)
    event = AuditEvent.objects.get(action="staffing.employee.update")
    assert set(event.data) == {"weekly_minutes", "contributions_rate"}


def test_the_contract_must_keep_the_hours_logged(actors: Actors) -> None:
    staff = employee(actor=actors.coordinator, person=actors.member_user_a)
    plan(staff, {actors.org_a: 60 * 60}, actor=actors.coordinator)
    submitted_week(staff, dt.date(2026, 11, 2), {actors.org_a: {2: 240}})
    with pytest.raises(DomainError) as caught:
        employee_update(actor=actors.coordinator, employee=staff, contract_type="cdd", ends_on=dt.date(2026, 11, 3))
    assert (caught.value.field, caught.value.code) == ("ends_on", "contract_dates")
    staff.refresh_from_db()
    assert staff.ends_on is None


def test_the_contract_must_keep_its_plans(actors: Actors) -> None:
    staff = employee(actor=actors.coordinator)
    plan(staff, {actors.org_a: 60}, actor=actors.coordinator, starts_on=dt.date(2026, 3, 1))
    with pytest.raises(DomainError) as caught:
        employee_update(actor=actors.coordinator, employee=staff, starts_on=dt.date(2026, 6, 1))
    assert caught.value.code == "contract_dates"


# --- Expenses


@pytest.fixture
def staff(actors: Actors) -> Employee:
    staff = employee(actor=actors.coordinator, person=actors.member_user_a)
    plan(staff, {actors.org_a: 60 * 60}, actor=actors.coordinator)
    return staff


def test_the_employee_records_an_expense_for_an_organisation_of_the_plan(actors: Actors, staff: Employee) -> None:
    expense = expense_record(
        actor=actors.member_user_a,
        employee=staff,
        spent_on=dt.date(2026, 11, 4),
        label="Train Gap – Briançon",
        amount_cents=2_340,
        organisation=actors.org_a,
    )
    assert (expense.amount_cents, expense.organisation, expense.recorded_by) == (
        2_340,
        actors.org_a,
        actors.member_user_a,
    )
    shared = expense_record(
        actor=actors.coordinator,
        employee=staff,
        spent_on=dt.date(2026, 11, 4),
        label="Forfait téléphone",
        amount_cents=2_000,
    )
    assert shared.organisation is None
    assert AuditEvent.objects.filter(action="staffing.expense.record").count() == 2


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"organisation": "org_b"}, "not_in_plan"),
        ({"spent_on": dt.date(2026, 12, 2), "organisation": "org_a"}, "not_in_plan"),
        ({"spent_on": dt.date(2025, 12, 31)}, "contract_dates"),
        ({"amount_cents": 0}, "amount_not_positive"),
        ({"label": " "}, "required"),
    ],
)
def test_a_bad_expense_is_refused(actors: Actors, staff: Employee, changes: dict, code: str) -> None:
    fields: dict[str, Any] = {"spent_on": dt.date(2026, 11, 4), "label": "Repas", "amount_cents": 1_500, **changes}
    if isinstance(fields.get("organisation"), str):
        fields["organisation"] = getattr(actors, fields["organisation"])
    with pytest.raises(DomainError) as caught:
        expense_record(actor=actors.member_user_a, employee=staff, **fields)
    assert caught.value.code == code
    assert not Expense.objects.exists()


def test_only_the_coordinator_or_the_employee_records_expenses(actors: Actors, staff: Employee) -> None:
    with pytest.raises(NotAllowed):
        expense_record(
            actor=actors.member_admin_a,
            employee=staff,
            spent_on=dt.date(2026, 11, 4),
            label="Repas",
            amount_cents=1_500,
        )


# --- Who sees whom


def test_employees_are_seen_by_the_people_they_work_for(actors: Actors) -> None:
    shared = employee(actor=actors.coordinator)
    plan(shared, {actors.org_b: 60}, actor=actors.coordinator)
    lent_by_a = employee(actor=actors.coordinator, employer=actors.org_a)
    own = employee(actor=actors.coordinator, person=actors.member_admin_b)
    assert set(selectors.employees_for(actors.coordinator)) == {shared, lent_by_a, own}
    assert set(selectors.employees_for(actors.treasurer)) == {shared, lent_by_a, own}
    assert set(selectors.employees_for(actors.member_user_a)) == {lent_by_a}
    assert set(selectors.employees_for(actors.member_admin_b)) == {shared, own}
    assert set(selectors.employees_for(actors.outsider)) == set()
    assert selectors.get_employee_for_user(actors.member_admin_b, shared.pk) == shared
    with pytest.raises(Http404):
        selectors.get_employee_for_user(actors.member_admin_a, shared.pk)
    with pytest.raises(Http404):
        selectors.get_employee_for_user(make_person("x@example.org", "X"), own.pk)


def test_a_sharing_member_sees_only_its_own_lines(actors: Actors, staff: Employee) -> None:
    plan(staff, {actors.org_a: 30 * 60, actors.org_b: 30 * 60}, actor=actors.coordinator)
    submitted_week(staff, dt.date(2026, 11, 2), {actors.org_a: {0: 240}, actors.org_b: {1: 180}})
    grid_b = selectors.week_grid(staff, dt.date(2026, 11, 2), user=actors.member_admin_b)
    assert [row.organisation for row in grid_b.rows] == [actors.org_b]
    assert grid_b.times == {}
    grid_employee = selectors.week_grid(staff, dt.date(2026, 11, 2), user=actors.member_user_a)
    assert {row.organisation for row in grid_employee.rows} == {actors.org_a, actors.org_b}
    assert [group.organisation for group in selectors.to_validate(actors.member_admin_b)] == [actors.org_b]
    assert [group.minutes for group in selectors.to_validate(actors.member_admin_a)] == [240]


def test_it_refuses_running_costs_on_a_loan_of_staff_by_a_member() -> None:
    lender = make_organisation("Recyclerie prêteuse")
    with pytest.raises(DomainError) as refused:
        employee(employer=lender, running_costs_cents=6_000)
    assert (refused.value.field, refused.value.code) == ("running_costs_cents", "nonprofit_loan")
    with pytest.raises(DomainError) as refused:
        employee(employer=lender, running_costs_cents=None, running_costs_rate=500)
    assert refused.value.field == "running_costs_rate"
    assert not Employee.objects.filter(employer=lender).exists()
    # Salary, contributions and nothing else: a lawful loan.
    assert employee(employer=lender, running_costs_cents=None).running_costs_cents == 0
