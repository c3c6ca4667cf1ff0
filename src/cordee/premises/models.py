"""Pooled premises and equipment: the resources members share, and their bookings.

A resource belongs to a member organisation or to the hub (owner NULL). Its rules — opening
hours, closures, public holidays, granularity, shortest and longest booking, lead time, approval,
cancellation deadline — are checked by `rules.check_booking`, and its price by `pricing.quote`.

Two bookings of one resource that are requested or confirmed never overlap. The database holds
that itself: on PostgreSQL an exclusion constraint over the booked time range, on SQLite triggers
that refuse the row; the services also check first, inside their write transaction, to answer
with the conflicting booking rather than with an error code (see migrations 0002).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


def elapsed(starts_at: dt.datetime, ends_at: dt.datetime) -> dt.timedelta:
    """The time that really passes between two instants. Python subtracts two datetimes of the
    same time zone on the wall clock, which is an hour off across a change of summer time."""
    return ends_at.astimezone(dt.UTC) - starts_at.astimezone(dt.UTC)


def elapsed_minutes(starts_at: dt.datetime, ends_at: dt.datetime) -> int:
    return int(elapsed(starts_at, ends_at).total_seconds() // 60)


class Resource(models.Model):
    class Kind(models.TextChoices):
        MEETING_ROOM = "meeting_room", _("meeting room")
        OFFICE = "office", _("office")
        COWORKING_DESK = "coworking_desk", _("coworking desk")
        HALL = "hall", _("hall")
        VEHICLE = "vehicle", _("vehicle")
        EQUIPMENT = "equipment", _("equipment")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    owner = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("owner"),
        help_text=_("Empty: the hub itself."),
    )
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("people; empty: not relevant")
    )
    commune = models.ForeignKey("network.Commune", on_delete=models.PROTECT, verbose_name=_("commune"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    access_notes = models.TextField(_("access"), blank=True, help_text=_("keys, codes, parking, who to call"))
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    equipment = models.TextField(_("equipment"), blank=True, help_text=_("one item per line"))
    granularity_minutes = models.PositiveIntegerField(_("booking granularity (minutes)"), default=30)
    min_minutes = models.PositiveIntegerField(_("shortest booking (minutes)"), default=30)
    max_minutes = models.PositiveIntegerField(_("longest booking (minutes)"), default=12 * 60)
    lead_time_hours = models.PositiveIntegerField(_("notice (hours)"), default=0)
    approval_required = models.BooleanField(_("the owner approves each booking"), default=False)
    cancellation_deadline_hours = models.PositiveIntegerField(_("cancellation deadline (hours before)"), default=24)
    closed_on_public_holidays = models.BooleanField(_("closed on public holidays"), default=True)
    # Prices in cents; empty: not offered at that unit. Nothing offered at all: free.
    member_hour_cents = models.PositiveIntegerField(_("member price per hour"), null=True, blank=True)
    member_half_day_cents = models.PositiveIntegerField(_("member price per half-day"), null=True, blank=True)
    member_day_cents = models.PositiveIntegerField(_("member price per day"), null=True, blank=True)
    public_hour_cents = models.PositiveIntegerField(_("non-member price per hour"), null=True, blank=True)
    public_half_day_cents = models.PositiveIntegerField(_("non-member price per half-day"), null=True, blank=True)
    public_day_cents = models.PositiveIntegerField(_("non-member price per day"), null=True, blank=True)
    # VAT on the invoices of its bookings: most members are associations under the franchise.
    vat_rate = models.PositiveSmallIntegerField(
        _("VAT rate (basis points)"), default=0, help_text=_("0, 550, 1000 or 2000; prices are excluding VAT")
    )
    vat_exemption = models.CharField(
        _("VAT exemption"),
        max_length=10,
        blank=True,
        default="293B",
        help_text=_("the mention printed when the rate is 0"),
    )
    free_for = models.ManyToManyField(
        "network.Organisation", blank=True, related_name="free_resources", verbose_name=_("free for")
    )
    ical_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    active = models.BooleanField(_("bookable"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(granularity_minutes__gte=5), name="premises_granularity_min"),
            models.CheckConstraint(condition=Q(min_minutes__gte=1), name="premises_min_positive"),
            models.CheckConstraint(condition=Q(max_minutes__gte=F("min_minutes")), name="premises_max_over_min"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def equipment_list(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]


class ResourcePhoto(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="resources/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["resource", "position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class OpeningHours(models.Model):
    """One opening interval of a weekday (0 Monday … 6 Sunday). A resource without any is open
    at all hours; a day without any is closed."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["resource", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="premises_opening_closes_after"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="premises_opening_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}\N{EN DASH}{self.closes:%H:%M}"


class Closure(models.Model):
    """Days a resource cannot be booked (works, holidays of the owner…); `resource` empty: every
    resource of the hub."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="closures")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="premises_closure_ends_after"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}\N{EN DASH}{self.ends_on} {self.reason}"


class BookingSeries(models.Model):
    """A recurring booking: its RFC 5545 rule, kept as written; each occurrence is a Booking."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="series")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="booking_series"
    )
    booked_by = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, related_name="+")
    rrule = models.CharField(_("recurrence rule"), max_length=200)
    first_starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField()
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")

    def __str__(self) -> str:
        return f"{self.resource} {self.rrule}"


class Booking(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("cancelled")
        COMPLETED = "completed", _("completed")

    HOLDING = (State.REQUESTED, State.CONFIRMED)  # the states that hold the slot

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resource")
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("for"),
        help_text=_("Empty: the hub itself."),
    )
    booked_by = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, related_name="bookings")
    series = models.ForeignKey(BookingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    attendees = models.PositiveIntegerField(_("people"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    price_cents = models.PositiveIntegerField(_("price"), default=0)
    price_detail = models.CharField(_("price detail"), max_length=200, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    invoice = models.ForeignKey(
        "invoicing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("invoice"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="premises_booking_ends_after"),
        ]
        indexes = [models.Index(fields=["resource", "starts_at"], name="premises_booking_resource_time")]

    def __str__(self) -> str:
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return elapsed_minutes(self.starts_at, self.ends_at)


class OrganisationFeed(models.Model):
    """The secret address of an organisation's bookings calendar (iCalendar)."""

    organisation = models.OneToOneField("network.Organisation", on_delete=models.CASCADE, related_name="booking_feed")
    token = models.CharField(max_length=64, default=new_token, unique=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.organisation)
