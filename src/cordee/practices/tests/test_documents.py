"""The PDF of a sheet, with the sheet's visibility."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cordee.core.testing import Actors
from cordee.practices.tests.factories import sheet

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_a_visitor_prints_a_public_sheet(actors: Actors, client_for: Any, settings: Any) -> None:
    settings.HUB_NAME = "Altitudes Coopérantes"
    practice = sheet(
        actors.org_b,
        author=actors.member_admin_b,
        title="Navette des saisonniers",
        steps="<ol><li>Recenser les trajets</li><li>Ouvrir la plateforme</li></ol><script>alert('x')</script>",
        watch_out="<p>Assurer les <strong>conducteurs</strong> bénévoles.</p>",
    )

    response = client_for(None).get(reverse("practices:practice_pdf", args=[practice.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for expected in (
        "Navette des saisonniers",
        "Altitudes Coopérantes",
        "Recenser les trajets",
        "Assurer les conducteurs bénévoles.",
        "1 234,56 €",
        "la première année",
        "Alice Martin",
        "alice@example.org",
        "covoiturage",
        "montagne",
        actors.org_b.name,
    ):
        assert expected.replace("\u202f", " ") in text.replace("\u202f", " ").replace("\u00a0", " "), expected
    assert "alert" not in text


def test_the_pdf_names_only_organisations_the_reader_may_see(actors: Actors, client_for: Any) -> None:
    practice = sheet(actors.org_a, actors.org_b, author=actors.member_user_a)
    url = reverse("practices:practice_pdf", args=[practice.slug])

    visitor = _text(client_for(None).get(url).content)
    member = _text(client_for(actors.member_admin_b).get(url).content)

    assert actors.org_a.name not in visitor and actors.org_b.name in visitor
    assert actors.org_a.name in member


@pytest.mark.parametrize(
    ("overrides", "role", "status"),
    [
        ({"visibility": "members"}, "visitor", 404),
        ({"visibility": "members"}, "outsider", 404),
        ({"visibility": "members"}, "treasurer", 200),
        ({"state": "draft"}, "member_admin_b", 404),
        ({"state": "draft"}, "member_admin_a", 200),
        ({"state": "review"}, "coordinator", 200),
    ],
)
def test_the_pdf_is_seen_by_those_who_see_the_sheet(
    actors: Actors, client_for: Any, overrides: dict[str, Any], role: str, status: int
) -> None:
    practice = sheet(actors.org_a, author=actors.member_user_a, **overrides)

    response = client_for(actors.by_role()[role]).get(reverse("practices:practice_pdf", args=[practice.slug]))

    assert response.status_code == status


def test_an_unknown_sheet_has_no_pdf(client_for: Any, db: Any) -> None:
    assert client_for(None).get(reverse("practices:practice_pdf", args=["nulle-part"])).status_code == 404
