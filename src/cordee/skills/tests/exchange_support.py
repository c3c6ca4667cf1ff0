"""What the exchange tests share: listings written straight with the ORM (the listing services are
another part's), and exchanges brought to a given state through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cordee.core.models import User
from cordee.core.testing import Actors
from cordee.network.models import Commune, Organisation
from cordee.skills.models import Direction, Exchange, Listing, Terms
from cordee.skills.services import exchanges as services


def make_listing(
    organisation: Organisation,
    *,
    direction: str = Direction.OFFER,
    terms: str = Terms.HOURS,
    minutes: int | None = None,
    price_cents: int | None = None,
    title: str = "Aide à la comptabilité associative",
    author: User | None = None,
    **fields: Any,
) -> Listing:
    if terms == Terms.HOURS and minutes is None:
        minutes = 120
    if terms == Terms.EUROS and price_cents is None:
        price_cents = 15_000
    return Listing.objects.create(
        direction=direction,
        organisation=organisation,
        author=author,
        nature=fields.pop("nature", "skill"),
        category=fields.pop("category", "accounting"),
        title=title,
        description=fields.pop("description", "Tenue des comptes, préparation du bilan."),
        commune=Commune.objects.get(pk=fields.pop("commune", "05061")),
        terms=terms,
        minutes=minutes,
        price_cents=price_cents,
        **fields,
    )


def proposed(
    actors: Actors,
    *,
    terms: str = Terms.HOURS,
    minutes: int | None = 120,
    price_cents: int | None = None,
    giver: str = "b",
) -> Exchange:
    """An exchange proposed by A on B's offer (B gives, A receives), or on B's need (A gives)."""
    listing = make_listing(
        actors.org_b,
        direction=Direction.OFFER if giver == "b" else Direction.NEED,
        terms=terms,
        minutes=minutes if terms == Terms.HOURS else None,
        price_cents=price_cents if terms == Terms.EUROS else None,
        author=actors.member_admin_b,
    )
    return services.exchange_propose(
        actor=actors.member_admin_a, organisation=actors.org_a, listing=listing, description="Un coup de main"
    )


def accepted(actors: Actors, **kwargs: Any) -> Exchange:
    exchange = proposed(actors, **kwargs)
    return services.exchange_accept(actor=actors.member_admin_b, exchange=exchange)


def done(actors: Actors, *, done_on: dt.date | None = None, **kwargs: Any) -> Exchange:
    exchange = accepted(actors, **kwargs)
    services.exchange_confirm(
        actor=actors.member_admin_a, exchange=exchange, organisation=actors.org_a, done_on=done_on
    )
    return services.exchange_confirm(actor=actors.member_admin_b, exchange=exchange, organisation=actors.org_b)
