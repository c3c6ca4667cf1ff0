"""What the shared staff was planned to do against what it did, and what each member is committed to.

Plan versus actual, per employee × organisation over a period:
- *planned*: from the allocation plans overlapping the period. A share in percentage is that
  percentage of the contract's hours over the days the plan and the period have in common
  (`selectors.contract_minutes`: weekly hours × days inside the contract ÷ 7, rounded down); a
  share in hours is prorated by those common days over the plan's days, rounded half up to the
  minute. A month's report of a quarterly plan in hours shows about a third of its hours.
- *actual*: the minutes logged in the period, validated on one side, still to validate or disputed
  on the other.
A person sees the rows of the organisations whose hours it may see (`selectors.visible_organisations`,
which follows `permissions.staff_scope`).

Exposure: a member's share of the commitments of the employers of the staff it shares. Per
employee, its share in the plan in force today (as a percentage of the contract), its estimated
monthly cost share (a whole month's cost × that percentage) and its share of the cost of the months
from the current one to the contract's end — for an open-ended contract (CDI), of the next 12 months. The
estimate assumes the plan in force goes on unchanged; an employer carries its own employees'
commitments whole.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cordee.network.models import Organisation
from cordee.staffing import selectors
from cordee.staffing.costs import full_month_cost, month_bounds, month_cost, round_half_up
from cordee.staffing.models import BASIS_POINTS, AllocationPlan, Employee, PlanShare, TimeEntry

OPEN_ENDED_MONTHS = 12
MAX_REPORT_DAYS = 3 * 366


# --- Plan versus actual -----------------------------------------------------------------------------


@dataclass
class Row:
    employee: Employee
    organisation: Organisation
    planned_minutes: int = 0
    validated_minutes: int = 0
    pending_minutes: int = 0
    disputed_minutes: int = 0

    @property
    def gap_minutes(self) -> int:
        """Validated minus planned: negative when behind the plan."""
        return self.validated_minutes - self.planned_minutes

    @property
    def done_percent(self) -> int | None:
        """The validated hours as a whole percentage of the planned hours; None without a plan."""
        if not self.planned_minutes:
            return None
        return round_half_up(100 * self.validated_minutes, self.planned_minutes)


@dataclass
class PlanVersusActual:
    start: dt.date
    end: dt.date
    rows: list[Row] = field(default_factory=list)

    def by_organisation(self) -> list[Row]:
        """The rows summed per organisation (employee: the first one's), in name order: the chart's bars."""
        totals: dict[int, Row] = {}
        for row in self.rows:
            total = totals.setdefault(row.organisation.pk, Row(employee=row.employee, organisation=row.organisation))
            total.planned_minutes += row.planned_minutes
            total.validated_minutes += row.validated_minutes
            total.pending_minutes += row.pending_minutes
            total.disputed_minutes += row.disputed_minutes
        return sorted(totals.values(), key=lambda row: (row.organisation.name, row.organisation.pk))

    @property
    def planned_minutes(self) -> int:
        return sum(row.planned_minutes for row in self.rows)

    @property
    def validated_minutes(self) -> int:
        return sum(row.validated_minutes for row in self.rows)

    @property
    def unvalidated_minutes(self) -> int:
        return sum(row.pending_minutes + row.disputed_minutes for row in self.rows)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The current month."""
    return month_bounds(today or timezone.localdate())


def planned_minutes(plan: AllocationPlan, share: PlanShare, start: dt.date, end: dt.date) -> int:
    """The minutes a share promises over the days the plan and [start, end] have in common."""
    first, last = max(plan.starts_on, start), min(plan.ends_on, end)
    if last < first:
        return 0
    if share.percent is not None:
        return selectors.contract_minutes(plan.employee, first, last) * share.percent // BASIS_POINTS
    plan_days = (plan.ends_on - plan.starts_on).days + 1
    return round_half_up((share.minutes or 0) * ((last - first).days + 1), plan_days)


def plan_versus_actual(
    user: Any,
    *,
    start: dt.date,
    end: dt.date,
    employee: Employee | None = None,
    organisation_id: int | None = None,
) -> PlanVersusActual:
    """The report over [start, end] for the employees `user` may see (or one of them), for every
    organisation the user may see (or one of them)."""
    report = PlanVersusActual(start=start, end=end)
    employees = [employee] if employee is not None else list(selectors.employees_for(user))
    if not employees:
        return report
    by_pk = {each.pk: each for each in employees}
    scopes = {each.pk: selectors.visible_organisations(user, each) for each in employees}
    rows: dict[tuple[int, int], Row] = {}
    organisations: dict[int, Organisation] = {}

    def row(employee_id: int, organisation_id: int) -> Row:
        key = (employee_id, organisation_id)
        if key not in rows:
            rows[key] = Row(employee=by_pk[employee_id], organisation=organisations[organisation_id])
        return rows[key]

    plans = (
        AllocationPlan.objects.filter(employee__in=employees, starts_on__lte=end, ends_on__gte=start)
        .select_related("employee")
        .prefetch_related(Prefetch("shares", queryset=PlanShare.objects.select_related("organisation")))
    )
    for plan in plans:
        scope = scopes[plan.employee_id]
        for share in plan.shares.all():
            if (scope is not None and share.organisation_id not in scope) or (
                organisation_id is not None and share.organisation_id != organisation_id
            ):
                continue
            organisations[share.organisation_id] = share.organisation
            row(plan.employee_id, share.organisation_id).planned_minutes += planned_minutes(plan, share, start, end)

    logged = (
        TimeEntry.objects.filter(timesheet__employee__in=employees, day__range=(start, end))
        .values("timesheet__employee_id", "organisation_id", "state")
        .annotate(total=Sum("minutes"))
        .order_by()
    )
    missing = {entry["organisation_id"] for entry in logged} - set(organisations)
    organisations.update(Organisation.objects.in_bulk(missing))
    for entry in logged:
        employee_id, organisation = entry["timesheet__employee_id"], entry["organisation_id"]
        scope = scopes[employee_id]
        if (scope is not None and organisation not in scope) or (
            organisation_id is not None and organisation != organisation_id
        ):
            continue
        target = row(employee_id, organisation)
        if entry["state"] == TimeEntry.State.VALIDATED:
            target.validated_minutes += entry["total"]
        elif entry["state"] == TimeEntry.State.DISPUTED:
            target.disputed_minutes += entry["total"]
        else:
            target.pending_minutes += entry["total"]
    report.rows = sorted(
        rows.values(),
        key=lambda r: (r.employee.full_name, r.employee.pk, r.organisation.name, r.organisation.pk),
    )
    return report


# --- The chart ---------------------------------------------------------------------------------------
# Drawn as treasury/charts.py draws: SVG presentation attributes only (the content security policy
# refuses inline styles), escaped text, a <title> and <desc>, and a table beside it on the page.

WIDTH = 480
LEFT, RIGHT, TOP = 8, 16, 44
FONT_SIZE = 14
BAR, GAP, GROUP = 14, 3, 70  # a group: the organisation's name, then its two bars
PLANNED_COLOUR = "#4a5a66"  # --muted
VALIDATED_COLOUR = "#1f5f4a"  # --brand
PENDING_COLOUR = "#b3471d"  # --accent
INK = "#1d2a33"  # --ink
GRID_COLOUR = "#c9d3cf"  # --line


def chart_svg(report: PlanVersusActual) -> SafeString:
    """Horizontal bars per organisation: planned hours, then validated hours with the hours still to
    validate or disputed after them."""
    totals = report.by_organisation()
    height = TOP + GROUP * max(1, len(totals)) + 24
    top_minutes = max(
        [60] + [max(r.planned_minutes, r.validated_minutes + r.pending_minutes + r.disputed_minutes) for r in totals]
    )
    step = _hours_step(top_minutes)
    scale_end = -(-top_minutes // step) * step
    plot = WIDTH - LEFT - RIGHT

    def x(minutes: int) -> float:
        return LEFT + plot * minutes / scale_end

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="staff-chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="staff-chart-title staff-chart-desc" '
        f'font-family="system-ui, -apple-system, sans-serif" font-size="{FONT_SIZE}">',
        f'<title id="staff-chart-title">{escape(_title(report))}</title>',
        f'<desc id="staff-chart-desc">{escape(describe(report))}</desc>',
    ]
    for tick in range(0, scale_end + 1, step):
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP - 4}" y2="{height - 22}" '
            f'stroke="{INK if tick == 0 else GRID_COLOUR}" stroke-width="1"/>'
        )
        anchor = "start" if tick == 0 else ("end" if tick == scale_end else "middle")
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - 6}" text-anchor="{anchor}" fill="{PLANNED_COLOUR}" font-size="12">'
            f"{escape(_hours_label(tick))}</text>"
        )
    for index, total in enumerate(totals):
        top = TOP + GROUP * index
        parts.append(f'<text x="{LEFT}" y="{top + 12}" fill="{INK}">{escape(_short(total.organisation.name))}</text>')
        planned_y, actual_y = top + 20, top + 20 + BAR + GAP
        parts.append(
            f'<rect x="{LEFT}" y="{planned_y}" width="{x(total.planned_minutes) - LEFT:.1f}" height="{BAR}" '
            f'fill="none" stroke="{PLANNED_COLOUR}" stroke-width="2"/>'
        )
        parts.append(
            f'<rect x="{LEFT}" y="{actual_y}" width="{x(total.validated_minutes) - LEFT:.1f}" height="{BAR}" '
            f'fill="{VALIDATED_COLOUR}"/>'
        )
        waiting = total.pending_minutes + total.disputed_minutes
        if waiting:
            parts.append(
                f'<rect x="{x(total.validated_minutes):.1f}" y="{actual_y}" '
                f'width="{x(waiting) - LEFT:.1f}" height="{BAR}" fill="{PENDING_COLOUR}"/>'
            )
    parts.extend(_legend())
    parts.append("</svg>")
    # Every text above went through escape(); the rest is numbers and fixed markup.
    return mark_safe("".join(parts))


def describe(report: PlanVersusActual) -> str:
    """The chart in words, for its <desc>."""
    from cordee.staffing.templatetags.staffing import format_hours

    sentences = [
        _("Planned and validated hours per organisation from %(start)s to %(end)s.")
        % {"start": date_format(report.start, "SHORT_DATE_FORMAT"), "end": date_format(report.end, "SHORT_DATE_FORMAT")}
    ]
    for total in report.by_organisation():
        sentences.append(
            _("%(organisation)s: %(planned)s planned, %(validated)s validated, %(waiting)s not validated yet.")
            % {
                "organisation": total.organisation.name,
                "planned": format_hours(total.planned_minutes),
                "validated": format_hours(total.validated_minutes),
                "waiting": format_hours(total.pending_minutes + total.disputed_minutes),
            }
        )
    return " ".join(sentences)


def _title(report: PlanVersusActual) -> str:
    return _("Planned versus actual hours")


def _legend() -> list[str]:
    items = [
        (_("Planned"), "none", PLANNED_COLOUR),
        (_("Validated"), VALIDATED_COLOUR, VALIDATED_COLOUR),
        (_("Not validated"), PENDING_COLOUR, PENDING_COLOUR),
    ]
    parts = []
    for index, (label, fill, stroke) in enumerate(items):
        left = LEFT + (WIDTH / 3) * index
        parts.append(
            f'<rect x="{left:.1f}" y="8" width="18" height="12" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
            f'<text x="{left + 24:.1f}" y="14" dy="0.35em" fill="{INK}">{escape(label)}</text>'
        )
    return parts


def _hours_step(minutes: int) -> int:
    """A round step in hours (1, 2, 5 × a power of ten) giving at most five intervals."""
    wanted = -(-minutes // 5)
    magnitude = 60
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if step >= wanted:
                return step
        magnitude *= 10


def _hours_label(minutes: int) -> str:
    return _("%(hours)s h") % {"hours": number_format(minutes // 60, force_grouping=True)}


def _short(name: str, at_most: int = 52) -> str:
    return name if len(name) <= at_most else name[: at_most - 1] + "\N{HORIZONTAL ELLIPSIS}"


# --- Exposure -----------------------------------------------------------------------------------------


@dataclass
class Exposure:
    employee: Employee
    as_employer: bool  # the organisation employs it: it carries the commitments whole
    percent: int  # basis points of the contract
    monthly_cents: int
    commitments_cents: int
    until: dt.date  # the last day counted
    open_ended: bool  # no end date: the next 12 months counted

    @property
    def percent_text(self) -> str:
        """2500 -> "25 %", 3333 -> "33,33 %" (in the reader's language)."""
        if self.percent % 100 == 0:
            return f"{self.percent // 100}\u00a0%"
        return f"{number_format(Decimal(self.percent) / 100, decimal_pos=2)}\u00a0%"


def exposure_of(organisation: Organisation, *, today: dt.date | None = None) -> list[Exposure]:
    """The organisation's share of the commitments of the staff it shares or employs (see above)."""
    today = today or timezone.localdate()
    current = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    employees = (
        Employee.objects.filter(current)
        .filter(Q(employer=organisation) | Q(plans__shares__organisation=organisation))
        .select_related("employer")
        .distinct()
        .order_by("full_name", "pk")
    )
    plans = (
        AllocationPlan.objects.filter(employee__in=employees, starts_on__lte=today, ends_on__gte=today)
        .select_related("employee")
        .prefetch_related("shares")
    )
    in_force = {plan.employee_id: plan for plan in plans}
    rows = []
    for employee in employees:
        as_employer = employee.employer_id == organisation.pk
        percent = BASIS_POINTS if as_employer else share_percent(in_force.get(employee.pk), organisation)
        if not percent:
            continue
        months, until = _months_to_come(employee, today)
        monthly = round_half_up(full_month_cost(employee, today).total_cents * percent, BASIS_POINTS)
        committed = sum(month_cost(employee, month).total_cents for month in months)
        rows.append(
            Exposure(
                employee=employee,
                as_employer=as_employer,
                percent=percent,
                monthly_cents=monthly,
                commitments_cents=round_half_up(committed * percent, BASIS_POINTS),
                until=until,
                open_ended=employee.ends_on is None,
            )
        )
    return rows


def share_percent(plan: AllocationPlan | None, organisation: Organisation) -> int:
    """The organisation's share of a plan as basis points of the contract's hours over the plan's
    period (a share in hours converted, rounded half up); 0 when it has none."""
    if plan is None:
        return 0
    share = next((s for s in plan.shares.all() if s.organisation_id == organisation.pk), None)
    if share is None:
        return 0
    if share.percent is not None:
        return share.percent
    contract = selectors.contract_minutes(plan.employee, plan.starts_on, plan.ends_on)
    if not contract:
        return 0
    return min(BASIS_POINTS, round_half_up((share.minutes or 0) * BASIS_POINTS, contract))


def _months_to_come(employee: Employee, today: dt.date) -> tuple[list[dt.date], dt.date]:
    """The months from the current one to the contract's end (12 of them for an open-ended contract)."""
    first = today.replace(day=1)
    if employee.ends_on is None:
        return [first + relativedelta(months=n) for n in range(OPEN_ENDED_MONTHS)], (
            first + relativedelta(months=OPEN_ENDED_MONTHS) - dt.timedelta(days=1)
        )
    months = []
    month = first
    while month <= employee.ends_on:
        months.append(month)
        month += relativedelta(months=1)
    return months, employee.ends_on


def month_options(today: dt.date | None = None, count: int = 12) -> list[dt.date]:
    """The last `count` months, the current one first (quick links of the period picker)."""
    first = (today or timezone.localdate()).replace(day=1)
    return [first - relativedelta(months=n) for n in range(count)]


def by_employee(report: PlanVersusActual) -> dict[Employee, list[Row]]:
    grouped: dict[Employee, list[Row]] = defaultdict(list)
    for row in report.rows:
        grouped[row.employee].append(row)
    return dict(grouped)
