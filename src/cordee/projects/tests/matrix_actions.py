"""Rows of the authorization matrix for the review and the funded actions (see matrix_support).

The world: a project committee (the committee actor for nobody, B's admin for B), a published call
with its grid; A's application eligible (to score and to put to the vote), B's application eligible
(its admin is in conflict), B's second application before the committee (to decide); A's funded
action signed and in progress (fund endowed, a tranche paid, a report filed) and A's second funded
action with its agreement to sign. A's people, the coordinator and the treasurer see A's actions;
the others are told they do not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import LOGIN, READ_ONLY, REDIRECT, Row, World, everyone, logged_in
from cordee.projects.models import Action
from cordee.projects.services import actions as action_services
from cordee.projects.services import review as review_services
from cordee.projects.tests.review_support import endow, fund, make_application, make_call, make_committee, signed_action

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The review: the coordinator and the committee's members (the committee actor, B's admin).
REVIEWERS = {**logged_in(403), "coordinator": 200, "committee": 200, "member_admin_b": 200}
API_REVIEWERS = {**REVIEWERS, "visitor": 401}
# A's application: its people see it, and the reviewers; the others are told it does not exist.
A_APPLICATION = {**logged_in(404), "member_user_a": 403, "member_admin_a": 403, "coordinator": 403}
SCORERS_OF_A = {**A_APPLICATION, "committee": 200, "member_admin_b": 200}
DECIDE_A = {**A_APPLICATION, "committee": 403, "member_admin_b": 403}
# B's application before the committee: B's people and the reviewers see it.
DECIDE_B = {**logged_in(404), "member_admin_b": 403, "committee": 403, "coordinator": REDIRECT}
# A's action: A's people, the coordinator and the treasurer.
A_ACTION = {**logged_in(404), "member_user_a": 200, "member_admin_a": 200, "coordinator": 200, "treasurer": 200}
API_A_ACTION = {**A_ACTION, "visitor": 401}
MANAGES = {**A_ACTION, "member_user_a": 403, "member_admin_a": 403, "treasurer": 403, "coordinator": REDIRECT}
PAYS = {**A_ACTION, "member_user_a": 403, "member_admin_a": 403, "coordinator": 403, "treasurer": REDIRECT}
REPORTS = {**A_ACTION, "treasurer": 403}
REPORTS_POST = {**REPORTS, "member_user_a": REDIRECT, "member_admin_a": REDIRECT, "coordinator": REDIRECT}
FOLLOWS = {**logged_in(200), "outsider": 403, "committee": 403}
FUND = {**logged_in(403), "coordinator": 200, "treasurer": 200}


def _o(key: str) -> Any:
    return lambda w: w.objects[key].pk


def _get(name: str, *args: Any, expect: dict[str, Any]) -> Row:
    return Row(lambda w: reverse(name, args=[a(w) for a in args]), expect)


def _post(name: str, *args: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(lambda w: reverse(name, args=[a(w) for a in args]), expect, method="post", data=data or (lambda w: {}))


def _grid(w: World) -> dict[str, str]:
    return {f"criterion_{c.pk}": "3" for c in w.objects["projects.review_criteria"]}


def _milestones(w: World) -> dict[str, str]:
    day = timezone.localdate().isoformat()
    return {
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "20",
        "m-0-title": "Tout",
        "m-0-due_on": day,
        "m-0-tranche": str(w.objects["projects.action_to_sign"].granted_cents // 100),
    }


def _report(w: World) -> dict[str, Any]:
    return {"kind": "interim", "title": "Bilan", "file": SimpleUploadedFile("bilan.pdf", PDF)}


ROWS: dict[str, list[Row]] = {
    "projects:call_review": [
        Row(lambda w: reverse("projects:call_review", args=[w.objects["projects.review_call"].slug]), REVIEWERS)
    ],
    "projects:application_score": [
        _get("projects:application_score", _o("projects.app_a"), expect=SCORERS_OF_A),
        # B's admin sits for B: refused the grid (conflict of interest).
        _get(
            "projects:application_score",
            _o("projects.app_b"),
            expect={**logged_in(404), "member_admin_b": 403, "committee": 200, "coordinator": 403},
        ),
        _post(
            "projects:application_score",
            _o("projects.app_a"),
            expect={**SCORERS_OF_A, "committee": REDIRECT, "member_admin_b": REDIRECT},
            data=_grid,
        ),
    ],
    "projects:application_decision": [
        _get("projects:application_decision", _o("projects.app_a"), expect={**DECIDE_A, "coordinator": 200}),
        _post(
            "projects:application_decision",
            _o("projects.app_voting"),
            expect=DECIDE_B,
            data=lambda w: {"granted": "", "reasons": "Quorum non atteint."},
        ),
    ],
    "projects:application_put_to_vote": [
        _post(
            "projects:application_put_to_vote",
            _o("projects.app_a"),
            expect={**DECIDE_A, "coordinator": REDIRECT},
            data=lambda w: {"proposed": "15 000"},
        )
    ],
    "projects:public_actions": [Row(lambda w: reverse("projects:public_actions"), everyone(200))],
    "projects:actions": [Row(lambda w: reverse("projects:actions"), FOLLOWS)],
    "projects:fund": [
        Row(lambda w: reverse("projects:fund"), FUND),
        Row(
            lambda w: reverse("projects:fund"),
            {**FUND, "coordinator": REDIRECT, "treasurer": REDIRECT},
            method="post",
            data=lambda w: {"amount": "1 000", "funder": "Région", "reference": "R-1", "received_on": "2026-01-05"},
        ),
    ],
    "projects:action": [_get("projects:action", _o("projects.action"), expect=A_ACTION)],
    "projects:action_agreement": [_get("projects:action_agreement", _o("projects.action"), expect=A_ACTION)],
    "projects:action_sign": [
        _post(
            "projects:action_sign",
            _o("projects.action_to_sign"),
            expect=MANAGES,
            data=lambda w: {"signed_on": timezone.localdate().isoformat(), "signed_by": "Bernard Roux"},
        )
    ],
    "projects:action_milestones": [
        _post("projects:action_milestones", _o("projects.action_to_sign"), expect=MANAGES, data=_milestones)
    ],
    "projects:milestone_progress": [
        _get("projects:milestone_progress", _o("projects.action"), _o("projects.milestone"), expect=REPORTS),
        _post(
            "projects:milestone_progress",
            _o("projects.action"),
            _o("projects.milestone"),
            expect=REPORTS_POST,
            data=lambda w: {"progress": "50"},
        ),
    ],
    "projects:action_disburse": [
        _post(
            "projects:action_disburse",
            _o("projects.action"),
            expect=PAYS,
            data=lambda w: {
                "milestone": w.objects["projects.milestone"].pk,
                "amount": "100",
                "paid_on": timezone.localdate().isoformat(),
            },
        )
    ],
    "projects:disbursement_reverse": [
        _post(
            "projects:disbursement_reverse",
            _o("projects.action"),
            _o("projects.disbursement"),
            expect=PAYS,
            data=lambda w: {"reason": "Doublon"},
        )
    ],
    "projects:report_upload": [
        _post("projects:report_upload", _o("projects.action"), expect=REPORTS_POST, data=_report)
    ],
    "projects:report_download": [
        _get("projects:report_download", _o("projects.action"), _o("projects.report"), expect=A_ACTION)
    ],
    "projects:indicator_reach": [
        _get("projects:indicator_reach", _o("projects.action"), _o("projects.indicator"), expect=REPORTS)
    ],
    "projects:action_close": [
        _post("projects:action_close", _o("projects.action"), expect=MANAGES, data=lambda w: {"status": "completed"})
    ],
    "projects:action_public": [
        _post("projects:action_public", _o("projects.action"), expect=MANAGES, data=lambda w: {"public": "0"})
    ],
    # The API
    "api-v1:call_ranking": [
        Row(lambda w: reverse("api-v1:call_ranking", args=[w.objects["projects.review_call"].slug]), API_REVIEWERS)
    ],
    "api-v1:score_application": [
        _post(
            "api-v1:score_application",
            _o("projects.app_a"),
            expect={**SCORERS_OF_A, "visitor": 401},
            data=lambda w: {
                "marks": [{"criterion_id": c.pk, "value": 2} for c in w.objects["projects.review_criteria"]]
            },
        )
    ],
    "api-v1:public_actions": [Row(lambda w: reverse("api-v1:public_actions"), everyone(200))],
    "api-v1:get_action": [_get("api-v1:get_action", _o("projects.action"), expect=API_A_ACTION)],
    "api-v1:milestone_progress": [
        _post(
            "api-v1:milestone_progress",
            _o("projects.milestone"),
            expect={**API_A_ACTION, "treasurer": 403},
            data=lambda w: {"progress": 40},
        )
    ],
    "api-v1:create_disbursement": [
        _post(
            "api-v1:create_disbursement",
            _o("projects.action"),
            expect={**API_A_ACTION, "member_user_a": 403, "member_admin_a": 403, "coordinator": 403, "treasurer": 201},
            data=lambda w: {"milestone_id": w.objects["projects.milestone"].pk, "amount_cents": 10_000},
        )
    ],
}

ADMIN_MODELS: dict[str, Any] = {"projects.action": READ_ONLY}

__all__ = ["LOGIN"]


def populate(world: World) -> None:
    a = world.actors
    body, _qualified = make_committee(a, slug="matrice-comite-projets")
    call, criteria = make_call(a, body, envelope_cents=20_000_000, slug="matrice-examen")
    app_a = make_application(call, a.org_a, a.member_user_a, requested_cents=1_500_000)
    app_b = make_application(call, a.org_b, a.member_admin_b, requested_cents=1_000_000)
    app_voting = make_application(call, a.org_b, a.member_admin_b, requested_cents=500_000)
    review_services.application_put_to_vote(actor=a.coordinator, application=app_voting)
    funded = make_application(call, a.org_a, a.member_admin_a, requested_cents=2_000_000)
    to_sign = make_application(call, a.org_a, a.member_admin_a, requested_cents=1_000_000)
    endow(a, 10_000_000, "MATRICE-ETAT")
    action = signed_action(a, funded, tranches=(800_000, 1_200_000))
    milestone = action.milestones.order_by("position").first()
    assert milestone is not None
    disbursement = action_services.disbursement_create(
        actor=a.treasurer, action=action, milestone=milestone, amount_cents=300_000, paid_on=dt.date.today()
    )
    report = action_services.report_upload(
        actor=a.member_user_a,
        action=action,
        kind="interim",
        title="Bilan d'étape",
        file=SimpleUploadedFile("etape.pdf", PDF),
    )
    action_to_sign = fund(to_sign, a)
    assert action_to_sign.status == Action.Status.AGREEMENT
    action_services.milestones_set(
        actor=a.coordinator,
        action=action_to_sign,
        milestones=[action_services.MilestoneIn("Lancement", timezone.localdate(), action_to_sign.granted_cents)],
    )
    world.objects.update(
        {
            "projects.review_call": call,
            "projects.review_criteria": criteria,
            "projects.app_a": app_a,
            "projects.app_b": app_b,
            "projects.app_voting": app_voting,
            "projects.action": action,
            "projects.action_to_sign": action_to_sign,
            "projects.milestone": milestone,
            "projects.disbursement": disbursement,
            "projects.report": report,
            "projects.indicator": funded.indicators.get(),
        }
    )
