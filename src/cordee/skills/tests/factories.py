"""Offers and needs for tests, posted through the service (so `search_text` is filled in).

offer(actors.org_a)                              # free, by a person of org A
need(actors.org_b, terms="hours", minutes=180)   # 3 h in time credits
offer(org, title="Comptable bénévole", category="accounting", actor=someone)
"""

from __future__ import annotations

from typing import Any

from cordee.core.models import User
from cordee.network.models import Commune, Organisation
from cordee.skills.models import Direction, Listing
from cordee.skills.services.listings import listing_create


def author_for(organisation: Organisation) -> User:
    """A person of the organisation (its first), or a new member user of it."""
    affiliation = organisation.affiliations.select_related("person").order_by("pk").first()
    if affiliation is not None:
        return affiliation.person
    person = User.objects.create_user(
        email=f"person.{organisation.pk}@example.org", full_name=f"Person of {organisation.name}", password=None
    )
    organisation.affiliations.create(person=person, role="member")
    return person


def _listing(direction: str, organisation: Organisation, overrides: dict[str, Any]) -> Listing:
    actor = overrides.pop("actor", None) or author_for(organisation)
    commune = overrides.pop("commune", None) or organisation.commune or Commune.objects.get(pk="05061")
    if isinstance(commune, str):
        commune = Commune.objects.get(pk=commune)
    values: dict[str, Any] = {
        "nature": "skill",
        "category": "other",
        "title": "Coup de main" if direction == Direction.OFFER else "Besoin d'un coup de main",
        "description": "Une demi-journée, sur place.",
        "availability": "",
        "terms": "free",
        "notify": True,
    }
    values.update(overrides)
    return listing_create(actor=actor, organisation=organisation, direction=direction, commune=commune, **values)


def offer(organisation: Organisation, **overrides: Any) -> Listing:
    return _listing(Direction.OFFER, organisation, overrides)


def need(organisation: Organisation, **overrides: Any) -> Listing:
    return _listing(Direction.NEED, organisation, overrides)
