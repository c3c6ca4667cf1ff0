"""The general assembly: one vote per active member organisation, cast by one of its member
admins; recusal of the organisations concerned; a second vote refused (who voted and when); the
quorum and majority counted on organisations; and the register numbers given at closing."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from cordee.core.errors import DomainError
from cordee.core.testing import Actors, make_organisation, make_person
from cordee.governance import selectors, services
from cordee.governance.models import Body, Decision, Vote
from cordee.governance.tests.support import body, members, snapshot
from cordee.network.models import Affiliation, Membership

pytestmark = pytest.mark.django_db


def refused(call: Any, **kwargs: Any) -> DomainError:
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert snapshot() == before
    return caught.value


def assembly(actors: Actors, *, quorum: int = 25, majority: str = "simple") -> Body:
    return services.body_create(
        actor=actors.coordinator, kind="assembly", name="Assemblée générale", quorum_percent=quorum, majority=majority
    )


def admin_of(*organisations: Any, name: str = "Référent") -> Any:
    person = make_person(f"ref{organisations[0].pk}-{len(organisations)}@example.org", name)
    for organisation in organisations:
        Affiliation.objects.create(person=person, organisation=organisation, role=Affiliation.Role.ADMIN)
    return person


@pytest.fixture
def world(actors: Actors) -> dict[str, Any]:
    """Four active member organisations (A, B, C, D), a candidate one (E) and one that left (F);
    A's and B's member admins; C and D have one each; the assembly, quorum 25 %, simple majority."""
    c, d = make_organisation("Épicerie de Guillestre"), make_organisation("Ressourcerie du Champsaur")
    e = make_organisation("Tiers-lieu en projet", status=Membership.Status.CANDIDATE)
    f = make_organisation("Ancienne coopérative", status=Membership.Status.LEFT)
    Membership.objects.filter(joined_on__isnull=False).update(joined_on=dt.date(2025, 1, 1))
    return {
        "assembly": assembly(actors),
        "c": c,
        "d": d,
        "e": e,
        "f": f,
        "admin_c": admin_of(c, name="Claire Dumas"),
        "admin_d": admin_of(d, name="David Roche"),
        "admin_e": admin_of(e, name="Élise Morel"),
    }


def open_assembly(actors: Actors, world: dict[str, Any], **kwargs: Any) -> Decision:
    return services.decision_open(
        actor=actors.coordinator,
        body=world["assembly"],
        title="Approbation des comptes 2025",
        category="budget",
        **kwargs,
    )


def test_the_assembly_counts_the_active_member_organisations_and_needs_no_seat(
    actors: Actors, world: dict[str, Any]
) -> None:
    decision = open_assembly(actors, world)
    assert set(services.entitled_organisations(decision)) == {actors.org_a, actors.org_b, world["c"], world["d"]}
    assert selectors.tally(decision).entitled == 4


def test_a_member_admin_votes_for_the_organisation_and_the_vote_records_who_cast_it(
    actors: Actors, world: dict[str, Any]
) -> None:
    decision = open_assembly(actors, world)
    vote = services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="for")
    assert (vote.organisation, vote.cast_by, vote.seat) == (actors.org_a, actors.member_admin_a, None)


@pytest.mark.parametrize("who", ["member_user_a", "outsider", "coordinator", "admin_e"])
def test_only_a_member_admin_of_an_active_member_organisation_votes(
    actors: Actors, world: dict[str, Any], who: str
) -> None:
    decision = open_assembly(actors, world)
    person = world[who] if who in world else getattr(actors, who)
    error = refused(services.vote_cast, actor=person, decision=decision, choice="for")
    assert error.code == services.NO_SEAT


def test_an_organisation_concerned_is_recused_and_does_not_count_for_the_quorum(
    actors: Actors, world: dict[str, Any]
) -> None:
    decision = open_assembly(actors, world, concerned=[actors.org_b])
    error = refused(services.vote_cast, actor=actors.member_admin_b, decision=decision, choice="for")
    assert (error.field, error.code) == ("organisation", services.RECUSED)
    tally = selectors.tally(decision)
    assert (tally.entitled, tally.recused) == (3, 1)


def test_a_second_vote_of_the_same_organisation_is_refused_saying_who_voted_and_when(
    actors: Actors, world: dict[str, Any]
) -> None:
    at = timezone.make_aware(dt.datetime(2026, 11, 20, 18, 30))
    decision = open_assembly(actors, world, now=at - dt.timedelta(hours=1))
    second_admin = admin_of(actors.org_a, name="Hugo Vidal")
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="for", now=at)

    # The same person again, without asking to change their vote.
    again = refused(services.vote_cast, actor=actors.member_admin_a, decision=decision, choice="against", now=at)
    assert again.code == services.ALREADY_VOTED
    # Another representative of the same organisation, even asking to change it.
    with translation.override("en"):
        other = refused(
            services.vote_cast, actor=second_admin, decision=decision, choice="against", change=True, now=at
        )
    assert other.code == services.ALREADY_VOTED
    assert "Bernard Roux" in other.message and "20 November 2026" in other.message
    assert Vote.objects.get(decision=decision).choice == "for"

    changed = services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="against", change=True, now=at)
    assert (changed.choice, Vote.objects.filter(decision=decision).count()) == ("against", 1)


def test_a_person_representing_two_organisations_says_which_one_votes(actors: Actors, world: dict[str, Any]) -> None:
    decision = open_assembly(actors, world)
    both = admin_of(world["c"], world["d"], name="Inès Faure")
    error = refused(services.vote_cast, actor=both, decision=decision, choice="for")
    assert (error.field, error.code) == ("organisation", "choose_organisation")
    services.vote_cast(actor=both, decision=decision, choice="for", organisation=world["c"])
    services.vote_cast(actor=both, decision=decision, choice="against", organisation=world["d"])
    assert dict(Vote.objects.values_list("organisation", "choice")) == {world["c"].pk: "for", world["d"].pk: "against"}
    assert [b.organisation for b in selectors.ballots(both, decision)] == [world["c"], world["d"]]
    # Someone not representing an organisation cannot name it.
    error = refused(
        services.vote_cast, actor=actors.member_admin_a, decision=decision, choice="for", organisation=world["c"]
    )
    assert error.code == services.NO_SEAT


def test_a_vote_after_the_closing_time_or_after_closing_is_refused(actors: Actors, world: dict[str, Any]) -> None:
    closes_at = timezone.now() + dt.timedelta(days=3)
    decision = open_assembly(actors, world, closes_at=closes_at)
    late = refused(
        services.vote_cast,
        actor=actors.member_admin_a,
        decision=decision,
        choice="for",
        now=closes_at + dt.timedelta(minutes=1),
    )
    assert (late.field, late.code) == ("status", "deadline")
    services.decision_close(actor=actors.coordinator, decision=decision)
    after = refused(services.vote_cast, actor=actors.member_admin_a, decision=decision, choice="for")
    assert (after.field, after.code) == ("status", "closed")


def test_closing_counts_organisations_against_the_quorum_and_majority(actors: Actors, world: dict[str, Any]) -> None:
    # 4 entitled, quorum 25 %: 1 vote needed; A and C for, D against, B does not vote.
    decision = open_assembly(actors, world)
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="for")
    services.vote_cast(actor=world["admin_c"], decision=decision, choice="for")
    services.vote_cast(actor=world["admin_d"], decision=decision, choice="against")

    closed = services.decision_close(actor=actors.coordinator, decision=decision, reasons="Comptes sincères")

    assert (closed.outcome, closed.entitled_count) == (Decision.Outcome.APPROVED, 4)
    assert (closed.votes_for, closed.votes_against, closed.abstentions) == (2, 1, 0)
    assert closed.results["quorum_needed"] == 1
    assert sorted(closed.results["entitled_organisations"]) == sorted(
        [actors.org_a.pk, actors.org_b.pk, world["c"].pk, world["d"].pk]
    )
    tally = selectors.tally(closed)
    assert (tally.quorum_reached, tally.majority_reached, tally.cast) == (True, True, 3)
    year = timezone.localdate().year
    assert closed.register_number == f"{year}-001"


def test_without_quorum_the_assembly_decides_nothing(actors: Actors, world: dict[str, Any]) -> None:
    world["assembly"].quorum_percent = 75
    world["assembly"].save()
    decision = open_assembly(actors, world)  # 4 entitled, 3 votes needed
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="for")
    services.vote_cast(actor=world["admin_c"], decision=decision, choice="for")
    closed = services.decision_close(actor=actors.coordinator, decision=decision)
    assert closed.outcome == Decision.Outcome.NO_QUORUM


def test_an_assembly_poll_counts_one_ballot_per_organisation(actors: Actors, world: dict[str, Any]) -> None:
    decision = open_assembly(actors, world, kind="single", options=["Mobilité", "Alimentation"])
    mobility, food = decision.options.values_list("pk", flat=True)
    services.vote_cast(actor=actors.member_admin_a, decision=decision, preferences={food: 1})
    services.vote_cast(actor=actors.member_admin_b, decision=decision, preferences={food: 1})
    services.vote_cast(actor=world["admin_c"], decision=decision, preferences={mobility: 1})
    closed = services.decision_close(actor=actors.coordinator, decision=decision)
    assert (closed.outcome, closed.winning_option_id, closed.results["ballots"]) == ("decided", food, 3)


def test_pending_votes_list_the_assembly_decisions_of_an_organisation_that_has_not_voted(
    actors: Actors, world: dict[str, Any]
) -> None:
    decision = open_assembly(actors, world)
    assert list(selectors.pending_votes_for(actors.member_admin_a)) == [decision]
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="abstain")
    assert list(selectors.pending_votes_for(actors.member_admin_a)) == []
    assert list(selectors.pending_votes_for(actors.member_user_a)) == []


def test_an_assembly_cannot_be_asked_when_every_member_organisation_is_concerned(
    actors: Actors, world: dict[str, Any]
) -> None:
    everyone = [actors.org_a, actors.org_b, world["c"], world["d"]]
    error = refused(open_assembly, actors=actors, world=world, concerned=everyone)
    assert error.field == "concerned"


# --- Register numbers ----------------------------------------------------------------------------


def test_closings_take_the_years_numbers_in_order_and_cancelling_takes_none(actors: Actors) -> None:
    board = body(actors, quorum=0)
    members(actors, board, 1)
    at = timezone.make_aware(dt.datetime(2026, 3, 1, 12, 0))

    def decide(on: dt.datetime) -> Decision:
        decision = services.decision_open(actor=actors.coordinator, body=board, title="Point", now=on)
        return services.decision_close(actor=actors.coordinator, decision=decision, on=on + dt.timedelta(hours=1))

    first, second = decide(at), decide(at + dt.timedelta(days=1))
    cancelled = services.decision_open(actor=actors.coordinator, body=board, title="Retiré", now=at)
    services.decision_cancel(actor=actors.coordinator, decision=cancelled, reasons="Retiré")
    next_year = decide(timezone.make_aware(dt.datetime(2027, 1, 5, 9, 0)))
    third = decide(at + dt.timedelta(days=2))

    assert [first.register_number, second.register_number, third.register_number] == [
        "2026-001",
        "2026-002",
        "2026-003",
    ]
    assert next_year.register_number == "2027-001"
    assert Decision.objects.get(pk=cancelled.pk).register_number == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections closing at once: PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_closings_at_once_never_take_the_same_number() -> None:
    from cordee.core.testing import make_actors

    actors = make_actors()
    board = body(actors, quorum=0)
    members(actors, board, 1)
    decisions = [services.decision_open(actor=actors.coordinator, body=board, title=f"Point {n}") for n in range(4)]
    barrier = threading.Barrier(len(decisions))
    errors: list[BaseException] = []

    def close(decision: Decision) -> None:
        try:
            barrier.wait()
            services.decision_close(actor=actors.coordinator, decision=decision)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(decision,)) for decision in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Decision.objects.values_list("register_number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"{year}-00{n}" for n in range(1, 5)]
