"""The review pages: the ranking beside the envelope, the scoring grid, the committee's decision."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.governance.models import Decision
from cordee.projects.models import Action, Application, Score
from cordee.projects.services import review as services
from cordee.projects.tests.review_support import Review, make_application, make_review, marks, vote_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(actors: Actors) -> Review:
    return make_review(actors)


def _grid(review: Review, *values: int) -> dict[str, str]:
    data = {f"criterion_{c.pk}": str(v) for c, v in zip(review.criteria, values, strict=True)}
    data[f"comment_{review.criteria[0].pk}"] = "Bien ancré"
    return data


def test_the_review_page_shows_the_ranking_beside_the_envelope(review: Review, client_for: Any) -> None:
    services.score_set(actor=review.actors.committee, application=review.app_b, scores=marks(review.criteria, 5, 4, 4))
    response = client_for(review.qualified).get(reverse("projects:call_review", args=[review.call.slug]))
    assert response.status_code == 200
    board = response.context["board"]
    assert [row.application for row in board.ranked] == [review.app_b, review.app_a]
    assert board.envelope_left_cents == 5_000_000
    # Both still to score for the qualified person, with a link to the grid.
    assert board.todo == [review.app_a, review.app_b]
    html = response.content.decode()
    assert reverse("projects:application_score", args=[review.app_a.pk]) in html
    assert "90,0" in html


def test_the_review_page_is_for_the_committee_and_the_coordinator(review: Review, client_for: Any) -> None:
    url = reverse("projects:call_review", args=[review.call.slug])
    assert client_for(review.actors.coordinator).get(url).status_code == 200
    assert client_for(review.actors.member_user_a).get(url).status_code == 403
    assert client_for(review.actors.treasurer).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_a_committee_member_scores_on_the_grid(review: Review, client_for: Any) -> None:
    client = client_for(review.actors.committee)
    url = reverse("projects:application_score", args=[review.app_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _grid(review, 4, 5, 2))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:call_review", args=[review.call.slug])
    assert Score.objects.filter(scorer=review.actors.committee).count() == 3
    # The grid shows the marks given when opened again.
    form = client.get(url).context["form"]
    assert form.initial[f"criterion_{review.criteria[0].pk}"] == 4


def test_a_mark_beyond_the_grid_is_refused_with_the_form(review: Review, client_for: Any) -> None:
    response = client_for(review.actors.committee).post(
        reverse("projects:application_score", args=[review.app_a.pk]), _grid(review, 6, 5, 2)
    )
    assert response.status_code == 400
    assert f"criterion_{review.criteria[0].pk}" in response.context["form"].errors
    assert not Score.objects.exists()


def test_a_member_of_the_applicants_organisation_is_refused_the_form(review: Review, client_for: Any) -> None:
    client = client_for(review.actors.member_admin_b)
    url = reverse("projects:application_score", args=[review.app_b.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert response.context["organisation"] == review.actors.org_b
    assert client.post(url, _grid(review, 5, 5, 5)).status_code == 403
    assert not Score.objects.exists()


def test_the_coordinator_puts_to_the_vote_then_records_the_decision(review: Review, client_for: Any) -> None:
    client = client_for(review.actors.coordinator)
    url = reverse("projects:application_decision", args=[review.app_a.pk])
    assert client.get(url).context["can_put"] is True
    response = client.post(
        reverse("projects:application_put_to_vote", args=[review.app_a.pk]), {"proposed": "18 000", "text": ""}
    )
    assert response.status_code == 302
    review.app_a.refresh_from_db()
    assert review.app_a.decision is not None
    page = client.get(url)
    assert page.context["can_decide"] is True
    assert reverse("governance:decision", args=[review.app_a.decision.pk]) in page.content.decode()
    # The committee's decision page leads back to the application it is about.
    decision_page = client.get(reverse("governance:decision", args=[review.app_a.decision.pk]))
    assert f'href="{reverse("projects:application", args=[review.app_a.pk])}"' in decision_page.content.decode()
    vote_all(review.app_a)
    assert client.post(url, {"granted": "18 000", "reasons": ""}).status_code == 400
    response = client.post(url, {"granted": "18 000", "reasons": "Un projet structurant."})
    assert response.status_code == 302
    review.app_a.refresh_from_db()
    assert review.app_a.status == Application.Status.FUNDED
    assert review.app_a.decision.status == Decision.Status.CLOSED
    assert Action.objects.get(application=review.app_a).granted_cents == 1_800_000


def test_only_the_coordinator_decides(review: Review, client_for: Any) -> None:
    url = reverse("projects:application_decision", args=[review.app_a.pk])
    assert client_for(review.actors.committee).get(url).status_code == 403
    assert client_for(review.actors.committee).post(url, {"reasons": "x"}).status_code == 403
    assert client_for(review.actors.outsider).get(url).status_code == 404


def _render(tag: str, obj_name: str, obj: Any, user: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load projects_review %}{% " + tag + " " + obj_name + " %}").render(
        Context({obj_name: obj, "request": request})
    )


def test_the_applicant_sees_the_decision_and_reasons_but_no_named_scores(review: Review) -> None:
    a = review.actors
    services.score_set(actor=a.committee, application=review.app_a, scores=marks(review.criteria, 4, 5, 2))
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    vote_all(review.app_a)
    services.application_decide(
        actor=a.coordinator, application=review.app_a, granted_cents=None, reasons="Projet solide."
    )
    review.app_a.refresh_from_db()
    for_applicant = _render("application_review", "application", review.app_a, a.member_user_a)
    assert "Projet solide." in for_applicant
    assert a.committee.full_name not in for_applicant
    action = Action.objects.get(application=review.app_a)
    assert reverse("projects:action", args=[action.pk]) in for_applicant
    for_coordinator = _render("application_review", "application", review.app_a, a.coordinator)
    assert a.committee.full_name in for_coordinator
    assert _render("application_review", "application", review.app_a, a.outsider).strip() == ""


def test_the_call_page_summary_is_for_those_who_review(review: Review) -> None:
    services.score_set(actor=review.actors.committee, application=review.app_a, scores=marks(review.criteria, 4, 5, 2))
    shown = _render("call_review", "call", review.call, review.actors.committee)
    assert review.app_a.title in shown
    assert reverse("projects:call_review", args=[review.call.slug]) in shown
    assert _render("call_review", "call", review.call, review.actors.member_admin_a).strip() == ""


def test_the_review_page_reads_in_a_fixed_number_of_queries(review: Review, client_for: Any) -> None:
    client = client_for(review.actors.committee)
    url = reverse("projects:call_review", args=[review.call.slug])
    client.get(url)  # sessions and caches warmed
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        make_application(
            review.call, review.actors.org_b, review.actors.member_admin_b, requested_cents=100_000 * n + 1
        )
        services.score_set(
            actor=review.actors.committee,
            application=Application.objects.latest("pk"),
            scores=marks(review.criteria, 1, 2, 3),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
