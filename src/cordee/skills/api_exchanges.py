"""The exchanges API: propose, accept, confirm, cancel, review; time-credit balances; who helped whom.

The same services as the pages: an exchange is seen by the people of its two organisations and the
coordinator (anyone else gets 404); a refusal is a 403 (not allowed) or 422 (the rule it breaks)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal, refusal_status
from cordee.core.errors import DomainError
from cordee.network.models import Organisation
from cordee.skills import cooperation, credits
from cordee.skills import selectors_exchanges as selectors
from cordee.skills.models import Exchange, Terms
from cordee.skills.services import exchanges as services

router = Router(tags=["skills"], auth=django_auth)


_refusal = refusal
_status = refusal_status


class ReviewOut(Schema):
    organisation_id: int
    rating: int
    testimony: str


class ExchangeOut(Schema):
    id: int
    state: str
    giver_id: int
    receiver_id: int
    proposed_by_organisation_id: int
    offer_id: int | None
    need_id: int | None
    description: str
    terms: str
    minutes: int | None
    price_cents: int | None
    proposed_at: dt.datetime
    accepted_at: dt.datetime | None
    giver_confirmed_at: dt.datetime | None
    receiver_confirmed_at: dt.datetime | None
    done_on: dt.date | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    transfer_id: str | None = Field(description="First transfer of the time credits' chain on the HOURS ledger")
    invoice_id: int | None
    reviews: list[ReviewOut]


class ProposeIn(Schema):
    organisation_id: int = Field(description="The organisation you propose for")
    listing_id: int
    description: str = ""
    terms: Terms | None = Field(None, description="The listing's when left out")
    minutes: int | None = Field(None, description="For terms 'hours'")
    price_cents: int | None = Field(None, description="For terms 'euros', invoiced without VAT")


class SideIn(Schema):
    organisation_id: int = Field(description="The side you act for")


class ConfirmIn(SideIn):
    done_on: dt.date | None = Field(None, description="Today when left out")


class CancelIn(SideIn):
    reason: str


class ReviewIn(SideIn):
    rating: int = Field(description="1 to 5")
    testimony: str = ""


class CreditOut(Schema):
    organisation_id: int
    organisation: str
    balance_minutes: int
    floor_minutes: int
    ceiling_minutes: int
    custom: bool


class CooperationOut(Schema):
    giver: str | None = Field(description="None: an organisation hidden from you")
    receiver: str | None
    exchanges: int
    minutes: int | None = Field(description="Only for your own organisations' pairs (and the hub's books)")
    cents: int | None
    last_on: dt.date | None


def _exchange(exchange: Exchange) -> ExchangeOut:
    return ExchangeOut(
        id=exchange.pk,
        state=exchange.state,
        giver_id=exchange.giver_id,
        receiver_id=exchange.receiver_id,
        proposed_by_organisation_id=exchange.proposed_by_organisation_id,
        offer_id=exchange.offer_id,
        need_id=exchange.need_id,
        description=exchange.description,
        terms=exchange.terms,
        minutes=exchange.minutes,
        price_cents=exchange.price_cents,
        proposed_at=exchange.proposed_at,
        accepted_at=exchange.accepted_at,
        giver_confirmed_at=exchange.giver_confirmed_at,
        receiver_confirmed_at=exchange.receiver_confirmed_at,
        done_on=exchange.done_on,
        cancelled_at=exchange.cancelled_at,
        cancel_reason=exchange.cancel_reason,
        transfer_id=str(exchange.transfer_id) if exchange.transfer_id else None,
        invoice_id=exchange.invoice_id,
        reviews=[
            ReviewOut(organisation_id=r.organisation_id, rating=r.rating, testimony=r.testimony)
            for r in exchange.reviews.all()
        ],
    )


def _use(request: HttpRequest) -> None:
    if not permissions.can_use_skills(request.user):
        raise HttpError(403, "The skills exchange is for the people of member organisations and the hub's roles.")


def _organisation(pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise HttpError(404, "organisation_id: no such organisation.")
    return organisation


@router.get("/skills/exchanges", response=list[ExchangeOut], summary="Exchanges of your organisations, newest first")
def list_exchanges(request: HttpRequest, state: Exchange.State | None = None) -> list[ExchangeOut]:
    _use(request)
    rows = selectors.exchanges_for(request.user).prefetch_related("reviews").order_by("-proposed_at", "-pk")
    if state:
        rows = rows.filter(state=state)
    return [_exchange(exchange) for exchange in rows[:500]]


@router.post(
    "/skills/exchanges",
    response={201: ExchangeOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Propose an exchange on a listing, in the name of one of your organisations",
)
def propose_exchange(request: HttpRequest, payload: ProposeIn) -> Status[ExchangeOut | Refusal]:
    _use(request)
    listing = selectors.get_listing_for_proposal(request.user, payload.listing_id)
    try:
        exchange = services.exchange_propose(
            actor=request.user,  # type: ignore[arg-type]
            organisation=_organisation(payload.organisation_id),
            listing=listing,
            description=payload.description,
            terms=payload.terms,
            minutes=payload.minutes,
            price_cents=payload.price_cents,
        )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(201, _exchange(exchange))


@router.get("/skills/exchanges/{exchange_id}", response=ExchangeOut, summary="One exchange and its reviews")
def get_exchange(request: HttpRequest, exchange_id: int) -> ExchangeOut:
    _use(request)
    return _exchange(selectors.get_exchange_for_user(request.user, exchange_id))


@router.post(
    "/skills/exchanges/{exchange_id}/accept",
    response={200: ExchangeOut, 403: Refusal, 422: Refusal},
    summary="Accept an exchange proposed to your organisation",
)
def accept_exchange(request: HttpRequest, exchange_id: int) -> Status[ExchangeOut | Refusal]:
    _use(request)
    exchange = selectors.get_exchange_for_user(request.user, exchange_id)
    try:
        exchange = services.exchange_accept(actor=request.user, exchange=exchange)  # type: ignore[arg-type]
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _exchange(exchange))


@router.post(
    "/skills/exchanges/{exchange_id}/confirm",
    response={200: ExchangeOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Confirm, for one side, that the exchange took place; the second confirmation makes it done",
)
def confirm_exchange(request: HttpRequest, exchange_id: int, payload: ConfirmIn) -> Status[ExchangeOut | Refusal]:
    _use(request)
    exchange = selectors.get_exchange_for_user(request.user, exchange_id)
    try:
        exchange = services.exchange_confirm(
            actor=request.user,  # type: ignore[arg-type]
            exchange=exchange,
            organisation=_organisation(payload.organisation_id),
            done_on=payload.done_on,
        )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _exchange(exchange))


@router.post(
    "/skills/exchanges/{exchange_id}/cancel",
    response={200: ExchangeOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Call off an exchange before it is done, for one side, with a reason",
)
def cancel_exchange(request: HttpRequest, exchange_id: int, payload: CancelIn) -> Status[ExchangeOut | Refusal]:
    _use(request)
    exchange = selectors.get_exchange_for_user(request.user, exchange_id)
    try:
        exchange = services.exchange_cancel(
            actor=request.user,  # type: ignore[arg-type]
            exchange=exchange,
            organisation=_organisation(payload.organisation_id),
            reason=payload.reason,
        )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(200, _exchange(exchange))


@router.post(
    "/skills/exchanges/{exchange_id}/review",
    response={201: ReviewOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Rate a done exchange (1 to 5) with a short testimony, once per side",
)
def review_exchange(request: HttpRequest, exchange_id: int, payload: ReviewIn) -> Status[ReviewOut | Refusal]:
    _use(request)
    exchange = selectors.get_exchange_for_user(request.user, exchange_id)
    try:
        review = services.review_create(
            actor=request.user,  # type: ignore[arg-type]
            exchange=exchange,
            organisation=_organisation(payload.organisation_id),
            rating=payload.rating,
            testimony=payload.testimony,
        )
    except DomainError as error:
        return Status(_status(error), _refusal(error))
    return Status(
        201, ReviewOut(organisation_id=review.organisation_id, rating=review.rating, testimony=review.testimony)
    )


@router.get("/skills/credits", response=list[CreditOut], summary="Time-credit balances and bounds you may see")
def list_time_credits(request: HttpRequest) -> list[CreditOut]:
    _use(request)
    organisations = list(selectors.time_credit_organisations(request.user))
    return [
        CreditOut(
            organisation_id=row.organisation.pk,
            organisation=row.organisation.name,
            balance_minutes=row.balance_minutes,
            floor_minutes=row.floor_minutes,
            ceiling_minutes=row.ceiling_minutes,
            custom=row.custom,
        )
        for row in credits.positions(organisations)
    ]


@router.get("/skills/cooperations", response=list[CooperationOut], summary="Who helped whom: exchanges done, by pair")
def list_cooperations(
    request: HttpRequest, since: dt.date | None = None, until: dt.date | None = None
) -> list[CooperationOut]:
    _use(request)
    return [
        CooperationOut(
            giver=row.giver.name if row.giver else None,
            receiver=row.receiver.name if row.receiver else None,
            exchanges=row.exchanges,
            minutes=row.minutes,
            cents=row.cents,
            last_on=row.last_on,
        )
        for row in cooperation.rows_for(request.user, since=since, until=until)
    ]
