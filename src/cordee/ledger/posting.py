"""Posting: the one way money (or time) moves. Every caller — pages, API, commands, the other
apps — goes through `transfers_create`.

A batch is processed in one database transaction:
1. lock the accounts concerned, in ascending id order, so that two batches can never wait on each
   other in a cycle; only then read which ids already exist and which pending transfers are
   already resolved, so that what is decided cannot change before the commit;
2. decide each transfer in order against balances held in memory, chain by chain: a linked
   chain that fails anywhere leaves no trace, the others go on;
3. number the accepted transfers, chain each to the previous transfer of its two accounts, and
   write them, their entries and the new balances in bulk.

Nothing is locked ledger-wide: postings on different accounts run side by side and share their
commits' disk flushes. Two batches that write the same new id on disjoint accounts meet at the
primary key; the loser is decided again, and finds the transfer there ("exists").

The result is one code per transfer of the batch (see `codes.Result`). A refused transfer writes
nothing; a batch whose every transfer is refused writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cordee.ledger.codes import Result
from cordee.ledger.models import Account, Entry, Ledger, Transfer

MAX_BATCH = 10_000
MAX_AMOUNT = 2**63 - 1
MAX_TIMEOUT = 2**31 - 1  # seconds (68 years): what the timeout column holds on every database
_EXPIRY_NAMESPACE = uuid.UUID("6f1d1b6e-3c55-4d2a-9c1e-2b7d0c6a8e11")


@dataclass(frozen=True)
class TransferSpec:
    """What a caller asks for. For a post or void of a pending transfer, the accounts may be
    left out (they are the pending transfer's) and an amount of 0 means the whole pending amount."""

    id: uuid.UUID
    ledger: str
    amount: int
    debit_account_id: int | None = None
    credit_account_id: int | None = None
    pending: bool = False
    post_pending: bool = False
    void_pending: bool = False
    linked: bool = False
    pending_id: uuid.UUID | None = None
    timeout: int = 0
    code: str = ""
    label: str = ""
    reference: str = ""
    journal: str = ""
    piece: str = ""
    value_date: dt.date | None = None
    expiry: bool = False  # internal: written by `pending_expire`, never by a caller

    @property
    def kind(self) -> str:
        if self.expiry:
            return Transfer.Kind.EXPIRY
        if self.pending:
            return Transfer.Kind.PENDING
        if self.post_pending:
            return Transfer.Kind.POST_PENDING
        if self.void_pending:
            return Transfer.Kind.VOID_PENDING
        return Transfer.Kind.POSTED


def expiry_id(pending_id: uuid.UUID) -> uuid.UUID:
    """The id of the expiry of a pending transfer: the same every time, so expiring is idempotent."""
    return uuid.uuid5(_EXPIRY_NAMESPACE, str(pending_id))


@dataclass(slots=True)
class _Staged:
    """A transfer accepted by this batch, not yet written (a model instance per transfer cost more
    than deciding it)."""

    id: uuid.UUID
    ledger_id: int
    kind: str
    debit_account_id: int
    credit_account_id: int
    amount: int
    pending_id: uuid.UUID | None
    timeout: int
    expires_at: dt.datetime | None
    chain: uuid.UUID | None
    chain_length: int
    code: str
    label: str
    reference: str
    journal: str
    piece: str
    value_date: dt.date
    created_at: dt.datetime
    sequence: int = 0
    debit_prev_hash: str = ""
    credit_prev_hash: str = ""
    hash: str = ""


def transfer_hash(transfer: Transfer | _Staged) -> str:
    """SHA-256 of the previous hashes of both accounts and of every field that gives the transfer its
    meaning."""
    parts = (
        transfer.debit_prev_hash,
        transfer.credit_prev_hash,
        str(transfer.id),
        str(transfer.ledger_id),
        str(transfer.sequence),
        transfer.kind,
        str(transfer.debit_account_id),
        str(transfer.credit_account_id),
        str(transfer.amount),
        str(transfer.pending_id or ""),
        str(transfer.timeout),
        # In UTC: the database gives datetimes back in UTC, whatever zone the caller's clock was in.
        transfer.expires_at.astimezone(dt.UTC).isoformat() if transfer.expires_at else "",
        str(transfer.chain or ""),
        str(transfer.chain_length),
        transfer.code,
        transfer.label,
        transfer.reference,
        transfer.journal,
        transfer.piece,
        transfer.value_date.isoformat(),
        transfer.created_at.astimezone(dt.UTC).isoformat(),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass
class _Balances:
    debits_pending: int
    debits_posted: int
    credits_pending: int
    credits_posted: int

    @classmethod
    def of(cls, account: Account) -> _Balances:
        return cls(account.debits_pending, account.debits_posted, account.credits_pending, account.credits_posted)


@dataclass
class _Batch:
    """What the batch has decided so far, and what a failed chain must take back."""

    now: dt.datetime
    ledgers: dict[str, Ledger]
    accounts: dict[int, Account]
    balances: dict[int, _Balances]
    existing: dict[uuid.UUID, Transfer]
    pendings: dict[uuid.UUID, Transfer | _Staged]
    resolved: dict[uuid.UUID, str]  # pending id -> kind of its resolution
    staged: list[_Staged] = field(default_factory=list)
    entries: list[tuple[_Staged, int, int, int]] = field(default_factory=list)  # transfer, account, debit, credit
    ids: set[uuid.UUID] = field(default_factory=set)
    changed: set[int] = field(default_factory=set)


def _chains(specs: Sequence[TransferSpec]) -> list[range]:
    chains, start = [], 0
    for index, spec in enumerate(specs):
        if not spec.linked:
            chains.append(range(start, index + 1))
            start = index + 1
    if start < len(specs):
        chains.append(range(start, len(specs)))  # still open at the end of the batch
    return chains


def transfers_create(specs: Sequence[TransferSpec], *, now: dt.datetime | None = None) -> list[Result]:
    """Post a batch of transfers (at most MAX_BATCH); one result per transfer, in order."""
    if not specs:
        return []
    if len(specs) > MAX_BATCH:
        return [Result.BATCH_TOO_LARGE] * len(specs)
    with transaction.atomic(durable=True):
        return _create_retrying(specs, now or timezone.now())


def transfers_create_nested(specs: Sequence[TransferSpec], *, now: dt.datetime | None = None) -> list[Result]:
    """The same, inside a transaction the caller already holds (another app's service, which
    writes its own rows and must fail or succeed with its transfers)."""
    if len(specs) > MAX_BATCH:
        return [Result.BATCH_TOO_LARGE] * len(specs)
    with transaction.atomic():
        return _create_retrying(specs, now or timezone.now())


def _create_retrying(specs: Sequence[TransferSpec], now: dt.datetime) -> list[Result]:
    """Decide and write in a savepoint; if another batch wrote one of these ids (or resolved one of
    these pending transfers) between our reads and our insert, the unique index refuses our insert
    after that batch has committed: decide again, and see what it wrote."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _create(specs, now)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _create(specs: Sequence[TransferSpec], now: dt.datetime) -> list[Result]:
    ledgers = {ledger.code: ledger for ledger in Ledger.objects.filter(code__in={spec.ledger for spec in specs})}
    pending_ids = {spec.pending_id for spec in specs if spec.pending_id}
    # A pending transfer never changes once written: it may be read before the locks.
    pendings: dict[uuid.UUID, Transfer | _Staged] = (
        {t.id: t for t in Transfer.objects.filter(id__in=pending_ids)} if pending_ids else {}
    )
    account_ids = {a for spec in specs for a in (spec.debit_account_id, spec.credit_account_id) if a}
    account_ids |= {a for t in pendings.values() for a in (t.debit_account_id, t.credit_account_id)}
    accounts = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=account_ids).order_by("pk")}
    # After the locks: a batch that wrote one of these ids or resolved one of these pending
    # transfers on these accounts has committed by now, and is seen.
    found = Transfer.objects.filter(id__in=[spec.id for spec in specs]).select_related("ledger", "pending")
    existing = {t.id: t for t in found}
    resolved = (
        dict(Transfer.objects.filter(pending_id__in=pending_ids).values_list("pending_id", "kind"))
        if pending_ids
        else {}
    )
    batch = _Batch(
        now=now,
        ledgers=ledgers,
        accounts=accounts,
        balances={pk: _Balances.of(a) for pk, a in accounts.items()},
        existing=existing,
        pendings=pendings,
        resolved=resolved,
    )
    results: list[Result] = [Result.OK] * len(specs)
    chains = _chains(specs)
    for chain in chains:
        if specs[chain[-1]].linked:
            for index in chain:
                results[index] = Result.LINKED_EVENT_CHAIN_OPEN
            continue
        _decide_chain(batch, specs, chain, results)
    if batch.staged:
        _write(batch)
    return results


def _decide_chain(batch: _Batch, specs: Sequence[TransferSpec], chain: range, results: list[Result]) -> None:
    chain_id = specs[chain[0]].id if len(chain) > 1 else None
    # Only a linked chain is ever taken back: copying for every transfer made a batch quadratic.
    linked = len(chain) > 1
    mark = (
        len(batch.staged),
        len(batch.entries),
        set(batch.ids) if linked else set(),
        dict(batch.resolved) if linked else {},
        dict(batch.pendings) if linked else {},
    )
    saved = {pk: _Balances(**vars(b)) for pk, b in batch.balances.items()} if len(chain) > 1 else {}
    for index in chain:
        result = _decide(batch, specs[index], chain_id, len(chain))
        results[index] = result
        if not result.succeeded:
            for other in chain:
                if other != index:
                    results[other] = Result.LINKED_EVENT_FAILED
            if len(chain) > 1:
                staged_len, entries_len, ids, resolved, pendings = mark
                del batch.staged[staged_len:]
                del batch.entries[entries_len:]
                batch.ids, batch.resolved, batch.pendings = ids, resolved, pendings
                batch.balances.update(saved)
            return
    written = batch.staged[mark[0] :]
    if 0 < len(written) < len(chain):
        # Some members already existed (a retry that adds to a chain, or a chain that takes in an
        # earlier transfer): the chain on record is what this batch writes, or verify finds it broken.
        for transfer in written:
            transfer.chain = written[0].id if len(written) > 1 else None
            transfer.chain_length = len(written)


def _differs(spec: TransferSpec, found: Transfer) -> Result | None:
    """Compare a retried transfer with the one already written: the first field that differs."""
    if spec.kind != found.kind:
        return Result.EXISTS_WITH_DIFFERENT_FLAGS
    if spec.pending_id != found.pending_id:
        return Result.EXISTS_WITH_DIFFERENT_PENDING_ID
    if spec.timeout != found.timeout:
        return Result.EXISTS_WITH_DIFFERENT_TIMEOUT
    resolving = found.pending is not None
    if spec.debit_account_id != found.debit_account_id and not (resolving and spec.debit_account_id is None):
        return Result.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT
    if spec.credit_account_id != found.credit_account_id and not (resolving and spec.credit_account_id is None):
        return Result.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT
    whole = resolving and spec.amount == 0 and found.pending is not None and found.amount == found.pending.amount
    if spec.amount != found.amount and not whole:
        return Result.EXISTS_WITH_DIFFERENT_AMOUNT
    if spec.ledger != found.ledger.code:
        return Result.EXISTS_WITH_DIFFERENT_LEDGER
    for name, code in (
        ("code", Result.EXISTS_WITH_DIFFERENT_CODE),
        ("label", Result.EXISTS_WITH_DIFFERENT_LABEL),
        ("reference", Result.EXISTS_WITH_DIFFERENT_REFERENCE),
        ("journal", Result.EXISTS_WITH_DIFFERENT_JOURNAL),
        ("piece", Result.EXISTS_WITH_DIFFERENT_PIECE),
    ):
        if getattr(spec, name) != getattr(found, name):
            return code
    if spec.value_date is not None and spec.value_date != found.value_date:
        return Result.EXISTS_WITH_DIFFERENT_VALUE_DATE
    return None


def _decide(batch: _Batch, spec: TransferSpec, chain_id: uuid.UUID | None, chain_length: int) -> Result:
    if spec.id.int == 0:
        return Result.ID_MUST_NOT_BE_ZERO
    if sum((spec.pending, spec.post_pending, spec.void_pending, spec.expiry)) > 1:
        return Result.FLAGS_ARE_MUTUALLY_EXCLUSIVE
    if spec.id in batch.ids:
        return Result.ID_ALREADY_IN_BATCH
    found = batch.existing.get(spec.id)
    if found is not None:
        return _differs(spec, found) or Result.EXISTS
    ledger = batch.ledgers.get(spec.ledger)
    if ledger is None:
        return Result.LEDGER_NOT_FOUND
    if spec.amount < 0:
        return Result.AMOUNT_MUST_NOT_BE_NEGATIVE
    if not 0 <= spec.timeout <= MAX_TIMEOUT:
        return Result.OVERFLOWS_TIMEOUT
    if spec.timeout and not spec.pending:
        return Result.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER
    if spec.kind in (Transfer.Kind.POSTED, Transfer.Kind.PENDING):
        return _decide_new(batch, spec, ledger, chain_id, chain_length)
    return _decide_resolution(batch, spec, ledger, chain_id, chain_length)


def _decide_new(
    batch: _Batch, spec: TransferSpec, ledger: Ledger, chain_id: uuid.UUID | None, chain_length: int
) -> Result:
    if spec.pending_id is not None:
        return Result.PENDING_ID_MUST_BE_ZERO
    if spec.amount == 0:
        return Result.AMOUNT_MUST_NOT_BE_ZERO
    if spec.debit_account_id is not None and spec.debit_account_id == spec.credit_account_id:
        return Result.ACCOUNTS_MUST_BE_DIFFERENT
    debit = batch.accounts.get(spec.debit_account_id or 0)
    if debit is None:
        return Result.DEBIT_ACCOUNT_NOT_FOUND
    credit = batch.accounts.get(spec.credit_account_id or 0)
    if credit is None:
        return Result.CREDIT_ACCOUNT_NOT_FOUND
    if debit.ledger_id != credit.ledger_id:
        return Result.ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER
    if debit.ledger_id != ledger.pk:
        return Result.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS
    d, c = batch.balances[debit.pk], batch.balances[credit.pk]
    if max(d.debits_pending + d.debits_posted, c.credits_pending + c.credits_posted) + spec.amount > MAX_AMOUNT:
        return Result.OVERFLOWS
    if debit.debits_must_not_exceed_credits and d.debits_pending + d.debits_posted + spec.amount > d.credits_posted:
        return Result.EXCEEDS_CREDITS
    if credit.credits_must_not_exceed_debits and c.credits_pending + c.credits_posted + spec.amount > c.debits_posted:
        return Result.EXCEEDS_DEBITS
    transfer = _stage(batch, spec, ledger, debit.pk, credit.pk, spec.amount, None, chain_id, chain_length)
    if spec.pending:
        d.debits_pending += spec.amount
        c.credits_pending += spec.amount
        batch.pendings[spec.id] = transfer
    else:
        _post(batch, transfer, spec.amount)
    return Result.OK


def _decide_resolution(
    batch: _Batch, spec: TransferSpec, ledger: Ledger, chain_id: uuid.UUID | None, chain_length: int
) -> Result:
    if spec.pending_id is None:
        return Result.PENDING_ID_REQUIRED
    pending = batch.pendings.get(spec.pending_id)
    if pending is None:
        return Result.PENDING_TRANSFER_NOT_FOUND
    if pending.kind != Transfer.Kind.PENDING:
        return Result.PENDING_TRANSFER_NOT_PENDING
    if spec.debit_account_id is not None and spec.debit_account_id != pending.debit_account_id:
        return Result.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT
    if spec.credit_account_id is not None and spec.credit_account_id != pending.credit_account_id:
        return Result.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT
    if pending.ledger_id != ledger.pk:
        return Result.TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS
    resolution = batch.resolved.get(pending.id)
    if resolution == Transfer.Kind.POST_PENDING:
        return Result.PENDING_TRANSFER_ALREADY_POSTED
    if resolution == Transfer.Kind.VOID_PENDING:
        return Result.PENDING_TRANSFER_ALREADY_VOIDED
    if resolution == Transfer.Kind.EXPIRY or (
        not spec.expiry and pending.expires_at is not None and pending.expires_at <= batch.now
    ):
        return Result.PENDING_TRANSFER_EXPIRED
    amount = spec.amount or pending.amount
    if spec.post_pending and amount > pending.amount:
        return Result.EXCEEDS_PENDING_TRANSFER_AMOUNT
    if not spec.post_pending and amount != pending.amount:
        return Result.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT
    d, c = batch.balances[pending.debit_account_id], batch.balances[pending.credit_account_id]
    transfer = _stage(
        batch,
        spec,
        ledger,
        pending.debit_account_id,
        pending.credit_account_id,
        amount,
        pending,
        chain_id,
        chain_length,
    )
    d.debits_pending -= pending.amount
    c.credits_pending -= pending.amount
    batch.resolved[pending.id] = spec.kind
    if spec.post_pending:
        _post(batch, transfer, amount)
    return Result.OK


def _stage(
    batch: _Batch,
    spec: TransferSpec,
    ledger: Ledger,
    debit_id: int,
    credit_id: int,
    amount: int,
    pending: Transfer | _Staged | None,
    chain_id: uuid.UUID | None,
    chain_length: int,
) -> _Staged:
    transfer = _Staged(
        id=spec.id,
        ledger_id=ledger.pk,
        kind=spec.kind,
        debit_account_id=debit_id,
        credit_account_id=credit_id,
        amount=amount,
        pending_id=pending.id if pending is not None else None,
        timeout=spec.timeout,
        expires_at=batch.now + dt.timedelta(seconds=spec.timeout) if spec.pending and spec.timeout else None,
        chain=chain_id,
        chain_length=chain_length,
        code=spec.code,
        label=spec.label,
        reference=spec.reference,
        journal=spec.journal,
        piece=spec.piece,
        value_date=spec.value_date or timezone.localdate(batch.now),
        created_at=batch.now,
    )
    batch.staged.append(transfer)
    batch.ids.add(spec.id)
    batch.changed.update((debit_id, credit_id))
    return transfer


def _post(batch: _Batch, transfer: _Staged, amount: int) -> None:
    d = batch.balances[transfer.debit_account_id]
    c = batch.balances[transfer.credit_account_id]
    d.debits_posted += amount
    c.credits_posted += amount
    batch.entries.append((transfer, transfer.debit_account_id, amount, 0))
    batch.entries.append((transfer, transfer.credit_account_id, 0, amount))


def _write(batch: _Batch) -> None:
    sequences = _next_sequences(len(batch.staged))
    heads = {pk: account.last_hash for pk, account in batch.accounts.items()}
    for transfer, sequence in zip(batch.staged, sequences, strict=True):
        transfer.sequence = sequence
        transfer.debit_prev_hash = heads[transfer.debit_account_id]
        transfer.credit_prev_hash = heads[transfer.credit_account_id]
        transfer.hash = heads[transfer.debit_account_id] = heads[transfer.credit_account_id] = transfer_hash(transfer)
    running: dict[int, int] = {}
    entries = []
    for transfer, account_id, debit, credit in batch.entries:
        if account_id not in running:
            account = batch.accounts[account_id]
            running[account_id] = account.debits_posted - account.credits_posted
        running[account_id] += debit - credit
        entries.append((account_id, transfer.id, transfer.sequence, debit, credit, running[account_id]))
    _insert_transfers(batch.staged)
    _insert_entries(entries)
    changed = []
    for pk in batch.changed:
        account, balances = batch.accounts[pk], batch.balances[pk]
        account.debits_pending = balances.debits_pending
        account.debits_posted = balances.debits_posted
        account.credits_pending = balances.credits_pending
        account.credits_posted = balances.credits_posted
        account.last_hash = heads[pk]
        changed.append(account)
    _write_balances(changed)


def _next_sequences(count: int) -> list[int]:
    """`count` increasing numbers, greater than any transfer's. PostgreSQL: from a sequence, which
    serialises nothing (gaps are left by rolled-back writes). SQLite: one writer at a time holds the
    database, so the table's greatest number is safe to continue from."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval('ledger_transfer_sequence') FROM generate_series(1, %s)", [count])
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT COALESCE(MAX(sequence), 0) FROM ledger_transfer")
        last = cursor.fetchone()[0]
        return list(range(last + 1, last + 1 + count))


_TRANSFER_COLUMNS = (
    "id",
    "ledger_id",
    "sequence",
    "kind",
    "debit_account_id",
    "credit_account_id",
    "amount",
    "pending_id",
    "timeout",
    "expires_at",
    "chain",
    "chain_length",
    "code",
    "label",
    "reference",
    "journal",
    "piece",
    "value_date",
    "created_at",
    "debit_prev_hash",
    "credit_prev_hash",
    "hash",
)
_ENTRY_COLUMNS = ("account_id", "transfer_id", "sequence", "debit", "credit", "balance_after")
_COPY_FROM = 20  # rows from which COPY beats one INSERT on PostgreSQL


def _insert_transfers(staged: list[_Staged]) -> None:
    """The rows `bulk_create` would write, without building a model instance for each: on PostgreSQL
    by COPY, on SQLite by one prepared INSERT run for every row."""
    rows: list[tuple[Any, ...]]
    if connection.vendor == "postgresql":
        rows = [tuple(getattr(t, name) for name in _TRANSFER_COLUMNS) for t in staged]
    else:  # SQLite stores UUIDs as 32 hex digits, datetimes and dates as ISO text
        ops = connection.ops
        rows = [
            (
                t.id.hex,
                t.ledger_id,
                t.sequence,
                t.kind,
                t.debit_account_id,
                t.credit_account_id,
                t.amount,
                t.pending_id.hex if t.pending_id else None,
                t.timeout,
                ops.adapt_datetimefield_value(t.expires_at) if t.expires_at else None,
                t.chain.hex if t.chain else None,
                t.chain_length,
                t.code,
                t.label,
                t.reference,
                t.journal,
                t.piece,
                t.value_date.isoformat(),
                ops.adapt_datetimefield_value(t.created_at),
                t.debit_prev_hash,
                t.credit_prev_hash,
                t.hash,
            )
            for t in staged
        ]
    _insert(Transfer._meta.db_table, _TRANSFER_COLUMNS, rows)


def _insert_entries(entries: list[tuple[int, uuid.UUID, int, int, int, int]]) -> None:
    rows: list[tuple[Any, ...]] = list(entries)
    if connection.vendor != "postgresql":
        rows = [(a, t.hex, s, d, c, b) for a, t, s, d, c, b in entries]
    _insert(Entry._meta.db_table, _ENTRY_COLUMNS, rows)


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    names = ", ".join(qn(name) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= _COPY_FROM:
            # The driver's own cursor: its errors must be turned into Django's here (IntegrityError).
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        if connection.vendor == "postgresql":  # a few rows: one statement, one round trip
            values = ", ".join([marks] * len(rows))
            cursor.execute(f"INSERT INTO {qn(table)} ({names}) VALUES {values}", [v for row in rows for v in row])  # noqa: S608
        else:
            cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES {marks}", rows)  # noqa: S608


_BALANCES = ("debits_pending", "debits_posted", "credits_pending", "credits_posted", "last_hash")


def _write_balances(accounts: list[Account]) -> None:
    """What `bulk_update` would write, as UPDATE ... FROM (VALUES ...): bulk_update builds a CASE WHEN
    per account and field, which cost most of a 10,000-transfer batch, in Python alone."""
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33):  # no UPDATE ... FROM
        Account.objects.bulk_update(accounts, list(_BALANCES), batch_size=2000)
        return
    qn = connection.ops.quote_name
    table, pk = qn(Account._meta.db_table), qn(Account._meta.pk.column)
    fields = [Account._meta.pk, *(Account._meta.get_field(name) for name in _BALANCES)]
    size = min(2000, connection.ops.bulk_batch_size(fields, accounts) or 2000)
    assignments = ", ".join(f"{qn(name)} = v.column{n}" for n, name in enumerate(_BALANCES, start=2))
    with connection.cursor() as cursor:
        for start in range(0, len(accounts), size):
            chunk = accounts[start : start + size]
            rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            params = [value for a in chunk for value in (a.pk, *(getattr(a, name) for name in _BALANCES))]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {rows}) AS v WHERE {table}.{pk} = v.column1",  # noqa: S608
                params,
            )


def pending_expire(*, now: dt.datetime | None = None, limit: int = MAX_BATCH) -> int:
    """Write the expiry of every pending transfer whose timeout has passed. Safe to run twice."""
    now = now or timezone.now()
    due = list(
        Transfer.objects.filter(kind=Transfer.Kind.PENDING, expires_at__lte=now, resolution__isnull=True)
        .select_related("ledger")
        .order_by("expires_at")[:limit]
    )
    specs = [
        TransferSpec(
            id=expiry_id(p.id),
            ledger=p.ledger.code,
            amount=0,
            pending_id=p.id,
            expiry=True,
            code="ledger.expiry",
            label=f"Expiry of {p.label}"[:200] if p.label else "Expiry",
            reference=p.reference,
            journal=p.journal,
            value_date=timezone.localdate(now),
        )
        for p in due
    ]
    results = transfers_create(specs, now=now)
    return sum(1 for r in results if r == Result.OK)
