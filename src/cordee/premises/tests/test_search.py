"""The availability search, on real Hautes-Alpes communes: as the crow flies, Embrun is 32.5 km
from Gap and Briançon 58.2 km; Briançon is 38.0 km from Embrun."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from cordee.core.errors import NotAllowed
from cordee.core.testing import Actors
from cordee.network.models import Commune
from cordee.premises import search, services
from cordee.premises.models import Booking, Closure, Resource
from cordee.premises.tests.factories import at, insert_booking, make_resource

NOW = at("2027-03-01", "08:00")
# Wednesday 17 March 2027, 14:00 to 16:00, within the rooms' opening hours (weekdays 08:00-19:00).
DAY, START, END = "2027-03-17", at("2027-03-17", "14:00"), at("2027-03-17", "16:00")


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def commune(insee: str) -> Commune:
    return Commune.objects.get(pk=insee)


@pytest.fixture
def rooms(actors: Actors) -> dict[str, Resource]:
    return {
        "gap": make_resource(actors.org_a, name="Salle du Buëch", commune=commune("05061"), capacity=12),
        "embrun": make_resource(actors.org_b, name="Salle du lac", commune=commune("05046"), capacity=20),
        "briancon": make_resource(None, name="Salle Vauban", commune=commune("05023"), capacity=30),
    }


def find(user, **criteria) -> list[search.Found]:  # type: ignore[no-untyped-def]
    criteria.setdefault("starts_at", START)
    criteria.setdefault("ends_at", END)
    return search.available(user, now=NOW, **criteria)


def names(found: list[search.Found]) -> list[str]:
    return [item.resource.name for item in found]


def test_the_communes_used_here_have_coordinates(db) -> None:  # type: ignore[no-untyped-def]
    for insee, name in (("05061", "Gap"), ("05023", "Briançon"), ("05046", "Embrun")):
        place = commune(insee)
        assert place.name == name
        assert place.latitude is not None and place.longitude is not None


def test_distances_between_communes(db) -> None:  # type: ignore[no-untyped-def]
    gap, embrun, briancon = commune("05061"), commune("05046"), commune("05023")

    assert search.distance_km(gap, embrun) == 32.5
    assert search.distance_km(gap, briancon) == 58.2
    assert search.distance_km(embrun, briancon) == search.distance_km(briancon, embrun) == 38.0
    assert search.distance_km(gap, gap) == 0.0


def test_nearest_first_from_gap(actors: Actors, rooms: dict[str, Resource]) -> None:
    found = find(actors.member_user_a, near=commune("05061"))

    assert [(item.resource.name, item.distance_km) for item in found] == [
        ("Salle du Buëch", 0.0),
        ("Salle du lac", 32.5),
        ("Salle Vauban", 58.2),
    ]


def test_nearest_first_from_briancon(actors: Actors, rooms: dict[str, Resource]) -> None:
    found = find(actors.member_user_a, near=commune("05023"))

    assert [(item.resource.name, item.distance_km) for item in found] == [
        ("Salle Vauban", 0.0),
        ("Salle du lac", 38.0),
        ("Salle du Buëch", 58.2),
    ]


def test_without_a_place_the_order_is_by_name_ignoring_accents(actors: Actors, rooms: dict[str, Resource]) -> None:
    make_resource(actors.org_a, name="Écurie", commune=commune("05061"))

    found = find(actors.member_user_a)

    assert names(found) == ["Écurie", "Salle du Buëch", "Salle du lac", "Salle Vauban"]
    assert {item.distance_km for item in found} == {None}


def test_an_unknown_distance_comes_last_and_ties_go_by_name(actors: Actors, rooms: dict[str, Resource]) -> None:
    nowhere = Commune.objects.create(insee_code="05999", name="Sans coordonnées", search_name="sans coordonnees")
    make_resource(actors.org_a, name="Annexe", commune=nowhere)
    make_resource(actors.org_a, name="Bureau partagé", commune=commune("05061"))

    found = find(actors.member_user_a, near=commune("05061"))

    assert [(item.resource.name, item.distance_km) for item in found] == [
        ("Bureau partagé", 0.0),
        ("Salle du Buëch", 0.0),
        ("Salle du lac", 32.5),
        ("Salle Vauban", 58.2),
        ("Annexe", None),
    ]


def test_a_resource_held_by_a_booking_is_left_out(actors: Actors, rooms: dict[str, Resource]) -> None:
    # Overlapping by half an hour, a confirmed booking and a request both hold the room.
    insert_booking(rooms["embrun"], DAY, "15:30", "17:00", organisation=actors.org_b)
    insert_booking(rooms["briancon"], DAY, "13:00", "14:30", state=Booking.State.REQUESTED)

    assert names(find(actors.member_user_a)) == ["Salle du Buëch"]


def test_bookings_that_do_not_hold_the_room_or_only_touch_the_slot_do_not_count(
    actors: Actors, rooms: dict[str, Resource]
) -> None:
    insert_booking(rooms["gap"], DAY, "14:00", "16:00", state=Booking.State.CANCELLED)
    insert_booking(rooms["embrun"], DAY, "14:00", "16:00", state=Booking.State.REFUSED)
    insert_booking(rooms["briancon"], DAY, "12:00", "14:00")  # ends when the slot starts
    insert_booking(rooms["briancon"], DAY, "16:00", "18:00")  # starts when it ends

    assert names(find(actors.member_user_a)) == ["Salle du Buëch", "Salle du lac", "Salle Vauban"]


def test_too_small_rooms_are_left_out(actors: Actors, rooms: dict[str, Resource]) -> None:
    make_resource(actors.org_a, name="Remise", capacity=None)

    assert names(find(actors.member_user_a, capacity=20)) == ["Salle du lac", "Salle Vauban"]
    assert names(find(actors.member_user_a, capacity=31)) == []
    # Without a capacity asked for, a resource whose capacity is not set is offered.
    assert "Remise" in names(find(actors.member_user_a))


def test_more_attendees_than_a_room_holds_leave_it_out(actors: Actors, rooms: dict[str, Resource]) -> None:
    assert names(find(actors.member_user_a, attendees=15)) == ["Salle du lac", "Salle Vauban"]


def test_only_the_kind_asked_for(actors: Actors, rooms: dict[str, Resource]) -> None:
    make_resource(actors.org_a, name="Kangoo", kind=Resource.Kind.VEHICLE, opening_hours=())

    assert names(find(actors.member_user_a, kind=Resource.Kind.VEHICLE)) == ["Kangoo"]
    assert "Kangoo" not in names(find(actors.member_user_a, kind=Resource.Kind.MEETING_ROOM))


def test_closed_or_inactive_resources_are_left_out(actors: Actors, rooms: dict[str, Resource]) -> None:
    Closure.objects.create(resource=rooms["gap"], starts_on=at(DAY, "00:00").date(), ends_on=at(DAY, "00:00").date())
    rooms["embrun"].active = False
    rooms["embrun"].save()

    assert names(find(actors.member_user_a)) == ["Salle Vauban"]


def test_a_hub_wide_closure_leaves_nothing(actors: Actors, rooms: dict[str, Resource]) -> None:
    Closure.objects.create(resource=None, starts_on=at("2027-03-15", "00:00").date(), ends_on=at(DAY, "00:00").date())

    assert find(actors.member_user_a) == []


def test_nothing_outside_opening_hours_or_on_a_public_holiday(actors: Actors, rooms: dict[str, Resource]) -> None:
    open_all_hours = make_resource(actors.org_a, name="Kangoo", kind=Resource.Kind.VEHICLE, opening_hours=())
    saturday = {"starts_at": at("2027-03-20", "10:00"), "ends_at": at("2027-03-20", "12:00")}
    easter_monday = {"starts_at": at("2027-03-29", "10:00"), "ends_at": at("2027-03-29", "12:00")}

    assert names(find(actors.member_user_a, **saturday)) == ["Kangoo"]
    assert find(actors.member_user_a, **easter_monday) == []
    open_all_hours.closed_on_public_holidays = False
    open_all_hours.save()
    assert names(find(actors.member_user_a, **easter_monday)) == ["Kangoo"]


def test_the_rules_of_each_resource_apply(actors: Actors, rooms: dict[str, Resource]) -> None:
    rooms["gap"].max_minutes = 60  # the slot lasts two hours
    rooms["gap"].save()
    rooms["embrun"].granularity_minutes = 180
    rooms["embrun"].save()

    assert names(find(actors.member_user_a)) == ["Salle Vauban"]


def test_a_manager_finds_their_own_room_outside_opening_hours_and_no_other(
    actors: Actors, rooms: dict[str, Resource]
) -> None:
    evening = {"starts_at": at(DAY, "19:00"), "ends_at": at(DAY, "21:00")}

    assert names(find(actors.member_admin_a, **evening)) == ["Salle du Buëch"]
    assert names(find(actors.member_user_a, **evening)) == []


def test_a_slot_in_the_past_finds_nothing(actors: Actors, rooms: dict[str, Resource]) -> None:
    assert find(actors.member_user_a, starts_at=at("2027-02-17", "14:00"), ends_at=at("2027-02-17", "16:00")) == []


def test_the_price_is_quoted_for_the_organisation_asked_for(actors: Actors, rooms: dict[str, Resource]) -> None:
    for room in rooms.values():
        room.member_hour_cents = 1500
        room.save()

    found = {item.resource.name: item.quote for item in find(actors.member_user_a, organisation=actors.org_a)}

    assert found["Salle du Buëch"] is not None and found["Salle du Buëch"].cents == 0  # its own room
    assert found["Salle du lac"] is not None and found["Salle du lac"].cents == 3000  # 2 h at 15 €
    assert {item.quote for item in find(actors.member_user_a)} == {None}


def test_the_search_offers_exactly_what_booking_accepts(actors: Actors, rooms: dict[str, Resource]) -> None:
    insert_booking(rooms["embrun"], DAY, "15:00", "16:00", organisation=actors.org_b)
    rooms["briancon"].lead_time_hours = 24 * 30  # a month's notice: too late
    rooms["briancon"].save()
    offered = {item.resource.pk for item in find(actors.member_user_a, attendees=10)}

    bookable = set()
    for room in Resource.objects.all():
        request = services.Request(room, actors.org_a, START, END, attendees=10)
        try:
            services.booking_create(actors.member_user_a, request, now=NOW)
        except services.BookingRefused:
            continue
        bookable.add(room.pk)

    assert offered == bookable == {rooms["gap"].pk}


@pytest.mark.parametrize("who", ["outsider", None])
def test_people_outside_the_network_cannot_search(actors: Actors, rooms: dict[str, Resource], who: str | None) -> None:
    user = getattr(actors, who) if who else AnonymousUser()

    with pytest.raises(NotAllowed):
        find(user)
