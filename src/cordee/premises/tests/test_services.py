"""Booking through the services: every refusal with its message and field and nothing written,
the database's own guard against overlaps, the race between the check and the insert, approval,
cancellation, the price frozen on the booking, recurring bookings and the end-of-day completion.

The clock is Monday 1 March 2027, 09:00 in Gap (`NOW`, passed to every service that takes it).
The room belongs to Les Jardins du Buëch (org A, whose admin manages it); the Coopérative des
Écrins (org B) books it through its admin unless told otherwise. It is open Monday to Friday
08:00–19:00, holds 12 people, costs members 12,50 € an hour and may be cancelled up to 24 hours
before the start."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation, make_person
from cordee.network.models import Affiliation, Membership, Organisation
from cordee.premises import services
from cordee.premises.models import Booking, BookingSeries, Closure, Resource
from cordee.premises.rules import Problem
from cordee.premises.services import BookingRefused, Recurrence, Request
from cordee.premises.tests.factories import NOW, PARIS, at, insert_booking, make_resource

CONFIRMED, REQUESTED = Booking.State.CONFIRMED, Booking.State.REQUESTED
REFUSED, CANCELLED, COMPLETED = Booking.State.REFUSED, Booking.State.CANCELLED, Booking.State.COMPLETED
OVERLAP_GUARD = "premises_booking_no_overlap"  # the constraint or trigger of migration 0002


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def room(actors: Actors) -> Resource:
    return make_resource(actors.org_a, name="Salle du Buëch", capacity=12, member_hour_cents=1250)


@pytest.fixture
def studio(actors: Actors) -> Resource:
    """A resource whose owner approves each booking."""
    return make_resource(actors.org_a, name="Studio son", approval_required=True, member_hour_cents=2000)


def request(
    resource: Resource, organisation: Organisation | None, day: str, start: str, end: str, **fields: Any
) -> Request:
    return Request(resource, organisation, at(day, start), at(day, end), **fields)


def book(
    user: Any, resource: Resource, organisation: Organisation | None, day: str, start: str, end: str, **fields: Any
) -> Booking:
    return services.booking_create(user, request(resource, organisation, day, start, end, **fields), now=NOW)


def counts() -> dict[str, int]:
    """The rows the booking services write: a refused call leaves every count as it was."""
    return {
        "bookings": Booking.objects.count(),
        "series": BookingSeries.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def sent() -> list[tuple[list[str], str]]:
    return [(sorted(message.to), message.subject) for message in mail.outbox]


def states(*bookings: Booking) -> list[str]:
    for booking in bookings:
        booking.refresh_from_db()
    return [booking.state for booking in bookings]


# --- A booking that follows every rule -----------------------------------------------------


def test_a_booking_is_confirmed_priced_audited_and_e_mailed_once_committed(
    actors: Actors, room: Resource, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks() as callbacks:
        booking = book(
            actors.member_admin_b, room, actors.org_b, "2027-03-17", "10:00", "11:30",
            attendees=8, purpose="  Assemblée générale  ",
        )  # fmt: skip
        assert mail.outbox == [], "nothing leaves before the transaction commits"
    for callback in callbacks:
        callback()

    booking.refresh_from_db()
    assert (booking.state, booking.organisation, booking.booked_by) == (CONFIRMED, actors.org_b, actors.member_admin_b)
    assert (booking.starts_at, booking.ends_at) == (at("2027-03-17", "10:00"), at("2027-03-17", "11:30"))
    assert (booking.attendees, booking.purpose) == (8, "Assemblée générale")
    # 1,5 h × 12,50 € = 18,75 €
    assert (booking.price_cents, booking.price_detail) == (1875, "1,5 h at the hourly member rate")
    event = AuditEvent.objects.get()
    assert (event.action, event.target_type, event.target_id) == ("booking.create", "premises.booking", str(booking.pk))
    assert event.actor == actors.member_admin_b
    assert event.data == {"state": "confirmed"}
    assert sent() == [(["admin.b@example.org"], "Booking confirmed: Salle du Buëch")]
    assert "Salle du Buëch Wednesday 17 March 2027 from 10:00 to 11:30 is confirmed" in mail.outbox[0].body
    assert "€18.75" in mail.outbox[0].body


def test_back_to_back_bookings_are_allowed(actors: Actors, room: Resource) -> None:
    ten = book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "10:00", "11:00")
    eleven = book(actors.member_user_a, room, actors.org_a, "2027-03-17", "11:00", "12:00")
    nine = book(actors.member_user_a, room, actors.org_a, "2027-03-17", "09:00", "10:00")

    assert states(nine, ten, eleven) == [CONFIRMED, CONFIRMED, CONFIRMED]


@pytest.mark.parametrize("state", [REFUSED, CANCELLED, COMPLETED])
def test_a_booking_that_no_longer_holds_its_slot_does_not_block_it(actors: Actors, room: Resource, state: str) -> None:
    insert_booking(room, "2027-03-17", "10:00", "11:00", state=state, organisation=actors.org_a)

    assert book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "10:00", "11:00").state == CONFIRMED


def test_the_same_time_in_another_resource_is_free(actors: Actors, room: Resource) -> None:
    insert_booking(room, "2027-03-17", "10:00", "11:00", organisation=actors.org_a)
    other = make_resource(actors.org_a, name="Salle des Écrins")

    assert book(actors.member_admin_b, other, actors.org_b, "2027-03-17", "10:00", "11:00").state == CONFIRMED


# --- Every refusal, with its message and field, and nothing written --------------------------


@dataclasses.dataclass(frozen=True)
class Refusal:
    prepare: Callable[[Actors, Resource], Request]  # sets the scene, returns what org B asks
    problem: Problem


def _closed_for_paint(actors: Actors, room: Resource) -> Request:
    Closure.objects.create(resource=room, starts_on="2027-03-15", ends_on="2027-03-19", reason="Peinture")
    return request(room, actors.org_b, "2027-03-17", "10:00", "11:00")


def _hub_closed_in_august(actors: Actors, room: Resource) -> Request:
    Closure.objects.create(resource=None, starts_on="2027-08-02", ends_on="2027-08-20", reason="Congés d'été")
    return request(room, actors.org_b, "2027-08-04", "10:00", "11:00")


def _with(**fields: Any) -> Callable[[Actors, Resource], Request]:
    """Set the room's fields, then ask for Wednesday 17 March 10:00–11:00."""

    def prepare(actors: Actors, room: Resource) -> Request:
        for name, value in fields.items():
            setattr(room, name, value)
        room.save()
        return request(room, actors.org_b, "2027-03-17", "10:00", "11:00")

    return prepare


def _too_long(actors: Actors, room: Resource) -> Request:
    room.max_minutes = 600
    room.save()
    return request(room, actors.org_b, "2027-03-17", "08:00", "18:30")


def _short_notice(actors: Actors, room: Resource) -> Request:
    room.lead_time_hours = 48
    room.save()
    return request(room, actors.org_b, "2027-03-02", "10:00", "11:00")  # Tuesday, 25 hours ahead


def _held_by(state: str) -> Callable[[Actors, Resource], Request]:
    def prepare(actors: Actors, room: Resource) -> Request:
        insert_booking(room, "2027-03-17", "10:00", "11:00", state=state, organisation=actors.org_a)
        return request(room, actors.org_b, "2027-03-17", "10:30", "11:30")

    return prepare


def _asking(day: str, start: str, end: str, **fields: Any) -> Callable[[Actors, Resource], Request]:
    return lambda actors, room: request(room, actors.org_b, day, start, end, **fields)


TAKEN = Problem("starts_at", "The resource is already booked Wednesday 17 March 2027 from 10:00 to 11:00.")
REFUSALS = {
    "in-the-past": Refusal(
        _asking("2027-02-26", "10:00", "11:00"), Problem("starts_at", "A booking cannot start in the past.")
    ),
    "before-opening": Refusal(
        _asking("2027-03-17", "07:00", "08:00"),
        Problem("starts_at", "Outside opening hours: on Wednesday the resource opens 08:00–19:00."),
    ),
    "on-a-closed-day": Refusal(
        _asking("2027-03-20", "10:00", "11:00"), Problem("starts_at", "The resource is closed on Saturday.")
    ),
    "closure-of-the-resource": Refusal(
        _closed_for_paint,
        Problem("starts_at", "The resource is closed from Monday 15 March 2027 to Friday 19 March 2027 (Peinture)."),
    ),
    "closure-of-the-hub": Refusal(
        _hub_closed_in_august,
        Problem(
            "starts_at", "The resource is closed from Monday 2 August 2027 to Friday 20 August 2027 (Congés d'été)."
        ),
    ),
    "ascension": Refusal(
        _asking("2027-05-06", "10:00", "11:00"),
        Problem("starts_at", "The resource is closed on Thursday 6 May 2027, a public holiday (Ascension Day)."),
    ),
    "national-day": Refusal(
        _asking("2027-07-14", "10:00", "11:00"),
        Problem("starts_at", "The resource is closed on Wednesday 14 July 2027, a public holiday (National Day)."),
    ),
    "over-capacity": Refusal(
        _asking("2027-03-17", "10:00", "11:00", attendees=13),
        Problem("attendees", "This resource holds 12 people at most."),
    ),
    "too-short": Refusal(
        _with(min_minutes=90), Problem("ends_at", "A booking of this resource lasts at least 90 minutes.")
    ),
    "too-long": Refusal(_too_long, Problem("ends_at", "A booking of this resource lasts at most 600 minutes.")),
    "off-the-granularity": Refusal(
        _asking("2027-03-17", "10:15", "11:15"),
        Problem("starts_at", "Bookings of this resource start and end on steps of 30 minutes."),
    ),
    "inside-the-notice": Refusal(
        _short_notice, Problem("starts_at", "This resource must be booked at least 48 hours ahead.")
    ),
    "overlapping-a-confirmed-booking": Refusal(_held_by(CONFIRMED), TAKEN),
    "overlapping-a-requested-booking": Refusal(_held_by(REQUESTED), TAKEN),
    "inactive-resource": Refusal(
        _with(active=False), Problem("resource", "This resource cannot be booked at the moment.")
    ),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_it_refuses_a_booking_that_breaks_a_rule_and_writes_nothing(
    actors: Actors, room: Resource, case: Refusal, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    asked = case.prepare(actors, room)
    before = counts()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BookingRefused) as refused:
        services.booking_create(actors.member_admin_b, asked, now=NOW)

    assert refused.value.problems == [case.problem]
    assert (refused.value.field, refused.value.message) == (case.problem.field, case.problem.message)
    assert counts() == before
    assert mail.outbox == []


def test_every_broken_rule_is_kept_and_the_first_one_is_the_message(actors: Actors, room: Resource) -> None:
    insert_booking(room, "2027-03-17", "10:00", "11:00", organisation=actors.org_a)

    with pytest.raises(BookingRefused) as refused:
        book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "07:30", "10:30", attendees=30)

    assert refused.value.problems == [
        Problem("attendees", "This resource holds 12 people at most."),
        Problem("starts_at", "Outside opening hours: on Wednesday the resource opens 08:00–19:00."),
        TAKEN,
    ]
    assert str(refused.value) == "This resource holds 12 people at most."
    assert refused.value.field == "attendees"


def test_the_owners_admin_is_held_neither_to_the_opening_hours_nor_to_the_notice(
    actors: Actors, room: Resource
) -> None:
    room.lead_time_hours = 72
    room.save()

    early = book(actors.member_admin_a, room, actors.org_a, "2027-03-02", "07:00", "08:00")
    saturday = book(actors.member_admin_a, room, actors.org_a, "2027-03-06", "10:00", "12:00")

    assert states(early, saturday) == [CONFIRMED, CONFIRMED]
    with pytest.raises(BookingRefused) as refused:
        book(actors.member_user_a, room, actors.org_a, "2027-03-02", "09:00", "10:00")
    assert refused.value.problems == [Problem("starts_at", "This resource must be booked at least 72 hours ahead.")]


def outsider_of_a_departed_member(actors: Actors) -> tuple[Any, Organisation]:
    departed = make_organisation("Refuge du Pelvoux", status=Membership.Status.LEFT)
    person = make_person("gardien@example.org", "Hugo Imbert")
    Affiliation.objects.create(person=person, organisation=departed, role=Affiliation.Role.ADMIN)
    return person, departed


@pytest.mark.parametrize(
    ("who", "for_whom"),
    [
        ("member_user_a", "org_b"),
        ("member_admin_b", "org_a"),
        ("outsider", "org_a"),
        ("treasurer", "org_b"),
        ("committee", "org_b"),
        ("member_admin_a", None),  # only the coordinator books in the hub's name
        ("departed", "departed"),  # powers end with the membership
    ],
)
def test_nobody_books_in_the_name_of_an_organisation_they_do_not_belong_to(
    actors: Actors, room: Resource, who: str, for_whom: str | None, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    departed_person, departed = outsider_of_a_departed_member(actors)
    user = departed_person if who == "departed" else getattr(actors, who)
    organisation = departed if for_whom == "departed" else (getattr(actors, for_whom) if for_whom else None)
    before = counts()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed) as refused:
        book(user, room, organisation, "2027-03-17", "10:00", "11:00")

    assert str(refused.value) == "You cannot book in the name of this organisation."
    assert counts() == before
    assert mail.outbox == []


def test_the_coordinator_books_in_the_hubs_name_and_in_a_members(actors: Actors, room: Resource) -> None:
    for_the_hub = book(actors.coordinator, room, None, "2027-03-17", "10:00", "11:00")
    for_b = book(actors.coordinator, room, actors.org_b, "2027-03-17", "11:00", "12:00")

    assert [(b.state, b.organisation, b.booked_by) for b in (for_the_hub, for_b)] == [
        (CONFIRMED, None, actors.coordinator),
        (CONFIRMED, actors.org_b, actors.coordinator),
    ]


# --- The database's own guard against overlaps -----------------------------------------------

OVERLAPPING_SPANS = {
    "same": ("10:00", "11:00"),
    "starts-inside": ("10:30", "11:30"),
    "ends-inside": ("09:30", "10:30"),
    "inside": ("10:15", "10:45"),
    "around": ("09:00", "12:00"),
}


@pytest.mark.parametrize("span", OVERLAPPING_SPANS.values(), ids=OVERLAPPING_SPANS.keys())
@pytest.mark.parametrize(("first", "second"), [(CONFIRMED, CONFIRMED), (REQUESTED, CONFIRMED), (CONFIRMED, REQUESTED)])
def test_the_database_refuses_an_overlapping_holding_booking_written_past_the_services(
    actors: Actors, room: Resource, span: tuple[str, str], first: str, second: str
) -> None:
    held = insert_booking(room, "2027-03-17", "10:00", "11:00", state=first, organisation=actors.org_a)

    with pytest.raises(IntegrityError, match=OVERLAP_GUARD), transaction.atomic():
        insert_booking(room, "2027-03-17", *span, state=second, organisation=actors.org_b)

    assert list(Booking.objects.all()) == [held]


@pytest.mark.parametrize("state", [CANCELLED, REFUSED, COMPLETED])
def test_the_database_lets_a_booking_that_does_not_hold_its_slot_overlap_another(
    actors: Actors, room: Resource, state: str
) -> None:
    insert_booking(room, "2027-03-17", "10:00", "11:00", state=CONFIRMED, organisation=actors.org_a)
    insert_booking(room, "2027-03-17", "10:00", "11:00", state=state, organisation=actors.org_b)
    insert_booking(room, "2027-03-17", "10:30", "11:30", state=state, organisation=actors.org_b)
    insert_booking(room, "2027-03-18", "10:00", "11:00", state=state, organisation=actors.org_b)
    insert_booking(room, "2027-03-18", "10:00", "11:00", state=CONFIRMED, organisation=actors.org_a)

    assert Booking.objects.filter(resource=room).count() == 5


def test_the_database_lets_bookings_touch_and_other_resources_share_the_time(actors: Actors, room: Resource) -> None:
    other = make_resource(actors.org_a)
    insert_booking(room, "2027-03-17", "10:00", "11:00")
    insert_booking(room, "2027-03-17", "11:00", "12:00")
    insert_booking(room, "2027-03-17", "09:00", "10:00")
    insert_booking(other, "2027-03-17", "10:00", "11:00")

    assert Booking.objects.count() == 4


def test_the_database_refuses_to_bring_a_cancelled_booking_back_over_a_confirmed_one(
    actors: Actors, room: Resource
) -> None:
    insert_booking(room, "2027-03-17", "10:00", "11:00", state=CONFIRMED, organisation=actors.org_a)
    cancelled = insert_booking(room, "2027-03-17", "10:30", "11:30", state=CANCELLED, organisation=actors.org_b)

    cancelled.state = CONFIRMED
    with pytest.raises(IntegrityError, match=OVERLAP_GUARD), transaction.atomic():
        cancelled.save()
    with pytest.raises(IntegrityError, match=OVERLAP_GUARD), transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(state=REQUESTED)

    assert states(cancelled) == [CANCELLED]


def test_the_database_refuses_to_move_a_booking_onto_another(actors: Actors, room: Resource) -> None:
    insert_booking(room, "2027-03-17", "10:00", "11:00", organisation=actors.org_a)
    later = insert_booking(room, "2027-03-17", "11:00", "12:00", organisation=actors.org_b)
    elsewhere = insert_booking(make_resource(actors.org_a), "2027-03-17", "10:00", "11:00")

    with pytest.raises(IntegrityError, match=OVERLAP_GUARD), transaction.atomic():
        Booking.objects.filter(pk=later.pk).update(starts_at=at("2027-03-17", "10:30"))
    with pytest.raises(IntegrityError, match=OVERLAP_GUARD), transaction.atomic():
        Booking.objects.filter(pk=elsewhere.pk).update(resource=room)

    later.refresh_from_db()
    assert later.starts_at == at("2027-03-17", "11:00")


# --- The race between the check and the insert ----------------------------------------------


def test_a_slot_taken_between_the_check_and_the_insert_is_refused_naming_the_booking_that_took_it(
    actors: Actors, room: Resource, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    rival = insert_booking(room, "2027-03-17", "10:00", "11:00", organisation=actors.org_a)
    calls = []
    real_conflicts = services.conflicts

    def not_yet_seen(*args: Any, **kwargs: Any) -> list[Booking]:
        """The check runs before the rival commits (it sees nothing); later calls see it."""
        calls.append(args)
        return [] if len(calls) == 1 else real_conflicts(*args, **kwargs)

    monkeypatch.setattr(services, "conflicts", not_yet_seen)
    before = counts()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BookingRefused) as refused:
        book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "10:30", "11:30")

    assert len(calls) == 2, "checked once, then looked again after the database refused the row"
    assert refused.value.problems == [TAKEN]
    assert counts() == before
    assert list(Booking.objects.all()) == [rival]
    assert mail.outbox == []
    # The failed insert left the transaction usable: the next booking goes through.
    assert book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "11:00", "12:00").state == CONFIRMED


def test_a_slot_taken_by_a_booking_still_out_of_sight_is_refused_in_general_terms(
    actors: Actors, room: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    insert_booking(room, "2027-03-17", "10:00", "11:00", organisation=actors.org_a)
    monkeypatch.setattr(services, "conflicts", lambda *args, **kwargs: [])
    before = counts()

    with pytest.raises(BookingRefused) as refused:
        book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "10:30", "11:30")

    assert refused.value.problems == [Problem("starts_at", "The resource is already booked then.")]
    assert counts() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: the race cannot happen there")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # two connections see only committed rows
def test_two_requests_for_one_slot_at_the_same_time_on_postgresql_one_wins_the_other_is_told_why(
    actors: Actors, room: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real race: the rival's transaction holds its uncommitted row while ours checks (and sees
    nothing), then tries to insert and waits on the exclusion constraint; the rival commits."""
    calls = []
    real_conflicts = services.conflicts
    monkeypatch.setattr(services, "conflicts", lambda *a, **k: calls.append(a) or real_conflicts(*a, **k))
    inserted, failures = threading.Event(), []

    def rival() -> None:
        try:
            with transaction.atomic():
                insert_booking(room, "2027-03-17", "10:00", "11:00", organisation=actors.org_a)
                inserted.set()
                with connection.cursor() as cursor:
                    for _ in range(200):  # until our insert waits on the rival's row (10 s at most)
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        )
                        if cursor.fetchone()[0]:
                            break
                        time.sleep(0.05)
                    else:
                        failures.append("the second insert never waited on the first")
        finally:
            connection.close()

    thread = threading.Thread(target=rival)
    thread.start()
    assert inserted.wait(10)
    try:
        with pytest.raises(BookingRefused) as refused:
            book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "10:30", "11:30")
    finally:
        thread.join(15)

    assert failures == []
    assert len(calls) == 2, "refused by the database after the check, not by the check"
    assert refused.value.problems == [TAKEN]
    assert list(Booking.objects.values_list("organisation", flat=True)) == [actors.org_a.pk]
    assert actions() == []


# --- Approval --------------------------------------------------------------------------------


def test_a_resource_that_needs_approval_gets_a_request_that_already_holds_the_slot(
    actors: Actors, studio: Resource, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00", purpose="Podcast")

    assert (asked.state, asked.price_cents, asked.decided_at) == (REQUESTED, 2000, None)
    assert AuditEvent.objects.get().data == {"state": "requested"}
    assert sent() == [(["admin.a@example.org"], "Booking request: Studio son")], "the owner's admins, not the booker"
    body = mail.outbox[0].body
    assert "Coopérative des Écrins asks to book Studio son Wednesday 17 March 2027 from 10:00 to 11:00" in body
    assert "Podcast" in body
    with pytest.raises(BookingRefused) as refused:
        book(actors.member_user_a, studio, actors.org_a, "2027-03-17", "10:30", "11:30")
    assert refused.value.problems == [
        Problem("starts_at", "The resource is already booked Wednesday 17 March 2027 from 10:00 to 11:00.")
    ]


def test_a_request_for_a_resource_of_the_hub_e_mails_the_coordinator(
    actors: Actors, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    hall = make_resource(None, name="Grande salle", approval_required=True)

    with django_capture_on_commit_callbacks(execute=True):
        asked = book(actors.member_admin_b, hall, actors.org_b, "2027-03-17", "10:00", "11:00")

    assert asked.state == REQUESTED
    assert sent() == [(["coordinator@example.org"], "Booking request: Grande salle")]


def test_the_owners_own_booking_of_a_resource_that_needs_approval_is_confirmed_at_once(
    actors: Actors, studio: Resource, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        own = book(actors.member_admin_a, studio, actors.org_a, "2027-03-17", "10:00", "11:00")

    assert (own.state, own.price_cents, own.price_detail) == (CONFIRMED, 0, "Free of charge for this organisation")
    assert sent() == [(["admin.a@example.org"], "Booking confirmed: Studio son")]


def test_the_owners_admin_approves_a_request_and_the_booker_is_told(
    actors: Actors, studio: Resource, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00")

    with django_capture_on_commit_callbacks(execute=True):
        approved = services.booking_approve(actors.member_admin_a, asked)

    asked.refresh_from_db()
    assert (asked.state, asked.decision_reason, asked.price_cents) == (CONFIRMED, "", 2000)
    assert asked.decided_at is not None
    assert approved.state == CONFIRMED
    assert actions() == ["booking.create", "booking.approve"]
    assert AuditEvent.objects.order_by("pk").last().actor == actors.member_admin_a  # type: ignore[union-attr]
    assert sent() == [(["admin.b@example.org"], "Booking approved: Studio son")]
    assert "Studio son Wednesday 17 March 2027 from 10:00 to 11:00" in mail.outbox[0].body


def test_the_owners_admin_refuses_a_request_with_a_reason_and_the_slot_is_free_again(
    actors: Actors, studio: Resource, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00")

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_refuse(actors.member_admin_a, asked, "  Enregistrement d'un album ce jour-là.  ")

    asked.refresh_from_db()
    assert (asked.state, asked.decision_reason) == (REFUSED, "Enregistrement d'un album ce jour-là.")
    assert actions() == ["booking.create", "booking.refuse"]
    assert AuditEvent.objects.order_by("pk").last().data == {"reason": "Enregistrement d'un album ce jour-là."}  # type: ignore[union-attr]
    assert sent() == [(["admin.b@example.org"], "Booking refused: Studio son")]
    assert "Enregistrement d'un album ce jour-là." in mail.outbox[0].body
    assert book(actors.member_user_a, studio, actors.org_a, "2027-03-17", "10:00", "11:00").state == REQUESTED


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_refusal_needs_a_reason(actors: Actors, studio: Resource, reason: str) -> None:
    asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00")
    before = counts()

    with pytest.raises(DomainError) as refused:
        services.booking_refuse(actors.member_admin_a, asked, reason)

    assert refused.value.field == "reason"
    assert str(refused.value) == "Say why the request is refused: the person who asked will read it."
    assert states(asked) == [REQUESTED]
    assert counts() == before


@pytest.mark.parametrize("who", ["member_user_a", "member_admin_b", "outsider", "treasurer", "committee"])
@pytest.mark.parametrize("decide", ["approve", "refuse"])
def test_only_the_resources_managers_decide_on_a_request(
    actors: Actors, studio: Resource, who: str, decide: str, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00")
    before = counts()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed) as refused:
        if decide == "approve":
            services.booking_approve(getattr(actors, who), asked)
        else:
            services.booking_refuse(getattr(actors, who), asked, "Non.")

    assert str(refused.value) == "Only the resource's owner decides on its booking requests."
    assert states(asked) == [REQUESTED]
    assert counts() == before
    assert mail.outbox == []


def test_the_coordinator_may_decide_on_a_members_request(actors: Actors, studio: Resource) -> None:
    asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00")

    assert services.booking_approve(actors.coordinator, asked).state == CONFIRMED


@pytest.mark.parametrize(
    ("first", "then", "state_word"),
    [
        ("approve", "approve", "confirmed"),
        ("approve", "refuse", "confirmed"),
        ("refuse", "approve", "refused"),
        ("refuse", "refuse", "refused"),
        ("cancel", "approve", "cancelled"),
    ],
)
def test_a_request_is_decided_once(actors: Actors, studio: Resource, first: str, then: str, state_word: str) -> None:
    asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00")
    decisions = {
        "approve": lambda: services.booking_approve(actors.member_admin_a, asked),
        "refuse": lambda: services.booking_refuse(actors.member_admin_a, asked, "Studio en travaux."),
        "cancel": lambda: services.booking_cancel(actors.member_admin_b, asked, now=NOW),
    }
    decisions[first]()
    asked.refresh_from_db()
    decided = (asked.state, asked.decision_reason, asked.decided_at)
    before = counts()

    with pytest.raises(DomainError) as refused:
        decisions[then]()

    assert refused.value.field == "state"
    assert str(refused.value) == f"This booking is {state_word}, not awaiting a decision."
    asked.refresh_from_db()
    assert (asked.state, asked.decision_reason, asked.decided_at) == decided
    assert counts() == before


# --- Cancellation ----------------------------------------------------------------------------
# Booked by org B for Wednesday 17 March 14:00–16:00; the deadline is Tuesday 16 March 14:00.


@pytest.fixture
def afternoon(actors: Actors, room: Resource) -> Booking:
    return book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "14:00", "16:00")


def test_the_bookers_side_cancels_until_the_deadline_and_the_owner_is_told(
    actors: Actors, afternoon: Booking, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    deadline = at("2027-03-16", "14:00")

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actors.member_admin_b, afternoon, "  Réunion reportée  ", now=deadline)

    afternoon.refresh_from_db()
    assert (afternoon.state, afternoon.decision_reason, afternoon.decided_at) == (
        CANCELLED,
        "Réunion reportée",
        deadline,
    )
    assert actions() == ["booking.create", "booking.cancel"]
    assert sent() == [(["admin.a@example.org"], "Booking cancelled: Salle du Buëch")]
    assert "Réunion reportée" in mail.outbox[0].body


def test_after_the_deadline_only_the_owners_side_cancels_and_the_booker_is_told(
    actors: Actors, afternoon: Booking, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    a_minute_late = at("2027-03-16", "14:01")
    before = counts()

    with pytest.raises(DomainError) as refused:
        services.booking_cancel(actors.member_admin_b, afternoon, now=a_minute_late)

    assert refused.value.field == "state"
    assert str(refused.value) == (
        "Bookings of this resource can be cancelled up to 24 hours before they start; ask its owner."
    )
    assert states(afternoon) == [CONFIRMED]
    assert counts() == before

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actors.member_admin_a, afternoon, "Dégât des eaux", now=a_minute_late)

    assert states(afternoon) == [CANCELLED]
    assert sent() == [(["admin.b@example.org"], "Booking cancelled: Salle du Buëch")]
    assert "Dégât des eaux" in mail.outbox[0].body


@pytest.mark.parametrize("when", [("2027-03-17", "14:00"), ("2027-03-17", "15:00"), ("2027-03-18", "09:00")])
@pytest.mark.parametrize("who", ["member_admin_b", "member_admin_a", "coordinator"])
def test_nobody_cancels_a_booking_that_has_started(
    actors: Actors, afternoon: Booking, who: str, when: tuple[str, str]
) -> None:
    before = counts()

    with pytest.raises(DomainError) as refused:
        services.booking_cancel(getattr(actors, who), afternoon, now=at(*when))

    assert (refused.value.field, str(refused.value)) == ("state", "A booking that has started cannot be cancelled.")
    assert states(afternoon) == [CONFIRMED]
    assert counts() == before


def test_a_booking_is_cancelled_once(actors: Actors, afternoon: Booking) -> None:
    services.booking_cancel(actors.member_admin_b, afternoon, now=NOW)
    before = counts()

    with pytest.raises(DomainError) as refused:
        services.booking_cancel(actors.member_admin_a, afternoon, now=NOW)

    assert (refused.value.field, str(refused.value)) == (
        "state",
        "This booking is cancelled: there is nothing to cancel.",
    )
    assert counts() == before


def test_a_refused_request_cannot_be_cancelled(actors: Actors, studio: Resource) -> None:
    asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00")
    services.booking_refuse(actors.member_admin_a, asked, "Complet.")

    with pytest.raises(DomainError) as refused:
        services.booking_cancel(actors.member_admin_b, asked, now=NOW)

    assert str(refused.value) == "This booking is refused: there is nothing to cancel."


def test_the_booker_withdraws_a_request_and_frees_the_slot(actors: Actors, studio: Resource) -> None:
    asked = book(actors.member_admin_b, studio, actors.org_b, "2027-03-17", "10:00", "11:00")

    services.booking_cancel(actors.member_admin_b, asked, now=NOW)

    assert states(asked) == [CANCELLED]
    assert book(actors.member_user_a, studio, actors.org_a, "2027-03-17", "10:00", "11:00").state == REQUESTED


@pytest.mark.parametrize("who", ["member_user_a", "outsider", "treasurer", "committee"])
def test_only_the_booking_organisation_and_the_resources_managers_cancel(
    actors: Actors, afternoon: Booking, who: str
) -> None:
    before = counts()

    with pytest.raises(NotAllowed) as refused:
        services.booking_cancel(getattr(actors, who), afternoon, now=NOW)

    assert str(refused.value) == "You cannot cancel this booking."
    assert states(afternoon) == [CONFIRMED]
    assert counts() == before


# --- The price, frozen on the booking --------------------------------------------------------


def test_the_price_and_its_detail_are_frozen_on_the_booking(actors: Actors, room: Resource) -> None:
    booking = book(actors.member_admin_b, room, actors.org_b, "2027-03-17", "10:00", "11:30")

    room.member_hour_cents = 2000
    room.member_half_day_cents = 500
    room.save()

    booking.refresh_from_db()
    # Still 1,5 h × 12,50 € = 18,75 €; the same booking made now costs one half-day, 5 €.
    assert (booking.price_cents, booking.price_detail) == (1875, "1,5 h at the hourly member rate")
    again = book(actors.member_admin_b, room, actors.org_b, "2027-03-18", "10:00", "11:30")
    assert (again.price_cents, again.price_detail) == (500, "1 half-day at the member rate")


def test_the_booking_is_priced_at_the_rate_of_the_organisation_it_is_for(actors: Actors, room: Resource) -> None:
    room.public_hour_cents = 2000
    room.save()
    departed = make_organisation("Refuge du Pelvoux", status=Membership.Status.LEFT)
    friend = make_organisation("Scop des Écrins")
    room.free_for.add(friend)

    bookings = [
        book(actors.coordinator, room, departed, "2027-03-17", "08:00", "09:30"),
        book(actors.coordinator, room, friend, "2027-03-17", "09:30", "11:00"),
        book(actors.coordinator, room, None, "2027-03-17", "11:00", "12:30"),
        book(actors.member_user_a, room, actors.org_a, "2027-03-17", "14:00", "15:30"),
    ]

    assert [(b.price_cents, b.price_detail) for b in bookings] == [
        (3000, "1,5 h at the hourly non-member rate"),  # 1,5 × 20 €
        (0, "Free of charge for this organisation"),
        (1875, "1,5 h at the hourly member rate"),  # 1,5 × 12,50 €
        (0, "Free of charge for this organisation"),  # the owner's own
    ]


# --- Recurring bookings ----------------------------------------------------------------------


def weekly(**fields: Any) -> Recurrence:
    return Recurrence("weekly", **fields)


def wednesdays(actors: Actors, room: Resource, **fields: Any) -> Request:
    """Org B asks for Wednesday 17 March 2027 14:00–16:00, the first of a recurring booking."""
    return request(room, actors.org_b, "2027-03-17", "14:00", "16:00", **fields)


def local_starts(planned: list[services.Occurrence]) -> list[str]:
    return [f"{timezone.localtime(o.starts_at):%Y-%m-%d %H:%M}" for o in planned]


def test_a_weekly_booking_keeps_its_wall_clock_time_across_the_change_to_summer_time(
    actors: Actors, room: Resource
) -> None:
    planned = services.occurrences(actors.member_admin_b, wednesdays(actors, room), weekly(count=4), now=NOW)

    # Summer time starts on Sunday 28 March 2027: 14:00 in Gap is 13:00 UTC before, 12:00 after.
    assert local_starts(planned) == ["2027-03-17 14:00", "2027-03-24 14:00", "2027-03-31 14:00", "2027-04-07 14:00"]
    assert [o.starts_at.astimezone(dt.UTC).hour for o in planned] == [13, 13, 12, 12]
    assert [f"{timezone.localtime(o.ends_at):%H:%M}" for o in planned] == ["16:00"] * 4
    assert all(o.free for o in planned)
    assert counts() == {"bookings": 0, "series": 0, "audit": 0}, "looking writes nothing"


def test_each_occurrence_keeps_the_wall_clock_times_of_the_first_even_on_the_night_of_the_change(
    actors: Actors,
) -> None:
    van = make_resource(actors.org_a, kind=Resource.Kind.VEHICLE, opening_hours=[], member_hour_cents=1000)
    asked = request(van, actors.org_b, "2027-03-21", "01:00", "04:00")

    _, planned = services.series_create(actors.member_admin_b, asked, weekly(count=2), now=NOW)

    # Sunday 28 March 2027 the clocks jump from 02:00 to 03:00: 01:00–04:00 lasts 2 hours, priced 2 × 10 €.
    assert [f"{timezone.localtime(o.starts_at):%d %H:%M}–{timezone.localtime(o.ends_at):%H:%M}" for o in planned] == [
        "21 01:00–04:00",
        "28 01:00–04:00",
    ]
    assert [(o.booking.duration_minutes, o.booking.price_cents) for o in planned if o.booking] == [
        (180, 3000),
        (120, 2000),
    ]


@pytest.mark.parametrize(
    ("recurrence", "rrule"),
    [
        (Recurrence("weekly", count=4), "FREQ=WEEKLY;COUNT=4"),
        (Recurrence("weekly", interval=2, count=3), "FREQ=WEEKLY;INTERVAL=2;COUNT=3"),
        (Recurrence("monthly", until=dt.date(2027, 6, 30)), "FREQ=MONTHLY;UNTIL=20270630T235959"),
    ],
)
def test_the_recurrence_is_written_as_an_rfc_5545_rule(recurrence: Recurrence, rrule: str) -> None:
    assert services.rrule_text(at("2027-03-17", "14:00"), recurrence) == rrule


def test_every_other_week(actors: Actors, room: Resource) -> None:
    planned = services.occurrences(
        actors.member_admin_b, wednesdays(actors, room), weekly(interval=2, count=3), now=NOW
    )

    assert local_starts(planned) == ["2027-03-17 14:00", "2027-03-31 14:00", "2027-04-14 14:00"]


def test_a_monthly_booking_until_a_date_reports_the_rules_each_occurrence_breaks(
    actors: Actors, room: Resource
) -> None:
    asked = request(room, actors.org_b, "2027-03-15", "10:00", "11:00")

    planned = services.occurrences(
        actors.member_admin_b, asked, Recurrence("monthly", until=dt.date(2027, 6, 30)), now=NOW
    )

    assert local_starts(planned) == ["2027-03-15 10:00", "2027-04-15 10:00", "2027-05-15 10:00", "2027-06-15 10:00"]
    assert [o.problems for o in planned] == [
        [],
        [],
        [Problem("starts_at", "The resource is closed on Saturday.")],
        [],
    ]


def test_the_until_date_is_included(actors: Actors, room: Resource) -> None:
    planned = services.occurrences(
        actors.member_admin_b, wednesdays(actors, room), weekly(until=dt.date(2027, 3, 31)), now=NOW
    )

    assert local_starts(planned) == ["2027-03-17 14:00", "2027-03-24 14:00", "2027-03-31 14:00"]


def test_a_recurring_booking_books_the_free_occurrences_and_reports_the_others_one_by_one(
    actors: Actors, room: Resource, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    taken = insert_booking(room, "2027-03-31", "14:00", "15:00", organisation=actors.org_a)

    with django_capture_on_commit_callbacks(execute=True):
        series, planned = services.series_create(
            actors.member_admin_b, wednesdays(actors, room, purpose="Atelier"), weekly(count=4), now=NOW
        )

    assert [o.problems for o in planned] == [
        [],
        [],
        [Problem("starts_at", "The resource is already booked Wednesday 31 March 2027 from 14:00 to 15:00.")],
        [],
    ]
    booked = [o.booking for o in planned]
    assert booked[2] is None
    assert list(Booking.objects.exclude(pk=taken.pk).order_by("starts_at")) == [booked[0], booked[1], booked[3]]
    for booking in (booked[0], booked[1], booked[3]):
        assert booking is not None
        assert (booking.series, booking.state, booking.organisation, booking.purpose) == (
            series,
            CONFIRMED,
            actors.org_b,
            "Atelier",
        )
        assert (booking.price_cents, booking.price_detail) == (2500, "2 h at the hourly member rate")  # 2 × 12,50 €
    series.refresh_from_db()
    assert (series.rrule, series.first_starts_at, series.duration_minutes) == (
        "FREQ=WEEKLY;COUNT=4",
        at("2027-03-17", "14:00"),
        120,
    )
    assert (series.resource, series.organisation, series.booked_by, series.purpose) == (
        room,
        actors.org_b,
        actors.member_admin_b,
        "Atelier",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.target_id, event.data) == (
        "booking.series",
        str(series.pk),
        {"booked": 3, "rule": "FREQ=WEEKLY;COUNT=4"},
    )
    assert sent() == [(["admin.b@example.org"], "Recurring booking: Salle du Buëch")]
    assert "starting Wednesday 17 March 2027 from 14:00 to 16:00" in mail.outbox[0].body


def test_a_recurring_booking_skips_a_public_holiday(actors: Actors, room: Resource) -> None:
    thursday = request(room, actors.org_b, "2027-04-29", "10:00", "11:00")

    _, planned = services.series_create(actors.member_admin_b, thursday, weekly(count=3), now=NOW)

    assert local_starts(planned) == ["2027-04-29 10:00", "2027-05-06 10:00", "2027-05-13 10:00"]
    assert [o.booking is not None for o in planned] == [True, False, True]
    assert planned[1].problems == [
        Problem("starts_at", "The resource is closed on Thursday 6 May 2027, a public holiday (Ascension Day).")
    ]


def test_the_dates_left_out_are_neither_checked_nor_booked(actors: Actors, room: Resource) -> None:
    Closure.objects.create(resource=room, starts_on="2027-03-24", ends_on="2027-03-24", reason="Inventaire")
    recurrence = weekly(count=4, exceptions=frozenset({dt.date(2027, 3, 24)}))

    _, planned = services.series_create(actors.member_admin_b, wednesdays(actors, room), recurrence, now=NOW)

    assert [(o.excepted, o.problems, o.free) for o in planned] == [
        (False, [], True),
        (True, [], False),
        (False, [], True),
        (False, [], True),
    ]
    assert [o.booking is not None for o in planned] == [True, False, True, True]
    assert Booking.objects.count() == 3


def test_an_occurrence_taken_while_the_series_is_written_is_reported_not_booked(
    actors: Actors, room: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_occurrences = services.occurrences

    def then_taken(*args: Any, **kwargs: Any) -> list[services.Occurrence]:
        planned = real_occurrences(*args, **kwargs)
        insert_booking(room, "2027-03-24", "15:00", "16:00", organisation=actors.org_a)
        return planned

    monkeypatch.setattr(services, "occurrences", then_taken)

    _, planned = services.series_create(actors.member_admin_b, wednesdays(actors, room), weekly(count=3), now=NOW)

    assert [o.booking is not None for o in planned] == [True, False, True]
    assert planned[1].problems == [
        Problem("starts_at", "The resource is already booked Wednesday 24 March 2027 from 15:00 to 16:00.")
    ]
    assert AuditEvent.objects.get().data["booked"] == 2


def test_a_recurring_booking_with_no_free_occurrence_is_refused_whole(
    actors: Actors, room: Resource, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    saturday = request(room, actors.org_b, "2027-03-20", "10:00", "11:00")
    before = counts()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        services.series_create(actors.member_admin_b, saturday, weekly(count=3), now=NOW)

    assert (refused.value.field, str(refused.value)) == ("starts_at", "None of the occurrences can be booked.")
    assert counts() == before
    assert mail.outbox == []


MANY = "A recurring booking has between 1 and 200 occurrences."
BAD_RECURRENCES = {
    "201-times": (weekly(count=201), "count", MANY),
    "no-times": (weekly(count=0), "count", MANY),
    "over-200-until": (weekly(until=dt.date(2031, 12, 31)), "until", MANY),
    "count-and-until": (
        weekly(count=4, until=dt.date(2027, 4, 30)),
        "count",
        "Give either a number of occurrences or an end date, not both.",
    ),
    "no-end": (weekly(), "count", "Give either a number of occurrences or an end date, not both."),
    "daily": (Recurrence("daily", count=4), "frequency", "A booking repeats every week or every month."),
    "every-13-weeks": (weekly(interval=13, count=4), "interval", "The interval is between 1 and 12."),
}


@pytest.mark.parametrize(("recurrence", "field", "message"), BAD_RECURRENCES.values(), ids=BAD_RECURRENCES.keys())
def test_it_refuses_a_recurrence_it_cannot_book_and_writes_nothing(
    actors: Actors, room: Resource, recurrence: Recurrence, field: str, message: str
) -> None:
    before = counts()

    with pytest.raises(DomainError) as refused:
        services.series_create(actors.member_admin_b, wednesdays(actors, room), recurrence, now=NOW)

    assert (refused.value.field, str(refused.value)) == (field, message)
    assert counts() == before


def test_a_recurrence_until_a_date_may_have_200_occurrences_not_201(actors: Actors, room: Resource) -> None:
    two_hundredth = dt.date(2027, 3, 17) + dt.timedelta(weeks=199)  # Wednesday 8 January 2031
    asked = wednesdays(actors, room)

    planned = services.occurrences(actors.member_admin_b, asked, weekly(until=two_hundredth), now=NOW)

    assert len(planned) == 200
    assert local_starts(planned)[-1] == "2031-01-08 14:00"
    with pytest.raises(DomainError, match=MANY):
        services.occurrences(actors.member_admin_b, asked, weekly(until=two_hundredth + dt.timedelta(weeks=1)), now=NOW)


def test_nobody_books_a_recurring_booking_in_the_name_of_another_organisation(actors: Actors, room: Resource) -> None:
    before = counts()

    with pytest.raises(NotAllowed):
        services.series_create(actors.member_user_a, wednesdays(actors, room), weekly(count=4), now=NOW)

    assert counts() == before


def test_a_recurring_booking_of_a_resource_that_needs_approval_is_a_series_of_requests(
    actors: Actors, studio: Resource
) -> None:
    _, planned = services.series_create(actors.member_admin_b, wednesdays(actors, studio), weekly(count=2), now=NOW)

    assert [o.booking.state for o in planned if o.booking] == [REQUESTED, REQUESTED]


def test_a_recurring_request_e_mails_the_owners_admins(
    actors: Actors, studio: Resource, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        services.series_create(actors.member_admin_b, wednesdays(actors, studio), weekly(count=2), now=NOW)

    assert "admin.a@example.org" in [address for message in mail.outbox for address in message.to]


# --- The end of the day ----------------------------------------------------------------------


def test_bookings_complete_marks_the_confirmed_bookings_that_have_ended(actors: Actors, room: Resource) -> None:
    other = make_resource(actors.org_a)
    ended = insert_booking(room, "2027-02-26", "10:00", "11:00")
    ends_now = insert_booking(room, "2027-03-01", "08:00", "09:00")
    running = insert_booking(other, "2027-03-01", "08:30", "09:30")
    later = insert_booking(room, "2027-03-17", "10:00", "11:00")
    never_decided = insert_booking(room, "2027-02-25", "10:00", "11:00", state=REQUESTED)
    cancelled = insert_booking(room, "2027-02-24", "10:00", "11:00", state=CANCELLED)

    assert services.bookings_complete(now=NOW) == 2

    assert states(ended, ends_now, running, later, never_decided, cancelled) == [
        COMPLETED,
        COMPLETED,
        CONFIRMED,
        CONFIRMED,
        REQUESTED,
        CANCELLED,
    ]
    assert services.bookings_complete(now=NOW) == 0, "running it again changes nothing"
    assert services.bookings_complete(now=at("2027-03-01", "09:30")) == 1


def test_a_completed_booking_is_not_cancelled(actors: Actors, room: Resource) -> None:
    done = insert_booking(room, "2027-02-26", "10:00", "11:00", organisation=actors.org_b)
    services.bookings_complete(now=NOW)

    with pytest.raises(DomainError) as refused:
        services.booking_cancel(actors.member_admin_a, done, now=NOW)

    assert str(refused.value) == "This booking is completed: there is nothing to cancel."


def test_the_tests_clock_is_a_monday_morning_in_gap() -> None:
    assert (NOW.tzinfo, NOW.strftime("%A %H:%M"), NOW.astimezone(dt.UTC).hour) == (PARIS, "Monday 09:00", 8)
