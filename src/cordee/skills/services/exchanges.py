"""The life of an exchange: proposed, accepted, done once both sides confirmed it, or cancelled;
then each side's review.

Whoever proposes speaks for one organisation: from an offer it receives what the listing gives,
from a need it gives what the listing looks for. The other side accepts. Each side then confirms
that the exchange took place, once; the second confirmation makes it done in the same
transaction: in hours, the credits move on the HOURS ledger (see `cordee.skills.credits`); in
euros, the giver issues an internal invoice to the receiver.

VAT of an exchange in euros: the price agreed is the amount invoiced, with no VAT on top. Exchanges
between members of the hub are occasional help between organisations of the social economy, most
of them associations outside the scope of VAT or under the basic exemption; the invoice carries the
mention of the basic exemption (article 293 B of the Code général des impôts). An organisation
liable to VAT on such a service invoices it from the invoicing pages instead, with its VAT.

Each service locks the exchange row first (`select_for_update`), so two confirmations at the same
moment make one transfer: the second waits for the first and finds the exchange done.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.core.models import User
from cordee.invoicing import services as invoicing
from cordee.invoicing.models import Exemption
from cordee.invoicing.rules import short_date
from cordee.invoicing.totals import LineData
from cordee.network.models import Affiliation, Membership, Organisation
from cordee.skills import credits
from cordee.skills.models import Direction, Exchange, Listing, Review, Terms

MAX_DESCRIPTION = 2000
MAX_REASON = 300
MAX_TESTIMONY = 600
MAX_MINUTES = 1000 * 60  # one exchange of more than 1,000 hours is a typing error
MAX_PRICE_CENTS = 10**9  # 10 million euros
PAYMENT_DAYS = 30
VAT_EXEMPTION = Exemption.FRANCHISE


def _refuse_unless(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message)


def _locked(exchange: Exchange) -> Exchange:
    # Lock the exchange row only: the optional listings are outer joins, which PostgreSQL will not lock.
    return (
        Exchange.objects.select_for_update(of=("self",))
        .select_related("giver", "receiver", "offer", "need", "proposed_by_organisation")
        .get(pk=exchange.pk)
    )


def _side(exchange: Exchange, organisation: Organisation) -> str:
    if organisation.pk == exchange.giver_id:
        return "giver"
    if organisation.pk == exchange.receiver_id:
        return "receiver"
    raise DomainError(
        _("%(name)s is not a party to this exchange.") % {"name": organisation.name},
        field="organisation",
        code="not_a_party",
    )


def other_side(exchange: Exchange, organisation_id: int) -> Organisation:
    return exchange.receiver if organisation_id == exchange.giver_id else exchange.giver


def _check_terms(terms: str, minutes: Any, price_cents: Any) -> tuple[int | None, int | None]:
    if terms not in Terms.values:
        raise DomainError(_("Choose free, time credits or a price in euros."), field="terms", code="terms")
    if terms == Terms.HOURS:
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise DomainError(
                _("An exchange in time credits needs a duration of more than zero."), field="minutes", code="minutes"
            )
        if minutes > MAX_MINUTES:
            raise DomainError(_("An exchange lasts 1,000 hours at most."), field="minutes", code="minutes")
        return minutes, None
    if terms == Terms.EUROS:
        if isinstance(price_cents, bool) or not isinstance(price_cents, int) or price_cents <= 0:
            raise DomainError(
                _("An exchange in euros needs a price of more than zero."), field="price_cents", code="price"
            )
        if price_cents > MAX_PRICE_CENTS:
            raise DomainError(_("The price is at most 10,000,000 €."), field="price_cents", code="price")
        return None, price_cents
    return None, None


def _people_to_tell(exchange: Exchange, organisation: Organisation) -> list[str]:
    """The member admins of the organisation, and the person who spoke for it in this exchange (the
    listing's author, or the proposer)."""
    people = User.objects.filter(is_active=True, erased_at__isnull=True)
    # One filter call: the organisation and the role must be those of the same affiliation.
    admins = people.filter(affiliations__organisation=organisation, affiliations__role=Affiliation.Role.ADMIN)
    emails = set(admins.values_list("email", flat=True))
    listing = exchange.offer or exchange.need
    speakers = []
    if listing is not None and listing.organisation_id == organisation.pk and listing.author_id:
        speakers.append(listing.author_id)
    if exchange.proposed_by_organisation_id == organisation.pk and exchange.proposed_by_id:
        speakers.append(exchange.proposed_by_id)
    if speakers:
        speaking = people.filter(pk__in=speakers, affiliations__organisation=organisation)
        emails |= set(speaking.values_list("email", flat=True))
    return sorted(email for email in emails if email)


def _tell(exchange: Exchange, organisation: Organisation, template: str, **context: Any) -> None:
    email_after_commit(
        to=_people_to_tell(exchange, organisation),
        template=f"skills/email/exchange_{template}",
        context={
            "exchange": exchange,
            "organisation": organisation,
            "other": other_side(exchange, organisation.pk),
            "url": settings.SITE_URL + reverse("skills:exchange", args=[exchange.pk]),
            **context,
        },
    )


# --- Proposing and accepting ---------------------------------------------------------------


@transaction.atomic(durable=True)
def exchange_propose(
    *,
    actor: User,
    organisation: Organisation,
    listing: Listing,
    description: str,
    terms: str | None = None,
    minutes: int | None = None,
    price_cents: int | None = None,
) -> Exchange:
    """Propose an exchange on a listing, in the name of `organisation`: from an offer it receives,
    from a need it gives. Terms left out are the listing's."""
    _refuse_unless(
        permissions.can_post_listing_for(actor, organisation.pk),
        _("You may propose exchanges only in the name of your own organisations."),
    )
    listing = Listing.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=listing.pk)
    if listing.state != Listing.State.OPEN:
        raise DomainError(_("This listing is closed: it takes no more proposals."), field="listing", code="closed")
    for party, field in ((organisation, "organisation"), (listing.organisation, "listing")):
        if Membership.objects.filter(organisation=party, status=Membership.Status.ACTIVE).exists():
            continue
        raise DomainError(
            _("%(name)s is not an active member of the hub: it cannot take part in an exchange.")
            % {"name": party.name},
            field=field,
            code="not_active",
        )
    if listing.organisation_id == organisation.pk:
        raise DomainError(
            _("%(name)s published this listing: an organisation does not exchange with itself.")
            % {"name": organisation.name},
            field="organisation",
            code="oneself",
        )
    if terms is None:
        terms = listing.terms
        if minutes is None and price_cents is None:
            minutes, price_cents = listing.minutes, listing.price_cents
    minutes, price_cents = _check_terms(terms, minutes, price_cents)
    description = (description or "").strip() or listing.title
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(
            _("At most %(max)s characters.") % {"max": MAX_DESCRIPTION}, field="description", code="too_long"
        )
    offer = listing.direction == Direction.OFFER
    exchange = Exchange(
        offer=listing if offer else None,
        need=None if offer else listing,
        giver=listing.organisation if offer else organisation,
        receiver=organisation if offer else listing.organisation,
        description=description,
        terms=terms,
        minutes=minutes,
        price_cents=price_cents,
        proposed_by=actor,
        proposed_by_organisation=organisation,
    )
    _refuse_unless(
        permissions.can_act_in_exchange_for(actor, exchange, organisation.pk),
        _("Committing your organisation to pay in euros is for its member admins."),
    )
    if terms == Terms.HOURS:
        assert minutes is not None
        credits.check_room(giver=exchange.giver, receiver=exchange.receiver, minutes=minutes)
    exchange.save()
    audit(
        actor=actor,
        action="skills.exchange.propose",
        target=exchange,
        listing=listing.pk,
        terms=terms,
        minutes=minutes,
        price_cents=price_cents,
    )
    _tell(exchange, listing.organisation, "proposed")
    return exchange


def _state_error(exchange: Exchange, doing: str) -> DomainError:
    return DomainError(
        _("This exchange is %(state)s: it cannot be %(doing)s.")
        % {"state": exchange.get_state_display(), "doing": doing},
        field="state",
        code="state",
    )


@transaction.atomic(durable=True)
def exchange_accept(*, actor: User, exchange: Exchange) -> Exchange:
    """The side that did not propose agrees. In hours, its floor or the giver's ceiling is checked now,
    so that a refusal comes before the work is done."""
    exchange = _locked(exchange)
    accepting = other_side(exchange, exchange.proposed_by_organisation_id)
    _refuse_unless(
        permissions.can_act_in_exchange_for(actor, exchange, accepting.pk),
        _("Only the people of %(name)s can accept this exchange.") % {"name": accepting.name},
    )
    if exchange.state != Exchange.State.PROPOSED:
        raise _state_error(exchange, pgettext("exchange action", "accepted"))
    if exchange.terms == Terms.HOURS:
        assert exchange.minutes is not None
        credits.check_room(giver=exchange.giver, receiver=exchange.receiver, minutes=exchange.minutes)
    exchange.state = Exchange.State.ACCEPTED
    exchange.accepted_at = timezone.now()
    exchange.save(update_fields=["state", "accepted_at"])
    audit(actor=actor, action="skills.exchange.accept", target=exchange, organisation=accepting.pk)
    _tell(exchange, exchange.proposed_by_organisation, "accepted")
    return exchange


# --- Confirming: the exchange is done ------------------------------------------------------


def _label(exchange: Exchange) -> str:
    return f"Échange n° {exchange.pk} — {exchange.giver.name} → {exchange.receiver.name}"


def _invoice(exchange: Exchange, today: dt.date) -> Any:
    assert exchange.done_on is not None and exchange.price_cents is not None
    title = exchange.description.splitlines()[0].strip() if exchange.description.strip() else ""
    label = f"Échange de compétences n° {exchange.pk} : {title}"[:200]
    return invoicing.invoice_create_issued(
        issuer=exchange.giver,
        recipient=exchange.receiver,
        lines=[
            LineData(
                label=label,
                quantity=Decimal(1),
                unit_price_cents=exchange.price_cents,
                vat_rate=0,
                vat_exemption=VAT_EXEMPTION,
            )
        ],
        issue_date=today,
        due_date=today + dt.timedelta(days=PAYMENT_DAYS),
        source=f"exchange:{exchange.pk}",
        notes=f"Échange de compétences réalisé le {exchange.done_on.strftime('%d/%m/%Y')}, "
        f"confirmé par les deux structures sur la plateforme du pôle.",
    )


def _make_done(exchange: Exchange) -> None:
    today = timezone.localdate()
    assert exchange.done_on is not None
    if exchange.terms == Terms.HOURS:
        assert exchange.minutes is not None
        exchange.transfer_id = credits.post_exchange(
            pk=exchange.pk,
            giver=exchange.giver,
            receiver=exchange.receiver,
            minutes=exchange.minutes,
            value_date=exchange.done_on,
            label=_label(exchange),
        )
    elif exchange.terms == Terms.EUROS:
        exchange.invoice = _invoice(exchange, today)
    exchange.state = Exchange.State.DONE


@transaction.atomic(durable=True)
def exchange_confirm(
    *, actor: User, exchange: Exchange, organisation: Organisation, done_on: dt.date | None = None
) -> Exchange:
    """One side says the exchange took place (on `done_on`, today if left out). The second side's
    confirmation makes it done: credits moved or invoice issued, in this same transaction."""
    exchange = _locked(exchange)
    side = _side(exchange, organisation)
    _refuse_unless(permissions.can_act_in_exchange_for(actor, exchange, organisation.pk))
    if exchange.state != Exchange.State.ACCEPTED:
        raise _state_error(exchange, pgettext("exchange action", "confirmed"))
    confirmed_field = f"{side}_confirmed_at"
    if getattr(exchange, confirmed_field) is not None:
        raise DomainError(
            _("%(name)s has already confirmed this exchange; the other side's confirmation is awaited.")
            % {"name": organisation.name},
            field="organisation",
            code="already_confirmed",
        )
    today = timezone.localdate()
    if done_on is not None:
        if done_on > today:
            raise DomainError(_("The exchange cannot be done in the future."), field="done_on", code="future")
        if done_on < timezone.localdate(exchange.proposed_at):
            raise DomainError(
                _("The exchange cannot be done before it was proposed (%(date)s).")
                % {"date": short_date(timezone.localdate(exchange.proposed_at))},
                field="done_on",
                code="before_proposal",
            )
        exchange.done_on = done_on
    elif exchange.done_on is None:
        exchange.done_on = today
    setattr(exchange, confirmed_field, timezone.now())
    both = exchange.giver_confirmed_at is not None and exchange.receiver_confirmed_at is not None
    if both:
        _make_done(exchange)
    exchange.save(
        update_fields=[confirmed_field, "done_on", "state", "transfer_id", "invoice"]
        if both
        else [confirmed_field, "done_on"]
    )
    audit(
        actor=actor,
        action="skills.exchange.done" if both else "skills.exchange.confirm",
        target=exchange,
        organisation=organisation.pk,
        done_on=exchange.done_on.isoformat(),
        transfer_id=str(exchange.transfer_id) if exchange.transfer_id else None,
        invoice=exchange.invoice_id,
    )
    other = other_side(exchange, organisation.pk)
    _tell(exchange, other, "done" if both else "confirmed", confirmed_by=organisation)
    return exchange


# --- Cancelling and reviewing --------------------------------------------------------------


@transaction.atomic(durable=True)
def exchange_cancel(*, actor: User, exchange: Exchange, organisation: Organisation, reason: str) -> Exchange:
    """Either side calls the exchange off before it is done (a proposal declined, a plan changed)."""
    exchange = _locked(exchange)
    _side(exchange, organisation)
    _refuse_unless(permissions.can_act_in_exchange_for(actor, exchange, organisation.pk))
    if exchange.state not in (Exchange.State.PROPOSED, Exchange.State.ACCEPTED):
        raise _state_error(exchange, pgettext("exchange action", "cancelled"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why, for the other side."), field="reason", code="required")
    if len(reason) > MAX_REASON:
        raise DomainError(_("At most %(max)s characters.") % {"max": MAX_REASON}, field="reason", code="too_long")
    exchange.state = Exchange.State.CANCELLED
    exchange.cancelled_at = timezone.now()
    exchange.cancel_reason = reason
    exchange.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    audit(actor=actor, action="skills.exchange.cancel", target=exchange, organisation=organisation.pk, reason=reason)
    _tell(exchange, other_side(exchange, organisation.pk), "cancelled", cancelled_by=organisation)
    return exchange


@transaction.atomic(durable=True)
def review_create(
    *, actor: User, exchange: Exchange, organisation: Organisation, rating: int, testimony: str = ""
) -> Review:
    """One side's rating (1 to 5) and short testimony, once the exchange is done; one per side."""
    exchange = _locked(exchange)
    _side(exchange, organisation)
    _refuse_unless(permissions.can_act_in_exchange_for(actor, exchange, organisation.pk))
    if exchange.state != Exchange.State.DONE:
        raise DomainError(_("An exchange is reviewed once it is done."), field="state", code="state")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Give a rating from 1 to 5."), field="rating", code="rating")
    testimony = (testimony or "").strip()
    if len(testimony) > MAX_TESTIMONY:
        raise DomainError(_("At most %(max)s characters.") % {"max": MAX_TESTIMONY}, field="testimony", code="too_long")
    if Review.objects.filter(exchange=exchange, organisation=organisation).exists():
        raise DomainError(
            _("%(name)s has already reviewed this exchange.") % {"name": organisation.name},
            field="organisation",
            code="already_reviewed",
        )
    review = Review.objects.create(
        exchange=exchange, organisation=organisation, author=actor, rating=rating, testimony=testimony
    )
    audit(actor=actor, action="skills.review.create", target=review, exchange=exchange.pk, rating=rating)
    _tell(exchange, other_side(exchange, organisation.pk), "reviewed", review=review)
    return review
