"""The indicators drawn as inline SVG: no script, no external service, no stylesheet.

As the treasury's forecast (`cordee.treasury.charts`): the site's content security policy refuses
inline styles, so the drawings use SVG presentation attributes only (`fill`, `stroke`,
`marker-end`), which are not CSS. Each chart scales with its container (viewBox, width 100 %),
carries a <title> and a <desc> in words, and the page prints the same figures as a table next to
it, for screen readers and small screens. The same SVG goes into the PDF report (WeasyPrint draws
inline SVG).

Four drawings, whatever the area they come from:
- `series_svg`: a figure month by month (`Series`), one column per month;
- `breakdown_svg`: a figure split by a dimension (`Breakdown`), horizontal bars;
- `map_svg`: communes (`Place`) as circles whose area is proportional to their value, placed by an
  equirectangular projection fitted to the points (the Hautes-Alpes are small enough for it);
- `graph_svg`: the cooperation graph (`Graph`), organisations on a circle, an arrow from the one
  that helped to the one helped, wider as the weight grows.

Values stay integers in their unit until they are written as labels (`display`); coordinates are
floats (geometry only).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from babel.numbers import format_decimal
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext, to_locale
from django.utils.translation import gettext as _

from cordee.core.money import format_cents
from cordee.reporting.figures import Breakdown, Graph, Place, Series, Unit

# About 480 units wide, so that text of 13 units still reads at 10 px on a 360 px phone.
WIDTH = 480
FONT_SIZE = 13
SMALL_FONT_SIZE = 11
FONT = "system-ui, -apple-system, sans-serif"
BRAND = "#1f5f4a"  # the site's --brand
ACCENT = "#b3471d"  # --accent
INK = "#1d2a33"  # --ink
MUTED = "#4a5a66"  # --muted
GRID = "#c9d3cf"  # --line
SOFT = "#f3f6f4"  # --soft
DASH = "—"

BARS_AT_MOST = 12  # more shares than this: the biggest, and the rest summed as "others"
MONTH_LABELS_AT_MOST = 12
PLACES_LABELLED = 5
NODES_AT_MOST = 24  # more organisations than this: those that exchanged most (the table has all)
NAME_LENGTH = 22
GRAPH_NAME_LENGTH = 16
MAP_MIN_HEIGHT = 160


# --- Values in words --------------------------------------------------------------------------


def _locale(language: str) -> str:
    locale = to_locale(language)
    return "fr_FR" if locale == "fr" else locale


def display(value: int | None, unit: Unit | str) -> str:
    """A figure for people, in the site's language: 123456 cents -> "1 234,56 €", 1250 basis
    points -> "12,5 %", 150 minutes -> "2 h 30", 275 hundredths -> "2,75"; None -> "—"."""
    if value is None:
        return DASH
    return _display(value, Unit(unit), get_language() or "fr")


# A dashboard writes a few thousand values, many of them alike (zeros, small counts), and Babel
# takes tens of microseconds for each: remember the last ones.
@functools.lru_cache(maxsize=8192)
def _display(value: int, unit: Unit, language: str) -> str:
    locale = _locale(language)
    if unit == Unit.CENTS:
        return format_cents(value, language)
    if unit == Unit.MINUTES:
        sign = "-" if value < 0 else ""
        hours, minutes = divmod(abs(value), 60)
        shown = format_decimal(hours, format="#,##0", locale=locale)
        return f"{sign}{shown}\u00a0h\u00a0{minutes:02d}" if minutes else f"{sign}{shown}\u00a0h"
    if unit in (Unit.BASIS_POINTS, Unit.HUNDREDTHS):
        shown = format_decimal(Decimal(value).scaleb(-2), format="#,##0.##", locale=locale)
        return f"{shown}\u00a0%" if unit == Unit.BASIS_POINTS else str(shown)
    return str(format_decimal(value, format="#,##0", locale=locale))


@functools.lru_cache(maxsize=2048)
def _month(month: dt.date, pattern: str, language: str) -> str:
    return date_format(month, pattern)


def month_label(month: dt.date, pattern: str = "F Y") -> str:
    """A month in words ("mars 2026"), or in short ("N": "mars", "y": "26")."""
    return _month(month, pattern, get_language() or "fr")


def axis_label(value: int, unit: Unit | str) -> str:
    """A tick of a value axis: as `display`, without the cents of round euros."""
    if Unit(unit) == Unit.CENTS and value % 100 == 0:
        return format_cents(value).replace(",00", "").replace(".00", "")
    return display(value, unit)


def _step(span: int, unit: Unit) -> int:
    """A round step (1, 2 or 5 times a power of ten, in the unit's natural scale) giving at most
    five intervals over `span`."""
    base = {Unit.CENTS: 100, Unit.MINUTES: 60, Unit.BASIS_POINTS: 10, Unit.HUNDREDTHS: 1}.get(unit, 1)
    wanted = max(1, -(-span // 5))
    magnitude = base
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if step >= wanted:
                return step
        magnitude *= 10


def _scale(values: Iterable[int], unit: Unit) -> tuple[int, int, int]:
    """The low and high ends of a value axis that holds zero and every value, and its step."""
    values = list(values) or [0]
    low, high = min(0, *values), max(0, *values)
    step = _step(high - low, unit)
    low = (low // step) * step
    high = -(-high // step) * step
    if high == low:
        high = low + step
    return low, high, step


def _open(chart_id: str, height: float, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    # Every text above went through escape(); the rest is numbers and fixed markup.
    return mark_safe("".join(parts))


def _empty(chart_id: str, title: str) -> SafeString:
    message = _("Nothing to show for this period.")
    parts = _open(chart_id, 60, title, message)
    parts.append(
        f'<text x="{WIDTH / 2:.0f}" y="34" text-anchor="middle" fill="{MUTED}">{escape(message)}</text>',
    )
    return _close(parts)


def _short(name: str, length: int = NAME_LENGTH) -> str:
    return Truncator(name).chars(length)


# --- A figure month by month --------------------------------------------------------------------


def series_svg(series: Series, *, chart_id: str) -> SafeString:
    """One column per month of the period; the value axis in the series' unit."""
    if not series.points:
        return _empty(chart_id, series.label)
    left, right, top, bottom = 84, 8, 14, 40
    height = 260
    low, high, step = _scale((value for _month, value in series.points), series.unit)
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    column = plot_width / len(series.points)

    def y(value: int) -> float:
        return top + plot_height * (high - value) / (high - low)

    parts = _open(chart_id, height, series.label, describe_series(series))
    for tick in range(low, high + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{INK if tick == 0 else GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(tick):.1f}" dy="0.35em" text-anchor="end" fill="{MUTED}" '
            f'font-size="{SMALL_FONT_SIZE}">{escape(axis_label(tick, series.unit))}</text>'
        )
    every = -(-len(series.points) // MONTH_LABELS_AT_MOST)
    for index, (month, value) in enumerate(series.points):
        x = left + column * index
        bar_top, bar_bottom = sorted((y(value), y(0)))
        parts.append(
            f'<rect x="{x + column * 0.15:.1f}" y="{bar_top:.1f}" width="{column * 0.7:.1f}" '
            f'height="{max(bar_bottom - bar_top, 0):.1f}" fill="{BRAND}">'
            f"<title>{escape(month_label(month))} : {escape(display(value, series.unit))}</title></rect>"
        )
        if index % every == 0:
            centre = x + column / 2
            parts.append(
                f'<text x="{centre:.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="{MUTED}" '
                f'font-size="{SMALL_FONT_SIZE}"><tspan>{escape(month_label(month, "N"))}</tspan>'
                f'<tspan x="{centre:.1f}" dy="1.2em">{escape(month_label(month, "y"))}</tspan></text>'
            )
    return _close(parts)


def describe_series(series: Series) -> str:
    if not series.points:
        return _("Nothing to show for this period.")
    values = [value for _month, value in series.points]
    peak_month, peak = max(series.points, key=lambda point: point[1])
    return _(
        "%(label)s, month by month from %(first)s to %(last)s: %(total)s in all, the most in %(peak_month)s (%(peak)s)."
    ) % {
        "label": series.label,
        "first": month_label(series.points[0][0]),
        "last": month_label(series.points[-1][0]),
        "total": display(sum(values), series.unit),
        "peak_month": month_label(peak_month),
        "peak": display(peak, series.unit),
    }


# --- A figure split by a dimension --------------------------------------------------------------


def bars_of(breakdown: Breakdown) -> list[tuple[str, int]]:
    """The bars drawn: every share, or the biggest ones and the rest summed as "others"."""
    shares = [(share.label, share.value) for share in breakdown.shares]
    if len(shares) <= BARS_AT_MOST:
        return shares
    biggest = sorted(shares, key=lambda share: -share[1])
    kept, rest = biggest[: BARS_AT_MOST - 1], biggest[BARS_AT_MOST - 1 :]
    return [*kept, (_("Others (%(count)s)") % {"count": len(rest)}, sum(value for _label, value in rest))]


def breakdown_svg(breakdown: Breakdown, *, chart_id: str) -> SafeString:
    """One horizontal bar per share, its label above it and its value at its end."""
    bars = bars_of(breakdown)
    if not bars:
        return _empty(chart_id, breakdown.label)
    left, right, top, row = 8, 8, 8, 40
    height = top + row * len(bars) + 4
    low, high, _step_size = _scale((value for _label, value in bars), breakdown.unit)
    # The values are written after the bars: keep room for the longest.
    plot_width = WIDTH - left - right - 110

    def x(value: int) -> float:
        return left + plot_width * (value - low) / (high - low)

    parts = _open(chart_id, height, breakdown.label, describe_breakdown(breakdown))
    for index, (label, value) in enumerate(bars):
        line = top + row * index
        start, end = sorted((x(0), x(value)))
        parts.append(
            f'<text x="{left}" y="{line + 12}" fill="{INK}">{escape(_short(label, 60))}</text>'
            f'<rect x="{start:.1f}" y="{line + 18}" width="{max(end - start, 1):.1f}" height="14" '
            f'fill="{BRAND if value >= 0 else ACCENT}"/>'
            f'<text x="{max(end, x(0)) + 6:.1f}" y="{line + 25}" dy="0.35em" fill="{MUTED}" '
            f'font-size="{SMALL_FONT_SIZE}">{escape(display(value, breakdown.unit))}</text>'
        )
    return _close(parts)


def describe_breakdown(breakdown: Breakdown) -> str:
    if not breakdown.shares:
        return _("Nothing to show for this period.")
    biggest = max(breakdown.shares, key=lambda share: share.value)
    return ngettext(
        "%(label)s: %(count)s line, the biggest %(biggest)s (%(value)s).",
        "%(label)s: %(count)s lines, the biggest %(biggest)s (%(value)s).",
        len(breakdown.shares),
    ) % {
        "label": breakdown.label,
        "count": len(breakdown.shares),
        "biggest": biggest.label,
        "value": display(biggest.value, breakdown.unit),
    }


# --- The map ------------------------------------------------------------------------------------


def map_svg(places: list[Place], *, chart_id: str, title: str, unit: Unit = Unit.COUNT) -> SafeString:
    """Circles at the communes, their area proportional to the value, the biggest named.

    The projection is equirectangular: x is the longitude times the cosine of the middle latitude,
    y the latitude, fitted to the bounding box of the points with a margin for the circles."""
    shown = [place for place in places if place.value > 0]
    if not shown:
        return _empty(chart_id, title)
    margin, max_radius, min_radius = 40, 26.0, 3.0
    middle = math.radians((min(p.latitude for p in shown) + max(p.latitude for p in shown)) / 2)
    xs = [place.longitude * math.cos(middle) for place in shown]
    ys = [place.latitude for place in shown]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    inner = WIDTH - 2 * margin
    scale = inner / max(span_x, span_y) if max(span_x, span_y) > 0 else 0.0
    height = max(MAP_MIN_HEIGHT, 2 * margin + span_y * scale)
    offset_x = margin + (inner - span_x * scale) / 2
    offset_y = margin + ((height - 2 * margin) - span_y * scale) / 2

    def point(place: Place) -> tuple[float, float]:
        return (
            offset_x + (place.longitude * math.cos(middle) - min(xs)) * scale,
            offset_y + (max(ys) - place.latitude) * scale,
        )

    biggest = max(place.value for place in shown)
    parts = _open(chart_id, height, title, describe_places(places, unit=unit))
    parts.append(
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="{height - 2:.0f}" fill="{SOFT}" stroke="{GRID}"/>',
    )
    ordered = sorted(shown, key=lambda place: (-place.value, place.name))
    for place in ordered:  # the biggest first, so the small ones stay visible on top
        cx, cy = point(place)
        radius = max(min_radius, max_radius * math.sqrt(place.value / biggest))
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{BRAND}" fill-opacity="0.55" '
            f'stroke="{BRAND}" stroke-width="1.5"><title>{escape(place.name)} : '
            f"{escape(display(place.value, unit))}</title></circle>"
        )
    for place in ordered[:PLACES_LABELLED]:
        cx, cy = point(place)
        radius = max(min_radius, max_radius * math.sqrt(place.value / biggest))
        anchor = "end" if cx > WIDTH * 0.7 else "start"
        dx = -(radius + 4) if anchor == "end" else radius + 4
        parts.append(
            f'<text x="{cx + dx:.1f}" y="{cy:.1f}" dy="0.35em" text-anchor="{anchor}" fill="{INK}" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(_short(place.name))} '
            f"({escape(display(place.value, unit))})</text>"
        )
    return _close(parts)


def describe_places(places: list[Place], *, unit: Unit = Unit.COUNT) -> str:
    shown = sorted((place for place in places if place.value > 0), key=lambda place: (-place.value, place.name))
    if not shown:
        return _("Nothing to show for this period.")
    top = ", ".join(f"{place.name} ({display(place.value, unit)})" for place in shown[:PLACES_LABELLED])
    return ngettext(
        "A map of %(count)s commune; the biggest: %(top)s.",
        "A map of %(count)s communes; the biggest: %(top)s.",
        len(shown),
    ) % {"count": len(shown), "top": top}


# --- The cooperation graph ----------------------------------------------------------------------


def graph_order(graph: Graph) -> list[int]:
    """The organisations drawn, in the order they go round the circle.

    At most NODES_AT_MOST, those that gave or received most. The order starts with the one that
    exchanged most, then each time takes the organisation most linked to the last ones placed, so
    that partners sit side by side and few lines cross the circle."""
    strength: dict[int, int] = defaultdict(int)
    pair: dict[tuple[int, int], int] = defaultdict(int)
    for link in graph.links:
        if link.giver == link.receiver or link.giver not in graph.nodes or link.receiver not in graph.nodes:
            continue
        strength[link.giver] += link.weight
        strength[link.receiver] += link.weight
        key = (min(link.giver, link.receiver), max(link.giver, link.receiver))
        pair[key] += link.weight
    kept = sorted(strength, key=lambda node: (-strength[node], graph.nodes[node], node))[:NODES_AT_MOST]
    if not kept:
        return []
    order = [kept[0]]
    left = set(kept[1:])
    while left:
        recent = order[-3:]

        def closeness(node: int, recent: list[int] = recent) -> tuple[int, int, str, int]:
            near = sum(
                pair.get((min(node, other), max(node, other)), 0) * (3 - age)
                for age, other in enumerate(reversed(recent))
            )
            return (-near, -strength[node], graph.nodes[node], node)

        chosen = min(left, key=closeness)
        order.append(chosen)
        left.remove(chosen)
    return order


def graph_svg(graph: Graph, *, chart_id: str) -> SafeString:
    """Organisations on a circle, an arrow from the giver to the receiver, its width by weight."""
    order = graph_order(graph)
    if not order:
        return _empty(chart_id, graph.label)
    radius = WIDTH / 2 - 122  # room for the names on either side
    height = 2 * radius + 70  # and for a line of text above and below
    centre_x, centre_y = WIDTH / 2, height / 2
    place = {
        node: (
            centre_x + radius * math.cos(2 * math.pi * index / len(order) - math.pi / 2),
            centre_y + radius * math.sin(2 * math.pi * index / len(order) - math.pi / 2),
        )
        for index, node in enumerate(order)
    }
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for link in graph.links:
        if link.giver in place and link.receiver in place and link.giver != link.receiver:
            weights[(link.giver, link.receiver)] += link.weight
    heaviest = max(weights.values(), default=1) or 1
    parts = _open(chart_id, height, graph.label, describe_graph(graph))
    parts.append(
        f'<defs><marker id="{chart_id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" '
        f'markerHeight="11" orient="auto" markerUnits="userSpaceOnUse">'
        f'<path d="M0 0L10 5L0 10z" fill="{ACCENT}"/></marker></defs>'
    )
    node_radius = 6.0
    for (giver, receiver), weight in sorted(weights.items(), key=lambda item: item[1]):
        (x1, y1), (x2, y2) = place[giver], place[receiver]
        width = 1 + 5 * math.sqrt(max(weight, 0) / heaviest)
        # A gentle curve towards the centre, so that A→B and B→A are two lines, not one.
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        nx, ny = -(y2 - y1), x2 - x1
        length = math.hypot(nx, ny) or 1.0
        bend = 0.12 * math.hypot(x2 - x1, y2 - y1)
        cx, cy = mx + nx / length * bend, my + ny / length * bend
        # Stop short of the receiver's dot so the arrow head shows.
        dx, dy = x2 - cx, y2 - cy
        distance = math.hypot(dx, dy) or 1.0
        ex, ey = x2 - dx / distance * (node_radius + 2), y2 - dy / distance * (node_radius + 2)
        parts.append(
            f'<path d="M{x1:.1f} {y1:.1f}Q{cx:.1f} {cy:.1f} {ex:.1f} {ey:.1f}" fill="none" stroke="{ACCENT}" '
            f'stroke-opacity="0.75" stroke-width="{width:.1f}" marker-end="url(#{chart_id}-arrow)">'
            f"<title>{escape(graph.nodes[giver])} → {escape(graph.nodes[receiver])} : "
            f"{escape(display(weight, graph.unit))}</title></path>"
        )
    for node in order:
        x, y = place[node]
        angle = math.atan2(y - centre_y, x - centre_x)
        lx, ly = centre_x + (radius + 12) * math.cos(angle), centre_y + (radius + 12) * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        shift = "0.35em" if anchor != "middle" else ("1em" if math.sin(angle) > 0 else "-0.3em")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node_radius}" fill="{BRAND}"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" dy="{shift}" text-anchor="{anchor}" fill="{INK}" '
            f'font-size="{SMALL_FONT_SIZE}">{escape(_short(graph.nodes[node], GRAPH_NAME_LENGTH))}</text>'
        )
    return _close(parts)


def describe_graph(graph: Graph) -> str:
    links = [link for link in graph.links if link.giver != link.receiver]
    if not links:
        return _("Nothing to show for this period.")
    heaviest = max(links, key=lambda link: link.weight)
    organisations = {link.giver for link in links} | {link.receiver for link in links}
    return _(
        "%(label)s: %(links)s links between %(organisations)s organisations, an arrow from the one that "
        "helped to the one helped; the strongest from %(giver)s to %(receiver)s (%(weight)s)."
    ) % {
        "label": graph.label,
        "links": len(links),
        "organisations": len(organisations),
        "giver": graph.nodes.get(heaviest.giver, str(heaviest.giver)),
        "receiver": graph.nodes.get(heaviest.receiver, str(heaviest.receiver)),
        "weight": display(heaviest.weight, graph.unit),
    }
