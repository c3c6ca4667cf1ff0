"""Writes on the network: organisations, membership applications and decisions, people, fees.

Every function is one transaction that writes its audit row with its change; e-mails leave
only after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.core.models import User
from cordee.core.services import person_get_or_create, person_invite
from cordee.lib.text import fold
from cordee.network.models import Affiliation, AnnualFee, Family, Membership, Organisation, Visibility

# Fields a caller may set on an organisation; everything else is the services' business.
ORGANISATION_FIELDS = (
    "name",
    "family",
    "legal_form",
    "sector",
    "siren",
    "siret",
    "rna",
    "naf",
    "commune",
    "address",
    "postal_code",
    "website",
    "email",
    "phone",
    "description",
    "logo",
    "founding_year",
    "employees",
    "volunteers",
    "listing_visibility",
    "profile_visibility",
    "contact_visibility",
    "identifiers_visibility",
    "figures_visibility",
)


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 1
    others = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects.all()
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def search_text_for(organisation: Organisation) -> str:
    """What the directory search reads: only fields every viewer of the listing may see."""
    parts = [organisation.name, organisation.commune.name if organisation.commune_id else ""]
    if organisation.sector is not None:
        parts.append(organisation.sector.name)
    if organisation.profile_visibility == Visibility.PUBLIC:
        parts.append(organisation.description)
    return fold(" ".join(parts))


def refresh_derived_fields(organisation: Organisation) -> None:
    """Recompute the fields Cordée derives from the others (search and sort keys)."""
    organisation.search_text = search_text_for(organisation)
    organisation.sort_name = fold(organisation.name)


def check_organisation(data: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    """Rules across fields and rows, shared by the forms, the import and the services."""
    siren, siret, rna = data.get("siren") or "", data.get("siret") or "", data.get("rna") or ""
    if siren and siret and not siret.startswith(siren):
        raise DomainError(_("The SIRET must begin with the 9 digits of the SIREN."), field="siret")
    if rna and data.get("family") != Family.ASSOCIATION:
        raise DomainError(_("Only an association has an RNA number."), field="rna")
    others = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects.all()
    if siret and others.filter(siret=siret).exists():
        raise DomainError(_("An organisation with this SIRET is already registered."), field="siret")
    if rna and others.filter(rna=rna).exists():
        raise DomainError(_("An organisation with this RNA number is already registered."), field="rna")
    year = data.get("founding_year")
    if year is not None and not 1800 <= year <= timezone.localdate().year:
        raise DomainError(_("The founding year must be between 1800 and this year."), field="founding_year")


def _fill(organisation: Organisation, data: dict[str, Any]) -> None:
    for name in ORGANISATION_FIELDS:
        if name in data:
            setattr(organisation, name, data[name] if data[name] is not None or name in _NULLABLE else "")
    if not organisation.siren and organisation.siret:
        organisation.siren = organisation.siret[:9]


_NULLABLE = {"legal_form", "sector", "commune", "founding_year", "employees", "volunteers", "logo"}


def organisation_build(data: dict[str, Any]) -> Organisation:
    """A new organisation, validated and ready to save (used by the import to check all rows first)."""
    unknown = set(data) - set(ORGANISATION_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    check_organisation(data)
    organisation = Organisation()
    _fill(organisation, data)
    organisation.slug = _unique_slug(organisation.name)
    refresh_derived_fields(organisation)
    return organisation


@transaction.atomic(durable=True)
def organisation_create(
    *,
    actor: User | None,
    data: dict[str, Any],
    status: str = Membership.Status.ACTIVE,
    joined_on: dt.date | None = None,
) -> Organisation:
    """Register an organisation directly (coordinator), with its membership."""
    if not permissions.can_manage_network(actor):
        raise NotAllowed()
    return _organisation_insert(actor=actor, data=data, status=status, joined_on=joined_on)


def _organisation_insert(
    *, actor: User | None, data: dict[str, Any], status: str, joined_on: dt.date | None
) -> Organisation:
    organisation = organisation_build(data)
    organisation.save()
    today = timezone.localdate()
    Membership.objects.create(
        organisation=organisation,
        status=status,
        applied_on=joined_on or today,
        joined_on=(joined_on or today) if status not in ("candidate", "rejected") else None,
    )
    audit(actor=actor, action="organisation.create", target=organisation, status=status)
    return organisation


@transaction.atomic(durable=True)
def organisation_update(*, actor: User, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    if not permissions.can_edit_organisation(actor, organisation):
        raise NotAllowed()
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_organisation({**_current(organisation), **data}, exclude_pk=organisation.pk)
    changed = sorted(name for name in data if name in ORGANISATION_FIELDS and getattr(organisation, name) != data[name])
    _fill(organisation, data)
    if "name" in changed:
        organisation.slug = _unique_slug(organisation.name, exclude_pk=organisation.pk)
    refresh_derived_fields(organisation)
    organisation.save()
    audit(actor=actor, action="organisation.update", target=organisation, fields=changed)
    return organisation


def _current(organisation: Organisation) -> dict[str, Any]:
    return {name: getattr(organisation, name) for name in ("siren", "siret", "rna", "family", "founding_year")}


# --- Membership ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def membership_apply(
    *, data: dict[str, Any], contact_name: str, contact_email: str, contact_phone: str = ""
) -> Organisation:
    """An organisation applies online: it is recorded as a candidate with its contact person."""
    if User.objects.filter(email__iexact=contact_email.strip(), erased_at__isnull=False).exists():
        raise DomainError(_("This e-mail address cannot be used."), field="contact_email")
    organisation = _organisation_insert(actor=None, data=data, status=Membership.Status.CANDIDATE, joined_on=None)
    contact, _created = person_get_or_create(email=contact_email, full_name=contact_name, phone=contact_phone)
    Membership.objects.filter(organisation=organisation).update(contact=contact)
    coordinators = User.objects.filter(hub_roles__role="coordinator", is_active=True).values_list("email", flat=True)
    email_after_commit(
        to=list(coordinators),
        template="network/email/application_received",
        context={"organisation": organisation, "contact": contact, "site_url": settings.SITE_URL},
    )
    return organisation


def _locked_membership(organisation: Organisation) -> Membership:
    # Lock the membership row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join that the optional contact person needs.
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "contact")
        .get(organisation=organisation)
    )


@transaction.atomic(durable=True)
def membership_approve(*, actor: User, organisation: Organisation) -> Membership:
    """The coordinator accepts an application: the contact person becomes member admin and is invited."""
    if not permissions.can_manage_network(actor):
        raise NotAllowed()
    membership = _locked_membership(organisation)
    if membership.status != Membership.Status.CANDIDATE:
        raise DomainError(_("Only a pending application can be approved."))
    membership.status = Membership.Status.ACTIVE
    membership.joined_on = timezone.localdate()
    membership.decision_reason = ""
    membership.save()
    contact = membership.contact
    if contact is not None and contact.erased_at is None:
        Affiliation.objects.update_or_create(
            person=contact, organisation=organisation, defaults={"role": Affiliation.Role.ADMIN}
        )
        if contact.has_usable_password():
            email_after_commit(
                to=[contact.email],
                template="network/email/application_approved",
                context={"organisation": organisation, "person": contact, "site_url": settings.SITE_URL},
            )
        else:
            person_invite(actor=actor, person=contact, organisation_name=organisation.name)
        permissions.forget_actor(contact)
    audit(actor=actor, action="membership.approve", target=organisation)
    return membership


@transaction.atomic(durable=True)
def membership_reject(*, actor: User, organisation: Organisation, reason: str) -> Membership:
    if not permissions.can_manage_network(actor):
        raise NotAllowed()
    if not reason.strip():
        raise DomainError(_("Give the reason for the refusal: it is sent to the applicant."), field="reason")
    membership = _locked_membership(organisation)
    if membership.status != Membership.Status.CANDIDATE:
        raise DomainError(_("Only a pending application can be rejected."))
    membership.status = Membership.Status.REJECTED
    membership.decision_reason = reason.strip()
    membership.save()
    if membership.contact is not None:
        email_after_commit(
            to=[membership.contact.email],
            template="network/email/application_rejected",
            context={"organisation": organisation, "reason": membership.decision_reason},
        )
    audit(actor=actor, action="membership.reject", target=organisation, reason=membership.decision_reason)
    return membership


_TRANSITIONS = {
    Membership.Status.ACTIVE: {Membership.Status.SUSPENDED, Membership.Status.LEFT},
    Membership.Status.SUSPENDED: {Membership.Status.ACTIVE, Membership.Status.LEFT},
    Membership.Status.LEFT: {Membership.Status.ACTIVE},
}


@transaction.atomic(durable=True)
def membership_set_status(*, actor: User, organisation: Organisation, status: str, reason: str = "") -> Membership:
    """Suspend, reinstate or record the departure of a member."""
    if not permissions.can_manage_network(actor):
        raise NotAllowed()
    membership = _locked_membership(organisation)
    current = Membership.Status(membership.status)
    if status not in _TRANSITIONS.get(current, set()):
        raise DomainError(
            _("A membership cannot go from “%(current)s” to “%(new)s”.")
            % {
                "current": current.label,
                "new": Membership.Status(status).label if status in Membership.Status.values else status,
            },
            field="status",
        )
    today = timezone.localdate()
    membership.status = status
    membership.decision_reason = reason.strip()
    if status == Membership.Status.SUSPENDED:
        membership.suspended_on = today
    elif status == Membership.Status.LEFT:
        membership.left_on = today
    else:
        membership.suspended_on = None
        membership.left_on = None
    membership.save()
    audit(actor=actor, action="membership.status", target=organisation, status=status, reason=reason.strip())
    return membership


@transaction.atomic(durable=True)
def fee_set(
    *, actor: User, organisation: Organisation, year: int, amount_cents: int, paid_on: dt.date | None
) -> AnnualFee:
    """Call or record the payment of an organisation's annual fee."""
    if not permissions.can_manage_network(actor):
        raise NotAllowed()
    if amount_cents < 0:
        raise DomainError(_("The fee cannot be negative."), field="amount")
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise DomainError(_("The year must be between 2000 and next year."), field="year")
    fee, _created = AnnualFee.objects.update_or_create(
        organisation=organisation, year=year, defaults={"amount_cents": amount_cents, "paid_on": paid_on}
    )
    audit(
        actor=actor,
        action="fee.set",
        target=organisation,
        year=year,
        amount_cents=amount_cents,
        paid_on=paid_on.isoformat() if paid_on else None,
    )
    return fee


# --- People of an organisation -----------------------------------------------------------


@transaction.atomic(durable=True)
def affiliation_add(
    *, actor: User, organisation: Organisation, email: str, full_name: str, role: str, position: str = ""
) -> Affiliation:
    """Add a person to an organisation; a new person is invited to choose a password."""
    if not permissions.can_manage_people_of(actor, organisation):
        raise NotAllowed()
    if role not in Affiliation.Role.values:
        raise DomainError(_("Choose a role: member user or member admin."), field="role")
    person, created = person_get_or_create(email=email, full_name=full_name)
    if Affiliation.objects.filter(person=person, organisation=organisation).exists():
        raise DomainError(_("This person is already in the organisation."), field="email")
    affiliation = Affiliation.objects.create(person=person, organisation=organisation, role=role, position=position)
    if created or not person.has_usable_password():
        person_invite(actor=actor, person=person, organisation_name=organisation.name)
    audit(actor=actor, action="affiliation.add", target=organisation, person=person.pk, role=role)
    return affiliation


def _other_admins(affiliation: Affiliation) -> bool:
    return (
        Affiliation.objects.filter(organisation=affiliation.organisation, role=Affiliation.Role.ADMIN)
        .exclude(pk=affiliation.pk)
        .exists()
    )


@transaction.atomic(durable=True)
def affiliation_set_role(*, actor: User, affiliation: Affiliation, role: str) -> Affiliation:
    if not permissions.can_manage_people_of(actor, affiliation.organisation):
        raise NotAllowed()
    if role not in Affiliation.Role.values:
        raise DomainError(_("Choose a role: member user or member admin."), field="role")
    if affiliation.role == Affiliation.Role.ADMIN and role != Affiliation.Role.ADMIN and not _other_admins(affiliation):
        raise DomainError(_("An organisation must keep at least one member admin."), field="role")
    affiliation.role = role
    affiliation.save(update_fields=["role"])
    audit(
        actor=actor, action="affiliation.role", target=affiliation.organisation, person=affiliation.person_id, role=role
    )
    return affiliation


@transaction.atomic(durable=True)
def affiliation_remove(*, actor: User, affiliation: Affiliation) -> None:
    if not permissions.can_manage_people_of(actor, affiliation.organisation):
        raise NotAllowed()
    if affiliation.role == Affiliation.Role.ADMIN and not _other_admins(affiliation):
        raise DomainError(_("An organisation must keep at least one member admin."))
    audit(actor=actor, action="affiliation.remove", target=affiliation.organisation, person=affiliation.person_id)
    affiliation.delete()
