"""The agreement of a funded action as a PDF, read back with pypdf: parties, amount, tranches,
obligations, signatures; downloaded only by those who see the action."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cordee.core.testing import Actors
from cordee.projects import documents
from cordee.projects.models import Action
from cordee.projects.tests.review_support import endow, fund, make_review, signed_action

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\s\u202f\u00a0]+", " ", text)


@pytest.fixture
def action(actors: Actors) -> Action:
    review = make_review(actors)
    endow(actors)
    return signed_action(actors, review.app_a, tranches=(800_000, 1_200_000))


def test_the_agreement_names_the_parties_the_amount_and_the_tranches(action: Action, actors: Actors) -> None:
    text = pdf_text(documents.agreement_pdf(action))
    assert action.number in text
    assert actors.org_a.name in text
    assert "20 000,00 €" in text
    assert "8 000,00 €" in text and "12 000,00 €" in text
    assert "Étape 1" in text and "Étape 2" in text
    assert "Obligations du bénéficiaire" in text
    assert "Personnes accompagnées" in text  # the indicator planned
    assert "Bernard Roux, président" in text  # signed


def test_an_agreement_to_sign_leaves_the_signature_blank(actors: Actors) -> None:
    review = make_review(actors)
    action = fund(review.app_b, actors)
    text = pdf_text(documents.agreement_pdf(action))
    assert "Les jalons seront fixés avant la signature" in text
    assert "Nom, qualité" in text


@pytest.mark.parametrize(
    ("role", "status"),
    [("member_user_a", 200), ("coordinator", 200), ("treasurer", 200), ("member_admin_b", 404), ("visitor", 302)],
)
def test_the_agreement_is_downloaded_by_those_who_see_the_action(
    action: Action, actors: Actors, client_for: Any, role: str, status: int
) -> None:
    response = client_for(actors.by_role()[role]).get(reverse("projects:action_agreement", args=[action.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert action.number in response["Content-Disposition"]
