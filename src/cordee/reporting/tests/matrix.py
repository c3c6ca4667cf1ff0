"""The reporting rows of the authorization matrix (see cordee/core/tests/matrix_support.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cordee.core.tests.matrix_support import READ_ONLY, Row, World, everyone
from cordee.reporting.tests import matrix_dashboard

DATASETS = ("organisations", "actions")


def _dataset_row(name: str, key: str) -> Row:
    return Row(lambda w: reverse(name, args=[key]), everyone(200))


ROWS: dict[str, list[Row]] = {
    # Open data: the visitor's view, for everyone.
    "reporting:opendata": [Row(lambda w: reverse("reporting:opendata"), everyone(200))],
    "reporting:opendata_csv": [_dataset_row("reporting:opendata_csv", key) for key in DATASETS],
    "reporting:opendata_json": [_dataset_row("reporting:opendata_json", key) for key in DATASETS],
    "reporting:opendata_schema": [_dataset_row("reporting:opendata_schema", key) for key in DATASETS],
    # The dashboards, the highlights, the activity report and the indicators API.
    **matrix_dashboard.ROWS,
}
ADMIN_MODELS: dict[str, Any] = {"reporting.highlight": READ_ONLY}


def populate(world: World) -> None:
    """The objects the rows need, and a highlight for the admin's pages."""
    from cordee.reporting.models import Highlight

    world.objects["reporting.highlight"] = Highlight.objects.create(
        starts_on="2026-01-01",
        ends_on="2026-03-31",
        title="Premier trimestre",
        created_by=world.actors.coordinator,
    )
    matrix_dashboard.populate(world)
