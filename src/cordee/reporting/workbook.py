"""The activity report as an XLSX workbook: the raw figures, for the funders' own spreadsheets.

A first sheet names the hub and the period; then one sheet per area: its figures (key, label,
value, unit) and, below them, each breakdown, series, map and graph as a table. Values are the raw
integers of `cordee.reporting.figures` in their unit (cents, minutes, basis points, hundredths),
the unit named next to them, so that a spreadsheet sums them without rounding; months are dates.
A last sheet lists the highlights. In French, as the PDF report.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cordee.network.models import Organisation, Visibility
from cordee.reporting.documents import title_in_french
from cordee.reporting.figures import Section
from cordee.reporting.periods import Period
from cordee.reporting.report import Progress, Report, build_report

SHEET_NAME_LENGTH = 31  # Excel's limit
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
UNITS = {
    "count": "nombre",
    "cents": "centimes d'euro",
    "minutes": "minutes",
    "basis_points": "centièmes de pour cent",
    "hundredths": "centièmes",
}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)


def _unit(unit: str) -> str:
    return UNITS.get(str(unit), str(unit))


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, 31 characters at most."""
    base = FORBIDDEN_IN_SHEET_NAMES.sub(" ", title).strip()[:SHEET_NAME_LENGTH] or "Feuille"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def _rows(sheet: Worksheet, rows: Iterable[Iterable[Any]]) -> None:
    for row in rows:
        sheet.append(list(row))


def _heading(sheet: Worksheet, title: str, headers: Iterable[str]) -> None:
    sheet.append([])
    sheet.append([title])
    sheet.cell(row=sheet.max_row, column=1).font = TITLE
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def write_section(sheet: Worksheet, section: Section) -> None:
    sheet.append([section.title])
    sheet.cell(row=1, column=1).font = TITLE
    sheet.append(["Clé", "Libellé", "Valeur", "Unité", "Mode de calcul"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    _rows(
        sheet,
        ([figure.key, figure.label, figure.value, _unit(figure.unit), figure.help] for figure in section.figures),
    )
    for breakdown in section.breakdowns:
        _heading(sheet, breakdown.label, [f"Clé ({breakdown.key})", "Libellé", "Valeur", "Unité"])
        _rows(sheet, ([share.key, share.label, share.value, _unit(breakdown.unit)] for share in breakdown.shares))
    for series in section.series:
        _heading(sheet, series.label, [f"Mois ({series.key})", "Valeur", "Unité"])
        start = sheet.max_row + 1
        _rows(sheet, ([month, value, _unit(series.unit)] for month, value in series.points))
        for row in range(start, sheet.max_row + 1):
            sheet.cell(row=row, column=1).number_format = "mm/yyyy"
    if section.places:
        _heading(sheet, "Par commune", ["Code INSEE", "Commune", "Latitude", "Longitude", "Valeur"])
        _rows(
            sheet,
            (
                [place.insee_code, place.name, place.latitude, place.longitude, place.value]
                for place in sorted(section.places, key=lambda place: (-place.value, place.name))
            ),
        )
    for graph in section.graphs:
        _heading(
            sheet,
            graph.label,
            [f"Aidant ({graph.key})", "Organisation aidante", "Aidé", "Organisation aidée", "Poids", "Unité"],
        )
        _rows(
            sheet,
            (
                [
                    link.giver,
                    graph.nodes.get(link.giver, ""),
                    link.receiver,
                    graph.nodes.get(link.receiver, ""),
                    link.weight,
                    _unit(graph.unit),
                ]
                for link in sorted(graph.links, key=lambda link: (-link.weight, link.giver, link.receiver))
            ),
        )
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 16
    sheet.column_dimensions["D"].width = 22


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    taken: set[str] = set()
    cover.title = sheet_name("Rapport", taken)
    _rows(
        cover,
        [
            [title_in_french(report)],
            [],
            ["Pôle", report.hub.name],
            ["SIREN", report.hub.siren],
            *([["Structure", report.organisation.name]] if report.organisation is not None else []),
            ["Du", report.period.start],
            ["Au", report.period.end],
            ["Édité le", report.printed_on],
            [],
            [
                "Unités : les valeurs sont des entiers ; les montants en centimes d'euro, les durées en minutes, "
                "les taux en centièmes de pour cent (1250 = 12,5 %), les équivalents temps plein en centièmes."
            ],
        ],
    )
    cover.cell(row=1, column=1).font = TITLE
    for row in cover.iter_rows(min_row=3, max_row=cover.max_row):
        if row[0].value in ("Du", "Au", "Édité le"):
            row[1].number_format = "dd/mm/yyyy"
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 48
    for layout in report.sections:
        write_section(workbook.create_sheet(sheet_name(layout.title, taken)), layout.section)
    if report.organisation is None:
        sheet = workbook.create_sheet(sheet_name("Faits marquants", taken))
        sheet.append(["Du", "Au", "Nature", "Titre", "Texte", "Dit par", "Organisation", "Image"])
        for cell in sheet[1]:
            cell.font = BOLD
        kinds = {"highlight": "Fait marquant", "testimony": "Témoignage", "picture": "Image"}
        for highlight in report.highlights:
            sheet.append(
                [
                    highlight.starts_on,
                    highlight.ends_on,
                    kinds.get(highlight.kind, highlight.kind),
                    highlight.title,
                    highlight.text,
                    highlight.attribution,
                    highlight.organisation.name if highlight.organisation else "",
                    highlight.picture_alt,
                ]
            )
            for column in (1, 2):
                sheet.cell(row=sheet.max_row, column=column).number_format = "dd/mm/yyyy"
        sheet.column_dimensions["D"].width = 40
        sheet.column_dimensions["E"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def activity_report_xlsx(
    period: Period, *, organisation: Organisation | None = None, progress: Progress | None = None
) -> bytes:
    """The activity report of a period as a workbook, in French."""
    with translation.override("fr"):
        # The workbook goes to funders: only the organisations listed publicly are named.
        return report_xlsx(
            build_report(period, organisation=organisation, progress=progress, names=(Visibility.PUBLIC,))
        )
