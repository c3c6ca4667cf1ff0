"""Writes on internal invoices: drafts, issue, payment, credit notes, disputes.

Each top-level function is one transaction that writes its audit row with its change; the e-mail
that tells the recipient leaves only after commit. Issuing, paying and cancelling post to the
ledger inside that same transaction (`transfers_create_nested`), so the invoice and its transfers
are written together or not at all.

Numbering (French invoicing rules, CGI annex II article 242 nonies A, 7°: a unique number "based on
a continuous chronological sequence"): each issuer, the hub included, has one counter row. Issuing
locks it (`select_for_update`), takes the next number and checks that the issue date is not before
the last one's, so numbers follow the dates; the counter is written in the issuing transaction, so
an issue that fails anywhere gives its number back. The counter never resets: the year in the
number is the issue date's, the sequence runs on across years.

What is posted to which account: see `books`. The content's rules: see `rules`.

Disputes: the recipient contests an issued, unpaid invoice (one open dispute at a time, the database
holds it too); the issuer answers and closes it, or cancels the invoice by a credit note, which
closes it; whoever opened it may withdraw it. A disputed invoice stays owed but clearing runs leave
it out. Each side hears of the other's move by e-mail after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.core.models import User
from cordee.core.money import format_cents
from cordee.invoicing import books
from cordee.invoicing.models import Dispute, Invoice, InvoiceCounter, InvoiceLine
from cordee.invoicing.rules import (
    MAX_NOTES,
    MAX_REASON,
    MAX_SOURCE,
    check_lines,
    check_parties,
    check_text,
    short_date,
)
from cordee.invoicing.totals import LineData, compute_totals, line_totals
from cordee.network.models import Affiliation, Organisation

__all__ = [
    "LineData",
    "check_lines",
    "credit_note_create",
    "invoice_create_issued",
    "invoice_dispute_close",
    "invoice_dispute_open",
    "invoice_draft_create",
    "invoice_draft_update",
    "invoice_issue",
    "invoice_record_payment",
    "open_cents",
]

# --- Drafts -------------------------------------------------------------------------------------


def _write_lines(invoice: Invoice, lines: Sequence[LineData]) -> None:
    invoice.lines.all().delete()
    rows = []
    for position, line in enumerate(lines, start=1):
        amounts = line_totals(line)
        rows.append(
            InvoiceLine(
                invoice=invoice,
                position=position,
                label=line.label.strip(),
                quantity=Decimal(line.quantity),
                unit_price_cents=line.unit_price_cents,
                vat_rate=line.vat_rate,
                vat_exemption=line.vat_exemption if line.vat_rate == 0 else "",
                amount_excl_vat_cents=amounts.excl_vat_cents,
                vat_cents=amounts.vat_cents,
            )
        )
    InvoiceLine.objects.bulk_create(rows)
    totals = compute_totals(lines)
    invoice.total_excl_vat_cents = totals.excl_vat_cents
    invoice.vat_cents = totals.vat_cents
    invoice.total_incl_vat_cents = totals.incl_vat_cents
    invoice.save(update_fields=["total_excl_vat_cents", "vat_cents", "total_incl_vat_cents", "updated_at"])


def _draft_insert(
    *,
    actor: User | None,
    issuer: Organisation | None,
    recipient: Organisation | None,
    lines: Sequence[LineData],
    due_date: dt.date,
    notes: str,
    source: str | None = None,
) -> Invoice:
    check_parties(issuer, recipient)
    check_lines(lines)
    notes = check_text(notes, field="notes", max_length=MAX_NOTES)
    invoice = Invoice.objects.create(
        issuer=issuer,
        recipient=recipient,
        due_date=due_date,
        notes=notes,
        source=source,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _write_lines(invoice, lines)
    return invoice


@transaction.atomic(durable=True)
def invoice_draft_create(
    *,
    actor: User,
    issuer: Organisation | None,
    recipient: Organisation | None,
    lines: Sequence[LineData],
    due_date: dt.date,
    notes: str = "",
) -> Invoice:
    """A draft: no number yet, changeable until issued. `None` as a party means the hub."""
    if not permissions.can_draft_invoice_for(actor, issuer.pk if issuer else None):
        raise NotAllowed(_("You may not draft invoices for this issuer."))
    invoice = _draft_insert(
        actor=actor, issuer=issuer, recipient=recipient, lines=lines, due_date=due_date, notes=notes
    )
    audit(actor=actor, action="invoice.draft_create", target=invoice, total=invoice.total_incl_vat_cents)
    return invoice


def _locked(invoice: Invoice) -> Invoice:
    # Lock the invoice row only: PostgreSQL refuses FOR UPDATE on the nullable side of the outer
    # joins that the optional parties need.
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("issuer", "recipient", "issuer__commune", "recipient__commune")
        .get(pk=invoice.pk)
    )


@transaction.atomic(durable=True)
def invoice_draft_update(
    *,
    actor: User,
    invoice: Invoice,
    recipient: Organisation | None,
    lines: Sequence[LineData],
    due_date: dt.date,
    notes: str = "",
) -> Invoice:
    """Change a draft: its recipient, lines, due date and notes (the issuer stays)."""
    invoice = _locked(invoice)
    if not permissions.can_manage_invoice(actor, invoice):
        raise NotAllowed()
    if not invoice.is_draft:
        raise DomainError(
            _("Invoice %(number)s has been issued: it can no longer be changed, only cancelled by a credit note.")
            % {"number": invoice.number}
        )
    check_parties(invoice.issuer, recipient)
    check_lines(lines)
    invoice.recipient = recipient
    invoice.due_date = due_date
    invoice.notes = check_text(notes, field="notes", max_length=MAX_NOTES)
    invoice.save(update_fields=["recipient", "due_date", "notes", "updated_at"])
    _write_lines(invoice, lines)
    audit(actor=actor, action="invoice.draft_update", target=invoice, total=invoice.total_incl_vat_cents)
    return invoice


# --- Issue ----------------------------------------------------------------------------------


def party_details(organisation: Organisation | None) -> dict[str, str]:
    """What the invoice prints of a party: name, address, SIREN and SIRET."""
    if organisation is None:
        return {
            "name": settings.HUB_NAME,
            # The hub's postal address is not among the settings yet (see docs/invoicing.md).
            "address": getattr(settings, "HUB_ADDRESS", ""),
            "postal_code": "",
            "commune": "",
            "siren": settings.HUB_SIREN,
            "siret": "",
        }
    return {
        "name": organisation.name,
        "address": organisation.address,
        "postal_code": organisation.postal_code or organisation.commune.postal_code,
        "commune": organisation.commune.name,
        "siren": organisation.siren,
        "siret": organisation.siret,
    }


def _next_number(invoice: Invoice, issue_date: dt.date) -> int:
    """Take the issuer's next number, under the lock of its counter row, in the caller's transaction."""
    issuer = invoice.issuer
    try:
        with transaction.atomic():
            counter, _created = InvoiceCounter.objects.get_or_create(issuer=issuer)
    except IntegrityError:  # created by another transaction meanwhile
        counter = InvoiceCounter.objects.get(issuer=issuer)
    counter = InvoiceCounter.objects.select_for_update().get(pk=counter.pk)
    if counter.last_issue_date is not None and issue_date < counter.last_issue_date:
        raise DomainError(
            _(
                "The issue date cannot be before %(date)s, the date of this issuer's last invoice: "
                "invoice numbers follow the dates."
            )
            % {"date": short_date(counter.last_issue_date)},
            field="issue_date",
        )
    counter.last_number += 1
    counter.last_issue_date = issue_date
    counter.save(update_fields=["last_number", "last_issue_date"])
    return counter.last_number


INVOICE_PREFIX = "F"
CREDIT_NOTE_PREFIX = "AV"


def format_number(kind: str, issue_date: dt.date, sequence_number: int) -> str:
    """F-2026-00001 for an invoice, AV-2026-00002 for a credit note: one sequence per issuer."""
    prefix = CREDIT_NOTE_PREFIX if kind == Invoice.Kind.CREDIT_NOTE else INVOICE_PREFIX
    return f"{prefix}-{issue_date.year}-{sequence_number:05d}"


def _issue(invoice: Invoice, issue_date: dt.date) -> None:
    """Number, freeze and post a locked draft, in the caller's transaction."""
    if invoice.total_incl_vat_cents <= 0:
        raise DomainError(
            _("An invoice of %(amount)s cannot be issued: give its lines an amount.")
            % {"amount": format_cents(invoice.total_incl_vat_cents)},
            field="lines",
        )
    if issue_date > timezone.localdate():
        raise DomainError(_("The issue date cannot be in the future."), field="issue_date")
    if invoice.due_date < issue_date:
        raise DomainError(
            _("The due date (%(due)s) cannot be before the issue date (%(issued)s).")
            % {"due": short_date(invoice.due_date), "issued": short_date(issue_date)},
            field="due_date",
        )
    check_parties(invoice.issuer, invoice.recipient)
    invoice.sequence_number = _next_number(invoice, issue_date)
    invoice.number = format_number(invoice.kind, issue_date, invoice.sequence_number)
    invoice.issue_date = issue_date
    invoice.status = Invoice.Status.ISSUED
    invoice.issuer_details = party_details(invoice.issuer)
    invoice.recipient_details = party_details(invoice.recipient)
    invoice.save(
        update_fields=[
            "sequence_number",
            "number",
            "issue_date",
            "status",
            "issuer_details",
            "recipient_details",
            "updated_at",
        ]
    )
    issuer_receivable, _issuer_payable = books.party_accounts(invoice.issuer)
    _recipient_receivable, recipient_payable = books.party_accounts(invoice.recipient)
    if invoice.is_credit_note:
        assert invoice.cancels is not None
        books.post(
            invoice=invoice.cancels,
            event="credit_note",
            debit=recipient_payable,
            credit=issuer_receivable,
            code="invoice.credit_note",
            journal="VT",
            piece=invoice.number,
            label=f"Avoir {invoice.number} annulant {invoice.cancels.number} — {invoice.recipient_details['name']}",
            value_date=issue_date,
            reference=invoice,
        )
    else:
        books.post(
            invoice=invoice,
            event="issue",
            debit=issuer_receivable,
            credit=recipient_payable,
            code="invoice.issue",
            journal="VT",
            piece=invoice.number,
            label=f"Facture {invoice.number} — {invoice.recipient_details['name']}",
            value_date=issue_date,
        )


def _admin_emails(organisation: Organisation | None) -> list[str]:
    """Who hears of an invoice for a party: its member admins (the hub's treasurers)."""
    people = User.objects.filter(is_active=True, erased_at__isnull=True)
    if organisation is None:
        people = people.filter(hub_roles__role="treasurer")
    else:
        people = people.filter(affiliations__organisation=organisation, affiliations__role=Affiliation.Role.ADMIN)
    return sorted(set(people.values_list("email", flat=True)))


def _recipient_emails(invoice: Invoice) -> list[str]:
    return _admin_emails(invoice.recipient)


def _notify_recipient(invoice: Invoice) -> None:
    email_after_commit(
        to=_recipient_emails(invoice),
        template="invoicing/email/invoice_issued",
        context={
            "invoice": invoice,
            "issuer_name": invoice.issuer_details["name"],
            "recipient_name": invoice.recipient_details["name"],
            "total": format_cents(invoice.total_incl_vat_cents),
            "due_date": short_date(invoice.due_date),
            "url": settings.SITE_URL + reverse("invoicing:invoice", args=[invoice.pk]),
        },
    )


@transaction.atomic(durable=True)
def invoice_issue(*, actor: User, invoice: Invoice, issue_date: dt.date | None = None) -> Invoice:
    """Give a draft its number, freeze it and post it to the ledger; tell the recipient."""
    invoice = _locked(invoice)
    if not permissions.can_manage_invoice(actor, invoice):
        raise NotAllowed()
    if not invoice.is_draft:
        raise DomainError(
            _("Only a draft can be issued: %(number)s has already been issued.") % {"number": invoice.number}
        )
    _issue(invoice, issue_date or timezone.localdate())
    audit(actor=actor, action="invoice.issue", target=invoice, number=invoice.number)
    _notify_recipient(invoice)
    return invoice


def invoice_create_issued(
    *,
    issuer: Organisation | None,
    recipient: Organisation | None,
    lines: Sequence[LineData],
    issue_date: dt.date,
    due_date: dt.date,
    source: str,
    notes: str = "",
    notify: bool = True,
) -> Invoice:
    """Create and issue an invoice in one go, for another app's job (no person acting): e.g. the
    monthly invoicing of premises bookings. `source` names what is invoiced; a second call with the
    same source returns the invoice of the first, unchanged, whatever lines it is given.

    It runs in the caller's transaction if there is one (so the caller can mark what it invoiced
    in the same commit), or in its own. Refusals raise `DomainError` and write nothing.
    """
    source = source.strip()
    if not source:
        raise DomainError(_("The source of an automatic invoice is required."), field="source")
    if len(source) > MAX_SOURCE:
        raise DomainError(_("At most %(max)s characters.") % {"max": MAX_SOURCE}, field="source")
    existing = _by_source(source, issuer=issuer, recipient=recipient)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            invoice = _draft_insert(
                actor=None,
                issuer=issuer,
                recipient=recipient,
                lines=lines,
                due_date=due_date,
                notes=notes,
                source=source,
            )
            invoice = _locked(invoice)
            _issue(invoice, issue_date)
            audit(actor=None, action="invoice.issue", target=invoice, number=invoice.number, source=source)
            if notify:  # the demo loader's invoices e-mail nobody
                _notify_recipient(invoice)
            return invoice
    except IntegrityError:
        # The same source issued by another process meanwhile: its invoice is the answer.
        existing = _by_source(source, issuer=issuer, recipient=recipient)
        if existing is None:
            raise
        return existing


def _by_source(source: str, *, issuer: Organisation | None, recipient: Organisation | None) -> Invoice | None:
    existing = Invoice.objects.filter(source=source).first()
    if existing is None:
        return None
    if (existing.issuer_id, existing.recipient_id) != (
        issuer.pk if issuer else None,
        recipient.pk if recipient else None,
    ):
        raise DomainError(
            _("The source %(source)s was already invoiced, as %(number)s, between other parties.")
            % {"source": source, "number": existing.number},
            field="source",
        )
    return existing


# --- Payment and credit notes ----------------------------------------------------------------


@transaction.atomic(durable=True)
def invoice_record_payment(*, actor: User, invoice: Invoice, paid_on: dt.date) -> Invoice:
    """Record that the recipient paid the invoice, or what a set-off left of it; posts the payment."""
    invoice = _locked(invoice)
    if not permissions.can_record_invoice_payment(actor, invoice):
        raise NotAllowed()
    _check_payable(invoice)
    assert invoice.issue_date is not None
    if paid_on < invoice.issue_date:
        raise DomainError(
            _("The payment date cannot be before the issue date (%(date)s).")
            % {"date": short_date(invoice.issue_date)},
            field="paid_on",
        )
    if paid_on > timezone.localdate():
        raise DomainError(_("The payment date cannot be in the future."), field="paid_on")
    invoice.status = Invoice.Status.PAID
    invoice.paid_on = paid_on
    invoice.save(update_fields=["status", "paid_on", "updated_at"])
    issuer_receivable, _issuer_payable = books.party_accounts(invoice.issuer)
    _recipient_receivable, recipient_payable = books.party_accounts(invoice.recipient)
    books.post(
        invoice=invoice,
        event="payment",
        debit=recipient_payable,
        credit=issuer_receivable,
        code="invoice.payment",
        journal="BQ",
        piece=invoice.number,
        label=f"Règlement de la facture {invoice.number} — {invoice.recipient_details['name']}",
        value_date=paid_on,
        amount=open_cents(invoice),
    )
    audit(actor=actor, action="invoice.payment", target=invoice, paid_on=paid_on.isoformat())
    return invoice


def open_cents(invoice: Invoice) -> int:
    """What is still owed on an issued invoice: its total less what set-offs settled of it."""
    settled = invoice.settlements.aggregate(total=Sum("amount_cents"))["total"] or 0
    return invoice.total_incl_vat_cents - settled


def _check_payable(invoice: Invoice) -> None:
    if invoice.is_credit_note:
        raise DomainError(_("A credit note is not paid: it cancels an invoice."))
    if invoice.status == Invoice.Status.DRAFT:
        raise DomainError(_("A draft cannot be paid: issue it first."))
    if invoice.status == Invoice.Status.PAID:
        assert invoice.paid_on is not None
        raise DomainError(
            _("Invoice %(number)s was already paid on %(date)s.")
            % {"number": invoice.number, "date": short_date(invoice.paid_on)}
        )
    if invoice.status == Invoice.Status.CANCELLED:
        raise DomainError(
            _("Invoice %(number)s has been cancelled by a credit note: there is nothing to pay.")
            % {"number": invoice.number}
        )


def _check_cancellable(invoice: Invoice) -> None:
    if invoice.is_credit_note:
        raise DomainError(_("A credit note cannot itself be cancelled."))
    if invoice.status == Invoice.Status.DRAFT:
        raise DomainError(_("A draft has no number yet: change it instead of cancelling it."))
    if invoice.status == Invoice.Status.ISSUED and invoice.settlements.exists():
        raise DomainError(
            _(
                "Invoice %(number)s has been settled in part by a multilateral set-off: it cannot be cancelled "
                "whole by a credit note. Settle the difference between the two organisations directly."
            )
            % {"number": invoice.number}
        )
    if invoice.status == Invoice.Status.PAID:
        raise DomainError(
            _(
                "Invoice %(number)s has been paid: it cannot be cancelled by a credit note. "
                "Settle any refund between the two organisations directly."
            )
            % {"number": invoice.number}
        )
    if invoice.status == Invoice.Status.CANCELLED:
        raise DomainError(
            _("Invoice %(number)s has already been cancelled by credit note %(credit_note)s.")
            % {"number": invoice.number, "credit_note": invoice.credit_note.number}
        )


@transaction.atomic(durable=True)
def credit_note_create(*, actor: User, invoice: Invoice, reason: str, issue_date: dt.date | None = None) -> Invoice:
    """Cancel an issued, unpaid invoice whole: a credit note with the same lines, numbered in the
    issuer's sequence, posted as the reverse of the invoice. Returns the credit note."""
    invoice = _locked(invoice)
    if not permissions.can_manage_invoice(actor, invoice):
        raise NotAllowed()
    _check_cancellable(invoice)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the credit note: it is printed on it."), field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(_("At most %(max)s characters.") % {"max": MAX_REASON}, field="reason")
    issue_date = issue_date or timezone.localdate()
    assert invoice.issue_date is not None
    if issue_date < invoice.issue_date:
        raise DomainError(
            _("A credit note cannot be dated before the invoice it cancels (%(date)s).")
            % {"date": short_date(invoice.issue_date)},
            field="issue_date",
        )
    credit_note = Invoice.objects.create(
        kind=Invoice.Kind.CREDIT_NOTE,
        issuer=invoice.issuer,
        recipient=invoice.recipient,
        due_date=max(invoice.due_date, issue_date),
        cancels=invoice,
        reason=reason,
        notes=invoice.notes,
        created_by=actor,
    )
    _write_lines(credit_note, [_as_line_data(line) for line in invoice.lines.all()])
    credit_note = _locked(credit_note)
    _issue(credit_note, issue_date)
    invoice.status = Invoice.Status.CANCELLED
    invoice.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="invoice.credit_note", target=invoice, credit_note=credit_note.number, reason=reason)
    _close_dispute_by_credit_note(actor=actor, invoice=invoice, credit_note=credit_note)
    _notify_recipient(credit_note)
    return credit_note


def _as_line_data(line: InvoiceLine) -> LineData:
    return LineData(
        label=line.label,
        quantity=line.quantity,
        unit_price_cents=line.unit_price_cents,
        vat_rate=line.vat_rate,
        vat_exemption=line.vat_exemption,
    )


def lines_of(invoice: Invoice) -> list[LineData]:
    """The invoice's lines as the services take them (to fill a form with a draft's lines)."""
    return [_as_line_data(line) for line in invoice.lines.all()]


def describe(invoice: Invoice) -> dict[str, Any]:
    """The parties as the invoice prints them: frozen at issue, live on a draft."""
    if invoice.is_draft:
        return {"issuer": party_details(invoice.issuer), "recipient": party_details(invoice.recipient)}
    return {"issuer": invoice.issuer_details, "recipient": invoice.recipient_details}


# --- Disputes -----------------------------------------------------------------------------------

MAX_DISPUTE_TEXT = 1000


def _open_dispute(invoice: Invoice, *, lock: bool = False) -> Dispute | None:
    disputes = invoice.disputes.filter(closed_at__isnull=True)
    if lock:
        disputes = disputes.select_for_update(of=("self",))
    return disputes.first()


def _check_disputable(invoice: Invoice) -> None:
    if invoice.is_credit_note:
        raise DomainError(
            _("A credit note cannot be contested: contest the invoice it cancels."), code="not_disputable"
        )
    if invoice.status == Invoice.Status.DRAFT:
        raise DomainError(_("A draft cannot be contested: it has not been issued."), code="not_disputable")
    if invoice.status == Invoice.Status.PAID:
        assert invoice.paid_on is not None
        raise DomainError(
            _("Invoice %(number)s was paid on %(date)s: it can no longer be contested.")
            % {"number": invoice.number, "date": short_date(invoice.paid_on)},
            code="not_disputable",
        )
    if invoice.status == Invoice.Status.CANCELLED:
        raise DomainError(
            _("Invoice %(number)s has been cancelled by a credit note: there is nothing left to contest.")
            % {"number": invoice.number},
            code="not_disputable",
        )


def _dispute_text(value: str, *, field: str, required_message: str, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise DomainError(required_message, field=field, code="required")
    if len(value) > MAX_DISPUTE_TEXT:
        raise DomainError(_("At most %(max)s characters.") % {"max": MAX_DISPUTE_TEXT}, field=field, code="max_length")
    return value


def _dispute_context(dispute: Dispute) -> dict[str, Any]:
    invoice = dispute.invoice
    return {
        "invoice": invoice,
        "dispute": dispute,
        "issuer_name": invoice.issuer_details["name"],
        "recipient_name": invoice.recipient_details["name"],
        "total": format_cents(invoice.total_incl_vat_cents),
        "opened_by": dispute.opened_by.full_name,
        "closed_by": dispute.closed_by.full_name if dispute.closed_by else "",
        "url": settings.SITE_URL + reverse("invoicing:invoice", args=[invoice.pk]),
    }


@transaction.atomic(durable=True)
def invoice_dispute_open(*, actor: User, invoice: Invoice, reason: str) -> Dispute:
    """Contest an issued, unpaid invoice, saying why: the issuer's member admins are told, and
    clearing runs leave the invoice out until the dispute is closed."""
    invoice = _locked(invoice)
    if not permissions.can_dispute_invoice(actor, invoice):
        raise NotAllowed(_("You may not contest this invoice."))
    _check_disputable(invoice)
    existing = _open_dispute(invoice)
    if existing is not None:
        raise DomainError(
            _("Invoice %(number)s has been contested since %(date)s: wait for the answer, or withdraw that dispute.")
            % {"number": invoice.number, "date": short_date(timezone.localdate(existing.opened_at))},
            code="already_disputed",
        )
    reason = _dispute_text(
        reason,
        field="reason",
        required_message=_("Say why you contest the invoice: the issuer must be able to answer."),
    )
    dispute = Dispute.objects.create(invoice=invoice, reason=reason, opened_by=actor)
    audit(actor=actor, action="invoice.dispute_open", target=invoice, dispute=dispute.pk, reason=reason)
    email_after_commit(
        to=_admin_emails(invoice.issuer), template="invoicing/email/dispute_opened", context=_dispute_context(dispute)
    )
    return dispute


@transaction.atomic(durable=True)
def invoice_dispute_close(*, actor: User, dispute: Dispute, answer: str = "") -> Dispute:
    """Close an open dispute: the issuer's side (or the hub's staff) answers it, or whoever opened it
    withdraws it (no answer needed). The other side is told."""
    invoice = _locked(dispute.invoice)
    dispute = Dispute.objects.select_for_update(of=("self",)).select_related("opened_by").get(pk=dispute.pk)
    dispute.invoice = invoice
    if not permissions.can_close_dispute(actor, dispute):
        raise NotAllowed(_("You may not close this dispute."))
    if not dispute.is_open:
        assert dispute.closed_at is not None
        raise DomainError(
            _("This dispute was already closed on %(date)s.")
            % {"date": short_date(timezone.localdate(dispute.closed_at))},
            code="closed",
        )
    withdrawn = dispute.opened_by_id == actor.pk
    answer = _dispute_text(
        answer,
        field="answer",
        required=not withdrawn,
        required_message=_("Give your answer to the dispute: the recipient reads it."),
    )
    dispute.closed_at = timezone.now()
    dispute.closed_by = actor
    dispute.answer = answer
    dispute.save(update_fields=["closed_at", "closed_by", "answer"])
    audit(
        actor=actor,
        action="invoice.dispute_close",
        target=invoice,
        dispute=dispute.pk,
        answer=answer,
        withdrawn=withdrawn,
    )
    # The other side: the issuer hears of a withdrawal; the recipient (and whoever opened it) of an answer.
    if withdrawn:
        to = _admin_emails(invoice.issuer)
    else:
        opener = dispute.opened_by
        still_here = [opener.email] if opener.is_active and opener.erased_at is None else []
        to = sorted({*_admin_emails(invoice.recipient), *still_here})
    email_after_commit(
        to=to,
        template="invoicing/email/dispute_closed",
        context={**_dispute_context(dispute), "withdrawn": withdrawn},
    )
    return dispute


def _close_dispute_by_credit_note(*, actor: User, invoice: Invoice, credit_note: Invoice) -> None:
    """A credit note settles the dispute it answers: close it, in the credit note's transaction (the
    credit note's own e-mail tells the recipient)."""
    dispute = _open_dispute(invoice, lock=True)
    if dispute is None:
        return
    dispute.closed_at = timezone.now()
    dispute.closed_by = actor
    dispute.answer = _("Cancelled by credit note %(number)s.") % {"number": credit_note.number}
    dispute.save(update_fields=["closed_at", "closed_by", "answer"])
    audit(
        actor=actor,
        action="invoice.dispute_close",
        target=invoice,
        dispute=dispute.pk,
        answer=dispute.answer,
        credit_note=credit_note.number,
    )
