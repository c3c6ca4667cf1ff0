"""The week grid an employee fills, and the page where member admins validate or dispute hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError
from cordee.network.models import Organisation
from cordee.staffing import selectors
from cordee.staffing.forms_time import DisputeForm, WeekForm
from cordee.staffing.services.timesheets import (
    WorkTimeError,
    time_dispute,
    time_validate,
    timesheet_save,
    timesheet_submit,
)
from cordee.staffing.views.employees import actor


@require(permissions.can_use_staffing)
def week(request: HttpRequest, pk: int, monday: str) -> HttpResponse:
    user = request.user
    employee = selectors.get_employee_for_user(user, pk)
    try:
        day = dt.date.fromisoformat(monday)
    except ValueError as exc:
        raise Http404 from exc
    if day.weekday() != 0:
        return redirect("staffing:week", employee.pk, selectors.monday_of(day).isoformat())
    can_log = permissions.can_log_time_of(user, employee)
    grid = selectors.week_grid(employee, day, user=user)
    form = WeekForm(request.POST or None, grid=grid)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not can_log:
            raise PermissionDenied
        if form.is_valid():
            entries, days = form.entries(), form.days()
            if form.is_valid():
                try:
                    timesheet = timesheet_save(
                        actor=actor(request), employee=employee, week=day, entries=entries, days=days
                    )
                    if request.POST.get("action") == "submit":
                        timesheet_submit(actor=actor(request), timesheet=timesheet)
                except WorkTimeError as exc:
                    problems = exc.messages
                except DomainError as exc:
                    problems = [exc.message]
                else:
                    if request.POST.get("action") == "submit":
                        messages.success(request, _("The week is submitted; the member admins are told."))
                    else:
                        messages.success(request, _("The week is saved."))
                    return redirect("staffing:week", employee.pk, day.isoformat())
        status = 400
    return render(
        request,
        "staffing/timesheet_week.html",
        {
            "employee": employee,
            "grid": grid,
            "form": form,
            "layout": _layout(grid, form),
            "can_log": can_log,
            "problems": problems,
        },
        status=status,
    )


def _layout(grid: selectors.WeekGrid, form: WeekForm) -> dict[str, Any]:
    """The grid's cells beside their form fields, for the template (which cannot look fields up by name)."""

    def field(name: str) -> BoundField | None:
        return form[name] if name in form.fields else None

    days = [
        {
            "day": day,
            "index": index,
            "total": total,
            "start": field(f"start-{day:%Y-%m-%d}"),
            "end": field(f"end-{day:%Y-%m-%d}"),
            "times": grid.times.get(day),
            "off": day not in grid.working_days or day in grid.closed_days,
        }
        for index, (day, total) in enumerate(zip(grid.days, grid.day_totals, strict=True))
    ]
    rows = [
        {
            "organisation": row.organisation,
            "total": row.total,
            "cells": [
                {"cell": cell, "index": index, "field": field(WeekForm.cell_name(row.organisation.pk, cell.day))}
                for index, cell in enumerate(row.cells)
            ],
        }
        for row in grid.rows
    ]
    return {"days": days, "rows": rows}


@require(permissions.can_use_staffing)
def validation(request: HttpRequest) -> HttpResponse:
    """The lines a member admin decides on, per sheet and organisation."""
    user = request.user
    form = DisputeForm()
    failed: tuple[int, int] | None = None
    status = 200
    if request.method == "POST":
        try:
            timesheet_id = int(request.POST.get("timesheet", ""))
            organisation_id = int(request.POST.get("organisation", ""))
        except ValueError as exc:
            raise Http404 from exc
        timesheet = selectors.get_timesheet_for_user(user, timesheet_id)
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise Http404
        if not permissions.can_validate_time_for(user, organisation.pk):
            raise PermissionDenied
        try:
            if request.POST.get("action") == "dispute":
                form = DisputeForm(request.POST)
                if form.is_valid():
                    time_dispute(
                        actor=actor(request),
                        timesheet=timesheet,
                        organisation=organisation,
                        comment=form.cleaned_data["comment"],
                    )
                    messages.success(request, _("The hours are disputed; the employee is told."))
                    return redirect("staffing:validation")
            else:
                time_validate(actor=actor(request), timesheet=timesheet, organisation=organisation)
                messages.success(request, _("The hours are validated."))
                return redirect("staffing:validation")
        except DomainError as exc:
            form.add_error(None, exc.message)
        failed = (timesheet.pk, organisation.pk)
        status = 400
    return render(
        request,
        "staffing/validation.html",
        {"groups": selectors.to_validate(user), "form": form, "failed": failed},
        status=status,
    )
