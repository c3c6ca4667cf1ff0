"""Executing a clearing while something else touches its invoices, in separate OS processes on a
real database (see `cordee/core/tests/processes.py`): a run is
executed once however many coordinators press the button, and a payment racing the execution either
comes first (the run is then refused as stale) or after (and finds the invoice settled)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cordee.core.tests.processes import scratch_database, together, verified

pytestmark = pytest.mark.xdist_group("clearing-processes")

WORKERS = "cordee.clearing.tests.workers"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def scratch(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """A database of its own, migrated, with the proposal of `workers.setup` in it."""
    with scratch_database(request.param, tmp_path, WORKERS) as scratch:
        yield scratch


def _results(url: str, *commands: list[str]) -> list[str]:
    return [answer["result"] for answer in together(url, WORKERS, *commands)]


def test_a_run_pressed_twice_at_once_is_executed_once(scratch: tuple[str, dict[str, Any]]) -> None:
    url, ids = scratch
    run = str(ids["run"])

    results = _results(url, ["execute", "--run", run], ["execute", "--run", run])

    assert sorted(results) == ["executed", "ok"]
    verified(url)


def test_a_payment_racing_the_execution_is_either_before_or_after_it(scratch: tuple[str, dict[str, Any]]) -> None:
    url, ids = scratch

    executed, paid = _results(url, ["execute", "--run", str(ids["run"])], ["pay", "--invoice", str(ids["b_owes"])])

    # B's invoice is cleared whole by the run: one of the two settles it, the other is refused.
    assert (executed, paid) in {("ok", "invalid"), ("stale", "ok")}
    verified(url)
    print(f"\nexecution: {executed}, payment: {paid}")
