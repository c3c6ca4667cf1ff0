from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cordee.core.admin import CordeeAdmin
from cordee.core.errors import DomainError
from cordee.network import services
from cordee.network.forms import OrganisationForm
from cordee.network.models import Affiliation, AnnualFee, Commune, LegalForm, Membership, Organisation, Sector


@admin.register(Commune)
class CommuneAdmin(CordeeAdmin):
    list_display = ["insee_code", "name", "postal_code", "latitude", "longitude"]
    search_fields = ["insee_code", "name", "search_name", "postal_code"]


@admin.register(LegalForm)
class LegalFormAdmin(CordeeAdmin):
    list_display = ["code", "label", "retired"]
    list_filter = ["retired"]
    search_fields = ["code", "label"]


@admin.register(Sector)
class SectorAdmin(CordeeAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ("name",)}


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ["status", "applied_on", "joined_on", "suspended_on", "left_on", "decision_reason", "contact"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person"]


class AnnualFeeInline(admin.TabularInline):
    model = AnnualFee
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(CordeeAdmin):
    form = OrganisationForm
    list_display = ["name", "family", "commune", "membership_status"]
    list_filter = ["family", "membership__status", "sector"]
    search_fields = ["name", "siren", "siret", "rna", "search_text"]
    autocomplete_fields = ["commune", "legal_form"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    inlines = [MembershipInline, AffiliationInline, AnnualFeeInline]

    @admin.display(description=_("status"))
    def membership_status(self, obj: Organisation) -> str:
        return obj.membership.get_status_display() if hasattr(obj, "membership") else "—"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("commune", "membership")

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        # Edits go through the service, which checks the rules and writes the audit row.
        data = {name: form.cleaned_data[name] for name in services.ORGANISATION_FIELDS if name in form.cleaned_data}
        try:
            if change:
                services.organisation_update(actor=request.user, organisation=obj, data=data)  # type: ignore[arg-type]
            else:
                created = services.organisation_create(actor=request.user, data=data)  # type: ignore[arg-type]
                obj.pk = created.pk
        except DomainError as exc:
            messages.error(request, exc.message)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Membership:
            return
        super().save_formset(request, form, formset, change)


@admin.register(Membership)
class MembershipAdmin(CordeeAdmin):
    list_display = ["organisation", "status", "circle", "applied_on", "joined_on"]
    list_filter = ["status", "circle"]
    search_fields = ["organisation__name"]
    readonly_fields = ["organisation", "status", "applied_on", "joined_on", "suspended_on", "left_on"]


@admin.register(AnnualFee)
class AnnualFeeAdmin(CordeeAdmin):
    list_display = ["organisation", "year", "amount_cents", "paid_on"]
    list_filter = ["year"]
    search_fields = ["organisation__name"]


@admin.register(Affiliation)
class AffiliationAdmin(CordeeAdmin):
    list_display = ["person", "organisation", "role", "position"]
    list_filter = ["role"]
    search_fields = ["person__full_name", "person__email", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]
