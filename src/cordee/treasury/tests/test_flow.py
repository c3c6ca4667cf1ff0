import datetime as dt

import pytest
from django.utils import timezone

from cordee.core.testing import make_actors
from cordee.ledger.verify import verify
from cordee.treasury import selectors, services
from cordee.treasury.tests.factories import disbursed_advance, set_up_pool

pytestmark = pytest.mark.django_db


def test_an_advance_goes_from_request_to_repaid():
    actors = make_actors()
    pool = set_up_pool(actors)
    start = timezone.localdate() - dt.timedelta(days=10)
    advance = disbursed_advance(pool, on=start, mode="linear", term_months=3)
    assert advance.status == "disbursed"
    dues = selectors.amounts_due(advance, timezone.localdate())
    assert sum(d.principal_cents for d in dues) == 1_200_000
    services.repayment_record(
        actor=actors.treasurer, advance=advance, amount_cents=400_000, received_on=timezone.localdate()
    )
    services.repayment_record(
        actor=actors.treasurer, advance=advance, amount_cents=800_000, received_on=timezone.localdate()
    )
    advance.refresh_from_db()
    assert advance.status == "repaid"
    assert selectors.cash_cents() == 10_000_000
    report = verify()
    assert report.ok, report
