"""Allocation plans: a month, a quarter or a season of the contract shared among members, never more
than the contract holds. Worked examples: 35 h a week is 2 100 minutes; November has 30 days, so
the contract holds 2 100 × 30 / 7 = 9 000 minutes, 150 h."""

from __future__ import annotations

import datetime as dt

import pytest

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Membership
from cordee.staffing import selectors
from cordee.staffing.models import AllocationPlan, Employee, MonthInvoicing, PlanShare
from cordee.staffing.services.employees import plan_set
from cordee.staffing.tests.factories import employee, plan, submitted_week

pytestmark = pytest.mark.django_db

NOVEMBER = dt.date(2026, 11, 1)


@pytest.fixture
def staff(actors: Actors) -> Employee:
    return employee(actor=actors.coordinator)


def _set(actors: Actors, staff: Employee, shares: dict, **fields: object) -> AllocationPlan:
    values: dict = {"period": "month", "starts_on": NOVEMBER, "basis": "hours", **fields}
    return plan_set(actor=actors.coordinator, employee=staff, shares=shares, **values)


def test_the_contract_holds_150_hours_in_november(staff: Employee) -> None:
    assert selectors.contract_minutes(staff, NOVEMBER, dt.date(2026, 11, 30)) == 9_000


def test_a_month_can_be_shared_up_to_the_contract_hours(actors: Actors, staff: Employee) -> None:
    created = _set(actors, staff, {actors.org_a.pk: 90 * 60, actors.org_b.pk: 60 * 60}, label="Novembre")
    assert (created.starts_on, created.ends_on, created.basis) == (NOVEMBER, dt.date(2026, 11, 30), "hours")
    assert dict(created.shares.values_list("organisation_id", "minutes")) == {
        actors.org_a.pk: 5_400,
        actors.org_b.pk: 3_600,
    }
    assert AuditEvent.objects.filter(action="staffing.plan.create", target_id=str(created.pk)).exists()


def test_one_minute_over_the_contract_is_refused_and_nothing_written(actors: Actors, staff: Employee) -> None:
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 90 * 60, actors.org_b.pk: 60 * 60 + 1})
    assert (caught.value.code, caught.value.field) == ("plan_over_contract", "shares")
    assert not AllocationPlan.objects.exists() and not PlanShare.objects.exists()


def test_a_contract_starting_mid_month_holds_only_its_days(actors: Actors) -> None:
    late = employee(actor=actors.coordinator, starts_on=dt.date(2026, 11, 15))
    # 16 days from 15 to 30 November: 2 100 × 16 / 7 = 4 800 minutes, 80 h.
    assert selectors.contract_minutes(late, NOVEMBER, dt.date(2026, 11, 30)) == 4_800
    _set(actors, late, {actors.org_a.pk: 80 * 60})
    with pytest.raises(DomainError):
        _set(actors, late, {actors.org_a.pk: 80 * 60 + 1})


def test_a_quarter_starts_on_the_first_day_of_a_calendar_quarter(actors: Actors, staff: Employee) -> None:
    quarter = _set(actors, staff, {actors.org_a.pk: 400 * 60}, period="quarter", starts_on=dt.date(2026, 10, 1))
    assert quarter.ends_on == dt.date(2026, 12, 31)
    # 92 days: 2 100 × 92 / 7 = 27 600 minutes, 460 h.
    assert selectors.contract_minutes(staff, quarter.starts_on, quarter.ends_on) == 27_600
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 60}, period="quarter", starts_on=dt.date(2027, 2, 1))
    assert caught.value.code == "period"


def test_a_month_starts_on_its_first_day(actors: Actors, staff: Employee) -> None:
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 60}, starts_on=dt.date(2026, 11, 2))
    assert caught.value.code == "period"


def test_a_season_has_explicit_dates_and_lasts_twelve_months_at_most(actors: Actors, staff: Employee) -> None:
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 60}, period="season", starts_on=dt.date(2026, 2, 1))
    assert (caught.value.code, caught.value.field) == ("required", "ends_on")
    with pytest.raises(DomainError) as caught:
        _set(
            actors,
            staff,
            {actors.org_a.pk: 60},
            period="season",
            starts_on=dt.date(2026, 2, 1),
            ends_on=dt.date(2027, 2, 1),
        )
    assert caught.value.code == "period"
    season = _set(
        actors,
        staff,
        {actors.org_a.pk: 60},
        period="season",
        starts_on=dt.date(2026, 2, 1),
        ends_on=dt.date(2027, 1, 31),
    )
    assert season.ends_on == dt.date(2027, 1, 31)


def test_a_season_lies_inside_the_contract(actors: Actors) -> None:
    staff = employee(actor=actors.coordinator, contract_type="cdd", ends_on=dt.date(2026, 12, 15))
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 60}, period="season", starts_on=NOVEMBER, ends_on=dt.date(2026, 12, 31))
    assert caught.value.code == "contract_dates"


def test_a_plan_outside_the_contract_is_refused(actors: Actors, staff: Employee) -> None:
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 60}, starts_on=dt.date(2025, 11, 1))
    assert caught.value.code == "contract_dates"


def test_plans_never_overlap_and_the_refusal_names_the_other(actors: Actors, staff: Employee) -> None:
    _set(actors, staff, {actors.org_a.pk: 60}, label="Novembre")
    with pytest.raises(DomainError) as caught:
        _set(
            actors,
            staff,
            {actors.org_a.pk: 60},
            period="season",
            starts_on=dt.date(2026, 10, 15),
            ends_on=dt.date(2026, 12, 15),
            label="Hiver",
        )
    assert caught.value.code == "plan_overlap"
    assert "Novembre" in caught.value.message and "01/11/2026" in caught.value.message
    assert AllocationPlan.objects.count() == 1


def test_a_plan_starting_the_same_day_replaces_the_former(actors: Actors, staff: Employee) -> None:
    first = _set(actors, staff, {actors.org_a.pk: 60 * 60, actors.org_b.pk: 60 * 60})
    second = _set(actors, staff, {actors.org_a.pk: 100 * 60})
    assert first.pk == second.pk
    assert list(second.shares.values_list("organisation_id", "minutes")) == [(actors.org_a.pk, 6_000)]
    assert AuditEvent.objects.filter(action="staffing.plan.replace").count() == 1


def test_percentages_cannot_exceed_one_hundred(actors: Actors, staff: Employee) -> None:
    shared = _set(actors, staff, {actors.org_a.pk: 6_000, actors.org_b.pk: 4_000}, basis="percent")
    share_a = shared.shares.get(organisation=actors.org_a)
    assert selectors.share_minutes(shared, share_a) == 5_400  # 60 % of 150 h
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 6_000, actors.org_b.pk: 4_001}, basis="percent")
    assert caught.value.code == "plan_over_contract"


def test_only_member_organisations_share_an_employee(actors: Actors, staff: Employee) -> None:
    candidate = make_organisation("Candidate", status=Membership.Status.CANDIDATE)
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 60, candidate.pk: 60})
    assert caught.value.code == "not_member"
    suspended = make_organisation("En pause", status=Membership.Status.SUSPENDED)
    assert _set(actors, staff, {suspended.pk: 60}).shares.count() == 1


def test_an_empty_plan_is_refused(actors: Actors, staff: Employee) -> None:
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 0})
    assert caught.value.code == "required"


def test_a_month_already_reinvoiced_keeps_its_plan(actors: Actors, staff: Employee) -> None:
    MonthInvoicing.objects.create(
        employee=staff, month=NOVEMBER, cost_cents=1, expenses_cents=0, minutes=0, invoiced_cents=0, employer_cents=1
    )
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 60})
    assert caught.value.code == "month_invoiced"


def test_a_plan_cannot_leave_out_an_organisation_with_hours_logged(actors: Actors, staff: Employee) -> None:
    _set(actors, staff, {actors.org_a.pk: 60 * 60, actors.org_b.pk: 60 * 60})
    submitted_week(staff, dt.date(2026, 11, 2), {actors.org_b: {0: 120}})
    with pytest.raises(DomainError) as caught:
        _set(actors, staff, {actors.org_a.pk: 100 * 60})
    assert caught.value.code == "plan_logged_time"
    assert PlanShare.objects.filter(organisation=actors.org_b).exists()


def test_only_the_coordinator_sets_plans(actors: Actors, staff: Employee) -> None:
    for person in (actors.member_admin_a, actors.treasurer, staff.person):
        with pytest.raises(NotAllowed):
            plan_set(
                actor=person,  # type: ignore[arg-type]
                employee=staff,
                period="month",
                starts_on=NOVEMBER,
                basis="hours",
                shares={actors.org_a.pk: 60},
            )


def test_the_plan_covering_a_day(actors: Actors, staff: Employee) -> None:
    november = plan(staff, {actors.org_a: 60}, actor=actors.coordinator)
    assert selectors.plan_covering(staff, dt.date(2026, 11, 30)) == november
    assert selectors.plan_covering(staff, dt.date(2026, 12, 1)) is None
