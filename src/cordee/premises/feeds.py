"""Bookings as iCalendar feeds (RFC 5545, with the RFC 7986 calendar properties), for calendar
clients that subscribe to a secret address: one feed per resource, for its owner, and one per
organisation, for the bookings it made.

A calendar client cannot log in, so the address itself is the credential: a long random token,
which the resource's managers or the organisation's admins can renew, which makes the previous
address stop working. The text is written by the `icalendar` library, never by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import STATUS, Calendar, Event, vDuration

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import NotAllowed
from cordee.network.models import Organisation
from cordee.premises.models import Booking, OrganisationFeed, Resource, new_token

SHOWN_STATES = (Booking.State.REQUESTED, Booking.State.CONFIRMED, Booking.State.COMPLETED)
PAST = dt.timedelta(days=30)
AHEAD = dt.timedelta(days=365)
# How often a client should fetch the feed again (clients treat it as a hint).
REFRESH = dt.timedelta(hours=1)


def _domain() -> str:
    # UIDs must be unique across every calendar a person subscribes to, two hubs included.
    return urlsplit(settings.SITE_URL).hostname or "cordee"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _window(now: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    now = now or timezone.now()
    return now - PAST, now + AHEAD


def _event(booking: Booking, *, summary: str, stamp: dt.datetime, **fields: Any) -> Event:
    # Without a METHOD, LAST-MODIFIED is when the booking last changed: its creation, or the
    # decision (approval, refusal, cancellation) that changed its state since.
    changed = max(booking.created_at, booking.decided_at or booking.created_at)
    return Event.new(
        uid=f"booking-{booking.pk}@{_domain()}",
        stamp=_utc(stamp),
        start=_utc(booking.starts_at),
        end=_utc(booking.ends_at),
        last_modified=_utc(changed),
        summary=summary,
        status=STATUS.TENTATIVE if booking.state == Booking.State.REQUESTED else STATUS.CONFIRMED,
        **fields,
    )


def _calendar(*, uid: str, name: str, events: Iterable[Event]) -> bytes:
    calendar = Calendar.new(
        prodid=f"-//{settings.HUB_NAME}//Cordée//FR",
        uid=f"{uid}@{_domain()}",
        name=name,  # NAME (RFC 7986) and X-WR-CALNAME, which older clients read
        refresh_interval=REFRESH,
        subcomponents=list(events),
    )
    # RFC 7986 section 5.7 requires the VALUE parameter on REFRESH-INTERVAL.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))  # the older spelling, read by Outlook
    return calendar.to_ical()


def resource_calendar(resource: Resource, *, now: dt.datetime | None = None) -> bytes:
    """The bookings that hold or held the resource, from 30 days ago to a year ahead, named by
    who booked and why: the feed is its owner's."""
    start, end = _window(now)
    bookings = (
        Booking.objects.filter(resource=resource, state__in=SHOWN_STATES, ends_at__gt=start, starts_at__lt=end)
        .select_related("organisation")
        .order_by("starts_at", "pk")
    )
    stamp = now or timezone.now()
    events = []
    for booking in bookings:
        who = booking.organisation.name if booking.organisation else settings.HUB_NAME
        summary = f"{who} \N{EM DASH} {booking.purpose}" if booking.purpose else who
        events.append(_event(booking, summary=summary, stamp=stamp))
    return _calendar(
        uid=f"resource-{resource.pk}", name=f"{resource.name} \N{MIDDLE DOT} {settings.HUB_NAME}", events=events
    )


def _location(resource: Resource) -> str:
    commune = resource.commune
    place = f"{commune.postal_code} {commune.name}".strip()
    return ", ".join(part for part in (resource.address.strip(), place) if part)


def organisation_calendar(organisation: Organisation, *, now: dt.datetime | None = None) -> bytes:
    """The bookings the organisation made, from 30 days ago to a year ahead, named by resource
    and placed at its address."""
    start, end = _window(now)
    bookings = (
        Booking.objects.filter(organisation=organisation, state__in=SHOWN_STATES, ends_at__gt=start, starts_at__lt=end)
        .select_related("resource__commune")
        .order_by("starts_at", "pk")
    )
    stamp = now or timezone.now()
    events = [
        _event(
            booking,
            summary=booking.resource.name,
            stamp=stamp,
            location=_location(booking.resource),
            description=booking.purpose or None,
        )
        for booking in bookings
    ]
    return _calendar(
        uid=f"organisation-{organisation.pk}",
        name=f"{organisation.name} \N{MIDDLE DOT} {settings.HUB_NAME}",
        events=events,
    )


# --- The secret addresses ----------------------------------------------------------------------


def regenerate_resource_token(user: Any, resource: Resource) -> str:
    """Give the resource's feed a new address; the previous one stops working at once."""
    if not permissions.can_manage_resource(user, resource.owner_id):
        raise NotAllowed(_("Only the resource's managers can renew its calendar address."))
    with transaction.atomic(durable=True):
        resource.ical_token = new_token()
        resource.save(update_fields=["ical_token"])
        audit(actor=user, action="resource.feed_regenerate", target=resource)  # never the token itself
    return resource.ical_token


def organisation_feed(organisation: Organisation) -> OrganisationFeed:
    """The organisation's feed, created with its secret address the first time it is asked for."""
    feed, _created = OrganisationFeed.objects.get_or_create(organisation=organisation)
    return feed


def regenerate_organisation_token(user: Any, organisation: Organisation) -> OrganisationFeed:
    """Give the organisation's feed a new address; the previous one stops working at once."""
    if not permissions.can_edit_organisation(user, organisation):
        raise NotAllowed(_("Only the organisation's admins can renew its calendar address."))
    with transaction.atomic(durable=True):
        feed, _created = OrganisationFeed.objects.select_for_update().get_or_create(organisation=organisation)
        feed.token = new_token()
        feed.save(update_fields=["token"])
        audit(actor=user, action="organisation.feed_regenerate", target=organisation)
    return feed
