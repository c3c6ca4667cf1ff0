"""The charts: inline SVG with presentation attributes only, their geometry, their words.

`sample_section` builds a Section straight from the dataclasses of `cordee.reporting.figures`: the
layout is what these tests check, whatever area will fill it. Other test modules of the app import
it."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from cordee.reporting import charts, indicators
from cordee.reporting.figures import Breakdown, Figure, Graph, Link, Place, Section, Series, Share, Unit
from cordee.reporting.periods import Period

SVG = "{http://www.w3.org/2000/svg}"


def sample_section(key: str = "sample", title: str = "Échantillon") -> Section:
    """A section with one of everything, in every unit: what any area may give."""
    return Section(
        key=key,
        title=title,
        figures=[
            Figure("members_active", "Membres actifs", 42),
            Figure("invoiced_cents", "Facturé", 123_456, Unit.CENTS, help="Factures émises sur la période."),
            Figure("hours_minutes", "Heures", 150, Unit.MINUTES),
            Figure("occupancy_bps", "Occupation", 1250, Unit.BASIS_POINTS),
            Figure("fte_hundredths", "Équivalents temps plein", 275, Unit.HUNDREDTHS),
            Figure("rate_bps", "Taux sans objet", None, Unit.BASIS_POINTS),
        ],
        breakdowns=[
            Breakdown(
                "members_by_family",
                "Membres par famille",
                Unit.COUNT,
                (Share("association", "Associations", 30), Share("cooperative", "Coopératives", 12)),
            )
        ],
        series=[
            Series(
                "invoiced_by_month",
                "Facturé par mois",
                Unit.CENTS,
                ((dt.date(2026, 1, 1), 100_000), (dt.date(2026, 2, 1), 0), (dt.date(2026, 3, 1), 250_000)),
            )
        ],
        places=[
            Place("05061", "Gap", 44.5594, 6.0786, 20),
            Place("05023", "Briançon", 44.8986, 6.6436, 5),
            Place("05046", "Embrun", 44.5636, 6.4956, 0),
        ],
        graphs=[
            Graph(
                "exchanges",
                "Échanges de compétences",
                Unit.MINUTES,
                {1: "Les Jardins du Buëch", 2: "Coopérative des Écrins", 3: "Radio Alpine"},
                (Link(1, 2, 600), Link(2, 1, 60), Link(3, 1, 120)),
            )
        ],
    )


def use_sample_areas(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Replace the areas by one giving `sample_section`. Returns the organisation ids it was asked for."""
    asked: list[int | None] = []

    def sample(period: Period, *, organisation_id: int | None = None) -> Section:
        asked.append(organisation_id)
        return sample_section()

    monkeypatch.setattr(indicators, "AREAS", {"sample": sample})
    return asked


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own drawing


def plain(text: str) -> str:
    """French numbers use narrow and non-breaking spaces: compare with plain ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def assert_csp_safe(svg: str) -> None:
    assert "style=" not in svg and "<style" not in svg
    assert "<script" not in svg.lower() and "href=" not in svg
    root = parse(svg)
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert set(root.get("aria-labelledby", "").split()) == {title.get("id"), desc.get("id")}


# --- Values in words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (123_456, Unit.CENTS, "1 234,56 €"),
        (-5_000, Unit.CENTS, "-50,00 €"),
        (1250, Unit.BASIS_POINTS, "12,5 %"),
        (10_000, Unit.BASIS_POINTS, "100 %"),
        (150, Unit.MINUTES, "2 h 30"),
        (120_000, Unit.MINUTES, "2 000 h"),
        (275, Unit.HUNDREDTHS, "2,75"),
        (12_345, Unit.COUNT, "12 345"),
        (None, Unit.CENTS, "—"),
    ],
)
def test_it_shows_each_unit_the_french_way(value: int | None, unit: Unit, shown: str) -> None:
    with translation.override("fr"):
        assert plain(charts.display(value, unit)) == shown


def test_axis_labels_drop_the_cents_of_round_euros() -> None:
    with translation.override("fr"):
        assert plain(charts.axis_label(200_000, Unit.CENTS)) == "2 000 €"
        assert plain(charts.axis_label(150, Unit.CENTS)) == "1,50 €"


def test_the_value_axis_holds_zero_and_every_value_in_round_steps() -> None:
    assert charts._scale([0, 250_000], Unit.CENTS) == (0, 250_000, 50_000)
    assert charts._scale([0, 260_000], Unit.CENTS) == (0, 300_000, 100_000)
    assert charts._scale([-300, 900], Unit.COUNT) == (-500, 1000, 500)
    assert charts._scale([0, 0], Unit.MINUTES) == (0, 60, 60)


# --- Series ---------------------------------------------------------------------------------------


def test_a_series_has_one_column_per_month_proportional_to_its_value() -> None:
    series = sample_section().series[0]
    svg = charts.series_svg(series, chart_id="c1")
    assert_csp_safe(svg)
    bars = parse(svg).findall(f"{SVG}rect")
    assert len(bars) == 3
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[1] == 0
    assert heights[2] == pytest.approx(heights[0] * 2.5, rel=0.01)
    # Each column says its month and value to a pointer or a screen reader.
    assert "mars 2026" in (bars[2].findtext(f"{SVG}title") or "")


def test_a_series_is_described_in_words() -> None:
    with translation.override("fr"):
        words = plain(charts.describe_series(sample_section().series[0]))
    assert "3 500,00 €" in words  # the total
    assert "mars 2026" in words and "2 500,00 €" in words  # the peak


def test_a_long_series_labels_at_most_twelve_months() -> None:
    months = [dt.date(2022 + index // 12, index % 12 + 1, 1) for index in range(48)]
    series = Series("s", "Heures", Unit.MINUTES, tuple((month, 60 * index) for index, month in enumerate(months)))
    root = parse(charts.series_svg(series, chart_id="long"))
    month_labels = [text for text in root.iter(f"{SVG}text") if text.find(f"{SVG}tspan") is not None]
    assert len(root.findall(f"{SVG}rect")) == 48
    assert len(month_labels) <= 12


def test_an_empty_chart_says_so() -> None:
    svg = charts.series_svg(Series("s", "Rien", Unit.COUNT, ()), chart_id="empty")
    assert_csp_safe(svg)
    assert parse(svg).find(f"{SVG}rect") is None


# --- Bars -----------------------------------------------------------------------------------------


def test_bars_are_proportional_and_labelled_with_their_value() -> None:
    breakdown = sample_section().breakdowns[0]
    svg = charts.breakdown_svg(breakdown, chart_id="b")
    assert_csp_safe(svg)
    widths = [float(bar.get("width", "0")) for bar in parse(svg).findall(f"{SVG}rect")]
    assert widths[0] == pytest.approx(widths[1] * 30 / 12, rel=0.01)
    texts = [text.text for text in parse(svg).iter(f"{SVG}text")]
    assert "Associations" in texts and "30" in texts


def test_more_than_twelve_shares_keep_the_biggest_and_sum_the_others() -> None:
    shares = tuple(Share(str(index), f"Commune {index}", index) for index in range(1, 16))
    bars = charts.bars_of(Breakdown("b", "Par commune", Unit.COUNT, shares))
    assert len(bars) == charts.BARS_AT_MOST
    assert bars[0] == ("Commune 15", 15)
    assert bars[-1][1] == 1 + 2 + 3 + 4  # the four smallest, summed
    assert sum(value for _label, value in bars) == sum(range(1, 16))


def test_labels_are_escaped() -> None:
    breakdown = Breakdown("b", "<b>x</b>", Unit.COUNT, (Share("x", '<script>alert("x")</script>', 3),))
    svg = charts.breakdown_svg(breakdown, chart_id="b")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert_csp_safe(svg)


# --- The map --------------------------------------------------------------------------------------


def test_the_map_places_communes_by_longitude_and_latitude_with_area_by_value() -> None:
    places = sample_section().places
    svg = charts.map_svg(places, chart_id="m", title="Carte")
    assert_csp_safe(svg)
    root = parse(svg)
    circles = {(circle.findtext(f"{SVG}title") or "").split(" :")[0]: circle for circle in root.findall(f"{SVG}circle")}
    assert set(circles) == {"Gap", "Briançon"}  # Embrun has nothing
    gap, briancon = circles["Gap"], circles["Briançon"]
    # Briançon is east (right) and north (up) of Gap.
    assert float(briancon.get("cx", 0)) > float(gap.get("cx", 0))
    assert float(briancon.get("cy", 0)) < float(gap.get("cy", 0))
    # Areas in proportion to the values: radius ratio is the square root of 20 / 5.
    assert float(gap.get("r", 0)) / float(briancon.get("r", 0)) == pytest.approx(2.0, rel=0.01)
    _x, _y, width, height = (float(part) for part in root.get("viewBox", "").split())
    for circle in circles.values():
        assert 0 <= float(circle.get("cx", 0)) <= width and 0 <= float(circle.get("cy", 0)) <= height
    labels = " ".join(text.text or "" for text in root.iter(f"{SVG}text"))
    assert "Gap (20)" in labels


def test_a_map_of_one_commune_puts_it_in_the_middle() -> None:
    root = parse(charts.map_svg([Place("05061", "Gap", 44.56, 6.08, 3)], chart_id="m1", title="Carte"))
    circle = root.find(f"{SVG}circle")
    assert circle is not None
    assert float(circle.get("cx", 0)) == pytest.approx(charts.WIDTH / 2)


# --- The cooperation graph ------------------------------------------------------------------------


def test_the_graph_draws_each_organisation_once_and_an_arrow_per_direction() -> None:
    graph = sample_section().graphs[0]
    svg = charts.graph_svg(graph, chart_id="g")
    assert_csp_safe(svg)
    root = parse(svg)
    assert len(root.findall(f"{SVG}circle")) == 3
    edges = [path for path in root.findall(f"{SVG}path") if path.get("marker-end")]
    assert len(edges) == 3  # 1→2, 2→1 and 3→1 are three arrows
    assert all(edge.get("marker-end") == "url(#g-arrow)" for edge in edges)
    widths = {edge.findtext(f"{SVG}title", "").split(" :")[0]: float(edge.get("stroke-width", 0)) for edge in edges}
    assert (
        widths["Les Jardins du Buëch → Coopérative des Écrins"]
        > widths["Coopérative des Écrins → Les Jardins du Buëch"]
    )
    names = {text.text for text in root.iter(f"{SVG}text")}
    assert "Radio Alpine" in names


def test_partners_sit_side_by_side_on_the_circle() -> None:
    nodes = {index: f"Org {index}" for index in range(1, 7)}
    # Two groups that work together: {1, 3, 5} and {2, 4, 6}.
    links = (Link(1, 3, 100), Link(3, 5, 90), Link(5, 1, 80), Link(2, 4, 70), Link(4, 6, 60), Link(6, 2, 50))
    order = charts.graph_order(Graph("g", "Échanges", Unit.MINUTES, nodes, links))
    assert sorted(order) == [1, 2, 3, 4, 5, 6]
    assert {frozenset(order[:3]), frozenset(order[3:])} == {frozenset({1, 3, 5}), frozenset({2, 4, 6})}


def test_a_crowded_graph_keeps_the_organisations_that_exchanged_most() -> None:
    nodes = {index: f"Org {index}" for index in range(60)}
    links = tuple(Link(index, index + 1, index) for index in range(59))
    order = charts.graph_order(Graph("g", "Échanges", Unit.MINUTES, nodes, links))
    assert len(order) == charts.NODES_AT_MOST
    # Organisation k gave k - 1 and k minutes: 58 exchanged most, 0 and 1 least.
    assert order[0] == 58 and set(order) == set(range(35, 59))


def test_a_graph_without_links_says_so() -> None:
    svg = charts.graph_svg(Graph("g", "Échanges", Unit.MINUTES, {1: "A"}, ()), chart_id="g0")
    assert_csp_safe(svg)
    assert re.search(r"<circle", svg) is None
