"""The good practices API (/api/v1/practices...)."""

from __future__ import annotations

from typing import Any

import pytest

from cordee.core.testing import Actors
from cordee.practices.models import Comment
from cordee.practices.tests.factories import sheet

pytestmark = pytest.mark.django_db

API = "/api/v1/practices"


@pytest.fixture
def sheets(actors: Actors) -> dict[str, Any]:
    return {
        "public": sheet(actors.org_b, author=actors.member_admin_b, title="Navette des saisonniers"),
        "members": sheet(
            actors.org_a,
            author=actors.member_user_a,
            title="Épicerie itinérante",
            summary="Un camion-épicerie pour les hameaux.",
            tags="circuits courts",
            theme="food",
            visibility="members",
        ),
        "draft": sheet(actors.org_a, author=actors.member_user_a, title="Brouillon", state="draft"),
    }


def _slugs(response: Any) -> list[str]:
    assert response.status_code == 200
    return [row["slug"] for row in response.json()]


def test_a_visitor_lists_the_public_sheets_and_a_member_those_for_members_too(
    actors: Actors, client_for: Any, sheets: dict[str, Any]
) -> None:
    assert _slugs(client_for(None).get(API)) == [sheets["public"].slug]
    assert _slugs(client_for(actors.outsider).get(API)) == [sheets["public"].slug]
    assert set(_slugs(client_for(actors.member_admin_b).get(API))) == {sheets["public"].slug, sheets["members"].slug}


def test_it_filters_by_theme_and_searches_in_french(actors: Actors, client_for: Any, sheets: dict[str, Any]) -> None:
    client = client_for(actors.member_admin_b)

    assert _slugs(client.get(f"{API}?theme=food")) == [sheets["members"].slug]
    assert _slugs(client.get(f"{API}?q=epiceries")) == [sheets["members"].slug]
    assert _slugs(client.get(f"{API}?q=saisonnier&theme=mobility")) == [sheets["public"].slug]
    assert _slugs(client.get(f"{API}?q=saisonnier&theme=food")) == []
    assert client.get(f"{API}?theme=astrology").status_code == 422


def test_one_sheet_with_its_cleaned_text_and_the_organisations_the_reader_may_see(
    actors: Actors, client_for: Any, db: Any
) -> None:
    practice = sheet(actors.org_a, actors.org_b, author=actors.member_user_a, steps="<p>Un<script>x()</script></p>")

    as_visitor = client_for(None).get(f"{API}/{practice.slug}").json()
    as_member = client_for(actors.member_admin_b).get(f"{API}/{practice.slug}").json()

    assert as_visitor["steps"] == "<p>Un</p>"
    assert (as_visitor["cost_cents"], as_visitor["theme"], as_visitor["tags"]) == (
        123456,
        "mobility",
        ["covoiturage", "montagne"],
    )
    assert as_visitor["pdf_url"] == f"/bonnes-pratiques/{practice.slug}/pdf/"
    assert [o["id"] for o in as_visitor["organisations"]] == [actors.org_b.pk]
    assert {o["id"] for o in as_member["organisations"]} == {actors.org_a.pk, actors.org_b.pk}


@pytest.mark.parametrize(
    ("sheet_name", "role", "status"),
    [
        ("members", "visitor", 404),
        ("members", "outsider", 404),
        ("members", "committee", 200),
        ("draft", "member_admin_b", 404),
        ("draft", "member_admin_a", 200),
        ("draft", "coordinator", 200),
    ],
)
def test_a_sheet_is_found_only_by_who_may_see_it(
    actors: Actors, client_for: Any, sheets: dict[str, Any], sheet_name: str, role: str, status: int
) -> None:
    client = client_for(actors.by_role()[role])

    assert client.get(f"{API}/{sheets[sheet_name].slug}").status_code == status
    assert client.get(f"{API}/{sheets[sheet_name].slug}/comments").status_code == status


def test_a_member_comments_and_reads_it_back(actors: Actors, client_for: Any, sheets: dict[str, Any]) -> None:
    client = client_for(actors.member_admin_a)
    url = f"{API}/{sheets['public'].slug}/comments"

    created = client.post(
        url,
        {"kind": "tried", "text": "Nous aussi, à Gap.", "organisation_id": actors.org_a.pk},
        content_type="application/json",
    )
    listed = client.get(url)

    assert created.status_code == 201
    body = created.json()
    assert (body["kind"], body["text"], body["author_name"]) == ("tried", "Nous aussi, à Gap.", "Bernard Roux")
    assert body["organisation"]["id"] == actors.org_a.pk
    assert listed.json() == [body]
    assert client.get(f"{API}/{sheets['public'].slug}").json()["tried_count"] == 1


def test_the_conversation_is_not_shown_to_visitors(actors: Actors, client_for: Any, sheets: dict[str, Any]) -> None:
    url = f"{API}/{sheets['public'].slug}/comments"

    assert client_for(None).get(url).status_code == 403
    assert client_for(actors.outsider).get(url).status_code == 403


def test_refused_comments_write_nothing(actors: Actors, client_for: Any, sheets: dict[str, Any]) -> None:
    public = f"{API}/{sheets['public'].slug}/comments"
    comment = {"kind": "comment", "text": "Bonjour"}

    visitor = client_for(None).post(public, comment, content_type="application/json")
    treasurer = client_for(actors.treasurer).post(public, comment, content_type="application/json")
    draft = client_for(actors.member_admin_a).post(
        f"{API}/{sheets['draft'].slug}/comments", comment, content_type="application/json"
    )
    tried = client_for(actors.member_admin_b).post(
        public, {"kind": "tried", "text": "Oui"}, content_type="application/json"
    )
    twice = [
        client_for(actors.member_admin_b).post(
            public,
            {"kind": "tried", "text": "Oui", "organisation_id": actors.org_b.pk},
            content_type="application/json",
        )
        for _ in range(2)
    ]
    unknown = client_for(actors.member_admin_b).post(
        public, {"kind": "tried", "text": "Oui", "organisation_id": 999999}, content_type="application/json"
    )

    assert (visitor.status_code, treasurer.status_code) == (401, 403)
    assert treasurer.json()["code"] == "forbidden"
    assert (draft.status_code, draft.json()["code"]) == (422, "not_published")
    assert (tried.status_code, tried.json()["field"], tried.json()["code"]) == (422, "organisation", "required")
    assert [response.status_code for response in twice] == [201, 422]
    assert twice[1].json()["code"] == "already_tried"
    assert unknown.status_code == 404
    assert Comment.objects.count() == 1
