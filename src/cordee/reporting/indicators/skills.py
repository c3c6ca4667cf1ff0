"""Indicators of the area `skills` (see cordee.reporting.indicators): the skills exchange.

An exchange counts once done — both sides confirmed it — in the period of the day it was done
(`done_on`). Its hours are the time credits it moved (terms "time credits"), its euros the price
invoiced from the giver to the receiver (terms "price in euros"); a free exchange counts, for
neither. Its category is that of the offer it was made on, else that of the need.

The cooperation graphs are the pairs of `skills.cooperation.cooperations` (who helped whom, giver →
receiver), weighted by the time credits, by the euros and by the number of exchanges. They are
read here as plain values (`_pairs`), not as the skills pages' model instances: a hub of thousands
of pairs would spend most of its dashboard's time building them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from cordee.network.models import Organisation
from cordee.reporting.figures import Breakdown, Figure, Graph, Link, Section, Series, Share, Unit
from cordee.reporting.periods import Period
from cordee.skills.models import Category, Exchange, Terms

NO_CATEGORY = "none"


def _totals(exchanges: QuerySet[Exchange]) -> dict[str, int]:
    totals = exchanges.aggregate(
        count=Count("pk"),
        minutes=Sum("minutes", filter=Q(terms=Terms.HOURS)),
        cents=Sum("price_cents", filter=Q(terms=Terms.EUROS)),
        free=Count("pk", filter=Q(terms=Terms.FREE)),
    )
    return {key: int(value or 0) for key, value in totals.items()}


@dataclass(frozen=True)
class Pair:
    giver: int
    receiver: int
    exchanges: int
    minutes: int
    cents: int


def _pairs(exchanges: QuerySet[Exchange]) -> tuple[list[Pair], dict[int, str]]:
    """Who helped whom among these exchanges, with the figures of each pair, and the names."""
    rows = (
        exchanges.order_by()
        .values("giver_id", "receiver_id")
        .annotate(
            count=Count("pk"),
            minutes=Sum("minutes", filter=Q(terms=Terms.HOURS), default=0),
            cents=Sum("price_cents", filter=Q(terms=Terms.EUROS), default=0),
        )
        .values_list("giver_id", "receiver_id", "count", "minutes", "cents")
    )
    pairs = [Pair(giver, receiver, count, minutes or 0, cents or 0) for giver, receiver, count, minutes, cents in rows]
    ids = {pair.giver for pair in pairs} | {pair.receiver for pair in pairs}
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    return pairs, names


def _graphs(pairs: list[Pair], names: dict[int, str]) -> list[Graph]:
    def graph(key: str, label: str, unit: Unit, weight: Callable[[Pair], int]) -> Graph:
        weighed = [pair for pair in pairs if weight(pair) > 0]
        links = tuple(
            Link(pair.giver, pair.receiver, weight(pair))
            for pair in sorted(weighed, key=lambda p: (-weight(p), p.giver, p.receiver))
        )
        nodes = {pk for pair in weighed for pk in (pair.giver, pair.receiver)}
        return Graph(key, label, unit, {pk: names[pk] for pk in sorted(nodes)}, links)

    return [
        graph(
            "skills_cooperation_minutes",
            _("Who helped whom: time credits"),
            Unit.MINUTES,
            lambda pair: pair.minutes,
        ),
        graph("skills_cooperation_cents", _("Who helped whom: euros"), Unit.CENTS, lambda pair: pair.cents),
        graph(
            "skills_cooperation_exchanges",
            _("Who helped whom: exchanges"),
            Unit.COUNT,
            lambda pair: pair.exchanges,
        ),
    ]


def _monthly(period: Period, exchanges: QuerySet[Exchange]) -> tuple[tuple[dt.date, int], ...]:
    totals: dict[dt.date, int] = defaultdict(int)
    for month, count in (
        exchanges.annotate(month=TruncMonth("done_on"))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    ):
        day = month.date() if isinstance(month, dt.datetime) else month
        totals[day.replace(day=1)] += count
    return tuple((month, totals.get(month, 0)) for month in period.months())


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    done = Exchange.objects.filter(state=Exchange.State.DONE, done_on__range=(period.start, period.end))
    if organisation_id is not None:
        return _organisation(period, organisation_id, done)
    totals = _totals(done)
    pairs, names = _pairs(done)
    organisations = {pair.giver for pair in pairs} | {pair.receiver for pair in pairs}
    figures = [
        Figure(
            "skills_exchanges_count",
            _("Exchanges done"),
            totals["count"],
            Unit.COUNT,
            _("Exchanges between members both sides confirmed as done, on a day of the period."),
        ),
        Figure(
            "skills_exchanged_minutes",
            _("Time credits exchanged"),
            totals["minutes"],
            Unit.MINUTES,
            _("Hours of the exchanges done in time credits, moved from the receiver to the giver."),
        ),
        Figure(
            "skills_exchanged_cents",
            _("Euros exchanged"),
            totals["cents"],
            Unit.CENTS,
            _("Price of the exchanges done in euros, invoiced by the giver to the receiver."),
        ),
        Figure(
            "skills_free_exchanges_count",
            _("Free exchanges"),
            totals["free"],
            Unit.COUNT,
            _("Exchanges done for free, neither in time credits nor in euros."),
        ),
        Figure(
            "skills_organisations_count",
            _("Organisations that exchanged"),
            len(organisations),
            Unit.COUNT,
            _("Member organisations that gave or received in at least one exchange done in the period."),
        ),
    ]
    by_category = (
        done.annotate(category=Coalesce("offer__category", "need__category"))
        .order_by()
        .values("category")
        .annotate(count=Count("pk"), minutes=Sum("minutes", filter=Q(terms=Terms.HOURS)))
        .values_list("category", "count", "minutes")
    )
    rows = {category or NO_CATEGORY: (count, minutes or 0) for category, count, minutes in by_category}
    labels = [(category.value, str(category.label)) for category in Category] + [
        (NO_CATEGORY, _("Without an offer or a need"))
    ]
    breakdowns = [
        Breakdown(
            "skills_exchanges_by_category",
            _("Exchanges done, by category"),
            Unit.COUNT,
            tuple(Share(key, label, rows[key][0]) for key, label in labels if key in rows),
        ),
        Breakdown(
            "skills_minutes_by_category",
            _("Time credits exchanged, by category"),
            Unit.MINUTES,
            tuple(Share(key, label, rows[key][1]) for key, label in labels if key in rows),
        ),
    ]
    series = [
        Series("skills_exchanges_by_month", _("Exchanges done, month by month"), Unit.COUNT, _monthly(period, done))
    ]
    return Section(
        "skills",
        _("Skills exchange"),
        figures=figures,
        breakdowns=breakdowns,
        series=series,
        graphs=_graphs(pairs, names),
    )


def _organisation(period: Period, organisation_id: int, done: QuerySet[Exchange]) -> Section:
    """The exchanges the organisation gave and received, and the links it is part of."""
    given = _totals(done.filter(giver_id=organisation_id))
    received = _totals(done.filter(receiver_id=organisation_id))
    figures = [
        Figure(
            "skills_exchanges_count",
            _("Exchanges done"),
            given["count"] + received["count"],
            Unit.COUNT,
            _("Exchanges the organisation gave or received, both sides confirmed as done in the period."),
        ),
        Figure("skills_given_count", _("Exchanges given"), given["count"], Unit.COUNT, _("Of those, given.")),
        Figure(
            "skills_given_minutes",
            _("Time credits earned"),
            given["minutes"],
            Unit.MINUTES,
            _("Hours given in time credits."),
        ),
        Figure(
            "skills_given_cents",
            _("Euros invoiced"),
            given["cents"],
            Unit.CENTS,
            _("Price of the exchanges given in euros."),
        ),
        Figure(
            "skills_received_count", _("Exchanges received"), received["count"], Unit.COUNT, _("Of those, received.")
        ),
        Figure(
            "skills_received_minutes",
            _("Time credits spent"),
            received["minutes"],
            Unit.MINUTES,
            _("Hours received in time credits."),
        ),
        Figure(
            "skills_received_cents",
            _("Euros paid"),
            received["cents"],
            Unit.CENTS,
            _("Price of the exchanges received in euros."),
        ),
    ]
    mine = done.filter(Q(giver_id=organisation_id) | Q(receiver_id=organisation_id))
    series = [
        Series("skills_exchanges_by_month", _("Our exchanges, month by month"), Unit.COUNT, _monthly(period, mine))
    ]
    pairs, names = _pairs(mine)
    return Section("skills", _("Skills exchange"), figures=figures, series=series, graphs=_graphs(pairs, names))
