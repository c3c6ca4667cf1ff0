"""Premises in the admin: resources and their rules may be corrected by the coordinator there;
bookings are written by the services only (the rules, the conflicts, the frozen price)."""

from __future__ import annotations

from django.contrib import admin

from cordee.core.admin import CordeeAdmin, ReadOnlyAdmin
from cordee.premises.models import (
    Booking,
    BookingSeries,
    Closure,
    OpeningHours,
    OrganisationFeed,
    Resource,
    ResourcePhoto,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class PhotoInline(admin.TabularInline):
    model = ResourcePhoto
    extra = 0


@admin.register(Resource)
class ResourceAdmin(CordeeAdmin):
    list_display = ["name", "kind", "owner", "commune", "capacity", "approval_required", "active"]
    list_filter = ["kind", "active", "approval_required"]
    search_fields = ["name", "owner__name", "commune__name"]
    list_select_related = ["owner", "commune"]
    autocomplete_fields = ["owner", "commune", "free_for"]
    exclude = ["ical_token"]
    inlines = [OpeningHoursInline, PhotoInline]


@admin.register(Closure)
class ClosureAdmin(CordeeAdmin):
    list_display = ["starts_on", "ends_on", "resource", "reason"]
    list_select_related = ["resource"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["resource", "starts_at", "ends_at", "organisation", "state", "price_cents"]
    list_filter = ["state", "resource__kind"]
    search_fields = ["resource__name", "organisation__name", "purpose"]
    list_select_related = ["resource", "organisation"]


@admin.register(BookingSeries)
class BookingSeriesAdmin(ReadOnlyAdmin):
    list_display = ["resource", "organisation", "rrule", "first_starts_at"]
    list_select_related = ["resource", "organisation"]


@admin.register(OrganisationFeed)
class OrganisationFeedAdmin(ReadOnlyAdmin):
    list_display = ["organisation"]
    exclude = ["token"]
