"""Indicators of the area `premises` (see cordee.reporting.indicators): the pooled premises and equipment.

A booking counts when it holds its slot for good: confirmed or completed (`premises.stats`'s used
states), neither requested, refused nor cancelled. A booking counts in the period it starts in;
the time booked is the part of the bookings' time that falls inside the period, so a booking
straddling the period's end counts once, in the period it starts in, and its time is shared.

The occupancy is the time booked over the time open, computed as the premises' usage statistics
do (`premises.stats.occupancy`, for a month) but over the whole period: the opening hours of each
resource, less public holidays when it closes on them and less its closures and the hub-wide ones,
a resource without opening hours being open at all hours. The resources counted are those that
can be booked today, and those that were booked in the period; each counts as open over the whole
period, whatever the day it was added.

The euros invoiced are those of the invoices the monthly invoicing of the bookings issued in the
period (`premises.billing`: the bookings of a month are invoiced once it has ended, so March's
appear in April's figures), including VAT, without the invoices cancelled by a credit note.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.invoicing.models import Invoice
from cordee.premises.models import Booking, Closure, OpeningHours, Resource
from cordee.premises.stats import USED_STATES, _clipped, _merged, _open_time
from cordee.reporting.figures import Breakdown, Figure, Place, Section, Series, Share, Unit
from cordee.reporting.periods import Period

_SECOND = dt.timedelta(seconds=1)


@dataclass
class Usage:
    """One resource's figures over the period."""

    bookings: int = 0  # started in the period
    booked: dt.timedelta = dt.timedelta()  # within the period
    open: dt.timedelta = dt.timedelta()


def bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight of the period's first day, and of the day after its last (Europe/Paris)."""
    zone = timezone.get_default_timezone()
    return (
        dt.datetime.combine(period.start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def minutes(duration: dt.timedelta) -> int:
    return int(duration // dt.timedelta(minutes=1))


def basis_points(part: dt.timedelta, whole: dt.timedelta) -> int | None:
    """part / whole in hundredths of a percent, rounded half up; None over no time at all."""
    numerator, denominator = part // _SECOND, whole // _SECOND
    if denominator <= 0:
        return None
    return (2 * numerator * 10_000 + denominator) // (2 * denominator)


def usage(period: Period, bookings: QuerySet[Booking]) -> dict[int, Usage]:
    """resource id -> bookings started and time booked in the period, of the bookings given."""
    start, end = bounds(period)
    rows = (
        bookings.filter(state__in=USED_STATES, starts_at__lt=end, ends_at__gt=start)
        .order_by()
        .values("resource_id")
        .annotate(
            time=Sum(_clipped(start, end)),
            count=Count("pk", filter=Q(starts_at__gte=start)),
        )
        .values_list("resource_id", "count", "time")
    )
    return {resource_id: Usage(bookings=count, booked=time or dt.timedelta()) for resource_id, count, time in rows}


def open_time(period: Period, resources: Iterable[Resource]) -> dict[int, dt.timedelta]:
    """resource id -> the time it was open in the period (see the module's docstring)."""
    resources = list(resources)
    ids = [resource.pk for resource in resources]
    days = [period.start + dt.timedelta(days=n) for n in range(period.days)]
    weeks: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(lambda: defaultdict(list))
    for resource_id, weekday, opens, closes in OpeningHours.objects.filter(resource_id__in=ids).values_list(
        "resource_id", "weekday", "opens", "closes"
    ):
        weeks[resource_id][weekday].append((opens, closes))
    closed: dict[int | None, set[dt.date]] = defaultdict(set)
    for resource_id, starts_on, ends_on in Closure.objects.filter(
        Q(resource__isnull=True) | Q(resource_id__in=ids), starts_on__lte=period.end, ends_on__gte=period.start
    ).values_list("resource_id", "starts_on", "ends_on"):
        first, last = max(starts_on, period.start), min(ends_on, period.end)
        closed[resource_id].update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return {
        resource.pk: _open_time(
            resource,
            days,
            {weekday: _merged(spans) for weekday, spans in weeks[resource.pk].items()},
            closed[None] | closed[resource.pk],
        )
        for resource in resources
    }


def _monthly(period: Period, bookings: QuerySet[Booking]) -> tuple[tuple[dt.date, int], ...]:
    start, end = bounds(period)
    zone = timezone.get_default_timezone()
    totals: dict[dt.date, int] = defaultdict(int)
    for month, count in (
        bookings.filter(state__in=USED_STATES, starts_at__gte=start, starts_at__lt=end)
        .annotate(month=TruncMonth("starts_at", tzinfo=zone))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    ):
        day = timezone.localtime(month, zone).date() if timezone.is_aware(month) else month.date()
        totals[day.replace(day=1)] += count
    return tuple((month, totals.get(month, 0)) for month in period.months())


def _invoiced(period: Period, invoices: QuerySet[Invoice]) -> int:
    total = (
        invoices.filter(
            kind=Invoice.Kind.INVOICE,
            issue_date__range=(period.start, period.end),
            pk__in=Booking.objects.filter(invoice__isnull=False).values("invoice_id"),
        )
        .exclude(status__in=[Invoice.Status.DRAFT, Invoice.Status.CANCELLED])
        .aggregate(total=Sum("total_incl_vat_cents"))["total"]
    )
    return int(total or 0)


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    if organisation_id is not None:
        return _organisation(period, organisation_id)
    booked = usage(period, Booking.objects.all())
    resources = list(Resource.objects.filter(Q(active=True) | Q(pk__in=list(booked))).select_related("commune"))
    opened = open_time(period, resources)
    for resource in resources:
        booked.setdefault(resource.pk, Usage()).open = opened[resource.pk]
    total = _total(booked.values())
    figures = [
        *_booking_figures(total, mine=False),
        Figure(
            "premises_occupancy_bps",
            _("Occupancy of the pooled resources"),
            basis_points(total.booked, total.open),
            Unit.BASIS_POINTS,
            _(
                "Time booked over the time the resources were open in the period (opening hours, less public "
                "holidays and closures; open at all hours without opening hours). Each resource bookable today "
                "or booked in the period counts as open over the whole period."
            ),
        ),
        Figure(
            "premises_invoiced_cents",
            _("Invoiced for the bookings"),
            _invoiced(period, Invoice.objects.all()),
            Unit.CENTS,
            _(
                "Invoices issued in the period for the bookings (each month's bookings are invoiced once it "
                "has ended), VAT included, less those cancelled by a credit note."
            ),
        ),
    ]
    by_kind: dict[str, Usage] = defaultdict(Usage)
    by_commune: dict[str, int] = defaultdict(int)
    communes = {}
    for resource in resources:
        row, kind = booked[resource.pk], by_kind[resource.kind]
        kind.bookings += row.bookings
        kind.booked += row.booked
        kind.open += row.open
        if row.bookings:
            by_commune[resource.commune_id] += row.bookings
            communes[resource.commune_id] = resource.commune
    kinds = [kind for kind in Resource.Kind if kind.value in by_kind]
    breakdowns = [
        Breakdown(
            "premises_bookings_by_kind",
            _("Bookings, by kind of resource"),
            Unit.COUNT,
            tuple(Share(kind.value, str(kind.label), by_kind[kind.value].bookings) for kind in kinds),
        ),
        Breakdown(
            "premises_minutes_by_kind",
            _("Time booked, by kind of resource"),
            Unit.MINUTES,
            tuple(Share(kind.value, str(kind.label), minutes(by_kind[kind.value].booked)) for kind in kinds),
        ),
        Breakdown(
            "premises_occupancy_by_kind",
            _("Occupancy, by kind of resource"),
            Unit.BASIS_POINTS,
            tuple(
                Share(
                    kind.value, str(kind.label), basis_points(by_kind[kind.value].booked, by_kind[kind.value].open) or 0
                )
                for kind in kinds
                if by_kind[kind.value].open
            ),
        ),
    ]
    places = []
    for code, count in sorted(by_commune.items(), key=lambda item: (-item[1], communes[item[0]].search_name)):
        commune = communes[code]
        if commune.latitude is not None and commune.longitude is not None:
            places.append(Place(code, commune.name, float(commune.latitude), float(commune.longitude), count))
    series = [
        Series(
            "premises_bookings_by_month",
            _("Bookings, month by month"),
            Unit.COUNT,
            _monthly(period, Booking.objects.all()),
        )
    ]
    return Section(
        "premises",
        _("Pooled premises and equipment"),
        figures=figures,
        breakdowns=breakdowns,
        series=series,
        places=places,
    )


def _total(rows: Iterable[Usage]) -> Usage:
    total = Usage()
    for row in rows:
        total.bookings += row.bookings
        total.booked += row.booked
        total.open += row.open
    return total


def _booking_figures(total: Usage, *, mine: bool) -> list[Figure]:
    return [
        Figure(
            "premises_bookings_count",
            _("Bookings made") if mine else _("Bookings"),
            total.bookings,
            Unit.COUNT,
            _("Confirmed or completed bookings starting in the period (neither requested, refused nor cancelled)."),
        ),
        Figure(
            "premises_booked_minutes",
            _("Time booked"),
            minutes(total.booked),
            Unit.MINUTES,
            _(
                "Time of the confirmed or completed bookings that falls inside the period (a booking across "
                "its first or last day counts for its part within)."
            ),
        ),
    ]


def _organisation(period: Period, organisation_id: int) -> Section:
    """The bookings the organisation made and, if it owns resources, those made on them."""
    made = Booking.objects.filter(organisation_id=organisation_id)
    own = _total(usage(period, made).values())
    figures = [
        *_booking_figures(own, mine=True),
        Figure(
            "premises_invoiced_cents",
            _("Invoiced to us for our bookings"),
            _invoiced(period, Invoice.objects.filter(recipient_id=organisation_id)),
            Unit.CENTS,
            _(
                "Invoices for the organisation's bookings issued in the period, VAT included, less those "
                "cancelled by a credit note."
            ),
        ),
    ]
    resources = list(Resource.objects.filter(owner_id=organisation_id))
    if resources:
        hosted_bookings = Booking.objects.filter(resource__owner_id=organisation_id)
        hosted = usage(period, hosted_bookings)
        opened = open_time(period, resources)
        total = _total(hosted.values())
        total.open = sum(opened.values(), dt.timedelta())
        figures += [
            Figure(
                "premises_hosted_bookings_count",
                _("Bookings of our resources"),
                total.bookings,
                Unit.COUNT,
                _("Confirmed or completed bookings of the organisation's resources starting in the period."),
            ),
            Figure(
                "premises_hosted_minutes",
                _("Time our resources were booked"),
                minutes(total.booked),
                Unit.MINUTES,
                _("Time of those bookings that falls inside the period."),
            ),
            Figure(
                "premises_occupancy_bps",
                _("Occupancy of our resources"),
                basis_points(total.booked, total.open),
                Unit.BASIS_POINTS,
                _(
                    "Time the organisation's resources were booked over the time they were open in the period "
                    "(opening hours, less public holidays and closures), as the hub computes it for all."
                ),
            ),
            Figure(
                "premises_hosted_invoiced_cents",
                _("Invoiced for the bookings of our resources"),
                _invoiced(period, Invoice.objects.filter(issuer_id=organisation_id)),
                Unit.CENTS,
                _("Invoices the organisation issued in the period for the bookings of its resources, VAT included."),
            ),
        ]
    kinds = dict(
        made.filter(state__in=USED_STATES, starts_at__gte=bounds(period)[0], starts_at__lt=bounds(period)[1])
        .order_by()
        .values("resource__kind")
        .annotate(count=Count("pk"))
        .values_list("resource__kind", "count")
    )
    breakdowns = [
        Breakdown(
            "premises_bookings_by_kind",
            _("Our bookings, by kind of resource"),
            Unit.COUNT,
            tuple(
                Share(kind.value, str(kind.label), kinds[kind.value]) for kind in Resource.Kind if kind.value in kinds
            ),
        )
    ]
    series = [
        Series("premises_bookings_by_month", _("Our bookings, month by month"), Unit.COUNT, _monthly(period, made))
    ]
    return Section(
        "premises", _("Pooled premises and equipment"), figures=figures, breakdowns=breakdowns, series=series
    )
