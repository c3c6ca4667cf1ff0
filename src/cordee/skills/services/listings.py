"""Offers and needs: posting, changing, closing and reopening them, and telling the members whose
needs a new offer answers."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit, is_silenced
from cordee.core.models import User
from cordee.lib.stemming import stems
from cordee.network.models import Commune, Membership, Organisation
from cordee.skills import matching
from cordee.skills.models import Category, Direction, Listing, Nature, Terms

TITLE_MIN_LENGTH = 3
MAX_MINUTES = 100 * 60  # 100 hours: more is no longer a favour between members but a contract
MAX_PRICE_CENTS = 10_000_000  # 100 000 €
LISTING_FIELDS = (
    "nature",
    "category",
    "title",
    "description",
    "commune",
    "availability",
    "terms",
    "minutes",
    "price_cents",
    "notify",
)


def search_text_for(title: str, description: str) -> str:
    """The title's stems on the first line, the description's on the second: matching weighs
    words of the title more (see `cordee.skills.matching`)."""
    return " ".join(stems(title)) + "\n" + " ".join(stems(description))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clean(
    *,
    nature: str,
    category: str,
    title: str,
    description: str,
    commune: Commune | None,
    availability: str,
    terms: str,
    minutes: int | None,
    price_cents: int | None,
    notify: bool,
) -> dict[str, Any]:
    """The fields of a listing checked and tidied, or the first rule broken, naming its field."""
    title = " ".join((title or "").split())
    description = (description or "").strip()
    availability = " ".join((availability or "").split())
    if nature not in Nature.values:
        raise DomainError(_("Choose what is offered or looked for: a skill, equipment or a service."), field="nature")
    if category not in Category.values:
        raise DomainError(_("Choose a category from the list."), field="category")
    title_max = Listing._meta.get_field("title").max_length or 120
    if not TITLE_MIN_LENGTH <= len(title) <= title_max:
        raise DomainError(
            _("The title must be %(min)s to %(max)s characters long.") % {"min": TITLE_MIN_LENGTH, "max": title_max},
            field="title",
            code="length",
        )
    description_max = Listing._meta.get_field("description").max_length or 4000
    if not description:
        raise DomainError(_("Describe what is offered or looked for."), field="description", code="required")
    if len(description) > description_max:
        raise DomainError(
            _("The description must be at most %(max)s characters long.") % {"max": description_max},
            field="description",
            code="length",
        )
    availability_max = Listing._meta.get_field("availability").max_length or 200
    if len(availability) > availability_max:
        raise DomainError(
            _("The availability must be at most %(max)s characters long.") % {"max": availability_max},
            field="availability",
            code="length",
        )
    if commune is None:
        raise DomainError(_("Choose the commune where it takes place."), field="commune", code="required")
    if terms not in Terms.values:
        raise DomainError(_("Choose the terms: free, in time credits or at a price."), field="terms")
    if terms == Terms.HOURS:
        if not _is_int(minutes) or not 0 < minutes <= MAX_MINUTES:  # type: ignore[operator]
            raise DomainError(
                _("In time credits, give a duration of more than 0 and at most %(max)s hours.")
                % {"max": MAX_MINUTES // 60},
                field="minutes",
                code="terms",
            )
    elif minutes is not None:
        raise DomainError(
            _("A duration in time credits goes only with time-credit terms."), field="minutes", code="terms"
        )
    if terms == Terms.EUROS:
        if not _is_int(price_cents) or not 0 < price_cents <= MAX_PRICE_CENTS:  # type: ignore[operator]
            raise DomainError(
                _("At a price, give an amount of more than 0 and at most %(max)s euros.")
                % {"max": f"{MAX_PRICE_CENTS // 100:,}".replace(",", " ")},
                field="price_cents",
                code="terms",
            )
    elif price_cents is not None:
        raise DomainError(_("A price goes only with terms at a price in euros."), field="price_cents", code="terms")
    return {
        "nature": nature,
        "category": category,
        "title": title,
        "description": description,
        "commune": commune,
        "availability": availability,
        "terms": terms,
        "minutes": minutes,
        "price_cents": price_cents,
        "notify": bool(notify),
    }


def _check_active_member(organisation: Organisation) -> None:
    status = Membership.objects.filter(organisation=organisation).values_list("status", flat=True).first()
    if status != Membership.Status.ACTIVE:
        raise DomainError(
            _("%(name)s is not an active member of the hub: it cannot post offers or needs.")
            % {"name": organisation.name},
            field="organisation",
            code="not_member",
        )


@transaction.atomic(durable=True)
def listing_create(
    *,
    actor: User,
    organisation: Organisation,
    direction: str,
    nature: str,
    category: str,
    title: str,
    description: str,
    commune: Commune | None,
    availability: str = "",
    terms: str,
    minutes: int | None = None,
    price_cents: int | None = None,
    notify: bool = True,
) -> Listing:
    """Post an offer ("je mets à disposition") or a need ("je cherche") for one's organisation.
    A new offer is matched against the open needs of the network once it is saved."""
    if not permissions.can_post_listing_for(actor, organisation.pk):
        raise NotAllowed(_("Only the people of %(name)s can post in its name.") % {"name": organisation.name})
    if direction not in Direction.values:
        raise DomainError(_("Choose an offer or a need."), field="direction")
    _check_active_member(organisation)
    fields = _clean(
        nature=nature,
        category=category,
        title=title,
        description=description,
        commune=commune,
        availability=availability,
        terms=terms,
        minutes=minutes,
        price_cents=price_cents,
        notify=notify,
    )
    listing = Listing.objects.create(
        direction=direction,
        organisation=organisation,
        author=actor,
        search_text=search_text_for(fields["title"], fields["description"]),
        **fields,
    )
    audit(actor=actor, action=f"skills.{direction}.create", target=listing, title=listing.title, terms=listing.terms)
    if direction == Direction.OFFER:
        _notify_after_commit(listing)
    return listing


def _locked(listing: Listing) -> Listing:
    return Listing.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=listing.pk)


@transaction.atomic(durable=True)
def listing_update(
    *,
    actor: User,
    listing: Listing,
    nature: str,
    category: str,
    title: str,
    description: str,
    commune: Commune | None,
    availability: str = "",
    terms: str,
    minutes: int | None = None,
    price_cents: int | None = None,
    notify: bool = True,
) -> Listing:
    """Change every field of a listing but its direction and organisation."""
    listing = _locked(listing)
    if not permissions.can_edit_listing(actor, listing):
        raise NotAllowed()
    fields = _clean(
        nature=nature,
        category=category,
        title=title,
        description=description,
        commune=commune,
        availability=availability,
        terms=terms,
        minutes=minutes,
        price_cents=price_cents,
        notify=notify,
    )
    changed = sorted(name for name, value in fields.items() if getattr(listing, name) != value)
    for name, value in fields.items():
        setattr(listing, name, value)
    listing.search_text = search_text_for(listing.title, listing.description)
    listing.save()
    audit(actor=actor, action="skills.listing.update", target=listing, changed=changed)
    return listing


@transaction.atomic(durable=True)
def listing_close(*, actor: User, listing: Listing) -> Listing:
    """Take a listing off the exchange: found, given, or no longer needed."""
    listing = _locked(listing)
    if not permissions.can_edit_listing(actor, listing):
        raise NotAllowed()
    if listing.state != Listing.State.OPEN:
        raise DomainError(_("This listing is already closed."), field="state", code="state")
    listing.state = Listing.State.CLOSED
    listing.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="skills.listing.close", target=listing)
    return listing


@transaction.atomic(durable=True)
def listing_reopen(*, actor: User, listing: Listing) -> Listing:
    """Put a closed listing back on the exchange; a reopened offer is matched again."""
    listing = _locked(listing)
    if not permissions.can_edit_listing(actor, listing):
        raise NotAllowed()
    if listing.state != Listing.State.CLOSED:
        raise DomainError(_("This listing is already open."), field="state", code="state")
    _check_active_member(listing.organisation)
    listing.state = Listing.State.OPEN
    listing.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="skills.listing.reopen", target=listing)
    if listing.direction == Direction.OFFER:
        _notify_after_commit(listing)
    return listing


# --- Telling members of matching offers


def _notify_after_commit(offer: Listing) -> None:
    # Matching reads every open need: done after the commit, outside the write transaction, and
    # `robust` so that a failure there never undoes nor hides a listing that was saved.
    if is_silenced():  # the demo's loading: nobody would be written to
        return
    transaction.on_commit(lambda: notify_matching_needs(offer), robust=True)


def notify_matching_needs(offer: Listing) -> int:
    """E-mail the people of the organisations whose open needs (with notify on) `offer` answers
    well enough (see `matching.NOTIFY_THRESHOLD`): one e-mail per person, listing their needs
    concerned. Returns the number of e-mails asked for."""
    concerned: dict[int, list[tuple[Listing, matching.Match]]] = defaultdict(list)
    for need, match in matching.needs_matching(offer):
        if need.notify and match.text_score > 0 and match.score >= matching.NOTIFY_THRESHOLD:
            concerned[need.organisation_id].append((need, match))
    if not concerned:
        return 0
    people: dict[int, tuple[User, list[tuple[Listing, matching.Match]]]] = {}
    for person in (
        User.objects.filter(
            is_active=True,
            affiliations__organisation_id__in=concerned,
            affiliations__organisation__membership__status=Membership.Status.ACTIVE,
        )
        .exclude(email="")
        .prefetch_related("affiliations")
        .distinct()
        .order_by("pk")
    ):
        needs = [
            item
            for affiliation in person.affiliations.all()
            if affiliation.organisation_id in concerned
            for item in concerned[affiliation.organisation_id]
        ]
        people[person.pk] = (person, needs)
    for person, needs in people.values():
        email_after_commit(
            to=[person.email],
            template="skills/email/matching_offer",
            context={"person": person, "offer": offer, "needs": needs, "site_url": settings.SITE_URL},
        )
    return len(people)
