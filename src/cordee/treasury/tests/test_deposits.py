"""Deposits into the pool: a member admin proposes, the treasurer confirms when the money arrives,
the pool's liability appears in the ledger; withdrawals follow the notice and the liquidity reserve;
apports avec droit de reprise sit in their own register (1034).

Worked examples in cents, the arithmetic in the comments; `verify()` after every scenario.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.testing import Actors
from cordee.ledger.models import Account, Transfer
from cordee.ledger.verify import verify
from cordee.network.models import Organisation
from cordee.treasury import selectors, services
from cordee.treasury.models import CashDeclaration, Deposit, Withdrawal
from cordee.treasury.tests.factories import Pool, approved_advance, set_up_pool

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pool(actors: Actors) -> Pool:
    return set_up_pool(actors)


def debit_balance(number: str) -> int:
    account = Account.objects.get(ledger__code="EUR", number=number)
    return account.debits_posted - account.credits_posted


def credit_balance(number: str) -> int:
    return -debit_balance(number)


def of(prefix: str, organisation: Organisation) -> str:
    return f"{prefix}{organisation.pk:06d}"


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Deposit, Withdrawal, CashDeclaration, Transfer)}


def assert_refused(call: Callable[[], Any], *, field: str | None, code: str = "invalid") -> DomainError:
    """The call raises a DomainError on `field` with `code`, and writes nothing."""
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.field, caught.value.code) == (field, code)
    assert row_counts() == before
    return caught.value


def assert_forbidden(call: Callable[[], Any]) -> None:
    before = row_counts()
    with pytest.raises(NotAllowed):
        call()
    assert row_counts() == before


def document(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 minute", content_type="application/pdf")


def declare(actors: Actors, *, year: int, cash_cents: int = 100_000_000) -> None:
    services.cash_declaration_set(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        year=year,
        net_available_cash_cents=cash_cents,
        declared_on=TODAY,
    )


def propose(actors: Actors, amount_cents: int, **fields: Any) -> Deposit:
    """A cash deposit of A with its board's approval and its auditor's attestation."""
    values: dict[str, Any] = {
        "notice_days": 30,
        "board_approved_on": TODAY - 30 * DAY,
        "board_minute": document("pv-ca.pdf"),
        "attestation": document("attestation-cac.pdf"),
    }
    values.update(fields)
    return services.deposit_propose(
        actor=actors.member_admin_a, organisation=actors.org_a, amount_cents=amount_cents, **values
    )


def confirmed(actors: Actors, amount_cents: int, *, received_on: dt.date = TODAY - 100 * DAY, **fields: Any) -> Deposit:
    if fields.get("kind", Deposit.Kind.LOAN) == Deposit.Kind.LOAN:
        declare(actors, year=received_on.year)
    deposit = propose(actors, amount_cents, **fields)
    return services.deposit_confirm(
        actor=actors.treasurer, deposit=deposit, received_on=received_on, bank_reference="VIR SEPA 2026-118"
    )


# --- The life of a deposit ---------------------------------------------------------------------


def test_a_proposed_deposit_posts_nothing_until_the_treasurer_confirms_it(pool: Pool) -> None:
    actors = pool.actors
    transfers = Transfer.objects.count()
    deposit = propose(actors, 500_000, rate_bps=0)
    assert deposit.status == Deposit.Status.PROPOSED
    assert deposit.reference.startswith(f"DP-{TODAY.year}-")
    assert Transfer.objects.count() == transfers
    assert selectors.deposits_outstanding_cents() == 0

    received_on = TODAY - 5 * DAY
    declare(actors, year=received_on.year)
    deposit = services.deposit_confirm(
        actor=actors.treasurer, deposit=deposit, received_on=received_on, bank_reference="  VIR 4471  "
    )

    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.CONFIRMED
    assert (deposit.received_on, deposit.bank_reference, deposit.confirmed_by) == (
        received_on,
        "VIR 4471",
        actors.treasurer,
    )
    # The hub's 100 000,00 € seed fund + 5 000,00 € received = 105 000,00 € in the bank,
    # and the pool owes A 5 000,00 € on 168<A>.
    assert debit_balance("512POOL") == 10_000_000 + 500_000
    assert credit_balance(of("168", actors.org_a)) == 500_000
    assert Account.objects.get(number=of("168", actors.org_a)).owner == actors.org_a
    transfer = Transfer.objects.get(code="deposit.confirm")
    assert (transfer.amount, transfer.value_date, transfer.piece) == (500_000, received_on, deposit.reference)
    assert selectors.deposits_outstanding_cents() == 500_000
    assert selectors.deposit_balance_cents(deposit) == 500_000
    assert verify().ok


def test_a_proposed_deposit_can_be_cancelled_and_then_never_confirmed(pool: Pool) -> None:
    actors = pool.actors
    deposit = propose(actors, 500_000)
    services.deposit_cancel(actor=actors.member_admin_a, deposit=deposit)
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.CANCELLED
    declare(actors, year=TODAY.year)
    assert_refused(
        lambda: services.deposit_confirm(
            actor=actors.treasurer, deposit=deposit, received_on=TODAY, bank_reference="VIR 1"
        ),
        field="status",
        code="state",
    )
    assert verify().ok


def test_a_withdrawal_follows_the_notice_and_the_last_one_closes_the_deposit(pool: Pool) -> None:
    actors = pool.actors
    deposit = confirmed(actors, 1_000_000, notice_days=30)

    # Requested 40 days ago with 30 days' notice: payable 10 days ago, not a day sooner.
    requested_on = TODAY - 40 * DAY
    first = services.withdrawal_request(
        actor=actors.member_admin_a, deposit=deposit, amount_cents=400_000, requested_on=requested_on
    )
    assert (first.status, first.payable_on) == (Withdrawal.Status.REQUESTED, TODAY - 10 * DAY)
    assert selectors.deposit_withdrawable_cents(deposit) == 600_000
    assert_refused(
        lambda: services.withdrawal_pay(actor=actors.treasurer, withdrawal=first, paid_on=TODAY - 11 * DAY),
        field="paid_on",
        code="notice",
    )

    services.withdrawal_pay(actor=actors.treasurer, withdrawal=first, paid_on=TODAY - 10 * DAY)
    first.refresh_from_db()
    assert (first.status, first.paid_on, first.decided_by) == (
        Withdrawal.Status.PAID,
        TODAY - 10 * DAY,
        actors.treasurer,
    )
    # 10 000,00 € deposited - 4 000,00 € paid back = 6 000,00 € still owed; the bank
    # holds 100 000 + 10 000 - 4 000 = 106 000,00 €.
    assert credit_balance(of("168", actors.org_a)) == 600_000
    assert debit_balance("512POOL") == 10_000_000 + 1_000_000 - 400_000
    assert Transfer.objects.get(pk=first.transfer_id).amount == 400_000

    second = services.withdrawal_request(
        actor=actors.member_admin_a, deposit=deposit, amount_cents=600_000, requested_on=requested_on
    )
    services.withdrawal_pay(actor=actors.treasurer, withdrawal=second, paid_on=TODAY)
    deposit.refresh_from_db()
    assert (deposit.status, deposit.closed_on) == (Deposit.Status.CLOSED, TODAY)
    assert credit_balance(of("168", actors.org_a)) == 0
    assert debit_balance("512POOL") == 10_000_000
    assert verify().ok


def test_a_term_deposit_is_payable_at_its_term_even_with_an_earlier_request(pool: Pool) -> None:
    actors = pool.actors
    term = TODAY + 200 * DAY
    deposit = confirmed(actors, 300_000, notice_days=None, term_date=term)
    withdrawal = services.withdrawal_request(actor=actors.member_admin_a, deposit=deposit, amount_cents=300_000)
    assert withdrawal.payable_on == term
    assert_refused(
        lambda: services.withdrawal_pay(actor=actors.treasurer, withdrawal=withdrawal, paid_on=TODAY),
        field="paid_on",
        code="notice",
    )
    assert verify().ok


def test_a_withdrawal_that_would_break_the_reserve_is_refused_with_the_reason(actors: Actors) -> None:
    pool = set_up_pool(actors, fund_cents=0)
    deposit = confirmed(actors, 1_000_000, notice_days=30)
    approved_advance(pool, amount_cents=700_000)
    # Cash 10 000 €, 7 000 € held for the approval: 3 000 € available.
    assert selectors.available_cents() == 300_000
    assert selectors.reserve_cents() == 200_000  # 20 % of the 10 000 € deposited

    too_much = services.withdrawal_request(
        actor=actors.member_admin_a, deposit=deposit, amount_cents=150_000, requested_on=TODAY - 40 * DAY
    )
    # After 1 500 €: 1 500 € available, below the reserve of 20 % × 8 500 € = 1 700 €.
    assert_refused(
        lambda: services.withdrawal_pay(actor=actors.treasurer, withdrawal=too_much, paid_on=TODAY),
        field="amount_cents",
        code="reserve",
    )
    too_much.refresh_from_db()
    assert too_much.status == Withdrawal.Status.REQUESTED

    services.withdrawal_refuse(actor=actors.treasurer, withdrawal=too_much, reason="  Réserve de liquidité  ")
    too_much.refresh_from_db()
    assert (too_much.status, too_much.reason, too_much.decided_by) == (
        Withdrawal.Status.REFUSED,
        "Réserve de liquidité",
        actors.treasurer,
    )

    # 1 000 € leaves 2 000 € available, at or above 20 % × 9 000 € = 1 800 €: paid.
    enough = services.withdrawal_request(
        actor=actors.member_admin_a, deposit=deposit, amount_cents=100_000, requested_on=TODAY - 40 * DAY
    )
    services.withdrawal_pay(actor=actors.treasurer, withdrawal=enough, paid_on=TODAY)
    assert credit_balance(of("168", actors.org_a)) == 900_000
    assert debit_balance("512POOL") == 900_000
    assert selectors.available_cents() == 200_000
    assert verify().ok


def test_returnable_contributions_sit_in_their_own_register(pool: Pool) -> None:
    actors = pool.actors
    # Neither a term nor the lender's board and auditor: those are for cash deposits.
    deposit = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=250_000,
        kind=Deposit.Kind.RETURNABLE,
    )
    services.deposit_confirm(actor=actors.treasurer, deposit=deposit, received_on=TODAY, bank_reference="VIR 9")
    assert credit_balance(of("1034", actors.org_a)) == 250_000
    assert not Account.objects.filter(number=of("168", actors.org_a)).exists()
    assert selectors.deposits_outstanding_cents(Deposit.Kind.RETURNABLE) == 250_000
    assert selectors.deposits_outstanding_cents() == 0
    assert selectors.reserve_cents() == 0
    assert selectors.pool_figures().returnable_cents == 250_000

    withdrawal = services.withdrawal_request(actor=actors.member_admin_a, deposit=deposit, amount_cents=50_000)
    assert withdrawal.payable_on == TODAY
    services.withdrawal_pay(actor=actors.treasurer, withdrawal=withdrawal, paid_on=TODAY)
    assert credit_balance(of("1034", actors.org_a)) == 200_000
    assert debit_balance("512POOL") == 10_000_000 + 200_000
    assert verify().ok


def test_paying_back_a_returnable_contribution_cannot_break_the_reserve(actors: Actors) -> None:
    pool = set_up_pool(actors, fund_cents=0)
    confirmed(actors, 1_000_000, notice_days=30)
    returnable = confirmed(actors, 500_000, kind=Deposit.Kind.RETURNABLE, notice_days=None)
    approved_advance(pool, amount_cents=1_250_000)
    # Cash 15 000 €, 12 500 € held: 2 500 € available; reserve 20 % × 10 000 € = 2 000 €.
    assert (selectors.available_cents(), selectors.reserve_cents()) == (250_000, 200_000)
    withdrawal = services.withdrawal_request(actor=actors.member_admin_a, deposit=returnable, amount_cents=60_000)
    # Paying 600 € leaves 1 900 €, below the 2 000 € reserve (the cash deposits are unchanged).
    assert_refused(
        lambda: services.withdrawal_pay(actor=actors.treasurer, withdrawal=withdrawal, paid_on=TODAY),
        field="amount_cents",
        code="reserve",
    )
    # 500 € leaves exactly the reserve: paid, from the 1034 register only.
    smaller = services.withdrawal_request(actor=actors.member_admin_a, deposit=returnable, amount_cents=50_000)
    services.withdrawal_pay(actor=actors.treasurer, withdrawal=smaller, paid_on=TODAY)
    assert credit_balance(of("1034", actors.org_a)) == 450_000
    assert credit_balance(of("168", actors.org_a)) == 1_000_000
    assert (selectors.available_cents(), selectors.reserve_cents()) == (200_000, 200_000)
    assert verify().ok


def test_a_withdrawal_cannot_be_paid_on_a_future_date(pool: Pool) -> None:
    actors = pool.actors
    deposit = confirmed(actors, 1_000_000, notice_days=30)
    withdrawal = services.withdrawal_request(actor=actors.member_admin_a, deposit=deposit, amount_cents=100_000)
    # Dated the day the notice ends, it would pass the notice check before the notice has run.
    assert withdrawal.payable_on == TODAY + 30 * DAY
    assert_refused(
        lambda: services.withdrawal_pay(actor=actors.treasurer, withdrawal=withdrawal, paid_on=TODAY + 30 * DAY),
        field="paid_on",
    )


def test_a_withdrawal_cannot_be_requested_before_the_deposit_was_received(pool: Pool) -> None:
    actors = pool.actors
    deposit = confirmed(actors, 1_000_000, notice_days=90, received_on=TODAY)
    assert_refused(
        lambda: services.withdrawal_request(
            actor=actors.member_admin_a, deposit=deposit, amount_cents=100_000, requested_on=TODAY - 365 * DAY
        ),
        field="requested_on",
    )


def test_the_hub_funds_the_pool_from_its_own_funds(pool: Pool) -> None:
    actors = pool.actors
    services.pool_fund(
        actor=actors.treasurer, amount_cents=2_500_000, received_on=TODAY, label="Don", reference="DON-7"
    )
    # 100 000 € seed + 25 000 € donation, on 102POOL (own funds), not a member's liability.
    assert debit_balance("512POOL") == 12_500_000
    assert credit_balance("102POOL") == 12_500_000
    assert selectors.deposits_outstanding_cents() == 0
    assert verify().ok


# --- Bad input: refused with the field and code, nothing written ---------------------------------


@pytest.mark.parametrize("amount", [0, -100, 150.0, True, "1000"])
def test_a_deposit_of_no_amount_negative_or_not_in_integer_cents_is_refused(pool: Pool, amount: Any) -> None:
    assert_refused(lambda: propose(pool.actors, amount), field="amount_cents", code="amount_not_positive")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"term_date": TODAY + 30 * DAY, "notice_days": 30}, "notice_days"),
        ({"notice_days": None}, "term_date"),
        ({"notice_days": None, "term_date": TODAY}, "term_date"),
        ({"notice_days": 0}, "notice_days"),
        ({"notice_days": 366}, "notice_days"),
        ({"kind": "gift"}, "kind"),
        ({"rate_bps": 101}, "rate_bps"),  # above the coordinator's cap of 1 %
        ({"rate_bps": -1}, "rate_bps"),
    ],
)
def test_a_deposit_with_bad_terms_is_refused(pool: Pool, fields: dict[str, Any], field: str) -> None:
    assert_refused(lambda: propose(pool.actors, 100_000, **fields), field=field)


def test_a_confirmation_without_its_bank_reference_or_dated_in_the_future_is_refused(pool: Pool) -> None:
    actors = pool.actors
    declare(actors, year=TODAY.year)
    deposit = propose(actors, 100_000)
    assert_refused(
        lambda: services.deposit_confirm(
            actor=actors.treasurer, deposit=deposit, received_on=TODAY, bank_reference=" "
        ),
        field="bank_reference",
    )
    assert_refused(
        lambda: services.deposit_confirm(
            actor=actors.treasurer, deposit=deposit, received_on=TODAY + DAY, bank_reference="VIR 1"
        ),
        field="received_on",
    )
    services.deposit_confirm(actor=actors.treasurer, deposit=deposit, received_on=TODAY, bank_reference="VIR 1")
    assert_refused(
        lambda: services.deposit_confirm(
            actor=actors.treasurer, deposit=deposit, received_on=TODAY, bank_reference="VIR 1"
        ),
        field="status",
        code="state",
    )
    assert_refused(
        lambda: services.deposit_cancel(actor=actors.member_admin_a, deposit=deposit), field="status", code="state"
    )
    assert credit_balance(of("168", actors.org_a)) == 100_000
    assert verify().ok


def test_withdrawals_beyond_the_balance_twice_paid_or_from_an_unconfirmed_deposit_are_refused(pool: Pool) -> None:
    actors = pool.actors
    unconfirmed = propose(actors, 100_000)
    assert_refused(
        lambda: services.withdrawal_request(actor=actors.member_admin_a, deposit=unconfirmed, amount_cents=1),
        field="status",
        code="state",
    )
    deposit = confirmed(actors, 100_000, notice_days=10)
    for amount in (0, -5, 99.5):
        assert_refused(
            lambda amount=amount: services.withdrawal_request(
                actor=actors.member_admin_a, deposit=deposit, amount_cents=amount
            ),
            field="amount_cents",
            code="amount_not_positive",
        )
    assert_refused(
        lambda: services.withdrawal_request(actor=actors.member_admin_a, deposit=deposit, amount_cents=100_001),
        field="amount_cents",
    )
    withdrawal = services.withdrawal_request(
        actor=actors.member_admin_a, deposit=deposit, amount_cents=70_000, requested_on=TODAY - 20 * DAY
    )
    # 700 € already asked for: 300 € more at most.
    assert_refused(
        lambda: services.withdrawal_request(actor=actors.member_admin_a, deposit=deposit, amount_cents=30_001),
        field="amount_cents",
    )
    services.withdrawal_pay(actor=actors.treasurer, withdrawal=withdrawal, paid_on=TODAY)
    assert_refused(
        lambda: services.withdrawal_pay(actor=actors.treasurer, withdrawal=withdrawal, paid_on=TODAY),
        field="status",
        code="state",
    )
    assert_refused(
        lambda: services.withdrawal_refuse(actor=actors.treasurer, withdrawal=withdrawal, reason="non"),
        field="status",
        code="state",
    )
    other = services.withdrawal_request(actor=actors.member_admin_a, deposit=deposit, amount_cents=10_000)
    assert_refused(
        lambda: services.withdrawal_refuse(actor=actors.treasurer, withdrawal=other, reason="  "), field="reason"
    )
    assert credit_balance(of("168", actors.org_a)) == 30_000
    assert verify().ok


def test_a_cash_declaration_cannot_be_negative_nor_made_before_the_year(pool: Pool) -> None:
    actors = pool.actors
    assert_refused(
        lambda: services.cash_declaration_set(
            actor=actors.member_admin_a,
            organisation=actors.org_a,
            year=TODAY.year,
            net_available_cash_cents=-1,
            declared_on=TODAY,
        ),
        field="net_available_cash_cents",
    )
    assert_refused(
        lambda: services.cash_declaration_set(
            actor=actors.member_admin_a,
            organisation=actors.org_a,
            year=TODAY.year + 1,
            net_available_cash_cents=1_000,
            declared_on=TODAY,
        ),
        field="declared_on",
    )


# --- Who may do what --------------------------------------------------------------------------


def test_only_the_organisations_admins_propose_its_deposits(pool: Pool) -> None:
    actors = pool.actors
    for someone in (actors.member_admin_b, actors.member_user_a, actors.treasurer, actors.coordinator, actors.outsider):
        assert_forbidden(
            lambda someone=someone: services.deposit_propose(
                actor=someone, organisation=actors.org_a, amount_cents=100_000, notice_days=30
            )
        )


def test_a_lenders_cash_is_declared_by_its_admins_or_the_treasurer(pool: Pool) -> None:
    actors = pool.actors
    for someone in (actors.member_admin_b, actors.member_user_a, actors.coordinator, actors.outsider):
        assert_forbidden(
            lambda someone=someone: services.cash_declaration_set(
                actor=someone,
                organisation=actors.org_a,
                year=TODAY.year,
                net_available_cash_cents=1_000,
                declared_on=TODAY,
            )
        )
    declaration = services.cash_declaration_set(
        actor=actors.treasurer,
        organisation=actors.org_a,
        year=TODAY.year,
        net_available_cash_cents=1_000,
        declared_on=TODAY,
    )
    assert (declaration.net_available_cash_cents, declaration.declared_by) == (1_000, actors.treasurer)


def test_only_the_treasurer_confirms_deposits_and_pays_withdrawals(pool: Pool) -> None:
    actors = pool.actors
    received_on = TODAY - 40 * DAY
    declare(actors, year=received_on.year)
    deposit = propose(actors, 100_000)
    for someone in (actors.member_admin_a, actors.coordinator, actors.committee, actors.outsider):
        assert_forbidden(
            lambda someone=someone: services.deposit_confirm(
                actor=someone, deposit=deposit, received_on=TODAY, bank_reference="VIR 1"
            )
        )
    assert_forbidden(lambda: services.deposit_cancel(actor=actors.member_admin_b, deposit=deposit))

    services.deposit_confirm(actor=actors.treasurer, deposit=deposit, received_on=received_on, bank_reference="VIR 1")
    assert_forbidden(
        lambda: services.withdrawal_request(actor=actors.member_admin_b, deposit=deposit, amount_cents=1_000)
    )
    assert_forbidden(lambda: services.withdrawal_request(actor=actors.treasurer, deposit=deposit, amount_cents=1_000))
    withdrawal = services.withdrawal_request(
        actor=actors.member_admin_a, deposit=deposit, amount_cents=1_000, requested_on=TODAY - 40 * DAY
    )
    for someone in (actors.member_admin_a, actors.coordinator):
        assert_forbidden(lambda someone=someone: services.withdrawal_pay(actor=someone, withdrawal=withdrawal))
        assert_forbidden(
            lambda someone=someone: services.withdrawal_refuse(actor=someone, withdrawal=withdrawal, reason="non")
        )
    assert_forbidden(
        lambda: services.pool_fund(
            actor=actors.coordinator, amount_cents=1_000, received_on=TODAY, label="Don", reference="DON-1"
        )
    )
    assert verify().ok
