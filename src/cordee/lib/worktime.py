"""The French limits on working time, as data, and one function that checks a run of days against them.

The limits are those of the Code du travail for an employee under the ordinary regime (no
collective agreement raising them, no derogation granted by the labour inspectorate):

- L3121-18: at most 10 hours of actual work in a day;
- L3121-20: at most 48 hours in one week (the civil week, Monday 0:00 to Sunday 24:00, L3121-35);
- L3121-22: at most 44 hours a week on average over any 12 consecutive weeks;
- L3131-1: at least 11 consecutive hours of daily rest, between the end of one day's work and the
  start of the next, whichever weeks the two days fall in.

A day's worked minutes must also fit between the time work started and the time it ended, or the
times cannot be the day's. Times are local wall-clock times: a change to or from summer time shifts
one night's rest by an hour, which this check ignores.

No Django here: the callers translate the violations into messages.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass

DAILY_MAX = "daily_max"
WEEKLY_MAX = "weekly_max"
AVERAGE_12_WEEKS = "average_12_weeks"
DAILY_REST = "daily_rest"
AMPLITUDE = "amplitude"


@dataclass(frozen=True)
class Rule:
    code: str
    article: str
    limit_minutes: int


RULES: dict[str, Rule] = {
    DAILY_MAX: Rule(DAILY_MAX, "L3121-18", 10 * 60),
    WEEKLY_MAX: Rule(WEEKLY_MAX, "L3121-20", 48 * 60),
    AVERAGE_12_WEEKS: Rule(AVERAGE_12_WEEKS, "L3121-22", 44 * 60),
    DAILY_REST: Rule(DAILY_REST, "L3131-1", 11 * 60),
    AMPLITUDE: Rule(AMPLITUDE, "", 0),
}
AVERAGE_WEEKS = 12


@dataclass(frozen=True)
class Day:
    minutes: int
    started_at: dt.time | None = None
    ended_at: dt.time | None = None


@dataclass(frozen=True)
class Violation:
    """One rule broken. `day` is the day concerned (for the rest: the day work resumed too early);
    `week` the Monday of the week concerned (for the average: the last week of the 12);
    `minutes` what was found (worked, or rested, or the 12 weeks' average), `limit` the rule's."""

    code: str
    article: str
    minutes: int
    limit: int
    day: dt.date | None = None
    week: dt.date | None = None
    first_week: dt.date | None = None


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def check(days: Mapping[dt.date, Day]) -> list[Violation]:
    """Every violation found in `days` (days absent: not worked), in the order of the rules above
    and of the days. For the 12-week average, the weeks absent count as weeks not worked: give the
    eleven weeks before the ones you check."""
    violations: list[Violation] = []
    worked = {day: entry for day, entry in sorted(days.items()) if entry.minutes > 0}

    daily = RULES[DAILY_MAX]
    violations += [
        Violation(DAILY_MAX, daily.article, entry.minutes, daily.limit_minutes, day=day, week=monday_of(day))
        for day, entry in worked.items()
        if entry.minutes > daily.limit_minutes
    ]

    weeks: dict[dt.date, int] = {}
    for day, entry in worked.items():
        weeks[monday_of(day)] = weeks.get(monday_of(day), 0) + entry.minutes
    weekly = RULES[WEEKLY_MAX]
    violations += [
        Violation(WEEKLY_MAX, weekly.article, total, weekly.limit_minutes, week=monday)
        for monday, total in sorted(weeks.items())
        if total > weekly.limit_minutes
    ]

    average = RULES[AVERAGE_12_WEEKS]
    if weeks:
        # Every window of 12 weeks that holds a week worked, ending at each week from the first to
        # the last week worked plus eleven.
        first, last = min(weeks), max(weeks)
        end = first
        while end <= last + dt.timedelta(weeks=AVERAGE_WEEKS - 1):
            start = end - dt.timedelta(weeks=AVERAGE_WEEKS - 1)
            total = sum(minutes for monday, minutes in weeks.items() if start <= monday <= end)
            if total > average.limit_minutes * AVERAGE_WEEKS:
                violations.append(
                    Violation(
                        AVERAGE_12_WEEKS,
                        average.article,
                        total // AVERAGE_WEEKS,
                        average.limit_minutes,
                        week=end,
                        first_week=start,
                    )
                )
            end += dt.timedelta(weeks=1)

    rest = RULES[DAILY_REST]
    timed = [(day, entry) for day, entry in worked.items() if entry.started_at and entry.ended_at]
    for (before, earlier), (after, later) in itertools.pairwise(timed):
        assert earlier.ended_at and later.started_at
        rested = _minutes_between(
            dt.datetime.combine(before, earlier.ended_at), dt.datetime.combine(after, later.started_at)
        )
        if rested < rest.limit_minutes:
            violations.append(
                Violation(DAILY_REST, rest.article, rested, rest.limit_minutes, day=after, week=monday_of(after))
            )

    amplitude = RULES[AMPLITUDE]
    for day, entry in timed:
        assert entry.started_at and entry.ended_at
        span = _minutes_between(dt.datetime.combine(day, entry.started_at), dt.datetime.combine(day, entry.ended_at))
        if entry.minutes > span:
            violations.append(
                Violation(AMPLITUDE, amplitude.article, entry.minutes, span, day=day, week=monday_of(day))
            )
    return violations
