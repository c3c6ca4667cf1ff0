"""The liquidity forecast drawn as an inline SVG: no script, no external service, no stylesheet.

The site's content security policy refuses inline styles, so the drawing uses SVG presentation
attributes only (`fill`, `stroke`, `stroke-dasharray`), which are not CSS. The chart scales with its
container (viewBox, width 100 %); the table next to it in `treasury/includes/forecast.html` gives
the same figures to screen readers and to small screens. Coordinates are floats (geometry); the
amounts stay integer cents until they are written as k€ labels.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.treasury.forecast import Forecast

# About 480 units wide, so that text of 14 units still reads at 10 px on a 360 px phone.
WIDTH, HEIGHT = 480, 340
LEFT, RIGHT, TOP, BOTTOM = 58, 8, 62, 40
FONT_SIZE = 14
MONTH_FONT_SIZE = 12  # "sept." fits in a twelfth of the width
BASE_COLOUR = "#1f5f4a"  # the site's --brand
STRESS_COLOUR = "#b3471d"  # --accent
RESERVE_COLOUR = "#1d2a33"  # --ink
BREACH_COLOUR = "#a4161a"  # --error
GRID_COLOUR = "#c9d3cf"  # --line
MUTED_COLOUR = "#4a5a66"  # --muted
CENTS_PER_THOUSAND_EUROS = 100_000
MONTH_LABELS_AT_MOST = 12


def forecast_svg(forecast: Forecast, stressed: Forecast | None = None) -> SafeString:
    """The closing liquidity of each month, base case and stressed, with the reserve dashed."""
    if stressed is not None and (stressed.on, stressed.months) != (forecast.on, forecast.months):
        raise ValueError("the stressed forecast must cover the same months as the base case")
    scenarios = [forecast] + ([stressed] if stressed is not None else [])
    values = [0] + [
        value for scenario in scenarios for row in scenario.rows for value in (row.closing_cents, row.reserve_cents)
    ]
    step = _step(max(values) - min(values))
    low = (min(values) // step) * step
    high = -(-max(values) // step) * step
    if high == low:
        high = low + step
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    column = plot_width / forecast.months

    def x(index: float) -> float:
        return LEFT + column * index

    def y(cents: int) -> float:
        return TOP + plot_height * (high - cents) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="forecast-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="forecast-chart-title forecast-chart-desc" '
        f'font-family="system-ui, -apple-system, sans-serif" font-size="{FONT_SIZE}">',
        f'<title id="forecast-chart-title">{escape(_title(forecast))}</title>',
        f'<desc id="forecast-chart-desc">{escape(describe(forecast, stressed))}</desc>',
    ]

    # The value axis, in thousands of euros, with a grid line at each step.
    decimals = next(places for places in (0, 1, 2) if step % (CENTS_PER_THOUSAND_EUROS // 10**places) == 0)
    for tick in range(low, high + 1, step):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{RESERVE_COLOUR if tick == 0 else GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(tick):.1f}" dy="0.35em" text-anchor="end" fill="{MUTED_COLOUR}">'
            f"{escape(_thousands(tick, decimals))}</text>"
        )

    # The months, two lines each ("déc." over "26") so that twelve of them fit on a phone.
    every = -(-forecast.months // MONTH_LABELS_AT_MOST)
    for index, row in enumerate(forecast.rows):
        if index % every:
            continue
        centre = x(index + 0.5)
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="{MUTED_COLOUR}" '
            f'font-size="{MONTH_FONT_SIZE}">'
            f"<tspan>{escape(date_format(row.month, 'N'))} </tspan>"
            f'<tspan x="{centre:.1f}" dy="1.2em">{escape(date_format(row.month, "y"))}</tspan></text>'
        )

    # The reserves: a dashed step, one level per month.
    drawn_reserves: list[tuple[int, ...]] = []
    for scenario, colour, dashes in ((forecast, RESERVE_COLOUR, "7 5"), (stressed, STRESS_COLOUR, "2 4")):
        if scenario is None:
            continue
        levels = tuple(row.reserve_cents for row in scenario.rows)
        if levels in drawn_reserves:
            continue
        drawn_reserves.append(levels)
        path = [f"M{x(0):.1f} {y(levels[0]):.1f}"]
        for index, level in enumerate(levels):
            path.append(f"V{y(level):.1f}H{x(index + 1):.1f}")
        parts.append(
            f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dashes}"/>'
        )

    # The closing liquidity: a line with square markers (stressed), round markers (base) on top.
    for scenario, colour, square in ((stressed, STRESS_COLOUR, True), (forecast, BASE_COLOUR, False)):
        if scenario is None:
            continue
        points = [(x(index + 0.5), y(row.closing_cents)) for index, row in enumerate(scenario.rows)]
        parts.append(
            f'<polyline points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in points)}" fill="none" '
            f'stroke="{colour}" stroke-width="3" stroke-linejoin="round"/>'
        )
        for px, py in points:
            if square:
                parts.append(f'<rect x="{px - 4:.1f}" y="{py - 4:.1f}" width="8" height="8" fill="{colour}"/>')
            else:
                parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{colour}"/>')
        breach = next((index for index, row in enumerate(scenario.rows) if row.breach), None)
        if breach is not None:
            px, py = points[breach]
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="9" fill="none" stroke="{BREACH_COLOUR}" stroke-width="2.5"/>'
            )

    parts.extend(_legend(stressed is not None, stressed_reserve=len(drawn_reserves) > 1))
    parts.append("</svg>")
    # Every text above went through escape(); the rest is numbers and fixed markup.
    return mark_safe("".join(parts))


def describe(forecast: Forecast, stressed: Forecast | None = None) -> str:
    """The chart in words, for its <desc>: the period, and the first breach of each scenario."""
    first, last = forecast.rows[0].month, forecast.rows[-1].month
    sentences = [
        _(
            "Liquidity at the end of each month from %(first)s to %(last)s, against the liquidity reserve "
            "the treasury must keep."
        )
        % {"first": _month_in_words(first), "last": _month_in_words(last)},
        _("Base case: %(outcome)s") % {"outcome": _outcome(forecast)},
    ]
    if stressed is not None:
        sentences.append(
            _(
                "Under stress (%(default)s %% of the expected repayments not received, %(withdrawal)s %% of "
                "the notice deposits withdrawn): %(outcome)s"
            )
            % {
                "default": stressed.default_percent,
                "withdrawal": stressed.withdrawal_percent,
                "outcome": _outcome(stressed),
            }
        )
    return " ".join(sentences)


def _outcome(forecast: Forecast) -> str:
    if forecast.first_breach is None:
        return ngettext(
            "the reserve holds over %(months)s month.", "the reserve holds over %(months)s months.", forecast.months
        ) % {"months": forecast.months}
    return _("the reserve would be breached in %(month)s.") % {"month": _month_in_words(forecast.first_breach)}


def _title(forecast: Forecast) -> str:
    return ngettext(
        "Liquidity forecast over %(months)s month", "Liquidity forecast over %(months)s months", forecast.months
    ) % {"months": forecast.months}


def _legend(stressed: bool, *, stressed_reserve: bool) -> list[str]:
    """Two rows: the base case and its reserve, then the stressed case and its reserve if it differs."""
    rows = [[(_("Base case"), BASE_COLOUR, "", 3), (_("Reserve"), RESERVE_COLOUR, "7 5", 2)]]
    if stressed:
        rows.append([(_("Under stress"), STRESS_COLOUR, "", 3)])
        if stressed_reserve:
            rows[1].append((_("Reserve under stress"), STRESS_COLOUR, "2 4", 2))
    parts = []
    for line, items in enumerate(rows):
        top = 12 + 20 * line
        for index, (label, colour, dashes, stroke) in enumerate(items):
            left = 8 + (WIDTH / 2) * index
            dash = f' stroke-dasharray="{dashes}"' if dashes else ""
            parts.append(
                f'<line x1="{left:.1f}" x2="{left + 24:.1f}" y1="{top}" y2="{top}" stroke="{colour}" '
                f'stroke-width="{stroke}"{dash}/>'
                f'<text x="{left + 30:.1f}" y="{top}" dy="0.35em" fill="{RESERVE_COLOUR}">{escape(label)}</text>'
            )
    return parts


def _step(span_cents: int) -> int:
    """A round step (1, 2, 2.5 or 5 times a power of ten, at least 100 €) giving at most six intervals."""
    wanted = -(-span_cents // 6)
    magnitude = 10_000
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude // 2, 5 * magnitude):
            if step >= wanted:
                return step
        magnitude *= 10


def _thousands(cents: int, decimals: int) -> str:
    amount = Decimal(cents) / CENTS_PER_THOUSAND_EUROS
    return _("%(amount)s k€") % {"amount": number_format(amount, decimal_pos=decimals, force_grouping=True)}


def _month_in_words(month: dt.date) -> str:
    return date_format(month, "F Y")
