"""The rules of a resource, one at a time, each with the smallest booking that breaks it and the
booking right at its edge that does not. The clock is Monday 1 March 2027, 09:00 in Gap; the room
is open Monday to Friday 08:00–19:00, bookings of 30 minutes to 12 hours, on steps of 30 minutes.
Conflicts with other bookings are the services' part (test_services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from cordee.premises.models import Closure, Resource
from cordee.premises.rules import Problem, check_booking, public_holiday
from cordee.premises.tests.factories import NOW, at, make_resource


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def room(db: Any) -> Resource:
    return make_resource(None, name="Salle du Buëch", capacity=12)


def problems(
    resource: Resource, day: str, start: str, end: str, *, end_day: str | None = None, **options: Any
) -> list[Problem]:
    options.setdefault("now", NOW)
    return check_booking(resource, at(day, start), at(end_day or day, end), **options)


def test_a_booking_inside_every_rule_has_no_problem(room: Resource) -> None:
    assert problems(room, "2027-03-17", "10:00", "11:00", attendees=12) == []


# --- Time: the past, the notice ----------------------------------------------------------------


def test_it_refuses_a_booking_that_starts_in_the_past(room: Resource) -> None:
    assert problems(room, "2027-03-01", "08:30", "09:30") == [
        Problem("starts_at", "A booking cannot start in the past.")
    ]


def test_a_booking_may_start_at_this_very_minute(room: Resource) -> None:
    assert problems(room, "2027-03-01", "09:00", "10:00") == []


def test_it_refuses_a_booking_inside_the_notice(room: Resource) -> None:
    room.lead_time_hours = 48

    # 47 h 30 min ahead (Wednesday 08:30), then exactly 48 h ahead (Wednesday 09:00).
    assert problems(room, "2027-03-03", "08:30", "09:30") == [
        Problem("starts_at", "This resource must be booked at least 48 hours ahead.")
    ]
    assert problems(room, "2027-03-03", "09:00", "10:00") == []


def test_the_owners_side_is_held_neither_to_the_notice_nor_to_the_opening_hours(room: Resource) -> None:
    room.lead_time_hours = 48

    # Tuesday 2 March 07:00 is inside the notice and before opening; Saturday is closed.
    assert problems(room, "2027-03-02", "07:00", "08:00", by_manager=True) == []
    assert problems(room, "2027-03-06", "10:00", "11:00", by_manager=True) == []
    assert len(problems(room, "2027-03-02", "07:00", "08:00")) == 2


def test_the_owners_side_cannot_book_in_the_past_either(room: Resource) -> None:
    assert problems(room, "2027-02-26", "10:00", "11:00", by_manager=True) == [
        Problem("starts_at", "A booking cannot start in the past.")
    ]


def test_it_refuses_an_end_before_the_start_and_says_nothing_else(room: Resource) -> None:
    expected = [Problem("ends_at", "The end must be after the start.")]

    assert problems(room, "2027-03-17", "11:00", "10:00") == expected
    assert problems(room, "2027-03-17", "11:00", "11:00") == expected


# --- Opening hours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [("07:30", "08:30"), ("18:30", "19:30"), ("07:30", "19:30")],
    ids=["before-opening", "after-closing", "around-the-day"],
)
def test_it_refuses_a_booking_outside_opening_hours(room: Resource, start: str, end: str) -> None:
    assert problems(room, "2027-03-17", start, end) == [
        Problem("starts_at", "Outside opening hours: on Wednesday the resource opens 08:00–19:00.")
    ]


def test_a_booking_may_fill_the_opening_hours_exactly(room: Resource) -> None:
    assert problems(room, "2027-03-17", "08:00", "19:00") == []


def test_it_refuses_a_day_without_opening_hours(room: Resource) -> None:
    assert problems(room, "2027-03-20", "10:00", "11:00") == [
        Problem("starts_at", "The resource is closed on Saturday.")
    ]


def test_a_booking_over_the_lunch_break_is_refused_and_both_spans_are_named(db: Any) -> None:
    office = make_resource(None, opening_hours=[(0, "08:00", "12:00"), (0, "14:00", "18:00")])

    assert problems(office, "2027-03-15", "11:00", "15:00") == [
        Problem("starts_at", "Outside opening hours: on Monday the resource opens 08:00–12:00, 14:00–18:00.")
    ]
    assert problems(office, "2027-03-15", "14:00", "18:00") == []


def test_opening_spans_that_touch_make_one(db: Any) -> None:
    office = make_resource(None, opening_hours=[(0, "09:00", "12:00"), (0, "12:00", "17:00")])

    assert problems(office, "2027-03-15", "11:00", "13:00") == []
    assert problems(office, "2027-03-15", "16:00", "17:30") == [
        Problem("starts_at", "Outside opening hours: on Monday the resource opens 09:00–12:00, 12:00–17:00.")
    ]


def test_a_resource_without_opening_hours_is_open_at_all_hours(db: Any) -> None:
    van = make_resource(None, kind=Resource.Kind.VEHICLE, opening_hours=[])

    assert problems(van, "2027-03-20", "03:00", "05:00") == []
    assert problems(van, "2027-03-20", "20:00", "08:00", end_day="2027-03-21") == []


def test_a_booking_may_end_at_midnight_when_the_resource_is_open_until_then(db: Any) -> None:
    hall = make_resource(None, kind=Resource.Kind.HALL, opening_hours=[(4, "18:00", "23:59:59")])

    assert problems(hall, "2027-03-19", "20:00", "00:00", end_day="2027-03-20") == []
    assert problems(hall, "2027-03-19", "20:00", "00:30", end_day="2027-03-20") == [
        Problem("starts_at", "Outside opening hours: on Friday the resource opens 18:00–23:59.")
    ]


def test_opening_hours_are_read_on_the_wall_clock_after_the_change_to_summer_time(room: Resource) -> None:
    # Wednesday 31 March 2027 08:00 in Gap is 06:00 UTC (summer time since Sunday 28 March).
    starts_at = dt.datetime(2027, 3, 31, 6, 0, tzinfo=dt.UTC)

    assert check_booking(room, starts_at, starts_at + dt.timedelta(hours=1), now=NOW) == []
    assert check_booking(room, starts_at - dt.timedelta(hours=1), starts_at, now=NOW) == [
        Problem("starts_at", "Outside opening hours: on Wednesday the resource opens 08:00–19:00.")
    ]


# --- Closures and public holidays -------------------------------------------------------------


def test_it_refuses_a_booking_during_a_closure_of_the_resource(room: Resource) -> None:
    Closure.objects.create(resource=room, starts_on="2027-03-15", ends_on="2027-03-19", reason="Peinture")

    assert problems(room, "2027-03-17", "10:00", "11:00") == [
        Problem("starts_at", "The resource is closed from Monday 15 March 2027 to Friday 19 March 2027 (Peinture).")
    ]
    assert problems(room, "2027-03-19", "18:00", "19:00") == [
        Problem("starts_at", "The resource is closed from Monday 15 March 2027 to Friday 19 March 2027 (Peinture).")
    ], "the last day is included"
    assert problems(room, "2027-03-22", "08:00", "09:00") == []


def test_a_closure_without_reason_says_so_with_a_dash(room: Resource) -> None:
    Closure.objects.create(resource=room, starts_on="2027-03-17", ends_on="2027-03-17")

    assert problems(room, "2027-03-17", "10:00", "11:00") == [
        Problem("starts_at", "The resource is closed from Wednesday 17 March 2027 to Wednesday 17 March 2027 (—).")
    ]


def test_a_closure_of_the_whole_hub_closes_every_resource(room: Resource) -> None:
    other = make_resource(None)
    Closure.objects.create(resource=None, starts_on="2027-08-02", ends_on="2027-08-20", reason="Congés d'été")
    expected = [
        Problem(
            "starts_at", "The resource is closed from Monday 2 August 2027 to Friday 20 August 2027 (Congés d'été)."
        )
    ]

    assert problems(room, "2027-08-04", "10:00", "11:00") == expected
    assert problems(other, "2027-08-04", "10:00", "11:00") == expected


def test_a_closure_of_another_resource_does_not_close_this_one(room: Resource) -> None:
    Closure.objects.create(resource=make_resource(None), starts_on="2027-03-15", ends_on="2027-03-19")

    assert problems(room, "2027-03-17", "10:00", "11:00") == []


def test_the_owners_side_cannot_book_during_a_closure(room: Resource) -> None:
    Closure.objects.create(resource=room, starts_on="2027-03-17", ends_on="2027-03-17", reason="Travaux")

    assert [p.field for p in problems(room, "2027-03-17", "10:00", "11:00", by_manager=True)] == ["starts_at"]


@pytest.mark.parametrize(
    ("day", "spelt", "name"),
    [
        ("2027-03-29", "Monday 29 March 2027", "Easter Monday"),
        ("2027-05-06", "Thursday 6 May 2027", "Ascension Day"),
        ("2027-07-14", "Wednesday 14 July 2027", "National Day"),
        ("2027-11-11", "Thursday 11 November 2027", "Armistice Day"),
    ],
)
def test_it_refuses_a_booking_on_a_public_holiday(room: Resource, day: str, spelt: str, name: str) -> None:
    assert problems(room, day, "10:00", "11:00") == [
        Problem("starts_at", f"The resource is closed on {spelt}, a public holiday ({name}).")
    ]


def test_the_thursday_after_ascension_is_an_ordinary_day(room: Resource) -> None:
    # Easter 2027 is on 28 March, so Ascension (39 days later) is Thursday 6 May, not 13 May.
    assert public_holiday(dt.date(2027, 5, 13)) is None
    assert problems(room, "2027-05-13", "10:00", "11:00") == []


def test_a_resource_open_on_public_holidays_may_be_booked_on_them(room: Resource) -> None:
    room.closed_on_public_holidays = False

    assert problems(room, "2027-07-14", "10:00", "11:00") == []


def test_public_holidays_are_named_in_the_language_of_the_page() -> None:
    with translation.override("fr"):
        assert public_holiday(dt.date(2027, 5, 6)) == "Ascension"
        assert public_holiday(dt.date(2027, 7, 14)) == "Fête nationale"
    assert public_holiday(dt.date(2027, 5, 6)) == "Ascension Day"


# --- Capacity, length, granularity, the resource itself ---------------------------------------


def test_it_refuses_more_people_than_the_resource_holds(room: Resource) -> None:
    assert problems(room, "2027-03-17", "10:00", "11:00", attendees=13) == [
        Problem("attendees", "This resource holds 12 people at most.")
    ]
    assert problems(room, "2027-03-17", "10:00", "11:00", attendees=None) == []


def test_a_resource_without_capacity_takes_any_number_of_people(db: Any) -> None:
    van = make_resource(None, kind=Resource.Kind.VEHICLE, capacity=None)

    assert problems(van, "2027-03-17", "10:00", "11:00", attendees=60) == []


def test_it_refuses_a_booking_shorter_than_allowed(room: Resource) -> None:
    room.min_minutes = 60

    assert problems(room, "2027-03-17", "10:00", "10:30") == [
        Problem("ends_at", "A booking of this resource lasts at least 60 minutes.")
    ]
    assert problems(room, "2027-03-17", "10:00", "11:00") == []


def test_it_refuses_a_booking_longer_than_allowed(room: Resource) -> None:
    room.max_minutes = 180

    assert problems(room, "2027-03-17", "10:00", "13:30") == [
        Problem("ends_at", "A booking of this resource lasts at most 180 minutes.")
    ]
    assert problems(room, "2027-03-17", "10:00", "13:00") == []


@pytest.fixture
def van(db: Any) -> Resource:
    return make_resource(None, kind=Resource.Kind.VEHICLE, opening_hours=[], max_minutes=120)


def test_the_length_is_the_time_that_really_passes_across_the_change_to_summer_time(van: Resource) -> None:
    # On Sunday 28 March 2027 the clocks of Gap jump from 02:00 to 03:00: 01:00–04:00 there
    # (00:00–02:00 UTC) lasts 2 hours; the Sunday before, 01:00–04:00 lasts 3.
    starts_at = dt.datetime(2027, 3, 28, 0, 0, tzinfo=dt.UTC)

    assert check_booking(van, starts_at, starts_at + dt.timedelta(hours=2), now=NOW) == []
    assert problems(van, "2027-03-21", "01:00", "04:00") == [
        Problem("ends_at", "A booking of this resource lasts at most 120 minutes.")
    ]


def test_the_length_does_not_depend_on_the_time_zone_the_instants_are_written_in(van: Resource) -> None:
    # Forms give Europe/Paris instants, which Python subtracts on the wall clock (3 hours here).
    assert problems(van, "2027-03-28", "01:00", "04:00") == []


@pytest.mark.parametrize(
    ("start", "end"),
    [("10:15", "11:15"), ("10:00", "10:45"), ("10:00:30", "11:00:30")],
    ids=["start-off-step", "length-off-step", "seconds"],
)
def test_it_refuses_a_booking_off_the_granularity(room: Resource, start: str, end: str) -> None:
    assert problems(room, "2027-03-17", start, end) == [
        Problem("starts_at", "Bookings of this resource start and end on steps of 30 minutes.")
    ]


def test_the_granularity_is_the_resources_own(room: Resource) -> None:
    room.granularity_minutes = 15
    room.min_minutes = 15

    assert problems(room, "2027-03-17", "10:15", "10:45") == []
    assert problems(room, "2027-03-17", "10:10", "10:40") == [
        Problem("starts_at", "Bookings of this resource start and end on steps of 15 minutes.")
    ]


def test_it_refuses_a_booking_off_the_granularity_by_a_fraction_of_a_second(room: Resource) -> None:
    half = dt.timedelta(milliseconds=500)

    assert check_booking(room, at("2027-03-17", "10:00") + half, at("2027-03-17", "11:00") + half, now=NOW) == [
        Problem("starts_at", "Bookings of this resource start and end on steps of 30 minutes.")
    ]


def test_it_refuses_an_inactive_resource(room: Resource) -> None:
    room.active = False

    assert problems(room, "2027-03-17", "10:00", "11:00") == [
        Problem("resource", "This resource cannot be booked at the moment.")
    ]


def test_every_broken_rule_is_reported_not_only_the_first(room: Resource) -> None:
    room.min_minutes = 60
    Closure.objects.create(resource=room, starts_on="2027-03-20", ends_on="2027-03-20", reason="Inventaire")

    assert problems(room, "2027-03-20", "10:15", "10:45", attendees=20) == [
        Problem("ends_at", "A booking of this resource lasts at least 60 minutes."),
        Problem("starts_at", "Bookings of this resource start and end on steps of 30 minutes."),
        Problem("attendees", "This resource holds 12 people at most."),
        Problem(
            "starts_at", "The resource is closed from Saturday 20 March 2027 to Saturday 20 March 2027 (Inventaire)."
        ),
        Problem("starts_at", "The resource is closed on Saturday."),
    ]
