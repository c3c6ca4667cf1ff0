"""The calls-for-projects rows of the authorization matrix (see cordee/core/tests/matrix_support.py),
gathered from the modules of its parts: matrix_calls (calls, applications, review) and
matrix_actions (funded actions)."""

from __future__ import annotations

from typing import Any

from cordee.core.tests.matrix_support import READ_ONLY, Row, World
from cordee.projects.tests import matrix_actions, matrix_calls

ROWS: dict[str, list[Row]] = {**matrix_calls.ROWS, **matrix_actions.ROWS}
ADMIN_MODELS: dict[str, Any] = {**matrix_calls.ADMIN_MODELS, **matrix_actions.ADMIN_MODELS}

__all__ = ["READ_ONLY"]


def populate(world: World) -> None:
    matrix_calls.populate(world)
    matrix_actions.populate(world)
