"""The clearing rows of the authorization matrix (see cordee/core/tests/matrix_support.py), gathered
from the modules of its parts.

The world: A and B signed the set-off agreement. A owed B 300 € and B owed A 200 €: an executed run
cleared 200 € each way. Then B came to owe A 80 € more: a proposal (not executed) clears 80 € each
way. Positions of A and B are A's and B's people's business, and the coordinator's and treasurer's."""

from __future__ import annotations

from typing import Any

from cordee.clearing import services
from cordee.clearing.tests import matrix_api, matrix_web
from cordee.clearing.tests.support import consent, owe
from cordee.core.tests.matrix_support import READ_ONLY, Row, World

ROWS: dict[str, list[Row]] = {**matrix_web.ROWS, **matrix_api.ROWS}
ADMIN_MODELS: dict[str, Any] = {
    "clearing.consent": READ_ONLY,
    "clearing.run": READ_ONLY,
}


def populate(world: World) -> None:
    actors = world.actors
    world.objects["clearing.consent"] = consent(actors.org_a, actors.coordinator)
    consent(actors.org_b, actors.coordinator)
    owe(actors.org_a, actors.org_b, 30_000, days_ago=50)
    owe(actors.org_b, actors.org_a, 20_000, days_ago=45)
    executed = services.run_compute(actor=actors.coordinator)
    world.objects["clearing.run"] = services.run_execute(actor=actors.coordinator, run=executed)
    owe(actors.org_b, actors.org_a, 8_000, days_ago=10)
    world.objects["clearing.run_proposed"] = services.run_compute(actor=actors.coordinator)
    matrix_web.populate(world)
    matrix_api.populate(world)
