"""The arithmetic of a vote, by worked examples and against a reference written with fractions."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cordee.governance import rules


@pytest.mark.parametrize(
    ("percent", "entitled", "needed"),
    [
        (50, 7, 4),  # 3.5 rounded up
        (50, 8, 4),
        (50, 6, 3),
        (33, 9, 3),  # 2.97 rounded up
        (34, 9, 4),  # 3.06 rounded up
        (100, 5, 5),
        (0, 5, 1),  # no quorum still needs one vote
        (50, 0, 1),  # nobody entitled: nothing can be decided
        (1, 1, 1),
    ],
)
def test_the_quorum_is_rounded_up_and_never_below_one_vote(percent: int, entitled: int, needed: int) -> None:
    assert rules.quorum_needed(percent, entitled) == needed


@pytest.mark.parametrize(
    ("majority", "votes", "expected"),
    [
        (rules.SIMPLE, (3, 2, 5), True),  # abstentions do not weigh
        (rules.SIMPLE, (2, 2, 0), False),  # a tie is not a majority
        (rules.ABSOLUTE, (3, 2, 5), False),  # 3 of 10 cast is not more than half
        (rules.ABSOLUTE, (5, 0, 5), False),  # exactly half is not more than half
        (rules.ABSOLUTE, (6, 0, 5), True),
        (rules.TWO_THIRDS, (6, 3, 0), True),  # 6 of 9: 18 >= 18
        (rules.TWO_THIRDS, (5, 2, 1), False),  # 5 of 8: 15 < 16
        (rules.TWO_THIRDS, (2, 1, 0), True),
        (rules.UNANIMITY, (4, 0, 2), True),
        (rules.UNANIMITY, (4, 1, 0), False),
        (rules.UNANIMITY, (0, 0, 3), False),  # nobody for
    ],
)
def test_each_majority_rule(majority: str, votes: tuple[int, int, int], expected: bool) -> None:
    votes_for, against, abstain = votes
    assert rules.passes(majority, votes_for=votes_for, votes_against=against, abstentions=abstain) is expected


def test_an_unknown_majority_rule_is_an_error_not_a_rejection() -> None:
    with pytest.raises(ValueError):
        rules.passes("plurality", votes_for=1, votes_against=0, abstentions=0)


def _reference(quorum: int, majority: str, entitled: int, f: int, a: int, s: int) -> str:
    cast = f + a + s
    if cast == 0 or cast < math.ceil(Fraction(quorum * entitled, 100)):
        return rules.NO_QUORUM
    ok = {
        rules.SIMPLE: f > a,
        rules.ABSOLUTE: Fraction(f) > Fraction(cast, 2),
        rules.TWO_THIRDS: Fraction(f) >= Fraction(2 * cast, 3),
        rules.UNANIMITY: a == 0 and f > 0,
    }[majority]
    return rules.APPROVED if ok else rules.REJECTED


@given(
    quorum=st.integers(0, 100),
    majority=st.sampled_from(rules.MAJORITIES),
    votes=st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60)),
    absent=st.integers(0, 60),
)
def test_the_outcome_agrees_with_a_reference_in_fractions(
    quorum: int, majority: str, votes: tuple[int, int, int], absent: int
) -> None:
    f, a, s = votes
    entitled = f + a + s + absent
    expected = _reference(quorum, majority, entitled, f, a, s)
    got = rules.outcome(
        quorum_percent=quorum, majority=majority, entitled=entitled, votes_for=f, votes_against=a, abstentions=s
    )
    assert got == expected


@given(st.lists(st.integers(0, 500), min_size=1, max_size=5))
def test_shares_add_up_to_100_and_stay_within_one_point_of_the_exact_share(counts: list[int]) -> None:
    keyed = {str(i): n for i, n in enumerate(counts)}
    shares = rules.shares(keyed)
    total = sum(counts)
    if total == 0:
        assert all(share.percent == 0 for share in shares)
        return
    assert sum(share.percent for share in shares) == 100
    offset = 0
    for share in shares:
        assert abs(Fraction(share.percent) - Fraction(100 * share.count, total)) < 1
        assert share.offset == offset
        offset += share.percent


def test_one_vote_each_way_makes_34_33_33() -> None:
    assert [s.percent for s in rules.shares({"for": 1, "against": 1, "abstain": 1})] == [34, 33, 33]
