"""Good practices in the admin: to look, never to edit. Sheets are written through the services
(their rich text is cleaned, their search words computed, their attachments checked)."""

from __future__ import annotations

from django.contrib import admin

from cordee.core.admin import ReadOnlyAdmin
from cordee.practices.models import Comment, Practice


@admin.register(Practice)
class PracticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "theme", "state", "visibility", "published_at", "read_count"]
    list_filter = ["theme", "state", "visibility"]
    search_fields = ["title", "summary"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["practice", "kind", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["practice", "author"]
