"""Usage statistics, as worked examples a person can check with a calendar and a pencil.

July 2027 starts on a Thursday and has 22 weekdays, one of them Bastille Day (Wednesday 14 July);
March 2027 has its clocks go forward on Sunday 28 (a 23-hour day) and Easter Monday on the 29th.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings

from cordee.core import permissions
from cordee.core.testing import Actors
from cordee.premises import stats
from cordee.premises.models import Booking, Closure, Resource
from cordee.premises.tests.factories import at, make_resource

JULY = dt.date(2027, 7, 1)
NINE_TO_FIVE = tuple((weekday, "09:00", "17:00") for weekday in range(5))
HOUR = dt.timedelta(hours=1)


def book(
    resource: Resource, start: dt.datetime, end: dt.datetime, *, state: str = Booking.State.CONFIRMED, **fields
) -> Booking:
    return Booking.objects.create(resource=resource, starts_at=start, ends_at=end, state=state, **fields)


@pytest.fixture
def room(actors: Actors) -> Resource:
    return make_resource(actors.org_a, opening_hours=NINE_TO_FIVE)


def occupancy_of(resource: Resource, month: dt.date = JULY) -> stats.Row:
    (row,) = stats.occupancy([resource], month)
    return row


# --- Open time ---------------------------------------------------------------------------------


def test_a_room_open_nine_to_five_on_weekdays_is_open_168_hours_in_july_2027(room: Resource) -> None:
    # 22 weekdays, less Bastille Day: 21 days of 8 hours.
    assert occupancy_of(room).open == 168 * HOUR
    assert occupancy_of(room).open_hours == Decimal("168.00")


def test_a_room_open_on_public_holidays_counts_them(room: Resource) -> None:
    room.closed_on_public_holidays = False
    room.save()

    assert occupancy_of(room).open == 22 * 8 * HOUR


def test_closure_days_are_not_open_time(room: Resource) -> None:
    # Monday 19 to Friday 23 July: five weekdays of 8 hours.
    Closure.objects.create(
        resource=room, starts_on=dt.date(2027, 7, 19), ends_on=dt.date(2027, 7, 23), reason="Travaux"
    )

    assert occupancy_of(room).open == (168 - 40) * HOUR


def test_a_hub_wide_closure_closes_every_resource_and_a_closure_day_counts_once(room: Resource) -> None:
    # The hub closes Thursday 29 July to Sunday 1 August; the room itself also closes Friday 30
    # July: two weekdays of 8 hours.
    Closure.objects.create(resource=None, starts_on=dt.date(2027, 7, 29), ends_on=dt.date(2027, 8, 1))
    Closure.objects.create(resource=room, starts_on=dt.date(2027, 7, 30), ends_on=dt.date(2027, 7, 30))

    assert occupancy_of(room).open == (168 - 16) * HOUR


def test_another_resources_closure_does_not_count(actors: Actors, room: Resource) -> None:
    other = make_resource(actors.org_a, opening_hours=NINE_TO_FIVE)
    Closure.objects.create(resource=other, starts_on=dt.date(2027, 7, 1), ends_on=dt.date(2027, 7, 31))

    rows = stats.occupancy([room, other], JULY)

    assert [row.open for row in rows] == [168 * HOUR, dt.timedelta(0)]
    assert rows[1].rate is None  # never open: no rate rather than a division by zero


def test_two_opening_spans_of_a_day_add_up_and_overlapping_ones_count_once(actors: Actors) -> None:
    # Mondays 08:00-12:00 and 14:00-18:00, plus a mistaken 11:00-13:00: 9 hours a Monday.
    # July 2027 has four Mondays (5, 12, 19, 26).
    resource = make_resource(
        actors.org_a, opening_hours=[(0, "08:00", "12:00"), (0, "14:00", "18:00"), (0, "11:00", "13:00")]
    )

    assert occupancy_of(resource).open == 4 * 9 * HOUR


def test_a_resource_without_opening_hours_is_open_all_day_and_the_clocks_change_counts(actors: Actors) -> None:
    # March 2027 has 31 days; on Sunday 28 the clocks go forward and the day lasts 23 hours.
    van = make_resource(actors.org_a, opening_hours=(), kind=Resource.Kind.VEHICLE, closed_on_public_holidays=False)
    book(van, at("2027-03-01", "00:00"), at("2027-04-01", "00:00"))

    row = occupancy_of(van, dt.date(2027, 3, 15))

    assert row.open == (31 * 24 - 1) * HOUR
    assert row.booked == row.open
    assert row.rate == 1


def test_a_resource_open_all_hours_still_closes_on_easter_monday(actors: Actors) -> None:
    van = make_resource(actors.org_a, opening_hours=(), kind=Resource.Kind.VEHICLE)

    assert occupancy_of(van, dt.date(2027, 3, 1)).open == (31 * 24 - 1 - 24) * HOUR


# --- Booked time -------------------------------------------------------------------------------


def test_occupancy_of_a_room_in_july_2027_worked_example(actors: Actors, room: Resource) -> None:
    book(room, at("2027-07-05", "09:00"), at("2027-07-05", "12:00"))  # 3 h
    book(room, at("2027-07-06", "10:00"), at("2027-07-06", "17:00"), state=Booking.State.COMPLETED)  # 7 h
    book(room, at("2027-06-30", "20:00"), at("2027-07-01", "02:00"))  # 2 h of it in July
    book(room, at("2027-07-31", "22:00"), at("2027-08-01", "01:00"))  # 2 h of it in July
    # Not used: a request still waiting, a cancelled and a refused booking, June and August.
    book(room, at("2027-07-07", "09:00"), at("2027-07-07", "17:00"), state=Booking.State.REQUESTED)
    book(room, at("2027-07-08", "09:00"), at("2027-07-08", "17:00"), state=Booking.State.CANCELLED)
    book(room, at("2027-07-09", "09:00"), at("2027-07-09", "17:00"), state=Booking.State.REFUSED)
    book(room, at("2027-06-29", "09:00"), at("2027-06-29", "17:00"))
    book(room, at("2027-08-02", "09:00"), at("2027-08-02", "17:00"))

    row = occupancy_of(room)

    assert row.booked == 14 * HOUR
    assert row.booked_hours == Decimal("14.00")
    assert row.open_hours == Decimal("168.00")
    assert row.rate == Fraction(1, 12)
    assert row.percent == Decimal("8.3")


def test_booked_time_counts_each_resource_apart(actors: Actors, room: Resource) -> None:
    other = make_resource(actors.org_b, opening_hours=NINE_TO_FIVE)
    book(room, at("2027-07-05", "09:00"), at("2027-07-05", "13:30"))
    book(other, at("2027-07-05", "09:00"), at("2027-07-05", "10:00"))

    rows = stats.occupancy([other, room], JULY)

    assert [(row.resource, row.booked) for row in rows] == [(other, HOUR), (room, dt.timedelta(hours=4, minutes=30))]
    assert rows[1].booked_hours == Decimal("4.50")


def test_occupancy_takes_three_queries_whatever_the_number_of_resources(
    actors: Actors, django_assert_num_queries
) -> None:
    resources = [make_resource(actors.org_a) for _ in range(6)]
    for resource in resources:
        book(resource, at("2027-07-05", "09:00"), at("2027-07-05", "10:00"))

    with django_assert_num_queries(3):
        rows = stats.occupancy(resources, JULY)

    assert all(row.booked == HOUR for row in rows)


def test_a_month_is_given_by_any_of_its_days(room: Resource) -> None:
    book(room, at("2027-07-05", "09:00"), at("2027-07-05", "12:00"))

    assert occupancy_of(room, dt.date(2027, 7, 31)) == occupancy_of(room, JULY)


# --- Time used by each organisation ------------------------------------------------------------


@pytest.fixture
def usage(actors: Actors) -> dict[str, Resource]:
    """In July 2027: the Coopérative des Écrins (org B) uses 3 h of A's room and 2 h of its own
    workshop; the Jardins du Buëch (org A) 7 h of their room and 4 h of the hub's hall; the hub
    1 h of its hall."""
    resources = {
        "room_a": make_resource(actors.org_a, opening_hours=NINE_TO_FIVE),
        "workshop_b": make_resource(actors.org_b, opening_hours=NINE_TO_FIVE),
        "hall": make_resource(None, opening_hours=NINE_TO_FIVE),
    }
    book(resources["room_a"], at("2027-07-05", "09:00"), at("2027-07-05", "12:00"), organisation=actors.org_b)
    book(resources["workshop_b"], at("2027-07-05", "09:00"), at("2027-07-05", "11:00"), organisation=actors.org_b)
    book(resources["room_a"], at("2027-07-06", "09:00"), at("2027-07-06", "16:00"), organisation=actors.org_a)
    book(
        resources["hall"],
        at("2027-07-06", "09:00"),
        at("2027-07-06", "13:00"),
        organisation=actors.org_a,
        state=Booking.State.COMPLETED,
    )
    book(resources["hall"], at("2027-07-07", "09:00"), at("2027-07-07", "10:00"), organisation=None)
    # Not counted: cancelled, or in another month.
    book(
        resources["hall"],
        at("2027-07-08", "09:00"),
        at("2027-07-08", "17:00"),
        organisation=actors.org_b,
        state=Booking.State.CANCELLED,
    )
    book(resources["hall"], at("2027-08-02", "09:00"), at("2027-08-02", "17:00"), organisation=actors.org_b)
    return resources


def summary(rows: list[stats.OrganisationUsage]) -> list[tuple[str, dt.timedelta, int]]:
    return [(row.name, row.booked, row.bookings) for row in rows]


def test_hours_by_organisation_across_every_resource(actors: Actors, usage: dict[str, Resource]) -> None:
    rows = stats.hours_by_organisation(JULY, None)

    assert summary(rows) == [
        ("Les Jardins du Buëch", 11 * HOUR, 2),
        ("Coopérative des Écrins", 5 * HOUR, 2),
        (settings.HUB_NAME, HOUR, 1),
    ]
    assert [row.organisation_id for row in rows] == [actors.org_a.pk, actors.org_b.pk, None]
    assert rows[0].hours == Decimal("11.00")


def test_a_member_admin_sees_the_use_of_their_own_resources(actors: Actors, usage: dict[str, Resource]) -> None:
    scope = permissions.usage_owner_scope(actors.member_admin_a)
    assert scope == {actors.org_a.pk}

    assert summary(stats.hours_by_organisation(JULY, scope)) == [
        ("Les Jardins du Buëch", 7 * HOUR, 1),
        ("Coopérative des Écrins", 3 * HOUR, 1),
    ]


def test_the_hub_in_the_scope_means_its_own_resources(actors: Actors, usage: dict[str, Resource]) -> None:
    assert summary(stats.hours_by_organisation(JULY, {None})) == [
        ("Les Jardins du Buëch", 4 * HOUR, 1),
        (settings.HUB_NAME, HOUR, 1),
    ]
    assert summary(stats.hours_by_organisation(JULY, {None, actors.org_b.pk})) == [
        ("Les Jardins du Buëch", 4 * HOUR, 1),
        ("Coopérative des Écrins", 2 * HOUR, 1),
        (settings.HUB_NAME, HOUR, 1),
    ]


def test_an_empty_scope_shows_nothing(actors: Actors, usage: dict[str, Resource]) -> None:
    assert permissions.usage_owner_scope(actors.member_user_a) == set()
    assert stats.hours_by_organisation(JULY, set()) == []


def test_hours_by_organisation_clip_bookings_to_the_month(actors: Actors) -> None:
    hall = make_resource(None, opening_hours=())
    book(hall, at("2027-06-30", "18:00"), at("2027-07-02", "06:00"), organisation=actors.org_b)  # 30 h in July

    assert summary(stats.hours_by_organisation(JULY, None)) == [("Coopérative des Écrins", 30 * HOUR, 1)]
