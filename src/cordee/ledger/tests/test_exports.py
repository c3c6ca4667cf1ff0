"""The FEC and the hledger journal, on a worked example a treasurer can check by hand.

The hub over two years (amounts in euros):

2024  10 Jan  BQ  bank 512000 <- associative funds 102000           1,000.00
      5 Mar   BQ  bank 512000 <- membership fees 756000 (recorded 8 Mar)   250.00
      1 Jun   TR  advance to Les Jardins 467100 <- bank 512000          300.00
      1 Jul   --  supplies 50.00 reserved, then voided                  (not an entry)
      1 Aug   AC  supplies 80.00 reserved; 2 Aug posted for 60.00,
                  the post taking the reservation's journal, label and piece        60.00
      12 Sep  hours: 90 minutes from Les Jardins' time account to the common pot (not money)
      30 Nov  --  bank charges 627000 <- bank 512000, no journal: OD          5.00
2025  1 Feb   TR  bank 512000 <- Les Jardins 467100 (partial repayment)  100.00
      15 Feb  AC  supplies 606000 <- bank 512000                          12.34

Balances at the end of 2024: bank 885.00 debit, funds 1,000.00 credit, Les Jardins 300.00
debit, fees 250.00 credit, supplies 60.00 and bank charges 5.00 debit. The à-nouveaux of 2025
carry the first three (classes 1 to 5) and 890000 takes the difference, 185.00 credit: the 2024
surplus, 250 - 60 - 5.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cordee.core.testing import Actors
from cordee.ledger import exports
from cordee.ledger.codes import Result
from cordee.ledger.models import Account, Transfer
from cordee.ledger.posting import TransferSpec, transfers_create
from cordee.ledger.services import account_open
from cordee.lib import fec

HUB_SIREN = "123456782"


@pytest.fixture(autouse=True)
def _hub(settings):  # type: ignore[no-untyped-def]
    settings.HUB_SIREN = HUB_SIREN
    settings.FISCAL_YEAR_END = "12-31"


@dataclass
class Book:
    bank: Account
    funds: Account
    fees: Account
    advance: Account
    supplies: Account
    charges: Account
    hours_jardins: Account
    hours_pot: Account
    siren: str


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def post(
    debit: Account | None,
    credit: Account | None,
    cents: int,
    day: dt.date,
    *,
    recorded: dt.datetime | None = None,
    ledger: str = "EUR",
    **fields: Any,
) -> uuid.UUID:
    spec = TransferSpec(
        id=uuid.uuid4(),
        ledger=ledger,
        amount=cents,
        debit_account_id=debit.pk if debit else None,
        credit_account_id=credit.pk if credit else None,
        value_date=day,
        **fields,
    )
    assert transfers_create([spec], now=recorded or _at(day)) == [Result.OK]
    return spec.id


@pytest.fixture
def book(actors: Actors) -> Book:
    jardins = actors.org_a
    b = Book(
        bank=account_open(ledger="EUR", number="512000", label="Banque"),
        funds=account_open(ledger="EUR", number="102000", label="Fonds associatifs"),
        fees=account_open(ledger="EUR", number="756000", label="Cotisations"),
        advance=account_open(ledger="EUR", number="467100", label="Avance remboursable", owner=jardins),
        supplies=account_open(ledger="EUR", number="606000", label="Achats non stockés"),
        charges=account_open(ledger="EUR", number="627000", label="Services bancaires"),
        hours_jardins=account_open(ledger="HOURS", number="H100", label="Temps des Jardins", owner=jardins),
        hours_pot=account_open(ledger="HOURS", number="H900", label="Pot commun"),
        siren=jardins.siren,
    )
    d = dt.date
    post(b.bank, b.funds, 100000, d(2024, 1, 10), journal="BQ", label="Apport fonds associatifs", piece="REL-01")
    post(
        b.bank,
        b.fees,
        25000,
        d(2024, 3, 5),
        recorded=dt.datetime(2024, 3, 7, 23, 30, tzinfo=dt.UTC),  # 8 March, 00:30 in Paris
        journal="BQ",
        label="Cotisation 2024",
        reference="fee:1",
    )
    post(b.advance, b.bank, 30000, d(2024, 6, 1), journal="TS", label="Avance Jardins", piece="AV-1")
    voided = post(b.supplies, b.bank, 5000, d(2024, 7, 1), pending=True, journal="AC", label="Réservé")
    post(None, None, 0, d(2024, 7, 2), void_pending=True, pending_id=voided, journal="AC", label="Annulé")
    reserved = post(
        b.supplies, b.bank, 8000, d(2024, 8, 1), pending=True, journal="AC", label="Fournitures", piece="BC-12"
    )
    post(None, None, 6000, d(2024, 8, 2), post_pending=True, pending_id=reserved)
    post(b.hours_jardins, b.hours_pot, 90, d(2024, 9, 12), ledger="HOURS", label="Atelier")
    post(b.charges, b.bank, 500, d(2024, 11, 30), label="Frais de tenue de compte")
    post(b.bank, b.advance, 10000, d(2025, 2, 1), journal="TS", label="Remboursement partiel", piece="AV-1-R1")
    post(b.supplies, b.bank, 1234, d(2025, 2, 15), journal="AC", label="Papeterie", piece="F-77")
    return b


def fec_text(year: int, separator: str = "\t") -> str:
    stream = io.StringIO()
    exports.write_fec(year, stream, separator=separator)
    return stream.getvalue()


def records(year: int) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(fec_text(year)), delimiter="\t", quoting=csv.QUOTE_NONE))


def cents(amount: str) -> int:
    units, decimals = amount.split(",")
    return int(units) * 100 + int(decimals)


# --- The FEC -----------------------------------------------------------------------------------


def number(**lookup: Any) -> int:
    """The sequence of one transfer of the book (PostgreSQL's sequence is not rolled back with each
    test, so the numbers differ from one test to the next)."""
    return Transfer.objects.get(**lookup).sequence


def test_the_first_year_is_exactly_what_a_treasurer_would_write(book: Book) -> None:
    aux = f"{book.siren}|Les Jardins du Buëch"
    charges = number(label="Frais de tenue de compte")
    assert fec_text(2024, separator="|").splitlines() == [
        "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|"
        "PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise",
        "BQ|Banque|BQ-000001|20240110|512000|Banque|||REL-01|20240110|Apport fonds associatifs|1000,00|0,00|||"
        "20240110||",
        "BQ|Banque|BQ-000001|20240110|102000|Fonds associatifs|||REL-01|20240110|Apport fonds associatifs|0,00|"
        "1000,00|||20240110||",
        "BQ|Banque|BQ-000002|20240305|512000|Banque|||fee:1|20240305|Cotisation 2024|250,00|0,00|||20240308||",
        "BQ|Banque|BQ-000002|20240305|756000|Cotisations|||fee:1|20240305|Cotisation 2024|0,00|250,00|||20240308||",
        f"TS|Trésorerie solidaire|TS-000001|20240601|467100|Avance remboursable|{aux}|AV-1|20240601|Avance Jardins|"
        "300,00|0,00|||20240601||",
        "TS|Trésorerie solidaire|TS-000001|20240601|512000|Banque|||AV-1|20240601|Avance Jardins|0,00|300,00|||"
        "20240601||",
        "AC|Achats|AC-000001|20240802|606000|Achats non stockés|||BC-12|20240802|Fournitures|60,00|0,00|||20240802||",
        "AC|Achats|AC-000001|20240802|512000|Banque|||BC-12|20240802|Fournitures|0,00|60,00|||20240802||",
        f"OD|Opérations diverses|OD-000001|20241130|627000|Services bancaires|||transfer:{charges}|20241130|"
        "Frais de tenue de compte|5,00|0,00|||20241130||",
        f"OD|Opérations diverses|OD-000001|20241130|512000|Banque|||transfer:{charges}|20241130|"
        "Frais de tenue de compte|0,00|5,00|||20241130||",
    ]


def test_the_second_year_opens_with_the_balances_of_the_first(book: Book) -> None:
    aux = f"{book.siren}|Les Jardins du Buëch"
    lines = fec_text(2025, separator="|").splitlines()
    assert lines[1:5] == [
        "AN|À-nouveaux|AN-000001|20250101|102000|Fonds associatifs|||AN-20250101|20250101|À-nouveaux au 01/01/2025|"
        "0,00|1000,00|||20250101||",
        f"AN|À-nouveaux|AN-000001|20250101|467100|Avance remboursable|{aux}|AN-20250101|20250101|"
        "À-nouveaux au 01/01/2025|300,00|0,00|||20250101||",
        "AN|À-nouveaux|AN-000001|20250101|512000|Banque|||AN-20250101|20250101|À-nouveaux au 01/01/2025|"
        "885,00|0,00|||20250101||",
        "AN|À-nouveaux|AN-000001|20250101|890000|Bilan d'ouverture|||AN-20250101|20250101|"
        "À-nouveaux au 01/01/2025|0,00|185,00|||20250101||",
    ]
    assert [line.split("|")[2] for line in lines[5:]] == ["TS-000001", "TS-000001", "AC-000001", "AC-000001"]


def test_opening_balances_are_the_previous_closing_balances_of_classes_1_to_5(book: Book) -> None:
    post(book.supplies, book.bank, 999, dt.date(2025, 12, 31), journal="AC", label="Dernier jour")
    post(book.bank, book.fees, 777, dt.date(2026, 1, 1), journal="BQ", label="Premier jour")

    def by_account(rows: list[dict[str, str]]) -> dict[str, int]:
        sums: dict[str, int] = defaultdict(int)
        for row in rows:
            sums[row["CompteNum"]] += cents(row["Debit"]) - cents(row["Credit"])
        return sums

    year_2025, year_2026 = records(2025), records(2026)
    closing = by_account(year_2025)  # its own à-nouveaux plus its movements
    opening = by_account([row for row in year_2026 if row["JournalCode"] == "AN"])
    expected = {n: b for n, b in closing.items() if n[0] in "12345" and b}
    assert {n: b for n, b in opening.items() if n != "890000"} == expected
    assert sum(opening.values()) == 0
    assert opening["890000"] == -sum(expected.values())


def test_every_line_has_18_fields_dates_and_comma_amounts(book: Book) -> None:
    text = fec_text(2025)
    lines = text.split("\r\n")
    assert lines[-1] == "" and len(lines) == 1 + 8 + 1
    assert lines[0].split("\t") == list(fec.COLUMNS)
    date, amount = re.compile(r"^\d{8}$"), re.compile(r"^\d+,\d\d$")
    for line in lines[1:-1]:
        row = dict(zip(fec.COLUMNS, line.split("\t"), strict=True))
        for column in ("EcritureDate", "PieceDate", "ValidDate"):
            assert date.match(row[column]), (column, line)
            dt.datetime.strptime(row[column], "%Y%m%d")  # a real day
        assert amount.match(row["Debit"]) and amount.match(row["Credit"]), line
        assert (cents(row["Debit"]) == 0) != (cents(row["Credit"]) == 0), line
        assert row["EcritureLib"] and row["PieceRef"] and row["CompteLib"]


def test_entry_numbers_are_continuous_per_journal_in_the_order_of_validation(book: Book) -> None:
    # Recorded after the others, but dated earlier: the number follows validation, the date stays.
    late = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    post(book.supplies, book.bank, 500, dt.date(2025, 1, 20), recorded=late, journal="AC", label="Oubli")
    for n in range(3):
        post(book.bank, book.fees, 100 + n, dt.date(2025, 4, 1 + n), journal="BQ", label=f"Cotisation {n}")
    rows = records(2025)
    numbers: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        journal, number = row["EcritureNum"].split("-")
        assert journal == row["JournalCode"]
        if not numbers[journal] or numbers[journal][-1] != int(number):
            numbers[journal].append(int(number))
    assert numbers == {"AN": [1], "TS": [1], "AC": [1, 2], "BQ": [1, 2, 3]}
    oubli = [row for row in rows if row["EcritureLib"] == "Oubli"]
    assert {(r["EcritureNum"], r["EcritureDate"], r["ValidDate"]) for r in oubli} == {
        ("AC-000002", "20250120", "20250301")
    }
    for entry in {row["EcritureNum"] for row in rows}:
        lines = [row for row in rows if row["EcritureNum"] == entry]
        assert sum(cents(r["Debit"]) for r in lines) == sum(cents(r["Credit"]) for r in lines), entry


def test_reservations_their_voids_and_the_hours_are_not_accounting_entries(book: Book) -> None:
    rows = records(2024)
    assert {row["EcritureLib"] for row in rows} == {
        "Apport fonds associatifs",
        "Cotisation 2024",
        "Avance Jardins",
        "Fournitures",
        "Frais de tenue de compte",
    }
    assert {row["EcritureNum"] for row in rows if row["EcritureLib"] == "Fournitures"} == {"AC-000001"}
    assert sum(cents(row["Debit"]) for row in rows if row["EcritureLib"] == "Fournitures") == 6000
    assert not {"H100", "H900"} & {row["CompteNum"] for row in rows}
    assert Transfer.objects.filter(value_date__year=2024).exclude(kind__in=exports.POSTED_KINDS).count() == 3


def test_a_year_before_any_movement_has_only_the_header(book: Book) -> None:
    assert fec_text(2023) == "\t".join(fec.COLUMNS) + "\r\n"


def test_the_export_reads_in_a_fixed_number_of_queries(book: Book, django_assert_max_num_queries: Any) -> None:
    for n in range(40):
        post(book.bank, book.fees, 100 + n, dt.date(2025, 5, 1), journal="BQ", label=f"Cotisation {n}")
    seen: list[int] = []

    def progress(rows: Any, total: int) -> Any:
        seen.append(total)
        return rows

    with django_assert_max_num_queries(8):
        assert exports.write_fec(2025, io.StringIO(), progress) == 4 + 2 * 42
    assert seen == [42]


def test_the_file_name_is_siren_fec_closing_date(book: Book, settings: Any) -> None:
    assert exports.fec_filename(2025) == "123456782FEC20251231.txt"
    settings.FISCAL_YEAR_END = "06-30"
    assert exports.fec_filename(2025) == "123456782FEC20250630.txt"
    assert exports.fiscal_year(2025) == (dt.date(2024, 7, 1), dt.date(2025, 6, 30))


def test_the_command_names_the_file_in_a_folder(book: Book, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("export_fec", "--year", "2025", "--output", str(tmp_path), stdout=out, stderr=io.StringIO())
    written = tmp_path / "123456782FEC20251231.txt"
    assert [p.name for p in tmp_path.iterdir()] == [written.name]
    assert written.read_bytes().decode("utf-8") == fec_text(2025)
    assert "8 lines written" in out.getvalue()


def test_the_command_warns_when_the_file_name_is_not_the_legal_one(book: Book, tmp_path: Path) -> None:
    err = io.StringIO()
    target = tmp_path / "fec-2025.txt"
    call_command(
        "export_fec", "--year=2025", f"--output={target}", "--separator=pipe", stdout=io.StringIO(), stderr=err
    )
    assert "requires 123456782FEC20251231.txt" in err.getvalue()
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("JournalCode|JournalLib|")


def test_the_command_can_write_iso_8859_15(book: Book, tmp_path: Path) -> None:
    call_command("export_fec", "--year=2025", f"--output={tmp_path}", "--encoding=iso-8859-15", stdout=io.StringIO())
    data = (tmp_path / "123456782FEC20251231.txt").read_bytes()
    assert "À-nouveaux".encode("iso-8859-15") in data


def test_a_wrong_hub_siren_stops_the_export(book: Book, settings: Any, tmp_path: Path) -> None:
    settings.HUB_SIREN = "123456789"
    with pytest.raises(CommandError, match="CORDEE_HUB_SIREN"):
        call_command("export_fec", "--year=2025", f"--output={tmp_path}", stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []


# --- hledger -----------------------------------------------------------------------------------


def hledger_binary() -> str:
    found = shutil.which("hledger")
    if found is None:
        reason = "hledger is not installed (Debian package hledger)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI installs it, so this is a broken CI set-up", pytrace=False)
        pytest.skip(reason)
    return found


def run_hledger(journal: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - a fixed program, arguments of our own
        [hledger_binary(), "-f", str(journal), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def hledger_amount(text: str) -> tuple[int, str]:
    """ "1,234.56 EUR" -> (123456, "EUR"); "90 MIN" -> (90, "MIN"); "0" -> (0, "")."""
    number, _, symbol = text.strip().partition(" ")
    value = Decimal(number.replace(",", ""))
    return int(value * 100) if symbol == "EUR" else int(value), symbol


def write_journal(tmp_path: Path) -> Path:
    path = tmp_path / "cordee.journal"
    call_command("export_hledger", f"--output={path}", stdout=io.StringIO())
    return path


def test_hledger_reports_the_same_balance_as_cordee_for_every_account(book: Book, tmp_path: Path) -> None:
    journal = write_journal(tmp_path)
    run_hledger(journal, "check", "--strict")  # declared accounts and commodities, balanced transactions
    table = run_hledger(journal, "bal", "-O", "csv", "--no-total", "--flat", "-E")
    reported = {row["account"]: hledger_amount(row["balance"]) for row in csv.DictReader(io.StringIO(table))}
    accounts = Account.objects.select_related("ledger")
    assert accounts.count() == 8
    for account in accounts:
        name = f"{account.ledger.code}:{account.number} {account.label}"
        amount, symbol = reported.get(name, (0, ""))
        assert amount == account.debits_posted - account.credits_posted, name
        if amount:
            assert symbol == {"EUR": "EUR", "HOURS": "MIN"}[account.ledger.code], name
    assert reported["EUR:512000 Banque"] == (88500 + 10000 - 1234, "EUR")
    assert reported["HOURS:H100 Temps des Jardins"] == (90, "MIN")


def test_the_hledger_journal_balances_to_zero(book: Book, tmp_path: Path) -> None:
    journal = write_journal(tmp_path)
    table = list(csv.reader(io.StringIO(run_hledger(journal, "bal", "-O", "csv"))))
    assert table[-1] == ["total", "0"]


def test_the_hledger_journal_holds_posted_movements_only_in_sequence_order(book: Book, tmp_path: Path) -> None:
    text = write_journal(tmp_path).read_text(encoding="utf-8")
    codes = re.findall(r"^\d{4}-\d\d-\d\d \((\w+-\d+)\)", text, re.M)
    eur = [
        number(label=label)
        for label in ("Apport fonds associatifs", "Cotisation 2024", "Avance Jardins", "Frais de tenue de compte")
    ]
    posted = Transfer.objects.get(kind=Transfer.Kind.POST_PENDING)
    later = [number(label="Remboursement partiel"), number(label="Papeterie")]
    assert codes == [
        *(f"EUR-{n}" for n in (*eur[:3], posted.sequence, eur[3], *later)),
        f"HOURS-{number(label='Atelier')}",
    ]
    assert f"transfer:{posted.id}" in text
    assert "commodity 1,000.00 EUR" in text and "commodity 1,000. MIN" in text
    assert "account EUR:467100 Avance remboursable  ; cordee_id:" in text
    assert "reference:fee:1" in text
    assert re.search(rf"^2024-08-02 \(EUR-{posted.sequence}\) Fournitures  ; .*journal:AC, piece:BC-12$", text, re.M)
    assert re.search(
        rf"^2024-09-12 \(HOURS-{number(label='Atelier')}\) Atelier .*\n    HOURS:H100 Temps des Jardins  90 MIN$",
        text,
        re.M,
    )


def test_every_journal_the_apps_post_to_has_its_name_in_the_fec() -> None:
    from cordee.projects import books as projects_books
    from cordee.treasury import books as treasury_books

    for journal in (treasury_books.JOURNAL, projects_books.JOURNAL, "VT", "BQ"):
        assert journal in exports.JOURNALS, journal


def test_a_balance_on_a_day_counts_the_entries_by_value_date(db: None) -> None:
    from cordee.ledger.selectors import balance_on

    d = dt.date
    bank = account_open(ledger="EUR", number="512100", label="Banque")
    funds = account_open(ledger="EUR", number="102100", label="Fonds")
    supplies = account_open(ledger="EUR", number="606100", label="Achats")
    fees = account_open(ledger="EUR", number="756100", label="Cotisations")
    post(bank, funds, 100_000, d(2025, 1, 10), label="Dotation")
    post(supplies, bank, 2_500, d(2025, 3, 1), label="Achats")
    # Recorded in March, but worth on 15 April: not in the balance of 31 March.
    post(bank, fees, 4_000, d(2025, 4, 15), recorded=_at(d(2025, 3, 20)), label="Cotisation")
    banks = Account.objects.filter(pk=bank.pk)
    assert balance_on(banks, d(2025, 1, 9)) == 0
    assert balance_on(banks, d(2025, 1, 10)) == 100_000
    assert balance_on(banks, d(2025, 3, 31)) == 97_500
    assert balance_on(banks, d(2025, 4, 15)) == 101_500
    both = Account.objects.filter(pk__in=[bank.pk, funds.pk])
    assert balance_on(both, d(2025, 12, 31)) == 101_500 - 100_000
