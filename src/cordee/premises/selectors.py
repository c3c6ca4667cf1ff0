"""Reads on resources and bookings."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cordee.core import permissions
from cordee.network.models import Organisation
from cordee.premises.models import Booking, Resource


def resources(*, kind: str | None = None) -> QuerySet[Resource]:
    queryset = Resource.objects.filter(active=True).select_related("owner", "commune")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("name")


def get_resource_for_user(user: Any, pk: int) -> Resource:
    resource = Resource.objects.select_related("owner", "commune").filter(pk=pk).first()
    if resource is None or not (resource.active or permissions.can_manage_resource(user, resource.owner_id)):
        raise Http404
    return resource


def get_booking_for_user(user: Any, pk: int) -> Booking:
    """The booking if this user may see who booked it; 404 otherwise."""
    booking = Booking.objects.select_related("resource", "organisation", "booked_by").filter(pk=pk).first()
    if booking is None or not permissions.can_see_booking(user, booking.resource.owner_id, booking.organisation_id):
        raise Http404
    return booking


def bookable_organisations(user: Any) -> list[Organisation]:
    """The organisations in whose name this user may book."""
    actor = permissions.actor_for(user)
    return list(Organisation.objects.filter(pk__in=actor.organisations).order_by("sort_name"))


def my_bookings(user: Any) -> QuerySet[Booking]:
    actor = permissions.actor_for(user)
    return (
        Booking.objects.filter(organisation_id__in=list(actor.organisations))
        .select_related("resource", "organisation")
        .order_by("-starts_at")
    )


def requests_to_decide(user: Any) -> QuerySet[Booking]:
    """Requests awaiting a decision on the resources this user manages."""
    actor = permissions.actor_for(user)
    queryset = Booking.objects.filter(state=Booking.State.REQUESTED).select_related("resource", "organisation")
    if not actor.is_coordinator:
        admin_of = [pk for pk, role in actor.organisations.items() if role == permissions.MEMBER_ADMIN]
        queryset = queryset.filter(resource__owner_id__in=admin_of)
    return queryset.order_by("starts_at")


def managed_resources(user: Any) -> QuerySet[Resource]:
    actor = permissions.actor_for(user)
    queryset = Resource.objects.select_related("owner", "commune")
    if actor.is_coordinator:
        return queryset.order_by("name")
    admin_of = [pk for pk, role in actor.organisations.items() if role == permissions.MEMBER_ADMIN]
    return queryset.filter(owner_id__in=admin_of).order_by("name")


@dataclass(frozen=True)
class Slot:
    booking: Booking
    starts_at: dt.datetime
    ends_at: dt.datetime
    visible: bool  # may this user see who booked it


@dataclass(frozen=True)
class Day:
    day: dt.date
    slots: list[Slot]
    in_month: bool = True


def calendar_days(user: Any, resource: Resource, first: dt.date, last: dt.date) -> list[Day]:
    """The bookings that hold or held the resource, day by day from `first` to `last` (included),
    in local time; a booking over several days shows on each."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time(0)))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0)))
    bookings = list(
        Booking.objects.filter(resource=resource, starts_at__lt=end, ends_at__gt=start)
        .filter(Q(state__in=Booking.HOLDING) | Q(state=Booking.State.COMPLETED))
        .select_related("organisation")
        .order_by("starts_at")
    )
    days = []
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        day_start = timezone.make_aware(dt.datetime.combine(day, dt.time(0)))
        day_end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0)))
        slots = [
            Slot(
                b,
                max(b.starts_at, day_start),
                min(b.ends_at, day_end),
                permissions.can_see_booking(user, resource.owner_id, b.organisation_id),
            )
            for b in bookings
            if b.starts_at < day_end and b.ends_at > day_start
        ]
        days.append(Day(day, slots))
    return days


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_grid(user: Any, resource: Resource, year: int, month: int) -> list[list[Day]]:
    """Weeks of the month, Monday first, padded with the neighbouring months' days."""
    weeks = calendar.Calendar().monthdatescalendar(year, month)
    days = {d.day: d for d in calendar_days(user, resource, weeks[0][0], weeks[-1][-1])}
    return [[Day(d, days[d].slots, d.month == month) for d in week] for week in weeks]
