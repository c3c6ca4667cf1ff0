"""The cash-flow plans' rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The world: a plan of organisation A from this month, with salaries every month and a subsidy in
the fifth, so that it has a gap and a proposal. A plan is seen by its organisation's member admins
and by the treasurer and the coordinator; to the admins of B it does not exist (404). Only A's
member admins write to it: the pool's keepers get a 403. People with no treasury (a member user,
the committee, an outsider) get a 403 everywhere."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import REDIRECT, Row, World, logged_in

PLAN = "plans.plan"

READERS = {**logged_in(403), "member_admin_a": 200, "member_admin_b": 200, "coordinator": 200, "treasurer": 200}
STARTERS = {**logged_in(403), "member_admin_a": 200, "member_admin_b": 200}
# Posting a plan for A: A's admin is redirected to it; B's admin is told A is not among the choices.
STARTS_FOR_A = {**logged_in(403), "member_admin_a": REDIRECT, "member_admin_b": 400}
SEES_A = {**logged_in(403), "member_admin_a": 200, "member_admin_b": 404, "coordinator": 200, "treasurer": 200}
KEEPS_A = {**logged_in(403), "member_admin_a": 200, "member_admin_b": 404}
WRITES_A = {**KEEPS_A, "member_admin_a": REDIRECT}


def _plan(w: World) -> int:
    return int(w.objects[PLAN].pk)


def _plan_url(name: str) -> Any:
    return lambda w: reverse(name, args=[_plan(w)])


def _month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def _grid(w: World) -> dict[str, str]:
    return {
        "action": "save",
        "category": "rent",
        "label": "Loyer",
        "funder": "",
        "every_month": "800",
        **{f"month_{index}": "" for index in range(12)},
    }


def _import(w: World) -> dict[str, Any]:
    content = f"Catégorie;Libellé;Financeur;{_month()}\nLoyer;Loyer;;800\n"
    return {
        "organisation": str(w.actors.org_a.pk),
        "title": "Importé",
        "file": SimpleUploadedFile("plan.csv", content.encode()),
    }


ROWS: dict[str, list[Row]] = {
    "treasury:plans": [Row(lambda w: reverse("treasury:plans"), READERS)],
    "treasury:plan_add": [
        Row(lambda w: reverse("treasury:plan_add"), STARTERS),
        Row(
            lambda w: reverse("treasury:plan_add"),
            STARTS_FOR_A,
            method="post",
            data=lambda w: {
                "organisation": str(w.actors.org_a.pk),
                "title": "Plan",
                "first_month": _month(),
                "opening_cash": "1 000",
            },
        ),
    ],
    "treasury:plan_import": [
        Row(lambda w: reverse("treasury:plan_import"), STARTERS),
        Row(lambda w: reverse("treasury:plan_import"), STARTS_FOR_A, method="post", data=_import),
    ],
    "treasury:plan_template": [
        Row(lambda w: reverse("treasury:plan_template"), READERS),
        Row(lambda w: f"{reverse('treasury:plan_template')}?plan={_plan(w)}", SEES_A),
    ],
    "treasury:plan": [Row(_plan_url("treasury:plan"), SEES_A)],
    "treasury:plan_lines": [
        Row(_plan_url("treasury:plan_lines"), KEEPS_A),
        Row(_plan_url("treasury:plan_lines"), WRITES_A, method="post", data=_grid),
    ],
    "treasury:plan_edit": [
        Row(_plan_url("treasury:plan_edit"), KEEPS_A),
        Row(
            _plan_url("treasury:plan_edit"),
            WRITES_A,
            method="post",
            data=lambda w: {"title": "Plan révisé", "first_month": _month(), "opening_cash": "0"},
        ),
    ],
}

# The admin pages of CashPlan are the treasury matrix's (`matrix.ADMIN_MODELS`).
ADMIN_MODELS: dict[str, dict[str, int | None]] = {}


def populate(world: World) -> None:
    from cordee.treasury import cashplans

    actors = world.actors
    plan = cashplans.plan_create(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        title="Plan de l'année",
        first_month=timezone.localdate(),
        opening_cash_cents=200_000,
    )
    months = cashplans.plan_month_list(plan)
    cashplans.lines_set_month_grid(
        actor=actors.member_admin_a,
        plan=plan,
        category="salaries",
        label="Salaires",
        amounts=dict.fromkeys(months, 500_000),
    )
    cashplans.line_add(
        actor=actors.member_admin_a,
        plan=plan,
        category="subsidy",
        label="Fonctionnement",
        funder="Région Sud",
        month=months[4],
        amount_cents=3_000_000,
    )
    world.objects[PLAN] = plan
    world.objects["plans.plan_id"] = plan.pk
