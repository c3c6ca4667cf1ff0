"""Writes on people: invitation, profile, and the GDPR rights of access and erasure."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.core.models import AuditEvent, HubRole, User


def password_setup_url(user: User) -> str:
    """An absolute one-time link where the person chooses a password (Django's reset token)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])


def person_get_or_create(*, email: str, full_name: str, phone: str = "") -> tuple[User, bool]:
    """The person with this e-mail (case-insensitive), created without a password if new."""
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.erased_at is not None:
            raise DomainError(_("This e-mail address belongs to an erased account."), field="email")
        return existing, False
    return User.objects.create_user(email=email, full_name=full_name.strip(), phone=phone.strip()), True


def person_invite(*, actor: User | None, person: User, organisation_name: str) -> None:
    """E-mail the person a link to choose a password (sent after commit)."""
    email_after_commit(
        to=[person.email],
        template="core/email/invitation",
        context={
            "person": person,
            "organisation_name": organisation_name,
            "url": password_setup_url(person),
            "hub_name": settings.HUB_NAME,
        },
    )
    audit(actor=actor, action="person.invite", target=person, organisation=organisation_name)


@transaction.atomic(durable=True)
def person_update_profile(*, actor: User, person: User, full_name: str, phone: str) -> User:
    if not permissions.can_export_person(actor, person):
        raise NotAllowed()
    if not full_name.strip():
        raise DomainError(_("The name is required."), field="full_name")
    person.full_name = full_name.strip()
    person.phone = phone.strip()
    person.save(update_fields=["full_name", "phone"])
    audit(actor=actor, action="person.update", target=person)
    return person


def person_export(*, actor: User, person: User) -> dict[str, Any]:
    """Everything Cordée holds about a person (GDPR article 15), as JSON-ready data."""
    if not permissions.can_export_person(actor, person):
        raise NotAllowed()
    return {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "id": person.pk,
            "email": person.email,
            "name": person.full_name,
            "phone": person.phone,
            "active": person.is_active,
            "joined": person.date_joined.isoformat(),
            "last_login": person.last_login.isoformat() if person.last_login else None,
        },
        "hub_roles": [
            {"role": role.role, "since": role.since.isoformat()} for role in person.hub_roles.order_by("role")
        ],
        "organisations": [
            {
                "organisation": affiliation.organisation.name,
                "role": affiliation.role,
                "position": affiliation.position,
                "since": affiliation.since.isoformat(),
            }
            for affiliation in person.affiliations.select_related("organisation").order_by("organisation__name")
        ],
        "activity": [
            {"at": event.at.isoformat(), "action": event.action, "object": f"{event.target_type}#{event.target_id}"}
            for event in AuditEvent.objects.filter(actor=person).order_by("at", "id")
        ],
    }


@transaction.atomic(durable=True)
def person_erase(*, actor: User, person: User) -> User:
    """Anonymise a person (GDPR article 17): personal fields blanked, roles ended, history kept.

    The row stays so that what the person did (audit, and later votes or timesheets) keeps its
    author as "erased person #id"; nothing in it identifies the person any more.
    """
    if not permissions.can_erase_person(actor, person):
        raise NotAllowed()
    if person.erased_at is not None:
        raise DomainError(_("This person has already been erased."))
    if person.is_superuser:
        raise DomainError(_("A technical administrator account cannot be erased from here."))
    person = User.objects.select_for_update().get(pk=person.pk)
    person.affiliations.all().delete()
    HubRole.objects.filter(user=person).delete()
    person.email = f"erased-{person.pk}@invalid"
    person.full_name = _("Erased person #%(id)s") % {"id": person.pk}
    person.phone = ""
    person.is_active = False
    person.set_unusable_password()
    person.erased_at = timezone.now()
    person.save()
    audit(actor=actor if actor.pk != person.pk else None, action="person.erase", target=person)
    permissions.forget_actor(person)
    return person
