"""The documents of shared staff, drawn from the rows and read back with pypdf: the provision
agreement (employers' group or non-profit loan of staff), the assignment letter, the hours annex."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from cordee.core.testing import Actors, make_organisation
from cordee.staffing import documents
from cordee.staffing.models import AllocationPlan, MonthInvoicing
from cordee.staffing.services.billing import invoice_staff
from cordee.staffing.tests.billing_support import log, make_employee, plan

pytestmark = pytest.mark.django_db

D = dt.date


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def test_the_agreement_of_the_hub_as_employers_group(actors: Actors) -> None:
    employee = make_employee(full_name="Inès Morel", job_title="Animatrice nature", starts_on=D(2026, 1, 1))
    today = dt.date.today()
    plan(employee, today.replace(day=1), today.replace(day=28), percent={actors.org_a: 2500, actors.org_b: 7500})
    plan(
        employee,
        D(2030, 1, 1),
        D(2030, 3, 31),
        minutes={actors.org_a: 6000},
        period=AllocationPlan.Period.QUARTER,
        label="Hiver 2030",
    )

    with translation.override("en"):  # the document is French whatever the reader's language
        text = text_of(documents.convention_pdf(employee, actors.org_a))

    assert "Convention de mise à disposition de personnel" in text
    assert actors.org_a.name in text and actors.org_a.siret in text
    assert "Inès Morel" in text and "Animatrice nature" in text
    assert "L1253-1" in text and "L1253-8" in text and "L8241" not in text
    assert "25 %" in text and "Hiver 2030" in text and "100 h" in text
    # 25 % of 3 067,20 € a month.
    assert "766,80 €" in text
    assert "261 B" in text and actors.org_b.name not in text


def test_the_agreement_of_a_host_member_lending_its_employee(actors: Actors) -> None:
    employee = make_employee(employer=actors.org_b, full_name="Hugo Blanc")
    plan(employee, D(2026, 10, 1), D(2026, 10, 31), minutes={actors.org_a: 600})

    text = text_of(documents.convention_pdf(employee, actors.org_a))

    assert "L8241-1" in text and "L8241-2" in text and "L1253-1" not in text
    assert actors.org_b.siret in text and "Accord du salarié" in text


def test_there_is_no_agreement_with_an_organisation_the_employee_is_not_planned_for(actors: Actors) -> None:
    employee = make_employee(employer=actors.org_b)
    plan(employee, D(2026, 10, 1), D(2026, 10, 31), minutes={actors.org_a: 600})
    with pytest.raises(documents.DocumentUnavailable):
        documents.convention_context(employee, actors.org_b)  # the employer itself
    other = make_employee()
    with pytest.raises(documents.DocumentUnavailable):
        documents.convention_context(other, actors.org_a)


def test_the_assignment_letter_lists_organisations_places_hours_and_start(actors: Actors) -> None:
    employee = make_employee(full_name="Inès Morel")
    plan(employee, D(2026, 9, 1), D(2026, 9, 30), percent={actors.org_a: 5000})
    plan(employee, D(2026, 10, 1), D(2026, 10, 31), percent={actors.org_a: 5000, actors.org_b: 5000})

    text = text_of(documents.mission_letter_pdf(employee))

    assert "Lettre de mission" in text and "Inès Morel" in text
    assert actors.org_a.name in text and actors.org_b.name in text
    assert actors.org_b.commune.name in text and "01/10/2026" in text and "01/09/2026" in text
    # 50 % of September's 35 h × 30 / 7 = 150 h: 75 h.
    assert "75 h" in text and "50 %" in text


def test_the_hours_annex_of_a_reinvoiced_month(actors: Actors) -> None:
    employee = make_employee(full_name="Inès Morel")
    log(employee, D(2026, 10, 5), actors.org_a, 450)
    log(employee, D(2026, 10, 6), actors.org_a, 90)
    log(employee, D(2026, 10, 6), actors.org_b, 60)
    invoice_staff(month=D(2026, 10, 1), notify=False)
    invoicing = MonthInvoicing.objects.get()
    invoice = invoicing.invoices.get(recipient=actors.org_a)

    text = text_of(documents.annex_pdf(invoicing, actors.org_a))

    assert "octobre 2026" in text and invoice.number in text
    assert "lundi 05/10/2026 7,5 h" in text and "mardi 06/10/2026 1,5 h" in text and "Total du mois 9 h" in text
    with pytest.raises(documents.DocumentUnavailable):
        documents.annex_context(invoicing, make_organisation("Sans heures"))
