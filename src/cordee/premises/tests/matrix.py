"""The premises app's rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The world: a meeting room of organisation A whose bookings need its approval, a room of the hub,
and a request of organisation B for A's room, next month."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import READ_ONLY, REDIRECT, Row, World, everyone, logged_in
from cordee.network.models import Commune
from cordee.premises.models import Booking, Resource

EDITABLE = {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200}

BROWSE = {**logged_in(200), "outsider": 403}
BROWSE_API = {**BROWSE, "visitor": 401}
MEMBER_PEOPLE = {**logged_in(403), "member_user_a": 200, "member_admin_a": 200, "member_admin_b": 200}
# The request of B for A's room: B's people and A's member admins (the owner) see it; the coordinator too.
SEES_REQUEST = {
    **logged_in(404),
    "outsider": 403,
    "member_admin_a": REDIRECT,
    "member_admin_b": REDIRECT,
    "coordinator": REDIRECT,
}


def _resource(w: World) -> int:
    return w.objects["premises.resource"].pk


def _request(w: World) -> int:
    return w.objects["premises.booking"].pk


def _slot(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:  # a weekday, and the rooms here have no opening hours anyway
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


ROWS: dict[str, list[Row]] = {
    "premises:resources": [Row(lambda w: reverse("premises:resources"), BROWSE)],
    "premises:resource_add": [
        Row(
            lambda w: reverse("premises:resource_add"),
            {**logged_in(403), "member_admin_a": 200, "member_admin_b": 200, "coordinator": 200},
        )
    ],
    "premises:resource": [
        Row(lambda w: reverse("premises:resource", args=[_resource(w)]), BROWSE),
        Row(lambda w: reverse("premises:resource", args=[_resource(w)]) + "?vue=mois", BROWSE),
    ],
    "premises:resource_edit": [
        Row(
            lambda w: reverse("premises:resource_edit", args=[_resource(w)]),
            {**logged_in(403), "member_admin_a": 200, "coordinator": 200},
        )
    ],
    "premises:book": [Row(lambda w: reverse("premises:book", args=[_resource(w)]), MEMBER_PEOPLE)],
    "premises:my_bookings": [Row(lambda w: reverse("premises:my_bookings"), BROWSE)],
    "premises:booking_cancel": [
        Row(lambda w: reverse("premises:booking_cancel", args=[_request(w)]), everyone(405)),
        Row(lambda w: reverse("premises:booking_cancel", args=[_request(w)]), SEES_REQUEST, method="post"),
    ],
    "premises:booking_approve": [
        Row(lambda w: reverse("premises:booking_approve", args=[_request(w)]), SEES_REQUEST, method="post"),
    ],
    "premises:booking_refuse": [
        Row(
            lambda w: reverse("premises:booking_refuse", args=[_request(w)]),
            SEES_REQUEST,
            method="post",
            data=lambda w: {"reason": "Travaux"},
        ),
    ],
    "premises:invoice_bookings": [
        Row(lambda w: reverse("premises:invoice_bookings"), {**logged_in(403), "treasurer": 200, "coordinator": 200}),
        Row(
            lambda w: reverse("premises:invoice_bookings"),
            {**logged_in(403), "treasurer": 200, "coordinator": 200},
            method="post",
            data=lambda w: {"month": "2026-01"},
        ),
    ],
    "premises:usage": [
        Row(
            lambda w: reverse("premises:usage"),
            {**BROWSE, "member_user_a": 403},  # a member user manages no resource
        )
    ],
    "premises:resource_feed": [
        Row(
            lambda w: reverse("premises:resource_feed", args=[w.objects["premises.resource"].ical_token]), everyone(200)
        ),
        Row(lambda w: reverse("premises:resource_feed", args=["not-a-token"]), everyone(404)),
    ],
    "premises:organisation_feed": [
        Row(
            lambda w: reverse("premises:organisation_feed", args=[w.objects["premises.organisationfeed"].token]),
            everyone(200),
        ),
        Row(lambda w: reverse("premises:organisation_feed", args=["not-a-token"]), everyone(404)),
    ],
    "premises:resource_feed_regenerate": [
        Row(lambda w: reverse("premises:resource_feed_regenerate", args=[_resource(w)]), everyone(405)),
        Row(
            lambda w: reverse("premises:resource_feed_regenerate", args=[_resource(w)]),
            {**logged_in(403), "member_admin_a": REDIRECT, "coordinator": REDIRECT},
            method="post",
        ),
    ],
    "premises:organisation_feed_regenerate": [
        Row(
            lambda w: reverse("premises:organisation_feed_regenerate", args=[w.actors.org_a.slug]),
            {**logged_in(404), "member_admin_a": REDIRECT, "coordinator": REDIRECT},
            method="post",
        ),
    ],
    "api-v1:list_resources": [Row(lambda w: reverse("api-v1:list_resources"), BROWSE_API)],
    "api-v1:get_resource": [Row(lambda w: reverse("api-v1:get_resource", args=[_resource(w)]), BROWSE_API)],
    "api-v1:availability": [
        Row(
            lambda w: (
                reverse("api-v1:availability")
                + f"?starts_at={_slot(20, 10).isoformat().replace('+', '%2B')}"
                + f"&ends_at={_slot(20, 12).isoformat().replace('+', '%2B')}&near=05061"
            ),
            BROWSE_API,
        )
    ],
    "api-v1:list_bookings": [Row(lambda w: reverse("api-v1:list_bookings"), BROWSE_API)],
    "api-v1:create_booking": [
        Row(
            lambda w: reverse("api-v1:create_booking"),
            {
                **everyone(403),
                "visitor": 401,
                "member_user_a": 201,
                "member_admin_a": 201,
                "coordinator": 201,
            },
            method="post",
            data=lambda w: {
                "resource_id": w.objects["hub_room"].pk,
                "organisation_id": w.actors.org_a.pk,
                "starts_at": _slot(15, 9).isoformat(),
                "ends_at": _slot(15, 11).isoformat(),
            },
        )
    ],
    "api-v1:cancel_booking": [
        Row(
            lambda w: reverse("api-v1:cancel_booking", args=[_request(w)]),
            {
                **logged_in(404),
                "visitor": 401,
                "outsider": 403,
                "member_admin_a": 200,
                "member_admin_b": 200,
                "coordinator": 200,
            },
            method="post",
        )
    ],
}

ADMIN_MODELS: dict[str, dict[str, int | None]] = {
    "premises.resource": EDITABLE,
    "premises.closure": EDITABLE,
    "premises.booking": READ_ONLY,
    "premises.bookingseries": READ_ONLY,
    "premises.organisationfeed": READ_ONLY,
}


def populate(world: World) -> None:
    actors = world.actors
    gap = Commune.objects.get(pk="05061")
    room = Resource.objects.create(
        kind=Resource.Kind.MEETING_ROOM,
        name="Salle des Jardins",
        slug="salle-des-jardins",
        owner=actors.org_a,
        commune=gap,
        capacity=12,
        approval_required=True,
        lead_time_hours=0,
        member_hour_cents=1000,
    )
    hub_room = Resource.objects.create(
        kind=Resource.Kind.MEETING_ROOM, name="Salle du pôle", slug="salle-du-pole", commune=gap, capacity=30
    )
    request = Booking.objects.create(
        resource=room,
        organisation=actors.org_b,
        booked_by=actors.member_admin_b,
        starts_at=_slot(30, 14),
        ends_at=_slot(30, 16),
        state=Booking.State.REQUESTED,
        price_cents=2000,
    )
    world.objects.update(
        {
            "premises.resource": room,
            "hub_room": hub_room,
            "premises.booking": request,
            "premises.closure": room.closures.create(
                starts_on=dt.date(2027, 8, 1), ends_on=dt.date(2027, 8, 15), reason="Congés"
            ),
            "premises.bookingseries": room.series.create(
                organisation=actors.org_b,
                rrule="FREQ=WEEKLY;COUNT=2",
                first_starts_at=_slot(40, 9),
                duration_minutes=60,
            ),
            "premises.organisationfeed": actors.org_a.booking_feed
            if hasattr(actors.org_a, "booking_feed")
            else _feed(actors.org_a),
        }
    )


def _feed(organisation: object) -> object:
    from cordee.premises.models import OrganisationFeed

    return OrganisationFeed.objects.create(organisation=organisation)
