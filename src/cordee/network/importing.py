"""Import of organisations from a CSV or XLSX file: every row is checked first, then all rows
are written in one transaction, or none.

Each row goes through the same form as the web pages, so a cell is refused for the same reason,
with the same words, as the field of the form would be.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.lib.text import fold
from cordee.network.forms import IDENTITY_FIELDS, VISIBILITY_FIELDS, OrganisationForm
from cordee.network.models import Family, Membership, Sector
from cordee.network.services import _organisation_insert

# Column -> accepted header spellings (folded). The first is the documented English name.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "nom", "raison sociale"),
    "family": ("family", "famille"),
    "legal_form": ("legal_form", "forme juridique", "forme_juridique", "categorie juridique"),
    "sector": ("sector", "secteur"),
    "siren": ("siren",),
    "siret": ("siret",),
    "rna": ("rna",),
    "naf": ("naf", "ape", "code naf", "code ape"),
    "commune": ("commune", "code insee", "code_insee", "insee"),
    "address": ("address", "adresse"),
    "postal_code": ("postal_code", "code postal", "code_postal", "cp"),
    "website": ("website", "site web", "site_web", "site"),
    "email": ("email", "e-mail", "courriel", "mail"),
    "phone": ("phone", "telephone", "tel"),
    "description": ("description",),
    "founding_year": ("founding_year", "annee de creation", "annee_creation", "creation"),
    "employees": ("employees", "salaries", "nombre de salaries"),
    "volunteers": ("volunteers", "benevoles", "nombre de benevoles"),
    "status": ("status", "statut", "adhesion"),
    "joined_on": ("joined_on", "date d'adhesion", "date_adhesion"),
    **{name: (name,) for name in VISIBILITY_FIELDS},
}
REQUIRED = ("name", "family", "commune")
_HEADER = {fold(alias): column for column, aliases in COLUMNS.items() for alias in aliases}
_FAMILIES = {fold(str(label)): value for value, label in Family.choices} | {value: value for value in Family.values}
_FAMILIES.update(
    {
        "cooperative": "cooperative",
        "mutuelle": "mutual",
        "fondation": "foundation",
        "entreprise esus": "esus_company",
        "collectivite": "local_authority",
        "collectivite territoriale": "local_authority",
        "entreprise": "other_company",
    }
)
_STATUSES = ("active", "candidate", "suspended", "left")
_STATUS_ALIASES = {
    "actif": "active",
    "active": "active",
    "adherent": "active",
    "candidat": "candidate",
    "candidate": "candidate",
    "suspendu": "suspended",
    "parti": "left",
    "sorti": "left",
}


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileError(DomainError):
    pass


def read_rows(content: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]], int]:
    """The header and the (row number, cells) of a CSV or XLSX file, numbered as a spreadsheet shows them."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]], int]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise FileError(_("The file is neither UTF-8 nor Windows-1252 text."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise FileError(_("The file is empty."))
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    return rows[0], iter(body), len(body)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]], int]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged file
        raise FileError(_("The file cannot be read as an XLSX spreadsheet.")) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not rows:
        raise FileError(_("The file is empty."))
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(rows[number - 1])]
    return rows[0], iter(body), len(body)


def _parse_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _validate_row(
    number: int, cells: dict[str, str], seen: dict[str, dict[str, int]]
) -> tuple[dict[str, Any], list[CellError]]:
    errors: list[CellError] = []

    def refuse(column: str, reason: str) -> None:
        errors.append(CellError(number, column, cells.get(column, ""), reason))

    form_data = {name: cells.get(name, "") for name in [*IDENTITY_FIELDS, *VISIBILITY_FIELDS]}
    # A spreadsheet turns the INSEE code 05061 or the postal code 05000 into a number and drops
    # the leading zero of the department: give it back.
    for name in ("commune", "postal_code"):
        if len(form_data[name]) == 4 and form_data[name].isdigit():
            form_data[name] = form_data[name].zfill(5)
    for name in VISIBILITY_FIELDS:
        form_data[name] = form_data[name] or "members"
    if cells.get("family"):
        form_data["family"] = _FAMILIES.get(fold(cells["family"]), cells["family"])
    if cells.get("sector"):
        sector = (
            Sector.objects.filter(slug=cells["sector"]).first()
            or Sector.objects.filter(name__iexact=cells["sector"]).first()
        )
        if sector is None:
            refuse(
                "sector",
                _("Unknown sector: use one of %(slugs)s.")
                % {"slugs": ", ".join(Sector.objects.values_list("slug", flat=True))},
            )
            form_data["sector"] = ""
        else:
            form_data["sector"] = str(sector.pk)
    form = OrganisationForm(data=form_data)
    if not form.is_valid():
        for name, messages in form.errors.items():
            for message in messages:
                refuse(name if name != "__all__" else "name", str(message))
    status = (cells.get("status") or "active").strip().lower()
    status = _STATUS_ALIASES.get(fold(status), status)
    if status not in _STATUSES:
        refuse("status", _("The status must be one of %(values)s.") % {"values": ", ".join(_STATUSES)})
    joined_on = None
    if cells.get("joined_on"):
        try:
            joined_on = _parse_date(cells["joined_on"])
        except ValueError:
            refuse("joined_on", _("A date is written 26/11/2026 or 2026-11-26."))
    data = form.service_data() if not errors else {}
    for key in ("siret", "rna"):
        value = data.get(key)
        if value:
            if value in seen[key]:
                refuse(key, _("Same value as row %(row)s of this file.") % {"row": seen[key][value]})
            else:
                seen[key][value] = number
    return {"data": data, "status": status, "joined_on": joined_on}, errors


def import_file(
    *,
    actor: User,
    content: bytes,
    filename: str,
    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
) -> ImportReport:
    """Check every row of the file, then write them all, or none if any cell is refused."""
    if not permissions.can_manage_network(actor):
        raise NotAllowed()
    report = ImportReport()
    try:
        header, rows, total = read_rows(content, filename)
    except FileError as exc:
        report.errors.append(CellError(1, "", "", exc.message))
        return report
    columns: list[str | None] = []
    for position, title in enumerate(header, start=1):
        column = _HEADER.get(fold(title or ""))
        if column is None and (title or "").strip():
            report.errors.append(CellError(1, title, title, _("Unknown column (column %(n)s).") % {"n": position}))
        columns.append(column)
    missing = [name for name in REQUIRED if name not in columns]
    for name in missing:
        report.errors.append(CellError(1, name, "", _("This required column is missing.")))
    if report.errors:
        return report

    seen: dict[str, dict[str, int]] = {"siret": {}, "rna": {}}
    valid: list[tuple[int, dict[str, Any]]] = []
    iterable: Iterable[tuple[int, list[str]]] = progress(rows, total) if progress else rows
    for number, raw in iterable:
        report.rows += 1
        cells = {column: (raw[i] if i < len(raw) else "").strip() for i, column in enumerate(columns) if column}
        for name in REQUIRED:
            if not cells.get(name):
                report.errors.append(CellError(number, name, "", _("This field is required.")))
        if any(error.row == number for error in report.errors):
            continue
        row, errors = _validate_row(number, cells, seen)
        report.errors.extend(errors)
        if not errors:
            valid.append((number, row))
    if report.rows == 0:
        report.errors.append(CellError(2, "", "", _("The file has a header but no row.")))
    if report.errors:
        return report
    try:
        report.created = _write_all(actor=actor, rows=valid)
    except _RowRefused as refused:
        report.errors.append(refused.error)
    return report


class _RowRefused(Exception):
    def __init__(self, error: CellError) -> None:
        self.error = error


@transaction.atomic(durable=True)
def _write_all(*, actor: User, rows: list[tuple[int, dict[str, Any]]]) -> int:
    for number, row in rows:
        try:
            _organisation_insert(actor=actor, data=row["data"], status=row["status"], joined_on=row["joined_on"])
        except DomainError as exc:
            # Another writer got there between the check and the write: nothing of the file stays.
            raise _RowRefused(
                CellError(number, exc.field or "", str(row["data"].get(exc.field or "", "")), exc.message)
            ) from exc
    audit(actor=actor, action="organisation.import", target=actor, rows=len(rows))
    return len(rows)


assert set(Membership.Status.values) >= set(_STATUSES)
