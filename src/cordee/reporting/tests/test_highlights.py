"""Highlights, testimonies and pictures: written by the coordinator only, checked, audited; a
refused request writes nothing, not even a file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors
from cordee.reporting import services
from cordee.reporting.models import Highlight
from cordee.reporting.tests.test_report import png

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 14)


def stored_pictures() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "reporting" / "pictures"
    return set(os.listdir(folder)) if folder.is_dir() else set()


def test_the_coordinator_adds_a_testimony_and_it_is_audited(actors: Actors) -> None:
    highlight = services.highlight_create(
        actor=actors.coordinator,
        kind=Highlight.Kind.TESTIMONY,
        starts_on=DAY,
        ends_on=DAY,
        title="  Une avance   au bon moment ",
        text="Sans l'avance du pôle, nous aurions fermé en juillet.",
        attribution="Marie, trésorière des Jardins du Buëch",
        organisation=actors.org_a,
    )
    assert highlight.title == "Une avance au bon moment"
    assert highlight.created_by == actors.coordinator and highlight.organisation == actors.org_a
    event = AuditEvent.objects.get(action="reporting.highlight.create")
    assert event.target_id == str(highlight.pk) and event.actor == actors.coordinator
    assert event.data["kind"] == "testimony"


@pytest.mark.parametrize("role", ["treasurer", "member_admin_a", "committee"])
def test_only_the_coordinator_writes_highlights(actors: Actors, role: str) -> None:
    with pytest.raises(NotAllowed):
        services.highlight_create(actor=getattr(actors, role), starts_on=DAY, ends_on=DAY, title="Fête")
    assert not Highlight.objects.exists() and not AuditEvent.objects.filter(action__startswith="reporting.").exists()


@pytest.mark.parametrize(
    ("arguments", "field", "code"),
    [
        ({"ends_on": DAY - dt.timedelta(days=1)}, "ends_on", "period_reversed"),
        ({"title": "   "}, "title", "required"),
        ({"title": "x" * 201}, "title", "max_length"),
        ({"kind": "testimony"}, "text", "required"),
        ({"kind": "picture"}, "picture", "required"),
        ({"kind": "video"}, "kind", "invalid_choice"),
    ],
)
def test_it_refuses_an_entry_naming_the_field(actors: Actors, arguments: dict[str, Any], field: str, code: str) -> None:
    fields: dict[str, Any] = {"starts_on": DAY, "ends_on": DAY, "title": "Fête du pôle", **arguments}
    with pytest.raises(DomainError) as refused:
        services.highlight_create(actor=actors.coordinator, **fields)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not Highlight.objects.exists()


def test_a_picture_needs_a_description(actors: Actors) -> None:
    before = stored_pictures()
    with pytest.raises(DomainError) as refused:
        services.highlight_create(
            actor=actors.coordinator, kind="picture", starts_on=DAY, ends_on=DAY, title="Chantier", picture=png()
        )
    assert refused.value.field == "picture_alt"
    assert not Highlight.objects.exists() and stored_pictures() == before


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n" * 20), "type"),
        (SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture at all" * 50), "content_mismatch"),
        (SimpleUploadedFile("dessin.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"), "type"),
        (SimpleUploadedFile("vide.png", b""), "empty"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_picture(actors: Actors, upload: Any, code: str) -> None:
    before = stored_pictures()
    with pytest.raises(DomainError) as refused:
        services.highlight_create(
            actor=actors.coordinator,
            kind="picture",
            starts_on=DAY,
            ends_on=DAY,
            title="Chantier",
            picture=upload,
            picture_alt="Des bénévoles",
        )
    assert (refused.value.field, refused.value.code) == ("picture", code)
    assert not Highlight.objects.exists() and stored_pictures() == before


def test_it_refuses_a_picture_over_the_limit(actors: Actors, settings: Any) -> None:
    settings.CORDEE_HIGHLIGHT_PICTURE_MAX_BYTES = 100
    with pytest.raises(DomainError) as refused:
        services.highlight_create(
            actor=actors.coordinator,
            kind="picture",
            starts_on=DAY,
            ends_on=DAY,
            title="Chantier",
            picture=png(),
            picture_alt="Des bénévoles",
        )
    assert (refused.value.field, refused.value.code) == ("picture", "too_large")


def test_a_picture_is_stored_under_a_random_name_and_replaced_then_removed(
    actors: Actors, django_capture_on_commit_callbacks: Any
) -> None:
    before = stored_pictures()
    highlight = services.highlight_create(
        actor=actors.coordinator,
        kind="picture",
        starts_on=DAY,
        ends_on=DAY,
        title="Chantier",
        picture=png("IMG 2026 chantier.png"),
        picture_alt="Des bénévoles repeignent la salle",
    )
    first = Path(highlight.picture.name).name
    assert first.endswith(".png") and "chantier" not in first and len(first) == 36
    assert stored_pictures() - before == {first}
    with django_capture_on_commit_callbacks(execute=True):
        highlight = services.highlight_update(
            actor=actors.coordinator,
            highlight=highlight,
            kind="picture",
            starts_on=DAY,
            ends_on=DAY,
            title="Chantier",
            picture=png("autre.png"),
            picture_alt="La salle repeinte",
        )
    second = Path(highlight.picture.name).name
    assert stored_pictures() - before == {second} and second != first
    with django_capture_on_commit_callbacks(execute=True):
        services.highlight_update(
            actor=actors.coordinator,
            highlight=highlight,
            kind="highlight",
            starts_on=DAY,
            ends_on=DAY,
            title="Chantier",
            remove_picture=True,
        )
    highlight.refresh_from_db()
    assert not highlight.picture and highlight.picture_alt == ""
    assert stored_pictures() - before == set()


def test_removing_the_picture_of_a_picture_entry_is_refused(actors: Actors) -> None:
    highlight = services.highlight_create(
        actor=actors.coordinator,
        kind="picture",
        starts_on=DAY,
        ends_on=DAY,
        title="Chantier",
        picture=png(),
        picture_alt="Des bénévoles",
    )
    with pytest.raises(DomainError) as refused:
        services.highlight_update(
            actor=actors.coordinator,
            highlight=highlight,
            kind="picture",
            starts_on=DAY,
            ends_on=DAY,
            title="Chantier",
            remove_picture=True,
        )
    assert refused.value.field == "picture"
    highlight.refresh_from_db()
    assert highlight.picture


def test_deleting_keeps_the_text_in_the_audit_trail(actors: Actors, django_capture_on_commit_callbacks: Any) -> None:
    before = stored_pictures()
    highlight = services.highlight_create(
        actor=actors.coordinator,
        kind="picture",
        starts_on=DAY,
        ends_on=DAY,
        title="Chantier",
        text="Vingt bénévoles.",
        picture=png(),
        picture_alt="Des bénévoles",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.highlight_delete(actor=actors.coordinator, highlight=highlight)
    assert not Highlight.objects.exists() and stored_pictures() == before
    event = AuditEvent.objects.get(action="reporting.highlight.delete")
    assert event.data["text"] == "Vingt bénévoles."


# --- The pages ------------------------------------------------------------------------------------


def test_the_coordinator_adds_a_picture_through_the_form(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.coordinator)
    url = reverse("reporting:highlight_create")
    form = client.get(url, {"du": "2026-01-01", "au": "2026-03-31"})
    assert form.status_code == 200
    assert form.context["form"].initial["starts_on"] == dt.date(2026, 1, 1)
    response = client.post(
        url,
        {
            "kind": "picture",
            "starts_on": "2026-02-14",
            "ends_on": "2026-02-14",
            "title": "Chantier participatif",
            "picture": png(),
            "picture_alt": "",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["picture_alt"]
    assert not Highlight.objects.exists()
    response = client.post(
        url,
        {
            "kind": "picture",
            "starts_on": "2026-02-14",
            "ends_on": "2026-02-14",
            "title": "Chantier participatif",
            "picture": png(),
            "picture_alt": "Des bénévoles repeignent la salle",
            "organisation": actors.org_a.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:dashboard") + "?du=2026-02-14&au=2026-02-14#highlights"
    highlight = Highlight.objects.get()
    assert highlight.organisation == actors.org_a
    picture = client.get(reverse("reporting:highlight_picture", args=[highlight.pk]))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert b"".join(picture.streaming_content).startswith(b"\x89PNG")
    assert (
        client_for(actors.treasurer).get(reverse("reporting:highlight_picture", args=[highlight.pk])).status_code == 200
    )
    assert (
        client_for(actors.member_admin_a).get(reverse("reporting:highlight_picture", args=[highlight.pk])).status_code
        == 403
    )


def test_the_coordinator_edits_and_deletes_an_entry(actors: Actors, client_for: Any) -> None:
    highlight = services.highlight_create(actor=actors.coordinator, starts_on=DAY, ends_on=DAY, title="Forum")
    client = client_for(actors.coordinator)
    edit = reverse("reporting:highlight_edit", args=[highlight.pk])
    assert client.get(edit).context["form"].initial["title"] == "Forum"
    response = client.post(
        edit, {"kind": "highlight", "starts_on": "2026-02-14", "ends_on": "2026-02-13", "title": "Forum ESS"}
    )
    assert response.status_code == 400 and list(response.context["form"].errors) == ["ends_on"]
    response = client.post(
        edit, {"kind": "highlight", "starts_on": "2026-02-14", "ends_on": "2026-02-15", "title": "Forum ESS"}
    )
    assert response.status_code == 302
    highlight.refresh_from_db()
    assert (highlight.title, highlight.ends_on) == ("Forum ESS", dt.date(2026, 2, 15))
    delete = reverse("reporting:highlight_delete", args=[highlight.pk])
    assert client.get(delete).status_code == 200 and Highlight.objects.exists()
    assert client.post(delete).status_code == 302
    assert not Highlight.objects.exists()


def test_others_may_not_write_highlights(actors: Actors, client_for: Any) -> None:
    highlight = services.highlight_create(actor=actors.coordinator, starts_on=DAY, ends_on=DAY, title="Forum")
    for user in (actors.treasurer, actors.member_admin_a):
        client = client_for(user)
        assert client.get(reverse("reporting:highlight_create")).status_code == 403
        assert client.post(reverse("reporting:highlight_delete", args=[highlight.pk])).status_code == 403
    assert Highlight.objects.count() == 1


def test_a_picture_stored_for_an_entry_that_fails_to_save_is_deleted(
    actors: Actors, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = stored_pictures()

    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.highlight_create(
            actor=actors.coordinator,
            kind="picture",
            starts_on=DAY,
            ends_on=DAY,
            title="Chantier",
            picture=png(),
            picture_alt="Des bénévoles",
        )
    assert not Highlight.objects.exists() and stored_pictures() == before
