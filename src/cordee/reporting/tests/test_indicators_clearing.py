"""The clearing's indicators on two runs counted by hand (the worked example of docs/clearing.md).

Run 1: A owes B 100 €, B owes C 80 €, C owes A 50 €: 50 € cleared on each edge, 150 € in all, C's
invoice to A settled whole. The service executes on the day; the test moves its value date 40 days
back. Run 2, today: B also owes A 20 €; A→B (50 € left) and B→A cancel 20 € each, 40 € in all, the
new invoice settled whole.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cordee.clearing import services
from cordee.clearing.models import Run
from cordee.clearing.tests.support import consent, owe
from cordee.core.testing import Actors, make_organisation
from cordee.reporting.indicators import clearing
from cordee.reporting.periods import Period

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def values(section: Any) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


@pytest.fixture
def world(actors: Actors) -> dict[str, Any]:
    c = make_organisation("Tiers-lieu du Champsaur")
    for organisation in (actors.org_a, actors.org_b, c):
        consent(organisation, actors.coordinator)
    a, b = actors.org_a, actors.org_b
    owe(a, b, 10_000, days_ago=40)
    owe(b, c, 8_000)
    owe(c, a, 5_000)
    first = services.run_execute(actor=actors.coordinator, run=services.run_compute(actor=actors.coordinator))
    Run.objects.filter(pk=first.pk).update(executed_on=TODAY - 40 * DAY)
    owe(b, a, 2_000, days_ago=5)
    second = services.run_compute(actor=actors.coordinator)
    return {"c": c, "second": second}


def test_a_proposal_not_executed_counts_for_nothing(actors: Actors, world: dict[str, Any]) -> None:
    figures = values(clearing.section(Period(TODAY - 60 * DAY, TODAY)))
    assert (figures["clearing_runs_count"], figures["clearing_cleared_cents"]) == (1, 15_000)


def test_the_runs_of_the_period_are_counted_by_hand(actors: Actors, world: dict[str, Any]) -> None:
    services.run_execute(actor=actors.coordinator, run=world["second"])

    both = clearing.section(Period(TODAY - 60 * DAY, TODAY))
    figures = values(both)
    assert figures == {
        "clearing_runs_count": 2,
        "clearing_cleared_cents": 19_000,
        "clearing_cash_saved_cents": 19_000,
        "clearing_invoices_cleared_count": 5,
        "clearing_invoices_settled_count": 2,
        "clearing_members_count": 3,
    }
    points = dict(both.series[0].points)
    assert points[(TODAY - 40 * DAY).replace(day=1)] >= 15_000 and sum(points.values()) == 19_000

    recent = values(clearing.section(Period(TODAY - 30 * DAY, TODAY)))
    assert (recent["clearing_runs_count"], recent["clearing_cleared_cents"], recent["clearing_members_count"]) == (
        1,
        4_000,
        2,
    )
    assert (recent["clearing_invoices_cleared_count"], recent["clearing_invoices_settled_count"]) == (2, 1)

    # The boundaries: the day of the first run is in, the day before and the day after are out.
    assert values(clearing.section(Period(TODAY - 40 * DAY, TODAY - 40 * DAY)))["clearing_cleared_cents"] == 15_000
    assert values(clearing.section(Period(TODAY - 39 * DAY, TODAY - DAY)))["clearing_cleared_cents"] == 0
    assert values(clearing.section(Period(TODAY - 50 * DAY, TODAY - 41 * DAY)))["clearing_runs_count"] == 0


def test_an_organisation_sees_only_what_was_cleared_of_its_own_debts(actors: Actors, world: dict[str, Any]) -> None:
    services.run_execute(actor=actors.coordinator, run=world["second"])
    period = Period(TODAY - 60 * DAY, TODAY)

    a = values(clearing.section(period, organisation_id=actors.org_a.pk))
    # Run 1: 50 € each way; run 2: 20 € each way. Its invoices: A→B and C→A, then A→B and B→A.
    assert a == {
        "clearing_runs_count": 2,
        "clearing_cleared_cents": 7_000,
        "clearing_cash_saved_cents": 7_000,
        "clearing_invoices_cleared_count": 4,
        "clearing_invoices_settled_count": 2,
    }
    c = values(clearing.section(period, organisation_id=world["c"].pk))
    assert (c["clearing_runs_count"], c["clearing_cleared_cents"], c["clearing_invoices_cleared_count"]) == (
        1,
        5_000,
        2,
    )
    # C took no part in run 2: over the last 30 days, nothing of the others' 40 € shows on its page.
    assert all(
        value == 0
        for value in values(clearing.section(Period(TODAY - 30 * DAY, TODAY), organisation_id=world["c"].pk)).values()
    )
    assert all(
        value == 0 for value in values(clearing.section(period, organisation_id=make_organisation().pk)).values()
    )
