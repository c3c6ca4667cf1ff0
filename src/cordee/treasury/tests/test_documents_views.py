"""The document downloads: who gets which, as what. The world is the authorization matrix's
(`matrix_documents.populate`): an advance of organisation A paid after the committee's vote, a
request of A before the committee, a deposit proposed by A."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cordee.core.testing import Actors
from cordee.core.tests.matrix_support import World
from cordee.treasury.tests import matrix_documents

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Any], Client]


@pytest.fixture
def world(actors: Actors) -> World:
    world = World(actors=actors, candidate_pk=0)
    matrix_documents.populate(world)
    return world


def url(name: str, *args: Any) -> str:
    return reverse(f"treasury:{name}", args=args)


def advance_urls(world: World) -> list[str]:
    pk = world.objects["documents.advance"].pk
    return [url("advance_agreement", pk), url("advance_schedule", pk), url("decision_minute", pk)]


def organisation_a_urls(world: World) -> list[str]:
    return [
        *advance_urls(world),
        url("deposit_attestation", world.objects["documents.deposit"].pk),
        url("member_statement", world.actors.org_a.pk),
    ]


def test_a_member_admin_downloads_its_agreement_as_a_pdf_attachment(world: World, client_for: ClientFor) -> None:
    advance = world.objects["documents.advance"]

    response = client_for(world.actors.member_admin_a).get(url("advance_agreement", advance.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="convention-{advance.reference}.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert advance.reference in text


def test_a_member_admin_gets_its_statement_deposit_pack_and_schedule(world: World, client_for: ClientFor) -> None:
    client = client_for(world.actors.member_admin_a)
    deposit = world.objects["documents.deposit"]
    advance = world.objects["documents.advance"]

    for path, filename in (
        (url("member_statement", world.actors.org_a.pk), f"releve-{world.actors.org_a.slug}-"),
        (url("deposit_attestation", deposit.pk), f"attestation-{deposit.reference}.pdf"),
        (url("advance_schedule", advance.pk), f"echeancier-{advance.reference}.pdf"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content.startswith(b"%PDF")
        assert filename in response["Content-Disposition"]


def test_another_members_admin_is_told_none_of_it_exists(world: World, client_for: ClientFor) -> None:
    client = client_for(world.actors.member_admin_b)

    for path in organisation_a_urls(world):
        assert client.get(path).status_code == 404, path


def test_the_treasurer_gets_every_document(world: World, client_for: ClientFor) -> None:
    client = client_for(world.actors.treasurer)
    year = timezone.localdate().year

    for path in [*organisation_a_urls(world), url("yearly_agreements", year, "pdf")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/pdf"

    spreadsheet = client.get(url("yearly_agreements", year, "csv"))
    assert spreadsheet.status_code == 200
    assert spreadsheet["Content-Type"] == "text/csv; charset=utf-8"
    assert spreadsheet["Content-Disposition"] == f'attachment; filename="conventions-{year}.csv"'
    assert world.objects["documents.advance"].reference in spreadsheet.content.decode("utf-8-sig")


def test_a_committee_member_gets_the_minute_of_its_committee_but_not_the_members_own_papers(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.actors.committee)
    advance = world.objects["documents.advance"]

    minute = client.get(url("decision_minute", advance.pk))
    assert minute.status_code == 200
    assert minute["Content-Disposition"] == f'attachment; filename="proces-verbal-{advance.reference}.pdf"'
    assert client.get(url("deposit_attestation", world.objects["documents.deposit"].pk)).status_code == 404
    assert client.get(url("member_statement", world.actors.org_a.pk)).status_code == 404
    assert client.get(url("yearly_agreements", timezone.localdate().year, "pdf")).status_code == 403


def test_the_applicant_does_not_get_the_committees_minute(world: World, client_for: ClientFor) -> None:
    response = client_for(world.actors.member_admin_a).get(
        url("decision_minute", world.objects["documents.advance"].pk)
    )

    assert response.status_code == 403


def test_a_document_that_does_not_exist_yet_is_not_found(world: World, client_for: ClientFor) -> None:
    client = client_for(world.actors.treasurer)
    waiting = world.objects["documents.request"].pk

    assert client.get(url("advance_agreement", waiting)).status_code == 404
    assert client.get(url("advance_schedule", waiting)).status_code == 404
    assert client.get(url("decision_minute", waiting)).status_code == 404  # the vote is still open


def test_people_without_a_treasury_role_are_refused_and_visitors_sent_to_log_in(
    world: World, client_for: ClientFor
) -> None:
    paths = [*organisation_a_urls(world), url("yearly_agreements", timezone.localdate().year, "csv")]
    for person in (world.actors.outsider, world.actors.member_user_a):
        client = client_for(person)
        for path in paths:
            assert client.get(path).status_code == 403, (person, path)
    visitor = client_for(None)
    for path in paths:
        response = visitor.get(path)
        assert response.status_code == 302 and "/connexion/" in response["Location"], path


def test_the_yearly_list_is_the_pools_keepers(world: World, client_for: ClientFor) -> None:
    path = url("yearly_agreements", timezone.localdate().year, "pdf")

    assert client_for(world.actors.coordinator).get(path).status_code == 200
    assert client_for(world.actors.member_admin_a).get(path).status_code == 403
    assert client_for(world.actors.treasurer).get("/tresorerie/conventions/2026.xlsx").status_code == 404


def test_a_statement_is_dated_by_its_day_never_in_the_future(world: World, client_for: ClientFor) -> None:
    client = client_for(world.actors.member_admin_a)
    path = url("member_statement", world.actors.org_a.pk)
    today = timezone.localdate()
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)

    assert client.get(path + "?au=hier").status_code == 404
    assert yesterday.isoformat() in client.get(f"{path}?au={yesterday.isoformat()}")["Content-Disposition"]
    assert today.isoformat() in client.get(f"{path}?au={tomorrow.isoformat()}")["Content-Disposition"]


def test_documents_are_only_read(world: World, client_for: ClientFor) -> None:
    client = client_for(world.actors.treasurer)

    for path in organisation_a_urls(world):
        assert client.post(path).status_code == 405, path
