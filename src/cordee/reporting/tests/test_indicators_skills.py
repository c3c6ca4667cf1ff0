"""The skills exchange's indicators on a handful of exchanges counted by hand, over the first
quarter of 2026, between A, B and C.

    e1  B -> A  2 h of time credits   done 10 Jan      on B's offer (accounting)
    e2  B -> A  1 h of time credits   done 31 Mar      on A's need (legal), the last day
    e3  A -> C  150 €                 done  1 Feb      on A's offer (digital)
    e4  C -> B  free                  done 15 Feb      without a listing
    e5  B -> A  1 h 30                done 31 Dec 2025  before the quarter
    e6  A -> B  30 min                accepted, not done
    e7  C -> A  45 min                cancelled
    e8  A -> B  4 h                   done 1 Apr       after the quarter

The quarter: 4 exchanges (e1 to e4), 180 minutes, 150 €, one free, between 3 organisations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Organisation
from cordee.reporting.figures import Graph, Section
from cordee.reporting.indicators import skills
from cordee.reporting.periods import Period
from cordee.skills.models import Direction, Exchange, Listing, Terms
from cordee.skills.tests.exchange_support import done, make_listing

pytestmark = pytest.mark.django_db

D = dt.date
QUARTER = Period(D(2026, 1, 1), D(2026, 3, 31))
State = Exchange.State


def values(section: Section) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


def shares(section: Section, key: str) -> dict[str, int]:
    breakdown = next(b for b in section.breakdowns if b.key == key)
    return {share.key: share.value for share in breakdown.shares}


def links(section: Section, key: str) -> set[tuple[int, int, int]]:
    graph: Graph = next(g for g in section.graphs if g.key == key)
    return {(link.giver, link.receiver, link.weight) for link in graph.links}


def exchange(
    giver: Organisation,
    receiver: Organisation,
    *,
    state: str = State.DONE,
    done_on: dt.date | None = None,
    minutes: int | None = None,
    cents: int | None = None,
    offer: Listing | None = None,
    need: Listing | None = None,
) -> Exchange:
    """An exchange row written straight to the database (the services are tested in skills)."""
    terms = Terms.HOURS if minutes else Terms.EUROS if cents else Terms.FREE
    return Exchange.objects.create(
        giver=giver,
        receiver=receiver,
        offer=offer,
        need=need,
        description="Un coup de main",
        terms=terms,
        minutes=minutes,
        price_cents=cents,
        state=state,
        proposed_by_organisation=receiver,
        done_on=done_on,
        transfer_id=uuid.uuid4() if state == State.DONE and minutes else None,
    )


@pytest.fixture
def world(actors: Actors) -> dict[str, Any]:
    a, b = actors.org_a, actors.org_b
    c = make_organisation("Mutuelle du Champsaur", family="mutual")
    exchange(b, a, done_on=D(2026, 1, 10), minutes=120, offer=make_listing(b, category="accounting"))
    need = make_listing(a, direction=Direction.NEED, category="legal")
    exchange(b, a, done_on=D(2026, 3, 31), minutes=60, need=need)
    offer = make_listing(a, terms=Terms.EUROS, price_cents=15_000, category="digital")
    exchange(a, c, done_on=D(2026, 2, 1), cents=15_000, offer=offer)
    exchange(c, b, done_on=D(2026, 2, 15))
    exchange(b, a, done_on=D(2025, 12, 31), minutes=90)
    exchange(a, b, state=State.ACCEPTED, minutes=30)
    exchange(c, a, state=State.CANCELLED, minutes=45)
    exchange(a, b, done_on=D(2026, 4, 1), minutes=240)
    return {"a": a, "b": b, "c": c}


def test_the_exchanges_of_the_quarter_are_counted_by_hand(world: dict[str, Any]) -> None:
    section = skills.section(QUARTER)

    assert values(section) == {
        "skills_exchanges_count": 4,
        "skills_exchanged_minutes": 180,
        "skills_exchanged_cents": 15_000,
        "skills_free_exchanges_count": 1,
        "skills_organisations_count": 3,
    }


def test_the_exchanges_are_broken_down_by_the_category_of_their_offer_or_need(world: dict[str, Any]) -> None:
    section = skills.section(QUARTER)

    assert shares(section, "skills_exchanges_by_category") == {
        "accounting": 1,
        "legal": 1,
        "digital": 1,
        skills.NO_CATEGORY: 1,
    }
    assert shares(section, "skills_minutes_by_category") == {
        "accounting": 120,
        "legal": 60,
        "digital": 0,
        skills.NO_CATEGORY: 0,
    }


def test_the_cooperation_graph_says_who_helped_whom(world: dict[str, Any]) -> None:
    a, b, c = (world[key].pk for key in "abc")
    section = skills.section(QUARTER)

    assert links(section, "skills_cooperation_minutes") == {(b, a, 180)}
    assert links(section, "skills_cooperation_cents") == {(a, c, 15_000)}
    assert links(section, "skills_cooperation_exchanges") == {(b, a, 2), (a, c, 1), (c, b, 1)}
    graph = next(g for g in section.graphs if g.key == "skills_cooperation_minutes")
    assert graph.nodes == {a: world["a"].name, b: world["b"].name}


def test_the_exchanges_month_by_month_follow_the_day_they_were_done(world: dict[str, Any]) -> None:
    section = skills.section(Period(D(2025, 12, 1), D(2026, 4, 30)))

    assert section.series[0].points == (
        (D(2025, 12, 1), 1),
        (D(2026, 1, 1), 1),
        (D(2026, 2, 1), 2),
        (D(2026, 3, 1), 1),
        (D(2026, 4, 1), 1),
    )


def test_an_exchange_done_through_the_services_counts_on_its_day(actors: Actors) -> None:
    today = timezone.localdate()
    done(actors, minutes=90)  # confirmed by both sides today

    section = skills.section(Period(today, today))

    assert (values(section)["skills_exchanges_count"], values(section)["skills_exchanged_minutes"]) == (1, 90)
    assert links(section, "skills_cooperation_minutes") == {(actors.org_b.pk, actors.org_a.pk, 90)}
    yesterday = today - dt.timedelta(days=1)
    assert values(skills.section(Period(yesterday, yesterday)))["skills_exchanges_count"] == 0


def test_an_organisation_sees_what_it_gave_and_received(world: dict[str, Any]) -> None:
    a, b, c = (world[key].pk for key in "abc")
    section = skills.section(QUARTER, organisation_id=a)

    assert values(section) == {
        "skills_exchanges_count": 3,
        "skills_given_count": 1,
        "skills_given_minutes": 0,
        "skills_given_cents": 15_000,
        "skills_received_count": 2,
        "skills_received_minutes": 180,
        "skills_received_cents": 0,
    }
    assert links(section, "skills_cooperation_exchanges") == {(b, a, 2), (a, c, 1)}  # not C -> B
    assert section.series[0].points == ((D(2026, 1, 1), 1), (D(2026, 2, 1), 1), (D(2026, 3, 1), 1))


def test_the_organisation_view_never_shows_the_exchanges_between_others(world: dict[str, Any]) -> None:
    a = world["a"].pk
    before = skills.section(QUARTER, organisation_id=a)
    other = make_organisation("Refuge du Pelvoux")
    exchange(world["b"], world["c"], done_on=D(2026, 2, 2), minutes=300)
    exchange(other, world["b"], done_on=D(2026, 3, 3), cents=5000)

    after = skills.section(QUARTER, organisation_id=a)

    assert after == before
    for graph in after.graphs:
        assert all(a in (link.giver, link.receiver) for link in graph.links)
    assert after.breakdowns == [] and after.places == []


def test_the_number_of_queries_does_not_grow_with_the_exchanges_or_the_period(world: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as short:
        skills.section(QUARTER)
    for n in range(4):
        other = make_organisation(f"Autre {n}")
        exchange(other, world["a"], done_on=D(2026, 2, 10), minutes=30)
    with CaptureQueriesContext(connection) as long:
        skills.section(Period(D(2022, 1, 1), D(2026, 12, 31)))

    assert len(long) == len(short) <= 6
