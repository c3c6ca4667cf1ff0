"""The skills rows of the authorization matrix (see cordee/core/tests/matrix_support.py), gathered
from the modules of its parts."""

from __future__ import annotations

from typing import Any

from cordee.core.tests.matrix_support import READ_ONLY, Row, World
from cordee.skills.tests import matrix_exchanges, matrix_listings

ROWS: dict[str, list[Row]] = {**matrix_listings.ROWS, **matrix_exchanges.ROWS}
ADMIN_MODELS: dict[str, Any] = {
    "skills.listing": READ_ONLY,
    "skills.exchange": READ_ONLY,
    "skills.creditlimit": READ_ONLY,
    **matrix_listings.ADMIN_MODELS,
    **matrix_exchanges.ADMIN_MODELS,
}


def populate(world: World) -> None:
    matrix_listings.populate(world)
    matrix_exchanges.populate(world)
