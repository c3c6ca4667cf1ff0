"""GET /api/v1/invoices and /api/v1/invoices/{id}: the internal invoices a person may see, with
what set-offs settled of them and their disputes; POST /api/v1/invoices/{id}/disputes contests one,
POST /api/v1/disputes/{id}/close answers (or withdraws) a dispute."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal, refusal_status
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.invoicing import selectors, services
from cordee.invoicing.models import Dispute, Exemption, Invoice, Settlement
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


class InvoiceSettlementOut(Schema):
    kind: Settlement.Kind = Field(description="clearing: a multilateral set-off")
    amount_cents: int
    settled_on: dt.date
    reference: str = Field(description='What settled it, e.g. "clearing:12"')
    clearing_run_id: int | None = Field(description="The clearing run that settled it, if one did")


class InvoiceDisputeOut(Schema):
    id: int
    invoice_id: int
    is_open: bool
    reason: str
    opened_by: str = Field(description="The name of the person who contested the invoice")
    opened_at: dt.datetime
    closed_by: str | None
    closed_at: dt.datetime | None
    answer: str = Field(description="Empty while open, or when the person who opened it withdrew it")


class InvoiceDisputeIn(Schema):
    reason: str = Field(description="Why the invoice is contested; at most 1000 characters")


class InvoiceDisputeCloseIn(Schema):
    answer: str = Field("", description="Required, unless the person who opened the dispute withdraws it")


class InvoiceDetailOut(InvoiceOut):
    notes: str
    reason: str = Field(description="On a credit note: why the invoice was cancelled")
    lines: list[LineOut]
    vat_by_rate: list[VatRowOut]
    open_cents: int | None = Field(
        description="What is still owed: the total less what set-offs settled; 0 once paid or cancelled; "
        "null on a draft or a credit note"
    )
    disputed: bool = Field(description="A dispute is open: the invoice is kept out of clearing runs")
    settlements: list[InvoiceSettlementOut]
    disputes: list[InvoiceDisputeOut] = Field(description="The newest first")


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
    disputes = selectors.disputes_of(invoice)
    return {
        **_invoice(request, invoice),
        "notes": invoice.notes,
        "reason": invoice.reason,
        "open_cents": _open_cents(invoice),
        "disputed": any(dispute.is_open for dispute in disputes),
        "settlements": [
            {
                "kind": settlement.kind,
                "amount_cents": settlement.amount_cents,
                "settled_on": settlement.settled_on,
                "reference": settlement.reference,
                "clearing_run_id": selectors.clearing_run_id(settlement),
            }
            for settlement in selectors.settlements_of(invoice)
        ],
        "disputes": [_dispute(dispute) for dispute in disputes],
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


def _open_cents(invoice: Invoice) -> int | None:
    if invoice.is_credit_note or invoice.is_draft:
        return None
    return services.open_cents(invoice) if invoice.status == Invoice.Status.ISSUED else 0


def _dispute(dispute: Dispute) -> dict:
    return {
        "id": dispute.pk,
        "invoice_id": dispute.invoice_id,
        "is_open": dispute.is_open,
        "reason": dispute.reason,
        "opened_by": dispute.opened_by.full_name,
        "opened_at": dispute.opened_at,
        "closed_by": dispute.closed_by.full_name if dispute.closed_by else None,
        "closed_at": dispute.closed_at,
        "answer": dispute.answer,
    }


@router.post(
    "/invoices/{invoice_id}/disputes",
    response={201: InvoiceDisputeOut, 403: Refusal, 404: ErrorOut, 422: Refusal},
    operation_id="open_invoice_dispute",
    url_name="open_invoice_dispute",
    summary="Contest an issued, unpaid invoice (its recipient's member admins, the treasurer, the coordinator)",
)
def open_invoice_dispute(request: HttpRequest, invoice_id: int, payload: InvoiceDisputeIn) -> Status:
    invoice = selectors.get_invoice_for_user(request.user, invoice_id)
    assert isinstance(request.user, User)
    try:
        dispute = services.invoice_dispute_open(actor=request.user, invoice=invoice, reason=payload.reason)
    except DomainError as error:
        return Status(refusal_status(error), refusal(error))
    return Status(201, _dispute(dispute))


@router.post(
    "/disputes/{dispute_id}/close",
    response={200: InvoiceDisputeOut, 403: Refusal, 404: ErrorOut, 422: Refusal},
    operation_id="close_invoice_dispute",
    url_name="close_invoice_dispute",
    summary="Answer and close a dispute (the issuer's member admins, the treasurer, the coordinator), "
    "or withdraw it (who opened it)",
)
def close_invoice_dispute(request: HttpRequest, dispute_id: int, payload: InvoiceDisputeCloseIn) -> Status:
    dispute = selectors.get_dispute_for_user(request.user, dispute_id)
    assert isinstance(request.user, User)
    try:
        dispute = services.invoice_dispute_close(actor=request.user, dispute=dispute, answer=payload.answer)
    except DomainError as error:
        return Status(refusal_status(error), refusal(error))
    return Status(200, _dispute(dispute))
