"""Which resources are free for a slot, nearest first.

A resource is offered only when `services.check` finds nothing against the request: the same
rules and the same conflicts as when booking it, so the search never offers what booking would
refuse. The database first drops what cannot be offered whatever the rules (inactive, too small,
another kind, already booked) so that the per-resource checks run only on likely candidates.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.errors import NotAllowed
from cordee.lib.text import fold
from cordee.network.models import Commune, Organisation
from cordee.premises import pricing, services
from cordee.premises.models import Booking, Resource

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


@dataclass(frozen=True)
class Found:
    resource: Resource
    distance_km: float | None  # from the commune asked for, as the crow flies; None: unknown
    quote: pricing.Quote | None  # for the organisation asked for; None when none was given


def distance_km(a: Commune, b: Commune) -> float | None:
    """Great-circle distance between two communes' reference points (haversine), to 0.1 km."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return round(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)), 1)


def available(
    user: Any,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int | None = None,
    kind: str | None = None,
    near: Commune | None = None,
    attendees: int | None = None,
    organisation: Organisation | None = None,
    now: dt.datetime | None = None,
) -> list[Found]:
    """The active resources that `user` could book for [starts_at, ends_at): holding at least
    `capacity` people (a resource whose capacity is not set is left out then), of `kind`, with
    no rule broken and no booking in the way; nearest to `near` first (unknown distances last),
    then by name. The quote is the price for `organisation` when one is given."""
    if not permissions.can_browse_resources(user):
        raise NotAllowed(_("Shared resources are for the people of member organisations."))
    resources = Resource.objects.filter(active=True).select_related("commune", "owner")
    if capacity is not None:
        resources = resources.filter(capacity__gte=capacity)
    if kind:
        resources = resources.filter(kind=kind)
    if ends_at > starts_at:
        # The same bookings as services.conflicts, for every resource in one query.
        busy = Booking.objects.filter(
            resource=OuterRef("pk"), state__in=Booking.HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        resources = resources.exclude(Exists(busy))
    found = []
    for resource in resources.prefetch_related("opening_hours"):
        request = services.Request(resource, organisation, starts_at, ends_at, attendees)
        if services.check(user, request, now=now):
            continue
        found.append(
            Found(
                resource=resource,
                distance_km=distance_km(near, resource.commune) if near is not None else None,
                quote=pricing.quote(resource, organisation, starts_at, ends_at) if organisation is not None else None,
            )
        )
    found.sort(
        key=lambda item: (item.distance_km is None, item.distance_km or 0.0, fold(item.resource.name), item.resource.pk)
    )
    return found
