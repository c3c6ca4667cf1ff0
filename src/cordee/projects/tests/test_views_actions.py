"""The funded actions' pages: the action, its agreement, milestones, payments, reports, the fund
and the public page with its map."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.ledger.models import Transfer
from cordee.network.models import Commune
from cordee.projects import books
from cordee.projects.models import Action, Disbursement, Milestone, Report
from cordee.projects.services import actions as services
from cordee.projects.tests.review_support import Review, endow, fund, make_review, signed_action

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def review(actors: Actors) -> Review:
    return make_review(actors)


@pytest.fixture
def action(review: Review, actors: Actors) -> Action:
    endow(actors)
    review.app_a.communes.set([Commune.objects.get(pk="05061")])
    return signed_action(actors, review.app_a, tranches=(800_000, 1_200_000))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("member_user_a", 200),
        ("member_admin_a", 200),
        ("coordinator", 200),
        ("treasurer", 200),
        ("member_admin_b", 404),
        ("committee", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_an_action(action: Action, actors: Actors, client_for: Any, role: str, status: int) -> None:
    user = actors.by_role()[role]
    assert client_for(user).get(reverse("projects:action", args=[action.pk])).status_code == status


def test_the_coordinator_sets_milestones_and_signs_on_the_page(review: Review, actors: Actors, client_for: Any) -> None:
    action = fund(review.app_b, actors)
    client = client_for(actors.coordinator)
    day = timezone.localdate().isoformat()
    base = {"m-TOTAL_FORMS": "3", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "20"}
    wrong = {**base, "m-0-title": "Lancement", "m-0-due_on": day, "m-0-tranche": "5 000"}
    response = client.post(reverse("projects:action_milestones", args=[action.pk]), wrong)
    assert response.status_code == 400
    assert not Milestone.objects.filter(action=action).exists()
    right = {**wrong, "m-1-title": "Bilan", "m-1-due_on": day, "m-1-tranche": "10 000"}
    assert client.post(reverse("projects:action_milestones", args=[action.pk]), right).status_code == 302
    assert list(action.milestones.values_list("tranche_cents", flat=True)) == [500_000, 1_000_000]
    response = client.post(
        reverse("projects:action_sign", args=[action.pk]), {"signed_on": day, "signed_by": "Chloé Blanc, gérante"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS


def test_the_treasurer_pays_a_tranche_on_the_page(action: Action, actors: Actors, client_for: Any) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    client = client_for(actors.treasurer)
    url = reverse("projects:action_disburse", args=[action.pk])
    data = {"milestone": first.pk, "amount": "8 000", "paid_on": timezone.localdate().isoformat(), "reference": "VIR-1"}
    assert client.post(url, {**data, "amount": "9 000"}).status_code == 400
    assert client.post(url, data).status_code == 302
    assert books.fund_cash_cents() == 9_200_000
    paid = Disbursement.objects.get()
    response = client.post(
        reverse("projects:disbursement_reverse", args=[action.pk, paid.pk]), {"reason": "Doublon bancaire"}
    )
    assert response.status_code == 302
    assert books.fund_cash_cents() == 10_000_000
    assert client_for(actors.coordinator).post(url, data).status_code == 403


def test_the_lead_updates_progress_and_indicators(action: Action, actors: Actors, client_for: Any) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    client = client_for(actors.member_user_a)
    url = reverse("projects:milestone_progress", args=[action.pk, first.pk])
    assert client.post(url, {"progress": "120"}).status_code == 400
    assert client.post(url, {"progress": "60", "note": "Deux ateliers sur cinq"}).status_code == 302
    first.refresh_from_db()
    assert first.progress == 60
    indicator = action.application.indicators.get()
    url = reverse("projects:indicator_reach", args=[action.pk, indicator.pk])
    assert client.post(url, {"reached": "12"}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.reached == 12
    assert client_for(actors.treasurer).post(url, {"reached": "13"}).status_code == 403


def test_a_report_is_filed_and_downloaded_only_by_those_allowed(
    action: Action, actors: Actors, client_for: Any
) -> None:
    client = client_for(actors.member_admin_a)
    url = reverse("projects:report_upload", args=[action.pk])
    bad = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    assert client.post(url, {"kind": "interim", "title": "Bilan", "file": bad}).status_code == 400
    good = SimpleUploadedFile("rapport.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"kind": "interim", "title": "Bilan", "file": good}).status_code == 302
    report = Report.objects.get()
    download = reverse("projects:report_download", args=[action.pk, report.pk])
    response = client_for(actors.treasurer).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client_for(actors.member_admin_b).get(download).status_code == 404
    assert client_for(None).get(download).status_code == 302
    # The reports are not listed on the public page.
    assert report.title not in client_for(None).get(reverse("projects:public_actions")).content.decode()


def test_the_coordinator_closes_the_action(action: Action, actors: Actors, client_for: Any) -> None:
    url = reverse("projects:action_close", args=[action.pk])
    assert client_for(actors.treasurer).post(url, {"status": "completed"}).status_code == 403
    assert client_for(actors.coordinator).post(url, {"status": "completed"}).status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETED


def test_the_public_page_lists_and_maps_the_actions_without_money_detail(
    action: Action, actors: Actors, client_for: Any
) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    services.milestone_progress(actor=actors.member_user_a, milestone=first, progress=50)
    services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_000)
    response = client_for(None).get(reverse("projects:public_actions"))
    assert response.status_code == 200
    html = response.content.decode()
    assert action.application.title in html
    assert response.context["rows"][0].progress == 20  # 50 % of the 8 000 € tranche, 0 of 12 000 €
    points = json.loads(html.split('id="map-points" type="application/json">')[1].split("</script>")[0])
    assert points[0]["name"] == action.application.title
    assert points[0]["lat"] and points[0]["lng"]
    # No payment, no person, no report.
    assert "8 000" not in html.replace("\u202f", " ")
    assert actors.member_user_a.full_name not in html


def test_an_action_not_signed_or_hidden_is_not_public(review: Review, actors: Actors, client_for: Any) -> None:
    action = fund(review.app_a, actors)
    assert client_for(None).get(reverse("projects:public_actions")).context["rows"] == []
    assert action.status == Action.Status.AGREEMENT


def test_the_fund_page_records_a_grant(actors: Actors, client_for: Any) -> None:
    url = reverse("projects:fund")
    data = {"amount": "100 000", "funder": "État", "reference": "DREETS-2026", "received_on": "2026-01-15"}
    assert client_for(actors.member_admin_a).post(url, data).status_code == 403
    assert client_for(actors.treasurer).post(url, data).status_code == 302
    assert books.fund_cash_cents() == 10_000_000
    assert client_for(actors.coordinator).get(url).context["cash_cents"] == 10_000_000
    assert client_for(actors.coordinator).post(url, {**data, "amount": "0"}).status_code == 400
    assert Transfer.objects.filter(code="projects.fund.endow").count() == 1


def test_the_list_of_followed_actions(action: Action, actors: Actors, client_for: Any) -> None:
    url = reverse("projects:actions")
    assert [a.pk for a, _ in client_for(actors.member_user_a).get(url).context["lines"]] == [action.pk]
    assert client_for(actors.member_admin_b).get(url).context["lines"] == []
    assert client_for(actors.outsider).get(url).status_code == 403


def test_the_public_page_reads_in_a_fixed_number_of_queries(
    action: Action, review: Review, actors: Actors, client_for: Any
) -> None:
    client = client_for(None)
    url = reverse("projects:public_actions")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    second = signed_action(actors, review.app_b, tranches=(1_500_000,))
    second.application.communes.set([Commune.objects.get(pk="05023")])
    with CaptureQueriesContext(connection) as two:
        assert len(client.get(url).context["rows"]) == 2
    assert len(two) == len(one)
