"""The pooled premises' indicators on two resources and a handful of bookings counted by hand, over
July 2026 (23 weekdays, one of them Bastille Day).

    room  A's meeting room in Gap, open 09:00-17:00 on weekdays: 22 days x 8 h = 176 h open
    desk  the hub's coworking desk in Briançon, same hours, closed 20-24 July: 17 days = 136 h open

    b1  room  for B  Mon 6 July 09:00-12:00     confirmed      3 h, 30 €
    b2  room  for A  Tue 7 July 14:00-16:00     completed      2 h, free
    b3  room  for B  Wed 8 July                 cancelled      nothing
    b4  room  for B  Thu 9 July                 requested      nothing
    b5  desk  for B  Fri 31 July 22:00 - Sat 1 August 02:00    1 booking, 2 h inside July, 40 € + 20 % VAT
    b6  desk  for A  30 June 23:00 - 1 July 01:00              started in June: 1 h inside July, no booking
    b7  desk  for A  Mon 3 August                              after July

July: 3 bookings (b1 b2 b5), 3 + 2 + 2 + 1 = 8 h booked (480 min) over 312 h open: 2,56 %.
The room: 5 h over 176 h = 2,84 %; the desk: 3 h over 136 h = 2,21 %.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Commune
from cordee.premises import stats
from cordee.premises.billing import invoice_bookings
from cordee.premises.models import Booking, Closure, Resource
from cordee.premises.tests.factories import at, insert_booking, make_resource
from cordee.reporting.figures import Section
from cordee.reporting.indicators import premises
from cordee.reporting.periods import Period

pytestmark = pytest.mark.django_db

JULY = Period(dt.date(2026, 7, 1), dt.date(2026, 7, 31))
AUGUST = Period(dt.date(2026, 8, 1), dt.date(2026, 8, 31))
NINE_TO_FIVE = tuple((weekday, "09:00", "17:00") for weekday in range(5))
State = Booking.State


def values(section: Section) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


def shares(section: Section, key: str) -> dict[str, int]:
    breakdown = next(b for b in section.breakdowns if b.key == key)
    return {share.key: share.value for share in breakdown.shares}


@pytest.fixture
def world(actors: Actors) -> dict[str, Resource]:
    room = make_resource(actors.org_a, opening_hours=NINE_TO_FIVE, member_hour_cents=1000)
    desk = make_resource(
        None,
        opening_hours=NINE_TO_FIVE,
        kind=Resource.Kind.COWORKING_DESK,
        commune=Commune.objects.get(pk="05023"),
        vat_rate=2000,
    )
    Closure.objects.create(resource=desk, starts_on=dt.date(2026, 7, 20), ends_on=dt.date(2026, 7, 24))
    b, a = actors.org_b, actors.org_a
    insert_booking(room, "2026-07-06", "09:00", "12:00", organisation=b, price_cents=3000)
    insert_booking(room, "2026-07-07", "14:00", "16:00", organisation=a, state=State.COMPLETED)
    insert_booking(room, "2026-07-08", "09:00", "17:00", organisation=b, state=State.CANCELLED, price_cents=8000)
    insert_booking(room, "2026-07-09", "09:00", "17:00", organisation=b, state=State.REQUESTED, price_cents=8000)
    Booking.objects.create(
        resource=desk,
        organisation=b,
        starts_at=at("2026-07-31", "22:00"),
        ends_at=at("2026-08-01", "02:00"),
        state=State.CONFIRMED,
        price_cents=4000,
    )
    Booking.objects.create(
        resource=desk,
        organisation=a,
        starts_at=at("2026-06-30", "23:00"),
        ends_at=at("2026-07-01", "01:00"),
        state=State.CONFIRMED,
    )
    insert_booking(desk, "2026-08-03", "10:00", "11:00", organisation=a)
    return {"room": room, "desk": desk}


def test_the_bookings_time_and_occupancy_of_the_month_are_counted_by_hand(world: dict[str, Resource]) -> None:
    section = premises.section(JULY)

    assert values(section) == {
        "premises_bookings_count": 3,
        "premises_booked_minutes": 480,
        "premises_occupancy_bps": 256,  # 480 / 18 720 minutes = 2,564 %
        "premises_invoiced_cents": 0,  # July's bookings are invoiced in August
    }


def test_the_figures_are_broken_down_by_kind_of_resource(world: dict[str, Resource]) -> None:
    section = premises.section(JULY)

    assert shares(section, "premises_bookings_by_kind") == {"meeting_room": 2, "coworking_desk": 1}
    assert shares(section, "premises_minutes_by_kind") == {"meeting_room": 300, "coworking_desk": 180}
    # 300 / 10 560 = 2,841 %; 180 / 8 160 = 2,206 %.
    assert shares(section, "premises_occupancy_by_kind") == {"meeting_room": 284, "coworking_desk": 221}


def test_the_open_time_is_the_one_of_the_premises_usage_statistics(world: dict[str, Resource]) -> None:
    resources = [world["room"], world["desk"]]
    rows = stats.occupancy(resources, dt.date(2026, 7, 1))

    assert premises.open_time(JULY, resources) == {row.resource.pk: row.open for row in rows}
    assert premises.open_time(JULY, resources)[world["desk"].pk] == dt.timedelta(hours=136)


def test_the_month_by_month_series_and_the_map_count_bookings_by_their_start(world: dict[str, Resource]) -> None:
    # 00:30 in Gap on 1 September is still 31 August in UTC: it counts in September.
    insert_booking(world["room"], "2026-09-01", "00:30", "01:30")

    section = premises.section(Period(dt.date(2026, 6, 1), dt.date(2026, 9, 30)))

    assert section.series[0].points == (
        (dt.date(2026, 6, 1), 1),
        (dt.date(2026, 7, 1), 3),
        (dt.date(2026, 8, 1), 1),
        (dt.date(2026, 9, 1), 1),
    )
    assert [(place.insee_code, place.value) for place in section.places] == [("05023", 3), ("05061", 3)]


def test_a_period_ending_mid_booking_counts_the_booking_and_its_time_inside(world: dict[str, Resource]) -> None:
    last_day = premises.section(Period(dt.date(2026, 7, 31), dt.date(2026, 7, 31)))
    first_day = premises.section(Period(dt.date(2026, 8, 1), dt.date(2026, 8, 1)))

    assert (values(last_day)["premises_bookings_count"], values(last_day)["premises_booked_minutes"]) == (1, 120)
    assert (values(first_day)["premises_bookings_count"], values(first_day)["premises_booked_minutes"]) == (0, 120)
    assert values(last_day)["premises_occupancy_bps"] == 1250  # 2 h over two resources open 8 h
    # A Saturday: the resources are closed, the occupancy has no meaning.
    assert values(first_day)["premises_occupancy_bps"] is None


def test_the_invoices_of_the_bookings_count_in_the_period_they_are_issued(
    actors: Actors, world: dict[str, Resource]
) -> None:
    invoice_bookings(dt.date(2026, 7, 1), now=at("2026-08-03", "08:00"), notify=False)

    # 30 € from A to B for the room, 40 € + 8 € of VAT from the hub to B for the desk.
    assert values(premises.section(AUGUST))["premises_invoiced_cents"] == 7800
    assert values(premises.section(JULY))["premises_invoiced_cents"] == 0
    assert values(premises.section(AUGUST, organisation_id=actors.org_b.pk))["premises_invoiced_cents"] == 7800
    own = values(premises.section(AUGUST, organisation_id=actors.org_a.pk))
    assert (own["premises_invoiced_cents"], own["premises_hosted_invoiced_cents"]) == (0, 3000)


def test_an_organisation_sees_its_bookings_and_those_of_its_resources(
    actors: Actors, world: dict[str, Resource]
) -> None:
    booker = premises.section(JULY, organisation_id=actors.org_b.pk)
    owner = premises.section(JULY, organisation_id=actors.org_a.pk)

    assert values(booker) == {
        "premises_bookings_count": 2,
        "premises_booked_minutes": 300,
        "premises_invoiced_cents": 0,
    }
    assert shares(booker, "premises_bookings_by_kind") == {"meeting_room": 1, "coworking_desk": 1}
    assert values(owner) == {
        "premises_bookings_count": 1,  # b2; b6 started in June
        "premises_booked_minutes": 180,  # b2 and b6's hour in July
        "premises_invoiced_cents": 0,
        "premises_hosted_bookings_count": 2,
        "premises_hosted_minutes": 300,
        "premises_hosted_invoiced_cents": 0,
        "premises_occupancy_bps": 284,
    }
    assert owner.series[0].points == ((dt.date(2026, 7, 1), 1),)


def test_the_organisation_view_never_shows_the_other_members_bookings(
    actors: Actors, world: dict[str, Resource]
) -> None:
    before = premises.section(AUGUST, organisation_id=actors.org_b.pk)
    third = make_organisation("Refuge du Pelvoux")
    their_room = make_resource(third, opening_hours=NINE_TO_FIVE)
    insert_booking(their_room, "2026-08-04", "09:00", "12:00", organisation=actors.org_a, price_cents=1000)
    insert_booking(world["desk"], "2026-08-05", "09:00", "12:00", organisation=third, price_cents=1000)
    invoice_bookings(dt.date(2026, 8, 1), now=at("2026-09-01", "08:00"), notify=False)

    after = premises.section(AUGUST, organisation_id=actors.org_b.pk)

    assert after == before
    assert after.places == [] and after.graphs == []


def test_the_number_of_queries_does_not_grow_with_the_resources_or_the_period(world: dict[str, Resource]) -> None:
    with CaptureQueriesContext(connection) as short:
        premises.section(JULY)
    for _n in range(4):
        insert_booking(make_resource(None), "2026-07-13", "09:00", "10:00")
    with CaptureQueriesContext(connection) as long:
        premises.section(Period(dt.date(2022, 1, 1), dt.date(2026, 12, 31)))

    assert len(long) == len(short) <= 7
