"""Worked examples of the liquidity forecast a treasurer can redo by hand, and its chart.

Month 0 is the current calendar month. Dates are set on the 10th or the 15th of a month so that
neither a weekend nor a public holiday moves a due date to another month.
"""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from cordee.core.money import format_cents
from cordee.core.testing import make_actors
from cordee.treasury import services
from cordee.treasury.charts import describe, forecast_svg
from cordee.treasury.forecast import liquidity_forecast, stress_from_query
from cordee.treasury.models import Advance, Deposit
from cordee.treasury.tests.factories import Pool, approved_advance, borrower, disbursed_advance, set_up_pool

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
EUROS = 100  # cents


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def today() -> dt.date:
    return timezone.localdate()


def month(m: int, day: int = 15) -> dt.date:
    """A day of the m-th calendar month from now (0: this month)."""
    return today().replace(day=1) + relativedelta(months=m, day=day)


def month_of(day: dt.date) -> int:
    return max(0, (day.year - today().year) * 12 + day.month - today().month)


def pool_with(**settings: object) -> Pool:
    return set_up_pool(make_actors(), member_exposure_cap_cents=20_000_000 * EUROS, **settings)


def bullet(pool: Pool, amount_euros: int, due: dt.date, **fields: object) -> Advance:
    return disbursed_advance(
        pool,
        on=today(),
        amount_cents=amount_euros * EUROS,
        notified_amount_cents=amount_euros * EUROS,
        expected_payment_on=due,
        term_months=12,
        mode="bullet",
        **fields,
    )


def deposit(
    pool: Pool, amount_euros: int, *, term_date: dt.date | None = None, notice_days: int | None = None
) -> Deposit:
    """A cash deposit of member A, confirmed today (board minute, attestation, declared cash: CMF L511-6 1° bis)."""
    actors = pool.actors
    services.cash_declaration_set(
        actor=actors.treasurer,
        organisation=actors.org_a,
        year=today().year,
        net_available_cash_cents=10_000_000 * EUROS,
        declared_on=today(),
    )
    proposed = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=amount_euros * EUROS,
        term_date=term_date,
        notice_days=notice_days,
        board_approved_on=today(),
        board_minute=SimpleUploadedFile("pv.pdf", b"%PDF-1.4"),
        attestation=SimpleUploadedFile("attestation.pdf", b"%PDF-1.4"),
    )
    return services.deposit_confirm(
        actor=actors.treasurer, deposit=proposed, received_on=today(), bank_reference=f"VIR-{proposed.pk}"
    )


# --- The base case -----------------------------------------------------------------------------


def test_a_bullet_advance_comes_back_in_the_month_it_falls_due():
    pool = pool_with()  # 100 000 € of the hub's own funds
    bullet(pool, 12_000, month(5))

    forecast = liquidity_forecast(on=today())

    assert forecast.opening_cents == 88_000 * EUROS  # 100 000 € less the 12 000 € paid out
    assert [row.repayments_cents for row in forecast.rows] == [0] * 5 + [12_000 * EUROS] + [0] * 6
    assert [row.closing_cents for row in forecast.rows] == [88_000 * EUROS] * 5 + [100_000 * EUROS] * 7
    assert [row.month for row in forecast.rows] == [month(m, day=1) for m in range(12)]
    assert forecast.first_breach is None


def test_overdue_instalments_are_expected_in_the_current_month():
    pool = pool_with()
    advance = disbursed_advance(pool, on=today() - dt.timedelta(days=100), mode="linear", term_months=3)
    services.repayment_record(
        actor=pool.actors.treasurer, advance=advance, amount_cents=400_000, received_on=today()
    )  # the first of three 4 000 € instalments

    forecast = liquidity_forecast(on=today())

    assert forecast.rows[0].repayments_cents == 8_000 * EUROS
    assert sum(row.repayments_cents for row in forecast.rows[1:]) == 0


def test_an_approved_advance_is_paid_out_the_month_after_its_approval_and_comes_back_later():
    pool = pool_with()
    approved_advance(
        pool,
        amount_cents=12_000 * EUROS,
        notified_amount_cents=12_000 * EUROS,
        expected_payment_on=month(7),
        mode="bullet",
    )

    forecast = liquidity_forecast(on=today())

    assert forecast.opening_cents == 100_000 * EUROS  # the approval holds the cash, it has not left
    paid_out = month_of(today() + relativedelta(months=1))
    assert [row.disbursements_cents for row in forecast.rows] == [
        12_000 * EUROS if m == paid_out else 0 for m in range(12)
    ]
    assert forecast.rows[paid_out].closing_cents == 88_000 * EUROS
    assert forecast.rows[7].repayments_cents == 12_000 * EUROS
    assert forecast.rows[7].closing_cents == 100_000 * EUROS


def test_an_approval_is_paid_out_before_it_lapses_and_a_lapsed_one_not_at_all():
    pool = pool_with(approval_validity_days=3)
    soon = approved_advance(pool, amount_cents=5_000 * EUROS, notified_amount_cents=5_000 * EUROS)
    lapsed = approved_advance(pool, amount_cents=7_000 * EUROS, notified_amount_cents=7_000 * EUROS)
    # The daily run has not yet marked it lapsed.
    Advance.objects.filter(pk=lapsed.pk).update(approval_expires_at=timezone.now() - dt.timedelta(days=1))
    soon.refresh_from_db()

    forecast = liquidity_forecast(on=today())

    expected_month = month_of(timezone.localdate(soon.approval_expires_at))
    assert [row.disbursements_cents for row in forecast.rows] == [
        5_000 * EUROS if m == expected_month else 0 for m in range(12)
    ]


def test_a_requested_withdrawal_leaves_when_payable_and_lowers_the_reserve():
    pool = pool_with(liquidity_reserve_percent=20, liquidity_reserve_min_cents=9_000 * EUROS)
    notice = deposit(pool, 50_000, notice_days=90)
    withdrawal = services.withdrawal_request(
        actor=pool.actors.member_admin_a, deposit=notice, amount_cents=10_000 * EUROS
    )
    payable = month_of(withdrawal.payable_on)

    forecast = liquidity_forecast(on=today())

    assert forecast.opening_cents == 150_000 * EUROS
    assert [row.withdrawals_cents for row in forecast.rows] == [
        10_000 * EUROS if m == payable else 0 for m in range(12)
    ]
    # 20 % of 50 000 € owed, then 20 % of 40 000 € = 8 000 €, below the 9 000 € minimum.
    assert [row.reserve_cents for row in forecast.rows] == [
        10_000 * EUROS if m < payable else 9_000 * EUROS for m in range(12)
    ]
    assert forecast.rows[-1].closing_cents == 140_000 * EUROS
    assert forecast.rows[-1].deposits_cents == 40_000 * EUROS


def test_a_term_deposit_leaves_at_its_term_less_what_was_already_requested():
    pool = pool_with()
    term = deposit(pool, 50_000, term_date=month(4, day=10))
    services.withdrawal_request(actor=pool.actors.member_admin_a, deposit=term, amount_cents=10_000 * EUROS)

    forecast = liquidity_forecast(on=today())

    assert forecast.rows[4].withdrawals_cents == 10_000 * EUROS  # payable at the term, not before
    assert forecast.rows[4].maturities_cents == 40_000 * EUROS
    assert forecast.rows[4].outflows_cents == 50_000 * EUROS
    assert forecast.rows[3].reserve_cents == 10_000 * EUROS
    assert forecast.rows[4].reserve_cents == 0
    assert forecast.rows[4].closing_cents == 100_000 * EUROS


def test_a_contribution_with_a_right_of_return_leaves_the_pool_but_not_the_reserve():
    pool = pool_with(liquidity_reserve_percent=20)
    deposit(pool, 50_000, notice_days=90)
    at_term = services.deposit_propose(
        actor=pool.actors.member_admin_a,
        organisation=pool.actors.org_a,
        amount_cents=20_000 * EUROS,
        kind=Deposit.Kind.RETURNABLE,
        term_date=month(2, day=10),
    )
    services.deposit_confirm(actor=pool.actors.treasurer, deposit=at_term, received_on=today(), bank_reference="VIR-R1")
    services.deposit_propose(
        actor=pool.actors.member_admin_a,
        organisation=pool.actors.org_a,
        amount_cents=5_000 * EUROS,
        kind=Deposit.Kind.RETURNABLE,
    )  # proposed, never received: it is not counted

    forecast = liquidity_forecast(on=today())

    assert forecast.opening_cents == 170_000 * EUROS
    assert forecast.rows[2].maturities_cents == 20_000 * EUROS
    assert forecast.rows[2].closing_cents == 150_000 * EUROS
    # The reserve is 20 % of the cash deposits (accounts 168) only: 10 000 € throughout.
    assert {row.reserve_cents for row in forecast.rows} == {10_000 * EUROS}


# --- The stress --------------------------------------------------------------------------------


def test_the_stress_moves_the_breach_month_earlier():
    # A reserve of 10 000 €, whatever the deposits.
    pool = pool_with(fund_cents=15_000 * EUROS, liquidity_reserve_percent=0, liquidity_reserve_min_cents=10_000 * EUROS)
    deposit(pool, 30_000, term_date=month(3, day=10))
    deposit(pool, 45_000, term_date=month(6, day=10))
    bullet(pool, 60_000, month(2))
    bullet(pool, 15_000, month(9))
    # Cash: 15 000 + 30 000 + 45 000 - 60 000 - 15 000 = 15 000 €.

    base = liquidity_forecast(on=today())
    stressed = liquidity_forecast(on=today(), default_percent=50)

    # Base: 15 000, +60 000 in month 2, -30 000 in month 3, -45 000 in month 6: 0 € < 10 000 €.
    assert [row.closing_cents // EUROS for row in base.rows] == [15_000] * 2 + [75_000] + [45_000] * 3 + [0] * 3 + [
        15_000
    ] * 3
    assert base.first_breach == month(6, day=1)
    # 50 % of the 75 000 € expected, 37 500 €, is lost from the earliest instalment: 22 500 € come in
    # month 2, and month 3 closes at 15 000 + 22 500 - 30 000 = 7 500 €.
    assert stressed.rows[2].repayments_cents == 22_500 * EUROS
    assert stressed.rows[3].closing_cents == 7_500 * EUROS
    assert stressed.first_breach == month(3, day=1)


def test_the_largest_borrower_defaults_first():
    pool = pool_with()
    bullet(pool, 30_000, month(3))  # member A
    bullet(pool, 10_000, month(2), organisation=borrower())

    stressed = liquidity_forecast(on=today(), default_percent=50)  # 20 000 € lost, all from member A

    assert stressed.rows[2].repayments_cents == 10_000 * EUROS
    assert stressed.rows[3].repayments_cents == 10_000 * EUROS
    everything = liquidity_forecast(on=today(), default_percent=100)
    assert sum(row.repayments_cents for row in everything.rows) == 0


def test_stressed_withdrawals_leave_when_the_notice_allows():
    pool = pool_with(liquidity_reserve_percent=20)
    notice = deposit(pool, 50_000, notice_days=60)
    services.withdrawal_request(actor=pool.actors.member_admin_a, deposit=notice, amount_cents=10_000 * EUROS)
    deposit(pool, 20_000, term_date=month(8, day=10))
    payable = month_of(today() + dt.timedelta(days=60))

    stressed = liquidity_forecast(on=today(), withdrawal_percent=30)

    # The 10 000 € requested, and 30 % of the 40 000 € left on the notice deposit.
    assert stressed.rows[payable].withdrawals_cents == 22_000 * EUROS
    assert sum(row.withdrawals_cents for row in stressed.rows) == 22_000 * EUROS
    assert stressed.rows[8].maturities_cents == 20_000 * EUROS  # a term deposit leaves at its term anyway
    # 20 % of the 70 000 - 22 000 = 48 000 € still owed.
    assert stressed.rows[payable].reserve_cents == 9_600 * EUROS


def test_percentages_outside_0_to_100_are_refused():
    with pytest.raises(ValueError):
        liquidity_forecast(on=dt.date(2026, 1, 1), default_percent=101)
    with pytest.raises(ValueError):
        liquidity_forecast(on=dt.date(2026, 1, 1), withdrawal_percent=-1)


def test_the_dashboard_query_gives_whole_percentages_between_0_and_100():
    assert stress_from_query({"defaut": "20", "retraits": "30"}) == (20, 30)
    assert stress_from_query({"defaut": "150", "retraits": "-5"}) == (100, 0)
    assert stress_from_query({"defaut": "12,5", "retraits": "²"}) == (0, 0)
    assert stress_from_query({"defaut": "0050", "retraits": "9" * 5000}) == (50, 100)
    assert stress_from_query({}) == (0, 0)


# --- The chart and the table -------------------------------------------------------------------


@pytest.fixture
def breached() -> tuple:
    pool = pool_with(fund_cents=15_000 * EUROS, liquidity_reserve_percent=0, liquidity_reserve_min_cents=10_000 * EUROS)
    deposit(pool, 30_000, term_date=month(3, day=10))
    deposit(pool, 45_000, term_date=month(6, day=10))
    bullet(pool, 60_000, month(2))
    bullet(pool, 15_000, month(9))
    return liquidity_forecast(on=today()), liquidity_forecast(on=today(), default_percent=50, withdrawal_percent=20)


def test_the_chart_is_an_accessible_svg_that_names_the_breach_month(breached):
    base, stressed = breached
    with translation.override("fr"):
        svg = forecast_svg(base, stressed)
        base_month = date_format(base.first_breach, "F Y")
        stressed_month = date_format(stressed.first_breach, "F Y")
        labels = [date_format(row.month, "N") for row in base.rows]

    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and base_month in desc.text and stressed_month in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = ["".join(text.itertext()).strip() for text in root.iter(f"{SVG}text")]
    assert all(label.strip() in " ".join(texts) for label in labels)
    assert sum(1 for text in texts if text.endswith("k€")) >= 3  # the value axis
    assert len(root.findall(f"{SVG}polyline")) == 2  # base case and stressed
    assert any(path.get("stroke-dasharray") for path in root.iter(f"{SVG}path"))  # the reserve


def test_the_chart_says_when_the_reserve_holds():
    pool_with()
    forecast = liquidity_forecast(on=today())
    with translation.override("fr"):
        svg = forecast_svg(forecast)
        held = describe(forecast)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.find(f"{SVG}desc").text == held
    assert len(root.findall(f"{SVG}polyline")) == 1
    assert forecast.first_breach is None


def test_the_table_shows_every_month_in_french_money(breached):
    base, stressed = breached
    with translation.override("fr"):
        html = render_to_string(
            "treasury/includes/forecast.html",
            {"forecast": base, "stressed": stressed, "svg": forecast_svg(base, stressed)},
        )
        assert format_cents(75_000 * EUROS) in html
        assert date_format(base.first_breach, "F Y") in html
        assert date_format(stressed.first_breach, "F Y") in html
    assert html.count("<tr>") == 2 * (1 + 12)  # two tables, a header and twelve months each
    assert 'name="defaut"' in html and 'value="50"' in html
    assert 'name="retraits"' in html and 'value="20"' in html
    assert "<svg" in html and "&lt;svg" not in html
