"""Importing a plan from a spreadsheet: the template and an exported plan come back as they left,
and a bad file is refused whole, each bad cell named by its row and column, nothing written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from cordee.core.errors import NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors
from cordee.treasury import cashplans
from cordee.treasury.cashplans import PlanImportError
from cordee.treasury.models import CashPlan, CashPlanLine

JAN = dt.date(2026, 1, 1)
MONTHS = [f"2026-{month:02d}" for month in range(1, 13)]


def csv_file(*rows: list[str], name: str = "plan.csv") -> SimpleUploadedFile:
    text = "\n".join(";".join(row) for row in rows) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"))


def import_(actors: Actors, file: object, title: str = "Importé") -> CashPlan:
    return cashplans.plan_import(actor=actors.member_admin_a, organisation=actors.org_a, file=file, title=title)


def refusals(actors: Actors, file: object) -> list[cashplans.CellError]:
    with pytest.raises(PlanImportError) as refused:
        import_(actors, file)
    assert not CashPlan.objects.exists()
    assert not CashPlanLine.objects.exists()
    assert refused.value.field == "file"
    return refused.value.errors


def _worked_example(actors: Actors) -> CashPlan:
    plan = cashplans.plan_create(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        title="Plan 2026",
        first_month=JAN,
        opening_cash_cents=200000,
    )
    months = [cashplans.add_months(JAN, i) for i in range(12)]
    for category, label, funder, amounts in [
        ("salaries", "Salaires", "", dict.fromkeys(months, 500000)),
        ("subsidy", "Fonctionnement", "Région Sud", {months[4]: 3000000}),
        ("rent", "Loyer", "", {month: 81234 for month in months[::2]}),
        ("sales", "Ventes; marchés", "", {months[6]: 1}),
    ]:
        cashplans.lines_set_month_grid(
            actor=actors.member_admin_a, plan=plan, category=category, label=label, funder=funder, amounts=amounts
        )
    return plan


def _shape(plan: CashPlan) -> tuple:
    return (
        plan.first_month,
        plan.opening_cash_cents,
        [(row.key, row.amounts) for row in cashplans.plan_rows(plan)],
        [row.closing_cents for row in cashplans.plan_months(plan)],
    )


@pytest.mark.django_db
def test_the_blank_template_imports_as_an_empty_plan_over_its_months(actors: Actors) -> None:
    content = cashplans.plan_workbook(first_month=dt.date(2026, 9, 17))
    plan = import_(actors, SimpleUploadedFile("modele.xlsx", content))
    assert plan.first_month == dt.date(2026, 9, 1)
    assert plan.opening_cash_cents == 0
    assert not plan.lines.exists()
    assert plan.organisation == actors.org_a
    assert AuditEvent.objects.filter(action="cashplan.import", target_id=str(plan.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("written_in", "read_in"), [("fr", "fr"), ("en", "fr"), ("fr", "en")])
def test_an_exported_plan_comes_back_as_it_left(actors: Actors, written_in: str, read_in: str) -> None:
    plan = _worked_example(actors)
    with translation.override(written_in):
        content = cashplans.plan_workbook(plan)
    with translation.override(read_in):
        copy = import_(actors, SimpleUploadedFile("plan.xlsx", content), title="Copie")
    assert copy.pk != plan.pk
    assert copy.title == "Copie"
    assert _shape(copy) == _shape(plan)
    assert copy.lines.count() == plan.lines.count() == 12 + 1 + 6 + 1


@pytest.mark.django_db
def test_the_template_lists_the_categories_and_twelve_months(actors: Actors) -> None:
    workbook = load_workbook(io.BytesIO(cashplans.plan_workbook(first_month=JAN)))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[3:] == MONTHS
    assert sheet.max_row == 1 + 1 + len(CashPlanLine.Category.values)  # header, opening cash, one per category


@pytest.mark.django_db
def test_a_french_csv_with_decimal_commas_and_month_names(actors: Actors) -> None:
    header = ["Catégorie", "Libellé", "Financeur", *(f"{name} 2026" for name in [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ])]  # fmt: skip
    plan = import_(
        actors,
        csv_file(
            header,
            ["Trésorerie au début", "", "", "-1 500,50"],
            ["Salaires", "Coordinatrice", "", *["2 345,67"] * 12],
            ["subvention", "FDVA", "État", "", "", "", "", "", "12 000"],
            ["", "", "", *[""] * 12],
            ["Loyer", "", "", *[""] * 12],  # a template row left empty
        ),
    )
    assert plan.first_month == JAN
    assert plan.opening_cash_cents == -150050
    assert plan.lines.filter(category="salaries", amount_cents=234567).count() == 12
    subsidy = plan.lines.get(category="subsidy")
    assert (subsidy.month, subsidy.amount_cents, subsidy.funder) == (dt.date(2026, 6, 1), 1200000, "État")


@pytest.mark.django_db
def test_a_comma_separated_csv_with_fewer_months(actors: Actors) -> None:
    content = 'category,label,funder,03/2026,04/2026\nrent,Loyer,,"1234,5",800\n'
    plan = import_(actors, SimpleUploadedFile("plan.csv", content.encode("cp1252")))
    assert plan.first_month == dt.date(2026, 3, 1)
    assert sorted(plan.lines.values_list("amount_cents", flat=True)) == [80000, 123450]


@pytest.mark.django_db
def test_an_xlsx_with_real_dates_and_numbers_in_its_cells(actors: Actors) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Category", "Label", "Funder", dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1)])
    sheet.append(["Sales and services", "Ventes", None, 1234.56 + 1e-12, 700])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = import_(actors, SimpleUploadedFile("plan.xlsx", buffer.getvalue()))
    assert sorted(plan.lines.values_list("amount_cents", flat=True)) == [70000, 123456]


# --- Bad files -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_category_is_refused_with_its_row_and_column(actors: Actors) -> None:
    errors = refusals(actors, csv_file(["Catégorie", "Libellé", "Financeur", *MONTHS], ["Bonus", "Prime", "", "100"]))
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "A", "Bonus")]


@pytest.mark.django_db
def test_a_bad_month_header_is_refused(actors: Actors) -> None:
    errors = refusals(
        actors,
        csv_file(["Catégorie", "Libellé", "Financeur", "2026-01", "Février", "2026-13"], ["Loyer", "L", "", "1"]),
    )
    assert [(e.row, e.column, e.value) for e in errors] == [(1, "E", "Février"), (1, "F", "2026-13")]


@pytest.mark.django_db
def test_negative_non_numeric_and_over_precise_amounts_are_each_refused(actors: Actors) -> None:
    errors = refusals(
        actors,
        csv_file(
            ["Catégorie", "Libellé", "Financeur", *MONTHS],
            ["Loyer", "Loyer", "", "800", "-800", "huit cents"],
            ["Ventes", "Ventes", "", "", "", "", "12,345"],
        ),
    )
    assert [(e.row, e.column, e.header, e.value) for e in errors] == [
        (2, "E", "2026-02", "-800"),
        (2, "F", "2026-03", "huit cents"),
        (3, "G", "2026-04", "12,345"),
    ]
    assert all(e.reason for e in errors)
    assert "2" in str(errors[0]) and "E" in str(errors[0])  # the message names the row and the column


@pytest.mark.django_db
def test_more_than_twelve_months_and_a_repeated_month_are_refused(actors: Actors) -> None:
    errors = refusals(
        actors,
        csv_file(["Catégorie", "Libellé", "Financeur", *MONTHS, "2027-01", "01/2026"], ["Loyer", "L", "", "1"]),
    )
    assert [(e.row, e.column) for e in errors] == [(1, "Q"), (1, "P")]


@pytest.mark.django_db
def test_a_row_with_amounts_needs_a_category_and_a_label(actors: Actors) -> None:
    errors = refusals(
        actors,
        csv_file(["Catégorie", "Libellé", "Financeur", *MONTHS], ["", "Loyer", "", "800"], ["Loyer", "", "", "800"]),
    )
    assert [(e.row, e.column) for e in errors] == [(2, "A"), (3, "B")]


@pytest.mark.django_db
def test_the_opening_cash_goes_under_the_first_month_once(actors: Actors) -> None:
    errors = refusals(
        actors,
        csv_file(
            ["Catégorie", "Libellé", "Financeur", *MONTHS],
            ["Opening cash", "", "", "", "100"],
            ["Trésorerie au début", "", "", "100"],
            ["Trésorerie au début", "", "", "200"],
        ),
    )
    assert [(e.row, e.column) for e in errors] == [(2, "E"), (3, "A"), (4, "A")]  # row 2 gave it already


@pytest.mark.django_db
def test_missing_columns_and_cells_outside_the_columns_are_refused(actors: Actors) -> None:
    errors = refusals(actors, csv_file(["Libellé", *MONTHS], ["Loyer", "1"]))
    assert [(e.row, e.header) for e in errors] == [(1, "category")]
    errors = refusals(
        actors, csv_file(["Catégorie", "Libellé", "Financeur", "2026-01", ""], ["Loyer", "L", "", "1", "9"])
    )
    assert [(e.row, e.column) for e in errors] == [(2, "E")]


@pytest.mark.django_db
def test_a_damaged_spreadsheet_is_refused(actors: Actors) -> None:
    errors = refusals(actors, SimpleUploadedFile("plan.xlsx", b"PK\x03\x04 not really a zip"))
    assert [e.row for e in errors] == [1]


@pytest.mark.django_db
def test_only_a_member_admin_of_the_organisation_imports(actors: Actors) -> None:
    file = csv_file(["Catégorie", "Libellé", "Financeur", *MONTHS], ["Loyer", "L", "", "1"])
    with pytest.raises(NotAllowed):
        cashplans.plan_import(actor=actors.member_admin_b, organisation=actors.org_a, file=file, title="X")
    assert not CashPlan.objects.exists()
