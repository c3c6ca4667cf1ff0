"""Comments, questions to the authors and "we tried it too" under a published sheet."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors
from cordee.practices.models import Comment, Practice
from cordee.practices.services.comments import comment_create, comment_delete
from cordee.practices.tests.factories import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(actors: Actors) -> Practice:
    return sheet(actors.org_a, author=actors.member_user_a)


def _refuses_and_writes_nothing(call: Any, code: str) -> DomainError:
    audits = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    assert not Comment.objects.exists()
    assert AuditEvent.objects.count() == audits
    return caught.value


@pytest.mark.parametrize("role", ["member_user_a", "member_admin_a", "member_admin_b", "coordinator"])
def test_the_people_of_members_and_the_coordinator_comment_a_published_sheet(
    actors: Actors, practice: Practice, role: str
) -> None:
    person = actors.by_role()[role]
    assert person is not None

    comment = comment_create(actor=person, practice=practice, kind="comment", text="Bravo, très clair.")

    assert (comment.kind, comment.author, comment.practice) == ("comment", person, practice)
    event = AuditEvent.objects.get(action="practices.comment.create")
    assert event.data["comment"] == comment.pk and event.target_id == str(practice.pk)


@pytest.mark.parametrize("role", ["outsider", "treasurer", "committee"])
def test_it_refuses_a_comment_from_someone_of_no_member_organisation(
    actors: Actors, practice: Practice, role: str
) -> None:
    person = actors.by_role()[role]
    assert person is not None

    error = _refuses_and_writes_nothing(
        lambda: comment_create(actor=person, practice=practice, kind="comment", text="Bonjour"), "forbidden"
    )
    assert isinstance(error, NotAllowed)


@pytest.mark.parametrize("state", ["draft", "review"])
def test_it_refuses_a_comment_on_a_sheet_not_published(actors: Actors, state: str) -> None:
    draft = sheet(actors.org_a, author=actors.member_user_a, state=state)

    _refuses_and_writes_nothing(
        lambda: comment_create(actor=actors.member_admin_a, practice=draft, kind="comment", text="Bientôt ?"),
        "not_published",
    )


def test_a_visitor_is_sent_to_log_in_and_nothing_is_written(client_for: Any, practice: Practice) -> None:
    response = client_for(None).post(
        reverse("practices:comment_create", args=[practice.slug]), {"kind": "comment", "text": "Bonjour"}
    )

    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert not Comment.objects.exists()


def test_it_refuses_an_outsider_through_the_page(actors: Actors, client_for: Any, practice: Practice) -> None:
    response = client_for(actors.outsider).post(
        reverse("practices:comment_create", args=[practice.slug]), {"kind": "comment", "text": "Bonjour"}
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_members_only_sheet_is_not_found_by_an_outsider(actors: Actors, client_for: Any) -> None:
    hidden = sheet(actors.org_a, author=actors.member_user_a, visibility="members")

    response = client_for(actors.outsider).post(
        reverse("practices:comment_create", args=[hidden.slug]), {"kind": "comment", "text": "Bonjour"}
    )

    assert response.status_code == 404


def test_an_organisation_says_it_tried_it_once(actors: Actors, practice: Practice) -> None:
    comment_create(
        actor=actors.member_admin_b,
        practice=practice,
        kind="tried",
        text="Lancé à Briançon.",
        organisation=actors.org_b,
    )

    _second = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        comment_create(
            actor=actors.member_admin_b, practice=practice, kind="tried", text="Encore", organisation=actors.org_b
        )

    assert (caught.value.code, caught.value.field) == ("already_tried", "organisation")
    assert Comment.objects.filter(kind="tried").count() == 1
    assert AuditEvent.objects.count() == _second
    # Another organisation may still testify, and the same one may still comment.
    comment_create(
        actor=actors.member_admin_a, practice=practice, kind="tried", text="Nous aussi.", organisation=actors.org_a
    )
    comment_create(actor=actors.member_admin_b, practice=practice, kind="comment", text="Et merci.")
    assert Comment.objects.filter(kind="tried").count() == 2


def test_tried_needs_one_of_ones_own_organisations(actors: Actors, practice: Practice) -> None:
    missing = _refuses_and_writes_nothing(
        lambda: comment_create(actor=actors.member_admin_b, practice=practice, kind="tried", text="Oui"), "required"
    )
    not_mine = _refuses_and_writes_nothing(
        lambda: comment_create(
            actor=actors.member_admin_b, practice=practice, kind="tried", text="Oui", organisation=actors.org_a
        ),
        "not_yours",
    )
    coordinator = _refuses_and_writes_nothing(
        lambda: comment_create(actor=actors.coordinator, practice=practice, kind="tried", text="Oui"), "required"
    )

    assert missing.field == not_mine.field == coordinator.field == "organisation"


@pytest.mark.parametrize(("text", "code"), [("   ", "required"), ("x" * 2001, "max_length")])
def test_it_refuses_an_empty_or_too_long_text(actors: Actors, practice: Practice, text: str, code: str) -> None:
    error = _refuses_and_writes_nothing(
        lambda: comment_create(actor=actors.member_admin_b, practice=practice, kind="comment", text=text), code
    )
    assert error.field == "text"


def test_it_keeps_a_text_of_exactly_2000_characters(actors: Actors, practice: Practice) -> None:
    comment = comment_create(actor=actors.member_admin_b, practice=practice, kind="question", text="é" * 2000)

    assert len(comment.text) == 2000


def test_it_refuses_an_unknown_kind(actors: Actors, practice: Practice) -> None:
    _refuses_and_writes_nothing(
        lambda: comment_create(actor=actors.member_admin_b, practice=practice, kind="like", text="+1"),
        "invalid_choice",
    )


def test_the_authors_are_written_to_after_commit(
    actors: Actors, practice: Practice, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        comment_create(actor=actors.member_admin_b, practice=practice, kind="question", text="Combien de conducteurs ?")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    # The person who wrote it and the member admin of its organisation; not the one who asked.
    assert sorted(message.to) == ["admin.a@example.org", "user.a@example.org"]
    assert "question" in message.subject.lower()
    assert "Combien de conducteurs ?" in message.body
    assert practice.get_absolute_url() in message.body


def test_nobody_is_written_to_before_commit_nor_the_writer_themself(
    actors: Actors, practice: Practice, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_create(actor=actors.member_admin_a, practice=practice, kind="comment", text="Mise à jour bientôt.")
    assert mailoutbox == []
    for callback in callbacks:
        callback()

    assert [message.to for message in mailoutbox] == [["user.a@example.org"]]


def test_its_author_and_the_coordinator_delete_a_comment_and_nobody_else(actors: Actors, practice: Practice) -> None:
    first = comment_create(actor=actors.member_admin_b, practice=practice, kind="comment", text="Un")
    second = comment_create(actor=actors.member_admin_b, practice=practice, kind="comment", text="Deux")

    with pytest.raises(NotAllowed):
        comment_delete(actor=actors.member_user_a, comment=first)
    comment_delete(actor=actors.member_admin_b, comment=first)
    comment_delete(actor=actors.coordinator, comment=second)

    assert not Comment.objects.exists()
    assert AuditEvent.objects.filter(action="practices.comment.delete").count() == 2


def test_the_page_form_posts_a_tried_it_too(actors: Actors, client_for: Any, practice: Practice) -> None:
    response = client_for(actors.member_admin_b).post(
        reverse("practices:comment_create", args=[practice.slug]),
        {"kind": "tried", "text": "Lancé à Briançon.", "organisation": actors.org_b.pk},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#commentaires")
    comment = Comment.objects.get()
    assert (comment.kind, comment.organisation) == ("tried", actors.org_b)


def test_the_page_form_shows_the_refusal_with_a_400(actors: Actors, client_for: Any, practice: Practice) -> None:
    response = client_for(actors.member_admin_b).post(
        reverse("practices:comment_create", args=[practice.slug]), {"kind": "tried", "text": "Oui"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["organisation"]
    assert not Comment.objects.exists()


def test_the_page_deletes_a_comment_of_its_author(actors: Actors, client_for: Any, practice: Practice) -> None:
    comment = comment_create(actor=actors.member_admin_b, practice=practice, kind="comment", text="Un")
    url = reverse("practices:comment_delete", args=[practice.slug, comment.pk])

    refused = client_for(actors.member_user_a).post(url)
    done = client_for(actors.member_admin_b).post(url)

    assert (refused.status_code, done.status_code) == (403, 302)
    assert not Comment.objects.exists()


def _section(user: Any, practice: Practice) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load practices_community %}{% community_section practice %}").render(
        Context({"practice": practice, "request": request})
    )


def test_html_in_a_comment_is_escaped_and_line_breaks_kept(actors: Actors, practice: Practice) -> None:
    comment_create(
        actor=actors.member_admin_b,
        practice=practice,
        kind="comment",
        text='<script>alert("x")</script>\nDeuxième ligne',
    )

    html = _section(actors.member_admin_b, practice)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Deuxième ligne" in html


def test_the_section_counts_the_organisations_that_tried_it(actors: Actors, practice: Practice) -> None:
    comment_create(
        actor=actors.member_admin_b, practice=practice, kind="tried", text="Lancé.", organisation=actors.org_b
    )
    comment_create(
        actor=actors.member_admin_a, practice=practice, kind="tried", text="Nous aussi.", organisation=actors.org_a
    )
    from django.contrib.auth.models import AnonymousUser

    member = _section(actors.member_admin_b, practice)
    visitor = _section(AnonymousUser(), practice)

    assert 'name="text"' in member and "Nous aussi." in member
    # A visitor sees the count and the organisations the directory shows them (B, not A), no form
    # and none of the conversation.
    assert ">2 " in visitor
    assert actors.org_b.name in visitor and actors.org_a.name not in visitor
    assert 'name="text"' not in visitor and "Nous aussi." not in visitor


def test_the_sheet_page_shows_the_comments_escaped(actors: Actors, client_for: Any, practice: Practice) -> None:
    comment_create(actor=actors.member_admin_b, practice=practice, kind="question", text="<b>Gras</b> ?\nMerci")

    response = client_for(actors.member_admin_b).get(practice.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="commentaires"' in html
    assert "&lt;b&gt;Gras&lt;/b&gt; ?<br>Merci" in html and "<b>Gras</b>" not in html
    assert reverse("practices:comment_create", args=[practice.slug]) in html


def test_the_section_reads_as_many_rows_whatever_the_number_of_comments(actors: Actors, practice: Practice) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        reader = type(actors.member_admin_b).objects.get(pk=actors.member_admin_b.pk)
        with CaptureQueriesContext(connection) as captured:
            _section(reader, practice)
        return len(captured)

    comment_create(actor=actors.member_admin_b, practice=practice, kind="comment", text="Un")
    one = queries()
    comment_create(actor=actors.member_admin_a, practice=practice, kind="tried", text="Deux", organisation=actors.org_a)
    for n in range(4):
        comment_create(actor=actors.coordinator, practice=practice, kind="question", text=f"Question {n}")

    assert queries() == one
