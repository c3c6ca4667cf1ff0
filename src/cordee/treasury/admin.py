"""The treasury in the admin: to look, never to edit. Money moves through the services only."""

from __future__ import annotations

from django.contrib import admin

from cordee.core.admin import ReadOnlyAdmin
from cordee.treasury.models import (
    Advance,
    BankLine,
    BankStatement,
    CashDeclaration,
    CashPlan,
    Deposit,
    Mandate,
    Repayment,
    Schedule,
    Withdrawal,
)


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "kind", "status", "amount_cents", "received_on"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "organisation__name"]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["deposit", "amount_cents", "status", "requested_on", "payable_on", "paid_on"]
    list_filter = ["status"]


@admin.register(Advance)
class AdvanceAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "status", "amount_requested_cents", "amount_cents", "disbursed_on"]
    list_filter = ["status", "mode", "source"]
    search_fields = ["reference", "organisation__name", "funder"]


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = ["advance", "version", "reason", "effective_from", "principal_cents"]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    list_display = ["advance", "received_on", "amount_cents", "origin"]
    list_filter = ["origin"]


@admin.register(CashDeclaration)
class CashDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "year", "net_available_cash_cents", "declared_on"]


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "signed_on", "revoked_on"]


@admin.register(BankStatement)
class BankStatementAdmin(ReadOnlyAdmin):
    list_display = ["filename", "format", "imported_at"]


@admin.register(BankLine)
class BankLineAdmin(ReadOnlyAdmin):
    list_display = ["statement", "booked_on", "amount_cents", "reference", "status"]
    list_filter = ["status"]


@admin.register(CashPlan)
class CashPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "first_month"]
