"""Governance in the admin: to look, never to edit. Bodies, seats, decisions and votes are written
by the services only (the rules they check, the audit trail, the frozen outcome)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cordee.core import permissions
from cordee.core.admin import ReadOnlyAdmin
from cordee.governance.models import Body, BodyMember, Decision, Vote

SEAT_FIELDS: Any = ["person", "organisation", "role", "starts_on", "ends_on"]
VOTE_FIELDS: Any = ["seat", "choice", "comment", "cast_at"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SeatInline(_ReadOnlyInline):
    model = BodyMember
    fields = readonly_fields = SEAT_FIELDS


class VoteInline(_ReadOnlyInline):
    model = Vote
    fields = readonly_fields = VOTE_FIELDS


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "quorum_percent", "majority"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    inlines = [SeatInline]


@admin.register(BodyMember)
class BodyMemberAdmin(ReadOnlyAdmin):
    list_display = ["person", "body", "organisation", "role", "starts_on", "ends_on"]
    list_filter = ["body"]
    search_fields = ["person__full_name", "organisation__name"]
    list_select_related = ["person", "body", "organisation"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "body", "status", "outcome", "opens_at", "closed_at"]
    list_filter = ["status", "outcome", "body"]
    search_fields = ["title"]
    list_select_related = ["body"]
    inlines = [VoteInline]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["decision", "seat", "choice", "cast_at"]
    list_filter = ["choice"]
    list_select_related = ["decision", "seat__person", "seat__body"]
