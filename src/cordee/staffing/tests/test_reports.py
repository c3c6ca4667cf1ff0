"""Plan versus actual per employee × organisation, scoped to what a person may see; the chart; each
member's exposure to the commitments of the staff it shares."""

from __future__ import annotations

import datetime as dt

import pytest

from cordee.core.testing import Actors, make_organisation
from cordee.staffing.models import AllocationPlan, ContractType, TimeEntry
from cordee.staffing.reports import chart_svg, exposure_of, plan_versus_actual, planned_minutes
from cordee.staffing.tests.billing_support import log, make_employee, plan

pytestmark = pytest.mark.django_db

D = dt.date
OCTOBER = (D(2026, 10, 1), D(2026, 10, 31))


def figures(report: object) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    return {
        (row.employee.full_name, row.organisation.name): (
            row.planned_minutes,
            row.validated_minutes,
            row.pending_minutes,
            row.disputed_minutes,
        )
        for row in report.rows  # type: ignore[attr-defined]
    }


@pytest.fixture
def shared(actors: Actors):  # type: ignore[no-untyped-def]
    """An employee of the hub, 35 h a week, October shared 60 % A and 40 % B."""
    employee = make_employee(full_name="Inès Morel")
    plan(employee, *OCTOBER, percent={actors.org_a: 6000, actors.org_b: 4000})
    log(employee, D(2026, 10, 5), actors.org_a, 600)
    log(employee, D(2026, 10, 6), actors.org_a, 120, state=TimeEntry.State.PENDING)
    log(employee, D(2026, 10, 5), actors.org_b, 300)
    log(employee, D(2026, 10, 7), actors.org_b, 60, state=TimeEntry.State.DISPUTED)
    log(employee, D(2026, 11, 2), actors.org_b, 480)  # November: outside the period
    return employee


def test_planned_percentages_are_turned_into_minutes_of_the_contract(actors: Actors, shared) -> None:  # type: ignore[no-untyped-def]
    report = plan_versus_actual(actors.coordinator, start=OCTOBER[0], end=OCTOBER[1])

    # October: 35 h × 31 / 7 = 155 h = 9 300 minutes; 60 % = 5 580, 40 % = 3 720.
    assert figures(report) == {
        ("Inès Morel", actors.org_a.name): (5_580, 600, 120, 0),
        ("Inès Morel", actors.org_b.name): (3_720, 300, 0, 60),
    }
    assert (report.planned_minutes, report.validated_minutes, report.unvalidated_minutes) == (9_300, 900, 180)
    row = next(r for r in report.rows if r.organisation == actors.org_a)
    assert (row.gap_minutes, row.done_percent) == (600 - 5_580, 11)


def test_a_member_sees_only_its_own_organisations_rows(actors: Actors, shared) -> None:  # type: ignore[no-untyped-def]
    for user, organisation in ((actors.member_admin_a, actors.org_a), (actors.member_user_a, actors.org_a)):
        report = plan_versus_actual(user, start=OCTOBER[0], end=OCTOBER[1])
        assert [row.organisation for row in report.rows] == [organisation]
    assert [
        row.organisation for row in plan_versus_actual(actors.member_admin_b, start=OCTOBER[0], end=OCTOBER[1]).rows
    ] == [actors.org_b]
    assert plan_versus_actual(actors.outsider, start=OCTOBER[0], end=OCTOBER[1]).rows == []


def test_the_employers_people_see_every_row_of_its_employee(actors: Actors) -> None:
    employee = make_employee(employer=actors.org_a)
    plan(employee, *OCTOBER, percent={actors.org_b: 5000})
    log(employee, D(2026, 10, 5), actors.org_b, 60)

    report = plan_versus_actual(actors.member_user_a, start=OCTOBER[0], end=OCTOBER[1], employee=employee)

    assert [(row.organisation, row.validated_minutes) for row in report.rows] == [(actors.org_b, 60)]


def test_a_plan_in_hours_is_prorated_by_the_days_in_common(actors: Actors) -> None:
    employee = make_employee()
    quarter = plan(
        employee, D(2026, 10, 1), D(2026, 12, 31), minutes={actors.org_a: 9_200}, period=AllocationPlan.Period.QUARTER
    )
    share = quarter.shares.get()
    # 9 200 minutes over 92 days, 31 of them in October: 3 100.
    assert planned_minutes(quarter, share, *OCTOBER) == 3_100
    assert planned_minutes(quarter, share, D(2026, 9, 1), D(2027, 3, 31)) == 9_200
    assert planned_minutes(quarter, share, D(2027, 1, 1), D(2027, 1, 31)) == 0


def test_the_chart_says_what_it_shows_and_escapes_names(actors: Actors, shared) -> None:  # type: ignore[no-untyped-def]
    odd = make_organisation('Café <"Le Rouge">')
    log(shared, D(2026, 10, 8), odd, 30)

    svg = chart_svg(plan_versus_actual(actors.coordinator, start=OCTOBER[0], end=OCTOBER[1]))

    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Café &lt;&quot;Le Rouge&quot;&gt;" in svg and '<"Le' not in svg
    assert svg.count('fill="#1f5f4a"') >= 3  # the validated bars of the three organisations and the legend


def test_the_chart_of_nothing_is_still_drawn(actors: Actors) -> None:
    svg = chart_svg(plan_versus_actual(actors.coordinator, start=OCTOBER[0], end=OCTOBER[1]))
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_exposure_of_a_member_to_an_open_ended_and_a_fixed_term_contract(actors: Actors) -> None:
    today = D(2026, 11, 15)
    cdi = make_employee(full_name="CDI")
    plan(cdi, D(2026, 11, 1), D(2026, 11, 30), percent={actors.org_a: 2500, actors.org_b: 7500})
    cdd = make_employee(full_name="CDD", contract_type=ContractType.CDD, ends_on=D(2027, 1, 31))
    plan(cdd, D(2026, 11, 1), D(2027, 1, 31), percent={actors.org_a: 5000}, period=AllocationPlan.Period.SEASON)
    elsewhere = make_employee(full_name="Ailleurs")
    plan(elsewhere, D(2026, 11, 1), D(2026, 11, 30), percent={actors.org_b: 10_000})

    rows = {row.employee.full_name: row for row in exposure_of(actors.org_a, today=today)}

    assert set(rows) == {"CDI", "CDD"}
    # 25 % of 3 067,20 € a month = 766,80 €; over the next 12 months: 9 201,60 €.
    assert (rows["CDI"].percent, rows["CDI"].monthly_cents, rows["CDI"].commitments_cents) == (2500, 76_680, 920_160)
    assert rows["CDI"].open_ended and rows["CDI"].until == D(2027, 10, 31)
    # 50 % of November, December and January: 3 × 1 533,60 €.
    assert (rows["CDD"].monthly_cents, rows["CDD"].commitments_cents) == (153_360, 460_080)
    assert not rows["CDD"].open_ended and rows["CDD"].until == D(2027, 1, 31)


def test_an_employer_carries_its_employees_commitments_whole(actors: Actors) -> None:
    lent = make_employee(
        employer=actors.org_b, full_name="Prêté", ends_on=D(2026, 12, 31), contract_type=ContractType.CDD
    )
    plan(lent, D(2026, 11, 1), D(2026, 11, 30), minutes={actors.org_a: 3_000})
    make_employee(employer=actors.org_b, full_name="Parti", ends_on=D(2026, 10, 31), contract_type=ContractType.CDD)

    [own] = exposure_of(actors.org_b, today=D(2026, 11, 15))
    assert (own.employee, own.as_employer, own.percent, own.commitments_cents) == (lent, True, 10_000, 2 * 284_000)
    # A's share in hours: 3 000 of the 9 000 minutes of November (35 h × 30 / 7): a third.
    [share] = exposure_of(actors.org_a, today=D(2026, 11, 15))
    assert (share.percent, share.monthly_cents) == (3333, 94_657)  # 33,33 % of 2 840,00 €


def test_the_report_of_one_organisation(actors: Actors, shared) -> None:  # type: ignore[no-untyped-def]
    report = plan_versus_actual(actors.coordinator, start=OCTOBER[0], end=OCTOBER[1], organisation_id=actors.org_b.pk)
    assert figures(report) == {("Inès Morel", actors.org_b.name): (3_720, 300, 0, 60)}
    # Asking for an organisation one may not see gives nothing.
    mine = plan_versus_actual(actors.member_admin_a, start=OCTOBER[0], end=OCTOBER[1], organisation_id=actors.org_b.pk)
    assert mine.rows == []
