"""Computing and executing clearing runs: what is cleared, what is refused, what reaches the ledger."""

from __future__ import annotations

import pytest

from cordee.clearing import services
from cordee.clearing.models import Run
from cordee.clearing.tests.support import consent, owe
from cordee.core.errors import DomainError
from cordee.core.testing import make_actors, make_organisation
from cordee.invoicing.models import Invoice
from cordee.ledger.models import Account

pytestmark = pytest.mark.django_db


def _balance(number: str) -> int:
    account = Account.objects.get(ledger__code="EUR", number=number)
    return account.debits_posted - account.credits_posted


def test_a_triangle_is_cleared_and_posted_through_the_suspense_account():
    actors = make_actors()
    c = make_organisation("Tiers-lieu du Champsaur")
    a, b = actors.org_a, actors.org_b
    for organisation in (a, b, c):
        consent(organisation, actors.coordinator)
    ab = owe(a, b, 10_000, days_ago=40)
    bc = owe(b, c, 8_000)
    ca = owe(c, a, 5_000)
    run = services.run_compute(actor=actors.coordinator)
    assert (run.debt_cents, run.cleared_cents, run.invoice_count) == (23_000, 15_000, 3)
    assert dict(run.allocations.values_list("invoice_id", "amount_cents")) == {ab.pk: 5_000, bc.pk: 5_000, ca.pk: 5_000}
    services.run_execute(actor=actors.coordinator, run=run)
    run.refresh_from_db()
    assert run.status == Run.Status.EXECUTED
    ca.refresh_from_db()
    ab.refresh_from_db()
    assert ca.status == Invoice.Status.PAID
    assert ab.status == Invoice.Status.ISSUED
    assert _balance(services.SUSPENSE_ACCOUNT) == 0
    # A owed 100 € and is owed 50 €: 50 € of each has gone.
    assert -_balance(f"401{a.pk:06d}") == 10_000 - 5_000
    assert _balance(f"411{a.pk:06d}") == 5_000 - 5_000


def test_a_proposal_is_refused_once_an_invoice_is_paid():
    actors = make_actors()
    a, b = actors.org_a, actors.org_b
    consent(a, actors.coordinator)
    consent(b, actors.coordinator)
    owe(a, b, 3_000)
    paid = owe(b, a, 2_000)
    run = services.run_compute(actor=actors.coordinator)
    from cordee.invoicing import services as invoicing

    invoicing.invoice_record_payment(actor=actors.treasurer, invoice=paid, paid_on=paid.issue_date)
    with pytest.raises(DomainError) as refused:
        services.run_execute(actor=actors.coordinator, run=run)
    assert refused.value.code == "stale"
    run.refresh_from_db()
    assert run.status == Run.Status.PROPOSED
