"""The members' indicators on a small network counted by hand, over the first half of 2025.

    A  association  Gap       founding  joined 01/03/2020                     a member all along
    B  cooperative  Briançon  member    joined 30/06/2025, the last day       new, counts at the end
    C  association  Gap       member    joined 01/07/2025, the day after      not yet a member
    D  association  Gap       member    joined 2019, left 31/12/2024          gone before the period
    E  association  Briançon  member    joined 2019, left 30/06/2025          departed, not at the end
    F  association  Gap       member    joined 2019, left 15/07/2025          still a member at the end
    G  foundation   Gap       partner   joined 2018, suspended 10/03/2025     a member in January and February
    H  association  Gap       candidate                                       never a member
    I  mutual       Gap       partner   joined 15/02/2025                     new

At the end: A, B, F, I. Month by month (end of each month): January A E F G = 4; February + I = 5;
March - G = 4; April 4; May 4; June + B - E = 4.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Membership, Organisation
from cordee.reporting.figures import Section
from cordee.reporting.indicators import network
from cordee.reporting.periods import Period

pytestmark = pytest.mark.django_db

PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
d = dt.date


def values(section: Section) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


def shares(section: Section, key: str) -> dict[str, int]:
    breakdown = next(b for b in section.breakdowns if b.key == key)
    return {share.key: share.value for share in breakdown.shares}


def set_membership(organisation: Organisation, **fields: Any) -> None:
    Membership.objects.filter(organisation=organisation).update(**fields)


@pytest.fixture
def world(actors: Actors) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {"A": actors.org_a, "B": actors.org_b}
    set_membership(orgs["A"], circle="founding", joined_on=d(2020, 3, 1), applied_on=d(2020, 2, 1))
    orgs["A"].legal_form_id = "9220"
    orgs["A"].save(update_fields=["legal_form"])
    set_membership(orgs["B"], joined_on=d(2025, 6, 30))
    orgs["C"] = make_organisation("C")
    set_membership(orgs["C"], joined_on=d(2025, 7, 1))
    orgs["D"] = make_organisation("D", status="left")
    set_membership(orgs["D"], joined_on=d(2019, 5, 1), left_on=d(2024, 12, 31))
    orgs["E"] = make_organisation("E", commune="05023")
    set_membership(orgs["E"], status="left", joined_on=d(2019, 5, 1), left_on=d(2025, 6, 30))
    orgs["F"] = make_organisation("F", legal_form_id="9220")
    set_membership(orgs["F"], status="left", joined_on=d(2019, 5, 1), left_on=d(2025, 7, 15))
    orgs["G"] = make_organisation("G", family="foundation")
    set_membership(
        orgs["G"], status="suspended", circle="partner", joined_on=d(2018, 1, 1), suspended_on=d(2025, 3, 10)
    )
    orgs["H"] = make_organisation("H", status="candidate")
    orgs["I"] = make_organisation("I", family="mutual")
    set_membership(orgs["I"], circle="partner", joined_on=d(2025, 2, 15))
    return orgs


def test_the_members_new_and_departed_are_counted_by_hand(world: dict[str, Organisation]) -> None:
    section = network.section(PERIOD)

    assert values(section) == {"members_active": 4, "members_joined": 2, "members_departed": 1}


def test_the_members_are_broken_down_by_family_circle_legal_form_and_commune(world: dict[str, Organisation]) -> None:
    section = network.section(PERIOD)

    assert shares(section, "members_by_family") == {
        "association": 2,
        "cooperative": 1,
        "mutual": 1,
        "foundation": 0,
        "esus_company": 0,
        "local_authority": 0,
        "other_company": 0,
    }
    assert shares(section, "members_by_circle") == {"founding": 1, "member": 2, "partner": 1}
    assert shares(section, "members_by_legal_form") == {"9220": 2, network.NO_LEGAL_FORM: 2}
    assert list(shares(section, "members_by_commune").items()) == [("05061", 3), ("05023", 1)]


def test_the_map_places_the_members_on_their_communes(world: dict[str, Organisation]) -> None:
    places = network.section(PERIOD).places

    assert [(p.insee_code, p.name, p.value) for p in places] == [("05061", "Gap", 3), ("05023", "Briançon", 1)]
    assert (places[0].latitude, places[0].longitude) == (44.58016, 6.06493)


def test_the_members_month_by_month_count_those_at_the_end_of_each_month(world: dict[str, Organisation]) -> None:
    (series,) = network.section(PERIOD).series

    assert series.key == "members_active_by_month"
    assert series.points == (
        (d(2025, 1, 1), 4),
        (d(2025, 2, 1), 5),
        (d(2025, 3, 1), 4),
        (d(2025, 4, 1), 4),
        (d(2025, 5, 1), 4),
        (d(2025, 6, 1), 4),
    )


def test_a_period_ending_mid_month_counts_its_last_month_on_its_last_day(world: dict[str, Organisation]) -> None:
    section = network.section(Period(d(2025, 6, 1), d(2025, 6, 29)))

    assert values(section)["members_active"] == 4  # E not gone yet, B not there yet
    assert section.series[0].points == ((d(2025, 6, 1), 4),)
    assert values(section)["members_joined"] == 0


def test_an_empty_network_reports_zeros_not_errors(db: None) -> None:
    section = network.section(PERIOD)

    assert values(section) == {"members_active": 0, "members_joined": 0, "members_departed": 0}
    assert section.places == []
    assert all(value == 0 for _month, value in section.series[0].points)


def test_the_organisation_sees_its_own_membership(world: dict[str, Organisation]) -> None:
    founding = network.section(PERIOD, organisation_id=world["A"].pk)
    newcomer = network.section(PERIOD, organisation_id=world["B"].pk)
    departed = network.section(PERIOD, organisation_id=world["E"].pk)

    assert values(founding) == {"members_active": 1, "members_joined": 0, "membership_years": 5}
    assert shares(founding, "members_by_circle") == {"founding": 1, "member": 0, "partner": 0}
    assert "01/03/2020" in founding.figure("membership_years").help  # member since
    assert values(newcomer) == {"members_active": 1, "members_joined": 1, "membership_years": 0}
    assert values(departed) == {"members_active": 0, "members_joined": 0, "membership_years": None}
    assert departed.breakdowns == []


def test_the_organisation_view_never_shows_the_other_members(world: dict[str, Organisation]) -> None:
    before = network.section(PERIOD, organisation_id=world["A"].pk)
    for n in range(3):
        other = make_organisation(f"Other {n}", family="cooperative", commune="05023")
        set_membership(other, joined_on=d(2025, 1, 2))
    set_membership(world["I"], status="left", left_on=d(2025, 5, 1))

    after = network.section(PERIOD, organisation_id=world["A"].pk)

    assert after == before
    assert after.places == [] and after.series == [] and after.graphs == []
    assert all(sum(share.value for share in b.shares) <= 1 for b in after.breakdowns)


def test_the_number_of_queries_does_not_grow_with_the_network_or_the_period(world: dict[str, Organisation]) -> None:
    with CaptureQueriesContext(connection) as short:
        network.section(PERIOD)
    for n in range(5):
        make_organisation(f"More {n}", commune="05070")
    with CaptureQueriesContext(connection) as long:
        network.section(Period(d(2021, 1, 1), d(2025, 12, 31)))

    assert len(long) == len(short) <= 6
