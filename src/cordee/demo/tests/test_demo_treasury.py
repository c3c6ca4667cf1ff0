"""The demo's solidarity treasury: a pool in every state a treasurer meets, a ledger that verifies,
a cash-flow plan heading for a crunch, and nothing loaded twice.

Loading the demo takes seconds, so a test loads it once and checks a whole side of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from cordee.core.models import User
from cordee.demo.loader import load_demo
from cordee.demo.treasury import COMMITTEE_MEMBER, TREASURER, TreasurySummary, load_treasury
from cordee.governance import services as governance
from cordee.governance.models import Decision, Vote
from cordee.ledger.verify import verify
from cordee.network.models import Family
from cordee.treasury import cashplans, sepa, services
from cordee.treasury.models import (
    Advance,
    CashDeclaration,
    CashPlan,
    Deposit,
    Provision,
    Reminder,
    Repayment,
    Schedule,
    TreasurySettings,
    Withdrawal,
)
from cordee.treasury.positions import position
from cordee.treasury.selectors import advance_checks, pool_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def treasury(settings, tmp_path: Path) -> TreasurySummary:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the board minutes and notifications it attaches
    load_demo()
    # The demo's loader calls it once its own transaction has committed; called again here, it
    # finds the treasury there and only counts it.
    return load_treasury()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_it_loads_a_pool_in_every_state_once_and_its_ledger_verifies(treasury: TreasurySummary) -> None:
    today = timezone.localdate()
    assert verify().ok

    # The pool: the regime, its caps, bank identifiers the SEPA files accept, a committee of five.
    pool = TreasurySettings.current()
    assert pool.regime == "nonprofit" and pool.default_rate_bps == 0
    assert pool.liquidity_reserve_percent == 20 and pool.concentration_cap_percent == 35
    assert pool.member_exposure_cap_cents == 3_000_000
    assert sepa.check_iban(pool.iban) == pool.iban.replace(" ", "")
    assert sepa.check_bic(pool.bic) == pool.bic
    assert sepa.check_creditor_identifier(pool.creditor_identifier) == pool.creditor_identifier
    assert pool.committee is not None
    seated = set(governance.current_seats(pool.committee.pk).values_list("person__email", flat=True))
    assert len(seated) == 5 and COMMITTEE_MEMBER in seated

    # Deposits: twelve from non-profit members, each declared its cash; every stage of a deposit.
    deposits = Deposit.objects.select_related("organisation")
    assert (treasury.deposits, deposits.count()) == (12, 12)
    assert len({deposit.organisation_id for deposit in deposits}) == 12
    assert {deposit.organisation.family for deposit in deposits} <= {Family.ASSOCIATION, Family.FOUNDATION}
    assert deposits.filter(status=Deposit.Status.PROPOSED).count() == 1
    assert deposits.filter(kind=Deposit.Kind.RETURNABLE).count() >= 2
    assert deposits.filter(term_date__isnull=False).exists() and deposits.filter(notice_days__isnull=False).exists()
    for deposit in deposits:
        assert CashDeclaration.objects.filter(organisation=deposit.organisation, year=today.year).exists()
        if deposit.received_on is not None:
            year = deposit.received_on.year
            assert CashDeclaration.objects.filter(organisation=deposit.organisation, year=year).exists()
        if deposit.kind == Deposit.Kind.LOAN:
            assert deposit.board_minute.name.endswith(".pdf") and deposit.attestation.read().startswith(b"%PDF-1.4")
    assert Withdrawal.objects.filter(status=Withdrawal.Status.REQUESTED).count() == 1
    (paid,) = Withdrawal.objects.filter(status=Withdrawal.Status.PAID)
    assert paid.deposit.status == Deposit.Status.CONFIRMED  # partly withdrawn

    # Advances: every status, and each ageing bucket; a rescheduling that kept the first schedule.
    statuses = set(Advance.objects.values_list("status", flat=True))
    assert statuses == {"requested", "approved", "refused", "disbursed", "repaid", "written_off"}
    assert treasury.statuses["disbursed"] == 7
    buckets = pool_figures(today).buckets
    assert all(buckets[bucket] > 0 for bucket in ("current", "1-30", "31-60", "61-90", "90+")), buckets
    granted = Advance.objects.filter(amount_cents__isnull=False).values_list("amount_cents", flat=True)
    assert all(300_000 <= cents <= 3_000_000 for cents in granted if cents is not None)
    (rescheduled,) = Advance.objects.filter(schedules__reason=Schedule.Reason.RESCHEDULING)
    assert list(rescheduled.schedules.values_list("version", "reason")) == [(1, "initial"), (2, "rescheduling")]
    assert position(rescheduled, today).days_past_due == 0  # repaid on time since

    # The write-off released the provision booked when it was over 90 days late; money came in since.
    (written_off,) = Advance.objects.filter(status=Advance.Status.WRITTEN_OFF)
    (booked, released) = written_off.provisions.order_by("on", "pk")
    assert (booked.bucket, released.bucket) == ("90+", "written_off")
    assert booked.change_cents > 0 and released.change_cents == -booked.change_cents
    recovery = Repayment.objects.get(advance=written_off, recovery_cents__gt=0)
    assert written_off.closed_on is not None and recovery.received_on > written_off.closed_on

    # The daily run has been: a provision for each advance late by more than 30 days, reminders.
    for advance in Advance.objects.filter(status=Advance.Status.DISBURSED):
        if position(advance, today).days_past_due > 30:
            assert Provision.objects.filter(advance=advance, on=today).exists(), advance
    assert Reminder.objects.count() >= 4

    # The request awaiting the committee: some votes cast, the demo's committee member not yet.
    (open_request,) = Advance.objects.filter(status=Advance.Status.REQUESTED)
    assert open_request.decision is not None and open_request.decision.status == Decision.Status.OPEN
    voters = set(Vote.objects.filter(decision=open_request.decision).values_list("seat__person__email", flat=True))
    assert voters and COMMITTEE_MEMBER not in voters
    assert {check.code for check in advance_checks(open_request) if not check.passed} == set()

    # Cash-flow plans: three, one heading for a crunch from its third month to its fifth.
    plans = {plan.organisation.name: plan for plan in CashPlan.objects.select_related("organisation")}
    assert len(plans) == 3
    gaps = {name: [row.month for row in cashplans.gaps(plan)] for name, plan in plans.items()}
    (crunch,) = [name for name, months in gaps.items() if months]
    first = plans[crunch].first_month
    assert gaps[crunch] == [cashplans.add_months(first, index) for index in (2, 3, 4)]
    proposal = cashplans.proposed_advance(plans[crunch])
    assert proposal is not None and proposal.subsidy is not None
    assert proposal.subsidy.month == cashplans.add_months(first, 5)

    # Loaded once: a second load finds it and creates nothing.
    counts = row_counts()
    again = load_treasury()
    assert again.created == 0
    assert (again.deposits, again.advances, again.plans) == (treasury.deposits, treasury.advances, treasury.plans)
    assert row_counts() == counts


def test_the_demo_logins_can_take_it_from_there(treasury: TreasurySummary) -> None:
    """What the demo leaves to try: the treasurer confirms the deposit announced, pays the
    withdrawal whose notice has run and pays out the approved advance; the committee member votes."""
    treasurer = User.objects.get(email=TREASURER)
    today = timezone.localdate()

    proposed = Deposit.objects.get(status=Deposit.Status.PROPOSED)
    services.deposit_confirm(actor=treasurer, deposit=proposed, received_on=today, bank_reference="VIR DEMO")
    withdrawal = Withdrawal.objects.get(status=Withdrawal.Status.REQUESTED)
    assert withdrawal.payable_on <= today
    services.withdrawal_pay(actor=treasurer, withdrawal=withdrawal)
    approved = Advance.objects.get(status=Advance.Status.APPROVED)
    services.advance_disburse(actor=treasurer, advance=approved)
    request = Advance.objects.get(status=Advance.Status.REQUESTED)
    assert request.decision is not None
    governance.vote_cast(actor=User.objects.get(email=COMMITTEE_MEMBER), decision=request.decision, choice="for")

    assert Deposit.objects.filter(status=Deposit.Status.PROPOSED).count() == 0
    assert Advance.objects.get(pk=approved.pk).status == Advance.Status.DISBURSED
    assert verify().ok
