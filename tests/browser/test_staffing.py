"""Shared staff through a real browser: the employee fills a week's timesheet from a phone (a day
over the legal maximum is refused, with nothing saved), submits it; a member admin validates the
lines of its organisation; the coordinator previews and runs the month's re-invoicing, and each
member gets its invoice, the shares adding up to the month's cost.

Selectors rely on ids, names and addresses rather than on words, so the test holds whether the
interface is shown in French or in English.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.staffing.models import MonthInvoicing, TimeEntry, Timesheet

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the dev dependencies always bring it
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("the playwright Python package is not installed", allow_module_level=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def cell(page: Any, organisation_id: int, day: dt.date) -> Any:
    return page.locator(f"#id_h-{organisation_id}-{day:%Y-%m-%d}")


def test_a_week_logged_validated_and_reinvoiced(
    new_page: Any, actors: Actors, books_emptied_afterwards: None, log_in: Any
) -> None:
    from cordee.staffing.services.timesheets import time_validate
    from cordee.staffing.tests.factories import employee, plan

    month = timezone.localdate().replace(day=1) - relativedelta(months=1)
    monday = month + dt.timedelta(days=(7 - month.weekday()) % 7)
    staff = employee(starts_on=month - relativedelta(months=6))
    plan(staff, {actors.org_a: 80 * 60, actors.org_b: 60 * 60}, starts_on=month)

    # The employee, on a phone, types eleven hours on Monday: refused, the rule named, nothing kept.
    page = new_page(phone=True)
    log_in(page, staff.person.email)
    page.goto(reverse("staffing:week", args=[staff.pk, f"{monday:%Y-%m-%d}"]))
    cell(page, actors.org_a.pk, monday).fill("11")
    page.locator(f"#id_start-{monday:%Y-%m-%d}").fill("07:00")
    page.locator(f"#id_end-{monday:%Y-%m-%d}").fill("19:00")
    page.locator("button[name=action][value=save]").click()
    expect(page.locator("#problems")).to_contain_text("L3121-18")
    assert not TimeEntry.objects.exists()

    # Corrected: seven hours for A on Monday, three and a half for B on Tuesday; saved and submitted.
    cell(page, actors.org_a.pk, monday).fill("7")
    page.locator(f"#id_start-{monday:%Y-%m-%d}").fill("08:30")
    page.locator(f"#id_end-{monday:%Y-%m-%d}").fill("16:30")
    tuesday = monday + dt.timedelta(days=1)
    cell(page, actors.org_b.pk, tuesday).fill("3h30")
    page.locator(f"#id_start-{tuesday:%Y-%m-%d}").fill("09:00")
    page.locator(f"#id_end-{tuesday:%Y-%m-%d}").fill("12:30")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("#week-state")).to_have_text(re.compile(r"\S"))
    sheet = Timesheet.objects.get()
    assert sheet.state == Timesheet.State.SUBMITTED
    assert sorted(sheet.entries.values_list("organisation_id", "minutes")) == sorted(
        [(actors.org_a.pk, 420), (actors.org_b.pk, 210)]
    )

    # A's member admin validates A's line; B's line is B's business (validated here directly).
    admin = new_page()
    log_in(admin, actors.member_admin_a.email)
    admin.goto(reverse("staffing:validation"))
    group = admin.locator(f'form:has(input[name=organisation][value="{actors.org_a.pk}"])').first
    group.locator("button[name=action][value=validate]").click()
    expect(admin.locator(f'form:has(input[name=organisation][value="{actors.org_a.pk}"])')).to_have_count(0)
    assert set(sheet.entries.values_list("organisation_id", "state")) >= {(actors.org_a.pk, TimeEntry.State.VALIDATED)}
    time_validate(actor=actors.member_admin_b, timesheet=sheet, organisation=actors.org_b)

    # The coordinator previews, then runs the month: one invoice per member, to the cent.
    coordinator = new_page()
    log_in(coordinator, actors.coordinator.email)
    coordinator.goto(reverse("staffing:billing"))
    coordinator.locator("#id_month").fill(f"{month:%Y-%m}")
    coordinator.locator("button[name=action][value=preview]").click()
    expect(coordinator.locator("main")).to_contain_text(actors.org_b.name)
    assert not MonthInvoicing.objects.exists()
    coordinator.locator("#id_month").fill(f"{month:%Y-%m}")
    coordinator.locator("button[name=action][value=run]").click()
    expect(coordinator.locator("#done-heading")).to_be_visible()
    done = MonthInvoicing.objects.get(employee=staff, month=month)
    invoices = {invoice.recipient_id: invoice.total_incl_vat_cents for invoice in done.invoices.all()}
    assert set(invoices) == {actors.org_a.pk, actors.org_b.pk}
    assert sum(invoices.values()) == done.cost_cents + done.expenses_cents
    # Seven hours against three and a half: A pays twice what B pays, give or take a cent.
    assert abs(invoices[actors.org_a.pk] - 2 * invoices[actors.org_b.pk]) <= 2
