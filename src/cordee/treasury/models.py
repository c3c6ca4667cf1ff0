"""The solidarity treasury: members' deposits into the pool, advances from it, their schedules,
repayments, arrears and provisions, and each member's cash-flow plan.

Every movement of money is a ledger transfer (see `cordee.treasury.books`); the rows here say why
the money moved and what is expected next. Nothing here holds a balance that the ledger holds:
the outstanding of an advance is the balance of its ledger account minus nothing, and a correction
is a new row and a new transfer, never an edit.

A schedule is never rewritten: a prepayment or a rescheduling adds a new version that takes over
from its `effective_from` date, and the old one is kept (Fineract's users' worst bugs came from
recomputing schedules in place).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Organisation


class Regime(models.TextChoices):
    NONPROFIT = "nonprofit", _("Loans between non-profit organisations with close ties (CMF L511-6 1° bis)")
    FEDERATION = "federation", _("Loans from a union or federation to its members (CMF L511-6 1° ter)")
    HUB_FUND = "hub_fund", _("Hub fund: the hub lends its own funds")


class RepaymentMode(models.TextChoices):
    BULLET = "bullet", _("In one payment (when the subsidy arrives)")
    ANNUITY = "annuity", _("Equal instalments")
    LINEAR = "linear", _("Equal principal")


class TreasurySettings(models.Model):
    """The hub's treasury settings: one row (pk 1), created with defaults on first read."""

    regime = models.CharField(_("legal regime"), max_length=12, choices=Regime.choices, default=Regime.NONPROFIT)
    rate_cap_bps = models.PositiveIntegerField(
        _("rate cap (basis points)"), default=0, help_text=_("The published TMO, in hundredths of a percent.")
    )
    rate_cap_source = models.CharField(_("source of the rate cap"), max_length=200, blank=True)
    default_rate_bps = models.PositiveIntegerField(_("default rate (basis points)"), default=0)
    liquidity_reserve_percent = models.PositiveSmallIntegerField(
        _("liquidity reserve (percentage of the deposits)"), default=20
    )
    liquidity_reserve_min_cents = models.BigIntegerField(_("minimum liquidity reserve (cents)"), default=0)
    member_exposure_cap_cents = models.BigIntegerField(_("cap of one member's exposure (cents)"), default=3_000_000)
    concentration_cap_percent = models.PositiveSmallIntegerField(
        _("cap of one member's share of the advances (%)"), default=25
    )
    min_membership_days = models.PositiveIntegerField(_("minimum membership before an advance (days)"), default=180)
    approval_validity_days = models.PositiveIntegerField(_("an approval lapses after (days)"), default=60)
    reminder_days = models.CharField(
        _("reminders (days past due, comma separated)"), max_length=60, default="5,15,30,60,90"
    )
    provision_percent_1_30 = models.PositiveSmallIntegerField(_("provision 1–30 days (%)"), default=0)
    provision_percent_31_60 = models.PositiveSmallIntegerField(_("provision 31–60 days (%)"), default=20)
    provision_percent_61_90 = models.PositiveSmallIntegerField(_("provision 61–90 days (%)"), default=50)
    provision_percent_over_90 = models.PositiveSmallIntegerField(_("provision over 90 days (%)"), default=100)
    committee = models.ForeignKey(
        "governance.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("credit committee"),
    )
    account_holder = models.CharField(_("holder of the pool's bank account"), max_length=70, blank=True)
    iban = models.CharField(_("IBAN of the pool"), max_length=34, blank=True)
    bic = models.CharField(_("BIC of the pool"), max_length=11, blank=True)
    creditor_identifier = models.CharField(_("SEPA creditor identifier (ICS)"), max_length=35, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("treasury settings")
        verbose_name_plural = _("treasury settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="treasury_settings_single_row"),
            models.CheckConstraint(
                condition=Q(liquidity_reserve_percent__lte=100)
                & Q(concentration_cap_percent__lte=100)
                & Q(provision_percent_1_30__lte=100)
                & Q(provision_percent_31_60__lte=100)
                & Q(provision_percent_61_90__lte=100)
                & Q(provision_percent_over_90__lte=100),
                name="treasury_settings_percentages",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Treasury settings"))

    @classmethod
    def current(cls) -> TreasurySettings:
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    @property
    def reminder_steps(self) -> list[int]:
        return sorted({int(part) for part in self.reminder_days.split(",") if part.strip().isdigit()})


class CashDeclaration(models.Model):
    """A lender's net available cash at the start of a year, as it declares it: under the
    non-profit regime, what it lends in that year is capped at half of it (CMF L511-6 1° bis)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cash_declarations", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    net_available_cash_cents = models.BigIntegerField(_("net available cash on 1 January (cents)"))
    declared_on = models.DateField(_("declared on"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("cash declaration")
        verbose_name_plural = _("cash declarations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="treasury_one_declaration_per_year"),
            models.CheckConstraint(
                condition=Q(net_available_cash_cents__gte=0), name="treasury_declared_cash_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year}"


class BankDetails(models.Model):
    """Where the pool pays a member (disbursements, withdrawals)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="bank_details", verbose_name=_("organisation")
    )
    holder = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bank details")
        verbose_name_plural = _("bank details")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.iban}"


class Mandate(models.Model):
    """A SEPA direct-debit mandate (CORE) a member signed for its repayments."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("organisation")
    )
    reference = models.CharField(_("mandate reference (RUM)"), max_length=35, unique=True)
    signed_on = models.DateField(_("signed on"))
    holder = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    first_collected_on = models.DateField(_("first collected on"), null=True, blank=True)

    class Meta:
        verbose_name = _("direct-debit mandate")
        verbose_name_plural = _("direct-debit mandates")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return self.reference


class Deposit(models.Model):
    """Cash a member lends to the pool (*apport en trésorerie*), or an *apport avec droit de
    reprise*, which the hub keeps in a separate register."""

    class Kind(models.TextChoices):
        LOAN = "loan", _("Cash deposit (apport en trésorerie)")
        RETURNABLE = "returnable", _("Contribution with a right of return (apport avec droit de reprise)")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        CLOSED = "closed", _("Repaid")
        CANCELLED = "cancelled", _("Cancelled")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="deposits", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LOAN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    # Either a fixed term, or a notice to give before a withdrawal.
    term_date = models.DateField(_("term"), null=True, blank=True)
    notice_days = models.PositiveIntegerField(_("notice (days)"), null=True, blank=True)
    rate_bps = models.PositiveIntegerField(_("rate (basis points)"), default=0)
    board_approved_on = models.DateField(_("approved by the lender's board on"), null=True, blank=True)
    board_minute = models.FileField(_("board minute"), upload_to="treasury/deposits/", blank=True)
    attestation = models.FileField(
        _("attestation by the auditor or chartered accountant"), upload_to="treasury/deposits/", blank=True
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="treasury_deposit_amount_positive"),
            models.CheckConstraint(
                condition=Q(term_date__isnull=True) | Q(notice_days__isnull=True),
                name="treasury_deposit_term_or_notice",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "cancelled"]) | Q(received_on__isnull=False),
                name="treasury_deposit_confirmed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("treasury:deposit", args=[self.pk])


class Withdrawal(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PAID = "paid", _("Paid")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="withdrawals")
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField(_("requested on"))
    payable_on = models.DateField(_("payable from"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    transfer_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="treasury_withdrawal_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.deposit} — {self.amount_cents}"


class Advance(models.Model):
    """A short loan from the pool to a member (*avance remboursable*)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        EXPIRED = "expired", _("Approval lapsed")
        CANCELLED = "cancelled", _("Withdrawn by the member")
        DISBURSED = "disbursed", _("Disbursed")
        REPAID = "repaid", _("Repaid")
        WRITTEN_OFF = "written_off", _("Written off")

    class Source(models.TextChoices):
        SUBSIDY = "subsidy", _("A subsidy granted")
        SALES = "sales", _("Sales or services")
        OTHER = "other", _("Other")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advances", verbose_name=_("organisation")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    amount_requested_cents = models.BigIntegerField(_("amount requested (cents)"))
    purpose = models.TextField(_("purpose"))
    source = models.CharField(_("source of repayment"), max_length=10, choices=Source.choices)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    notified_amount_cents = models.BigIntegerField(_("amount notified (cents)"), null=True, blank=True)
    funder_decision_on = models.DateField(_("date of the funder's decision"), null=True, blank=True)
    expected_payment_on = models.DateField(_("expected payment date"), null=True, blank=True)
    notification = models.FileField(_("notification of the subsidy"), upload_to="treasury/advances/", blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    mode = models.CharField(_("repayment"), max_length=10, choices=RepaymentMode.choices)
    grace_months = models.PositiveSmallIntegerField(_("principal grace (months)"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decision = models.OneToOneField(
        "governance.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advance",
        verbose_name=_("committee decision"),
    )
    # Set by the decision: it may grant less, at the rate it chooses.
    amount_cents = models.BigIntegerField(_("amount granted (cents)"), null=True, blank=True)
    rate_bps = models.PositiveIntegerField(_("rate (basis points)"), default=0)
    conditions = models.TextField(_("conditions"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_expires_at = models.DateTimeField(_("approval lapses at"), null=True, blank=True)
    pending_transfer_id = models.UUIDField(null=True, blank=True, editable=False)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("advance")
        verbose_name_plural = _("advances")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested_cents__gt=0), name="treasury_advance_requested_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__isnull=True) | Q(amount_cents__gt=0), name="treasury_advance_granted_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "refused", "cancelled"]) | Q(amount_cents__isnull=False),
                name="treasury_advance_granted_amount_set",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "approved", "refused", "expired", "cancelled"])
                | Q(disbursed_on__isnull=False),
                name="treasury_advance_disbursed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("treasury:advance", args=[self.pk])


class AdvanceAttachment(models.Model):
    advance = models.ForeignKey(Advance, on_delete=models.CASCADE, related_name="attachments")
    label = models.CharField(_("label"), max_length=120)
    file = models.FileField(_("file"), upload_to="treasury/advances/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.label


class Schedule(models.Model):
    """One version of an advance's repayment schedule. It governs the instalments due from
    `effective_from` until the next version's `effective_from`."""

    class Reason(models.TextChoices):
        INITIAL = "initial", _("Initial schedule")
        PREPAYMENT = "prepayment", _("Early repayment")
        RESCHEDULING = "rescheduling", _("Rescheduling")

    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="schedules")
    version = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    effective_from = models.DateField(_("effective from"))
    principal_cents = models.BigIntegerField(_("principal scheduled (cents)"))
    rate_bps = models.PositiveIntegerField(_("rate (basis points)"))
    mode = models.CharField(_("repayment"), max_length=10, choices=RepaymentMode.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["advance", "version"]
        constraints = [
            models.UniqueConstraint(fields=["advance", "version"], name="treasury_schedule_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.advance} v{self.version}"


class Instalment(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    principal_cents = models.BigIntegerField(_("principal (cents)"))
    interest_cents = models.BigIntegerField(_("interest (cents)"))

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="treasury_instalment_number_unique"),
            models.CheckConstraint(
                condition=Q(principal_cents__gte=0) & Q(interest_cents__gte=0), name="treasury_instalment_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} #{self.number}"

    @property
    def total_cents(self) -> int:
        return self.principal_cents + self.interest_cents


class Charge(models.Model):
    """A penalty or a fee due on an advance; paid before interest and principal."""

    class Kind(models.TextChoices):
        PENALTY = "penalty", _("Penalty")
        FEE = "fee", _("Fee")

    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="charges")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    charged_on = models.DateField(_("charged on"))
    label = models.CharField(_("label"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="treasury_charge_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class Repayment(models.Model):
    """Money received for an advance, split in the legal order: penalties, fees, interest,
    principal (Fineract's default allocation). After a write-off, everything received is a
    recovery."""

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Recorded by the treasurer")
        BANK = "bank", _("Bank statement")
        DIRECT_DEBIT = "direct_debit", _("Direct debit")

    class Option(models.TextChoices):
        SHORTEN = "shorten", _("Shorter term, same instalments")
        REDUCE = "reduce", _("Same term, smaller instalments")

    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="repayments")
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    received_on = models.DateField(_("received on"))
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.MANUAL)
    bank_reference = models.CharField(_("bank reference"), max_length=140, blank=True)
    prepayment_option = models.CharField(_("if it repays early"), max_length=8, choices=Option.choices, blank=True)
    penalties_cents = models.BigIntegerField(default=0)
    fees_cents = models.BigIntegerField(default=0)
    interest_cents = models.BigIntegerField(default=0)
    principal_cents = models.BigIntegerField(default=0)
    recovery_cents = models.BigIntegerField(default=0)
    # The part of `principal_cents` paid before it was due: it started a new schedule version.
    prepaid_cents = models.BigIntegerField(default=0)
    # The schedule version the repayment was allocated under (NULL for a recovery).
    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, null=True, blank=True, related_name="repayments")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    transfer_id = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="treasury_repayment_amount_positive"),
            models.CheckConstraint(
                condition=Q(
                    amount_cents=F("penalties_cents")
                    + F("fees_cents")
                    + F("interest_cents")
                    + F("principal_cents")
                    + F("recovery_cents")
                ),
                name="treasury_repayment_split_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(prepaid_cents__gte=0) & Q(prepaid_cents__lte=F("principal_cents")),
                name="treasury_repayment_prepaid_within_principal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advance} — {self.received_on}"


class Provision(models.Model):
    """A change of the provision booked for an advance (positive: more provision)."""

    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="provisions")
    on = models.DateField(_("date"))
    change_cents = models.BigIntegerField(_("change (cents)"))
    bucket = models.CharField(_("ageing bucket"), max_length=12)
    transfer_id = models.UUIDField(unique=True, editable=False)

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.advance} — {self.on}"


class Reminder(models.Model):
    """An arrears reminder sent: one per advance, step and first unpaid due date, so that the
    daily run can be repeated."""

    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="reminders")
    step_days = models.PositiveSmallIntegerField(_("days past due"))
    due_on = models.DateField(_("first unpaid due date"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["advance", "step_days", "due_on"], name="treasury_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.advance} — {self.step_days}"


class Collection(models.Model):
    """An instalment put in a SEPA direct-debit file: never twice."""

    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="collections")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="collections")
    due_on = models.DateField(_("due on"))
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    end_to_end_id = models.CharField(max_length=35, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("direct-debit collection")
        verbose_name_plural = _("direct-debit collections")
        constraints = [
            models.UniqueConstraint(fields=["advance", "due_on"], name="treasury_collect_instalment_once"),
        ]

    def __str__(self) -> str:
        return self.end_to_end_id


class BankStatement(models.Model):
    """A bank statement imported by the treasurer; the same file twice is refused."""

    filename = models.CharField(_("file"), max_length=200)
    format = models.CharField(_("format"), max_length=10)
    sha256 = models.CharField(max_length=64, unique=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.filename


class BankLine(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", _("Recorded as a repayment")
        TO_REVIEW = "to_review", _("Set aside for review")
        IGNORED = "ignored", _("Not for the treasury")

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    booked_on = models.DateField(_("booked on"))
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    label = models.CharField(_("label"), max_length=300, blank=True)
    counterparty = models.CharField(_("counterparty"), max_length=140, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    repayment = models.OneToOneField(
        Repayment, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_line"
    )

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["statement", "pk"]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.reference}"


class CashPlan(models.Model):
    """A member's month-by-month cash-flow forecast (*plan de trésorerie*) over twelve months."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cash_plans", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=120)
    first_month = models.DateField(_("first month"))  # the 1st of a month
    opening_cash_cents = models.BigIntegerField(_("cash at the start (cents)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cash-flow plan")
        verbose_name_plural = _("cash-flow plans")
        ordering = ["-first_month", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(first_month__day=1), name="treasury_plan_starts_on_first"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("treasury:plan", args=[self.pk])


class CashPlanLine(models.Model):
    class Category(models.TextChoices):
        SUBSIDY = "subsidy", _("Subsidy")
        SALES = "sales", _("Sales and services")
        FEES = "fees", _("Membership fees and donations")
        OTHER_IN = "other_in", _("Other inflow")
        SALARIES = "salaries", _("Salaries and contributions")
        RENT = "rent", _("Rent and charges")
        PURCHASES = "purchases", _("Purchases")
        REPAYMENTS = "repayments", _("Loan repayments")
        OTHER_OUT = "other_out", _("Other outflow")

    INFLOWS = ("subsidy", "sales", "fees", "other_in")

    plan = models.ForeignKey(CashPlan, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    label = models.CharField(_("label"), max_length=200)
    month = models.DateField(_("month"))  # the 1st of a month
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    funder = models.CharField(_("funder"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cash-flow plan line")
        verbose_name_plural = _("cash-flow plan lines")
        ordering = ["plan", "month", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="treasury_plan_line_positive"),
            models.CheckConstraint(condition=Q(month__day=1), name="treasury_plan_line_month_first"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_inflow(self) -> bool:
        return self.category in self.INFLOWS
