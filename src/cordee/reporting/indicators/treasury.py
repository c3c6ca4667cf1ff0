"""Indicators of the area `treasury` (see cordee.reporting.indicators): the solidarity pool.

Flows over the period (deposits received, advances granted and disbursed, principal repaid) are sums
of the treasury's rows by their dates. Stocks at the end of the period (deposits held, cash of the
pool) are ledger balances by value date, the ledger being where the treasury keeps every balance
(`cordee.treasury.books`). The portfolio at the end (outstanding, arrears, ageing, PAR30) follows
`cordee.treasury.positions.position` to the cent, for every advance at once in six queries instead of
a dozen per advance; a test checks that both agree with the pool's dashboard
(`cordee.treasury.selectors.pool_figures`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from cordee.ledger.models import Account
from cordee.ledger.selectors import balance_on
from cordee.network.models import Family
from cordee.reporting.figures import Breakdown, Figure, Section, Series, Share, Unit
from cordee.reporting.periods import Period
from cordee.treasury.models import Advance, Charge, Deposit, Instalment, Repayment, Schedule
from cordee.treasury.positions import BUCKETS, bucket_of

POOL_ACCOUNT = "512POOL"
AT_RISK_AFTER_DAYS = 30


# --- The portfolio on a day -----------------------------------------------------------------------


@dataclass
class Portfolio:
    """The advances being repaid on a day, as `positions.position` sees each of them."""

    outstanding_cents: int = 0
    arrears_cents: int = 0
    at_risk_30_cents: int = 0
    late_count: int = 0
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    @property
    def par30_bps(self) -> int | None:
        if not self.outstanding_cents:
            return None
        return (self.at_risk_30_cents * 10_000 * 2 + self.outstanding_cents) // (2 * self.outstanding_cents)


def live_advances(on: dt.date, organisation_id: int | None = None) -> QuerySet[Advance]:
    """The advances being repaid on `on`: disbursed by then, not yet repaid or written off."""
    advances = Advance.objects.filter(disbursed_on__lte=on).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    if organisation_id is not None:
        advances = advances.filter(organisation_id=organisation_id)
    return advances


def portfolio(on: dt.date, organisation_id: int | None = None) -> Portfolio:
    """Outstanding principal, arrears, days past due and ageing of the advances live on `on`, with the
    rules of `positions.position` (its docstring explains them), in a bounded number of queries."""
    live = live_advances(on, organisation_id)
    amounts = dict(live.values_list("pk", "amount_cents"))
    if not amounts:
        return Portfolio()
    received = Repayment.objects.filter(advance__in=live.values("pk"), received_on__lte=on)
    repaid = {
        row["advance_id"]: row
        for row in received.order_by()
        .values("advance_id")
        .annotate(principal=Sum("principal_cents"), penalties=Sum("penalties_cents"), fees=Sum("fees_cents"))
    }
    charged: dict[tuple[int, str], int] = {
        (row["advance_id"], row["kind"]): row["total"]
        for row in Charge.objects.filter(advance__in=live.values("pk"), charged_on__lte=on)
        .order_by()
        .values("advance_id", "kind")
        .annotate(total=Sum("amount_cents"))
    }
    in_force = _schedules_in_force(live, on)
    # Under the schedule in force: (interest paid, principal paid when due, that is less what was prepaid).
    paid_under = {
        row["schedule_id"]: (row["interest"], row["principal"] - row["prepaid"])
        for row in received.filter(schedule_id__in=in_force.values())
        .order_by()
        .values("schedule_id")
        .annotate(interest=Sum("interest_cents"), principal=Sum("principal_cents"), prepaid=Sum("prepaid_cents"))
    }
    instalments: dict[int, list[tuple[int, dt.date, int, int]]] = defaultdict(list)
    for row in (
        Instalment.objects.filter(schedule_id__in=in_force.values())
        .order_by("schedule_id", "number")
        .values_list("schedule_id", "number", "due_on", "principal_cents", "interest_cents")
    ):
        instalments[row[0]].append(row[1:])

    book = Portfolio()
    for advance_id, amount in amounts.items():
        paid = repaid.get(advance_id, {})
        outstanding = (amount or 0) - (paid.get("principal") or 0)
        penalties = charged.get((advance_id, Charge.Kind.PENALTY), 0) - (paid.get("penalties") or 0)
        fees = charged.get((advance_id, Charge.Kind.FEE), 0) - (paid.get("fees") or 0)
        interest_due = principal_due = days_past_due = 0
        schedule_id = in_force.get(advance_id)
        if schedule_id is not None:
            rows = instalments.get(schedule_id, [])
            paid_interest, paid_principal = paid_under.get(schedule_id, (0, 0))
            due = [row for row in rows if row[1] <= on]
            interest_due = max(0, sum(row[3] for row in due) - paid_interest)
            principal_due = max(0, sum(row[2] for row in due) - paid_principal)
            covered = paid_interest + paid_principal  # given to the instalments in order
            for _number, due_on, principal, interest in rows:
                used = min(covered, principal + interest)
                covered -= used
                if due_on <= on and principal + interest - used > 0:
                    days_past_due = (on - due_on).days
                    break
        book.outstanding_cents += outstanding
        book.arrears_cents += max(0, penalties) + max(0, fees) + interest_due + principal_due
        book.buckets[bucket_of(days_past_due)] += outstanding
        if days_past_due > 0:
            book.late_count += 1
        if days_past_due > AT_RISK_AFTER_DAYS:
            book.at_risk_30_cents += outstanding
    return book


def _schedules_in_force(live: QuerySet[Advance], on: dt.date) -> dict[int, int]:
    """advance id -> id of its schedule version in force on `on` (`positions.current_schedule`: the
    newest version effective by then, else the newest of all)."""
    newest_effective: dict[int, tuple[int, int]] = {}
    newest: dict[int, tuple[int, int]] = {}
    for pk, advance_id, version, effective_from in Schedule.objects.filter(advance__in=live.values("pk")).values_list(
        "pk", "advance_id", "version", "effective_from"
    ):
        if advance_id not in newest or version > newest[advance_id][0]:
            newest[advance_id] = (version, pk)
        if effective_from <= on and (advance_id not in newest_effective or version > newest_effective[advance_id][0]):
            newest_effective[advance_id] = (version, pk)
    return {advance_id: (newest_effective.get(advance_id) or newest[advance_id])[1] for advance_id in newest}


# --- Ledger balances on a day ----------------------------------------------------------------------


def _credit_balance(on: dt.date, *, prefix: str, organisation_id: int | None) -> int:
    """What the hub owes on the accounts `<prefix><id>` of the members (or one member), by value date."""
    accounts = Account.objects.filter(ledger__code="EUR", number__startswith=prefix, owner__isnull=False)
    if organisation_id is not None:
        accounts = accounts.filter(owner_id=organisation_id)
    return -balance_on(accounts, on)


def pool_cash_cents(on: dt.date) -> int:
    """The balance of the pool's bank account (512POOL) at the end of `on`, by value date."""
    return balance_on(Account.objects.filter(ledger__code="EUR", number=POOL_ACCOUNT), on)


# --- The section -----------------------------------------------------------------------------------


def _monthly(period: Period, rows: Iterable[tuple[dt.date, int | None]]) -> tuple[tuple[dt.date, int], ...]:
    totals: dict[dt.date, int] = defaultdict(int)
    for month, value in rows:
        day = month.date() if isinstance(month, dt.datetime) else month
        totals[day.replace(day=1)] += value or 0
    return tuple((month, totals.get(month, 0)) for month in period.months())


def section(period: Period, *, organisation_id: int | None = None) -> Section:
    start, end = period.start, period.end
    deposits = Deposit.objects.filter(status__in=[Deposit.Status.CONFIRMED, Deposit.Status.CLOSED])
    advances = Advance.objects.all()
    repayments = Repayment.objects.all()
    if organisation_id is not None:
        deposits = deposits.filter(organisation_id=organisation_id)
        advances = advances.filter(organisation_id=organisation_id)
        repayments = repayments.filter(advance__organisation_id=organisation_id)

    received = deposits.filter(kind=Deposit.Kind.LOAN, received_on__range=(start, end)).aggregate(
        count=Count("pk"), total=Sum("amount_cents")
    )
    granted = advances.filter(approved_on__range=(start, end)).aggregate(count=Count("pk"), total=Sum("amount_cents"))
    disbursed = advances.filter(disbursed_on__range=(start, end)).aggregate(
        count=Count("pk"), total=Sum("amount_cents")
    )
    in_period = repayments.filter(received_on__range=(start, end))
    repaid = in_period.aggregate(principal=Sum("principal_cents"), total=Sum("amount_cents"))
    book = portfolio(end, organisation_id)

    figures = [
        Figure(
            "deposits_received_count",
            _("Deposits received"),
            received["count"],
            Unit.COUNT,
            _("Cash deposits (apports en trésorerie) the pool received in the period, by the date received."),
        ),
        Figure(
            "deposits_received_cents",
            _("Amount of the deposits received"),
            received["total"] or 0,
            Unit.CENTS,
            _("Sum of the cash deposits received in the period."),
        ),
        Figure(
            "deposits_held_end_cents",
            _("Deposits held at the end of the period"),
            _credit_balance(end, prefix="168", organisation_id=organisation_id),
            Unit.CENTS,
            _(
                "What the pool owes its depositors on the last day: the balance of their accounts 168 in the "
                "ledger, deposits received less withdrawals paid."
            ),
        ),
        Figure(
            "returnable_held_end_cents",
            _("Contributions with a right of return held at the end"),
            _credit_balance(end, prefix="1034", organisation_id=organisation_id),
            Unit.CENTS,
            _("The balance of the accounts 1034 on the last day, kept in a separate register."),
        ),
        Figure(
            "advances_granted_count",
            _("Advances granted"),
            granted["count"],
            Unit.COUNT,
            _("Advances the credit committee approved in the period, whatever happened to them next."),
        ),
        Figure(
            "advances_granted_cents",
            _("Amount of the advances granted"),
            granted["total"] or 0,
            Unit.CENTS,
            _("Sum of the amounts granted by the committee in the period."),
        ),
        Figure(
            "advances_disbursed_count",
            _("Advances disbursed"),
            disbursed["count"],
            Unit.COUNT,
            _("Advances paid out to members in the period, by the date of disbursement."),
        ),
        Figure(
            "advances_disbursed_cents",
            _("Amount of the advances disbursed"),
            disbursed["total"] or 0,
            Unit.CENTS,
            _("Sum of the advances paid out in the period."),
        ),
        Figure(
            "advances_repaid_cents",
            _("Principal repaid"),
            repaid["principal"] or 0,
            Unit.CENTS,
            _(
                "Principal of the repayments received in the period; interest, fees, penalties and recoveries "
                "after a write-off are not counted."
            ),
        ),
        Figure(
            "advances_received_cents",
            _("Repayments received"),
            repaid["total"] or 0,
            Unit.CENTS,
            _("Everything received for the advances in the period: principal, interest, fees and penalties."),
        ),
        Figure(
            "advances_outstanding_end_cents",
            _("Outstanding advances at the end of the period"),
            book.outstanding_cents,
            Unit.CENTS,
            _("Principal not yet repaid on the last day of the advances disbursed and not closed by then."),
        ),
        Figure(
            "advances_arrears_end_cents",
            _("Arrears at the end of the period"),
            book.arrears_cents,
            Unit.CENTS,
            _(
                "What was due by the last day and not paid: instalments (principal and interest) of the schedule "
                "in force, penalties and fees."
            ),
        ),
        Figure(
            "advances_late_end_count",
            _("Advances in arrears at the end"),
            book.late_count,
            Unit.COUNT,
            _("Advances with an instalment due by the last day and not fully paid."),
        ),
    ]
    if organisation_id is None:
        figures += [
            Figure(
                "portfolio_at_risk_30_bps",
                _("Portfolio at risk at 30 days (PAR30)"),
                book.par30_bps,
                Unit.BASIS_POINTS,
                _(
                    "Outstanding principal of the advances more than 30 days past due on the last day, as a share "
                    "of all the outstanding principal (rounded to the nearest hundredth of a percent)."
                ),
            ),
            Figure(
                "pool_cash_end_cents",
                _("Liquidity of the pool at the end of the period"),
                pool_cash_cents(end),
                Unit.CENTS,
                _(
                    "The balance of the pool's bank account (512POOL) on the last day, by value date: what it can "
                    "lend or pay back, before the approvals not yet disbursed."
                ),
            ),
        ]

    bucket_labels = {
        "current": _("Up to date"),
        "1-30": _("1 to 30 days late"),
        "31-60": _("31 to 60 days late"),
        "61-90": _("61 to 90 days late"),
        "90+": _("More than 90 days late"),
    }
    breakdowns = []
    if organisation_id is None:
        by_family = dict(
            advances.filter(disbursed_on__range=(start, end))
            .order_by()
            .values("organisation__family")
            .annotate(total=Sum("amount_cents"))
            .values_list("organisation__family", "total")
        )
        breakdowns.append(
            Breakdown(
                "advances_disbursed_by_family",
                _("Advances disbursed, by family of the borrower"),
                Unit.CENTS,
                tuple(Share(family.value, str(family.label), by_family.get(family.value) or 0) for family in Family),
            )
        )
    breakdowns += [
        Breakdown(
            "outstanding_by_ageing",
            _("Outstanding at the end of the period, by days past due"),
            Unit.CENTS,
            tuple(Share(key, bucket_labels[key], book.buckets[key]) for key in BUCKETS),
        )
    ]
    series = [
        Series(
            "advances_granted_by_month",
            _("Advances granted, month by month"),
            Unit.CENTS,
            _monthly(
                period,
                advances.filter(approved_on__range=(start, end))
                .annotate(month=TruncMonth("approved_on"))
                .order_by()
                .values("month")
                .annotate(total=Sum("amount_cents"))
                .values_list("month", "total"),
            ),
        ),
        Series(
            "principal_repaid_by_month",
            _("Principal repaid, month by month"),
            Unit.CENTS,
            _monthly(
                period,
                in_period.annotate(month=TruncMonth("received_on"))
                .order_by()
                .values("month")
                .annotate(total=Sum("principal_cents"))
                .values_list("month", "total"),
            ),
        ),
    ]
    return Section("treasury", _("Solidarity treasury"), figures=figures, breakdowns=breakdowns, series=series)
