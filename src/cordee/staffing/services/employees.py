"""Shared employees: their contracts, their allocation plans (the *clés de répartition*), their expenses.

A plan shares one period of the contract among member organisations. It can never promise more
than the contract's hours for the period: weekly hours × the days of the period inside the
contract / 7, rounded down to the minute. Once a month of an employee was re-invoiced, nothing that
month's invoices were computed from changes any more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.network.models import Membership, Organisation
from cordee.staffing import selectors
from cordee.staffing.models import (
    BASIS_POINTS,
    AllocationPlan,
    ContractType,
    Employee,
    Expense,
    MonthInvoicing,
    PlanShare,
    TimeEntry,
)
from cordee.staffing.templatetags.staffing import format_hours

MEMBER_STATUSES = (Membership.Status.ACTIVE, Membership.Status.SUSPENDED)
MAX_WEEKLY_MINUTES = 48 * 60  # Code du travail L3121-20
MAX_SEASON_MONTHS = 12
CONTRACT_FIELDS = (
    "employer",
    "person",
    "full_name",
    "job_title",
    "contract_type",
    "weekly_minutes",
    "starts_on",
    "ends_on",
    "gross_salary_cents",
    "contributions_rate",
    "contributions_cents",
    "running_costs_rate",
    "running_costs_cents",
    "active",
)


def require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed


def day_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def reinvoiced_month(employee: Employee, start: dt.date, end: dt.date) -> dt.date | None:
    """The first month between `start` and `end` already re-invoiced for this employee, if any."""
    return (
        MonthInvoicing.objects.filter(employee=employee, month__gte=month_start(start), month__lte=end)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )


def refuse_reinvoiced(employee: Employee, start: dt.date, end: dt.date, field: str) -> None:
    month = reinvoiced_month(employee, start, end)
    if month is not None:
        raise DomainError(
            _("%(month)s was already re-invoiced for %(name)s: its hours and plan are closed.")
            % {"month": month.strftime("%m/%Y"), "name": employee.full_name},
            field=field,
            code="month_invoiced",
        )


def lock_employee(employee: Employee) -> Employee:
    """Every write about one employee locks its row first, so that two of them never interleave."""
    return Employee.objects.select_for_update(of=("self",)).select_related("employer", "person").get(pk=employee.pk)


def _check_member(organisation: Organisation | None, field: str) -> None:
    if organisation is None:
        return
    status = Membership.objects.filter(organisation=organisation).values_list("status", flat=True).first()
    if status not in MEMBER_STATUSES:
        raise DomainError(
            _("%(name)s is not a member organisation of the hub.") % {"name": organisation.name},
            field=field,
            code="not_member",
        )


def _non_negative(value: Any, field: str, *, nullable: bool = True) -> int | None:
    if value is None and nullable:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DomainError(_("Give a whole number, zero or more."), field=field, code="not_positive")
    return value


def _clean_contract(fields: dict[str, Any]) -> dict[str, Any]:
    """Check a contract's fields together; return them cleaned."""
    if not (fields.get("full_name") or "").strip():
        raise DomainError(_("Give the employee's full name."), field="full_name", code="required")
    if not (fields.get("job_title") or "").strip():
        raise DomainError(_("Give the job title."), field="job_title", code="required")
    fields["full_name"] = fields["full_name"].strip()
    fields["job_title"] = fields["job_title"].strip()
    if fields.get("contract_type") not in ContractType.values:
        raise DomainError(_("Choose a contract type."), field="contract_type", code="invalid")
    weekly = fields.get("weekly_minutes")
    if not isinstance(weekly, int) or not 0 < weekly <= MAX_WEEKLY_MINUTES:
        raise DomainError(
            _("Weekly contract hours are more than 0 and at most 48 hours (Code du travail L3121-20)."),
            field="weekly_minutes",
            code="weekly_max",
        )
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if not isinstance(starts_on, dt.date):
        raise DomainError(_("Give the start date of the contract."), field="starts_on", code="required")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The contract cannot end before it starts."), field="ends_on", code="dates")
    _non_negative(fields.get("gross_salary_cents"), "gross_salary_cents", nullable=False)
    for rate, amount, label in (
        ("contributions_rate", "contributions_cents", _("employer contributions")),
        ("running_costs_rate", "running_costs_cents", _("running costs")),
    ):
        _non_negative(fields.get(rate), rate)
        _non_negative(fields.get(amount), amount)
        if fields.get(rate) is not None and fields.get(amount) is not None:
            raise DomainError(
                _("Give the %(what)s as a rate or as a monthly amount, not both.") % {"what": label},
                field=rate,
                code="rate_or_amount",
            )
        if fields.get(rate) is None and fields.get(amount) is None:
            if rate == "contributions_rate":
                raise DomainError(
                    _("Give the %(what)s as a rate or as a monthly amount.") % {"what": label},
                    field=rate,
                    code="rate_or_amount",
                )
            fields[amount] = 0
    _check_member(fields.get("employer"), "employer")
    if fields.get("employer") is not None and (fields.get("running_costs_rate") or fields.get("running_costs_cents")):
        # A member lending its own employee may invoice the salary, the contributions and the
        # expenses only, or the loan is no longer non-profit (and becomes unlawful).
        raise DomainError(
            _(
                "A member lending its employee invoices only the salary, the contributions and the "
                "expenses (Code du travail L8241-1): no running costs. Running costs belong to the hub "
                "as employers' group."
            ),
            field="running_costs_cents" if fields.get("running_costs_cents") else "running_costs_rate",
            code="nonprofit_loan",
        )
    return fields


@transaction.atomic(durable=True)
def employee_create(
    *,
    actor: User,
    full_name: str,
    job_title: str,
    contract_type: str,
    weekly_minutes: int,
    starts_on: dt.date,
    gross_salary_cents: int,
    ends_on: dt.date | None = None,
    employer: Organisation | None = None,
    person: User | None = None,
    contributions_rate: int | None = None,
    contributions_cents: int | None = None,
    running_costs_rate: int | None = None,
    running_costs_cents: int | None = None,
) -> Employee:
    """A shared employee. `employer` None: the hub, as employers' group; a member: a host member
    that lends one of its employees. Rates are in basis points (4200 = 42 %)."""
    require(permissions.can_manage_staff(actor))
    fields = _clean_contract(
        {
            "employer": employer,
            "person": person,
            "full_name": full_name,
            "job_title": job_title,
            "contract_type": contract_type,
            "weekly_minutes": weekly_minutes,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "gross_salary_cents": gross_salary_cents,
            "contributions_rate": contributions_rate,
            "contributions_cents": contributions_cents,
            "running_costs_rate": running_costs_rate,
            "running_costs_cents": running_costs_cents,
        }
    )
    employee = Employee.objects.create(**fields)
    audit(
        actor=actor,
        action="staffing.employee.create",
        target=employee,
        weekly_minutes=employee.weekly_minutes,
        starts_on=employee.starts_on.isoformat(),
    )
    return employee


@transaction.atomic(durable=True)
def employee_update(*, actor: User, employee: Employee, **changes: Any) -> Employee:
    """Change a contract's fields (any of CONTRACT_FIELDS). The contract must still hold every hour
    logged and every plan; months already re-invoiced keep their figures."""
    require(permissions.can_manage_staff(actor))
    unknown = set(changes) - set(CONTRACT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field: %(name)s.") % {"name": sorted(unknown)[0]}, field=sorted(unknown)[0])
    employee = lock_employee(employee)
    fields = {name: getattr(employee, name) for name in CONTRACT_FIELDS}
    fields.update(changes)
    fields = _clean_contract(fields)
    starts_on, ends_on = fields["starts_on"], fields["ends_on"]
    outside = TimeEntry.objects.filter(timesheet__employee=employee).exclude(day__gte=starts_on)
    if ends_on is not None:
        outside = outside | TimeEntry.objects.filter(timesheet__employee=employee, day__gt=ends_on)
    first = outside.order_by("day").values_list("day", flat=True).first()
    if first is not None:
        raise DomainError(
            _("Hours are logged on %(day)s, outside these contract dates.") % {"day": day_text(first)},
            field="starts_on" if first < starts_on else "ends_on",
            code="contract_dates",
        )
    plans = employee.plans.filter(ends_on__lt=starts_on)
    if ends_on is not None:
        plans = plans | employee.plans.filter(starts_on__gt=ends_on)
    stray = plans.order_by("starts_on").first()
    if stray is not None:
        raise DomainError(
            _("The allocation plan from %(start)s to %(end)s would fall outside the contract.")
            % {"start": day_text(stray.starts_on), "end": day_text(stray.ends_on)},
            field="starts_on" if stray.ends_on < starts_on else "ends_on",
            code="contract_dates",
        )
    changed = {name: str(fields[name]) for name in CONTRACT_FIELDS if fields[name] != getattr(employee, name)}
    for name in CONTRACT_FIELDS:
        setattr(employee, name, fields[name])
    employee.save()
    audit(actor=actor, action="staffing.employee.update", target=employee, **changed)
    return employee


# --- Allocation plans


def plan_dates(period: str, starts_on: dt.date, ends_on: dt.date | None) -> tuple[dt.date, dt.date]:
    """The first and last days of a plan: a calendar month, a calendar quarter, or a season of
    explicit dates (12 months at most)."""
    if period == AllocationPlan.Period.MONTH:
        if starts_on.day != 1:
            raise DomainError(_("A monthly plan starts on the first day of a month."), field="starts_on", code="period")
        return starts_on, starts_on + relativedelta(months=1, days=-1)
    if period == AllocationPlan.Period.QUARTER:
        if starts_on.day != 1 or starts_on.month not in (1, 4, 7, 10):
            raise DomainError(
                _("A quarterly plan starts on 1 January, 1 April, 1 July or 1 October."),
                field="starts_on",
                code="period",
            )
        return starts_on, starts_on + relativedelta(months=3, days=-1)
    if period == AllocationPlan.Period.SEASON:
        if ends_on is None:
            raise DomainError(_("Give the last day of the season."), field="ends_on", code="required")
        if ends_on < starts_on:
            raise DomainError(_("The season cannot end before it starts."), field="ends_on", code="dates")
        if ends_on >= starts_on + relativedelta(months=MAX_SEASON_MONTHS):
            raise DomainError(_("A season lasts 12 months at most."), field="ends_on", code="period")
        return starts_on, ends_on
    raise DomainError(_("Choose a month, a quarter or a season."), field="period", code="period")


@transaction.atomic(durable=True)
def plan_set(
    *,
    actor: User,
    employee: Employee,
    period: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    basis: str,
    shares: Mapping[int, int],
    label: str = "",
) -> AllocationPlan:
    """Create, or replace, the plan of `employee` starting on `starts_on`.

    `shares`: organisation id -> minutes (basis "hours") or basis points (basis "percent", 5000 =
    50 %); zeros are left out. Refused, naming the rule: a period that is not a calendar month or
    quarter or a season of 12 months at most; a plan outside the contract or overlapping another;
    more hours than the contract holds for the period, or more than 100 %; an organisation that is
    not a member; a month already re-invoiced; hours already logged for an organisation the plan
    would leave out."""
    require(permissions.can_manage_staff(actor))
    employee = lock_employee(employee)
    start, end = plan_dates(period, starts_on, ends_on)
    if basis not in AllocationPlan.Basis.values:
        raise DomainError(_("Choose hours or percentages."), field="basis", code="basis")
    if end < employee.starts_on or (employee.ends_on is not None and start > employee.ends_on):
        raise DomainError(
            _("The plan from %(start)s to %(end)s falls outside the contract (%(contract)s).")
            % {"start": day_text(start), "end": day_text(end), "contract": contract_text(employee)},
            field="starts_on",
            code="contract_dates",
        )
    if period == AllocationPlan.Period.SEASON and (
        start < employee.starts_on or (employee.ends_on is not None and end > employee.ends_on)
    ):
        raise DomainError(
            _("A season must lie inside the contract (%(contract)s).") % {"contract": contract_text(employee)},
            field="starts_on" if start < employee.starts_on else "ends_on",
            code="contract_dates",
        )
    replaced = employee.plans.filter(starts_on=start).first()
    overlapping = employee.plans.filter(starts_on__lte=end, ends_on__gte=start).exclude(starts_on=start).first()
    if overlapping is not None:
        raise DomainError(
            _("It would overlap the plan %(plan)s, from %(start)s to %(end)s.")
            % {
                "plan": overlapping.label or "",
                "start": day_text(overlapping.starts_on),
                "end": day_text(overlapping.ends_on),
            },
            field="starts_on",
            code="plan_overlap",
        )
    cleaned = {int(pk): value for pk, value in shares.items() if value}
    if not cleaned:
        raise DomainError(_("Share the period among one organisation at least."), field="shares", code="required")
    if any(not isinstance(value, int) or isinstance(value, bool) or value < 0 for value in cleaned.values()):
        raise DomainError(_("Shares are whole numbers, zero or more."), field="shares", code="invalid")
    organisations = {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(pk__in=cleaned).select_related("membership")
    }
    for pk in cleaned:
        organisation = organisations.get(pk)
        if organisation is None:
            raise DomainError(_("No such organisation."), field="shares", code="not_member")
        _check_member(organisation, "shares")
    if basis == AllocationPlan.Basis.HOURS:
        available = selectors.contract_minutes(employee, start, end)
        total = sum(cleaned.values())
        if total > available:
            raise DomainError(
                _(
                    "The plan shares %(total)s but the contract holds %(available)s from %(start)s to %(end)s "
                    "(weekly hours × days of the period in the contract / 7)."
                )
                % {
                    "total": format_hours(total),
                    "available": format_hours(available),
                    "start": day_text(start),
                    "end": day_text(end),
                },
                field="shares",
                code="plan_over_contract",
            )
    elif sum(cleaned.values()) > BASIS_POINTS:
        raise DomainError(_("The percentages add up to more than 100 %."), field="shares", code="plan_over_contract")
    refuse_reinvoiced(employee, start, end, "starts_on")
    if replaced is not None:
        refuse_reinvoiced(employee, replaced.starts_on, replaced.ends_on, "starts_on")
    # Hours logged under the plan must stay covered by it.
    low = min(start, replaced.starts_on) if replaced else start
    high = max(end, replaced.ends_on) if replaced else end
    logged = TimeEntry.objects.filter(timesheet__employee=employee, day__gte=low, day__lte=high)
    if replaced is not None:
        uncovered = logged.exclude(day__gte=start, day__lte=end, organisation_id__in=cleaned)
    else:
        uncovered = logged.exclude(organisation_id__in=cleaned)
    stray = uncovered.select_related("organisation").order_by("day").first()
    if stray is not None:
        raise DomainError(
            _("Hours are logged for %(name)s on %(day)s: the plan must keep covering them.")
            % {"name": stray.organisation.name, "day": day_text(stray.day)},
            field="shares",
            code="plan_logged_time",
        )
    if replaced is not None:
        replaced.shares.all().delete()
        plan = replaced
        plan.period, plan.ends_on, plan.basis, plan.label = period, end, basis, label.strip()
        plan.save(update_fields=["period", "ends_on", "basis", "label"])
    else:
        plan = AllocationPlan.objects.create(
            employee=employee, period=period, starts_on=start, ends_on=end, basis=basis, label=label.strip()
        )
    hours_basis = basis == AllocationPlan.Basis.HOURS
    PlanShare.objects.bulk_create(
        PlanShare(
            plan=plan,
            organisation_id=pk,
            minutes=value if hours_basis else None,
            percent=None if hours_basis else value,
        )
        for pk, value in sorted(cleaned.items())
    )
    audit(
        actor=actor,
        action="staffing.plan.replace" if replaced else "staffing.plan.create",
        target=plan,
        employee=employee.pk,
        period=period,
        basis=basis,
        shares={str(pk): value for pk, value in sorted(cleaned.items())},
    )
    return plan


def contract_text(employee: Employee) -> str:
    if employee.ends_on is None:
        return _("from %(start)s") % {"start": day_text(employee.starts_on)}
    return _("%(start)s to %(end)s") % {"start": day_text(employee.starts_on), "end": day_text(employee.ends_on)}


# --- Expenses


@transaction.atomic(durable=True)
def expense_record(
    *,
    actor: User,
    employee: Employee,
    spent_on: dt.date,
    label: str,
    amount_cents: int,
    organisation: Organisation | None = None,
) -> Expense:
    """An expense reimbursed to the employee, charged to one organisation of the plan covering
    that day, or shared (None) pro rata of the hours of the month."""
    require(permissions.can_manage_staff(actor) or (actor.is_authenticated and employee.person_id == actor.pk))
    employee = lock_employee(employee)
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or amount_cents <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount_cents", code="amount_not_positive")
    if not label.strip():
        raise DomainError(_("Say what the expense was."), field="label", code="required")
    if spent_on < employee.starts_on or (employee.ends_on is not None and spent_on > employee.ends_on):
        raise DomainError(
            _("%(day)s is outside the contract (%(contract)s).")
            % {"day": day_text(spent_on), "contract": contract_text(employee)},
            field="spent_on",
            code="contract_dates",
        )
    refuse_reinvoiced(employee, spent_on, spent_on, "spent_on")
    if organisation is not None:
        plan = selectors.plan_covering(employee, spent_on)
        if plan is None or organisation.pk not in {share.organisation_id for share in plan.shares.all()}:
            raise DomainError(
                _("%(name)s is not in the allocation plan covering %(day)s.")
                % {"name": organisation.name, "day": day_text(spent_on)},
                field="organisation",
                code="not_in_plan",
            )
    expense = Expense.objects.create(
        employee=employee,
        spent_on=spent_on,
        label=label.strip(),
        amount_cents=amount_cents,
        organisation=organisation,
        recorded_by=actor,
    )
    audit(
        actor=actor,
        action="staffing.expense.record",
        target=expense,
        amount_cents=amount_cents,
        organisation=organisation.pk if organisation else None,
    )
    return expense
