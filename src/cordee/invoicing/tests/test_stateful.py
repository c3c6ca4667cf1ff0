"""Random sequences of drafts, issues, payments, credit notes and automatic invoices between two
members and the hub, checked after every step against a reference model written here.

The model applies the rules as the issue states them: what is refused, each invoice's status,
each issuer's numbers (1..n without a gap), and what each party is owed and owes. After every step
the internal accounts' balances must equal what the model says is outstanding, the invoices'
stored totals must equal the sum of their lines, and `verify()` must find the ledger sound.

Each example runs in a savepoint that its teardown rolls back: issued invoices and the ledger are
append-only, so an example cannot delete what the one before it wrote, but it can unwrite it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from cordee.core.errors import DomainError
from cordee.core.testing import Actors
from cordee.invoicing import services
from cordee.invoicing.models import VAT_RATES, Invoice
from cordee.invoicing.tests.support import balance, numbers_of, payable, receivable, snapshot
from cordee.invoicing.totals import LineData, compute_totals
from cordee.ledger.verify import verify

START = dt.date(2026, 1, 5)
PARTIES = ("a", "b", "hub")
SOURCES = ("bookings:2026-01:owner=hub:org=a", "bookings:2026-01:owner=a:org=b", "bookings:2026-02:owner=b:org=a")


@dataclasses.dataclass
class Modelled:
    kind: str
    status: str
    issuer: str
    recipient: str
    total: int
    due_date: dt.date
    issue_date: dt.date | None = None
    sequence: int | None = None


class Model:
    """The rules, one operation after the other, with no database."""

    def __init__(self) -> None:
        self.invoices: dict[int, Modelled] = {}
        self.last_number: dict[str, int] = dict.fromkeys(PARTIES, 0)
        self.last_date: dict[str, dt.date | None] = dict.fromkeys(PARTIES, None)
        self.sources: dict[str, int] = {}

    def may_number(self, issuer: str, day: dt.date) -> bool:
        last = self.last_date[issuer]
        return last is None or day >= last

    def number(self, invoice: Modelled, day: dt.date) -> None:
        self.last_number[invoice.issuer] += 1
        self.last_date[invoice.issuer] = day
        invoice.sequence = self.last_number[invoice.issuer]
        invoice.issue_date = day
        invoice.status = "issued"

    def can_issue(self, invoice: Modelled, day: dt.date) -> bool:
        return (
            invoice.status == "draft"
            and invoice.total > 0
            and invoice.due_date >= day
            and self.may_number(invoice.issuer, day)
        )

    def can_pay(self, invoice: Modelled, day: dt.date) -> bool:
        return invoice.kind == "invoice" and invoice.status == "issued" and day >= (invoice.issue_date or day)

    def can_cancel(self, invoice: Modelled, day: dt.date) -> bool:
        return (
            invoice.kind == "invoice"
            and invoice.status == "issued"
            and day >= (invoice.issue_date or day)
            and self.may_number(invoice.issuer, day)
        )

    def outstanding(self, party: str, side: str) -> int:
        return sum(
            i.total
            for i in self.invoices.values()
            if i.kind == "invoice" and i.status == "issued" and getattr(i, side) == party
        )


amounts = st.integers(min_value=0, max_value=250_000)
quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("40"), places=2)


@st.composite
def invoice_lines(draw: Any) -> list[LineData]:
    lines = []
    for index in range(draw(st.integers(1, 3))):
        rate = draw(st.sampled_from(VAT_RATES))
        lines.append(
            LineData(
                label=f"Ligne {index + 1}",
                quantity=draw(quantities),
                # Now and then a free line, so that whole invoices of 0 € are tried too.
                unit_price_cents=draw(st.sampled_from([0]) | amounts),
                vat_rate=rate,
                vat_exemption=draw(st.sampled_from(["293B", "261-7-1", "261B"])) if rate == 0 else "",
            )
        )
    return lines


class InvoicingMachine(RuleBasedStateMachine):
    actors: Actors  # set by the test, shared by every example

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.model = Model()
        self.today = START

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    # Helpers.

    def org(self, party: str) -> Any:
        return {"a": self.actors.org_a, "b": self.actors.org_b, "hub": None}[party]

    def manager(self, party: str) -> Any:
        return {"a": self.actors.member_admin_a, "b": self.actors.member_admin_b, "hub": self.actors.treasurer}[party]

    def attempt(self, allowed: bool, call: Any, **kwargs: Any) -> Any:
        """Run a service the model allows or refuses; a refusal must write nothing."""
        if allowed:
            return call(**kwargs)
        before = snapshot()
        try:
            call(**kwargs)
        except DomainError:
            assert snapshot() == before
            return None
        raise AssertionError(f"{call.__name__} should have been refused: {kwargs}")

    def pick(self, data: Any, *statuses: str, kind: str | None = None) -> tuple[int, Modelled]:
        candidates = [
            (pk, i)
            for pk, i in self.model.invoices.items()
            if i.status in statuses and (kind is None or i.kind == kind)
        ]
        return data.draw(st.sampled_from(candidates))

    def some_day(self, data: Any, reference: dt.date | None = None) -> dt.date:
        """Mostly today; now and then the day before something, to be refused."""
        if reference is not None and data.draw(st.integers(0, 5)) == 0:
            return reference - dt.timedelta(days=1)
        return self.today

    # Rules.

    @rule(days=st.integers(0, 4))
    def time_passes(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    @rule(
        issuer=st.sampled_from(PARTIES),
        recipient=st.sampled_from(PARTIES),
        lines=invoice_lines(),
        due_in=st.integers(0, 20),
    )
    def draft(self, issuer: str, recipient: str, lines: list[LineData], due_in: int) -> None:
        due_date = self.today + dt.timedelta(days=due_in)
        invoice = self.attempt(
            issuer != recipient,
            services.invoice_draft_create,
            actor=self.manager(issuer),
            issuer=self.org(issuer),
            recipient=self.org(recipient),
            lines=lines,
            due_date=due_date,
        )
        if invoice is not None:
            total = compute_totals(lines).incl_vat_cents
            self.model.invoices[invoice.pk] = Modelled("invoice", "draft", issuer, recipient, total, due_date)

    @precondition(lambda self: any(i.status == "draft" for i in self.model.invoices.values()))
    @rule(data=st.data())
    def issue(self, data: Any) -> None:
        pk, modelled = self.pick(data, "draft")
        day = self.some_day(data, self.model.last_date[modelled.issuer])
        allowed = self.model.can_issue(modelled, day)
        invoice = Invoice.objects.get(pk=pk)
        self.attempt(
            allowed, services.invoice_issue, actor=self.manager(modelled.issuer), invoice=invoice, issue_date=day
        )
        if allowed:
            self.model.number(modelled, day)

    @precondition(lambda self: any(i.status != "draft" for i in self.model.invoices.values()))
    @rule(data=st.data(), by_treasurer=st.booleans())
    def pay(self, data: Any, by_treasurer: bool) -> None:
        pk, modelled = self.pick(data, "issued", "paid", "cancelled")
        day = self.some_day(data, modelled.issue_date)
        allowed = self.model.can_pay(modelled, day)
        actor = self.actors.treasurer if by_treasurer else self.manager(modelled.issuer)
        invoice = Invoice.objects.get(pk=pk)
        self.attempt(allowed, services.invoice_record_payment, actor=actor, invoice=invoice, paid_on=day)
        if allowed:
            modelled.status = "paid"

    @precondition(lambda self: any(i.status != "draft" for i in self.model.invoices.values()))
    @rule(data=st.data())
    def cancel(self, data: Any) -> None:
        pk, modelled = self.pick(data, "issued", "paid", "cancelled")
        day = self.some_day(data, modelled.issue_date)
        allowed = self.model.can_cancel(modelled, day)
        invoice = Invoice.objects.get(pk=pk)
        note = self.attempt(
            allowed,
            services.credit_note_create,
            actor=self.manager(modelled.issuer),
            invoice=invoice,
            reason="Annulation",
            issue_date=day,
        )
        if allowed:
            modelled.status = "cancelled"
            credit = Modelled(
                "credit_note", "draft", modelled.issuer, modelled.recipient, modelled.total, max(modelled.due_date, day)
            )
            self.model.number(credit, day)
            self.model.invoices[note.pk] = credit

    @rule(
        source=st.sampled_from(SOURCES),
        issuer=st.sampled_from(PARTIES),
        recipient=st.sampled_from(PARTIES),
        lines=invoice_lines(),
    )
    def invoice_automatically(self, source: str, issuer: str, recipient: str, lines: list[LineData]) -> None:
        due_date = self.today + dt.timedelta(days=30)
        known = self.model.sources.get(source)
        total = compute_totals(lines).incl_vat_cents
        if known is not None:
            first = self.model.invoices[known]
            allowed = (first.issuer, first.recipient) == (issuer, recipient)
        else:
            allowed = issuer != recipient and total > 0 and self.model.may_number(issuer, self.today)
        invoice = self.attempt(
            allowed,
            services.invoice_create_issued,
            issuer=self.org(issuer),
            recipient=self.org(recipient),
            lines=lines,
            issue_date=self.today,
            due_date=due_date,
            source=source,
        )
        if not allowed:
            return
        if known is not None:
            assert invoice.pk == known
            return
        modelled = Modelled("invoice", "draft", issuer, recipient, total, due_date)
        self.model.number(modelled, self.today)
        self.model.invoices[invoice.pk] = modelled
        self.model.sources[source] = invoice.pk

    # After every step.

    @invariant()
    def statuses_and_numbers_agree_with_the_model(self) -> None:
        stored = {
            pk: (kind, status, sequence, total)
            for pk, kind, status, sequence, total in Invoice.objects.filter(pk__in=self.model.invoices).values_list(
                "pk", "kind", "status", "sequence_number", "total_incl_vat_cents"
            )
        }
        assert stored == {pk: (i.kind, i.status, i.sequence, i.total) for pk, i in self.model.invoices.items()}
        for party in PARTIES:
            assert numbers_of(self.org(party)) == list(range(1, self.model.last_number[party] + 1))

    @invariant()
    def the_accounts_hold_what_is_outstanding(self) -> None:
        for party in PARTIES:
            organisation = self.org(party)
            assert balance(receivable(organisation)) == self.model.outstanding(party, "issuer")
            assert balance(payable(organisation)) == -self.model.outstanding(party, "recipient")

    @invariant()
    def the_ledger_verifies(self) -> None:
        report = verify()
        assert report.ok, report.violations


def test_random_sequences_agree_with_the_reference_model(actors: Actors) -> None:
    InvoicingMachine.actors = actors
    run_state_machine_as_test(
        InvoicingMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
