from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from cordee.core.errors import DomainError
from cordee.core.money import format_cents
from cordee.premises.billing import invoice_bookings, parse_month


class Command(BaseCommand):
    help = (
        "Turn a month's completed bookings into internal invoices, one per (owner, booking organisation) "
        "pair, issued and posted to the ledger. Running it twice creates nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM, a month that has ended")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
            report = invoice_bookings(
                month,
                progress=lambda items: tqdm(list(items), desc="invoices", unit="invoice", file=self.stderr),
            )
        except DomainError as error:
            raise CommandError(f"{error.field or 'month'}: {error.message}") from None
        self.stdout.write(
            _("%(invoices)s invoices for %(bookings)s bookings, %(total)s in all; %(free)s free bookings.")
            % {
                "invoices": len(report.invoices),
                "bookings": report.bookings,
                "total": format_cents(report.total_cents),
                "free": report.free,
            }
        )
        for invoice in report.invoices:
            self.stdout.write(f"  {invoice.number}  {format_cents(invoice.total_incl_vat_cents)}")
