"""The pages and API of polls, the general assembly and the register: the creation form with
options and slots, the ballot form of each kind, a second vote refused on the page, the register
(page, CSV, API) and the minutes PDF."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import Actors, make_organisation, make_person
from cordee.governance import services
from cordee.governance.models import Decision, Vote
from cordee.governance.tests.support import body, members, seat
from cordee.network.models import Affiliation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(actors: Actors) -> dict[str, Any]:
    """The assembly (A and B active; a third organisation C), and a board where the committee member sits."""
    c = make_organisation("Épicerie de Guillestre")
    assembly = services.body_create(
        actor=actors.coordinator, kind="assembly", name="Assemblée générale", quorum_percent=25, majority="simple"
    )
    board = body(actors, name="Bureau")
    seat(actors, board, actors.committee)
    members(actors, board, 2)
    return {"assembly": assembly, "board": board, "c": c}


def decision_url(decision: Decision, name: str = "decision") -> str:
    return reverse(f"governance:{name}", args=[decision.pk])


def test_the_coordinator_opens_a_meeting_poll_with_one_slot_a_line(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    client = client_for(actors.coordinator)
    url = reverse("governance:decision_create", args=[world["assembly"].slug])
    response = client.post(
        url,
        {
            "title": "Date de l'assemblée générale",
            "kind": "meeting",
            "category": "general",
            "options": "26/11/2026 18:00-20:00\n27/11/2026 9h30 - 12h00\n",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    slots = [
        (timezone.localtime(o.starts_at).strftime("%d/%m %H:%M"), o.ends_at is not None) for o in decision.options.all()
    ]
    assert slots == [("26/11 18:00", True), ("27/11 09:30", True)]

    bad = client.post(url, {"title": "Date", "kind": "meeting", "options": "jeudi soir\n27/11/2026 18:00"})
    assert bad.status_code == 400
    assert "options" in bad.context["form"].errors


def test_a_poll_with_one_option_is_refused_on_the_form(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    url = reverse("governance:decision_create", args=[world["board"].slug])
    response = client_for(actors.coordinator).post(url, {"title": "Thème", "kind": "single", "options": "Mobilité"})
    assert response.status_code == 400
    assert "options" in response.context["form"].errors
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("kind", "post"),
    [
        ("single", lambda a, b, c: {"option": str(b)}),
        ("multiple", lambda a, b, c: {"chosen": [str(a), str(c)]}),
        ("ranked", lambda a, b, c: {f"rank_{a}": "2", f"rank_{b}": "1", f"rank_{c}": ""}),
        ("score", lambda a, b, c: {f"score_{a}": "4", f"score_{b}": "0", f"score_{c}": "5"}),
    ],
)
def test_the_ballot_form_of_each_kind_records_the_preferences(
    actors: Actors, world: dict[str, Any], client_for: Any, kind: str, post: Any
) -> None:
    decision = services.decision_open(
        actor=actors.coordinator,
        body=world["board"],
        title="Thème",
        kind=kind,
        options=["Mobilité", "Alimentation", "Culture"],
    )
    a, b, c = decision.options.values_list("pk", flat=True)
    client = client_for(actors.committee)
    page = client.get(decision_url(decision)).content.decode()
    assert f'action="{decision_url(decision, "vote")}"' in page
    response = client.post(decision_url(decision, "vote"), post(a, b, c))
    assert response.status_code == 302
    held = dict(Vote.objects.get().preferences.values_list("option_id", "value"))
    expected = {
        "single": {b: 1},
        "multiple": {a: 1, c: 1},
        "ranked": {a: 2, b: 1},
        "score": {a: 4, b: 0, c: 5},
    }[kind]
    assert held == expected


def test_a_meeting_ballot_answers_every_slot(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    start = timezone.now() + dt.timedelta(days=7)
    decision = services.decision_open(
        actor=actors.coordinator,
        body=world["board"],
        title="Réunion",
        kind="meeting",
        options=[services.Slot(start), services.Slot(start + dt.timedelta(days=1))],
    )
    a, b = decision.options.values_list("pk", flat=True)
    client = client_for(actors.committee)
    missing = client.post(decision_url(decision, "vote"), {f"slot_{a}": "2"})
    assert missing.status_code == 400
    assert client.post(decision_url(decision, "vote"), {f"slot_{a}": "2", f"slot_{b}": "1"}).status_code == 302
    assert dict(Vote.objects.get().preferences.values_list("option_id", "value")) == {a: 2, b: 1}


def test_in_the_assembly_a_second_vote_by_the_page_is_refused_and_the_first_stays(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    decision = services.decision_open(actor=actors.coordinator, body=world["assembly"], title="Comptes 2025")
    other_admin = make_person("ref2.a@example.org", "Hugo Vidal")
    Affiliation.objects.create(person=other_admin, organisation=actors.org_a, role=Affiliation.Role.ADMIN)
    first = client_for(actors.member_admin_a).post(decision_url(decision, "vote"), {"choice": "for"})
    assert first.status_code == 302
    second = client_for(other_admin).post(decision_url(decision, "vote"), {"choice": "against"})
    assert second.status_code == 400
    assert second.context["vote_form"].errors
    assert Vote.objects.get().choice == "for"
    # The first voter is offered to change the vote; the other representative is not.
    assert "change" in client_for(actors.member_admin_a).get(decision_url(decision)).content.decode()
    page = client_for(other_admin).get(decision_url(decision)).content.decode()
    assert f'action="{decision_url(decision, "vote")}"' not in page


def test_a_person_representing_two_organisations_gets_one_ballot_each(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    Affiliation.objects.create(person=actors.member_admin_a, organisation=world["c"], role=Affiliation.Role.ADMIN)
    decision = services.decision_open(actor=actors.coordinator, body=world["assembly"], title="Comptes 2025")
    client = client_for(actors.member_admin_a)
    page = client.get(decision_url(decision)).content.decode()
    assert page.count(f'action="{decision_url(decision, "vote")}"') == 2
    response = client.post(decision_url(decision, "vote"), {"choice": "for", "organisation": str(world["c"].pk)})
    assert response.status_code == 302
    assert Vote.objects.get().organisation == world["c"]


def test_a_member_user_sees_the_assembly_but_does_not_vote(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    decision = services.decision_open(actor=actors.coordinator, body=world["assembly"], title="Comptes 2025")
    client = client_for(actors.member_user_a)
    assert client.get(decision_url(decision)).status_code == 200
    assert client.post(decision_url(decision, "vote"), {"choice": "for"}).status_code == 403
    assert not Vote.objects.exists()


def closed_assembly_decision(actors: Actors, world: dict[str, Any]) -> Decision:
    decision = services.decision_open(
        actor=actors.coordinator, body=world["assembly"], title="Approbation des comptes 2025", category="budget"
    )
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="for")
    services.vote_cast(actor=actors.member_admin_b, decision=decision, choice="against")
    return services.decision_close(actor=actors.coordinator, decision=decision, reasons="Vu le rapport")


def test_the_closed_page_shows_quorum_majority_and_links_the_minutes(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    decision = closed_assembly_decision(actors, world)
    response = client_for(actors.member_user_a).get(decision_url(decision))
    tally = response.context["tally"]
    # 3 active member organisations, quorum 25 %: 1 needed, 2 cast; 1 for, 1 against: rejected.
    assert (tally.entitled, tally.quorum_needed, tally.cast, tally.quorum_reached) == (3, 1, 2, True)
    assert (tally.majority_reached, decision.outcome) == (False, "rejected")
    assert decision_url(decision, "decision_minutes") in response.content.decode()


def test_the_minutes_are_a_pdf_of_closed_decisions_only(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = closed_assembly_decision(actors, world)
    response = client_for(actors.member_admin_b).get(decision_url(decision, "decision_minutes"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert decision.register_number in response["Content-Disposition"]
    still_open = services.decision_open(actor=actors.coordinator, body=world["assembly"], title="Règlement intérieur")
    assert client_for(actors.coordinator).get(decision_url(still_open, "decision_minutes")).status_code == 404


def test_the_minutes_list_the_organisations_and_who_voted_for_them(actors: Actors, world: dict[str, Any]) -> None:
    from django.template.loader import render_to_string

    from cordee.governance.documents import minutes_context

    decision = closed_assembly_decision(actors, world)
    html = render_to_string("governance/documents/minutes.html", minutes_context(decision))
    assert actors.org_a.name in html and actors.member_admin_a.full_name in html
    assert decision.register_number in html and "Vu le rapport" in html


def test_the_register_lists_closed_decisions_newest_first_with_filters_and_a_csv(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    budget = closed_assembly_decision(actors, world)
    board_decision = services.decision_open(actor=actors.coordinator, body=world["board"], title="Budget du pôle")
    services.vote_cast(actor=actors.committee, decision=board_decision, choice="for")
    board_closed = services.decision_close(actor=actors.coordinator, decision=board_decision)
    services.decision_open(actor=actors.coordinator, body=world["assembly"], title="Encore ouverte")

    coordinator = client_for(actors.coordinator)
    rows = coordinator.get(reverse("governance:register")).context["rows"]
    assert [row[0] for row in rows] == [board_closed, budget]
    filtered = coordinator.get(reverse("governance:register"), {"category": "budget"}).context["rows"]
    assert [row[0] for row in filtered] == [budget]
    # A member user sees the assembly's decisions, not the board's.
    member_rows = client_for(actors.member_user_a).get(reverse("governance:register")).context["rows"]
    assert [row[0] for row in member_rows] == [budget]

    csv = coordinator.get(reverse("governance:register_csv"), {"body": world["assembly"].pk}).content.decode("utf-8")
    lines = csv.lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith(f"{budget.register_number};")


def test_the_api_gives_a_poll_with_its_options_and_results_and_takes_a_ballot(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    decision = services.decision_open(
        actor=actors.coordinator, body=world["assembly"], title="Thème", kind="ranked", options=["Mobilité", "Culture"]
    )
    a, b = decision.options.values_list("pk", flat=True)
    client = client_for(actors.member_admin_a)
    url = reverse("api-v1:cast_vote", args=[decision.pk])
    cast = client.post(url, json.dumps({"preferences": {str(b): 1, str(a): 2}}), content_type="application/json")
    assert cast.status_code == 200
    assert cast.json()["preferences"] == {str(b): 1, str(a): 2}
    assert cast.json()["organisation"]["id"] == actors.org_a.pk
    twice = client.post(url, json.dumps({"preferences": {str(a): 1}}), content_type="application/json")
    assert (twice.status_code, twice.json()["code"]) == (422, "already_voted")
    bad = client_for(actors.member_admin_b).post(
        url, json.dumps({"preferences": {str(a): 1, str(b): 1}}), content_type="application/json"
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "preferences")

    detail = client.get(reverse("api-v1:get_decision", args=[decision.pk])).json()
    assert [o["label"] for o in detail["options"]] == ["Mobilité", "Culture"]
    assert [(r["label"], r["points"]) for r in detail["results"]] == [("Mobilité", 1), ("Culture", 2)]
    assert (detail["kind"], detail["tally"]["ballots"]) == ("ranked", 1)


def test_the_api_register_lists_what_the_page_lists(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    budget = closed_assembly_decision(actors, world)
    data = client_for(actors.member_user_a).get(reverse("api-v1:list_register")).json()
    assert [(item["register_number"], item["outcome"]) for item in data["items"]] == [
        (budget.register_number, "rejected")
    ]
    assert client_for(actors.outsider).get(reverse("api-v1:list_register")).status_code == 403


def test_the_register_page_reads_a_fixed_number_of_queries(
    actors: Actors, world: dict[str, Any], client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        decision = services.decision_open(
            actor=actors.coordinator, body=world["assembly"], title=f"Point {n}", subject=actors.org_a
        )
        services.decision_close(actor=actors.coordinator, decision=decision)
    client = client_for(actors.coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("governance:register"))
    assert len(response.context["rows"]) == 6


def test_the_votes_of_a_poll_are_shown_in_words(actors: Actors, world: dict[str, Any], client_for: Any) -> None:
    decision = services.decision_open(
        actor=actors.coordinator, body=world["assembly"], title="Thème", kind="ranked", options=["Mobilité", "Culture"]
    )
    a, b = decision.options.values_list("pk", flat=True)
    services.vote_cast(actor=actors.member_admin_a, decision=decision, preferences={b: 1, a: 2})
    response = client_for(actors.member_user_a).get(decision_url(decision))
    assert [cast.ballot for cast in response.context["votes"]] == [["1. Culture", "2. Mobilité"]]


def test_the_assembly_page_lists_the_member_organisations_with_a_vote(
    actors: Actors, world: dict[str, Any], client_for: Any
) -> None:
    response = client_for(actors.member_user_a).get(reverse("governance:body", args=[world["assembly"].slug]))
    assert response.status_code == 200
    assert response.context["assembly_members"] == sorted(
        [actors.org_a, actors.org_b, world["c"]], key=lambda o: (o.sort_name, o.pk)
    )
