"""A journal that hledger (https://hledger.org) reads: plain-text double-entry accounting, so that
anyone can recompute Cordée's balances with another program. No Django here.

The journal declares each commodity and each account first, so `hledger check --strict` can
tell a typo from an account; then one transaction a movement, whose postings sum to zero.

hledger gives meaning to a few characters, which account names and descriptions must avoid:
two spaces or a tab end an account name, ":" separates its levels, ";" starts a comment, and a
comma ends a tag's value. `clean` rewrites them, and `write_journal` refuses two accounts whose
cleaned names collide, so that names stay one-to-one with the accounts they come from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True, slots=True)
class Commodity:
    """A unit, with the number of decimal places of its smallest amount (2: cents, 0: minutes)."""

    symbol: str
    places: int

    @property
    def quoted(self) -> str:
        return self.symbol if self.symbol.isalpha() else f'"{self.symbol}"'

    def directive(self) -> str:
        # The decimal mark is always written, "1,000. MIN" included: without it hledger would
        # read "1,000" as one with a decimal comma.
        return f"commodity 1,000.{'0' * self.places} {self.quoted}"

    def format(self, units: int) -> str:
        """1234 units of 0.01 -> "12.34 EUR"; 90 minutes -> "90 MIN". No thousands mark."""
        sign = "-" if units < 0 else ""
        if not self.places:
            return f"{sign}{abs(units)} {self.quoted}"
        whole, rest = divmod(abs(units), 10**self.places)
        return f"{sign}{whole}.{rest:0{self.places}d} {self.quoted}"


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    units: int
    commodity: Commodity


@dataclass(frozen=True, slots=True)
class Transaction:
    date: dt.date
    code: str
    description: str
    postings: tuple[Posting, ...]
    tags: tuple[tuple[str, str], ...] = ()


def clean(text: str) -> str:
    """One line, single spaces (two would end an account name)."""
    for char in ("\t", "\r", "\n"):
        text = text.replace(char, " ")
    return " ".join(text.split())


def _clean_name_part(text: str) -> str:
    return clean(text).replace(":", "-").replace(";", ",")


def account_name(top: str, number: str, label: str) -> str:
    """Like "EUR:512000 Banque": the ledger as the top level, then the account's number and label."""
    leaf = " ".join(part for part in (_clean_name_part(number), _clean_name_part(label)) if part)
    return f"{_clean_name_part(top)}:{leaf}"


def _tags(tags: Iterable[tuple[str, str]]) -> str:
    written = [f"{name}:{clean(value).replace(',', ';')}" for name, value in tags if value]
    return f"  ; {', '.join(written)}" if written else ""


def write_journal(
    stream: TextIO,
    *,
    commodities: Iterable[Commodity],
    accounts: Iterable[tuple[str, Sequence[tuple[str, str]]]],
    transactions: Iterable[Transaction],
    header: Sequence[str] = (),
) -> int:
    """Write the directives, then the transactions; return the number of transactions written.

    `accounts` are (name, tags) pairs. A transaction whose postings do not sum to zero in each
    commodity, or that names an account not declared, is refused (ValueError)."""
    for line in header:
        stream.write(f"; {clean(line)}\n")
    if header:
        stream.write("\n")
    for commodity in commodities:
        stream.write(commodity.directive() + "\n")
    stream.write("\n")
    declared: set[str] = set()
    for name, tags in accounts:
        if name in declared:
            raise ValueError(f"two accounts have the same hledger name {name!r}")
        declared.add(name)
        stream.write(f"account {name}{_tags(tags)}\n")
    count = 0
    for transaction in transactions:
        totals: dict[str, int] = {}
        for posting in transaction.postings:
            if posting.account not in declared:
                raise ValueError(f"transaction {transaction.code}: account {posting.account!r} is not declared")
            totals[posting.commodity.symbol] = totals.get(posting.commodity.symbol, 0) + posting.units
        if any(totals.values()):
            raise ValueError(f"transaction {transaction.code} does not balance: {totals}")
        code = f" ({clean(transaction.code).replace(')', ']')})" if transaction.code else ""
        description = clean(transaction.description).replace(";", ",")
        stream.write(f"\n{transaction.date.isoformat()}{code} {description}{_tags(transaction.tags)}\n")
        for posting in transaction.postings:
            stream.write(f"    {posting.account}  {posting.commodity.format(posting.units)}\n")
        count += 1
    return count
