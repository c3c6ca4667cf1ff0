"""The shared-staff API, billing side: re-invoicing a month (or previewing it), the months
re-invoiced, and an employee's plan versus actual. The same services and reads as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal
from cordee.core.errors import DomainError
from cordee.staffing import reports, selectors, selectors_billing
from cordee.staffing.models import Employee, MonthInvoicing
from cordee.staffing.services.billing import EmployeeMonth, StaffBillingReport, invoice_staff, parse_month

router = Router(tags=["staffing"], auth=django_auth)


_refusal = refusal


class StaffInvoicingIn(Schema):
    month: str = Field(description="YYYY-MM, a month that is over", examples=["2026-10"])
    dry_run: bool = Field(description="true: compute and write nothing (a preview)")
    validated_only: bool = Field(
        False, description="invoice what is validated; the share of the hours not validated is left to the employer"
    )
    employee_id: int | None = Field(None, description="one employee only")


class StaffShareOut(Schema):
    organisation_id: int
    organisation_name: str
    minutes: int = Field(description="validated minutes")
    share_cents: int = Field(description="its share of the month's cost and shared expenses")
    expenses_cents: int = Field(description="the expenses attributed to it")
    total_cents: int
    to_employer: bool = Field(description="the employer's own share: not invoiced")
    invoice_id: int | None
    invoice_number: str | None


class StaffUnvalidatedOut(Schema):
    organisation_id: int
    organisation_name: str
    pending_minutes: int
    disputed_minutes: int


class StaffMonthOut(Schema):
    employee_id: int
    employee_name: str
    status: str = Field(description='"invoiced", "preview", "already", "pending" or "failed"')
    reason: str
    cost_cents: int
    expenses_cents: int
    minutes: int
    unvalidated_minutes: int
    invoiced_cents: int
    employer_cents: int
    invoicing_id: int | None
    shares: list[StaffShareOut]
    unvalidated: list[StaffUnvalidatedOut]


class StaffBillingOut(Schema):
    month: dt.date
    dry_run: bool
    validated_only: bool
    invoiced_cents: int
    employer_cents: int
    months: list[StaffMonthOut]


class StaffInvoiceOut(Schema):
    id: int
    number: str
    recipient_id: int | None
    total_cents: int


class StaffInvoicingOut(Schema):
    id: int
    employee_id: int
    employee_name: str
    month: dt.date
    cost_cents: int
    expenses_cents: int
    minutes: int
    invoiced_cents: int
    employer_cents: int
    invoices: list[StaffInvoiceOut]


class StaffReportRowOut(Schema):
    employee_id: int
    organisation_id: int
    organisation_name: str
    planned_minutes: int
    validated_minutes: int
    pending_minutes: int
    disputed_minutes: int


class StaffReportOut(Schema):
    employee_id: int
    start: dt.date
    end: dt.date
    rows: list[StaffReportRowOut]


def _month_out(item: EmployeeMonth, dry_run: bool) -> StaffMonthOut:
    # A month re-invoiced by an earlier run: its figures as they were frozen then.
    frozen = item.invoicing if item.skipped == "already" else None
    return StaffMonthOut(
        employee_id=item.employee.pk,
        employee_name=item.employee.full_name,
        status=item.skipped or ("preview" if dry_run else "invoiced"),
        reason=item.reason,
        cost_cents=frozen.cost_cents if frozen else item.cost.total_cents,
        expenses_cents=frozen.expenses_cents if frozen else item.expenses_cents,
        minutes=frozen.minutes if frozen else item.minutes,
        invoiced_cents=frozen.invoiced_cents if frozen else item.invoiced_cents,
        employer_cents=frozen.employer_cents if frozen else item.employer_cents,
        unvalidated_minutes=item.unvalidated_minutes,
        invoicing_id=item.invoicing.pk if item.invoicing else None,
        shares=[
            StaffShareOut(
                organisation_id=share.organisation.pk,
                organisation_name=share.organisation.name,
                minutes=share.minutes,
                share_cents=share.share_cents,
                expenses_cents=share.expenses_cents,
                total_cents=share.total_cents,
                to_employer=share.to_employer,
                invoice_id=share.invoice.pk if share.invoice else None,
                invoice_number=share.invoice.number if share.invoice else None,
            )
            for share in item.shares
        ],
        unvalidated=[
            StaffUnvalidatedOut(
                organisation_id=waiting.organisation.pk,
                organisation_name=waiting.organisation.name,
                pending_minutes=waiting.pending_minutes,
                disputed_minutes=waiting.disputed_minutes,
            )
            for waiting in item.unvalidated
        ],
    )


def _report_out(report: StaffBillingReport) -> StaffBillingOut:
    return StaffBillingOut(
        month=report.month,
        dry_run=report.dry_run,
        validated_only=report.validated_only,
        invoiced_cents=report.invoiced_cents,
        employer_cents=report.employer_cents,
        months=[_month_out(item, report.dry_run) for item in report.months],
    )


def _invoicing_out(row: MonthInvoicing) -> StaffInvoicingOut:
    return StaffInvoicingOut(
        id=row.pk,
        employee_id=row.employee_id,
        employee_name=row.employee.full_name,
        month=row.month,
        cost_cents=row.cost_cents,
        expenses_cents=row.expenses_cents,
        minutes=row.minutes,
        invoiced_cents=row.invoiced_cents,
        employer_cents=row.employer_cents,
        invoices=[
            StaffInvoiceOut(
                id=invoice.pk,
                number=invoice.number,
                recipient_id=invoice.recipient_id,
                total_cents=invoice.total_incl_vat_cents,
            )
            for invoice in row.invoices.all()
        ],
    )


@router.post(
    "/staffing/invoicing",
    response={200: StaffBillingOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary="Re-invoice a month of the shared staff, or preview it (the coordinator and the treasurer)",
)
def invoice_staff_month(request: HttpRequest, payload: StaffInvoicingIn) -> Status[StaffBillingOut | Refusal]:
    if not permissions.can_invoice_staff(request.user):
        raise HttpError(403, "Re-invoicing shared staff is for the coordinator and the treasurer.")
    employee = None
    if payload.employee_id is not None:
        employee = Employee.objects.select_related("employer").filter(pk=payload.employee_id).first()
        if employee is None:
            return Status(
                404,
                _refusal(DomainError(_("There is no such shared employee."), field="employee_id", code="not_found")),
            )
    try:
        report = invoice_staff(
            month=parse_month(payload.month),
            actor=request.user,  # type: ignore[arg-type]
            employee=employee,
            dry_run=payload.dry_run,
            validated_only=payload.validated_only,
        )
    except DomainError as error:
        return Status(403 if error.code == "forbidden" else 422, _refusal(error))
    return Status(200, _report_out(report))


@router.get(
    "/staffing/invoicings",
    response=list[StaffInvoicingOut],
    summary="The months re-invoiced, latest first (the coordinator and the treasurer)",
)
def list_staff_invoicings(request: HttpRequest, month: str | None = None) -> list[StaffInvoicingOut]:
    if not permissions.can_invoice_staff(request.user):
        raise HttpError(403, "The re-invoiced months are for the coordinator and the treasurer.")
    try:
        chosen = parse_month(month) if month else None
    except DomainError as error:
        raise HttpError(422, error.message) from error
    return [_invoicing_out(row) for row in selectors_billing.invoicings(chosen)[:500]]


@router.get(
    "/staffing/employees/{employee_id}/report",
    response={200: StaffReportOut, 422: Refusal},
    summary="Plan versus actual of one employee over a period (the current month by default)",
)
def get_employee_report(
    request: HttpRequest, employee_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> Status[StaffReportOut | Refusal]:
    if not permissions.can_use_staffing(request.user):
        raise HttpError(403, "Shared staff is for the people of member organisations and the hub's keepers.")
    employee = selectors.get_employee_for_user(request.user, employee_id)
    default_start, default_end = reports.default_period()
    start, end = start or default_start, end or default_end
    if end < start:
        return Status(422, _refusal(DomainError(_("The end of the period cannot be before its start."), field="end")))
    if (end - start).days >= reports.MAX_REPORT_DAYS:
        return Status(422, _refusal(DomainError(_("A report covers at most three years."), field="end")))
    report = reports.plan_versus_actual(request.user, start=start, end=end, employee=employee)
    return Status(
        200,
        StaffReportOut(
            employee_id=employee.pk,
            start=start,
            end=end,
            rows=[
                StaffReportRowOut(
                    employee_id=row.employee.pk,
                    organisation_id=row.organisation.pk,
                    organisation_name=row.organisation.name,
                    planned_minutes=row.planned_minutes,
                    validated_minutes=row.validated_minutes,
                    pending_minutes=row.pending_minutes,
                    disputed_minutes=row.disputed_minutes,
                )
                for row in report.rows
            ],
        ),
    )
