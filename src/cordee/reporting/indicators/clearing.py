"""Indicators of the area `clearing` (see cordee.reporting.indicators): multilateral clearing.

Read from the totals each executed run keeps for the history and the reporting (`clearing.Run`),
by the run's value date (`executed_on`), and from its positions and cleared invoices. The cash
saved is what docs/clearing.md calls it: "the sum cleared over executed runs is the cash the
members did not have to find" — every euro of debt cleared is a payment nobody had to make.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cordee.clearing.models import Allocation, Position, Run
from cordee.reporting.figures import Figure, Section, Series, Unit
from cordee.reporting.periods import Period


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    runs = Run.objects.filter(status=Run.Status.EXECUTED, executed_on__range=(period.start, period.end))
    positions = Position.objects.filter(run__in=runs.values("pk"), cleared_cents__gt=0)
    allocations = Allocation.objects.filter(run__in=runs.values("pk"))
    if organisation_id is None:
        return _hub(period, runs, positions, allocations)
    return _organisation(organisation_id, positions, allocations)


def _hub(
    period: Period, runs: QuerySet[Run], positions: QuerySet[Position], allocations: QuerySet[Allocation]
) -> Section:
    totals = runs.aggregate(count=Count("pk"), cleared=Sum("cleared_cents"), invoices=Sum("cleared_invoice_count"))
    cleared = totals["cleared"] or 0
    whole = allocations.filter(amount_cents=F("open_cents")).count()
    members = positions.filter(organisation__isnull=False).values("organisation_id").distinct().count()
    figures = [
        Figure(
            "clearing_runs_count",
            _("Clearing runs executed"),
            totals["count"],
            Unit.COUNT,
            _("Multilateral clearings executed in the period, by their value date."),
        ),
        Figure(
            "clearing_cleared_cents",
            _("Debt cleared"),
            cleared,
            Unit.CENTS,
            _("Sum of the internal invoices' amounts cancelled by the clearings, without any money moving."),
        ),
        Figure(
            "clearing_cash_saved_cents",
            _("Cash saved"),
            cleared,
            Unit.CENTS,
            _(
                "The payments the members did not have to make: each euro of debt cleared is one euro nobody "
                "had to find (docs/clearing.md), so it equals the debt cleared."
            ),
        ),
        Figure(
            "clearing_invoices_cleared_count",
            _("Invoices cleared, whole or in part"),
            totals["invoices"] or 0,
            Unit.COUNT,
            _("Internal invoices of which the clearings cancelled all or part (one count per run)."),
        ),
        Figure(
            "clearing_invoices_settled_count",
            _("Invoices settled whole"),
            whole,
            Unit.COUNT,
            _("Internal invoices the clearings settled whole: nothing was left to pay in money."),
        ),
        Figure(
            "clearing_members_count",
            _("Members involved"),
            members,
            Unit.COUNT,
            _("Member organisations of which a clearing cancelled part of the debts (the hub not counted)."),
        ),
    ]
    monthly = dict(
        runs.annotate(month=TruncMonth("executed_on"))
        .order_by()
        .values("month")
        .annotate(total=Sum("cleared_cents"))
        .values_list("month", "total")
    )
    series = [
        Series(
            "clearing_cleared_by_month",
            _("Debt cleared, month by month"),
            Unit.CENTS,
            tuple((month, int(monthly.get(month) or 0)) for month in period.months()),
        )
    ]
    return Section("clearing", _("Multilateral clearing"), figures=figures, series=series)


def _organisation(organisation_id: int, positions: QuerySet[Position], allocations: QuerySet[Allocation]) -> Section:
    mine = positions.filter(organisation_id=organisation_id).aggregate(
        runs=Count("run_id", distinct=True), cleared=Sum("cleared_cents")
    )
    invoices = allocations.filter(Q(debtor_id=organisation_id) | Q(creditor_id=organisation_id)).aggregate(
        count=Count("pk"), whole=Count("pk", filter=Q(amount_cents=F("open_cents")))
    )
    cleared = mine["cleared"] or 0
    figures = [
        Figure(
            "clearing_runs_count",
            _("Clearing runs that cleared our debts"),
            mine["runs"],
            Unit.COUNT,
            _("Clearings executed in the period that cancelled part of what the organisation owed and was owed."),
        ),
        Figure(
            "clearing_cleared_cents",
            _("Debt cleared"),
            cleared,
            Unit.CENTS,
            _(
                "What the organisation no longer owes thanks to the clearings of the period; it is owed the same "
                "amount less, so its net position did not move."
            ),
        ),
        Figure(
            "clearing_cash_saved_cents",
            _("Cash saved"),
            cleared,
            Unit.CENTS,
            _("The payments the organisation did not have to make: its debt cleared (docs/clearing.md)."),
        ),
        Figure(
            "clearing_invoices_cleared_count",
            _("Invoices cleared, whole or in part"),
            invoices["count"],
            Unit.COUNT,
            _("Internal invoices the organisation owed or was owed, cancelled all or in part by the clearings."),
        ),
        Figure(
            "clearing_invoices_settled_count",
            _("Invoices settled whole"),
            invoices["whole"],
            Unit.COUNT,
            _("Of those, the invoices settled whole."),
        ),
    ]
    return Section("clearing", _("Multilateral clearing"), figures=figures)
