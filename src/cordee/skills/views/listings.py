"""The pages of offers and needs: browse, post, read with the matching offers, change, close."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.skills import matching, selectors
from cordee.skills.forms_listings import FIELD_ALIASES, ListingFilterForm, ListingForm
from cordee.skills.models import Direction, Listing
from cordee.skills.services import listings as services

PER_PAGE = 30
TABS = {"offres": Direction.OFFER, "besoins": Direction.NEED}


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(form: ListingForm, exc: DomainError) -> None:
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


@require(permissions.can_use_skills)
def index(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    tab = request.GET.get("voir", "")
    if tab not in TABS:
        tab = "offres"
    filters = ListingFilterForm(request.GET or None)
    listings = selectors.listings_for(user, direction=TABS[tab], **filters.filters())
    page = Paginator(listings, PER_PAGE).get_page(request.GET.get("page"))
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "tab": tab,
        "filters": filters,
        "page": page,
        "query": urlencode(kept),
        "tab_query": urlencode({key: value for key, value in kept.items() if key != "voir"}),
        "my_needs": selectors.my_needs_with_suggestions(user),
        "can_post": selectors.organisations_posting_for(user).exists(),
    }
    return render(request, "skills/index.html", context)


def _create(request: HttpRequest, direction: str) -> HttpResponse:
    user = _actor(request)
    organisations = selectors.organisations_posting_for(user)
    if not organisations.exists():
        raise PermissionDenied
    form = ListingForm(request.POST or None, direction=direction, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                listing = services.listing_create(
                    actor=user,
                    organisation=form.cleaned_data["organisation"],
                    direction=direction,
                    **form.service_fields(),
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(
                    request,
                    _("Your offer is online.") if direction == Direction.OFFER else _("Your need is online."),
                )
                return redirect("skills:listing", pk=listing.pk)
        status = 400
    return render(request, "skills/listing_form.html", {"form": form, "direction": direction}, status=status)


@require(permissions.can_use_skills)
def offer_create(request: HttpRequest) -> HttpResponse:
    return _create(request, Direction.OFFER)


@require(permissions.can_use_skills)
def need_create(request: HttpRequest) -> HttpResponse:
    return _create(request, Direction.NEED)


def _detail(request: HttpRequest, listing: Listing, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "listing": listing,
        "can_edit": permissions.can_edit_listing(request.user, listing),
        "matches": [],
        "answered_needs": [],
        "category_points": round(matching.CATEGORY_BONUS * 100),
        "distance_points": round(matching.MAX_DISTANCE_PENALTY * 100),
        "km_per_point": round(0.01 / matching.PENALTY_PER_KM),
    }
    if listing.state == Listing.State.OPEN:
        if listing.direction == Direction.NEED:
            context["matches"] = matching.matches_for(listing)
        else:
            context["answered_needs"] = matching.needs_matching(listing)[:20]
    return render(request, "skills/listing_detail.html", context, status=status)


@require(permissions.can_use_skills)
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_listing_for_user(_actor(request), pk))


@require(permissions.can_use_skills)
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _actor(request)
    listing = selectors.get_listing_for_user(user, pk)
    if not permissions.can_edit_listing(user, listing):
        raise PermissionDenied
    form = ListingForm(request.POST or None, direction=listing.direction, listing=listing)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.listing_update(actor=user, listing=listing, **form.service_fields())
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("skills:listing", pk=listing.pk)
        status = 400
    return render(
        request,
        "skills/listing_form.html",
        {"form": form, "direction": listing.direction, "listing": listing},
        status=status,
    )


def _state_change(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    user = _actor(request)
    listing = selectors.get_listing_for_user(user, pk)
    if not permissions.can_edit_listing(user, listing):
        raise PermissionDenied
    try:
        service(actor=user, listing=listing)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, listing, status=400)
    messages.success(request, done)
    return redirect("skills:listing", pk=listing.pk)


@require_POST
@require(permissions.can_use_skills)
def listing_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(request, pk, services.listing_close, _("The listing is closed."))


@require_POST
@require(permissions.can_use_skills)
def listing_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(request, pk, services.listing_reopen, _("The listing is open again."))
