from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from cordee.ledger.verify import verify


class Command(BaseCommand):
    help = (
        "Check every invariant of the ledger from the transfers themselves: balances, debits equal "
        "credits, limits, pending transfers resolved at most once, linked chains whole, the hash "
        "chain, the entries. Exit 0 when all hold, 1 with each violation named."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(rows: Iterable[Any], total: int) -> Iterable[Any]:
            return tqdm(rows, total=total, desc="transfers", unit="transfer", disable=None)

        report = verify(progress=progress)
        summary = (
            f"{report.ledgers} ledgers, {report.accounts} accounts, {report.transfers} transfers, "
            f"{report.entries} entries checked"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Ledger OK: {summary}."))
            return
        for violation in report.violations:
            self.stderr.write(f"VIOLATION: {violation}")
        self.stderr.write(self.style.ERROR(f"Ledger NOT OK: {len(report.violations)} violations; {summary}."))
        raise SystemExit(1)
