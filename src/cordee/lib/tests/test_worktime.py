"""Worked examples at the edges of the French working-time limits."""

from __future__ import annotations

import datetime as dt

from cordee.lib.worktime import (
    AMPLITUDE,
    AVERAGE_12_WEEKS,
    DAILY_MAX,
    DAILY_REST,
    WEEKLY_MAX,
    Day,
    check,
    monday_of,
)

MONDAY = dt.date(2026, 11, 2)


def _codes(days: dict[dt.date, Day]) -> list[str]:
    return [violation.code for violation in check(days)]


def _week(monday: dt.date, minutes: list[int]) -> dict[dt.date, Day]:
    return {monday + dt.timedelta(days=i): Day(m) for i, m in enumerate(minutes) if m}


def test_ten_hours_in_a_day_is_allowed() -> None:
    assert check({MONDAY: Day(600, dt.time(8), dt.time(19))}) == []


def test_ten_hours_and_one_minute_breaks_the_daily_maximum() -> None:
    [violation] = check({MONDAY: Day(601, dt.time(8), dt.time(19))})
    assert (violation.code, violation.article, violation.day, violation.minutes, violation.limit) == (
        DAILY_MAX,
        "L3121-18",
        MONDAY,
        601,
        600,
    )


def test_forty_eight_hours_in_a_week_is_allowed() -> None:
    assert check(_week(MONDAY, [600, 600, 600, 600, 480])) == []


def test_forty_eight_hours_and_one_minute_breaks_the_weekly_maximum() -> None:
    [violation] = check(_week(MONDAY, [600, 600, 600, 600, 481]))
    assert (violation.code, violation.article, violation.week, violation.minutes) == (
        WEEKLY_MAX,
        "L3121-20",
        MONDAY,
        2881,
    )


def test_the_week_is_the_civil_week() -> None:
    # 10 h a day from Thursday to the next Wednesday: 70 h in seven days, but 40 h in one civil
    # week (Monday to Sunday) and 30 h in the next.
    thursday = MONDAY + dt.timedelta(days=3)
    days = {thursday + dt.timedelta(days=i): Day(600) for i in range(7)}
    assert check(days) == []


def test_an_average_of_forty_four_hours_over_twelve_weeks_is_allowed() -> None:
    days: dict[dt.date, Day] = {}
    for week in range(12):  # 6 weeks of 48 h and 6 of 40 h: 44 h on average exactly
        hours = [600, 600, 600, 600, 480] if week % 2 == 0 else [480] * 5
        days.update(_week(MONDAY + dt.timedelta(weeks=week), hours))
    assert check(days) == []


def test_one_minute_more_over_twelve_weeks_breaks_the_average() -> None:
    days: dict[dt.date, Day] = {}
    for week in range(12):
        hours = [600, 600, 600, 600, 480] if week % 2 == 0 else [480] * 5
        days.update(_week(MONDAY + dt.timedelta(weeks=week), hours))
    last = MONDAY + dt.timedelta(weeks=11)
    days[last + dt.timedelta(days=5)] = Day(1)  # a Saturday minute in the twelfth week (40 h 01)
    [violation] = check(days)
    assert (violation.code, violation.article, violation.week, violation.first_week) == (
        AVERAGE_12_WEEKS,
        "L3121-22",
        last,
        MONDAY,
    )
    assert violation.minutes == 44 * 60  # 31 681 minutes / 12, floored


def test_weeks_not_worked_count_in_the_average() -> None:
    # 11 weeks of 48 h and no twelfth: 528 h = 12 × 44 h, allowed; one minute more is not.
    days: dict[dt.date, Day] = {}
    for week in range(11):
        days.update(_week(MONDAY + dt.timedelta(weeks=week), [600, 600, 600, 600, 480]))
    assert check(days) == []
    days[MONDAY + dt.timedelta(days=5)] = Day(1)
    # Two windows of 12 weeks hold the 11 weeks worked: both are over.
    assert _codes(days) == [WEEKLY_MAX, AVERAGE_12_WEEKS, AVERAGE_12_WEEKS]


def test_eleven_hours_of_rest_is_enough() -> None:
    days = {MONDAY: Day(420, dt.time(9), dt.time(21)), MONDAY + dt.timedelta(days=1): Day(420, dt.time(8), dt.time(17))}
    assert check(days) == []


def test_ten_hours_fifty_nine_of_rest_is_too_short() -> None:
    tuesday = MONDAY + dt.timedelta(days=1)
    days = {MONDAY: Day(420, dt.time(9), dt.time(21, 1)), tuesday: Day(420, dt.time(8), dt.time(17))}
    [violation] = check(days)
    assert (violation.code, violation.article, violation.day, violation.minutes) == (
        DAILY_REST,
        "L3131-1",
        tuesday,
        659,
    )


def test_the_rest_is_checked_from_sunday_to_monday() -> None:
    sunday = MONDAY - dt.timedelta(days=1)
    days = {sunday: Day(300, dt.time(17), dt.time(23)), MONDAY: Day(420, dt.time(7), dt.time(16))}
    [violation] = check(days)
    assert (violation.code, violation.day, violation.week, violation.minutes) == (DAILY_REST, MONDAY, MONDAY, 480)
    assert monday_of(sunday) != violation.week


def test_the_rest_after_a_day_off_is_long_enough() -> None:
    days = {
        MONDAY: Day(300, dt.time(17), dt.time(23, 59)),
        MONDAY + dt.timedelta(days=2): Day(300, dt.time(6), dt.time(12)),
    }
    assert check(days) == []


def test_the_hours_worked_must_fit_between_start_and_end() -> None:
    [violation] = check({MONDAY: Day(481, dt.time(9), dt.time(17))})
    assert (violation.code, violation.day, violation.limit) == (AMPLITUDE, MONDAY, 480)
    assert check({MONDAY: Day(480, dt.time(9), dt.time(17))}) == []


def test_days_without_times_are_checked_for_hours_only() -> None:
    assert _codes({MONDAY: Day(700), MONDAY + dt.timedelta(days=1): Day(300)}) == [DAILY_MAX]
