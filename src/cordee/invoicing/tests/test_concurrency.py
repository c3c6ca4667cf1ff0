"""Numbering under several OS processes, on a real database: two processes issuing invoices of
the same issuer at the same moment get numbers 1..n between them, each once, and two processes
issuing the same sources automatically make one invoice per source.

Like the ledger's (see `cordee/ledger/tests/test_concurrency.py`, whose scratch-database helpers
this test borrows), each variant migrates a database of its own, used only by subprocesses: a file
for SQLite, `cordee_conc_<random>` on the server of the suite's DATABASE_URL (or of
CORDEE_TEST_PG_URL) for PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cordee.invoicing.tests import workers
from cordee.ledger.tests.test_concurrency import TIMEOUT, _create_pg, _drop_pg, _pg_server_url, _suite_vendor

pytestmark = pytest.mark.xdist_group("invoicing-processes")

PER_WORKER = 12


def _env(url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL_FILE"}
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cordee.settings", PYTHONUNBUFFERED="1")
    return env


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and modules
        [sys.executable, "-m", *args], env=_env(url), capture_output=True, text=True, timeout=TIMEOUT
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def scratch(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database of its own, migrated, with the named actors in it."""
    server = None
    if request.param == "sqlite":
        if _suite_vendor() == "postgresql":
            pytest.skip("the suite runs on PostgreSQL: the SQLite variant runs in the SQLite run")
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    else:
        server = _pg_server_url()
        if server is None:
            pytest.skip("no PostgreSQL: the suite runs on SQLite and CORDEE_TEST_PG_URL is not set")
        url = _create_pg(server)
    try:
        migrated = _run(url, "cordee", "migrate", "--no-input", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        set_up = _run(url, "cordee.invoicing.tests.workers", "setup")
        assert set_up.returncode == 0, set_up.stderr[-3000:]
        yield url
    finally:
        if server is not None:
            _drop_pg(server, url)


def _together(url: str, *commands: list[str]) -> list[dict]:  # type: ignore[type-arg]
    """Start the workers so that they begin their work at the same instant; their JSON answers."""
    start_at = str(time.time() + 4.0)  # time enough for each to start Django and prepare
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "cordee.invoicing.tests.workers", *command, "--start-at", start_at],
            env=_env(url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    answers = []
    for process in processes:
        out, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, err[-3000:]
        answers.append(json.loads(out.strip().splitlines()[-1]))
    return answers


def test_two_processes_issuing_for_one_issuer_share_one_gapless_sequence(scratch: str) -> None:
    first, second = _together(scratch, ["issue", "--count", str(PER_WORKER)], ["issue", "--count", str(PER_WORKER)])

    numbers = sorted(first["numbers"] + second["numbers"])
    assert numbers == [f"F-2026-{n:05d}" for n in range(1, 2 * PER_WORKER + 1)]
    # Each process saw its own numbers rise.
    assert first["numbers"] == sorted(first["numbers"])
    assert second["numbers"] == sorted(second["numbers"])
    verified = _run(scratch, "cordee", "verify_ledger")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    print(f"\nnumbers of the first process: {[int(n[-5:]) for n in first['numbers']]}")


def test_two_processes_issuing_the_same_sources_make_one_invoice_each(scratch: str) -> None:
    first, second = _together(scratch, ["auto"], ["auto"])

    assert first["invoices"] == second["invoices"]
    assert set(first["invoices"]) == set(workers.SOURCES)
    assert len(set(first["invoices"].values())) == len(workers.SOURCES)
    verified = _run(scratch, "cordee", "verify_ledger")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{len(workers.SOURCES)} transfers" in verified.stdout
