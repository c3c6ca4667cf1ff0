"""The period a report or a dashboard covers: two dates, both included.

Every indicator is computed over a Period; a dashboard's period comes from the query string
(`?du=2026-01-01&au=2026-06-30`), a report's from the command's --from/--to. Without one, the
current calendar year up to today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError

LONGEST_DAYS = 366 * 5  # a report covers at most five years


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise DomainError(_("The period ends before it starts."), field="end", code="period_reversed")
        if (self.end - self.start).days > LONGEST_DAYS:
            raise DomainError(_("A period covers five years at the most."), field="end", code="period_too_long")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def year_to_date(cls, today: dt.date) -> Period:
        return cls(dt.date(today.year, 1, 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The first instant of the period and the first instant after it, in the hub's time zone
        (for the rows dated by a moment: `start <= at < after`)."""
        zone = timezone.get_default_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, after

    def months(self) -> Iterator[dt.date]:
        """The first day of each month the period touches, in order (for time series)."""
        month = self.start.replace(day=1)
        while month <= self.end:
            yield month
            month = (month + dt.timedelta(days=32)).replace(day=1)

    def previous(self) -> Period:
        """The period of the same length just before (to compare with)."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)
