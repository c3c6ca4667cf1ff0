"""The cash-flow plans pages: thin wrappers over `cordee.treasury.cashplans`.

Who sees what: a member admin its organisations' plans, the treasurer and the coordinator every
plan (a plan of another organisation is a 404); only the member admins write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.core import permissions
from cordee.core.decorators import require
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.core.money import format_cents
from cordee.treasury import cashplans
from cordee.treasury.cashplans import MonthRow
from cordee.treasury.forms_plans import PlanForm, PlanImportForm, RowForm, row_initial
from cordee.treasury.models import CashPlan, CashPlanLine, RepaymentMode


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _form_error(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require(cashplans.can_use_cash_plans)
def plans(request: HttpRequest) -> HttpResponse:
    rows = []
    for plan in cashplans.plans_for_user(request.user):
        months = cashplans.plan_months(plan)
        negative = [month for month in months if month.is_negative]
        rows.append({"plan": plan, "lowest": min(m.closing_cents for m in months), "negative": negative})
    return render(
        request,
        "treasury/plans/plans.html",
        {"rows": rows, "can_start": cashplans.can_start_cash_plans(request.user)},
    )


@require(cashplans.can_start_cash_plans)
def plan_add(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, organisations=cashplans.plan_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = cashplans.plan_create(
                actor=_actor(request),
                organisation=form.chosen_organisation(),
                title=data["title"],
                first_month=data["first_month"],
                opening_cash_cents=data["opening_cash"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The plan has been created: now enter what comes in and goes out."))
            return redirect("treasury:plan_lines", plan.pk)
    status = 400 if form.errors else 200
    return render(request, "treasury/plans/plan_form.html", {"form": form, "plan": None}, status=status)


@require(cashplans.can_start_cash_plans)
def plan_import(request: HttpRequest) -> HttpResponse:
    form = PlanImportForm(
        request.POST or None, request.FILES or None, organisations=cashplans.plan_organisations(request.user)
    )
    errors: list[cashplans.CellError] = []
    if request.method == "POST" and form.is_valid():
        try:
            plan = cashplans.plan_import(
                actor=_actor(request),
                organisation=form.chosen_organisation(),
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except cashplans.PlanImportError as exc:
            errors = exc.errors
        except NotAllowed:
            raise PermissionDenied from None
        except DomainError as exc:
            _form_error(form, exc)
        else:
            count = plan.lines.count()
            messages.success(
                request,
                ngettext(
                    "The plan has been imported: %(count)s line.", "The plan has been imported: %(count)s lines.", count
                )
                % {"count": count},
            )
            return redirect(plan)
    status = 400 if errors or form.errors else 200
    return render(request, "treasury/plans/plan_import.html", {"form": form, "errors": errors}, status=status)


@require(cashplans.can_use_cash_plans)
def plan_template(request: HttpRequest) -> HttpResponse:
    """The spreadsheet to fill in and import: blank, or with a plan's rows (?plan=<id>)."""
    plan_id = request.GET.get("plan", "")
    if plan_id.isdigit():
        plan = cashplans.get_plan_for_user(request.user, int(plan_id))
        content, name = cashplans.plan_workbook(plan), f"plan-{slugify(plan.title) or plan.pk}.xlsx"
    else:
        content = cashplans.plan_workbook(first_month=timezone.localdate())
        name = "plan-de-tresorerie-modele.xlsx"
    response = HttpResponse(content, content_type=cashplans.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@dataclass
class TableRow:
    label: str
    cells: list[int]
    kind: str  # "opening", "category", "inflows", "outflows", "net", "closing"


def _table(months: list[MonthRow]) -> list[TableRow]:
    used = {category for month in months for category in month.by_category}
    rows = [TableRow(_("Cash at the start of the month"), [m.opening_cents for m in months], "opening")]
    for inflow in (True, False):
        for value, label in CashPlanLine.Category.choices:
            if value in used and (value in CashPlanLine.INFLOWS) == inflow:
                rows.append(TableRow(str(label), [m.by_category.get(value, 0) for m in months], "category"))
        if inflow:
            rows.append(TableRow(_("Total in"), [m.inflows_cents for m in months], "inflows"))
        else:
            rows.append(TableRow(_("Total out"), [m.outflows_cents for m in months], "outflows"))
    rows.append(TableRow(_("Net of the month"), [m.net_cents for m in months], "net"))
    rows.append(TableRow(_("Cash at the end of the month"), [m.closing_cents for m in months], "closing"))
    return rows


# The chart's geometry, in the units of its viewBox; it is drawn server-side, without script.
CHART_WIDTH, CHART_HEIGHT = 720, 260
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 96, 8, 16, 36


def closing_chart(months: list[MonthRow]) -> dict[str, Any]:
    """Bars of each month's closing cash, green above zero and red below, with a zero line."""
    values = [month.closing_cents for month in months]
    high, low = max(0, *values), min(0, *values)
    span = (high - low) or 1
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / len(months)

    def y(cents: int) -> float:
        return round(CHART_TOP + (high - cents) * plot_height / span, 1)

    zero = y(0)
    bars = []
    for index, month in enumerate(months):
        top = y(max(month.closing_cents, 0))
        bottom = y(min(month.closing_cents, 0))
        bars.append(
            {
                "x": round(CHART_LEFT + index * slot + slot * 0.15, 1),
                "y": top,
                "width": round(slot * 0.7, 1),
                "height": max(round(bottom - top, 1), 1.0),
                "label_x": round(CHART_LEFT + (index + 0.5) * slot, 1),
                "month": date_format(month.month, "N"),
                "title": f"{cashplans.month_label(month.month)} : {format_cents(month.closing_cents)}",
                "negative": month.is_negative,
            }
        )
    # The highest and lowest values are labelled, unless too close to the zero line's label.
    ticks = [{"y": y(value), "text": format_cents(value)} for value in {high, low} if abs(y(value) - zero) > 12]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "zero": zero,
        "zero_text": format_cents(0),
        "label_y": CHART_HEIGHT - CHART_BOTTOM + 20,
        "bars": bars,
        "ticks": ticks,
    }


@require(cashplans.can_use_cash_plans)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = cashplans.get_plan_for_user(request.user, pk)
    lines = list(plan.lines.all())
    months = cashplans.plan_months(plan, lines)
    proposal = cashplans.proposed_advance(plan, lines, months)
    can_act = permissions.can_act_for_treasury_of(request.user, plan.organisation_id)
    context: dict[str, Any] = {
        "plan": plan,
        "months": months,
        "table": _table(months),
        "gaps": cashplans.gaps(plan, months),
        "proposal": proposal,
        "mode_label": RepaymentMode(proposal.mode).label if proposal else "",
        "request_url": cashplans.advance_request_url(proposal, plan.organisation) if proposal and can_act else None,
        "chart": closing_chart(months),
        "can_act": can_act,
        "last_month": months[-1].month,
    }
    return render(request, "treasury/plans/plan.html", context)


def _kept_plan(request: HttpRequest, pk: int) -> CashPlan:
    """The plan if the user sees it (404 otherwise) and keeps it (403 otherwise)."""
    plan = cashplans.get_plan_for_user(request.user, pk)
    if not permissions.can_act_for_treasury_of(request.user, plan.organisation_id):
        raise PermissionDenied
    return plan


@require(cashplans.can_use_cash_plans)
def plan_lines(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _kept_plan(request, pk)
    months = cashplans.plan_month_list(plan)
    rows = cashplans.plan_rows(plan)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "remove":
        line = _line_of(plan, request.POST.get("line"))
        if line is not None:
            cashplans.line_remove(actor=_actor(request), line=line, whole_row=True)
            messages.success(request, _("The row “%(label)s” has been removed.") % {"label": line.label})
        return redirect("treasury:plan_lines", plan.pk)

    editing = next((row for row in rows if row.line_pk == _int(request.GET.get("ligne"))), None)
    form = RowForm(
        request.POST if action == "save" else None,
        months=months,
        initial=row_initial(editing) if editing else None,
    )
    if action == "save" and form.is_valid():
        data = form.cleaned_data
        replaced = _line_of(plan, data.get("replaces"))
        try:
            cashplans.lines_set_month_grid(
                actor=_actor(request),
                plan=plan,
                category=data["category"],
                label=data["label"],
                funder=data["funder"],
                amounts=form.amounts(),
                replaces=cashplans.RowKey.of(replaced) if replaced else None,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The row “%(label)s” has been saved.") % {"label": data["label"]})
            return redirect("treasury:plan_lines", plan.pk)
    context = {"plan": plan, "months": months, "rows": rows, "form": form, "editing": editing}
    return render(request, "treasury/plans/plan_lines.html", context, status=400 if form.errors else 200)


def _int(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _line_of(plan: CashPlan, value: Any) -> CashPlanLine | None:
    """A line of this plan named in a request (a line of another plan is no line)."""
    pk = _int(value)
    return None if pk is None else plan.lines.filter(pk=pk).first()


@require(cashplans.can_use_cash_plans)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _kept_plan(request, pk)
    initial = {"title": plan.title, "opening_cash": plan.opening_cash_cents}
    form = PlanForm(request.POST or None, initial=initial, first_month=plan.first_month)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cashplans.plan_update(
                actor=_actor(request),
                plan=plan,
                title=data["title"],
                first_month=data["first_month"],
                opening_cash_cents=data["opening_cash"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect(plan)
    status = 400 if form.errors else 200
    return render(request, "treasury/plans/plan_form.html", {"form": form, "plan": plan}, status=status)
