from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from cordee.ledger.exports import write_hledger


class Command(BaseCommand):
    help = (
        "Write every posted movement of every ledger as an hledger journal (EUR in euros, HOURS in "
        "minutes), to check the balances with another program: hledger -f FILE bal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="cordee.journal", help="file to write, or - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(rows: Iterable[Any], total: int) -> Iterable[Any]:
            return tqdm(rows, total=total, desc="transfers", unit="transfer", disable=None)

        if options["output"] == "-":
            write_hledger(sys.stdout, progress)
            return
        path = Path(options["output"])
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as stream:
                count = write_hledger(stream, progress)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"{count} transactions written to {path}; check: hledger -f {path} bal"))
