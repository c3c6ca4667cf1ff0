"""Reference data: INSEE legal forms, communes, sectors. Used by migrations and commands alike,
so the functions take the model classes (a migration passes its historical models)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cordee.lib.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

SECTORS = [
    ("culture", "Culture et patrimoine"),
    ("social", "Action sociale et solidarité"),
    ("insertion", "Insertion par l'activité économique"),
    ("environnement", "Environnement et transition"),
    ("alimentation", "Agriculture et alimentation"),
    ("tourisme", "Tourisme et montagne"),
    ("mobilite", "Mobilité"),
    ("education", "Éducation et jeunesse"),
    ("sport", "Sport et loisirs"),
    ("sante", "Santé et soin"),
    ("habitat", "Habitat et énergie"),
    ("numerique", "Numérique"),
    ("finance", "Finance solidaire et emploi"),
    ("commerce", "Commerce et artisanat"),
]


class ReferenceError(ValueError):
    pass


def load_legal_forms(model: Any) -> int:
    with (DATA_DIR / "legal-forms.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        model.objects.update_or_create(
            code=row["code"], defaults={"label": row["label"], "retired": row["status"] == "retired"}
        )
    return len(rows)


def load_sectors(model: Any) -> int:
    for position, (slug, name) in enumerate(SECTORS):
        model.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    return len(SECTORS)


def _decimal(value: str, name: str, line: int) -> Decimal | None:
    if not value.strip():
        return None
    try:
        return Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise ReferenceError(f"line {line}: {name} {value!r} is not a number") from None


def read_communes(text: str, department: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of either INSEE's COG list (TYPECOM, COM, DEP, LIBELLE…) or Cordée's own format
    (insee_code, name, latitude, longitude, postal_code). Only real communes (TYPECOM=COM) of the
    department, when one is given."""
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = {name.strip().lower(): name for name in reader.fieldnames or []}
    insee_format = "com" in fields and "libelle" in fields
    if not insee_format and not {"insee_code", "name"} <= set(fields):
        raise ReferenceError("unknown columns: expected INSEE's (TYPECOM, COM, DEP, LIBELLE) or insee_code, name")
    for line, row in enumerate(reader, start=2):
        row = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
        if insee_format:
            if row.get("typecom", "COM") != "COM":
                continue
            code, name, dep = row["com"], row["libelle"], row.get("dep", "")
        else:
            code, name, dep = row["insee_code"], row["name"], row["insee_code"][:2]
        if department and dep != department and not code.startswith(department):
            continue
        if len(code) != 5 or not name:
            raise ReferenceError(f"line {line}: {code!r} is not an INSEE commune code with a name")
        yield {
            "insee_code": code,
            "name": name,
            "postal_code": row.get("postal_code", "") or row.get("code_postal", ""),
            "latitude": _decimal(row.get("latitude", ""), "latitude", line),
            "longitude": _decimal(row.get("longitude", ""), "longitude", line),
        }


def load_communes(model: Any, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    for row in rows:
        defaults = {"name": row["name"], "search_name": fold(row["name"])}
        for key in ("postal_code", "latitude", "longitude"):
            if row.get(key) not in (None, ""):
                defaults[key] = row[key]
        model.objects.update_or_create(insee_code=row["insee_code"], defaults=defaults)
        count += 1
    return count


def default_communes() -> list[dict[str, Any]]:
    return list(read_communes((DATA_DIR / "communes-05.csv").read_text(encoding="utf-8")))
