"""SEPA files read back: amounts, accounts, mandates and control sums as a bank would read them,
the schema's check, and the refusals that name the field to fix."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from cordee.core.errors import DomainError
from cordee.treasury import sepa
from cordee.treasury.models import TreasurySettings

pytestmark = pytest.mark.django_db

POOL_IBAN = "FR7630006000011234567890189"
POOL_BIC = "AGRIFRPP"
ICS = "FR72ZZZ123456"
PAIN_001 = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
PAIN_008 = "{urn:iso:std:iso:20022:tech:xsd:pain.008.001.02}"
TOMORROW = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def pool_account() -> TreasurySettings:
    TreasurySettings.objects.update_or_create(
        pk=1,
        defaults={
            "account_holder": "Altitudes Coopérantes",
            "iban": POOL_IBAN,
            "bic": POOL_BIC,
            "creditor_identifier": ICS,
        },
    )
    return TreasurySettings.current()


def _payment(**fields: object) -> sepa.Payment:
    values: dict[str, object] = {
        "name": "Les Jardins du Buëch",
        "iban": "FR14 2004 1010 0505 0001 3M02 606",
        "bic": "PSSTFRPP",
        "amount_cents": 1_200_000,
        "end_to_end_id": "AV-2026-0007",
        "description": "Avance remboursable AV-2026-0007",
        "execution_date": TOMORROW,
    }
    values.update(fields)
    return sepa.Payment(**values)  # type: ignore[arg-type]


def _debit(**fields: object) -> sepa.DirectDebit:
    values: dict[str, object] = {
        "name": "Coopérative des Écrins",
        "iban": "FR7610107001011234567890129",
        "bic": "",
        "amount_cents": 20_150,
        "mandate_reference": "RUM-ECRINS-01",
        "mandate_signed_on": dt.date(2026, 1, 15),
        "sequence_type": sepa.FIRST,
        "end_to_end_id": "AV-2026-0003-20260415",
        "description": "Avance AV-2026-0003 échéance du 15/04/2026",
    }
    values.update(fields)
    return sepa.DirectDebit(**values)  # type: ignore[arg-type]


def _parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own file


def _text(node: ET.Element, path: str, ns: str) -> str:
    found = node.find("/".join(f"{ns}{part}" for part in path.split("/")))
    assert found is not None, path
    return found.text or ""


def test_a_credit_transfer_file_pays_each_member_with_the_right_sums() -> None:
    data = sepa.credit_transfer_file(
        payments=[
            _payment(),
            _payment(
                name="Coopérative des Écrins",
                iban="FR7610107001011234567890129",
                bic="",
                amount_cents=55_005,
                end_to_end_id="AV-2026-0008",
            ),
        ]
    )

    root = _parse(data)
    assert root.tag == f"{PAIN_001}Document"
    initiation = root.find(f"{PAIN_001}CstmrCdtTrfInitn")
    assert initiation is not None
    assert _text(initiation, "GrpHdr/NbOfTxs", PAIN_001) == "2"
    assert Decimal(_text(initiation, "GrpHdr/CtrlSum", PAIN_001)) == Decimal("12550.05")
    (batch,) = initiation.findall(f"{PAIN_001}PmtInf")
    assert _text(batch, "DbtrAcct/Id/IBAN", PAIN_001) == POOL_IBAN
    assert _text(batch, "DbtrAgt/FinInstnId/BIC", PAIN_001) == POOL_BIC
    assert _text(batch, "ReqdExctnDt", PAIN_001) == TOMORROW.isoformat()
    assert Decimal(_text(batch, "CtrlSum", PAIN_001)) == Decimal("12550.05")
    transfers = batch.findall(f"{PAIN_001}CdtTrfTxInf")
    assert [
        (
            _text(t, "PmtId/EndToEndId", PAIN_001),
            _text(t, "Amt/InstdAmt", PAIN_001),
            _text(t, "CdtrAcct/Id/IBAN", PAIN_001),
            _text(t, "Cdtr/Nm", PAIN_001),
        )
        for t in transfers
    ] == [
        ("AV-2026-0007", "12000.00", "FR1420041010050500013M02606", "Les Jardins du Buech"),
        ("AV-2026-0008", "550.05", "FR7610107001011234567890129", "Cooperative des Ecrins"),
    ]
    # The payee's BIC is given when known, left out otherwise (IBAN-only SEPA transfers).
    assert transfers[0].find(f"{PAIN_001}CdtrAgt") is not None
    assert transfers[1].find(f"{PAIN_001}CdtrAgt") is None


def test_a_direct_debit_file_collects_under_each_mandate() -> None:
    data = sepa.direct_debit_file(
        collection_date=TOMORROW,
        items=[
            _debit(),
            _debit(
                name="Les Jardins du Buëch",
                iban="FR1420041010050500013M02606",
                bic="PSSTFRPP",
                amount_cents=10_000,
                mandate_reference="RUM-JARDINS-01",
                mandate_signed_on=dt.date(2025, 11, 3),
                sequence_type=sepa.RECURRENT,
                end_to_end_id="AV-2026-0001-20260415",
            ),
        ],
    )

    root = _parse(data)
    initiation = root.find(f"{PAIN_008}CstmrDrctDbtInitn")
    assert initiation is not None
    assert _text(initiation, "GrpHdr/NbOfTxs", PAIN_008) == "2"
    assert Decimal(_text(initiation, "GrpHdr/CtrlSum", PAIN_008)) == Decimal("301.50")
    batches = initiation.findall(f"{PAIN_008}PmtInf")
    by_type = {_text(b, "PmtTpInf/SeqTp", PAIN_008): b for b in batches}
    assert set(by_type) == {"FRST", "RCUR"}
    for batch in batches:
        assert _text(batch, "PmtTpInf/LclInstrm/Cd", PAIN_008) == "CORE"
        assert _text(batch, "ReqdColltnDt", PAIN_008) == TOMORROW.isoformat()
        assert _text(batch, "CdtrAcct/Id/IBAN", PAIN_008) == POOL_IBAN
        assert _text(batch, "CdtrSchmeId/Id/PrvtId/Othr/Id", PAIN_008) == ICS
    first = by_type["FRST"].find(f"{PAIN_008}DrctDbtTxInf")
    assert first is not None
    assert _text(first, "InstdAmt", PAIN_008) == "201.50"
    assert _text(first, "DrctDbtTx/MndtRltdInf/MndtId", PAIN_008) == "RUM-ECRINS-01"
    assert _text(first, "DrctDbtTx/MndtRltdInf/DtOfSgntr", PAIN_008) == "2026-01-15"
    assert _text(first, "DbtrAcct/Id/IBAN", PAIN_008) == "FR7610107001011234567890129"
    assert _text(first, "PmtId/EndToEndId", PAIN_008) == "AV-2026-0003-20260415"
    assert Decimal(_text(by_type["RCUR"], "CtrlSum", PAIN_008)) == Decimal("100.00")


def test_the_files_pass_the_iso_20022_schema() -> None:
    """sepaxml validates on export; a second look with the schema it ships, to be sure."""
    import os

    import sepaxml
    import xmlschema

    schemas = os.path.join(os.path.dirname(sepaxml.__file__), "schemas")
    transfer = sepa.credit_transfer_file(payments=[_payment()])
    debit = sepa.direct_debit_file(collection_date=TOMORROW, items=[_debit()])

    assert xmlschema.XMLSchema(os.path.join(schemas, "pain.001.001.03.xsd")).is_valid(transfer.decode())
    assert xmlschema.XMLSchema(os.path.join(schemas, "pain.008.001.02.xsd")).is_valid(debit.decode())


@pytest.mark.parametrize(
    ("iban", "code"),
    [
        ("FR7630006000011234567890188", "iban_invalid"),  # check digits
        ("FR763000600001123456789018", "iban_invalid"),  # length
        ("XX7630006000011234567890189", "iban_invalid"),  # country
        ("", "iban_missing"),
    ],
)
def test_a_wrong_payee_iban_is_refused_with_its_field(iban: str, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        sepa.credit_transfer_file(payments=[_payment(iban=iban)])

    assert (caught.value.field, caught.value.code) == ("iban", code)


def test_a_wrong_bic_is_refused_with_its_field() -> None:
    with pytest.raises(DomainError) as caught:
        sepa.credit_transfer_file(payments=[_payment(bic="PSSTFRP")])

    assert (caught.value.field, caught.value.code) == ("bic", "bic_invalid")


@pytest.mark.parametrize(
    ("setting", "value", "field"),
    [
        ("iban", "", "iban"),
        ("iban", "FR7630006000011234567890100", "iban"),
        ("bic", "", "bic"),
        ("account_holder", "", "account_holder"),
    ],
)
def test_the_pool_account_must_be_complete(setting: str, value: str, field: str) -> None:
    TreasurySettings.objects.filter(pk=1).update(**{setting: value})

    with pytest.raises(DomainError) as caught:
        sepa.credit_transfer_file(payments=[_payment()])

    assert caught.value.field == field


@pytest.mark.parametrize("value", ["", "FR73ZZZ123456", "ZZZ"])
def test_direct_debits_need_a_valid_creditor_identifier(value: str) -> None:
    TreasurySettings.objects.filter(pk=1).update(creditor_identifier=value)

    with pytest.raises(DomainError) as caught:
        sepa.direct_debit_file(collection_date=TOMORROW, items=[_debit()])

    assert caught.value.field == "creditor_identifier"


@pytest.mark.parametrize("reference", ["", "/RUM1", "RUM//1", "RUM-É", "R" * 36])
def test_a_mandate_reference_outside_the_sepa_characters_is_refused(reference: str) -> None:
    with pytest.raises(DomainError) as caught:
        sepa.direct_debit_file(collection_date=TOMORROW, items=[_debit(mandate_reference=reference)])

    assert caught.value.field == "reference"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(DomainError):
        sepa.credit_transfer_file(payments=[])
    with pytest.raises(DomainError):
        sepa.direct_debit_file(collection_date=TOMORROW, items=[])


def test_a_zero_amount_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        sepa.credit_transfer_file(payments=[_payment(amount_cents=0)])

    assert caught.value.field == "amount_cents"
