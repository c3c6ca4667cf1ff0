"""The governance pages: who sees what, voting (and coming back to the page that embedded the
form, never to another site), closing, and the coordinator's body and seat forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.governance import services
from cordee.governance.models import Body, BodyMember, Decision, Vote
from cordee.governance.tests.support import body, members, open_decision, seat, snapshot

INDEX = reverse("governance:index")


@pytest.fixture
def world(actors: Actors) -> dict[str, Any]:
    """A committee: the committee member (for nobody), A's and B's member admins (for A and B);
    an open decision concerning B."""
    committee = body(actors)
    seat(actors, committee, actors.committee)
    seat(actors, committee, actors.member_admin_a, actors.org_a)
    seat(actors, committee, actors.member_admin_b, actors.org_b)
    decision = open_decision(actors, committee, concerned=[actors.org_b])
    return {"body": committee, "decision": decision}


def checked_choice(html: str) -> str | None:
    """The vote the form holds: the radio button checked."""
    found = re.search(r'<input type="radio" name="choice" value="(\w+)"[^>]*\bchecked\b', html)
    return found.group(1) if found else None


def decision_url(decision: Decision, name: str = "decision") -> str:
    return reverse(f"governance:{name}", args=[decision.pk])


def test_the_index_lists_bodies_and_the_votes_awaited(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    response = client_for(actors.member_admin_a).get(INDEX)

    assert response.status_code == 200
    assert list(response.context["pending"]) == [world["decision"]]
    assert list(response.context["bodies"]) == [world["body"]]
    assert reverse("governance:body_create").encode() not in response.content
    recused = client_for(actors.member_admin_b).get(INDEX)
    assert list(recused.context["pending"]) == []
    assert reverse("governance:body_create").encode() in client_for(actors.coordinator).get(INDEX).content


def test_people_without_a_seat_or_a_hub_role_are_kept_out(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    outsider = client_for(actors.outsider)
    assert outsider.get(INDEX).status_code == 403
    assert outsider.get(decision_url(world["decision"])).status_code == 403
    # A member organisation's person reaches the governance pages (the general assembly is theirs),
    # not a committee they do not sit on.
    member = client_for(actors.member_user_a)
    assert member.get(INDEX).status_code == 200
    assert member.get(decision_url(world["decision"])).status_code == 404
    assert client_for(None).get(INDEX).status_code == 302


def test_a_member_of_another_body_does_not_see_this_one(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    board = body(actors, name="Bureau")
    members(actors, board, 1)
    secret = open_decision(actors, board)
    client = client_for(actors.committee)

    assert client.get(reverse("governance:body", args=[board.slug])).status_code == 404
    assert client.get(decision_url(secret)).status_code == 404
    assert client.post(decision_url(secret, "vote"), {"choice": "for"}).status_code == 404
    assert not Vote.objects.exists()


def test_the_decision_page_offers_the_vote_to_an_entitled_member_only(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    decision = world["decision"]
    voter = client_for(actors.member_admin_a).get(decision_url(decision))
    recused = client_for(actors.member_admin_b).get(decision_url(decision))
    coordinator = client_for(actors.coordinator).get(decision_url(decision))

    action = f'action="{decision_url(decision, "vote")}"'.encode()
    assert voter.status_code == recused.status_code == coordinator.status_code == 200
    assert action in voter.content
    assert b'name="choice"' in voter.content
    assert action not in recused.content
    assert [seat.person for seat in recused.context["recused"]] == [actors.member_admin_b]
    assert action not in coordinator.content
    assert decision_url(decision, "decision_close").encode() in coordinator.content
    assert decision_url(decision, "decision_close").encode() not in voter.content
    assert voter.context["tally"].entitled == 2


def test_voting_then_changing_the_vote_by_the_page(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = world["decision"]
    client = client_for(actors.member_admin_a)

    first = client.post(decision_url(decision, "vote"), {"choice": "for", "comment": "Dossier solide"})
    again = client.post(decision_url(decision, "vote"), {"choice": "against", "comment": ""})
    second = client.post(decision_url(decision, "vote"), {"choice": "abstain", "comment": "", "change": "True"})

    assert again.status_code == 400  # a second vote without asking to change it
    assert first.status_code == second.status_code == 302
    assert first["Location"] == decision_url(decision)
    vote = Vote.objects.get()
    assert (vote.seat.person, vote.choice, vote.comment) == (actors.member_admin_a, "abstain", "")
    assert checked_choice(client.get(decision_url(decision)).content.decode()) == "abstain"


@pytest.mark.parametrize(
    ("target", "followed"),
    [
        ("/tresorerie/avances/12/", True),
        ("/gouvernance/?onglet=votes", True),
        ("https://evil.example/phish", False),
        ("//evil.example/phish", False),
        ("javascript:alert(1)", False),
    ],
)
def test_after_voting_the_form_goes_back_to_next_only_on_this_site(
    actors: Actors, world: dict[str, Any], client_for: Any, target: str, followed: bool
) -> None:
    decision = world["decision"]
    response = client_for(actors.committee).post(decision_url(decision, "vote"), {"choice": "for", "next": target})

    assert response.status_code == 302
    assert response["Location"] == (target if followed else decision_url(decision))
    assert Vote.objects.filter(decision=decision).count() == 1


def test_a_refused_vote_shows_the_page_again_and_writes_nothing(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    decision = world["decision"]
    before = snapshot()

    invalid = client_for(actors.member_admin_a).post(decision_url(decision, "vote"), {"choice": "maybe"})
    recused = client_for(actors.member_admin_b).post(decision_url(decision, "vote"), {"choice": "for"})
    no_seat = client_for(actors.treasurer).post(decision_url(decision, "vote"), {"choice": "for"})

    assert invalid.status_code == 400
    assert invalid.context["refused_form"].has_error("choice")
    assert recused.status_code == 403
    assert recused.context["refused_form"].has_error("__all__")
    assert no_seat.status_code == 403
    assert snapshot() == before


def test_the_coordinator_closes_the_vote(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = world["decision"]
    client_for(actors.committee).post(decision_url(decision, "vote"), {"choice": "for"})
    client_for(actors.member_admin_a).post(decision_url(decision, "vote"), {"choice": "for"})

    refused = client_for(actors.committee).post(decision_url(decision, "decision_close"), {"reasons": "Oui"})
    response = client_for(actors.coordinator).post(
        decision_url(decision, "decision_close"), {"reasons": "Projet utile", "conditions": "Caution"}
    )

    assert refused.status_code == 403
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.outcome, decision.entitled_count, decision.votes_for) == (
        "closed",
        "approved",
        2,
        2,
    )
    assert (decision.reasons, decision.conditions, decision.closed_by) == (
        "Projet utile",
        "Caution",
        actors.coordinator,
    )
    again = client_for(actors.coordinator).post(decision_url(decision, "decision_close"), {})
    assert again.status_code == 400
    late = client_for(actors.committee).post(decision_url(decision, "vote"), {"choice": "against"})
    assert late.status_code == 400
    assert Vote.objects.filter(choice="against").count() == 0
    page = client_for(actors.committee).get(decision_url(decision))
    assert page.context["tally"].final


def test_the_coordinator_cancels_with_a_reason(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = world["decision"]
    client = client_for(actors.coordinator)

    assert client.post(decision_url(decision, "decision_cancel"), {"reasons": ""}).status_code == 400
    assert client.post(decision_url(decision, "decision_cancel"), {"reasons": "Retirée"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == "cancelled"


def test_the_subject_of_a_decision_is_linked(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = open_decision(actors, world["body"], subject=actors.org_b)
    response = client_for(actors.committee).get(decision_url(decision))
    assert response.context["subject_url"] == actors.org_b.get_absolute_url()
    assert f'href="{actors.org_b.get_absolute_url()}"'.encode() in response.content


def test_the_coordinator_creates_a_body_adds_and_ends_seats_and_opens_a_decision(
    actors: Actors, client_for: Any
) -> None:
    client = client_for(actors.coordinator)

    created = client.post(
        reverse("governance:body_create"),
        {"kind": "board", "name": "Conseil d'administration", "quorum_percent": "50", "majority": "absolute"},
    )
    board = Body.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("governance:body", args=[board.slug])

    added = client.post(
        reverse("governance:seat_add", args=[board.slug]),
        {
            "person": actors.member_admin_a.pk,
            "organisation": actors.org_a.pk,
            "role": "Présidente",
            "starts_on": "2026-01-01",
        },
    )
    assert added.status_code == 302
    member = BodyMember.objects.get()
    assert (member.person, member.organisation, member.role) == (actors.member_admin_a, actors.org_a, "Présidente")
    clash = client.post(
        reverse("governance:seat_add", args=[board.slug]),
        {"person": actors.member_admin_a.pk, "starts_on": "2026-02-01"},
    )
    assert clash.status_code == 400
    assert clash.context["seat_form"].has_error("person")
    assert BodyMember.objects.count() == 1

    opened = client.post(
        reverse("governance:decision_create", args=[board.slug]),
        {"title": "Budget 2027", "text": "Adopter le budget.", "concerned": [actors.org_b.pk]},
    )
    decision = Decision.objects.get()
    assert opened.status_code == 302
    assert opened["Location"] == decision_url(decision)
    assert list(decision.concerned.all()) == [actors.org_b]

    last_day = timezone.localdate() - dt.timedelta(days=1)
    ended = client.post(reverse("governance:seat_end", args=[board.slug, member.pk]), {"ends_on": last_day.isoformat()})
    assert ended.status_code == 302
    member.refresh_from_db()
    assert member.ends_on == last_day
    body_page = client.get(reverse("governance:body", args=[board.slug]))
    assert body_page.context["seats"] == []
    assert body_page.context["ended_seats"] == [member]


def test_only_the_coordinator_manages_bodies(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    committee = world["body"]
    client = client_for(actors.treasurer)
    before = (Body.objects.count(), BodyMember.objects.count())

    assert client.get(reverse("governance:body_create")).status_code == 403
    assert client.get(reverse("governance:body_edit", args=[committee.slug])).status_code == 403
    seat_data = {"person": actors.treasurer.pk, "starts_on": "2026-01-01"}
    assert client.post(reverse("governance:seat_add", args=[committee.slug]), seat_data).status_code == 403
    assert client.get(reverse("governance:decision_create", args=[committee.slug])).status_code == 403
    assert (Body.objects.count(), BodyMember.objects.count()) == before


def test_editing_a_body(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    committee = world["body"]
    url = reverse("governance:body_edit", args=[committee.slug])
    client = client_for(actors.coordinator)

    assert client.get(url).status_code == 200
    bad = client.post(url, {"kind": "committee", "name": "Comité", "quorum_percent": "150", "majority": "simple"})
    assert bad.status_code == 400
    good = client.post(url, {"kind": "committee", "name": "Comité", "quorum_percent": "60", "majority": "unanimity"})
    assert good.status_code == 302
    committee.refresh_from_db()
    assert (committee.quorum_percent, committee.majority, committee.slug) == (60, "unanimity", "comite-dengagement")


def test_the_vote_form_can_be_embedded_in_another_page(actors: Actors, world: dict[str, Any], rf: Any) -> None:
    from django.template.loader import render_to_string

    decision = world["decision"]
    request = rf.get("/tresorerie/avances/12/")
    request.user = actors.member_admin_a
    html = render_to_string(
        "governance/includes/vote_form.html",
        {"decision": decision, "next": "/tresorerie/avances/12/"},
        request=request,
    )
    assert f'action="{decision_url(decision, "vote")}"' in html
    assert 'name="next" value="/tresorerie/avances/12/"' in html
    request.user = actors.coordinator
    assert "<form" not in render_to_string(
        "governance/includes/vote_form.html", {"decision": decision, "next": "/"}, request=request
    )
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="against")
    request.user = actors.member_admin_a
    again = render_to_string("governance/includes/vote_form.html", {"decision": decision}, request=request)
    assert checked_choice(again) == "against"
