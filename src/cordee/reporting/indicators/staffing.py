"""Indicators of the area `staffing` (see cordee.reporting.indicators): the shared staff.

The hours worked are the validated lines of the timesheets (`staffing.TimeEntry`, validated by a
member admin of the organisation served), by the day worked; lines still to validate or disputed
do not count. The planned hours are those of the allocation plans over the days they share with
the period, as the plan-versus-actual report computes them (`staffing.reports.planned_minutes`).

Full-time equivalents: 1 FTE is the French legal monthly working time, 151,67 hours a month
(35 hours × 52 weeks ÷ 12), that is 9 100 minutes; over a period, 9 100 minutes for each of its
months, a month the period covers in part counting for its days in the period over the month's days.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from fractions import Fraction

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cordee.network.models import Family
from cordee.reporting.figures import Breakdown, Figure, Section, Series, Share, Unit
from cordee.reporting.periods import Period
from cordee.staffing.models import AllocationPlan, PlanShare, TimeEntry
from cordee.staffing.reports import planned_minutes

FTE_MONTH_MINUTES = 9_100  # 151,67 h: 35 h a week (Code du travail, L3121-27) × 52 weeks ÷ 12


def months_in(period: Period) -> Fraction:
    """How many months the period covers: whole months, and the share of days of those it cuts."""
    total = Fraction(0)
    for month in period.months():
        length = calendar.monthrange(month.year, month.month)[1]
        first = max(month, period.start)
        last = min(month.replace(day=length), period.end)
        total += Fraction((last - first).days + 1, length)
    return total


def fte_hundredths(minutes: int, period: Period) -> int:
    """Full-time equivalents of `minutes` worked over the period, in hundredths, rounded half up."""
    value = Fraction(minutes * 100) / (FTE_MONTH_MINUTES * months_in(period))
    return math.floor(value + Fraction(1, 2))


def basis_points(part: int, whole: int) -> int | None:
    return None if whole <= 0 else (2 * part * 10_000 + whole) // (2 * whole)


def planned(period: Period, organisation_id: int | None = None) -> int:
    """The minutes the allocation plans promise over the period (to one organisation, or to all)."""
    shares = PlanShare.objects.all()
    if organisation_id is not None:
        shares = shares.filter(organisation_id=organisation_id)
    plans = (
        AllocationPlan.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start)
        .select_related("employee")
        .prefetch_related(Prefetch("shares", queryset=shares))
    )
    return sum(planned_minutes(plan, share, period.start, period.end) for plan in plans for share in plan.shares.all())


def _monthly(period: Period, entries: QuerySet[TimeEntry]) -> tuple[tuple[dt.date, int], ...]:
    totals: dict[dt.date, int] = defaultdict(int)
    for month, minutes in (
        entries.annotate(month=TruncMonth("day"))
        .order_by()
        .values("month")
        .annotate(total=Sum("minutes"))
        .values_list("month", "total")
    ):
        day = month.date() if isinstance(month, dt.datetime) else month
        totals[day.replace(day=1)] += minutes or 0
    return tuple((month, totals.get(month, 0)) for month in period.months())


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    entries = TimeEntry.objects.filter(state=TimeEntry.State.VALIDATED, day__range=(period.start, period.end))
    if organisation_id is not None:
        entries = entries.filter(organisation_id=organisation_id)
    totals = entries.aggregate(
        minutes=Sum("minutes"),
        organisations=Count("organisation_id", distinct=True),
        employees=Count("timesheet__employee_id", distinct=True),
    )
    worked = int(totals["minutes"] or 0)
    promised = planned(period, organisation_id)
    mine = organisation_id is not None
    figures = [
        Figure(
            "staffing_validated_minutes",
            _("Hours of shared staff received") if mine else _("Hours worked by the shared staff"),
            worked,
            Unit.MINUTES,
            _("Time on the timesheets for the days of the period, validated by the organisation served."),
        ),
        Figure(
            "staffing_fte_hundredths",
            _("Full-time equivalents"),
            fte_hundredths(worked, period),
            Unit.HUNDREDTHS,
            _(
                "Those hours over the legal full time of 151,67 hours (9 100 minutes) a month, for each month "
                "of the period (a month cut by the period counts for its share of days)."
            ),
        ),
        Figure(
            "staffing_planned_minutes",
            _("Hours planned"),
            promised,
            Unit.MINUTES,
            _(
                "Hours the allocation plans promised over the days of the period: a share in hours pro rata of "
                "the days, a share in percentage of the contract's hours."
            ),
        ),
        Figure(
            "staffing_plan_done_bps",
            _("Share of the planned hours worked"),
            basis_points(worked, promised),
            Unit.BASIS_POINTS,
            _("Hours worked and validated over the hours planned."),
        ),
    ]
    if not mine:
        figures[1:1] = [
            Figure(
                "staffing_members_served_count",
                _("Member organisations served"),
                totals["organisations"],
                Unit.COUNT,
                _("Organisations for which the shared staff worked validated hours in the period."),
            ),
            Figure(
                "staffing_employees_count",
                _("Shared employees at work"),
                totals["employees"],
                Unit.COUNT,
                _("Shared employees with validated hours in the period."),
            ),
        ]
    breakdowns = [] if mine else _breakdowns(entries)
    series = [
        Series(
            "staffing_minutes_by_month",
            _("Hours received, month by month") if mine else _("Hours worked, month by month"),
            Unit.MINUTES,
            _monthly(period, entries),
        )
    ]
    return Section("staffing", _("Shared staff"), figures=figures, breakdowns=breakdowns, series=series)


def _breakdowns(entries: QuerySet[TimeEntry]) -> list[Breakdown]:
    by_organisation = sorted(
        entries.order_by()
        .values("organisation_id", "organisation__name", "organisation__family")
        .annotate(total=Sum("minutes"))
        .values_list("organisation_id", "organisation__name", "organisation__family", "total"),
        key=lambda row: (-row[3], row[1], row[0]),
    )
    by_family: dict[str, int] = defaultdict(int)
    for _pk, _name, family, total in by_organisation:
        by_family[family] += total
    return [
        Breakdown(
            "staffing_minutes_by_organisation",
            _("Hours worked, by member organisation served"),
            Unit.MINUTES,
            tuple(Share(str(pk), name, total) for pk, name, _family, total in by_organisation),
            organisations=True,
        ),
        Breakdown(
            "staffing_minutes_by_family",
            _("Hours worked, by family of the organisation served"),
            Unit.MINUTES,
            tuple(Share(family.value, str(family.label), by_family.get(family.value, 0)) for family in Family),
        ),
    ]
