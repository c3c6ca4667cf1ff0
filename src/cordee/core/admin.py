"""Admin pages. Who may use them is decided by `cordee.core.permissions`, like everywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cordee.core import permissions
from cordee.core.forms import AdminLoginForm
from cordee.core.models import AuditEvent, HubRole, User

admin.site.site_header = _("Cordée administration")
admin.site.site_title = _("Cordée")
admin.site.login_form = AdminLoginForm


def _admin_has_permission(request: HttpRequest) -> bool:
    return request.user.is_active and permissions.can_use_admin(request.user)


admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]


class CordeePermissions:
    """Admin permissions taken from the permissions module: the coordinator manages."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_use_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.can_use_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_use_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_use_admin(request.user)


class CordeeAdmin(CordeePermissions, admin.ModelAdmin):
    """Base of every model admin of Cordée."""


class ReadOnlyAdmin(CordeeAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HubRoleInline(admin.TabularInline):
    model = HubRole
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_use_admin(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission  # type: ignore[assignment]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, CordeeAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "hub_roles__role"]
    search_fields = ["full_name", "email"]
    readonly_fields = ["last_login", "date_joined", "erased_at"]
    inlines = [HubRoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "erased_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser"]  # only a technical administrator grants these
        return fields


@admin.register(HubRole)
class HubRoleAdmin(CordeeAdmin):
    list_display = ["user", "role", "since"]
    list_filter = ["role"]
    autocomplete_fields = ["user"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_id"]


def _adopt_third_party_admins() -> None:
    """Give the admins of django-axes (login lockouts) the same rule as Cordée's own.

    Without this, they would ask Django's per-model permissions, which Cordée does not use: the
    coordinator could enter the admin but not unlock a member locked out by mistake. The task
    queue's results stay for technical administrators only: queued e-mails hold one-time links.
    """
    from django.contrib.auth.models import Group

    if admin.site.is_registered(Group):
        admin.site.unregister(Group)  # Cordée's roles are HubRole and Affiliation, not groups
    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label == "axes":
            admin.site.unregister(model)
            adopted = type(
                type(model_admin).__name__,
                (CordeePermissions, type(model_admin)),
                {"has_add_permission": lambda self, request: False},  # lockouts are recorded by axes only
            )
            admin.site.register(model, adopted)


_adopt_third_party_admins()
