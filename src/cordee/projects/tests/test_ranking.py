"""The ranking and the walk down the envelope, in worked examples a treasurer can check by hand."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from cordee.projects import ranking
from cordee.projects.ranking import Candidate

WEIGHTS = {1: 3, 2: 2, 3: 1}  # utility ×3, cooperation ×2, feasibility ×1; marks out of 5


def test_a_sheet_is_the_weighted_average_out_of_100() -> None:
    # (3×4 + 2×5 + 1×2) / (6×5) = 24/30 = 80/100
    assert ranking.sheet_score({1: 4, 2: 5, 3: 2}, WEIGHTS, 5) == Fraction(80)
    # (3×3 + 2×2 + 1×5) / 30 = 18/30 = 60/100
    assert ranking.sheet_score({1: 3, 2: 2, 3: 5}, WEIGHTS, 5) == Fraction(60)
    # (3×5 + 2×4 + 1×4) / 30 = 27/30 = 90/100
    assert ranking.sheet_score({1: 5, 2: 4, 3: 4}, WEIGHTS, 5) == Fraction(90)


def test_an_incomplete_sheet_does_not_count() -> None:
    assert ranking.sheet_score({1: 4, 2: 5}, WEIGHTS, 5) is None
    score, sheets = ranking.application_score({"x": {1: 4, 2: 5, 3: 2}, "y": {1: 5}}, WEIGHTS, 5)
    assert (score, sheets) == (Fraction(80), 1)


def test_the_application_score_is_the_mean_of_its_scorers_kept_exact() -> None:
    # 80, 60 and 90 → 230/3 = 76.666…: no float, shown 76,7
    score, sheets = ranking.application_score(
        {"a": {1: 4, 2: 5, 3: 2}, "b": {1: 3, 2: 2, 3: 5}, "c": {1: 5, 2: 4, 3: 4}}, WEIGHTS, 5
    )
    assert sheets == 3
    assert score == Fraction(230, 3)
    assert ranking.out_of_100(score) == "76,7"


def test_scores_are_rounded_half_up_to_a_tenth() -> None:
    assert ranking.out_of_100(Fraction(145, 2)) == "72,5"
    assert ranking.out_of_100(Fraction(1445, 20)) == "72,3"  # 72.25 → 72.3
    assert ranking.out_of_100(Fraction(100)) == "100,0"
    assert ranking.out_of_100(None) == "—"


def test_nobody_scored_gives_no_score() -> None:
    assert ranking.application_score({}, WEIGHTS, 5) == (None, 0)


def test_the_walk_shows_where_the_envelope_runs_out() -> None:
    # Envelope 50 000 €: 20 000 (score 90), 15 000 (80), 18 000 (70), 5 000 (60).
    candidates = [
        Candidate("C", Fraction(70), 1_800_000, 3),
        Candidate("A", Fraction(90), 2_000_000, 1),
        Candidate("D", Fraction(60), 500_000, 4),
        Candidate("B", Fraction(80), 1_500_000, 2),
    ]
    steps = ranking.walk(candidates, 5_000_000)
    assert [s.candidate.key for s in steps] == ["A", "B", "C", "D"]
    assert [s.cumulative_cents for s in steps] == [2_000_000, 3_500_000, 5_300_000, 5_800_000]
    assert [s.remaining_cents for s in steps] == [3_000_000, 1_500_000, -300_000, -800_000]
    # C does not fit; D would, but the line is drawn where the envelope runs out.
    assert [s.fits for s in steps] == [True, True, False, False]
    assert ranking.runs_out_at(steps) == 3


def test_an_envelope_filled_exactly_still_fits() -> None:
    steps = ranking.walk([Candidate("A", Fraction(50), 1_000, 1), Candidate("B", Fraction(40), 2_000, 2)], 3_000)
    assert [s.fits for s in steps] == [True, True]
    assert ranking.runs_out_at(steps) is None


def test_ties_go_to_the_smaller_request_and_unscored_come_last() -> None:
    candidates = [
        Candidate("unscored", None, 100, 1),
        Candidate("big", Fraction(75), 3_000, 2),
        Candidate("small", Fraction(75), 1_000, 3),
        Candidate("best", Fraction(76), 9_000, 4),
    ]
    assert [c.key for c in ranking.rank(candidates)] == ["best", "small", "big", "unscored"]


marks = st.integers(min_value=0, max_value=5)


@settings(max_examples=40, deadline=None)
@given(
    weights=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=5),
    sheets=st.lists(st.lists(marks, min_size=5, max_size=5), min_size=1, max_size=6),
)
def test_scores_stay_between_0_and_100_and_match_a_plain_reference(weights: list[int], sheets: list[list[int]]) -> None:
    grid = dict(enumerate(weights))
    by_scorer = {i: {c: sheet[c] for c in grid} for i, sheet in enumerate(sheets)}
    score, count = ranking.application_score(by_scorer, grid, 5)
    assert count == len(sheets)
    assert score is not None and 0 <= score <= 100
    # Reference: total of every weighted mark over the most every scorer could give.
    reference = Fraction(
        100 * sum(w * by_scorer[i][c] for i in by_scorer for c, w in grid.items()),
        len(sheets) * sum(weights) * 5,
    )
    assert score == reference


@settings(max_examples=40, deadline=None)
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=0, max_size=8),
    envelope=st.integers(min_value=0, max_value=40_000_000),
)
def test_what_fits_never_exceeds_the_envelope(amounts: list[int], envelope: int) -> None:
    candidates = [Candidate(i, Fraction(100 - i), amount, i) for i, amount in enumerate(amounts)]
    steps = ranking.walk(candidates, envelope)
    fitting = [s for s in steps if s.fits]
    assert sum(s.candidate.amount_cents for s in fitting) <= envelope
    # The fitting lines are a prefix of the ranking.
    assert fitting == steps[: len(fitting)]
    if len(fitting) < len(steps):
        assert sum(s.candidate.amount_cents for s in steps[: len(fitting) + 1]) > envelope
