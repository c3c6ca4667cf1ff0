"""Rows of the authorization matrix for the clearing pages (see matrix.py for the world: A and B
signed, an executed run cleared 200 € each way between them, a proposal clears 80 € more).

The pages are for the people of a member organisation, the treasurer and the coordinator; a member
sees an executed run only if its organisation has a position in it, and never a proposal."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import REDIRECT, Row, World, coordinator_only, everyone, logged_in

USES = {
    **logged_in(403),
    "member_user_a": 200,
    "member_admin_a": 200,
    "member_admin_b": 200,
    "coordinator": 200,
    "treasurer": 200,
}
STAFF = {**logged_in(403), "coordinator": 200, "treasurer": 200}
NOT_FOUND = {role: 404 if status == 200 else status for role, status in USES.items()}
PROPOSAL = {**USES, "member_user_a": 404, "member_admin_a": 404, "member_admin_b": 404}
# A's consent: A's admins and the coordinator sign or withdraw it; the others may not.
A_CONSENT = {**logged_in(403), "member_admin_a": REDIRECT, "coordinator": REDIRECT}


def _executed(w: World) -> int:
    return w.objects["clearing.run"].pk


def _proposed(w: World) -> int:
    return w.objects["clearing.run_proposed"].pk


def _post(url: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(url, expect, method="post", data=data or (lambda w: {}))


ROWS: dict[str, list[Row]] = {
    "clearing:home": [Row(lambda w: reverse("clearing:home"), USES)],
    "clearing:run_compute": [
        Row(lambda w: reverse("clearing:run_compute"), everyone(405)),
        _post(
            lambda w: reverse("clearing:run_compute"),
            coordinator_only(REDIRECT),
            lambda w: {"as_of": timezone.localdate().isoformat()},
        ),
    ],
    "clearing:run": [
        Row(lambda w: reverse("clearing:run", args=[_executed(w)]), USES),
        Row(lambda w: reverse("clearing:run", args=[_proposed(w)]), PROPOSAL),
        Row(lambda w: reverse("clearing:run", args=[0]), NOT_FOUND),
    ],
    "clearing:run_execute": [
        Row(lambda w: reverse("clearing:run_execute", args=[_proposed(w)]), everyone(405)),
        _post(lambda w: reverse("clearing:run_execute", args=[_proposed(w)]), coordinator_only(REDIRECT)),
    ],
    "clearing:liquidity": [
        Row(lambda w: reverse("clearing:liquidity", args=[_proposed(w)]), STAFF),
        Row(lambda w: reverse("clearing:liquidity", args=[_executed(w)]) + "?cash=100", STAFF),
    ],
    "clearing:consents": [Row(lambda w: reverse("clearing:consents"), coordinator_only())],
    "clearing:consent_sign": [
        Row(lambda w: reverse("clearing:consent_sign", args=[w.actors.org_a.pk]), everyone(405)),
        _post(
            lambda w: reverse("clearing:consent_sign", args=[w.actors.org_a.pk]),
            A_CONSENT,
            lambda w: {"signatory": "Anne Morel, présidente"},
        ),
    ],
    "clearing:consent_withdraw": [
        _post(lambda w: reverse("clearing:consent_withdraw", args=[w.actors.org_a.pk]), A_CONSENT),
    ],
    "clearing:agreement": [Row(lambda w: reverse("clearing:agreement"), USES)],
}


def populate(world: World) -> None:
    pass
