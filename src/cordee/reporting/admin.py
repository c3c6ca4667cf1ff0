"""Highlights in the admin: to look, never to edit. They are written through the services (their
pictures checked, the change audited)."""

from __future__ import annotations

from django.contrib import admin

from cordee.core.admin import ReadOnlyAdmin
from cordee.reporting.models import Highlight


@admin.register(Highlight)
class HighlightAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "organisation"]
    list_filter = ["kind"]
    search_fields = ["title", "text"]
