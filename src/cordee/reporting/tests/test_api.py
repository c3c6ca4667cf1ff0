"""GET /api/v1/reporting/indicators: the sections of a period as JSON, under the dashboards' rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.reporting.tests.test_charts import use_sample_areas

pytestmark = pytest.mark.django_db

URL = reverse("api-v1:get_indicators")
PERIOD = {"du": "2026-01-01", "au": "2026-03-31"}


def test_the_coordinator_gets_every_section_with_raw_integers(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = use_sample_areas(monkeypatch)
    response = client_for(actors.coordinator).get(URL, PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"], body["organisation_id"]) == ("2026-01-01", "2026-03-31", None)
    assert asked == [None]
    (section,) = body["sections"]
    figures = {figure["key"]: (figure["value"], figure["unit"]) for figure in section["figures"]}
    assert figures["invoiced_cents"] == (123_456, "cents")
    assert figures["rate_bps"] == (None, "basis_points")
    assert section["breakdowns"][0]["shares"][0] == {"key": "association", "label": "Associations", "value": 30}
    assert section["series"][0]["points"][2] == {"month": "2026-03-01", "value": 250_000}
    assert section["places"][0]["insee_code"] == "05061"
    graph = section["graphs"][0]
    assert {"id": 1, "name": "Les Jardins du Buëch"} in graph["nodes"]
    assert {"giver": 1, "receiver": 2, "weight": 600} in graph["links"]


def test_a_member_admin_gets_their_organisation_only(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = use_sample_areas(monkeypatch)
    client = client_for(actors.member_admin_a)
    response = client.get(URL, {**PERIOD, "organisation": actors.org_a.pk})
    assert response.status_code == 200 and response.json()["organisation_id"] == actors.org_a.pk
    assert asked == [actors.org_a.pk]
    assert client.get(URL, {**PERIOD, "organisation": actors.org_b.pk}).status_code == 404
    assert client.get(URL, PERIOD).status_code == 403
    assert asked == [actors.org_a.pk]


@pytest.mark.parametrize(
    ("role", "status"),
    [("visitor", 401), ("outsider", 403), ("member_user_a", 403), ("committee", 403), ("treasurer", 200)],
)
def test_who_gets_the_hub_indicators(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch, role: str, status: int
) -> None:
    use_sample_areas(monkeypatch)
    assert client_for(actors.by_role()[role]).get(URL, PERIOD).status_code == status


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"du": "2026-03-31", "au": "2026-01-01"}, "au"),
        ({"du": "2026-01-01"}, "au"),
        ({"du": "2026-02-30", "au": "2026-03-31"}, "du"),
    ],
)
def test_refused_dates_answer_422_naming_the_date(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch, query: dict[str, str], field: str
) -> None:
    asked = use_sample_areas(monkeypatch)
    response = client_for(actors.coordinator).get(URL, query)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert asked == []
