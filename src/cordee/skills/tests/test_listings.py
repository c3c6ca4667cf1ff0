"""Posting, changing, closing and reopening offers and needs through the services."""

from __future__ import annotations

from typing import Any

import pytest

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation, make_person
from cordee.network.models import Commune, Membership
from cordee.skills.models import Listing
from cordee.skills.services.listings import (
    MAX_MINUTES,
    listing_close,
    listing_create,
    listing_reopen,
    listing_update,
    search_text_for,
)
from cordee.skills.tests.factories import need, offer

pytestmark = pytest.mark.django_db


def _fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "nature": "skill",
        "category": "accounting",
        "title": "Comptable bénévole",
        "description": "Bilans et comptes annuels des associations.",
        "commune": Commune.objects.get(pk="05061"),
        "availability": "Le mardi",
        "terms": "hours",
        "minutes": 180,
    }
    fields.update(overrides)
    return fields


def test_a_member_user_posts_an_offer_with_its_stems(actors: Actors) -> None:
    listing = listing_create(actor=actors.member_user_a, organisation=actors.org_a, direction="offer", **_fields())

    assert listing.state == "open"
    assert listing.author == actors.member_user_a
    assert (listing.terms, listing.minutes, listing.price_cents) == ("hours", 180, None)
    assert listing.search_text == "comptabl benevol\nbilan compt annuel associ"
    assert AuditEvent.objects.filter(action="skills.offer.create", target_id=str(listing.pk)).exists()


def test_it_refuses_to_post_for_another_organisation(actors: Actors) -> None:
    with pytest.raises(NotAllowed):
        listing_create(actor=actors.member_admin_b, organisation=actors.org_a, direction="need", **_fields())
    with pytest.raises(NotAllowed):
        listing_create(actor=actors.coordinator, organisation=actors.org_a, direction="need", **_fields())
    assert not Listing.objects.exists()


def test_it_refuses_a_suspended_member(actors: Actors) -> None:
    Membership.objects.filter(organisation=actors.org_a).update(status=Membership.Status.SUSPENDED)

    with pytest.raises(DomainError) as refused:
        listing_create(actor=actors.member_user_a, organisation=actors.org_a, direction="offer", **_fields())

    assert (refused.value.field, refused.value.code) == ("organisation", "not_member")
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"terms": "hours", "minutes": None}, "minutes"),
        ({"terms": "hours", "minutes": 0}, "minutes"),
        ({"terms": "hours", "minutes": MAX_MINUTES + 1}, "minutes"),
        ({"terms": "hours", "minutes": 60, "price_cents": 100}, "price_cents"),
        ({"terms": "euros", "minutes": None, "price_cents": 0}, "price_cents"),
        ({"terms": "euros", "minutes": None, "price_cents": -4500}, "price_cents"),
        ({"terms": "euros", "minutes": 60, "price_cents": 4500}, "minutes"),
        ({"terms": "free", "minutes": 60}, "minutes"),
        ({"terms": "barter", "minutes": None}, "terms"),
        ({"title": "ab"}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"availability": "x" * 201}, "availability"),
        ({"commune": None}, "commune"),
        ({"category": "astrology"}, "category"),
        ({"nature": "money"}, "nature"),
    ],
)
def test_bad_input_is_refused_naming_the_field(actors: Actors, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        listing_create(actor=actors.member_user_a, organisation=actors.org_a, direction="offer", **_fields(**overrides))

    assert refused.value.field == field
    assert not Listing.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="skills.").exists()


def test_terms_at_a_price_and_free(actors: Actors) -> None:
    priced = offer(actors.org_a, terms="euros", price_cents=4500)
    free = need(actors.org_b, terms="free")

    assert (priced.terms, priced.minutes, priced.price_cents) == ("euros", None, 4500)
    assert (free.terms, free.minutes, free.price_cents) == ("free", None, None)


def test_an_update_restems_and_records_what_changed(actors: Actors) -> None:
    listing = offer(actors.org_a, **_fields())

    listing_update(
        actor=actors.member_admin_a,
        listing=listing,
        **_fields(title="Réseaux informatiques", terms="euros", minutes=None, price_cents=9000),
    )

    listing.refresh_from_db()
    assert listing.search_text.split("\n")[0] == "reseau informat"
    assert (listing.terms, listing.minutes, listing.price_cents) == ("euros", None, 9000)
    event = AuditEvent.objects.get(action="skills.listing.update")
    assert event.data["changed"] == ["minutes", "price_cents", "terms", "title"]


def test_only_its_people_and_the_coordinator_change_a_listing(actors: Actors) -> None:
    listing = offer(actors.org_a, **_fields())

    for stranger in (actors.member_admin_b, actors.treasurer, actors.committee, actors.outsider):
        with pytest.raises(NotAllowed):
            listing_update(actor=stranger, listing=listing, **_fields(title="Autre chose"))
        with pytest.raises(NotAllowed):
            listing_close(actor=stranger, listing=listing)

    listing_update(actor=actors.coordinator, listing=listing, **_fields(title="Titre modéré"))
    listing.refresh_from_db()
    assert listing.title == "Titre modéré"


def test_a_refused_update_changes_nothing(actors: Actors) -> None:
    listing = offer(actors.org_a, **_fields())

    with pytest.raises(DomainError):
        listing_update(actor=actors.member_user_a, listing=listing, **_fields(title="Nouveau", minutes=0))

    listing.refresh_from_db()
    assert (listing.title, listing.minutes) == ("Comptable bénévole", 180)


def test_close_then_reopen(actors: Actors) -> None:
    listing = need(actors.org_b)

    listing_close(actor=actors.member_admin_b, listing=listing)
    listing.refresh_from_db()
    assert listing.state == "closed"
    with pytest.raises(DomainError) as twice:
        listing_close(actor=actors.member_admin_b, listing=listing)
    assert twice.value.code == "state"

    listing_reopen(actor=actors.member_admin_b, listing=listing)
    listing.refresh_from_db()
    assert listing.state == "open"
    with pytest.raises(DomainError):
        listing_reopen(actor=actors.member_admin_b, listing=listing)
    assert [event.action for event in AuditEvent.objects.filter(target_id=str(listing.pk)).order_by("pk")] == [
        "skills.need.create",
        "skills.listing.close",
        "skills.listing.reopen",
    ]


def test_an_organisation_that_left_cannot_reopen(actors: Actors) -> None:
    organisation = make_organisation("Partante")
    person = make_person("p@example.org", "Paule")
    organisation.affiliations.create(person=person, role="member")
    listing = offer(organisation, actor=person)
    listing_close(actor=person, listing=listing)
    Membership.objects.filter(organisation=organisation).update(status=Membership.Status.SUSPENDED)

    with pytest.raises(DomainError) as refused:
        listing_reopen(actor=person, listing=listing)

    assert refused.value.field == "organisation"


def test_search_text_keeps_title_and_description_apart() -> None:
    assert search_text_for("Prêt d'une remorque", "Remorques de 750 kg") == "pret remorqu\nremorqu kg"
