"""The offers and needs API (/api/v1/skills/...)."""

from __future__ import annotations

from typing import Any

import pytest

from cordee.core.testing import Actors
from cordee.skills.models import Listing
from cordee.skills.tests.factories import need, offer

pytestmark = pytest.mark.django_db

API = "/api/v1/skills"


def _payload(actors: Actors, **overrides: Any) -> dict[str, Any]:
    payload = {
        "organisation_id": actors.org_a.pk,
        "nature": "skill",
        "category": "accounting",
        "title": "Comptable bénévole",
        "description": "Bilans et comptes annuels.",
        "commune": "05061",
        "terms": "hours",
        "minutes": 180,
    }
    payload.update(overrides)
    return payload


def test_a_member_posts_an_offer_and_reads_it_back(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_user_a)

    created = client.post(f"{API}/offers", _payload(actors), content_type="application/json")
    body = created.json()
    fetched = client.get(f"{API}/listings/{body['id']}").json()

    assert created.status_code == 201
    assert (body["direction"], body["terms"], body["minutes"], body["price_cents"]) == ("offer", "hours", 180, None)
    assert fetched == body
    assert body["commune"] == "05061" and body["organisation_id"] == actors.org_a.pk


def test_bad_input_is_a_422_naming_the_field(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_user_a)

    no_minutes = client.post(f"{API}/needs", _payload(actors, minutes=None), content_type="application/json")
    bad_commune = client.post(f"{API}/needs", _payload(actors, commune="99999"), content_type="application/json")
    bad_terms = client.post(f"{API}/needs", _payload(actors, terms="barter"), content_type="application/json")

    assert no_minutes.status_code == bad_commune.status_code == bad_terms.status_code == 422
    assert no_minutes.json()["errors"][0]["field"] == "minutes"
    assert bad_commune.json()["errors"][0]["field"] == "commune"
    assert "terms" in str(bad_terms.json())
    assert not Listing.objects.exists()


def test_posting_for_another_organisation_is_forbidden(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.member_admin_b).post(
        f"{API}/offers", _payload(actors), content_type="application/json"
    )

    assert response.status_code == 403
    assert not Listing.objects.exists()


def test_lists_filter_by_words_and_category(actors: Actors, client_for: Any) -> None:
    accountant = offer(actors.org_b, title="Comptable bénévole", category="accounting")
    offer(actors.org_b, title="Prêt d'une remorque", category="logistics")
    wanted = need(actors.org_b, title="Réseau informatique", category="digital")
    client = client_for(actors.treasurer)

    offers = client.get(f"{API}/offers", {"q": "comptabilité"}).json()
    logistics = client.get(f"{API}/offers", {"category": "logistics"}).json()
    needs = client.get(f"{API}/needs", {"q": "reseaux"}).json()

    assert [row["id"] for row in offers] == [accountant.pk]
    assert [row["title"] for row in logistics] == ["Prêt d'une remorque"]
    assert [row["id"] for row in needs] == [wanted.pk]


def test_patch_changes_only_what_is_sent_and_drops_amounts_of_old_terms(actors: Actors, client_for: Any) -> None:
    listing = offer(actors.org_a, title="Comptable bénévole", terms="hours", minutes=120)
    client = client_for(actors.member_admin_a)

    renamed = client.patch(
        f"{API}/listings/{listing.pk}", {"title": "Expert-comptable"}, content_type="application/json"
    )
    priced = client.patch(
        f"{API}/listings/{listing.pk}", {"terms": "euros", "price_cents": 4500}, content_type="application/json"
    )
    refused = client.patch(f"{API}/listings/{listing.pk}", {"terms": "hours"}, content_type="application/json")

    assert renamed.json()["title"] == "Expert-comptable" and renamed.json()["minutes"] == 120
    assert (priced.json()["terms"], priced.json()["minutes"], priced.json()["price_cents"]) == ("euros", None, 4500)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "minutes"
    listing.refresh_from_db()
    assert (listing.title, listing.terms, listing.price_cents) == ("Expert-comptable", "euros", 4500)


def test_patch_and_close_by_another_member_are_forbidden(actors: Actors, client_for: Any) -> None:
    listing = offer(actors.org_a)
    client = client_for(actors.member_admin_b)

    patched = client.patch(f"{API}/listings/{listing.pk}", {"title": "Piraté"}, content_type="application/json")
    closed = client.post(f"{API}/listings/{listing.pk}/close")

    assert patched.status_code == closed.status_code == 403
    listing.refresh_from_db()
    assert listing.state == "open" and listing.title != "Piraté"


def test_close_twice_is_a_422(actors: Actors, client_for: Any) -> None:
    listing = offer(actors.org_a)
    client = client_for(actors.member_user_a)

    first = client.post(f"{API}/listings/{listing.pk}/close")
    second = client.post(f"{API}/listings/{listing.pk}/close")

    assert (first.status_code, first.json()["state"]) == (200, "closed")
    assert second.status_code == 422 and second.json()["errors"][0]["field"] == "state"


def test_matches_of_a_need_best_first_with_their_score(actors: Actors, client_for: Any) -> None:
    wanted = need(actors.org_a, title="Aide pour la comptabilité", description="Bilans annuels.", category="accounting")
    trailer = offer(actors.org_b, title="Prêt d'une remorque", description="Pour vos bilans.", category="logistics")
    accountant = offer(actors.org_b, title="Comptable bénévole", description="Bilans annuels.", category="accounting")
    client = client_for(actors.member_admin_b)

    rows = client.get(f"{API}/needs/{wanted.pk}/matches").json()
    of_an_offer = client.get(f"{API}/needs/{accountant.pk}/matches")

    assert [row["offer"]["id"] for row in rows] == [accountant.pk, trailer.pk]
    assert rows[0]["same_category"] is True and rows[0]["distance_km"] == 58.2  # Gap to Briançon
    assert rows[0]["score"] > rows[1]["score"]
    assert 0 < rows[1]["text_score"] < rows[0]["text_score"] <= 1
    assert of_an_offer.status_code == 404


def test_visitors_and_outsiders_get_nothing(actors: Actors, client_for: Any) -> None:
    listing = offer(actors.org_a)

    assert client_for(None).get(f"{API}/offers").status_code == 401
    assert client_for(actors.outsider).get(f"{API}/offers").status_code == 403
    assert client_for(actors.outsider).get(f"{API}/listings/{listing.pk}").status_code == 403


def test_the_openapi_document_describes_the_skills_paths(client_for: Any, db: Any) -> None:
    schema = client_for(None).get("/api/v1/openapi.json").json()

    for path in ("/offers", "/needs", "/listings/{listing_id}", "/listings/{listing_id}/close"):
        assert f"/api/v1/skills{path}" in schema["paths"]
    assert "patch" in schema["paths"]["/api/v1/skills/listings/{listing_id}"]
    assert schema["paths"]["/api/v1/skills/needs/{listing_id}/matches"]["get"]["tags"] == ["skills"]
