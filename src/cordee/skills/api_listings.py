"""The skills API, offers and needs: browse, post, change, close, and the offers matching a need.

The same services and selectors as the pages: anyone of the skills exchange (people of member
organisations, the hub's roles) reads; the people of an organisation post and change in its name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal, refusal_status
from cordee.core.errors import DomainError
from cordee.network.models import Commune, Organisation
from cordee.skills import matching, selectors
from cordee.skills.models import Category, Direction, Listing, Nature, Terms
from cordee.skills.services import listings as services

router = Router(tags=["skills"], auth=django_auth)

MAX_ROWS = 500


_refusal = refusal
_status = refusal_status


class ListingOut(Schema):
    id: int
    direction: str
    organisation_id: int
    organisation_name: str
    nature: str
    category: str
    title: str
    description: str
    commune: str = Field(description="INSEE code of the commune")
    commune_name: str
    availability: str
    terms: str
    minutes: int | None = Field(description="With time-credit terms: the duration in minutes")
    price_cents: int | None = Field(description="With terms at a price: the price in cents")
    notify: bool
    state: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ListingIn(Schema):
    organisation_id: int
    nature: Nature
    category: Category
    title: str = Field(description="3 to 120 characters")
    description: str = Field(description="At most 4000 characters")
    commune: str = Field(description="INSEE code of the commune, e.g. 05061")
    availability: str = ""
    terms: Terms
    minutes: int | None = Field(None, description='With terms "hours": more than 0, at most 6000 (100 h)')
    price_cents: int | None = Field(None, description='With terms "euros": more than 0')
    notify: bool = Field(True, description="For a need: e-mail its people when a matching offer is posted")


class ListingPatch(Schema):
    nature: Nature | None = None
    category: Category | None = None
    title: str | None = None
    description: str | None = None
    commune: str | None = None
    availability: str | None = None
    terms: Terms | None = None
    minutes: int | None = None
    price_cents: int | None = None
    notify: bool | None = None


class ListingFilters(Schema):
    q: str | None = Field(None, description="Words, all of them found (French stems, accents ignored)")
    category: Category | None = None
    nature: Nature | None = None
    terms: Terms | None = None
    commune: str | None = Field(None, description="INSEE code")


class MatchOut(Schema):
    offer: ListingOut
    score: float = Field(description="text_score + 0.2 for the same category - 0.002 per km (at most 0.2)")
    text_score: float = Field(description="0 to 1: the share of the need's words found in the offer")
    same_category: bool
    distance_km: float | None


def _listing(listing: Listing) -> ListingOut:
    return ListingOut(
        id=listing.pk,
        direction=listing.direction,
        organisation_id=listing.organisation_id,
        organisation_name=listing.organisation.name,
        nature=listing.nature,
        category=listing.category,
        title=listing.title,
        description=listing.description,
        commune=listing.commune_id,
        commune_name=listing.commune.name,
        availability=listing.availability,
        terms=listing.terms,
        minutes=listing.minutes,
        price_cents=listing.price_cents,
        notify=listing.notify,
        state=listing.state,
        created_at=listing.created_at,
        updated_at=listing.updated_at,
    )


def _use(request: HttpRequest) -> None:
    if not permissions.can_use_skills(request.user):
        raise HttpError(403, "The skills exchange is for the people of member organisations and the hub's staff.")


def _commune(code: str) -> Commune | None:
    return Commune.objects.filter(pk=code).first()


def _list(request: HttpRequest, direction: str, filters: ListingFilters) -> list[ListingOut]:
    _use(request)
    rows = selectors.listings_for(
        request.user,
        direction=direction,
        query=filters.q,
        category=filters.category,
        nature=filters.nature,
        terms=filters.terms,
        commune=filters.commune,
    )
    return [_listing(listing) for listing in rows[:MAX_ROWS]]


def _post(request: HttpRequest, direction: str, payload: ListingIn) -> Status[ListingOut | Refusal]:
    _use(request)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        return Status(404, Refusal(detail="organisation_id: no such organisation.", errors=[]))
    try:
        listing = services.listing_create(
            actor=request.user,  # type: ignore[arg-type]
            organisation=organisation,
            direction=direction,
            nature=payload.nature,
            category=payload.category,
            title=payload.title,
            description=payload.description,
            commune=_commune(payload.commune),
            availability=payload.availability,
            terms=payload.terms,
            minutes=payload.minutes,
            price_cents=payload.price_cents,
            notify=payload.notify,
        )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(201, _listing(listing))


@router.get("/skills/offers", response=list[ListingOut], summary="Open offers of the hub's members, newest first")
def list_offers(request: HttpRequest, filters: Query[ListingFilters]) -> list[ListingOut]:
    return _list(request, Direction.OFFER, filters)


@router.post(
    "/skills/offers",
    response={201: ListingOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Post an offer in the name of one's organisation",
)
def post_offer(request: HttpRequest, payload: ListingIn) -> Status[ListingOut | Refusal]:
    return _post(request, Direction.OFFER, payload)


@router.get("/skills/needs", response=list[ListingOut], summary="Open needs of the hub's members, newest first")
def list_needs(request: HttpRequest, filters: Query[ListingFilters]) -> list[ListingOut]:
    return _list(request, Direction.NEED, filters)


@router.post(
    "/skills/needs",
    response={201: ListingOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Post a need in the name of one's organisation",
)
def post_need(request: HttpRequest, payload: ListingIn) -> Status[ListingOut | Refusal]:
    return _post(request, Direction.NEED, payload)


@router.get("/skills/listings/{listing_id}", response=ListingOut, summary="One offer or need")
def get_listing(request: HttpRequest, listing_id: int) -> ListingOut:
    _use(request)
    return _listing(selectors.get_listing_for_user(request.user, listing_id))


def _merged(listing: Listing, changes: dict[str, Any]) -> dict[str, Any]:
    """The listing's fields with the changes sent; an amount that no longer fits the terms sent
    is dropped unless sent too."""
    fields: dict[str, Any] = {
        "nature": listing.nature,
        "category": listing.category,
        "title": listing.title,
        "description": listing.description,
        "commune": listing.commune,
        "availability": listing.availability,
        "terms": listing.terms,
        "minutes": listing.minutes,
        "price_cents": listing.price_cents,
        "notify": listing.notify,
    }
    if "commune" in changes:
        changes["commune"] = _commune(changes["commune"] or "")
    fields.update(changes)
    if "terms" in changes:
        if fields["terms"] != Terms.HOURS and "minutes" not in changes:
            fields["minutes"] = None
        if fields["terms"] != Terms.EUROS and "price_cents" not in changes:
            fields["price_cents"] = None
    for name in ("nature", "category", "title", "description", "availability", "terms", "notify"):
        if fields[name] is None:
            fields[name] = getattr(listing, name)
    return fields


@router.patch(
    "/skills/listings/{listing_id}",
    response={200: ListingOut, 403: Refusal, 422: Refusal},
    summary="Change an offer or a need (its organisation's people; the coordinator)",
)
def update_listing(request: HttpRequest, listing_id: int, payload: ListingPatch) -> Status[ListingOut | Refusal]:
    _use(request)
    listing = selectors.get_listing_for_user(request.user, listing_id)
    try:
        listing = services.listing_update(
            actor=request.user,  # type: ignore[arg-type]
            listing=listing,
            **_merged(listing, payload.model_dump(exclude_unset=True)),
        )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _listing(listing))


@router.post(
    "/skills/listings/{listing_id}/close",
    response={200: ListingOut, 403: Refusal, 422: Refusal},
    summary="Close an offer or a need",
)
def close_listing(request: HttpRequest, listing_id: int) -> Status[ListingOut | Refusal]:
    _use(request)
    listing = selectors.get_listing_for_user(request.user, listing_id)
    try:
        listing = services.listing_close(actor=request.user, listing=listing)  # type: ignore[arg-type]
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _listing(listing))


@router.get(
    "/skills/needs/{listing_id}/matches",
    response=list[MatchOut],
    summary="The open offers that match a need, best first, with their score",
)
def list_need_matches(request: HttpRequest, listing_id: int, limit: int = 20) -> list[MatchOut]:
    _use(request)
    need = selectors.get_listing_for_user(request.user, listing_id)
    if need.direction != Direction.NEED:
        raise HttpError(404, "This listing is an offer, not a need.")
    return [
        MatchOut(
            offer=_listing(match.offer),
            score=match.score,
            text_score=match.text_score,
            same_category=match.same_category,
            distance_km=match.distance_km,
        )
        for match in matching.matches_for(need, limit=max(1, min(limit, 100)))
    ]
