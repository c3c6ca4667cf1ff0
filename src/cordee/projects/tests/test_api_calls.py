"""The API of the calls for projects and of the applications."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cordee.core.testing import Actors
from cordee.projects.models import Application, Call
from cordee.projects.tests.factories import CLOSED, make_application, make_call, make_committee

pytestmark = pytest.mark.django_db

API = "/api/v1/projects"


@pytest.fixture
def call(actors: Actors) -> Call:
    return make_call(committee=make_committee(), created_by=actors.coordinator, slug="transitions")


def put(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(data), content_type="application/json")


def post(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def body(requested: int = 600_000, own: int = 400_000) -> dict[str, Any]:
    return {
        "title": "Navette solidaire",
        "summary": "Une navette.",
        "description": "<p>Une navette.</p>",
        "commune_codes": ["05061"],
        "starts_on": "2027-03-01",
        "ends_on": "2028-02-28",
        "requested_cents": requested,
        "answers": {"q1": "Aînés"},
        "budget_lines": [
            {"kind": "expense", "label": "Véhicule", "amount_cents": 1_000_000},
            {"kind": "resource", "label": "Pôle", "amount_cents": requested, "is_request": True},
            {"kind": "resource", "label": "Fonds propres", "amount_cents": own, "status": "own"},
        ],
        "indicators": [{"label": "Trajets", "unit": "trajets", "planned": 1200}],
    }


def test_anyone_lists_published_calls(client: Any, actors: Actors, call: Call) -> None:
    make_call(committee=call.committee, created_by=actors.coordinator, state="draft", slug="cache")
    response = client.get(f"{API}/calls")
    assert [c["slug"] for c in response.json()] == ["transitions"]
    assert response.json()[0]["phase"] == "open"
    detail = client.get(f"{API}/calls/transitions").json()
    assert [c["weight"] for c in detail["criteria"]] == [3, 2, 1]
    assert client.get(f"{API}/calls/cache").status_code == 404


def test_a_member_starts_fills_and_submits_an_application(client_for: Any, actors: Actors, call: Call) -> None:
    member = client_for(actors.member_admin_a)
    started = post(member, f"{API}/applications", {"call_slug": "transitions", "organisation_id": actors.org_a.pk})
    assert started.status_code == 201
    pk = started.json()["id"]
    unbalanced = put(member, f"{API}/applications/{pk}", body(own=300_000))
    assert unbalanced.status_code == 200
    assert [m["code"] for m in unbalanced.json()["missing"]] == ["unbalanced"]
    refused = post(member, f"{API}/applications/{pk}/submit")
    assert refused.status_code == 422
    assert refused.json()["code"] == "unbalanced"
    assert refused.json()["field"] == "budget"
    put(member, f"{API}/applications/{pk}", body())
    submitted = post(member, f"{API}/applications/{pk}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["number"] == f"AAP-{call.opens_on.year}-{call.pk:02d}-001"
    assert [a["id"] for a in member.get(f"{API}/applications").json()] == [pk]


def test_malformed_input_is_refused_naming_the_field_and_nothing_changes(
    client_for: Any, actors: Actors, call: Call
) -> None:
    application = make_application(call=call, organisation=actors.org_a, contact=actors.member_admin_a)
    data = body()
    data["commune_codes"] = ["99999"]
    response = put(client_for(actors.member_admin_a), f"{API}/applications/{application.pk}", data)
    assert response.status_code == 422
    assert response.json()["field"] == "communes"
    application.refresh_from_db()
    assert application.title != "Navette solidaire"


def test_others_may_not_start_or_change_an_application(client_for: Any, actors: Actors, call: Call) -> None:
    refused = post(
        client_for(actors.member_admin_b),
        f"{API}/applications",
        {"call_slug": "transitions", "organisation_id": actors.org_a.pk},
    )
    assert refused.status_code == 403
    application = make_application(call=call, organisation=actors.org_a, contact=actors.member_admin_a)
    assert put(client_for(actors.member_admin_b), f"{API}/applications/{application.pk}", body()).status_code == 404
    assert client_for(None).get(f"{API}/applications").status_code == 401
    assert Application.objects.count() == 1


def test_it_refuses_to_start_on_a_closed_call(client_for: Any, actors: Actors) -> None:
    closed = make_call(committee=make_committee(), created_by=actors.coordinator, when=CLOSED)
    response = post(
        client_for(actors.member_admin_a),
        f"{API}/applications",
        {"call_slug": closed.slug, "organisation_id": actors.org_a.pk},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "call_closed"
    assert not Application.objects.exists()
