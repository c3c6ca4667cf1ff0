"""The governance app's rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The world: the credit committee, where the committee member sits for nobody and A's and B's member
admins sit for their organisations, with an open decision concerning B (B's member admin is
recused) on which the committee member has voted; the board, where only the committee member
sits, with an open decision of its own; and the general assembly (A and B are active member
organisations) with an open proposal and a closed one. The governance pages are for the hub's
staff, the people holding a seat and the people of member organisations; a board or committee and
its decisions are seen by its members and the staff, the general assembly also by the people of
member organisations, and by nobody else (404). In the assembly a member admin votes for their
organisation. Bodies and seats are managed, and votes closed, by the coordinator."""

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
ASSEMBLY = "assembly"
ASSEMBLY_DECISION = "assembly_decision"
ASSEMBLY_CLOSED = "assembly_closed"

# can_use_governance: the staff, whoever holds a seat, the people of member organisations.
GOVERNANCE_USERS = {
    **logged_in(403),
    "member_user_a": 200,
    "member_admin_a": 200,
    "member_admin_b": 200,
    "committee": 200,
    "coordinator": 200,
    "treasurer": 200,
}
SEES_COMMITTEE = {**GOVERNANCE_USERS, "member_user_a": 404}
SEES_BOARD = {**GOVERNANCE_USERS, "member_user_a": 404, "member_admin_a": 404, "member_admin_b": 404}
# The general assembly: the people of member organisations and the staff, not the committee member.
SEES_ASSEMBLY = {**GOVERNANCE_USERS, "committee": 404}
# An open decision has no minutes yet: 404 for whoever may see it.
NO_MINUTES_YET = {role: 404 if answer == 200 else answer for role, answer in SEES_ASSEMBLY.items()}
# Only a current seat not recused votes: B's member admin is recused, the staff hold no seat.
VOTES = {
    **logged_in(403),
    "member_user_a": 404,
    "committee": REDIRECT,
    "member_admin_a": REDIRECT,
}
# The assembly: the member admins of active member organisations vote; a member user, the staff do not.
VOTES_IN_ASSEMBLY = {
    **logged_in(403),
    "committee": 404,
    "member_admin_a": REDIRECT,
    "member_admin_b": REDIRECT,
}
# Closing and cancelling: the coordinator (a member user does not see the committee's decision).
CLOSES = {**coordinator_only(REDIRECT), "member_user_a": 404}
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
        Row(_body_url("governance:body", ASSEMBLY), SEES_ASSEMBLY),
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
        Row(_url("governance:decision", ASSEMBLY_DECISION), SEES_ASSEMBLY),
    ],
    "governance:vote": [
        Row(_url("governance:vote", DECISION), everyone(405)),
        Row(
            _url("governance:vote", DECISION),
            VOTES,
            method="post",
            # The committee member has voted: they change their vote on purpose.
            data=lambda w: {"choice": "against", "comment": "Trop tôt", "change": "True"},
        ),
        Row(
            _url("governance:vote", ASSEMBLY_DECISION),
            VOTES_IN_ASSEMBLY,
            method="post",
            data=lambda w: {"choice": "for"},
        ),
    ],
    "governance:decision_minutes": [
        Row(_url("governance:decision_minutes", ASSEMBLY_CLOSED), SEES_ASSEMBLY),
        Row(_url("governance:decision_minutes", ASSEMBLY_DECISION), NO_MINUTES_YET),
    ],
    "governance:register": [Row(lambda w: reverse("governance:register"), GOVERNANCE_USERS)],
    "governance:register_csv": [Row(lambda w: reverse("governance:register_csv"), GOVERNANCE_USERS)],
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
        Row(_url("api-v1:get_decision", ASSEMBLY_DECISION), {**SEES_ASSEMBLY, **API}),
    ],
    "api-v1:list_register": [Row(lambda w: reverse("api-v1:list_register"), {**GOVERNANCE_USERS, **API})],
    "api-v1:cast_vote": [
        Row(
            _url("api-v1:cast_vote", DECISION),
            {
                **everyone(403),
                **API,
                "member_user_a": 404,
                "committee": 200,
                "member_admin_a": 200,
            },
            method="post",
            data=lambda w: {"choice": "for", "comment": "", "change": True},
        ),
        Row(
            _url("api-v1:cast_vote", BOARD_DECISION),
            {
                **everyone(403),
                **API,
                "committee": 200,
                "member_user_a": 404,
                "member_admin_a": 404,
                "member_admin_b": 404,
            },
            method="post",
            data=lambda w: {"choice": "abstain"},
        ),
        Row(
            _url("api-v1:cast_vote", ASSEMBLY_DECISION),
            {**everyone(403), **API, "committee": 404, "member_admin_a": 200, "member_admin_b": 200},
            method="post",
            data=lambda w: {"choice": "against"},
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
    assembly = services.body_create(
        actor=coordinator, kind="assembly", name="Assemblée générale", quorum_percent=25, majority="simple"
    )
    assembly_decision = services.decision_open(
        actor=coordinator, body=assembly, title="Modification du règlement intérieur", category="rule_change"
    )
    assembly_closed = services.decision_open(
        actor=coordinator, body=assembly, title="Approbation des comptes 2025", category="budget"
    )
    services.vote_cast(actor=actors.member_admin_a, decision=assembly_closed, choice="for")
    services.decision_close(actor=coordinator, decision=assembly_closed)
    world.objects.update(
        {
            COMMITTEE: committee,
            SEAT_A: seat_a,
            DECISION: decision,
            "governance.vote": vote,
            BOARD: board,
            BOARD_DECISION: board_decision,
            ASSEMBLY: assembly,
            ASSEMBLY_DECISION: assembly_decision,
            ASSEMBLY_CLOSED: assembly_closed,
        }
    )
