"""The double-entry ledger: every euro and every hour that moves in Cordée moves here.

The design follows TigerBeetle's: a *transfer* moves an amount from one account (debit) to
another (credit) of the same ledger, and is never changed or deleted once written. A pending
transfer reserves an amount, which a later transfer posts (in full or in part), voids, or which
expires; a chain of linked transfers succeeds or fails as one. Callers choose each transfer's
id, so a retry is recognised ("exists") instead of posting twice.

Balances are kept on the accounts (debits and credits, posted and pending) so that limits are
checked in one read, and each posted movement also writes one *entry* per account with the
account's balance after it (as pgledger does): a statement is an index range scan, never a sum.

What the database can hold, it holds: amounts are positive, accounts differ, a pending transfer
is resolved at most once, an account flagged "debits must not exceed credits" cannot be saved
otherwise, and triggers on both PostgreSQL and SQLite refuse any UPDATE or DELETE of a transfer
or an entry.

Each transfer carries a SHA-256 hash chained to the previous transfer of each of its two accounts
(the account row keeps the head of its chain). The chains follow the locks that posting takes
anyway — an account's row — so postings on different accounts never wait on a ledger-wide lock,
and a change to any stored transfer still breaks the chain of both its accounts.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64  # the "previous hash" of an account's first transfer


class Ledger(models.Model):
    """A unit of account: EUR in cents, or HOURS in minutes for time credits."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=80)
    unit = models.CharField(_("unit"), max_length=10)

    class Meta:
        verbose_name = _("ledger")
        verbose_name_plural = _("ledgers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Account(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("ledger"))
    number = models.CharField(_("account number"), max_length=20, help_text=_("From the chart of accounts"))
    label = models.CharField(_("label"), max_length=120)
    owner = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("owner"),
    )
    debits_must_not_exceed_credits = models.BooleanField(_("debits must not exceed credits"), default=False)
    credits_must_not_exceed_debits = models.BooleanField(_("credits must not exceed debits"), default=False)
    debits_pending = models.BigIntegerField(default=0, editable=False)
    debits_posted = models.BigIntegerField(default=0, editable=False)
    credits_pending = models.BigIntegerField(default=0, editable=False)
    credits_posted = models.BigIntegerField(default=0, editable=False)
    # Head of the account's hash chain: the hash of its last transfer, written with its balances.
    last_hash = models.CharField(max_length=64, default=GENESIS, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["ledger", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ledger", "number"], name="ledger_account_number_unique"),
            models.CheckConstraint(
                condition=Q(debits_pending__gte=0, debits_posted__gte=0, credits_pending__gte=0, credits_posted__gte=0),
                name="ledger_account_balances_positive",
            ),
            models.CheckConstraint(
                condition=Q(debits_must_not_exceed_credits=False)
                | Q(credits_posted__gte=F("debits_posted") + F("debits_pending")),
                name="ledger_account_debits_within_credits",
            ),
            models.CheckConstraint(
                condition=Q(credits_must_not_exceed_debits=False)
                | Q(debits_posted__gte=F("credits_posted") + F("credits_pending")),
                name="ledger_account_credits_within_debits",
            ),
            models.CheckConstraint(
                condition=~Q(debits_must_not_exceed_credits=True, credits_must_not_exceed_debits=True),
                name="ledger_account_one_limit_flag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.label}"

    @property
    def balance(self) -> int:
        """Posted debits minus posted credits (positive: a debit balance)."""
        return self.debits_posted - self.credits_posted


class Transfer(models.Model):
    class Kind(models.TextChoices):
        POSTED = "posted", _("posted")
        PENDING = "pending", _("pending")
        POST_PENDING = "post_pending", _("post of a pending transfer")
        VOID_PENDING = "void_pending", _("void of a pending transfer")
        EXPIRY = "expiry", _("expiry of a pending transfer")

    id = models.UUIDField(primary_key=True, editable=False)
    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="transfers")
    # Global order of writing: taken after the accounts are locked, so it also orders each account's
    # transfers. Gaps are possible (PostgreSQL does not give back the numbers of a rolled-back write).
    sequence = models.BigIntegerField(unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    debit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    credit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    pending = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="resolution")
    timeout = models.PositiveIntegerField(default=0, help_text="seconds a pending transfer stays open (0: no limit)")
    expires_at = models.DateTimeField(null=True, blank=True)
    chain = models.UUIDField(null=True, blank=True, help_text="id of the first transfer of its linked chain")
    chain_length = models.PositiveIntegerField(default=1)
    code = models.CharField(max_length=40, blank=True, help_text="reason code, e.g. advance.disburse")
    label = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100, blank=True, help_text="business object, e.g. invoice:42")
    journal = models.CharField(max_length=10, blank=True)
    piece = models.CharField(max_length=40, blank=True)
    value_date = models.DateField()
    created_at = models.DateTimeField()
    debit_prev_hash = models.CharField(max_length=64)
    credit_prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["ledger", "sequence"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")), name="ledger_transfer_accounts_differ"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["posted", "pending", "post_pending", "void_pending", "expiry"]),
                name="ledger_transfer_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["posted", "pending"], pending__isnull=True)
                | Q(kind__in=["post_pending", "void_pending", "expiry"], pending__isnull=False),
                name="ledger_transfer_resolution_names_its_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["ledger", "sequence"], name="ledger_transfer_journal"),
            models.Index(fields=["reference"], name="ledger_transfer_reference"),
            models.Index(fields=["value_date"], name="ledger_transfer_value_date"),
            models.Index(fields=["kind", "expires_at"], name="ledger_transfer_expiry"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.amount} {self.debit_account_id}→{self.credit_account_id}"


class Entry(models.Model):
    """One posted movement of one account, with the account's balance after it."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="entries")
    sequence = models.BigIntegerField()
    debit = models.BigIntegerField(default=0)
    credit = models.BigIntegerField(default=0)
    balance_after = models.BigIntegerField(help_text="posted debits minus posted credits after this entry")

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["account", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["account", "sequence"], name="ledger_entry_account_sequence"),
            models.CheckConstraint(
                condition=Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0), name="ledger_entry_one_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} #{self.sequence} {self.debit - self.credit:+d} = {self.balance_after}"
