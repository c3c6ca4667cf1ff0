from __future__ import annotations

from typing import Any

from cordee.core.tests.matrix_support import Row, World

ROWS: dict[str, list[Row]] = {}
ADMIN_MODELS: dict[str, Any] = {}


def populate(world: World) -> None:
    pass
