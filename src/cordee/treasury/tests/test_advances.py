"""An advance from request to disbursement: the checks shown to the committee, the vote with its
recusals, the decision with its conditions, the reservation of the cash as a pending transfer with
an expiry, its posting at disbursement, and its voiding on refusal, withdrawal or expiry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.testing import Actors
from cordee.governance import services as governance
from cordee.governance.models import BodyMember, Decision, Vote
from cordee.ledger.models import Account, Transfer
from cordee.ledger.verify import verify
from cordee.network.models import Membership, Organisation
from cordee.treasury import selectors, services
from cordee.treasury.models import Advance, Charge, Instalment, Schedule, TreasurySettings
from cordee.treasury.tests.factories import (
    Pool,
    approved_advance,
    borrower,
    disbursed_advance,
    requested_advance,
    set_up_pool,
    vote_all,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
CHECKS = ["regime", "membership", "exposure", "liquidity", "concentration", "history"]


@pytest.fixture
def pool(actors: Actors) -> Pool:
    return set_up_pool(actors)


def debit_balance(number: str) -> int:
    account = Account.objects.get(ledger__code="EUR", number=number)
    return account.debits_posted - account.credits_posted


def of(prefix: str, organisation: Organisation) -> str:
    return f"{prefix}{organisation.pk:06d}"


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Advance, Decision, Vote, Schedule, Instalment, Charge, Transfer)
    }


def assert_refused(call: Callable[[], Any], *, field: str | None, code: str = "invalid") -> None:
    """The call raises a DomainError on `field` with `code`, and writes nothing."""
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.field, caught.value.code) == (field, code)
    assert row_counts() == before


def assert_forbidden(call: Callable[[], Any]) -> None:
    before = row_counts()
    with pytest.raises(NotAllowed):
        call()
    assert row_counts() == before


def checks_of(advance: Advance, on: dt.date | None = None) -> dict[str, selectors.Check]:
    # Fetched afresh, as a view would: the test's organisation caches its membership.
    checks = selectors.advance_checks(Advance.objects.get(pk=advance.pk), on)
    assert [check.code for check in checks] == CHECKS
    assert all(check.reason for check in checks)
    return {check.code: check for check in checks}


def passed(advance: Advance) -> dict[str, bool]:
    return {code: check.passed for code, check in checks_of(advance).items()}


# --- The request and the committee ---------------------------------------------------------------


def test_a_request_seizes_the_committee_and_posts_nothing(pool: Pool) -> None:
    actors = pool.actors
    transfers = Transfer.objects.count()
    advance = requested_advance(pool)
    assert advance.status == Advance.Status.REQUESTED
    assert advance.reference.startswith(f"AV-{TODAY.year}-")
    assert (advance.amount_requested_cents, advance.amount_cents) == (1_200_000, None)
    decision = advance.decision
    assert (decision.body, decision.status, decision.subject) == (pool.committee, Decision.Status.OPEN, advance)
    assert list(decision.concerned.all()) == [actors.org_a]
    assert Transfer.objects.count() == transfers
    assert selectors.available_cents() == 10_000_000


def test_a_committee_member_sitting_for_the_applicant_is_recused(pool: Pool) -> None:
    actors = pool.actors
    BodyMember.objects.create(
        body=pool.committee, person=actors.member_admin_a, organisation=actors.org_a, starts_on=TODAY - 100 * DAY
    )
    advance = requested_advance(pool)
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        governance.vote_cast(actor=actors.member_admin_a, decision=advance.decision, choice=Vote.Choice.FOR)
    assert (caught.value.field, caught.value.code) == ("seat", governance.RECUSED)
    assert row_counts() == before
    with pytest.raises(DomainError) as caught:
        governance.vote_cast(actor=actors.outsider, decision=advance.decision, choice=Vote.Choice.FOR)
    assert caught.value.code == governance.NO_SEAT

    vote_all(pool, advance)
    services.advance_decide(actor=actors.treasurer, advance=advance)
    decision = Decision.objects.get(pk=advance.decision_id)
    # Five seats, one recused: four entitled, four for.
    assert (decision.entitled_count, decision.votes_for) == (4, 4)
    assert decision.outcome == Decision.Outcome.APPROVED


def test_a_vote_after_the_decision_is_refused(pool: Pool) -> None:
    advance = approved_advance(pool)
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        governance.vote_cast(actor=pool.voters[0], decision=advance.decision, choice=Vote.Choice.AGAINST)
    assert (caught.value.field, caught.value.code) == ("status", "closed")
    assert row_counts() == before
    assert Vote.objects.filter(decision=advance.decision, choice=Vote.Choice.FOR).count() == 4


def test_an_approval_with_a_lower_amount_and_conditions_reserves_it_as_a_pending_transfer(pool: Pool) -> None:
    actors = pool.actors
    advance = requested_advance(pool)
    vote_all(pool, advance)
    advance = services.advance_decide(
        actor=actors.treasurer,
        advance=advance,
        amount_cents=800_000,
        rate_bps=50,
        conditions="8 000 € au lieu de 12 000 €",
        reasons="Trésorerie suffisante pour 8 000 €",
    )

    advance.refresh_from_db()
    assert (advance.status, advance.amount_requested_cents, advance.amount_cents, advance.rate_bps) == (
        Advance.Status.APPROVED,
        1_200_000,
        800_000,
        50,
    )
    assert advance.approved_on == TODAY
    assert advance.conditions == "8 000 € au lieu de 12 000 €"
    decision = advance.decision
    assert (decision.status, decision.outcome) == (Decision.Status.CLOSED, Decision.Outcome.APPROVED)
    assert (decision.reasons, decision.conditions) == ("Trésorerie suffisante pour 8 000 €", advance.conditions)

    # The 8 000 € are held, not paid: pending from 512POOL to 274<A>, lapsing with the approval.
    pending = Transfer.objects.get(pk=advance.pending_transfer_id)
    assert (pending.kind, pending.amount) == (Transfer.Kind.PENDING, 800_000)
    assert (pending.debit_account.number, pending.credit_account.number) == (of("274", actors.org_a), "512POOL")
    assert abs(pending.expires_at - advance.approval_expires_at) < dt.timedelta(seconds=5)
    assert abs(advance.approval_expires_at - (timezone.now() + 60 * DAY)) < dt.timedelta(minutes=1)
    assert debit_balance("512POOL") == 10_000_000
    assert selectors.available_cents() == 10_000_000 - 800_000
    assert selectors.committed_cents(actors.org_a.pk) == 800_000
    assert selectors.exposure_cents(actors.org_a.pk) == 800_000
    assert verify().ok


def test_disbursement_posts_the_reservation_and_draws_up_the_first_schedule(pool: Pool) -> None:
    actors = pool.actors
    advance = approved_advance(pool, mode="linear", term_months=6)
    on = TODAY - 3 * DAY
    services.advance_disburse(actor=actors.treasurer, advance=advance, on=on)

    advance.refresh_from_db()
    assert (advance.status, advance.disbursed_on) == (Advance.Status.DISBURSED, on)
    posting = Transfer.objects.get(pending_id=advance.pending_transfer_id)
    assert (posting.kind, posting.amount, posting.value_date) == (Transfer.Kind.POST_PENDING, 1_200_000, on)
    # 100 000 € - 12 000 € paid out; A owes 12 000 €.
    assert debit_balance("512POOL") == 8_800_000
    assert debit_balance(of("274", actors.org_a)) == 1_200_000
    assert selectors.available_cents() == 8_800_000
    schedule = Schedule.objects.get(advance=advance)
    assert (schedule.version, schedule.reason, schedule.principal_cents, schedule.effective_from) == (
        1,
        Schedule.Reason.INITIAL,
        1_200_000,
        on,
    )
    assert schedule.instalments.count() == 6
    assert selectors.position(advance, on).outstanding_cents == 1_200_000
    assert verify().ok


def test_a_refusal_reserves_nothing(pool: Pool) -> None:
    advance = requested_advance(pool)
    vote_all(pool, advance, choice=Vote.Choice.AGAINST)
    advance = services.advance_decide(actor=pool.actors.treasurer, advance=advance, reasons="Plan trop fragile")
    advance.refresh_from_db()
    assert (advance.status, advance.amount_cents, advance.pending_transfer_id) == (Advance.Status.REFUSED, None, None)
    assert (advance.decision.outcome, advance.decision.reasons) == (Decision.Outcome.REJECTED, "Plan trop fragile")
    assert not Transfer.objects.filter(reference=f"advance:{advance.pk}").exists()
    assert selectors.available_cents() == 10_000_000
    assert verify().ok


def test_without_a_quorum_the_advance_is_not_granted(pool: Pool) -> None:
    advance = requested_advance(pool)
    governance.vote_cast(actor=pool.voters[0], decision=advance.decision, choice=Vote.Choice.FOR)
    services.advance_decide(actor=pool.actors.treasurer, advance=advance)
    advance = Advance.objects.select_related("decision").get(pk=advance.pk)
    assert advance.decision.outcome == Decision.Outcome.NO_QUORUM
    assert advance.status == Advance.Status.REFUSED
    assert selectors.available_cents() == 10_000_000


def test_giving_up_an_approval_voids_the_reservation(pool: Pool) -> None:
    actors = pool.actors
    advance = approved_advance(pool)
    services.advance_withdraw_approval(actor=actors.member_admin_a, advance=advance, reason="Subvention versée")
    advance.refresh_from_db()
    assert advance.status == Advance.Status.CANCELLED
    void = Transfer.objects.get(pending_id=advance.pending_transfer_id)
    assert void.kind == Transfer.Kind.VOID_PENDING
    assert selectors.available_cents() == 10_000_000
    assert Account.objects.get(number="512POOL").credits_pending == 0
    assert_refused(
        lambda: services.advance_disburse(actor=actors.treasurer, advance=advance), field="status", code="state"
    )
    assert verify().ok


def test_the_daily_run_voids_the_approvals_not_disbursed_in_time(pool: Pool) -> None:
    actors = pool.actors
    advance = approved_advance(pool)
    assert services.advances_expire(now=timezone.now() + 59 * DAY) == 0
    assert services.advances_expire(now=timezone.now() + 61 * DAY) == 1
    assert services.advances_expire(now=timezone.now() + 62 * DAY) == 0  # safe to repeat
    advance.refresh_from_db()
    assert advance.status == Advance.Status.EXPIRED
    # Released once, by the treasury's void or by the ledger's own expiry, whichever ran first.
    released = Transfer.objects.get(pending_id=advance.pending_transfer_id)
    assert released.kind in (Transfer.Kind.VOID_PENDING, Transfer.Kind.EXPIRY)
    assert selectors.available_cents() == 10_000_000
    assert_refused(
        lambda: services.advance_disburse(actor=actors.treasurer, advance=advance), field="status", code="state"
    )
    assert verify().ok


def approved_61_days_ago(pool: Pool) -> Advance:
    """The ledger compares a pending transfer's expiry with the real clock: only an approval
    written 61 days ago lets the 60 days' validity run out before the test's eyes."""
    advance = requested_advance(pool)
    vote_all(pool, advance)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - 61 * DAY):
        return services.advance_decide(actor=pool.actors.treasurer, advance=advance)


def test_an_approval_that_lapsed_in_the_ledger_cannot_be_disbursed(pool: Pool) -> None:
    advance = approved_61_days_ago(pool)
    assert_refused(
        lambda: services.advance_disburse(actor=pool.actors.treasurer, advance=advance),
        field=None,
        code="approval_lapsed",
    )
    advance.refresh_from_db()
    assert advance.status == Advance.Status.APPROVED
    assert verify().ok


def test_the_daily_run_expires_an_approval_whose_reservation_already_lapsed(pool: Pool) -> None:
    advance = approved_61_days_ago(pool)
    assert services.advances_expire() == 1
    advance.refresh_from_db()
    assert advance.status == Advance.Status.EXPIRED
    assert Transfer.objects.get(pending_id=advance.pending_transfer_id).kind in (
        Transfer.Kind.VOID_PENDING,
        Transfer.Kind.EXPIRY,
    )
    assert selectors.available_cents() == 10_000_000
    assert services.advances_expire() == 0
    assert verify().ok


def test_an_approval_the_pool_cannot_pay_is_refused_and_the_vote_stays_open(actors: Actors) -> None:
    pool = set_up_pool(actors, fund_cents=1_000_000)
    advance = requested_advance(pool, amount_cents=1_200_000)
    vote_all(pool, advance)
    assert_refused(
        lambda: services.advance_decide(actor=actors.treasurer, advance=advance),
        field="amount",
        code="insufficient_liquidity",
    )
    advance.refresh_from_db()
    assert (advance.status, advance.decision.status) == (Advance.Status.REQUESTED, Decision.Status.OPEN)
    # The committee grants what the pool holds.
    advance = services.advance_decide(actor=actors.treasurer, advance=advance, amount_cents=1_000_000)
    assert selectors.available_cents() == 0
    assert verify().ok


def test_the_applicant_withdraws_its_request_before_the_decision(pool: Pool) -> None:
    advance = requested_advance(pool)
    services.advance_cancel(actor=pool.actors.member_admin_a, advance=advance)
    advance.refresh_from_db()
    assert (advance.status, advance.decision.status) == (Advance.Status.CANCELLED, Decision.Status.CANCELLED)
    assert_refused(
        lambda: services.advance_decide(actor=pool.actors.treasurer, advance=advance), field="status", code="state"
    )


# --- The automatic checks shown to the committee ---------------------------------------------------


def test_every_check_passes_for_a_sound_request(pool: Pool) -> None:
    other = borrower()
    disbursed_advance(pool, organisation=other, on=TODAY)
    advance = requested_advance(pool)
    # A's 12 000 € of 24 000 € lent: 50 %, within the 60 % cap.
    assert passed(advance) == dict.fromkeys(CHECKS, True)


def test_the_membership_check_fails_for_a_recent_member(pool: Pool) -> None:
    Membership.objects.filter(organisation=pool.actors.org_a).update(joined_on=TODAY - 30 * DAY)
    advance = requested_advance(pool)
    assert passed(advance)["membership"] is False  # 30 days, 90 required
    Membership.objects.filter(organisation=pool.actors.org_a).update(joined_on=TODAY - 90 * DAY)
    assert passed(advance)["membership"] is True


def test_the_exposure_check_adds_what_the_member_already_owes(pool: Pool) -> None:
    disbursed_advance(pool, amount_cents=3_900_000, notified_amount_cents=4_000_000, on=TODAY)
    advance = requested_advance(pool, amount_cents=1_100_000)
    assert passed(advance)["exposure"] is True  # 39 000 + 11 000 = 50 000 €: the cap itself
    before = Advance.objects.count()
    # One cent more is beyond the cap: refused at once, nothing written.
    with pytest.raises(DomainError) as refused:
        requested_advance(pool, amount_cents=1_100_001)
    assert (refused.value.field, refused.value.code) == ("amount_cents", "exposure_cap")
    assert Advance.objects.count() == before
    # The cap lowered meanwhile: the request now fails its check, as the committee sees it.
    TreasurySettings.objects.filter(pk=1).update(member_exposure_cap_cents=4_999_999)
    assert passed(advance)["exposure"] is False


def test_an_approved_advance_is_not_counted_twice_in_its_own_checks(actors: Actors) -> None:
    pool = set_up_pool(actors, fund_cents=1_300_000, member_exposure_cap_cents=1_500_000)
    advance = approved_advance(pool)
    # Exposure 12 000 € ≤ 15 000 €; 1 000 € left after disbursement, no reserve without deposits.
    assert selectors.available_cents() == 100_000
    assert passed(advance)["exposure"] is True
    assert passed(advance)["liquidity"] is True
    TreasurySettings.objects.filter(pk=1).update(liquidity_reserve_min_cents=100_001)
    assert passed(advance)["liquidity"] is False


def test_the_liquidity_check_keeps_the_reserve_after_disbursement(actors: Actors) -> None:
    pool = set_up_pool(actors, fund_cents=1_500_000, liquidity_reserve_min_cents=300_000)
    advance = requested_advance(pool, amount_cents=1_200_000)
    assert passed(advance)["liquidity"] is True  # 15 000 - 12 000 = 3 000 €: the reserve itself
    advance = requested_advance(pool, amount_cents=1_200_001)
    assert passed(advance)["liquidity"] is False


def test_the_concentration_check_compares_the_member_with_all_advances(pool: Pool) -> None:
    advance = requested_advance(pool)
    assert passed(advance)["concentration"] is False  # alone: 100 % > 60 %
    disbursed_advance(pool, organisation=borrower(), amount_cents=800_000, on=TODAY)
    # 12 000 / (12 000 + 8 000) = 60 %: the cap itself.
    assert passed(advance)["concentration"] is True


def test_the_history_check_fails_with_an_advance_in_arrears(pool: Pool) -> None:
    late = disbursed_advance(pool, amount_cents=600_000, mode="linear", term_months=6, on=TODAY - 70 * DAY)
    advance = requested_advance(pool)
    first_due = late.schedules.get().instalments.get(number=1).due_on
    assert checks_of(advance, first_due - DAY)["history"].passed is True
    assert checks_of(advance, first_due + DAY)["history"].passed is False
    assert late.reference in checks_of(advance, first_due + DAY)["history"].reason


def test_the_history_check_fails_after_a_write_off(pool: Pool) -> None:
    lost = disbursed_advance(pool, amount_cents=600_000, on=TODAY - 10 * DAY)
    services.advance_write_off(actor=pool.actors.treasurer, advance=lost, on=TODAY, reason="Liquidation")
    assert passed(requested_advance(pool))["history"] is False


# --- Bad input: refused with the field and code, nothing written --------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"amount_cents": 0}, "amount_cents", "amount_not_positive"),
        ({"amount_cents": -100}, "amount_cents", "amount_not_positive"),
        ({"amount_cents": 12_000.0}, "amount_cents", "amount_not_positive"),
        ({"amount_cents": 3_000_001}, "amount_cents", "invalid"),  # beyond the subsidy notified
        ({"term_months": 0}, "term_months", "regime"),
        ({"term_months": 61}, "term_months", "regime"),
        ({"mode": "linear", "grace_months": 6}, "grace_months", "invalid"),
        ({"mode": "bullet", "grace_months": 1}, "grace_months", "invalid"),
        ({"mode": "weekly"}, "mode", "invalid"),
        ({"source": "lottery"}, "source", "invalid"),
        ({"purpose": "  "}, "purpose", "invalid"),
        ({"funder": " "}, "funder", "invalid"),
        ({"notified_amount_cents": None}, "notified_amount_cents", "invalid"),
        ({"expected_payment_on": TODAY}, "expected_payment_on", "invalid"),
        ({"funder_decision_on": TODAY + DAY}, "funder_decision_on", "invalid"),
    ],
)
def test_a_bad_request_is_refused(pool: Pool, fields: dict[str, Any], field: str, code: str) -> None:
    assert_refused(lambda: requested_advance(pool, **fields), field=field, code=code)


def test_a_request_from_an_inactive_member_or_without_a_committee_is_refused(pool: Pool) -> None:
    Membership.objects.filter(organisation=pool.actors.org_a).update(status=Membership.Status.SUSPENDED)
    suspended = Organisation.objects.get(pk=pool.actors.org_a.pk)
    assert_refused(lambda: requested_advance(pool, organisation=suspended), field="organisation", code="membership")
    Membership.objects.filter(organisation=pool.actors.org_a).update(status=Membership.Status.ACTIVE)
    TreasurySettings.objects.filter(pk=1).update(committee=None)
    assert_refused(lambda: requested_advance(pool), field=None, code="no_committee")


def test_the_committee_cannot_grant_more_than_requested_nor_nothing(pool: Pool) -> None:
    advance = requested_advance(pool)
    vote_all(pool, advance)
    decide = services.advance_decide
    treasurer = pool.actors.treasurer
    assert_refused(lambda: decide(actor=treasurer, advance=advance, amount_cents=1_200_001), field="amount_cents")
    for amount in (0, -1, 100.0):
        assert_refused(
            lambda amount=amount: decide(actor=treasurer, advance=advance, amount_cents=amount),
            field="amount_cents",
            code="amount_not_positive",
        )
    decide(actor=treasurer, advance=advance)
    assert_refused(lambda: decide(actor=treasurer, advance=advance), field="status", code="state")


def test_a_disbursement_before_approval_in_the_future_or_twice_is_refused(pool: Pool) -> None:
    treasurer = pool.actors.treasurer
    advance = requested_advance(pool)
    assert_refused(lambda: services.advance_disburse(actor=treasurer, advance=advance), field="status", code="state")
    vote_all(pool, advance)
    services.advance_decide(actor=treasurer, advance=advance)
    assert_refused(lambda: services.advance_disburse(actor=treasurer, advance=advance, on=TODAY + DAY), field="on")
    services.advance_disburse(actor=treasurer, advance=advance)
    assert_refused(lambda: services.advance_disburse(actor=treasurer, advance=advance), field="status", code="state")
    assert_refused(
        lambda: services.advance_cancel(actor=pool.actors.member_admin_a, advance=advance), field="status", code="state"
    )
    assert_refused(
        lambda: services.advance_withdraw_approval(actor=treasurer, advance=advance, reason="x"),
        field="status",
        code="state",
    )
    assert debit_balance("512POOL") == 10_000_000 - 1_200_000
    assert verify().ok


def test_a_bad_charge_is_refused(pool: Pool) -> None:
    treasurer = pool.actors.treasurer
    requested = requested_advance(pool)
    assert_refused(
        lambda: services.charge_add(actor=treasurer, advance=requested, kind="fee", amount_cents=1_000, label="Frais"),
        field="status",
        code="state",
    )
    advance = disbursed_advance(pool, on=TODAY)
    for kind, amount, label, field, code in [
        ("gift", 1_000, "Frais", "kind", "invalid"),
        ("fee", 0, "Frais", "amount_cents", "amount_not_positive"),
        ("penalty", 10.5, "Pénalité", "amount_cents", "amount_not_positive"),
        ("fee", 1_000, " ", "label", "invalid"),
    ]:
        assert_refused(
            lambda kind=kind, amount=amount, label=label: services.charge_add(
                actor=treasurer, advance=advance, kind=kind, amount_cents=amount, label=label
            ),
            field=field,
            code=code,
        )


# --- Who may do what ----------------------------------------------------------------------------------


def test_only_the_applicants_admins_request_and_withdraw_its_advances(pool: Pool) -> None:
    actors = pool.actors
    for someone in (actors.member_admin_b, actors.member_user_a, actors.treasurer, actors.committee, actors.outsider):
        assert_forbidden(
            lambda someone=someone: services.advance_request(
                actor=someone,
                organisation=actors.org_a,
                amount_cents=100_000,
                purpose="Fonds de roulement",
                source="sales",
                term_months=6,
                mode="linear",
            )
        )
    advance = requested_advance(pool)
    assert_forbidden(lambda: services.advance_cancel(actor=actors.member_admin_b, advance=advance))
    vote_all(pool, advance)
    services.advance_decide(actor=actors.treasurer, advance=advance)
    assert_forbidden(
        lambda: services.advance_withdraw_approval(actor=actors.member_admin_b, advance=advance, reason="x")
    )


def test_only_the_pools_keepers_close_the_vote(pool: Pool) -> None:
    actors = pool.actors
    advance = requested_advance(pool)
    vote_all(pool, advance)
    for someone in (actors.committee, actors.member_admin_a, actors.member_admin_b, actors.outsider):
        assert_forbidden(lambda someone=someone: services.advance_decide(actor=someone, advance=advance))
    advance = services.advance_decide(actor=actors.coordinator, advance=advance)
    assert advance.status == Advance.Status.APPROVED


def test_only_the_treasurer_disburses_and_handles_the_money(pool: Pool) -> None:
    actors = pool.actors
    advance = approved_advance(pool)
    for someone in (actors.coordinator, actors.member_admin_a, actors.committee):
        assert_forbidden(lambda someone=someone: services.advance_disburse(actor=someone, advance=advance))
    services.advance_disburse(actor=actors.treasurer, advance=advance, on=TODAY)
    for someone in (actors.coordinator, actors.member_admin_a):
        assert_forbidden(
            lambda someone=someone: services.charge_add(
                actor=someone, advance=advance, kind="fee", amount_cents=1_000, label="Frais"
            )
        )
        assert_forbidden(lambda someone=someone: services.advance_write_off(actor=someone, advance=advance, reason="x"))
        assert_forbidden(
            lambda someone=someone: services.advance_reschedule(
                actor=someone, advance=advance, on=TODAY, term_months=6, mode="linear", note="x"
            )
        )
    assert verify().ok
