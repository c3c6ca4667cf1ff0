"""The online application form (/adherer/): each refusal next to its field, nothing half-written."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cordee.core.models import AuditEvent, User
from cordee.core.testing import Actors, valid_siren, valid_siret
from cordee.network.models import Membership, Organisation, Sector

SIREN = valid_siren(777)


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"


def application(**overrides: str) -> dict[str, Any]:
    data = {
        "name": "École des Cimes",
        "family": "association",
        "legal_form": "9220",
        "sector": str(Sector.objects.get(slug="education").pk),
        "siren": SIREN,
        "siret": valid_siret(SIREN),
        "rna": "W051002345",
        "naf": "8551z",
        "commune": "05061",
        "address": "3 rue du Col",
        "postal_code": "05000",
        "website": "ecole-des-cimes.example",
        "email": "bonjour@ecole-des-cimes.example",
        "phone": "04 92 51 00 00",
        "description": "Une école de montagne pour tous.",
        "founding_year": "1998",
        "employees": "4",
        "volunteers": "30",
        "listing_visibility": "public",
        "profile_visibility": "public",
        "contact_visibility": "members",
        "identifiers_visibility": "members",
        "figures_visibility": "private",
        "contact_name": "Hélène Vial",
        "contact_email": "helene.vial@example.org",
        "contact_phone": "06 11 22 33 44",
        "consent": "on",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, ...]:
    return (Organisation.objects.count(), Membership.objects.count(), User.objects.count(), AuditEvent.objects.count())


def error_next_to(page: str, field: str) -> str | None:
    """The error printed under a field (the element the field's aria-describedby would name)."""
    match = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page, re.S)
    return html.unescape(match[1]) if match else None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "73282932", "SIREN must have 9 digits."),
        ("siren", "732829321", "SIREN is not valid: its check digit (Luhn key) is wrong."),
        ("siren", "73282932A", "SIREN must contain digits only."),
        ("siren", "732 829 320 1", "SIREN must have 9 digits."),
        ("siret", "7328293200007", "SIRET must have 14 digits."),
        ("siret", "73282932000075", "SIRET is not valid: its check digit (Luhn key) is wrong."),
        ("rna", "W05100234", "The RNA number must be the letter W followed by 9 digits (e.g. W051002345)."),
        ("naf", "949Z", "The NAF/APE code must be 4 digits and a letter, such as 94.99Z."),
        ("phone", "04 92 ab", "A phone number may contain only digits, spaces and + . - ( ), such as 04 92 00 00 00."),
        (
            "contact_phone",
            "appelez-moi",
            "A phone number may contain only digits, spaces and + . - ( ), such as 04 92 00 00 00.",
        ),
        ("postal_code", "5000", "A postal code has 5 digits."),
        ("founding_year", "1750", "The founding year must be between 1800 and this year."),
    ],
)
def test_it_shows_each_bad_value_next_to_its_field_and_writes_nothing(
    db, client: Client, field: str, value: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    before = counts()

    response = client.post(reverse("network:apply"), application(**{field: value}))

    assert response.status_code == 200
    page = response.content.decode()
    assert error_next_to(page, field) == message
    assert f'href="#id_{field}"' in page, "the summary at the top links to the field"
    assert counts() == before


def test_it_refuses_a_siret_that_does_not_begin_with_the_siren(db, client: Client) -> None:
    other_siren = valid_siren(778)
    before = counts()

    response = client.post(reverse("network:apply"), application(siret=valid_siret(other_siren)))

    assert error_next_to(response.content.decode(), "siret") == "The SIRET must begin with the 9 digits of the SIREN."
    assert counts() == before


def test_it_refuses_an_rna_number_for_a_cooperative(db, client: Client) -> None:
    before = counts()

    response = client.post(reverse("network:apply"), application(family="cooperative", legal_form="5458"))

    assert error_next_to(response.content.decode(), "rna") == "Only an association has an RNA number."
    assert counts() == before


def test_it_refuses_a_siret_already_registered(actors: Actors, client: Client) -> None:
    before = counts()

    response = client.post(
        reverse("network:apply"), application(siren=actors.org_b.siren, siret=actors.org_b.siret, rna="")
    )

    assert error_next_to(response.content.decode(), "siret") == "An organisation with this SIRET is already registered."
    assert counts() == before


def test_it_refuses_an_application_without_consent(db, client: Client) -> None:
    data = application()
    del data["consent"]
    before = counts()

    response = client.post(reverse("network:apply"), data)

    assert error_next_to(response.content.decode(), "consent") == "This field is required."
    assert counts() == before


def test_it_keeps_what_was_typed_when_it_refuses(db, client: Client) -> None:
    response = client.post(reverse("network:apply"), application(siren="73282932"))

    page = response.content.decode()
    assert 'value="bonjour@ecole-des-cimes.example"' in page
    assert 'value="Hélène Vial"' in html.unescape(page)


def test_a_valid_application_records_a_candidate_and_thanks_the_applicant(actors: Actors, client: Client) -> None:
    response = client.post(reverse("network:apply"), application(siren=f"{SIREN[:3]} {SIREN[3:6]} {SIREN[6:]}"))

    assert response.status_code == 302
    assert response.headers["Location"] == "/adherer/merci/"
    organisation = Organisation.objects.select_related("membership__contact").get(name="École des Cimes")
    assert organisation.membership.status == Membership.Status.CANDIDATE
    assert (organisation.siren, organisation.siret, organisation.rna, organisation.naf) == (
        SIREN,
        valid_siret(SIREN),
        "W051002345",
        "85.51Z",
    )
    assert organisation.website == "https://ecole-des-cimes.example"
    assert organisation.figures_visibility == "private"
    assert organisation.membership.contact.email == "helene.vial@example.org"
    assert client.get(response.headers["Location"]).status_code == 200
