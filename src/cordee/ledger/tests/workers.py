"""Entry points of the processes that `test_concurrency` starts: each runs in its own OS process,
on the scratch database named by DATABASE_URL, and prints one JSON line on stdout.

    python -m cordee.ledger.tests.workers setup
    python -m cordee.ledger.tests.workers post --seed 1 --count 150 [--impatient]
    python -m cordee.ledger.tests.workers crash --round 3 --count 5000 [--pause-at entry-insert#3] [--wait]
    python -m cordee.ledger.tests.workers resubmit    (reads {"round": 3, "count": 5000} lines)
    python -m cordee.ledger.tests.workers race --side 1 [--hold]
    python -m cordee.ledger.tests.workers report [--reference crash:3 ...]

`post` retries a batch that the database refused for contention (PostgreSQL deadlock or
serialization failure, SQLite "database is locked"; with --impatient also a PostgreSQL lock
timeout) with the same ids, as a production caller would, and counts the retries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from typing import Any

NAMESPACE = uuid.UUID("0b6c7f52-5f3e-4d8e-9a57-6a1f4f3f2c10")
VALUE_DATE = dt.date(2025, 1, 15)

# The concurrency test's accounts: (ledger, number, debits must not exceed credits).
ACCOUNTS = [
    ("EUR", "CAP", False),  # the capital that funds the others: no limit
    ("EUR", "POOL", True),
    ("EUR", "A", True),
    ("EUR", "B", True),
    ("EUR", "C", True),
    ("EUR", "OUT", False),  # where money leaves: credited only
    ("HOURS", "HCAP", False),
    ("HOURS", "HPOOL", True),
    ("HOURS", "HA", True),
    ("EUR", "K-POOL", True),  # the crash test's
    ("EUR", "K-1", False),
    ("EUR", "K-2", True),
]
FUNDING = {"POOL": 100_000, "A": 10_000, "B": 10_000, "C": 10_000, "HPOOL": 3_000, "K-POOL": 10**12}
SHARED_PENDINGS = 30  # CAP -> A, reserved by setup; every `post` worker races to post or void them all
SHARED_PENDING_AMOUNT = 700
FIELDS = ("debits_pending", "debits_posted", "credits_pending", "credits_posted")


def shared_pending_id(index: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"shared-pending-{index}")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordee.settings")
    import django

    django.setup()


def _emit(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, sort_keys=True), flush=True)


def _account_ids() -> dict[str, int]:
    from cordee.ledger.models import Account

    return {number: pk for number, pk in Account.objects.values_list("number", "pk")}


# --- setup ---------------------------------------------------------------------------------


def setup(_: argparse.Namespace) -> None:
    from cordee.ledger.codes import Result
    from cordee.ledger.posting import TransferSpec, transfers_create
    from cordee.ledger.services import account_open

    for ledger, number, limited in ACCOUNTS:
        account_open(ledger=ledger, number=number, label=number, debits_must_not_exceed_credits=limited)
    ids = _account_ids()
    specs = [
        TransferSpec(
            id=uuid.uuid5(NAMESPACE, f"funding-{number}"),
            ledger="HOURS" if number.startswith("H") else "EUR",
            amount=amount,
            debit_account_id=ids["HCAP" if number.startswith("H") else "CAP"],
            credit_account_id=ids[number],
            code="test.funding",
            value_date=VALUE_DATE,
        )
        for number, amount in FUNDING.items()
    ]
    specs += [
        TransferSpec(
            id=shared_pending_id(index),
            ledger="EUR",
            amount=SHARED_PENDING_AMOUNT,
            debit_account_id=ids["CAP"],
            credit_account_id=ids["A"],
            pending=True,
            code="test.shared-pending",
            value_date=VALUE_DATE,
        )
        for index in range(SHARED_PENDINGS)
    ]
    results = transfers_create(specs)
    bad = [str(result) for result in results if result != Result.OK]
    if bad:
        raise SystemExit(f"setup refused: {bad}")
    _emit({"accounts": ids, "transfers": len(specs)})


# --- post: the concurrency worker ------------------------------------------------------------


def _retryable(exc: BaseException, impatient: bool) -> bool:
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate in ("40001", "40P01"):  # serialization_failure, deadlock_detected
        return True
    if impatient and sqlstate == "55P03":  # lock_not_available: our own short lock_timeout
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def post_with_retry(specs: list[Any], *, impatient: bool, rng: random.Random) -> tuple[list[Any], int, list[str]]:
    """transfers_create, again with the same ids while the database refuses for contention."""
    from django.db import DatabaseError, connection

    from cordee.ledger.posting import transfers_create

    retries, errors = 0, []
    while True:
        try:
            return transfers_create(specs), retries, errors
        except DatabaseError as exc:
            if not _retryable(exc, impatient) or retries >= 1000:
                raise
            retries += 1
            if len(errors) < 5:
                errors.append(f"{type(exc.__cause__ or exc).__name__}: {str(exc).strip()[:120]}")
            connection.close_if_unusable_or_obsolete()
            time.sleep(rng.uniform(0, min(0.2, 0.002 * 2 ** min(retries, 7))))


def post(args: argparse.Namespace) -> None:
    from django.db import connection

    from cordee.ledger.codes import Result
    from cordee.ledger.posting import TransferSpec

    if args.impatient:  # fail fast instead of queueing, so that the retry path is really taken
        if connection.vendor == "sqlite":
            connection.settings_dict["OPTIONS"]["timeout"] = 0.002
        else:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3ms'")

    rng = random.Random(args.seed)
    ids = _account_ids()
    counter = 0

    def new_id() -> uuid.UUID:
        nonlocal counter
        counter += 1
        return uuid.uuid5(NAMESPACE, f"post-{args.seed}-{counter}")

    def spec(debit: str, credit: str, amount: int, **extra: Any) -> TransferSpec:
        return TransferSpec(
            id=extra.pop("id", None) or new_id(),
            ledger="HOURS" if debit.startswith("H") else "EUR",
            amount=amount,
            debit_account_id=ids[debit],
            credit_account_id=ids[credit],
            code="test.concurrency",
            reference=f"worker:{args.seed}",
            value_date=VALUE_DATE,
            **extra,
        )

    holders = ["A", "B", "C"]
    # What each transfer does to the balances if it succeeds: [(account, field, delta)].
    deltas: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    results: Counter[str] = Counter()
    own_pendings: list[tuple[uuid.UUID, str, str, int]] = []
    shared = list(range(SHARED_PENDINGS))
    rng.shuffle(shared)
    retries_total, errors_seen, batches, shared_won = 0, [], 0, 0
    submitted = 0

    def moves(debit: str, credit: str, amount: int, kind: str) -> list[tuple[str, str, int]]:
        return [(debit, f"debits_{kind}", amount), (credit, f"credits_{kind}", amount)]

    while submitted < args.count:
        batch: list[TransferSpec] = []
        effects: list[list[tuple[str, str, int]]] = []
        tags: list[str] = []
        size = rng.randint(1, 12)
        while len(batch) < size and submitted + len(batch) < args.count:
            roll = rng.random()
            room = args.count - submitted - len(batch)
            if shared and (roll < 0.12 or len(shared) + 1 >= room):  # race the others to resolve a shared pending
                index = shared.pop()
                post_it = rng.random() < 0.5
                amount = SHARED_PENDING_AMOUNT
                batch.append(
                    spec(
                        "CAP",
                        "A",
                        0,
                        id=uuid.uuid5(NAMESPACE, f"shared-resolution-{args.seed}-{index}"),
                        pending_id=shared_pending_id(index),
                        post_pending=post_it,
                        void_pending=not post_it,
                    )
                )
                effect = moves("CAP", "A", -amount, "pending")
                if post_it:
                    effect += moves("CAP", "A", amount, "posted")
                effects.append(effect)
                tags.append("shared")
            elif own_pendings and roll < 0.22:  # resolve one of our own pending transfers
                pending_id, debit, credit, amount = own_pendings.pop(rng.randrange(len(own_pendings)))
                post_it = rng.random() < 0.6
                posted = rng.choice([0, rng.randint(1, amount)]) if post_it else 0
                batch.append(
                    spec(debit, credit, posted, pending_id=pending_id, post_pending=post_it, void_pending=not post_it)
                )
                effect = moves(debit, credit, -amount, "pending")
                if post_it:
                    effect += moves(debit, credit, posted or amount, "posted")
                effects.append(effect)
                tags.append("own")
            elif roll < 0.30:  # reserve: a pending transfer counts against the limit at once
                debit, credit = rng.choice([("POOL", rng.choice(holders)), (rng.choice(holders), "OUT")])
                amount = rng.randint(1, 4000)
                batch.append(spec(debit, credit, amount, pending=True))
                effects.append(moves(debit, credit, amount, "pending"))
                tags.append("pending")
            elif roll < 0.36 and submitted + len(batch) + 2 <= args.count:  # a linked chain of two: both or neither
                first, second, third = rng.sample(["POOL", *holders], 3)
                amount = rng.randint(1, 5000)
                batch.append(spec(first, second, amount, linked=True))
                effects.append(moves(first, second, amount, "posted"))
                tags.append("linked")
                batch.append(spec(second, third, rng.randint(1, amount)))
                effects.append(moves(second, third, batch[-1].amount, "posted"))
                tags.append("linked")
            elif roll < 0.44:  # the other ledger, in the same batch
                debit, credit = rng.choice([("HPOOL", "HA"), ("HA", "HPOOL"), ("HA", "HCAP")])
                amount = rng.randint(1, 240)
                batch.append(spec(debit, credit, amount))
                effects.append(moves(debit, credit, amount, "posted"))
                tags.append("hours")
            else:
                debit, credit = rng.choice(
                    [("POOL", h) for h in holders] * 3
                    + [(a, b) for a in holders for b in holders if a != b]
                    + [(h, "POOL") for h in holders]
                    + [(a, "OUT") for a in ["POOL", *holders]]
                )
                amount = rng.randint(1, 5000)
                batch.append(spec(debit, credit, amount))
                effects.append(moves(debit, credit, amount, "posted"))
                tags.append("posted")
        outcome, retries, errors = post_with_retry(batch, impatient=args.impatient, rng=rng)
        batches += 1
        retries_total += retries
        errors_seen += errors[: max(0, 5 - len(errors_seen))]
        submitted += len(batch)
        for one, result, effect, tag in zip(batch, outcome, effects, tags, strict=True):
            results[str(result)] += 1
            if result.succeeded:
                for account, field_name, delta in effect:
                    deltas[account][field_name] += delta
                if tag == "pending":
                    own_pendings.append((one.id, *_accounts_of(one, ids), one.amount))
                if tag == "shared":
                    shared_won += 1
    _emit(
        {
            "seed": args.seed,
            "results": dict(results),
            "submitted": submitted,
            "succeeded": results[Result.OK] + results[Result.EXISTS],
            "deltas": deltas,
            "retries": retries_total,
            "retry_errors": errors_seen,
            "batches": batches,
            "shared_won": shared_won,
        }
    )


def _accounts_of(spec: Any, ids: dict[str, int]) -> tuple[str, str]:
    numbers = {pk: number for number, pk in ids.items()}
    return numbers[spec.debit_account_id], numbers[spec.credit_account_id]


# --- crash: one big batch, killed by the parent ------------------------------------------------


def crash_batch(round_: int, count: int) -> list[Any]:
    """The same batch every time for a given round: same ids, same fields."""
    from cordee.ledger.posting import TransferSpec

    ids = _account_ids()
    rng = random.Random(round_)
    targets = ["K-1", "K-2"]
    specs = []
    for index in range(count):
        specs.append(
            TransferSpec(
                id=uuid.uuid5(NAMESPACE, f"crash-{round_}-{index}"),
                ledger="EUR",
                amount=rng.randint(1, 100_000),
                debit_account_id=ids["K-POOL"],
                credit_account_id=ids[rng.choice(targets)],
                code="test.crash",
                label=f"crash round {round_} #{index}",
                reference=f"crash:{round_}",
                value_date=VALUE_DATE,
            )
        )
    return specs


def crash(args: argparse.Namespace) -> None:
    """Post one batch; announce each stage of its transaction on stdout, and with --pause-at stop
    (sleeping, inside the transaction) at that stage so that the parent's SIGKILL lands there.

    The stages are posting's write steps (COPY, which PostgreSQL's inserts use, passes no execute
    wrapper): before the transfers, before the entries, before the balances, after the balances."""
    from django.db import connection, transaction

    from cordee.ledger import posting
    from cordee.ledger.posting import transfers_create

    specs = crash_batch(args.round, args.count)
    seen: Counter[str] = Counter()

    def checkpoint(name: str) -> None:
        print(f"stage {name}", flush=True)
        if name == args.pause_at:
            print(f"paused {name}", flush=True)
            time.sleep(60)

    def announced(step: Any, before: str, after: str | None = None) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            seen[before] += 1
            checkpoint(f"{before}#{seen[before]}")
            result = step(*args, **kwargs)
            if after is not None:
                seen[after] += 1
                if seen[after] == 1:
                    transaction.on_commit(lambda: checkpoint("committed"))
                checkpoint(f"{after}#{seen[after]}")
            return result

        return run

    posting._insert_transfers = announced(posting._insert_transfers, "transfer-insert")  # type: ignore[assignment]
    posting._insert_entries = announced(posting._insert_entries, "entry-insert")  # type: ignore[assignment]
    posting._write_balances = announced(posting._write_balances, "account-update", "written")  # type: ignore[assignment]

    connection.ensure_connection()
    if args.wait:  # started ahead of time: wait for the parent's go
        backend = 0  # PostgreSQL: the server process of our session, which may outlive us
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
        print(f"ready {backend}", flush=True)
        sys.stdin.readline()
    started = time.monotonic()
    print("begin", flush=True)
    results = transfers_create(specs)
    _emit(
        {
            "results": dict(Counter(str(result) for result in results)),
            "elapsed": time.monotonic() - started,
            "stages": dict(seen),
        }
    )


def resubmit(_: argparse.Namespace) -> None:
    """A resident process: for each line {"round": r, "count": n} on stdin, post that round's
    crash batch again and print its results (so that a resubmission costs no start-up)."""
    from cordee.ledger.posting import transfers_create

    for line in sys.stdin:
        order = json.loads(line)
        specs = crash_batch(order["round"], order["count"])
        started = time.monotonic()
        results = transfers_create(specs)
        _emit(
            {
                "round": order["round"],
                "results": dict(Counter(str(result) for result in results)),
                "elapsed": time.monotonic() - started,
            }
        )


# --- race: the same new ids written at once on disjoint accounts ------------------------------

RACE = 50


def race(args: argparse.Namespace) -> None:
    """Post RACE transfers whose ids the other side posts too, between other accounts: side 1
    K-1 -> K-2, side 2 CAP -> OUT. Announce each attempt of posting and each insert; with --hold,
    wait for a line on stdin after inserting the transfers (the transaction open, the rows written,
    not committed) so that the other side's insert meets them."""
    from cordee.ledger import posting
    from cordee.ledger.posting import TransferSpec, transfers_create

    ids = _account_ids()
    debit, credit = ("K-1", "K-2") if args.side == 1 else ("CAP", "OUT")
    specs = [
        TransferSpec(
            id=uuid.uuid5(NAMESPACE, f"race-{index}"),
            ledger="EUR",
            amount=1 + index,
            debit_account_id=ids[debit],
            credit_account_id=ids[credit],
            code="test.race",
            value_date=VALUE_DATE,
        )
        for index in range(RACE)
    ]
    create, insert = posting._create, posting._insert_transfers

    def attempt(*a: Any, **k: Any) -> Any:
        print("attempt", flush=True)
        return create(*a, **k)

    def announced_insert(*a: Any, **k: Any) -> Any:
        print("inserting", flush=True)
        insert(*a, **k)
        print("inserted", flush=True)
        if args.hold:
            sys.stdin.readline()

    posting._create = attempt  # type: ignore[assignment]
    posting._insert_transfers = announced_insert  # type: ignore[assignment]
    results = transfers_create(specs)
    _emit({"results": dict(Counter(str(result) for result in results))})


# --- report ----------------------------------------------------------------------------------


def report(args: argparse.Namespace) -> None:
    from django.db.models import Count, Max

    from cordee.ledger.models import Account, Entry, Transfer

    highest = dict(Entry.objects.values_list("account__number").annotate(Max("balance_after")))
    accounts = {
        account.number: {
            **{name: getattr(account, name) for name in FIELDS},
            "limited": account.debits_must_not_exceed_credits,
            "highest_balance": highest.get(account.number),  # debits minus credits, at its highest
        }
        for account in Account.objects.all()
    }
    references = dict(
        Transfer.objects.filter(reference__in=args.reference).values_list("reference").annotate(Count("id"))
    )
    _emit(
        {
            "transfers": Transfer.objects.count(),
            "entries": Entry.objects.count(),
            "accounts": accounts,
            "references": {reference: references.get(reference, 0) for reference in args.reference},
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="workers")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup").set_defaults(run=setup)
    post_parser = commands.add_parser("post")
    post_parser.add_argument("--seed", type=int, required=True)
    post_parser.add_argument("--count", type=int, required=True)
    post_parser.add_argument("--impatient", action="store_true", help="a tiny lock wait, so retries happen")
    post_parser.set_defaults(run=post)
    crash_parser = commands.add_parser("crash")
    crash_parser.add_argument("--round", type=int, required=True)
    crash_parser.add_argument("--count", type=int, required=True)
    crash_parser.add_argument("--pause-at", default="")
    crash_parser.add_argument("--wait", action="store_true", help="say ready, then wait for a line on stdin")
    crash_parser.set_defaults(run=crash)
    commands.add_parser("resubmit").set_defaults(run=resubmit)
    race_parser = commands.add_parser("race")
    race_parser.add_argument("--side", type=int, choices=(1, 2), required=True)
    race_parser.add_argument("--hold", action="store_true", help="wait for a line on stdin after inserting")
    race_parser.set_defaults(run=race)
    report_parser = commands.add_parser("report")
    report_parser.add_argument("--reference", action="append", default=[])
    report_parser.set_defaults(run=report)
    args = parser.parse_args(argv)
    _setup_django()
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
