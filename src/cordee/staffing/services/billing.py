"""The monthly re-invoicing of shared employees (*refacturation*): each member organisation pays its
share of an employee's month, pro rata of the validated hours worked for it.

For each employee of a month that is over:

- the *pool* is the month's cost (`costs.month_cost`: salary + contributions + running costs,
  pro rata of the calendar days inside the contract) plus the shared expenses of the month
  (`Expense.organisation` empty);
- it is apportioned by the largest-remainder method (`cordee.lib.apportion`) over the validated
  minutes of each organisation, so the shares add up to the pool to the cent;
- each organisation also pays the expenses attributed to it;
- one internal invoice per organisation, issued by the employer (the hub when the employer is
  empty) at 0 % VAT: cost sharing within a group of which the members are exempt (CGI, art. 261 B);
- when the employer is itself one of the organisations (a host member lending its own employee),
  its share is not invoiced: it is left to the employer, as is the whole pool when no minute was
  validated.

Everything is written in one transaction per employee-month, with its audit row: the invoices,
the time entries marked invoiced, and a `MonthInvoicing` freezing the figures, so that
`Σ invoices + left to the employer == cost + expenses` exactly. Once a `MonthInvoicing` exists the
month is closed: a second run finds it and creates nothing (and the timesheet services refuse any
change to the days of that month).

Lines still to validate or disputed: by default the employee's month is *skipped* and reported with
the minutes per organisation, so that the coordinator chases the members and runs again. With
`validated_only=True`, the month is invoiced on what is validated: the pool is apportioned over all
the minutes logged, and the share of the minutes not validated is left to the employer (a member
never pays for another member's hours, and the month closes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.invoicing import services as invoicing
from cordee.invoicing.models import Exemption, Invoice
from cordee.invoicing.totals import LineData
from cordee.lib.apportion import apportion
from cordee.network.models import Organisation
from cordee.staffing.costs import MonthCost, month_bounds, month_cost
from cordee.staffing.models import Employee, Expense, MonthInvoicing, TimeEntry
from cordee.staffing.templatetags.staffing import format_hours

PAYMENT_DAYS = 30
# The apportionment's key for the minutes logged but not validated (with `validated_only`).
UNVALIDATED = 0


class Skip:
    """Why an employee's month is not invoiced by this run."""

    ALREADY = "already"  # re-invoiced by an earlier run
    PENDING = "pending"  # lines still to validate or disputed
    FAILED = "failed"  # a refusal of the invoicing rules (e.g. a party no longer a member)


@dataclass
class Share:
    """What one organisation owes for one employee's month."""

    organisation: Organisation
    minutes: int
    share_cents: int  # its share of the cost and of the shared expenses
    expenses_cents: int  # the expenses attributed to it
    expenses: list[Expense] = field(default_factory=list)
    to_employer: bool = False  # the employer itself: not invoiced
    invoice: Invoice | None = None

    @property
    def total_cents(self) -> int:
        return self.share_cents + self.expenses_cents


@dataclass
class Unvalidated:
    """Minutes of one organisation still to validate or disputed."""

    organisation: Organisation
    pending_minutes: int
    disputed_minutes: int


@dataclass
class EmployeeMonth:
    employee: Employee
    month: dt.date
    cost: MonthCost
    shared_expenses_cents: int = 0
    attributed_expenses_cents: int = 0
    minutes: int = 0  # validated
    unvalidated_minutes: int = 0
    shares: list[Share] = field(default_factory=list)
    unvalidated: list[Unvalidated] = field(default_factory=list)
    unvalidated_cents: int = 0  # the pool's share of the minutes not validated, left to the employer
    skipped: str = ""  # a `Skip` value, or "" when invoiced (or, in a dry run, to be invoiced)
    reason: str = ""
    invoicing: MonthInvoicing | None = None

    @property
    def expenses_cents(self) -> int:
        return self.shared_expenses_cents + self.attributed_expenses_cents

    @property
    def pool_cents(self) -> int:
        return self.cost.total_cents + self.shared_expenses_cents

    @property
    def invoiced_cents(self) -> int:
        return sum(share.total_cents for share in self.shares if not share.to_employer)

    @property
    def employer_cents(self) -> int:
        return self.cost.total_cents + self.expenses_cents - self.invoiced_cents

    @property
    def invoices(self) -> list[Invoice]:
        return [share.invoice for share in self.shares if share.invoice is not None]


@dataclass
class StaffBillingReport:
    month: dt.date
    dry_run: bool
    validated_only: bool
    months: list[EmployeeMonth] = field(default_factory=list)

    @property
    def invoiced(self) -> list[EmployeeMonth]:
        return [item for item in self.months if not item.skipped]

    @property
    def pending(self) -> list[EmployeeMonth]:
        return [item for item in self.months if item.skipped == Skip.PENDING]

    @property
    def already(self) -> list[EmployeeMonth]:
        return [item for item in self.months if item.skipped == Skip.ALREADY]

    @property
    def failed(self) -> list[EmployeeMonth]:
        return [item for item in self.months if item.skipped == Skip.FAILED]

    @property
    def invoices(self) -> list[Invoice]:
        return [invoice for item in self.invoiced for invoice in item.invoices]

    @property
    def invoiced_cents(self) -> int:
        return sum(item.invoiced_cents for item in self.invoiced)

    @property
    def employer_cents(self) -> int:
        return sum(item.employer_cents for item in self.invoiced)


def parse_month(text: str) -> dt.date:
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise DomainError(_("A month is written YYYY-MM, e.g. 2027-03."), field="month") from None


def employees_of(month: dt.date) -> list[Employee]:
    """The employees with a contract during the month, or time or expenses logged in it."""
    first, last = month_bounds(month)
    return list(
        Employee.objects.filter(
            Q(starts_on__lte=last, ends_on__isnull=True)
            | Q(starts_on__lte=last, ends_on__gte=first)
            | Q(timesheets__entries__day__range=(first, last))
            | Q(expenses__spent_on__range=(first, last))
        )
        .select_related("employer")
        .distinct()
        .order_by("full_name", "pk")
    )


def invoice_staff(
    *,
    month: dt.date,
    actor: User | None = None,
    employee: Employee | None = None,
    dry_run: bool = False,
    validated_only: bool = False,
    now: dt.datetime | None = None,
    progress: Callable[[Iterable[Employee]], Iterable[Employee]] | None = None,
    notify: bool = True,
) -> StaffBillingReport:
    """Re-invoice the month of every shared employee (or of `employee`): see the module's docstring.

    `actor` is None for the command (cron); a person acting must be allowed to invoice staff. A dry
    run computes the same figures and writes nothing. Refuses a month that is not over."""
    if actor is not None and not permissions.can_invoice_staff(actor):
        raise NotAllowed()
    now = now or timezone.now()
    month = month.replace(day=1)
    _first, last = month_bounds(month)
    if last >= timezone.localdate(now):
        raise DomainError(
            _("%(month)s is not over yet: its hours are re-invoiced once it has ended.")
            % {"month": formats.date_format(month, "F Y")},
            field="month",
        )
    report = StaffBillingReport(month=month, dry_run=dry_run, validated_only=validated_only)
    # One employee: only if it is an employee of the month, so that no month is closed by mistake.
    employees: Iterable[Employee] = [each for each in employees_of(month) if employee is None or each.pk == employee.pk]
    if progress is not None:
        employees = progress(employees)
    for each in employees:
        if dry_run:
            item = _compute(each, month, validated_only=validated_only)
        else:
            try:
                item = _invoice_employee_month(
                    each, month, actor=actor, validated_only=validated_only, now=now, notify=notify
                )
            except DomainError as error:
                item = EmployeeMonth(
                    employee=each, month=month, cost=month_cost(each, month), skipped=Skip.FAILED, reason=error.message
                )
        report.months.append(item)
    return report


@transaction.atomic(durable=True)
def _invoice_employee_month(
    employee: Employee, month: dt.date, *, actor: User | None, validated_only: bool, now: dt.datetime, notify: bool
) -> EmployeeMonth:
    # The employee's row is the lock: two runs of the same month queue here, and the second finds
    # the first one's MonthInvoicing.
    employee = Employee.objects.select_for_update(of=("self",)).select_related("employer").get(pk=employee.pk)
    item = _compute(employee, month, validated_only=validated_only, lock=True)
    if item.skipped:
        return item
    issue_date = timezone.localdate(now)
    for share in item.shares:
        if share.to_employer or share.total_cents <= 0:
            continue
        share.invoice = invoicing.invoice_create_issued(
            issuer=employee.employer,
            recipient=share.organisation,
            lines=_lines(item, share),
            issue_date=issue_date,
            due_date=issue_date + dt.timedelta(days=PAYMENT_DAYS),
            source=f"staff:{employee.pk}:{month:%Y-%m}:{share.organisation.pk}",
            notes=_notes(item),
            notify=notify,
        )
        TimeEntry.objects.filter(
            timesheet__employee=employee,
            day__range=month_bounds(month),
            organisation=share.organisation,
            state=TimeEntry.State.VALIDATED,
            invoice=None,
        ).update(invoice=share.invoice)
    invoiced = MonthInvoicing.objects.create(
        employee=employee,
        month=month,
        cost_cents=item.cost.total_cents,
        expenses_cents=item.expenses_cents,
        minutes=item.minutes,
        invoiced_cents=item.invoiced_cents,
        employer_cents=item.employer_cents,
    )
    invoiced.invoices.set(item.invoices)
    item.invoicing = invoiced
    audit(
        actor=actor,
        action="staffing.month_invoice",
        target=invoiced,
        employee=employee.pk,
        month=f"{month:%Y-%m}",
        cost=item.cost.total_cents,
        expenses=item.expenses_cents,
        invoiced=item.invoiced_cents,
        employer=item.employer_cents,
        invoices=[invoice.number for invoice in item.invoices],
        validated_only=validated_only,
    )
    return item


def _compute(employee: Employee, month: dt.date, *, validated_only: bool, lock: bool = False) -> EmployeeMonth:
    """The figures of one employee's month, as they would be invoiced; writes nothing."""
    item = EmployeeMonth(employee=employee, month=month, cost=month_cost(employee, month))
    done = MonthInvoicing.objects.filter(employee=employee, month=month).first()
    if done is not None:
        item.skipped, item.invoicing = Skip.ALREADY, done
        return item
    bounds = month_bounds(month)
    entries = TimeEntry.objects.filter(timesheet__employee=employee, day__range=bounds)
    if lock:
        entries = entries.select_for_update(of=("self",))
    validated: dict[int, int] = defaultdict(int)
    pending: dict[int, int] = defaultdict(int)
    disputed: dict[int, int] = defaultdict(int)
    for organisation_id, state, minutes, invoice_id in entries.order_by("pk").values_list(
        "organisation_id", "state", "minutes", "invoice_id"
    ):
        if state == TimeEntry.State.VALIDATED and invoice_id is None:
            validated[organisation_id] += minutes
        elif state == TimeEntry.State.PENDING:
            pending[organisation_id] += minutes
        elif state == TimeEntry.State.DISPUTED:
            disputed[organisation_id] += minutes
    expenses = list(
        Expense.objects.filter(employee=employee, spent_on__range=bounds)
        .select_related("organisation")
        .order_by("spent_on", "pk")
    )
    organisations = Organisation.objects.in_bulk(
        set(validated) | set(pending) | set(disputed) | {e.organisation_id for e in expenses if e.organisation_id}
    )
    item.unvalidated = [
        Unvalidated(organisations[pk], pending.get(pk, 0), disputed.get(pk, 0))
        for pk in sorted(set(pending) | set(disputed), key=lambda pk: (organisations[pk].name, pk))
    ]
    item.unvalidated_minutes = sum(pending.values()) + sum(disputed.values())
    if item.unvalidated_minutes and not validated_only:
        item.skipped = Skip.PENDING
        item.reason = _("%(hours)s still to validate or disputed.") % {"hours": format_hours(item.unvalidated_minutes)}
        return item

    item.shared_expenses_cents = sum(e.amount_cents for e in expenses if e.organisation_id is None)
    item.attributed_expenses_cents = sum(e.amount_cents for e in expenses if e.organisation_id is not None)
    item.minutes = sum(validated.values())
    ordered = sorted(
        set(validated) | {e.organisation_id for e in expenses if e.organisation_id},
        key=lambda pk: (organisations[pk].name, pk),
    )
    weights = {pk: validated.get(pk, 0) for pk in ordered}
    if item.unvalidated_minutes:
        weights[UNVALIDATED] = item.unvalidated_minutes
    # No minute at all: nothing to share on, the pool stays with the employer.
    parts = apportion(item.pool_cents, weights) if any(weights.values()) else dict.fromkeys(weights, 0)
    item.unvalidated_cents = parts.get(UNVALIDATED, 0)
    for pk in ordered:
        own = [e for e in expenses if e.organisation_id == pk]
        item.shares.append(
            Share(
                organisation=organisations[pk],
                minutes=validated.get(pk, 0),
                share_cents=parts[pk],
                expenses_cents=sum(e.amount_cents for e in own),
                expenses=own,
                to_employer=pk == employee.employer_id,
            )
        )
    return item


# --- The invoice's wording: always French, as the invoice is a legal record ----------------------


def _month_words(month: dt.date) -> str:
    with translation.override("fr"):
        return formats.date_format(month, "F Y")


def _lines(item: EmployeeMonth, share: Share) -> list[LineData]:
    employee = item.employee
    lines = []
    if share.share_cents > 0:
        label = (
            f"Mise à disposition de {employee.full_name} ({employee.job_title}), {_month_words(item.month)} : "
            f"{format_hours(share.minutes, 'fr')} sur {format_hours(item.minutes + item.unvalidated_minutes, 'fr')}"
        )
        lines.append(_line(label, share.share_cents))
    for expense in share.expenses:
        on = expense.spent_on.strftime("%d/%m/%Y")
        lines.append(_line(f"Frais du {on} : {expense.label}", expense.amount_cents))
    return lines


def _line(label: str, cents: int) -> LineData:
    return LineData(
        label=label[:200],
        quantity=Decimal(1),
        unit_price_cents=cents,
        vat_rate=0,
        vat_exemption=Exemption.COST_SHARING,
    )


def _notes(item: EmployeeMonth) -> str:
    parts = [
        f"Refacturation du personnel partagé, {_month_words(item.month)} : coût du mois (salaire brut, "
        "cotisations patronales, frais de fonctionnement)"
        + (", frais partagés" if item.shared_expenses_cents else "")
        + " réparti au prorata des heures validées de chaque structure.",
        "Détail des heures en annexe. TVA non applicable, art. 261 B du CGI.",
    ]
    return " ".join(parts)
