"""Arrears: days past due and ageing buckets on any day, reminders at the configured steps, PAR30,
provisions posted by bucket, rescheduling (a new schedule, the old one kept), write-off and later
recovery, all as ledger transfers and new rows, never as edits.

The worked examples use a 12 000 € linear advance over 6 months at 1 %, disbursed 150 days ago and
never paid unless said: instalment 1 (2 000 € + 10,00 €) fell due about 120 days ago.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from cordee.core.errors import DomainError
from cordee.core.testing import Actors
from cordee.ledger.models import Account, Transfer
from cordee.ledger.verify import verify
from cordee.network.models import Organisation
from cordee.treasury import selectors, services
from cordee.treasury.models import Advance, Charge, Provision, Reminder, Repayment, Schedule
from cordee.treasury.tests.factories import Pool, borrower, disbursed_advance, requested_advance, set_up_pool

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
SEED = 10_000_000


@pytest.fixture
def pool(actors: Actors) -> Pool:
    return set_up_pool(actors, default_rate_bps=100)


@pytest.fixture
def late(pool: Pool) -> Advance:
    return disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 150 * DAY)


def debit_balance(number: str) -> int:
    account = Account.objects.get(ledger__code="EUR", number=number)
    return account.debits_posted - account.credits_posted


def credit_balance(number: str) -> int:
    return -debit_balance(number)


def of(prefix: str, organisation: Organisation) -> str:
    return f"{prefix}{organisation.pk:06d}"


def first_due(advance: Advance) -> dt.date:
    return advance.schedules.get(version=1).instalments.get(number=1).due_on


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (Advance, Charge, Provision, Repayment, Schedule, Transfer)
    }


def assert_refused(call: Callable[[], Any], *, field: str | None, code: str = "invalid") -> None:
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.field, caught.value.code) == (field, code)
    assert row_counts() == before


# --- Days past due, buckets, PAR30 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_after", "days_past_due", "bucket"),
    [
        (-1, 0, "current"),
        (0, 0, "current"),  # due today is not late yet
        (1, 1, "1-30"),
        (30, 30, "1-30"),
        (31, 31, "31-60"),
        (60, 60, "31-60"),
        (61, 61, "61-90"),
        (90, 90, "61-90"),
        (91, 91, "90+"),
    ],
)
def test_days_past_due_count_from_the_oldest_unpaid_instalment(
    late: Advance, days_after: int, days_past_due: int, bucket: str
) -> None:
    place = selectors.position(late, first_due(late) + days_after * DAY)
    assert (place.days_past_due, place.bucket) == (days_past_due, bucket)
    assert place.outstanding_cents == 1_200_000


def test_once_the_oldest_instalment_is_paid_the_next_one_sets_the_days_past_due(pool: Pool, late: Advance) -> None:
    due = dict(late.schedules.get().instalments.values_list("number", "due_on"))
    services.repayment_record(
        actor=pool.actors.treasurer, advance=late, amount_cents=201_000, received_on=due[1] + 10 * DAY
    )
    assert selectors.position(late, due[1] + 10 * DAY).days_past_due == 0
    place = selectors.position(late, due[2] + 5 * DAY)
    assert (place.days_past_due, place.first_unpaid_on) == (5, due[2])
    # What was late is what the second instalment asks: 2 000 € + 8,33 €.
    assert (place.principal_due_cents, place.interest_due_cents) == (200_000, 833)


def test_the_pool_reports_its_buckets_and_portfolio_at_risk_at_30_days(pool: Pool, late: Advance) -> None:
    on = first_due(late) + 45 * DAY
    # Another member's bullet, paid out the same day, falls due in five months: current.
    disbursed_advance(pool, organisation=borrower(), mode="bullet", on=TODAY - 150 * DAY)
    figures = selectors.pool_figures(on)
    assert figures.outstanding_cents == 2_400_000
    assert figures.buckets == {"current": 1_200_000, "1-30": 0, "31-60": 1_200_000, "61-90": 0, "90+": 0}
    assert figures.at_risk_30_cents == 1_200_000
    assert figures.par30_percent == 50.0
    # Late by then: instalments 1 and 2, 4 000 € of principal and 10,00 + 8,33 € of interest.
    assert figures.arrears_cents == 400_000 + 1_833
    assert selectors.pool_figures(first_due(late) + 30 * DAY).at_risk_30_cents == 0  # 30 days is not over 30


# --- Reminders --------------------------------------------------------------------------------------


def test_reminders_go_at_the_configured_steps_once_each(
    pool: Pool, late: Advance, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from cordee.treasury.models import TreasurySettings

    TreasurySettings.objects.filter(pk=1).update(reminder_days="10, 40")
    due = first_due(late)

    def run(days: int) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.reminders_send(on=due + days * DAY)

    assert run(9) == 0
    assert run(12) == 1
    assert run(12) == 0  # the daily run can be repeated
    assert run(39) == 0
    assert run(45) == 1
    assert sorted(Reminder.objects.filter(advance=late).values_list("step_days", "due_on")) == [(10, due), (40, due)]
    assert len(mailoutbox) == 2
    assert {tuple(message.to) for message in mailoutbox} == {("admin.a@example.org",)}


def test_steps_passed_together_send_one_reminder(
    pool: Pool, late: Advance, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(on=first_due(late) + 45 * DAY) == 1
    # The default steps 5, 15 and 30 are passed at 45 days: all recorded, one e-mail.
    assert sorted(Reminder.objects.values_list("step_days", flat=True)) == [5, 15, 30]
    assert len(mailoutbox) == 1


# --- Provisions, write-off, recovery --------------------------------------------------------------------


def test_provision_write_off_and_recovery_worked_example(pool: Pool, late: Advance) -> None:
    actors = pool.actors
    provision_account, receivable = of("2974", actors.org_a), of("274", actors.org_a)
    on = first_due(late) + 45 * DAY

    # 45 days past due: bucket 31–60, provisioned at 20 % × 12 000 € = 2 400 €.
    assert services.provisions_update(on=on) == 1
    assert services.provisions_update(on=on) == 0  # nothing more to book the same day
    provision = Provision.objects.get(advance=late)
    assert (provision.change_cents, provision.bucket, provision.on) == (240_000, "31-60", on)
    assert Transfer.objects.get(pk=provision.transfer_id).value_date == on
    assert debit_balance("6866POOL") == 240_000
    assert credit_balance(provision_account) == 240_000
    assert selectors.provision_booked(late) == 240_000
    assert verify().ok

    # Written off five days later: the 12 000 € left are a loss, the 2 400 € provision released.
    written_off_on = on + 5 * DAY
    services.advance_write_off(actor=actors.treasurer, advance=late, on=written_off_on, reason="Liquidation judiciaire")
    late.refresh_from_db()
    assert (late.status, late.closed_on) == (Advance.Status.WRITTEN_OFF, written_off_on)
    assert debit_balance("654POOL") == 1_200_000
    assert debit_balance(receivable) == 0
    assert credit_balance("7866POOL") == 240_000
    assert credit_balance(provision_account) == 0
    assert list(late.provisions.values_list("change_cents", "bucket")) == [
        (240_000, "31-60"),
        (-240_000, "written_off"),
    ]
    assert selectors.position(late, TODAY).outstanding_cents == 0
    assert services.provisions_update(on=TODAY) == 0
    assert verify().ok

    # 3 000 € recovered from the liquidator today: income on 7714POOL, nothing back on 274.
    recovery = services.repayment_record(actor=actors.treasurer, advance=late, amount_cents=300_000, received_on=TODAY)
    assert (recovery.recovery_cents, recovery.principal_cents, recovery.interest_cents, recovery.schedule) == (
        300_000,
        0,
        0,
        None,
    )
    assert credit_balance("7714POOL") == 300_000
    assert debit_balance(receivable) == 0
    assert debit_balance("512POOL") == SEED - 1_200_000 + 300_000
    assert verify().ok
    call_command("verify_ledger", stdout=io.StringIO())  # `cordee verify_ledger` exits 1 on a violation


def test_the_provision_follows_the_bucket_up_and_is_released_when_the_arrears_are_paid(
    pool: Pool, late: Advance
) -> None:
    provision_account = of("2974", pool.actors.org_a)
    due = first_due(late)
    services.provisions_update(on=due + 45 * DAY)  # 20 % × 12 000 € = 2 400 €
    services.provisions_update(on=due + 65 * DAY)  # 50 %: 6 000 €, so 3 600 € more
    assert list(late.provisions.values_list("change_cents", "bucket")) == [(240_000, "31-60"), (360_000, "61-90")]
    assert credit_balance(provision_account) == 600_000
    assert debit_balance("6866POOL") == 600_000

    paid_on = due + 66 * DAY
    arrears = selectors.position(late, paid_on).arrears_cents
    services.repayment_record(actor=pool.actors.treasurer, advance=late, amount_cents=arrears, received_on=paid_on)
    assert selectors.position(late, paid_on).days_past_due == 0
    assert services.provisions_update(on=paid_on) == 1
    assert late.provisions.last().change_cents == -600_000
    assert credit_balance("7866POOL") == 600_000
    assert credit_balance(provision_account) == 0
    assert verify().ok


def test_repaying_an_advance_in_full_releases_its_provision(pool: Pool, late: Advance) -> None:
    on = first_due(late) + 45 * DAY
    services.provisions_update(on=on)
    place = selectors.position(late, on)
    everything = place.arrears_cents + place.outstanding_cents - place.principal_due_cents
    services.repayment_record(actor=pool.actors.treasurer, advance=late, amount_cents=everything, received_on=on)
    late.refresh_from_db()
    assert late.status == Advance.Status.REPAID
    assert credit_balance(of("2974", pool.actors.org_a)) == 0
    assert credit_balance("7866POOL") == 240_000
    assert debit_balance(of("274", pool.actors.org_a)) == 0
    assert verify().ok


def test_a_bad_write_off_is_refused(pool: Pool, late: Advance) -> None:
    treasurer = pool.actors.treasurer
    assert_refused(lambda: services.advance_write_off(actor=treasurer, advance=late, reason=" "), field="reason")
    requested = requested_advance(pool)
    assert_refused(
        lambda: services.advance_write_off(actor=treasurer, advance=requested, reason="Perte"),
        field="status",
        code="state",
    )
    services.advance_write_off(actor=treasurer, advance=late, reason="Perte")
    assert_refused(
        lambda: services.advance_write_off(actor=treasurer, advance=late, reason="Perte"),
        field="status",
        code="state",
    )
    late.refresh_from_db()
    assert_refused(
        lambda: services.charge_add(actor=treasurer, advance=late, kind="fee", amount_cents=100, label="Frais"),
        field="status",
        code="state",
    )
    assert verify().ok


def test_a_charge_is_refused_on_an_advance_written_off_meanwhile(pool: Pool, late: Advance) -> None:
    treasurer = pool.actors.treasurer
    seen_before = Advance.objects.get(pk=late.pk)  # a page opened before the write-off
    services.advance_write_off(actor=treasurer, advance=late, reason="Perte")
    assert_refused(
        lambda: services.charge_add(actor=treasurer, advance=seen_before, kind="fee", amount_cents=100, label="Frais"),
        field="status",
        code="state",
    )


def test_recoveries_cannot_exceed_what_was_written_off_nor_come_before_it(pool: Pool, late: Advance) -> None:
    treasurer = pool.actors.treasurer
    written_off_on = TODAY - 10 * DAY
    services.advance_write_off(actor=treasurer, advance=late, on=written_off_on, reason="Perte")

    def recover(amount_cents: int, received_on: dt.date = TODAY) -> Repayment:
        return services.repayment_record(
            actor=treasurer, advance=late, amount_cents=amount_cents, received_on=received_on
        )

    # 12 000 € were written off: 12 000,01 € cannot be recovered, nor anything before the write-off.
    assert_refused(lambda: recover(1_200_001), field="amount_cents", code="overpayment")
    assert_refused(lambda: recover(1_000, written_off_on - DAY), field="received_on")
    recover(700_000)
    assert_refused(lambda: recover(500_001), field="amount_cents", code="overpayment")
    recover(500_000)
    assert credit_balance("7714POOL") == debit_balance("654POOL") == 1_200_000
    assert verify().ok


def test_a_write_off_dated_before_the_last_repayment_is_refused(pool: Pool) -> None:
    advance = disbursed_advance(pool, amount_cents=100_000, mode="linear", term_months=3, on=TODAY - 20 * DAY)
    services.repayment_record(actor=pool.actors.treasurer, advance=advance, amount_cents=60_000, received_on=TODAY)
    # 400 € are left today; five days ago the position did not know of the 600 € repaid since.
    assert_refused(
        lambda: services.advance_write_off(
            actor=pool.actors.treasurer, advance=advance, on=TODAY - 5 * DAY, reason="Perte"
        ),
        field="on",
        code="back_dated",
    )
    assert debit_balance(of("274", pool.actors.org_a)) == 40_000


# --- Rescheduling ---------------------------------------------------------------------------------------


def test_rescheduling_draws_a_new_schedule_and_keeps_the_old_one(pool: Pool, late: Advance) -> None:
    treasurer = pool.actors.treasurer
    on = first_due(late) + 45 * DAY
    transfers = Transfer.objects.count()
    before = selectors.position(late, on)
    # Instalments 1 and 2 are late: 10,00 + 8,33 € of interest, which is not forgiven.
    assert (before.days_past_due, before.interest_due_cents) == (45, 1_833)

    schedule = services.advance_reschedule(
        actor=treasurer, advance=late, on=on, term_months=6, mode="linear", note="Comité du 12 : report"
    )
    assert (schedule.version, schedule.reason, schedule.effective_from, schedule.principal_cents) == (
        2,
        Schedule.Reason.RESCHEDULING,
        on,
        1_200_000,
    )
    # The whole 12 000 € again over six months from today, numbered from 1.
    assert list(schedule.instalments.values_list("number", "principal_cents", "interest_cents")) == [
        (1, 200_000, 1_000),
        (2, 200_000, 833),
        (3, 200_000, 667),
        (4, 200_000, 500),
        (5, 200_000, 333),
        (6, 200_000, 167),
    ]
    old = late.schedules.get(version=1)
    assert (old.reason, old.instalments.count(), old.principal_cents) == (Schedule.Reason.INITIAL, 6, 1_200_000)
    charge = Charge.objects.get(advance=late)
    assert (charge.kind, charge.amount_cents, charge.charged_on) == (Charge.Kind.FEE, 1_833, on)
    assert Transfer.objects.count() == transfers  # nothing moved: the same debt, due later

    after = selectors.position(late, on)
    assert (after.days_past_due, after.fees_due_cents, after.interest_due_cents, after.principal_due_cents) == (
        0,
        1_833,
        0,
        0,
    )
    assert after.outstanding_cents == 1_200_000
    # The carried interest is paid first, as a fee.
    repayment = services.repayment_record(actor=treasurer, advance=late, amount_cents=1_833, received_on=on + DAY)
    assert (repayment.fees_cents, repayment.interest_cents, repayment.principal_cents) == (1_833, 0, 0)
    assert repayment.schedule == schedule
    assert credit_balance("758POOL") == 1_833
    assert verify().ok


def test_a_bad_rescheduling_is_refused(pool: Pool, late: Advance) -> None:
    treasurer = pool.actors.treasurer

    def reschedule(advance: Advance, **fields: Any) -> Schedule:
        values: dict[str, Any] = {"on": TODAY, "term_months": 6, "mode": "linear", "note": "Comité"}
        values.update(fields)
        return services.advance_reschedule(actor=treasurer, advance=advance, **values)

    assert_refused(lambda: reschedule(late, note="  "), field="note")
    assert_refused(lambda: reschedule(late, mode="weekly"), field="mode")
    assert_refused(lambda: reschedule(late, term_months=60), field="term_months", code="regime")
    requested = requested_advance(pool)
    assert_refused(lambda: reschedule(requested), field="status", code="state")


def test_a_position_on_a_past_day_reads_the_schedule_then_in_force(pool: Pool, late: Advance) -> None:
    due = first_due(late)
    assert selectors.position(late, due + 5 * DAY).days_past_due == 5
    # Instalment 1 paid ten days late, with 500 € more paid early: a second version from that day.
    services.repayment_record(
        actor=pool.actors.treasurer,
        advance=late,
        amount_cents=201_000 + 50_000,
        received_on=due + 10 * DAY,
        prepayment_option="reduce",
    )
    assert late.schedules.count() == 2
    place = selectors.position(late, due + 5 * DAY)
    assert (place.days_past_due, place.principal_due_cents, place.interest_due_cents) == (5, 200_000, 1_000)


def test_a_rescheduling_dated_before_the_last_repayment_is_refused(pool: Pool) -> None:
    advance = disbursed_advance(pool, amount_cents=100_000, mode="linear", term_months=3, on=TODAY - 20 * DAY)
    services.repayment_record(actor=pool.actors.treasurer, advance=advance, amount_cents=60_000, received_on=TODAY)
    assert_refused(
        lambda: services.advance_reschedule(
            actor=pool.actors.treasurer, advance=advance, on=TODAY - 5 * DAY, term_months=3, mode="linear", note="x"
        ),
        field="on",
        code="back_dated",
    )


def test_a_rescheduling_cannot_be_dated_in_the_future(pool: Pool) -> None:
    advance = disbursed_advance(pool, mode="linear", term_months=6, on=TODAY - 20 * DAY)
    assert_refused(
        lambda: services.advance_reschedule(
            actor=pool.actors.treasurer, advance=advance, on=TODAY + 70 * DAY, term_months=3, mode="linear", note="x"
        ),
        field="on",
    )


def test_a_position_on_a_past_day_shows_what_was_owed_that_day(pool: Pool, late: Advance) -> None:
    assert late.disbursed_on is not None
    assert selectors.position(late, late.disbursed_on - DAY).outstanding_cents == 0
    assert selectors.pool_figures(late.disbursed_on - DAY).outstanding_cents == 0
    before_write_off = selectors.position(late, TODAY - DAY)
    services.advance_write_off(actor=pool.actors.treasurer, advance=late, on=TODAY, reason="Perte")
    late.refresh_from_db()
    assert selectors.position(late, TODAY - DAY).outstanding_cents == before_write_off.outstanding_cents == 1_200_000
