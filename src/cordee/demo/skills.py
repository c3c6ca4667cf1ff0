"""The demo hub's skills exchange, loaded through its services: the offers and needs of
`skills_data`, and exchanges in every state — done in time credits (so the HOURS ledger has its
transfers and `cordee verify_ledger` holds), done in euros (with their internal invoices), done for
free, accepted, proposed.

Like the treasury's demo, it runs after the rest of the demo has committed (the services are
durable transactions) and does nothing once the demo's first offer exists. The people of each
organisation act in its name; an organisation of the demo without anybody gets a member admin
made for it. No e-mail is sent while loading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cordee.core import permissions
from cordee.core.mail import silenced
from cordee.core.models import User
from cordee.demo.skills_data import EXCHANGES, NEEDS, OFFERS, DemoListing
from cordee.network.models import Affiliation, Organisation
from cordee.skills.models import Direction, Exchange, Listing
from cordee.skills.services.exchanges import exchange_accept, exchange_confirm, exchange_propose
from cordee.skills.services.listings import listing_create

PERSON_EMAIL = "competences.{slug}@demo.cordee.example"


@dataclass
class SkillsSummary:
    offers: int = 0
    needs: int = 0
    exchanges: int = 0
    people: int = 0  # people the skills exchange added to the demo
    listings_created: int = 0
    exchanges_created: int = 0
    people_created: int = 0

    @property
    def created(self) -> int:
        return self.listings_created + self.exchanges_created + self.people_created


def load_skills() -> SkillsSummary:
    """Load the demo's skills exchange unless it is there already. Call it outside any transaction."""
    summary = SkillsSummary()
    first = OFFERS[0]
    if not Listing.objects.filter(organisation__name=first.organisation, title=first.title).exists():
        with silenced():
            _Loader(summary).run()
    summary.offers = Listing.objects.filter(direction=Direction.OFFER).count()
    summary.needs = Listing.objects.filter(direction=Direction.NEED).count()
    summary.exchanges = Exchange.objects.count()
    summary.people = User.objects.filter(
        email__startswith="competences.", email__endswith="@demo.cordee.example"
    ).count()
    return summary


class _Loader:
    def __init__(self, summary: SkillsSummary) -> None:
        self.summary = summary
        self.today = timezone.localdate()
        self.people: dict[int, User] = {}

    def run(self) -> None:
        offers = [self._listing(entry, Direction.OFFER) for entry in OFFERS]
        needs = [self._listing(entry, Direction.NEED) for entry in NEEDS]
        for number, (offer_index, need_index, state) in enumerate(EXCHANGES):
            self._exchange(number, offers[offer_index], needs[need_index] if need_index is not None else None, state)

    def _person(self, organisation: Organisation) -> User:
        """Someone of the organisation: its demo login first, else its first member admin, else one
        made for the demo."""
        if organisation.pk in self.people:
            return self.people[organisation.pk]
        people = User.objects.filter(affiliations__organisation=organisation, is_active=True).order_by(
            "affiliations__role",
            "pk",  # "admin" before "member": paying in euros is for admins
        )
        person = people.filter(email__endswith="@demo.cordee.example").first() or people.first()
        if person is None:
            email = PERSON_EMAIL.format(slug=organisation.slug)
            person = User.objects.create_user(email=email, full_name=f"Référent·e {organisation.name}"[:150])
            Affiliation.objects.create(
                person=person, organisation=organisation, role=Affiliation.Role.ADMIN, position="Référent·e"
            )
            permissions.forget_actor(person)
            self.summary.people_created += 1
        self.people[organisation.pk] = person
        return person

    def _listing(self, entry: DemoListing, direction: str) -> Listing:
        organisation = Organisation.objects.select_related("commune").get(name=entry.organisation)
        terms = entry.terms[0]
        listing = listing_create(
            actor=self._person(organisation),
            organisation=organisation,
            direction=direction,
            nature=entry.nature,
            category=entry.category,
            title=entry.title,
            description=entry.description,
            commune=organisation.commune,
            availability=entry.availability,
            terms=terms,
            minutes=entry.terms[1] if terms == "hours" else None,  # type: ignore[misc]
            price_cents=entry.terms[1] if terms == "euros" else None,  # type: ignore[misc]
            notify=direction == Direction.NEED,
        )
        self.summary.listings_created += 1
        return listing

    def _exchange(self, number: int, offer: Listing, need: Listing | None, state: str) -> None:
        # The one in need asks the one offering, on the offer, for what its need says.
        receiver = need.organisation if need is not None else None
        if receiver is None:
            return
        description = need.description if need is not None else offer.description
        exchange = exchange_propose(
            actor=self._person(receiver), organisation=receiver, listing=offer, description=description
        )
        self.summary.exchanges_created += 1
        # The story's exchanges were proposed weeks ago, not this morning.
        done_on = self.today - dt.timedelta(days=7 * (len(EXCHANGES) - number) + 3)
        proposed_at = timezone.make_aware(dt.datetime.combine(done_on - dt.timedelta(days=10), dt.time(10)))
        Exchange.objects.filter(pk=exchange.pk).update(proposed_at=proposed_at)
        exchange.refresh_from_db()
        if state == "proposed":
            return
        exchange = exchange_accept(actor=self._person(offer.organisation), exchange=exchange)
        if state == "accepted":
            return
        for organisation in (offer.organisation, receiver):
            exchange = exchange_confirm(
                actor=self._person(organisation), exchange=exchange, organisation=organisation, done_on=done_on
            )
