"""Helpers of the invoicing tests: lines, drafts and issued invoices in one call, and the balances
of the internal accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection

from cordee.core.models import User
from cordee.core.testing import Actors
from cordee.invoicing import services
from cordee.invoicing.models import Invoice, InvoiceCounter, InvoiceLine
from cordee.invoicing.totals import LineData
from cordee.ledger.models import Account, Entry, Transfer
from cordee.network.models import Organisation

MARCH_2 = dt.date(2026, 3, 2)
MARCH_31 = dt.date(2026, 3, 31)


def line(
    label: str = "Location de la salle Écrins",
    quantity: str | Decimal = "1",
    unit_price_cents: int = 10000,
    vat_rate: int = 2000,
    vat_exemption: str = "",
) -> LineData:
    return LineData(
        label=label,
        quantity=Decimal(quantity),
        unit_price_cents=unit_price_cents,
        vat_rate=vat_rate,
        vat_exemption=vat_exemption,
    )


def worked_example_lines() -> list[LineData]:
    """The three lines of the worked example (see test_totals):
    8 215 + 10 680 + 100 000 = 118 895 cents excl. VAT, VAT 1 643 + 587 = 2 230, total 121 125."""
    return [
        line("Animation d'atelier (heures)", "3.5", 2347, 2000),
        line("Repas du séminaire", "12", 890, 550),
        line("Formation des bénévoles", "1", 100000, 0, "261-4-4"),
    ]


def draft(
    actors: Actors,
    *,
    actor: User | None = None,
    issuer: Organisation | str | None = "a",
    recipient: Organisation | str | None = "b",
    lines: list[LineData] | None = None,
    due_date: dt.date = MARCH_31,
    notes: str = "",
) -> Invoice:
    """A draft from organisation A to B by A's member admin, unless told otherwise ("hub" or None:
    the hub, whose drafts the treasurer writes)."""
    issuer_org, recipient_org = party(actors, issuer), party(actors, recipient)
    if actor is None:
        actor = actors.treasurer if issuer_org is None else admin_of(actors, issuer_org)
    return services.invoice_draft_create(
        actor=actor,
        issuer=issuer_org,
        recipient=recipient_org,
        lines=lines if lines is not None else [line()],
        due_date=due_date,
        notes=notes,
    )


def issued(actors: Actors, *, issue_date: dt.date = MARCH_2, actor: User | None = None, **kwargs: Any) -> Invoice:
    invoice = draft(actors, actor=actor, **kwargs)
    return services.invoice_issue(actor=actor or manager(actors, invoice), invoice=invoice, issue_date=issue_date)


def party(actors: Actors, which: Organisation | str | None) -> Organisation | None:
    if which == "a":
        return actors.org_a
    if which == "b":
        return actors.org_b
    if which == "hub" or which is None:
        return None
    assert isinstance(which, Organisation)
    return which


def admin_of(actors: Actors, organisation: Organisation) -> User:
    if organisation.pk == actors.org_a.pk:
        return actors.member_admin_a
    if organisation.pk == actors.org_b.pk:
        return actors.member_admin_b
    raise AssertionError(f"no named admin for {organisation}")


def manager(actors: Actors, invoice: Invoice) -> User:
    """Who acts for the invoice's issuer."""
    return actors.treasurer if invoice.issuer_id is None else admin_of(actors, invoice.issuer)  # type: ignore[arg-type]


def balance(number: str) -> int:
    """Posted debits minus posted credits of an account; 0 if it was never opened."""
    account = Account.objects.filter(ledger__code="EUR", number=number).first()
    return account.balance if account is not None else 0


def receivable(organisation: Organisation | None) -> str:
    return "411HUB" if organisation is None else f"411{organisation.pk:06d}"


def payable(organisation: Organisation | None) -> str:
    return "401HUB" if organisation is None else f"401{organisation.pk:06d}"


def snapshot() -> dict[str, Any]:
    """Everything invoicing and the ledger hold, to show that a refusal wrote nothing."""
    return {
        "invoices": list(Invoice.objects.order_by("pk").values()),
        "lines": list(InvoiceLine.objects.order_by("pk").values()),
        "counters": list(InvoiceCounter.objects.order_by("pk").values()),
        "accounts": list(Account.objects.order_by("pk").values()),
        "transfers": Transfer.objects.count(),
        "entries": Entry.objects.count(),
    }


def numbers_of(issuer: Organisation | None) -> list[int]:
    return sorted(
        Invoice.objects.filter(issuer=issuer).exclude(sequence_number=None).values_list("sequence_number", flat=True)
    )


def raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
