"""Applications: drafting, submission (numbering, the call's closing, the budget), withdrawal and
the eligibility check. Every refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cordee.core.audit import AuditEvent
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.testing import Actors
from cordee.network.models import Commune, Membership
from cordee.projects.models import Application, BudgetLine, Call
from cordee.projects.services import applications as services
from cordee.projects.services.applications import Draft, IndicatorInput, LineInput, PartnerInput
from cordee.projects.tests.factories import CLOSED, make_application, make_call, make_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(actors: Actors) -> Call:
    committee = make_committee(people=[(actors.committee, None), (actors.member_admin_b, actors.org_b)])
    return make_call(committee=committee, created_by=actors.coordinator)


def full_draft(*, own: int = 400_000, requested: int = 600_000, partner: Any = None) -> Draft:
    return Draft(
        title="Navette solidaire du Valgaudemar",
        summary="Une navette à la demande pour les habitants isolés.",
        description="<p>Nous lançons une navette.</p><script>alert(1)</script>",
        territory="Vallée du Valgaudemar",
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2028, 2, 28),
        requested_cents=requested,
        answers={"q1": "Personnes âgées"},
        partners=[PartnerInput(organisation=partner, role="Chauffeurs bénévoles")] if partner else [],
        budget_lines=[
            LineInput("expense", "Location du véhicule", 600_000),
            LineInput("expense", "Carburant", 400_000),
            LineInput("resource", "Pôle territorial", requested, is_request=True),
            LineInput("resource", "Fonds propres", own, funder="Les Jardins du Buëch", status="own"),
        ],
        indicators=[IndicatorInput("Trajets réalisés", 1200, "trajets")],
    )


def started(actors: Actors, call: Call) -> Application:
    return services.application_start(actor=actors.member_user_a, call=call, organisation=actors.org_a)


def test_any_person_of_a_member_organisation_starts_a_draft(actors: Actors, call: Call) -> None:
    application = started(actors, call)
    assert application.status == Application.Status.DRAFT
    assert application.contact == actors.member_user_a
    assert application.number == ""


def test_it_refuses_to_start_for_an_organisation_of_someone_else(actors: Actors, call: Call) -> None:
    with pytest.raises(NotAllowed):
        services.application_start(actor=actors.member_user_a, call=call, organisation=actors.org_b)
    with pytest.raises(NotAllowed):
        services.application_start(actor=actors.outsider, call=call, organisation=actors.org_a)
    assert not Application.objects.exists()


def test_a_members_only_call_refuses_a_suspended_member(actors: Actors, call: Call) -> None:
    Membership.objects.filter(organisation=actors.org_a).update(status=Membership.Status.SUSPENDED)
    with pytest.raises(DomainError) as error:
        services.application_start(actor=actors.member_admin_a, call=call, organisation=actors.org_a)
    assert error.value.field == "organisation"
    assert not Application.objects.exists()


def test_a_draft_keeps_incomplete_data_and_says_what_is_missing(actors: Actors, call: Call) -> None:
    application = started(actors, call)
    services.application_update(
        actor=actors.member_user_a, application=application, draft=Draft(title="Navette", requested_cents=600_000)
    )
    application.refresh_from_db()
    assert application.title == "Navette"
    fields = {p.field for p in services.missing(application)}
    assert {"summary", "description", "starts_on", "indicators", "budget", "answers.q1"} <= fields


def test_a_complete_draft_is_saved_cleaned_with_its_lines(actors: Actors, call: Call) -> None:
    application = started(actors, call)
    services.application_update(
        actor=actors.member_user_a, application=application, draft=full_draft(partner=actors.org_b)
    )
    application.refresh_from_db()
    assert "<script" not in application.description
    assert application.budget_lines.count() == 4
    assert application.budget_lines.get(is_request=True).status == BudgetLine.Status.REQUESTED
    assert application.partners.get().organisation == actors.org_b
    assert services.missing(application) == []


def test_a_malformed_draft_is_refused_and_nothing_is_written(actors: Actors, call: Call) -> None:
    application = started(actors, call)
    services.application_update(actor=actors.member_user_a, application=application, draft=full_draft())
    bad = full_draft()
    bad.budget_lines = [*bad.budget_lines, LineInput("expense", "Négatif", -5)]
    bad.title = "Autre titre"
    with pytest.raises(DomainError) as error:
        services.application_update(actor=actors.member_user_a, application=application, draft=bad)
    assert error.value.field == "budget_lines"
    application.refresh_from_db()
    assert application.title == "Navette solidaire du Valgaudemar"
    assert application.budget_lines.count() == 4


def test_it_refuses_the_lead_as_its_own_partner(actors: Actors, call: Call) -> None:
    application = started(actors, call)
    with pytest.raises(DomainError) as error:
        services.application_update(
            actor=actors.member_user_a, application=application, draft=full_draft(partner=actors.org_a)
        )
    assert error.value.field == "partners"
    assert not application.partners.exists()


def test_communes_are_resolved_by_name_or_code_with_clear_errors() -> None:
    Commune.objects.get_or_create(insee_code="05061", defaults={"name": "Gap", "search_name": "gap"})
    Commune.objects.get_or_create(insee_code="05023", defaults={"name": "Briançon", "search_name": "briancon"})
    assert [c.insee_code for c in services.resolve_communes("gap, BRIANCON")] == ["05061", "05023"]
    assert [c.insee_code for c in services.resolve_communes("05061")] == ["05061"]
    with pytest.raises(DomainError) as error:
        services.resolve_communes("Gap, Atlantide")
    assert error.value.field == "communes"
    assert "Atlantide" in error.value.message


def test_submission_gives_the_number_and_tells_the_coordinator_and_admins(
    actors: Actors, call: Call, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = started(actors, call)
    services.application_update(actor=actors.member_user_a, application=application, draft=full_draft())
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=actors.member_user_a, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.number == f"AAP-{call.opens_on.year}-{call.pk:02d}-001"
    assert application.submitted_at is not None
    recipients = {address for message in mailoutbox for address in message.to}
    assert {"coordinator@example.org", "admin.a@example.org"} <= recipients
    assert AuditEvent.objects.filter(action="projects.application.submit").count() == 1


def test_numbers_follow_each_other_within_a_call(actors: Actors, call: Call) -> None:
    make_application(
        call=call,
        organisation=actors.org_b,
        contact=actors.member_admin_b,
        status="submitted",
        number=f"AAP-{call.opens_on.year}-{call.pk:02d}-004",
    )
    application = started(actors, call)
    services.application_update(actor=actors.member_user_a, application=application, draft=full_draft())
    services.application_submit(actor=actors.member_user_a, application=application)
    application.refresh_from_db()
    assert application.number.endswith("-005")


def test_it_refuses_an_unbalanced_budget_at_submission(actors: Actors, call: Call) -> None:
    application = started(actors, call)
    services.application_update(actor=actors.member_user_a, application=application, draft=full_draft(own=350_000))
    with pytest.raises(DomainError) as error:
        services.application_submit(actor=actors.member_user_a, application=application)
    assert error.value.code == "unbalanced"
    application.refresh_from_db()
    assert (application.status, application.number, application.submitted_at) == ("draft", "", None)
    assert not AuditEvent.objects.filter(action="projects.application.submit").exists()


def test_it_refuses_a_submission_after_the_call_closed(actors: Actors, call: Call) -> None:
    application = started(actors, call)
    services.application_update(actor=actors.member_user_a, application=application, draft=full_draft())
    with pytest.raises(DomainError) as error:
        services.application_submit(
            actor=actors.member_user_a, application=application, today=call.closes_on + dt.timedelta(days=1)
        )
    assert error.value.code == "call_closed"
    application.refresh_from_db()
    assert application.status == "draft"
    # The closing day itself still counts.
    services.application_submit(actor=actors.member_user_a, application=application, today=call.closes_on)


def test_it_refuses_to_start_on_a_closed_call(actors: Actors) -> None:
    closed = make_call(committee=make_committee(), created_by=actors.coordinator, when=CLOSED)
    with pytest.raises(DomainError) as error:
        services.application_start(actor=actors.member_user_a, call=closed, organisation=actors.org_a)
    assert error.value.code == "call_closed"
    assert not Application.objects.exists()


def test_only_the_lead_edits_and_only_a_draft(actors: Actors, call: Call) -> None:
    application = make_application(call=call, organisation=actors.org_a, contact=actors.member_admin_a)
    with pytest.raises(NotAllowed):
        services.application_update(actor=actors.member_admin_b, application=application, draft=full_draft())
    submitted = make_application(
        call=call, organisation=actors.org_a, contact=actors.member_admin_a, status="submitted"
    )
    with pytest.raises(NotAllowed):
        services.application_update(actor=actors.member_admin_a, application=submitted, draft=full_draft())
    with pytest.raises(NotAllowed):
        services.application_submit(actor=actors.member_admin_a, application=submitted)


def test_the_lead_withdraws_before_the_decision(actors: Actors, call: Call) -> None:
    application = make_application(
        call=call, organisation=actors.org_a, contact=actors.member_admin_a, status="eligible"
    )
    with pytest.raises(NotAllowed):
        services.application_withdraw(actor=actors.member_admin_b, application=application)
    services.application_withdraw(actor=actors.member_user_a, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    funded = make_application(call=call, organisation=actors.org_a, contact=actors.member_admin_a, status="funded")
    with pytest.raises(DomainError):
        services.application_withdraw(actor=actors.member_user_a, application=funded)


def test_the_coordinator_checks_eligibility_and_the_applicant_is_told(
    actors: Actors, call: Call, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = make_application(
        call=call, organisation=actors.org_a, contact=actors.member_user_a, status="submitted"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_check_eligibility(actor=actors.coordinator, application=application, eligible=True)
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE
    assert application.checked_by == actors.coordinator
    assert "user.a@example.org" in mailoutbox[0].to


def test_not_eligible_needs_a_note_and_a_refusal_writes_nothing(actors: Actors, call: Call) -> None:
    application = make_application(
        call=call, organisation=actors.org_a, contact=actors.member_user_a, status="submitted"
    )
    with pytest.raises(DomainError) as error:
        services.application_check_eligibility(actor=actors.coordinator, application=application, eligible=False)
    assert error.value.field == "note"
    with pytest.raises(NotAllowed):
        services.application_check_eligibility(actor=actors.committee, application=application, eligible=True)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.checked_at is None
    services.application_check_eligibility(
        actor=actors.coordinator, application=application, eligible=False, note="Hors du territoire du pôle."
    )
    application.refresh_from_db()
    assert application.status == Application.Status.INELIGIBLE
    assert application.eligibility_note == "Hors du territoire du pôle."
    assert application.checked_at is not None and application.checked_at <= timezone.now()
