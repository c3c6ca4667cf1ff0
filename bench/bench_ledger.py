"""The ledger: posting throughput against pgbench, a hot account, batches, and a long statement.

Everything runs in scratch databases of its own, whatever database the other benchmarks use:
on PostgreSQL (the server a postgres DATABASE_URL names, else a throwaway one started here with
durable settings, see bench/_pg.py) and on a SQLite file. Each measurement runs in separate
processes (`python -m bench.bench_ledger <command>`, each with its own Django and connection),
so that eight clients really are eight clients.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

CLIENTS = 8
SECONDS = 15  # each concurrent run
SINGLE_SECONDS = 10  # the one-client run, for comparison
ACCOUNTS = 10_000  # spread like TPC-B's accounts
BATCH = 10_000  # the largest batch posting accepts
BATCHES = 3
STATEMENT_ENTRIES = {"postgresql": 1_000_000, "sqlite": 1_000_000}
STATEMENT_REPEAT = 50
LOAD_AFTER = 1_000  # posted through the service on top of the loaded entries
PGBENCH_SCALE = 8  # >= clients, so that the 8 branch rows are not the whole story
PGBENCH_JOBS = 2

GOAL_RATIO = 0.8
GOAL_HOT_RATIO = 0.6
GOAL_BATCH = 20_000
GOAL_STATEMENT_MS = 50.0

PGBENCH_DATABASE = "cordee_bench_pgbench"
LEDGER_DATABASE = "cordee_bench_ledger"

LEDGER = "EUR"
ACCOUNT_LOCK = "lock the accounts (waiting included)"  # phases: where the clients wait
SQLITE_LOCK = "BEGIN (SQLite: waiting for the write lock)"
POOL = "BENCH-POOL"
STATEMENT = "BENCH-STATEMENT"


_STARTED = float(os.environ.get("CORDEE_BENCH_STARTED", time.time()))  # the workers count from the parent's start


def _log(message: str) -> None:
    print(f"[{time.time() - _STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


def _emit(payload: dict[str, Any]) -> None:
    print(json.dumps(payload), flush=True)


# =========================================================================================
# Workers: each command runs in its own process, on the database DATABASE_URL names.
# =========================================================================================


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cordee.settings")
    import django

    django.setup()


def _accounts() -> tuple[list[int], int, int]:
    from cordee.ledger.models import Account

    ids = dict(Account.objects.filter(number__startswith="BENCH-").values_list("number", "pk"))
    pool, statement = ids.pop(POOL), ids.pop(STATEMENT)
    return sorted(ids.values()), pool, statement


def cmd_setup(_: argparse.Namespace) -> None:
    """Open the accounts. In bulk: opening accounts is not what is measured here."""
    from cordee.ledger.models import Account, Ledger

    ledger = Ledger.objects.get(code=LEDGER)
    numbers = [f"BENCH-{n:05d}" for n in range(ACCOUNTS)] + [POOL, STATEMENT]
    Account.objects.bulk_create(
        [Account(ledger=ledger, number=number, label=f"Bench {number}") for number in numbers], batch_size=2000
    )
    _emit({"accounts": len(numbers)})


class Phases:
    """Where a posting's time goes, measured inside the worker.

    Statements are timed through Django's execute wrapper and sorted by what they do; a few of
    posting's own steps are timed by wrapping them (the wrappers only time, they change nothing).
    """

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._inside: str | None = None

    def statement(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if self._inside is not None:
            return execute(sql, params, many, context)
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.spent[self._kind(sql)] += time.perf_counter() - start

    @staticmethod
    def _kind(sql: str) -> str:
        head = sql.lstrip()[:12].upper()
        if head.startswith("BEGIN"):
            return SQLITE_LOCK
        if "FOR UPDATE" in sql:
            return ACCOUNT_LOCK
        if head.startswith("SELECT"):
            return "other reads (on SQLite, also the ledger and the accounts)"
        return "other statements"

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            outer = self._inside
            if outer is not None:
                return original(*args, **kwargs)
            self._inside = label
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[label] += time.perf_counter() - start
                self._inside = outer

        setattr(owner, name, timed)

    @contextmanager
    def installed(self) -> Iterator[Phases]:
        from django.db import connections

        from cordee.ledger import posting

        connection = connections["default"]
        self.wrap(posting, "_decide_chain", "decide (Python)")
        self.wrap(posting, "transfer_hash", "hash chains (SHA-256)")
        self.wrap(posting, "_next_sequences", "number the transfers")
        self.wrap(posting, "_insert_transfers", "insert the transfers")
        self.wrap(posting, "_insert_entries", "insert the entries")
        self.wrap(posting, "_write_balances", "update the balances and chain heads")
        connection.ensure_connection()
        self.wrap(connection, "_commit", "commit (deferred foreign-key checks, WAL write)")
        with connection.execute_wrapper(self.statement):
            yield self

    def snapshot(self) -> dict[str, float]:
        return dict(self.spent)

    def restore(self, snapshot: dict[str, float]) -> None:
        self.spent = defaultdict(float, snapshot)

    def shares(self, total: float, count: int) -> list[tuple[str, float, float]]:
        """(phase, share of the total, microseconds per transfer), largest first, with the rest."""
        rows = [(label, spent / total, spent / count * 1e6) for label, spent in self.spent.items() if spent > 0]
        rest = total - sum(self.spent.values())
        rows.append(("the rest (Python: the service, the ORM's reads)", rest / total, rest / count * 1e6))
        return sorted(rows, key=lambda row: -row[1])


def _spec(debit: int, credit: int, amount: int) -> Any:
    from cordee.ledger.posting import TransferSpec

    return TransferSpec(id=uuid.uuid4(), ledger=LEDGER, amount=amount, debit_account_id=debit, credit_account_id=credit)


def _post(specs: list[Any]) -> tuple[list[Any], int]:
    """Post, retrying on contention with the same ids as a production caller would."""
    from django.db import OperationalError

    from cordee.ledger.posting import transfers_create

    retries = 0
    while True:
        try:
            return transfers_create(specs), retries
        except OperationalError:  # deadlock, serialization failure, SQLite "database is locked"
            retries += 1
            if retries > 100:
                raise


def cmd_post(args: argparse.Namespace) -> None:
    """Post single transfers for `seconds` after the parent says go; every one touches the pool
    account when `hot`."""
    from cordee.ledger.codes import Result

    accounts, pool, _ = _accounts()
    rng = random.Random(args.seed)
    _emit({"ready": True})
    sys.stdin.readline()  # the parent's "go", sent to every client at once
    phases = Phases()
    done = failed = retries = 0
    latencies: list[float] = []
    with phases.installed():
        start = time.perf_counter()
        deadline = start + args.seconds
        while time.perf_counter() < deadline:
            if args.hot:
                other = rng.choice(accounts)
                debit, credit = (pool, other) if rng.random() < 0.5 else (other, pool)
            else:
                debit, credit = rng.sample(accounts, 2)
            before = phases.snapshot()
            begin = time.perf_counter()
            results, tries = _post([_spec(debit, credit, rng.randint(1, 100_000))])
            end = time.perf_counter()
            if end > deadline:  # not counted, nor its phases
                phases.restore(before)
                break
            retries += tries
            latencies.append(end - begin)
            if results == [Result.OK]:
                done += 1
            else:
                failed += 1
        busy = sum(latencies)
    _emit(
        {
            "done": done,
            "failed": failed,
            "retries": retries,
            "seconds": args.seconds,
            "latencies": latencies,
            "phases": phases.shares(busy, max(done + failed, 1)) if latencies else [],
        }
    )


def cmd_batch(args: argparse.Namespace) -> None:
    """Post `batches` batches of `size` transfers between uniformly chosen accounts, one client."""
    from cordee.ledger.codes import Result

    accounts, _, _ = _accounts()
    rng = random.Random(args.seed)
    phases = Phases()
    timings: list[float] = []
    failed = 0
    with phases.installed():
        for _ in range(args.batches):
            specs = [_spec(*rng.sample(accounts, 2), rng.randint(1, 100_000)) for _ in range(args.size)]
            start = time.perf_counter()
            results, _ = _post(specs)
            timings.append(time.perf_counter() - start)
            failed += sum(1 for result in results if result != Result.OK)
            _log(f"   batch of {args.size:,}: {timings[-1]:.2f} s, {args.size / timings[-1]:,.0f} transfers/s")
    total = sum(timings)
    _emit(
        {
            "transfers": args.batches * args.size,
            "failed": failed,
            "seconds": total,
            "timings": timings,
            "phases": phases.shares(total, args.batches * args.size),
        }
    )


def _copy_rows(model: Any, fields: list[Any], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows as they are: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    qn = connection.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(field.column) for field in fields)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def cmd_load(args: argparse.Namespace) -> None:
    """Give the statement account `entries` entries, written straight into the tables.

    Through the service this would take longer than the whole benchmark may (see the batch
    figure), so the rows the service would write are computed here and copied in: each transfer
    has the statement account on one side and a random account on the other, its sequence and
    SHA-256 links are those of its accounts' chains (computed by `posting.transfer_hash`), each entry
    carries its account's running balance, and the accounts' balances and chain heads (and on
    PostgreSQL the transfers' sequence) are updated to match. Then `after` more transfers go
    through the service, on top of the chains.
    """
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from cordee.ledger.codes import Result
    from cordee.ledger.models import Account, Entry, Ledger, Transfer
    from cordee.ledger.posting import transfer_hash

    accounts, _, statement = _accounts()
    rng = random.Random(args.seed)
    transfer_fields = list(Transfer._meta.concrete_fields)
    entry_fields = [field for field in Entry._meta.concrete_fields if not field.primary_key]
    names = ("debits_pending", "debits_posted", "credits_pending", "credits_posted", "last_hash")
    start = time.perf_counter()
    with transaction.atomic():
        ledger = Ledger.objects.get(code=LEDGER)
        balances = {row[0]: list(row[1:]) for row in Account.objects.filter(ledger=ledger).values_list("pk", *names)}
        now = timezone.now()
        transfer = Transfer(
            ledger=ledger, kind=Transfer.Kind.POSTED, timeout=0, chain_length=1, code="bench.load",
            value_date=timezone.localdate(now), created_at=now,
        )  # fmt: skip
        prep = {field.attname: field for field in transfer_fields}
        fixed = {  # the same on every row, adapted for the database once
            name: prep[name].get_db_prep_save(getattr(transfer, name), connection)
            for name in prep
            if name
            not in {
                "id", "sequence", "debit_account_id", "credit_account_id", "amount",
                "debit_prev_hash", "credit_prev_hash", "hash",
            }
        }  # fmt: skip
        id_field = prep["id"]
        sequence = Transfer.objects.aggregate(last=Max("sequence"))["last"] or 0
        for first in range(0, args.entries, args.chunk):
            transfers, entries = [], []
            for _ in range(min(args.chunk, args.entries - first)):
                other = rng.choice(accounts)
                debit, credit = (statement, other) if rng.random() < 0.5 else (other, statement)
                sequence += 1
                transfer.id = uuid.UUID(int=rng.getrandbits(128), version=4)
                transfer.sequence, transfer.amount = sequence, rng.randint(1, 100_000)
                transfer.debit_account_id, transfer.credit_account_id = debit, credit
                d, c = balances[debit], balances[credit]
                transfer.debit_prev_hash, transfer.credit_prev_hash = d[4], c[4]
                transfer.hash = d[4] = c[4] = transfer_hash(transfer)
                values = {
                    **fixed,
                    "id": id_field.get_db_prep_save(transfer.id, connection),
                    "sequence": sequence,
                    "debit_account_id": debit,
                    "credit_account_id": credit,
                    "amount": transfer.amount,
                    "debit_prev_hash": transfer.debit_prev_hash,
                    "credit_prev_hash": transfer.credit_prev_hash,
                    "hash": transfer.hash,
                }
                transfers.append(tuple(values[field.attname] for field in transfer_fields))
                d[1] += transfer.amount
                c[3] += transfer.amount
                for account, side in ((debit, d), (credit, c)):
                    amounts = (transfer.amount, 0) if side is d else (0, transfer.amount)
                    entries.append((account, values["id"], sequence, *amounts, side[1] - side[3]))
            _copy_rows(Transfer, transfer_fields, transfers)
            _copy_rows(Entry, entry_fields, entries)
            done = first + len(transfers)
            if done % (args.chunk * 5) == 0 or done == args.entries:
                _log(f"   {done:,} transfers written, {done / (time.perf_counter() - start):,.0f}/s")
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {qn(Account._meta.db_table)} SET {', '.join(f'{qn(n)} = %s' for n in names)} "  # noqa: S608
                f"WHERE {qn(Account._meta.pk.column)} = %s",
                [(*values, pk) for pk, values in balances.items()],
            )
            if connection.vendor == "postgresql":
                cursor.execute("SELECT setval('ledger_transfer_sequence', %s)", [sequence])
        before_commit = time.perf_counter()
    written = time.perf_counter() - start
    _log(f"   commit (the foreign keys are checked then): {written - (before_commit - start):.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    specs = []
    for _ in range(args.after):
        other = rng.choice(accounts)
        debit, credit = (statement, other) if rng.random() < 0.5 else (other, statement)
        specs.append(_spec(debit, credit, rng.randint(1, 100_000)))
    results, _ = _post(specs)
    assert all(result == Result.OK for result in results), set(results)
    _emit({"transfers": args.entries, "seconds": written, "after": args.after})


def cmd_verify(_: argparse.Namespace) -> None:
    from cordee.ledger.verify import verify

    report = verify()
    _emit({"ok": report.ok, "transfers": report.transfers, "violations": report.violations[:5]})


def cmd_statement(args: argparse.Namespace) -> None:
    """Time the first page of the statement and a page in the middle of its history."""
    from cordee.ledger import selectors
    from cordee.ledger.models import Account, Entry

    account = Account.objects.get(number=STATEMENT)
    entries = Entry.objects.filter(account=account).count()
    middle = Entry.objects.filter(account=account).order_by("sequence").values_list("sequence", flat=True)[entries // 2]
    figures: dict[str, Any] = {"entries": entries, "middle_sequence": middle}
    for name, before in (("first", None), ("middle", middle)):
        page = selectors.statement(account, before=before)  # warm-up
        assert len(page.entries) == selectors.STATEMENT_PAGE, len(page.entries)
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            page = selectors.statement(account, before=before)
            timings.append((time.perf_counter() - start) * 1000)
        figures[f"{name}_ms"] = statistics.median(timings)
        figures[f"{name}_max_ms"] = max(timings)
    _emit(figures)


def _worker_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ledger")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup").set_defaults(func=cmd_setup)
    post = commands.add_parser("post")
    post.add_argument("--seconds", type=float, default=SECONDS)
    post.add_argument("--seed", type=int, default=0)
    post.add_argument("--hot", action="store_true")
    post.set_defaults(func=cmd_post)
    batch = commands.add_parser("batch")
    batch.add_argument("--batches", type=int, default=BATCHES)
    batch.add_argument("--size", type=int, default=BATCH)
    batch.add_argument("--seed", type=int, default=0)
    batch.set_defaults(func=cmd_batch)
    load = commands.add_parser("load")
    load.add_argument("--entries", type=int, default=STATEMENT_ENTRIES["postgresql"])
    load.add_argument("--chunk", type=int, default=20_000)
    load.add_argument("--after", type=int, default=LOAD_AFTER)
    load.add_argument("--seed", type=int, default=2)
    load.set_defaults(func=cmd_load)
    commands.add_parser("verify").set_defaults(func=cmd_verify)
    statement = commands.add_parser("statement")
    statement.add_argument("--repeat", type=int, default=STATEMENT_REPEAT)
    statement.set_defaults(func=cmd_statement)
    args = parser.parse_args(argv)
    _django()
    args.func(args)


# =========================================================================================
# The parent: scratch databases, pgbench, the clients, the report.
# =========================================================================================


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "cordee.settings",
        "CORDEE_BENCH_STARTED": str(_STARTED),
    }


def _worker(url: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_ledger", *args],
        env=_env(url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _clients(url: str, clients: int, *, hot: bool, seconds: float | None = None) -> dict[str, Any]:
    """Start the clients, wait until every one is connected, say go to all, gather the counts."""
    seconds = SECONDS if seconds is None else seconds
    command = [sys.executable, "-m", "bench.bench_ledger", "post", "--seconds", str(seconds)]
    processes = [
        subprocess.Popen(
            [*command, "--seed", str(n), *(["--hot"] if hot else [])],
            env=_env(url),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(clients)
    ]
    for process in processes:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith('{"ready"'):
            raise RuntimeError(f"a client did not start: {line!r}")
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    reports = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise RuntimeError(f"a client failed with exit code {process.returncode}")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    done = sum(r["done"] for r in reports)
    latencies = sorted(latency for r in reports for latency in r["latencies"])
    phases: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for report in reports:
        for label, share, micros in report["phases"]:
            phases[label][0] += share / len(reports)
            phases[label][1] += micros / len(reports)
    return {
        "rate": done / seconds,
        "done": done,
        "failed": sum(r["failed"] for r in reports),
        "retries": sum(r["retries"] for r in reports),
        "p50": latencies[len(latencies) // 2] * 1000 if latencies else 0.0,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0.0,
        "phases": sorted(((label, s, m) for label, (s, m) in phases.items()), key=lambda row: -row[1]),
    }


def _pgbench_init(server: Any) -> str:
    server.create_database(PGBENCH_DATABASE)
    _log(f"   pgbench -i -s {PGBENCH_SCALE}")
    subprocess.run(
        [server.tool("pgbench"), "-i", "-q", "-s", str(PGBENCH_SCALE), PGBENCH_DATABASE],
        env=server.env(),
        check=True,
        capture_output=True,
    )
    return PGBENCH_DATABASE


def _pgbench_run(server: Any, database: str) -> dict[str, float]:
    command = ["-b", "tpcb-like", "-c", str(CLIENTS), "-j", str(PGBENCH_JOBS), "-T", str(SECONDS), "-n", database]
    _log(f"   pgbench {' '.join(command)}")
    out = subprocess.run(
        [server.tool("pgbench"), *command], env=server.env(), check=True, capture_output=True, text=True
    ).stdout
    tps = re.search(r"tps = ([\d.]+)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    if tps is None:
        raise RuntimeError(f"no tps in pgbench's output:\n{out}")
    return {"tps": float(tps.group(1)), "latency": float(latency.group(1)) if latency else 0.0}


def _measure(url: str, vendor: str, between: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Every Cordée figure on one scratch database; `between` runs right after the concurrent runs."""
    figures: dict[str, Any] = {"load_average": os.getloadavg()}
    _log("   migrate, open the accounts")
    subprocess.run([sys.executable, "-m", "cordee", "migrate", "--no-input", "-v", "0"], env=_env(url), check=True)
    _worker(url, "setup")
    _log(f"   1 client, {SINGLE_SECONDS} s")
    figures["single"] = _clients(url, 1, hot=False, seconds=SINGLE_SECONDS)
    _log(f"   {CLIENTS} clients, uniform accounts, {SECONDS} s")
    figures["uniform"] = _clients(url, CLIENTS, hot=False)
    _log(f"   {CLIENTS} clients, hot pool account, {SECONDS} s")
    figures["hot"] = _clients(url, CLIENTS, hot=True)
    if between is not None:
        figures["between"] = between()
    _log(f"   {BATCHES} batches of {BATCH:,}, 1 client")
    figures["batch"] = _worker(url, "batch", "--batches", str(BATCHES), "--size", str(BATCH), "--seed", "1")
    entries = STATEMENT_ENTRIES[vendor]
    _log(f"   {entries:,} entries on one account, written straight into the tables")
    figures["load"] = _worker(url, "load", "--entries", str(entries), "--after", str(LOAD_AFTER))
    _log(f"   statement, median of {STATEMENT_REPEAT}")
    figures["statement"] = _worker(url, "statement", "--repeat", str(STATEMENT_REPEAT))
    return figures


def _postgres() -> dict[str, Any] | str:
    from bench import _pg

    given = os.environ.get("DATABASE_URL")
    if not _pg.is_postgres(given) and _pg.bin_dir() is None:
        return "PostgreSQL is not installed here (no pg_ctl) and DATABASE_URL names no PostgreSQL server: skipped."
    with _pg.Server(given) as server:
        result: dict[str, Any] = {"settings": server.settings(), "owned": server.owned}
        _log("-- PostgreSQL: pgbench, then Cordée, then pgbench again")
        database = _pgbench_init(server)
        result["pgbench"] = [_pgbench_run(server, database)]
        url = server.create_database(LEDGER_DATABASE)
        result["figures"] = _measure(url, "postgresql", between=lambda: _pgbench_run(server, database))
        result["pgbench"].append(result["figures"].pop("between"))
        return result


def _sqlite() -> dict[str, Any]:
    database = ROOT / "var" / "bench" / "ledger.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)

    remove()
    try:
        _log("-- SQLite: Cordée")
        return _measure(f"sqlite:///{database}", "sqlite")
    finally:
        remove()


# --- the report ---------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _goal_rows(figures: dict[str, Any]) -> list[str]:
    batch, statement = figures["batch"], figures["statement"]
    rate = batch["transfers"] / batch["seconds"]
    return [
        f"| batch posting, {BATCHES} batches of {_n(BATCH)}, 1 client | {_n(rate)} transfers/s "
        f"| ≥ {_n(GOAL_BATCH)}/s (2 cores) | {_met(rate >= GOAL_BATCH)} |",
        f"| statement, newest page, account with {_n(statement['entries'])} entries "
        f"| {statement['first_ms']:.1f} ms | < {GOAL_STATEMENT_MS:.0f} ms "
        f"| {_met(statement['first_ms'] < GOAL_STATEMENT_MS)} |",
        f"| statement, a page in the middle of its history (`before={statement['middle_sequence']}`) "
        f"| {statement['middle_ms']:.1f} ms | < {GOAL_STATEMENT_MS:.0f} ms "
        f"| {_met(statement['middle_ms'] < GOAL_STATEMENT_MS)} |",
    ]


def _client_row(label: str, run: dict[str, Any]) -> str:
    return (
        f"| {label} | {_n(run['rate'])}/s | {run['p50']:.1f} ms | {run['p99']:.1f} ms "
        f"| {_n(run['done'])} | {run['retries']} | {run['failed']} |"
    )


def _details(figures: dict[str, Any]) -> list[str]:
    load, statement = figures["load"], figures["statement"]
    batch_rate = figures["batch"]["transfers"] / figures["batch"]["seconds"]
    lines = [
        "| single transfers | transfers/s | latency p50 | p99 | posted | retries | refused |",
        "|---|---|---|---|---|---|---|",
        _client_row("1 client, random accounts", figures["single"]),
        _client_row(f"{CLIENTS} clients, random accounts", figures["uniform"]),
        _client_row(f"{CLIENTS} clients, the pool account in every transfer", figures["hot"]),
        "",
        f"Per batch: {', '.join(f'{t:.2f} s' for t in figures['batch']['timings'])}. "
        f"The statement account's {_n(load['transfers'])} transfers were written straight into the tables in "
        f"{load['seconds']:.0f} s ({_n(load['transfers'] / load['seconds'])}/s): at the batch rate above, the "
        f"service would have needed {load['transfers'] / batch_rate / 60:.0f} min. They are the rows the service "
        "writes (numbered in order, each chained to its two accounts' previous transfers by `posting.transfer_hash`, "
        "each entry with its running balance, the accounts' balances and chain heads updated to match), and "
        f"{_n(load['after'])} more transfers were then posted through the service on top. Slowest of the "
        f"{STATEMENT_REPEAT} calls: {statement['first_max_ms']:.1f} ms (newest page), "
        f"{statement['middle_max_ms']:.1f} ms (middle).",
        "",
    ]
    for title, phases in (
        (f"where a single transfer's time goes ({CLIENTS} clients, random accounts)", figures["uniform"]["phases"]),
        ("the same, with the pool account in every transfer", figures["hot"]["phases"]),
        (f"where a batch's time goes ({_n(BATCH)} transfers)", figures["batch"]["phases"]),
    ):
        lines += [f"| {title} | share | mean µs per transfer |", "|---|---|---|"]
        lines += [f"| {label} | {share:.0%} | {_n(micros)} |" for label, share, micros in phases if share >= 0.005]
        lines.append("")
    return lines


WHY = {
    ACCOUNT_LOCK: "a posting holds its accounts' rows (their balances and chain heads) until its commit, so "
    "two postings that share an account run one after the other",
    SQLITE_LOCK: "SQLite lets one transaction write at a time, and waiting writers poll with sleeps",
}


def _where(figures: dict[str, Any], lock: str) -> list[str]:
    """What the phases of this run say, in words."""
    single, uniform, hot = (figures[name]["rate"] for name in ("single", "uniform", "hot"))
    lines = [
        f"One client posts {_n(single)}/s; {CLIENTS} clients post {_n(uniform)}/s on random accounts "
        f"({uniform / single:.1f} times one client) and {_n(hot)}/s when every transfer shares the pool account."
    ]
    for run, label in ((figures["uniform"], "random accounts"), (figures["hot"], "the pool account")):
        waiting = {name: share for name, share, _ in run["phases"]}.get(lock, 0.0)
        if waiting >= 0.3:
            lines.append(f"With {label}, {waiting:.0%} of a transfer's time is spent at *{lock}*: {WHY[lock]}.")
    batch = figures["batch"]["phases"]
    if batch:
        label, share, micros = batch[0]
        lines.append(f"In a batch, the largest share is *{label}*: {share:.0%}, {_n(micros)} µs per transfer.")
    return [" ".join(lines), ""]


def _report(postgres: dict[str, Any] | str, sqlite: dict[str, Any]) -> str:
    from bench import _pg

    lines = [
        "## Ledger: posting and statements",
        "",
        f"Single transfers are posted one per transaction through `posting.transfers_create([spec])` by {CLIENTS} "
        f"client processes (each its own Django and database connection, all connected before they start "
        f"together) for {SECONDS} s (one client alone: {SINGLE_SECONDS} s), between two of {_n(ACCOUNTS)} "
        "accounts chosen at random (as TPC-B spreads "
        "over its accounts), or with one pool account on one side of every transfer (the hot account); a client "
        "retries with the same ids when the database refuses for contention. Batches are "
        f"`transfers_create` of {_n(BATCH)} transfers between random accounts, one client. The statement is "
        "`selectors.statement(account)` (a page of 50 entries, with their transfers and accounts), median of "
        f"{STATEMENT_REPEAT} calls after one warm-up. Each database is a scratch one, migrated by "
        "`cordee migrate`. Clients, Python and the database server share the machine's cores; the phases are "
        "timed inside the clients (Django's execute wrapper and timing wrappers around posting's steps).",
        "",
    ]
    if isinstance(postgres, str):
        lines += ["### PostgreSQL", "", postgres, ""]
    else:
        figures, settings, pgbench = postgres["figures"], postgres["settings"], postgres["pgbench"]
        tps = statistics.mean(run["tps"] for run in pgbench)
        uniform, hot = figures["uniform"]["rate"], figures["hot"]["rate"]
        where = (
            "a throwaway server started for this run (initdb; PostgreSQL's durable defaults, plus "
            + ", ".join(f"{name}={value}" for name, value in _pg.SERVER_OPTIONS.items())
            + ")"
            if postgres["owned"]
            else "the server DATABASE_URL names (its settings as found), in scratch databases"
        )
        shown = ", ".join(f"{name}={value}" for name, value in settings.items() if name != "server_version")
        lines += [
            f"### PostgreSQL {settings.get('server_version', '')}",
            "",
            f"On {where}: {shown}. Load average when this part started: "
            f"{', '.join(f'{x:.1f}' for x in figures['load_average'])}.",
            "",
            f"pgbench ran in its own scratch database on the same server in the same run: `pgbench -i -s "
            f"{PGBENCH_SCALE}` (scale {PGBENCH_SCALE}: {PGBENCH_SCALE} branches, {_n(PGBENCH_SCALE * 10)} tellers, "
            f"{_n(PGBENCH_SCALE * 100_000)} accounts), then `pgbench -b tpcb-like -c {CLIENTS} -j {PGBENCH_JOBS} "
            f"-T {SECONDS} -n` just before Cordée's clients and again just after them: "
            + " and ".join(f"{_n(run['tps'])} TPS ({run['latency']:.1f} ms average latency)" for run in pgbench)
            + f"; the ratios below are to their mean, {_n(tps)} TPS.",
            "",
            "| figure | value | goal | |",
            "|---|---|---|---|",
            f"| single-transfer posting, {CLIENTS} clients, to pgbench TPC-B-like TPS "
            f"| {uniform / tps:.2f} ({_n(uniform)} transfers/s) | ≥ {GOAL_RATIO} "
            f"| {_met(uniform / tps >= GOAL_RATIO)} |",
            f"| the same with a hot pool account in every transfer, to pgbench "
            f"| {hot / tps:.2f} ({_n(hot)} transfers/s) | ≥ {GOAL_HOT_RATIO} | {_met(hot / tps >= GOAL_HOT_RATIO)} |",
            *_goal_rows(figures),
            "",
            *_where(figures, ACCOUNT_LOCK),
            *_details(figures),
        ]
    lines += [
        "### SQLite",
        "",
        "A scratch file with the settings Cordée uses: WAL with synchronous=NORMAL (a commit is not fsynced: the "
        "last transactions can be lost on power failure, the file is not corrupted), BEGIN IMMEDIATE, a 20 s "
        "busy timeout. SQLite has one writer at a time and pgbench no SQLite counterpart, so there are no ratios "
        f"here. Load average when this part started: {', '.join(f'{x:.1f}' for x in sqlite['load_average'])}.",
        "",
        "| figure | value | goal | |",
        "|---|---|---|---|",
        f"| single-transfer posting, {CLIENTS} clients | {_n(sqlite['uniform']['rate'])} transfers/s | no ratio | |",
        f"| the same with a hot pool account | {_n(sqlite['hot']['rate'])} transfers/s | no ratio | |",
        *_goal_rows(sqlite),
        "",
        *_where(sqlite, SQLITE_LOCK),
        *_details(sqlite),
    ]
    return "\n".join(lines)


def run() -> str:
    postgres = _postgres()
    sqlite = _sqlite()
    return _report(postgres, sqlite)


if __name__ == "__main__":
    _worker_main(sys.argv[1:])
