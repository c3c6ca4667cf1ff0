"""The price of a booking: one function, used for the quote shown before confirming, frozen on
the booking, and invoiced at the end of the month."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.network.models import Membership, Organisation
from cordee.premises.models import Resource, elapsed_minutes

HALF_DAY_MINUTES = 4 * 60
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Quote:
    cents: int
    detail: str  # how it was reached, shown to the person booking and kept on the booking
    rate: str  # "free", "member" or "public"


def _hours_cost(hour_cents: int, minutes: int) -> int:
    """Per hour, pro rata to the minute, rounded half up to the cent (integers only)."""
    return (hour_cents * minutes + 30) // 60


def quote(resource: Resource, organisation: Organisation | None, starts_at: dt.datetime, ends_at: dt.datetime) -> Quote:
    """The cheapest of what the resource offers at the booker's rate: pro rata per hour, half-days
    (one per started 4 hours), or whole days (one per started 24 hours)."""
    owner_id = resource.owner_id
    is_owner = (organisation.pk if organisation else None) == owner_id
    if is_owner or (organisation is not None and resource.free_for.filter(pk=organisation.pk).exists()):
        return Quote(0, _("Free of charge for this organisation"), "free")
    member = organisation is None or _is_member(organisation)
    prefix = "member" if member else "public"
    hour, half_day, day = (getattr(resource, f"{prefix}_{unit}_cents") for unit in ("hour", "half_day", "day"))
    if not member and (hour, half_day, day) == (None, None, None):
        # No price set for non-members: they pay the members' price, never less.
        hour, half_day, day = (getattr(resource, f"member_{unit}_cents") for unit in ("hour", "half_day", "day"))
    rate_name = _("member rate") if member else _("non-member rate")
    minutes = elapsed_minutes(starts_at, ends_at)
    options: list[tuple[int, str]] = []
    if hour is not None:
        hours = f"{minutes / 60:.2f}".rstrip("0").rstrip(".").replace(".", ",")  # words only: 1,33 h
        options.append(
            (
                _hours_cost(hour, minutes),
                _("%(hours)s h at the hourly %(rate)s") % {"hours": hours, "rate": rate_name},
            )
        )
    if half_day is not None:
        halves = math.ceil(minutes / HALF_DAY_MINUTES)
        options.append(
            (
                half_day * halves,
                ngettext("%(n)s half-day at the %(rate)s", "%(n)s half-days at the %(rate)s", halves)
                % {"n": halves, "rate": rate_name},
            )
        )
    if day is not None:
        days = math.ceil(minutes / DAY_MINUTES)
        options.append(
            (
                day * days,
                ngettext("%(n)s day at the %(rate)s", "%(n)s days at the %(rate)s", days)
                % {"n": days, "rate": rate_name},
            )
        )
    if not options:
        return Quote(0, _("This resource is lent free of charge"), "free")
    cents, detail = min(options, key=lambda option: option[0])
    return Quote(cents, detail, "member" if member else "public")


def _is_member(organisation: Organisation) -> bool:
    membership = getattr(organisation, "membership", None)
    return membership is not None and membership.status in (
        Membership.Status.ACTIVE,
        Membership.Status.SUSPENDED,
    )
