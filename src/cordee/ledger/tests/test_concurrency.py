"""The ledger under several OS processes, on a real database: concurrent posting never breaks a
limit nor leaves a deadlock unhandled, and a process killed in the middle of a batch leaves all of
it or none of it, so that re-submitting the same ids posts each transfer exactly once.

pytest-django wraps each test in a transaction that other processes cannot see, so each test here
makes its own scratch database (a file for SQLite, `cordee_conc_<random>` for PostgreSQL), migrated
and used only by subprocesses (`cordee migrate`, `cordee verify_ledger`, and the entry points of
`workers.py`). Each variant runs in the suite's run on its database: the PostgreSQL one on the
server of the suite's DATABASE_URL; in a SQLite run it also runs when CORDEE_TEST_PG_URL names a
server (`postgres://user@host:port/db`, where the user may CREATE DATABASE), and is skipped otherwise.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from cordee.ledger.tests import workers

pytestmark = pytest.mark.xdist_group("ledger-processes")

TIMEOUT = 120  # seconds any one subprocess may take before the test fails rather than hangs


def _suite_vendor() -> str:
    return "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


def _pg_server_url() -> str | None:
    return os.environ.get("CORDEE_TEST_PG_URL") or (settings.DATABASE_URL if _suite_vendor() == "postgresql" else None)


@dataclass
class Lines:
    """The stdout of a running worker, read line by line with a deadline."""

    process: subprocess.Popen[bytes]
    seen: list[str] = field(default_factory=list)
    _buffer: bytes = b""
    _eof: bool = False

    def wait_for(self, wanted: Callable[[str], bool], timeout: float = TIMEOUT) -> str | None:
        """The first line (already read or to come) that is wanted; None if the process ends first."""
        assert self.process.stdout is not None
        fd, deadline, index = self.process.stdout.fileno(), time.monotonic() + timeout, 0
        while True:
            while index < len(self.seen):
                if wanted(self.seen[index]):
                    return self.seen[index]
                index += 1
            if self._eof:
                return None
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"worker silent for {timeout} s; its output so far: {self.seen}"
            if select.select([fd], [], [], remaining)[0]:
                chunk = os.read(fd, 65536)
                self._eof = not chunk
                self._buffer += chunk
                *lines, self._buffer = self._buffer.split(b"\n")
                self.seen += [line.decode() for line in lines]

    def send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode() + b"\n")
        self.process.stdin.flush()

    def finish(self) -> int:
        self.wait_for(lambda _: False)
        return self.process.wait(timeout=TIMEOUT)


@dataclass
class Scratch:
    vendor: str
    url: str
    directory: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL_FILE"}
        env.update(DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="cordee.settings", PYTHONUNBUFFERED="1")
        return env

    def popen(self, *args: str) -> Lines:
        self.directory.mkdir(exist_ok=True)
        stderr = (self.directory / f"stderr-{uuid.uuid4().hex[:8]}.txt").open("wb")
        command = [sys.executable, "-m", "cordee.ledger.tests.workers", *args]
        pipe = subprocess.PIPE
        with stderr:
            process = subprocess.Popen(command, env=self.env(), stdin=pipe, stdout=pipe, stderr=stderr)  # noqa: S603
        self.started.append(process)
        return Lines(process)

    def stop(self) -> None:
        """Kill what a failed test left running (a paused worker would hold its lock for a minute)."""
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=TIMEOUT)
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()

    def stderr(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.directory.glob("stderr-*.txt")))

    def cordee(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "cordee", *args]
        return subprocess.run(command, env=self.env(), capture_output=True, text=True, timeout=TIMEOUT)  # noqa: S603

    def worker(self, *args: str) -> dict[str, Any]:
        command = [sys.executable, "-m", "cordee.ledger.tests.workers", *args]
        done = subprocess.run(command, env=self.env(), capture_output=True, text=True, timeout=TIMEOUT)  # noqa: S603
        assert done.returncode == 0, f"workers {args[0]} failed:\n{done.stderr[-3000:]}"
        return json.loads(done.stdout.strip().splitlines()[-1])

    def wait_for_backend_exit(self, backend: int) -> None:
        """On PostgreSQL a killed client's session lives on until its server process notices, and a
        COMMIT it had already sent still completes: only once that process is gone is the outcome
        of its batch final."""
        deadline = time.monotonic() + TIMEOUT
        while backend and self.count("SELECT count(*) FROM pg_stat_activity WHERE pid = %s::int", str(backend)):
            assert time.monotonic() < deadline, f"the server process {backend} of a killed worker lingers"
            time.sleep(0.05)

    def count(self, sql: str, *params: str) -> int:
        """One number read directly, without starting Django (%s placeholders)."""
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.url.removeprefix("sqlite:///"))) as conn:
                return int(conn.execute(sql.replace("%s", "?"), params).fetchone()[0])
        import psycopg

        with psycopg.connect(self.url) as conn:
            row = conn.execute(sql, params).fetchone()  # type: ignore[call-overload]
            assert row is not None
            return int(row[0])


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Per vendor, a database migrated and set up once (`workers setup`), that each test copies."""
    made: dict[str, Any] = {"directory": tmp_path_factory.mktemp("ledger-template")}
    yield made
    if "postgresql" in made:
        _drop_pg(made["server"], made["postgresql"])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def scratch(request: pytest.FixtureRequest, tmp_path: Path, templates: dict[str, Any]) -> Iterator[Scratch]:
    """A database of its own, migrated and set up, that every subprocess of the test shares."""
    logs = tmp_path / "logs"
    if request.param == "sqlite":
        if _suite_vendor() == "postgresql":
            pytest.skip("the suite runs on PostgreSQL: the SQLite variant runs in the SQLite run")
        if "sqlite" not in templates:
            template = _sqlite_url(templates["directory"] / "template.sqlite3")
            templates["sqlite"] = _prepared(Scratch("sqlite", template, logs))
        copy = tmp_path / "scratch.sqlite3"
        source = sqlite3.connect(templates["sqlite"].removeprefix("sqlite:///"))
        with closing(source), closing(sqlite3.connect(copy)) as target:
            source.backup(target)  # a consistent copy, WAL and all
        scratch = Scratch("sqlite", _sqlite_url(copy), logs)
        yield scratch
        scratch.stop()
        return
    server = _pg_server_url()
    if server is None:
        pytest.skip("no PostgreSQL: the suite runs on SQLite and CORDEE_TEST_PG_URL is not set")
    if "postgresql" not in templates:  # any failure from here on fails the test: a server was named
        templates["server"] = server
        templates["postgresql"] = _create_pg(server)
        _prepared(Scratch("postgresql", templates["postgresql"], logs))
    scratch = Scratch("postgresql", _create_pg(server, template=templates["postgresql"]), logs)
    try:
        yield scratch
    finally:
        scratch.stop()
        _drop_pg(server, scratch.url)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _prepared(scratch: Scratch) -> str:
    done = scratch.cordee("migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stderr[-3000:]
    scratch.worker("setup")
    return scratch.url


def _create_pg(server: str, template: str | None = None) -> str:
    """CREATE DATABASE cordee_conc_<random> on the server of `server` (a URL); its URL."""
    import psycopg
    from psycopg import sql

    name = f"cordee_conc_{uuid.uuid4().hex[:12]}"
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(urlsplit(template).path.lstrip("/")))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(statement)
    return urlsplit(server)._replace(path=f"/{name}").geturl()


def _drop_pg(server: str, url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    assert name.startswith("cordee_conc_")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _verify(scratch: Scratch) -> str:
    done = scratch.cordee("verify_ledger")
    assert done.returncode == 0, f"verify_ledger:\n{done.stdout}\n{done.stderr[-5000:]}"
    return done.stdout.strip()


# --- Concurrent posting ------------------------------------------------------------------------

WORKERS = 4
PER_WORKER = 150
DEFINITE = {
    "ok",
    "exists",
    "exceeds_credits",
    "linked_event_failed",
    "pending_transfer_already_posted",
    "pending_transfer_already_voided",
}


def test_concurrent_posting_keeps_every_limit_and_every_total(scratch: Scratch) -> None:
    before = scratch.worker("report")
    # Half of the workers are impatient (a lock wait of a few ms), so that contention really
    # makes batches fail and the retry with the same ids is exercised on both databases.
    lines = [
        scratch.popen("post", "--seed", str(seed), "--count", str(PER_WORKER), *(["--impatient"] * (seed % 2)))
        for seed in range(1, WORKERS + 1)
    ]
    codes = [line.finish() for line in lines]
    assert codes == [0] * WORKERS, f"a worker died:\n{scratch.stderr()}"
    summaries = [json.loads(line.seen[-1]) for line in lines]
    after = scratch.worker("report")

    totals: Counter[str] = Counter()
    for summary in summaries:
        assert sum(summary["results"].values()) == summary["submitted"] == PER_WORKER
        assert set(summary["results"]) <= DEFINITE, summary["results"]
        totals.update(summary["results"])
    # Many transfers must have been refused for the limit, and many must have passed.
    assert totals["exceeds_credits"] >= WORKERS * PER_WORKER // 20, totals
    assert totals["ok"] >= WORKERS * PER_WORKER // 4, totals
    # Every worker tried to post or void each shared pending transfer: exactly one won each time.
    assert sum(summary["shared_won"] for summary in summaries) == workers.SHARED_PENDINGS
    lost = totals["pending_transfer_already_posted"] + totals["pending_transfer_already_voided"]
    assert lost == (WORKERS - 1) * workers.SHARED_PENDINGS

    # What the workers saw accepted is exactly what the database holds.
    succeeded = sum(summary["succeeded"] for summary in summaries)
    assert after["transfers"] - before["transfers"] == succeeded
    for number, account in after["accounts"].items():
        for name in workers.FIELDS:
            moved = sum(summary["deltas"].get(number, {}).get(name, 0) for summary in summaries)
            assert account[name] - before["accounts"][number][name] == moved, (number, name)
        if account["limited"]:
            assert account["debits_posted"] + account["debits_pending"] <= account["credits_posted"], number
            assert account["highest_balance"] is None or account["highest_balance"] <= 0, number
    assert after["accounts"]["POOL"]["debits_posted"] > 0
    _verify(scratch)
    print(f"\n[{scratch.vendor}] results {dict(totals)}; retries {[s['retries'] for s in summaries]}")
    print(f"[{scratch.vendor}] retry errors seen: {[e for s in summaries for e in s['retry_errors']][:4]}")


# --- The same new ids, written at once on disjoint accounts ------------------------------------


def test_the_same_new_ids_written_at_once_on_other_accounts_are_posted_once(scratch: Scratch) -> None:
    """Nothing ledger-wide is locked, so two batches on disjoint accounts both find an id free.
    The first holds its transaction open with its rows written; the second reaches its insert.
    On PostgreSQL the second waits at the primary key, fails there once the first commits, and is
    decided again; on SQLite it waits for the write lock before reading anything. Either way each
    id is written once, and the second side is told the transfer exists with other accounts."""
    first = scratch.popen("race", "--side", "1", "--hold")
    assert first.wait_for(lambda line: line == "inserted"), scratch.stderr()
    second = scratch.popen("race", "--side", "2")
    if scratch.vendor == "postgresql":
        assert second.wait_for(lambda line: line == "inserting"), scratch.stderr()
        time.sleep(0.5)  # the second is now waiting on the first's uncommitted ids
    else:
        time.sleep(1.0)  # the second is now waiting for SQLite's write lock
    first.send("go")

    assert first.finish() == 0 and second.finish() == 0, scratch.stderr()
    won, lost = json.loads(first.seen[-1]), json.loads(second.seen[-1])
    assert won["results"] == {"ok": workers.RACE}
    assert lost["results"] == {"exists_with_different_debit_account_id": workers.RACE}
    attempts = second.seen.count("attempt")
    assert attempts == (2 if scratch.vendor == "postgresql" else 1), second.seen
    assert scratch.count("SELECT count(*) FROM ledger_transfer WHERE code = %s", "test.race") == workers.RACE
    _verify(scratch)


# --- A process killed in the middle of a batch -----------------------------------------------

BATCH = 3000
# Where the kill lands: paused (sleeping inside the transaction) at a statement of the write, or
# after COMMIT, or simply after a fraction of the time a whole batch takes.
KILLS: list[tuple[str, Any]] = [
    ("pause", "entry-insert#1"),  # every transfer written, no entry yet
    ("pause", "account-update#1"),  # every transfer and entry written, no balance updated
    ("pause", "written#1"),  # every row written and every balance updated: COMMIT is next
    ("pause", "committed"),  # COMMIT done, the caller never heard back
    ("timed", 0.25),
    ("timed", 0.55),
]


def test_a_killed_batch_leaves_all_or_nothing_and_resubmitting_posts_once(scratch: Scratch) -> None:
    resubmitter = scratch.popen("resubmit")  # resident: re-submissions cost no start-up
    full_run, outcomes = 0.0, []
    upcoming = _crash_worker(scratch, 1)
    for round_, (how, where) in enumerate(KILLS, start=1):
        reference = f"crash:{round_}"
        lines = upcoming
        ready = lines.wait_for(lambda line: line.startswith("ready "))
        assert ready is not None, scratch.stderr()
        lines.send("go")
        assert lines.wait_for(lambda line: line == "begin") == "begin", lines.seen
        if how == "pause":
            assert lines.wait_for(lambda line, where=where: line == f"paused {where}"), lines.seen
        else:
            time.sleep(where * full_run)
        lines.process.send_signal(signal.SIGKILL)
        code = lines.finish()
        scratch.wait_for_backend_exit(int(ready.split()[1]))
        if round_ < len(KILLS):  # the next one starts up while this one is checked
            upcoming = _crash_worker(scratch, round_ + 1)
        stages = [line.removeprefix("stage ") for line in lines.seen if line.startswith("stage ")]
        written = scratch.count("SELECT count(*) FROM ledger_transfer WHERE reference = %s", reference)
        outcomes.append((how, where, code, stages[-1] if stages else "before any write", written))
        assert written in (0, BATCH), f"round {round_}: {written} of {BATCH} transfers survived the kill"
        if how == "pause":
            assert code == -signal.SIGKILL
            assert written == (BATCH if where == "committed" else 0), outcomes[-1]

        resubmitter.send(json.dumps({"round": round_, "count": BATCH}))
        answer = resubmitter.wait_for(lambda line, r=round_: line.startswith("{") and json.loads(line)["round"] == r)
        assert answer is not None, f"the resubmitter died:\n{scratch.stderr()}"
        again = json.loads(answer)
        assert again["results"] == ({"exists": BATCH} if written else {"ok": BATCH}), (again["results"], outcomes[-1])
        if not written:
            full_run = max(full_run, again["elapsed"])
        assert scratch.count("SELECT count(*) FROM ledger_transfer WHERE reference = %s", reference) == BATCH
    resubmitter.process.stdin.close()  # type: ignore[union-attr]
    assert resubmitter.finish() == 0

    report = scratch.worker("report", *[f"--reference=crash:{n}" for n in range(1, len(KILLS) + 1)])
    assert report["references"] == {f"crash:{n}": BATCH for n in range(1, len(KILLS) + 1)}
    assert report["entries"] == 2 * BATCH * len(KILLS) + 2 * len(workers.FUNDING)
    pool = report["accounts"]["K-POOL"]
    assert pool["debits_posted"] <= pool["credits_posted"]
    assert _verify(scratch).startswith("Ledger OK")
    print(f"\n[{scratch.vendor}] whole batch {full_run:.2f} s; kills (how, where, exit, last stage, rows):")
    for outcome in outcomes:
        print(f"[{scratch.vendor}]   {outcome}")


def _crash_worker(scratch: Scratch, round_: int) -> Lines:
    how, where = KILLS[round_ - 1]
    pause = ["--pause-at", where] if how == "pause" else []
    return scratch.popen("crash", "--round", str(round_), "--count", str(BATCH), "--wait", *pause)
