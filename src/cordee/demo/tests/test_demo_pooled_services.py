"""The demo's shared staff and skills exchange: loaded through their services, once, with figures
that add up and a ledger that verifies."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.utils import timezone

from cordee.core.models import User
from cordee.demo.loader import load_demo
from cordee.demo.staffing import EMPLOYEE_LOGIN
from cordee.invoicing.models import Invoice
from cordee.ledger.verify import verify
from cordee.skills import credits
from cordee.skills.models import Direction, Exchange, Listing, Terms
from cordee.staffing.models import Employee, MonthInvoicing, TimeEntry

pytestmark = pytest.mark.django_db


def test_the_demo_shares_two_employees_and_reinvoices_their_last_three_months() -> None:
    first = load_demo()
    assert first.staffing.employees == 2 and first.staffing.months_invoiced == 6

    lea = Employee.objects.get(full_name="Léa Bonnet")
    assert lea.employer is None and lea.person == User.objects.get(email=EMPLOYEE_LOGIN)
    marc = Employee.objects.get(full_name="Marc Eyraud")
    assert marc.employer is not None
    this_month = timezone.localdate().replace(day=1)
    for employee in (lea, marc):
        months = list(employee.invoicings.order_by("month").values_list("month", flat=True))
        assert len(months) == 3 and months[-1] < this_month
        assert len({org for org in employee.plans.values_list("shares__organisation", flat=True)}) >= 3
    for done in MonthInvoicing.objects.all():
        # Every cent of the month is on an invoice or left to the employer, and nowhere else.
        invoiced = done.invoices.aggregate(total=Sum("total_incl_vat_cents"))["total"]
        assert invoiced == done.invoiced_cents
        assert done.invoiced_cents + done.employer_cents == done.cost_cents + done.expenses_cents
    # The lender keeps its own share: no invoice from the Recyclerie to itself.
    assert not Invoice.objects.filter(issuer=marc.employer, recipient=marc.employer).exists()
    # This month's hours wait for the member admins; one week is disputed.
    assert TimeEntry.objects.filter(state=TimeEntry.State.PENDING, day__gte=this_month).exists()
    assert TimeEntry.objects.filter(state=TimeEntry.State.DISPUTED).exists()
    assert not TimeEntry.objects.filter(day__lt=this_month).exclude(state=TimeEntry.State.VALIDATED).exists()

    again = load_demo()
    assert again.staffing.created == 0 and again.skills.created == 0
    assert MonthInvoicing.objects.count() == 6 and Employee.objects.count() == 2


def test_the_demo_exchange_has_offers_needs_and_exchanges_in_hours_and_euros() -> None:
    summary = load_demo()
    assert summary.skills.offers >= 30 and summary.skills.needs >= 20
    assert Listing.objects.filter(direction=Direction.OFFER).count() == summary.skills.offers
    done = Exchange.objects.filter(state=Exchange.State.DONE)
    in_hours = done.filter(terms=Terms.HOURS)
    in_euros = done.filter(terms=Terms.EUROS)
    assert in_hours.exists() and in_euros.exists()
    assert all(exchange.invoice_id for exchange in in_euros)
    assert Exchange.objects.filter(state=Exchange.State.PROPOSED).exists()
    assert Exchange.objects.filter(state=Exchange.State.ACCEPTED).exists()
    # Time credits move from the receiver to the giver, and nobody ends outside its bounds.
    moved: dict[int, int] = {}
    for exchange in in_hours:
        moved[exchange.giver_id] = moved.get(exchange.giver_id, 0) + exchange.minutes
        moved[exchange.receiver_id] = moved.get(exchange.receiver_id, 0) - exchange.minutes
    for exchange in in_hours:
        for organisation in (exchange.giver, exchange.receiver):
            assert credits.balance_of(organisation) == moved[organisation.pk]
    assert verify().ok
