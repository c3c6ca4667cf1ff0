"""The directory as CSV or XLSX, built from the same visible-fields data as the API."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone

COLUMNS = [
    ("name", "Nom"),
    ("family", "Famille"),
    ("sector", "Secteur"),
    ("commune", "Commune"),
    ("commune_insee", "Code INSEE"),
    ("description", "Description"),
    ("website", "Site web"),
    ("founding_year", "Année de création"),
    ("address", "Adresse"),
    ("postal_code", "Code postal"),
    ("email", "Courriel"),
    ("phone", "Téléphone"),
    ("legal_form", "Forme juridique"),
    ("siren", "SIREN"),
    ("siret", "SIRET"),
    ("rna", "RNA"),
    ("naf", "NAF/APE"),
    ("employees", "Salariés"),
    ("volunteers", "Bénévoles"),
]


def _flatten(row: dict[str, Any]) -> list[Any]:
    flat = dict(row)
    commune = row.get("commune")
    if commune:
        flat["commune"] = commune["name"]
        flat["commune_insee"] = commune["insee_code"]
    if row.get("sector"):
        flat["sector"] = row["sector"]["name"]
    if row.get("legal_form"):
        flat["legal_form"] = f"{row['legal_form']['code']} {row['legal_form']['label']}"
    return ["" if flat.get(key) is None else flat.get(key, "") for key, _title in COLUMNS]


def directory_response(rows: list[dict[str, Any]], fmt: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([title for _key, title in COLUMNS])
        writer.writerows(_flatten(row) for row in rows)
        # The BOM makes Excel read the accents right.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Annuaire")
        sheet.append([title for _key, title in COLUMNS])
        for row in rows:
            sheet.append(_flatten(row))
        buffer_bytes = io.BytesIO()
        workbook.save(buffer_bytes)
        response = HttpResponse(
            buffer_bytes.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="annuaire-{stamp}.{fmt}"'
    return response
