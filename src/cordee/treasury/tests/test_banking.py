"""The bank services: bank details and mandates, the transfer files, direct-debit collections that
never take an instalment twice, and statements whose lines are recorded or set aside with a reason,
with nothing posted for a line set aside."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors
from cordee.ledger.verify import verify
from cordee.treasury import banking, services
from cordee.treasury.models import (
    Advance,
    BankDetails,
    BankLine,
    BankStatement,
    Collection,
    Instalment,
    Mandate,
    Repayment,
    Withdrawal,
)
from cordee.treasury.tests.factories import Pool, disbursed_advance, set_up_pool

pytestmark = pytest.mark.django_db

IBAN_A = "FR1420041010050500013M02606"
IBAN_B = "FR7610107001011234567890129"
POOL_IBAN = "FR7630006000011234567890189"
PAIN_001 = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
PAIN_008 = "{urn:iso:std:iso:20022:tech:xsd:pain.008.001.02}"
TODAY = timezone.localdate()


@pytest.fixture
def pool(actors: Actors) -> Pool:
    return set_up_pool(
        actors,
        account_holder="Altitudes Coopérantes",
        iban=POOL_IBAN,
        bic="AGRIFRPP",
        creditor_identifier="FR72ZZZ123456",
    )


@pytest.fixture
def advance(pool: Pool) -> Advance:
    """12 000 € to organisation A, disbursed today, repaid in six monthly instalments."""
    return disbursed_advance(pool, mode="linear", term_months=6)


def _xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own file


def _csv(*rows: str) -> bytes:
    return ("Date;Libellé;Montant\n" + "\n".join(rows) + "\n").encode()


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _mandate(actors: Actors, **fields: object) -> Mandate:
    values: dict[str, object] = {
        "organisation": actors.org_a,
        "reference": "RUM-JARDINS-01",
        "signed_on": TODAY - dt.timedelta(days=30),
        "holder": "Les Jardins du Buëch",
        "iban": IBAN_A,
        "bic": "PSSTFRPP",
    }
    values.update(fields)
    return banking.mandate_create(actor=actors.treasurer, **values)  # type: ignore[arg-type]


# --- Bank details and mandates --------------------------------------------------------------------


def test_a_member_admin_sets_its_bank_details(actors: Actors) -> None:
    details = banking.bank_details_set(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        holder="  Les Jardins  du Buëch ",
        iban="fr14 2004 1010 0505 0001 3m02 606",
        bic="psstfrpp",
    )

    assert (details.holder, details.iban, details.bic) == ("Les Jardins du Buëch", IBAN_A, "PSSTFRPP")
    banking.bank_details_set(actor=actors.treasurer, organisation=actors.org_a, holder="Jardins", iban=IBAN_B, bic="")
    assert BankDetails.objects.get(organisation=actors.org_a).iban == IBAN_B
    assert AuditEvent.objects.filter(action="treasury.bank_details.set").count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"iban": "FR1420041010050500013M02605"}, "iban"),
        ({"iban": "FR14200410100505"}, "iban"),
        ({"iban": ""}, "iban"),
        ({"bic": "PSST"}, "bic"),
        ({"holder": "   "}, "holder"),
    ],
)
def test_wrong_bank_details_are_refused_with_their_field(actors: Actors, fields: dict[str, str], field: str) -> None:
    values = {"holder": "Les Jardins", "iban": IBAN_A, "bic": "", **fields}

    with pytest.raises(DomainError) as caught:
        banking.bank_details_set(actor=actors.member_admin_a, organisation=actors.org_a, **values)

    assert caught.value.field == field
    assert not BankDetails.objects.exists()


@pytest.mark.parametrize("role", ["member_admin_b", "member_user_a", "coordinator", "outsider"])
def test_only_its_member_admins_and_the_treasurer_set_bank_details(actors: Actors, role: str) -> None:
    with pytest.raises(NotAllowed):
        banking.bank_details_set(
            actor=getattr(actors, role), organisation=actors.org_a, holder="X", iban=IBAN_A, bic=""
        )


def test_the_treasurer_records_a_mandate_and_a_member_admin_revokes_it(actors: Actors) -> None:
    mandate = _mandate(actors)

    assert (mandate.reference, mandate.iban, mandate.revoked_on) == ("RUM-JARDINS-01", IBAN_A, None)
    assert banking.active_mandate(actors.org_a.pk, TODAY) == mandate
    banking.mandate_revoke(actor=actors.member_admin_a, mandate=mandate)
    mandate.refresh_from_db()
    assert mandate.revoked_on == TODAY
    assert banking.active_mandate(actors.org_a.pk, TODAY) is None
    with pytest.raises(DomainError):
        banking.mandate_revoke(actor=actors.treasurer, mandate=mandate)


def test_a_mandate_is_refused_when_its_reference_is_taken_or_wrong(actors: Actors) -> None:
    _mandate(actors)

    with pytest.raises(DomainError) as taken:
        _mandate(actors, organisation=actors.org_b)
    with pytest.raises(DomainError) as wrong:
        _mandate(actors, reference="RUM/É")
    with pytest.raises(DomainError) as future:
        _mandate(actors, reference="RUM-2", signed_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError) as bad_iban:
        _mandate(actors, reference="RUM-3", iban="FR7630006000011234567890188")

    assert [e.value.field for e in (taken, wrong, future, bad_iban)] == ["reference", "reference", "signed_on", "iban"]
    assert Mandate.objects.count() == 1


def test_a_member_admin_cannot_record_a_mandate(actors: Actors) -> None:
    with pytest.raises(NotAllowed):
        banking.mandate_create(
            actor=actors.member_admin_a,
            organisation=actors.org_a,
            reference="RUM-1",
            signed_on=TODAY,
            holder="X",
            iban=IBAN_A,
            bic="",
        )


def test_a_member_admin_of_another_organisation_cannot_revoke(actors: Actors) -> None:
    mandate = _mandate(actors)

    with pytest.raises(NotAllowed):
        banking.mandate_revoke(actor=actors.member_admin_b, mandate=mandate)


# --- Credit transfers -----------------------------------------------------------------------------


def test_the_disbursement_file_pays_the_member_its_advance(actors: Actors, advance: Advance) -> None:
    banking.bank_details_set(
        actor=actors.member_admin_a, organisation=actors.org_a, holder="Jardins", iban=IBAN_A, bic=""
    )

    root = _xml(banking.disbursement_file(advances=banking.advances_disbursed_on(TODAY)))

    (transfer,) = root.iter(f"{PAIN_001}CdtTrfTxInf")
    assert transfer.findtext(f"{PAIN_001}Amt/{PAIN_001}InstdAmt") == "12000.00"
    assert transfer.findtext(f"{PAIN_001}CdtrAcct/{PAIN_001}Id/{PAIN_001}IBAN") == IBAN_A
    assert transfer.findtext(f"{PAIN_001}PmtId/{PAIN_001}EndToEndId") == advance.reference
    assert root.findtext(f".//{PAIN_001}DbtrAcct/{PAIN_001}Id/{PAIN_001}IBAN") == POOL_IBAN


def test_no_file_when_a_member_has_no_bank_details(advance: Advance) -> None:
    with pytest.raises(DomainError) as caught:
        banking.disbursement_file(advances=[advance])

    assert caught.value.code == "not_payable"
    assert advance.reference in caught.value.message


def test_an_advance_not_disbursed_is_not_paid_by_the_file(actors: Actors, advance: Advance) -> None:
    banking.bank_details_set(actor=actors.treasurer, organisation=actors.org_a, holder="Jardins", iban=IBAN_A, bic="")
    Advance.objects.filter(pk=advance.pk).update(status=Advance.Status.APPROVED)
    advance.refresh_from_db()

    with pytest.raises(DomainError):
        banking.disbursement_file(advances=[advance])


def _paid_withdrawal(actors: Actors, pool: Pool) -> Withdrawal:
    received_on = TODAY - dt.timedelta(days=60)
    services.cash_declaration_set(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        year=received_on.year,
        net_available_cash_cents=5_000_000,
        declared_on=received_on,
    )
    deposit = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=500_000,
        notice_days=30,
        board_approved_on=TODAY - dt.timedelta(days=70),
        board_minute=SimpleUploadedFile("pv-ca.pdf", b"%PDF-1.4 minute"),
        attestation=SimpleUploadedFile("attestation.pdf", b"%PDF-1.4 attestation"),
    )
    services.deposit_confirm(actor=actors.treasurer, deposit=deposit, received_on=received_on, bank_reference="VIR 1")
    withdrawal = services.withdrawal_request(
        actor=actors.member_admin_a, deposit=deposit, amount_cents=200_000, requested_on=TODAY - dt.timedelta(days=40)
    )
    return services.withdrawal_pay(actor=actors.treasurer, withdrawal=withdrawal)


def test_the_withdrawal_file_pays_the_depositor(actors: Actors, pool: Pool, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    withdrawal = _paid_withdrawal(actors, pool)
    banking.bank_details_set(
        actor=actors.member_admin_a, organisation=actors.org_a, holder="Jardins", iban=IBAN_A, bic=""
    )

    root = _xml(banking.withdrawal_file(withdrawals=banking.withdrawals_paid_on(TODAY)))

    (transfer,) = root.iter(f"{PAIN_001}CdtTrfTxInf")
    assert transfer.findtext(f"{PAIN_001}Amt/{PAIN_001}InstdAmt") == "2000.00"
    assert transfer.findtext(f"{PAIN_001}CdtrAcct/{PAIN_001}Id/{PAIN_001}IBAN") == IBAN_A
    assert withdrawal.deposit.reference in (transfer.findtext(f"{PAIN_001}PmtId/{PAIN_001}EndToEndId") or "")


# --- Direct debits --------------------------------------------------------------------------------


def _instalments(advance: Advance) -> list[Instalment]:
    return list(Instalment.objects.filter(schedule__advance=advance).order_by("number"))


def test_a_collection_takes_the_instalments_due_once(actors: Actors, advance: Advance) -> None:
    mandate = _mandate(actors)
    first, second = _instalments(advance)[:2]

    data, collections = banking.collections_prepare(actor=actors.treasurer, collection_date=first.due_on)

    assert [(c.advance_id, c.due_on, c.amount_cents) for c in collections] == [
        (advance.pk, first.due_on, first.total_cents)
    ]
    root = _xml(data)
    assert root.findtext(f".//{PAIN_008}GrpHdr/{PAIN_008}NbOfTxs") == "1"
    assert Decimal(root.findtext(f".//{PAIN_008}GrpHdr/{PAIN_008}CtrlSum") or "") == Decimal(first.total_cents) / 100
    assert root.findtext(f".//{PAIN_008}SeqTp") == "FRST"
    assert root.findtext(f".//{PAIN_008}MndtId") == "RUM-JARDINS-01"
    assert root.findtext(f".//{PAIN_008}DbtrAcct/{PAIN_008}Id/{PAIN_008}IBAN") == IBAN_A
    assert root.findtext(f".//{PAIN_008}EndToEndId") == collections[0].end_to_end_id
    mandate.refresh_from_db()
    assert mandate.first_collected_on == first.due_on

    # The same day again: nothing new.
    assert banking.collections_prepare(actor=actors.treasurer, collection_date=first.due_on) == (b"", [])
    # Later: the next instalment only, as a recurrent collection.
    data, collections = banking.collections_prepare(actor=actors.treasurer, collection_date=second.due_on)
    assert [c.due_on for c in collections] == [second.due_on]
    assert _xml(data).findtext(f".//{PAIN_008}SeqTp") == "RCUR"
    assert Collection.objects.count() == 2


def test_a_collection_needs_a_mandate_in_force(actors: Actors, advance: Advance) -> None:
    mandate = _mandate(actors)
    banking.mandate_revoke(actor=actors.treasurer, mandate=mandate)
    first = _instalments(advance)[0]

    assert banking.collections_prepare(actor=actors.treasurer, collection_date=first.due_on) == (b"", [])
    assert not Collection.objects.exists()


def test_what_is_paid_of_an_instalment_is_not_collected(actors: Actors, pool: Pool) -> None:
    advance = disbursed_advance(pool, on=TODAY - dt.timedelta(days=70), mode="linear", term_months=6)
    first, second, third = _instalments(advance)[:3]
    assert second.due_on < TODAY < third.due_on
    _mandate(actors)
    services.repayment_record(
        actor=actors.treasurer, advance=advance, amount_cents=first.total_cents + 50_000, received_on=TODAY
    )

    _data, collections = banking.collections_prepare(
        actor=actors.treasurer, collection_date=TODAY + dt.timedelta(days=1)
    )

    # The first instalment is paid, 500 € of the second too: the rest of the second is collected.
    assert [(c.due_on, c.amount_cents) for c in collections] == [(second.due_on, second.total_cents - 50_000)]


def test_a_collection_date_must_be_in_the_future(actors: Actors, advance: Advance) -> None:
    _mandate(actors)

    with pytest.raises(DomainError) as caught:
        banking.collections_prepare(actor=actors.treasurer, collection_date=TODAY)

    assert caught.value.field == "collection_date"


def test_a_collection_without_a_creditor_identifier_writes_nothing(actors: Actors, advance: Advance) -> None:
    from cordee.treasury.models import TreasurySettings

    _mandate(actors)
    TreasurySettings.objects.filter(pk=1).update(creditor_identifier="")
    first = _instalments(advance)[0]

    with pytest.raises(DomainError) as caught:
        banking.collections_prepare(actor=actors.treasurer, collection_date=first.due_on)

    assert caught.value.field == "creditor_identifier"
    assert not Collection.objects.exists()
    assert Mandate.objects.get().first_collected_on is None


def test_only_the_treasurer_prepares_collections(actors: Actors) -> None:
    with pytest.raises(NotAllowed):
        banking.collections_prepare(actor=actors.coordinator, collection_date=TODAY + dt.timedelta(days=3))


# --- Statements -----------------------------------------------------------------------------------


def test_a_statement_records_the_repayments_it_names_and_sets_aside_the_rest(actors: Actors, advance: Advance) -> None:
    data = _csv(
        f"{_day(TODAY)};VIR SEPA LES JARDINS {advance.reference.lower()} ECHEANCE;250,00",
        f"{_day(TODAY)};VIR SEPA DON ANONYME;80,00",
        f"{_day(TODAY)};VIR SEPA AV-2099-0999;90,00",
        f"{_day(TODAY)};PRLV EDF;-45,20",
    )

    statement = banking.statement_import(actor=actors.treasurer, filename="releve-mars.csv", data=data)

    lines = list(statement.lines.order_by("pk"))
    assert [(line.amount_cents, line.status) for line in lines] == [
        (25_000, "matched"),
        (8_000, "to_review"),
        (9_000, "to_review"),
        (-4_520, "ignored"),
    ]
    assert all(line.reason for line in lines[1:3])
    assert "AV-2099-0999" in lines[2].reason
    (repayment,) = Repayment.objects.all()
    assert lines[0].repayment == repayment
    assert (repayment.advance, repayment.amount_cents, repayment.origin) == (advance, 25_000, "bank")
    assert repayment.received_on == TODAY
    assert statement.format == "csv"
    assert verify().ok


def test_the_same_file_twice_is_refused_and_records_nothing_more(actors: Actors, advance: Advance) -> None:
    data = _csv(f"{_day(TODAY)};{advance.reference};250,00")
    banking.statement_import(actor=actors.treasurer, filename="a.csv", data=data)

    with pytest.raises(DomainError) as caught:
        banking.statement_import(actor=actors.treasurer, filename="a-again.csv", data=data)

    assert (caught.value.field, caught.value.code) == ("file", "duplicate")
    assert BankStatement.objects.count() == 1
    assert Repayment.objects.count() == 1


def test_an_operation_already_imported_from_another_file_is_set_aside(actors: Actors, advance: Advance) -> None:
    operation = f"{_day(TODAY)};VIR {advance.reference};250,00"
    banking.statement_import(actor=actors.treasurer, filename="1-15.csv", data=_csv(operation))

    statement = banking.statement_import(
        actor=actors.treasurer, filename="1-31.csv", data=_csv(operation, f"{_day(TODAY)};AUTRE;1,00")
    )

    assert statement.lines.order_by("pk").first().status == "to_review"  # type: ignore[union-attr]
    assert Repayment.objects.count() == 1


def test_a_line_for_an_advance_already_repaid_is_set_aside_with_the_service_reason(
    actors: Actors, advance: Advance
) -> None:
    services.repayment_record(actor=actors.treasurer, advance=advance, amount_cents=1_200_000, received_on=TODAY)
    advance.refresh_from_db()
    assert advance.status == Advance.Status.REPAID
    with pytest.raises(DomainError) as refusal:
        services.repayment_record(actor=actors.treasurer, advance=advance, amount_cents=100, received_on=TODAY)

    statement = banking.statement_import(
        actor=actors.treasurer, filename="late.csv", data=_csv(f"{_day(TODAY)};VIR {advance.reference};100,00")
    )

    (line,) = statement.lines.all()
    assert (line.status, line.reason, line.repayment) == ("to_review", refusal.value.message, None)
    assert Repayment.objects.count() == 1


def test_an_overpayment_is_set_aside_and_the_other_lines_recorded(actors: Actors, advance: Advance) -> None:
    statement = banking.statement_import(
        actor=actors.treasurer,
        filename="b.csv",
        data=_csv(
            f"{_day(TODAY)};VIR {advance.reference};20 000,00",
            f"{_day(TODAY)};VIR {advance.reference};100,00",
        ),
    )

    assert list(statement.lines.order_by("pk").values_list("status", flat=True)) == ["to_review", "matched"]
    assert Repayment.objects.get().amount_cents == 10_000
    assert verify().ok


def test_a_file_that_cannot_be_read_writes_nothing(actors: Actors, advance: Advance) -> None:
    data = _csv(f"{_day(TODAY)};VIR {advance.reference};250,00", "32/13/2026;X;1,00")

    with pytest.raises(DomainError) as caught:
        banking.statement_import(actor=actors.treasurer, filename="bad.csv", data=data)

    assert caught.value.field == "file"
    assert caught.value.code == "statement_date"
    assert "3" in caught.value.message  # the line
    assert not BankStatement.objects.exists()
    assert not Repayment.objects.exists()


def test_an_empty_statement_is_refused(actors: Actors) -> None:
    with pytest.raises(DomainError):
        banking.statement_import(actor=actors.treasurer, filename="empty.csv", data=b"")
    with pytest.raises(DomainError):
        banking.statement_import(actor=actors.treasurer, filename="header.csv", data=_csv())
    assert not BankStatement.objects.exists()


def test_only_the_treasurer_imports_statements(actors: Actors) -> None:
    with pytest.raises(NotAllowed):
        banking.statement_import(actor=actors.coordinator, filename="a.csv", data=_csv("01/03/2026;x;1,00"))


CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
 <GrpHdr><MsgId>S1</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>
 <Stmt><Id>1</Id>
  <Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
   <BookgDt><Dt>{day}</Dt></BookgDt>
   <NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs>
    <RltdPties><Dbtr><Pty><Nm>Les Jardins du Buëch</Nm></Pty></Dbtr></RltdPties>
    <RmtInf><Ustrd>PRLV SEPA</Ustrd></RmtInf></TxDtls></NtryDtls>
  </Ntry>
 </Stmt></BkToCstmrStmt></Document>
"""


def test_a_direct_debit_credited_on_a_camt_statement_is_recorded_as_such(actors: Actors, advance: Advance) -> None:
    _mandate(actors)
    first = _instalments(advance)[0]
    _data, (collection,) = banking.collections_prepare(actor=actors.treasurer, collection_date=first.due_on)
    amount = Decimal(collection.amount_cents) / 100
    camt = CAMT.format(amount=f"{amount:.2f}", day=TODAY.isoformat(), e2e=collection.end_to_end_id)

    statement = banking.statement_import(actor=actors.treasurer, filename="camt.xml", data=camt.encode())

    (line,) = statement.lines.all()
    assert line.status == "matched"
    assert line.counterparty == "Les Jardins du Buëch"
    assert line.repayment is not None
    assert (line.repayment.origin, line.repayment.amount_cents) == ("direct_debit", collection.amount_cents)
    assert statement.format == "camt053"


# --- Lines set aside ------------------------------------------------------------------------------


def _set_aside(actors: Actors, label: str = "VIR SEPA SANS REFERENCE") -> BankLine:
    statement = banking.statement_import(
        actor=actors.treasurer, filename=f"{label}.csv", data=_csv(f"{_day(TODAY)};{label};300,00")
    )
    line = statement.lines.get()
    assert line.status == "to_review"
    return line


def test_the_treasurer_assigns_a_line_set_aside_to_an_advance(actors: Actors, advance: Advance) -> None:
    line = _set_aside(actors)
    assert not Repayment.objects.exists()

    banking.bank_line_assign(actor=actors.treasurer, line=line, advance=advance)

    line.refresh_from_db()
    assert line.status == "matched"
    assert line.repayment is not None
    assert (line.repayment.advance, line.repayment.amount_cents) == (advance, 30_000)
    with pytest.raises(DomainError):
        banking.bank_line_assign(actor=actors.treasurer, line=line, advance=advance)
    assert Repayment.objects.count() == 1


def test_an_assignment_the_repayment_service_refuses_leaves_the_line_set_aside(
    actors: Actors, pool: Pool, advance: Advance
) -> None:
    line = _set_aside(actors)
    services.repayment_record(actor=actors.treasurer, advance=advance, amount_cents=1_200_000, received_on=TODAY)

    with pytest.raises(DomainError):
        banking.bank_line_assign(actor=actors.treasurer, line=line, advance=advance)

    line.refresh_from_db()
    assert (line.status, line.repayment) == ("to_review", None)


def test_the_treasurer_puts_a_line_aside(actors: Actors) -> None:
    line = _set_aside(actors)

    banking.bank_line_ignore(actor=actors.treasurer, line=line, reason="Don, hors trésorerie")

    line.refresh_from_db()
    assert (line.status, line.reason, line.repayment) == ("ignored", "Don, hors trésorerie", None)
    with pytest.raises(NotAllowed):
        banking.bank_line_ignore(actor=actors.coordinator, line=line)
