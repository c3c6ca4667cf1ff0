"""The re-invoicing page (preview, then run), the plan-versus-actual pages, the documents as
downloads, and the exposure block of an organisation's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.invoicing.models import Invoice
from cordee.staffing.models import MonthInvoicing, TimeEntry
from cordee.staffing.services.billing import invoice_staff
from cordee.staffing.tests.billing_support import log, make_employee, plan

pytestmark = pytest.mark.django_db

D = dt.date
OCTOBER = D(2026, 10, 1)


@pytest.fixture
def shared(actors: Actors):  # type: ignore[no-untyped-def]
    employee = make_employee(full_name="Inès Morel")
    plan(employee, D(2026, 10, 1), D(2026, 10, 31), percent={actors.org_a: 5000, actors.org_b: 5000})
    log(employee, D(2026, 10, 5), actors.org_a, 180)
    log(employee, D(2026, 10, 6), actors.org_b, 60)
    return employee


def test_the_preview_shows_the_figures_and_writes_nothing(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(actors.treasurer).post(reverse("staffing:billing"), {"month": "2026-10", "action": "preview"})

    assert response.status_code == 200
    report = response.context["report"]
    assert report.dry_run and not Invoice.objects.exists() and not MonthInvoicing.objects.exists()
    # 3 of 4 hours for A: 2 300,40 €; B 766,80 €.
    assert {share.organisation: share.total_cents for share in report.invoiced[0].shares} == {
        actors.org_a: 230_040,
        actors.org_b: 76_680,
    }
    assert "2\u202f300,40\xa0€" in response.content.decode()


def test_running_the_month_issues_the_invoices_and_lists_them(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(actors.coordinator)
    response = client.post(reverse("staffing:billing"), {"month": "2026-10", "action": "run"})

    assert response.status_code == 200
    invoicing = MonthInvoicing.objects.get()
    to_a = Invoice.objects.get(recipient=actors.org_a)
    page = client.get(reverse("staffing:billing")).content.decode()
    assert reverse("invoicing:invoice", args=[to_a.pk]) in page and to_a.number in page
    assert reverse("staffing:billing_annex", args=[invoicing.pk, actors.org_a.pk]) in page


def test_a_month_with_hours_to_validate_is_reported_as_skipped(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    log(shared, D(2026, 10, 7), actors.org_b, 30, state=TimeEntry.State.PENDING)
    response = client_for(actors.coordinator).post(reverse("staffing:billing"), {"month": "2026-10", "action": "run"})

    assert [item.employee for item in response.context["report"].pending] == [shared]
    assert not MonthInvoicing.objects.exists()

    response = client_for(actors.coordinator).post(
        reverse("staffing:billing"), {"month": "2026-10", "action": "run", "validated_only": "on"}
    )
    assert MonthInvoicing.objects.get().employer_cents > 0


@pytest.mark.parametrize("month", ["octobre", "2099-01"])
def test_it_refuses_a_wrong_month_on_its_field(actors: Actors, client_for, month: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(actors.coordinator).post(reverse("staffing:billing"), {"month": month, "action": "run"})
    assert response.status_code == 400
    assert response.context["form"].errors["month"]
    assert not MonthInvoicing.objects.exists()


def test_the_list_of_months_does_not_query_per_row(actors: Actors, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for(actors.coordinator)

    def month_of(employee_count: int) -> None:
        for _n in range(employee_count):
            employee = make_employee()
            log(employee, D(2026, 10, 5), actors.org_a, 60)
            invoice_staff(month=OCTOBER, employee=employee, notify=False)

    month_of(2)
    client.get(reverse("staffing:billing"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("staffing:billing"))
    month_of(3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("staffing:billing"))


def test_the_report_shows_the_chart_and_the_scoped_rows(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("staffing:report") + "?du=2026-10-01&au=2026-10-31"

    coordinator = client_for(actors.coordinator).get(url)
    member_b = client_for(actors.member_admin_b).get(url)

    assert coordinator.status_code == 200 and "<svg" in coordinator.content.decode()
    assert {row.organisation for row in coordinator.context["report"].rows} == {actors.org_a, actors.org_b}
    assert [row.organisation for row in member_b.context["report"].rows] == [actors.org_b]
    only_b = client_for(actors.coordinator).get(url + f"&structure={actors.org_b.pk}")
    assert [row.organisation for row in only_b.context["report"].rows] == [actors.org_b]
    assert actors.org_a.name not in member_b.content.decode()


def test_the_report_defaults_to_the_current_month(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    report = client_for(actors.coordinator).get(reverse("staffing:report")).context["report"]
    today = dt.date.today()
    assert report.start == today.replace(day=1) and report.end.month == today.month


def test_an_employees_report_links_the_documents_its_reader_may_get(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("staffing:employee_report", args=[shared.pk]) + "?du=2026-10-01&au=2026-10-31"

    as_coordinator = client_for(actors.coordinator).get(url).content.decode()
    as_admin_a = client_for(actors.member_admin_a).get(url).content.decode()
    as_user_a = client_for(actors.member_user_a).get(url).content.decode()

    assert reverse("staffing:mission_letter", args=[shared.pk]) in as_coordinator
    assert reverse("staffing:convention", args=[shared.pk, actors.org_b.pk]) in as_coordinator
    assert reverse("staffing:convention", args=[shared.pk, actors.org_a.pk]) in as_admin_a
    assert reverse("staffing:mission_letter", args=[shared.pk]) not in as_admin_a
    assert "/convention/" not in as_user_a and "lettre-de-mission" not in as_user_a


def test_the_documents_download_as_pdf(actors: Actors, shared, client_for) -> None:  # type: ignore[no-untyped-def]
    invoice_staff(month=OCTOBER, notify=False)
    invoicing = MonthInvoicing.objects.get()
    client = client_for(actors.member_admin_a)
    for url in (
        reverse("staffing:convention", args=[shared.pk, actors.org_a.pk]),
        reverse("staffing:billing_annex", args=[invoicing.pk, actors.org_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and ".pdf" in response["Content-Disposition"]
    # A's admin is not told of B's agreement.
    assert client.get(reverse("staffing:convention", args=[shared.pk, actors.org_b.pk])).status_code == 404


def _exposure(user: Any, organisation: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load staffing_exposure %}{% staff_exposure organisation %}")
    return template.render(Context({"request": request, "organisation": organisation}))


def test_the_exposure_block_is_shown_to_who_may_see_the_organisations_treasury(actors: Actors) -> None:
    today = dt.date.today()
    employee = make_employee(full_name="Inès Morel", starts_on=D(2026, 1, 1))
    plan(employee, today.replace(day=1), today.replace(day=28), percent={actors.org_a: 2500})

    for user in (actors.member_admin_a, actors.treasurer, actors.coordinator):
        html = _exposure(user, actors.org_a)
        assert "Inès Morel" in html and "25\xa0%" in html and 'id="staff-exposure-heading"' in html
    for user in (actors.member_user_a, actors.member_admin_b, actors.outsider):
        assert _exposure(user, actors.org_a).strip() == ""


def test_an_invoice_of_the_reinvoicing_knows_its_hours_annex(actors: Actors, shared) -> None:  # type: ignore[no-untyped-def]
    from cordee.staffing.selectors_billing import annex_url

    invoice_staff(month=OCTOBER, notify=False)
    invoicing = MonthInvoicing.objects.get()
    to_b = Invoice.objects.get(recipient=actors.org_b)
    assert annex_url(to_b) == reverse("staffing:billing_annex", args=[invoicing.pk, actors.org_b.pk])
    to_b.source = "bookings:2026-10:hub:3"
    assert annex_url(to_b) is None


def test_the_invoice_page_links_to_its_hours_annex(client, actors: Actors) -> None:  # type: ignore[no-untyped-def]
    employee = make_employee()
    plan(employee, D(2026, 10, 1), D(2026, 10, 31), minutes={actors.org_a: 600})
    log(employee, D(2026, 10, 5), actors.org_a, 120)
    invoice_staff(month=OCTOBER, notify=False)
    done = MonthInvoicing.objects.get()
    invoice = done.invoices.get()
    annex = reverse("staffing:billing_annex", args=[done.pk, actors.org_a.pk])
    client.force_login(actors.member_admin_a)
    page = client.get(reverse("invoicing:invoice", args=[invoice.pk]))
    assert page.status_code == 200 and annex in page.content.decode()
    assert client.get(annex)["Content-Type"] == "application/pdf"
