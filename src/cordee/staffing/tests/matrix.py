"""The staffing rows of the authorization matrix (see cordee/core/tests/matrix_support.py), gathered
from the modules of its parts."""

from __future__ import annotations

from typing import Any

from cordee.core.tests.matrix_support import READ_ONLY, Row, World
from cordee.staffing.tests import matrix_billing, matrix_time

ROWS: dict[str, list[Row]] = {**matrix_time.ROWS, **matrix_billing.ROWS}
ADMIN_MODELS: dict[str, Any] = {
    "staffing.employee": READ_ONLY,
    "staffing.allocationplan": READ_ONLY,
    "staffing.timesheet": READ_ONLY,
    "staffing.expense": READ_ONLY,
    "staffing.monthinvoicing": READ_ONLY,
    **matrix_time.ADMIN_MODELS,
    **matrix_billing.ADMIN_MODELS,
}


def populate(world: World) -> None:
    matrix_time.populate(world)
    matrix_billing.populate(world)
