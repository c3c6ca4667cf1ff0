"""The bank pages: who gets in, what the forms write, what a refusal leaves (nothing), the files
downloaded."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.treasury import banking
from cordee.treasury.models import Advance, BankDetails, BankLine, BankStatement, Collection, Instalment, Mandate
from cordee.treasury.tests.factories import Pool, disbursed_advance, set_up_pool

pytestmark = pytest.mark.django_db

IBAN_A = "FR1420041010050500013M02606"
TODAY = timezone.localdate()
BANKING = reverse("treasury:banking")
TRANSFERS = reverse("treasury:credit_transfers")
DEBITS = reverse("treasury:direct_debits")
PAIN_001 = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"

TREASURER_ONLY = {
    "visitor": "login",
    "outsider": 403,
    "member_user_a": 403,
    "member_admin_a": 403,
    "member_admin_b": 403,
    "coordinator": 403,
    "treasurer": 200,
    "committee": 403,
}


@pytest.fixture
def pool(actors: Actors) -> Pool:
    return set_up_pool(
        actors,
        account_holder="Altitudes Coopérantes",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        creditor_identifier="FR72ZZZ123456",
    )


@pytest.fixture
def advance(pool: Pool) -> Advance:
    return disbursed_advance(pool, mode="linear", term_months=6)


def _status(response: Any) -> Any:
    if response.status_code == 302 and "/connexion/" in response["Location"]:
        return "login"
    return response.status_code


def _upload(client: Any, rows: list[str], name: str = "releve.csv") -> Any:
    data = ("Date;Libellé;Montant\n" + "\n".join(rows) + "\n").encode()
    return client.post(BANKING, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def _details(actors: Actors) -> None:
    banking.bank_details_set(actor=actors.treasurer, organisation=actors.org_a, holder="Jardins", iban=IBAN_A, bic="")


@pytest.mark.parametrize("name", ["treasury:banking", "treasury:direct_debits"])
def test_the_bank_pages_are_the_treasurers(actors: Actors, client_for: Any, name: str) -> None:
    for role, user in actors.by_role().items():
        assert _status(client_for(user).get(reverse(name))) == TREASURER_ONLY[role], role


def test_a_statement_statement_page_is_the_treasurers(actors: Actors, advance: Advance, client_for: Any) -> None:
    treasurer = client_for(actors.treasurer)
    _upload(treasurer, [f"{TODAY:%d/%m/%Y};VIR {advance.reference};10,00"])
    url = reverse("treasury:bank_statement", args=[BankStatement.objects.get().pk])

    assert treasurer.get(url).status_code == 200
    assert client_for(actors.coordinator).get(url).status_code == 403
    assert client_for(actors.member_admin_a).get(url).status_code == 403
    assert treasurer.get(reverse("treasury:bank_statement", args=[999999])).status_code == 404


def test_the_treasurer_imports_a_statement(actors: Actors, advance: Advance, client_for: Any) -> None:
    response = _upload(
        client_for(actors.treasurer),
        [f"{TODAY:%d/%m/%Y};VIR {advance.reference};250,00", f"{TODAY:%d/%m/%Y};VIR INCONNU;80,00"],
    )

    statement = BankStatement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("treasury:bank_statement", args=[statement.pk])
    assert sorted(statement.lines.values_list("status", flat=True)) == ["matched", "to_review"]


def test_a_refused_statement_shows_the_error_and_writes_nothing(actors: Actors, client_for: Any) -> None:
    response = _upload(client_for(actors.treasurer), ["99/99/2026;X;1,00"])

    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]
    assert not BankStatement.objects.exists()


def test_the_same_file_twice_is_refused_by_the_page(actors: Actors, advance: Advance, client_for: Any) -> None:
    treasurer = client_for(actors.treasurer)
    rows = [f"{TODAY:%d/%m/%Y};VIR {advance.reference};250,00"]
    _upload(treasurer, rows)

    response = _upload(treasurer, rows, name="copie.csv")

    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]
    assert BankStatement.objects.count() == 1


def test_a_coordinator_cannot_import(actors: Actors, client_for: Any) -> None:
    response = _upload(client_for(actors.coordinator), ["01/03/2026;X;1,00"])

    assert response.status_code == 403
    assert not BankStatement.objects.exists()


def _line_to_review(actors: Actors, client: Any) -> BankLine:
    n = BankStatement.objects.count()
    _upload(client, [f"{TODAY:%d/%m/%Y};VIR SANS REFERENCE {n};300,00"], name=f"r{n}.csv")
    return BankLine.objects.filter(status="to_review").latest("pk")


def test_the_page_lists_the_lines_to_review_without_a_query_per_line(
    actors: Actors, advance: Advance, client_for: Any
) -> None:
    treasurer = client_for(actors.treasurer)
    _line_to_review(actors, treasurer)
    with CaptureQueriesContext(connection) as one:
        first = treasurer.get(BANKING)
    for _ in range(4):
        _line_to_review(actors, treasurer)
    with CaptureQueriesContext(connection) as five:
        response = treasurer.get(BANKING)

    assert first.status_code == response.status_code == 200
    assert len(response.context["rows"]) == 5
    assert len(five) == len(one)


def test_the_treasurer_assigns_a_line_from_the_page(actors: Actors, advance: Advance, client_for: Any) -> None:
    treasurer = client_for(actors.treasurer)
    line = _line_to_review(actors, treasurer)

    response = treasurer.post(
        reverse("treasury:bank_line_assign", args=[line.pk]), {f"line-{line.pk}-advance": str(advance.pk)}
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == "matched"
    assert line.repayment is not None
    assert line.repayment.advance == advance


def test_an_assignment_without_an_advance_is_refused(actors: Actors, advance: Advance, client_for: Any) -> None:
    treasurer = client_for(actors.treasurer)
    line = _line_to_review(actors, treasurer)

    response = treasurer.post(reverse("treasury:bank_line_assign", args=[line.pk]), {f"line-{line.pk}-advance": ""})

    assert response.status_code == 400
    line.refresh_from_db()
    assert line.status == "to_review"


def test_the_treasurer_puts_a_line_aside_from_the_page(actors: Actors, advance: Advance, client_for: Any) -> None:
    treasurer = client_for(actors.treasurer)
    line = _line_to_review(actors, treasurer)

    response = treasurer.post(reverse("treasury:bank_line_ignore", args=[line.pk]), {f"line-{line.pk}-reason": "Don"})

    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.status, line.reason, line.repayment) == ("ignored", "Don", None)
    assert client_for(actors.coordinator).post(reverse("treasury:bank_line_ignore", args=[line.pk])).status_code == 403
    assert treasurer.get(reverse("treasury:bank_line_ignore", args=[line.pk])).status_code == 405


# --- Files ----------------------------------------------------------------------------------------


def test_the_transfer_file_of_the_day_is_downloaded(actors: Actors, advance: Advance, client_for: Any) -> None:
    _details(actors)

    response = client_for(actors.treasurer).get(TRANSFERS, {"date": TODAY.isoformat()})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert "attachment" in response["Content-Disposition"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own file
    assert [e.text for e in root.iter(f"{PAIN_001}EndToEndId")] == [advance.reference]


def test_no_transfer_file_when_a_member_has_no_bank_details(actors: Actors, advance: Advance, client_for: Any) -> None:
    response = client_for(actors.treasurer).get(TRANSFERS)

    assert response.status_code == 302
    assert response["Location"] == BANKING


def test_no_transfer_file_for_a_day_without_disbursement(actors: Actors, advance: Advance, client_for: Any) -> None:
    _details(actors)
    client = client_for(actors.treasurer)

    assert client.get(TRANSFERS, {"date": "2020-01-01"}).status_code == 302
    assert client.get(TRANSFERS, {"date": "not-a-date"}).status_code == 302
    assert client_for(actors.member_admin_a).get(TRANSFERS).status_code == 403


def test_the_direct_debit_page_previews_then_writes_the_file_once(
    actors: Actors, advance: Advance, client_for: Any
) -> None:
    banking.mandate_create(
        actor=actors.treasurer,
        organisation=actors.org_a,
        reference="RUM-1",
        signed_on=TODAY,
        holder="Jardins",
        iban=IBAN_A,
        bic="",
    )
    due_on = Instalment.objects.filter(schedule__advance=advance).order_by("number").first().due_on  # type: ignore[union-attr]
    client = client_for(actors.treasurer)

    preview = client.get(DEBITS, {"collection_date": due_on.isoformat()})
    assert preview.status_code == 200
    assert [item.advance for item in preview.context["preview"]] == [advance]
    assert not Collection.objects.exists()

    download = client.post(DEBITS, {"collection_date": due_on.isoformat()})
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    assert Collection.objects.count() == 1

    again = client.post(DEBITS, {"collection_date": due_on.isoformat()})
    assert again.status_code == 302
    assert Collection.objects.count() == 1


def test_a_collection_date_in_the_past_is_refused_by_the_form(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.treasurer).post(
        DEBITS, {"collection_date": (TODAY - dt.timedelta(days=1)).isoformat()}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["collection_date"]


# --- An organisation's bank details and mandates -------------------------------------------------


def test_who_sees_an_organisations_bank_page(actors: Actors, client_for: Any) -> None:
    url = reverse("treasury:organisation_banking", args=[actors.org_a.pk])
    expected = {**{role: 404 for role in TREASURER_ONLY}, "visitor": "login", "member_admin_a": 200, "treasurer": 200}

    for role, user in actors.by_role().items():
        assert _status(client_for(user).get(url)) == expected[role], role
    assert client_for(actors.treasurer).get(reverse("treasury:organisation_banking", args=[999999])).status_code == 404


def test_a_member_admin_saves_its_bank_details(actors: Actors, client_for: Any) -> None:
    url = reverse("treasury:organisation_banking", args=[actors.org_a.pk])

    response = client_for(actors.member_admin_a).post(url, {"holder": "Jardins", "iban": IBAN_A, "bic": ""})

    assert response.status_code == 302
    assert BankDetails.objects.get(organisation=actors.org_a).iban == IBAN_A


def test_a_wrong_iban_is_shown_on_its_field(actors: Actors, client_for: Any) -> None:
    url = reverse("treasury:organisation_banking", args=[actors.org_a.pk])

    response = client_for(actors.member_admin_a).post(
        url, {"holder": "Jardins", "iban": "FR1420041010050500013M02605", "bic": ""}
    )

    assert response.status_code == 400
    assert response.context["details_form"].errors["iban"]
    assert not BankDetails.objects.exists()


def test_another_member_admin_cannot_save_the_bank_details(actors: Actors, client_for: Any) -> None:
    url = reverse("treasury:organisation_banking", args=[actors.org_a.pk])

    response = client_for(actors.member_admin_b).post(url, {"holder": "X", "iban": IBAN_A, "bic": ""})

    assert response.status_code == 404
    assert not BankDetails.objects.exists()


def test_the_treasurer_records_a_mandate_and_the_member_admin_revokes_it(actors: Actors, client_for: Any) -> None:
    create = reverse("treasury:mandate_create", args=[actors.org_a.pk])
    data = {
        "mandate-reference": "RUM-JARDINS-1",
        "mandate-signed_on": TODAY.isoformat(),
        "mandate-holder": "Jardins",
        "mandate-iban": IBAN_A,
        "mandate-bic": "",
    }

    assert client_for(actors.member_admin_a).post(create, data).status_code == 403
    assert client_for(actors.member_admin_b).post(create, data).status_code == 404
    assert not Mandate.objects.exists()
    assert client_for(actors.treasurer).post(create, data).status_code == 302
    mandate = Mandate.objects.get()
    assert (mandate.organisation, mandate.reference) == (actors.org_a, "RUM-JARDINS-1")

    revoke = reverse("treasury:mandate_revoke", args=[actors.org_a.pk, mandate.pk])
    assert client_for(actors.member_admin_b).post(revoke).status_code == 404
    assert client_for(actors.member_admin_a).post(revoke).status_code == 302
    mandate.refresh_from_db()
    assert mandate.revoked_on == TODAY


def test_a_mandate_with_a_bad_reference_is_refused_on_its_field(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.treasurer).post(
        reverse("treasury:mandate_create", args=[actors.org_a.pk]),
        {
            "mandate-reference": "RUM//1",
            "mandate-signed_on": TODAY.isoformat(),
            "mandate-holder": "Jardins",
            "mandate-iban": IBAN_A,
        },
    )

    assert response.status_code == 400
    assert response.context["mandate_form"].errors["reference"]
    assert not Mandate.objects.exists()
