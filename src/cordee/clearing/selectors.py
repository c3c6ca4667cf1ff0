"""What the clearing pages and the API read: runs, positions, statements, the liquidity proposal."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cordee.clearing.models import Allocation, Consent, Position, Run
from cordee.clearing.services import HUB, OpenInvoice, allocate, obligations_of
from cordee.core import permissions
from cordee.lib import clearing as solver


def runs() -> QuerySet[Run]:
    return Run.objects.select_related("computed_by", "executed_by")


def runs_for(user: Any) -> QuerySet[Run]:
    """Every run for the coordinator and the treasurer; for a member's people, the executed runs in
    which one of their organisations has a position."""
    scope = permissions.clearing_scope(user)
    if scope is None:
        return runs()
    return runs().filter(
        status=Run.Status.EXECUTED,
        pk__in=Position.objects.filter(organisation_id__in=scope).values("run_id"),
    )


def get_run_for_user(user: Any, pk: int) -> Run:
    """The run, or 404 for who may not see it (a proposal, for a member's people)."""
    run = runs_for(user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def positions_for(user: Any, run: Run) -> QuerySet[Position]:
    """The positions of a run this user may see: every one for the coordinator and the treasurer,
    its own organisations' for a member's people."""
    positions = run.positions.select_related("organisation")
    scope = permissions.clearing_scope(user)
    if scope is not None:
        positions = positions.filter(organisation_id__in=scope)
    return positions


def allocations_of(run: Run, organisation_id: int | None) -> QuerySet[Allocation]:
    """The invoices a run clears that one party owes or is owed (None: the hub)."""
    from django.db.models import Q

    if organisation_id is None:
        mine = Q(debtor__isnull=True) | Q(creditor__isnull=True)
    else:
        mine = Q(debtor_id=organisation_id) | Q(creditor_id=organisation_id)
    return run.allocations.filter(mine).select_related("invoice", "debtor", "creditor")


def consents_in_force() -> QuerySet[Consent]:
    return Consent.objects.filter(withdrawn_on__isnull=True).select_related("organisation")


@dataclass(frozen=True)
class Advance:
    """One short advance of the liquidity proposal, and the invoices the money pays along its way."""

    organisation_id: int | None
    amount_cents: int


@dataclass(frozen=True)
class Liquidity:
    cash_cents: int
    remaining_cents: int  # open debt left after the run
    settled_cents: int
    cash_used_cents: int
    advances: list[Advance]
    payments: dict[tuple[int | None, int | None], int]  # (debtor, creditor) -> cents
    invoice_payments: dict[int, int]  # invoice id -> cents
    settled_per_euro: Fraction
    # Debts formed into cycles again since an executed run: a new clearing would cancel them without
    # cash, so the plan leaves them to it (0 for a proposal, which has cleared every cycle).
    cycles_cents: int = 0


def liquidity(run: Run, cash_cents: int) -> Liquidity:
    """Given `cash_cents` the pool can lend for a few days, the payments that settle the most of what
    the run leaves open, as short advances to the members who start the chains. The hub's own cash
    is the pool: it pays its own debts directly and is never lent back to itself."""
    left = [
        OpenInvoice(pk, debtor or HUB, creditor or HUB, open_cents - cleared)
        for pk, debtor, creditor, open_cents, cleared in _open_after(run)
    ]
    left = [invoice for invoice in left if invoice.open_cents > 0]
    cycles = solver.clear(obligations_of(left))
    remaining = cycles.remaining
    plan = solver.liquidity_plan(remaining, cash_cents, lender=HUB)
    return Liquidity(
        cash_cents=cash_cents,
        remaining_cents=sum(remaining.values()),
        settled_cents=plan.settled_cents,
        cash_used_cents=plan.cash_used_cents,
        advances=[
            Advance(None if key == HUB else key, amount)
            for key, amount in sorted(plan.advances.items(), key=lambda item: -item[1])
            if amount > 0
        ],
        payments={
            (None if d == HUB else d, None if c == HUB else c): amount
            for (d, c), amount in plan.payments.items()
            if amount > 0
        },
        invoice_payments=allocate(left, plan.payments),
        settled_per_euro=plan.settled_per_euro,
        cycles_cents=cycles.total_cents,
    )


def _open_after(run: Run) -> list[tuple[int, int | None, int | None, int, int]]:
    """Every invoice the run read, with what the run clears of it: (id, debtor, creditor, open, cleared).
    Read again from the run's date, so that a proposal shows what its own execution would leave."""
    from cordee.clearing.services import _read

    cleared = dict(run.allocations.values_list("invoice_id", "amount_cents"))
    if run.status == Run.Status.EXECUTED:
        # Executed: what is open now already has the clearing deducted.
        cleared = {}
    return [
        (
            invoice.pk,
            None if invoice.debtor == HUB else invoice.debtor,
            None if invoice.creditor == HUB else invoice.creditor,
            invoice.open_cents,
            cleared.get(invoice.pk, 0),
        )
        for invoice in _read(run.as_of, run.last_invoice_id if run.status != Run.Status.EXECUTED else None)
    ]
