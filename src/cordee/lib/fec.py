"""The accounting entries file ("fichier des écritures comptables", FEC) of article A47 A-1 of the
Livre des procédures fiscales, commented in BOI-CF-IOR-60-40-20. No Django here: plain rows in,
text out, so the command line and a web page write the same bytes.

What the article fixes, and where this module does it:
- a flat file, one record a line, one field separator that appears in no value, a first line
  naming the 18 fields in this order (`COLUMNS`, `write`);
- dates as YYYYMMDD, amounts in base ten with a decimal comma and no thousands separator, both
  Debit and Credit filled (`format_date`, `format_amount`);
- entries numbered in a continuous sequence within each journal, in the order in which they were
  validated (`number_entries`);
- the balances carried over from the previous year ("à-nouveaux") as the first entry
  (`opening_entry`);
- the file named <SIREN>FEC<closing date YYYYMMDD>.txt (`filename`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
SEPARATORS = ("\t", "|")
LINE_END = "\r\n"  # "retour chariot et/ou fin de ligne": CR LF suits every reader

OPENING_JOURNAL = ("AN", "À-nouveaux")
# Class 89 "Bilan" of the chart of accounts: the counterpart that makes the opening entry balance.
OPENING_ACCOUNT = ("890000", "Bilan d'ouverture")
# Only the balance-sheet accounts (classes 1 to 5) are carried over; income and expenses
# (classes 6 and 7) start each year at zero.
BALANCE_SHEET_CLASSES = frozenset("12345")


@dataclass(frozen=True, slots=True)
class Posting:
    """One line of an entry: one side of one account, in cents."""

    account_num: str
    account_lib: str
    debit: int = 0
    credit: int = 0
    aux_num: str = ""
    aux_lib: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """An accounting entry ("écriture"): postings whose debits equal their credits."""

    journal_code: str
    journal_lib: str
    date: dt.date
    piece_ref: str
    piece_date: dt.date
    label: str
    valid_date: dt.date
    postings: tuple[Posting, ...]


@dataclass(frozen=True, slots=True)
class Balance:
    """An account's balance (debits minus credits, in cents) at the end of the previous year."""

    account_num: str
    account_lib: str
    balance: int
    aux_num: str = ""
    aux_lib: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One record of the file, field for field (`COLUMNS`)."""

    journal_code: str
    journal_lib: str
    entry_num: str
    entry_date: dt.date
    account_num: str
    account_lib: str
    aux_num: str
    aux_lib: str
    piece_ref: str
    piece_date: dt.date
    label: str
    debit: int
    credit: int
    lettering: str = ""
    lettering_date: dt.date | None = None
    valid_date: dt.date
    currency_amount: int | None = None
    currency: str = ""


def fiscal_year(year: int, year_end: str = "12-31") -> tuple[dt.date, dt.date]:
    """The first and last day of the fiscal year that closes in `year` ("MM-DD" of its last day).

    A year ending on 29 February closes on the 28th in common years."""
    try:
        month, day = (int(part) for part in year_end.split("-"))
        closing = _day(year, month, day)
        opening = _day(year - 1, month, day) + dt.timedelta(days=1)
    except ValueError:
        raise ValueError(f"the fiscal year end must be MM-DD, e.g. 12-31, not {year_end!r}") from None
    return opening, closing


def _day(year: int, month: int, day: int) -> dt.date:
    if month == 2 and day == 29:
        day = calendar.monthrange(year, 2)[1]
    return dt.date(year, month, day)


def filename(siren: str, closing: dt.date) -> str:
    return f"{siren}FEC{closing:%Y%m%d}.txt"


def format_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value:%Y%m%d}"


def format_amount(cents: int | None) -> str:
    """1234567 -> "12345,67": a decimal comma, no thousands separator."""
    if cents is None:
        return ""
    units, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{units},{rest:02d}"


def entry_number(journal_code: str, number: int) -> str:
    """Like "BQ-000042": unique in the file, and in the journal's order when sorted as text too."""
    return f"{journal_code}-{number:06d}"


def opening_entry(balances: Iterable[Balance], *, date: dt.date) -> Entry | None:
    """The à-nouveaux: each balance-sheet account's balance, on its side, against the opening
    account for the difference. None when there is nothing to carry over."""
    postings = []
    for row in sorted(balances, key=lambda b: (b.account_num, b.aux_num)):
        if not row.balance or row.account_num[:1] not in BALANCE_SHEET_CLASSES:
            continue
        postings.append(
            Posting(
                row.account_num,
                row.account_lib,
                debit=max(row.balance, 0),
                credit=max(-row.balance, 0),
                aux_num=row.aux_num,
                aux_lib=row.aux_lib,
            )
        )
    if not postings:
        return None
    difference = sum(p.debit - p.credit for p in postings)
    if difference:
        postings.append(Posting(*OPENING_ACCOUNT, debit=max(-difference, 0), credit=max(difference, 0)))
    journal_code, journal_lib = OPENING_JOURNAL
    return Entry(
        journal_code=journal_code,
        journal_lib=journal_lib,
        date=date,
        piece_ref=f"{journal_code}-{date:%Y%m%d}",
        piece_date=date,
        label=f"À-nouveaux au {date:%d/%m/%Y}",
        valid_date=date,
        postings=tuple(postings),
    )


def number_entries(entries: Iterable[Entry]) -> Iterator[Line]:
    """The file's records: each entry's postings, numbered per journal in the order given (which
    must be the order of validation), after checking that the entry balances."""
    counters: dict[str, int] = {}
    for entry in entries:
        debits = sum(p.debit for p in entry.postings)
        credits = sum(p.credit for p in entry.postings)
        if debits != credits or not entry.postings:
            raise ValueError(f"entry {entry.piece_ref!r} does not balance: {debits} debit, {credits} credit")
        if any(p.debit < 0 or p.credit < 0 for p in entry.postings):
            raise ValueError(f"entry {entry.piece_ref!r} has a negative amount")
        counters[entry.journal_code] = number = counters.get(entry.journal_code, 0) + 1
        entry_num = entry_number(entry.journal_code, number)
        for posting in entry.postings:
            yield Line(
                journal_code=entry.journal_code,
                journal_lib=entry.journal_lib,
                entry_num=entry_num,
                entry_date=entry.date,
                account_num=posting.account_num,
                account_lib=posting.account_lib,
                aux_num=posting.aux_num,
                aux_lib=posting.aux_lib,
                piece_ref=entry.piece_ref,
                piece_date=entry.piece_date,
                label=entry.label,
                debit=posting.debit,
                credit=posting.credit,
                valid_date=entry.valid_date,
            )


def fields(line: Line) -> tuple[str, ...]:
    """The 18 values of a record, formatted, in the order of `COLUMNS`."""
    return (
        line.journal_code,
        line.journal_lib,
        line.entry_num,
        format_date(line.entry_date),
        line.account_num,
        line.account_lib,
        line.aux_num,
        line.aux_lib,
        line.piece_ref,
        format_date(line.piece_date),
        line.label,
        format_amount(line.debit),
        format_amount(line.credit),
        line.lettering,
        format_date(line.lettering_date),
        format_date(line.valid_date),
        format_amount(line.currency_amount),
        line.currency,
    )


def clean(value: str, separator: str) -> str:
    """The file has no quoting: a separator or a line break inside a value would cut the record."""
    for char in (separator, "\t", "\r", "\n"):
        value = value.replace(char, " ")
    return value.strip()


def write(lines: Iterable[Line], stream: TextIO, *, separator: str = "\t") -> int:
    """Write the header and the records; return the number of records written."""
    if separator not in SEPARATORS:
        raise ValueError(f"the FEC separator is a tab or |, not {separator!r}")
    stream.write(separator.join(COLUMNS) + LINE_END)
    count = 0
    for line in lines:
        stream.write(separator.join(clean(value, separator) for value in fields(line)) + LINE_END)
        count += 1
    return count
