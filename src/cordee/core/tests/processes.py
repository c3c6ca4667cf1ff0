"""Tests that race OS processes on a real database: a scratch database of their own (a file for
SQLite, `cordee_conc_<random>` on the server of the suite's DATABASE_URL or of CORDEE_TEST_PG_URL
for PostgreSQL), migrated and set up by a workers module, and workers started to begin their work
at the same instant. A workers module is run as `python -m <module> setup` and
`python -m <module> <command> ... --start-at <time>`, and prints one JSON line on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from cordee.ledger.tests.test_concurrency import TIMEOUT, _create_pg, _drop_pg, _pg_server_url, _suite_vendor


def env(url: str) -> dict[str, str]:
    variables = {key: value for key, value in os.environ.items() if key != "DATABASE_URL_FILE"}
    variables.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cordee.settings", PYTHONUNBUFFERED="1")
    return variables


def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and modules
        [sys.executable, "-m", *args], env=env(url), capture_output=True, text=True, timeout=TIMEOUT
    )


@contextmanager
def scratch_database(vendor: str, tmp_path: Path, workers: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The URL of a migrated database of its own, and what `workers setup` answered in it."""
    server = None
    if vendor == "sqlite":
        if _suite_vendor() == "postgresql":
            pytest.skip("the suite runs on PostgreSQL: the SQLite variant runs in the SQLite run")
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    else:
        server = _pg_server_url()
        if server is None:
            pytest.skip("no PostgreSQL: the suite runs on SQLite and CORDEE_TEST_PG_URL is not set")
        url = _create_pg(server)
    try:
        migrated = run(url, "cordee", "migrate", "--no-input", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        set_up = run(url, workers, "setup")
        assert set_up.returncode == 0, set_up.stderr[-3000:]
        yield url, json.loads(set_up.stdout.strip().splitlines()[-1])
    finally:
        if server is not None:
            _drop_pg(server, url)


def together(url: str, workers: str, *commands: list[str]) -> list[dict[str, Any]]:
    """Start the workers so that they begin their work at the same instant; their JSON answers."""
    start_at = str(time.time() + 4.0)  # time enough for each to start Django and prepare
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            [sys.executable, "-m", workers, *command, "--start-at", start_at],
            env=env(url),
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


def verified(url: str) -> str:
    """`cordee verify_ledger` in the scratch database, which must pass; its output."""
    checked = run(url, "cordee", "verify_ledger")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return checked.stdout
