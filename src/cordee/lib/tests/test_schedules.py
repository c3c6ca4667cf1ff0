"""Repayment schedules: worked examples a treasurer can redo by hand, then properties on thousands of
generated loans, checked against numpy-financial as an independent reference."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from fractions import Fraction
from typing import Any

import holidays
import numpy as np
import numpy_financial as npf
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from cordee.lib.schedules import (
    Instalment,
    Mode,
    build_schedule,
    business_day,
    recompute_after_prepayment,
    reschedule,
)

D = dt.date
FRENCH_HOLIDAYS = holidays.France()  # the reference: its own lazily filled years, not the module's cache


def properties(max_examples: int) -> settings:
    """No deadline: a 600-month schedule checked against numpy-financial takes a few milliseconds."""
    return settings(max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _amounts(schedule: list[Instalment]) -> list[tuple[int, int, int]]:
    return [(i.principal_cents, i.interest_cents, i.outstanding_after_cents) for i in schedule]


def _dates(schedule: list[Instalment]) -> list[dt.date]:
    return [i.due_date for i in schedule]


# --- Business days ------------------------------------------------------------------------------


def test_a_business_day_stays_where_it_is() -> None:
    assert business_day(D(2025, 3, 4)) == D(2025, 3, 4)  # a Tuesday


def test_weekends_and_public_holidays_move_to_the_next_business_day() -> None:
    assert business_day(D(2025, 3, 1)) == D(2025, 3, 3)  # Saturday → Monday
    assert business_day(D(2025, 12, 25)) == D(2025, 12, 26)  # Christmas, a Thursday → Friday
    assert business_day(D(2025, 5, 1)) == D(2025, 5, 2)  # 1 May, a Thursday → Friday
    assert business_day(D(2025, 4, 19)) == D(2025, 4, 22)  # Saturday, then Sunday, then Easter Monday


def test_the_26th_of_december_is_a_business_day_outside_alsace_moselle() -> None:
    assert business_day(D(2025, 12, 26)) == D(2025, 12, 26)


def test_modified_following_goes_back_rather_than_into_the_next_month() -> None:
    assert business_day(D(2025, 5, 31)) == D(2025, 5, 30)  # Saturday; Monday would be 2 June
    assert business_day(D(2025, 11, 30)) == D(2025, 11, 28)  # Sunday; Monday would be 1 December
    assert business_day(D(2022, 12, 31)) == D(2022, 12, 30)  # Saturday; never into the next year
    # Sunday 31 March 2024, then Easter Monday 1 April: back to Good Friday, a working day here.
    assert business_day(D(2024, 3, 31)) == D(2024, 3, 29)


# --- Worked examples ----------------------------------------------------------------------------


def test_a_zero_rate_linear_loan_repays_equal_thousands() -> None:
    # 12,000.00 € at 0 % over 12 months: 12,000.00 / 12 = 1,000.00 € a month, no interest.
    schedule = build_schedule(
        principal_cents=1_200_000, annual_rate_bps=0, start=D(2025, 1, 10), term_months=12, mode=Mode.LINEAR
    )
    assert [i.number for i in schedule] == list(range(1, 13))
    assert [i.principal_cents for i in schedule] == [100_000] * 12
    assert [i.interest_cents for i in schedule] == [0] * 12
    assert [i.outstanding_after_cents for i in schedule] == [100_000 * (11 - k) for k in range(12)]


def test_an_annuity_payment_matches_the_formula_by_hand() -> None:
    # 10,000.00 € at 1.50 % a year over 12 months: r = 1.50 % / 12 = 0.125 % a month.
    # (1.00125)^12 = 1.0151036, 1 - 1/1.0151036 = 0.0148788,
    # payment = 10,000.00 × 0.00125 / 0.0148788 = 12.50 / 0.0148788 = 840.1197 → 840.12 €.
    schedule = build_schedule(
        principal_cents=1_000_000, annual_rate_bps=150, start=D(2025, 1, 15), term_months=12, mode=Mode.ANNUITY
    )
    assert [i.total_cents for i in schedule[:-1]] == [84_012] * 11
    # 1st: interest 10,000.00 × 0.00125 = 12.50, principal 840.12 - 12.50 = 827.62, left 9,172.38.
    assert _amounts(schedule)[0] == (82_762, 1_250, 917_238)
    # 2nd: interest 9,172.38 × 0.00125 = 11.465 → 11.47, principal 840.12 - 11.47 = 828.65.
    assert _amounts(schedule)[1] == (82_865, 1_147, 834_373)
    # 12th: the 839.06 € left, plus 839.06 × 0.00125 = 1.049 → 1.05 interest: 840.11 €, a cent less.
    assert _amounts(schedule)[-1] == (83_906, 105, 0)
    # Total interest: 11 × 840.12 + 840.11 - 10,000.00 = 81.43 €.
    assert sum(i.interest_cents for i in schedule) == 8_143
    # The 15ths of February and March 2025 are Saturdays.
    assert _dates(schedule)[:3] == [D(2025, 2, 17), D(2025, 3, 17), D(2025, 4, 15)]


def test_leftover_cents_go_one_each_on_the_first_instalments() -> None:
    # 100.00 € / 3 = 33.33 € and 1 cent left over, paid with the first instalment.
    for mode in (Mode.LINEAR, Mode.ANNUITY):
        schedule = build_schedule(
            principal_cents=10_000, annual_rate_bps=0, start=D(2025, 1, 10), term_months=3, mode=mode
        )
        assert [i.principal_cents for i in schedule] == [3_334, 3_333, 3_333]
    # 100.02 € / 4 = 25.00 € and 2 cents left over.
    schedule = build_schedule(
        principal_cents=10_002, annual_rate_bps=0, start=D(2025, 1, 10), term_months=4, mode=Mode.LINEAR
    )
    assert [i.principal_cents for i in schedule] == [2_501, 2_501, 2_500, 2_500]


def test_a_linear_loan_charges_interest_on_the_declining_balance() -> None:
    # 3,000.00 € at 2.40 % over 3 months: 0.2 % a month on 3,000, 2,000 then 1,000 € = 6, 4, 2 €.
    schedule = build_schedule(
        principal_cents=300_000, annual_rate_bps=240, start=D(2025, 1, 10), term_months=3, mode=Mode.LINEAR
    )
    assert _amounts(schedule) == [(100_000, 600, 200_000), (100_000, 400, 100_000), (100_000, 200, 0)]


def test_half_a_cent_rounds_up() -> None:
    # 1,250.00 € at 0.60 % for a month: 125,000 cents × 0.05 % = 62.5 cents → 63, not the banker's 62.
    [instalment] = build_schedule(
        principal_cents=125_000, annual_rate_bps=60, start=D(2025, 1, 10), term_months=1, mode=Mode.LINEAR
    )
    assert instalment.interest_cents == 63


def test_a_bullet_charges_actual_days_over_365() -> None:
    # 20,000.00 € at 1 % from 3 March to 3 June 2025: 28 + 30 + 31 + 3 = 92 days,
    # 20,000.00 × 1 % × 92 / 365 = 200 × 0.2520548 = 50.41 €.
    [instalment] = build_schedule(
        principal_cents=2_000_000,
        annual_rate_bps=100,
        start=D(2025, 3, 3),
        term_months=3,
        mode=Mode.BULLET,
        bullet_due=D(2025, 6, 3),
    )
    assert instalment == Instalment(1, D(2025, 6, 3), 2_000_000, 5_041, 0)
    assert instalment.total_cents == 2_005_041


def test_a_bullet_without_due_date_falls_term_months_after_start() -> None:
    [instalment] = build_schedule(
        principal_cents=2_000_000, annual_rate_bps=100, start=D(2025, 3, 3), term_months=3, mode=Mode.BULLET
    )
    assert (instalment.due_date, instalment.interest_cents) == (D(2025, 6, 3), 5_041)


def test_a_bullet_moved_to_a_friday_still_charges_to_its_nominal_saturday() -> None:
    # Due Saturday 31 May 2025, paid Friday 30 May; interest to the 31st: 28 + 30 + 31 = 89 days,
    # 200 × 89 / 365 = 48.767 → 48.77 €.
    [instalment] = build_schedule(
        principal_cents=2_000_000,
        annual_rate_bps=100,
        start=D(2025, 3, 3),
        term_months=1,
        mode=Mode.BULLET,
        bullet_due=D(2025, 5, 31),
    )
    assert (instalment.due_date, instalment.interest_cents) == (D(2025, 5, 30), 4_877)


def test_grace_months_pay_interest_only() -> None:
    # 6,000.00 € at 1.20 % over 6 months, 2 of grace: 0.1 % a month, so 6.00 € of interest on 6,000;
    # then 6,000 / 4 = 1,500.00 € a month with 0.1 % of 6,000, 4,500, 3,000, 1,500 € = 6, 4.50, 3, 1.50.
    schedule = build_schedule(
        principal_cents=600_000,
        annual_rate_bps=120,
        start=D(2025, 1, 10),
        term_months=6,
        mode=Mode.LINEAR,
        grace_months=2,
    )
    assert _amounts(schedule) == [
        (0, 600, 600_000),
        (0, 600, 600_000),
        (150_000, 600, 450_000),
        (150_000, 450, 300_000),
        (150_000, 300, 150_000),
        (150_000, 150, 0),
    ]


def test_an_annuity_with_grace_amortises_over_the_months_left() -> None:
    # After 2 interest-only months, the 10,000.00 € at 1.50 % are an annuity over 12 months: 840.12 €.
    schedule = build_schedule(
        principal_cents=1_000_000,
        annual_rate_bps=150,
        start=D(2025, 1, 15),
        term_months=14,
        mode=Mode.ANNUITY,
        grace_months=2,
    )
    assert [i.total_cents for i in schedule[:2]] == [1_250, 1_250]
    assert [i.principal_cents for i in schedule[:2]] == [0, 0]
    assert [i.total_cents for i in schedule[2:-1]] == [84_012] * 11


def test_due_dates_on_christmas_1_may_or_a_saturday_are_moved() -> None:
    def due_dates(start: dt.date, term_months: int) -> list[dt.date]:
        return _dates(
            build_schedule(
                principal_cents=100_000, annual_rate_bps=0, start=start, term_months=term_months, mode=Mode.LINEAR
            )
        )

    # 25 December 2025 (Thursday) → Friday 26; 25 January 2026 is a Sunday → Monday 26.
    assert due_dates(D(2025, 11, 25), 2) == [D(2025, 12, 26), D(2026, 1, 26)]
    # 1 May 2025 (Thursday) → Friday 2 May.
    assert due_dates(D(2025, 4, 1), 1) == [D(2025, 5, 2)]
    # 1 March 2025 is a Saturday → Monday 3 March.
    assert due_dates(D(2025, 1, 1), 2) == [D(2025, 2, 3), D(2025, 3, 3)]  # 1 February is a Saturday too


def test_a_month_end_start_falls_due_at_each_month_end() -> None:
    def due_dates(start: dt.date) -> list[dt.date]:
        return _dates(
            build_schedule(principal_cents=300_000, annual_rate_bps=0, start=start, term_months=3, mode=Mode.LINEAR)
        )

    # Counted from the start each time, not month after month: 31 March, not 28 March.
    assert due_dates(D(2025, 1, 31)) == [D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30)]
    # 2024 is a leap year; Sunday 31 March 2024 goes back to Friday 29 (Monday 1 April is Easter Monday).
    assert due_dates(D(2024, 1, 31)) == [D(2024, 2, 29), D(2024, 3, 29), D(2024, 4, 30)]


def test_moving_a_due_date_does_not_change_the_amounts() -> None:
    def schedule(start: dt.date) -> list[Instalment]:
        return build_schedule(
            principal_cents=1_000_000, annual_rate_bps=150, start=start, term_months=12, mode=Mode.ANNUITY
        )

    moved, unmoved = schedule(D(2025, 11, 25)), schedule(D(2025, 11, 24))
    assert moved[0].due_date == D(2025, 12, 26)  # one day later than the nominal 25 December
    assert _amounts(moved) == _amounts(unmoved)


def test_reschedule_numbers_a_new_schedule_from_one_on_the_outstanding() -> None:
    # 4,500.00 € left, rescheduled over 3 months at 0 %: 3 × 1,500.00 €.
    schedule = reschedule(
        outstanding_cents=450_000, annual_rate_bps=0, start=D(2025, 9, 10), term_months=3, mode=Mode.LINEAR
    )
    assert [(i.number, i.principal_cents) for i in schedule] == [(1, 150_000), (2, 150_000), (3, 150_000)]
    assert _dates(schedule) == [D(2025, 10, 10), D(2025, 11, 10), D(2025, 12, 10)]


# --- Prepayment, worked -------------------------------------------------------------------------


def _annuity_10000() -> list[Instalment]:
    return build_schedule(
        principal_cents=1_000_000, annual_rate_bps=150, start=D(2025, 1, 15), term_months=12, mode=Mode.ANNUITY
    )


def test_shorten_keeps_the_annuity_payment_and_stops_earlier() -> None:
    # After 4 of the 840.12 € payments, 6,683.31 € are left; 3,000.00 € prepaid leave 3,683.31 €.
    schedule = _annuity_10000()
    assert schedule[3].outstanding_after_cents == 668_331
    new = recompute_after_prepayment(
        outstanding_cents=368_331,
        annual_rate_bps=150,
        on=D(2025, 5, 20),
        remaining=schedule[4:],
        mode=Mode.ANNUITY,
        option="shorten",
    )
    # 5th: interest 3,683.31 × 0.00125 = 4.60, principal 840.12 - 4.60 = 835.52 ... 4 full payments
    # then the 334.97 € left plus 334.97 × 0.00125 = 0.42: 335.39 €. 5 instalments instead of 8.
    assert [i.total_cents for i in new] == [84_012] * 4 + [33_539]
    assert _amounts(new)[0] == (83_552, 460, 284_779)
    assert [(i.number, i.due_date) for i in new] == [(i.number, i.due_date) for i in schedule[4:9]]
    assert sum(i.principal_cents for i in new) == 368_331


def test_reduce_keeps_the_dates_and_lowers_the_annuity_payment() -> None:
    # 3,683.31 € over the 8 remaining months at 0.125 %: 1 - 1.00125^-8 = 0.0099440,
    # 3,683.31 × 0.00125 / 0.0099440 = 4.6041 / 0.0099440 = 463.007 → 463.01 € a month.
    schedule = _annuity_10000()
    new = recompute_after_prepayment(
        outstanding_cents=368_331,
        annual_rate_bps=150,
        on=D(2025, 5, 20),
        remaining=schedule[4:],
        mode=Mode.ANNUITY,
        option="reduce",
    )
    assert [i.total_cents for i in new[:-1]] == [46_301] * 7
    assert new[-1].total_cents == 46_299
    assert [(i.number, i.due_date) for i in new] == [(i.number, i.due_date) for i in schedule[4:]]
    assert sum(i.principal_cents for i in new) == 368_331


def _linear_12000() -> list[Instalment]:
    return build_schedule(
        principal_cents=1_200_000, annual_rate_bps=0, start=D(2025, 1, 10), term_months=12, mode=Mode.LINEAR
    )


def test_shorten_keeps_the_linear_share() -> None:
    # 3 × 1,000.00 € paid, then 2,500.00 € prepaid: 6,500.00 € = 6 × 1,000.00 + 500.00.
    schedule = _linear_12000()
    new = recompute_after_prepayment(
        outstanding_cents=650_000,
        annual_rate_bps=0,
        on=D(2025, 4, 15),
        remaining=schedule[3:],
        mode=Mode.LINEAR,
        option="shorten",
    )
    assert [i.principal_cents for i in new] == [100_000] * 6 + [50_000]
    assert [i.number for i in new] == [4, 5, 6, 7, 8, 9, 10]
    assert _dates(new) == _dates(schedule[3:10])


def test_reduce_spreads_the_linear_balance_over_the_remaining_dates() -> None:
    # 6,500.00 € over the 9 months left: 722.22 € and 2 cents left over, on the first two.
    schedule = _linear_12000()
    new = recompute_after_prepayment(
        outstanding_cents=650_000,
        annual_rate_bps=0,
        on=D(2025, 4, 15),
        remaining=schedule[3:],
        mode=Mode.LINEAR,
        option="reduce",
    )
    assert [i.principal_cents for i in new] == [72_223, 72_223] + [72_222] * 7
    assert _dates(new) == _dates(schedule[3:])


def test_a_prepayment_during_grace_keeps_the_grace() -> None:
    # The 6,000.00 € at 1.20 % with 2 months of grace; one interest-only month paid, 2,000.00 € prepaid.
    schedule = build_schedule(
        principal_cents=600_000,
        annual_rate_bps=120,
        start=D(2025, 1, 10),
        term_months=6,
        mode=Mode.LINEAR,
        grace_months=2,
    )
    common: dict[str, Any] = {
        "outstanding_cents": 400_000,
        "annual_rate_bps": 120,
        "on": D(2025, 2, 20),
        "remaining": schedule[1:],
        "mode": Mode.LINEAR,
    }
    # Reduce: 4.00 € interest only, then 4 × 1,000.00 € with 0.1 % of 4,000, 3,000, 2,000, 1,000 €.
    assert _amounts(recompute_after_prepayment(**common, option="reduce")) == [
        (0, 400, 400_000),
        (100_000, 400, 300_000),
        (100_000, 300, 200_000),
        (100_000, 200, 100_000),
        (100_000, 100, 0),
    ]
    # Shorten: the 1,500.00 € share kept: 1,500 + 1,500 + 1,000.
    assert [i.principal_cents for i in recompute_after_prepayment(**common, option="shorten")] == [
        0,
        150_000,
        150_000,
        100_000,
    ]


def test_a_bullet_prepayment_charges_the_balance_from_the_prepayment_day() -> None:
    # The 20,000.00 € bullet due 3 June 2025; 5,000.00 € prepaid on 2 April leave 15,000.00 €,
    # 28 + 31 + 3 = 62 days to the due date: 150 × 62 / 365 = 25.479 → 25.48 €.
    schedule = build_schedule(
        principal_cents=2_000_000,
        annual_rate_bps=100,
        start=D(2025, 3, 3),
        term_months=3,
        mode=Mode.BULLET,
    )
    for option in ("shorten", "reduce"):
        new = recompute_after_prepayment(
            outstanding_cents=1_500_000,
            annual_rate_bps=100,
            on=D(2025, 4, 2),
            remaining=schedule,
            mode=Mode.BULLET,
            option=option,  # type: ignore[arg-type]
        )
        assert new == [Instalment(1, D(2025, 6, 3), 1_500_000, 2_548, 0)]


def test_nothing_left_after_a_full_prepayment_means_no_instalment() -> None:
    schedule = _annuity_10000()
    for option in ("shorten", "reduce"):
        new = recompute_after_prepayment(
            outstanding_cents=0,
            annual_rate_bps=150,
            on=D(2025, 5, 20),
            remaining=schedule[4:],
            mode=Mode.ANNUITY,
            option=option,  # type: ignore[arg-type]
        )
        assert new == []


# --- Validation ---------------------------------------------------------------------------------

LOAN: dict[str, Any] = {
    "principal_cents": 100_000,
    "annual_rate_bps": 150,
    "start": D(2025, 1, 15),
    "term_months": 12,
    "mode": Mode.ANNUITY,
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"principal_cents": 0}, r"principal_cents must be positive, got 0"),
        ({"principal_cents": -100}, r"principal_cents must be positive, got -100"),
        ({"annual_rate_bps": -1}, r"annual_rate_bps must not be negative"),
        ({"term_months": 0}, r"term_months must be between 1 and 600, got 0"),
        ({"term_months": 601}, r"term_months must be between 1 and 600, got 601"),
        ({"grace_months": -1}, r"grace_months must not be negative"),
        ({"grace_months": 12}, r"grace_months \(12\) must be less than term_months \(12\)"),
        ({"mode": "weekly"}, r"mode must be one of bullet, annuity, linear"),
        ({"bullet_due": D(2025, 6, 1)}, r"bullet_due only applies to a bullet loan"),
        ({"mode": Mode.BULLET, "grace_months": 1}, r"grace_months must be 0 for a bullet loan"),
        ({"mode": Mode.BULLET, "bullet_due": D(2025, 1, 15)}, r"bullet_due \(2025-01-15\) must be after start"),
        ({"mode": Mode.BULLET, "bullet_due": D(2024, 12, 31)}, r"bullet_due \(2024-12-31\) must be after start"),
        # Due Saturday 31 May 2025, moved back to Friday 30 May: the day it was lent.
        (
            {"mode": Mode.BULLET, "start": D(2025, 5, 30), "bullet_due": D(2025, 5, 31)},
            r"bullet_due \(2025-05-31\) moves back to 2025-05-30, not after start",
        ),
        # Less than a cent per instalment.
        ({"principal_cents": 11, "annual_rate_bps": 0, "mode": Mode.LINEAR}, r"principal_cents \(11\) is too small"),
        # 10.00 € over 60 months at 0.50 %: the 16.88-cent payment rounds to 17 and a month's interest (at
        # most 1,000 × 0.50 % / 12 = 0.42 cent) to 0, so 17 cents a month repay the 10.00 € in 59 months.
        (
            {"principal_cents": 1_000, "annual_rate_bps": 50, "term_months": 60},
            r"principal_cents \(1000\) is too small for 60 annuity instalments at 50 bps",
        ),
    ],
)
def test_build_schedule_refuses_with_a_message_naming_the_argument(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_schedule(**{**LOAN, **changes})


@pytest.mark.parametrize(
    "changes",
    [{"principal_cents": 1000.0}, {"annual_rate_bps": 1.5}, {"term_months": 12.0}, {"principal_cents": True}],
)
def test_build_schedule_refuses_floats_for_integers(changes: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        build_schedule(**{**LOAN, **changes})


def test_reschedule_names_the_outstanding_and_refuses_what_build_schedule_refuses() -> None:
    loan: dict[str, Any] = {"annual_rate_bps": 0, "start": D(2025, 1, 1), "term_months": 3, "mode": Mode.LINEAR}
    with pytest.raises(ValueError, match="outstanding_cents must be positive to reschedule, got 0"):
        reschedule(outstanding_cents=0, **loan)
    with pytest.raises(TypeError, match="outstanding_cents must be an int number of cents"):
        reschedule(outstanding_cents=10.0, **loan)
    with pytest.raises(ValueError, match="grace_months \\(3\\) must be less than term_months"):
        reschedule(outstanding_cents=1_000, grace_months=3, **loan)


def _prepayment(**changes: Any) -> dict[str, Any]:
    schedule = _annuity_10000()
    return {
        "outstanding_cents": 368_331,
        "annual_rate_bps": 150,
        "on": D(2025, 5, 20),
        "remaining": schedule[4:],
        "mode": Mode.ANNUITY,
        "option": "reduce",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outstanding_cents": -1}, r"outstanding_cents must not be negative"),
        ({"annual_rate_bps": -1}, r"annual_rate_bps must not be negative"),
        ({"option": "halve"}, r"option must be 'shorten' or 'reduce', got 'halve'"),
        ({"mode": "weekly"}, r"mode must be one of"),
        ({"remaining": []}, r"remaining is empty but outstanding_cents is not zero"),
        ({"remaining": _annuity_10000()[4:6] + _annuity_10000()[7:]}, r"remaining must be consecutive"),
        ({"remaining": _annuity_10000()[5:3:-1]}, r"remaining must be consecutive"),
        ({"on": D(2025, 6, 16)}, r"on \(2025-06-16\) must be before the first remaining due date \(2025-06-16\)"),
        ({"outstanding_cents": 668_332}, r"outstanding_cents \(668332\) exceeds the principal still due .*668331"),
        ({"mode": Mode.BULLET}, r"a bullet loan has a single instalment, remaining holds 8"),
        ({"outstanding_cents": 1.5}, r"must be an int number of cents"),
    ],
)
def test_recompute_after_prepayment_refuses_with_a_message_naming_the_argument(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        recompute_after_prepayment(**_prepayment(**changes))


# --- Properties ---------------------------------------------------------------------------------


@st.composite
def loans(draw: st.DrawFn, modes: tuple[Mode, ...] = tuple(Mode), max_principal: int = 10**9) -> dict[str, Any]:
    """Up to 10 million euros, 0 to 20 %, 1 to 600 months, any grace, from 2020 to 2045."""
    mode = draw(st.sampled_from(modes))
    term_months = draw(st.integers(1, 600))
    start = draw(st.dates(D(2020, 1, 1), D(2045, 12, 31)))
    loan = {
        "principal_cents": draw(st.integers(1, max_principal)),
        "annual_rate_bps": draw(st.integers(0, 2_000)),
        "start": start,
        "term_months": term_months,
        "mode": mode,
    }
    if mode is Mode.BULLET:
        days = st.integers(1, 18_000).map(lambda n: start + dt.timedelta(days=n))
        loan["bullet_due"] = draw(st.none() | days)
    else:
        loan["grace_months"] = draw(st.integers(0, term_months - 1))
    return loan


def _build_or_reject(loan: dict[str, Any]) -> list[Instalment]:
    """The schedule, or no example when the loan is one refused by design (too small to round, or a
    bullet due date that moves back onto the start)."""
    try:
        return build_schedule(**loan)
    except ValueError as error:
        if "too small" in str(error) or "moves back" in str(error):
            reject()
        raise


def _assert_repays_exactly(schedule: list[Instalment], amount_cents: int) -> None:
    assert sum(i.principal_cents for i in schedule) == amount_cents
    balance = amount_cents
    for instalment in schedule:
        assert instalment.principal_cents >= 0
        assert instalment.interest_cents >= 0
        balance -= instalment.principal_cents
        assert instalment.outstanding_after_cents == balance >= 0
    assert schedule[-1].outstanding_after_cents == 0


@properties(1_200)
@given(loans())
def test_every_schedule_repays_exactly_on_business_days(loan: dict[str, Any]) -> None:
    schedule = _build_or_reject(loan)
    _assert_repays_exactly(schedule, loan["principal_cents"])
    expected_count = 1 if loan["mode"] is Mode.BULLET else loan["term_months"]
    assert [i.number for i in schedule] == list(range(1, expected_count + 1))
    dates = _dates(schedule)
    assert dates[0] > loan["start"]
    assert all(before < after for before, after in itertools.pairwise(dates))
    assert all(d.weekday() < 5 and d not in FRENCH_HOLIDAYS for d in dates)
    grace = loan.get("grace_months", 0)
    assert all(i.principal_cents == 0 for i in schedule[:grace])


@properties(800)
@given(loans(modes=(Mode.ANNUITY,)))
def test_annuities_agree_with_numpy_financial(loan: dict[str, Any]) -> None:
    schedule = _build_or_reject(loan)
    principal, bps, grace = loan["principal_cents"], loan["annual_rate_bps"], loan["grace_months"]
    rate = bps / 120_000
    amortising = schedule[grace:]
    n = len(amortising)
    with np.errstate(divide="ignore", invalid="ignore"):  # numpy-financial divides by the rate, then masks 0
        reference_payment = -float(npf.pmt(rate, n, principal))
        reference_interest = -npf.ipmt(rate, np.arange(1, n + 1), n, principal)
    payment = amortising[0].total_cents
    float_slack = 1e-3  # float64 on amounts up to 10^9 cents and powers up to 600: far below this

    # The payment is the exact one rounded half-up: within half a cent. At rate 0 the first instalments
    # carry one leftover cent each: within one cent.
    assert abs(payment - reference_payment) <= (0.5 if bps else 1) + float_slack
    # Every payment is equal but the last, which absorbs the compounded rounding of the payment and
    # of each period's interest (1 cent at most a period): at most ((1 + r)^n - 1) / r, n at rate 0.
    if bps:
        assert all(i.total_cents == payment for i in amortising[:-1])
        assert abs(amortising[-1].total_cents - payment) <= ((1 + rate) ** n - 1) / rate + float_slack
    else:
        assert all(i.interest_cents == 0 for i in schedule)
        assert max(i.principal_cents for i in schedule) - min(i.principal_cents for i in amortising) <= 1
    # Interest: our balance drifts from the exact one by the rounding above, at most
    # ((1 + r)^(k-1) - 1) / r cents before period k; interest is r times that, plus its own half cent.
    # So within 0.5 + (1 + r)^(k-1) - 1 cents: half a cent to a cent or two for the treasury's loans
    # (0.51 for 12 months at 1.50 %, 2.2 for 10 years at 10 %), more only for long loans at high rates.
    for k, (instalment, reference) in enumerate(zip(amortising, reference_interest, strict=True), start=1):
        tolerance = 0.5 + (1 + rate) ** (k - 1) - 1 + float_slack
        assert abs(instalment.interest_cents - reference) <= tolerance
    # Grace months pay one month's interest on the whole principal.
    one_month = math.floor(Fraction(principal * bps, 120_000) + Fraction(1, 2))
    assert all(i.interest_cents == one_month for i in schedule[:grace])


@properties(500)
@given(loans(modes=(Mode.LINEAR,)))
def test_linear_schedules_repay_equal_shares(loan: dict[str, Any]) -> None:
    schedule = _build_or_reject(loan)
    shares = [i.principal_cents for i in schedule[loan["grace_months"] :]]
    assert shares == sorted(shares, reverse=True)
    assert shares[0] - shares[-1] <= 1
    balance = loan["principal_cents"]
    for instalment in schedule:
        exact = Fraction(balance * loan["annual_rate_bps"], 120_000)
        assert instalment.interest_cents == math.floor(exact + Fraction(1, 2))
        balance = instalment.outstanding_after_cents


@properties(300)
@given(st.integers(1, 600), st.integers(1, 600))
def test_linear_refuses_exactly_the_loans_under_a_cent_per_instalment(principal: int, term_months: int) -> None:
    loan = {**LOAN, "principal_cents": principal, "term_months": term_months, "mode": Mode.LINEAR}
    if principal < term_months:
        with pytest.raises(ValueError, match="too small"):
            build_schedule(**loan)
    else:
        _assert_repays_exactly(build_schedule(**loan), principal)


@properties(500)
@given(loans(modes=(Mode.BULLET,)))
def test_bullets_charge_actual_days_over_365_to_the_nominal_date(loan: dict[str, Any]) -> None:
    [instalment] = _build_or_reject(loan)
    nominal = loan["bullet_due"] or loan["start"] + relativedelta(months=loan["term_months"])
    days = (nominal - loan["start"]).days
    exact = Fraction(loan["principal_cents"] * loan["annual_rate_bps"] * days, 10_000 * 365)
    assert instalment.interest_cents == math.floor(exact + Fraction(1, 2))
    assert instalment.principal_cents == loan["principal_cents"]
    assert instalment.due_date.month == nominal.month
    assert abs((instalment.due_date - nominal).days) <= 4


@st.composite
def prepayments(draw: st.DrawFn) -> tuple[dict[str, Any], list[Instalment], int, str]:
    """A loan of at least 100 €, some instalments paid, then a prepayment of 1 cent up to all the balance."""
    loan = draw(loans(modes=(Mode.ANNUITY, Mode.LINEAR), max_principal=10**8).filter(lambda x: x["term_months"] > 1))
    loan["principal_cents"] = max(loan["principal_cents"], 10_000)
    schedule = _build_or_reject(loan)
    paid = draw(st.integers(0, len(schedule) - 1))
    balance = schedule[paid - 1].outstanding_after_cents if paid else loan["principal_cents"]
    outstanding = balance - draw(st.integers(1, balance))
    return loan, schedule[paid:], outstanding, draw(st.sampled_from(["shorten", "reduce"]))


@properties(1_000)
@given(prepayments())
def test_a_prepayment_keeps_the_dates_and_repays_the_balance_exactly(
    case: tuple[dict[str, Any], list[Instalment], int, str],
) -> None:
    loan, remaining, outstanding, option = case
    new = recompute_after_prepayment(
        outstanding_cents=outstanding,
        annual_rate_bps=loan["annual_rate_bps"],
        on=remaining[0].due_date - dt.timedelta(days=1),
        remaining=remaining,
        mode=loan["mode"],
        option=option,  # type: ignore[arg-type]
    )
    if outstanding == 0:
        assert new == []
        return
    _assert_repays_exactly(new, outstanding)
    assert len(new) <= len(remaining)
    assert [(i.number, i.due_date) for i in new] == [(i.number, i.due_date) for i in remaining[: len(new)]]
    grace = next(k for k, i in enumerate(remaining) if i.principal_cents or k == len(remaining) - 1)
    assert all(i.principal_cents == 0 for i in new[:grace])
    old, fresh = remaining[grace:], new[grace:]
    if option == "shorten":
        # The same payment (annuity) or share (linear) until the last, which takes what is left: less,
        # unless all the old dates are used and the last absorbs the rounding as before.
        if loan["mode"] is Mode.ANNUITY:
            kept, amounts = old[0].total_cents, [i.total_cents for i in fresh]
        else:
            kept, amounts = old[0].principal_cents, [i.principal_cents for i in fresh]
        assert amounts[:-1] == [kept] * (len(amounts) - 1)
        assert amounts[-1] <= kept or len(new) == len(remaining)
    else:
        # Smaller or equal regular instalments on the same dates; fewer only when what rounding can
        # add up to is worth a whole instalment: linear, under a cent per date; annuity, a payment no
        # more than the compounded rounding bound ((1 + r)^n - 1) / r (n at rate 0).
        assert fresh[0].total_cents <= old[0].total_cents
        if len(new) < len(remaining):
            if loan["mode"] is Mode.LINEAR:
                assert outstanding < len(old)
            else:
                rate, n = loan["annual_rate_bps"] / 120_000, len(old)
                assert fresh[0].total_cents <= (((1 + rate) ** n - 1) / rate if rate else n)
        if grace == 0 and len(new) == len(remaining) and fresh[0].total_cents < old[0].total_cents:
            # Never from scratch, yet the same as a fresh loan of the balance over the dates left
            # (unless the payment was capped at the one before, which the test above covers).
            again = build_schedule(
                principal_cents=outstanding,
                annual_rate_bps=loan["annual_rate_bps"],
                start=loan["start"],
                term_months=len(remaining),
                mode=loan["mode"],
            )
            assert _amounts(again) == _amounts(new)
