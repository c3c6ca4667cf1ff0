"""Bank statements read into lines: French CSV exports and CAMT.053, and the errors that name where
a file is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cordee.lib import bankstatements
from cordee.lib.bankstatements import StatementError, StatementLine, parse_amount, parse_camt053, parse_csv

D = dt.date


# --- Amounts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12,50", 1250),
        ("-12,50", -1250),
        ("+3,00", 300),
        ("1 234,56", 123456),
        ("1\u00a0234,56", 123456),
        ("1\u202f234,56 €", 123456),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("12.5", 1250),
        ("1.234", 123400),
        ("1.234.567,8", 123456780),
        ("7", 700),
        ("0,07", 7),
        ("12,50-", -1250),
        ("150,00 EUR", 15000),
    ],
)
def test_amounts_are_read_in_cents_without_floats(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


def _french(cents: int, thousands: str) -> str:
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", thousands)
    return f"{'-' if cents < 0 else ''}{grouped},{rest:02d}"


@given(st.integers(min_value=-(10**11), max_value=10**11), st.sampled_from([" ", "\u00a0", "\u202f", ".", ""]))
def test_any_amount_written_the_french_way_reads_back(cents: int, thousands: str) -> None:
    assert parse_amount(_french(cents, thousands)) == cents


@pytest.mark.parametrize("text", ["", "douze", "12,505", "1,2,3", "--5", "12,5.0.0"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r".*"):
        parse_amount(text)


# --- CSV ------------------------------------------------------------------------------------------

ONE_AMOUNT = (
    "\ufeffDate;Libellé;Montant;Référence\n"
    "02/03/2026;VIR SEPA ASSOCIATION DES JARDINS AV-2026-0007;1 234,56;E2E-1\n"
    "03/03/2026;PRLV URSSAF;-250,00;\n"
    "\n"
    "04/03/2026;VIR RECU av 2026 0008 ECHEANCE;45,10;\n"
)


def test_a_csv_with_one_signed_amount() -> None:
    lines = parse_csv(ONE_AMOUNT.encode("utf-8"))

    assert lines == [
        StatementLine(D(2026, 3, 2), 123456, "E2E-1", "VIR SEPA ASSOCIATION DES JARDINS AV-2026-0007", ""),
        StatementLine(D(2026, 3, 3), -25000, "", "PRLV URSSAF", ""),
        StatementLine(D(2026, 3, 4), 4510, "", "VIR RECU av 2026 0008 ECHEANCE", ""),
    ]


# A Crédit Agricole-like export: account lines above the header, Windows-1252, debit and credit
# columns with units, a trailing separator, debits written without their sign.
DEBIT_CREDIT = (
    "Compte courant n° 12345678901;;;\r\n"
    "Solde au 31/03/2026;12 000,00 €;;\r\n"
    ";;;\r\n"
    "Date opération;Libellé de l'opération;Débit euros;Crédit euros;\r\n"
    '05/03/2026;"VIREMENT EN VOTRE FAVEUR\nCOOP DES ECRINS AV-2026-0003";;600,00;\r\n'
    "06/03/2026;FRAIS TENUE DE COMPTE;4,50;;\r\n"
)


def test_a_csv_with_debit_and_credit_columns_in_windows_1252() -> None:
    lines = parse_csv(DEBIT_CREDIT.encode("cp1252"))

    assert [(line.booked_on, line.amount_cents, line.label) for line in lines] == [
        (D(2026, 3, 5), 60000, "VIREMENT EN VOTRE FAVEUR COOP DES ECRINS AV-2026-0003"),
        (D(2026, 3, 6), -450, "FRAIS TENUE DE COMPTE"),
    ]


def test_a_csv_header_is_found_in_any_case_and_with_a_counterparty() -> None:
    data = "DATE;LIBELLE;TIERS;DEBIT;CREDIT;REF\n07/03/2026;Virement;Les Jardins;-10,00;;R1\n"

    (line,) = parse_csv(data.encode())

    assert line == StatementLine(D(2026, 3, 7), -1000, "R1", "Virement", "Les Jardins")


def test_a_csv_separated_by_tabs_or_commas() -> None:
    tabs = "Date\tLabel\tAmount\n08/03/2026\tAV-2026-0001\t12,00\n"
    commas = 'Date,Libellé,Montant\n08/03/2026,AV-2026-0001,"12,00"\n'

    assert parse_csv(tabs.encode())[0].amount_cents == 1200
    assert parse_csv(commas.encode())[0].amount_cents == 1200


def test_the_date_column_is_preferred_to_the_value_date() -> None:
    data = "Date de valeur;Date;Libellé;Montant\n10/03/2026;09/03/2026;x;1,00\n"

    assert parse_csv(data.encode())[0].booked_on == D(2026, 3, 9)


def test_a_bad_date_names_its_line_and_column() -> None:
    data = "Date;Libellé;Montant\n02/03/2026;ok;1,00\n31/02/2026;bad;1,00\n"

    with pytest.raises(StatementError) as caught:
        parse_csv(data.encode())

    assert (caught.value.code, caught.value.line, caught.value.column, caught.value.value) == (
        "date",
        3,
        "Date",
        "31/02/2026",
    )
    assert "line 3" in str(caught.value)


def test_a_bad_amount_names_its_line_and_column() -> None:
    data = "Date;Libellé;Montant\n02/03/2026;x;douze euros\n"

    with pytest.raises(StatementError) as caught:
        parse_csv(data.encode())

    assert (caught.value.code, caught.value.line, caught.value.column) == ("amount", 2, "Montant")


def test_a_line_with_both_a_debit_and_a_credit_is_refused() -> None:
    data = "Date;Libellé;Débit;Crédit\n02/03/2026;x;1,00;2,00\n"

    with pytest.raises(StatementError) as caught:
        parse_csv(data.encode())

    assert (caught.value.code, caught.value.line) == ("debit_and_credit", 2)


def test_a_line_with_no_amount_is_refused() -> None:
    data = "Date;Libellé;Montant\n02/03/2026;x;\n"

    with pytest.raises(StatementError) as caught:
        parse_csv(data.encode())

    assert (caught.value.code, caught.value.line) == ("no_amount", 2)


def test_a_file_without_a_recognisable_header_is_refused() -> None:
    with pytest.raises(StatementError) as caught:
        parse_csv(b"Quand;Quoi;Combien\n02/03/2026;x;1,00\n")

    assert caught.value.code == "no_header"
    assert caught.value.line is None


def test_a_header_alone_gives_no_line() -> None:
    assert parse_csv(b"Date;Libelle;Montant\n") == []


# --- CAMT.053 -------------------------------------------------------------------------------------

CAMT_02 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-03-31T18:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>1</Id>
   <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
   <Ntry>
    <Amt Ccy="EUR">600.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-03-05</Dt></BookgDt><ValDt><Dt>2026-03-06</Dt></ValDt>
    <NtryDtls><TxDtls>
     <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
     <AmtDtls><InstdAmt><Amt Ccy="CHF">580.00</Amt></InstdAmt><TxAmt><Amt Ccy="EUR">600.00</Amt></TxAmt></AmtDtls>
     <RltdPties><Dbtr><Nm>Les Jardins du Buëch</Nm></Dbtr></RltdPties>
     <RmtInf><Ustrd>Remboursement AV-2026-0007</Ustrd><Ustrd>mars</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">45.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><DtTm>2026-03-07T10:00:00+01:00</DtTm></BookgDt>
    <NtryDtls><TxDtls>
     <Refs><EndToEndId>FACT-99</EndToEndId></Refs>
     <RltdPties><Cdtr><Nm>Imprimerie Alpine</Nm></Cdtr></RltdPties>
     <RmtInf><Ustrd>Facture 99</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
    <BookgDt><Dt>2026-03-08</Dt></BookgDt>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-03-10</Dt></BookgDt>
    <AddtlNtryInf>REMISE PRELEVEMENTS SEPA</AddtlNtryInf>
    <NtryDtls>
     <Btch><NbOfTxs>2</NbOfTxs></Btch>
     <TxDtls>
      <Refs><EndToEndId>AV-2026-0001-20260310</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">100.00</Amt></TxAmt></AmtDtls>
      <RmtInf><Ustrd>Avance AV-2026-0001</Ustrd></RmtInf>
     </TxDtls>
     <TxDtls>
      <Refs><EndToEndId>AV-2026-0002-20260310</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">200.00</Amt></TxAmt></AmtDtls>
      <RmtInf><Ustrd>Avance AV-2026-0002</Ustrd></RmtInf>
     </TxDtls>
    </NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">12.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-03-11</Dt></BookgDt>
    <AddtlNtryInf>INTERETS CREDITEURS</AddtlNtryInf>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>
"""

CAMT_08 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>STMT-8</MsgId><CreDtTm>2026-04-30T18:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>8</Id>
   <Ntry>
    <Amt Ccy="EUR">1234.56</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>2026-04-02</Dt></BookgDt>
    <NtryDtls><TxDtls>
     <Refs><EndToEndId>E2E-XYZ</EndToEndId></Refs>
     <Amt Ccy="EUR">1234.56</Amt><CdtDbtInd>CRDT</CdtDbtInd>
     <RltdPties><Dbtr><Pty><Nm>Coopérative des Écrins</Nm></Pty></Dbtr></RltdPties>
     <RmtInf><Strd><CdtrRefInf><Ref>AV-2026-0003</Ref></CdtrRefInf><AddtlRmtInf>solde</AddtlRmtInf></Strd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>
"""


def test_camt_053_version_02() -> None:
    lines = parse_camt053(CAMT_02.encode())

    assert lines == [
        # The booked amount, not the one instructed in francs; NOTPROVIDED is no reference.
        StatementLine(D(2026, 3, 5), 60000, "", "Remboursement AV-2026-0007 mars", "Les Jardins du Buëch", ""),
        # Money out: the other party is the creditor.
        StatementLine(D(2026, 3, 7), -4550, "FACT-99", "Facture 99", "Imprimerie Alpine", "FACT-99"),
        # The pending entry is left out; the batch gives one line per transaction.
        StatementLine(
            D(2026, 3, 10), 10000, "AV-2026-0001-20260310", "Avance AV-2026-0001", "", "AV-2026-0001-20260310"
        ),
        StatementLine(
            D(2026, 3, 10), 20000, "AV-2026-0002-20260310", "Avance AV-2026-0002", "", "AV-2026-0002-20260310"
        ),
        StatementLine(D(2026, 3, 11), 1200, "", "INTERETS CREDITEURS", ""),
    ]


def test_camt_053_version_08_with_a_structured_reference() -> None:
    (line,) = parse_camt053(CAMT_08.encode())

    assert line == StatementLine(D(2026, 4, 2), 123456, "AV-2026-0003", "solde", "Coopérative des Écrins", "E2E-XYZ")


def test_a_batch_whose_details_do_not_add_up_stays_one_line() -> None:
    data = CAMT_02.replace('<Amt Ccy="EUR">200.00</Amt>', '<Amt Ccy="EUR">150.00</Amt>').encode()

    batch = [line for line in parse_camt053(data) if line.booked_on == D(2026, 3, 10)]

    assert batch == [StatementLine(D(2026, 3, 10), 30000, "", "REMISE PRELEVEMENTS SEPA", "")]


def test_every_camt_053_version_from_02_to_08_is_read() -> None:
    for version in range(2, 9):
        data = CAMT_08.replace("camt.053.001.08", f"camt.053.001.{version:02d}").encode()
        assert parse_camt053(data)[0].amount_cents == 123456


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (CAMT_02.replace("camt.053.001.02", "camt.054.001.02"), "not_camt053"),
        (CAMT_02.replace("camt.053.001.02", "camt.053.001.13"), "not_camt053"),
        (CAMT_02.replace("</Document>", ""), "xml"),
        (CAMT_02.replace('<Amt Ccy="EUR">45.50</Amt>', '<Amt Ccy="USD">45.50</Amt>'), "currency"),
        (CAMT_02.replace("<CdtDbtInd>DBIT</CdtDbtInd>", ""), "credit_debit"),
        (CAMT_02.replace(">45.50<", ">45,50<"), "amount"),
        (CAMT_02.replace(">45.50<", ">45.505<"), "amount"),
        (CAMT_02.replace("<BookgDt><Dt>2026-03-05</Dt></BookgDt><ValDt><Dt>2026-03-06</Dt></ValDt>", ""), "date"),
    ],
)
def test_a_wrong_camt_file_is_refused_with_the_entry(data: str, code: str) -> None:
    with pytest.raises(StatementError) as caught:
        parse_camt053(data.encode())

    assert caught.value.code == code


def test_the_error_names_the_entry_and_the_element() -> None:
    data = CAMT_02.replace('<Amt Ccy="EUR">45.50</Amt>', '<Amt Ccy="USD">45.50</Amt>').encode()

    with pytest.raises(StatementError) as caught:
        parse_camt053(data)

    assert (caught.value.line, caught.value.column) == (2, "Amt")


def test_a_document_type_declaration_is_refused_before_parsing() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>'
    )

    with pytest.raises(StatementError) as caught:
        parse_camt053(bomb.encode())

    assert caught.value.code == "doctype"


def test_the_versions_read_are_02_to_08() -> None:
    assert bankstatements.CAMT053_VERSIONS[0].endswith("camt.053.001.02")
    assert bankstatements.CAMT053_VERSIONS[-1].endswith("camt.053.001.08")
