from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent, User
from cordee.core.testing import Actors
from cordee.practices.models import Attachment, Practice
from cordee.practices.services.sheets import (
    attachment_add,
    attachment_remove,
    normalise_tags,
    practice_create,
    practice_publish,
    practice_record_read,
    practice_send_back,
    practice_submit,
    practice_unpublish,
    practice_update,
)
from cordee.practices.tests.matrix_sheets import png, sheet, sheet_fields

pytestmark = pytest.mark.django_db

ROLES = ["outsider", "member_user_a", "member_admin_a", "member_admin_b", "coordinator", "treasurer", "committee"]


def _as(actors: Actors, role: str) -> User:
    user = actors.by_role()[role]
    assert user is not None
    return user


def _counts() -> tuple[int, int, int]:
    return Practice.objects.count(), Attachment.objects.count(), AuditEvent.objects.count()


def test_it_creates_a_draft_with_a_unique_slug_and_clean_fields(actors: Actors) -> None:
    first = sheet(actors.member_user_a, [actors.org_a], tags=" Mobilité , covoiturage,mobilité ,, ")
    second = sheet(
        actors.member_user_a,
        [actors.org_a],
        steps='<p onclick="x">Étape</p><script>alert(1)</script>',
        context="Ligne\n\nAutre",
        cost_cents=125_000,
    )
    assert first.state == "draft"
    assert first.slug == "un-covoiturage-solidaire-entre-vallees"
    assert second.slug == "un-covoiturage-solidaire-entre-vallees-2"
    assert first.tags == "mobilité, covoiturage"
    assert second.steps == "<p>Étape</p>"
    assert second.context == "<p>Ligne</p><p>Autre</p>"
    assert " covoiturag " in first.search_text
    assert AuditEvent.objects.filter(action="practices.practice.create").count() == 2


def test_it_avoids_reserved_addresses(actors: Actors) -> None:
    assert sheet(actors.member_user_a, [actors.org_a], title="Relecture").slug == "relecture-2"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Abc"),
        ("summary", "   "),
        ("steps", "<p> </p><script>x</script>"),
        ("theme", "weather"),
        ("cost_cents", -1),
        ("contact_email", "pas-une-adresse"),
        ("visibility", "secret"),
        ("tags", "x" * 301),
    ],
)
def test_it_refuses_bad_fields_naming_them_and_writes_nothing(actors: Actors, field: str, value: Any) -> None:
    before = _counts()
    with pytest.raises(DomainError) as caught:
        practice_create(actor=actors.member_user_a, organisations=[actors.org_a], **sheet_fields(**{field: value}))
    assert caught.value.field == field
    assert _counts() == before


def test_it_refuses_a_sheet_without_organisation_or_for_another_organisation(actors: Actors) -> None:
    before = _counts()
    for organisations in ([], [actors.org_a, actors.org_b]):
        with pytest.raises(DomainError) as caught:
            practice_create(actor=actors.member_user_a, organisations=organisations, **sheet_fields())
        assert caught.value.field == "organisations"
    assert _counts() == before


def test_the_coordinator_writes_for_any_organisation(actors: Actors) -> None:
    practice = sheet(actors.coordinator, [actors.org_a, actors.org_b])
    assert set(practice.organisations.all()) == {actors.org_a, actors.org_b}


@pytest.mark.parametrize("role", ["outsider", "treasurer", "committee"])
def test_people_of_no_member_organisation_may_not_write(actors: Actors, role: str) -> None:
    with pytest.raises(NotAllowed):
        practice_create(actor=_as(actors, role), organisations=[actors.org_a], **sheet_fields())
    assert Practice.objects.count() == 0


def test_normalise_tags() -> None:
    assert normalise_tags(" Vélo ,vélo,  Circuits   Courts ,") == "vélo, circuits courts"


def _update(actor: Any, practice: Practice, **fields: Any) -> Practice:
    return practice_update(actor=actor, practice=practice, **sheet_fields(**fields))


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_a_draft(actors: Actors, role: str) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a])
    allowed = role in ("member_user_a", "member_admin_a", "coordinator")
    if allowed:
        updated = _update(_as(actors, role), practice, title="Un autre titre de fiche", summary="Vélos partagés")
        assert updated.title == "Un autre titre de fiche"
        assert " partag " in updated.search_text
    else:
        with pytest.raises(NotAllowed):
            _update(_as(actors, role), practice, title="Un autre titre de fiche")
        assert Practice.objects.get().title == practice.title


def test_authors_change_a_sheet_only_as_a_draft(actors: Actors) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="review")
    with pytest.raises(DomainError) as caught:
        _update(actors.member_admin_a, practice, title="Un autre titre de fiche")
    assert caught.value.code == "state"
    assert _update(actors.coordinator, practice, title="Corrigé par l'animateur").title == "Corrigé par l'animateur"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_submit(actors: Actors, role: str, mailoutbox: list[Any]) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a])
    if role in ("member_user_a", "member_admin_a", "coordinator"):
        submitted = practice_submit(actor=_as(actors, role), practice=practice)
        assert submitted.state == "review" and submitted.submitted_at is not None
    else:
        with pytest.raises(NotAllowed):
            practice_submit(actor=_as(actors, role), practice=practice)
        assert Practice.objects.get().state == "draft"


def test_submitting_tells_the_coordinator(actors: Actors, django_capture_on_commit_callbacks: Any) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a])
    with django_capture_on_commit_callbacks(execute=True):
        practice_submit(actor=actors.member_user_a, practice=practice)
    assert [message.to for message in mail.outbox] == [["coordinator@example.org"]]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_coordinator_publishes(actors: Actors, role: str) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="review")
    if role == "coordinator":
        published = practice_publish(actor=actors.coordinator, practice=practice)
        assert published.state == "published" and published.published_at is not None
    else:
        with pytest.raises(NotAllowed):
            practice_publish(actor=_as(actors, role), practice=practice)
        assert Practice.objects.get().state == "review"


def test_publishing_tells_the_authors(actors: Actors, django_capture_on_commit_callbacks: Any) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="review")
    with django_capture_on_commit_callbacks(execute=True):
        practice_publish(actor=actors.coordinator, practice=practice)
    # The writer and the référent of organisation A.
    assert sorted(mail.outbox[0].to) == ["admin.a@example.org", "user.a@example.org"]


def test_it_refuses_transitions_from_the_wrong_state(actors: Actors) -> None:
    draft = sheet(actors.member_user_a, [actors.org_a])
    published = sheet(actors.member_user_a, [actors.org_a], state="published", coordinator=actors.coordinator)
    before = _counts()
    with pytest.raises(DomainError):
        practice_publish(actor=actors.coordinator, practice=draft)
    with pytest.raises(DomainError):
        practice_send_back(actor=actors.coordinator, practice=published, note="x")
    with pytest.raises(DomainError):
        practice_unpublish(actor=actors.coordinator, practice=draft, note="x")
    with pytest.raises(DomainError):
        practice_submit(actor=actors.member_user_a, practice=published)
    assert _counts() == before


def test_send_back_needs_a_note_and_returns_to_draft(actors: Actors, django_capture_on_commit_callbacks: Any) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="review")
    with pytest.raises(DomainError) as caught:
        practice_send_back(actor=actors.coordinator, practice=practice, note="  ")
    assert caught.value.field == "review_note"
    with pytest.raises(NotAllowed):
        practice_send_back(actor=actors.member_admin_a, practice=practice, note="Non")
    assert Practice.objects.get().state == "review"
    with django_capture_on_commit_callbacks(execute=True):
        sent_back = practice_send_back(actor=actors.coordinator, practice=practice, note="Ajoutez les chiffres.")
    assert (sent_back.state, sent_back.review_note) == ("draft", "Ajoutez les chiffres.")
    assert "user.a@example.org" in mail.outbox[0].to


def test_unpublish_needs_a_note(actors: Actors) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="published", coordinator=actors.coordinator)
    with pytest.raises(DomainError):
        practice_unpublish(actor=actors.coordinator, practice=practice, note="")
    with pytest.raises(NotAllowed):
        practice_unpublish(actor=actors.member_user_a, practice=practice, note="Je retire")
    unpublished = practice_unpublish(actor=actors.coordinator, practice=practice, note="Chiffres à vérifier")
    assert (unpublished.state, unpublished.published_at) == ("draft", None)


def test_reads_are_counted_but_not_the_authors(actors: Actors) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="published", coordinator=actors.coordinator)
    assert practice_record_read(practice=practice, reader=actors.member_admin_b)
    assert practice_record_read(practice=practice, reader=None)
    assert not practice_record_read(practice=practice, reader=actors.member_admin_a)
    assert Practice.objects.get().read_count == 2


def test_attachments_are_checked_stored_and_removed(actors: Actors) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a])
    attachment = attachment_add(actor=actors.member_admin_a, practice=practice, file=png(), label="")
    assert (attachment.content_type, attachment.label) == ("image/png", "plan.png")
    assert attachment.file.storage.exists(attachment.file.name)
    before = _counts()
    with pytest.raises(DomainError) as caught:
        attachment_add(
            actor=actors.member_user_a,
            practice=practice,
            file=SimpleUploadedFile("outil.pdf", b"MZ\x90\x00" + b"\0" * 60),
        )
    assert caught.value.field == "file"
    with pytest.raises(NotAllowed):
        attachment_add(actor=actors.member_admin_b, practice=practice, file=png())
    assert _counts() == before
    attachment_remove(actor=actors.member_user_a, attachment=attachment)
    assert not Attachment.objects.exists()
