"""Shared staff in the admin: to look, never to edit. Contracts, plans, timesheets and the months
re-invoiced are written by the services only (the working-time rules, the audit trail, the
invoices that follow from them)."""

from __future__ import annotations

from django.contrib import admin

from cordee.core.admin import ReadOnlyAdmin
from cordee.staffing.models import AllocationPlan, Employee, Expense, MonthInvoicing, Timesheet


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "job_title", "employer", "contract_type", "starts_on", "ends_on", "active"]
    list_filter = ["contract_type", "active"]
    search_fields = ["full_name", "job_title"]
    list_select_related = ["employer"]


@admin.register(AllocationPlan)
class AllocationPlanAdmin(ReadOnlyAdmin):
    list_display = ["employee", "period", "starts_on", "ends_on", "basis", "label"]
    list_filter = ["period", "basis"]
    list_select_related = ["employee"]


@admin.register(Timesheet)
class TimesheetAdmin(ReadOnlyAdmin):
    list_display = ["employee", "week", "state", "submitted_at"]
    list_filter = ["state"]
    list_select_related = ["employee"]


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    list_display = ["employee", "spent_on", "label", "amount_cents", "organisation"]
    list_select_related = ["employee", "organisation"]


@admin.register(MonthInvoicing)
class MonthInvoicingAdmin(ReadOnlyAdmin):
    list_display = ["employee", "month", "cost_cents", "invoiced_cents", "employer_cents"]
    list_select_related = ["employee"]
