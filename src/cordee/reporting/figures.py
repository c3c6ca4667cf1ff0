"""What an area of the hub's activity reports: a Section of Figures, with breakdowns and time series.

The indicators' selectors (`cordee.reporting.indicators.<area>`) build these; the dashboards, the
charts, the PDF and XLSX reports and the API only lay them out. Every value is an integer in the
unit of its figure: a count, cents, minutes, hundredths of a percent or of a full-time equivalent
(never a float: 12.5 % is 1250, 2.75 FTE is 275). A figure with `value=None` has no meaning for the
period or scope (a rate over zero cases) and is shown as "—".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    CENTS = "cents"
    MINUTES = "minutes"
    BASIS_POINTS = "basis_points"  # hundredths of a percent: 1250 is 12,5 %
    HUNDREDTHS = "hundredths"  # hundredths of a unit, such as full-time equivalents: 275 is 2,75


@dataclass(frozen=True)
class Share:
    """One line of a breakdown: a label (a family, a commune, a month…) and its value."""

    key: str  # stable, for the XLSX and the API: "association", "05061", "2026-03"
    label: str  # translated, for people
    value: int


@dataclass(frozen=True)
class Figure:
    key: str  # stable: "members_active", "advances_outstanding_cents"
    label: str  # translated
    value: int | None
    unit: Unit = Unit.COUNT
    help: str = ""  # how it is computed, in a sentence a funder understands


@dataclass(frozen=True)
class Breakdown:
    """A figure split by a dimension: by family, commune, legal form, circle… (a bar chart)."""

    key: str
    label: str
    unit: Unit
    shares: tuple[Share, ...]
    # The shares are organisations (their keys are ids, their labels names): a report that leaves
    # the platform names only those whose directory listing the reader may see (report.named_for).
    organisations: bool = False


@dataclass(frozen=True)
class Series:
    """A figure month by month over the period (a time-series chart). `points` are (first day of the
    month, value), one per month of the period, in order, zeros included."""

    key: str
    label: str
    unit: Unit
    points: tuple[tuple[dt.date, int], ...]


@dataclass(frozen=True)
class Place:
    """A point on the map: a commune and a value (members, bookings, actions…)."""

    insee_code: str
    name: str
    latitude: float
    longitude: float
    value: int


@dataclass(frozen=True)
class Link:
    """An edge of the cooperation graph: `giver` helped `receiver` (organisation ids), `weight` in
    the unit of the graph (minutes of exchanges, cents invoiced…)."""

    giver: int
    receiver: int
    weight: int


@dataclass(frozen=True)
class Graph:
    key: str
    label: str
    unit: Unit
    nodes: dict[int, str]  # organisation id -> name
    links: tuple[Link, ...]


@dataclass
class Section:
    """One area of the report: the members, the pooled premises, the treasury…"""

    key: str  # "network", "premises", "staffing", "skills", "treasury", "clearing", "projects", …
    title: str
    figures: list[Figure] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    graphs: list[Graph] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)
