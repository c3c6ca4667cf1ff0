"""Rows of the authorization matrix for this part of good practices (see matrix.py)."""

from __future__ import annotations

from cordee.core.tests.matrix_support import Row, World

ROWS: dict[str, list[Row]] = {}


def populate(world: World) -> None:
    pass
