"""Reads on exchanges, scoped to who asks: the people of the two organisations and the coordinator
see an exchange; anyone else is told it does not exist."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cordee.core import permissions
from cordee.network.models import Organisation
from cordee.skills import selectors as listing_selectors
from cordee.skills.models import Exchange, Listing


def exchanges_for(user: Any) -> QuerySet[Exchange]:
    queryset = Exchange.objects.select_related("giver", "receiver", "offer", "need", "proposed_by_organisation")
    mine = permissions.exchange_scope(user)
    if mine is None:
        return queryset
    return queryset.filter(Q(giver_id__in=mine) | Q(receiver_id__in=mine))


def get_exchange_for_user(user: Any, pk: int) -> Exchange:
    exchange = exchanges_for(user).select_related("invoice").filter(pk=pk).first()
    if exchange is None or not permissions.can_see_exchange(user, exchange):
        raise Http404
    return exchange


def get_listing_for_proposal(user: Any, pk: int) -> Listing:
    """A listing to propose an exchange on: whoever may see its page (see `selectors`)."""
    return listing_selectors.get_listing_for_user(user, pk)


def proposing_organisations(user: Any, listing: Listing) -> QuerySet[Organisation]:
    """The organisations this person may speak for on this listing: those it may post for, but the
    listing's own."""
    return listing_selectors.organisations_posting_for(user).exclude(pk=listing.organisation_id)


def acting_sides(user: Any, exchange: Exchange) -> list[Organisation]:
    """The sides of the exchange this person may act for (a person of both may act for each)."""
    return [
        side
        for side in (exchange.giver, exchange.receiver)
        if permissions.can_act_in_exchange_for(user, exchange, side.pk)
    ]


def time_credit_organisations(user: Any) -> QuerySet[Organisation]:
    """Whose time credits this person sees: every member for the hub's books, else their own."""
    queryset = Organisation.objects.select_related("membership").order_by("sort_name", "pk")
    if permissions.can_view_ledger(user):
        return queryset.filter(membership__status__in=("active", "suspended", "left"))
    return queryset.filter(pk__in=set(permissions.actor_for(user).organisations))


def get_organisation_for_credits(user: Any, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not permissions.can_see_time_credits_of(user, organisation.pk):
        raise Http404
    return organisation
