"""A committee member scores through a real browser: they open the review of a closed call, follow
their to-do list to an eligible application, mark the grid, and find it ranked beside the envelope;
a committee member who sits for the applicant's organisation is refused the grid.

Selectors rely on ids, names and addresses rather than on words, so the test holds whether the
interface is shown in French or in English.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.projects.models import Score
from cordee.projects.tests.review_support import make_review

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the dev dependencies always bring it
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("the playwright Python package is not installed", allow_module_level=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_committee_member_scores_and_sees_the_ranking_beside_the_envelope(
    new_page: Any, actors: Actors, log_in: Any
) -> None:
    review = make_review(actors)  # envelope 50 000 €; A asks 20 000 €, B 15 000 €
    page = new_page(phone=True)
    log_in(page, actors.committee.email)
    page.goto(reverse("projects:call_review", args=[review.call.slug]))
    score_url = reverse("projects:application_score", args=[review.app_a.pk])
    page.locator(f'#todo a[href="{score_url}"]').click()
    expect(page).to_have_url(score_url)

    # Utility ×3: 4, cooperation ×2: 5, feasibility ×1: 2 → (12 + 10 + 2) / 30 = 80/100.
    for criterion, value in zip(review.criteria, (4, 5, 2), strict=True):
        page.locator(f'input[name="criterion_{criterion.pk}"][value="{value}"]').check()
    page.locator(f'textarea[name="comment_{review.criteria[0].pk}"]').fill("Ancrage local solide")
    page.locator("#score-form button[type=submit]").click()

    expect(page).to_have_url(reverse("projects:call_review", args=[review.call.slug]))
    row = page.locator(f"#rank-{review.app_a.pk}")
    expect(row.locator("td.score")).to_have_text("80,0")
    # Ranked first: its 20 000 € leave 30 000 € of the envelope.
    expect(page.locator("#ranking tbody tr").first).to_have_attribute("id", f"rank-{review.app_a.pk}")
    expect(row).to_contain_text("30\u202f000,00\u00a0€")
    expect(page.locator(f'#todo a[href="{score_url}"]')).to_have_count(0)
    assert Score.objects.filter(scorer=actors.committee, application=review.app_a).count() == 3


def test_a_member_sitting_for_the_applicant_is_refused_the_grid(new_page: Any, actors: Actors, log_in: Any) -> None:
    review = make_review(actors)
    page = new_page()
    log_in(page, actors.member_admin_b.email)  # sits on the committee for B
    page.goto(reverse("projects:call_review", args=[review.call.slug]))
    expect(
        page.locator(f'#todo a[href="{reverse("projects:application_score", args=[review.app_b.pk])}"]')
    ).to_have_count(0)
    response = page.goto(reverse("projects:application_score", args=[review.app_b.pk]))
    assert response is not None and response.status == 403
    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#score-form")).to_have_count(0)
    assert not Score.objects.exists()
