"""The demo's governance: the general assembly with a closed proposal in the register (voted by
the member admins of most active member organisations, a few against or abstaining), an open
ranked-choice poll the demo's member admin has not voted on yet, a closed board proposal, and
nothing loaded twice.

Loading the demo takes seconds, so a test loads it once and checks a whole side of it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.utils import timezone

from cordee.core.models import User
from cordee.demo.governance import (
    ACCOUNTS_2025,
    BUDGET_2027,
    MEMBER_ADMIN,
    PRIORITY_THEME,
    RULE_CHANGE,
    load_governance,
)
from cordee.demo.loader import load_demo
from cordee.governance import selectors, services
from cordee.governance.models import Body, Decision, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the treasury's demo attaches board minutes
    load_demo()


def test_the_general_assembly_has_voted_and_is_voting(loaded: None) -> None:
    assembly = Body.objects.get(kind=Body.Kind.GENERAL_ASSEMBLY)
    assert (assembly.quorum_percent, assembly.majority) == (25, "simple")

    accounts = Decision.objects.get(body=assembly, title=ACCOUNTS_2025)
    assert accounts.status == Decision.Status.CLOSED and accounts.outcome == Decision.Outcome.APPROVED
    assert accounts.register_number.startswith(f"{timezone.localtime(accounts.closed_at).year}-")
    votes = Vote.objects.filter(decision=accounts)
    # Most active member organisations voted, each through one of its member admins.
    assert accounts.entitled_count is not None and votes.count() * 3 >= accounts.entitled_count * 2
    assert all(v.seat_id is None and v.organisation_id and v.cast_by_id for v in votes)
    choices = set(votes.values_list("choice", flat=True))
    assert choices == {"for", "against", "abstain"}
    assert Decision.objects.get(body=assembly, title=RULE_CHANGE).register_number != accounts.register_number

    poll = Decision.objects.get(body=assembly, title=PRIORITY_THEME)
    assert (poll.kind, poll.status) == (Decision.Kind.RANKED, Decision.Status.OPEN)
    assert poll.closes_at is not None and poll.closes_at > timezone.now() and poll.options.count() == 5
    tally = selectors.tally(poll)
    assert tally.ballots > 0 and tally.quorum_reached
    referent = User.objects.get(email=MEMBER_ADMIN)
    standing = selectors.ballot(referent, poll)
    assert standing.can_vote and standing.vote is None
    assert poll in selectors.pending_votes_for(referent)
    # She can vote: a ranking of two themes.
    first, second = list(poll.options.values_list("pk", flat=True))[:2]
    services.vote_cast(actor=referent, decision=poll, preferences={second: 1, first: 2})

    board = Body.objects.get(kind=Body.Kind.BOARD, name="Conseil d'administration")
    budget = Decision.objects.get(body=board, title=BUDGET_2027)
    assert budget.outcome == Decision.Outcome.APPROVED and budget.register_number
    assert selectors.register_for(User.objects.get(email="animateur@demo.cordee.example")).count() >= 3


def test_the_register_is_numbered_in_the_order_of_the_closing_dates(loaded: None) -> None:
    entries = list(Decision.objects.exclude(register_number="").order_by("closed_at", "pk"))
    assert len(entries) >= 4
    for earlier, later in itertools.pairwise(entries):
        assert earlier.closed_at is not None and later.closed_at is not None
        if timezone.localtime(earlier.closed_at).year == timezone.localtime(later.closed_at).year:
            assert earlier.register_number < later.register_number
    for decision in entries:
        assert decision.closed_at is not None
        assert decision.register_number.startswith(f"{timezone.localtime(decision.closed_at).year}-")


def test_a_second_load_creates_nothing(loaded: None) -> None:
    decisions, votes = Decision.objects.count(), Vote.objects.count()
    summary = load_governance()
    assert summary.created == 0
    assert summary.assembly_members > 20 and summary.register_entries >= 3 and summary.open_decisions >= 1
    assert (Decision.objects.count(), Vote.objects.count()) == (decisions, votes)
