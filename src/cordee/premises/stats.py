"""How much the pooled resources are used, month by month.

Booked time is the time of the confirmed and completed bookings, clipped to the month, summed by
the database. Open time is what the resource's opening hours offer in the month, less the public
holidays when it closes on them and less its closure days (and the hub-wide ones); a resource
without opening hours is open all day. Both are real elapsed time between local Europe/Paris
(settings.TIME_ZONE) clock times, so the day the clocks go forward has 23 hours and the day they
go back 25, and a resource booked without a break has an occupancy of exactly 1.

Bookings the owner's side makes outside opening hours count as booked (the rules let it), so
the occupancy of a resource may exceed 1.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, DateTimeField, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from cordee.lib.text import fold
from cordee.premises import rules
from cordee.premises.models import Booking, Closure, OpeningHours, Resource

USED_STATES = (Booking.State.CONFIRMED, Booking.State.COMPLETED)
_SECOND = dt.timedelta(seconds=1)
_HOUR = Decimal(3600)
_CENT = Decimal("0.01")


def _hours(duration: dt.timedelta) -> Decimal:
    return (Decimal(duration // _SECOND) / _HOUR).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    """One resource's month: booked and open time, exact."""

    resource: Resource
    booked: dt.timedelta
    open: dt.timedelta

    @property
    def booked_hours(self) -> Decimal:
        return _hours(self.booked)

    @property
    def open_hours(self) -> Decimal:
        return _hours(self.open)

    @property
    def rate(self) -> Fraction | None:
        """Booked over open time; None when the resource was not open at all that month."""
        open_seconds = self.open // _SECOND
        return Fraction(self.booked // _SECOND, open_seconds) if open_seconds else None

    @property
    def percent(self) -> Decimal | None:
        """The rate in per cent with one decimal, for display."""
        rate = self.rate
        if rate is None:
            return None
        return (Decimal(rate.numerator * 100) / Decimal(rate.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class OrganisationUsage:
    """The time one organisation (None: the hub) used the resources in scope during a month."""

    organisation_id: int | None
    name: str
    booked: dt.timedelta
    bookings: int

    @property
    def hours(self) -> Decimal:
        return _hours(self.booked)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight of the first day of the month of `month`, and of the next month's."""
    zone = timezone.get_default_timezone()
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=31)).replace(day=1)
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        dt.datetime.combine(following, dt.time.min, tzinfo=zone),
    )


def _clipped(start: dt.datetime, end: dt.datetime) -> ExpressionWrapper:
    """Each booking's time within [start, end), as a duration the database can sum."""
    return ExpressionWrapper(
        Least(F("ends_at"), Value(end, output_field=DateTimeField()))
        - Greatest(F("starts_at"), Value(start, output_field=DateTimeField())),
        output_field=DurationField(),
    )


def _used(start: dt.datetime, end: dt.datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(state__in=USED_STATES, starts_at__lt=end, ends_at__gt=start)


def _elapsed(day: dt.date, opens: dt.time, closes: dt.time | None) -> dt.timedelta:
    """Real time between two local clock times of a day (closes None: the next midnight).
    Aware datetimes of one zone subtract as wall-clock times, hence the trip through UTC."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(day, opens, tzinfo=zone).astimezone(dt.UTC)
    if closes is None:
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone).astimezone(dt.UTC)
    else:
        end = dt.datetime.combine(day, closes, tzinfo=zone).astimezone(dt.UTC)
    return end - start


def _merged(spans: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    """Overlapping opening intervals of one weekday counted once."""
    merged: list[tuple[dt.time, dt.time]] = []
    for opens, closes in sorted(spans):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def _open_time(
    resource: Resource,
    days: list[dt.date],
    week: dict[int, list[tuple[dt.time, dt.time]]],
    closed: set[dt.date],
) -> dt.timedelta:
    total = dt.timedelta()
    for day in days:
        if day in closed or (resource.closed_on_public_holidays and rules.public_holiday(day)):
            continue
        if not week:  # no opening hours: open at all hours
            total += _elapsed(day, dt.time.min, None)
            continue
        for opens, closes in week.get(day.weekday(), []):
            total += _elapsed(day, opens, closes)
    return total


def occupancy(resources: Iterable[Resource], month: dt.date) -> list[Row]:
    """Booked and open time of each resource in the month of `month`, in the order given.
    Three queries whatever the number of resources."""
    resources = list(resources)
    if not resources:
        return []
    start, end = month_bounds(month)
    first, last = start.date(), end.date() - dt.timedelta(days=1)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    ids = [resource.pk for resource in resources]

    booked = dict(
        _used(start, end)
        .filter(resource_id__in=ids)
        .values("resource_id")
        .annotate(time=Sum(_clipped(start, end)))
        .values_list("resource_id", "time")
    )

    weeks: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(lambda: defaultdict(list))
    for resource_id, weekday, opens, closes in OpeningHours.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "weekday", "opens", "closes"
    ):
        weeks[resource_id][weekday].append((opens, closes))

    closed: dict[int | None, set[dt.date]] = defaultdict(set)
    for resource_id, starts_on, ends_on in Closure.objects.filter(
        Q(resource__isnull=True) | Q(resource_id__in=ids), starts_on__lte=last, ends_on__gte=first
    ).values_list("resource_id", "starts_on", "ends_on"):
        closed[resource_id].update(day for day in days if starts_on <= day <= ends_on)

    rows = []
    for resource in resources:
        week = {weekday: _merged(spans) for weekday, spans in weeks[resource.pk].items()}
        open_time = _open_time(resource, days, week, closed[None] | closed[resource.pk])
        rows.append(Row(resource=resource, booked=booked.get(resource.pk) or dt.timedelta(), open=open_time))
    return rows


def hours_by_organisation(month: dt.date, owner_scope: set[int | None] | None) -> list[OrganisationUsage]:
    """Time used in the month by each booking organisation, across the resources whose owner is
    in `owner_scope` (None: every resource; None in the set: the hub's), most used first."""
    start, end = month_bounds(month)
    bookings = _used(start, end)
    if owner_scope is not None:
        owners = Q(resource__owner_id__in=[pk for pk in owner_scope if pk is not None])
        if None in owner_scope:
            owners |= Q(resource__owner__isnull=True)
        bookings = bookings.filter(owners)
    totals = (
        bookings.values("organisation_id", "organisation__name")
        .annotate(time=Sum(_clipped(start, end)), count=Count("pk"))
        .order_by()
    )
    usage = [
        OrganisationUsage(
            organisation_id=row["organisation_id"],
            name=row["organisation__name"] if row["organisation_id"] is not None else settings.HUB_NAME,
            booked=row["time"] or dt.timedelta(),
            bookings=row["count"],
        )
        for row in totals
    ]
    return sorted(usage, key=lambda row: (-row.booked, fold(row.name)))
