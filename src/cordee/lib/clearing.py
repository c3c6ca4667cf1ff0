"""Multilateral set-off ("compensation multilatérale") of the debts between members, and the short
advances that settle the most of what is left. No Django here: integer cents in, frozen results out.

The obligations graph. Members are nodes; each open obligation is an edge debtor → creditor whose
amount is what is still open on it, in integer cents, aggregated per (debtor, creditor) pair by the
caller (a mapping cannot hold the same pair twice). A member's net position is what it is owed less
what it owes.

Clearing. Clearing x cents on the edge A → B extinguishes x of what A owes B. A set of clearings is a
set-off when no member's net position changes, i.e. when every member has as much cleared on the
debts it owes as on the debts owed to it: the clearings form a *circulation* (flow conserved at
every node), bounded on each edge by the open amount. Conversely every such circulation is a valid
set-off, so the largest amount that can be cleared is the maximum-weight circulation, each cent
counting once per edge it extinguishes (the triangle A → B 100 €, B → C 80 €, C → A 50 € clears 50 €
on each edge: 150 € of debt). As a min-cost-flow problem: one arc per edge, capacity = the open
amount, cost -1 per cent; every supply 0. The cheapest circulation is the one that clears the most.
The problem is totally unimodular, so with integer capacities the optimum is in whole cents; OR-tools'
`SimpleMinCostFlow` (int64 capacities and costs) solves it exactly. Searching cycles by hand and
clearing them one after another is not enough: clearing one cycle can block two better ones.
After a maximum clearing no cycle is left open (it could be cleared too); `clear` checks it, together
with conservation and the bounds, on every run.

Liquidity. What is left after clearing is acyclic: it can only be settled with money. A pool (the
hub's treasury, a solidarity fund) that can lend `cash` cents for a few days unlocks payments along
chains: lent to A, 100 € pays A → B, then B → C with the same money, 200 € of debt for 100 € of
cash. Which payments settle the most is again a min-cost flow, on a network with a source P (the
pool, supply = cash) and a sink T (demand = cash):
- P → m: the advance to member m, at most what m owes;
- m → n for each open edge, capacity = the amount left, cost -1 per cent settled;
- m → T: money that stops with m (it is paid more than it pays on);
- P → T: the cash not needed.
Each cent lent follows a chain of debts and settles one cent per edge it crosses; the cheapest flow
settles the most. Among the plans that settle the most, the one returned lends the least: at each
member, money both lent to it and kept by it is cancelled (it pays its creditors with what it
receives first), so a member is lent exactly max(0, what it pays - what it receives). Less cash could
only settle as much if every cent more settles nothing more (the settled amount is concave in the
cash), which is when the plan settles all it could with unlimited cash; there the payments are all
fixed, so this is the least cash.

Repayment. An advance cannot come back to the pool within the plan out of the debts: money lent to A
that came back round to A would have run along a cycle, and clearing has left none. What the plan
guarantees instead, and `liquidity_plan` asserts:
- no member pays more than it receives plus its advance, so nobody needs cash of its own on the day;
- a member is lent only what it pays on at once, and keeps none of it;
- the advance replaces debts the member has just paid: its total debt (to members and to the pool)
  falls by what it was paid, never grows; each net position, counting the advance as a debt to the
  pool and money kept as cash, is unchanged.
So each borrower repays the pool from its ordinary receipts within the days of the advance, owing
one creditor instead of several. Cash used ≤ cash available; what is lent ends, cent for cent, with
the members at the end of the chains.

The lender. If the pool is itself a member (`lender`: the hub, which invoices pooled services), its
cash pays its own debts directly (not an advance: nobody owes it back), and money paid to it returns
to the pool. Two rules follow. The pool never lends a member money that goes straight back to it:
paying the hub with the hub's own advance only renames the debt (the member's own receipts may pay
the hub, though, and money that reached the hub through a chain may pay the hub's own debts, like
any member's). And money that returns to the hub is not lent again in the same plan: a plan is one
pass of payments, the next plan can lend it again.
"""

from __future__ import annotations

import graphlib
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

K = TypeVar("K", bound=Hashable)

# OR-tools works in int64 and scales costs by the number of nodes: keep sums far below 2**63. 10**15
# cents is 10 000 billion euros, far beyond anything a hub will ever owe.
MAX_TOTAL_CENTS = 10**15


class ClearingError(RuntimeError):
    """The solver or the mapping to its node numbers broke an invariant: a bug, never bad input."""


@dataclass(frozen=True)
class Clearing(Generic[K]):
    """A maximum set-off: `cleared` holds only the edges with something cleared."""

    obligations: dict[tuple[K, K], int]
    cleared: dict[tuple[K, K], int]

    @property
    def total_cents(self) -> int:
        return sum(self.cleared.values())

    @property
    def open_total_cents(self) -> int:
        return sum(self.obligations.values())

    @property
    def remaining(self) -> dict[tuple[K, K], int]:
        """What is left open on each edge, edges cleared in full left out."""
        left = {edge: amount - self.cleared.get(edge, 0) for edge, amount in self.obligations.items()}
        return {edge: amount for edge, amount in left.items() if amount}


@dataclass(frozen=True)
class LiquidityPlan(Generic[K]):
    """Which payments the pool's cash unlocks; each mapping holds only its non-zero entries.

    `advances`: what the pool lends each member (never the lender); `lender_pays_cents`: the cash the
    lender spends on its own debts (not an advance); `payments`: what is paid on each edge; `kept`:
    where the money stops, each member's receipts beyond what it pays on (the lender's is the money
    that returns to the pool).
    """

    remaining: dict[tuple[K, K], int]
    cash_cents: int
    lender: K | None
    advances: dict[K, int]
    lender_pays_cents: int
    payments: dict[tuple[K, K], int]
    kept: dict[K, int]

    @property
    def settled_cents(self) -> int:
        return sum(self.payments.values())

    @property
    def cash_used_cents(self) -> int:
        return sum(self.advances.values()) + self.lender_pays_cents

    @property
    def returned_cents(self) -> int:
        """Money paid to the lender in the plan: back in the pool, for the next plan."""
        return self.kept.get(self.lender, 0) if self.lender is not None else 0

    @property
    def settled_per_euro(self) -> Fraction:
        """Debt settled per euro of cash used (the same ratio per cent); 0 when no cash is used."""
        if not self.cash_used_cents:
            return Fraction(0)
        return Fraction(self.settled_cents, self.cash_used_cents)

    @property
    def left_after(self) -> dict[tuple[K, K], int]:
        """What stays open between members once the plan is paid (the advances come on top)."""
        left = {edge: amount - self.payments.get(edge, 0) for edge, amount in self.remaining.items()}
        return {edge: amount for edge, amount in left.items() if amount}


def net_positions(obligations: Mapping[tuple[K, K], int]) -> dict[K, int]:
    """What each member is owed less what it owes, every member named in the obligations included."""
    positions: dict[K, int] = {}
    for (debtor, creditor), amount in obligations.items():
        positions[debtor] = positions.get(debtor, 0) - amount
        positions[creditor] = positions.get(creditor, 0) + amount
    return positions


def clear(obligations: Mapping[tuple[K, K], int]) -> Clearing[K]:
    """The largest set-off of `obligations`: (debtor, creditor) → cents still open, whole and positive.

    A member owing itself, an amount of zero or less (ValueError) or not in whole cents (TypeError)
    is refused, naming the pair."""
    open_ = _validated(obligations)
    nodes = _numbered(open_)
    solver = SimpleMinCostFlow()
    arcs = {
        edge: solver.add_arc_with_capacity_and_unit_cost(nodes[edge[0]], nodes[edge[1]], amount, -1)
        for edge, amount in open_.items()
    }
    _solve(solver)
    cleared = {edge: solver.flow(arc) for edge, arc in arcs.items()}
    _check_clearing(open_, cleared, -solver.optimal_cost())
    return Clearing(obligations=open_, cleared={edge: amount for edge, amount in cleared.items() if amount})


def liquidity_plan(remaining: Mapping[tuple[K, K], int], cash_cents: int, lender: K | None = None) -> LiquidityPlan[K]:
    """The payments that settle the most of `remaining` with `cash_cents` lent for a few days.

    `remaining` must hold no cycle (it is what `clear` left); `lender` is the pool's own member key
    when the pool is itself a party to the obligations (the hub)."""
    open_ = _validated(remaining)
    if isinstance(cash_cents, bool) or not isinstance(cash_cents, int):
        raise TypeError(f"the cash must be a whole number of cents, not {cash_cents!r}")
    if not 0 <= cash_cents <= MAX_TOTAL_CENTS:
        raise ValueError(f"the cash must be between 0 and {MAX_TOTAL_CENTS} cents, not {cash_cents}")
    cycle = _a_cycle(open_)
    if cycle:
        raise ValueError("clear the obligations first: this cycle is still open: " + " → ".join(map(repr, cycle)))

    nodes = _numbered(open_)
    pool, sink = len(nodes), len(nodes) + 1
    solver = SimpleMinCostFlow()
    to_others: dict[K, int] = defaultdict(int)  # what each member owes members other than the lender
    receives: set[K] = set()
    for (debtor, creditor), amount in open_.items():
        receives.add(creditor)
        if creditor != lender:
            to_others[debtor] += amount

    # An advance enters at a member's paying node, from which only its debts to members other than
    # the lender leave: no advance goes straight back to the lender. What the member receives reaches
    # its own node, from which it can pay the lender, pass on to its paying node, or stop.
    paying: dict[K, int] = {}
    advance_arcs: dict[K, int] = {}
    for member, owed in to_others.items():
        if member == lender:
            # The lender's cash and what it is paid are the same money: one node.
            paying[member] = nodes[member]
            continue
        paying[member] = sink + 1 + len(advance_arcs)
        solver.add_arc_with_capacity_and_unit_cost(nodes[member], paying[member], owed, 0)
        advance_arcs[member] = solver.add_arc_with_capacity_and_unit_cost(
            pool, paying[member], min(cash_cents, owed), 0
        )
    lender_arc = None
    if lender is not None and lender in to_others:
        lender_arc = solver.add_arc_with_capacity_and_unit_cost(
            pool, nodes[lender], min(cash_cents, to_others[lender]), 0
        )
    payment_arcs = {
        edge: solver.add_arc_with_capacity_and_unit_cost(
            nodes[edge[0]] if edge[1] == lender else paying[edge[0]], nodes[edge[1]], amount, -1
        )
        for edge, amount in open_.items()
    }
    kept_arcs = {
        member: solver.add_arc_with_capacity_and_unit_cost(nodes[member], sink, cash_cents, 0) for member in receives
    }
    solver.add_arc_with_capacity_and_unit_cost(pool, sink, cash_cents, 0)
    solver.set_node_supply(pool, cash_cents)
    solver.set_node_supply(sink, -cash_cents)
    _solve(solver)

    payments = {edge: solver.flow(arc) for edge, arc in payment_arcs.items()}
    lent = {member: solver.flow(arc) for member, arc in advance_arcs.items()}
    if lender is not None and lender_arc is not None:
        lent[lender] = solver.flow(lender_arc)
    kept = {member: solver.flow(arc) for member, arc in kept_arcs.items()}
    # Money both lent to a member and kept by it was lent for nothing: the member pays with what it
    # receives first. Cancelling it changes no payment and leaves the flow balanced.
    for member in lent.keys() & kept.keys():
        idle = min(lent[member], kept[member])
        lent[member] -= idle
        kept[member] -= idle

    lender_pays = lent.pop(lender, 0) if lender is not None else 0
    plan = LiquidityPlan(
        remaining=open_,
        cash_cents=cash_cents,
        lender=lender,
        advances={member: amount for member, amount in lent.items() if amount},
        lender_pays_cents=lender_pays,
        payments={edge: amount for edge, amount in payments.items() if amount},
        kept={member: amount for member, amount in kept.items() if amount},
    )
    _check_plan(plan, -solver.optimal_cost())
    return plan


def _validated(obligations: Mapping[tuple[K, K], int]) -> dict[tuple[K, K], int]:
    open_: dict[tuple[K, K], int] = {}
    for pair, amount in obligations.items():
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise ValueError(f"an obligation is a (debtor, creditor) pair, not {pair!r}")
        debtor, creditor = pair
        if debtor == creditor:
            raise ValueError(f"{debtor!r} cannot owe itself")
        # bool is an int, float and Decimal are not cents: all refused, so no rounding hides here.
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"{debtor!r} → {creditor!r}: the amount must be a whole number of cents, not {amount!r}")
        if amount <= 0:
            raise ValueError(f"{debtor!r} → {creditor!r}: the amount open must be positive, not {amount}")
        open_[(debtor, creditor)] = amount
    if sum(open_.values()) > MAX_TOTAL_CENTS:
        raise ValueError(f"the obligations add up to more than {MAX_TOTAL_CENTS} cents")
    return open_


def _numbered(open_: Mapping[tuple[K, K], int]) -> dict[K, int]:
    """OR-tools numbers its nodes 0, 1, …: members in the order they first appear, so the same input
    always gives the same problem (and the same answer among equally good ones)."""
    nodes: dict[K, int] = {}
    for debtor, creditor in open_:
        nodes.setdefault(debtor, len(nodes))
        nodes.setdefault(creditor, len(nodes))
    return nodes


def _solve(solver: SimpleMinCostFlow) -> None:
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise ClearingError(f"the min-cost-flow solver did not reach the optimum: {status!r}")


def _a_cycle(open_: Iterable[tuple[K, K]]) -> list[K]:
    """A cycle of open edges, first member repeated at the end, or [] if there is none."""
    predecessors: dict[K, set[K]] = defaultdict(set)
    for debtor, creditor in open_:
        predecessors[creditor].add(debtor)
    try:
        graphlib.TopologicalSorter(predecessors).prepare()
    except graphlib.CycleError as error:
        # Each member of graphlib's cycle precedes the next: it owes the next one.
        return list(error.args[1])
    return []


def _check_clearing(open_: Mapping[tuple[K, K], int], cleared: Mapping[tuple[K, K], int], optimum: int) -> None:
    balance: dict[K, int] = defaultdict(int)
    for edge, amount in cleared.items():
        if not 0 <= amount <= open_[edge]:
            raise ClearingError(f"{edge!r}: {amount} cleared of {open_[edge]} open")
        balance[edge[0]] -= amount
        balance[edge[1]] += amount
    unbalanced = {member: amount for member, amount in balance.items() if amount}
    if unbalanced:
        raise ClearingError(f"clearing would change net positions: {unbalanced!r}")
    if sum(cleared.values()) != optimum:
        raise ClearingError(f"{sum(cleared.values())} cleared, the solver's optimum is {optimum}")
    left = {edge: amount - cleared[edge] for edge, amount in open_.items() if amount > cleared[edge]}
    cycle = _a_cycle(left)
    if cycle:
        raise ClearingError(f"a cycle is left open after clearing: {cycle!r}")


def _check_plan(plan: LiquidityPlan[K], optimum: int) -> None:
    received: dict[K, int] = defaultdict(int)
    paid: dict[K, int] = defaultdict(int)
    paid_to_others: dict[K, int] = defaultdict(int)
    for edge, amount in plan.payments.items():
        if not 0 < amount <= plan.remaining[edge]:
            raise ClearingError(f"{edge!r}: {amount} paid of {plan.remaining[edge]} open")
        paid[edge[0]] += amount
        received[edge[1]] += amount
        if edge[1] != plan.lender:
            paid_to_others[edge[0]] += amount
    cash_in: dict[K, int] = defaultdict(int, plan.advances)
    if plan.lender is not None:
        cash_in[plan.lender] += plan.lender_pays_cents
    for member in paid.keys() | received.keys() | cash_in.keys() | plan.kept.keys():
        if cash_in[member] + received[member] != paid[member] + plan.kept.get(member, 0):
            raise ClearingError(f"{member!r}: money is not conserved")
        if cash_in[member] and plan.kept.get(member, 0):
            raise ClearingError(f"{member!r}: lent money it keeps")
    for member, advance in plan.advances.items():
        if member == plan.lender or not 0 < advance <= paid_to_others[member]:
            raise ClearingError(f"{member!r}: lent {advance}, pays only {paid_to_others[member]} on to members")
    if not 0 <= plan.lender_pays_cents <= plan.cash_used_cents <= plan.cash_cents:
        raise ClearingError(f"{plan.cash_used_cents} cents used of {plan.cash_cents}")
    if plan.settled_cents != optimum:
        raise ClearingError(f"{plan.settled_cents} settled, the solver's optimum is {optimum}")
