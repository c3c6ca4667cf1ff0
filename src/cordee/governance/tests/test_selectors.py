"""Reads on governance: the tally (live, then frozen), what each person sees, and the votes
awaited from them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.governance import selectors, services
from cordee.governance.tests.support import body, members, open_decision, seat, vote_all


def test_the_live_tally_of_an_open_decision(actors: Actors) -> None:
    """6 members, 1 sitting for B, on a decision concerning B: 5 entitled, quorum 50 % → 3 needed."""
    committee = body(actors, quorum=50, majority="simple")
    voters = members(actors, committee, 5)
    members(actors, committee, 1, actors.org_b)
    decision = open_decision(actors, committee, concerned=[actors.org_b])
    vote_all(decision, voters, "fa")

    before = selectors.tally(decision)
    assert (before.cast, before.entitled, before.recused, before.quorum_needed) == (2, 5, 1, 3)
    assert not before.quorum_reached
    assert before.outcome == "no_quorum"  # what closing now would give
    assert not before.final
    assert (before.percent_for, before.percent_against, before.percent_abstain) == (50, 50, 0)
    assert before.turnout_percent == 40

    services.vote_cast(actor=voters[2], decision=decision, choice="abstain")
    after = selectors.tally(decision)
    assert (after.votes_for, after.votes_against, after.abstentions) == (1, 1, 1)
    assert after.quorum_reached
    assert after.outcome == "rejected"  # a tie
    assert (after.percent_for, after.percent_against, after.percent_abstain) == (34, 33, 33)
    assert [(share.offset, share.percent) for share in after.shares] == [(0, 34), (34, 33), (67, 33)]


def test_a_closed_decision_shows_its_frozen_figures(actors: Actors) -> None:
    committee = body(actors, quorum=50)
    voters = members(actors, committee, 4)
    decision = open_decision(actors, committee)
    vote_all(decision, voters, "ffa")
    decision = services.decision_close(actor=actors.coordinator, decision=decision)
    # What happens to the body afterwards does not change the result shown.
    members(actors, committee, 10)
    for member in committee.members.filter(person__in=voters):
        services.seat_end(actor=actors.coordinator, seat=member, ends_on=timezone.localdate() - dt.timedelta(days=1))

    result = selectors.tally(decision)

    assert (result.votes_for, result.votes_against, result.abstentions, result.entitled) == (2, 1, 0, 4)
    assert result.final
    assert result.quorum_reached
    assert result.outcome == "approved"
    assert (result.percent_for, result.percent_against) == (67, 33)


def test_a_cancelled_decision_has_no_outcome(actors: Actors) -> None:
    committee = body(actors)
    voters = members(actors, committee, 2)
    decision = open_decision(actors, committee)
    vote_all(decision, voters, "f")
    decision = services.decision_cancel(actor=actors.coordinator, decision=decision, reasons="Retirée")

    result = selectors.tally(decision)
    assert (result.outcome, result.final, result.votes_for) == ("", True, 1)


def test_each_person_sees_the_bodies_they_sit_on_and_the_staff_all(actors: Actors) -> None:
    committee = body(actors)
    board = body(actors, name="Conseil d'administration")
    seat(actors, committee, actors.committee)
    seat(actors, board, actors.member_admin_a, actors.org_a, ends_on=timezone.localdate() - dt.timedelta(days=1))
    members(actors, board, 2)
    open_decision(actors, committee)

    assert list(selectors.bodies_for(actors.committee)) == [committee]
    assert list(selectors.bodies_for(actors.member_admin_a)) == []  # the term has ended
    assert list(selectors.bodies_for(actors.outsider)) == []
    staff = {b.slug: (b.members_now, b.open_decisions) for b in selectors.bodies_for(actors.treasurer)}
    assert staff == {committee.slug: (1, 1), board.slug: (2, 0)}
    assert selectors.get_body_for_user(actors.coordinator, board.slug) == board
    with pytest.raises(Http404):
        selectors.get_body_for_user(actors.committee, board.slug)


def test_decisions_are_listed_open_first_and_hidden_from_others(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 1)
    seat(actors, committee, actors.committee)
    closed = services.decision_close(actor=actors.coordinator, decision=open_decision(actors, committee))
    no_deadline = open_decision(actors, committee)
    soon = open_decision(actors, committee, closes_at=timezone.now() + dt.timedelta(days=1))

    assert list(selectors.decisions_for(actors.committee)) == [soon, no_deadline, closed]
    assert list(selectors.decisions_for(actors.member_admin_b)) == []
    assert selectors.get_decision_for_user(actors.committee, soon.pk) == soon
    with pytest.raises(Http404):
        selectors.get_decision_for_user(actors.member_admin_b, soon.pk)
    with pytest.raises(Http404):
        selectors.get_decision_for_user(actors.committee, 999_999)


def test_pending_votes_are_the_open_decisions_a_person_may_still_vote_on(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 2)
    seat(actors, committee, actors.member_admin_a, actors.org_a)
    waiting = open_decision(actors, committee, closes_at=timezone.now() + dt.timedelta(days=2))
    voted = open_decision(actors, committee)
    recused = open_decision(actors, committee, concerned=[actors.org_a])
    closed = open_decision(actors, committee)
    services.vote_cast(actor=actors.member_admin_a, decision=voted, choice="for")
    services.decision_close(actor=actors.coordinator, decision=closed)
    late = open_decision(actors, committee, closes_at=timezone.now() + dt.timedelta(hours=1))

    assert list(selectors.pending_votes_for(actors.member_admin_a)) == [late, waiting]
    later = timezone.now() + dt.timedelta(hours=2)
    assert list(selectors.pending_votes_for(actors.member_admin_a, now=later)) == [waiting]
    assert recused not in selectors.pending_votes_for(actors.member_admin_a)
    assert list(selectors.pending_votes_for(actors.coordinator)) == []
    assert list(selectors.pending_votes_for(actors.outsider)) == []


def test_a_ballot_says_where_a_person_stands(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 1)
    seat(actors, committee, actors.member_admin_a, actors.org_a)
    seat(actors, committee, actors.member_admin_b, actors.org_b)
    decision = open_decision(actors, committee, concerned=[actors.org_b])
    services.vote_cast(actor=actors.member_admin_a, decision=decision, choice="abstain")

    voter = selectors.ballot(actors.member_admin_a, decision)
    assert voter.can_vote
    assert voter.vote is not None and voter.vote.choice == "abstain"
    recused = selectors.ballot(actors.member_admin_b, decision)
    assert (recused.can_vote, recused.recused_for) == (False, actors.org_b)
    assert not selectors.ballot(actors.coordinator, decision).can_vote
    assert not selectors.ballot(None, decision).can_vote


def test_the_decision_list_does_not_query_per_row(actors: Actors) -> None:
    committee = body(actors)
    members(actors, committee, 1)
    seat(actors, committee, actors.committee)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = list(selectors.decisions_for(actors.committee))
            names = [d.body.name for d in rows]
            assert len(names) == len(rows)
        return len(captured)

    open_decision(actors, committee)
    queries()  # the person's roles are read once, then kept
    one = queries()
    for _ in range(5):
        open_decision(actors, committee)
    assert queries() == one
