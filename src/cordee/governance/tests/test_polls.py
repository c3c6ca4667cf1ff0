"""Polls: opening one (the options checked, refusals naming the field), the ballot of each kind,
a vote before the opening, and closing with the option retained and the figures frozen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cordee.core.errors import DomainError
from cordee.core.testing import Actors
from cordee.governance import services
from cordee.governance.models import Decision, Vote
from cordee.governance.tests.support import body, members, snapshot

pytestmark = pytest.mark.django_db


def refused(call: Any, **kwargs: Any) -> DomainError:
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert snapshot() == before
    return caught.value


def poll(actors: Actors, kind: str, options: Any = ("Vélo", "Covoiturage", "Navette"), **kwargs: Any) -> Decision:
    board = kwargs.pop("board", None) or body(actors, quorum=kwargs.pop("quorum", 50))
    if not board.members.exists():
        members(actors, board, 4)
    return services.decision_open(
        actor=actors.coordinator, body=board, title="Thème prioritaire", kind=kind, options=list(options), **kwargs
    )


def ids(decision: Decision) -> list[int]:
    return list(decision.options.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("kind", "options", "extra", "field", "code"),
    [
        ("single", ["Vélo"], {}, "options", "too_few_options"),
        ("single", ["Vélo", " vélo "], {}, "options", "duplicate_option"),
        ("multiple", ["A", "B", "C"], {"max_choices": 4}, "max_choices", "invalid"),
        ("multiple", ["A", "B", "C"], {"max_choices": 0}, "max_choices", "invalid"),
        ("score", ["A", "B"], {"score_max": 11}, "score_max", "invalid"),
        ("proposal", ["A", "B"], {}, "options", "invalid"),
        ("plebiscite", ["A", "B"], {}, "kind", "invalid"),
        ("single", ["A", "B"], {"category": "other"}, "category", "invalid"),
    ],
)
def test_opening_a_poll_checks_its_options_and_names_the_field(
    actors: Actors, kind: str, options: list[str], extra: dict[str, Any], field: str, code: str
) -> None:
    board = body(actors)
    members(actors, board, 2)
    error = refused(
        services.decision_open,
        actor=actors.coordinator,
        body=board,
        title="Thème",
        kind=kind,
        options=options,
        **extra,
    )
    assert (error.field, error.code) == (field, code)


def test_a_meeting_poll_takes_slots_that_end_after_they_start(actors: Actors) -> None:
    start = timezone.now() + dt.timedelta(days=10)
    good = [services.Slot(start, start + dt.timedelta(hours=2)), services.Slot(start + dt.timedelta(days=1))]
    decision = poll(actors, "meeting", good)
    assert [(o.starts_at, o.ends_at) for o in decision.options.all()] == [(s.starts_at, s.ends_at) for s in good]
    board = decision.body
    backwards = [services.Slot(start, start - dt.timedelta(hours=1)), services.Slot(start + dt.timedelta(days=1))]
    error = refused(
        services.decision_open, actor=actors.coordinator, body=board, title="Réunion", kind="meeting", options=backwards
    )
    assert error.field == "options"


@pytest.mark.parametrize(
    ("kind", "extra", "ballot"),
    [
        ("single", {}, lambda a, b, c: {a: 1, b: 1}),  # two options
        ("single", {}, lambda a, b, c: {}),  # none
        ("multiple", {"max_choices": 2}, lambda a, b, c: {a: 1, b: 1, c: 1}),  # too many
        ("ranked", {}, lambda a, b, c: {a: 1, b: 1}),  # a rank given twice
        ("ranked", {}, lambda a, b, c: {a: 1, b: 3}),  # a rank skipped
        ("score", {"score_max": 3}, lambda a, b, c: {a: 4, b: 0, c: 0}),  # above the highest score
        ("score", {}, lambda a, b, c: {a: 2, b: 1}),  # an option not scored
        ("meeting", {}, lambda a, b, c: {a: 3, b: 0, c: 0}),  # not yes / if need be / no
        ("single", {}, lambda a, b, c: {999_999: 1}),  # not an option of the poll
    ],
)
def test_a_malformed_ballot_is_refused_and_writes_nothing(
    actors: Actors, kind: str, extra: dict[str, Any], ballot: Any
) -> None:
    if kind == "meeting":
        start = timezone.now() + dt.timedelta(days=5)
        options: Any = [services.Slot(start + dt.timedelta(days=d)) for d in range(3)]
    else:
        options = ("Vélo", "Covoiturage", "Navette")
    decision = poll(actors, kind, options, **extra)
    voter = decision.body.members.first().person
    error = refused(services.vote_cast, actor=voter, decision=decision, preferences=ballot(*ids(decision)))
    assert error.field == "preferences"


def test_a_vote_before_the_opening_is_refused(actors: Actors) -> None:
    opens_at = timezone.now() + dt.timedelta(days=2)
    decision = poll(actors, "single", opens_at=opens_at, closes_at=opens_at + dt.timedelta(days=7))
    voter = decision.body.members.first().person
    error = refused(services.vote_cast, actor=voter, decision=decision, preferences={ids(decision)[0]: 1})
    assert (error.field, error.code) == ("status", "not_open")
    later = services.vote_cast(
        actor=voter, decision=decision, preferences={ids(decision)[0]: 1}, now=opens_at + dt.timedelta(hours=1)
    )
    assert later.pk is not None


def test_a_ranked_poll_closes_on_the_borda_count_and_freezes_the_results(actors: Actors) -> None:
    decision = poll(actors, "ranked", quorum=50)
    voters = [seat.person for seat in decision.body.members.order_by("pk")]
    a, b, c = ids(decision)
    services.vote_cast(actor=voters[0], decision=decision, preferences={a: 1, b: 2, c: 3})
    services.vote_cast(actor=voters[1], decision=decision, preferences={b: 1, a: 2})
    services.vote_cast(actor=voters[2], decision=decision, preferences={a: 1})

    closed = services.decision_close(actor=actors.coordinator, decision=decision)

    # A 3 + 2 + 3 = 8, B 2 + 3 = 5, C 1; 3 ballots of 4 entitled, quorum 2.
    assert (closed.outcome, closed.winning_option_id) == (Decision.Outcome.DECIDED, a)
    assert [(row["points"], row["rank"]) for row in closed.results["options"]] == [(8, 1), (5, 2), (1, 3)]
    assert [row["percent"] for row in closed.results["options"]] == [57, 36, 7]
    assert (closed.results["ballots"], closed.entitled_count, closed.results["quorum_needed"]) == (3, 4, 2)
    assert closed.votes_for is None
    assert Vote.objects.filter(decision=decision, choice="").count() == 3


def test_a_score_poll_keeps_the_spread_of_scores_of_each_option(actors: Actors) -> None:
    decision = poll(actors, "score", ("Vélo", "Navette"), score_max=4, quorum=0)
    voters = [seat.person for seat in decision.body.members.order_by("pk")]
    a, b = ids(decision)
    for person, (sa, sb) in zip(voters, [(4, 1), (3, 4), (4, 0)], strict=False):
        services.vote_cast(actor=person, decision=decision, preferences={a: sa, b: sb})
    closed = services.decision_close(actor=actors.coordinator, decision=decision)
    first, second = closed.results["options"]
    # A: 11 over 3 = 3,7; B: 5 over 3 = 1,7.
    assert (first["mean_tenths"], first["distribution"]) == (37, [0, 0, 0, 1, 2])
    assert (second["mean_tenths"], second["distribution"]) == (17, [1, 1, 0, 0, 1])
    assert closed.winning_option_id == a


def test_a_single_choice_tie_retains_nothing(actors: Actors) -> None:
    decision = poll(actors, "single", quorum=0)
    voters = [seat.person for seat in decision.body.members.order_by("pk")]
    a, b, _c = ids(decision)
    services.vote_cast(actor=voters[0], decision=decision, preferences={a: 1})
    services.vote_cast(actor=voters[1], decision=decision, preferences={b: 1})
    closed = services.decision_close(actor=actors.coordinator, decision=decision)
    assert (closed.outcome, closed.winning_option_id) == (Decision.Outcome.TIE, None)


def test_changing_a_ballot_replaces_its_preferences(actors: Actors) -> None:
    decision = poll(actors, "multiple", max_choices=2)
    voter = decision.body.members.first().person
    a, b, c = ids(decision)
    services.vote_cast(actor=voter, decision=decision, preferences={a: 1, b: 1})
    error = refused(services.vote_cast, actor=voter, decision=decision, preferences={c: 1})
    assert error.code == services.ALREADY_VOTED
    vote = services.vote_cast(actor=voter, decision=decision, preferences={c: 1}, change=True)
    assert dict(vote.preferences.values_list("option_id", "value")) == {c: 1}
