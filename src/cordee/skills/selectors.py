"""Reads of the skills exchange: browsing offers and needs, fetching one for a user, and the
suggestions a member sees for its own needs."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cordee.core import permissions
from cordee.core.errors import NotAllowed
from cordee.lib.stemming import stems
from cordee.network.models import Membership, Organisation
from cordee.skills import matching
from cordee.skills.models import Direction, Exchange, Listing


def _with_relations(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    return queryset.select_related("organisation", "commune")


def listings_for(
    user: Any,
    *,
    direction: str,
    category: str | None = None,
    query: str | None = None,
    commune: str | None = None,
    terms: str | None = None,
    nature: str | None = None,
) -> QuerySet[Listing]:
    """The open offers or needs of the hub's active members, newest first, filtered. The text
    filter keeps the listings that have every word of `query`, compared stem by stem, accents and
    case aside (a stem found inside a longer one counts: "compta" finds "comptabilité")."""
    if not permissions.can_use_skills(user):
        raise NotAllowed
    listings = Listing.objects.filter(
        direction=direction, state=Listing.State.OPEN, organisation__membership__status=Membership.Status.ACTIVE
    )
    if category:
        listings = listings.filter(category=category)
    if nature:
        listings = listings.filter(nature=nature)
    if terms:
        listings = listings.filter(terms=terms)
    if commune:
        listings = listings.filter(commune_id=commune)
    for stem in dict.fromkeys(stems(query or "")):
        listings = listings.filter(search_text__contains=stem)
    return _with_relations(listings)


def get_listing_for_user(user: Any, pk: int) -> Listing:
    """A listing for its page: an open one of an active member, for anyone of the skills exchange;
    a closed one (or one of an organisation that left) for its own people, the coordinator and the
    people of the other side of an exchange made on it. Http404 for anyone else."""
    if not permissions.can_use_skills(user):
        raise Http404
    listing = _with_relations(Listing.objects.filter(pk=pk)).select_related("organisation__membership").first()
    if listing is None:
        raise Http404
    if listing.state == Listing.State.OPEN and listing.organisation.membership.status == Membership.Status.ACTIVE:
        return listing
    if permissions.can_edit_listing(user, listing) or _took_part_in_exchange_on(user, listing):
        return listing
    raise Http404


def _took_part_in_exchange_on(user: Any, listing: Listing) -> bool:
    organisations = list(permissions.actor_for(user).organisations)
    if not organisations:
        return False
    return (
        Exchange.objects.filter(Q(offer=listing) | Q(need=listing))
        .filter(Q(giver_id__in=organisations) | Q(receiver_id__in=organisations))
        .exists()
    )


def organisations_posting_for(user: Any) -> QuerySet[Organisation]:
    """The active member organisations in whose name this user may post."""
    organisations = [
        pk for pk in permissions.actor_for(user).organisations if permissions.can_post_listing_for(user, pk)
    ]
    return Organisation.objects.filter(pk__in=organisations, membership__status=Membership.Status.ACTIVE).order_by(
        "sort_name"
    )


def my_listings(user: Any) -> QuerySet[Listing]:
    """The offers and needs of the user's organisations, open first, then newest."""
    organisations = list(permissions.actor_for(user).organisations)
    return _with_relations(Listing.objects.filter(organisation_id__in=organisations)).order_by(
        "-state", "-created_at", "-pk"
    )


def my_needs_with_suggestions(user: Any, *, per_need: int = 3) -> list[tuple[Listing, list[matching.Match]]]:
    """Each open need of the user's organisations with its best matching offers."""
    organisations = list(permissions.actor_for(user).organisations)
    needs = _with_relations(
        Listing.objects.filter(organisation_id__in=organisations, direction=Direction.NEED, state=Listing.State.OPEN)
    )
    return [(need, matching.matches_for(need, limit=per_need)) for need in needs]
