"""Numbering under several OS processes, on a real database: two processes issuing invoices of
the same issuer at the same moment get numbers 1..n between them, each once, and two processes
issuing the same sources automatically make one invoice per source.

Each variant migrates a database of its own, used only by subprocesses (see
`cordee/core/tests/processes.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cordee.core.tests.processes import scratch_database, together, verified
from cordee.invoicing.tests import workers

pytestmark = pytest.mark.xdist_group("invoicing-processes")

PER_WORKER = 12
WORKERS = "cordee.invoicing.tests.workers"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def scratch(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database of its own, migrated, with the named actors in it."""
    with scratch_database(request.param, tmp_path, WORKERS) as (url, _answer):
        yield url


def test_two_processes_issuing_for_one_issuer_share_one_gapless_sequence(scratch: str) -> None:
    first, second = together(
        scratch, WORKERS, ["issue", "--count", str(PER_WORKER)], ["issue", "--count", str(PER_WORKER)]
    )

    numbers = sorted(first["numbers"] + second["numbers"])
    assert numbers == [f"F-2026-{n:05d}" for n in range(1, 2 * PER_WORKER + 1)]
    # Each process saw its own numbers rise.
    assert first["numbers"] == sorted(first["numbers"])
    assert second["numbers"] == sorted(second["numbers"])
    verified(scratch)
    print(f"\nnumbers of the first process: {[int(n[-5:]) for n in first['numbers']]}")


def test_two_processes_issuing_the_same_sources_make_one_invoice_each(scratch: str) -> None:
    first, second = together(scratch, WORKERS, ["auto"], ["auto"])

    assert first["invoices"] == second["invoices"]
    assert set(first["invoices"]) == set(workers.SOURCES)
    assert len(set(first["invoices"].values())) == len(workers.SOURCES)
    checked = verified(scratch)
    assert f"{len(workers.SOURCES)} transfers" in checked
