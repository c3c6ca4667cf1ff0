"""The month's completed bookings, turned into internal invoices: one per (owner, booking
organisation) pair, each booking a line at its frozen price.

Idempotent twice over: each invoice's `source` names the month and the pair (the invoicing app
returns the existing invoice for a source it has seen), and each invoiced booking points to its
invoice, so a booking is never invoiced twice, even when a late booking of the same pair is
completed after the month was invoiced (it goes on an invoice of its own, source suffixed).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.invoicing import services as invoicing
from cordee.invoicing.models import Invoice
from cordee.invoicing.totals import LineData
from cordee.premises.models import Booking
from cordee.premises.services import bookings_complete

PAYMENT_DAYS = 30


@dataclass
class BillingReport:
    month: dt.date
    invoices: list[Invoice] = field(default_factory=list)
    bookings: int = 0
    free: int = 0  # completed bookings at no charge: nothing to invoice

    @property
    def total_cents(self) -> int:
        return sum(invoice.total_incl_vat_cents for invoice in self.invoices)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(dt.datetime.combine(first, dt.time(0))),
        timezone.make_aware(dt.datetime.combine(following, dt.time(0))),
    )


def parse_month(text: str) -> dt.date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise DomainError(_("A month is written YYYY-MM, e.g. 2027-03."), field="month") from None


def invoice_bookings(
    month: dt.date,
    *,
    now: dt.datetime | None = None,
    progress: Callable[
        [Iterable[tuple[tuple[int | None, int | None], list[Booking]]]],
        Iterable[tuple[tuple[int | None, int | None], list[Booking]]],
    ]
    | None = None,
    notify: bool = True,
) -> BillingReport:
    """Invoice the completed bookings of a month that has ended."""
    now = now or timezone.now()
    start, end = month_bounds(month)
    if end > now:
        raise DomainError(
            _("%(month)s is not over yet: its bookings are invoiced once it has ended.")
            % {"month": date_format(month, "F Y")},
            field="month",
        )
    bookings_complete(now=now)
    report = BillingReport(month=month.replace(day=1))
    due = (
        Booking.objects.filter(state=Booking.State.COMPLETED, starts_at__gte=start, starts_at__lt=end, invoice=None)
        .select_related("resource", "resource__owner", "organisation")
        .order_by("starts_at", "pk")
    )
    groups: dict[tuple[int | None, int | None], list[Booking]] = defaultdict(list)
    for booking in due:
        if booking.price_cents == 0:
            report.free += 1
            continue
        groups[(booking.resource.owner_id, booking.organisation_id)].append(booking)
    items: Iterable[tuple[tuple[int | None, int | None], list[Booking]]] = sorted(
        groups.items(), key=lambda item: (item[0][0] or 0, item[0][1] or 0)
    )
    if progress is not None:
        items = progress(items)
    for (owner_id, organisation_id), bookings in items:
        with transaction.atomic():
            invoice = _invoice(
                month, owner_id, organisation_id, bookings, issue_date=timezone.localdate(now), notify=notify
            )
            Booking.objects.filter(pk__in=[b.pk for b in bookings], invoice=None).update(invoice=invoice)
        report.invoices.append(invoice)
        report.bookings += len(bookings)
    return report


def _invoice(
    month: dt.date,
    owner_id: int | None,
    organisation_id: int | None,
    bookings: list[Booking],
    *,
    issue_date: dt.date,
    notify: bool,
) -> Invoice:
    resource = bookings[0].resource
    base = f"bookings:{month:%Y-%m}:{owner_id or 'hub'}:{organisation_id or 'hub'}"
    # A pair already invoiced for this month (a booking completed late): a further invoice.
    earlier = Invoice.objects.filter(source__startswith=base).count()
    source = base if not earlier else f"{base}:{earlier + 1}"
    lines = [
        LineData(
            label=_line_label(booking)[:200],
            quantity=Decimal(1),
            unit_price_cents=booking.price_cents,
            vat_rate=booking.resource.vat_rate,
            vat_exemption=booking.resource.vat_exemption if booking.resource.vat_rate == 0 else "",
        )
        for booking in bookings
    ]
    return invoicing.invoice_create_issued(
        issuer=resource.owner,
        recipient=bookings[0].organisation,
        lines=lines,
        issue_date=issue_date,
        due_date=issue_date + dt.timedelta(days=PAYMENT_DAYS),
        source=source,
        notes=_("Use of shared resources in %(month)s.") % {"month": date_format(month, "F Y")},
        notify=notify,
    )


def _line_label(booking: Booking) -> str:
    start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    when = f"{date_format(start, 'd/m/Y')} {start:%H:%M}\N{EN DASH}{end:%H:%M}"
    if end.date() != start.date():
        when = f"{date_format(start, 'd/m/Y H:i')} \N{EN DASH} {date_format(end, 'd/m/Y H:i')}"
    return f"{booking.resource.name}, {when} ({booking.price_detail})"
