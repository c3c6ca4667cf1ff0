"""The treasury's indicators on a small pool counted by hand, and their agreement with the pool's
dashboard (`treasury.selectors.pool_figures`) on any day.

The world: the hub's own funds, 100 000 €, put in 400 days ago; org A's linear advance of 12 000 €
over 6 months at 1 % and a new member's bullet of 12 000 €, both approved today (the committee
decides on the day) and disbursed 150 days ago; org A's cash deposits of 5 000 € (100 days ago) and
2 000 € (10 days ago). Instalment 1 of the linear advance (2 000 € + 10,00 €) fell due about 120 days
ago; 45 days after it, instalments 1 and 2 are late (the worked example of treasury/tests/test_arrears.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.reporting.indicators import treasury
from cordee.reporting.periods import Period
from cordee.treasury import selectors, services
from cordee.treasury.models import Advance, Deposit
from cordee.treasury.tests.factories import Pool, borrower, disbursed_advance, set_up_pool

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
FUND = 10_000_000


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pool(actors: Actors) -> Pool:
    return set_up_pool(actors, default_rate_bps=100)


def deposit(actors: Actors, amount_cents: int, received_on: dt.date) -> Deposit:
    services.cash_declaration_set(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        year=received_on.year,
        net_available_cash_cents=100_000_000,
        declared_on=TODAY,
    )
    proposed = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=amount_cents,
        notice_days=30,
        board_approved_on=TODAY - 200 * DAY,
        board_minute=SimpleUploadedFile("pv.pdf", b"%PDF-1.4 minute", content_type="application/pdf"),
        attestation=SimpleUploadedFile("cac.pdf", b"%PDF-1.4 attestation", content_type="application/pdf"),
    )
    return services.deposit_confirm(
        actor=actors.treasurer, deposit=proposed, received_on=received_on, bank_reference="VIR"
    )


@pytest.fixture
def world(pool: Pool) -> dict[str, Any]:
    late = disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 150 * DAY)
    other = borrower()
    bullet = disbursed_advance(pool, organisation=other, mode="bullet", on=TODAY - 150 * DAY)
    deposit(pool.actors, 500_000, TODAY - 100 * DAY)
    deposit(pool.actors, 200_000, TODAY - 10 * DAY)
    first_due = late.schedules.get(version=1).instalments.get(number=1).due_on
    return {"late": late, "bullet": bullet, "other": other, "first_due": first_due}


def values(section: Any) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


def test_a_period_ending_45_days_after_the_first_instalment_counts_the_portfolio_by_hand(
    pool: Pool, world: dict[str, Any]
) -> None:
    end = world["first_due"] + 45 * DAY
    section = treasury.section(Period(TODAY - 160 * DAY, end))
    figures = values(section)
    # Both advances were paid out 150 days ago; the committee approved them today, after the period.
    assert (figures["advances_disbursed_count"], figures["advances_disbursed_cents"]) == (2, 2_400_000)
    assert (figures["advances_granted_count"], figures["advances_granted_cents"]) == (0, 0)
    assert figures["advances_outstanding_end_cents"] == 2_400_000
    # Instalments 1 and 2 unpaid: 4 000 € of principal and 10,00 + 8,33 € of interest.
    assert figures["advances_arrears_end_cents"] == 401_833
    assert figures["advances_late_end_count"] == 1
    # 12 000 € more than 30 days late out of 24 000 €: 50 %.
    assert figures["portfolio_at_risk_30_bps"] == 5_000
    assert figures["advances_repaid_cents"] == 0
    # The deposit of 100 days ago is in the period if it ended after it.
    held = 500_000 if end >= TODAY - 100 * DAY else 0
    assert figures["deposits_held_end_cents"] == held
    # The pool: 100 000 € of funds and the deposits held, less the 24 000 € paid out.
    assert figures["pool_cash_end_cents"] == FUND - 2_400_000 + held
    breakdowns = {breakdown.key: breakdown for breakdown in section.breakdowns}
    ageing = {share.key: share.value for share in breakdowns["outstanding_by_ageing"].shares}
    assert ageing == {"current": 1_200_000, "1-30": 0, "31-60": 1_200_000, "61-90": 0, "90+": 0}
    families = {share.key: share.value for share in breakdowns["advances_disbursed_by_family"].shares}
    assert families["association"] == 2_400_000 and sum(families.values()) == 2_400_000


def test_the_grants_of_today_and_the_repayments_fall_in_the_period_that_holds_them(
    pool: Pool, world: dict[str, Any]
) -> None:
    due1 = world["first_due"]
    services.repayment_record(
        actor=pool.actors.treasurer, advance=world["late"], amount_cents=201_000, received_on=due1 + 10 * DAY
    )
    before = values(treasury.section(Period(TODAY - 365 * DAY, due1 + 9 * DAY)))
    assert before["advances_repaid_cents"] == 0

    year = treasury.section(Period(TODAY - 365 * DAY, TODAY))
    figures = values(year)
    assert (figures["advances_granted_count"], figures["advances_granted_cents"]) == (2, 2_400_000)
    # 2 010,00 € received: 10,00 € of interest first, then 2 000 € of principal.
    assert (figures["advances_repaid_cents"], figures["advances_received_cents"]) == (200_000, 201_000)
    assert figures["advances_outstanding_end_cents"] == 2_200_000
    assert (figures["deposits_received_count"], figures["deposits_received_cents"]) == (2, 700_000)
    assert figures["deposits_held_end_cents"] == 700_000
    assert figures["pool_cash_end_cents"] == FUND - 2_400_000 + 700_000 + 201_000

    granted = {series.key: series for series in year.series}["advances_granted_by_month"]
    assert [month for month, _ in granted.points] == list(year_period_months())
    assert granted.points[-1] == (TODAY.replace(day=1), 2_400_000)
    assert sum(value for _, value in granted.points) == 2_400_000
    repaid = dict({series.key: series for series in year.series}["principal_repaid_by_month"].points)
    assert repaid[(due1 + 10 * DAY).replace(day=1)] == 200_000 and sum(repaid.values()) == 200_000

    # A period that starts today holds the grants but neither the disbursements nor the deposits.
    today = values(treasury.section(Period(TODAY, TODAY)))
    assert (today["advances_granted_count"], today["advances_disbursed_count"], today["deposits_received_count"]) == (
        2,
        0,
        0,
    )


def year_period_months() -> list[dt.date]:
    return list(Period(TODAY - 365 * DAY, TODAY).months())


@pytest.mark.parametrize("days_after_first_due", [-1, 0, 4, 21, 30, 31, 45, 59, 60, 75, 130])
def test_the_portfolio_agrees_with_the_pools_dashboard_on_any_day(
    pool: Pool, world: dict[str, Any], days_after_first_due: int
) -> None:
    services.repayment_record(
        actor=pool.actors.treasurer,
        advance=world["late"],
        amount_cents=150_000,
        received_on=world["first_due"] + 5 * DAY,
    )
    treasurer, late, first_due = pool.actors.treasurer, world["late"], world["first_due"]
    services.charge_add(actor=treasurer, advance=late, kind="fee", amount_cents=1_500, label="Frais", on=first_due)
    services.charge_add(
        actor=treasurer, advance=late, kind="penalty", amount_cents=5_000, label="Pénalité", on=first_due + 20 * DAY
    )
    services.advance_reschedule(
        actor=treasurer, advance=late, on=first_due + 60 * DAY, term_months=6, mode="linear", note="Report"
    )
    on = min(world["first_due"] + days_after_first_due * DAY, TODAY)
    dashboard = selectors.pool_figures(on)
    book = treasury.portfolio(on)
    assert (book.outstanding_cents, book.arrears_cents, book.at_risk_30_cents, book.buckets) == (
        dashboard.outstanding_cents,
        dashboard.arrears_cents,
        dashboard.at_risk_30_cents,
        dashboard.buckets,
    )


def test_an_advance_repaid_since_still_counts_at_the_end_of_a_past_period(pool: Pool, world: dict[str, Any]) -> None:
    bullet = world["bullet"]
    services.repayment_record(
        actor=pool.actors.treasurer, advance=bullet, amount_cents=1_200_000, received_on=TODAY - 5 * DAY
    )
    bullet.refresh_from_db()
    assert bullet.status == Advance.Status.REPAID
    # Ten days ago it was still being repaid.
    assert treasury.portfolio(TODAY - 10 * DAY).outstanding_cents == 2_400_000
    assert treasury.portfolio(TODAY).outstanding_cents == selectors.pool_figures(TODAY).outstanding_cents


def test_an_organisation_sees_its_own_deposits_and_advances_only(pool: Pool, world: dict[str, Any]) -> None:
    period = Period(TODAY - 365 * DAY, TODAY)
    mine = values(treasury.section(period, organisation_id=pool.actors.org_a.pk))
    assert (mine["advances_granted_cents"], mine["advances_disbursed_cents"]) == (1_200_000, 1_200_000)
    assert mine["deposits_received_cents"] == 700_000 and mine["deposits_held_end_cents"] == 700_000
    assert "pool_cash_end_cents" not in mine and "portfolio_at_risk_30_bps" not in mine

    theirs = values(treasury.section(period, organisation_id=world["other"].pk))
    assert (theirs["advances_granted_cents"], theirs["advances_outstanding_end_cents"]) == (1_200_000, 1_200_000)
    assert (theirs["deposits_received_count"], theirs["deposits_held_end_cents"]) == (0, 0)
    assert theirs["advances_arrears_end_cents"] == 0  # the bullet is not due yet; org A's arrears are not here

    nobody = values(treasury.section(period, organisation_id=pool.actors.org_b.pk))
    assert all(value == 0 for value in nobody.values())


def test_it_reads_in_a_bounded_number_of_queries(
    pool: Pool, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    period = Period(TODAY - 365 * DAY, TODAY)
    with django_assert_max_num_queries(20):
        treasury.section(period)
    for _ in range(3):
        disbursed_advance(pool, organisation=borrower(f"Association {_}"), mode="linear", on=TODAY - 40 * DAY)
    with django_assert_max_num_queries(20):
        treasury.section(period)


def test_an_empty_pool_reports_zeros_and_no_portfolio_at_risk(actors: Actors) -> None:
    figures = values(treasury.section(Period(TODAY - 30 * DAY, TODAY)))
    assert figures["portfolio_at_risk_30_bps"] is None
    assert all(value == 0 for key, value in figures.items() if key != "portfolio_at_risk_30_bps")
