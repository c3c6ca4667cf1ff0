"""Who helped whom: every done exchange is a cooperation between two member organisations, which
the network page and the reporting show, pair by pair (giver → receiver).

`cooperations` gives every pair with its figures; `rows_for` is what a person may see of them:
the names of organisations they may see (the others are "a member organisation") and the number
of exchanges; the hours, euros and last date only of pairs their own organisation is part of,
unless they keep the hub's books (the coordinator, the treasurer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from cordee.core import permissions
from cordee.network.models import VISIBILITY_BLOCKS, Organisation
from cordee.skills.models import Exchange, Terms


@dataclass(frozen=True)
class Cooperation:
    giver: Organisation
    receiver: Organisation
    exchanges: int
    minutes: int  # time credits moved by the pair's exchanges in hours
    cents: int  # price of the pair's exchanges in euros
    last_on: dt.date


def _done(since: dt.date | None, until: dt.date | None) -> QuerySet[Exchange]:
    queryset = Exchange.objects.filter(state=Exchange.State.DONE)
    if since is not None:
        queryset = queryset.filter(done_on__gte=since)
    if until is not None:
        queryset = queryset.filter(done_on__lte=until)
    return queryset


def _pairs(queryset: QuerySet[Exchange]) -> list[Cooperation]:
    rows = list(
        queryset.values("giver_id", "receiver_id")
        .annotate(
            exchanges=Count("pk"),
            minutes=Sum("minutes", filter=Q(terms=Terms.HOURS), default=0),
            cents=Sum("price_cents", filter=Q(terms=Terms.EUROS), default=0),
            last_on=Max("done_on"),
        )
        .order_by()
    )
    ids = {row["giver_id"] for row in rows} | {row["receiver_id"] for row in rows}
    # What the pairs are read for: names, and what decides who may see them (visible_blocks). The
    # whole rows would cost a hub of thousands of organisations most of a report's time.
    organisations = (
        Organisation.objects.select_related("membership")
        .only(
            "pk", "name", "sort_name", "family", "membership__status", *(f"{b}_visibility" for b in VISIBILITY_BLOCKS)
        )
        .in_bulk(ids)
    )
    pairs = [
        Cooperation(
            giver=organisations[row["giver_id"]],
            receiver=organisations[row["receiver_id"]],
            exchanges=row["exchanges"],
            minutes=row["minutes"] or 0,
            cents=row["cents"] or 0,
            last_on=row["last_on"],
        )
        for row in rows
    ]
    pairs.sort(key=lambda p: (-p.exchanges, p.giver.sort_name, p.receiver.sort_name, p.giver.pk, p.receiver.pk))
    return pairs


def cooperations(*, since: dt.date | None = None, until: dt.date | None = None) -> list[Cooperation]:
    """Every (giver, receiver) pair with at least one exchange done between `since` and `until`
    (both included), the busiest first."""
    return _pairs(_done(since, until))


def cooperations_of(
    organisation: Organisation, *, since: dt.date | None = None, until: dt.date | None = None
) -> list[Cooperation]:
    """The pairs the organisation is part of, as giver or receiver."""
    return _pairs(_done(since, until).filter(Q(giver=organisation) | Q(receiver=organisation)))


@dataclass(frozen=True)
class Row:
    """A pair as one person may see it: a name is None when that organisation is hidden from them,
    the figures are None when they are not theirs to see."""

    giver: Organisation | None
    receiver: Organisation | None
    exchanges: int
    minutes: int | None
    cents: int | None
    last_on: dt.date | None


def rows_for(user: Any, *, since: dt.date | None = None, until: dt.date | None = None) -> list[Row]:
    seen: dict[int, bool] = {}

    def shown(organisation: Organisation) -> Organisation | None:
        if organisation.pk not in seen:
            seen[organisation.pk] = "listing" in permissions.visible_blocks(user, organisation)
        return organisation if seen[organisation.pk] else None

    rows = []
    for pair in cooperations(since=since, until=until):
        ours = permissions.can_see_cooperation_figures(user, pair.giver.pk, pair.receiver.pk)
        rows.append(
            Row(
                giver=shown(pair.giver),
                receiver=shown(pair.receiver),
                exchanges=pair.exchanges,
                minutes=pair.minutes if ours else None,
                cents=pair.cents if ours else None,
                last_on=pair.last_on if ours else None,
            )
        )
    return rows
