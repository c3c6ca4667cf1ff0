"""The pages of the calls for projects and of the applications."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.projects.models import Application, Call
from cordee.projects.tests.factories import CLOSED, make_application, make_call, make_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(actors: Actors) -> Call:
    committee = make_committee(people=[(actors.committee, None)])
    return make_call(committee=committee, created_by=actors.coordinator, slug="transitions")


def call_post(committee_pk: int, **changes: str) -> dict[str, str]:
    data = {
        "title": "Agir pour nos vallées",
        "summary": "Des actions de coopération.",
        "text": "Le pôle finance des actions.",
        "envelope": "12 500,00",
        "max_request": "5 000",
        "max_share_percent": "80",
        "eligibility": "Membres actifs.",
        "members_only": "on",
        "questions": "Public visé | long | oui\nNombre de bénévoles | number | non",
        "criteria": "Utilité territoriale | 3\nCoopération | 2",
        "score_max": "5",
        "opens_on": "2027-01-04",
        "closes_on": "2027-02-26",
        "committee": str(committee_pk),
    }
    data.update(changes)
    return data


def test_the_public_sees_published_calls_and_not_drafts(client: Any, actors: Actors, call: Call) -> None:
    draft = make_call(committee=call.committee, created_by=actors.coordinator, state="draft", title="Brouillon caché")
    page = client.get(reverse("projects:calls")).content.decode()
    assert call.title in page and draft.title not in page
    assert client.get(reverse("projects:call", args=[draft.slug])).status_code == 404
    detail = client.get(reverse("projects:call", args=[call.slug]))
    assert detail.status_code == 200
    assert 'id="apply"' not in detail.content.decode()


def test_the_coordinator_sees_drafts(client_for: Any, actors: Actors, call: Call) -> None:
    draft = make_call(committee=call.committee, created_by=actors.coordinator, state="draft", title="Brouillon vu")
    assert draft.title in client_for(actors.coordinator).get(reverse("projects:calls")).content.decode()


def test_the_coordinator_creates_a_call_with_euros_typed_in_french(client_for: Any, actors: Actors, call: Call) -> None:
    response = client_for(actors.coordinator).post(reverse("projects:call_create"), call_post(call.committee.pk))
    assert response.status_code == 302
    created = Call.objects.get(title="Agir pour nos vallées")
    assert (created.envelope_cents, created.max_request_cents, created.state) == (1_250_000, 500_000, "draft")
    assert [q["kind"] for q in created.form_fields] == ["long", "number"]
    assert [q["required"] for q in created.form_fields] == [True, False]
    assert [c.weight for c in created.criteria.all()] == [3, 2]
    publish = client_for(actors.coordinator).post(reverse("projects:call_publish", args=[created.slug]))
    assert publish.status_code == 302
    created.refresh_from_db()
    assert created.state == "published"


def test_a_call_closing_before_it_opens_is_refused_on_the_field(client_for: Any, actors: Actors, call: Call) -> None:
    response = client_for(actors.coordinator).post(
        reverse("projects:call_create"), call_post(call.committee.pk, closes_on="2027-01-01")
    )
    assert response.status_code == 400
    assert "closes_on" in response.context["form"].errors
    assert not Call.objects.filter(title="Agir pour nos vallées").exists()


def test_a_member_sees_the_apply_button_on_an_open_call_only(client_for: Any, actors: Actors, call: Call) -> None:
    member = client_for(actors.member_user_a)
    assert 'id="apply"' in member.get(reverse("projects:call", args=[call.slug])).content.decode()
    closed = make_call(committee=call.committee, created_by=actors.coordinator, when=CLOSED)
    assert 'id="apply"' not in member.get(reverse("projects:call", args=[closed.slug])).content.decode()
    assert member.get(reverse("projects:application_start", args=[closed.slug])).status_code == 200
    refused = member.post(reverse("projects:application_start", args=[closed.slug]), {"organisation": actors.org_a.pk})
    assert refused.status_code == 400
    assert not Application.objects.exists()
    assert client_for(actors.outsider).get(reverse("projects:application_start", args=[call.slug])).status_code == 403


def test_a_member_applies_saves_an_unbalanced_draft_then_submits(client_for: Any, actors: Actors, call: Call) -> None:
    member = client_for(actors.member_admin_a)
    start = member.post(reverse("projects:application_start", args=[call.slug]), {"organisation": actors.org_a.pk})
    application = Application.objects.get()
    assert start.status_code == 302 and start["Location"] == reverse("projects:application_edit", args=[application.pk])
    data = {
        "title": "Navette solidaire",
        "summary": "Une navette à la demande.",
        "description": "Nous lançons une navette.",
        "communes": "Gap",
        "territory": "Gapençais",
        "starts_on": "2027-03-01",
        "ends_on": "2028-02-28",
        "requested": "6 000,00",
        "expense_0_label": "Location du véhicule",
        "expense_0_amount": "10 000,00",
        "resource_0_label": "Fonds propres",
        "resource_0_status": "own",
        "resource_0_amount": "3 500",
        "indicator_0_label": "Trajets",
        "indicator_0_unit": "trajets",
        "indicator_0_planned": "1200",
        "answer_q1": "Personnes âgées",
        "partner_0_organisation": str(actors.org_b.pk),
        "partner_0_role": "Chauffeurs",
    }
    saved = member.post(reverse("projects:application_edit", args=[application.pk]), data)
    assert saved.status_code == 302
    detail = member.get(reverse("projects:application", args=[application.pk]))
    assert [p.code for p in detail.context["missing"]] == ["unbalanced"]
    refused = member.post(reverse("projects:application_submit", args=[application.pk]))
    assert refused.status_code == 400
    application.refresh_from_db()
    assert application.status == "draft"
    # The form comes back filled with the draft, amounts in euros.
    form = member.get(reverse("projects:application_edit", args=[application.pk])).context["form"]
    assert form["title"].value() == "Navette solidaire"
    assert form["resource_0_amount"].value() == "3500"
    assert form["partner_0_organisation"].value() == actors.org_b.pk
    data["resource_0_amount"] = "4 000,00"
    member.post(reverse("projects:application_edit", args=[application.pk]), data)
    submitted = member.post(reverse("projects:application_submit", args=[application.pk]))
    assert submitted.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted" and application.number.endswith("-001")
    assert application.partners.get().organisation == actors.org_b
    assert [c.insee_code for c in application.communes.all()] == ["05061"]
    listed = member.get(reverse("projects:applications")).content.decode()
    assert application.number in listed


def test_other_organisations_do_not_see_a_draft(client_for: Any, actors: Actors, call: Call) -> None:
    application = make_application(call=call, organisation=actors.org_a, contact=actors.member_admin_a)
    url = reverse("projects:application", args=[application.pk])
    assert client_for(actors.member_admin_b).get(url).status_code == 404
    assert client_for(actors.coordinator).get(url).status_code == 404
    assert client_for(actors.member_user_a).get(url).status_code == 200
    assert (
        client_for(actors.member_admin_b).get(reverse("projects:application_edit", args=[application.pk])).status_code
        == 404
    )


def test_the_coordinator_and_committee_see_submitted_applications(client_for: Any, actors: Actors, call: Call) -> None:
    application = make_application(
        call=call, organisation=actors.org_a, contact=actors.member_admin_a, status="submitted"
    )
    for user in (actors.coordinator, actors.committee):
        page = client_for(user).get(reverse("projects:call", args=[call.slug]))
        assert [a.pk for a in page.context["applications"]] == [application.pk]
        assert client_for(user).get(reverse("projects:application", args=[application.pk])).status_code == 200
    assert (
        client_for(actors.member_admin_b).get(reverse("projects:call", args=[call.slug])).context["applications"] == []
    )


def test_the_coordinator_declares_an_application_not_eligible_with_a_note(
    client_for: Any, actors: Actors, call: Call
) -> None:
    application = make_application(
        call=call, organisation=actors.org_a, contact=actors.member_admin_a, status="submitted"
    )
    url = reverse("projects:application_eligibility", args=[application.pk])
    refused = client_for(actors.coordinator).post(url, {"eligible": "no", "note": ""})
    assert refused.status_code == 400
    assert "note" in refused.context["eligibility_form"].errors
    assert client_for(actors.member_admin_a).post(url, {"eligible": "yes"}).status_code == 403
    done = client_for(actors.coordinator).post(url, {"eligible": "no", "note": "Hors territoire."})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == "ineligible"


def test_the_lead_withdraws(client_for: Any, actors: Actors, call: Call) -> None:
    application = make_application(
        call=call, organisation=actors.org_a, contact=actors.member_admin_a, status="submitted"
    )
    url = reverse("projects:application_withdraw", args=[application.pk])
    assert client_for(actors.coordinator).post(url).status_code == 403
    assert client_for(actors.member_user_a).post(url).status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
