"""The hledger journal writer on plain rows: amounts, account names, the text written."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from cordee.lib import hledger

EUR = hledger.Commodity("EUR", 2)
MIN = hledger.Commodity("MIN", 0)


def test_amounts_are_written_in_units_with_the_commodity() -> None:
    assert EUR.format(1234) == "12.34 EUR"
    assert EUR.format(-5) == "-0.05 EUR"
    assert EUR.format(123456789) == "1234567.89 EUR"
    assert MIN.format(90) == "90 MIN"
    assert MIN.format(-90) == "-90 MIN"


def test_commodity_directives_always_show_the_decimal_mark() -> None:
    assert EUR.directive() == "commodity 1,000.00 EUR"
    assert MIN.directive() == "commodity 1,000. MIN"
    assert hledger.Commodity("H2", 0).format(3) == '3 "H2"'


def test_account_names_avoid_what_hledger_reads_specially() -> None:
    assert hledger.account_name("EUR", "512000", "Banque") == "EUR:512000 Banque"
    assert hledger.account_name("EUR", "467:1", "Avance  Jardins;\tété") == "EUR:467-1 Avance Jardins, été"
    assert hledger.account_name("HOURS", "1", "") == "HOURS:1"


def _journal(transactions: list[hledger.Transaction], accounts: list[str]) -> str:
    stream = io.StringIO()
    hledger.write_journal(
        stream,
        commodities=[EUR],
        accounts=[(name, [("cordee_id", str(i))]) for i, name in enumerate(accounts, 1)],
        transactions=transactions,
        header=["Test"],
    )
    return stream.getvalue()


def test_the_journal_declares_then_lists_the_transactions() -> None:
    transaction = hledger.Transaction(
        date=dt.date(2025, 1, 15),
        code="EUR-1",
        description="Cotisation; 2025",
        postings=(
            hledger.Posting("EUR:512000 Banque", 1234, EUR),
            hledger.Posting("EUR:756000 Cotisations", -1234, EUR),
        ),
        tags=(("transfer", "abc"), ("reference", "invoice:4,2"), ("piece", "")),
    )
    assert _journal([transaction], ["EUR:512000 Banque", "EUR:756000 Cotisations"]) == (
        "; Test\n"
        "\n"
        "commodity 1,000.00 EUR\n"
        "\n"
        "account EUR:512000 Banque  ; cordee_id:1\n"
        "account EUR:756000 Cotisations  ; cordee_id:2\n"
        "\n"
        "2025-01-15 (EUR-1) Cotisation, 2025  ; transfer:abc, reference:invoice:4;2\n"
        "    EUR:512000 Banque  12.34 EUR\n"
        "    EUR:756000 Cotisations  -12.34 EUR\n"
    )


def test_two_accounts_with_one_name_are_refused() -> None:
    with pytest.raises(ValueError, match="same hledger name"):
        _journal([], ["EUR:1 A", "EUR:1 A"])


def test_an_unbalanced_or_undeclared_transaction_is_refused() -> None:
    unbalanced = hledger.Transaction(
        dt.date(2025, 1, 1), "EUR-1", "x", (hledger.Posting("EUR:1", 1, EUR), hledger.Posting("EUR:2", -2, EUR))
    )
    with pytest.raises(ValueError, match="does not balance"):
        _journal([unbalanced], ["EUR:1", "EUR:2"])
    with pytest.raises(ValueError, match="not declared"):
        _journal([unbalanced], ["EUR:1"])
