"""The shared staff's indicators on two employees counted by hand, over October 2026 (31 days: one
month, so 9 100 minutes are one full-time equivalent).

    Inès, the hub's, 35 h a week, October shared 60 % A and 40 % B: 35 h x 31 / 7 = 9 300 min planned
        5 Oct  A  600 min validated        6 Oct  A  120 min to validate
        5 Oct  B  300 min validated        7 Oct  B   60 min disputed
       30 Sep  A  240 min validated (before)   2 Nov  B  480 min validated (after)
    Jules, lent by A, no plan
       31 Oct  C (a mutual)  420 min validated, the last day of the period

October: 600 + 300 + 420 = 1 320 minutes validated for 3 organisations by 2 employees;
1 320 / 9 100 = 0,145 FTE, rounded to 0,15; 1 320 / 9 300 = 14,19 % of the plan.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Organisation
from cordee.reporting.figures import Section
from cordee.reporting.indicators import staffing
from cordee.reporting.periods import Period
from cordee.staffing.models import TimeEntry
from cordee.staffing.tests import factories
from cordee.staffing.tests.billing_support import log, make_employee, plan

pytestmark = pytest.mark.django_db

D = dt.date
OCTOBER = Period(D(2026, 10, 1), D(2026, 10, 31))
State = TimeEntry.State


def values(section: Section) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


def shares(section: Section, key: str) -> dict[str, int]:
    breakdown = next(b for b in section.breakdowns if b.key == key)
    return {share.key: share.value for share in breakdown.shares}


@pytest.fixture
def third(actors: Actors) -> Organisation:
    return make_organisation("Mutuelle du Champsaur", family="mutual")


@pytest.fixture
def world(actors: Actors, third: Organisation) -> None:
    a, b = actors.org_a, actors.org_b
    ines = make_employee(full_name="Inès Morel")
    plan(ines, D(2026, 10, 1), D(2026, 10, 31), percent={a: 6000, b: 4000})
    log(ines, D(2026, 10, 5), a, 600)
    log(ines, D(2026, 10, 6), a, 120, state=State.PENDING)
    log(ines, D(2026, 10, 5), b, 300)
    log(ines, D(2026, 10, 7), b, 60, state=State.DISPUTED)
    log(ines, D(2026, 9, 30), a, 240)
    log(ines, D(2026, 11, 2), b, 480)
    jules = make_employee(a, full_name="Jules Arnaud")
    log(jules, D(2026, 10, 31), third, 420)


def test_the_hours_members_served_and_plan_of_the_month_are_counted_by_hand(world: None) -> None:
    section = staffing.section(OCTOBER)

    assert values(section) == {
        "staffing_validated_minutes": 1320,
        "staffing_members_served_count": 3,
        "staffing_employees_count": 2,
        "staffing_fte_hundredths": 15,
        "staffing_planned_minutes": 9300,
        "staffing_plan_done_bps": 1419,
    }


def test_the_hours_are_broken_down_by_organisation_and_family(actors: Actors, third: Organisation, world: None) -> None:
    section = staffing.section(OCTOBER)

    by_organisation = next(b for b in section.breakdowns if b.key == "staffing_minutes_by_organisation")
    assert [(share.key, share.value) for share in by_organisation.shares] == [
        (str(actors.org_a.pk), 600),
        (str(third.pk), 420),
        (str(actors.org_b.pk), 300),
    ]
    assert {k: v for k, v in shares(section, "staffing_minutes_by_family").items() if v} == {
        "association": 600,
        "cooperative": 300,
        "mutual": 420,
    }


def test_the_hours_month_by_month_follow_the_day_worked(world: None) -> None:
    section = staffing.section(Period(D(2026, 9, 1), D(2026, 11, 30)))

    assert section.series[0].points == ((D(2026, 9, 1), 240), (D(2026, 10, 1), 1320), (D(2026, 11, 1), 480))


def test_a_full_time_equivalent_is_9100_minutes_a_month_pro_rata_of_the_days() -> None:
    year = Period.year(2026)
    assert staffing.months_in(year) == 12
    assert staffing.fte_hundredths(12 * 9100, year) == 100
    # February whole and half of March: 1 + 15/31 months.
    cut = Period(D(2026, 2, 1), D(2026, 3, 15))
    assert staffing.months_in(cut) == 1 + Fraction(15, 31)
    # 9 100 minutes over 1,4839 months: 0,6739 FTE.
    assert staffing.fte_hundredths(9100, cut) == 67


def test_only_the_hours_validated_through_the_timesheets_count(actors: Actors) -> None:
    staff = factories.employee()
    factories.plan(staff, {actors.org_a: 60 * 60}, starts_on=D(2026, 11, 1))
    factories.validated_week(staff, D(2026, 11, 2), {actors.org_a: {0: 420, 1: 420}})
    factories.submitted_week(staff, D(2026, 11, 9), {actors.org_a: {0: 420}})

    section = staffing.section(Period(D(2026, 11, 1), D(2026, 11, 30)))

    assert values(section)["staffing_validated_minutes"] == 840
    assert values(section)["staffing_members_served_count"] == 1
    assert values(section)["staffing_planned_minutes"] == 3600


def test_an_organisation_sees_the_hours_it_received(actors: Actors, third: Organisation, world: None) -> None:
    own = staffing.section(OCTOBER, organisation_id=actors.org_a.pk)
    unplanned = staffing.section(OCTOBER, organisation_id=third.pk)

    # 600 / 9 100 = 0,066 FTE; 600 / 5 580 planned = 10,75 %.
    assert values(own) == {
        "staffing_validated_minutes": 600,
        "staffing_fte_hundredths": 7,
        "staffing_planned_minutes": 5580,
        "staffing_plan_done_bps": 1075,
    }
    assert own.breakdowns == []
    assert own.series[0].points == ((D(2026, 10, 1), 600),)
    assert values(unplanned)["staffing_validated_minutes"] == 420
    assert values(unplanned)["staffing_plan_done_bps"] is None


def test_the_organisation_view_never_shows_the_other_members_hours(
    actors: Actors, third: Organisation, world: None
) -> None:
    before = staffing.section(OCTOBER, organisation_id=actors.org_b.pk)
    other = make_employee(actors.org_a)
    plan(other, D(2026, 10, 1), D(2026, 10, 31), minutes={third: 3000, actors.org_a: 600})
    log(other, D(2026, 10, 12), third, 480)
    log(other, D(2026, 10, 13), actors.org_a, 240)

    after = staffing.section(OCTOBER, organisation_id=actors.org_b.pk)

    assert after == before
    assert values(after)["staffing_validated_minutes"] == 300


def test_the_number_of_queries_does_not_grow_with_the_staff_or_the_period(actors: Actors, world: None) -> None:
    with CaptureQueriesContext(connection) as short:
        staffing.section(OCTOBER)
    for _n in range(3):
        staff = make_employee()
        plan(staff, D(2026, 10, 1), D(2026, 10, 31), percent={actors.org_b: 5000})
        log(staff, D(2026, 10, 20), actors.org_b, 60)
    with CaptureQueriesContext(connection) as long:
        staffing.section(Period(D(2022, 1, 1), D(2026, 12, 31)))

    assert len(long) == len(short) <= 6
