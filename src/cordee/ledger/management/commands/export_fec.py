from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cordee.core.errors import DomainError
from cordee.ledger.exports import fec_filename, write_fec

SEPARATORS = {"tab": "\t", "pipe": "|"}
ENCODINGS = ("utf-8", "iso-8859-15")


class Command(BaseCommand):
    help = (
        "Write the accounting entries file (FEC, article A47 A-1 of the Livre des procédures fiscales) "
        "of the fiscal year closing in YEAR: the opening balances, then every posted movement of the EUR "
        "ledger. OUTPUT is a folder (the file gets its legal name <SIREN>FEC<closing date>.txt) or a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="the year in which the fiscal year closes")
        parser.add_argument("--output", default=".", help="a folder (default: the current one) or a file path")
        parser.add_argument("--separator", choices=sorted(SEPARATORS), default="tab", help="field separator")
        parser.add_argument(
            "--encoding",
            choices=ENCODINGS,
            default="utf-8",
            help="utf-8 (default), or iso-8859-15, the set the article names; characters it lacks become '?'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        try:
            legal_name = fec_filename(year)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        output = Path(options["output"])
        path = output / legal_name if output.is_dir() else output
        if path.name != legal_name:
            self.stderr.write(
                self.style.WARNING(f"The file is named {path.name}; article A47 A-1 requires {legal_name}.")
            )

        def progress(rows: Iterable[Any], total: int) -> Iterable[Any]:
            return tqdm(rows, total=total, desc="transfers", unit="transfer", disable=None)

        # Written beside, then renamed: an interrupted export never leaves half a FEC under the real name.
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("w", encoding=options["encoding"], errors="replace", newline="") as stream:
                count = write_fec(year, stream, progress, separator=SEPARATORS[options["separator"]])
            os.replace(partial, path)
        except DomainError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(exc.message) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"FEC {year}: {count} lines written to {path}."))
