"""The skills exchange in the admin: to look, never to edit. Listings, exchanges and time-credit
limits are written by the services only (matching text, ledger transfers, invoices)."""

from __future__ import annotations

from django.contrib import admin

from cordee.core.admin import ReadOnlyAdmin
from cordee.skills.models import CreditLimit, Exchange, Listing


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ["title", "direction", "organisation", "category", "terms", "state", "created_at"]
    list_filter = ["direction", "category", "terms", "state"]
    search_fields = ["title", "description"]
    list_select_related = ["organisation"]


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["giver", "receiver", "terms", "state", "proposed_at", "done_on"]
    list_filter = ["terms", "state"]
    list_select_related = ["giver", "receiver"]


@admin.register(CreditLimit)
class CreditLimitAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "floor_minutes", "ceiling_minutes", "custom"]
    list_select_related = ["organisation"]
