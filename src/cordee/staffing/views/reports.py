"""Plan versus actual: for every employee a person may see, or for one, over a period picked with
`?du=AAAA-MM-JJ&au=AAAA-MM-JJ` (the current month by default), for every organisation or one
(`&structure=<pk>`). The rows are scoped by
`reports.plan_versus_actual`; the chart comes with the same figures as a table."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.staffing import reports, selectors, selectors_billing
from cordee.staffing.forms_billing import PeriodForm
from cordee.staffing.models import Employee


def _period(request: HttpRequest) -> tuple[PeriodForm, Any, Any]:
    start, end = reports.default_period()
    if "du" in request.GET or "au" in request.GET:
        form = PeriodForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data["du"], form.cleaned_data["au"]
        return form, start, end
    return PeriodForm(initial={"du": start, "au": end}), start, end


def _page(request: HttpRequest, employee: Employee | None) -> HttpResponse:
    form, start, end = _period(request)
    chosen = request.GET.get("structure", "")
    organisation_id = int(chosen) if chosen.isdigit() else None
    report = reports.plan_versus_actual(
        request.user, start=start, end=end, employee=employee, organisation_id=organisation_id
    )
    totals = report.by_organisation()
    context: dict[str, Any] = {
        "form": form,
        "employee": employee,
        "report": report,
        "totals": totals,
        "svg": reports.chart_svg(report),
        "months": [reports.default_period(month) for month in reports.month_options()],
        "can_invoice": permissions.can_invoice_staff(request.user),
        "organisation_id": organisation_id,
    }
    if employee is not None:
        context["mission_letter"] = selectors_billing.can_get_documents(request.user, employee)
        context["conventions"] = [
            total.organisation
            for total in totals
            if total.organisation.pk != employee.employer_id
            and selectors_billing.can_get_documents(request.user, employee, total.organisation.pk)
        ]
    return render(request, "staffing/report.html", context, status=400 if form.errors else 200)


@require_safe
@require(permissions.can_use_staffing)
def report(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


@require_safe
@require(permissions.can_use_staffing)
def employee_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.get_employee_for_user(request.user, pk))
