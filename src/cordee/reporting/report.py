"""A report of a period, assembled once and laid out by the dashboards, the PDF and the XLSX.

`build_report` computes each area's Section (`cordee.reporting.indicators`), lays it out (every
figure in words, every breakdown, series, map and graph drawn by `cordee.reporting.charts` with
the table of its figures) and adds the hub's identity, the period and, for the hub, the
highlights the coordinator wrote. Nothing is stored: a report is computed when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cordee.network.models import Organisation, Visibility
from cordee.network.parties import Party, hub_party
from cordee.reporting import charts, indicators, selectors
from cordee.reporting.figures import Section, Unit
from cordee.reporting.models import Highlight
from cordee.reporting.periods import Period

Progress = Callable[[Iterable[str]], Iterable[str]]

LINKS_IN_A_TABLE = 100


def compute_sections(
    period: Period, *, organisation_id: int | None = None, progress: Progress | None = None
) -> list[Section]:
    """Each area's Section in the order of the report."""
    keys: Iterable[str] = list(indicators.AREAS)
    if progress is not None:
        keys = progress(keys)
    return [indicators.AREAS[key](period, organisation_id=organisation_id) for key in keys]


@dataclass(frozen=True)
class FigureLine:
    key: str
    label: str
    shown: str  # the value in words: "1 234,56 €", "12,5 %", "—"
    value: int | None
    unit: Unit
    help: str


@dataclass(frozen=True)
class Chart:
    kind: str  # "series", "breakdown", "map" or "graph"
    key: str
    title: str
    svg: SafeString
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]  # the same figures as a table, in words
    more: int = 0  # rows left out of the table (the spreadsheet has them all)


@dataclass
class SectionLayout:
    section: Section
    figures: list[FigureLine] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return self.section.title


def lay_out(section: Section) -> SectionLayout:
    """A section's figures in words and its charts with their tables, whatever the area."""
    layout = SectionLayout(section)
    layout.figures = [
        FigureLine(
            key=figure.key,
            label=figure.label,
            shown=charts.display(figure.value, figure.unit),
            value=figure.value,
            unit=Unit(figure.unit),
            help=figure.help,
        )
        for figure in section.figures
    ]
    prefix = f"chart-{section.key}"
    for series in section.series:
        layout.charts.append(
            Chart(
                kind="series",
                key=series.key,
                title=series.label,
                svg=charts.series_svg(series, chart_id=f"{prefix}-{series.key}"),
                headers=(_("Month"), series.label),
                rows=[
                    (charts.month_label(month), charts.display(value, series.unit)) for month, value in series.points
                ],
            )
        )
    for breakdown in section.breakdowns:
        layout.charts.append(
            Chart(
                kind="breakdown",
                key=breakdown.key,
                title=breakdown.label,
                svg=charts.breakdown_svg(breakdown, chart_id=f"{prefix}-{breakdown.key}"),
                headers=(_("Category"), _("Value")),
                rows=[(share.label, charts.display(share.value, breakdown.unit)) for share in breakdown.shares],
            )
        )
    if section.places:
        title = _("%(section)s: map by commune") % {"section": section.title}
        places = sorted(section.places, key=lambda place: (-place.value, place.name))
        layout.charts.append(
            Chart(
                kind="map",
                key="places",
                title=title,
                svg=charts.map_svg(section.places, chart_id=f"{prefix}-places", title=title),
                headers=(_("Commune"), _("Value")),
                rows=[(place.name, charts.display(place.value, Unit.COUNT)) for place in places],
            )
        )
    for graph in section.graphs:
        # A big hub has thousands of links: the page lists the strongest, the XLSX every one.
        links = sorted(graph.links, key=lambda link: (-link.weight, link.giver, link.receiver))
        more = max(0, len(links) - LINKS_IN_A_TABLE)
        links = links[:LINKS_IN_A_TABLE]
        layout.charts.append(
            Chart(
                kind="graph",
                key=graph.key,
                title=graph.label,
                svg=charts.graph_svg(graph, chart_id=f"{prefix}-{graph.key}"),
                headers=(_("Helped"), _("Was helped"), graph.label),
                rows=[
                    (
                        graph.nodes.get(link.giver, str(link.giver)),
                        graph.nodes.get(link.receiver, str(link.receiver)),
                        charts.display(link.weight, graph.unit),
                    )
                    for link in links
                ],
                more=more,
            )
        )
    return layout


@dataclass
class Report:
    hub: Party
    period: Period
    organisation: Organisation | None
    sections: list[SectionLayout]
    highlights: list[Highlight]
    printed_on: dt.date


def build_report(
    period: Period,
    *,
    organisation: Organisation | None = None,
    progress: Progress | None = None,
    names: Iterable[str] = (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE),
) -> Report:
    """The report of the hub (organisation None, with the highlights) or of one organisation (its
    own figures only), naming the organisations whose directory listing is at one of the `names`
    levels (see named_for)."""
    sections = compute_sections(
        period, organisation_id=organisation.pk if organisation is not None else None, progress=progress
    )
    sections = named_for(sections, names)
    return Report(
        hub=hub_party(),
        period=period,
        organisation=organisation,
        sections=[lay_out(section) for section in sections],
        highlights=list(selectors.highlights_of(period)) if organisation is None else [],
        printed_on=timezone.localdate(),
    )


def named_for(sections: list[Section], visible: Iterable[str]) -> list[Section]:
    """The sections with the organisations of their graphs and organisation breakdowns named only
    when their directory listing has one of the `visible` levels; the others become "Member
    organisation 1", "2"… (numbered in the order they appear, so that the links still read).

    The coordinator's dashboard names everyone; a member admin's dashboard hides the organisations
    listed for themselves only (private); the PDF and XLSX, which go to funders, name only the
    organisations listed publicly."""
    if set(Visibility.values) <= set(visible):
        return sections  # every listing is visible: nothing to ask the database
    ids = {pk for section in sections for graph in section.graphs for pk in graph.nodes}
    ids |= {
        int(share.key)
        for section in sections
        for breakdown in section.breakdowns
        if breakdown.organisations
        for share in breakdown.shares
        if share.key.isdigit()
    }
    if not ids:
        return sections
    shown = set(
        Organisation.objects.filter(pk__in=ids, listing_visibility__in=list(visible)).values_list("pk", flat=True)
    )
    aliases: dict[int, str] = {}

    def name(pk: int, real: str) -> str:
        if pk in shown:
            return real
        if pk not in aliases:
            aliases[pk] = _("Member organisation %(n)d") % {"n": len(aliases) + 1}
        return aliases[pk]

    named = []
    for section in sections:
        graphs = [
            replace(graph, nodes={pk: name(pk, label) for pk, label in graph.nodes.items()}) for graph in section.graphs
        ]
        breakdowns = [
            replace(
                breakdown,
                shares=tuple(
                    replace(share, label=name(int(share.key), share.label)) if share.key.isdigit() else share
                    for share in breakdown.shares
                ),
            )
            if breakdown.organisations
            else breakdown
            for breakdown in section.breakdowns
        ]
        named.append(replace(section, graphs=graphs, breakdowns=breakdowns))
    return named


def default_period(today: dt.date | None = None) -> Period:
    """Without dates: the current calendar year up to today."""
    return Period.year_to_date(today or timezone.localdate())


def presets(today: dt.date | None = None) -> list[tuple[str, Period]]:
    """The periods offered in one click: this year, last year, last quarter."""
    today = today or timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter_end = quarter_start - dt.timedelta(days=1)
    last_quarter_start = dt.date(last_quarter_end.year, 3 * ((last_quarter_end.month - 1) // 3) + 1, 1)
    return [
        (_("This year"), Period.year_to_date(today)),
        (_("Last year"), Period.year(today.year - 1)),
        (_("Last quarter"), Period(last_quarter_start, last_quarter_end)),
    ]
