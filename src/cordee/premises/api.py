"""The premises API: resources, availability, bookings (list, create, cancel)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Problem, Refusal, refusal
from cordee.core.errors import DomainError
from cordee.network.models import Commune, Organisation
from cordee.premises import selectors, services
from cordee.premises.models import Booking, Resource

# Session authentication: ninja then enforces the CSRF token on writes, as the pages do.
router = Router(tags=["premises"], auth=django_auth)


class ResourceOut(Schema):
    id: int
    name: str
    kind: str
    owner_id: int | None = Field(description="null: the hub")
    owner_name: str
    capacity: int | None
    commune: str = Field(description="INSEE code")
    commune_name: str
    address: str
    description: str
    equipment: list[str]
    approval_required: bool
    granularity_minutes: int
    min_minutes: int
    max_minutes: int
    lead_time_hours: int
    cancellation_deadline_hours: int
    member_hour_cents: int | None
    member_half_day_cents: int | None
    member_day_cents: int | None
    public_hour_cents: int | None
    public_half_day_cents: int | None
    public_day_cents: int | None


class FoundOut(Schema):
    resource: ResourceOut
    distance_km: float | None
    price_cents: int | None


class BookingOut(Schema):
    id: int
    resource_id: int
    organisation_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str
    attendees: int | None
    purpose: str
    price_cents: int
    price_detail: str


class BookingIn(Schema):
    resource_id: int
    organisation_id: int | None = Field(None, description="null: in the hub's name (coordinator only)")
    starts_at: dt.datetime = Field(description="With its UTC offset, e.g. 2027-03-02T14:00:00+01:00")
    ends_at: dt.datetime
    attendees: int | None = Field(None, ge=1)
    purpose: str = Field("", max_length=200)


class AvailabilityQuery(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int | None = Field(None, ge=1)
    kind: Resource.Kind | None = None
    near: str | None = Field(None, description="INSEE code of the commune to rank by distance from")


def _resource(resource: Resource) -> ResourceOut:
    return ResourceOut(
        id=resource.pk,
        name=resource.name,
        kind=resource.kind,
        owner_id=resource.owner_id,
        owner_name=resource.owner.name if resource.owner else "",
        capacity=resource.capacity,
        commune=resource.commune_id,
        commune_name=resource.commune.name,
        address=resource.address,
        description=resource.description,
        equipment=resource.equipment_list,
        approval_required=resource.approval_required,
        granularity_minutes=resource.granularity_minutes,
        min_minutes=resource.min_minutes,
        max_minutes=resource.max_minutes,
        lead_time_hours=resource.lead_time_hours,
        cancellation_deadline_hours=resource.cancellation_deadline_hours,
        member_hour_cents=resource.member_hour_cents,
        member_half_day_cents=resource.member_half_day_cents,
        member_day_cents=resource.member_day_cents,
        public_hour_cents=resource.public_hour_cents,
        public_half_day_cents=resource.public_half_day_cents,
        public_day_cents=resource.public_day_cents,
    )


def _booking(booking: Booking) -> BookingOut:
    return BookingOut(
        id=booking.pk,
        resource_id=booking.resource_id,
        organisation_id=booking.organisation_id,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        state=booking.state,
        attendees=booking.attendees,
        purpose=booking.purpose,
        price_cents=booking.price_cents,
        price_detail=booking.price_detail,
    )


def _browse(request: HttpRequest) -> None:
    if not permissions.can_browse_resources(request.user):
        raise HttpError(403, "Shared resources are for the people of member organisations.")


def _refusal(error: DomainError) -> Refusal:
    problems = getattr(error, "problems", None) or []
    return refusal(error, [Problem(field=p.field, code=error.code, message=p.message) for p in problems])


@router.get("/resources", response=list[ResourceOut], summary="The resources members can book")
def list_resources(request: HttpRequest, kind: Resource.Kind | None = None) -> list[ResourceOut]:
    _browse(request)
    return [_resource(r) for r in selectors.resources(kind=kind)]


@router.get("/resources/{resource_id}", response=ResourceOut, summary="One resource, its rules and prices")
def get_resource(request: HttpRequest, resource_id: int) -> ResourceOut:
    _browse(request)
    return _resource(selectors.get_resource_for_user(request.user, resource_id))


@router.get("/availability", response=list[FoundOut], summary="The resources free for a slot, nearest first")
def availability(request: HttpRequest, query: Query[AvailabilityQuery]) -> list[FoundOut]:
    _browse(request)
    if query.ends_at <= query.starts_at:
        raise HttpError(422, "ends_at: the end must be after the start.")
    near = Commune.objects.filter(pk=query.near).first() if query.near else None
    if query.near and near is None:
        raise HttpError(422, "near: no commune has this INSEE code.")
    from cordee.premises import search

    found = search.available(
        request.user,
        starts_at=query.starts_at,
        ends_at=query.ends_at,
        capacity=query.capacity,
        kind=query.kind,
        near=near,
    )
    return [
        FoundOut(
            resource=_resource(item.resource),
            distance_km=item.distance_km,
            price_cents=item.quote.cents if item.quote else None,
        )
        for item in found
    ]


@router.get("/bookings", response=list[BookingOut], summary="The bookings of your organisations, newest first")
def list_bookings(request: HttpRequest, upcoming: bool = False) -> list[BookingOut]:
    _browse(request)
    bookings = selectors.my_bookings(request.user)
    if upcoming:
        bookings = bookings.filter(ends_at__gt=timezone.now()).order_by("starts_at")
    return [_booking(b) for b in bookings[:500]]


@router.post(
    "/bookings",
    response={201: BookingOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Book a resource; refused with every reason (conflicts included) and nothing written",
)
def create_booking(request: HttpRequest, payload: BookingIn) -> Status[BookingOut | Refusal]:
    _browse(request)
    resource = selectors.get_resource_for_user(request.user, payload.resource_id)
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            return Status(
                404, Refusal(detail="Not found.", errors=[Problem(field="organisation_id", message="Not found.")])
            )
    if payload.starts_at.tzinfo is None or payload.ends_at.tzinfo is None:
        message = "Give the time with its UTC offset."
        return Status(422, Refusal(detail=message, errors=[Problem(field="starts_at", message=message)]))
    booking_request = services.Request(
        resource, organisation, payload.starts_at, payload.ends_at, payload.attendees, payload.purpose
    )
    try:
        booking = services.booking_create(request.user, booking_request)
    except DomainError as error:
        return Status(403 if error.code == "forbidden" else 422, _refusal(error))
    return Status(201, _booking(booking))


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: BookingOut, 403: Refusal, 422: Refusal},
    summary="Cancel a booking (until the resource's cancellation deadline, or by its owner)",
)
def cancel_booking(request: HttpRequest, booking_id: int) -> Status[BookingOut | Refusal]:
    _browse(request)
    booking = selectors.get_booking_for_user(request.user, booking_id)
    try:
        booking = services.booking_cancel(request.user, booking)
    except DomainError as error:
        return Status(403 if error.code == "forbidden" else 422, _refusal(error))
    return Status(200, _booking(booking))
