"""Invoices in the admin: to look, never to edit. They are written by the services only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cordee.core import permissions
from cordee.core.admin import ReadOnlyAdmin
from cordee.invoicing.models import Invoice, InvoiceCounter, InvoiceLine

LINE_FIELDS: Any = [
    "position",
    "label",
    "quantity",
    "unit_price_cents",
    "vat_rate",
    "vat_exemption",
    "amount_excl_vat_cents",
    "vat_cents",
]


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = LINE_FIELDS
    readonly_fields = LINE_FIELDS

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "issuer",
        "recipient",
        "issue_date",
        "due_date",
        "total_incl_vat_cents",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["number", "issuer__name", "recipient__name", "source"]
    list_select_related = ["issuer", "recipient"]
    inlines = [InvoiceLineInline]


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "last_number", "last_issue_date"]
    list_select_related = ["issuer"]
