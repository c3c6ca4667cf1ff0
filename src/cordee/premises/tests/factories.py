"""Resources and instants for the premises tests, written the way a person reads a planning:
`at("2027-03-17", "14:00")` is 14:00 on the wall clocks of Gap (Europe/Paris)."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable
from typing import Any

from cordee.network.models import Commune, Organisation
from cordee.premises.models import Booking, OpeningHours, Resource

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# Monday (0) to Friday (4), 08:00 to 19:00; Saturday and Sunday closed.
WEEKDAYS_8_TO_19 = tuple((weekday, "08:00", "19:00") for weekday in range(5))

_serial = itertools.count(1)


def at(day: str, time: str) -> dt.datetime:
    """An aware instant from a Paris date and wall-clock time."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time), tzinfo=PARIS)


# The tests' clock: Monday 1 March 2027, 09:00 in Gap. Every booking of the tests is after it.
NOW = at("2027-03-01", "09:00")


def make_resource(
    owner: Organisation | None,
    *,
    opening_hours: Iterable[tuple[int, str, str]] = WEEKDAYS_8_TO_19,
    **fields: Any,
) -> Resource:
    """A meeting room of `owner` (None: the hub), open Monday to Friday 08:00–19:00 unless told
    otherwise (an empty `opening_hours`: open at all hours), free, without approval."""
    n = next(_serial)
    fields.setdefault("kind", Resource.Kind.MEETING_ROOM)
    fields.setdefault("name", f"Salle {n}")
    fields.setdefault("slug", f"salle-{n}")
    fields.setdefault("commune", Commune.objects.get(pk="05061"))
    resource = Resource.objects.create(owner=owner, **fields)
    OpeningHours.objects.bulk_create(
        OpeningHours(
            resource=resource,
            weekday=weekday,
            opens=dt.time.fromisoformat(opens),
            closes=dt.time.fromisoformat(closes),
        )
        for weekday, opens, closes in opening_hours
    )
    return resource


def insert_booking(
    resource: Resource,
    day: str,
    start: str,
    end: str,
    *,
    state: str = Booking.State.CONFIRMED,
    organisation: Organisation | None = None,
    **fields: Any,
) -> Booking:
    """A booking row written straight to the database, past every service and rule."""
    return Booking.objects.create(
        resource=resource,
        organisation=organisation,
        starts_at=at(day, start),
        ends_at=at(day, end),
        state=state,
        **fields,
    )
