"""Computing and executing clearing runs: what is read, what is cleared and how it is given back to
invoices, what is refused, and what reaches the ledger. Worked examples first, then the invariants
on generated networks through the database, against networkx as an independent solver."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cordee.clearing import services
from cordee.clearing.models import Consent, Position, Run
from cordee.clearing.tests.support import consent, owe
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.testing import Actors, make_actors, make_organisation
from cordee.invoicing import services as invoicing
from cordee.invoicing.models import Dispute, Invoice, Settlement
from cordee.ledger.models import Account, Transfer
from cordee.lib.tests.test_clearing import networkx_clearable

pytestmark = pytest.mark.django_db


def _balance(number: str) -> int:
    """Debits less credits posted on an EUR account (0 if it was never opened)."""
    account = Account.objects.filter(ledger__code="EUR", number=number).first()
    return account.debits_posted - account.credits_posted if account else 0


def _payable(organisation: object) -> str:
    return f"401{organisation.pk:06d}"  # type: ignore[attr-defined]


def _receivable(organisation: object) -> str:
    return f"411{organisation.pk:06d}"  # type: ignore[attr-defined]


@pytest.fixture
def actors() -> Actors:
    actors = make_actors()
    consent(actors.org_a, actors.coordinator)
    consent(actors.org_b, actors.coordinator)
    return actors


@pytest.fixture
def org_c(actors: Actors):
    organisation = make_organisation("Tiers-lieu du Champsaur")
    consent(organisation, actors.coordinator)
    return organisation


# --- The worked example ------------------------------------------------------------------


def test_a_triangle_is_cleared_and_posted_through_the_suspense_account(actors, org_c):
    a, b, c = actors.org_a, actors.org_b, org_c
    ab = owe(a, b, 10_000, days_ago=40)
    bc = owe(b, c, 8_000)
    ca = owe(c, a, 5_000)
    run = services.run_compute(actor=actors.coordinator)
    # 50 € cleared on each of the three edges: 150 € of the 230 € owed.
    assert (run.debt_cents, run.cleared_cents, run.invoice_count, run.party_count) == (23_000, 15_000, 3, 3)
    assert dict(run.allocations.values_list("invoice_id", "amount_cents")) == {ab.pk: 5_000, bc.pk: 5_000, ca.pk: 5_000}
    position_a = run.positions.get(organisation=a)
    assert (position_a.owes_cents, position_a.owed_cents, position_a.cleared_cents) == (10_000, 5_000, 5_000)
    assert (position_a.owes_after_cents, position_a.owed_after_cents) == (5_000, 0)

    services.run_execute(actor=actors.coordinator, run=run)

    run.refresh_from_db()
    assert run.status == Run.Status.EXECUTED and run.executed_on == timezone.localdate()
    for invoice in (ab, bc, ca):
        invoice.refresh_from_db()
    assert [ab.status, bc.status, ca.status] == [Invoice.Status.ISSUED, Invoice.Status.ISSUED, Invoice.Status.PAID]
    assert ca.paid_on == timezone.localdate()
    assert invoicing.open_cents(ab) == 5_000 and invoicing.open_cents(bc) == 3_000
    assert Settlement.objects.filter(reference=f"clearing:{run.pk}").count() == 3
    assert _balance(services.SUSPENSE_ACCOUNT) == 0
    # What each owes (401, a credit balance) and is owed (411, a debit balance) after the clearing.
    assert [-_balance(_payable(x)) for x in (a, b, c)] == [5_000, 3_000, 0]
    assert [_balance(_receivable(x)) for x in (a, b, c)] == [0, 5_000, 3_000]
    transfers = Transfer.objects.filter(reference=f"clearing:{run.pk}")
    assert transfers.count() == 6
    assert {t.journal for t in transfers} == {"OD"} and {t.piece for t in transfers} == {run.reference}


def test_the_rest_of_a_partly_cleared_invoice_is_paid_in_money(actors, org_c):
    a, b = actors.org_a, actors.org_b
    ab = owe(a, b, 10_000)
    owe(b, org_c, 8_000)
    owe(org_c, a, 5_000)
    services.run_execute(actor=actors.coordinator, run=services.run_compute(actor=actors.coordinator))
    ab.refresh_from_db()
    invoicing.invoice_record_payment(actor=actors.treasurer, invoice=ab, paid_on=timezone.localdate())
    payment = Transfer.objects.get(code="invoice.payment", reference=f"invoice:{ab.pk}")
    assert payment.amount == 5_000
    # A owes nothing more; B was owed 100 €, 50 € cleared and 50 € paid.
    assert _balance(_payable(a)) == 0 and _balance(_receivable(b)) == 0


def test_a_partly_cleared_invoice_cannot_be_cancelled_whole(actors, org_c):
    ab = owe(actors.org_a, actors.org_b, 10_000)
    owe(actors.org_b, org_c, 8_000)
    owe(org_c, actors.org_a, 5_000)
    services.run_execute(actor=actors.coordinator, run=services.run_compute(actor=actors.coordinator))
    ab.refresh_from_db()
    with pytest.raises(DomainError):
        invoicing.credit_note_create(actor=actors.member_admin_b, invoice=ab, reason="Erreur de tarif")
    ab.refresh_from_db()
    assert ab.status == Invoice.Status.ISSUED


def test_the_cleared_amount_goes_to_the_oldest_due_invoices_first(actors):
    a, b = actors.org_a, actors.org_b
    # Issued in this order, but due in another: the second is due first, then the first.
    first = owe(a, b, 3_000, days_ago=60, due_in=90)
    second = owe(a, b, 4_000, days_ago=30, due_in=20)
    third = owe(a, b, 6_000, days_ago=10, due_in=60)
    back = owe(b, a, 5_000)
    run = services.run_compute(actor=actors.coordinator)
    allocated = dict(run.allocations.values_list("invoice_id", "amount_cents"))
    # 50 € cleared on A → B: the first due (40 €) whole, then 10 € of the next due; nothing on the last.
    assert allocated == {second.pk: 4_000, first.pk: 1_000, back.pk: 5_000}
    assert third.pk not in allocated


# --- What a run reads --------------------------------------------------------------------


def test_invoices_of_a_member_without_consent_are_left_out(actors):
    outsider = make_organisation("Ferme des Hautes Terres")
    owe(actors.org_a, actors.org_b, 5_000)
    owe(actors.org_b, outsider, 5_000)
    owe(outsider, actors.org_a, 5_000)
    run = services.run_compute(actor=actors.coordinator)
    assert (run.invoice_count, run.cleared_cents) == (1, 0)


def test_a_withdrawn_consent_leaves_the_member_out(actors, org_c):
    owe(actors.org_a, actors.org_b, 5_000)
    owe(actors.org_b, org_c, 5_000)
    owe(org_c, actors.org_a, 5_000)
    services.consent_withdraw(actor=actors.coordinator, organisation=org_c)
    run = services.run_compute(actor=actors.coordinator)
    assert run.cleared_cents == 0 and run.invoice_count == 1


def test_a_consent_signed_after_the_date_of_the_run_does_not_count(actors, org_c):
    Consent.objects.filter(organisation=org_c).update(signed_on=timezone.localdate())
    owe(actors.org_a, actors.org_b, 5_000, days_ago=20)
    owe(actors.org_b, org_c, 5_000, days_ago=20)
    owe(org_c, actors.org_a, 5_000, days_ago=20)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert services.run_compute(actor=actors.coordinator, as_of=yesterday).cleared_cents == 0
    assert services.run_compute(actor=actors.coordinator).cleared_cents == 15_000


def test_disputed_paid_and_cancelled_invoices_and_credit_notes_are_left_out(actors):
    a, b = actors.org_a, actors.org_b
    owe(a, b, 5_000)
    disputed = owe(b, a, 5_000)
    Dispute.objects.create(invoice=disputed, reason="Prestation non réalisée", opened_by=actors.member_admin_a)
    paid = owe(b, a, 4_000)
    invoicing.invoice_record_payment(actor=actors.treasurer, invoice=paid, paid_on=paid.issue_date)
    cancelled = owe(b, a, 3_000)
    invoicing.credit_note_create(actor=actors.member_admin_a, invoice=cancelled, reason="Doublon")
    run = services.run_compute(actor=actors.coordinator)
    assert run.invoice_count == 1 and run.cleared_cents == 0


def test_the_hub_takes_part_without_signing(actors):
    owe(actors.org_a, None, 7_000)  # A owes the hub for its office
    owe(None, actors.org_b, 4_000)  # the hub owes B for a shared employee's hours
    owe(actors.org_b, actors.org_a, 2_500)
    run = services.run_compute(actor=actors.coordinator)
    assert run.cleared_cents == 3 * 2_500
    hub = run.positions.get(organisation__isnull=True)
    assert (hub.owes_cents, hub.owed_cents, hub.cleared_cents) == (4_000, 7_000, 2_500)
    services.run_execute(actor=actors.coordinator, run=run)
    assert _balance("411HUB") == 7_000 - 2_500 and -_balance("401HUB") == 4_000 - 2_500


def test_an_invoice_issued_after_the_date_of_the_run_is_left_out(actors):
    owe(actors.org_a, actors.org_b, 5_000, days_ago=10)
    owe(actors.org_b, actors.org_a, 5_000, days_ago=2)
    as_of = timezone.localdate() - dt.timedelta(days=5)
    assert services.run_compute(actor=actors.coordinator, as_of=as_of).invoice_count == 1


# --- Refusals ----------------------------------------------------------------------------


def test_only_the_coordinator_computes_and_executes(actors):
    owe(actors.org_a, actors.org_b, 5_000)
    owe(actors.org_b, actors.org_a, 5_000)
    for user in (actors.treasurer, actors.member_admin_a, actors.committee):
        with pytest.raises(NotAllowed):
            services.run_compute(actor=user)
    assert not Run.objects.exists()
    run = services.run_compute(actor=actors.coordinator)
    with pytest.raises(NotAllowed):
        services.run_execute(actor=actors.treasurer, run=run)
    assert not Settlement.objects.exists()


def test_a_date_in_the_future_is_refused(actors):
    with pytest.raises(DomainError) as refused:
        services.run_compute(actor=actors.coordinator, as_of=timezone.localdate() + dt.timedelta(days=1))
    assert refused.value.field == "as_of"


@pytest.mark.parametrize("change", ["payment", "dispute", "consent", "credit_note"])
def test_a_proposal_on_stale_data_is_refused_and_writes_nothing(actors, change):
    a, b = actors.org_a, actors.org_b
    ab = owe(a, b, 3_000)
    ba = owe(b, a, 2_000)
    run = services.run_compute(actor=actors.coordinator)
    if change == "payment":
        invoicing.invoice_record_payment(actor=actors.treasurer, invoice=ba, paid_on=ba.issue_date)
    elif change == "dispute":
        Dispute.objects.create(invoice=ab, reason="Montant erroné", opened_by=actors.member_admin_a)
    elif change == "consent":
        services.consent_withdraw(actor=actors.member_admin_b, organisation=b)
    else:
        invoicing.credit_note_create(actor=actors.member_admin_b, invoice=ab, reason="Erreur")
    transfers_before = Transfer.objects.count()
    with pytest.raises(DomainError) as refused:
        services.run_execute(actor=actors.coordinator, run=run)
    assert refused.value.code == "stale"
    run.refresh_from_db()
    assert run.status == Run.Status.PROPOSED
    assert not Settlement.objects.exists() and Transfer.objects.count() == transfers_before


def test_a_new_consent_back_dated_before_the_run_makes_it_stale(actors, org_c):
    outsider = make_organisation("Ferme des Hautes Terres")
    owe(actors.org_a, actors.org_b, 3_000)
    owe(actors.org_b, actors.org_a, 2_000)
    owe(outsider, actors.org_a, 1_000)
    run = services.run_compute(actor=actors.coordinator)
    consent(outsider, actors.coordinator)
    assert services.stale_reason(run) is not None


def test_an_invoice_issued_after_the_proposal_does_not_make_it_stale(actors):
    owe(actors.org_a, actors.org_b, 3_000)
    owe(actors.org_b, actors.org_a, 2_000)
    run = services.run_compute(actor=actors.coordinator)
    owe(actors.org_b, actors.org_a, 9_000, days_ago=0)
    assert services.stale_reason(run) is None
    services.run_execute(actor=actors.coordinator, run=run)


def test_a_run_is_executed_once_and_a_new_proposal_supersedes_the_old(actors):
    owe(actors.org_a, actors.org_b, 3_000)
    owe(actors.org_b, actors.org_a, 2_000)
    first = services.run_compute(actor=actors.coordinator)
    second = services.run_compute(actor=actors.coordinator)
    first.refresh_from_db()
    assert first.status == Run.Status.SUPERSEDED and second.reference != first.reference
    with pytest.raises(DomainError) as refused:
        services.run_execute(actor=actors.coordinator, run=first)
    assert refused.value.code == "stale"
    services.run_execute(actor=actors.coordinator, run=second)
    with pytest.raises(DomainError) as again:
        services.run_execute(actor=actors.coordinator, run=second)
    assert again.value.code == "executed"
    assert Settlement.objects.count() == 2


def test_a_proposal_that_clears_nothing_cannot_be_executed(actors):
    owe(actors.org_a, actors.org_b, 3_000)
    run = services.run_compute(actor=actors.coordinator)
    with pytest.raises(DomainError) as refused:
        services.run_execute(actor=actors.coordinator, run=run)
    assert refused.value.code == "empty"


# --- Consents ----------------------------------------------------------------------------


def test_a_member_admin_signs_and_withdraws_for_its_organisation_only():
    actors = make_actors()
    signed = services.consent_sign(
        actor=actors.member_admin_a, organisation=actors.org_a, signatory="Bernard Roux, président"
    )
    assert signed.signed_on == timezone.localdate() and signed.in_force
    with pytest.raises(NotAllowed):
        services.consent_sign(actor=actors.member_admin_a, organisation=actors.org_b, signatory="Bernard Roux")
    with pytest.raises(NotAllowed):
        services.consent_sign(actor=actors.member_user_a, organisation=actors.org_a, signatory="Alice Martin")
    with pytest.raises(DomainError) as twice:
        services.consent_sign(actor=actors.member_admin_a, organisation=actors.org_a, signatory="Bernard Roux")
    assert twice.value.code == "exists"
    withdrawn = services.consent_withdraw(actor=actors.member_admin_a, organisation=actors.org_a)
    assert withdrawn.withdrawn_on == timezone.localdate()
    assert services.consent_in_force(actors.org_a) is None


def test_only_the_coordinator_records_a_paper_signature_of_an_earlier_date():
    actors = make_actors()
    earlier = timezone.localdate() - dt.timedelta(days=20)
    with pytest.raises(DomainError) as refused:
        services.consent_sign(
            actor=actors.member_admin_b, organisation=actors.org_b, signatory="Chloé", signed_on=earlier
        )
    assert refused.value.field == "signed_on"
    recorded = services.consent_sign(
        actor=actors.coordinator, organisation=actors.org_b, signatory="Chloé Blanc, gérante", signed_on=earlier
    )
    assert recorded.signed_on == earlier and recorded.signed_by == actors.coordinator


def test_a_signature_without_a_signatory_is_refused():
    actors = make_actors()
    with pytest.raises(DomainError) as refused:
        services.consent_sign(actor=actors.member_admin_a, organisation=actors.org_a, signatory="  ")
    assert refused.value.field == "signatory"
    assert not Consent.objects.exists()


# --- The invariants, on generated networks -----------------------------------------------

PARTIES = 6


class TestInvariants(TestCase):
    """For any network of invoices among consenting members (the hub included): the cleared total is
    networkx's optimum to the cent; every net position is unchanged, in the run and in the ledger;
    no invoice is cleared beyond what is open; the suspense account ends at zero."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.actors = make_actors()
        cls.parties = [cls.actors.org_a, cls.actors.org_b] + [make_organisation() for _ in range(PARTIES - 3)]
        for organisation in cls.parties:
            consent(organisation, cls.actors.coordinator)
        cls.parties.append(None)  # the hub

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(
                st.integers(0, PARTIES - 1),
                st.integers(0, PARTIES - 1),
                st.integers(1, 500_000),
                st.integers(0, 90),
            ).filter(lambda t: t[0] != t[1]),
            min_size=1,
            max_size=25,
        )
    )
    def test_clearing_keeps_every_invariant(self, invoices):
        created = [
            owe(self.parties[debtor], self.parties[creditor], cents, days_ago=age)
            # Issued oldest first: an issuer's numbers follow its dates.
            for debtor, creditor, cents, age in sorted(invoices, key=lambda invoice: -invoice[3])
        ]
        obligations: dict[tuple[int, int], int] = defaultdict(int)
        for debtor, creditor, cents, _age in invoices:
            obligations[debtor, creditor] += cents
        nets_before = {self._suffix(party): _net(self._suffix(party)) for party in self.parties}

        run = services.run_compute(actor=self.actors.coordinator)

        assert run.cleared_cents == networkx_clearable(obligations)
        allocations = list(run.allocations.all())
        assert sum(a.amount_cents for a in allocations) == run.cleared_cents
        totals = {invoice.pk: invoice.total_incl_vat_cents for invoice in created}
        assert all(0 < a.amount_cents <= a.open_cents == totals[a.invoice_id] for a in allocations)
        for position in Position.objects.filter(run=run):
            assert position.cleared_cents <= min(position.owes_cents, position.owed_cents)
        if run.cleared_cents:
            services.run_execute(actor=self.actors.coordinator, run=run)
        assert _balance(services.SUSPENSE_ACCOUNT) == 0
        # Net positions in the ledger (receivable + payable balances) have not moved.
        assert {self._suffix(party): _net(self._suffix(party)) for party in self.parties} == nets_before
        # Leave the next example a clean slate: settle what is open in money.
        for invoice in Invoice.objects.filter(status=Invoice.Status.ISSUED, kind=Invoice.Kind.INVOICE):
            invoicing.invoice_record_payment(actor=self.actors.treasurer, invoice=invoice, paid_on=invoice.issue_date)

    @staticmethod
    def _suffix(party: object) -> str:
        return "HUB" if party is None else f"{party.pk:06d}"  # type: ignore[attr-defined]


def _net(suffix: str) -> int:
    return _balance(f"411{suffix}") + _balance(f"401{suffix}")


# --- The liquidity proposal --------------------------------------------------------------


def test_the_pool_cash_runs_down_a_chain_after_the_clearing(actors, org_c):
    from cordee.clearing import selectors

    owe(actors.org_a, actors.org_b, 10_000)
    owe(actors.org_b, org_c, 10_000)
    run = services.run_compute(actor=actors.coordinator)
    plan = selectors.liquidity(run, 10_000)
    # 100 € lent to A pays A → B, then B → C with the same money: 200 € settled, 2 € per euro.
    assert (plan.settled_cents, plan.cash_used_cents, plan.settled_per_euro) == (20_000, 10_000, 2)
    assert [(advance.organisation_id, advance.amount_cents) for advance in plan.advances] == [(actors.org_a.pk, 10_000)]
    assert plan.cycles_cents == 0


def test_debts_forming_cycles_after_an_executed_run_are_left_to_the_next_clearing(actors, org_c):
    from cordee.clearing import selectors

    owe(actors.org_a, actors.org_b, 10_000)
    owe(actors.org_b, actors.org_a, 4_000)
    run = services.run_execute(actor=actors.coordinator, run=services.run_compute(actor=actors.coordinator))
    owe(actors.org_b, actors.org_a, 1_000, days_ago=0)
    plan = selectors.liquidity(run, 100_000)
    # A owes B 60 € and B owes A 10 € again: 10 € would cancel each way; cash settles the 50 € left.
    assert plan.cycles_cents == 2_000
    assert plan.remaining_cents == 5_000 and plan.settled_cents == 5_000
