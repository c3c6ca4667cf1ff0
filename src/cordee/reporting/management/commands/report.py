"""`cordee report --from YYYY-MM-DD --to YYYY-MM-DD --format pdf|xlsx --output FILE`: the hub's
activity report of a period, as the coordinator downloads it from the dashboard.

The sections are computed one after the other, with a progress bar on stderr; the file is written
only once the report is complete, so a failure leaves no half-written file."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from cordee.core.errors import DomainError
from cordee.reporting import documents, workbook
from cordee.reporting.periods import Period

FORMATS = ("pdf", "xlsx")


def parse_day(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(
            _("%(option)s: %(value)s is not a date YYYY-MM-DD.") % {"option": option, "value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Write the hub's activity report of a period (its figures, charts and highlights) as a PDF or an XLSX "
        "workbook with one sheet per area."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD: the first day of the period")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD: the last day of the period")
        parser.add_argument("--format", dest="format", required=True, help="pdf or xlsx")
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_day("--from", options["start"])
        end = parse_day("--to", options["end"])
        try:
            period = Period(start, end)
        except DomainError as error:
            option = "--from" if error.field == "start" else "--to"
            raise CommandError(f"{option}: {error.message}") from None
        kind = str(options["format"]).lower()
        if kind not in FORMATS:
            raise CommandError(_("--format: %(value)s is neither pdf nor xlsx.") % {"value": options["format"]})
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(_("--output: the folder %(folder)s does not exist.") % {"folder": output.parent})

        def progress(keys: Iterable[str]) -> Iterator[str]:
            bar = tqdm(list(keys), desc="sections", unit="section", file=self.stderr)
            for key in bar:
                bar.set_postfix_str(key)
                yield key

        # WeasyPrint tells each of its steps at INFO: the sections' progress bar is enough here.
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        build = documents.activity_report_pdf if kind == "pdf" else workbook.activity_report_xlsx
        content = build(period, progress=progress)
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(
                _("--output: %(file)s cannot be written (%(error)s).") % {"file": output, "error": error.strerror}
            ) from None
        self.stdout.write(
            _("Activity report from %(start)s to %(end)s written to %(file)s (%(size)s bytes).")
            % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}", "file": output, "size": len(content)}
        )
