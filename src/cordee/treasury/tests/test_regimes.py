"""The legal regimes as parameters: who may deposit and borrow, at what rate, for how long, and the
non-profit regime's lender rules (CMF L511-6 1° bis: half of the declared net cash a year, board
approval, auditor's attestation). Every refusal names the field, says `regime`, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cordee.core.errors import DomainError
from cordee.core.testing import Actors, make_person
from cordee.governance.models import Decision
from cordee.ledger.models import Account, Transfer
from cordee.ledger.verify import verify
from cordee.network.models import Organisation
from cordee.treasury import selectors, services
from cordee.treasury.models import Advance, CashDeclaration, Deposit, Regime, Schedule, TreasurySettings
from cordee.treasury.regimes import max_rate_bps, rules_for
from cordee.treasury.tests.factories import borrower, requested_advance, set_up_pool, vote_all

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Advance, Decision, Deposit, CashDeclaration, Schedule, Transfer)
    }


def assert_refused(call: Callable[[], Any], *, field: str | None, code: str = "regime") -> None:
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.field, caught.value.code) == (field, code)
    assert row_counts() == before


def use_regime(regime: str) -> None:
    TreasurySettings.objects.filter(pk=1).update(regime=regime)


def document(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4", content_type="application/pdf")


def admin_of(organisation: Organisation) -> Any:
    person = make_person(f"tresorier{organisation.pk}@example.org", "Trésorier")
    organisation.affiliations.create(person=person, role="admin")
    return person


def propose(actor: Any, organisation: Organisation, amount_cents: int = 100_000, **fields: Any) -> Deposit:
    values: dict[str, Any] = {
        "notice_days": 30,
        "board_approved_on": TODAY - 30 * DAY,
        "board_minute": document("pv.pdf"),
        "attestation": document("attestation.pdf"),
    }
    values.update(fields)
    return services.deposit_propose(actor=actor, organisation=organisation, amount_cents=amount_cents, **values)


def confirm(actors: Actors, deposit: Deposit, received_on: dt.date = TODAY) -> Deposit:
    return services.deposit_confirm(
        actor=actors.treasurer, deposit=deposit, received_on=received_on, bank_reference="VIR 1"
    )


def declare(actors: Actors, cash_cents: int, year: int = TODAY.year) -> None:
    services.cash_declaration_set(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        year=year,
        net_available_cash_cents=cash_cents,
        declared_on=TODAY,
    )


# --- The rules themselves ----------------------------------------------------------------------


def test_each_regime_sets_its_rate_term_and_deposits() -> None:
    nonprofit, federation, hub_fund = (rules_for(regime) for regime in Regime.values)
    assert (nonprofit.citation, federation.citation, hub_fund.citation) == (
        "CMF L511-6 1° bis",
        "CMF L511-6 1° ter",
        "CMF L511-6 5°",
    )
    # Non-profit: the coordinator's cap (here 1 %), five years, half of the declared cash a year.
    assert (max_rate_bps(nonprofit, 100), nonprofit.max_term_months, nonprofit.lender_yearly_share_percent) == (
        100,
        60,
        50,
    )
    assert nonprofit.allows_deposits and nonprofit.requires_board_approval and nonprofit.requires_attestation
    # Federation: zero rate whatever the cap, less than two years, no member deposits.
    assert (max_rate_bps(federation, 100), federation.max_term_months, federation.allows_deposits) == (0, 23, False)
    # Hub fund: the cap, no member deposits.
    assert (max_rate_bps(hub_fund, 250), hub_fund.allows_deposits) == (250, False)


# --- Who may borrow and deposit under each regime ------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "family", "allowed"),
    [
        (Regime.NONPROFIT, "association", True),
        (Regime.NONPROFIT, "foundation", True),
        (Regime.NONPROFIT, "cooperative", False),
        (Regime.NONPROFIT, "esus_company", False),
        (Regime.NONPROFIT, "other_company", False),
        (Regime.FEDERATION, "association", True),
        (Regime.FEDERATION, "foundation", False),
        (Regime.FEDERATION, "cooperative", False),
        (Regime.HUB_FUND, "association", True),
        (Regime.HUB_FUND, "cooperative", True),
        (Regime.HUB_FUND, "esus_company", True),
        (Regime.HUB_FUND, "mutual", True),
        (Regime.HUB_FUND, "other_company", False),
        (Regime.HUB_FUND, "local_authority", False),
    ],
)
def test_a_member_borrows_only_where_the_regime_allows_it(
    actors: Actors, regime: str, family: str, allowed: bool
) -> None:
    pool = set_up_pool(actors, regime=regime)
    organisation = borrower(f"Membre {family}", family=family)
    if allowed:
        advance = requested_advance(pool, organisation=organisation)
        assert advance.status == Advance.Status.REQUESTED
        checks = {check.code: check.passed for check in selectors.advance_checks(advance)}
        assert checks["regime"] is True
    else:
        assert_refused(lambda: requested_advance(pool, organisation=organisation), field="organisation")


@pytest.mark.parametrize(
    ("regime", "family", "allowed"),
    [
        (Regime.NONPROFIT, "association", True),
        (Regime.NONPROFIT, "foundation", True),
        (Regime.NONPROFIT, "cooperative", False),
        (Regime.NONPROFIT, "other_company", False),
        (Regime.FEDERATION, "association", False),
        (Regime.HUB_FUND, "association", False),
        (Regime.HUB_FUND, "cooperative", False),
    ],
)
def test_a_member_deposits_only_where_the_regime_allows_it(
    actors: Actors, regime: str, family: str, allowed: bool
) -> None:
    set_up_pool(actors, regime=regime)
    organisation = borrower(f"Membre {family}", family=family)
    admin = admin_of(organisation)
    if allowed:
        assert propose(admin, organisation).status == Deposit.Status.PROPOSED
    else:
        assert_refused(lambda: propose(admin, organisation), field="organisation")


def test_a_deposit_proposed_under_one_regime_is_not_confirmed_under_one_without_deposits(actors: Actors) -> None:
    set_up_pool(actors)
    declare(actors, 10_000_000)
    deposit = propose(actors.member_admin_a, actors.org_a)
    use_regime(Regime.HUB_FUND)
    assert_refused(lambda: confirm(actors, deposit), field="organisation")
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.PROPOSED


# --- Terms and rates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "longest"),
    [(Regime.NONPROFIT, 60), (Regime.FEDERATION, 23), (Regime.HUB_FUND, 60)],
)
def test_an_advance_longer_than_the_regime_allows_is_refused(actors: Actors, regime: str, longest: int) -> None:
    pool = set_up_pool(actors, regime=regime)
    assert_refused(lambda: requested_advance(pool, term_months=longest + 1, mode="linear"), field="term_months")
    assert_refused(lambda: requested_advance(pool, term_months=0, mode="linear"), field="term_months")
    advance = requested_advance(pool, term_months=longest, mode="linear")
    assert advance.term_months == longest


@pytest.mark.parametrize(("regime", "highest"), [(Regime.NONPROFIT, 100), (Regime.FEDERATION, 0)])
def test_the_committee_cannot_grant_a_rate_above_the_regimes(actors: Actors, regime: str, highest: int) -> None:
    pool = set_up_pool(actors, regime=regime)
    advance = requested_advance(pool)
    vote_all(pool, advance)
    assert_refused(
        lambda: services.advance_decide(actor=actors.treasurer, advance=advance, rate_bps=highest + 1),
        field="rate_bps",
    )
    # Nothing recorded: the vote is still open, the cash not reserved.
    advance.refresh_from_db()
    assert advance.status == Advance.Status.REQUESTED
    assert advance.decision.status == Decision.Status.OPEN
    assert selectors.available_cents() == 10_000_000

    advance = services.advance_decide(actor=actors.treasurer, advance=advance, rate_bps=highest)
    assert (advance.status, advance.rate_bps) == (Advance.Status.APPROVED, highest)
    assert verify().ok


def test_a_request_made_under_one_regime_is_checked_and_decided_under_the_one_in_force(actors: Actors) -> None:
    pool = set_up_pool(actors)
    advance = requested_advance(pool, term_months=30, mode="linear")
    assert {check.code: check.passed for check in selectors.advance_checks(advance)}["regime"] is True

    use_regime(Regime.FEDERATION)  # less than two years from now on
    regime_check = next(check for check in selectors.advance_checks(advance) if check.code == "regime")
    assert regime_check.passed is False
    assert regime_check.reason
    vote_all(pool, advance)
    assert_refused(lambda: services.advance_decide(actor=actors.treasurer, advance=advance), field="term_months")


def test_a_rescheduling_cannot_run_past_the_regimes_longest_term(actors: Actors) -> None:
    pool = set_up_pool(actors, regime=Regime.FEDERATION)
    start = TODAY - 100 * DAY
    advance = requested_advance(pool, term_months=12, mode="linear")
    vote_all(pool, advance)
    services.advance_decide(actor=actors.treasurer, advance=advance)
    services.advance_disburse(actor=actors.treasurer, advance=advance, on=start)
    months_run = (TODAY.year - start.year) * 12 + TODAY.month - start.month  # 3 or 4
    assert_refused(
        lambda: services.advance_reschedule(
            actor=actors.treasurer,
            advance=advance,
            on=TODAY,
            term_months=24 - months_run,
            mode="linear",
            note="Décision du comité",
        ),
        field="term_months",
    )
    schedule = services.advance_reschedule(
        actor=actors.treasurer,
        advance=advance,
        on=TODAY,
        term_months=23 - months_run,
        mode="linear",
        note="Décision du comité",
    )
    assert schedule.version == 2
    assert verify().ok


# --- The non-profit regime's rules for lenders ----------------------------------------------------


def test_a_lender_commits_at_most_half_of_its_declared_cash_in_a_year(actors: Actors) -> None:
    set_up_pool(actors)
    first = propose(actors.member_admin_a, actors.org_a, 300_000)
    # No declaration of the cash on 1 January: nothing to cap the loan by.
    assert_refused(lambda: confirm(actors, first), field="received_on")

    declare(actors, 1_000_000)  # 10 000 € of net cash: 5 000 € may be lent this year
    confirm(actors, first)
    second = propose(actors.member_admin_a, actors.org_a, 250_000)
    # 3 000 € + 2 500 € = 5 500 € > 5 000 €.
    assert_refused(lambda: confirm(actors, second), field="amount_cents")
    services.deposit_cancel(actor=actors.member_admin_a, deposit=second)
    third = propose(actors.member_admin_a, actors.org_a, 200_000)
    confirm(actors, third)  # 3 000 € + 2 000 € = 5 000 €: exactly the cap
    assert selectors.lent_in_year_cents(actors.org_a.pk, TODAY.year) == 500_000
    assert Account.objects.get(number=f"168{actors.org_a.pk:06d}").credits_posted == 500_000
    assert verify().ok


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ({"board_minute": None}, "board_minute"),
        ({"board_approved_on": None}, "board_minute"),
        ({"attestation": None}, "attestation"),
    ],
)
def test_a_cash_deposit_needs_the_lenders_board_and_its_auditors_attestation(
    actors: Actors, missing: dict[str, Any], field: str
) -> None:
    set_up_pool(actors)
    declare(actors, 10_000_000)
    deposit = propose(actors.member_admin_a, actors.org_a, **missing)
    assert_refused(lambda: confirm(actors, deposit), field=field)


def test_under_the_federation_regime_the_board_rules_do_not_apply_but_deposits_are_refused(actors: Actors) -> None:
    set_up_pool(actors, regime=Regime.FEDERATION)
    assert_refused(
        lambda: services.deposit_propose(
            actor=actors.member_admin_a, organisation=actors.org_a, amount_cents=100_000, notice_days=30
        ),
        field="organisation",
    )


def test_a_cash_deposit_cannot_run_longer_than_the_regime_allows(actors: Actors) -> None:
    set_up_pool(actors)
    five_years = TODAY + relativedelta(months=60)
    assert_refused(
        lambda: propose(actors.member_admin_a, actors.org_a, notice_days=None, term_date=five_years + DAY),
        field="term_date",
    )
    deposit = propose(actors.member_admin_a, actors.org_a, notice_days=None, term_date=five_years)
    assert deposit.term_date == five_years


def test_a_bullet_advance_cannot_fall_due_beyond_the_regimes_longest_term(actors: Actors) -> None:
    pool = set_up_pool(actors, regime=Regime.FEDERATION)
    # Repaid in one payment when the subsidy comes: that day sets how long the advance lasts,
    # and under the federation regime it must be less than two years away (23 months at most).
    longest = TODAY + relativedelta(months=23)
    assert_refused(
        lambda: requested_advance(pool, mode="bullet", term_months=23, expected_payment_on=longest + DAY),
        field="expected_payment_on",
    )
    advance = requested_advance(pool, mode="bullet", term_months=23, expected_payment_on=longest)
    assert advance.expected_payment_on == longest
