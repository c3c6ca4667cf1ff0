"""The ledger in the admin: to look, never to edit. Money moves only through posting."""

from __future__ import annotations

from django.contrib import admin

from cordee.core.admin import ReadOnlyAdmin
from cordee.ledger.models import Account, Entry, Ledger, Transfer


@admin.register(Ledger)
class LedgerAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "unit"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "label",
        "ledger",
        "owner",
        "debits_posted",
        "credits_posted",
        "debits_pending",
        "credits_pending",
    ]
    list_filter = ["ledger"]
    search_fields = ["number", "label", "owner__name"]
    list_select_related = ["ledger", "owner"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "ledger", "kind", "value_date", "debit_account", "credit_account", "amount", "label"]
    list_filter = ["ledger", "kind", "journal"]
    search_fields = ["id", "label", "reference", "piece"]
    list_select_related = ["ledger", "debit_account", "credit_account"]
    show_full_result_count = False  # a count over millions of transfers on every page is wasted work


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["account", "sequence", "debit", "credit", "balance_after"]
    list_select_related = ["account"]
    show_full_result_count = False
