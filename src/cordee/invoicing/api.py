"""GET /api/v1/invoices and /api/v1/invoices/{id}: the internal invoices a person may see."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from cordee.core import permissions
from cordee.invoicing import selectors
from cordee.invoicing.models import Exemption, Invoice
from cordee.invoicing.totals import compute_totals

# Session authentication: ninja then enforces the CSRF token on writes, as the pages do.
router = Router(tags=["invoicing"], auth=django_auth)


class PartyOut(Schema):
    id: int | None = Field(description="The organisation's id; null for the hub")
    name: str


class InvoiceOut(Schema):
    id: int
    kind: Invoice.Kind
    status: Invoice.Status
    number: str | None = Field(description="Null on a draft: numbers are given at issue")
    issuer: PartyOut
    recipient: PartyOut
    direction: Literal["to_collect", "to_pay"] | None = Field(
        description="to_collect: issued by your side; to_pay: addressed to it; null: you are neither party"
    )
    issue_date: dt.date | None
    due_date: dt.date
    paid_on: dt.date | None
    total_excl_vat_cents: int
    vat_cents: int
    total_incl_vat_cents: int
    cancels_id: int | None = Field(description="On a credit note: the invoice it cancels")
    credit_note_id: int | None = Field(description="On a cancelled invoice: its credit note")


class LineOut(Schema):
    label: str
    quantity: Decimal
    unit_price_cents: int
    vat_rate: int = Field(description="Basis points: 2000 is 20 %")
    vat_exemption: str | None = Field(description="On a line at 0 %: the exemption mention printed")
    total_excl_vat_cents: int
    vat_cents: int


class VatRowOut(Schema):
    vat_rate: int = Field(description="Basis points")
    base_cents: int
    vat_cents: int


class InvoiceDetailOut(InvoiceOut):
    notes: str
    reason: str = Field(description="On a credit note: why the invoice was cancelled")
    lines: list[LineOut]
    vat_by_rate: list[VatRowOut]


class InvoiceFilters(Schema):
    status: Invoice.Status | None = Field(None, description="draft, issued, paid or cancelled")
    direction: Literal["to_collect", "to_pay"] | None = Field(
        None,
        description="to_collect: issued by your organisations (or the hub, for its staff); to_pay: addressed to them",
    )


class ErrorOut(Schema):
    detail: str


def _invoice(request: HttpRequest, invoice: Invoice) -> dict:
    credit_note = getattr(invoice, "credit_note", None) if invoice.status == Invoice.Status.CANCELLED else None
    return {
        "id": invoice.pk,
        "kind": invoice.kind,
        "status": invoice.status,
        "number": invoice.number or None,
        "issuer": {"id": invoice.issuer_id, "name": invoice.issuer_name},
        "recipient": {"id": invoice.recipient_id, "name": invoice.recipient_name},
        "direction": selectors.direction_of(request.user, invoice) or None,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "paid_on": invoice.paid_on,
        "total_excl_vat_cents": invoice.total_excl_vat_cents,
        "vat_cents": invoice.vat_cents,
        "total_incl_vat_cents": invoice.total_incl_vat_cents,
        "cancels_id": invoice.cancels_id,
        "credit_note_id": credit_note.pk if credit_note is not None else None,
    }


@router.get(
    "/invoices",
    response=list[InvoiceOut],
    operation_id="list_invoices",
    url_name="list_invoices",
    summary="The internal invoices you may see, drafts first, then the newest",
)
@paginate(PageNumberPagination, page_size=50)
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilters]) -> list[dict]:
    if not permissions.can_use_invoicing(request.user):
        raise HttpError(403, "Your account gives access to no invoice.")
    queryset = selectors.invoices_for(
        request.user,
        status=filters.status.value if filters.status else "",
        direction=filters.direction or "",
    ).select_related("credit_note")
    return _LazyInvoices(queryset, request)  # type: ignore[return-value]


class _LazyInvoices:
    """Turns only the rows of the requested page into dicts."""

    def __init__(self, queryset, request: HttpRequest) -> None:  # type: ignore[no-untyped-def]
        self.queryset = queryset
        self.request = request

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item):  # type: ignore[no-untyped-def]
        return [_invoice(self.request, invoice) for invoice in self.queryset[item]]


@router.get(
    "/invoices/{invoice_id}",
    response={200: InvoiceDetailOut, 404: ErrorOut},
    operation_id="get_invoice",
    url_name="get_invoice",
    summary="One invoice with its lines and totals",
)
def get_invoice(request: HttpRequest, invoice_id: int) -> dict:
    invoice = selectors.get_invoice_for_user(request.user, invoice_id)
    lines = list(invoice.lines.all())
    totals = compute_totals(lines)
    return {
        **_invoice(request, invoice),
        "notes": invoice.notes,
        "reason": invoice.reason,
        "lines": [
            {
                "label": line.label,
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
                "vat_rate": line.vat_rate,
                "vat_exemption": Exemption(line.vat_exemption).label if line.vat_exemption else None,
                "total_excl_vat_cents": line_totals.excl_vat_cents,
                "vat_cents": line_totals.vat_cents,
            }
            for line, line_totals in zip(lines, totals.lines, strict=True)
        ],
        "vat_by_rate": [
            {"vat_rate": row.rate, "base_cents": row.base_cents, "vat_cents": row.vat_cents}
            for row in totals.vat_by_rate
        ],
    }
