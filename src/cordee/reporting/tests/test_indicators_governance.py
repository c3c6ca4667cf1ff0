"""The governance's indicators on a few votes counted by hand.

The general assembly: A, B and C are active members. Today it voted on a proposal concerning nobody
(A for, B against: 2 ballots of 3 entitled); 40 days ago on a membership matter concerning A
(B for, C abstaining: 2 of 2, A recused). The board (someone for A, someone for B and
a qualified person) voted today on an advance concerning B (A's seat for, the qualified person
silent: 1 of 2, B's seat recused). A board vote cancelled and one still open count for nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cordee.core.testing import Actors, make_organisation, make_person
from cordee.governance import services
from cordee.governance.models import Decision
from cordee.network.models import Affiliation, Membership
from cordee.reporting.indicators import governance
from cordee.reporting.periods import Period

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def values(section: Any) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


def shares(section: Any, key: str) -> dict[str, int]:
    breakdown = next(b for b in section.breakdowns if b.key == key)
    return {share.key: share.value for share in breakdown.shares}


@pytest.fixture
def world(actors: Actors) -> dict[str, Any]:
    coordinator = actors.coordinator
    c = make_organisation("Épicerie de Guillestre")
    admin_c = make_person("admin.c@example.org", "Claire Dumas")
    Affiliation.objects.create(person=admin_c, organisation=c, role=Affiliation.Role.ADMIN)
    Membership.objects.filter(joined_on__isnull=False).update(joined_on=dt.date(2025, 1, 1))
    assembly = services.body_create(
        actor=coordinator, kind="assembly", name="Assemblée générale", quorum_percent=25, majority="simple"
    )
    board = services.body_create(
        actor=coordinator, kind="board", name="Conseil d'administration", quorum_percent=50, majority="simple"
    )
    for_a, for_b, qualified = (
        make_person("siege.a@example.org", "Siège A"),
        make_person("siege.b@example.org", "Siège B"),
        make_person("qualifiee@example.org", "Personne qualifiée"),
    )
    for person, organisation in ((for_a, actors.org_a), (for_b, actors.org_b), (qualified, None)):
        services.seat_add(
            actor=coordinator,
            body=board,
            person=person,
            organisation=organisation,
            starts_on=TODAY - 100 * DAY,
            ends_on=None,
        )

    today = services.decision_open(actor=coordinator, body=assembly, title="Rapport d'activité")
    services.vote_cast(actor=actors.member_admin_a, decision=today, choice="for")
    services.vote_cast(actor=actors.member_admin_b, decision=today, choice="against")
    services.decision_close(actor=coordinator, decision=today)

    then = timezone.now() - 40 * DAY
    earlier = services.decision_open(
        actor=coordinator,
        body=assembly,
        title="Radiation",
        category="membership",
        concerned=[actors.org_a],
        now=then - 5 * DAY,
    )
    services.vote_cast(actor=actors.member_admin_b, decision=earlier, choice="for", now=then - 3 * DAY)
    services.vote_cast(actor=admin_c, decision=earlier, choice="abstain", now=then - 3 * DAY)
    services.decision_close(actor=coordinator, decision=earlier, on=then)

    advance = services.decision_open(
        actor=coordinator, body=board, title="Avance à B", category="advance", concerned=[actors.org_b]
    )
    services.vote_cast(actor=for_a, decision=advance, choice="for")
    services.decision_close(actor=coordinator, decision=advance)

    cancelled = services.decision_open(actor=coordinator, body=board, title="Retirée")
    services.vote_cast(actor=for_a, decision=cancelled, choice="for")
    services.decision_cancel(actor=coordinator, decision=cancelled, reasons="Demande retirée")
    services.decision_open(actor=coordinator, body=board, title="En cours")
    return {"c": c, "assembly": assembly, "board": board}


def test_the_votes_of_the_period_and_their_participation_are_counted_by_hand(
    actors: Actors, world: dict[str, Any]
) -> None:
    section = governance.section(Period(TODAY - 60 * DAY, TODAY))
    assert values(section) == {
        "governance_decisions_count": 3,
        "governance_ballots_count": 5,
        "governance_participation_bps": 7_143,  # 5 / 7 = 71,428… %
        "governance_assembly_decisions_count": 2,
        "governance_assembly_participation_bps": 8_000,  # 4 / 5
        "governance_register_entries_count": 3,
    }
    assembly, board = world["assembly"].slug, world["board"].slug
    assert shares(section, "governance_decisions_by_body") == {assembly: 2, board: 1}
    assert shares(section, "governance_participation_by_body") == {assembly: 8_000, board: 5_000}
    assert shares(section, "governance_register_by_category") == {"general": 1, "membership": 1, "advance": 1}
    assert sum(shares(section, "governance_decisions_by_outcome").values()) == 3

    recent = values(governance.section(Period(TODAY - 30 * DAY, TODAY)))
    assert (recent["governance_decisions_count"], recent["governance_ballots_count"]) == (2, 3)
    assert (recent["governance_participation_bps"], recent["governance_assembly_participation_bps"]) == (6_000, 6_667)

    before = values(governance.section(Period(TODAY - 60 * DAY, TODAY - DAY)))
    assert (before["governance_decisions_count"], before["governance_assembly_participation_bps"]) == (1, 10_000)


def test_a_period_without_votes_has_no_participation(actors: Actors) -> None:
    figures = values(governance.section(Period(TODAY - 10 * DAY, TODAY)))
    assert figures["governance_decisions_count"] == 0
    assert figures["governance_participation_bps"] is None


def test_a_vote_closed_after_midnight_in_paris_counts_on_that_day(actors: Actors) -> None:
    Membership.objects.filter(joined_on__isnull=False).update(joined_on=dt.date(2025, 1, 1))
    assembly = services.body_create(
        actor=actors.coordinator, kind="assembly", name="Assemblée générale", quorum_percent=25, majority="simple"
    )
    decision = services.decision_open(
        actor=actors.coordinator,
        body=assembly,
        title="Budget",
        now=dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC),
    )
    # 31 March 2026, 22:30 UTC is 1 April, 00:30 in Paris (summer time).
    services.decision_close(
        actor=actors.coordinator, decision=decision, on=dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)
    )
    april = values(governance.section(Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))))
    march = values(governance.section(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))))
    assert (april["governance_decisions_count"], march["governance_decisions_count"]) == (1, 0)


def test_an_organisation_sees_the_votes_it_could_take_part_in_and_its_own(
    actors: Actors, world: dict[str, Any]
) -> None:
    period = Period(TODAY - 60 * DAY, TODAY)
    # A was recused in the assembly's vote about it; its seat on the board voted on B's advance.
    assert values(governance.section(period, organisation_id=actors.org_a.pk)) == {
        "governance_assembly_decisions_count": 1,
        "governance_assembly_votes_count": 1,
        "governance_assembly_participation_bps": 10_000,
        "governance_seat_decisions_count": 1,
        "governance_seat_votes_count": 1,
    }
    # B's seat was recused on its own advance.
    assert values(governance.section(period, organisation_id=actors.org_b.pk)) == {
        "governance_assembly_decisions_count": 2,
        "governance_assembly_votes_count": 2,
        "governance_assembly_participation_bps": 10_000,
        "governance_seat_decisions_count": 0,
        "governance_seat_votes_count": 0,
    }
    # C has no seat on the board, and voted in one of its two assembly votes.
    assert values(governance.section(period, organisation_id=world["c"].pk)) == {
        "governance_assembly_decisions_count": 2,
        "governance_assembly_votes_count": 1,
        "governance_assembly_participation_bps": 5_000,
        "governance_seat_decisions_count": 0,
        "governance_seat_votes_count": 0,
    }
    # An organisation that joined nothing sees nothing of the others' votes.
    stranger = make_organisation("Association hors du pôle", status=Membership.Status.CANDIDATE)
    assert all(not value for value in values(governance.section(period, organisation_id=stranger.pk)).values())
    assert Decision.objects.filter(status=Decision.Status.CLOSED).count() == 3
