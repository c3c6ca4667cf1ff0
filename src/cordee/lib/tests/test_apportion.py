"""Largest-remainder sharing: worked examples a treasurer can redo by hand, then its two promises on
generated inputs (the parts add up to the total; each part is within a cent of its exact share)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cordee.lib.apportion import apportion


def test_it_gives_the_odd_cent_to_the_first_of_equal_weights() -> None:
    assert apportion(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}


def test_it_gives_the_missing_cents_to_the_largest_remainders() -> None:
    # Exact shares of 10,00 € over 1:2:4 are 142.857, 285.714 and 571.428 cents: floors 142 + 285
    # + 571 = 998, the two missing cents go to the remainders .857 and .714.
    assert apportion(1000, {"a": 1, "b": 2, "c": 4}) == {"a": 143, "b": 286, "c": 571}


def test_it_breaks_a_tie_of_remainders_by_the_larger_weight_then_the_key_order() -> None:
    # 5 cents over 2:3:5: exact shares 1, 1.5 and 2.5; floors 1 + 1 + 2 = 4. The missing cent goes
    # to b or c, whose remainders tie at .5: to c, the larger weight, though b comes first.
    assert apportion(5, {"a": 2, "b": 3, "c": 5}) == {"a": 1, "b": 1, "c": 3}
    # 3 cents over 1:2:1: exact shares .75, 1.5 and .75; floors 0 + 1 + 0 = 1; a and c tie at .75
    # with the same weight: both get one of the two missing cents.
    assert apportion(3, {"a": 1, "b": 2, "c": 1}) == {"a": 1, "b": 1, "c": 1}
    # 1 cent over 1:1: a full tie, the first key wins.
    assert apportion(1, {"x": 1, "y": 1}) == {"x": 1, "y": 0}
    assert apportion(1, {"y": 1, "x": 1}) == {"y": 1, "x": 0}


def test_a_weight_of_zero_gets_nothing() -> None:
    assert apportion(101, {"a": 0, "b": 1, "c": 0, "d": 1}) == {"a": 0, "b": 51, "c": 0, "d": 50}


def test_the_month_of_an_employee_over_seven_organisations() -> None:
    # 3 333,37 € over minutes 7, 11, 13, 17, 19, 23, 29 (119 minutes). Exact shares: 19 608.06,
    # 30 812.66, 36 414.97, 47 619.57, 53 221.87, 64 426.48, 81 233.39 cents; the floors add up to
    # 333 333, the 4 missing cents go to the remainders .97 (c), .87 (e), .66 (b) and .57 (d).
    parts = apportion(333_337, dict(zip("abcdefg", [7, 11, 13, 17, 19, 23, 29], strict=True)))
    assert parts == {"a": 19608, "b": 30813, "c": 36415, "d": 47620, "e": 53222, "f": 64426, "g": 81233}
    assert sum(parts.values()) == 333_337


def test_a_negative_total_is_shared_as_its_opposite() -> None:
    assert apportion(-100, {"a": 1, "b": 1, "c": 1}) == {"a": -34, "b": -33, "c": -33}


def test_nothing_to_share_over_nothing() -> None:
    assert apportion(0, {}) == {}
    assert apportion(0, {"a": 0}) == {"a": 0}


def test_it_refuses_a_total_without_weights() -> None:
    with pytest.raises(ValueError, match="no weight"):
        apportion(1, {"a": 0})
    with pytest.raises(ValueError, match="negative"):
        apportion(1, {"a": -1, "b": 2})


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=-(10**9), max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any),
)
def test_the_parts_add_up_and_each_is_within_a_cent_of_its_exact_share(total: int, weights: list[int]) -> None:
    keyed = dict(enumerate(weights))
    parts = apportion(total, keyed)
    assert list(parts) == list(keyed)
    assert sum(parts.values()) == total
    weight_sum = sum(weights)
    for key, weight in keyed.items():
        assert abs(parts[key] - Fraction(total * weight, weight_sum)) < 1
        if weight == 0:
            assert parts[key] == 0


@settings(max_examples=50, deadline=None)
@given(weights=st.lists(st.integers(min_value=1, max_value=1000), min_size=2, max_size=8), total=st.integers(0, 10**6))
def test_a_larger_weight_never_gets_less(weights: list[int], total: int) -> None:
    parts = apportion(total, dict(enumerate(weights)))
    for i, wi in enumerate(weights):
        for j, wj in enumerate(weights):
            if wi > wj:
                assert parts[i] >= parts[j]
