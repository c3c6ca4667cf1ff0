"""Rows of the authorization matrix for exchanges, time credits and who helped whom (see
matrix_support).

The world: an offer of organisation B (2 h in time credits), an exchange on it proposed by A and
accepted by B (both sides may confirm it), a second one only proposed (B may accept it), and A's
own time-credit bounds set by the coordinator. An exchange is seen by the people of A and B and the
coordinator; the treasurer and the committee are told it does not exist."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cordee.core.tests.matrix_support import REDIRECT, Row, World, logged_in
from cordee.skills.models import Direction, Terms
from cordee.skills.services import credits as credit_services
from cordee.skills.services import exchanges as services
from cordee.skills.tests.exchange_support import make_listing

USES = {**logged_in(200), "outsider": 403}
API_USES = {**USES, "visitor": 401}
COORDINATOR = {**logged_in(403), "coordinator": 200}
# The exchange between A and B: its two sides and the coordinator see it.
SEEN = {**USES, "treasurer": 404, "committee": 404}
API_SEEN = {**SEEN, "visitor": 401}
# Acting for A in it: A's people; B's admin sees it but may not speak for A.
A_ACTS = {**SEEN, "member_user_a": REDIRECT, "member_admin_a": REDIRECT, "member_admin_b": 400, "coordinator": 403}
API_A_ACTS = {**API_SEEN, "member_user_a": 200, "member_admin_a": 200, "member_admin_b": 403, "coordinator": 403}


def _exchange(w: World) -> int:
    return w.objects["skills.exchange"].pk


def _proposed(w: World) -> int:
    return w.objects["skills.exchange_proposed"].pk


def _listing(w: World) -> int:
    return w.objects["skills.exchange_listing"].pk


def _post(name: str, arg: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(
        lambda w: reverse(name, args=[arg(w)]) if arg else reverse(name),
        expect,
        method="post",
        data=data or (lambda w: {}),
    )


def _api(name: str, arg: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(lambda w: reverse(name, args=[arg(w)]) if arg else reverse(name), expect, method="post", data=data)


ROWS: dict[str, list[Row]] = {
    "skills:exchanges": [Row(lambda w: reverse("skills:exchanges"), USES)],
    "skills:exchange": [Row(lambda w: reverse("skills:exchange", args=[_exchange(w)]), SEEN)],
    "skills:exchange_accept": [
        _post(
            "skills:exchange_accept",
            _proposed,
            {**SEEN, "member_user_a": 403, "member_admin_a": 403, "member_admin_b": REDIRECT, "coordinator": 403},
        )
    ],
    "skills:exchange_confirm": [
        _post("skills:exchange_confirm", _exchange, A_ACTS, lambda w: {"organisation": w.actors.org_a.pk}),
        _post(
            "skills:exchange_confirm",
            _exchange,
            {**A_ACTS, "member_user_a": 400, "member_admin_a": 400, "member_admin_b": REDIRECT},
            lambda w: {"organisation": w.actors.org_b.pk},
        ),
    ],
    "skills:exchange_cancel": [
        _post(
            "skills:exchange_cancel",
            _exchange,
            A_ACTS,
            lambda w: {"organisation": w.actors.org_a.pk, "reason": "Plus besoin"},
        )
    ],
    "skills:exchange_review": [
        _post(
            "skills:exchange_review",
            _exchange,
            {**A_ACTS, "member_user_a": 400, "member_admin_a": 400},  # not done yet
            lambda w: {"organisation": w.actors.org_a.pk, "rating": "5"},
        )
    ],
    "skills:exchange_propose": [
        Row(lambda w: reverse("skills:exchange_propose", args=[_listing(w)]), USES),
        _post(
            "skills:exchange_propose",
            _listing,
            {
                **USES,
                "member_user_a": REDIRECT,
                "member_admin_a": REDIRECT,
                "member_admin_b": 400,
                "coordinator": 400,
                "treasurer": 400,
                "committee": 400,
            },
            lambda w: {"organisation": w.actors.org_a.pk, "description": "Bilan", "terms": "hours", "hours": "1"},
        ),
    ],
    "skills:credits": [Row(lambda w: reverse("skills:credits"), USES)],
    "skills:credit_settings": [
        _post(
            "skills:credit_settings",
            None,
            {**logged_in(403), "coordinator": REDIRECT},
            lambda w: {"floor": "20", "ceiling": "40"},
        ),
        _post("skills:credit_settings", None, {**logged_in(403), "coordinator": 400}, lambda w: {"floor": "x"}),
    ],
    "skills:credit_limit": [
        Row(lambda w: reverse("skills:credit_limit", args=[w.actors.org_a.pk]), COORDINATOR),
        _post(
            "skills:credit_limit",
            lambda w: w.actors.org_a.pk,
            {**logged_in(403), "coordinator": REDIRECT},
            lambda w: {"action": "set", "floor": "10", "ceiling": "10"},
        ),
    ],
    "skills:cooperations": [Row(lambda w: reverse("skills:cooperations"), USES)],
    # The API
    "api-v1:list_exchanges": [Row(lambda w: reverse("api-v1:list_exchanges"), API_USES)],
    "api-v1:propose_exchange": [
        _api(
            "api-v1:propose_exchange",
            None,
            {
                **API_USES,
                "member_user_a": 201,
                "member_admin_a": 201,
                "member_admin_b": 403,
                "coordinator": 403,
                "treasurer": 403,
                "committee": 403,
            },
            lambda w: {"organisation_id": w.actors.org_a.pk, "listing_id": _listing(w)},
        )
    ],
    "api-v1:get_exchange": [Row(lambda w: reverse("api-v1:get_exchange", args=[_exchange(w)]), API_SEEN)],
    "api-v1:accept_exchange": [
        _api(
            "api-v1:accept_exchange",
            _proposed,
            {**API_SEEN, "member_user_a": 403, "member_admin_a": 403, "coordinator": 403},
            lambda w: {},
        )
    ],
    "api-v1:confirm_exchange": [
        _api("api-v1:confirm_exchange", _exchange, API_A_ACTS, lambda w: {"organisation_id": w.actors.org_a.pk})
    ],
    "api-v1:cancel_exchange": [
        _api(
            "api-v1:cancel_exchange",
            _exchange,
            API_A_ACTS,
            lambda w: {"organisation_id": w.actors.org_a.pk, "reason": "Plus besoin"},
        )
    ],
    "api-v1:review_exchange": [
        _api(
            "api-v1:review_exchange",
            _exchange,
            {**API_A_ACTS, "member_user_a": 422, "member_admin_a": 422},  # not done yet
            lambda w: {"organisation_id": w.actors.org_a.pk, "rating": 5},
        )
    ],
    "api-v1:list_time_credits": [Row(lambda w: reverse("api-v1:list_time_credits"), API_USES)],
    "api-v1:list_cooperations": [Row(lambda w: reverse("api-v1:list_cooperations"), API_USES)],
}
ADMIN_MODELS: dict[str, Any] = {}


def populate(world: World) -> None:
    actors = world.actors
    listing = make_listing(actors.org_b, direction=Direction.OFFER, terms=Terms.HOURS, minutes=120)
    exchange = services.exchange_propose(
        actor=actors.member_admin_a, organisation=actors.org_a, listing=listing, description="Clôture des comptes"
    )
    services.exchange_accept(actor=actors.member_admin_b, exchange=exchange)
    waiting = services.exchange_propose(
        actor=actors.member_admin_a, organisation=actors.org_a, listing=listing, description="Paie"
    )
    limit = credit_services.credit_limit_set(
        actor=actors.coordinator, organisation=actors.org_a, floor_minutes=-30 * 60, ceiling_minutes=40 * 60
    )
    world.objects.update(
        {
            "skills.exchange_listing": listing,
            "skills.exchange": exchange,
            "skills.exchange_proposed": waiting,
            "skills.creditlimit": limit,
        }
    )
