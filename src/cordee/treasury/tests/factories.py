"""Build a working pool for tests: settings, a credit committee, cash, and advances in any state,
all through the services (so every row has its ledger transfers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cordee.core.models import User
from cordee.core.testing import Actors, make_organisation, make_person
from cordee.governance.models import Body, BodyMember, Vote
from cordee.network.models import Membership, Organisation
from cordee.treasury import services
from cordee.treasury.models import Advance, TreasurySettings


@dataclass
class Pool:
    actors: Actors
    committee: Body
    voters: list[User]  # three committee members sitting for no member organisation


def set_up_pool(actors: Actors, *, fund_cents: int = 10_000_000, regime: str = "nonprofit", **settings: object) -> Pool:
    """A committee of four (the actors' committee member and three others; quorum 50 %, simple
    majority), settings with a 1 % rate cap, and the hub's own funds in the pool."""
    committee = Body.objects.create(kind=Body.Kind.COMMITTEE, name="Comité d'engagement", slug="comite-engagement")
    voters = [actors.committee] + [make_person(f"voter{n}@example.org", f"Voter {n}") for n in range(3)]
    since = timezone.localdate() - dt.timedelta(days=400)
    for person in voters:
        BodyMember.objects.create(body=committee, person=person, starts_on=since)
    TreasurySettings.objects.update_or_create(
        pk=1,
        defaults={
            "regime": regime,
            "rate_cap_bps": 100,
            "committee": committee,
            "min_membership_days": 90,
            "liquidity_reserve_percent": 20,
            "member_exposure_cap_cents": 5_000_000,
            "concentration_cap_percent": 60,
            **settings,
        },
    )
    for organisation in (actors.org_a, actors.org_b):
        Membership.objects.filter(organisation=organisation).update(joined_on=since)
    if fund_cents:
        services.pool_fund(
            actor=actors.treasurer,
            amount_cents=fund_cents,
            received_on=since,
            label="Subvention d'amorçage",
            reference="FUND-INIT",
        )
    return Pool(actors=actors, committee=committee, voters=voters)


def borrower(name: str = "Association des Hautes Vallées", *, family: str = "association") -> Organisation:
    organisation = make_organisation(name, family=family)
    Membership.objects.filter(organisation=organisation).update(joined_on=timezone.localdate() - dt.timedelta(days=400))
    return organisation


def requested_advance(pool: Pool, *, organisation: Organisation | None = None, **fields: object) -> Advance:
    organisation = organisation or pool.actors.org_a
    admin = pool.actors.member_admin_a
    if organisation != pool.actors.org_a:
        admin = make_person(f"admin{organisation.pk}@example.org", "Admin")
        organisation.affiliations.create(person=admin, role="admin")
    values: dict[str, object] = {
        "amount_cents": 1_200_000,
        "purpose": "Bridge the Region's subsidy",
        "source": Advance.Source.SUBSIDY,
        "funder": "Région Sud",
        "notified_amount_cents": 3_000_000,
        "funder_decision_on": timezone.localdate() - dt.timedelta(days=30),
        "expected_payment_on": timezone.localdate() + dt.timedelta(days=150),
        "term_months": 6,
        "mode": "bullet",
    }
    values.update(fields)
    return services.advance_request(actor=admin, organisation=organisation, **values)  # type: ignore[arg-type]


def vote_all(pool: Pool, advance: Advance, choice: str = Vote.Choice.FOR) -> None:
    from cordee.governance import services as governance

    advance.refresh_from_db()
    for voter in pool.voters:
        governance.vote_cast(actor=voter, decision=advance.decision, choice=choice)


def approved_advance(pool: Pool, **fields: object) -> Advance:
    advance = requested_advance(pool, **fields)
    vote_all(pool, advance)
    return services.advance_decide(actor=pool.actors.treasurer, advance=advance)


def disbursed_advance(pool: Pool, *, on: dt.date | None = None, **fields: object) -> Advance:
    advance = approved_advance(pool, **fields)
    return services.advance_disburse(actor=pool.actors.treasurer, advance=advance, on=on)
