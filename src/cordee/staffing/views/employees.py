"""Shared employees: the index of the shared-staff pages, a contract, its plans and expenses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.staffing import selectors
from cordee.staffing.forms_time import EmployeeForm, ExpenseForm, PlanForm
from cordee.staffing.models import AllocationPlan, Employee
from cordee.staffing.services.employees import (
    MEMBER_STATUSES,
    employee_create,
    employee_update,
    expense_record,
    plan_set,
)


def actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def refused(form: Any, exc: DomainError) -> None:
    """Put a service's refusal on the form field it names (or on the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def member_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(membership__status__in=MEMBER_STATUSES).order_by("name")


@require(permissions.can_use_staffing)
def index(request: HttpRequest) -> HttpResponse:
    """Adapted to the person: the coordinator manages every employee; an employee fills its weeks;
    a member admin validates the lines of its organisations."""
    user = request.user
    monday = selectors.monday_of(timezone.localdate())
    own = [
        (employee, selectors.recent_weeks(employee, 6))
        for employee in Employee.objects.filter(person_id=user.pk, active=True).order_by("full_name")
    ]
    employees = selectors.employees_for(user).order_by("-active", "full_name")
    return render(
        request,
        "staffing/index.html",
        {
            "own": own,
            "monday": monday,
            "employees": employees,
            "can_manage": permissions.can_manage_staff(user),
            "can_invoice": permissions.can_invoice_staff(user),
            "to_validate": selectors.to_validate(user),
            "is_admin": bool(selectors.admin_organisations(user)),
        },
    )


@require(permissions.can_manage_staff)
def employee_new(request: HttpRequest) -> HttpResponse:
    form = EmployeeForm(request.POST or None, organisations=member_organisations())
    if request.method == "POST":
        if form.is_valid():
            try:
                employee = employee_create(actor=actor(request), **form.service_fields())
            except DomainError as exc:
                refused(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is recorded; now share the contract among members.") % {"name": employee.full_name},
                )
                return redirect("staffing:plan", employee.pk)
        return render(request, "staffing/employee_form.html", {"form": form}, status=400)
    return render(request, "staffing/employee_form.html", {"form": form})


@require(permissions.can_use_staffing)
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    employee = selectors.get_employee_for_user(user, pk)
    scope = selectors.visible_organisations(user, employee)
    plans = []
    for plan in selectors.plans_of(employee):
        shares = [
            (share, selectors.share_minutes(plan, share))
            for share in plan.shares.all()
            if scope is None or share.organisation_id in scope
        ]
        plans.append((plan, shares, selectors.contract_minutes(employee, plan.starts_on, plan.ends_on)))
    weeks = selectors.recent_weeks(employee, 8) if scope is None else []
    return render(
        request,
        "staffing/employee_detail.html",
        {
            "employee": employee,
            "plans": plans,
            "weeks": weeks,
            "monday": selectors.monday_of(timezone.localdate()),
            "see_costs": permissions.can_see_staff_costs(user, employee),
            "can_manage": permissions.can_manage_staff(user),
            "can_log": permissions.can_log_time_of(user, employee),
        },
    )


@require(permissions.can_manage_staff)
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.get_employee_for_user(request.user, pk)
    form = EmployeeForm(
        request.POST or None, organisations=member_organisations(), initial=EmployeeForm.initial_for(employee)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                employee_update(actor=actor(request), employee=employee, **form.service_fields())
            except DomainError as exc:
                refused(form, exc)
            else:
                messages.success(request, _("The contract is updated."))
                return redirect("staffing:employee", employee.pk)
        status = 400
    else:
        status = 200
    return render(request, "staffing/employee_form.html", {"form": form, "employee": employee}, status=status)


def _plan_organisations(employee: Employee, plan: AllocationPlan | None) -> list[Organisation]:
    """The members a plan can share among, those of the plan first."""
    organisations = list(member_organisations())
    if plan is not None:
        mine = {share.organisation_id for share in plan.shares.all()}
        organisations.sort(key=lambda organisation: (organisation.pk not in mine, organisation.name))
    return organisations


@require(permissions.can_manage_staff)
def plan_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Create or replace a plan; `?debut=YYYY-MM-DD` opens the plan starting that day."""
    employee = selectors.get_employee_for_user(request.user, pk)
    plan = None
    start_text = request.GET.get("debut", "")
    if start_text:
        try:
            plan = employee.plans.filter(starts_on=dt.date.fromisoformat(start_text)).first()
        except ValueError:
            plan = None
    if plan is not None:
        initial = PlanForm.initial_for(plan)
    else:
        today = timezone.localdate()
        initial = {
            "period": AllocationPlan.Period.MONTH,
            "basis": AllocationPlan.Basis.HOURS,
            "starts_on": max(today.replace(day=1), employee.starts_on.replace(day=1)),
        }
    form = PlanForm(request.POST or None, organisations=_plan_organisations(employee, plan), initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan_set(
                    actor=actor(request),
                    employee=employee,
                    period=data["period"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    basis=data["basis"],
                    shares=data["shares"],
                    label=data["label"],
                )
            except DomainError as exc:
                refused(form, exc)
            else:
                messages.success(request, _("The allocation plan is saved."))
                return redirect("staffing:employee", employee.pk)
        status = 400
    return render(
        request,
        "staffing/plan_form.html",
        {"form": form, "employee": employee, "plan": plan, "plans": selectors.plans_of(employee)},
        status=status,
    )


@require(permissions.can_use_staffing)
def expenses(request: HttpRequest, pk: int) -> HttpResponse:
    """The expenses reimbursed to the employee; recorded by the coordinator or the employee. The
    people of a member sharing the employee see those charged to them and the shared ones."""
    user = request.user
    employee = selectors.get_employee_for_user(user, pk)
    can_record = permissions.can_manage_staff(user) or permissions.can_log_time_of(user, employee)
    rows = selectors.expenses_of(employee)
    scope = selectors.visible_organisations(user, employee)
    if scope is not None:
        rows = rows.filter(Q(organisation__isnull=True) | Q(organisation_id__in=scope))
    planned = Organisation.objects.filter(staff_shares__plan__employee=employee).distinct().order_by("name")
    form = ExpenseForm(request.POST or None, organisations=planned)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                expense_record(actor=actor(request), employee=employee, **form.cleaned_data)
            except DomainError as exc:
                refused(form, exc)
            else:
                messages.success(request, _("The expense is recorded."))
                return redirect(reverse("staffing:expenses", args=[employee.pk]))
        status = 400
    return render(
        request,
        "staffing/expense_list.html",
        {"employee": employee, "expenses": rows, "form": form if can_record else None},
        status=status,
    )
