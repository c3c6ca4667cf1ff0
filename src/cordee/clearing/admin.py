"""Clearing in the admin: to look, never to edit. Consents, runs and their allocations are written by
the services only (a run's figures and the ledger must agree)."""

from __future__ import annotations

from django.contrib import admin

from cordee.clearing.models import Consent, Run
from cordee.core.admin import ReadOnlyAdmin


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "signed_on", "signatory", "withdrawn_on", "agreement_version"]
    list_filter = ["agreement_version"]
    list_select_related = ["organisation"]


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "as_of", "debt_cents", "cleared_cents", "invoice_count", "executed_on"]
    list_filter = ["status"]
