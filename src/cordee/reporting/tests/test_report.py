"""Assembling the activity report, and writing it as PDF and XLSX, with sections built in the tests
(see `test_charts.sample_section`) and an area not written yet."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from cordee.core.testing import Actors
from cordee.reporting import charts, documents, report, services, workbook
from cordee.reporting.figures import Graph, Link, Section, Unit
from cordee.reporting.models import Highlight
from cordee.reporting.periods import Period
from cordee.reporting.tests.test_charts import plain, use_sample_areas

PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def png(name: str = "photo.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 95, 74)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_it_lays_out_every_figure_and_chart_of_a_section(monkeypatch: pytest.MonkeyPatch) -> None:
    use_sample_areas(monkeypatch)
    sections = report.compute_sections(PERIOD)
    with translation.override("fr"):
        layout = report.lay_out(sections[0])
    shown = {line.key: plain(line.shown) for line in layout.figures}
    assert shown == {
        "members_active": "42",
        "invoiced_cents": "1 234,56 €",
        "hours_minutes": "2 h 30",
        "occupancy_bps": "12,5 %",
        "fte_hundredths": "2,75",
        "rate_bps": "—",
    }
    assert layout.figures[1].unit == Unit.CENTS and layout.figures[1].value == 123_456
    assert [(chart.kind, chart.key) for chart in layout.charts] == [
        ("series", "invoiced_by_month"),
        ("breakdown", "members_by_family"),
        ("map", "places"),
        ("graph", "exchanges"),
    ]
    series, breakdown, places, graph = layout.charts
    assert [plain(row[1]) for row in series.rows] == ["1 000,00 €", "0,00 €", "2 500,00 €"]
    assert breakdown.rows == [("Associations", "30"), ("Coopératives", "12")]
    assert places.rows[0] == ("Gap", "20")
    # The heaviest link first, named both ends.
    assert graph.rows[0][:2] == ("Les Jardins du Buëch", "Coopérative des Écrins")
    assert plain(graph.rows[0][2]) == "10 h"
    assert all(chart.svg.startswith("<svg") for chart in layout.charts)
    # Chart ids are unique on the page.
    assert len({chart.svg.split('aria-labelledby="')[1].split('"')[0] for chart in layout.charts}) == 4


@pytest.mark.django_db
def test_the_hub_report_holds_the_highlights_overlapping_the_period(
    actors: Actors, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_sample_areas(monkeypatch)
    inside = services.highlight_create(
        actor=actors.coordinator, starts_on=dt.date(2025, 12, 15), ends_on=dt.date(2026, 1, 10), title="Ouverture"
    )
    services.highlight_create(
        actor=actors.coordinator, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 30), title="Plus tard"
    )
    hub = report.build_report(PERIOD)
    assert hub.highlights == [inside]
    assert hub.hub.name
    own = report.build_report(PERIOD, organisation=actors.org_a)
    assert own.highlights == []


def test_the_presets_are_this_year_last_year_and_the_last_full_quarter() -> None:
    periods = [period for _label, period in report.presets(dt.date(2026, 5, 20))]
    assert periods == [
        Period(dt.date(2026, 1, 1), dt.date(2026, 5, 20)),
        Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ]
    assert report.presets(dt.date(2026, 2, 1))[2][1] == Period(dt.date(2025, 10, 1), dt.date(2025, 12, 31))


@pytest.mark.django_db
def test_the_pdf_holds_the_period_the_figures_the_charts_and_the_pictures(
    actors: Actors, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_sample_areas(monkeypatch)
    services.highlight_create(
        actor=actors.coordinator,
        kind=Highlight.Kind.PICTURE,
        starts_on=dt.date(2026, 2, 1),
        ends_on=dt.date(2026, 2, 1),
        title="Chantier participatif",
        picture=png(),
        picture_alt="Des bénévoles repeignent la salle",
    )
    services.highlight_create(
        actor=actors.coordinator,
        kind=Highlight.Kind.TESTIMONY,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 1),
        title="Une avance qui a sauvé l'été",
        text="Sans l'avance, nous fermions en juillet.",
        attribution="Marie, trésorière",
    )
    with translation.override("en"):  # the report is in French whatever the reader's language
        pdf = documents.activity_report_pdf(PERIOD)
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = plain(" ".join(page.extract_text() for page in reader.pages))
    assert "01/01/2026" in text and "31/03/2026" in text
    assert "Échantillon" in text and "1 234,56 €" in text and "12,5 %" in text
    assert "Chantier participatif" in text and "Marie, trésorière" in text
    # The picture, embedded once (the pages share their resources; the charts are vector drawings).
    images = {image.data for page in reader.pages for image in page.images}
    assert len(images) == 1
    assert Image.open(io.BytesIO(images.pop())).size == (40, 30)


@pytest.mark.django_db
def test_the_workbook_has_a_cover_one_sheet_per_area_with_raw_figures_and_the_highlights(
    actors: Actors, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_sample_areas(monkeypatch)
    services.highlight_create(
        actor=actors.coordinator, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 5), title="Assemblée"
    )
    # The workbook goes to funders: no organisation listed for members only is named in it.
    from cordee.network.models import Organisation, Visibility

    Organisation.objects.update(listing_visibility=Visibility.MEMBERS)
    content = workbook.activity_report_xlsx(PERIOD)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Rapport", "Échantillon", "Faits marquants"]
    cover: dict[Any, Any] = {row[0]: row[1] for row in book["Rapport"].iter_rows(values_only=True) if row[0]}
    assert cover["Du"].date() == PERIOD.start and cover["Au"].date() == PERIOD.end
    rows = list(book["Échantillon"].iter_rows(values_only=True))
    figures = {row[0]: row[1:4] for row in rows[2:8]}
    assert figures["invoiced_cents"] == ("Facturé", 123_456, "centimes d'euro")
    assert figures["rate_bps"] == ("Taux sans objet", None, "centièmes de pour cent")
    assert ("association", "Associations", 30, "nombre") in [row[:4] for row in rows]
    months = [(row[0].date(), row[1]) for row in rows if isinstance(row[0], dt.datetime)]
    assert months == [
        (dt.date(2026, 1, 1), 100_000),
        (dt.date(2026, 2, 1), 0),
        (dt.date(2026, 3, 1), 250_000),
    ]
    # The links of the graph, with the organisations named only when they are listed publicly.
    assert [row[4:6] for row in rows if row[0] == 1 and row[2] == 2] == [(600, "minutes")]
    assert "Les Jardins du Buëch" not in str(rows) and "Coopérative des Écrins" not in str(rows)
    assert [row[3] for row in book["Faits marquants"].iter_rows(min_row=2, values_only=True)] == ["Assemblée"]


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert workbook.sheet_name("Trésorerie: avances/apports", taken) == "Trésorerie  avances apports"
    long = "Un titre beaucoup trop long pour une feuille de calcul"
    first, second = workbook.sheet_name(long, taken), workbook.sheet_name(long, taken)
    assert len(first) == len(second) == 31 and first != second


def test_a_big_graph_lists_its_strongest_links_on_the_page() -> None:
    nodes = {index: f"Structure {index}" for index in range(1, 201)}
    links = tuple(Link(index, index % 200 + 1, index) for index in range(1, 201))
    section = Section("skills", "Échanges", graphs=[Graph("exchanges", "Heures échangées", Unit.MINUTES, nodes, links)])
    (chart,) = report.lay_out(section).charts
    assert len(chart.rows) == report.LINKS_IN_A_TABLE and chart.more == 100
    assert chart.rows[0][:2] == ("Structure 200", "Structure 1")
    assert chart.svg.count("<circle") == charts.NODES_AT_MOST


@pytest.mark.django_db
def test_a_report_names_only_the_organisations_its_reader_may_see_listed() -> None:
    from cordee.core.testing import make_organisation
    from cordee.network.models import Visibility
    from cordee.reporting.figures import Breakdown, Share

    public = make_organisation("Les Jardins du Buëch", listing_visibility=Visibility.PUBLIC)
    members = make_organisation("Coopérative des Écrins", listing_visibility=Visibility.MEMBERS)
    private = make_organisation("Atelier discret", listing_visibility=Visibility.PRIVATE)
    section = Section(
        "skills",
        "Bourse",
        graphs=[
            Graph(
                "cooperation",
                "Qui a aidé qui",
                Unit.MINUTES,
                {public.pk: public.name, members.pk: members.name, private.pk: private.name},
                (Link(public.pk, members.pk, 60), Link(private.pk, public.pk, 30)),
            )
        ],
        breakdowns=[
            Breakdown(
                "by_organisation",
                "Heures par structure",
                Unit.MINUTES,
                (Share(str(private.pk), private.name, 90), Share(str(members.pk), members.name, 30)),
                organisations=True,
            ),
            Breakdown("by_family", "Par famille", Unit.COUNT, (Share("association", "Association", 2),)),
        ],
    )
    with translation.override("en"):
        everyone = report.named_for([section], [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE])[0]
        members_view = report.named_for([section], [Visibility.PUBLIC, Visibility.MEMBERS])[0]
        funders = report.named_for([section], [Visibility.PUBLIC])[0]
    assert everyone.graphs[0].nodes[private.pk] == "Atelier discret"
    assert members_view.graphs[0].nodes == {
        public.pk: "Les Jardins du Buëch",
        members.pk: "Coopérative des Écrins",
        private.pk: "Member organisation 1",
    }
    assert members_view.breakdowns[0].shares[0].label == "Member organisation 1"
    assert funders.graphs[0].nodes[members.pk] == "Member organisation 1"
    assert funders.graphs[0].nodes[private.pk] == "Member organisation 2"
    assert funders.graphs[0].links == section.graphs[0].links  # the figures themselves are untouched
    assert funders.breakdowns[1] == section.breakdowns[1]
    assert "Atelier discret" not in str(funders) and "Coopérative des Écrins" not in str(funders)
