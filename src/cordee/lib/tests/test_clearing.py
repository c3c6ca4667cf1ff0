"""Multilateral set-off and liquidity plans: worked examples a treasurer can redo by hand, then the
invariants on generated graphs, with networkx's network simplex as the independent solver and, for the
liquidity plan, a brute force over every possible set of payments on tiny graphs."""

from __future__ import annotations

import graphlib
import itertools
from collections import defaultdict
from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordee.lib import clearing as clearing_module
from cordee.lib.clearing import (
    MAX_TOTAL_CENTS,
    ClearingError,
    LiquidityPlan,
    clear,
    liquidity_plan,
    net_positions,
)

EURO = 100
Obligations = dict[tuple[Any, Any], int]


def properties(max_examples: int = 60) -> settings:
    """No deadline: the first call loads OR-tools, which is slow once."""
    return settings(max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- References -----------------------------------------------------------------------------------


def networkx_clearable(obligations: Mapping[tuple[Any, Any], int]) -> int:
    """The maximum set-off, solved by networkx's network simplex: a min-cost circulation, -1 a cent."""
    graph = nx.DiGraph()
    for (debtor, creditor), amount in obligations.items():
        graph.add_edge(debtor, creditor, capacity=amount, weight=-1)
    if not graph:
        return 0  # network_simplex refuses an empty graph
    cost, _flows = nx.network_simplex(graph)
    return int(-cost)


def networkx_settled(remaining: Mapping[tuple[Any, Any], int], cash: int) -> int:
    """The most an outside pool's `cash` settles, by networkx: pool → debtors → … → sink."""
    pool, sink = ("pool",), ("sink",)
    graph = nx.DiGraph()
    graph.add_node(pool, demand=-cash)
    graph.add_node(sink, demand=cash)
    graph.add_edge(pool, sink, capacity=cash, weight=0)
    for (debtor, creditor), amount in remaining.items():
        graph.add_edge(debtor, creditor, capacity=amount, weight=-1)
        graph.add_edge(pool, debtor, capacity=cash, weight=0)
        graph.add_edge(creditor, sink, capacity=cash, weight=0)
    cost, _flows = nx.network_simplex(graph)
    return int(-cost)


def brute_force_plan(remaining: Mapping[tuple[Any, Any], int], cash: int, lender: Any = None) -> tuple[int, int]:
    """(most debt settled, least cash that settles it), trying every set of payments in whole cents.

    A set of payments needs max(0, paid - received) cents of cash at each member; a member other than
    the lender pays the lender only out of what it receives (never with the lender's own advance).
    """
    edges = list(remaining)
    best = (0, 0)
    for paid_on in itertools.product(*(range(amount + 1) for amount in remaining.values())):
        paid: dict[Any, int] = defaultdict(int)
        received: dict[Any, int] = defaultdict(int)
        to_lender: dict[Any, int] = defaultdict(int)
        for (debtor, creditor), amount in zip(edges, paid_on, strict=True):
            paid[debtor] += amount
            received[creditor] += amount
            if creditor == lender:
                to_lender[debtor] += amount
        if any(received[member] < amount for member, amount in to_lender.items()):
            continue
        needed = sum(max(0, paid[member] - received[member]) for member in paid)
        if needed <= cash and (sum(paid_on), -needed) > (best[0], -best[1]):
            best = (sum(paid_on), needed)
    return best


# --- Checks shared by examples and properties -----------------------------------------------------


def nonzero(positions: Mapping[Hashable, int]) -> dict[Hashable, int]:
    return {member: amount for member, amount in positions.items() if amount}


def has_cycle(obligations: Mapping[tuple[Any, Any], int]) -> bool:
    predecessors: dict[Any, set[Any]] = defaultdict(set)
    for debtor, creditor in obligations:
        predecessors[creditor].add(debtor)
    try:
        graphlib.TopologicalSorter(predecessors).prepare()
    except graphlib.CycleError:
        return True
    return False


def assert_a_valid_set_off(obligations: Obligations) -> int:
    result = clear(obligations)
    for edge, amount in result.cleared.items():
        assert 0 < amount <= obligations[edge]
    assert result.open_total_cents == sum(obligations.values())
    assert result.total_cents + sum(result.remaining.values()) == result.open_total_cents
    assert nonzero(net_positions(result.remaining)) == nonzero(net_positions(obligations))
    assert nonzero(net_positions(result.cleared)) == {}  # conservation at every member
    assert not has_cycle(result.remaining)
    return result.total_cents


def assert_a_sound_plan(plan: LiquidityPlan[Any]) -> None:
    paid: dict[Any, int] = defaultdict(int)
    received: dict[Any, int] = defaultdict(int)
    paid_to_members: dict[Any, int] = defaultdict(int)
    for (debtor, creditor), amount in plan.payments.items():
        assert 0 < amount <= plan.remaining[(debtor, creditor)]
        paid[debtor] += amount
        received[creditor] += amount
        if creditor != plan.lender:
            paid_to_members[debtor] += amount
    owed_before: dict[Any, int] = defaultdict(int)
    for (debtor, _creditor), amount in plan.remaining.items():
        owed_before[debtor] += amount
    owed_after: dict[Any, int] = defaultdict(int)
    for (debtor, _creditor), amount in plan.left_after.items():
        owed_after[debtor] += amount
    before, after = net_positions(plan.remaining), net_positions(plan.left_after)
    members = set(before) | set(plan.advances) | set(plan.kept)
    for member in members:
        advance = plan.advances.get(member, 0)
        own_cash = plan.lender_pays_cents if member == plan.lender else 0
        kept = plan.kept.get(member, 0)
        # Nobody pays out more than it receives plus what the pool puts in.
        assert advance + own_cash + received[member] == paid[member] + kept
        # Lent only what it pays on to members at once, never money it keeps.
        assert advance <= paid_to_members[member]
        assert not (advance or own_cash) or not kept
        if member == plan.lender:
            assert advance == 0
            # The hub's cash goes down by what it spends and up by what it is paid; what it lends
            # comes back as a claim on the borrowers.
            assert after.get(member, 0) + kept - own_cash == before.get(member, 0)
        else:
            # The advance is a debt to the pool; money kept is cash: the net position is unchanged.
            assert after.get(member, 0) + kept - advance == before.get(member, 0)
            # The advance replaces debts just paid: total debt falls by what was received.
            assert owed_after[member] + advance == owed_before[member] - received[member] + kept
            assert owed_after[member] + advance <= owed_before[member]
    assert plan.cash_used_cents == sum(plan.kept.values())
    assert plan.cash_used_cents <= plan.cash_cents
    assert plan.settled_cents == sum(plan.remaining.values()) - sum(plan.left_after.values())
    assert isinstance(plan.settled_per_euro, Fraction)
    if plan.cash_used_cents:
        assert plan.settled_per_euro == Fraction(plan.settled_cents, plan.cash_used_cents)


# --- Clearing: worked examples ---------------------------------------------------------------------


def test_the_triangle_clears_the_smallest_debt_on_each_edge() -> None:
    # A owes B 100 €, B owes C 80 €, C owes A 50 €: 50 € can go round, 150 € of debt disappears.
    result = clear({("A", "B"): 100 * EURO, ("B", "C"): 80 * EURO, ("C", "A"): 50 * EURO})
    assert result.cleared == {("A", "B"): 50 * EURO, ("B", "C"): 50 * EURO, ("C", "A"): 50 * EURO}
    assert result.total_cents == 150 * EURO
    assert result.open_total_cents == 230 * EURO
    assert result.remaining == {("A", "B"): 50 * EURO, ("B", "C"): 30 * EURO}
    # A was at -50 €, B at +20 €, C at +30 €: so they stay.
    assert net_positions(result.remaining) == {"A": -50 * EURO, "B": 20 * EURO, "C": 30 * EURO}


def test_of_two_cycles_on_one_debt_the_longer_clears_more() -> None:
    # A → B 100 € is on two cycles: A → B → C → A (B → C and C → A 70 €) and A → B → A (B → A 60 €).
    # Each euro of A → B sent round the long cycle clears 3 €, round the short one 2 €: 70 € go the
    # long way (210 €), the 30 € left of A → B the short way (60 €), 270 € in all. Clearing the
    # short cycle first (60 € on it, 120 €, then 40 € round the long one, 120 €) would clear 240 €.
    obligations = {("A", "B"): 100 * EURO, ("B", "C"): 70 * EURO, ("C", "A"): 70 * EURO, ("B", "A"): 60 * EURO}
    result = clear(obligations)
    assert result.cleared == {
        ("A", "B"): 100 * EURO,
        ("B", "C"): 70 * EURO,
        ("C", "A"): 70 * EURO,
        ("B", "A"): 30 * EURO,
    }
    assert result.total_cents == 270 * EURO
    assert result.remaining == {("B", "A"): 30 * EURO}


def test_clearing_the_longest_cycle_first_can_block_two_others() -> None:
    # The square A → B → C → D → A (10 € an edge) shares A → B with the triangle A → B → X → A and
    # C → D with C → D → Y → C. Clearing the square clears 40 € and leaves both triangles broken;
    # the two triangles clear 60 €, and then the square cannot go round any more.
    square = {("A", "B"): 1000, ("B", "C"): 1000, ("C", "D"): 1000, ("D", "A"): 1000}
    triangles = {("B", "X"): 1000, ("X", "A"): 1000, ("D", "Y"): 1000, ("Y", "C"): 1000}
    result = clear(square | triangles)
    assert result.total_cents == 60 * EURO
    assert result.remaining == {("B", "C"): 1000, ("D", "A"): 1000}


def test_a_chain_clears_nothing() -> None:
    obligations = {("A", "B"): 100 * EURO, ("B", "C"): 100 * EURO, ("A", "C"): 5 * EURO}
    result = clear(obligations)
    assert result.cleared == {}
    assert result.total_cents == 0
    assert result.remaining == obligations


def test_two_members_owing_each_other_net_their_debts() -> None:
    result = clear({("A", "B"): 100 * EURO, ("B", "A"): 30 * EURO})
    assert result.cleared == {("A", "B"): 30 * EURO, ("B", "A"): 30 * EURO}
    assert result.remaining == {("A", "B"): 70 * EURO}


def test_nothing_to_clear_clears_nothing() -> None:
    result = clear({})
    assert (result.cleared, result.total_cents, result.open_total_cents, result.remaining) == ({}, 0, 0, {})


def test_members_can_be_any_hashable_key() -> None:
    siren_a, siren_b, siren_c = ("siren", "123456789"), ("siren", "987654321"), ("siren", "111222333")
    result = clear({(siren_a, siren_b): 7, (siren_b, siren_c): 5, (siren_c, siren_a): 9})
    assert result.cleared == {(siren_a, siren_b): 5, (siren_b, siren_c): 5, (siren_c, siren_a): 5}


def test_a_long_cycle_is_cleared_down_to_its_one_cent_edge() -> None:
    members = range(200)
    obligations = {(m, (m + 1) % 200): 1_000_000 for m in members} | {(199, 0): 1}
    result = clear(obligations)
    assert result.total_cents == 200
    assert set(result.cleared.values()) == {1}


def test_amounts_up_to_the_bound_are_cleared_to_the_cent() -> None:
    big = MAX_TOTAL_CENTS // 3
    result = clear({("A", "B"): big, ("B", "C"): big, ("C", "A"): big - 1})
    assert result.total_cents == 3 * (big - 1)


@pytest.mark.parametrize(
    ("obligations", "error", "message"),
    [
        ({("A", "A"): 100}, ValueError, "'A' cannot owe itself"),
        ({("A", "B"): 0}, ValueError, "'A' → 'B': the amount open must be positive, not 0"),
        ({("A", "B"): 100, ("B", "C"): -5}, ValueError, "'B' → 'C': the amount open must be positive, not -5"),
        ({("A", "B"): 12.5}, TypeError, "'A' → 'B': the amount must be a whole number of cents, not 12.5"),
        ({("A", "B"): Decimal("12.50")}, TypeError, "'A' → 'B': .* not Decimal"),
        ({("A", "B"): True}, TypeError, "'A' → 'B': .* not True"),
        ({("A", "B", "C"): 100}, ValueError, "a \\(debtor, creditor\\) pair"),
        ({("A", "B"): MAX_TOTAL_CENTS, ("B", "A"): 1}, ValueError, "add up to more than"),
    ],
)
def test_it_refuses_bad_obligations_naming_them(obligations: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        clear(obligations)


def test_it_refuses_a_solver_answer_that_breaks_conservation(monkeypatch: pytest.MonkeyPatch) -> None:
    class OffByOneCent(clearing_module.SimpleMinCostFlow):  # type: ignore[misc]
        def flow(self, arc: int) -> int:
            return int(super().flow(arc)) - (arc == 0)

    monkeypatch.setattr(clearing_module, "SimpleMinCostFlow", OffByOneCent)
    with pytest.raises(ClearingError, match="net positions"):
        clear({("A", "B"): 100, ("B", "C"): 80, ("C", "A"): 50})


# --- Clearing: against networkx --------------------------------------------------------------------


def obligations_between(members: int, min_size: int = 0) -> st.SearchStrategy[Obligations]:
    member = st.integers(min_value=0, max_value=members - 1)
    return st.dictionaries(
        st.tuples(member, member).filter(lambda pair: pair[0] != pair[1]),
        # Tiny amounts make ties and one-cent bottlenecks, large ones check nothing is rounded.
        st.one_of(st.integers(min_value=1, max_value=10), st.integers(min_value=1, max_value=10_000_000)),
        min_size=min_size,
        max_size=members * (members - 1),
    )


# Dense graphs hold many overlapping cycles, sparse ones chains with a few cycles.
obligations_ = st.one_of(obligations_between(4, min_size=6), obligations_between(8))


@properties()
@given(obligations_)
def test_it_clears_as_much_as_networkx_to_the_cent(obligations: Obligations) -> None:
    assert assert_a_valid_set_off(obligations) == networkx_clearable(obligations)


@pytest.mark.parametrize("size", [3, 5, 8, 12])
def test_a_complete_graph_clears_as_much_as_networkx(size: int) -> None:
    obligations = {(a, b): 1 + (a * 7919 + b * 104_729) % 9_973 for a in range(size) for b in range(size) if a != b}
    assert assert_a_valid_set_off(obligations) == networkx_clearable(obligations)


def test_parallel_chains_round_one_return_clear_the_longest_first() -> None:
    # Chains of 1 to 6 edges from S to T, 10 € an edge, and T owes S 25 €: each euro of the return
    # clears one euro more than its chain has edges. 10 € round the chain of 6 (70 €), 10 € round the
    # chain of 5 (60 €), the last 5 € round the chain of 4 (25 €): 155 €.
    obligations: Obligations = {("T", "S"): 25 * EURO}
    for length in range(1, 7):
        stops = ["S", *[f"{length}.{k}" for k in range(1, length)], "T"]
        obligations |= {(a, b): 10 * EURO for a, b in itertools.pairwise(stops)}
    assert assert_a_valid_set_off(obligations) == 10 * 7 * EURO + 10 * 6 * EURO + 5 * 5 * EURO
    assert networkx_clearable(obligations) == 155 * EURO


# --- Liquidity plan: worked examples ---------------------------------------------------------------

CHAIN = {("A", "B"): 100 * EURO, ("B", "C"): 100 * EURO}


def test_without_cash_a_chain_settles_nothing() -> None:
    plan = liquidity_plan(CHAIN, 0)
    assert (plan.advances, plan.payments, plan.kept) == ({}, {}, {})
    assert (plan.settled_cents, plan.cash_used_cents, plan.settled_per_euro) == (0, 0, Fraction(0))
    assert plan.left_after == CHAIN


def test_cash_lent_to_the_head_of_a_chain_settles_every_edge() -> None:
    # 100 € lent to A pays B, B pays C with them: 200 € settled, 2 € per euro; A owes the pool
    # 100 € instead of owing B, B is out, C holds the 100 €.
    plan = liquidity_plan(CHAIN, 100 * EURO)
    assert plan.advances == {"A": 100 * EURO}
    assert plan.payments == CHAIN
    assert plan.kept == {"C": 100 * EURO}
    assert plan.settled_cents == 200 * EURO
    assert plan.settled_per_euro == 2
    assert plan.left_after == {}
    assert_a_sound_plan(plan)


def test_less_cash_settles_less_and_more_cash_is_not_used() -> None:
    short = liquidity_plan(CHAIN, 40 * EURO)
    assert short.advances == {"A": 40 * EURO}
    assert short.settled_cents == 80 * EURO
    plenty = liquidity_plan(CHAIN, 500 * EURO)
    assert plenty.cash_used_cents == 100 * EURO
    assert plenty.settled_per_euro == 2


def test_scarce_cash_goes_to_the_longer_chain_first() -> None:
    # 100 € of cash. D → E → F → G owes 60 € an edge (3 € settled per euro), A → B 100 € (1 € per
    # euro): 60 € lent to D settle 180 €, the 40 € left lent to A settle 40 €: 220 €, 2.20 € a euro.
    remaining = {("D", "E"): 60 * EURO, ("E", "F"): 60 * EURO, ("F", "G"): 60 * EURO, ("A", "B"): 100 * EURO}
    plan = liquidity_plan(remaining, 100 * EURO)
    assert plan.advances == {"D": 60 * EURO, "A": 40 * EURO}
    assert plan.settled_cents == 220 * EURO
    assert plan.settled_per_euro == Fraction(11, 5)
    assert_a_sound_plan(plan)


def test_a_member_pays_with_what_it_receives_before_it_is_lent_anything() -> None:
    # A owes B 30 €, B owes C 100 €. The pool lends A 30 € (A pays B) and B only 70 €: B pays C with
    # the 30 € it received and the 70 € lent. 130 € settled with 100 €.
    plan = liquidity_plan({("A", "B"): 30 * EURO, ("B", "C"): 100 * EURO}, 1000 * EURO)
    assert plan.advances == {"A": 30 * EURO, "B": 70 * EURO}
    assert plan.kept == {"C": 100 * EURO}
    assert plan.settled_per_euro == Fraction(13, 10)
    assert_a_sound_plan(plan)


def test_the_hub_never_lends_money_that_comes_straight_back_to_it() -> None:
    # The hub H lends. A owes H 100 €; B owes C 100 €, C owes H 50 €, H owes D 30 €. B is lent 100 €
    # and pays C; C pays H 50 € of them and keeps 50 €; H pays D 30 € of those 50 € and 20 € return
    # to the pool. A's debt to H stays: lending A the hub's money to pay the hub back would only
    # rename it.
    remaining = {("A", "H"): 100 * EURO, ("B", "C"): 100 * EURO, ("C", "H"): 50 * EURO, ("H", "D"): 30 * EURO}
    plan = liquidity_plan(remaining, 500 * EURO, lender="H")
    assert plan.advances == {"B": 100 * EURO}
    assert plan.lender_pays_cents == 0
    assert plan.payments == {("B", "C"): 100 * EURO, ("C", "H"): 50 * EURO, ("H", "D"): 30 * EURO}
    assert plan.kept == {"C": 50 * EURO, "D": 30 * EURO, "H": 20 * EURO}
    assert plan.returned_cents == 20 * EURO
    assert plan.settled_cents == 180 * EURO
    assert plan.left_after == {("A", "H"): 100 * EURO}
    assert_a_sound_plan(plan)


def test_the_hub_spends_its_own_cash_on_its_own_debts_without_lending_it() -> None:
    plan = liquidity_plan({("H", "D"): 30 * EURO, ("D", "E"): 10 * EURO}, 100 * EURO, lender="H")
    assert plan.advances == {}
    assert plan.lender_pays_cents == 30 * EURO
    assert plan.settled_cents == 40 * EURO
    assert plan.kept == {"D": 20 * EURO, "E": 10 * EURO}
    assert_a_sound_plan(plan)


def test_an_outside_pool_may_pay_what_a_member_owes_the_hub() -> None:
    # The same debt with an outside pool (no lender): lent to A, it pays H: 1 € settled per euro.
    plan = liquidity_plan({("A", "H"): 100 * EURO}, 500 * EURO)
    assert plan.advances == {"A": 100 * EURO}
    assert plan.settled_per_euro == 1


def test_it_refuses_obligations_that_still_hold_a_cycle() -> None:
    with pytest.raises(ValueError, match=r"clear the obligations first: .*'B' → 'C' → 'A' → 'B'"):
        liquidity_plan({("A", "B"): 100, ("B", "C"): 100, ("C", "A"): 100, ("C", "D"): 5}, 100)


@pytest.mark.parametrize(
    ("cash", "error"), [(-1, ValueError), (MAX_TOTAL_CENTS + 1, ValueError), (12.5, TypeError), (True, TypeError)]
)
def test_it_refuses_cash_that_is_not_whole_cents(cash: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="cash"):
        liquidity_plan(CHAIN, cash)


def test_it_refuses_bad_remaining_debts_as_clear_does() -> None:
    with pytest.raises(ValueError, match="'A' cannot owe itself"):
        liquidity_plan({("A", "A"): 100}, 100)


# --- Liquidity plan: properties --------------------------------------------------------------------


@st.composite
def acyclic_obligations(
    draw: st.DrawFn, members: int, amounts: st.SearchStrategy[int], max_size: int, min_size: int = 0
) -> Obligations:
    """Debts that only go forward in a random order of the members: no cycle, as after clearing."""
    order = draw(st.permutations(range(members)))
    pairs = st.tuples(st.integers(0, members - 1), st.integers(0, members - 1)).filter(lambda p: p[0] < p[1])
    forward = draw(st.dictionaries(pairs, amounts, min_size=min_size, max_size=max_size))
    return {(order[a], order[b]): amount for (a, b), amount in forward.items()}


@properties()
@given(
    acyclic_obligations(8, st.integers(min_value=1, max_value=1_000_000), max_size=20),
    st.integers(min_value=0, max_value=3_000_000),
)
def test_it_settles_as_much_as_networkx_and_keeps_every_promise(remaining: Obligations, cash: int) -> None:
    plan = liquidity_plan(remaining, cash)
    assert_a_sound_plan(plan)
    assert plan.settled_cents == networkx_settled(remaining, cash)
    net_debts = sum(-position for position in net_positions(remaining).values() if position < 0)
    if cash >= net_debts:
        # Enough cash to lend every net debtor its net debt settles everything, with exactly that.
        assert (plan.settled_cents, plan.cash_used_cents) == (sum(remaining.values()), net_debts)
    if plan.cash_used_cents < cash:
        # Cash left unused: more could settle nothing more.
        assert plan.settled_cents == liquidity_plan(remaining, MAX_TOTAL_CENTS).settled_cents


@properties()
@given(
    acyclic_obligations(4, st.integers(min_value=1, max_value=3), min_size=2, max_size=5),
    st.integers(min_value=0, max_value=8),
    st.one_of(st.none(), st.integers(min_value=0, max_value=3)),
)
def test_it_settles_the_most_with_the_least_cash_of_any_set_of_payments(
    remaining: Obligations, cash: int, lender: int | None
) -> None:
    plan = liquidity_plan(remaining, cash, lender=lender)
    assert_a_sound_plan(plan)
    assert (plan.settled_cents, plan.cash_used_cents) == brute_force_plan(remaining, cash, lender)


@properties(30)
@given(acyclic_obligations(6, st.integers(min_value=1, max_value=50), max_size=12))
def test_each_more_euro_settles_no_more_than_the_one_before(remaining: Obligations) -> None:
    settled = [liquidity_plan(remaining, cash).settled_cents for cash in range(0, 60, 4)]
    gains = [later - earlier for earlier, later in itertools.pairwise(settled)]
    assert all(gain >= 0 for gain in gains)
    assert gains == sorted(gains, reverse=True)


def test_after_clearing_the_plan_settles_what_is_left() -> None:
    # The triangle leaves A → B 50 € and B → C 30 €: 30 € lent to A settles 60 €, 20 € more 20 €.
    left = clear({("A", "B"): 100 * EURO, ("B", "C"): 80 * EURO, ("C", "A"): 50 * EURO}).remaining
    plan = liquidity_plan(left, 50 * EURO)
    assert plan.advances == {"A": 50 * EURO}
    assert plan.settled_cents == 80 * EURO
    assert plan.settled_per_euro == Fraction(8, 5)
