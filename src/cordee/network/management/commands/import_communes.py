from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from cordee.network.models import Commune
from cordee.network.reference import ReferenceError, load_communes, read_communes


class Command(BaseCommand):
    help = (
        "Load the communes of a territory from INSEE's official list (COG CSV: TYPECOM, COM, DEP, "
        "LIBELLE…) or from Cordée's format (insee_code, name, latitude, longitude, postal_code). "
        "Existing communes are updated; all rows are loaded or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--department", help="only the communes of this department code, e.g. 04")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        try:
            rows = list(read_communes(text, options.get("department")))
        except ReferenceError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if not rows:
            raise CommandError(f"{path}: no commune found")
        with transaction.atomic():
            count = load_communes(Commune, tqdm(rows, desc="communes", unit="commune", disable=None))
        self.stdout.write(self.style.SUCCESS(f"{count} communes loaded."))
