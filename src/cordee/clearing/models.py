"""Multilateral clearing (*compensation multilatérale*) of the internal invoices between members.

A member takes part once it has signed the hub's set-off agreement (`Consent`, dated; withdrawn
later, it stops taking part from that day). A `Run` reads the issued, unpaid, undisputed internal
invoices between consenting parties (the hub, which organises the clearing, always takes part),
solves the largest set-off (`cordee.lib.clearing`), and stores the proposal: the amount cleared on
each invoice (`Allocation`, oldest due first) and each party's position before and after
(`Position`). Executing it posts the set-off to the ledger and settles the invoices; a proposal
whose invoices changed meanwhile is refused and computed again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordee.invoicing.models import Invoice
from cordee.network.models import Organisation

# The version of the set-off agreement a consent accepts; docs/clearing.md prints its text.
AGREEMENT_VERSION = "2026-1"


class Consent(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="setoff_consents", verbose_name=_("organisation")
    )
    agreement_version = models.CharField(_("agreement version"), max_length=20, default=AGREEMENT_VERSION)
    signed_on = models.DateField(_("signed on"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    signatory = models.CharField(_("signatory"), max_length=200, help_text=_("Name and capacity of who signed"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("set-off consent")
        verbose_name_plural = _("set-off consents")
        ordering = ["organisation", "-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(withdrawn_on__isnull=True), name="clearing_consent_one_in_force"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False, withdrawn_on__gte=models.F("signed_on")),
                name="clearing_consent_withdrawal_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.signed_on}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


class Run(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("clearing run", "proposed")
        EXECUTED = "executed", pgettext_lazy("clearing run", "executed")
        SUPERSEDED = "superseded", pgettext_lazy("clearing run", "superseded")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    as_of = models.DateField(_("invoices issued up to"))
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("computed by")
    )
    # What the proposal was computed on: the highest invoice id then, and a digest of every open
    # invoice it read (id, amount open); executing checks both again.
    last_invoice_id = models.BigIntegerField(default=0, editable=False)
    fingerprint = models.CharField(max_length=64, editable=False)
    invoice_count = models.PositiveIntegerField(_("open invoices"), default=0)
    party_count = models.PositiveIntegerField(_("parties"), default=0)
    debt_cents = models.BigIntegerField(_("open debt (cents)"), default=0)
    cleared_cents = models.BigIntegerField(_("debt cleared (cents)"), default=0)
    cleared_invoice_count = models.PositiveIntegerField(_("invoices cleared, whole or in part"), default=0)
    solve_ms = models.PositiveIntegerField(_("solver time (ms)"), default=0)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    executed_on = models.DateField(_("value date"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("executed by"),
    )

    class Meta:
        verbose_name = _("clearing run")
        verbose_name_plural = _("clearing runs")
        ordering = ["-computed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "executed", "superseded"]), name="clearing_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(cleared_cents__gte=0, cleared_cents__lte=models.F("debt_cents")),
                name="clearing_run_cleared_within_debt",
            ),
            models.CheckConstraint(
                condition=Q(status="executed", executed_at__isnull=False, executed_on__isnull=False)
                | (~Q(status="executed") & Q(executed_at__isnull=True, executed_on__isnull=True)),
                name="clearing_run_executed_dated",
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="proposed"), name="clearing_run_one_proposal"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("clearing:run", args=[self.pk])

    @property
    def cleared_share(self) -> float:
        """For display only (a percentage); the figures themselves stay in cents."""
        return self.cleared_cents / self.debt_cents if self.debt_cents else 0.0


class Allocation(models.Model):
    """The part of one invoice a run clears."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("run"))
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+", verbose_name=_("invoice"))
    debtor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("debtor")
    )
    creditor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("creditor")
    )
    open_cents = models.BigIntegerField(_("open before (cents)"))
    amount_cents = models.BigIntegerField(_("cleared (cents)"))

    class Meta:
        verbose_name = _("cleared invoice")
        verbose_name_plural = _("cleared invoices")
        ordering = ["run", "invoice__due_date", "invoice_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "invoice"], name="clearing_allocation_once_per_run"),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0, amount_cents__lte=models.F("open_cents")),
                name="clearing_allocation_within_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.invoice} {self.amount_cents}"

    @property
    def settles_whole(self) -> bool:
        return self.amount_cents == self.open_cents


class Position(models.Model):
    """One party's position in a run (organisation NULL: the hub). It owes and is owed less by the
    same amount: its net position does not move."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="positions", verbose_name=_("run"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("organisation")
    )
    owes_cents = models.BigIntegerField(_("owes before (cents)"))
    owed_cents = models.BigIntegerField(_("is owed before (cents)"))
    cleared_cents = models.BigIntegerField(_("cleared each way (cents)"))

    class Meta:
        verbose_name = pgettext_lazy("clearing", "position")
        verbose_name_plural = pgettext_lazy("clearing", "positions")
        ordering = ["run", "-cleared_cents", "organisation_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cleared_cents__gte=0)
                & Q(cleared_cents__lte=models.F("owes_cents"))
                & Q(cleared_cents__lte=models.F("owed_cents")),
                name="clearing_position_cleared_within",
            ),
            models.UniqueConstraint(
                "run",
                Coalesce("organisation", Value(0), output_field=models.BigIntegerField()),
                name="clearing_position_once_per_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.organisation or 'hub'}"

    @property
    def owes_after_cents(self) -> int:
        return self.owes_cents - self.cleared_cents

    @property
    def owed_after_cents(self) -> int:
        return self.owed_cents - self.cleared_cents

    @property
    def net_cents(self) -> int:
        return self.owed_cents - self.owes_cents
