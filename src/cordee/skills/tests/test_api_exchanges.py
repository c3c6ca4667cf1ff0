"""The exchanges API: the same life cycle as the pages, JSON refusals with the rule's code."""

from __future__ import annotations

import pytest
from django.test import Client

from cordee.core.models import User
from cordee.skills.models import Exchange, Terms
from cordee.skills.tests.exchange_support import done, make_listing, proposed

pytestmark = pytest.mark.django_db
API = "/api/v1/skills"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def post(client: Client, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, data or {}, content_type="application/json")


def test_an_exchange_goes_through_its_life_by_the_api(actors):
    listing = make_listing(actors.org_b, minutes=90)
    a, b = client_for(actors.member_admin_a), client_for(actors.member_admin_b)
    response = post(a, f"{API}/exchanges", {"organisation_id": actors.org_a.pk, "listing_id": listing.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["terms"], body["minutes"], body["giver_id"]) == (
        "proposed",
        "hours",
        90,
        actors.org_b.pk,
    )
    pk = body["id"]
    assert post(a, f"{API}/exchanges/{pk}/accept").status_code == 403
    assert post(b, f"{API}/exchanges/{pk}/accept").json()["state"] == "accepted"
    assert post(a, f"{API}/exchanges/{pk}/confirm", {"organisation_id": actors.org_a.pk}).json()["state"] == "accepted"
    done_body = post(b, f"{API}/exchanges/{pk}/confirm", {"organisation_id": actors.org_b.pk}).json()
    assert done_body["state"] == "done" and done_body["transfer_id"]
    review = post(b, f"{API}/exchanges/{pk}/review", {"organisation_id": actors.org_b.pk, "rating": 4})
    assert review.status_code == 201 and review.json()["rating"] == 4
    assert a.get(f"{API}/exchanges/{pk}").json()["reviews"] == [
        {"organisation_id": actors.org_b.pk, "rating": 4, "testimony": ""}
    ]
    balances = {row["organisation_id"]: row["balance_minutes"] for row in a.get(f"{API}/credits").json()}
    assert balances == {actors.org_a.pk: -90}
    [pair] = a.get(f"{API}/cooperations").json()
    assert (pair["giver"], pair["receiver"], pair["exchanges"], pair["minutes"]) == (
        actors.org_b.name,
        actors.org_a.name,
        1,
        90,
    )


def test_a_refusal_is_json_with_its_code_and_field(actors):
    exchange = proposed(actors)
    response = post(
        client_for(actors.member_admin_b),
        f"{API}/exchanges/{exchange.pk}/cancel",
        {"organisation_id": actors.org_b.pk, "reason": ""},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "required" and response.json()["errors"][0]["field"] == "reason"
    assert Exchange.objects.get().state == Exchange.State.PROPOSED


def test_the_receivers_floor_is_named_in_the_refusal(actors):
    done(actors, minutes=20 * 60)
    listing = make_listing(actors.org_b, minutes=1)
    response = post(
        client_for(actors.member_user_a),
        f"{API}/exchanges",
        {"organisation_id": actors.org_a.pk, "listing_id": listing.pk},
    )
    assert response.status_code == 422 and response.json()["code"] == "receiver_floor"


def test_others_are_told_an_exchange_does_not_exist(actors):
    exchange = proposed(actors, terms=Terms.FREE, minutes=None)
    assert client_for(actors.treasurer).get(f"{API}/exchanges/{exchange.pk}").status_code == 404
    assert client_for(actors.outsider).get(f"{API}/exchanges").status_code == 403
    assert client_for(actors.member_admin_b).get(f"{API}/exchanges").json()[0]["id"] == exchange.pk
    assert client_for(actors.treasurer).get(f"{API}/exchanges").json() == []


def test_the_openapi_document_lists_the_exchange_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/skills/exchanges",
        "/api/v1/skills/exchanges/{exchange_id}",
        "/api/v1/skills/exchanges/{exchange_id}/accept",
        "/api/v1/skills/exchanges/{exchange_id}/confirm",
        "/api/v1/skills/exchanges/{exchange_id}/cancel",
        "/api/v1/skills/exchanges/{exchange_id}/review",
        "/api/v1/skills/credits",
        "/api/v1/skills/cooperations",
    ):
        assert path in paths
