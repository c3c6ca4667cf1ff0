"""The plans pages: who sees and writes what, forms that refuse and write nothing, the grid, the
import and the template download, the proposal's link, and the list without N+1 queries."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cordee.core.testing import Actors
from cordee.treasury import cashplans
from cordee.treasury.models import CashPlan, CashPlanLine

JAN = dt.date(2026, 1, 1)
LIST = reverse("treasury:plans")
ADD = reverse("treasury:plan_add")
IMPORT = reverse("treasury:plan_import")
TEMPLATE = reverse("treasury:plan_template")


def url(name: str, plan: CashPlan) -> str:
    return reverse(f"treasury:{name}", args=[plan.pk])


def worked_example(actors: Actors, organisation: Any = None, admin: Any = None) -> CashPlan:
    """Opening 2 000 €, salaries 5 000 € a month, a subsidy of 30 000 € from the Région in May."""
    plan = cashplans.plan_create(
        actor=admin or actors.member_admin_a,
        organisation=organisation or actors.org_a,
        title="Plan 2026",
        first_month=JAN,
        opening_cash_cents=200000,
    )
    months = cashplans.plan_month_list(plan)
    cashplans.lines_set_month_grid(
        actor=admin or actors.member_admin_a,
        plan=plan,
        category="salaries",
        label="Salaires",
        amounts=dict.fromkeys(months, 500000),
    )
    cashplans.line_add(
        actor=admin or actors.member_admin_a,
        plan=plan,
        category="subsidy",
        label="Fonctionnement",
        funder="Région Sud",
        month=months[4],
        amount_cents=3000000,
    )
    return plan


def grid(**values: str) -> dict[str, str]:
    data = {"action": "save", "category": "salaries", "label": "Salaires", "funder": "", "every_month": ""}
    data.update({f"month_{index}": "" for index in range(12)})
    data.update(values)
    return data


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_admin_creates_a_plan_and_sees_it(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_admin_a)
    assert client.get(ADD).status_code == 200
    response = client.post(
        ADD,
        {"organisation": actors.org_a.pk, "title": "Plan 2026", "first_month": "2026-01", "opening_cash": "2 000"},
    )
    plan = CashPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("plan_lines", plan)
    assert (plan.organisation, plan.first_month, plan.opening_cash_cents) == (actors.org_a, JAN, 200000)
    assert client.get(url("plan", plan)).status_code == 200
    assert [row["plan"] for row in client.get(LIST).context["rows"]] == [plan]


@pytest.mark.django_db
def test_a_member_admin_cannot_create_a_plan_for_another_organisation(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.member_admin_b).post(
        ADD, {"organisation": actors.org_a.pk, "title": "X", "first_month": "2026-01", "opening_cash": "0"}
    )
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not CashPlan.objects.exists()


@pytest.mark.django_db
def test_the_admin_of_another_organisation_gets_a_404(actors: Actors, client_for: Any) -> None:
    plan = worked_example(actors)
    client = client_for(actors.member_admin_b)
    for name in ("plan", "plan_lines", "plan_edit"):
        assert client.get(url(name, plan)).status_code == 404
    assert client.get(f"{TEMPLATE}?plan={plan.pk}").status_code == 404
    assert client.post(url("plan_lines", plan), grid(every_month="1")).status_code == 404
    assert plan.lines.count() == 13
    assert client.get(LIST).context["rows"] == []


@pytest.mark.django_db
def test_the_treasurer_and_the_coordinator_see_every_plan_but_do_not_write(actors: Actors, client_for: Any) -> None:
    plan_a = worked_example(actors)
    plan_b = worked_example(actors, actors.org_b, actors.member_admin_b)
    for who in (actors.treasurer, actors.coordinator):
        client = client_for(who)
        assert {row["plan"] for row in client.get(LIST).context["rows"]} == {plan_a, plan_b}
        response = client.get(url("plan", plan_a))
        assert response.status_code == 200
        assert response.context["proposal"].amount_cents == 1800000
        assert response.context["request_url"] is None  # only the member's admins request it
        assert client.get(url("plan_lines", plan_a)).status_code == 403
        assert client.get(url("plan_edit", plan_a)).status_code == 403
        assert client.post(url("plan_lines", plan_a), grid(every_month="1")).status_code == 403
        assert client.get(ADD).status_code == 403
    assert plan_a.lines.count() == 13


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "member_user_a", "committee"])
def test_people_without_a_treasury_get_a_403(actors: Actors, client_for: Any, who: str) -> None:
    plan = worked_example(actors)
    client = client_for(getattr(actors, who))
    for address in (LIST, ADD, IMPORT, TEMPLATE, url("plan", plan), url("plan_lines", plan), url("plan_edit", plan)):
        assert client.get(address).status_code == 403, address


@pytest.mark.django_db
def test_a_visitor_is_sent_to_the_login_page(actors: Actors, client_for: Any) -> None:
    plan = worked_example(actors)
    for address in (LIST, ADD, url("plan", plan)):
        response = client_for(None).get(address)
        assert response.status_code == 302
        assert "/connexion/" in response["Location"]


# --- The plan page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_plan_page_shows_the_negative_months_the_chart_and_the_proposal(actors: Actors, client_for: Any) -> None:
    plan = worked_example(actors)
    response = client_for(actors.member_admin_a).get(url("plan", plan))
    assert response.status_code == 200
    context = response.context
    assert [row.month.month for row in context["gaps"]] == [1, 2, 3, 4, 7, 8, 9, 10, 11, 12]
    closing = next(row for row in context["table"] if row.kind == "closing")
    assert closing.cells[:5] == [-300000, -800000, -1300000, -1800000, 700000]
    content = response.content.decode()
    assert content.count("<rect ") == 12
    assert content.count('fill="#a4161a"') == 10  # one red bar per negative month
    assert content.count("⚠") == 10  # and a word for each in the table, not only a colour
    assert "12,5" not in content.split("<svg", 1)[1].split("</svg>", 1)[0]  # SVG numbers are not localised
    query = parse_qs(urlsplit(context["request_url"]).query)
    assert urlsplit(context["request_url"]).path == reverse("treasury:advance_request")
    assert query["amount"] == ["18000"]
    assert query["organisation"] == [str(actors.org_a.pk)]
    assert query["term_months"] == ["4"]
    assert query["funder"] == ["Région Sud"]
    assert query["expected_payment_on"] == ["2026-05-15"]
    assert query["mode"] == ["bullet"]
    assert 'id="request-advance"' in content


@pytest.mark.django_db
def test_a_plan_without_a_gap_proposes_nothing(actors: Actors, client_for: Any) -> None:
    plan = cashplans.plan_create(
        actor=actors.member_admin_a, organisation=actors.org_a, title="Sain", first_month=JAN, opening_cash_cents=100
    )
    response = client_for(actors.member_admin_a).get(url("plan", plan))
    assert response.context["proposal"] is None
    assert response.context["gaps"] == []
    assert 'id="proposal"' not in response.content.decode()


# --- The grid -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_field_fills_the_twelve_months(actors: Actors, client_for: Any) -> None:
    plan = cashplans.plan_create(
        actor=actors.member_admin_a, organisation=actors.org_a, title="P", first_month=JAN, opening_cash_cents=0
    )
    client = client_for(actors.member_admin_a)
    response = client.post(url("plan_lines", plan), grid(every_month="5 000", month_7="4 000,50"))
    assert response.status_code == 302
    amounts = dict(plan.lines.values_list("month", "amount_cents"))
    assert len(amounts) == 12
    assert amounts[dt.date(2026, 8, 1)] == 400050
    assert {cents for month, cents in amounts.items() if month.month != 8} == {500000}


@pytest.mark.django_db
def test_editing_a_row_replaces_it_and_removing_it_removes_its_lines(actors: Actors, client_for: Any) -> None:
    plan = worked_example(actors)
    client = client_for(actors.member_admin_a)
    salary = plan.lines.filter(category="salaries").first()
    assert salary is not None
    page = client.get(url("plan_lines", plan) + f"?ligne={salary.pk}")
    assert page.context["form"].initial["month_0"] == 500000
    response = client.post(
        url("plan_lines", plan), grid(label="Salaires et charges", month_0="5 200", replaces=str(salary.pk))
    )
    assert response.status_code == 302
    salaries = plan.lines.filter(category="salaries")
    assert list(salaries.values_list("label", "month", "amount_cents")) == [("Salaires et charges", JAN, 520000)]
    subsidy = plan.lines.get(category="subsidy")
    response = client.post(url("plan_lines", plan), {"action": "remove", "line": str(subsidy.pk)})
    assert response.status_code == 302
    assert not plan.lines.filter(category="subsidy").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"month_0": "-800"}, "month_0"),
        ({"month_3": "huit cents"}, "month_3"),
        ({"category": "bonus", "month_0": "1"}, "category"),
        ({"label": "", "month_0": "1"}, "label"),
        ({}, "__all__"),
    ],
)
def test_the_grid_refuses_and_writes_nothing(actors: Actors, client_for: Any, values: dict, field: str) -> None:
    plan = cashplans.plan_create(
        actor=actors.member_admin_a, organisation=actors.org_a, title="P", first_month=JAN, opening_cash_cents=0
    )
    response = client_for(actors.member_admin_a).post(url("plan_lines", plan), grid(**values))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not CashPlanLine.objects.exists()


@pytest.mark.django_db
def test_editing_the_plan_head(actors: Actors, client_for: Any) -> None:
    plan = worked_example(actors)
    client = client_for(actors.member_admin_a)
    assert client.get(url("plan_edit", plan)).status_code == 200
    response = client.post(
        url("plan_edit", plan), {"title": "Plan révisé", "first_month": "2026-01", "opening_cash": "-1 250,50"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.opening_cash_cents) == ("Plan révisé", -125050)
    response = client.post(url("plan_edit", plan), {"title": "X", "first_month": "2026-02", "opening_cash": "0"})
    assert response.status_code == 400
    assert "first_month" in response.context["form"].errors  # January's lines would fall outside
    plan.refresh_from_db()
    assert plan.first_month == JAN


# --- Import and template --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_template_downloads_and_imports_back(actors: Actors, client_for: Any) -> None:
    plan = worked_example(actors)
    client = client_for(actors.member_admin_a)
    response = client.get(f"{TEMPLATE}?plan={plan.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == cashplans.XLSX_TYPE
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["D1"].value == "2026-01"
    upload = SimpleUploadedFile("plan.xlsx", response.content)
    response = client.post(IMPORT, {"organisation": actors.org_a.pk, "title": "Copie", "file": upload})
    copy = CashPlan.objects.get(title="Copie")
    assert response.status_code == 302
    assert response["Location"] == url("plan", copy)
    assert [r.closing_cents for r in cashplans.plan_months(copy)] == [
        r.closing_cents for r in cashplans.plan_months(plan)
    ]
    blank = client_for(actors.treasurer).get(TEMPLATE)
    assert blank.status_code == 200
    assert load_workbook(io.BytesIO(blank.content)).worksheets[0].max_column == 15


@pytest.mark.django_db
def test_a_bad_import_lists_the_cells_and_writes_nothing(actors: Actors, client_for: Any) -> None:
    content = "Catégorie;Libellé;Financeur;2026-01\nBonus;Prime;;100\nLoyer;Loyer;;-5\n"
    response = client_for(actors.member_admin_a).post(
        IMPORT,
        {"organisation": actors.org_a.pk, "title": "X", "file": SimpleUploadedFile("p.csv", content.encode())},
    )
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "A"), (3, "D")]
    assert not CashPlan.objects.exists()


@pytest.mark.django_db
def test_the_import_form_refuses_other_file_types(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.member_admin_a).post(
        IMPORT, {"organisation": actors.org_a.pk, "title": "X", "file": SimpleUploadedFile("p.pdf", b"%PDF")}
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_does_not_query_once_per_plan(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.treasurer)
    worked_example(actors)
    client.get(LIST)  # sessions and the like, once
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(3):
        worked_example(actors, actors.org_b, actors.member_admin_b)
    with CaptureQueriesContext(connection) as four:
        response = client.get(LIST)
    assert len(response.context["rows"]) == 4
    assert len(four) == len(one)
