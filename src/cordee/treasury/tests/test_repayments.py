"""Schedules and repayments, as a treasurer checks them by hand: instalments at 1 % a year, the
split of a repayment (penalties, fees, interest, principal), early repayment that starts a new
schedule version from the balance left (shorter term or smaller instalments), and the refusals.

All amounts in cents; 1 % a year is 1/12 % a month on the balance left (30/360), rounded half-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.testing import Actors
from cordee.ledger.models import Account, Transfer
from cordee.ledger.verify import verify
from cordee.network.models import Organisation
from cordee.treasury import selectors, services
from cordee.treasury.models import Advance, Repayment, Schedule
from cordee.treasury.tests.factories import Pool, disbursed_advance, requested_advance, set_up_pool

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
SEED = 10_000_000  # the hub's 100 000 € put in the pool by `set_up_pool`


@pytest.fixture
def pool(actors: Actors) -> Pool:
    return set_up_pool(actors, default_rate_bps=100)


def debit_balance(number: str) -> int:
    account = Account.objects.get(ledger__code="EUR", number=number)
    return account.debits_posted - account.credits_posted


def credit_balance(number: str) -> int:
    return -debit_balance(number)


def of(prefix: str, organisation: Organisation) -> str:
    return f"{prefix}{organisation.pk:06d}"


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Advance, Repayment, Schedule, Transfer)}


def assert_refused(call: Callable[[], Any], *, field: str | None, code: str = "invalid") -> None:
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.field, caught.value.code) == (field, code)
    assert row_counts() == before


def instalments(schedule: Schedule) -> list[tuple[int, int, int]]:
    return list(schedule.instalments.order_by("number").values_list("number", "principal_cents", "interest_cents"))


def due_dates(advance: Advance, version: int = 1) -> dict[int, dt.date]:
    schedule = advance.schedules.get(version=version)
    return dict(schedule.instalments.values_list("number", "due_on"))


def repay(pool: Pool, advance: Advance, amount_cents: int, received_on: dt.date, **fields: Any) -> Repayment:
    return services.repayment_record(
        actor=pool.actors.treasurer, advance=advance, amount_cents=amount_cents, received_on=received_on, **fields
    )


def split(repayment: Repayment) -> tuple[int, int, int, int]:
    return (repayment.penalties_cents, repayment.fees_cents, repayment.interest_cents, repayment.principal_cents)


# --- Schedules by hand -------------------------------------------------------------------------------


def test_a_linear_advance_of_12_000_euros_at_1_percent_over_6_months(pool: Pool) -> None:
    start = TODAY - 75 * DAY
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=start)
    schedule = advance.schedules.get()
    # Principal 12 000 € / 6 = 2 000,00 € a month; interest on what is left before each instalment:
    #   12 000 × 1 % / 12 = 10,00   10 000 → 8,333 → 8,33   8 000 → 6,667 → 6,67
    #    6 000 → 5,00              4 000 → 3,333 → 3,33   2 000 → 1,667 → 1,67   total 35,00 €
    assert instalments(schedule) == [
        (1, 200_000, 1_000),
        (2, 200_000, 833),
        (3, 200_000, 667),
        (4, 200_000, 500),
        (5, 200_000, 333),
        (6, 200_000, 167),
    ]
    # Each falls due a month after the other, moved to the next working day (within the month).
    for number, due_on in due_dates(advance).items():
        nominal = start + relativedelta(months=number)
        assert due_on.weekday() < 5
        assert abs((due_on - nominal).days) <= 3
        assert due_on.month == nominal.month


def test_an_annuity_advance_of_12_000_euros_at_1_percent_over_6_months(pool: Pool) -> None:
    advance = disbursed_advance(pool, mode="annuity", term_months=6, on=TODAY - 10 * DAY)
    # Payment P·r / (1 - (1 + r)^-6) with r = 1 %/12: 2 005,837… → 2 005,84 €; each principal is the
    # payment less the month's interest, the last takes what is left:
    #   12 000,00 → interest 10,00, principal 1 995,84   10 004,16 → 8,337 → 8,34, principal 1 997,50
    #    8 006,66 → 6,672 → 6,67, principal 1 999,17     6 007,49 → 5,006 → 5,01, principal 2 000,83
    #    4 006,66 → 3,339 → 3,34, principal 2 002,50     2 004,16 → 1,670 → 1,67, principal 2 004,16
    assert instalments(advance.schedules.get()) == [
        (1, 199_584, 1_000),
        (2, 199_750, 834),
        (3, 199_917, 667),
        (4, 200_083, 501),
        (5, 200_250, 334),
        (6, 200_416, 167),
    ]


def test_a_bullet_advance_falls_due_when_the_subsidy_is_expected(pool: Pool) -> None:
    start = TODAY - 10 * DAY
    expected = TODAY + 150 * DAY
    advance = disbursed_advance(pool, mode="bullet", term_months=6, on=start, expected_payment_on=expected)
    [(number, principal, interest)] = instalments(advance.schedules.get())
    # 12 000 € × 1 % × 160 days / 365 = 52,602… → 52,60 €
    assert (number, principal, interest) == (1, 1_200_000, 5_260)
    assert abs((due_dates(advance)[1] - expected).days) <= 3


# --- The split of a repayment ---------------------------------------------------------------------------


def test_a_repayment_pays_penalties_then_fees_then_interest_then_principal(pool: Pool) -> None:
    actors = pool.actors
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 75 * DAY)
    due = due_dates(advance)
    assert due[2] < TODAY < due[3]
    services.charge_add(
        actor=actors.treasurer, advance=advance, kind="penalty", amount_cents=5_000, label="Retard", on=due[1] + DAY
    )
    services.charge_add(
        actor=actors.treasurer, advance=advance, kind="fee", amount_cents=2_000, label="Relance", on=due[1] + DAY
    )
    on = due[2] + DAY
    place = selectors.position(advance, on)
    # Due by then: instalments 1 and 2, 10,00 + 8,33 = 18,33 € of interest and 4 000 € of principal.
    assert (place.penalties_due_cents, place.fees_due_cents, place.interest_due_cents, place.principal_due_cents) == (
        5_000,
        2_000,
        1_833,
        400_000,
    )
    assert (place.days_past_due, place.first_unpaid_on) == ((on - due[1]).days, due[1])

    # 1 588,33 € = 50 € penalty + 20 € fee + 18,33 € interest + 1 500 € principal.
    repayment = repay(pool, advance, 158_833, on)
    assert split(repayment) == (5_000, 2_000, 1_833, 150_000)
    assert (repayment.prepaid_cents, repayment.recovery_cents, repayment.prepayment_option) == (0, 0, "")
    assert repayment.schedule == advance.schedules.get(version=1)
    assert debit_balance("512POOL") == SEED - 1_200_000 + 158_833
    assert debit_balance(of("274", actors.org_a)) == 1_200_000 - 150_000
    assert credit_balance("7624POOL") == 1_833
    assert credit_balance("758POOL") == 5_000 + 2_000
    codes = set(Transfer.objects.filter(value_date=on, code__startswith="advance.").values_list("code", flat=True))
    assert codes == {"advance.repay", "advance.interest", "advance.charges"}

    # Instalment 1 (2 010 €) is still not wholly paid: late since its due date.
    place = selectors.position(advance, on)
    assert (place.arrears_cents, place.principal_due_cents, place.first_unpaid_on) == (250_000, 250_000, due[1])

    # 2 500 € more pays the rest of the two instalments: nothing late, instalment 3 next.
    assert split(repay(pool, advance, 250_000, on)) == (0, 0, 0, 250_000)
    place = selectors.position(advance, on)
    assert (place.days_past_due, place.arrears_cents, place.outstanding_cents) == (0, 0, 800_000)
    assert (place.next_due.number, place.next_due.unpaid_cents) == (3, 200_667)
    assert debit_balance(of("274", actors.org_a)) == 800_000
    assert verify().ok


def test_a_repayment_smaller_than_the_penalties_pays_only_penalties(pool: Pool) -> None:
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 75 * DAY)
    services.charge_add(
        actor=pool.actors.treasurer, advance=advance, kind="penalty", amount_cents=5_000, label="Retard", on=TODAY
    )
    assert split(repay(pool, advance, 3_000, TODAY)) == (3_000, 0, 0, 0)
    assert selectors.position(advance, TODAY).penalties_due_cents == 2_000
    assert credit_balance("758POOL") == 3_000
    assert debit_balance(of("274", pool.actors.org_a)) == 1_200_000
    assert verify().ok


# --- Early repayment ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        # Same 2 000 € of principal a month, stopping earlier; interest on the 7 000 € left:
        #   7 000 → 5,833 → 5,83   5 000 → 4,167 → 4,17   3 000 → 2,50   1 000 → 0,833 → 0,83
        ("shorten", [(2, 200_000, 583), (3, 200_000, 417), (4, 200_000, 250), (5, 100_000, 83)]),
        # Same dates, 7 000 € / 5 = 1 400 € a month:
        #   7 000 → 5,83   5 600 → 4,667 → 4,67   4 200 → 3,50   2 800 → 2,333 → 2,33   1 400 → 1,167 → 1,17
        (
            "reduce",
            [(2, 140_000, 583), (3, 140_000, 467), (4, 140_000, 350), (5, 140_000, 233), (6, 140_000, 117)],
        ),
    ],
)
def test_an_early_repayment_starts_a_new_schedule_from_the_balance_left(
    pool: Pool, option: str, expected: list[tuple[int, int, int]]
) -> None:
    actors = pool.actors
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 40 * DAY)
    due = due_dates(advance)
    assert due[1] < TODAY < due[2]

    # 5 010 € = instalment 1 (2 000 € + 10 € interest) + 3 000 € paid early.
    repayment = repay(pool, advance, 501_000, TODAY, prepayment_option=option)
    assert split(repayment) == (0, 0, 1_000, 500_000)
    assert (repayment.prepaid_cents, repayment.prepayment_option) == (300_000, option)

    first, second = advance.schedules.order_by("version")
    # The first version is kept as it was; the second takes over from today.
    assert (first.version, first.reason, first.principal_cents) == (1, Schedule.Reason.INITIAL, 1_200_000)
    assert len(instalments(first)) == 6
    assert (second.version, second.reason, second.effective_from) == (2, Schedule.Reason.PREPAYMENT, TODAY)
    outstanding = selectors.position(advance, TODAY).outstanding_cents
    assert second.principal_cents == outstanding == 1_200_000 - 500_000
    assert debit_balance(of("274", actors.org_a)) == outstanding
    assert instalments(second) == expected
    assert sum(principal for _number, principal, _interest in expected) == outstanding
    for number, due_on in due_dates(advance, version=2).items():
        assert due_on == due[number]
    place = selectors.position(advance, TODAY)
    assert (place.days_past_due, place.next_due.number) == (0, 2)
    assert place.next_due.unpaid_cents == expected[0][1] + expected[0][2]
    assert verify().ok


def test_an_early_repayment_shortens_the_term_unless_told_otherwise(pool: Pool) -> None:
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 40 * DAY)
    repayment = repay(pool, advance, 501_000, TODAY)
    assert repayment.prepayment_option == Repayment.Option.SHORTEN
    assert advance.schedules.get(version=2).instalments.count() == 4


def test_an_early_repayment_of_a_bullet_charges_interest_on_the_balance_left(pool: Pool) -> None:
    advance = disbursed_advance(pool, mode="bullet", on=TODAY - 10 * DAY)
    repayment = repay(pool, advance, 400_000, TODAY)
    # Nothing is due before the single instalment: all of it repays principal early.
    assert split(repayment) == (0, 0, 0, 400_000)
    assert repayment.prepaid_cents == 400_000
    new = advance.schedules.get(version=2)
    [(number, principal, interest)] = instalments(new)
    days = (due_dates(advance, version=2)[1] - TODAY).days
    # 8 000 € × 1 % × days / 365, rounded half-up to the cent.
    assert (number, principal) == (1, 800_000)
    assert interest == (2 * 800_000 * 100 * days + 3_650_000) // (2 * 3_650_000)
    assert verify().ok


def test_repaying_everything_closes_the_advance_and_any_later_repayment_is_refused(pool: Pool) -> None:
    actors = pool.actors
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 40 * DAY)
    # Owed today: 10 € of interest due and the 12 000 € of principal.
    assert_refused(lambda: repay(pool, advance, 1_201_001, TODAY), field="amount_cents", code="overpayment")
    repayment = repay(pool, advance, 1_201_000, TODAY)
    assert split(repayment) == (0, 0, 1_000, 1_200_000)
    advance.refresh_from_db()
    assert (advance.status, advance.closed_on) == (Advance.Status.REPAID, TODAY)
    assert advance.schedules.count() == 1  # nothing left to schedule
    assert debit_balance(of("274", actors.org_a)) == 0
    assert debit_balance("512POOL") == SEED + 1_000
    assert_refused(lambda: repay(pool, advance, 100, TODAY), field="advance", code="closed")
    assert verify().ok


# --- Bad input and permissions --------------------------------------------------------------------------


def test_a_bad_repayment_is_refused_and_posts_nothing(pool: Pool) -> None:
    requested = requested_advance(pool)
    assert_refused(lambda: repay(pool, requested, 1_000, TODAY), field="advance", code="closed")
    start = TODAY - 40 * DAY
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=start)
    for amount in (0, -1, 100.0, None):
        assert_refused(
            lambda amount=amount: repay(pool, advance, amount, TODAY),
            field="amount_cents",
            code="amount_not_positive",
        )
    assert_refused(lambda: repay(pool, advance, 1_000, TODAY + DAY), field="received_on")
    assert_refused(lambda: repay(pool, advance, 1_000, start - DAY), field="received_on")
    assert_refused(lambda: repay(pool, advance, 1_000, TODAY, prepayment_option="longer"), field="prepayment_option")
    assert debit_balance(of("274", pool.actors.org_a)) == 1_200_000
    assert verify().ok


def test_only_the_treasurer_or_the_bank_import_records_a_repayment(pool: Pool) -> None:
    actors = pool.actors
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 40 * DAY)
    for someone in (actors.coordinator, actors.member_admin_a, actors.committee, actors.outsider):
        before = row_counts()
        with pytest.raises(NotAllowed):
            services.repayment_record(actor=someone, advance=advance, amount_cents=1_000, received_on=TODAY)
        assert row_counts() == before
    imported = services.repayment_record(
        actor=None,
        advance=advance,
        amount_cents=1_000,
        received_on=TODAY,
        origin=Repayment.Origin.BANK,
        bank_reference="RUM-42",
    )
    assert (imported.recorded_by, imported.origin, split(imported)) == (None, "bank", (0, 0, 1_000, 0))


def test_repayments_are_recorded_in_date_order(pool: Pool) -> None:
    advance = disbursed_advance(pool, amount_cents=100_000, mode="linear", term_months=3, on=TODAY - 20 * DAY)
    repay(pool, advance, 60_000, TODAY - 2 * DAY)
    # Checked against the position five days ago, a 600 € repayment would find 1 000 € owed, though
    # only 400 € are left: a repayment dated before one already recorded is refused.
    assert_refused(lambda: repay(pool, advance, 60_000, TODAY - 5 * DAY), field="received_on", code="back_dated")
    repay(pool, advance, 10_000, TODAY - 2 * DAY)  # the same day is in order
    assert sum(advance.repayments.values_list("principal_cents", flat=True)) == 70_000
    assert debit_balance(of("274", pool.actors.org_a)) == 30_000
    assert verify().ok
