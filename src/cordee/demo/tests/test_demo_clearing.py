"""The demo's multilateral clearing: three months of service invoices between members, one run
executed on last month's that keeps every net position, a proposal waiting on this month's, the
members who did not sign and the contested invoice left out, and nothing loaded twice.

Loading the demo takes seconds, so a test loads it once and checks a whole side of it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cordee.clearing import selectors
from cordee.clearing.models import Allocation, Run
from cordee.clearing.services import SUSPENSE_ACCOUNT
from cordee.demo import clearing_data
from cordee.demo.clearing import SOURCE, ClearingSummary, issue_date_of, issue_invoices, load_clearing, source_of
from cordee.demo.loader import load_demo
from cordee.invoicing.models import Dispute, Invoice, InvoiceLine
from cordee.ledger.models import Account
from cordee.ledger.verify import verify
from cordee.network.models import Family, Organisation

pytestmark = pytest.mark.django_db

Edge = tuple[int | None, int | None]


@pytest.fixture
def clearing(settings, tmp_path: Path) -> ClearingSummary:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the treasury's demo attaches board minutes
    return load_demo().clearing


def cleared_edges(run: Run) -> dict[Edge, int]:
    edges: dict[Edge, int] = defaultdict(int)
    for allocation in run.allocations.all():
        edges[allocation.debtor_id, allocation.creditor_id] += allocation.amount_cents
    return dict(edges)


def check_invariants(run: Run) -> None:
    """What every run must hold: no invoice cleared beyond what is open, as much cleared on each
    party's debts as on its claims (its net position does not move), within what it owes and is owed."""
    allocations = list(run.allocations.all())
    assert sum(allocation.amount_cents for allocation in allocations) == run.cleared_cents > 0
    assert all(0 < allocation.amount_cents <= allocation.open_cents for allocation in allocations)
    assert all((allocation.invoice.issue_date or run.as_of) <= run.as_of for allocation in allocations)
    paid: dict[int | None, int] = defaultdict(int)
    received: dict[int | None, int] = defaultdict(int)
    for (debtor, creditor), amount in cleared_edges(run).items():
        paid[debtor] += amount
        received[creditor] += amount
    positions = list(run.positions.all())
    for position in positions:
        party = position.organisation_id
        assert paid[party] == received[party] == position.cleared_cents, position
        assert position.cleared_cents <= min(position.owes_cents, position.owed_cents), position
    assert sum(position.cleared_cents for position in positions) == run.cleared_cents
    assert sum(position.owes_cents for position in positions) == run.debt_cents


def names(*organisations: str) -> list[int]:
    return list(Organisation.objects.filter(name__in=organisations).values_list("pk", flat=True))


def test_the_demo_executes_last_months_run_and_proposes_this_months(clearing: ClearingSummary) -> None:
    today = timezone.localdate()
    end_of_last_month = today.replace(day=1) - dt.timedelta(days=1)

    # Last month's run, executed: every invariant, posted through a suspense account back at zero.
    (executed,) = Run.objects.filter(status=Run.Status.EXECUTED)
    assert executed.as_of == end_of_last_month
    check_invariants(executed)
    assert clearing.executed_cleared_cents == executed.cleared_cents
    suspense = Account.objects.get(ledger__code="EUR", number=SUSPENSE_ACCOUNT)
    assert suspense.debits_posted == suspense.credits_posted == executed.cleared_cents
    assert verify().ok
    for allocation in executed.allocations.select_related("invoice"):
        settled = allocation.invoice.settlements.get(reference=f"clearing:{executed.pk}")
        assert settled.amount_cents == allocation.amount_cents
        assert (allocation.invoice.status == Invoice.Status.PAID) == allocation.settles_whole

    # It cleared the story's cycles, the 5-cycle among them, each edge of each.
    edges = cleared_edges(executed)
    for cycle in clearing_data.CYCLES:
        members = dict(Organisation.objects.filter(name__in=cycle).values_list("name", "pk"))
        for debtor, creditor in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            assert edges.get((members[debtor], members[creditor]), 0) > 0, (debtor, creditor)
    graph = nx.DiGraph([(debtor or 0, creditor or 0) for debtor, creditor in edges])  # 0: the hub
    assert max(len(cycle) for cycle in nx.simple_cycles(graph)) >= 5
    # The hub and the demo's association (its admin's login) each have a statement to read.
    jardins = Organisation.objects.get(name=clearing_data.JARDINS)
    assert executed.positions.get(organisation=None).cleared_cents > 0
    assert executed.positions.get(organisation=jardins).cleared_cents > 0

    # Left out: the members that did not sign, the one that withdrew, the contested invoice; all of
    # them have invoices still open that would otherwise have been read.
    left_out = names(*clearing_data.NOT_SIGNED, clearing_data.WITHDRAWN)
    assert len(left_out) == 3
    theirs = Q(issuer__in=left_out) | Q(recipient__in=left_out)
    assert Invoice.objects.filter(theirs, status=Invoice.Status.ISSUED, issue_date__lte=end_of_last_month).count() >= 5
    assert not Allocation.objects.filter(Q(debtor__in=left_out) | Q(creditor__in=left_out)).exists()
    assert not Run.objects.filter(positions__organisation__in=left_out).exists()
    (dispute,) = Dispute.objects.select_related("invoice")
    assert dispute.is_open and dispute.invoice.status == Invoice.Status.ISSUED
    assert dispute.invoice.source == SOURCE.format(key="marmite-graines-sortie-annulee")
    assert not Allocation.objects.filter(invoice=dispute.invoice).exists()
    # Paid invoices stay out too.
    paid = [entry for entry in clearing_data.INVOICES if entry.paid_after_days]
    assert len(paid) >= 3
    for entry in paid:
        invoice = Invoice.objects.get(source=SOURCE.format(key=entry.key))
        assert invoice.status == Invoice.Status.PAID and not Allocation.objects.filter(invoice=invoice).exists()

    # This month's proposal waits for the coordinator: it clears what the run could not see.
    (proposal,) = Run.objects.filter(status=Run.Status.PROPOSED)
    assert proposal.as_of == today and proposal.cleared_cents > 0
    assert clearing.proposed_cleared_cents == proposal.cleared_cents
    check_invariants(proposal)
    assert proposal.allocations.filter(invoice__issue_date__gt=end_of_last_month).exists()
    # What it leaves is acyclic but not idle: the pool's cash settles several times its amount.
    liquidity = selectors.liquidity(proposal, 100_000)
    assert liquidity.cash_used_cents > 0 and liquidity.settled_cents > liquidity.cash_used_cents

    # The service invoices: three full months and this one, with the VAT of their issuer.
    invoices = Invoice.objects.filter(source__startswith=SOURCE.format(key="")).select_related("issuer")
    assert clearing.invoices == invoices.count() == len(clearing_data.INVOICES)
    this_month = today.replace(day=1)
    months = {(invoice.issue_date.year, invoice.issue_date.month) for invoice in invoices if invoice.issue_date}
    assert len(months) == 4 and max(months) == (this_month.year, this_month.month)
    assert all(invoice.issue_date and invoice.issue_date <= today for invoice in invoices)
    assert all(1_000 <= invoice.total_incl_vat_cents <= 500_000 for invoice in invoices)
    for line in InvoiceLine.objects.filter(invoice__in=invoices).select_related("invoice__issuer"):
        issuer = line.invoice.issuer
        non_profit = issuer is None or issuer.family in (Family.ASSOCIATION, Family.FOUNDATION)
        assert (line.vat_rate == 0) == non_profit, line
    # Each on its day of the story: issued before the premises' invoices of today, even the hub's
    # and the association's (an issuer's numbers follow its dates).
    planned = {source_of(entry): issue_date_of(entry, today) for entry in clearing_data.INVOICES}
    assert {invoice.source: invoice.issue_date for invoice in invoices} == planned


def test_loading_it_again_adds_no_run_no_invoice_and_no_consent(clearing: ClearingSummary) -> None:
    """Both steps again (the whole loader's second run is `test_load_demo`'s): nothing new."""
    assert clearing.created > 0 and clearing.runs_created == 2
    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    by_name = {organisation.name: organisation for organisation in Organisation.objects.all()}
    with transaction.atomic():
        assert issue_invoices(by_name) == 0
    again = load_clearing()

    assert again.created == 0
    assert (again.consents, again.invoices) == (clearing.consents, clearing.invoices)
    assert again.executed_cleared_cents == clearing.executed_cleared_cents
    assert again.proposed_cleared_cents == clearing.proposed_cleared_cents
    assert counts == {model._meta.label: model._default_manager.count() for model in apps.get_models()}
