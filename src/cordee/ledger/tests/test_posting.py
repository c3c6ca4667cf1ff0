"""Posting, one rule at a time: every result code with the smallest batch that produces it, then
pending transfers, expiry, linked chains, batch size, and what the database itself refuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from cordee.ledger.codes import Result
from cordee.ledger.models import GENESIS, Account, Entry, Transfer
from cordee.ledger.posting import (
    MAX_AMOUNT,
    MAX_BATCH,
    TransferSpec,
    expiry_id,
    pending_expire,
    transfer_hash,
    transfers_create,
)
from cordee.ledger.services import account_open
from cordee.ledger.verify import verify

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
HOUR = 3600


@dataclasses.dataclass
class Book:
    """Accounts of the tests: plain ones, one of each limit, and one of the other ledger."""

    a: Account
    b: Account
    c: Account
    no_overdraft: Account  # debits_must_not_exceed_credits
    no_overpay: Account  # credits_must_not_exceed_debits
    hours: Account
    hours_b: Account


@pytest.fixture
def book(db: Any) -> Book:
    return Book(
        a=account_open(ledger="EUR", number="512000", label="Banque"),
        b=account_open(ledger="EUR", number="411000", label="Membres"),
        c=account_open(ledger="EUR", number="706000", label="Prestations"),
        no_overdraft=account_open(
            ledger="EUR", number="455100", label="Apports des membres", debits_must_not_exceed_credits=True
        ),
        no_overpay=account_open(
            ledger="EUR", number="274000", label="Prêts aux membres", credits_must_not_exceed_debits=True
        ),
        hours=account_open(ledger="HOURS", number="H1", label="Heures A"),
        hours_b=account_open(ledger="HOURS", number="H2", label="Heures B"),
    )


def spec(debit: Account | None = None, credit: Account | None = None, amount: int = 100, **fields: Any) -> TransferSpec:
    fields.setdefault("id", uuid.uuid4())
    fields.setdefault("ledger", "EUR")
    return TransferSpec(
        amount=amount,
        debit_account_id=debit.pk if debit else fields.pop("debit_account_id", None),
        credit_account_id=credit.pk if credit else fields.pop("credit_account_id", None),
        **fields,
    )


def post(*specs: TransferSpec, now: dt.datetime = NOW) -> list[Result]:
    return transfers_create(list(specs), now=now)


def balances(account: Account) -> tuple[int, int, int, int]:
    """(debits pending, debits posted, credits pending, credits posted), as stored now."""
    account.refresh_from_db()
    return (account.debits_pending, account.debits_posted, account.credits_pending, account.credits_posted)


def snapshot() -> dict[str, Any]:
    return {
        "transfers": Transfer.objects.count(),
        "entries": Entry.objects.count(),
        "accounts": list(
            Account.objects.order_by("pk").values_list(
                "pk", "debits_pending", "debits_posted", "credits_pending", "credits_posted", "last_hash"
            )
        ),
    }


def fund(book: Book, account: Account, amount: int) -> None:
    """Credit `account` (posted) from the plain account c, so that it may later be debited."""
    assert post(spec(book.c, account, amount)) == [Result.OK]


# --- Every refusal, with the smallest batch that produces it ---------------------------------


Case = Callable[[Book], tuple[list[TransferSpec], list[Result]]]
TWICE = uuid.uuid4()

# name -> book -> (a batch that needs no earlier transfer, its results)
REFUSALS: dict[str, Case] = {
    "id_zero": lambda book: ([spec(book.a, book.b, id=uuid.UUID(int=0))], [Result.ID_MUST_NOT_BE_ZERO]),
    "id_twice_in_batch": lambda book: (
        [spec(book.a, book.b, id=TWICE), spec(book.a, book.b, id=TWICE)],
        [Result.OK, Result.ID_ALREADY_IN_BATCH],
    ),
    "amount_zero": lambda book: ([spec(book.a, book.b, 0)], [Result.AMOUNT_MUST_NOT_BE_ZERO]),
    "amount_negative": lambda book: ([spec(book.a, book.b, -1)], [Result.AMOUNT_MUST_NOT_BE_NEGATIVE]),
    "same_accounts": lambda book: ([spec(book.a, book.a)], [Result.ACCOUNTS_MUST_BE_DIFFERENT]),
    "unknown_debit": lambda book: (
        [spec(None, book.b, debit_account_id=987654)],
        [Result.DEBIT_ACCOUNT_NOT_FOUND],
    ),
    "no_debit": lambda book: ([spec(None, book.b)], [Result.DEBIT_ACCOUNT_NOT_FOUND]),
    "unknown_credit": lambda book: (
        [spec(book.a, None, credit_account_id=987654)],
        [Result.CREDIT_ACCOUNT_NOT_FOUND],
    ),
    "unknown_ledger": lambda book: ([spec(book.a, book.b, ledger="XPF")], [Result.LEDGER_NOT_FOUND]),
    "eur_to_hours": lambda book: ([spec(book.a, book.hours)], [Result.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER]),
    "hours_transfer_of_eur_accounts": lambda book: (
        [spec(book.a, book.b, ledger="HOURS")],
        [Result.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS],
    ),
    "pending_and_post": lambda book: (
        [spec(book.a, book.b, pending=True, post_pending=True)],
        [Result.FLAGS_ARE_MUTUALLY_EXCLUSIVE],
    ),
    "post_and_void": lambda book: (
        [spec(amount=0, post_pending=True, void_pending=True, pending_id=uuid.uuid4())],
        [Result.FLAGS_ARE_MUTUALLY_EXCLUSIVE],
    ),
    "pending_id_on_new": lambda book: (
        [spec(book.a, book.b, pending_id=uuid.uuid4())],
        [Result.PENDING_ID_MUST_BE_ZERO],
    ),
    "post_without_pending_id": lambda book: ([spec(amount=0, post_pending=True)], [Result.PENDING_ID_REQUIRED]),
    "void_of_unknown": lambda book: (
        [spec(amount=0, void_pending=True, pending_id=uuid.uuid4())],
        [Result.PENDING_TRANSFER_NOT_FOUND],
    ),
    "timeout_on_posted": lambda book: (
        [spec(book.a, book.b, timeout=60)],
        [Result.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER],
    ),
    "over_credits": lambda book: ([spec(book.no_overdraft, book.a)], [Result.EXCEEDS_CREDITS]),
    "over_debits": lambda book: ([spec(book.a, book.no_overpay)], [Result.EXCEEDS_DEBITS]),
    "chain_open": lambda book: ([spec(book.a, book.b, linked=True)], [Result.LINKED_EVENT_CHAIN_OPEN]),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_it_refuses_each_malformed_transfer_with_its_code_and_writes_nothing(book: Book, name: str) -> None:
    batch, expected = REFUSALS[name](book)
    accepted = {s.id for s, r in zip(batch, expected, strict=True) if r == Result.OK}
    before = snapshot()

    assert post(*batch) == expected
    assert set(Transfer.objects.values_list("id", flat=True)) == accepted
    if not accepted:
        assert snapshot() == before
    assert verify().ok


def test_a_refused_transfer_changes_no_balance_and_no_head(book: Book) -> None:
    fund(book, book.no_overdraft, 500)
    before = snapshot()

    assert post(spec(book.no_overdraft, book.a, 501), spec(book.a, book.no_overpay, 1)) == [
        Result.EXCEEDS_CREDITS,
        Result.EXCEEDS_DEBITS,
    ]

    assert snapshot() == before


def test_a_batch_of_refusals_and_successes_writes_only_the_successes(book: Book) -> None:
    good, bad = spec(book.a, book.b, 700), spec(book.a, book.a, 5)

    assert post(bad, good) == [Result.ACCOUNTS_MUST_BE_DIFFERENT, Result.OK]

    assert list(Transfer.objects.values_list("id", flat=True)) == [good.id]
    assert balances(book.a) == (0, 700, 0, 0)
    assert balances(book.b) == (0, 0, 0, 700)


def test_it_refuses_an_amount_that_would_overflow_a_balance(book: Book) -> None:
    assert post(spec(book.a, book.b, MAX_AMOUNT)) == [Result.OK]

    assert post(spec(book.a, book.c, 1)) == [Result.OVERFLOWS]
    assert post(spec(book.c, book.b, 1)) == [Result.OVERFLOWS]
    assert balances(book.a) == (0, MAX_AMOUNT, 0, 0)
    assert verify().ok


def test_limits_allow_exactly_what_the_other_side_holds(book: Book) -> None:
    fund(book, book.no_overdraft, 1000)

    assert post(spec(book.no_overdraft, book.a, 1000)) == [Result.OK]
    assert post(spec(book.no_overdraft, book.a, 1)) == [Result.EXCEEDS_CREDITS]
    assert post(spec(book.no_overpay, book.a, 300)) == [Result.OK]
    assert post(spec(book.a, book.no_overpay, 300)) == [Result.OK]
    assert post(spec(book.a, book.no_overpay, 1)) == [Result.EXCEEDS_DEBITS]


def test_pending_amounts_count_against_limits(book: Book) -> None:
    fund(book, book.no_overdraft, 1000)
    assert post(spec(book.no_overdraft, book.a, 600, pending=True)) == [Result.OK]

    assert post(spec(book.no_overdraft, book.b, 401)) == [Result.EXCEEDS_CREDITS]
    assert post(spec(book.no_overdraft, book.b, 400, pending=True)) == [Result.OK]
    assert post(spec(book.no_overdraft, book.b, 1, pending=True)) == [Result.EXCEEDS_CREDITS]

    assert post(spec(book.no_overpay, book.a, 100)) == [Result.OK]
    assert post(spec(book.a, book.no_overpay, 100, pending=True)) == [Result.OK]
    assert post(spec(book.b, book.no_overpay, 1)) == [Result.EXCEEDS_DEBITS]


def test_pending_credits_do_not_raise_a_limit(book: Book) -> None:
    assert post(spec(book.a, book.no_overdraft, 500, pending=True)) == [Result.OK]

    assert post(spec(book.no_overdraft, book.b, 1)) == [Result.EXCEEDS_CREDITS]


# --- Retries: exists, and exists with a different field ---------------------------------------


def test_the_same_transfer_retried_is_recognised_and_not_posted_twice(book: Book) -> None:
    first = spec(book.a, book.b, 250, code="fee", label="Cotisation 2026", reference="fee:1", journal="BQ", piece="7")
    assert post(first) == [Result.OK]
    before = snapshot()

    assert post(first) == [Result.EXISTS]
    assert post(first, first) == [Result.EXISTS, Result.EXISTS]
    assert post(dataclasses.replace(first, value_date=NOW.date())) == [Result.EXISTS]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"pending": True}, Result.EXISTS_WITH_DIFFERENT_FLAGS),
        ({"pending_id": uuid.UUID(int=7)}, Result.EXISTS_WITH_DIFFERENT_PENDING_ID),
        ({"timeout": 60}, Result.EXISTS_WITH_DIFFERENT_TIMEOUT),
        ({"debit_account_id": "c"}, Result.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT),
        ({"credit_account_id": "c"}, Result.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT),
        ({"amount": 251}, Result.EXISTS_WITH_DIFFERENT_AMOUNT),
        ({"ledger": "HOURS"}, Result.EXISTS_WITH_DIFFERENT_LEDGER),
        ({"code": "gift"}, Result.EXISTS_WITH_DIFFERENT_CODE),
        ({"label": "Cotisation 2027"}, Result.EXISTS_WITH_DIFFERENT_LABEL),
        ({"reference": "fee:2"}, Result.EXISTS_WITH_DIFFERENT_REFERENCE),
        ({"journal": "OD"}, Result.EXISTS_WITH_DIFFERENT_JOURNAL),
        ({"piece": "8"}, Result.EXISTS_WITH_DIFFERENT_PIECE),
        ({"value_date": dt.date(2026, 1, 1)}, Result.EXISTS_WITH_DIFFERENT_VALUE_DATE),
    ],
)
def test_a_retry_that_differs_in_one_field_names_that_field(
    book: Book, change: dict[str, Any], expected: Result
) -> None:
    first = spec(book.a, book.b, 250, code="fee", label="Cotisation 2026", reference="fee:1", journal="BQ", piece="7")
    assert post(first) == [Result.OK]
    before = snapshot()
    change = {k: (book.c.pk if v == "c" else v) for k, v in change.items()}

    assert post(dataclasses.replace(first, **change)) == [expected]
    assert snapshot() == before


def test_a_retried_resolution_may_leave_out_the_accounts_and_the_whole_amount(book: Book) -> None:
    pending = spec(book.a, book.b, 900, pending=True)
    post_it = spec(amount=0, post_pending=True, pending_id=pending.id)
    assert post(pending, post_it) == [Result.OK, Result.OK]

    assert post(post_it) == [Result.EXISTS]
    assert post(dataclasses.replace(post_it, debit_account_id=book.a.pk, credit_account_id=book.b.pk)) == [
        Result.EXISTS
    ]
    assert post(dataclasses.replace(post_it, amount=900)) == [Result.EXISTS]
    assert post(dataclasses.replace(post_it, amount=899)) == [Result.EXISTS_WITH_DIFFERENT_AMOUNT]
    assert post(dataclasses.replace(post_it, void_pending=True, post_pending=False)) == [
        Result.EXISTS_WITH_DIFFERENT_FLAGS
    ]


def test_a_retried_partial_post_must_repeat_its_amount(book: Book) -> None:
    pending = spec(book.a, book.b, 900, pending=True)
    partial = spec(amount=400, post_pending=True, pending_id=pending.id)
    assert post(pending, partial) == [Result.OK, Result.OK]

    assert post(partial) == [Result.EXISTS]
    assert post(dataclasses.replace(partial, amount=0)) == [Result.EXISTS_WITH_DIFFERENT_AMOUNT]


# --- Pending transfers ------------------------------------------------------------------------


def test_a_pending_transfer_reserves_without_posting(book: Book) -> None:
    assert post(spec(book.a, book.b, 1200, pending=True, timeout=HOUR)) == [Result.OK]

    assert balances(book.a) == (1200, 0, 0, 0)
    assert balances(book.b) == (0, 0, 1200, 0)
    assert not Entry.objects.exists()
    assert Transfer.objects.get().expires_at == NOW + dt.timedelta(hours=1)


def test_posting_a_pending_in_full_moves_it_from_pending_to_posted(book: Book) -> None:
    pending = spec(book.a, book.b, 1200, pending=True)
    assert post(pending) == [Result.OK]

    assert post(spec(amount=0, post_pending=True, pending_id=pending.id)) == [Result.OK]

    assert balances(book.a) == (0, 1200, 0, 0)
    assert balances(book.b) == (0, 0, 0, 1200)
    assert Transfer.objects.get(pending_id=pending.id).amount == 1200
    assert verify().ok


def test_a_partial_post_releases_the_remainder(book: Book) -> None:
    fund(book, book.no_overdraft, 1000)
    pending = spec(book.no_overdraft, book.a, 1000, pending=True)
    assert post(pending) == [Result.OK]
    assert post(spec(book.no_overdraft, book.b, 1)) == [Result.EXCEEDS_CREDITS]

    assert post(spec(amount=700, post_pending=True, pending_id=pending.id)) == [Result.OK]

    assert balances(book.no_overdraft) == (0, 700, 0, 1000)
    assert balances(book.a) == (0, 0, 0, 700)
    assert post(spec(book.no_overdraft, book.b, 300)) == [Result.OK]
    assert verify().ok


def test_voiding_a_pending_releases_it_all(book: Book) -> None:
    pending = spec(book.a, book.b, 1200, pending=True)
    assert post(pending) == [Result.OK]

    assert post(spec(amount=0, void_pending=True, pending_id=pending.id)) == [Result.OK]

    assert balances(book.a) == (0, 0, 0, 0)
    assert balances(book.b) == (0, 0, 0, 0)
    assert not Entry.objects.exists()
    assert verify().ok


def test_a_pending_and_its_post_may_share_a_batch(book: Book) -> None:
    pending = spec(book.a, book.b, 50, pending=True)

    assert post(pending, spec(amount=20, post_pending=True, pending_id=pending.id)) == [Result.OK, Result.OK]
    assert balances(book.a) == (0, 20, 0, 0)


@pytest.mark.parametrize(
    ("resolution", "expected"),
    [
        ({"post_pending": True, "amount": 1201}, Result.EXCEEDS_PENDING_TRANSFER_AMOUNT),
        ({"void_pending": True, "amount": 1199}, Result.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT),
        ({"post_pending": True, "debit_account_id": "c"}, Result.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT),
        ({"void_pending": True, "credit_account_id": "c"}, Result.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT),
        ({"post_pending": True, "ledger": "HOURS"}, Result.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS),
        ({"post_pending": True, "timeout": 5}, Result.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER),
        ({"post_pending": True, "amount": -3}, Result.AMOUNT_MUST_NOT_BE_NEGATIVE),
    ],
)
def test_a_resolution_must_match_its_pending(book: Book, resolution: dict[str, Any], expected: Result) -> None:
    pending = spec(book.a, book.b, 1200, pending=True)
    assert post(pending) == [Result.OK]
    resolution = {k: (book.c.pk if v == "c" else v) for k, v in resolution.items()}
    resolution.setdefault("amount", 0)
    before = snapshot()

    assert post(spec(pending_id=pending.id, **resolution)) == [expected]
    assert snapshot() == before


def test_only_a_pending_transfer_can_be_resolved(book: Book) -> None:
    posted = spec(book.a, book.b, 100)
    assert post(posted) == [Result.OK]

    assert post(spec(amount=0, void_pending=True, pending_id=posted.id)) == [Result.PENDING_TRANSFER_NOT_PENDING]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("post_pending", "post_pending", Result.PENDING_TRANSFER_ALREADY_POSTED),
        ("post_pending", "void_pending", Result.PENDING_TRANSFER_ALREADY_POSTED),
        ("void_pending", "post_pending", Result.PENDING_TRANSFER_ALREADY_VOIDED),
        ("void_pending", "void_pending", Result.PENDING_TRANSFER_ALREADY_VOIDED),
    ],
)
def test_a_pending_is_resolved_once(book: Book, first: str, second: str, expected: Result) -> None:
    pending = spec(book.a, book.b, 1200, pending=True)
    assert post(pending, spec(amount=0, pending_id=pending.id, **{first: True})) == [Result.OK, Result.OK]
    before = snapshot()

    assert post(spec(amount=0, pending_id=pending.id, **{second: True})) == [expected]
    assert post(spec(amount=0, pending_id=pending.id, **{second: True})) == [expected]  # a fresh id each time
    assert snapshot() == before


def test_a_pending_resolved_twice_in_one_batch_is_refused_the_second_time(book: Book) -> None:
    pending = spec(book.a, book.b, 1200, pending=True)
    assert post(pending) == [Result.OK]

    assert post(
        spec(amount=0, void_pending=True, pending_id=pending.id),
        spec(amount=0, post_pending=True, pending_id=pending.id),
    ) == [Result.OK, Result.PENDING_TRANSFER_ALREADY_VOIDED]
    assert balances(book.a) == (0, 0, 0, 0)


# --- Expiry -----------------------------------------------------------------------------------


def test_a_pending_past_its_timeout_can_no_longer_be_posted(book: Book) -> None:
    pending = spec(book.a, book.b, 800, pending=True, timeout=HOUR)
    assert post(pending) == [Result.OK]

    one_second_early = NOW + dt.timedelta(seconds=HOUR - 1)
    at_expiry = NOW + dt.timedelta(seconds=HOUR)
    assert post(spec(amount=0, void_pending=True, pending_id=pending.id), now=at_expiry) == [
        Result.PENDING_TRANSFER_EXPIRED
    ]
    assert post(spec(amount=0, post_pending=True, pending_id=pending.id), now=one_second_early) == [Result.OK]


def test_a_pending_without_timeout_never_expires(book: Book) -> None:
    pending = spec(book.a, book.b, 800, pending=True)
    assert post(pending) == [Result.OK]

    assert pending_expire(now=NOW + dt.timedelta(days=3650)) == 0
    assert post(spec(amount=0, post_pending=True, pending_id=pending.id), now=NOW + dt.timedelta(days=3650)) == [
        Result.OK
    ]


def test_expiry_frees_the_reserved_amount_once(book: Book) -> None:
    fund(book, book.no_overdraft, 800)
    pending = spec(book.no_overdraft, book.a, 800, pending=True, timeout=HOUR, label="Avance")
    assert post(pending) == [Result.OK]
    assert post(spec(book.no_overdraft, book.b, 1)) == [Result.EXCEEDS_CREDITS]
    later = NOW + dt.timedelta(hours=2)

    assert pending_expire(now=NOW + dt.timedelta(seconds=HOUR - 1)) == 0
    assert pending_expire(now=later) == 1
    assert pending_expire(now=later) == 0
    assert pending_expire(now=later + dt.timedelta(days=1)) == 0

    expiry = Transfer.objects.get(pending_id=pending.id)
    assert (expiry.id, expiry.kind, expiry.amount, expiry.label) == (
        expiry_id(pending.id),
        Transfer.Kind.EXPIRY,
        800,
        "Expiry of Avance",
    )
    assert balances(book.no_overdraft) == (0, 0, 0, 800)
    assert balances(book.a) == (0, 0, 0, 0)
    assert post(spec(amount=0, post_pending=True, pending_id=pending.id), now=later) == [
        Result.PENDING_TRANSFER_EXPIRED
    ]
    assert post(spec(book.no_overdraft, book.b, 800), now=later) == [Result.OK]
    assert verify().ok


def test_an_expired_pending_stays_reserved_until_its_expiry_is_written(book: Book) -> None:
    fund(book, book.no_overdraft, 800)
    assert post(spec(book.no_overdraft, book.a, 800, pending=True, timeout=HOUR)) == [Result.OK]
    later = NOW + dt.timedelta(hours=2)

    assert post(spec(book.no_overdraft, book.b, 1), now=later) == [Result.EXCEEDS_CREDITS]
    assert pending_expire(now=later) == 1
    assert post(spec(book.no_overdraft, book.b, 1), now=later) == [Result.OK]


def test_expiry_leaves_resolved_pendings_alone(book: Book) -> None:
    posted, voided, open_ = (spec(book.a, book.b, n, pending=True, timeout=60) for n in (10, 20, 30))
    assert post(posted, voided, open_) == [Result.OK] * 3
    assert post(
        spec(amount=0, post_pending=True, pending_id=posted.id),
        spec(amount=0, void_pending=True, pending_id=voided.id),
    ) == [Result.OK, Result.OK]

    assert pending_expire(now=NOW + dt.timedelta(minutes=5)) == 1

    assert Transfer.objects.filter(kind=Transfer.Kind.EXPIRY).get().pending_id == open_.id
    assert balances(book.a) == (0, 10, 0, 0)
    assert verify().ok


def test_the_timeout_is_counted_from_the_batch_time(book: Book) -> None:
    pending = spec(book.a, book.b, 5, pending=True, timeout=90)

    assert post(pending, now=NOW + dt.timedelta(days=1)) == [Result.OK]
    assert Transfer.objects.get(id=pending.id).expires_at == NOW + dt.timedelta(days=1, seconds=90)


# --- Linked chains ----------------------------------------------------------------------------


def test_a_linked_chain_succeeds_as_one(book: Book) -> None:
    first, second = spec(book.a, book.b, 10, linked=True), spec(book.b, book.c, 10)

    assert post(first, second) == [Result.OK, Result.OK]

    rows = {t.id: t for t in Transfer.objects.all()}
    assert rows[first.id].chain == rows[second.id].chain == first.id
    assert rows[first.id].chain_length == rows[second.id].chain_length == 2
    assert verify().ok


def test_a_failure_in_the_middle_of_a_chain_takes_back_the_members_before_it(book: Book) -> None:
    fund(book, book.no_overdraft, 100)
    before = snapshot()
    chain = [
        spec(book.no_overdraft, book.a, 60, linked=True),
        spec(book.a, book.b, 60, pending=True, linked=True),
        spec(book.a, book.a, 1, linked=True),
        spec(book.b, book.c, 5),
    ]

    assert post(*chain) == [
        Result.LINKED_EVENT_FAILED,
        Result.LINKED_EVENT_FAILED,
        Result.ACCOUNTS_MUST_BE_DIFFERENT,
        Result.LINKED_EVENT_FAILED,
    ]
    assert snapshot() == before


def test_chains_of_one_batch_are_independent(book: Book) -> None:
    fund(book, book.no_overdraft, 100)
    alone = spec(book.a, book.b, 1)
    failing = [spec(book.no_overdraft, book.a, 60, linked=True), spec(book.a, book.no_overpay, 1)]
    after = spec(book.no_overdraft, book.c, 100)  # would exceed the credits if the first link had stayed

    assert post(alone, *failing, after) == [Result.OK, Result.LINKED_EVENT_FAILED, Result.EXCEEDS_DEBITS, Result.OK]
    assert balances(book.no_overdraft) == (0, 100, 0, 100)
    assert set(Transfer.objects.values_list("id", flat=True)) >= {alone.id, after.id}
    assert not Transfer.objects.filter(id__in=[s.id for s in failing])
    assert verify().ok


def test_a_pending_created_in_a_failed_chain_cannot_be_posted_later_in_the_batch(book: Book) -> None:
    pending = spec(book.a, book.b, 10, pending=True, linked=True)
    failing = spec(book.a, book.b, 0)

    assert post(pending, failing, spec(amount=0, post_pending=True, pending_id=pending.id)) == [
        Result.LINKED_EVENT_FAILED,
        Result.AMOUNT_MUST_NOT_BE_ZERO,
        Result.PENDING_TRANSFER_NOT_FOUND,
    ]


def test_a_resolution_taken_back_with_its_chain_can_be_made_again(book: Book) -> None:
    pending = spec(book.a, book.b, 10, pending=True)
    assert post(pending) == [Result.OK]
    void = spec(amount=0, void_pending=True, pending_id=pending.id, linked=True)

    assert post(void, spec(book.a, book.a), spec(amount=0, post_pending=True, pending_id=pending.id)) == [
        Result.LINKED_EVENT_FAILED,
        Result.ACCOUNTS_MUST_BE_DIFFERENT,
        Result.OK,
    ]
    assert balances(book.a) == (0, 10, 0, 0)


def test_an_id_taken_back_with_its_chain_is_free_again_in_the_batch(book: Book) -> None:
    first = spec(book.a, book.b, 10, linked=True)

    assert post(first, spec(book.a, book.a), dataclasses.replace(first, linked=False)) == [
        Result.LINKED_EVENT_FAILED,
        Result.ACCOUNTS_MUST_BE_DIFFERENT,
        Result.OK,
    ]
    assert Transfer.objects.get(id=first.id).chain is None


def test_a_chain_still_open_at_the_end_of_the_batch_is_refused_whole(book: Book) -> None:
    alone = spec(book.a, book.b, 1)
    before = snapshot()

    assert post(alone, spec(book.a, book.b, 2, linked=True), spec(book.a, book.b, 3, linked=True)) == [
        Result.OK,
        Result.LINKED_EVENT_CHAIN_OPEN,
        Result.LINKED_EVENT_CHAIN_OPEN,
    ]
    assert snapshot()["transfers"] == before["transfers"] + 1
    assert balances(book.a) == (0, 1, 0, 0)


def test_a_retried_chain_is_recognised_whole(book: Book) -> None:
    chain = [spec(book.a, book.b, 10, linked=True), spec(book.b, book.c, 10, linked=True), spec(book.c, book.a, 10)]
    assert post(*chain) == [Result.OK] * 3
    before = snapshot()

    assert post(*chain) == [Result.EXISTS] * 3
    assert snapshot() == before


def test_a_chain_that_takes_in_a_transfer_already_written_keeps_the_ledger_whole(book: Book) -> None:
    earlier = spec(book.a, book.b, 10)
    assert post(earlier) == [Result.OK]
    later = spec(book.b, book.c, 10)

    assert post(dataclasses.replace(earlier, linked=True), later) == [Result.EXISTS, Result.OK]

    assert balances(book.c) == (0, 0, 0, 10)
    assert Transfer.objects.filter(id=later.id).values_list("chain", "chain_length").get() == (None, 1)
    report = verify()
    assert report.ok, report.violations


def test_a_retry_that_lengthens_a_chain_writes_the_new_members_as_their_own_chain(book: Book) -> None:
    old = [spec(book.a, book.b, 10, linked=True), spec(book.b, book.c, 10)]
    assert post(*old) == [Result.OK] * 2
    new = [spec(book.c, book.a, 1, linked=True), spec(book.c, book.b, 2)]

    assert post(dataclasses.replace(old[0]), dataclasses.replace(old[1], linked=True), *new) == [
        Result.EXISTS,
        Result.EXISTS,
        Result.OK,
        Result.OK,
    ]

    rows = dict(Transfer.objects.values_list("id", "chain"))
    assert rows[old[0].id] == rows[old[1].id] == old[0].id
    assert rows[new[0].id] == rows[new[1].id] == new[0].id
    report = verify()
    assert report.ok, report.violations


# --- Batch size -------------------------------------------------------------------------------


def test_a_batch_of_ten_thousand_is_accepted(book: Book) -> None:
    batch = [spec(book.a, book.b, n + 1) for n in range(MAX_BATCH)]

    results = post(*batch)

    assert results == [Result.OK] * MAX_BATCH
    assert Transfer.objects.count() == MAX_BATCH
    assert Entry.objects.count() == 2 * MAX_BATCH
    assert balances(book.a) == (0, MAX_BATCH * (MAX_BATCH + 1) // 2, 0, 0)
    # Numbered in the batch's order: the amounts were 1, 2, 3, ...
    assert list(Transfer.objects.order_by("sequence").values_list("amount", flat=True)) == list(range(1, MAX_BATCH + 1))


def test_a_batch_of_ten_thousand_and_one_is_refused_whole(book: Book) -> None:
    before = snapshot()

    assert post(*[spec(book.a, book.b, 1) for _ in range(MAX_BATCH + 1)]) == [Result.BATCH_TOO_LARGE] * (MAX_BATCH + 1)
    assert snapshot() == before


def test_an_empty_batch_does_nothing(book: Book) -> None:
    before = snapshot()

    assert transfers_create([], now=NOW) == []
    assert snapshot() == before


# --- What is written --------------------------------------------------------------------------


def test_each_posted_transfer_writes_one_entry_per_account_with_the_balance_after(book: Book) -> None:
    assert post(spec(book.a, book.b, 300), spec(book.b, book.a, 100), spec(book.a, book.c, 50)) == [Result.OK] * 3

    def lines(account: Account) -> list[tuple[int, int, int]]:
        return list(Entry.objects.filter(account=account).values_list("debit", "credit", "balance_after"))

    assert lines(book.a) == [(300, 0, 300), (0, 100, 200), (50, 0, 250)]
    assert lines(book.b) == [(0, 300, -300), (100, 0, -200)]
    sequences = list(Entry.objects.filter(account=book.a).values_list("sequence", flat=True))
    assert sequences == list(Transfer.objects.filter(entries__account=book.a).values_list("sequence", flat=True))


def test_sequences_follow_the_order_of_writing_across_ledgers(book: Book) -> None:
    assert post(spec(book.a, book.b, 1), spec(book.hours, book.hours_b, 60, ledger="HOURS")) == [Result.OK] * 2
    assert post(spec(book.a, book.b, 2)) == [Result.OK]

    assert list(Transfer.objects.order_by("sequence").values_list("ledger__code", "amount")) == [
        ("EUR", 1),
        ("HOURS", 60),
        ("EUR", 2),
    ]


def test_each_transfer_is_hash_chained_to_the_previous_one_of_each_account(book: Book) -> None:
    pending = spec(book.a, book.b, 40, pending=True, timeout=60)
    assert (
        post(spec(book.a, book.b, 1), pending, spec(book.b, book.c, 2, label="Réglement", piece="F-12"))
        == [Result.OK] * 3
    )
    assert post(spec(amount=25, post_pending=True, pending_id=pending.id)) == [Result.OK]

    transfers = list(Transfer.objects.filter(ledger__code="EUR").order_by("sequence"))
    first, held, settled, posted = transfers
    assert (first.debit_prev_hash, first.credit_prev_hash) == (GENESIS, GENESIS)  # first of a and of b
    assert (held.debit_prev_hash, held.credit_prev_hash) == (first.hash, first.hash)
    assert (settled.debit_prev_hash, settled.credit_prev_hash) == (held.hash, GENESIS)  # b, then c's first
    assert (posted.debit_prev_hash, posted.credit_prev_hash) == (held.hash, settled.hash)  # a, then b
    for transfer in transfers:
        assert transfer.hash == transfer_hash(transfer)
    assert len({t.hash for t in transfers}) == 4
    heads = dict(Account.objects.filter(pk__in=[book.a.pk, book.b.pk, book.c.pk]).values_list("number", "last_hash"))
    assert heads == {book.a.number: posted.hash, book.b.number: posted.hash, book.c.number: settled.hash}


def test_the_hash_survives_a_clock_in_another_time_zone(book: Book) -> None:
    paris = NOW.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))

    assert post(spec(book.a, book.b, 5, pending=True, timeout=60), now=paris) == [Result.OK]

    transfer = Transfer.objects.get()
    assert transfer.hash == transfer_hash(transfer)
    report = verify()
    assert report.ok, report.violations


# --- What the database refuses ----------------------------------------------------------------


def refused_by_the_database(sql: str, params: list[Any]) -> str:
    with pytest.raises(IntegrityError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(caught.value)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_transfer SET amount = amount + 1 WHERE id = %s",
        "UPDATE ledger_transfer SET label = 'changed' WHERE id = %s",
        "DELETE FROM ledger_transfer WHERE id = %s",
        "UPDATE ledger_entry SET debit = debit + 1 WHERE transfer_id = %s",
        "UPDATE ledger_entry SET balance_after = 0 WHERE transfer_id = %s",
        "DELETE FROM ledger_entry WHERE transfer_id = %s",
    ],
)
def test_transfers_and_entries_cannot_be_updated_or_deleted(book: Book, sql: str) -> None:
    posted = spec(book.a, book.b, 100, label="Cotisation")
    assert post(posted) == [Result.OK]
    before = snapshot()
    key = posted.id.hex if connection.vendor == "sqlite" else posted.id

    message = refused_by_the_database(sql, [key])

    assert "append-only" in message
    assert snapshot() == before
    assert Transfer.objects.get().label == "Cotisation"


def test_the_orm_cannot_update_or_delete_a_transfer_either(book: Book) -> None:
    pending = spec(book.a, book.b, 100, pending=True)
    assert post(pending) == [Result.OK]

    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.filter(id=pending.id).update(amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.filter(id=pending.id).delete()
    assert Transfer.objects.get().amount == 100


def test_the_database_refuses_a_second_resolution_of_a_pending(book: Book) -> None:
    pending = spec(book.a, book.b, 100, pending=True)
    assert post(pending, spec(amount=0, void_pending=True, pending_id=pending.id)) == [Result.OK, Result.OK]
    void = Transfer.objects.get(pending_id=pending.id)

    second = {f.attname: getattr(void, f.attname) for f in Transfer._meta.concrete_fields}
    second.update(id=uuid.uuid4(), kind=Transfer.Kind.POST_PENDING, sequence=void.sequence + 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(**second)
    assert Transfer.objects.filter(pending_id=pending.id).count() == 1


def test_every_result_code_has_an_example_here() -> None:
    """VALUE_DATE_REQUIRED is never returned: a transfer without a value date takes the batch's date."""
    named = set(re.findall(r"Result\.([A-Z_]+)", Path(__file__).read_text()))

    assert {code.name for code in Result} - named == {"VALUE_DATE_REQUIRED"}


@pytest.mark.parametrize("timeout", [-1, 2**31])
def test_a_timeout_the_database_cannot_hold_is_refused_not_crashed(book: Book, timeout: int) -> None:
    before = snapshot()

    assert post(spec(book.a, book.b, 100, pending=True, timeout=timeout)) == [Result.OVERFLOWS_TIMEOUT]
    assert snapshot() == before
    assert post(spec(book.a, book.b, 100, pending=True, timeout=2**31 - 1)) == [Result.OK]
