"""The review and funded-actions API: the same rules as the pages, refusals as JSON with their code."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.network.models import Commune
from cordee.projects import books
from cordee.projects.models import Action, Score
from cordee.projects.tests.review_support import Review, endow, make_review, signed_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(actors: Actors) -> Review:
    return make_review(actors)


@pytest.fixture
def action(review: Review, actors: Actors) -> Action:
    endow(actors)
    review.app_a.communes.set([Commune.objects.get(pk="05061")])
    return signed_action(actors, review.app_a, tranches=(800_000, 1_200_000))


def _marks(review: Review, *values: int) -> dict[str, Any]:
    return {"marks": [{"criterion_id": c.pk, "value": v} for c, v in zip(review.criteria, values, strict=True)]}


def test_a_committee_member_scores_and_reads_the_ranking(review: Review, client_for: Any) -> None:
    client = client_for(review.actors.committee)
    url = reverse("api-v1:score_application", args=[review.app_a.pk])
    response = client.post(url, _marks(review, 4, 5, 2), content_type="application/json")
    assert response.status_code == 200
    assert [m["value"] for m in response.json()] == [4, 5, 2]
    ranking = client.get(reverse("api-v1:call_ranking", args=[review.call.slug])).json()
    assert ranking["envelope_cents"] == 5_000_000
    first = ranking["lines"][0]
    assert (first["application_id"], first["score"], first["score_exact"]) == (review.app_a.pk, "80,0", "80")
    assert (first["cumulative_cents"], first["remaining_cents"], first["fits"]) == (2_000_000, 3_000_000, True)
    assert ranking["todo"] == [review.app_b.pk]


def test_scoring_refusals_carry_their_code(review: Review, client_for: Any) -> None:
    response = client_for(review.actors.member_admin_b).post(
        reverse("api-v1:score_application", args=[review.app_b.pk]),
        _marks(review, 5, 5, 5),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "conflict_of_interest"
    response = client_for(review.actors.committee).post(
        reverse("api-v1:score_application", args=[review.app_a.pk]),
        _marks(review, 9, 5, 5),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "score_range"
    response = client_for(review.actors.treasurer).post(
        reverse("api-v1:score_application", args=[review.app_a.pk]),
        _marks(review, 1, 1, 1),
        content_type="application/json",
    )
    assert response.status_code == 404  # the treasurer does not review applications
    assert not Score.objects.exists()


def test_the_ranking_is_refused_to_the_applicants(review: Review, client_for: Any) -> None:
    url = reverse("api-v1:call_ranking", args=[review.call.slug])
    assert client_for(review.actors.member_admin_a).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 401


def test_the_public_list_needs_no_login_and_shows_no_money_detail(action: Action, client_for: Any) -> None:
    rows = client_for(None).get(reverse("api-v1:public_actions")).json()
    assert [row["id"] for row in rows] == [action.pk]
    row = rows[0]
    assert row["granted_cents"] == 2_000_000 and row["progress"] == 0
    assert row["communes"][0]["insee"] == "05061" and row["communes"][0]["latitude"]
    assert "paid_cents" not in row and "disbursements" not in row


def test_the_lead_updates_a_milestone_and_reads_the_action(action: Action, actors: Actors, client_for: Any) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    client = client_for(actors.member_user_a)
    url = reverse("api-v1:milestone_progress", args=[first.pk])
    response = client.post(url, {"progress": 101}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "progress_range"
    response = client.post(url, {"progress": 50, "note": "À mi-chemin"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["progress"] == 20  # 50 % of 8 000 € out of 20 000 €
    detail = client.get(reverse("api-v1:get_action", args=[action.pk])).json()
    assert detail["milestones"][0]["progress"] == 50
    assert client_for(actors.member_admin_b).get(reverse("api-v1:get_action", args=[action.pk])).status_code == 404
    response = client_for(actors.member_admin_b).post(url, {"progress": 10}, content_type="application/json")
    assert response.status_code == 404


def test_the_treasurer_pays_through_the_api(action: Action, actors: Actors, client_for: Any) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    url = reverse("api-v1:create_disbursement", args=[action.pk])
    payload = {"milestone_id": first.pk, "amount_cents": 800_000, "reference": "VIR-42"}
    assert client_for(actors.coordinator).post(url, payload, content_type="application/json").status_code == 403
    response = client_for(actors.treasurer).post(url, payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["amount_cents"] == 800_000
    assert books.fund_cash_cents() == 9_200_000
    again = client_for(actors.treasurer).post(url, payload, content_type="application/json")
    assert again.status_code == 422 and again.json()["code"] == "beyond_tranche"
