"""Clearing statements, read back with pypdf: what each party finds on its statement, who may download
it, and the e-mail each member cleared receives with its statement attached."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from cordee.clearing import services, statements
from cordee.clearing.models import Consent, Run
from cordee.clearing.tests.support import consent, owe
from cordee.core.mail import silenced
from cordee.core.money import format_cents
from cordee.core.testing import Actors, make_organisation
from cordee.invoicing.models import Invoice
from cordee.network.models import Organisation

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = unicodedata.normalize("NFC", text.replace("\u202f", " ").replace("\u00a0", " "))
    return re.sub(r"\s+", " ", text)


def fr(cents: int) -> str:
    return format_cents(cents, "fr").replace("\u202f", " ").replace("\u00a0", " ")


def short(day: dt.date | None) -> str:
    assert day is not None
    return day.strftime("%d/%m/%Y")


@dataclass
class Triangle:
    actors: Actors
    c: Organisation
    ab: Invoice
    bc: Invoice
    ca: Invoice
    run: Run


def _triangle(actors: Actors, *, execute: bool = True) -> Triangle:
    """A owes B 1 234,56 €, B owes C 800 €, C owes A 500 €: 500 € cleared on each invoice."""
    c = make_organisation("Tiers-lieu du Champsaur")
    for organisation in (actors.org_a, actors.org_b, c):
        consent(organisation, actors.coordinator, days_ago=60)
    ab = owe(actors.org_a, actors.org_b, 123_456, days_ago=40)
    bc = owe(actors.org_b, c, 80_000, days_ago=35)
    ca = owe(c, actors.org_a, 50_000, days_ago=30)
    run = services.run_compute(actor=actors.coordinator)
    if execute:
        run = services.run_execute(actor=actors.coordinator, run=run)
    return Triangle(actors, c, ab, bc, ca, run)


@pytest.fixture
def triangle(actors: Actors) -> Triangle:
    return _triangle(actors)


def test_a_members_statement_lists_what_it_owed_and_was_owed(triangle: Triangle) -> None:
    a, b = triangle.actors.org_a, triangle.actors.org_b
    with translation.override("en"):  # the statement is French whatever the reader's language
        text = text_of(statements.statement_pdf(triangle.run, a.pk))

    assert "Relevé de compensation multilatérale" in text
    assert triangle.run.reference in text
    assert a.name in text and a.siret in text
    # Invoices are numbered per issuer: each line names its counterpart.
    assert f"{triangle.ab.number} {short(triangle.ab.issue_date)} {short(triangle.ab.due_date)} {b.name}" in text
    assert (
        f"{triangle.ca.number} {short(triangle.ca.issue_date)} {short(triangle.ca.due_date)} {triangle.c.name}" in text
    )
    assert fr(80_000) not in text  # B's debt to C is none of A's business
    # Owed B 1 234,56 €, 500 € cleared, 734,56 € left; was owed 500 € by C, cleared whole.
    assert f"{fr(123_456)} {fr(50_000)} {fr(73_456)}" in text
    assert f"{fr(50_000)} {fr(50_000)} {fr(0)}" in text
    # Net position -734,56 € before and after.
    assert text.count(fr(-73_456)) == 2
    assert triangle.run.executed_on is not None
    assert triangle.run.executed_on.strftime("%d/%m/%Y") in text
    assert "1347" in text and "2026-1" in text
    signed = Consent.objects.get(organisation=a).signed_on.strftime("%d/%m/%Y")
    assert signed in text


def test_the_hubs_statement_shows_its_own_invoices(actors: Actors) -> None:
    a = actors.org_a
    consent(a, actors.coordinator)
    to_a = owe(None, a, 30_000)
    to_hub = owe(a, None, 20_000)
    run = services.run_execute(actor=actors.coordinator, run=services.run_compute(actor=actors.coordinator))

    text = text_of(statements.statement_pdf(run, None))

    assert to_a.number in text and to_hub.number in text
    assert f"{fr(30_000)} {fr(20_000)} {fr(10_000)}" in text
    assert f"{fr(20_000)} {fr(20_000)} {fr(0)}" in text
    assert "1347" in text


def test_a_proposal_or_a_party_left_out_has_no_statement(actors: Actors) -> None:
    proposal = _triangle(actors, execute=False).run
    with pytest.raises(statements.StatementUnavailable):
        statements.statement_of(proposal, actors.org_a.pk)
    services.run_execute(actor=actors.coordinator, run=proposal)
    proposal.refresh_from_db()
    outsider = make_organisation("Absente")
    with pytest.raises(statements.StatementUnavailable):
        statements.statement_of(proposal, outsider.pk)
    with pytest.raises(statements.StatementUnavailable):
        statements.statement_of(proposal, None)  # the hub had no invoice in it


A_STATEMENT = {
    "visitor": 302,
    "outsider": 403,
    "member_user_a": 200,
    "member_admin_a": 200,
    "member_admin_b": 404,
    "coordinator": 200,
    "treasurer": 200,
    "committee": 403,
}


def test_a_statement_is_downloaded_by_its_party_and_the_hub_only(triangle: Triangle, client_for: Any) -> None:
    url = reverse("clearing:statement", args=[triangle.run.pk, triangle.actors.org_a.pk])
    answers = {role: client_for(user).get(url) for role, user in triangle.actors.by_role().items()}

    assert {role: response.status_code for role, response in answers.items()} == A_STATEMENT
    response = answers["member_admin_a"]
    assert response["Content-Type"] == "application/pdf"
    assert f"releve-compensation-{triangle.run.reference}" in response["Content-Disposition"]
    assert triangle.ab.number in text_of(response.content)


def test_the_hubs_statement_is_for_the_coordinator_and_the_treasurer(actors: Actors, client_for: Any) -> None:
    consent(actors.org_a, actors.coordinator)
    owe(None, actors.org_a, 30_000)
    owe(actors.org_a, None, 20_000)
    run = services.run_execute(actor=actors.coordinator, run=services.run_compute(actor=actors.coordinator))
    url = reverse("clearing:hub_statement", args=[run.pk])

    answers = {role: client_for(user).get(url).status_code for role, user in actors.by_role().items()}

    assert answers == {**A_STATEMENT, "member_user_a": 404, "member_admin_a": 404}


def test_no_statement_is_served_for_a_proposal_or_a_party_not_in_the_run(actors: Actors, client_for: Any) -> None:
    triangle = _triangle(actors, execute=False)
    coordinator = client_for(actors.coordinator)
    assert coordinator.get(reverse("clearing:statement", args=[triangle.run.pk, actors.org_a.pk])).status_code == 404
    services.run_execute(actor=actors.coordinator, run=triangle.run)
    absent = make_organisation("Absente")
    assert coordinator.get(reverse("clearing:statement", args=[triangle.run.pk, absent.pk])).status_code == 404
    assert coordinator.get(reverse("clearing:hub_statement", args=[triangle.run.pk])).status_code == 404
    assert coordinator.get(reverse("clearing:statement", args=[triangle.run.pk, actors.org_a.pk])).status_code == 200


def test_each_member_cleared_receives_its_statement(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    triangle = _triangle(actors, execute=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_execute(actor=actors.coordinator, run=triangle.run)

    # C has no member admin: nobody to write to.
    assert sorted(message.to[0] for message in mailoutbox) == ["admin.a@example.org", "admin.b@example.org"]
    to_a = next(message for message in mailoutbox if message.to == ["admin.a@example.org"])
    body = re.sub(r"\s+", " ", to_a.body.replace("\u202f", " ").replace("\u00a0", " "))
    assert triangle.run.reference in to_a.subject
    assert fr(50_000) in body and fr(123_456 + 0) in body and fr(73_456) in body
    ((filename, content, mimetype),) = to_a.attachments
    assert mimetype == "application/pdf" and filename.endswith(".pdf")
    assert triangle.ab.number in text_of(content)


def test_no_statement_is_sent_where_emails_are_silenced(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    triangle = _triangle(actors, execute=False)
    with silenced(), django_capture_on_commit_callbacks(execute=True):
        services.run_execute(actor=actors.coordinator, run=triangle.run)
    assert mailoutbox == []
