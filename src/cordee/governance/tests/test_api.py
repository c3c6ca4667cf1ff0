"""The governance API: the decisions a person may see with their tally, and voting, refused with
the same rules (and the same nothing written) as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.governance import services
from cordee.governance.models import Vote
from cordee.governance.tests.support import body, members, open_decision, seat, snapshot, vote_all

LIST = "/api/v1/governance/decisions"


def detail(pk: int) -> str:
    return f"{LIST}/{pk}"


def votes(pk: int) -> str:
    return f"{LIST}/{pk}/votes"


@pytest.fixture
def world(actors: Actors) -> dict[str, Any]:
    committee = body(actors)
    seat(actors, committee, actors.committee)
    seat(actors, committee, actors.member_admin_a, actors.org_a)
    seat(actors, committee, actors.member_admin_b, actors.org_b)
    decision = open_decision(actors, committee, concerned=[actors.org_b], subject=actors.org_b)
    return {"body": committee, "decision": decision}


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def test_the_routes_have_the_expected_names() -> None:
    assert reverse("api-v1:list_decisions") == LIST
    assert reverse("api-v1:get_decision", args=[7]) == detail(7)
    assert reverse("api-v1:cast_vote", args=[7]) == votes(7)


def test_who_may_list(actors: Actors, world: dict[str, Any], client: Client, client_for: Any) -> None:
    assert client.get(LIST).status_code == 401
    assert client_for(actors.outsider).get(LIST).status_code == 403
    # A member organisation's person may use governance; they sit on no body and there is no
    # general assembly here, so they see no decision.
    assert client_for(actors.member_user_a).get(LIST).json()["count"] == 0
    mine = client_for(actors.member_admin_a).get(LIST).json()
    assert mine["count"] == 1
    item = mine["items"][0]
    assert item["id"] == world["decision"].pk
    assert item["body"]["slug"] == world["body"].slug
    assert (item["status"], item["outcome"], item["subject_type"], item["subject_id"]) == (
        "open",
        None,
        "network.organisation",
        world["decision"].subject_id,
    )


def test_a_decision_with_its_tally_votes_and_recusals(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = world["decision"]
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="for", comment="Solide")

    data = client_for(actors.committee).get(detail(decision.pk)).json()

    assert data["tally"] == {
        "votes_for": 1,
        "votes_against": 0,
        "abstentions": 0,
        "cast": 1,
        "entitled": 2,
        "recused": 1,
        "turnout_percent": 50,
        "quorum_percent": 50,
        "quorum_needed": 1,
        "quorum_reached": True,
        "majority": "simple",
        "percent_for": 100,
        "percent_against": 0,
        "percent_abstain": 0,
        "outcome": "approved",
        "final": False,
        "ballots": 0,
    }
    assert data["concerned"] == [{"id": actors.org_b.pk, "name": actors.org_b.name}]
    assert data["recused"] == [
        {"person": actors.member_admin_b.full_name, "organisation": {"id": actors.org_b.pk, "name": actors.org_b.name}}
    ]
    assert [(v["person"], v["choice"], v["comment"], v["counts"]) for v in data["votes"]] == [
        (actors.member_admin_a.full_name, "for", "Solide", True)
    ]
    assert data["can_vote"] is True
    assert client_for(actors.member_admin_b).get(detail(decision.pk)).json()["can_vote"] is False


def test_a_closed_decision_gives_its_frozen_result(actors: Actors, client_for: Any) -> None:
    committee = body(actors, majority="two_thirds")
    voters = members(actors, committee, 3)
    decision = open_decision(actors, committee)
    vote_all(decision, voters, "ffa")
    services.decision_close(actor=actors.coordinator, decision=decision)

    data = client_for(actors.treasurer).get(detail(decision.pk)).json()

    assert (data["status"], data["outcome"], data["tally"]["final"], data["tally"]["outcome"]) == (
        "closed",
        "approved",
        True,
        "approved",
    )
    assert (data["tally"]["percent_for"], data["tally"]["percent_against"]) == (67, 33)


def test_a_decision_of_another_body_is_not_found(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    board = body(actors, name="Bureau")
    members(actors, board, 1)
    secret = open_decision(actors, board)

    assert client_for(actors.committee).get(detail(secret.pk)).status_code == 404
    assert post(client_for(actors.committee), votes(secret.pk), {"choice": "for"}).status_code == 404
    assert client_for(actors.committee).get(detail(999_999)).status_code == 404


def test_voting_and_changing_the_vote(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = world["decision"]
    client = client_for(actors.member_admin_a)

    first = post(client, votes(decision.pk), {"choice": "for", "comment": "Oui"})
    twice = post(client, votes(decision.pk), {"choice": "against"})
    second = post(client, votes(decision.pk), {"choice": "against", "change": True})

    assert (twice.status_code, twice.json()["code"]) == (422, "already_voted")
    assert first.status_code == second.status_code == 200
    body_ = second.json()
    assert (body_["choice"], body_["comment"], body_["decision_id"]) == ("against", "", decision.pk)
    assert body_["organisation"] == {"id": actors.org_a.pk, "name": actors.org_a.name}
    assert Vote.objects.get().choice == "against"


@pytest.mark.parametrize(
    ("who", "payload", "status", "code", "field"),
    [
        ("member_admin_a", {"choice": "maybe"}, 422, "invalid_choice", "choice"),
        ("member_admin_b", {"choice": "for"}, 403, "recused", "seat"),
        ("treasurer", {"choice": "for"}, 403, "no_seat", "seat"),
    ],
)
def test_refused_votes_say_why_and_write_nothing(
    actors: Actors,
    world: dict[str, Any],
    client_for: Any,
    who: str,
    payload: dict[str, str],
    status: int,
    code: str,
    field: str,
) -> None:
    before = snapshot()
    response = post(client_for(getattr(actors, who)), votes(world["decision"].pk), payload)

    assert response.status_code == status
    data = response.json()
    assert (data["code"], data["field"]) == (code, field)
    assert data["detail"]
    [problem] = data["errors"]
    assert (problem["field"], problem["code"], problem["message"]) == (field, code, data["detail"])
    assert snapshot() == before


def test_no_vote_after_the_close(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = world["decision"]
    services.decision_close(actor=actors.coordinator, decision=decision)

    response = post(client_for(actors.committee), votes(decision.pk), {"choice": "for"})

    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("closed", "status")
    assert not Vote.objects.exists()


def test_anonymous_and_outsiders_cannot_vote(
    actors: Actors, world: dict[str, Any], client: Client, client_for: Any
) -> None:
    decision = world["decision"]
    assert post(client, votes(decision.pk), {"choice": "for"}).status_code == 401
    assert post(client_for(actors.outsider), votes(decision.pk), {"choice": "for"}).status_code == 403
    assert not Vote.objects.exists()


def test_the_openapi_document_describes_the_governance_routes(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {LIST, LIST + "/{decision_id}", LIST + "/{decision_id}/votes"} <= set(paths)
