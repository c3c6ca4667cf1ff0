"""The governance app's rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The world: the credit committee, where the committee member sits for nobody and A's and B's member
admins sit for their organisations, with an open decision concerning B (B's member admin is
recused) on which the committee member has voted; and the board, where only the committee member
sits, with an open decision of its own. The governance pages are for the hub's staff and the
people holding a seat; a body and its decisions are seen by its members and the staff, and by
nobody else (404). Bodies and seats are managed, and votes closed, by the coordinator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import (
    READ_ONLY,
    REDIRECT,
    Row,
    World,
    coordinator_only,
    everyone,
    logged_in,
)
from cordee.governance import services

COMMITTEE = "governance.body"
SEAT_A = "governance.bodymember"
DECISION = "governance.decision"
BOARD = "board"
BOARD_DECISION = "board_decision"

# can_use_governance: the staff and whoever holds a seat.
GOVERNANCE_USERS = {
    **logged_in(403),
    "member_admin_a": 200,
    "member_admin_b": 200,
    "committee": 200,
    "coordinator": 200,
    "treasurer": 200,
}
SEES_COMMITTEE = GOVERNANCE_USERS
SEES_BOARD = {**GOVERNANCE_USERS, "member_admin_a": 404, "member_admin_b": 404}
# Only a current seat not recused votes: B's member admin is recused, the staff hold no seat.
VOTES = {
    **logged_in(403),
    "committee": REDIRECT,
    "member_admin_a": REDIRECT,
}
# Closing and cancelling: the coordinator.
CLOSES = coordinator_only(REDIRECT)
API = {"visitor": 401}


def _url(name: str, key: str) -> Any:
    return lambda w: reverse(name, args=[w.objects[key].pk])


def _body_url(name: str, key: str = COMMITTEE) -> Any:
    return lambda w: reverse(name, args=[w.objects[key].slug])


def _today() -> str:
    return timezone.localdate().isoformat()


ROWS: dict[str, list[Row]] = {
    "governance:index": [Row(lambda w: reverse("governance:index"), GOVERNANCE_USERS)],
    "governance:body_create": [
        Row(lambda w: reverse("governance:body_create"), coordinator_only()),
        Row(
            lambda w: reverse("governance:body_create"),
            coordinator_only(REDIRECT),
            method="post",
            data=lambda w: {"kind": "board", "name": "Bureau élargi", "quorum_percent": "50", "majority": "simple"},
        ),
    ],
    "governance:body": [
        Row(_body_url("governance:body"), SEES_COMMITTEE),
        Row(_body_url("governance:body", BOARD), SEES_BOARD),
    ],
    "governance:body_edit": [
        Row(_body_url("governance:body_edit"), coordinator_only()),
        Row(
            _body_url("governance:body_edit"),
            coordinator_only(REDIRECT),
            method="post",
            data=lambda w: {"kind": "committee", "name": "Comité", "quorum_percent": "60", "majority": "absolute"},
        ),
    ],
    "governance:seat_add": [
        Row(_body_url("governance:seat_add"), everyone(405)),
        Row(
            _body_url("governance:seat_add"),
            coordinator_only(REDIRECT),
            method="post",
            data=lambda w: {"person": w.actors.treasurer.pk, "starts_on": _today()},
        ),
    ],
    "governance:seat_end": [
        Row(
            lambda w: reverse("governance:seat_end", args=[w.objects[COMMITTEE].slug, w.objects[SEAT_A].pk]),
            everyone(405),
        ),
        Row(
            lambda w: reverse("governance:seat_end", args=[w.objects[COMMITTEE].slug, w.objects[SEAT_A].pk]),
            coordinator_only(REDIRECT),
            method="post",
            data=lambda w: {"ends_on": _today()},
        ),
    ],
    "governance:decision_create": [
        Row(_body_url("governance:decision_create"), coordinator_only()),
        Row(
            _body_url("governance:decision_create"),
            coordinator_only(REDIRECT),
            method="post",
            data=lambda w: {"title": "Budget 2027", "concerned": [w.actors.org_a.pk]},
        ),
    ],
    "governance:decision": [
        Row(_url("governance:decision", DECISION), SEES_COMMITTEE),
        Row(_url("governance:decision", BOARD_DECISION), SEES_BOARD),
    ],
    "governance:vote": [
        Row(_url("governance:vote", DECISION), everyone(405)),
        Row(
            _url("governance:vote", DECISION),
            VOTES,
            method="post",
            data=lambda w: {"choice": "against", "comment": "Trop tôt"},
        ),
    ],
    "governance:decision_close": [
        Row(_url("governance:decision_close", DECISION), everyone(405)),
        Row(_url("governance:decision_close", DECISION), CLOSES, method="post", data=lambda w: {"reasons": "Vu"}),
    ],
    "governance:decision_cancel": [
        Row(_url("governance:decision_cancel", DECISION), everyone(405)),
        Row(
            _url("governance:decision_cancel", DECISION),
            CLOSES,
            method="post",
            data=lambda w: {"reasons": "Demande retirée"},
        ),
    ],
    "api-v1:list_decisions": [Row(lambda w: reverse("api-v1:list_decisions"), {**GOVERNANCE_USERS, **API})],
    "api-v1:get_decision": [
        Row(_url("api-v1:get_decision", DECISION), {**SEES_COMMITTEE, **API}),
        Row(_url("api-v1:get_decision", BOARD_DECISION), {**SEES_BOARD, **API}),
    ],
    "api-v1:cast_vote": [
        Row(
            _url("api-v1:cast_vote", DECISION),
            {
                **everyone(403),
                **API,
                "committee": 200,
                "member_admin_a": 200,
            },
            method="post",
            data=lambda w: {"choice": "for", "comment": ""},
        ),
        Row(
            _url("api-v1:cast_vote", BOARD_DECISION),
            {**everyone(403), **API, "committee": 200, "member_admin_a": 404, "member_admin_b": 404},
            method="post",
            data=lambda w: {"choice": "abstain"},
        ),
    ],
}

ADMIN_MODELS: dict[str, dict[str, int | None]] = {
    "governance.body": READ_ONLY,
    "governance.bodymember": READ_ONLY,
    "governance.decision": READ_ONLY,
    "governance.vote": READ_ONLY,
}


def populate(world: World) -> None:
    actors = world.actors
    coordinator = actors.coordinator
    started = timezone.localdate() - dt.timedelta(days=30)
    committee = services.body_create(
        actor=coordinator, kind="committee", name="Comité d'engagement", quorum_percent=50, majority="simple"
    )
    services.seat_add(actor=coordinator, body=committee, person=actors.committee, starts_on=started)
    seat_a = services.seat_add(
        actor=coordinator, body=committee, person=actors.member_admin_a, organisation=actors.org_a, starts_on=started
    )
    services.seat_add(
        actor=coordinator, body=committee, person=actors.member_admin_b, organisation=actors.org_b, starts_on=started
    )
    decision = services.decision_open(
        actor=coordinator, body=committee, title="Avance à la Coopérative des Écrins", concerned=[actors.org_b]
    )
    vote = services.vote_cast(actor=actors.committee, decision=decision, choice="for")
    board = services.body_create(actor=coordinator, kind="board", name="Bureau", quorum_percent=50, majority="absolute")
    services.seat_add(actor=coordinator, body=board, person=actors.committee, starts_on=started)
    board_decision = services.decision_open(actor=coordinator, body=board, title="Budget du pôle")
    world.objects.update(
        {
            COMMITTEE: committee,
            SEAT_A: seat_a,
            DECISION: decision,
            "governance.vote": vote,
            BOARD: board,
            BOARD_DECISION: board_decision,
        }
    )
