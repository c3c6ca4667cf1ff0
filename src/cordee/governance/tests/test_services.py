"""The governance services: bodies and seats, opening a decision, voting (and the refusals, which
write nothing), and closing by the quorum and majority rules, with worked examples."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation
from cordee.governance import services
from cordee.governance.models import Body, Decision, Vote
from cordee.governance.tests.support import body, members, open_decision, seat, snapshot, vote_all


def refused(call: Any, **kwargs: Any) -> DomainError:
    """Call a service that must refuse; check it wrote nothing; the error."""
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert snapshot() == before
    return caught.value


# --- Bodies and seats ---------------------------------------------------------------------------


def test_a_body_gets_a_unique_identifier_from_its_name(actors: Actors) -> None:
    first = body(actors)
    second = body(actors)
    new = body(actors, name="Nouvelle")  # the word of the creation page's address

    assert (first.slug, second.slug, new.slug) == ("comite-dengagement", "comite-dengagement-2", "nouvelle-2")
    assert AuditEvent.objects.filter(action="body.create").count() == 3


def test_only_the_coordinator_sets_up_bodies(actors: Actors) -> None:
    with pytest.raises(NotAllowed):
        services.body_create(
            actor=actors.member_admin_a, kind="board", name="Bureau", quorum_percent=50, majority="simple"
        )
    committee = body(actors)
    with pytest.raises(NotAllowed):
        services.seat_add(
            actor=actors.treasurer, body=committee, person=actors.committee, starts_on=dt.date(2026, 1, 1)
        )
    assert Body.objects.count() == 1
    assert not committee.members.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "club"}, "kind"),
        ({"name": "  "}, "name"),
        ({"quorum_percent": 101}, "quorum_percent"),
        ({"majority": "plurality"}, "majority"),
    ],
)
def test_a_body_with_bad_rules_is_refused(actors: Actors, changes: dict[str, Any], field: str) -> None:
    values = {"kind": "committee", "name": "Comité", "quorum_percent": 50, "majority": "simple", **changes}
    error = refused(services.body_create, actor=actors.coordinator, **values)
    assert error.field == field


def test_updating_a_body_keeps_its_identifier_and_records_the_changes(actors: Actors) -> None:
    committee = body(actors)
    updated = services.body_update(
        actor=actors.coordinator,
        body=committee,
        kind="committee",
        name="Comité de crédit",
        quorum_percent=60,
        majority="two_thirds",
    )
    assert (updated.slug, updated.name, updated.quorum_percent) == ("comite-dengagement", "Comité de crédit", 60)
    event = AuditEvent.objects.get(action="body.update")
    assert event.data["changes"]["quorum_percent"] == [50, 60]


def test_one_seat_per_person_at_a_time(actors: Actors) -> None:
    committee = body(actors)
    seat(actors, committee, actors.committee, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30))

    error = refused(
        services.seat_add,
        actor=actors.coordinator,
        body=committee,
        person=actors.committee,
        starts_on=dt.date(2026, 6, 30),
    )
    assert error.field == "person"
    # The next term, from the day after.
    seat(actors, committee, actors.committee, starts_on=dt.date(2026, 7, 1))
    assert committee.members.count() == 2


def test_a_term_cannot_end_before_it_starts(actors: Actors) -> None:
    committee = body(actors)
    error = refused(
        services.seat_add,
        actor=actors.coordinator,
        body=committee,
        person=actors.committee,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 2, 1),
    )
    assert error.field == "ends_on"


def test_ending_a_seat_shortens_the_term_and_never_lengthens_it(actors: Actors) -> None:
    committee = body(actors)
    member = seat(actors, committee, actors.committee, ends_on=dt.date(2027, 12, 31))

    ended = services.seat_end(actor=actors.coordinator, seat=member, ends_on=dt.date(2026, 9, 30))
    assert ended.ends_on == dt.date(2026, 9, 30)
    assert AuditEvent.objects.filter(action="seat.end", target_id=str(member.pk)).exists()

    assert refused(services.seat_end, actor=actors.coordinator, seat=member, ends_on=dt.date(2026, 10, 31)).field == (
        "ends_on"
    )
    assert refused(services.seat_end, actor=actors.coordinator, seat=member, ends_on=dt.date(2025, 1, 1)).field == (
        "ends_on"
    )


# --- Opening ------------------------------------------------------------------------------------


def test_a_decision_is_put_to_a_body_about_any_row_and_concerning_organisations(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 3)
    closes_at = timezone.now() + dt.timedelta(days=7)

    decision = services.decision_open(
        actor=actors.coordinator,
        body=committee,
        title=" Avance à Coopérative des Écrins ",
        text="12 000 € sur 6 mois.",
        subject=actors.org_b,
        concerned=[actors.org_b],
        closes_at=closes_at,
    )

    assert decision.status == Decision.Status.OPEN
    assert decision.title == "Avance à Coopérative des Écrins"
    assert decision.subject == actors.org_b
    assert list(decision.concerned.all()) == [actors.org_b]
    assert decision.opened_by == actors.coordinator
    assert decision.outcome == ""
    event = AuditEvent.objects.get(action="decision.open")
    assert event.data["concerned"] == [actors.org_b.pk]
    assert event.data["subject"] == f"network.organisation:{actors.org_b.pk}"


def test_a_body_with_no_current_member_cannot_be_asked(actors: Actors) -> None:
    committee = body(actors)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    seat(actors, committee, actors.committee, starts_on=dt.date(2025, 1, 1), ends_on=yesterday)
    seat(actors, committee, actors.member_admin_a, starts_on=timezone.localdate() + dt.timedelta(days=1))

    error = refused(services.decision_open, actor=actors.coordinator, body=committee, title="Avance")

    assert error.field == "body"


def test_a_decision_every_member_is_recused_from_is_refused(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 2, actors.org_b)

    error = refused(
        services.decision_open, actor=actors.coordinator, body=committee, title="Avance", concerned=[actors.org_b]
    )
    assert error.field == "concerned"


def test_opening_refusals_name_the_field(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 1)
    past = timezone.now() - dt.timedelta(minutes=1)

    assert refused(services.decision_open, actor=actors.coordinator, body=committee, title=" ").field == "title"
    assert (
        refused(services.decision_open, actor=actors.coordinator, body=committee, title="A", closes_at=past).field
        == "closes_at"
    )
    with pytest.raises(NotAllowed):
        services.decision_open(actor=actors.treasurer, body=committee, title="Avance")


def test_another_service_opens_and_closes_on_its_own_authority_inside_its_transaction(actors: Actors) -> None:
    """The treasury puts an advance to its committee on behalf of the treasurer, who is not the
    coordinator, inside its own durable transaction: the services nest in it (a durable service
    would raise there)."""
    committee = body(actors)
    voters = members(actors, committee, 2)

    with transaction.atomic(durable=True):
        decision = services.decision_open(
            actor=actors.treasurer, body=committee, title="Avance", check_permission=False
        )
    vote_all(decision, voters, "ff")
    with transaction.atomic(durable=True):
        closed = services.decision_close(actor=actors.treasurer, decision=decision, check_permission=False)

    assert closed.outcome == Decision.Outcome.APPROVED
    assert closed.closed_by == actors.treasurer
    with pytest.raises(NotAllowed):
        services.decision_close(actor=actors.treasurer, decision=decision)


# --- Voting -------------------------------------------------------------------------------------


def test_a_member_votes_and_may_change_the_vote_until_the_close(actors: Actors) -> None:
    committee = body(actors)
    seat(actors, committee, actors.committee)
    members(actors, committee, 1)
    decision = open_decision(actors, committee)

    first = services.vote_cast(actor=actors.committee, decision=decision, choice="for", comment=" D'accord ")
    second = services.vote_cast(
        actor=actors.committee, decision=decision, choice="against", comment="Trop risqué", change=True
    )

    assert first.pk == second.pk
    vote = Vote.objects.get()
    assert (vote.choice, vote.comment) == ("against", "Trop risqué")
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="vote.").order_by("pk")] == [
        "vote.cast",
        "vote.change",
    ]
    change = AuditEvent.objects.get(action="vote.change")
    assert (change.data["previous"], change.data["choice"]) == ("for", "against")


def test_vote_refusals_write_nothing(actors: Actors) -> None:
    committee = body(actors)
    seat(actors, committee, actors.committee)
    seat(actors, committee, actors.member_admin_b, actors.org_b)
    seat(actors, committee, actors.member_admin_a, actors.org_a)
    decision = open_decision(
        actors, committee, concerned=[actors.org_b], closes_at=timezone.now() + dt.timedelta(hours=1)
    )
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="for")

    def vote(**kwargs: Any) -> DomainError:
        return refused(
            services.vote_cast, **{"actor": actors.committee, "decision": decision, "choice": "for", **kwargs}
        )

    assert vote(actor=actors.outsider).code == services.NO_SEAT
    assert vote(actor=actors.coordinator).code == services.NO_SEAT  # the coordinator holds no seat
    recused = vote(actor=actors.member_admin_b)
    assert (recused.code, recused.field) == (services.RECUSED, "seat")
    assert actors.org_b.name in recused.message
    invalid = vote(choice="maybe")
    assert (invalid.code, invalid.field) == ("invalid_choice", "choice")
    assert vote(now=timezone.now() + dt.timedelta(hours=2)).code == "deadline"
    # A changed vote refused after the deadline leaves the first one as it was.
    assert vote(actor=actors.member_admin_a, choice="against", now=timezone.now() + dt.timedelta(hours=2)).code == (
        "deadline"
    )

    services.decision_close(actor=actors.coordinator, decision=decision)
    closed = vote()
    assert (closed.code, closed.field) == ("closed", "status")
    assert vote(actor=actors.member_admin_a, choice="against").code == "closed"
    assert Vote.objects.get().choice == "for"


def test_a_member_whose_term_has_ended_no_longer_votes(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 1)
    member = seat(actors, committee, actors.committee)
    decision = open_decision(actors, committee)
    services.seat_end(actor=actors.coordinator, seat=member, ends_on=timezone.localdate() - dt.timedelta(days=1))

    assert refused(services.vote_cast, actor=actors.committee, decision=decision, choice="for").code == (
        services.NO_SEAT
    )


# --- Closing ------------------------------------------------------------------------------------


def test_seven_entitled_with_a_50_percent_quorum_need_four_votes(actors: Actors) -> None:
    """7 × 50 / 100 = 3.5, rounded up: 4 votes, abstentions included."""
    committee = body(actors, quorum=50)
    voters = members(actors, committee, 7)
    three = open_decision(actors, committee)
    vote_all(three, voters, "ffs")
    four = open_decision(actors, committee)
    vote_all(four, voters, "ffsa")

    three = services.decision_close(actor=actors.coordinator, decision=three)
    four = services.decision_close(actor=actors.coordinator, decision=four)

    assert (three.outcome, three.entitled_count, three.votes_for, three.abstentions) == ("no_quorum", 7, 2, 1)
    assert (four.outcome, four.votes_for, four.votes_against, four.abstentions) == ("approved", 2, 1, 1)


def test_recusal_removes_a_seat_from_the_count(actors: Actors) -> None:
    """8 members, 1 of them sitting for B, a quorum of 40 %, 3 votes cast. On a decision
    concerning B, 7 are entitled: 7 × 40 / 100 = 2.8, so 3 votes are needed and reached. On one
    concerning nobody, 8 are: 8 × 40 / 100 = 3.2, so 4 are needed and missed."""
    committee = body(actors, quorum=40)
    voters = members(actors, committee, 7)
    members(actors, committee, 1, actors.org_b)
    about_b = open_decision(actors, committee, concerned=[actors.org_b])
    about_nobody = open_decision(actors, committee)
    vote_all(about_b, voters, "ffa")
    vote_all(about_nobody, voters, "ffa")

    assert services.entitled_seats(about_b).count() == 7
    assert list(services.recused_seats(about_b).values_list("organisation", flat=True)) == [actors.org_b.pk]
    about_b = services.decision_close(actor=actors.coordinator, decision=about_b)
    about_nobody = services.decision_close(actor=actors.coordinator, decision=about_nobody)

    assert (about_b.entitled_count, about_b.outcome) == (7, "approved")
    assert (about_nobody.entitled_count, about_nobody.outcome) == (8, "no_quorum")


@pytest.mark.parametrize(
    ("majority", "choices", "outcome"),
    [
        ("simple", "fffaasssss", "approved"),  # 3 for, 2 against: abstentions do not weigh
        ("simple", "ffaa", "rejected"),  # a tie
        ("absolute", "fffaasssss", "rejected"),  # 3 of 10 votes cast
        ("absolute", "ffffffsssss", "approved"),  # 6 of 11
        ("two_thirds", "ffffffaaa", "approved"),  # 6 of 9: 3 × 6 = 18 ≥ 2 × 9 = 18
        ("two_thirds", "fffffaas", "rejected"),  # 5 of 8: 15 < 16
        ("unanimity", "ffffss", "approved"),
        ("unanimity", "ffffa", "rejected"),
    ],
)
def test_each_majority_rule_decides(actors: Actors, majority: str, choices: str, outcome: str) -> None:
    committee = body(actors, quorum=50, majority=majority)
    voters = members(actors, committee, len(choices))
    decision = open_decision(actors, committee)
    vote_all(decision, voters, choices)

    closed = services.decision_close(actor=actors.coordinator, decision=decision, reasons="Vu le dossier")

    assert closed.outcome == outcome
    assert closed.votes_for + closed.votes_against + closed.abstentions == len(choices)
    assert closed.reasons == "Vu le dossier"
    event = AuditEvent.objects.get(action="decision.close")
    assert (event.data["outcome"], event.data["majority"], event.data["entitled"]) == (outcome, majority, len(choices))


def test_nobody_voting_is_no_quorum_even_with_a_zero_quorum(actors: Actors) -> None:
    committee = body(actors, quorum=0)
    members(actors, committee, 3)
    decision = services.decision_close(actor=actors.coordinator, decision=open_decision(actors, committee))
    assert (decision.outcome, decision.votes_for, decision.entitled_count) == ("no_quorum", 0, 3)


def test_closing_counts_only_the_seats_entitled_that_day_and_freezes_the_figures(actors: Actors) -> None:
    committee = body(actors, quorum=50)
    voters = members(actors, committee, 3)
    decision = open_decision(actors, committee)
    vote_all(decision, voters, "ffa")
    gone = committee.members.get(person=voters[0])
    services.seat_end(actor=actors.coordinator, seat=gone, ends_on=timezone.localdate() - dt.timedelta(days=1))

    closed = services.decision_close(actor=actors.coordinator, decision=decision, conditions="Caution du bureau")

    assert (closed.entitled_count, closed.votes_for, closed.votes_against, closed.outcome) == (2, 1, 1, "rejected")
    assert closed.closed_by == actors.coordinator
    assert closed.closed_at is not None
    assert closed.conditions == "Caution du bureau"
    # Later changes of the body do not rewrite it.
    members(actors, committee, 5)
    services.body_update(
        actor=actors.coordinator, body=committee, kind="committee", name="Comité", quorum_percent=100, majority="simple"
    )
    closed.refresh_from_db()
    assert (closed.entitled_count, closed.outcome) == (2, "rejected")


def test_a_decision_is_closed_or_cancelled_once(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 1)
    closed = services.decision_close(actor=actors.coordinator, decision=open_decision(actors, committee))
    cancelled = services.decision_cancel(
        actor=actors.coordinator, decision=open_decision(actors, committee), reasons="Demande retirée"
    )

    assert refused(services.decision_close, actor=actors.coordinator, decision=closed).code == "closed"
    assert refused(services.decision_close, actor=actors.coordinator, decision=cancelled).code == "cancelled"
    assert refused(services.decision_cancel, actor=actors.coordinator, decision=closed, reasons="x").code == "closed"
    assert (cancelled.status, cancelled.outcome, cancelled.reasons) == ("cancelled", "", "Demande retirée")
    assert AuditEvent.objects.filter(action="decision.cancel").count() == 1


def test_cancelling_needs_a_reason_and_the_coordinator(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 1)
    decision = open_decision(actors, committee)

    assert refused(services.decision_cancel, actor=actors.coordinator, decision=decision, reasons=" ").field == (
        "reasons"
    )
    with pytest.raises(NotAllowed):
        services.decision_cancel(actor=actors.committee, decision=decision, reasons="Non")
    with pytest.raises(NotAllowed):
        services.decision_close(actor=actors.committee, decision=decision)
    decision.refresh_from_db()
    assert decision.status == "open"


def test_a_recused_organisation_of_a_new_member_is_the_one_named(actors: Actors) -> None:
    other = make_organisation("Association des Hautes Vallées")
    committee = body(actors)
    members(actors, committee, 1)
    seat(actors, committee, actors.member_admin_a, other)
    decision = open_decision(actors, committee, concerned=[other])

    error = refused(services.vote_cast, actor=actors.member_admin_a, decision=decision, choice="for")
    assert other.name in error.message
