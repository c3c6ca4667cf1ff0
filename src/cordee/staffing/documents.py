"""The documents of shared staff, drawn as PDF by WeasyPrint from the rows, as the treasury's are:

- the *convention de mise à disposition* between the employer and one member organisation for one
  employee: the parties, the employee, the periods and hours or percentages of the plans, the cost
  basis and the invoicing terms, the legal frame, the signature blocks;
- the *lettre de mission* of an employee: its assignments (organisations, hours per period, place,
  start);
- the hours annex of one re-invoiced month for one organisation: the validated hours day by day.

The legal frame depends on the employer. The hub employing the staff it shares acts as an
employers' group (*groupement d'employeurs*, Code du travail art. L1253-1 et seq.). A host member
lending one of its own employees makes a non-profit loan of staff (*prêt de main-d'œuvre à but non
lucratif*, art. L8241-1 and L8241-2): the lender may then invoice only the salaries, the social
contributions and the professional expenses reimbursed, and the loan needs the employee's written
agreement and an amendment to its contract.

These are contracts and records, so they are always in French whatever language the reader uses;
their wording is in the templates, not in the translation catalogue (see treasury/documents.py).
Nothing is stored: every document is drawn again from the rows when asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.network.models import Organisation
from cordee.network.parties import Party, hub_party, member_party
from cordee.staffing import selectors
from cordee.staffing.costs import full_month_cost, round_half_up
from cordee.staffing.models import BASIS_POINTS, AllocationPlan, ContractType, Employee, MonthInvoicing
from cordee.staffing.reports import share_percent
from cordee.staffing.selectors_billing import daily_minutes

CONTRACT_TYPES = {
    ContractType.CDI: "contrat à durée indéterminée (CDI)",
    ContractType.CDD: "contrat à durée déterminée (CDD)",
    ContractType.APPRENTICESHIP: "contrat d'apprentissage",
    ContractType.SUBSIDISED: "contrat aidé (parcours emploi compétences)",
}
PERIODS = {
    AllocationPlan.Period.MONTH: "Mois",
    AllocationPlan.Period.QUARTER: "Trimestre",
    AllocationPlan.Period.SEASON: "Saison",
}
PAYMENT_DAYS = 30


class DocumentUnavailable(DomainError):
    """The document does not exist for these rows (e.g. an agreement with an organisation the
    employee is not planned for)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="document_unavailable")


def employer_party(employee: Employee) -> Party:
    return member_party(employee.employer) if employee.employer is not None else hub_party()


def percent(basis_points: int) -> str:
    """2500 -> "25 %", 3333 -> "33,33 %"."""
    number = format_decimal(Decimal(basis_points).scaleb(-2), format="#,##0.##", locale="fr_FR")
    return f"{number}\u00a0%"


@dataclass(frozen=True)
class Assignment:
    """One organisation's share of one plan, as the documents print it."""

    plan: AllocationPlan
    organisation: Organisation
    period: str
    minutes: int  # the hours promised over the plan's period
    share: str  # "25 %" or "" for a share in hours
    percent: int  # basis points of the contract

    @property
    def share_text(self) -> str:
        """The share as planned ("25 %"), or a share in hours as a percentage of the contract ("≈ 32,26 %")."""
        return self.share or f"≈\u00a0{percent(self.percent)}"


def assignments(employee: Employee, organisation: Organisation | None = None) -> list[Assignment]:
    rows = []
    for plan in selectors.plans_of(employee):
        for share in plan.shares.all():
            if organisation is not None and share.organisation_id != organisation.pk:
                continue
            rows.append(
                Assignment(
                    plan=plan,
                    organisation=share.organisation,
                    period=PERIODS[AllocationPlan.Period(plan.period)],
                    minutes=selectors.share_minutes(plan, share),
                    share=percent(share.percent) if share.percent is not None else "",
                    percent=share_percent(plan, share.organisation),
                )
            )
    return rows


def _common(title: str, reference: str) -> dict[str, Any]:
    return {"title": title, "reference": reference, "hub": hub_party(), "printed_on": timezone.localdate()}


def _employee_context(employee: Employee) -> dict[str, Any]:
    return {
        "employee": employee,
        "employer": employer_party(employee),
        "is_group": employee.employer is None,
        "contract": CONTRACT_TYPES[ContractType(employee.contract_type)],
    }


def _render(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint  # heavy: loaded when a document is asked for, not with every page

    with translation.override("fr"):
        html = render_to_string(template, context)
    # Nothing to fetch from outside: no protocol allowed, so nothing a member typed can make the
    # server read a file or a URL.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf


def convention_context(employee: Employee, organisation: Organisation) -> dict[str, Any]:
    if organisation.pk == employee.employer_id:
        raise DocumentUnavailable(_("An employer does not sign a provision agreement with itself."))
    rows = assignments(employee, organisation)
    if not rows:
        raise DocumentUnavailable(
            _("%(name)s is not planned for %(organisation)s: there is no agreement to draw up.")
            % {"name": employee.full_name, "organisation": organisation.name}
        )
    today = timezone.localdate()
    current = next((row for row in rows if row.plan.starts_on <= today <= row.plan.ends_on), rows[-1])
    monthly = full_month_cost(employee, today).total_cents
    return {
        **_common("Convention de mise à disposition de personnel", f"{employee.full_name} — {organisation.name}"),
        **_employee_context(employee),
        "member": member_party(organisation),
        "organisation": organisation,
        "assignments": rows,
        "current": current,
        "current_percent": percent(current.percent),
        "estimated_share_cents": round_half_up(monthly * current.percent, BASIS_POINTS),
        "payment_days": PAYMENT_DAYS,
    }


def convention_pdf(employee: Employee, organisation: Organisation) -> bytes:
    """The provision agreement between the employer and one member for one employee."""
    return _render("staffing/documents/convention.html", convention_context(employee, organisation))


def mission_letter_context(employee: Employee) -> dict[str, Any]:
    rows = assignments(employee)
    starts: dict[int, dt.date] = {}
    for row in rows:
        starts.setdefault(row.organisation.pk, row.plan.starts_on)
    places = {row.organisation.pk: member_party(row.organisation) for row in rows}
    return {
        **_common("Lettre de mission", employee.full_name),
        **_employee_context(employee),
        "assignments": rows,
        "organisations": [
            {"organisation": places[pk], "starts_on": starts[pk]} for pk in sorted(starts, key=lambda pk: starts[pk])
        ],
    }


def mission_letter_pdf(employee: Employee) -> bytes:
    """The employee's assignments: organisations, hours per period, place, start."""
    return _render("staffing/documents/mission.html", mission_letter_context(employee))


def annex_context(invoicing: MonthInvoicing, organisation: Organisation) -> dict[str, Any]:
    days = daily_minutes(invoicing, organisation)
    if not days:
        raise DocumentUnavailable(
            _("%(organisation)s has no validated hours in this month.") % {"organisation": organisation.name}
        )
    invoice = next((i for i in invoicing.invoices.all() if i.recipient_id == organisation.pk), None)
    employee = invoicing.employee
    with translation.override("fr"):
        month = date_format(invoicing.month, "F Y")
    return {
        **_common(f"Annexe — détail des heures, {month}", f"{employee.full_name} — {organisation.name}"),
        **_employee_context(employee),
        "member": member_party(organisation),
        "invoicing": invoicing,
        "month": month,
        "days": days,
        "total_minutes": sum(minutes for _day, minutes in days),
        "invoice": invoice,
        "to_employer": organisation.pk == employee.employer_id,
    }


def annex_pdf(invoicing: MonthInvoicing, organisation: Organisation) -> bytes:
    """The validated hours of one re-invoiced month for one organisation, day by day."""
    return _render("staffing/documents/annex.html", annex_context(invoicing, organisation))
