"""The monthly re-invoicing of shared employees: one internal invoice per member organisation, its
share of the month's cost pro rata of its validated hours plus its own expenses; the invoices and
what is left to the employer add up to the cent; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation
from cordee.invoicing.models import Exemption, Invoice
from cordee.ledger.verify import verify
from cordee.network.models import Membership, Organisation
from cordee.staffing.models import MonthInvoicing, TimeEntry
from cordee.staffing.services import billing
from cordee.staffing.services.billing import Skip, invoice_staff, parse_month
from cordee.staffing.tests.billing_support import log, make_employee, spend

pytestmark = pytest.mark.django_db

D = dt.date
OCTOBER = D(2026, 10, 1)
MONTH_COST = 306_720  # 2 000 € + 42 % + 8 %: see billing_support.make_employee


def invoice_to(organisation: Organisation) -> Invoice:
    return Invoice.objects.get(recipient=organisation)


def test_each_organisation_gets_its_share_of_the_month_pro_rata_of_its_validated_hours(actors: Actors) -> None:
    employee = make_employee(full_name="Inès Morel", job_title="Animatrice")
    for day in range(5, 11):
        log(employee, D(2026, 10, day), actors.org_a, 10 * 60)
    for day in range(12, 16):
        log(employee, D(2026, 10, day), actors.org_b, 10 * 60)
    spend(employee, D(2026, 10, 7), 3_000)  # shared
    spend(employee, D(2026, 10, 8), 1_234, actors.org_b, label="Train Gap–Briançon")
    spend(employee, D(2026, 11, 2), 9_999)  # November: not this month

    report = invoice_staff(month=OCTOBER, notify=False)

    # Pool: 3 067,20 € + 30,00 € = 3 097,20 €; A worked 60 of 100 hours: 1 858,32 €; B 1 238,88 €.
    to_a, to_b = invoice_to(actors.org_a), invoice_to(actors.org_b)
    assert (to_a.total_incl_vat_cents, to_b.total_incl_vat_cents) == (185_832, 123_888 + 1_234)
    assert to_a.issuer is None and to_a.status == Invoice.Status.ISSUED and to_a.number
    assert to_a.source == f"staff:{employee.pk}:2026-10:{actors.org_a.pk}"
    assert to_a.issue_date is not None and to_a.due_date == to_a.issue_date + dt.timedelta(days=30)
    lines = list(to_b.lines.order_by("position"))
    assert [(line.unit_price_cents, line.vat_rate, line.vat_exemption) for line in lines] == [
        (123_888, 0, Exemption.COST_SHARING),
        (1_234, 0, Exemption.COST_SHARING),
    ]
    assert "Inès Morel" in lines[0].label and "40 h sur 100 h" in lines[0].label
    assert "Train Gap–Briançon" in lines[1].label
    assert to_a.vat_cents == 0
    invoiced = MonthInvoicing.objects.get(employee=employee, month=OCTOBER)
    assert (invoiced.cost_cents, invoiced.expenses_cents, invoiced.minutes) == (MONTH_COST, 4_234, 6_000)
    assert (invoiced.invoiced_cents, invoiced.employer_cents) == (310_954, 0)
    assert set(invoiced.invoices.all()) == {to_a, to_b}
    assert set(TimeEntry.objects.filter(organisation=actors.org_a).values_list("invoice", flat=True)) == {to_a.pk}
    assert report.invoiced_cents == 310_954 and len(report.invoices) == 2
    event = AuditEvent.objects.get(action="staffing.month_invoice")
    assert event.target_id == str(invoiced.pk) and event.data["invoiced"] == 310_954
    ledger = verify()
    assert ledger.ok, ledger.violations


def test_invoices_and_the_employers_part_add_up_to_the_cent_on_awkward_numbers(actors: Actors) -> None:
    # 3 333,37 € a month (no contributions nor running costs) over 7 organisations with odd minutes.
    employee = make_employee(
        gross_salary_cents=333_337,
        contributions_rate=None,
        contributions_cents=0,
        running_costs_rate=None,
        running_costs_cents=0,
    )
    organisations = [actors.org_a, actors.org_b, *(make_organisation(f"Structure {n}") for n in range(5))]
    for index, (organisation, minutes) in enumerate(zip(organisations, [7, 11, 13, 17, 19, 23, 29], strict=True)):
        log(employee, D(2026, 10, 1 + index), organisation, minutes)
    spend(employee, D(2026, 10, 3), 1)  # one shared cent
    spend(employee, D(2026, 10, 4), 333, organisations[6])

    report = invoice_staff(month=OCTOBER, notify=False)

    invoiced = MonthInvoicing.objects.get(employee=employee)
    total = Invoice.objects.aggregate(total=Sum("total_incl_vat_cents"))["total"]
    assert invoiced.cost_cents == 333_337 and invoiced.expenses_cents == 334
    assert total + invoiced.employer_cents == invoiced.cost_cents + invoiced.expenses_cents
    assert (total, invoiced.employer_cents) == (333_671, 0)
    # The pool of 3 333,38 € over 119 minutes, largest remainders: the first structure's 7 minutes
    # are worth 19 608,07 cents → 19 608.
    assert invoice_to(actors.org_a).total_incl_vat_cents == 19_608
    assert Invoice.objects.count() == 7 and len(report.invoices) == 7

    again = invoice_staff(month=OCTOBER, notify=False)

    assert [item.skipped for item in again.months] == [Skip.ALREADY]
    assert again.invoices == [] and Invoice.objects.count() == 7
    assert MonthInvoicing.objects.count() == 1
    assert AuditEvent.objects.filter(action="staffing.month_invoice").count() == 1


def test_a_host_member_lending_its_employee_keeps_its_own_share(actors: Actors) -> None:
    employee = make_employee(employer=actors.org_a)
    log(employee, D(2026, 10, 5), actors.org_a, 90)
    log(employee, D(2026, 10, 6), actors.org_b, 30)
    spend(employee, D(2026, 10, 7), 500, actors.org_a)

    invoice_staff(month=OCTOBER, notify=False)

    # A lender charges no running costs (L8241-1): the month costs 2 000,00 € + 42 % = 2 840,00 €.
    # B worked a quarter of the 2 hours: 2 840,00 € / 4 = 710,00 €, invoiced by A; A keeps the rest.
    assert list(Invoice.objects.values_list("issuer", "recipient", "total_incl_vat_cents")) == [
        (actors.org_a.pk, actors.org_b.pk, 71_000)
    ]
    invoiced = MonthInvoicing.objects.get(employee=employee)
    assert (invoiced.invoiced_cents, invoiced.employer_cents) == (71_000, 213_000 + 500)
    assert TimeEntry.objects.get(organisation=actors.org_a).invoice is None


def test_a_month_without_validated_hours_is_left_to_the_employer_and_closed(actors: Actors) -> None:
    employee = make_employee()

    report = invoice_staff(month=OCTOBER, notify=False)

    assert Invoice.objects.count() == 0
    invoiced = MonthInvoicing.objects.get(employee=employee, month=OCTOBER)
    assert (invoiced.invoiced_cents, invoiced.employer_cents, invoiced.minutes) == (0, MONTH_COST, 0)
    assert report.invoiced[0].employer_cents == MONTH_COST


def test_a_month_with_lines_to_validate_is_skipped_and_reported(actors: Actors) -> None:
    employee = make_employee()
    log(employee, D(2026, 10, 5), actors.org_a, 120)
    log(employee, D(2026, 10, 6), actors.org_b, 60, state=TimeEntry.State.PENDING)
    log(employee, D(2026, 10, 7), actors.org_b, 30, state=TimeEntry.State.DISPUTED)

    report = invoice_staff(month=OCTOBER, notify=False)

    assert [item.skipped for item in report.months] == [Skip.PENDING]
    [waiting] = report.pending[0].unvalidated
    assert (waiting.organisation, waiting.pending_minutes, waiting.disputed_minutes) == (actors.org_b, 60, 30)
    assert not MonthInvoicing.objects.exists() and not Invoice.objects.exists()


def test_validated_only_invoices_what_is_validated_and_leaves_the_rest_to_the_employer(actors: Actors) -> None:
    employee = make_employee()
    log(employee, D(2026, 10, 5), actors.org_a, 120)
    log(employee, D(2026, 10, 6), actors.org_b, 60)
    log(employee, D(2026, 10, 7), actors.org_b, 60, state=TimeEntry.State.PENDING)

    invoice_staff(month=OCTOBER, validated_only=True, notify=False)

    # 4 hours logged: A pays 2/4 of 3 067,20 €, B 1/4, the hour still to validate stays with the employer.
    assert invoice_to(actors.org_a).total_incl_vat_cents == 153_360
    assert invoice_to(actors.org_b).total_incl_vat_cents == 76_680
    invoiced = MonthInvoicing.objects.get(employee=employee)
    assert (invoiced.invoiced_cents, invoiced.employer_cents, invoiced.minutes) == (230_040, 76_680, 180)
    assert TimeEntry.objects.get(state=TimeEntry.State.PENDING).invoice is None


def test_a_month_entered_during_it_costs_pro_rata_of_its_days(actors: Actors) -> None:
    employee = make_employee(starts_on=D(2026, 10, 10))
    log(employee, D(2026, 10, 12), actors.org_a, 60)

    invoice_staff(month=OCTOBER, notify=False)

    # 22 of 31 days: 1 419,35 € + 596,13 € + 161,24 € (see test_costs).
    assert invoice_to(actors.org_a).total_incl_vat_cents == 217_672


def test_a_dry_run_computes_the_same_figures_and_writes_nothing(actors: Actors) -> None:
    employee = make_employee()
    log(employee, D(2026, 10, 5), actors.org_a, 100)
    log(employee, D(2026, 10, 6), actors.org_b, 200)

    preview = invoice_staff(month=OCTOBER, dry_run=True)

    assert not Invoice.objects.exists() and not MonthInvoicing.objects.exists()
    assert not AuditEvent.objects.filter(action="staffing.month_invoice").exists()
    shares = {share.organisation: share.total_cents for share in preview.invoiced[0].shares}
    assert shares == {actors.org_a: 102_240, actors.org_b: 204_480}
    done = invoice_staff(month=OCTOBER, employee=employee, notify=False)
    assert sorted(share.total_cents for share in done.invoiced[0].shares) == [102_240, 204_480]


def test_it_refuses_a_month_that_is_not_over(actors: Actors) -> None:
    make_employee()
    with pytest.raises(DomainError) as refused:
        invoice_staff(month=D(2026, 11, 1), now=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
    assert refused.value.field == "month"
    assert not MonthInvoicing.objects.exists()


def test_it_refuses_a_person_who_may_not_invoice_staff(actors: Actors) -> None:
    make_employee()
    with pytest.raises(NotAllowed):
        invoice_staff(month=OCTOBER, actor=actors.member_admin_a)
    assert invoice_staff(month=OCTOBER, actor=actors.treasurer, dry_run=True).months


def test_a_refusal_of_the_invoicing_rules_fails_that_employee_only(actors: Actors) -> None:
    gone = make_organisation("Candidat", status=Membership.Status.CANDIDATE)
    broken, fine = make_employee(full_name="A"), make_employee(full_name="B")
    log(broken, D(2026, 10, 5), actors.org_a, 60)
    log(broken, D(2026, 10, 6), gone, 60)
    log(fine, D(2026, 10, 5), actors.org_b, 60)

    report = invoice_staff(month=OCTOBER, notify=False)

    assert [item.skipped for item in report.months] == [Skip.FAILED, ""]
    assert report.failed[0].reason
    # Nothing of the failed month is left: no invoice to A, no entry marked, no record.
    assert list(Invoice.objects.values_list("recipient", flat=True)) == [actors.org_b.pk]
    assert not MonthInvoicing.objects.filter(employee=broken).exists()
    assert not TimeEntry.objects.filter(timesheet__employee=broken, invoice__isnull=False).exists()


def test_an_employee_without_contract_hours_or_expenses_in_the_month_is_left_alone(actors: Actors) -> None:
    later = make_employee(starts_on=D(2026, 11, 1))
    assert invoice_staff(month=OCTOBER, employee=later).months == []
    assert not MonthInvoicing.objects.exists()


def test_parse_month() -> None:
    assert parse_month("2027-03") == D(2027, 3, 1)
    with pytest.raises(DomainError):
        parse_month("mars 2027")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: the race cannot happen there")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # two connections see only committed rows
def test_two_runs_at_once_invoice_the_month_once(actors: Actors, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cron and a person on the page run the same month at the same instant: the rival holds the
    employee's row while it issues its invoices; our run waits on that lock, then finds the
    rival's record and creates nothing."""
    employee = make_employee()
    log(employee, D(2026, 10, 5), actors.org_a, 60)
    log(employee, D(2026, 10, 6), actors.org_b, 90)
    issuing, failures, outcomes = threading.Event(), [], []
    real_issue = billing.invoicing.invoice_create_issued

    def slow_issue(**kwargs: Any) -> Invoice:
        if threading.current_thread().name == "rival" and not issuing.is_set():
            issuing.set()
            with connection.cursor() as cursor:
                for _ in range(200):  # until our run waits on the rival's lock (10 s at most)
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                    if cursor.fetchone()[0]:
                        break
                    time.sleep(0.05)
                else:
                    failures.append("our run never waited on the rival's lock")
        return real_issue(**kwargs)

    monkeypatch.setattr(billing.invoicing, "invoice_create_issued", slow_issue)

    def rival() -> None:
        try:
            outcomes.append(invoice_staff(month=OCTOBER, notify=False).months[0].skipped or "invoiced")
        finally:
            connection.close()

    thread = threading.Thread(target=rival, name="rival")
    thread.start()
    assert issuing.wait(10)
    try:
        ours = invoice_staff(month=OCTOBER, notify=False)
    finally:
        thread.join(15)

    assert failures == [] and outcomes == ["invoiced"]
    assert [item.skipped for item in ours.months] == [Skip.ALREADY]
    assert MonthInvoicing.objects.count() == 1 and Invoice.objects.count() == 2
