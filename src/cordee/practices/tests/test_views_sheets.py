from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.practices.models import Attachment, Practice
from cordee.practices.services.sheets import attachment_add
from cordee.practices.tests.matrix_sheets import PNG_BYTES, png, sheet

pytestmark = pytest.mark.django_db


def _form(actors: Actors, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Une épicerie solidaire itinérante",
        "summary": "Un camion qui passe dans les villages.",
        "theme": "food",
        "organisations": [actors.org_a.pk],
        "steps": "<p>On a acheté un camion.</p><script>alert(1)</script>",
        "cost": "12 500,50",
        "tags": "Épicerie, circuits courts",
        "commune": "05061",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_a_member_publishes_a_sheet_through_review(actors: Actors, client_for: Any) -> None:
    author = client_for(actors.member_user_a)
    response = author.post(reverse("practices:practice_create"), _form(actors))
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert practice.cost_cents == 1_250_050
    assert practice.steps == "<p>On a acheté un camion.</p>"
    page = author.get(practice.get_absolute_url())
    assert b'id="submit-form"' in page.content and b'data-state="draft"' in page.content
    assert author.post(reverse("practices:practice_submit", args=[practice.slug])).status_code == 302

    coordinator = client_for(actors.coordinator)
    queue = coordinator.get(reverse("practices:review"))
    assert practice.title.encode() in queue.content
    page = coordinator.get(practice.get_absolute_url())
    assert b'id="publish-form"' in page.content and b'id="send-back-form"' in page.content
    assert coordinator.post(reverse("practices:practice_publish", args=[practice.slug])).status_code == 302

    visitor = client_for(None)
    page = visitor.get(practice.get_absolute_url())
    assert page.status_code == 200
    assert b'data-state="published"' in page.content
    assert "12 500,50".replace(" ", "\u202f").encode() in page.content or b"12\xc2\xa0500,50" in page.content
    results = visitor.get(reverse("practices:practices"), {"q": "epicerie"})
    assert practice.get_absolute_url().encode() in results.content


def test_a_visitor_searches_covoiturage(actors: Actors, client_for: Any) -> None:
    practice = sheet(
        actors.member_user_a,
        [actors.org_a],
        state="published",
        coordinator=actors.coordinator,
        title="Partager la route",
        summary="Un service de co-voiturage entre hameaux.",
    )
    page = client_for(None).get(reverse("practices:practices"), {"q": "covoiturage"})
    assert b'id="search-form"' in page.content
    assert f'href="{practice.get_absolute_url()}"'.encode() in page.content


def test_the_coordinator_sends_back_with_a_note(actors: Actors, client_for: Any) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="review")
    coordinator = client_for(actors.coordinator)
    url = reverse("practices:practice_send_back", args=[practice.slug])
    assert coordinator.post(url, {"send_back-note": ""}).status_code == 400
    assert Practice.objects.get().state == "review"
    assert coordinator.post(url, {"send_back-note": "Ajoutez les chiffres."}).status_code == 302
    page = client_for(actors.member_admin_a).get(practice.get_absolute_url())
    assert b"Ajoutez les chiffres." in page.content


def test_a_refused_form_names_the_field(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.member_user_a).post(reverse("practices:practice_create"), _form(actors, title="Abc"))
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_reading_counts_once_per_view_but_not_for_authors(actors: Actors, client_for: Any) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="published", coordinator=actors.coordinator)
    client_for(None).get(practice.get_absolute_url())
    client_for(actors.member_admin_b).get(practice.get_absolute_url())
    client_for(actors.member_admin_a).get(practice.get_absolute_url())
    client_for(None).get(reverse("practices:practice_print", args=[practice.slug]))
    assert Practice.objects.get().read_count == 2


def test_the_print_page_has_no_navigation(actors: Actors, client_for: Any) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="published", coordinator=actors.coordinator)
    page = client_for(None).get(reverse("practices:practice_print", args=[practice.slug]))
    assert page.status_code == 200
    assert b"practices/print.css" in page.content
    assert b"Main menu" not in page.content and b'class="nav"' not in page.content


def test_attachments_upload_download_and_refuse(actors: Actors, client_for: Any) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a])
    author = client_for(actors.member_user_a)
    url = reverse("practices:attachment_add", args=[practice.slug])
    refused = author.post(url, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\0" * 60)})
    assert refused.status_code == 400
    assert "file" in refused.context["attachment_form"].errors
    assert not Attachment.objects.exists()
    assert author.post(url, {"file": png(), "label": "Plan"}).status_code == 302
    attachment = Attachment.objects.get()
    response = author.get(reverse("practices:attachment", args=[practice.slug, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PNG_BYTES
    # A visitor may not fetch a draft's file.
    assert client_for(None).get(reverse("practices:attachment", args=[practice.slug, attachment.pk])).status_code == 404


def test_the_sheet_page_shows_size_and_type_and_related(actors: Actors, client_for: Any) -> None:
    practice = sheet(
        actors.member_user_a, [actors.org_a], state="published", coordinator=actors.coordinator, tags="vélo"
    )
    attachment_add(actor=actors.coordinator, practice=practice, file=png(), label="Carte")
    related = sheet(
        actors.member_user_a,
        [actors.org_a],
        state="published",
        coordinator=actors.coordinator,
        title="Des vélos partagés",
        tags="vélo",
    )
    page = client_for(actors.member_admin_b).get(practice.get_absolute_url())
    assert b"PNG" in page.content
    assert related.get_absolute_url().encode() in page.content


def test_a_visitor_does_not_learn_the_name_of_an_organisation_shown_to_members_only(
    actors: Actors, client_for: Any
) -> None:
    practice = sheet(actors.member_user_a, [actors.org_a], state="published", coordinator=actors.coordinator)
    assert actors.org_a.name.encode() not in client_for(None).get(practice.get_absolute_url()).content
    assert actors.org_a.name.encode() in client_for(actors.member_admin_b).get(practice.get_absolute_url()).content


def test_the_list_reads_a_fixed_number_of_queries(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_admin_b)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("practices:practices"), {"q": "covoiturage"}).status_code == 200
        return len(captured.captured_queries)

    for n in range(2):
        sheet(
            actors.member_user_a,
            [actors.org_a],
            state="published",
            coordinator=actors.coordinator,
            title=f"Covoiturage {n} bis",
        )
    few = queries()
    for n in range(5):
        sheet(
            actors.member_user_a,
            [actors.org_a],
            state="published",
            coordinator=actors.coordinator,
            title=f"Covoiturage {n} ter",
        )
    assert queries() == few
