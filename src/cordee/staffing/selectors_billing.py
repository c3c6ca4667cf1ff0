"""Reads of the re-invoicing: the months re-invoiced, scoped fetches for the pages and documents, and
the day-by-day hours of a re-invoiced month (its annex)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.urls import reverse

from cordee.core import permissions
from cordee.invoicing.models import Invoice
from cordee.network.models import Organisation
from cordee.staffing.costs import month_bounds
from cordee.staffing.models import Employee, MonthInvoicing, TimeEntry


def invoicings(month: dt.date | None = None) -> QuerySet[MonthInvoicing]:
    """The months re-invoiced, latest first, with their invoices (for the keepers' page)."""
    rows = MonthInvoicing.objects.select_related("employee", "employee__employer").prefetch_related(
        Prefetch("invoices", queryset=Invoice.objects.select_related("recipient").order_by("number"))
    )
    if month is not None:
        rows = rows.filter(month=month.replace(day=1))
    return rows.order_by("-month", "employee__full_name", "pk")


def get_invoicing_for_user(user: Any, pk: int) -> MonthInvoicing:
    """A re-invoiced month, for whoever may see its employee (the documents decide further)."""
    from cordee.staffing.selectors import sharing_organisations

    row = MonthInvoicing.objects.select_related("employee", "employee__employer").filter(pk=pk).first()
    if row is None or not permissions.can_see_employee(user, row.employee, sharing_organisations(row.employee)):
        raise Http404
    return row


def can_get_documents(user: Any, employee: Employee, organisation_id: int | None = None) -> bool:
    """An employee's documents: the hub's keepers and the employer's member admins (who see its
    costs); the documents about one organisation (its agreement, its annex) also its member admins."""
    if permissions.can_see_staff_costs(user, employee):
        return True
    return organisation_id is not None and permissions.can_see_treasury_of(user, organisation_id)


def worked_organisations(invoicing: MonthInvoicing) -> list[Organisation]:
    """The organisations with validated hours in a re-invoiced month."""
    ids = (
        TimeEntry.objects.filter(
            timesheet__employee_id=invoicing.employee_id,
            day__range=month_bounds(invoicing.month),
            state=TimeEntry.State.VALIDATED,
        )
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


def daily_minutes(invoicing: MonthInvoicing, organisation: Organisation) -> list[tuple[dt.date, int]]:
    """The validated minutes of each day of a re-invoiced month for one organisation (the annex)."""
    rows = (
        TimeEntry.objects.filter(
            timesheet__employee_id=invoicing.employee_id,
            day__range=month_bounds(invoicing.month),
            organisation=organisation,
            state=TimeEntry.State.VALIDATED,
        )
        .values("day")
        .annotate(total=Sum("minutes"))
        .order_by("day")
    )
    return [(row["day"], row["total"]) for row in rows]


def annex_url(invoice: Invoice) -> str | None:
    """The hours annex of an invoice issued by the re-invoicing (its source names the employee, the
    month and the organisation: "staff:<employee>:<YYYY-MM>:<organisation>"), for the invoice's page;
    None for any other invoice."""
    parts = (invoice.source or "").split(":")
    if len(parts) != 4 or parts[0] != "staff" or invoice.recipient_id is None:
        return None
    try:
        employee_id, month = int(parts[1]), dt.date.fromisoformat(f"{parts[2]}-01")
    except ValueError:
        return None
    row = MonthInvoicing.objects.filter(employee_id=employee_id, month=month).values_list("pk", flat=True).first()
    if row is None:
        return None
    return reverse("staffing:billing_annex", args=[row, invoice.recipient_id])
