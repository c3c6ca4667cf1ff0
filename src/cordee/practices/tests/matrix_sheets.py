"""The practice sheets rows of the authorization matrix (see matrix.py and matrix_support).

The world: a published public sheet of organisation A (`practices.practice`) with a file, a
published sheet of B for members only, a draft of A with a file, and a sheet of A in review.
Everyone reads a public sheet; visitors and people of no member organisation never see a sheet
for members only; a draft or a sheet in review is seen by the people of A and the coordinator only.
Authors change their sheet while it is a draft; the coordinator reviews, publishes, sends back and
unpublishes."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cordee.core.models import User
from cordee.core.tests.matrix_support import LOGIN, REDIRECT, Row, World, coordinator_only, everyone, logged_in
from cordee.network.models import Organisation
from cordee.practices.models import Attachment, Practice
from cordee.practices.services.sheets import attachment_add, practice_create, practice_publish, practice_submit

# The smallest valid PNG: a 1x1 transparent pixel.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
)


def sheet_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "Un covoiturage solidaire entre vallées",
        "summary": "Des habitants sans voiture rejoignent les marchés grâce au co-voiturage organisé.",
        "steps": "<p>Nous avons recensé les trajets, puis ouvert une plateforme.</p>",
        "theme": "mobility",
    }
    fields.update(overrides)
    return fields


def sheet(
    author: User,
    organisations: list[Organisation],
    *,
    state: str = "draft",
    coordinator: User | None = None,
    **fields: Any,
) -> Practice:
    """A sheet written by `author`, taken to `state` (review and published need the coordinator)."""
    practice = practice_create(actor=author, organisations=organisations, **sheet_fields(**fields))
    if state in ("review", "published"):
        practice = practice_submit(actor=author, practice=practice)
    if state == "published":
        assert coordinator is not None
        practice = practice_publish(actor=coordinator, practice=practice)
    return practice


def png(name: str = "plan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def _slug(key: str) -> Any:
    return lambda w: w.objects[key].slug


def _get(name: str, key: str | None, expect: dict[str, Any]) -> Row:
    return Row(lambda w: reverse(name, args=[w.objects[key].slug]) if key else reverse(name), expect)


def _post(name: str, key: str, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(lambda w: reverse(name, args=[w.objects[key].slug]), expect, method="post", data=data)


def _file_url(name: str, key: str) -> Any:
    def url(w: World) -> str:
        attachment: Attachment = w.objects[key]
        return reverse(name, args=[attachment.practice.slug, attachment.pk])

    return url


def _form(w: World) -> dict[str, Any]:
    return {
        "title": "Une épicerie solidaire itinérante",
        "summary": "Un camion qui passe dans les villages chaque semaine.",
        "theme": "food",
        "organisations": [w.actors.org_a.pk],
        "steps": "On a acheté un camion.\n\nPuis trouvé les producteurs.",
        "cost": "12 500",
        "tags": "Épicerie, circuits courts",
        "commune": "05061",
        "visibility": "public",
    }


A_PEOPLE = ("member_user_a", "member_admin_a", "coordinator")
SEEN_BY_A = {**everyone(404), **dict.fromkeys(A_PEOPLE, 200)}
A_ONLY = {**logged_in(404), **dict.fromkeys(A_PEOPLE, REDIRECT)}
FOR_MEMBERS = {**everyone(200), "visitor": 404, "outsider": 404}
WRITERS = {**logged_in(403), "member_user_a": 200, "member_admin_a": 200, "member_admin_b": 200, "coordinator": 200}
REVIEWED = {**logged_in(403), "coordinator": REDIRECT}

ROWS: dict[str, list[Row]] = {
    "practices:practices": [
        _get("practices:practices", None, everyone(200)),
        Row(
            lambda w: reverse("practices:practices") + "?q=covoiturages&theme=mobility&famille=association",
            everyone(200),
        ),
        Row(lambda w: reverse("practices:practices") + "?q=&commune=05061&page=9", everyone(200)),
    ],
    "practices:practice": [
        _get("practices:practice", "practices.practice", everyone(200)),
        _get("practices:practice", "practices.members_b", FOR_MEMBERS),
        _get("practices:practice", "practices.draft_a", SEEN_BY_A),
        _get("practices:practice", "practices.review_a", SEEN_BY_A),
    ],
    "practices:practice_print": [
        _get("practices:practice_print", "practices.practice", everyone(200)),
        _get("practices:practice_print", "practices.draft_a", SEEN_BY_A),
    ],
    "practices:review": [_get("practices:review", None, coordinator_only())],
    "practices:practice_create": [
        _get("practices:practice_create", None, WRITERS),
        Row(
            lambda w: reverse("practices:practice_create"),
            {
                **logged_in(403),
                "member_user_a": REDIRECT,
                "member_admin_a": REDIRECT,
                "member_admin_b": 400,
                "coordinator": REDIRECT,
            },
            method="post",
            data=_form,
        ),
    ],
    "practices:practice_edit": [
        _get("practices:practice_edit", "practices.draft_a", {**SEEN_BY_A, "visitor": LOGIN}),
        # Published: the authors see it but change it only as a draft again; the coordinator may.
        _get("practices:practice_edit", "practices.practice", {**logged_in(403), "coordinator": 200}),
        _post("practices:practice_edit", "practices.draft_a", A_ONLY, _form),
        _post(
            "practices:practice_edit",
            "practices.draft_a",
            {**logged_in(404), **dict.fromkeys(A_PEOPLE, 400)},
            lambda w: {**_form(w), "title": ""},
        ),
    ],
    "practices:practice_submit": [
        _post("practices:practice_submit", "practices.draft_a", A_ONLY),
        _post(
            "practices:practice_submit",
            "practices.practice",
            {**logged_in(403), **dict.fromkeys(A_PEOPLE, 400)},
        ),
    ],
    "practices:practice_publish": [
        _get("practices:practice_publish", "practices.review_a", {**everyone(405)}),
        _post("practices:practice_publish", "practices.review_a", REVIEWED),
        _post("practices:practice_publish", "practices.draft_a", {**logged_in(403), "coordinator": 400}),
    ],
    "practices:practice_send_back": [
        _post(
            "practices:practice_send_back",
            "practices.review_a",
            REVIEWED,
            lambda w: {"send_back-note": "Ajoutez les chiffres, s'il vous plaît."},
        ),
        _post("practices:practice_send_back", "practices.review_a", {**logged_in(403), "coordinator": 400}),
    ],
    "practices:practice_unpublish": [
        _post(
            "practices:practice_unpublish",
            "practices.practice",
            REVIEWED,
            lambda w: {"unpublish-note": "Des chiffres sont à vérifier."},
        ),
        _post("practices:practice_unpublish", "practices.practice", {**logged_in(403), "coordinator": 400}),
    ],
    "practices:attachment_add": [
        _post("practices:attachment_add", "practices.draft_a", A_ONLY, lambda w: {"file": png(), "label": "Plan"}),
        _post(
            "practices:attachment_add",
            "practices.draft_a",
            {**logged_in(404), **dict.fromkeys(A_PEOPLE, 400)},
            lambda w: {"file": SimpleUploadedFile("outil.pdf", b"MZ\x90\x00" + b"\0" * 60), "label": "Outil"},
        ),
        _post(
            "practices:attachment_add",
            "practices.practice",
            {**logged_in(403), "coordinator": REDIRECT},
            lambda w: {"file": png(), "label": "Plan"},
        ),
    ],
    "practices:attachment": [
        Row(_file_url("practices:attachment", "practices.attachment"), everyone(200)),
        Row(_file_url("practices:attachment", "practices.draft_attachment"), SEEN_BY_A),
    ],
    "practices:attachment_remove": [
        Row(_file_url("practices:attachment_remove", "practices.draft_attachment"), A_ONLY, method="post"),
        Row(
            _file_url("practices:attachment_remove", "practices.attachment"),
            {**logged_in(403), "coordinator": REDIRECT},
            method="post",
        ),
    ],
}


def populate(world: World) -> None:
    actors = world.actors
    published = sheet(
        actors.member_user_a,
        [actors.org_a],
        state="published",
        coordinator=actors.coordinator,
        tags="mobilité, covoiturage",
    )
    world.objects["practices.attachment"] = attachment_add(
        actor=actors.coordinator, practice=published, file=png(), label="Carte des trajets"
    )
    world.objects["practices.practice"] = published
    world.objects["practices.members_b"] = sheet(
        actors.member_admin_b,
        [actors.org_b],
        state="published",
        coordinator=actors.coordinator,
        title="Un groupement d'employeurs pour les saisonniers",
        theme="employment",
        visibility="members",
    )
    draft = sheet(actors.member_admin_a, [actors.org_a], title="Une recyclerie de matériel de montagne")
    world.objects["practices.draft_attachment"] = attachment_add(
        actor=actors.member_admin_a, practice=draft, file=png(), label="Plan du local"
    )
    world.objects["practices.draft_a"] = draft
    world.objects["practices.review_a"] = sheet(
        actors.member_user_a, [actors.org_a], state="review", title="Des paniers de légumes en circuit court"
    )
