"""The FEC writer on plain rows: formats, numbering, the opening entry, the file name."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from cordee.lib import fec

D = dt.date


def _entry(journal: str, day: D, postings: tuple[fec.Posting, ...], label: str = "x") -> fec.Entry:
    return fec.Entry(
        journal_code=journal,
        journal_lib=journal,
        date=day,
        piece_ref=f"p-{label}",
        piece_date=day,
        label=label,
        valid_date=day,
        postings=postings,
    )


def _pair(debit: str, credit: str, cents: int) -> tuple[fec.Posting, ...]:
    return (fec.Posting(debit, debit, debit=cents), fec.Posting(credit, credit, credit=cents))


def test_amounts_have_a_decimal_comma_and_no_thousands_separator() -> None:
    assert fec.format_amount(0) == "0,00"
    assert fec.format_amount(5) == "0,05"
    assert fec.format_amount(123456) == "1234,56"
    assert fec.format_amount(100000000) == "1000000,00"
    assert fec.format_amount(-250) == "-2,50"
    assert fec.format_amount(None) == ""


def test_dates_are_yyyymmdd() -> None:
    assert fec.format_date(D(2025, 3, 7)) == "20250307"
    assert fec.format_date(None) == ""


def test_the_file_is_named_siren_fec_closing_date() -> None:
    assert fec.filename("123456782", D(2025, 12, 31)) == "123456782FEC20251231.txt"


def test_fiscal_year_follows_its_closing_day() -> None:
    assert fec.fiscal_year(2025) == (D(2025, 1, 1), D(2025, 12, 31))
    assert fec.fiscal_year(2025, "06-30") == (D(2024, 7, 1), D(2025, 6, 30))
    assert fec.fiscal_year(2025, "02-29") == (D(2024, 3, 1), D(2025, 2, 28))
    assert fec.fiscal_year(2024, "02-29") == (D(2023, 3, 1), D(2024, 2, 29))
    with pytest.raises(ValueError, match="MM-DD"):
        fec.fiscal_year(2025, "31/12")


def test_entries_are_numbered_continuously_within_each_journal() -> None:
    entries = [
        _entry("BQ", D(2025, 1, 2), _pair("512000", "756000", 100)),
        _entry("OD", D(2025, 1, 3), _pair("467000", "512000", 50)),
        _entry("BQ", D(2025, 1, 1), _pair("512000", "756000", 10)),
    ]
    numbers = [(line.journal_code, line.entry_num) for line in fec.number_entries(entries)]
    assert numbers == [
        ("BQ", "BQ-000001"),
        ("BQ", "BQ-000001"),
        ("OD", "OD-000001"),
        ("OD", "OD-000001"),
        ("BQ", "BQ-000002"),
        ("BQ", "BQ-000002"),
    ]


def test_an_entry_that_does_not_balance_is_refused() -> None:
    lopsided = (fec.Posting("512000", "Banque", debit=100), fec.Posting("756000", "Cotisations", credit=99))
    with pytest.raises(ValueError, match="does not balance"):
        list(fec.number_entries([_entry("BQ", D(2025, 1, 1), lopsided)]))


def test_the_opening_entry_carries_balance_sheet_accounts_against_890000() -> None:
    balances = [
        fec.Balance("512000", "Banque", 150000),
        fec.Balance("467100", "Avance Jardins", 20000, aux_num="794834432", aux_lib="Les Jardins"),
        fec.Balance("102000", "Fonds associatifs", -100000),
        fec.Balance("756000", "Cotisations", -70000),  # class 7: not carried over
        fec.Balance("401000", "Fournisseurs", 0),  # nothing to carry
    ]
    entry = fec.opening_entry(balances, date=D(2026, 1, 1))
    assert entry is not None
    assert (entry.journal_code, entry.date, entry.valid_date) == ("AN", D(2026, 1, 1), D(2026, 1, 1))
    assert [(p.account_num, p.aux_num, p.debit, p.credit) for p in entry.postings] == [
        ("102000", "", 0, 100000),
        ("467100", "794834432", 20000, 0),
        ("512000", "", 150000, 0),
        ("890000", "", 0, 70000),
    ]
    assert sum(p.debit for p in entry.postings) == sum(p.credit for p in entry.postings)


def test_there_is_no_opening_entry_when_nothing_is_carried_over() -> None:
    assert fec.opening_entry([fec.Balance("706000", "Prestations", -500)], date=D(2025, 1, 1)) is None
    assert fec.opening_entry([], date=D(2025, 1, 1)) is None


def test_written_file_has_the_header_and_18_fields_per_line() -> None:
    entry = _entry("BQ", D(2025, 2, 3), _pair("512000", "756000", 123456), label="Cotisation\t2025\nJardins")
    stream = io.StringIO()
    assert fec.write(fec.number_entries([entry]), stream) == 2
    text = stream.getvalue()
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert lines[0] == "\t".join(fec.COLUMNS)
    assert lines[1].split("\t") == [
        "BQ", "BQ", "BQ-000001", "20250203", "512000", "512000", "", "", "p-Cotisation 2025 Jardins",
        "20250203", "Cotisation 2025 Jardins", "1234,56", "0,00", "", "", "20250203", "", "",
    ]  # fmt: skip
    assert all(len(line.split("\t")) == 18 for line in lines)


def test_the_pipe_separator_is_removed_from_values() -> None:
    entry = _entry("OD", D(2025, 2, 3), _pair("512000", "756000", 1), label="a|b")
    stream = io.StringIO()
    fec.write(fec.number_entries([entry]), stream, separator="|")
    assert all(len(line.split("|")) == 18 for line in stream.getvalue().splitlines())
    with pytest.raises(ValueError, match="tab or"):
        fec.write([], io.StringIO(), separator=";")
