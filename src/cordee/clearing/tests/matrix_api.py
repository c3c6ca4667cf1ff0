"""Rows of the authorization matrix for the clearing statements and the clearing API (see matrix.py
for the world: A and B took part in an executed run; a proposal is pending).

Here: an organisation C that has not signed the set-off agreement, and an executed run in which the
hub itself took part (written as rows: only who may download its statement is at stake)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cordee.clearing.models import Position, Run
from cordee.core.testing import make_organisation
from cordee.core.tests.matrix_support import LOGIN, Row, World, everyone

# Statements: the people of the party and the hub's keepers; a statement the person may not see, of
# a party the run left out, or of a proposal is not found.
CLEARING_USERS = {
    **everyone(404),
    "visitor": LOGIN,
    "outsider": 403,
    "committee": 403,
}
A_STATEMENT = {**CLEARING_USERS, "member_user_a": 200, "member_admin_a": 200, "coordinator": 200, "treasurer": 200}
B_STATEMENT = {**CLEARING_USERS, "member_admin_b": 200, "coordinator": 200, "treasurer": 200}
HUB_STATEMENT = {**CLEARING_USERS, "coordinator": 200, "treasurer": 200}

# The API answers 401 to visitors, 403 to whom clearing is not for.
API = {**everyone(403), "visitor": 401}
API_USERS = {
    **API,
    "member_user_a": 200,
    "member_admin_a": 200,
    "member_admin_b": 200,
    "coordinator": 200,
    "treasurer": 200,
}
API_KEEPERS = {**API, "coordinator": 200, "treasurer": 200}
# A proposal is the coordinator's and the treasurer's: the members are told it does not exist.
API_PROPOSAL = {**API_KEEPERS, "member_user_a": 404, "member_admin_a": 404, "member_admin_b": 404}


def _executed(w: World) -> int:
    return w.objects["clearing.run"].pk


def _proposed(w: World) -> int:
    return w.objects["clearing.run_proposed"].pk


def _with_hub(w: World) -> int:
    return w.objects["clearing.run_with_hub"].pk


def _post(url: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(url, expect, method="post", data=data or (lambda w: {}))


ROWS: dict[str, list[Row]] = {
    "clearing:statement": [
        Row(lambda w: reverse("clearing:statement", args=[_executed(w), w.actors.org_a.pk]), A_STATEMENT),
        Row(lambda w: reverse("clearing:statement", args=[_executed(w), w.actors.org_b.pk]), B_STATEMENT),
        Row(lambda w: reverse("clearing:statement", args=[_proposed(w), w.actors.org_a.pk]), CLEARING_USERS),
        Row(lambda w: reverse("clearing:statement", args=[_with_hub(w), w.actors.org_b.pk]), CLEARING_USERS),
    ],
    "clearing:hub_statement": [
        Row(lambda w: reverse("clearing:hub_statement", args=[_with_hub(w)]), HUB_STATEMENT),
        Row(lambda w: reverse("clearing:hub_statement", args=[_executed(w)]), CLEARING_USERS),
        Row(lambda w: reverse("clearing:hub_statement", args=[_proposed(w)]), CLEARING_USERS),
    ],
    "api-v1:list_clearing_runs": [Row(lambda w: reverse("api-v1:list_clearing_runs"), API_USERS)],
    "api-v1:compute_clearing_run": [
        _post(lambda w: reverse("api-v1:compute_clearing_run"), {**API, "coordinator": 201})
    ],
    "api-v1:get_clearing_run": [
        Row(lambda w: reverse("api-v1:get_clearing_run", args=[_executed(w)]), API_USERS),
        Row(lambda w: reverse("api-v1:get_clearing_run", args=[_proposed(w)]), API_PROPOSAL),
        Row(
            lambda w: reverse("api-v1:get_clearing_run", args=[_with_hub(w)]),
            {**API_USERS, "member_admin_b": 404},
        ),
    ],
    "api-v1:execute_clearing_run": [
        _post(
            lambda w: reverse("api-v1:execute_clearing_run", args=[_proposed(w)]),
            {**API_PROPOSAL, "treasurer": 403},
        ),
        # Executed already: a conflict for the coordinator; its parties see it but may not execute it.
        _post(
            lambda w: reverse("api-v1:execute_clearing_run", args=[_executed(w)]),
            {**API, "coordinator": 409},
        ),
    ],
    "api-v1:get_clearing_liquidity": [
        Row(lambda w: reverse("api-v1:get_clearing_liquidity", args=[_proposed(w)]) + "?cash_cents=5000", API_KEEPERS),
        # After the executed run, B came to owe A again while A still owes B: that cycle is left to the
        # next clearing, the rest is answered.
        Row(lambda w: reverse("api-v1:get_clearing_liquidity", args=[_executed(w)]) + "?cash_cents=5000", API_KEEPERS),
        Row(
            lambda w: reverse("api-v1:get_clearing_liquidity", args=[_proposed(w)]) + "?cash_cents=-1",
            {**everyone(422), "visitor": 401},
        ),
    ],
    "api-v1:list_clearing_consents": [Row(lambda w: reverse("api-v1:list_clearing_consents"), API_USERS)],
    "api-v1:sign_clearing_consent": [
        # C has not signed: only the coordinator may record it (C has no member admin).
        _post(
            lambda w: reverse("api-v1:sign_clearing_consent"),
            {**API, "coordinator": 201},
            lambda w: {"organisation_id": w.objects["clearing.unsigned"].pk, "signatory": "Le président"},
        ),
        # A has signed already: a conflict for those who may sign for it.
        _post(
            lambda w: reverse("api-v1:sign_clearing_consent"),
            {**API, "member_admin_a": 409, "coordinator": 409},
            lambda w: {"organisation_id": w.actors.org_a.pk, "signatory": "Le président"},
        ),
    ],
    "api-v1:withdraw_clearing_consent": [
        _post(
            lambda w: reverse("api-v1:withdraw_clearing_consent", args=[w.actors.org_a.pk]),
            {**API, "member_admin_a": 200, "coordinator": 200},
        ),
        _post(
            lambda w: reverse("api-v1:withdraw_clearing_consent", args=[w.objects["clearing.unsigned"].pk]),
            {**API, "coordinator": 422},
        ),
    ],
}


def populate(world: World) -> None:
    actors = world.actors
    world.objects["clearing.unsigned"] = make_organisation("Régie de quartier du Guillestrois")
    today = timezone.localdate()
    run = Run.objects.create(
        reference=f"CM-{today.year}-9000",
        status=Run.Status.EXECUTED,
        as_of=today - dt.timedelta(days=1),
        computed_at=timezone.now(),
        computed_by=actors.coordinator,
        fingerprint="",
        invoice_count=2,
        party_count=2,
        debt_cents=50_000,
        cleared_cents=40_000,
        cleared_invoice_count=2,
        executed_at=timezone.now(),
        executed_on=today,
        executed_by=actors.coordinator,
    )
    Position.objects.create(run=run, organisation=None, owes_cents=20_000, owed_cents=30_000, cleared_cents=20_000)
    Position.objects.create(
        run=run, organisation=actors.org_a, owes_cents=30_000, owed_cents=20_000, cleared_cents=20_000
    )
    world.objects["clearing.run_with_hub"] = run
