"""Executing a clearing while something else touches its invoices, in separate OS processes on a
real database (scratch databases as in `cordee/invoicing/tests/test_concurrency.py`): a run is
executed once however many coordinators press the button, and a payment racing the execution either
comes first (the run is then refused as stale) or after (and finds the invoice settled)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cordee.invoicing.tests.test_concurrency import _env, _run
from cordee.ledger.tests.test_concurrency import TIMEOUT, _create_pg, _drop_pg, _pg_server_url, _suite_vendor

pytestmark = pytest.mark.xdist_group("clearing-processes")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def scratch(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """A database of its own, migrated, with the proposal of `workers.setup` in it."""
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
        set_up = _run(url, "cordee.clearing.tests.workers", "setup")
        assert set_up.returncode == 0, set_up.stderr[-3000:]
        yield url, json.loads(set_up.stdout.strip().splitlines()[-1])
    finally:
        if server is not None:
            _drop_pg(server, url)


def _together(url: str, *commands: list[str]) -> list[str]:
    start_at = str(time.time() + 4.0)
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            [sys.executable, "-m", "cordee.clearing.tests.workers", *command, "--start-at", start_at],
            env=_env(url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1])["result"])
    return results


def _verified(url: str) -> str:
    verified = _run(url, "cordee", "verify_ledger")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    return verified.stdout


def test_a_run_pressed_twice_at_once_is_executed_once(scratch: tuple[str, dict[str, int]]) -> None:
    url, ids = scratch
    run = str(ids["run"])

    results = _together(url, ["execute", "--run", run], ["execute", "--run", run])

    assert sorted(results) == ["executed", "ok"]
    _verified(url)


def test_a_payment_racing_the_execution_is_either_before_or_after_it(scratch: tuple[str, dict[str, int]]) -> None:
    url, ids = scratch

    executed, paid = _together(url, ["execute", "--run", str(ids["run"])], ["pay", "--invoice", str(ids["b_owes"])])

    # B's invoice is cleared whole by the run: one of the two settles it, the other is refused.
    assert (executed, paid) in {("ok", "invalid"), ("stale", "ok")}
    _verified(url)
    print(f"\nexecution: {executed}, payment: {paid}")
