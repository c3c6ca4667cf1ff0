"""The good practices rows of the authorization matrix (see cordee/core/tests/matrix_support.py),
gathered from the modules of its parts. The admin objects "practices.practice" (a published public
sheet of organisation A) and "practices.comment" are made by matrix_sheets.populate and
matrix_community.populate."""

from __future__ import annotations

from typing import Any

from cordee.core.tests.matrix_support import READ_ONLY, Row, World
from cordee.practices.tests import matrix_community, matrix_sheets

ROWS: dict[str, list[Row]] = {**matrix_sheets.ROWS, **matrix_community.ROWS}
ADMIN_MODELS: dict[str, Any] = {
    "practices.practice": READ_ONLY,
    "practices.comment": READ_ONLY,
}


def populate(world: World) -> None:
    matrix_sheets.populate(world)
    matrix_community.populate(world)
