"""The rules a booking must follow, each refusal with the field it concerns and a sentence a
person can act on. Conflicts with other bookings are checked by the services, in their write
transaction; everything else is here, and is the same for a single booking, each occurrence of a
recurring one, and the availability search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import holidays
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cordee.premises.models import Closure, Resource, elapsed


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def public_holiday(day: dt.date) -> str | None:
    """The name of the French public holiday on that day, in the current language, or None."""
    return _holidays(day.year, "fr" if (translation.get_language() or "fr").startswith("fr") else "en_US").get(day)


@cache
def _holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.France(years=year, language=language)


def _days(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.date]:
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(ends_at - dt.timedelta(microseconds=1)).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _day(day: dt.date) -> str:
    return date_format(day, "l j F Y")


def check_booking(
    resource: Resource,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    attendees: int | None = None,
    now: dt.datetime | None = None,
    by_manager: bool = False,
) -> list[Problem]:
    """Every rule of the resource this booking breaks (empty: none). `by_manager`: the owner's side
    books, and is held to neither the notice nor the opening hours, only to closures and the
    calendar itself."""
    now = now or timezone.now()
    problems: list[Problem] = []
    if not resource.active:
        problems.append(Problem("resource", _("This resource cannot be booked at the moment.")))
    if ends_at <= starts_at:
        return [*problems, Problem("ends_at", _("The end must be after the start."))]
    if starts_at < now:
        problems.append(Problem("starts_at", _("A booking cannot start in the past.")))
    elif not by_manager and starts_at < now + dt.timedelta(hours=resource.lead_time_hours):
        problems.append(
            Problem(
                "starts_at",
                _("This resource must be booked at least %(hours)s hours ahead.") % {"hours": resource.lead_time_hours},
            )
        )
    minutes = elapsed(starts_at, ends_at).total_seconds() / 60
    if minutes < resource.min_minutes:
        problems.append(
            Problem(
                "ends_at",
                _("A booking of this resource lasts at least %(n)s minutes.") % {"n": resource.min_minutes},
            )
        )
    if minutes > resource.max_minutes:
        problems.append(
            Problem(
                "ends_at",
                _("A booking of this resource lasts at most %(n)s minutes.") % {"n": resource.max_minutes},
            )
        )
    step = resource.granularity_minutes
    local_start = timezone.localtime(starts_at)
    if (
        (local_start.hour * 60 + local_start.minute) % step
        or local_start.second
        or local_start.microsecond
        or minutes % step
    ):
        problems.append(
            Problem(
                "starts_at",
                _("Bookings of this resource start and end on steps of %(n)s minutes.") % {"n": step},
            )
        )
    if attendees is not None and resource.capacity is not None and attendees > resource.capacity:
        problems.append(Problem("attendees", _("This resource holds %(n)s people at most.") % {"n": resource.capacity}))
    problems += _closed_days(resource, starts_at, ends_at)
    if not by_manager:
        problem = _outside_opening_hours(resource, starts_at, ends_at)
        if problem:
            problems.append(problem)
    return problems


def _closed_days(resource: Resource, starts_at: dt.datetime, ends_at: dt.datetime) -> list[Problem]:
    days = _days(starts_at, ends_at)
    problems = []
    closures = list(
        Closure.objects.filter(starts_on__lte=days[-1], ends_on__gte=days[0]).filter(resource__isnull=True)
    ) + list(resource.closures.filter(starts_on__lte=days[-1], ends_on__gte=days[0]))
    for closure in closures:
        problems.append(
            Problem(
                "starts_at",
                _("The resource is closed from %(start)s to %(end)s (%(reason)s).")
                % {
                    "start": _day(closure.starts_on),
                    "end": _day(closure.ends_on),
                    "reason": closure.reason or "—",
                },
            )
        )
    if resource.closed_on_public_holidays:
        for day in days:
            name = public_holiday(day)
            if name:
                problems.append(
                    Problem(
                        "starts_at",
                        _("The resource is closed on %(day)s, a public holiday (%(name)s).")
                        % {"day": _day(day), "name": name},
                    )
                )
    return problems


def _outside_opening_hours(resource: Resource, starts_at: dt.datetime, ends_at: dt.datetime) -> Problem | None:
    hours = list(resource.opening_hours.all())
    if not hours:  # no opening hours set: open at all hours
        return None
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    today = [h for h in hours if h.weekday == start.weekday()]
    spans = _merged([(h.opens, h.closes) for h in today])
    fits = end.date() == start.date() or (
        end.date() == start.date() + dt.timedelta(days=1) and end.time() == dt.time(0)
    )
    if fits:
        end_time = end.time() if end.time() != dt.time(0) else dt.time(23, 59, 59)
        if any(opens <= start.time() and end_time <= closes for opens, closes in spans):
            return None
    if not today:
        return Problem("starts_at", _("The resource is closed on %(weekday)s.") % {"weekday": date_format(start, "l")})
    shown = ", ".join(f"{h.opens:%H:%M}\N{EN DASH}{h.closes:%H:%M}" for h in today)
    return Problem(
        "starts_at",
        _("Outside opening hours: on %(weekday)s the resource opens %(spans)s.")
        % {"weekday": date_format(start, "l"), "spans": shown},
    )


def _merged(spans: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    """Opening spans that touch or overlap, joined: 9–12 and 12–17 let a booking run 11–13."""
    merged: list[tuple[dt.time, dt.time]] = []
    for opens, closes in sorted(spans):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged
