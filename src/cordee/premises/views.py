from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.network.models import Organisation
from cordee.premises import pricing, selectors, services
from cordee.premises.forms import (
    BookingForm,
    OpeningHoursFormSet,
    PhotoFormSet,
    ReasonForm,
    ResourceForm,
    SearchForm,
)
from cordee.premises.models import Booking, Resource


def _partial(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


@require(permissions.can_browse_resources)
def resources(request: HttpRequest) -> HttpResponse:
    """The catalogue, and the availability search: free resources for a slot, nearest first."""
    form = SearchForm(request.GET or None)
    found = None
    if form.is_valid():
        data = form.cleaned_data
        from cordee.premises import search

        bookable = selectors.bookable_organisations(request.user)
        found = search.available(
            request.user,
            organisation=bookable[0] if bookable else None,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data.get("capacity"),
            kind=data.get("kind") or None,
            near=data.get("near"),
        )
    context = {
        "form": form,
        "found": found,
        "resources": selectors.resources(),
        "managed": selectors.managed_resources(request.user).exists(),
        "can_invoice": permissions.can_invoice_bookings(request.user),
        "can_see_usage": permissions.usage_owner_scope(request.user) != set(),
    }
    response = render(
        request, "premises/resources.html#results" if _partial(request) else "premises/resources.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _week_start(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = timezone.localdate()
    return selectors.week_of(day)[0]


def _month(request: HttpRequest) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in request.GET.get("mois", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        year, month = today.year, today.month
    return year, month


@require(permissions.can_browse_resources)
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.get_resource_for_user(request.user, pk)
    view = "mois" if request.GET.get("vue") == "mois" else "semaine"
    context: dict[str, Any] = {"resource": resource, "view": view}
    if view == "mois":
        year, month = _month(request)
        first = dt.date(year, month, 1)
        context |= {
            "weeks": selectors.month_grid(request.user, resource, year, month),
            "month": first,
            "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
            "next": (first + dt.timedelta(days=31)).replace(day=1).strftime("%Y-%m"),
        }
    else:
        monday = _week_start(request)
        context |= {
            "days": selectors.calendar_days(request.user, resource, monday, monday + dt.timedelta(days=6)),
            "previous": (monday - dt.timedelta(days=7)).isoformat(),
            "next": (monday + dt.timedelta(days=7)).isoformat(),
        }
    if _partial(request):
        response = render(request, "premises/resource.html#calendar", context)
    else:
        manager = permissions.can_manage_resource(request.user, resource.owner_id)
        context |= {
            "manager": manager,
            "requests": selectors.requests_to_decide(request.user).filter(resource=resource) if manager else [],
            "opening_hours": resource.opening_hours.all(),
            "can_book": bool(selectors.bookable_organisations(request.user)),
            "feed_url": request.build_absolute_uri(reverse("premises:resource_feed", args=[resource.ical_token]))
            if manager
            else "",
        }
        response = render(request, "premises/resource.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require(permissions.can_browse_resources)
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps: the quote and, for a recurring booking, each occurrence's fate; then confirm."""
    resource = selectors.get_resource_for_user(request.user, pk)
    organisations = selectors.bookable_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = BookingForm(request.POST or request.GET or None, organisations=organisations)
    context: dict[str, Any] = {"resource": resource, "form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        booking_request = services.Request(
            resource, data["organisation"], data["starts_at"], data["ends_at"], data.get("attendees"), data["purpose"]
        )
        recurrence = form.recurrence()
        try:
            if request.method == "POST" and request.POST.get("confirm"):
                return _confirm(request, booking_request, recurrence)
            context["quote"] = pricing.quote(resource, data["organisation"], data["starts_at"], data["ends_at"])
            if recurrence is not None:
                context["occurrences"] = services.occurrences(request.user, booking_request, recurrence)
                context["free"] = sum(1 for o in context["occurrences"] if o.free)
            else:
                context["problems"] = services.check(request.user, booking_request)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(request, "premises/book.html", context)


def _confirm(
    request: HttpRequest, booking_request: services.Request, recurrence: services.Recurrence | None
) -> HttpResponse:
    if recurrence is None:
        booking = services.booking_create(request.user, booking_request)
        if booking.state == Booking.State.REQUESTED:
            messages.success(request, _("Your request is sent to the owner, who will approve or refuse it."))
        else:
            messages.success(request, _("Booked. A confirmation is on its way by e-mail."))
        return redirect("premises:my_bookings")
    planned = services.series_create(request.user, booking_request, recurrence)[1]
    booked = sum(1 for o in planned if o.booking is not None)
    messages.success(
        request, _("%(booked)s of %(total)s occurrences booked.") % {"booked": booked, "total": len(planned)}
    )
    return redirect("premises:my_bookings")


@require(permissions.can_browse_resources)
def my_bookings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    mine = selectors.my_bookings(request.user)
    return render(
        request,
        "premises/bookings.html",
        {
            "upcoming": mine.filter(ends_at__gt=now).order_by("starts_at")[:200],
            "past": mine.filter(ends_at__lte=now)[:50],
            "requests": selectors.requests_to_decide(request.user),
            "reason_form": ReasonForm(),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    return redirect("premises:my_bookings")


@require_POST
@require(permissions.can_browse_resources)
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.booking_cancel(request.user, booking, reason)
        messages.success(request, _("The booking is cancelled."))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request)


@require_POST
@require(permissions.can_browse_resources)
def booking_approve(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for_user(request.user, pk)
    try:
        services.booking_approve(request.user, booking)
        messages.success(request, _("The booking is approved."))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request)


@require_POST
@require(permissions.can_browse_resources)
def booking_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        services.booking_refuse(request.user, booking, form.cleaned_data["reason"] if form.is_valid() else "")
        messages.success(request, _("The request is refused."))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request)


def _owner_choices(request: HttpRequest) -> list[Organisation | None]:
    actor = permissions.actor_for(request.user)
    owners: list[Organisation | None] = list(
        Organisation.objects.filter(
            pk__in=[pk for pk, role in actor.organisations.items() if role == permissions.MEMBER_ADMIN]
        ).order_by("sort_name")
    )
    if actor.is_coordinator:
        owners.insert(0, None)
    return owners


@require(permissions.can_browse_resources)
def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Describe a resource and its rules: the owner's member admins (or the coordinator)."""
    owners = _owner_choices(request)
    if pk is None:
        if not owners:
            raise PermissionDenied
        resource = Resource()
    else:
        resource = selectors.get_resource_for_user(request.user, pk)
        if not permissions.can_manage_resource(request.user, resource.owner_id):
            raise PermissionDenied
    form = ResourceForm(request.POST or None, instance=resource)
    hours = OpeningHoursFormSet(request.POST or None, instance=resource)
    photos = PhotoFormSet(request.POST or None, request.FILES or None, instance=resource)
    owner_key = request.POST.get("owner", "") if request.method == "POST" else ""
    context = {"form": form, "hours": hours, "photos": photos, "owners": owners if pk is None else []}
    if request.method == "POST" and form.is_valid() and hours.is_valid() and photos.is_valid():
        if pk is None:
            chosen = {str(o.pk) if o else "": o for o in owners}
            if owner_key not in chosen:
                form.add_error(None, _("Choose the organisation that owns the resource."))
                return render(request, "premises/resource_form.html", context)
            resource.owner = chosen[owner_key]

        def save_related(saved: Resource) -> None:
            form.save_m2m()
            hours.instance = photos.instance = saved
            hours.save()
            photos.save()

        try:
            saved = services.resource_save(request.user, form.save(commit=False), save_related=save_related)
        except DomainError as error:
            form.add_error(None, error.message)
            return render(request, "premises/resource_form.html", context)
        messages.success(request, _("The resource is saved."))
        return redirect("premises:resource", pk=saved.pk)
    return render(request, "premises/resource_form.html", context)


def _previous_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@require(permissions.can_invoice_bookings)
def invoice_bookings(request: HttpRequest) -> HttpResponse:
    """The monthly invoicing of completed bookings, as `cordee invoice_bookings` does it."""
    from cordee.premises import billing

    month_text = request.POST.get("month") or request.GET.get("month") or f"{_previous_month():%Y-%m}"
    context: dict[str, Any] = {"month_text": month_text}
    if request.method == "POST":
        try:
            context["report"] = billing.invoice_bookings(billing.parse_month(month_text))
        except DomainError as error:
            context["error"] = error.message
    return render(request, "premises/invoice_bookings.html", context)


@require(permissions.can_browse_resources)
def usage(request: HttpRequest) -> HttpResponse:
    """Occupancy per resource and hours per organisation, for a month: the hub's roles see every
    resource, a member admin those of its organisation."""
    from cordee.premises import stats

    scope = permissions.usage_owner_scope(request.user)
    if scope is not None and not scope:
        raise PermissionDenied
    year, month = _month(request)
    first = dt.date(year, month, 1)
    resources = Resource.objects.select_related("owner")
    if scope is not None:
        resources = resources.filter(owner_id__in=[pk for pk in scope if pk is not None])
    return render(
        request,
        "premises/usage.html",
        {
            "month": first,
            "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
            "next": (first + dt.timedelta(days=31)).replace(day=1).strftime("%Y-%m"),
            "rows": stats.occupancy(resources.order_by("name"), first),
            "organisations": stats.hours_by_organisation(first, scope),
        },
    )
