"""The price of a booking, in worked examples a treasurer can check by hand, then against a simple
reference model (decimal arithmetic, rounded half up to the cent) on any prices and length.

The room belongs to Les Jardins du Buëch (org A) and is booked by the Coopérative des Écrins
(org B, an active member) unless told otherwise."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Membership, Organisation
from cordee.premises.models import Resource
from cordee.premises.pricing import Quote, quote
from cordee.premises.tests.factories import at, make_resource


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def room(actors: Actors) -> Resource:
    return make_resource(actors.org_a, name="Salle du Buëch", member_hour_cents=1250, public_hour_cents=2000)


def price(
    resource: Resource, organisation: Organisation | None, start: str, end: str, day: str = "2027-03-17"
) -> Quote:
    return quote(resource, organisation, at(day, start), at(day, end))


# --- Per hour, per half-day, per day: the cheapest -------------------------------------------


def test_an_hour_and_a_half_at_12_50_an_hour_costs_18_75(actors: Actors, room: Resource) -> None:
    # 12,50 € × 1,5 = 18,75 €
    assert price(room, actors.org_b, "10:00", "11:30") == Quote(1875, "1,5 h at the hourly member rate", "member")


@pytest.mark.parametrize(
    ("hour_cents", "start", "end", "cents"),
    [
        (1250, "10:00", "10:30", 625),  # 12,50 € / 2 = 6,25 €
        (745, "10:00", "10:30", 373),  # 7,45 € / 2 = 3,725 €, rounded half up
        (1000, "10:00", "11:20", 1333),  # 10 € × 4/3 = 13,333… €, rounded down
        (1000, "10:00", "11:10", 1167),  # 10 € × 7/6 = 11,666… €, rounded up
        (1250, "08:00", "20:00", 15000),  # 12,50 € × 12 = 150 €
    ],
)
def test_the_hourly_price_is_pro_rata_to_the_minute_rounded_half_up_to_the_cent(
    actors: Actors, hour_cents: int, start: str, end: str, cents: int
) -> None:
    room = make_resource(actors.org_a, member_hour_cents=hour_cents)

    assert price(room, actors.org_b, start, end).cents == cents


def test_a_half_day_is_cheaper_than_four_hours_at_the_hourly_price(actors: Actors, room: Resource) -> None:
    room.member_half_day_cents = 4000

    # 4 h × 12,50 € = 50 € > 40 €
    assert price(room, actors.org_b, "08:00", "12:00") == Quote(4000, "1 half-day at the member rate", "member")
    # 3 h × 12,50 € = 37,50 € < 40 €
    assert price(room, actors.org_b, "08:00", "11:00") == Quote(3750, "3 h at the hourly member rate", "member")
    # 4 h 30 min starts a second half-day (80 €): 4,5 × 12,50 € = 56,25 € is cheaper
    assert price(room, actors.org_b, "08:00", "12:30") == Quote(5625, "4,5 h at the hourly member rate", "member")


def test_a_day_is_cheaper_than_a_long_booking_at_the_hourly_price(actors: Actors, room: Resource) -> None:
    room.member_half_day_cents, room.member_day_cents = 4000, 7000

    # 8 h × 12,50 € = 100 € > 70 €
    assert price(room, actors.org_b, "08:00", "16:00") == Quote(7000, "1 day at the member rate", "member")
    # 5 h × 12,50 € = 62,50 € < 70 €
    assert price(room, actors.org_b, "08:00", "13:00").cents == 6250


def test_each_started_24_hours_is_one_more_day(actors: Actors) -> None:
    van = make_resource(actors.org_a, kind=Resource.Kind.VEHICLE, opening_hours=[], member_day_cents=6000)

    assert quote(van, actors.org_b, at("2027-03-15", "08:00"), at("2027-03-16", "08:00")) == Quote(
        6000, "1 day at the member rate", "member"
    )
    # Monday 08:00 to Tuesday 14:00: 30 hours, two started days.
    assert quote(van, actors.org_b, at("2027-03-15", "08:00"), at("2027-03-16", "14:00")) == Quote(
        12000, "2 days at the member rate", "member"
    )


def test_each_started_4_hours_is_one_more_half_day(actors: Actors) -> None:
    hall = make_resource(actors.org_a, kind=Resource.Kind.HALL, member_half_day_cents=4000)

    assert price(hall, actors.org_b, "08:00", "12:00") == Quote(4000, "1 half-day at the member rate", "member")
    # 5 hours: two started half-days, 2 × 40 € (not free for want of an hourly or daily price)
    assert price(hall, actors.org_b, "08:00", "13:00") == Quote(8000, "2 half-days at the member rate", "member")
    # 8 hours: still two; 8 h 30 min: three
    assert price(hall, actors.org_b, "08:00", "16:00").cents == 8000
    assert price(hall, actors.org_b, "08:00", "16:30").cents == 12000


# --- Who pays which rate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "rate", "cents"),
    [
        (Membership.Status.ACTIVE, "member", 1875),
        (Membership.Status.SUSPENDED, "member", 1875),
        (Membership.Status.CANDIDATE, "public", 3000),
        (Membership.Status.LEFT, "public", 3000),
        (Membership.Status.REJECTED, "public", 3000),
    ],
)
def test_an_organisation_that_is_not_an_active_or_suspended_member_pays_the_non_member_rate(
    actors: Actors, room: Resource, status: str, rate: str, cents: int
) -> None:
    organisation = make_organisation("Refuge du Pelvoux", status=status)

    # 1,5 h × 12,50 € = 18,75 € for members, × 20 € = 30 € for others
    assert price(room, organisation, "10:00", "11:30") == Quote(
        cents, f"1,5 h at the hourly {'member' if rate == 'member' else 'non-member'} rate", rate
    )


def test_the_hub_booking_a_members_resource_pays_the_member_rate(room: Resource) -> None:
    assert price(room, None, "10:00", "11:30") == Quote(1875, "1,5 h at the hourly member rate", "member")


def test_an_organisation_the_resource_is_free_for_pays_nothing(actors: Actors, room: Resource) -> None:
    departed = make_organisation("Refuge du Pelvoux", status=Membership.Status.LEFT)
    room.free_for.add(actors.org_b, departed)

    free = Quote(0, "Free of charge for this organisation", "free")
    assert price(room, actors.org_b, "10:00", "11:30") == free
    assert price(room, departed, "10:00", "11:30") == free
    assert price(room, make_organisation("Scop des Écrins"), "10:00", "11:30").cents == 1875


def test_the_owner_booking_its_own_resource_pays_nothing(actors: Actors, room: Resource) -> None:
    assert price(room, actors.org_a, "10:00", "11:30") == Quote(0, "Free of charge for this organisation", "free")


def test_the_hub_booking_its_own_resource_pays_nothing(actors: Actors) -> None:
    hall = make_resource(None, member_hour_cents=1250, public_hour_cents=2000)

    assert price(hall, None, "10:00", "11:30") == Quote(0, "Free of charge for this organisation", "free")
    assert price(hall, actors.org_a, "10:00", "11:30").cents == 1875


def test_a_resource_with_no_price_at_all_is_lent_free_of_charge(actors: Actors) -> None:
    drill = make_resource(actors.org_a, kind=Resource.Kind.EQUIPMENT)

    assert price(drill, actors.org_b, "10:00", "11:30") == Quote(0, "This resource is lent free of charge", "free")


# --- The change to summer time ---------------------------------------------------------------


@pytest.fixture
def van(actors: Actors) -> Resource:
    return make_resource(actors.org_a, kind=Resource.Kind.VEHICLE, opening_hours=[], member_hour_cents=1000)


def test_a_night_across_the_change_to_summer_time_is_priced_for_the_hours_that_pass(
    actors: Actors, van: Resource
) -> None:
    # Saturday 27 March 2027 20:00 to Sunday 08:00 in Gap: 19:00 to 06:00 UTC, 11 hours at 10 €.
    starts_at = dt.datetime(2027, 3, 27, 19, 0, tzinfo=dt.UTC)

    assert quote(van, actors.org_b, starts_at, starts_at + dt.timedelta(hours=11)).cents == 11000


def test_the_price_does_not_depend_on_the_time_zone_the_instants_are_written_in(actors: Actors, van: Resource) -> None:
    # Forms give Europe/Paris instants, which Python subtracts on the wall clock (12 hours here).
    assert quote(van, actors.org_b, at("2027-03-27", "20:00"), at("2027-03-28", "08:00")).cents == 11000


# --- Against a reference model ---------------------------------------------------------------

PRICES = st.one_of(st.none(), st.integers(min_value=0, max_value=1_000_000))


def reference_quote(hour: int | None, half_day: int | None, day: int | None, minutes: int) -> tuple[int, str]:
    """(cents, rate) as a treasurer would work it out: euros to the cent, rounded half up; one
    half-day per started 4 hours, one day per started 24 hours; the cheapest of what is offered,
    free when nothing is."""
    options = []
    if hour is not None:
        options.append(int((Decimal(hour) * minutes / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    if half_day is not None:
        options.append(half_day * math.ceil(minutes / (4 * 60)))
    if day is not None:
        options.append(day * math.ceil(minutes / (24 * 60)))
    return (min(options), "member") if options else (0, "free")


@given(hour=PRICES, half_day=PRICES, day=PRICES, minutes=st.integers(min_value=1, max_value=7 * 24 * 60))
def test_the_quote_is_the_cheapest_option_of_the_reference_model(
    hour: int | None, half_day: int | None, day: int | None, minutes: int
) -> None:
    # Not saved: with the hub booking a member's resource, quote() reads nothing from the database.
    resource = Resource(owner_id=1, member_hour_cents=hour, member_half_day_cents=half_day, member_day_cents=day)
    starts_at = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)

    result = quote(resource, None, starts_at, starts_at + dt.timedelta(minutes=minutes))

    assert (result.cents, result.rate) == reference_quote(hour, half_day, day, minutes)
    assert result.detail
