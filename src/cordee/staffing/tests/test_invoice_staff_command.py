"""`cordee invoice_staff --month YYYY-MM`: the same service from cron, safe to run twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cordee.core.testing import Actors, make_organisation
from cordee.invoicing.models import Invoice
from cordee.network.models import Membership
from cordee.staffing.models import MonthInvoicing, TimeEntry
from cordee.staffing.tests.billing_support import log, make_employee

pytestmark = pytest.mark.django_db

D = dt.date


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("invoice_staff", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_invoices_the_month_and_creates_nothing_the_second_time(actors: Actors) -> None:
    employee = make_employee(full_name="Inès Morel")
    log(employee, D(2026, 10, 5), actors.org_a, 60)
    log(employee, D(2026, 10, 6), actors.org_b, 180)

    out, err = run("--month", "2026-10")

    assert Invoice.objects.count() == 2 and MonthInvoicing.objects.count() == 1
    assert "Inès Morel" in out and Invoice.objects.get(recipient=actors.org_a).number in out
    assert "employees" in err  # the progress bar

    out, _err = run("--month", "2026-10")

    assert Invoice.objects.count() == 2 and MonthInvoicing.objects.count() == 1


def test_a_dry_run_writes_nothing(actors: Actors) -> None:
    employee = make_employee()
    log(employee, D(2026, 10, 5), actors.org_a, 60)

    out, _err = run("--month", "2026-10", "--dry-run")

    assert not Invoice.objects.exists() and not MonthInvoicing.objects.exists()
    assert actors.org_a.name in out


def test_one_employee_and_validated_only(actors: Actors) -> None:
    first, second = make_employee(), make_employee()
    log(first, D(2026, 10, 5), actors.org_a, 60)
    log(first, D(2026, 10, 6), actors.org_b, 60, state=TimeEntry.State.PENDING)
    log(second, D(2026, 10, 5), actors.org_a, 60)

    out, _err = run("--month", "2026-10", "--employee", str(first.pk))
    assert not MonthInvoicing.objects.exists()
    assert actors.org_b.name in out  # who has hours to validate

    run("--month", "2026-10", "--employee", str(first.pk), "--validated-only")
    assert list(MonthInvoicing.objects.values_list("employee", flat=True)) == [first.pk]


@pytest.mark.parametrize(
    "args", [["--month", "octobre"], ["--month", "2099-01"], ["--month", "2026-10", "--employee", "999999"]]
)
def test_it_exits_with_the_message_on_a_refusal(actors: Actors, args: list[str]) -> None:
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert refused.value.returncode == 1
    assert str(refused.value).split(":")[0] in ("month", "employee")
    assert not MonthInvoicing.objects.exists()


def test_it_exits_1_when_an_employee_could_not_be_invoiced(actors: Actors) -> None:
    employee = make_employee()
    log(employee, D(2026, 10, 5), make_organisation("Candidat", status=Membership.Status.CANDIDATE), 60)
    with pytest.raises(CommandError):
        run("--month", "2026-10")
    assert not MonthInvoicing.objects.exists()
