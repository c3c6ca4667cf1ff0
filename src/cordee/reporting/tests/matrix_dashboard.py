"""The dashboards' rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The hub's dashboard, its downloads and the indicators API: the coordinator and the treasurer; a
member admin is sent from the hub's dashboard to their organisation's, and is told another's does
not exist. Highlights: written by the coordinator, seen (pictures included) by the hub's keepers."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cordee.core.tests.matrix_support import REDIRECT, Row, World, coordinator_only, logged_in

KEEPERS = {**logged_in(403), "coordinator": 200, "treasurer": 200}
HUB_DASHBOARD = {**KEEPERS, "member_admin_a": REDIRECT, "member_admin_b": REDIRECT}
A_DASHBOARD = {**KEEPERS, "member_admin_a": 200, "member_admin_b": 404}
API_HUB = {**KEEPERS, "visitor": 401}
API_A = {**A_DASHBOARD, "visitor": 401}
PERIOD = "?du=2026-01-01&au=2026-03-31"
BAD_PERIOD = "?du=2026-03-31&au=2026-01-01"


def _highlight(w: World) -> int:
    return w.objects["reporting.highlight"].pk


def _picture(w: World) -> int:
    return w.objects["reporting.highlight_picture"].pk


def _post(url: Any, expect: dict[str, Any], data: dict[str, Any] | None = None) -> Row:
    return Row(url, expect, method="post", data=lambda w: dict(data or {}))


ROWS: dict[str, list[Row]] = {
    "reporting:dashboard": [
        Row(lambda w: reverse("reporting:dashboard"), HUB_DASHBOARD),
        Row(lambda w: reverse("reporting:dashboard") + PERIOD, HUB_DASHBOARD),
        Row(
            lambda w: reverse("reporting:dashboard") + BAD_PERIOD,
            {**HUB_DASHBOARD, "coordinator": 400, "treasurer": 400},
        ),
    ],
    "reporting:organisation_dashboard": [
        Row(lambda w: reverse("reporting:organisation_dashboard", args=[w.actors.org_a.pk]) + PERIOD, A_DASHBOARD),
    ],
    "reporting:report_pdf": [Row(lambda w: reverse("reporting:report_pdf") + PERIOD, KEEPERS)],
    "reporting:report_xlsx": [Row(lambda w: reverse("reporting:report_xlsx") + PERIOD, KEEPERS)],
    "reporting:highlight_create": [
        Row(lambda w: reverse("reporting:highlight_create"), coordinator_only()),
        _post(lambda w: reverse("reporting:highlight_create"), coordinator_only(400)),
    ],
    "reporting:highlight_edit": [
        Row(lambda w: reverse("reporting:highlight_edit", args=[_highlight(w)]), coordinator_only()),
        _post(
            lambda w: reverse("reporting:highlight_edit", args=[_highlight(w)]),
            coordinator_only(REDIRECT),
            {"kind": "highlight", "starts_on": "2026-01-01", "ends_on": "2026-01-31", "title": "Janvier"},
        ),
    ],
    "reporting:highlight_delete": [
        Row(lambda w: reverse("reporting:highlight_delete", args=[_highlight(w)]), coordinator_only()),
        _post(lambda w: reverse("reporting:highlight_delete", args=[_highlight(w)]), coordinator_only(REDIRECT)),
    ],
    "reporting:highlight_picture": [
        Row(lambda w: reverse("reporting:highlight_picture", args=[_picture(w)]), KEEPERS),
        Row(
            lambda w: reverse("reporting:highlight_picture", args=[_highlight(w)]),
            {**KEEPERS, "coordinator": 404, "treasurer": 404},
        ),
    ],
    "api-v1:get_indicators": [
        Row(lambda w: reverse("api-v1:get_indicators") + PERIOD, API_HUB),
        Row(lambda w: reverse("api-v1:get_indicators") + f"{PERIOD}&organisation={w.actors.org_a.pk}", API_A),
        Row(
            lambda w: reverse("api-v1:get_indicators") + BAD_PERIOD,
            {**API_HUB, "coordinator": 422, "treasurer": 422},
        ),
    ],
}


def populate(world: World) -> None:
    """A highlight with a picture (the plain one is `reporting.highlight`, see matrix.py)."""
    from PIL import Image

    from cordee.reporting import services

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (31, 95, 74)).save(buffer, format="PNG")
    world.objects["reporting.highlight_picture"] = services.highlight_create(
        actor=world.actors.coordinator,
        kind="picture",
        starts_on=dt.date(2026, 2, 1),
        ends_on=dt.date(2026, 2, 1),
        title="Chantier participatif",
        picture=SimpleUploadedFile("chantier.png", buffer.getvalue(), content_type="image/png"),
        picture_alt="Des bénévoles repeignent la salle",
    )
