"""Booking pooled resources: the only code that writes bookings.

Each write runs in one transaction. A booking is checked against the resource's rules
(`rules.check_booking`), then against the bookings that hold the resource, inside the write
transaction: on SQLite the transaction holds the database's write lock from its start, so the
check and the insert cannot be separated; on PostgreSQL two requests may both pass the check, and
the exclusion constraint refuses the second insert, which is reported as the same conflict.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dateutil import rrule
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.network.models import Affiliation, Organisation
from cordee.premises import pricing, rules
from cordee.premises.models import Booking, BookingSeries, Resource, elapsed_minutes

MAX_OCCURRENCES = 200


class BookingRefused(DomainError):
    """A booking that breaks one rule or more; every problem is kept, the first is the message."""

    def __init__(self, problems: Sequence[rules.Problem]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = list(problems)


def _span(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return _("%(day)s from %(start)s to %(end)s") % {
            "day": date_format(start, "l j F Y"),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
    return _("from %(start)s to %(end)s") % {
        "start": date_format(start, "l j F Y H:i"),
        "end": date_format(end, "l j F Y H:i"),
    }


def conflicts(
    resource: Resource, starts_at: dt.datetime, ends_at: dt.datetime, *, exclude: int | None = None
) -> list[Booking]:
    """The bookings that hold the resource during [starts_at, ends_at)."""
    queryset = Booking.objects.filter(
        resource=resource, state__in=Booking.HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return list(queryset.order_by("starts_at"))


def _conflict_problem(booking: Booking) -> rules.Problem:
    return rules.Problem(
        "starts_at",
        _("The resource is already booked %(span)s.") % {"span": _span(booking.starts_at, booking.ends_at)},
    )


def _admin_emails(organisation_id: int | None) -> list[str]:
    if organisation_id is None:
        from cordee.core.models import HubRole

        return list(HubRole.objects.filter(role=HubRole.Role.COORDINATOR).values_list("user__email", flat=True))
    return list(
        Affiliation.objects.filter(organisation_id=organisation_id, role=Affiliation.Role.ADMIN).values_list(
            "person__email", flat=True
        )
    )


def _notice(kind: str, booking: Booking, to: list[str]) -> None:
    email_after_commit(
        to=to,
        template=f"premises/email/{kind}",
        context={
            "booking": booking,
            "span": _span(booking.starts_at, booking.ends_at),
            "hub_name": settings.HUB_NAME,
        },
    )


@dataclass
class Request:
    """What someone asks for: one slot of one resource, in an organisation's name (None: the hub)."""

    resource: Resource
    organisation: Organisation | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    attendees: int | None = None
    purpose: str = ""


def is_manager(user: Any, resource: Resource) -> bool:
    return permissions.can_manage_resource(user, resource.owner_id)


def check(user: Any, request: Request, *, now: dt.datetime | None = None) -> list[rules.Problem]:
    """Every reason this request would be refused, conflicts included (empty: it can be booked)."""
    problems = rules.check_booking(
        request.resource,
        request.starts_at,
        request.ends_at,
        attendees=request.attendees,
        now=now,
        by_manager=is_manager(user, request.resource),
    )
    if request.ends_at > request.starts_at:
        problems += [_conflict_problem(b) for b in conflicts(request.resource, request.starts_at, request.ends_at)]
    return problems


def booking_create(user: Any, request: Request, *, now: dt.datetime | None = None) -> Booking:
    """Book, or refuse with every reason. A resource whose owner approves each booking gets a
    request, unless its own manager books it."""
    organisation_id = request.organisation.pk if request.organisation else None
    if not permissions.can_book_for(user, organisation_id):
        raise NotAllowed(_("You cannot book in the name of this organisation."))
    with transaction.atomic(durable=True):
        booking = _create(user, request, now=now)
        audit(actor=user, action="booking.create", target=booking, state=booking.state)
        if booking.state == Booking.State.REQUESTED:
            _notice("request", booking, _admin_emails(request.resource.owner_id))
        else:
            _notice("confirmed", booking, [user.email])
    return booking


def _create(user: Any, request: Request, *, now: dt.datetime | None, series: BookingSeries | None = None) -> Booking:
    problems = check(user, request, now=now)
    if problems:
        raise BookingRefused(problems)
    quote = pricing.quote(request.resource, request.organisation, request.starts_at, request.ends_at)
    approval = request.resource.approval_required and not is_manager(user, request.resource)
    booking = Booking(
        resource=request.resource,
        organisation=request.organisation,
        booked_by=user if user.is_authenticated else None,
        series=series,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        attendees=request.attendees,
        purpose=request.purpose.strip(),
        state=Booking.State.REQUESTED if approval else Booking.State.CONFIRMED,
        price_cents=quote.cents,
        price_detail=quote.detail[:200],
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        # Another request took the slot between our check and our insert (PostgreSQL's exclusion
        # constraint, SQLite's trigger): the same answer as if we had seen it.
        taken = conflicts(request.resource, request.starts_at, request.ends_at)
        raise BookingRefused(
            [_conflict_problem(taken[0])]
            if taken
            else [rules.Problem("starts_at", _("The resource is already booked then."))]
        ) from None
    return booking


def _decide(
    user: Any, booking: Booking, state: str, reason: str, action: str, *, now: dt.datetime | None = None
) -> Booking:
    if not permissions.can_manage_resource(user, booking.resource.owner_id):
        raise NotAllowed(_("Only the resource's owner decides on its booking requests."))
    if state == Booking.State.REFUSED and not reason.strip():
        raise DomainError(_("Say why the request is refused: the person who asked will read it."), field="reason")
    with transaction.atomic(durable=True):
        locked = Booking.objects.select_for_update(of=("self",)).select_related("resource").get(pk=booking.pk)
        if locked.state != Booking.State.REQUESTED:
            raise DomainError(
                _("This booking is %(state)s, not awaiting a decision.") % {"state": locked.get_state_display()},
                field="state",
            )
        if state == Booking.State.CONFIRMED and locked.starts_at <= (now or timezone.now()):
            raise DomainError(_("This request's time has come: it can no longer be approved."), field="state")
        locked.state, locked.decision_reason, locked.decided_at = state, reason.strip(), timezone.now()
        locked.save(update_fields=["state", "decision_reason", "decided_at"])
        audit(actor=user, action=action, target=locked, reason=locked.decision_reason)
        if locked.booked_by is not None:
            _notice(
                "approved" if state == Booking.State.CONFIRMED else "refused",
                locked,
                [locked.booked_by.email],
            )
    return locked


def booking_approve(user: Any, booking: Booking, *, now: dt.datetime | None = None) -> Booking:
    return _decide(user, booking, Booking.State.CONFIRMED, "", "booking.approve", now=now)


def booking_refuse(user: Any, booking: Booking, reason: str) -> Booking:
    return _decide(user, booking, Booking.State.REFUSED, reason, "booking.refuse")


def booking_cancel(user: Any, booking: Booking, reason: str = "", *, now: dt.datetime | None = None) -> Booking:
    """Cancel a booking that holds its slot and has not started. The booker's side may until the
    resource's cancellation deadline; the owner's side at any time before the start."""
    now = now or timezone.now()
    owner_id, organisation_id = booking.resource.owner_id, booking.organisation_id
    if not permissions.can_cancel_booking(user, owner_id, organisation_id):
        raise NotAllowed(_("You cannot cancel this booking."))
    with transaction.atomic(durable=True):
        locked = (
            Booking.objects.select_for_update(of=("self",)).select_related("resource", "booked_by").get(pk=booking.pk)
        )
        if locked.state not in Booking.HOLDING:
            raise DomainError(
                _("This booking is %(state)s: there is nothing to cancel.") % {"state": locked.get_state_display()},
                field="state",
            )
        if locked.starts_at <= now:
            raise DomainError(_("A booking that has started cannot be cancelled."), field="state")
        manager = permissions.can_manage_resource(user, owner_id)
        deadline = locked.starts_at - dt.timedelta(hours=locked.resource.cancellation_deadline_hours)
        if not manager and now > deadline:
            raise DomainError(
                _("Bookings of this resource can be cancelled up to %(hours)s hours before they start; ask its owner.")
                % {"hours": locked.resource.cancellation_deadline_hours},
                field="state",
            )
        locked.state, locked.decision_reason, locked.decided_at = Booking.State.CANCELLED, reason.strip(), now
        locked.save(update_fields=["state", "decision_reason", "decided_at"])
        audit(actor=user, action="booking.cancel", target=locked, reason=locked.decision_reason)
        others = _admin_emails(owner_id) if not manager else ([locked.booked_by.email] if locked.booked_by else [])
        _notice("cancelled", locked, [email for email in others if email != getattr(user, "email", None)])
    return locked


def unique_slug(name: str, *, exclude: int | None = None) -> str:
    """A resource's address from its name, numbered when another resource has it already."""
    base = slugify(name)[:120] or "ressource"
    slug, n = base, 1
    while Resource.objects.filter(slug=slug).exclude(pk=exclude or 0).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def resource_save(user: Any, resource: Resource, *, save_related: Callable[[Resource], None]) -> Resource:
    """Record a resource described by its owner (its owner already set), with what hangs on it
    (`save_related`: opening hours, photos, the organisations it is free for), in one transaction."""
    if not permissions.can_manage_resource(user, resource.owner_id):
        raise NotAllowed(_("Only the resource's owner can change it."))
    created = resource.pk is None
    with transaction.atomic(durable=True):
        if not resource.slug:
            resource.slug = unique_slug(resource.name, exclude=resource.pk)
        resource.save()
        save_related(resource)
        audit(actor=user, action="resource.create" if created else "resource.update", target=resource)
    return resource


def bookings_complete(*, now: dt.datetime | None = None) -> int:
    """Mark as completed the confirmed bookings that have ended. Safe to run at any time."""
    now = now or timezone.now()
    return Booking.objects.filter(state=Booking.State.CONFIRMED, ends_at__lte=now).update(state=Booking.State.COMPLETED)


# --- Recurring bookings -----------------------------------------------------------------------


@dataclass(frozen=True)
class Recurrence:
    """Weekly or monthly, every `interval` weeks or months, `count` times or until a date."""

    frequency: str  # "weekly" or "monthly"
    interval: int = 1
    count: int | None = None
    until: dt.date | None = None
    exceptions: frozenset[dt.date] = frozenset()  # dates left out


@dataclass
class Occurrence:
    starts_at: dt.datetime
    ends_at: dt.datetime
    problems: list[rules.Problem] = field(default_factory=list)
    excepted: bool = False
    booking: Booking | None = None

    @property
    def free(self) -> bool:
        return not self.problems and not self.excepted


def rrule_text(first: dt.datetime, recurrence: Recurrence) -> str:
    """The RFC 5545 RRULE line of this recurrence (as iCalendar clients read it)."""
    rule = _rule(first, recurrence)
    return str(rule).splitlines()[-1].removeprefix("RRULE:")


def _rule(first: dt.datetime, recurrence: Recurrence) -> rrule.rrule:
    if recurrence.frequency not in ("weekly", "monthly"):
        raise DomainError(_("A booking repeats every week or every month."), field="frequency")
    if not 1 <= recurrence.interval <= 12:
        raise DomainError(_("The interval is between 1 and 12."), field="interval")
    if (recurrence.count is None) == (recurrence.until is None):
        raise DomainError(_("Give either a number of occurrences or an end date, not both."), field="count")
    if recurrence.count is not None and not 1 <= recurrence.count <= MAX_OCCURRENCES:
        raise DomainError(
            _("A recurring booking has between 1 and %(n)s occurrences.") % {"n": MAX_OCCURRENCES},
            field="count",
        )
    local = timezone.localtime(first).replace(tzinfo=None)  # repeat at the same wall-clock time
    until = dt.datetime.combine(recurrence.until, dt.time(23, 59, 59)) if recurrence.until else None
    return rrule.rrule(
        rrule.WEEKLY if recurrence.frequency == "weekly" else rrule.MONTHLY,
        dtstart=local,
        interval=recurrence.interval,
        count=recurrence.count,
        until=until,
    )


def occurrences(
    user: Any, request: Request, recurrence: Recurrence, *, now: dt.datetime | None = None
) -> list[Occurrence]:
    """Each occurrence of a recurring request with the reasons it cannot be booked (conflicts
    included): what the person sees before choosing to book the free ones."""
    # Each occurrence keeps the wall-clock times of the first: 14:00–16:00 stays 14:00–16:00
    # across a change of summer time.
    wall = timezone.localtime(request.ends_at).replace(tzinfo=None) - timezone.localtime(request.starts_at).replace(
        tzinfo=None
    )
    starts = list(itertools.islice(_rule(request.starts_at, recurrence), MAX_OCCURRENCES + 1))
    if len(starts) > MAX_OCCURRENCES:
        raise DomainError(
            _("A recurring booking has between 1 and %(n)s occurrences.") % {"n": MAX_OCCURRENCES}, field="until"
        )
    result = []
    for local in starts:
        starts_at, ends_at = timezone.make_aware(local), timezone.make_aware(local + wall)
        occurrence = Occurrence(starts_at, ends_at, excepted=local.date() in recurrence.exceptions)
        if not occurrence.excepted:
            one = Request(request.resource, request.organisation, starts_at, ends_at, request.attendees)
            occurrence.problems = check(user, one, now=now)
        result.append(occurrence)
    return result


def series_create(
    user: Any, request: Request, recurrence: Recurrence, *, now: dt.datetime | None = None
) -> tuple[BookingSeries, list[Occurrence]]:
    """Book the free occurrences of a recurring request; the others are returned with their
    reasons, untouched. Refused whole when no occurrence is free."""
    organisation_id = request.organisation.pk if request.organisation else None
    if not permissions.can_book_for(user, organisation_id):
        raise NotAllowed(_("You cannot book in the name of this organisation."))
    with transaction.atomic(durable=True):
        planned = occurrences(user, request, recurrence, now=now)
        if not any(o.free for o in planned):
            raise DomainError(_("None of the occurrences can be booked."), field="starts_at")
        series = BookingSeries.objects.create(
            resource=request.resource,
            organisation=request.organisation,
            booked_by=user,
            rrule=rrule_text(request.starts_at, recurrence),
            first_starts_at=request.starts_at,
            duration_minutes=elapsed_minutes(request.starts_at, request.ends_at),
            purpose=request.purpose.strip(),
        )
        for occurrence in planned:
            if not occurrence.free:
                continue
            one = Request(
                request.resource,
                request.organisation,
                occurrence.starts_at,
                occurrence.ends_at,
                request.attendees,
                request.purpose,
            )
            try:
                occurrence.booking = _create(user, one, now=now, series=series)
            except BookingRefused as refused:  # taken meanwhile (PostgreSQL): reported, not booked
                occurrence.problems = refused.problems
        booked = [o.booking for o in planned if o.booking is not None]
        audit(actor=user, action="booking.series", target=series, booked=len(booked), rule=series.rrule)
        if booked:
            _notice("series", booked[0], [user.email])
            if any(b.state == Booking.State.REQUESTED for b in booked):
                _notice("request", booked[0], _admin_emails(request.resource.owner_id))
    return series, planned
