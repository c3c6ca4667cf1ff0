"""Internal invoices between the hub's member organisations, and the hub itself.

An invoice is drafted, then issued: issuing gives it the next number of its issuer's one
continuous sequence (French invoicing rules: numbers follow each other without a gap, in the order
of the issue dates) and posts it to the ledger. From then on it is never edited: it is paid, or
cancelled whole by a credit note, which is numbered in the same sequence.

The hub itself is a party like the members: a NULL issuer or recipient means the hub.

The database holds what it can: check constraints tie status, number and dates together, a unique
index keeps one number per issuer, and triggers (migration 0002) refuse any change to an issued
invoice or its lines beyond its payment or cancellation, and any counter move but +1.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Organisation

# The VAT rates of metropolitan France, in basis points (2000 = 20 %), CGI articles 278 to 281.
VAT_RATES = (2000, 1000, 550, 210, 0)


class Exemption(models.TextChoices):
    """Why a line carries no VAT. The label is the mention printed on the invoice, word for word as
    the tax code reads: it is not translated (CGI annex II, article 242 nonies A, 9°)."""

    FRANCHISE = "293B", "TVA non applicable, art. 293 B du CGI"
    NON_PROFIT = "261-7-1", "Exonération de TVA, art. 261-7-1° du CGI"
    COST_SHARING = "261B", "Exonération de TVA, art. 261 B du CGI"
    TRAINING = "261-4-4", "Exonération de TVA, art. 261-4-4° a du CGI"


class InvoiceCounter(models.Model):
    """The last number given by one issuer (NULL: the hub). Locked while an invoice is issued, so
    numbers are given one at a time, and rolled back with the issue if it fails: no gap."""

    issuer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issuer")
    )
    last_number = models.PositiveIntegerField(_("last number"), default=0)
    last_issue_date = models.DateField(_("issue date of the last number"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")
        constraints = [
            # One counter per issuer, the hub included: NULLs are distinct in a plain unique index.
            models.UniqueConstraint(
                Coalesce("issuer", Value(0), output_field=models.BigIntegerField()),
                name="invoicing_counter_one_per_issuer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer or settings.HUB_NAME}: {self.last_number}"


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("invoice")
        CREDIT_NOTE = "credit_note", _("credit note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled by a credit note")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    issuer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices_issued",
        verbose_name=_("issuer"),
        help_text=_("Empty: the hub"),
    )
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices_received",
        verbose_name=_("recipient"),
        help_text=_("Empty: the hub"),
    )
    sequence_number = models.PositiveIntegerField(_("sequence number"), null=True, blank=True, editable=False)
    number = models.CharField(_("number"), max_length=24, blank=True, editable=False)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=1000)
    cancels = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
        verbose_name=_("cancels"),
    )
    reason = models.CharField(_("reason of the credit note"), max_length=500, blank=True)
    # Who issued it automatically and from what (e.g. "bookings:2026-03:owner=4:org=7"): issuing
    # twice from the same source gives back the first invoice.
    source = models.CharField(_("source"), max_length=120, null=True, blank=True, unique=True)
    # The parties' names, addresses and identifiers as they were on the issue date: the invoice
    # must keep saying what it said when it was sent.
    issuer_details = models.JSONField(_("issuer details"), default=dict, blank=True)
    recipient_details = models.JSONField(_("recipient details"), default=dict, blank=True)
    # Computed by `totals.compute_totals` from the lines, stored for the lists' sums.
    total_excl_vat_cents = models.BigIntegerField(_("total excluding VAT (cents)"), default=0)
    vat_cents = models.BigIntegerField(_("VAT (cents)"), default=0)
    total_incl_vat_cents = models.BigIntegerField(_("total including VAT (cents)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["invoice", "credit_note"]), name="invoicing_invoice_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "issued", "paid", "cancelled"]), name="invoicing_invoice_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(issuer__isnull=True, recipient__isnull=True) & ~Q(issuer=F("recipient")),
                name="invoicing_invoice_parties_differ",
            ),
            # Drafts have no number; everything else has its number and issue date.
            models.CheckConstraint(
                condition=Q(status="draft", sequence_number__isnull=True, number="", issue_date__isnull=True)
                | (~Q(status="draft") & Q(sequence_number__isnull=False, issue_date__isnull=False) & ~Q(number="")),
                name="invoicing_invoice_numbered_when_issued",
            ),
            models.CheckConstraint(
                condition=Q(status="paid", paid_on__isnull=False) | (~Q(status="paid") & Q(paid_on__isnull=True)),
                name="invoicing_invoice_paid_on_when_paid",
            ),
            # A credit note cancels one invoice, is never paid nor cancelled itself.
            models.CheckConstraint(
                condition=Q(kind="invoice", cancels__isnull=True)
                | Q(kind="credit_note", cancels__isnull=False, status__in=["draft", "issued"]),
                name="invoicing_invoice_credit_note_cancels_one",
            ),
            models.CheckConstraint(
                condition=Q(issue_date__isnull=True) | Q(due_date__gte=F("issue_date")),
                name="invoicing_invoice_due_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("issue_date")),
                name="invoicing_invoice_paid_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(total_excl_vat_cents__gte=0, vat_cents__gte=0)
                & Q(total_incl_vat_cents=F("total_excl_vat_cents") + F("vat_cents")),
                name="invoicing_invoice_totals_add_up",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(total_incl_vat_cents__gt=0), name="invoicing_invoice_issued_not_zero"
            ),
            models.UniqueConstraint(
                Coalesce("issuer", Value(0), output_field=models.BigIntegerField()),
                F("sequence_number"),
                name="invoicing_invoice_number_unique_per_issuer",
            ),
        ]
        indexes = [
            models.Index(fields=["issuer", "status"], name="invoicing_issuer_status"),
            models.Index(fields=["recipient", "status"], name="invoicing_recipient_status"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft #%(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("invoicing:invoice", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    @property
    def issuer_name(self) -> str:
        """As printed: the name on the issue date, or today's on a draft."""
        return self.issuer_details.get("name") or (self.issuer.name if self.issuer else settings.HUB_NAME)

    @property
    def recipient_name(self) -> str:
        return self.recipient_details.get("name") or (self.recipient.name if self.recipient else settings.HUB_NAME)

    @property
    def is_outstanding(self) -> bool:
        """Issued and neither paid nor cancelled: an amount still owed."""
        return self.kind == self.Kind.INVOICE and self.status == self.Status.ISSUED


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice"))
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price_cents = models.BigIntegerField(_("unit price excluding VAT (cents)"))
    vat_rate = models.PositiveSmallIntegerField(_("VAT rate (basis points)"))
    vat_exemption = models.CharField(_("VAT exemption"), max_length=10, choices=Exemption.choices, blank=True)
    amount_excl_vat_cents = models.BigIntegerField(_("amount excluding VAT (cents)"))
    vat_cents = models.BigIntegerField(_("VAT (cents)"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoicing_line_position_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="invoicing_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price_cents__gte=0), name="invoicing_line_unit_price_not_negative"),
            models.CheckConstraint(condition=Q(vat_rate__in=VAT_RATES), name="invoicing_line_vat_rate_valid"),
            # A line without VAT says why; a line with VAT has no exemption mention.
            models.CheckConstraint(
                condition=Q(vat_rate=0, vat_exemption__in=Exemption.values) | (~Q(vat_rate=0) & Q(vat_exemption="")),
                name="invoicing_line_exemption_iff_no_vat",
            ),
            models.CheckConstraint(
                condition=Q(amount_excl_vat_cents__gte=0, vat_cents__gte=0), name="invoicing_line_amounts_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} #{self.position} {self.label}"


class Settlement(models.Model):
    """Part of an issued invoice settled otherwise than by its final payment: today, by a clearing run
    (multilateral set-off). Never changed nor deleted. What is still open on an invoice is its total
    less its settlements; the payment that closes it pays only that."""

    class Kind(models.TextChoices):
        CLEARING = "clearing", _("multilateral set-off")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="settlements", verbose_name=_("invoice")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    settled_on = models.DateField(_("settled on"))
    # What settled it, e.g. "clearing:12".
    reference = models.CharField(_("reference"), max_length=40)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partial settlement")
        verbose_name_plural = _("partial settlements")
        ordering = ["invoice", "settled_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="invoicing_settlement_positive"),
            models.CheckConstraint(condition=Q(kind__in=["clearing"]), name="invoicing_settlement_kind_valid"),
            models.UniqueConstraint(fields=["invoice", "reference"], name="invoicing_settlement_once_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.reference} {self.amount_cents}"


class Dispute(models.Model):
    """The recipient contests an issued invoice (wrong amount, service not rendered...). While a
    dispute is open the invoice stays owed but is kept out of clearing runs; the issuer settles it
    by a credit note or closes the dispute with an answer."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("invoice"))
    reason = models.TextField(_("reason"), max_length=1000)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    answer = models.TextField(_("answer"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(closed_at__isnull=True), name="invoicing_dispute_one_open"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="invoicing_dispute_closed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice}: {self.reason[:40]}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
