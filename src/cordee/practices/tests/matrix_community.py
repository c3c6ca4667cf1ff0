"""The community rows of the authorization matrix (see matrix.py): comments, the feed, the PDF and
the API.

The world: a published public sheet of organisation A (`practices.practice`, shared with the sheets
part), a comment of B's member admin under it (`practices.comment`), a sheet of A for members only
and a draft of A. Anyone reads a public sheet, its PDF and the feed; the people of member
organisations and the coordinator comment; a comment is deleted by its author or the coordinator.
The conversation under a sheet is shown to the hub's people only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cordee.core.tests.matrix_support import LOGIN, REDIRECT, Row, World, everyone
from cordee.practices.services.comments import comment_create
from cordee.practices.tests.factories import sheet

MEMBERS_ONLY_SHEET = {**everyone(200), "visitor": 404, "outsider": 404}
DRAFT_OF_A = {**everyone(404), "member_user_a": 200, "member_admin_a": 200, "coordinator": 200}
COMMENTERS = {
    **everyone(403),
    "visitor": LOGIN,
    "member_user_a": REDIRECT,
    "member_admin_a": REDIRECT,
    "member_admin_b": REDIRECT,
    "coordinator": REDIRECT,
}
# Those who may see the draft are refused to comment it; the others do not find it.
DRAFT_COMMENTERS = {**DRAFT_OF_A, "visitor": LOGIN, "member_user_a": 403, "member_admin_a": 403, "coordinator": 403}
DELETERS = {**everyone(403), "visitor": LOGIN, "member_admin_b": REDIRECT, "coordinator": REDIRECT}
API_COMMENTERS = {
    **everyone(403),
    "visitor": 401,
    "member_user_a": 201,
    "member_admin_a": 201,
    "member_admin_b": 201,
    "coordinator": 201,
}
CONVERSATION = {**everyone(200), "visitor": 403, "outsider": 403}


def _public(w: World) -> str:
    return w.objects["practices.practice"].slug


def _members_only(w: World) -> str:
    return w.objects["practices.community_members_only"].slug


def _draft(w: World) -> str:
    return w.objects["practices.community_draft"].slug


def _comment(w: World) -> list[Any]:
    comment = w.objects["practices.comment"]
    return [comment.practice.slug, comment.pk]


def _get(name: str, args: Any, expect: dict[str, Any]) -> Row:
    return Row(lambda w: reverse(name, args=args(w) if args else None), expect)


def _post(name: str, args: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(lambda w: reverse(name, args=args(w)), expect, method="post", data=data or (lambda w: {}))


def _one(slug: Any) -> Any:
    return lambda w: [slug(w)]


def _form(w: World) -> dict[str, Any]:
    return {"kind": "question", "text": "Combien de conducteurs avez-vous ?"}


ROWS: dict[str, list[Row]] = {
    "practices:feed": [_get("practices:feed", None, everyone(200))],
    "practices:practice_pdf": [
        _get("practices:practice_pdf", _one(_public), everyone(200)),
        _get("practices:practice_pdf", _one(_members_only), MEMBERS_ONLY_SHEET),
        _get("practices:practice_pdf", _one(_draft), DRAFT_OF_A),
    ],
    "practices:comment_create": [
        _get("practices:comment_create", _one(_public), everyone(405)),
        _post("practices:comment_create", _one(_public), COMMENTERS, _form),
        _post("practices:comment_create", _one(_draft), DRAFT_COMMENTERS, _form),
    ],
    "practices:comment_delete": [
        _get("practices:comment_delete", _comment, everyone(405)),
        _post("practices:comment_delete", _comment, DELETERS),
    ],
    # The API
    "api-v1:list_practices": [
        _get("api-v1:list_practices", None, everyone(200)),
        Row(lambda w: reverse("api-v1:list_practices") + "?q=covoiturage&theme=mobility", everyone(200)),
    ],
    "api-v1:get_practice": [
        _get("api-v1:get_practice", _one(_public), everyone(200)),
        _get("api-v1:get_practice", _one(_members_only), MEMBERS_ONLY_SHEET),
        _get("api-v1:get_practice", _one(_draft), DRAFT_OF_A),
    ],
    "api-v1:list_practice_comments": [
        _get("api-v1:list_practice_comments", _one(_public), CONVERSATION),
        _get("api-v1:list_practice_comments", _one(_members_only), {**CONVERSATION, "visitor": 404, "outsider": 404}),
    ],
    "api-v1:post_practice_comment": [
        _post("api-v1:post_practice_comment", _one(_public), API_COMMENTERS, _form),
    ],
}


def populate(world: World) -> None:
    actors = world.actors
    if "practices.practice" not in world.objects:
        world.objects["practices.practice"] = sheet(actors.org_a, author=actors.member_user_a)
    world.objects["practices.community_members_only"] = sheet(
        actors.org_a, author=actors.member_user_a, visibility="members"
    )
    world.objects["practices.community_draft"] = sheet(actors.org_a, author=actors.member_user_a, state="draft")
    world.objects["practices.comment"] = comment_create(
        actor=actors.member_admin_b,
        practice=world.objects["practices.practice"],
        kind="comment",
        text="Merci pour ce partage très concret.",
    )
