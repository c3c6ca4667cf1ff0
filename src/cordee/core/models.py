"""People, hub roles and the audit trail: what every area of Cordée shares."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: set later by invitation
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: a login, and the personal data the GDPR protects.

    A person invited but who has not chosen a password yet has an unusable one. Erasing a person
    blanks every personal field and keeps the row, so that history (audit, votes, timesheets)
    still points somewhere.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("technical administrator"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="core_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class HubRole(models.Model):
    """A role a person holds for the hub itself, not for a member organisation."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        TREASURER = "treasurer", _("treasurer")
        COMMITTEE = "committee", _("committee member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hub_roles", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        verbose_name = _("hub role")
        verbose_name_plural = _("hub roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="core_hubrole_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["coordinator", "treasurer", "committee"]),
                name="core_hubrole_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class AuditEvent(models.Model):
    """One line of the audit trail, written by a service in the transaction of its change."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(_("object type"), max_length=60)
    target_id = models.CharField(_("object"), max_length=40)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
