"""Random advances of one member, random charges and repayments on random days after disbursement
and in random order, checked against what a treasurer's ledger must say whatever happened:

- for each advance, the principal repaid plus the outstanding is the amount granted, and the
  schedule in force, less the principal paid under it, is the outstanding;
- the member's 274 account holds the outstanding of its advances being repaid;
- the pool's bank account holds the initial funds, less what was paid out, plus every repayment;
  interest sits on 7624POOL, penalties and fees on 758POOL;
- every schedule repays exactly its principal, on working days, after it takes over, with each
  period's interest rounded half-up once;
- a repayment on a closed advance, dated before one already recorded or before the schedule in
  force, or beyond what is owed, is refused with its reason and writes nothing;
- `verify()` finds the ledger sound.

Each example runs in a savepoint rolled back at its end: the ledger is append-only, so an example
cannot delete what the one before it wrote.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordee.core.errors import DomainError
from cordee.core.testing import make_actors
from cordee.ledger.models import Account, Transfer
from cordee.ledger.verify import verify
from cordee.treasury import selectors, services
from cordee.treasury.models import Advance, Charge, Instalment, Repayment, Schedule
from cordee.treasury.tests.factories import requested_advance, set_up_pool, vote_all

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
FUND = 10_000_000
SHARE = 1_000_000  # shares of a day range or of an amount, in millionths


@dataclass(frozen=True)
class Plan:
    amount_cents: int
    mode: str
    term_months: int
    rate_bps: int
    days_ago: int
    subsidy_in_days: int  # a bullet is repaid when the subsidy comes


plans = st.builds(
    Plan,
    amount_cents=st.integers(50_000, 2_000_000),
    mode=st.sampled_from(["linear", "annuity", "bullet"]),
    term_months=st.integers(1, 12),
    rate_bps=st.integers(0, 100),
    days_ago=st.integers(1, 420),
    subsidy_in_days=st.integers(1, 28),
)
Event = tuple[str, int, int, int, str]
events = st.tuples(
    st.sampled_from(["repay", "repay", "repay", "charge", "overpay"]),
    st.integers(0, 2),  # which advance (modulo how many there are)
    st.integers(0, SHARE),  # when, as a share of the days from the disbursement to today
    st.one_of(st.just(SHARE), st.integers(1, SHARE)),  # how much, as a share of what is owed
    st.sampled_from(["shorten", "reduce"]),
)


def debit_balance(number: str) -> int:
    """Posted debits less credits; zero for an account never opened (no interest received yet)."""
    account = Account.objects.filter(ledger__code="EUR", number=number).first()
    return account.debits_posted - account.credits_posted if account else 0


def total(queryset, field: str) -> int:  # type: ignore[no-untyped-def]
    return queryset.aggregate(total=Sum(field))["total"] or 0


def owed(advance: Advance, on: dt.date) -> int:
    """The most a repayment on `on` may bring: everything due, and the principal not yet due."""
    place = selectors.position(advance, on)
    return place.penalties_due_cents + place.fees_due_cents + place.interest_due_cents + place.outstanding_cents


def row_counts() -> tuple[int, int, int, int]:
    return Repayment.objects.count(), Schedule.objects.count(), Charge.objects.count(), Transfer.objects.count()


def expected_refusal(advance: Advance, on: dt.date) -> tuple[str, str] | None:
    """(field, code) of the refusal a repayment on `on` must meet, if any."""
    if advance.status == Advance.Status.REPAID:
        return "advance", "closed"
    latest = advance.repayments.order_by("-received_on").values_list("received_on", flat=True).first()
    in_force = advance.schedules.order_by("-version").values_list("effective_from", flat=True).first()
    assert in_force is not None
    if on < max(latest or in_force, in_force):
        return "received_on", "back_dated"
    return None


def assert_refused(call: Callable[[], object], refusal: tuple[str, str]) -> None:
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.field, caught.value.code) == refusal
    assert row_counts() == before


def half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def check_interest(advance: Advance, schedule: Schedule, rows: list[Instalment]) -> None:
    """Each period's interest, rounded half-up to the cent once: the balance left × rate / 12 for
    monthly instalments; principal × rate × days / 365 for a bullet, from the disbursement to the
    subsidy's expected date, or from an early repayment to the due date."""
    if schedule.mode == "bullet":
        [row] = rows
        end = advance.expected_payment_on if schedule.version == 1 else row.due_on
        assert end is not None
        days = (end - schedule.effective_from).days
        assert row.interest_cents == half_up(row.principal_cents * schedule.rate_bps * days, 10_000 * 365)
        return
    balance = schedule.principal_cents
    for row in rows:
        assert row.interest_cents == half_up(balance * schedule.rate_bps, 10_000 * 12)
        balance -= row.principal_cents
    assert balance == 0


def check_schedules(advance: Advance) -> None:
    schedules = list(advance.schedules.order_by("version"))
    assert [schedule.version for schedule in schedules] == list(range(1, len(schedules) + 1))
    for schedule in schedules:
        rows = list(schedule.instalments.order_by("number"))
        assert sum(row.principal_cents for row in rows) == schedule.principal_cents
        assert all(row.principal_cents >= 0 and row.interest_cents >= 0 for row in rows)
        assert all(row.due_on > schedule.effective_from for row in rows)
        assert all(row.due_on.weekday() < 5 for row in rows)
        assert all(before.due_on < after.due_on for before, after in itertools.pairwise(rows))
        check_interest(advance, schedule, rows)
    latest = schedules[-1]
    paid_under_latest = total(Repayment.objects.filter(schedule=latest), "principal_cents")
    assert latest.principal_cents - paid_under_latest == selectors.position(advance, TODAY).outstanding_cents


def check_books(advances: list[Advance]) -> None:
    organisation = advances[0].organisation
    repayments = Repayment.objects.filter(advance__in=advances)
    for advance in advances:
        advance.refresh_from_db()
        principal = total(repayments.filter(advance=advance), "principal_cents")
        assert principal + selectors.position(advance, TODAY).outstanding_cents == advance.amount_cents
        assert advance.status == (Advance.Status.REPAID if principal == advance.amount_cents else "disbursed")
        check_schedules(advance)
    assert debit_balance(f"274{organisation.pk:06d}") == selectors.outstanding_cents(organisation.pk, TODAY)
    granted = sum(advance.amount_cents or 0 for advance in advances)
    assert debit_balance("512POOL") == FUND - granted + total(repayments, "amount_cents")
    assert -debit_balance("7624POOL") == total(repayments, "interest_cents")
    assert -debit_balance("758POOL") == total(repayments, "penalties_cents") + total(repayments, "fees_cents")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=st.lists(plans, min_size=1, max_size=3), events=st.lists(events, max_size=8))
def test_random_repayments_keep_the_books_whole(plans: list[Plan], events: list[Event]) -> None:
    savepoint = transaction.savepoint()
    try:
        actors = make_actors()
        pool = set_up_pool(actors, fund_cents=FUND, member_exposure_cap_cents=10 * FUND)
        treasurer = actors.treasurer
        advances = []
        for plan in plans:
            advance = requested_advance(
                pool,
                amount_cents=plan.amount_cents,
                notified_amount_cents=plan.amount_cents,
                mode=plan.mode,
                term_months=plan.term_months,
                expected_payment_on=TODAY + plan.subsidy_in_days * DAY,
            )
            vote_all(pool, advance)
            services.advance_decide(actor=treasurer, advance=advance, rate_bps=plan.rate_bps)
            advances.append(services.advance_disburse(actor=treasurer, advance=advance, on=TODAY - plan.days_ago * DAY))
        check_books(advances)

        for kind, which, when, share, option in events:
            advance = Advance.objects.get(pk=advances[which % len(advances)].pk)
            assert advance.disbursed_on is not None
            on = advance.disbursed_on + (TODAY - advance.disbursed_on).days * when // SHARE * DAY
            refusal = expected_refusal(advance, on)
            if kind == "charge":
                charge = partial(
                    services.charge_add,
                    actor=treasurer,
                    advance=advance,
                    kind="penalty" if share % 2 else "fee",
                    amount_cents=1 + share % 10_000,
                    label="Pénalité de retard",
                    on=on,
                )
                if advance.status == Advance.Status.REPAID:
                    assert_refused(charge, ("status", "state"))
                else:
                    charge()
            elif refusal is not None:
                repayment = partial(
                    services.repayment_record, actor=treasurer, advance=advance, amount_cents=1, received_on=on
                )
                assert_refused(repayment, refusal)
            elif kind == "overpay":
                too_much = owed(advance, on) + 1
                repayment = partial(
                    services.repayment_record, actor=treasurer, advance=advance, amount_cents=too_much, received_on=on
                )
                assert_refused(repayment, ("amount_cents", "overpayment"))
            else:
                amount = max(1, owed(advance, on) * share // SHARE)
                recorded = services.repayment_record(
                    actor=treasurer, advance=advance, amount_cents=amount, received_on=on, prepayment_option=option
                )
                assert recorded.amount_cents == amount
                assert min(recorded.penalties_cents, recorded.fees_cents, recorded.interest_cents) >= 0
                assert 0 <= recorded.prepaid_cents <= recorded.principal_cents
            check_books(advances)

        report = verify()
        assert report.ok, report.violations
    finally:
        transaction.savepoint_rollback(savepoint)
