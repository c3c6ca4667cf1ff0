"""The counting of polls, by worked examples and against a reference written with fractions."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cordee.governance import rules

A, B, C = 1, 2, 3


def test_plurality_counts_one_point_per_ballot_choosing_an_option() -> None:
    counts = rules.count_poll(rules.SINGLE, [A, B, C], [{A: 1}, {B: 1}, {A: 1}])
    assert [(c.key, c.points) for c in counts] == [(A, 2), (B, 1), (C, 0)]
    assert rules.poll_outcome(rules.SINGLE, counts, quorum_percent=50, entitled=4, ballots=3) == (rules.DECIDED, A)


def test_borda_gives_n_points_to_a_first_place_and_none_to_an_option_left_unranked() -> None:
    # Three options; ballots (A, B, C), (B, A), (A): A 3 + 2 + 3 = 8, B 2 + 3 = 5, C 1.
    ballots = [{A: 1, B: 2, C: 3}, {B: 1, A: 2}, {A: 1}]
    counts = rules.count_poll(rules.RANKED, [A, B, C], ballots)
    assert [(c.key, c.points, c.count) for c in counts] == [(A, 8, 3), (B, 5, 2), (C, 1, 1)]
    assert rules.poll_outcome(rules.RANKED, counts, quorum_percent=0, entitled=3, ballots=3) == (rules.DECIDED, A)


def test_the_highest_mean_score_wins_compared_without_floats() -> None:
    # A: 4 + 3 = 7 over 2 (3,5); B: 5 + 1 = 6 over 2 (3,0).
    counts = rules.count_poll(rules.SCORE, [A, B], [{A: 4, B: 5}, {A: 3, B: 1}], score_max=5)
    assert counts[0].distribution == (0, 0, 0, 1, 1, 0)
    assert rules.mean_tenths(counts[0].points, counts[0].count) == 35
    assert rules.poll_outcome(rules.SCORE, counts, quorum_percent=0, entitled=2, ballots=2) == (rules.DECIDED, A)


def test_a_meeting_slot_with_as_many_yes_is_decided_by_the_if_need_be() -> None:
    Y, M, N = rules.YES, rules.IF_NEED_BE, rules.NO
    counts = rules.count_poll(rules.MEETING, [A, B, C], [{A: Y, B: Y, C: N}, {A: N, B: M, C: Y}, {A: Y, B: Y, C: M}])
    assert [(c.points, c.maybe) for c in counts] == [(2, 0), (2, 1), (1, 1)]
    assert rules.poll_outcome(rules.MEETING, counts, quorum_percent=0, entitled=3, ballots=3) == (rules.DECIDED, B)


def test_a_tie_for_first_place_retains_no_option() -> None:
    counts = rules.count_poll(rules.MULTIPLE, [A, B, C], [{A: 1, B: 1}, {A: 1, B: 1, C: 1}])
    assert rules.poll_outcome(rules.MULTIPLE, counts, quorum_percent=0, entitled=2, ballots=2) == (rules.TIE, None)


def test_the_quorum_applies_to_polls_too() -> None:
    counts = rules.count_poll(rules.SINGLE, [A, B], [{A: 1}])
    # 7 entitled, quorum 50 %: 4 ballots needed.
    assert rules.poll_outcome(rules.SINGLE, counts, quorum_percent=50, entitled=7, ballots=1) == (
        rules.NO_QUORUM,
        None,
    )


@pytest.mark.parametrize(("points", "count", "tenths"), [(17, 5, 34), (7, 2, 35), (2, 3, 7), (0, 0, 0), (1, 3, 3)])
def test_means_are_given_in_tenths_rounded_half_up(points: int, count: int, tenths: int) -> None:
    assert rules.mean_tenths(points, count) == tenths


def _ranked_ballot(draw: st.DrawFn, keys: list[int]) -> dict[int, int]:
    chosen = draw(st.permutations(keys))
    k = draw(st.integers(min_value=1, max_value=len(keys)))
    return {key: rank for rank, key in enumerate(chosen[:k], start=1)}


@st.composite
def ranked_polls(draw: st.DrawFn) -> tuple[list[int], list[dict[int, int]]]:
    keys = list(range(1, draw(st.integers(min_value=2, max_value=5)) + 1))
    ballots = [_ranked_ballot(draw, keys) for _ in range(draw(st.integers(min_value=0, max_value=8)))]
    return keys, ballots


@settings(max_examples=40, deadline=None)
@given(ranked_polls())
def test_borda_points_add_up_to_what_each_ballot_hands_out(poll: tuple[list[int], list[dict[int, int]]]) -> None:
    keys, ballots = poll
    n = len(keys)
    counts = rules.count_poll(rules.RANKED, keys, ballots)
    # A ballot ranking k options hands out n + (n - 1) + … + (n - k + 1) points.
    assert sum(c.points for c in counts) == sum(sum(n - r + 1 for r in range(1, len(b) + 1)) for b in ballots)


@st.composite
def score_polls(draw: st.DrawFn) -> tuple[list[int], list[dict[int, int]], int]:
    keys = list(range(1, draw(st.integers(min_value=2, max_value=4)) + 1))
    top = draw(st.integers(min_value=1, max_value=10))
    ballot = st.fixed_dictionaries({key: st.integers(min_value=0, max_value=top) for key in keys})
    return keys, draw(st.lists(ballot, min_size=1, max_size=8)), top


@settings(max_examples=40, deadline=None)
@given(score_polls())
def test_the_score_winner_has_the_highest_mean_as_fractions_say(
    poll: tuple[list[int], list[dict[int, int]], int],
) -> None:
    keys, ballots, top = poll
    counts = rules.count_poll(rules.SCORE, keys, ballots, score_max=top)
    means = {key: Fraction(sum(b[key] for b in ballots), len(ballots)) for key in keys}
    best = max(means.values())
    outcome, winner = rules.poll_outcome(
        rules.SCORE, counts, quorum_percent=0, entitled=len(ballots), ballots=len(ballots)
    )
    leaders = [key for key, mean in means.items() if mean == best]
    if best == 0 or len(leaders) > 1:
        assert (outcome, winner) == (rules.TIE, None)
    else:
        assert (outcome, winner) == (rules.DECIDED, leaders[0])
    for c in counts:
        assert sum(c.distribution) == len(ballots)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=6))
def test_ranking_is_best_first_and_stable(points: list[int]) -> None:
    counts = [rules.OptionCount(key, p, p) for key, p in enumerate(points)]
    ordered = rules.ranking(rules.SINGLE, counts)
    assert [c.points for c in ordered] == sorted(points, reverse=True)
    for first, second in itertools.pairwise(ordered):
        if first.points == second.points:
            assert first.key < second.key
