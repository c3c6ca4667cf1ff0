"""The offers and needs rows of the authorization matrix (see matrix_support).

The world: an open offer of organisation A (`skills.listing`), a closed offer of A, and an open
need of B. Anyone of the skills exchange (people of member organisations, the hub's roles) reads
them; the people of A, and the coordinator to moderate, change A's; visitors and outsiders never
see a listing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cordee.core.tests.matrix_support import REDIRECT, Row, World, logged_in
from cordee.skills.services.listings import listing_close
from cordee.skills.tests.factories import need, offer

USERS = {
    **logged_in(403),
    "member_user_a": 200,
    "member_admin_a": 200,
    "member_admin_b": 200,
    "coordinator": 200,
    "treasurer": 200,
    "committee": 200,
}
MEMBERS = {**logged_in(403), "member_user_a": 200, "member_admin_a": 200, "member_admin_b": 200}
A_EDITORS = {**logged_in(403), "member_user_a": 200, "member_admin_a": 200, "coordinator": 200}
A_EDITED = {**logged_in(403), "member_user_a": REDIRECT, "member_admin_a": REDIRECT, "coordinator": REDIRECT}
API_USERS = {**USERS, "visitor": 401}


def _offer(w: World) -> int:
    return w.objects["skills.listing"].pk


def _closed(w: World) -> int:
    return w.objects["skills.closed_offer_a"].pk


def _need(w: World) -> int:
    return w.objects["skills.need_b"].pk


def _form(w: World) -> dict[str, Any]:
    return {
        "organisation": w.actors.org_a.pk,
        "nature": "equipment",
        "category": "logistics",
        "title": "Prêt d'un vidéoprojecteur",
        "description": "Un vidéoprojecteur et son écran, à prendre à Gap.",
        "commune": "05061",
        "terms": "hours",
        "hours": "2",
        "notify": "on",
    }


def _payload(w: World) -> dict[str, Any]:
    return {
        "organisation_id": w.actors.org_a.pk,
        "nature": "skill",
        "category": "accounting",
        "title": "Relecture de budgets",
        "description": "Nous relisons vos budgets prévisionnels.",
        "commune": "05061",
        "terms": "euros",
        "price_cents": 4500,
    }


def _get(name: str, arg: Any, expect: dict[str, Any]) -> Row:
    return Row(lambda w: reverse(name, args=[arg(w)]) if arg else reverse(name), expect)


def _post(name: str, arg: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(
        lambda w: reverse(name, args=[arg(w)]) if arg else reverse(name),
        expect,
        method="post",
        data=data or (lambda w: {}),
    )


CREATED_BY_A = {**logged_in(403), "member_user_a": REDIRECT, "member_admin_a": REDIRECT, "member_admin_b": 400}
API_CREATED_BY_A = {**logged_in(403), "visitor": 401, "member_user_a": 201, "member_admin_a": 201}

ROWS: dict[str, list[Row]] = {
    "skills:index": [
        _get("skills:index", None, USERS),
        Row(lambda w: reverse("skills:index") + "?voir=besoins&q=comptabilite&categorie=accounting", USERS),
        Row(lambda w: reverse("skills:index") + "?voir=offres&conditions=hours&commune=05061&page=9", USERS),
    ],
    "skills:offer_create": [
        _get("skills:offer_create", None, MEMBERS),
        _post("skills:offer_create", None, CREATED_BY_A, _form),
    ],
    "skills:need_create": [
        _get("skills:need_create", None, MEMBERS),
        _post("skills:need_create", None, CREATED_BY_A, _form),
    ],
    "skills:listing": [
        _get("skills:listing", _offer, USERS),
        _get("skills:listing", _need, USERS),
        # A closed listing: its own people and the coordinator only.
        _get("skills:listing", _closed, {**A_EDITORS, "member_admin_b": 404, "treasurer": 404, "committee": 404}),
    ],
    "skills:listing_edit": [
        _get("skills:listing_edit", _offer, A_EDITORS),
        _post(
            "skills:listing_edit",
            _offer,
            {**A_EDITORS, "member_user_a": 400, "member_admin_a": 400, "coordinator": 400},
            lambda w: {**_form(w), "title": ""},
        ),
        _post("skills:listing_edit", _offer, A_EDITED, _form),
    ],
    "skills:listing_close": [
        _get("skills:listing_close", _offer, {**USERS, **dict.fromkeys(USERS, 405)}),
        _post("skills:listing_close", _offer, A_EDITED),
    ],
    "skills:listing_reopen": [
        _post(
            "skills:listing_reopen", _closed, {**A_EDITED, "member_admin_b": 404, "treasurer": 404, "committee": 404}
        ),
        _post(
            "skills:listing_reopen",
            _offer,
            {**A_EDITORS, "member_user_a": 400, "member_admin_a": 400, "coordinator": 400},
        ),
    ],
    # The API
    "api-v1:list_offers": [_get("api-v1:list_offers", None, API_USERS)],
    "api-v1:post_offer": [
        Row(lambda w: reverse("api-v1:post_offer"), API_CREATED_BY_A, method="post", data=_payload),
    ],
    "api-v1:list_needs": [
        Row(lambda w: reverse("api-v1:list_needs") + "?q=compta&category=accounting", API_USERS),
    ],
    "api-v1:post_need": [
        Row(lambda w: reverse("api-v1:post_need"), API_CREATED_BY_A, method="post", data=_payload),
    ],
    "api-v1:get_listing": [_get("api-v1:get_listing", _offer, API_USERS)],
    # The same path answers PATCH (see test_api_listings); the matrix asks it with GET.
    "api-v1:update_listing": [_get("api-v1:update_listing", _need, API_USERS)],
    "api-v1:close_listing": [
        _post(
            "api-v1:close_listing",
            _offer,
            {**API_USERS, "member_admin_b": 403, "treasurer": 403, "committee": 403},
            lambda w: {"reason": "done"},
        )
    ],
    "api-v1:list_need_matches": [
        _get("api-v1:list_need_matches", _need, API_USERS),
        _get(
            "api-v1:list_need_matches",
            _offer,
            {**API_USERS, **dict.fromkeys(USERS, 404), "visitor": 401, "outsider": 403},
        ),
    ],
}
ADMIN_MODELS: dict[str, Any] = {}


def populate(world: World) -> None:
    actors = world.actors
    world.objects["skills.listing"] = offer(
        actors.org_a,
        title="Comptable bénévole",
        description="Bilans et comptes annuels des associations.",
        category="accounting",
        actor=actors.member_user_a,
    )
    closed = offer(actors.org_a, title="Prêt d'une remorque", category="logistics", actor=actors.member_user_a)
    world.objects["skills.closed_offer_a"] = listing_close(actor=actors.member_user_a, listing=closed)
    world.objects["skills.need_b"] = need(
        actors.org_b,
        title="Aide pour la comptabilité",
        description="Nos comptes de l'année à préparer.",
        category="accounting",
        actor=actors.member_admin_b,
    )
