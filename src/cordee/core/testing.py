"""Named actors for tests, so that permission tests read like sentences.

`make_actors()` builds two member organisations A and B and one person per role:
a member user of A, a member admin of A, a member admin of B, the coordinator, the treasurer,
a committee member, and an outsider (an account with no role at all).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from stdnum import luhn

from cordee.core.models import HubRole, User
from cordee.network.models import Affiliation, Commune, Membership, Organisation, Visibility
from cordee.network.services import refresh_derived_fields

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only
_serial = itertools.count(1)
SERIAL_SIREN_SEEDS = 10_000_000


def valid_siren(seed: int) -> str:
    """A SIREN with a right Luhn key, different for each seed."""
    body = f"{(seed * 7919) % 10**8:08d}"
    return body + luhn.calc_check_digit(body)


def valid_siret(siren: str, establishment: int = 1) -> str:
    body = f"{siren}{establishment:04d}"
    return body + luhn.calc_check_digit(body)


def make_organisation(
    name: str | None = None,
    *,
    status: str = Membership.Status.ACTIVE,
    commune: str = "05061",
    visibility: str = Visibility.PUBLIC,
    **fields: Any,
) -> Organisation:
    n = next(_serial)
    name = name or f"Organisation {n}"
    # Seeds from ten million on: the tests' fixed SIRENs (valid_siren(4242)...) use small seeds, and a
    # worker creating a few thousand organisations must never meet one of them.
    siren = fields.pop("siren", valid_siren(SERIAL_SIREN_SEEDS + n))
    defaults: dict[str, Any] = {
        "family": "association",
        "siren": siren,
        "siret": valid_siret(siren),
        "email": f"contact{n}@example.org",
        "phone": "04 92 00 00 00",
        "description": f"Description of {name}",
        "employees": 3,
        "volunteers": 12,
    }
    defaults.update(fields)
    for block in ("listing", "profile", "contact", "identifiers", "figures"):
        defaults.setdefault(f"{block}_visibility", visibility)
    organisation = Organisation.objects.create(
        name=name, slug=f"org-{n}", commune=Commune.objects.get(pk=commune), **defaults
    )
    refresh_derived_fields(organisation)
    organisation.save(update_fields=["search_text", "sort_name"])
    today = timezone.localdate()
    Membership.objects.create(
        organisation=organisation,
        status=status,
        applied_on=today,
        joined_on=None if status in ("candidate", "rejected") else today,
    )
    return organisation


def make_person(email: str, name: str, *, password: str | None = PASSWORD) -> User:
    return User.objects.create_user(email=email, full_name=name, password=password)


@dataclass
class Actors:
    org_a: Organisation
    org_b: Organisation
    member_user_a: User
    member_admin_a: User
    member_admin_b: User
    coordinator: User
    treasurer: User
    committee: User
    outsider: User

    def by_role(self) -> dict[str, User | None]:
        return {
            "visitor": None,
            "outsider": self.outsider,
            "member_user_a": self.member_user_a,
            "member_admin_a": self.member_admin_a,
            "member_admin_b": self.member_admin_b,
            "coordinator": self.coordinator,
            "treasurer": self.treasurer,
            "committee": self.committee,
        }


def make_actors() -> Actors:
    org_a = make_organisation("Les Jardins du Buëch", visibility=Visibility.MEMBERS, commune="05061")
    org_b = make_organisation("Coopérative des Écrins", family="cooperative", commune="05023")
    member_user_a = make_person("user.a@example.org", "Alice Martin")
    member_admin_a = make_person("admin.a@example.org", "Bernard Roux")
    member_admin_b = make_person("admin.b@example.org", "Chloé Blanc")
    Affiliation.objects.create(person=member_user_a, organisation=org_a, role=Affiliation.Role.MEMBER)
    Affiliation.objects.create(person=member_admin_a, organisation=org_a, role=Affiliation.Role.ADMIN)
    Affiliation.objects.create(person=member_admin_b, organisation=org_b, role=Affiliation.Role.ADMIN)
    coordinator = make_person("coordinator@example.org", "Denis Faure")
    HubRole.objects.create(user=coordinator, role=HubRole.Role.COORDINATOR)
    treasurer = make_person("treasurer@example.org", "Emma Garnier")
    HubRole.objects.create(user=treasurer, role=HubRole.Role.TREASURER)
    committee = make_person("committee@example.org", "Fabien Girard")
    HubRole.objects.create(user=committee, role=HubRole.Role.COMMITTEE)
    outsider = make_person("outsider@example.org", "Gaëlle Henry")
    return Actors(
        org_a, org_b, member_user_a, member_admin_a, member_admin_b, coordinator, treasurer, committee, outsider
    )
