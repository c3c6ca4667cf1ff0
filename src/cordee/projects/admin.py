"""Calls for projects, applications and funded actions in the admin: to look, never to edit. They
change through their services (budgets checked, scores recused, tranches posted to the ledger)."""

from __future__ import annotations

from django.contrib import admin

from cordee.core.admin import ReadOnlyAdmin
from cordee.projects.models import Action, Application, Call


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["title", "state", "opens_on", "closes_on", "envelope_cents"]
    list_filter = ["state"]
    search_fields = ["title"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "call", "organisation", "status", "requested_cents", "granted_cents"]
    list_filter = ["status", "call"]
    list_select_related = ["call", "organisation"]
    search_fields = ["title", "number"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["number", "application", "status", "granted_cents", "signed_on"]
    list_filter = ["status"]
    list_select_related = ["application"]
