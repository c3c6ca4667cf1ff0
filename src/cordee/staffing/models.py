"""Shared staff: the people an employers' group (the hub, or a host member lending one of its
employees) puts at the disposal of member organisations, and how their cost is shared.

- An `Employee` is employed by one structure (`employer`; NULL: the hub) under one contract:
  weekly hours and monthly cost components (gross salary, employer contributions as a rate or an
  amount, running costs as a rate or an amount). Durations are whole minutes, money whole cents.
- An `AllocationPlan` (the *clé de répartition*) shares one period of the contract — a month, a
  quarter or a season — among member organisations, in hours or in percentages; it can never
  promise more than the contract's hours for the period.
- The employee logs time in a `Timesheet` per week: `TimeEntry` rows (day, organisation, minutes)
  and, per day, the time work started and ended (`WorkDay`), from which the rest rule is checked.
  Each member admin validates or disputes the lines concerning its organisation.
- `Expense` rows are the expenses reimbursed to the employee, attributed to one organisation or
  shared (NULL) pro rata of the hours.
- `MonthInvoicing` records that an employee's month was re-invoiced: its cost, what each member
  paid, what was left to the employer; once it exists, the month's timesheets are closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

BASIS_POINTS = 10_000


class ContractType(models.TextChoices):
    CDI = "cdi", _("permanent contract (CDI)")
    CDD = "cdd", _("fixed-term contract (CDD)")
    APPRENTICESHIP = "apprentice", _("apprenticeship")
    SUBSIDISED = "pec", _("subsidised contract (PEC)")


class Employee(models.Model):
    employer = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shared_employees",
        verbose_name=_("employer"),
        help_text=_("Empty: the hub itself, as employers' group."),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employments",
        verbose_name=_("account"),
        help_text=_("The account the employee logs time with."),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150)
    contract_type = models.CharField(_("contract type"), max_length=12, choices=ContractType.choices)
    weekly_minutes = models.PositiveIntegerField(_("weekly contract hours (minutes)"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    gross_salary_cents = models.BigIntegerField(_("monthly gross salary (cents)"))
    contributions_rate = models.PositiveIntegerField(
        _("employer contributions rate (basis points)"), null=True, blank=True
    )
    contributions_cents = models.BigIntegerField(_("monthly employer contributions (cents)"), null=True, blank=True)
    running_costs_rate = models.PositiveIntegerField(
        _("running costs rate (basis points)"),
        null=True,
        blank=True,
        help_text=_("Of the salary and contributions."),
    )
    running_costs_cents = models.BigIntegerField(_("monthly running costs (cents)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shared employee")
        verbose_name_plural = _("shared employees")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_minutes__gt=0, weekly_minutes__lte=48 * 60), name="staffing_weekly_hours_range"
            ),
            models.CheckConstraint(condition=Q(gross_salary_cents__gte=0), name="staffing_salary_positive"),
            models.CheckConstraint(
                condition=Q(contributions_rate__isnull=True, contributions_cents__gte=0)
                | Q(contributions_rate__isnull=False, contributions_cents__isnull=True),
                name="staffing_contributions_rate_or_amount",
            ),
            models.CheckConstraint(
                condition=Q(running_costs_rate__isnull=True, running_costs_cents__gte=0)
                | Q(running_costs_rate__isnull=False, running_costs_cents__isnull=True),
                name="staffing_running_costs_rate_or_amount",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="staffing_contract_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class AllocationPlan(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")
        SEASON = "season", _("season")

    class Basis(models.TextChoices):
        HOURS = "hours", _("hours")
        PERCENT = "percent", _("percentage")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="plans", verbose_name=_("employee"))
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    basis = models.CharField(_("basis"), max_length=8, choices=Basis.choices)
    label = models.CharField(_("label"), max_length=80, blank=True, help_text=_("e.g. Winter season 2026-2027"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("allocation plan")
        verbose_name_plural = _("allocation plans")
        ordering = ["employee", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "starts_on"], name="staffing_plan_one_per_start"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="staffing_plan_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.employee} {self.starts_on:%Y-%m-%d}"


class PlanShare(models.Model):
    plan = models.ForeignKey(AllocationPlan, on_delete=models.CASCADE, related_name="shares", verbose_name=_("plan"))
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="staff_shares", verbose_name=_("organisation")
    )
    minutes = models.PositiveIntegerField(_("hours (minutes)"), null=True, blank=True)
    percent = models.PositiveIntegerField(_("percentage (basis points)"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan share")
        verbose_name_plural = _("plan shares")
        ordering = ["plan", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "organisation"], name="staffing_share_one_per_organisation"),
            models.CheckConstraint(
                condition=Q(minutes__isnull=False, percent__isnull=True, minutes__gt=0)
                | Q(minutes__isnull=True, percent__isnull=False, percent__gt=0, percent__lte=BASIS_POINTS),
                name="staffing_share_hours_or_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.organisation_id}"


class Timesheet(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="timesheets", verbose_name=_("employee")
    )
    week = models.DateField(_("week of"), help_text=_("Its Monday."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")
        ordering = ["employee", "-week"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "week"], name="staffing_timesheet_one_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.week:%Y-%m-%d}"


class WorkDay(models.Model):
    """When a day's work started and ended: the rest between two days is read from them."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    started_at = models.TimeField(_("started at"))
    ended_at = models.TimeField(_("ended at"))

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["timesheet", "day"], name="staffing_workday_one_per_day"),
            models.CheckConstraint(condition=Q(ended_at__gt=models.F("started_at")), name="staffing_workday_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.started_at}–{self.ended_at}"


class TimeEntry(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("to validate")
        VALIDATED = "validated", _("validated")
        DISPUTED = "disputed", _("disputed")

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField(_("day"))
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="staff_time", verbose_name=_("organisation")
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    invoice = models.ForeignKey(
        "invoicing.Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="staff_time"
    )

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["day", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["timesheet", "day", "organisation"], name="staffing_entry_one_per_cell"),
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=24 * 60), name="staffing_entry_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.organisation_id} {self.minutes} min"


class Expense(models.Model):
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("employee")
    )
    spent_on = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=200)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_expenses",
        verbose_name=_("charged to"),
        help_text=_("Empty: shared pro rata of the hours."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["employee", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="staffing_expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class MonthInvoicing(models.Model):
    """One employee's month, re-invoiced: the figures of the run, frozen."""

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="invoicings", verbose_name=_("employee")
    )
    month = models.DateField(_("month"), help_text=_("Its first day."))
    cost_cents = models.BigIntegerField(_("cost of the month (cents)"))
    expenses_cents = models.BigIntegerField(_("expenses (cents)"))
    minutes = models.PositiveIntegerField(_("validated minutes"))
    invoiced_cents = models.BigIntegerField(_("invoiced (cents)"))
    employer_cents = models.BigIntegerField(_("left to the employer (cents)"))
    invoices = models.ManyToManyField("invoicing.Invoice", related_name="+", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("month re-invoiced")
        verbose_name_plural = _("months re-invoiced")
        ordering = ["-month", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="staffing_month_invoiced_once"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m}"
