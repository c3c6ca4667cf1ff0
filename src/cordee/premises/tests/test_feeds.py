"""The iCalendar feeds: read back with the icalendar library, as a calendar client reads them."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.utils import timezone

from cordee.core.errors import NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation
from cordee.premises import feeds
from cordee.premises.models import Booking, OrganisationFeed, Resource
from cordee.premises.tests.factories import at, insert_booking, make_resource

NOW = at("2027-03-01", "12:00")  # the feeds then cover 30 January 2027 12:00 to 29 February 2028 12:00


@pytest.fixture(autouse=True)
def _site(settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://altitudes.example"


def events_of(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event.uid): event for event in calendar.events}


def uid(booking: Booking) -> str:
    return f"booking-{booking.pk}@altitudes.example"  # the host of settings.SITE_URL


@pytest.fixture
def room(actors: Actors) -> Resource:
    return make_resource(actors.org_a, name="Salle du Buëch", slug="salle-du-buech", address="12 rue Carnot")


@pytest.fixture
def bookings(actors: Actors, room: Resource) -> dict[str, Booking]:
    elsewhere = make_resource(actors.org_b, name="Atelier vélo", slug="atelier-velo", address="")
    return {
        "confirmed": insert_booking(
            room, "2027-03-17", "14:00", "16:00", organisation=actors.org_b, purpose="Assemblée générale"
        ),
        "requested": insert_booking(
            room, "2027-06-15", "14:00", "15:00", organisation=actors.org_b, state=Booking.State.REQUESTED
        ),
        "completed": insert_booking(
            room, "2027-02-10", "09:00", "12:00", organisation=actors.org_a, state=Booking.State.COMPLETED
        ),
        "hub": insert_booking(room, "2027-04-01", "10:00", "11:00", organisation=None, purpose="Comité"),
        "cancelled": insert_booking(
            room, "2027-03-18", "14:00", "16:00", organisation=actors.org_b, state=Booking.State.CANCELLED
        ),
        "refused": insert_booking(
            room, "2027-03-19", "14:00", "16:00", organisation=actors.org_b, state=Booking.State.REFUSED
        ),
        "too_old": insert_booking(
            room, "2027-01-20", "09:00", "10:00", organisation=actors.org_b, state=Booking.State.COMPLETED
        ),
        "too_far": insert_booking(room, "2028-03-10", "09:00", "10:00", organisation=actors.org_b),
        "other_resource": insert_booking(elsewhere, "2027-03-17", "09:00", "10:00", organisation=actors.org_b),
    }


# --- The resource's feed -----------------------------------------------------------------------


def test_the_resource_feed_holds_its_requested_confirmed_and_completed_bookings_in_the_window(
    room: Resource, bookings: dict[str, Booking]
) -> None:
    events = events_of(feeds.resource_calendar(room, now=NOW))

    assert set(events) == {uid(bookings[name]) for name in ("confirmed", "requested", "completed", "hub")}


def test_the_resource_feed_says_who_booked_and_why_and_whether_it_is_decided(
    room: Resource, bookings: dict[str, Booking]
) -> None:
    events = events_of(feeds.resource_calendar(room, now=NOW))

    confirmed, requested = events[uid(bookings["confirmed"])], events[uid(bookings["requested"])]
    assert confirmed.summary == "Coopérative des Écrins \N{EM DASH} Assemblée générale"
    assert confirmed.status == "CONFIRMED"
    assert requested.summary == "Coopérative des Écrins"
    assert requested.status == "TENTATIVE"
    assert events[uid(bookings["completed"])].status == "CONFIRMED"
    assert events[uid(bookings["hub"])].summary == f"{settings.HUB_NAME} \N{EM DASH} Comité"


def test_event_times_are_written_in_utc(room: Resource, bookings: dict[str, Booking]) -> None:
    body = feeds.resource_calendar(room, now=NOW)
    events = events_of(body)

    # 14:00 in Gap is 13:00 UTC in winter (UTC+1) and 12:00 UTC in summer (UTC+2).
    assert b"DTSTART:20270317T130000Z" in body
    assert b"DTEND:20270317T150000Z" in body
    assert b"DTSTART:20270615T120000Z" in body
    march = events[uid(bookings["confirmed"])]
    assert march.start == at("2027-03-17", "14:00")
    assert march.end == at("2027-03-17", "16:00")
    assert march.start.utcoffset() == dt.timedelta(0)


def test_each_event_is_stamped_and_the_calendar_names_itself(room: Resource, bookings: dict[str, Booking]) -> None:
    calendar = icalendar.Calendar.from_ical(feeds.resource_calendar(room, now=NOW))

    assert calendar["VERSION"] == "2.0"
    assert "Cordée" in calendar["PRODID"]
    assert calendar["X-WR-CALNAME"] == f"Salle du Buëch \N{MIDDLE DOT} {settings.HUB_NAME}"
    assert calendar.refresh_interval == feeds.REFRESH
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    for event in calendar.events:
        assert event.stamp == NOW
    confirmed = bookings["confirmed"]
    by_uid = {str(e.uid): e for e in calendar.events}
    assert by_uid[uid(confirmed)].last_modified == confirmed.created_at.replace(microsecond=0)


def test_a_decision_moves_the_last_modified_time(room: Resource, bookings: dict[str, Booking]) -> None:
    booking = bookings["requested"]
    decided = booking.created_at + dt.timedelta(days=2, hours=3)
    Booking.objects.filter(pk=booking.pk).update(state=Booking.State.CONFIRMED, decided_at=decided)

    event = events_of(feeds.resource_calendar(room, now=NOW))[uid(booking)]

    assert event.status == "CONFIRMED"
    assert event.last_modified == decided.replace(microsecond=0)


def test_a_uid_stays_the_same_from_one_fetch_to_the_next(room: Resource, bookings: dict[str, Booking]) -> None:
    first = set(events_of(feeds.resource_calendar(room, now=NOW)))
    second = set(events_of(feeds.resource_calendar(room, now=NOW + dt.timedelta(hours=1))))

    assert first == second


# --- The organisation's feed -------------------------------------------------------------------


def test_the_organisation_feed_holds_the_bookings_it_made_and_no_others(
    actors: Actors, room: Resource, bookings: dict[str, Booking]
) -> None:
    events = events_of(feeds.organisation_calendar(actors.org_b, now=NOW))

    assert set(events) == {uid(bookings[name]) for name in ("confirmed", "requested", "other_resource")}


def test_another_organisations_feed_does_not_show_them(
    actors: Actors, room: Resource, bookings: dict[str, Booking]
) -> None:
    events = events_of(feeds.organisation_calendar(actors.org_a, now=NOW))

    assert set(events) == {uid(bookings["completed"])}
    assert events_of(feeds.organisation_calendar(make_organisation("Sans réservation"), now=NOW)) == {}


def test_the_organisation_feed_names_the_resource_and_its_place(
    actors: Actors, room: Resource, bookings: dict[str, Booking]
) -> None:
    events = events_of(feeds.organisation_calendar(actors.org_b, now=NOW))

    confirmed = events[uid(bookings["confirmed"])]
    assert confirmed.summary == "Salle du Buëch"
    assert confirmed.location == "12 rue Carnot, 05000 Gap"
    assert confirmed.description == "Assemblée générale"
    assert confirmed.status == "CONFIRMED"
    assert events[uid(bookings["requested"])].status == "TENTATIVE"
    assert events[uid(bookings["other_resource"])].location == "05000 Gap"  # no street address given


# --- The addresses -----------------------------------------------------------------------------


def test_a_calendar_client_reads_the_resource_feed_without_logging_in(
    actors: Actors, room: Resource, client_for
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    booking = insert_booking(room, tomorrow.isoformat(), "10:00", "11:00", organisation=actors.org_b)

    response = client_for(None).get(f"/agenda/ressource/{room.ical_token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="salle-du-buech.ics"'
    assert "private" in response["Cache-Control"]
    assert set(events_of(response.content)) == {uid(booking)}


def test_a_calendar_client_reads_the_organisation_feed_without_logging_in(
    actors: Actors, room: Resource, client_for
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    booking = insert_booking(room, tomorrow.isoformat(), "10:00", "11:00", organisation=actors.org_b)
    insert_booking(room, tomorrow.isoformat(), "14:00", "15:00", organisation=actors.org_a)
    feed = feeds.organisation_feed(actors.org_b)

    response = client_for(None).get(f"/agenda/organisation/{feed.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="{actors.org_b.slug}.ics"'
    assert set(events_of(response.content)) == {uid(booking)}


@pytest.mark.parametrize("kind", ["ressource", "organisation"])
def test_an_unknown_token_is_not_found(room: Resource, client_for, kind: str) -> None:
    assert client_for(None).get(f"/agenda/{kind}/{'x' * 32}.ics").status_code == 404


def test_the_organisation_feed_keeps_its_address_once_created(actors: Actors) -> None:
    first = feeds.organisation_feed(actors.org_a)

    assert feeds.organisation_feed(actors.org_a).token == first.token
    assert OrganisationFeed.objects.count() == 1


def test_a_manager_renews_the_resource_address_and_the_old_one_stops_working(
    actors: Actors, room: Resource, client_for
) -> None:
    old = room.ical_token
    client = client_for(actors.member_admin_a)

    response = client.post(f"/ressources/{room.pk}/agenda/renouveler/", {"next": f"/ressources/{room.pk}/"})

    assert response.status_code == 302
    assert response["Location"] == f"/ressources/{room.pk}/"
    room.refresh_from_db()
    assert room.ical_token != old
    assert client_for(None).get(f"/agenda/ressource/{old}.ics").status_code == 404
    assert client_for(None).get(f"/agenda/ressource/{room.ical_token}.ics").status_code == 200
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    event = AuditEvent.objects.get(action="resource.feed_regenerate")
    assert (event.actor, event.target_id) == (actors.member_admin_a, str(room.pk))
    assert room.ical_token not in str(event.data)


def test_an_admin_renews_the_organisation_address_and_the_old_one_stops_working(actors: Actors, client_for) -> None:
    old = feeds.organisation_feed(actors.org_a).token

    response = client_for(actors.member_admin_a).post(
        f"/organisations/{actors.org_a.slug}/agenda/renouveler/", {"next": "/compte/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    new = OrganisationFeed.objects.get(organisation=actors.org_a).token
    assert new != old
    assert client_for(None).get(f"/agenda/organisation/{old}.ics").status_code == 404
    assert client_for(None).get(f"/agenda/organisation/{new}.ics").status_code == 200
    assert AuditEvent.objects.filter(action="organisation.feed_regenerate", target_id=str(actors.org_a.pk)).exists()


def test_the_coordinator_renews_any_address(actors: Actors, room: Resource) -> None:
    old = room.ical_token

    assert feeds.regenerate_resource_token(actors.coordinator, room) != old
    assert feeds.regenerate_organisation_token(actors.coordinator, actors.org_b).organisation == actors.org_b


@pytest.mark.parametrize("who", ["member_user_a", "member_admin_b", "treasurer", "outsider"])
def test_others_cannot_renew_the_resource_address(actors: Actors, room: Resource, client_for, who: str) -> None:
    old = room.ical_token
    user = getattr(actors, who)

    with pytest.raises(NotAllowed):
        feeds.regenerate_resource_token(user, room)
    response = client_for(user).post(f"/ressources/{room.pk}/agenda/renouveler/")

    assert response.status_code == 403
    room.refresh_from_db()
    assert room.ical_token == old
    assert not AuditEvent.objects.filter(action="resource.feed_regenerate").exists()


@pytest.mark.parametrize("who", ["member_user_a", "member_admin_b", "treasurer", "outsider"])
def test_others_cannot_renew_the_organisation_address(actors: Actors, client_for, who: str) -> None:
    old = feeds.organisation_feed(actors.org_a).token
    user = getattr(actors, who)

    with pytest.raises(NotAllowed):
        feeds.regenerate_organisation_token(user, actors.org_a)
    response = client_for(user).post(f"/organisations/{actors.org_a.slug}/agenda/renouveler/")

    assert response.status_code == 404  # whether the organisation exists is not theirs to learn
    assert OrganisationFeed.objects.get(organisation=actors.org_a).token == old


def test_a_visitor_is_sent_to_log_in_and_nothing_changes(room: Resource, client_for) -> None:
    old = room.ical_token

    response = client_for(None).post(f"/ressources/{room.pk}/agenda/renouveler/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    room.refresh_from_db()
    assert room.ical_token == old


def test_renewing_takes_a_post(actors: Actors, room: Resource, client_for) -> None:
    old = room.ical_token

    assert client_for(actors.member_admin_a).get(f"/ressources/{room.pk}/agenda/renouveler/").status_code == 405
    room.refresh_from_db()
    assert room.ical_token == old


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "", "javascript:alert(1)"])
def test_renewing_never_redirects_off_site(actors: Actors, room: Resource, client_for, target: str) -> None:
    response = client_for(actors.member_admin_a).post(f"/ressources/{room.pk}/agenda/renouveler/", {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"
