"""Rows of the authorization matrix for the calls for projects and the applications (see
matrix_support).

The world: a project committee (the committee actor sits on it), a published open call and a draft
call; A's draft application (complete and balanced, so that it can be submitted) and A's submitted
application. A's people see and change A's draft; once submitted, the coordinator and the committee
read it too; the others are told it does not exist."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cordee.core.tests.matrix_support import LOGIN, READ_ONLY, REDIRECT, Row, World, everyone, logged_in
from cordee.projects.tests.factories import make_application, make_call, make_committee

A_PEOPLE = ("member_user_a", "member_admin_a")
MEMBERS = (*A_PEOPLE, "member_admin_b")

# A's draft: its people only.
A_DRAFT = {**logged_in(404), "visitor": 404, **dict.fromkeys(A_PEOPLE, 200)}
A_DRAFT_LOGIN = {**A_DRAFT, "visitor": LOGIN}
# A's submitted application: its people, the coordinator and the committee.
A_SUBMITTED = {**A_DRAFT, "coordinator": 200, "committee": 200}
MEMBERS_ONLY = {**logged_in(403), **dict.fromkeys(MEMBERS, 200)}
COORDINATOR = {**logged_in(403), "coordinator": 200}


def _o(key: str) -> Any:
    return lambda w: w.objects[key].pk


def _slug(key: str) -> Any:
    return lambda w: w.objects[key].slug


def _get(name: str, *args: Any, expect: dict[str, Any]) -> Row:
    return Row(lambda w: reverse(name, args=[a(w) for a in args]), expect)


def _post(name: str, *args: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(lambda w: reverse(name, args=[a(w) for a in args]), expect, method="post", data=data or (lambda w: {}))


ROWS: dict[str, list[Row]] = {
    "projects:calls": [_get("projects:calls", expect=everyone(200))],
    "projects:call": [
        _get("projects:call", _slug("projects.call"), expect=everyone(200)),
        _get("projects:call", _slug("projects.draft_call"), expect={**everyone(404), "coordinator": 200}),
    ],
    "projects:call_create": [_get("projects:call_create", expect=COORDINATOR)],
    "projects:call_edit": [_get("projects:call_edit", _slug("projects.draft_call"), expect=COORDINATOR)],
    "projects:call_publish": [
        _post("projects:call_publish", _slug("projects.draft_call"), expect={**COORDINATOR, "coordinator": REDIRECT})
    ],
    "projects:application_start": [
        _get("projects:application_start", _slug("projects.call"), expect=MEMBERS_ONLY),
        _post(
            "projects:application_start",
            _slug("projects.call"),
            expect={**MEMBERS_ONLY, **dict.fromkeys(A_PEOPLE, REDIRECT), "member_admin_b": 400},
            data=lambda w: {"organisation": w.actors.org_a.pk},
        ),
    ],
    "projects:applications": [_get("projects:applications", expect=MEMBERS_ONLY)],
    "projects:application": [
        _get("projects:application", _o("projects.application"), expect=A_DRAFT),
        _get("projects:application", _o("projects.submitted_application"), expect=A_SUBMITTED),
    ],
    "projects:application_edit": [
        _get("projects:application_edit", _o("projects.application"), expect=A_DRAFT_LOGIN),
        # Submitted: its readers may no longer change it.
        _get(
            "projects:application_edit",
            _o("projects.submitted_application"),
            expect={**A_DRAFT_LOGIN, **dict.fromkeys((*A_PEOPLE, "coordinator", "committee"), 403)},
        ),
    ],
    "projects:application_submit": [
        _post(
            "projects:application_submit",
            _o("projects.application"),
            expect={**A_DRAFT_LOGIN, **dict.fromkeys(A_PEOPLE, REDIRECT)},
        )
    ],
    "projects:application_withdraw": [
        _post(
            "projects:application_withdraw",
            _o("projects.submitted_application"),
            expect={
                **A_DRAFT_LOGIN,
                **dict.fromkeys(A_PEOPLE, REDIRECT),
                "coordinator": 403,
                "committee": 403,
            },
        )
    ],
    "projects:application_eligibility": [
        _post(
            "projects:application_eligibility",
            _o("projects.submitted_application"),
            expect={**A_DRAFT_LOGIN, **dict.fromkeys(A_PEOPLE, 403), "coordinator": REDIRECT, "committee": 403},
            data=lambda w: {"eligible": "yes"},
        )
    ],
    # The API
    "api-v1:list_calls": [_get("api-v1:list_calls", expect=everyone(200))],
    "api-v1:get_call": [
        _get("api-v1:get_call", _slug("projects.call"), expect=everyone(200)),
        _get("api-v1:get_call", _slug("projects.draft_call"), expect={**everyone(404), "coordinator": 200}),
    ],
    "api-v1:list_applications": [_get("api-v1:list_applications", expect={**everyone(200), "visitor": 401})],
    "api-v1:start_application": [
        _post(
            "api-v1:start_application",
            expect={**logged_in(403), "visitor": 401, **dict.fromkeys(A_PEOPLE, 201)},
            data=lambda w: {"call_slug": w.objects["projects.call"].slug, "organisation_id": w.actors.org_a.pk},
        )
    ],
    "api-v1:get_application": [
        _get("api-v1:get_application", _o("projects.application"), expect={**A_DRAFT, "visitor": 401}),
        _get("api-v1:get_application", _o("projects.submitted_application"), expect={**A_SUBMITTED, "visitor": 401}),
    ],
    # The same address as get_application, changed with PUT (the matrix asks with GET).
    "api-v1:update_application": [
        _get("api-v1:update_application", _o("projects.application"), expect={**A_DRAFT, "visitor": 401})
    ],
    "api-v1:submit_application": [
        _post(
            "api-v1:submit_application",
            _o("projects.application"),
            expect={**A_DRAFT, "visitor": 401},
            data=lambda w: {},
        )
    ],
}

ADMIN_MODELS: dict[str, Any] = {"projects.call": READ_ONLY, "projects.application": READ_ONLY}


def populate(world: World) -> None:
    actors = world.actors
    committee = make_committee(people=[(actors.committee, None)])
    call = make_call(committee=committee, created_by=actors.coordinator)
    draft_call = make_call(committee=committee, created_by=actors.coordinator, state="draft")
    draft = make_application(call=call, organisation=actors.org_a, contact=actors.member_admin_a)
    submitted = make_application(call=call, organisation=actors.org_a, contact=actors.member_user_a, status="submitted")
    world.objects.update(
        {
            "projects.call": call,
            "projects.draft_call": draft_call,
            "projects.application": draft,
            "projects.submitted_application": submitted,
        }
    )
