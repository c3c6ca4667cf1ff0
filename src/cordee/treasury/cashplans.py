"""Each member's twelve-month cash-flow plan (*plan de trésorerie*), and the advance it calls for.

A plan is an opening cash balance and lines: money expected in (a subsidy, sales, fees…) or out
(salaries, rent…) in one month, always a positive amount in cents; the category says the
direction. The plan covers twelve months from its first month. A spreadsheet row ("salaries,
5 000 € every month") is a *row* here: the lines sharing a category, a label and a funder.

The closing cash of a month is the opening cash plus every inflow minus every outflow up to and
including that month. The months whose closing cash is negative are the *gap months*; the first
run of consecutive gap months is *the gap*. The proposal bridges the gap:

- amount: the deepest shortfall of the gap, rounded up to the next 100 €, so that the cash stays at
  or above zero over the gap when the advance arrives at its start;
- source: the subsidy that ends it, i.e. the first subsidy line falling after the first gap month
  and not before the gap's last month (several in that month: the largest, which can best repay);
- repayment in one payment ("bullet") when that subsidy is paid, expected on the 15th of its
  month (the plan knows months, not days: the middle of the month is the neutral guess), so the
  term is the number of months from the first gap month to the subsidy's month, one at least;
- no subsidy after the gap: twelve equal instalments, and the proposal says so.

Writes are services (one durable transaction each, audited); reads are plain functions of a plan
and its lines, so they can be checked without a database.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.core.money import format_cents
from cordee.lib.text import fold
from cordee.network.models import Organisation
from cordee.treasury.models import Advance, CashPlan, CashPlanLine, RepaymentMode

MONTHS = 12
MAX_CENTS = 10**12  # ten billion euros: beyond any member's budget, far below any overflow
MAX_TITLE = 120
MAX_LABEL = 200
MAX_IMPORT_ROWS = 300
ROUND_TO_CENTS = 100_00  # the proposal is rounded up to the next 100 €
INSTALMENT_TERM = 12
PAYMENT_DAY = 15
Category = CashPlanLine.Category
OPENING = "opening"  # the import's row for the opening cash


# --- Permissions ------------------------------------------------------------------------------
can_use_cash_plans = permissions.can_use_cash_plans
can_start_cash_plans = permissions.can_start_cash_plans


# --- Months and amounts -------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    years, index = divmod(month.month - 1 + count, 12)
    return dt.date(month.year + years, index + 1, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def plan_month_list(plan: CashPlan) -> list[dt.date]:
    return [add_months(plan.first_month, index) for index in range(MONTHS)]


def month_label(month: dt.date) -> str:
    """ "décembre 2026" in French, "December 2026" in English."""
    return date_format(month, "F Y")


class AmountError(DomainError):
    pass


_NO_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_AMOUNT = re.compile(r"-?\d+(\.\d+)?")
_FLOAT_NOISE = Decimal("0.0001")  # of a cent: what a spreadsheet's binary floats add to 1234.56


def parse_euros(text: Any, *, allow_negative: bool = False) -> int:
    """Euros as people write them -> cents: "1 234,56", "1234.56", "1.234,56 €", "-150" (when
    allowed). More than two decimals is refused rather than rounded: "12,345" may be a mistyped
    12 345 €."""
    raw = str(text).strip()
    cleaned = raw.translate(_NO_SPACES).replace("\u2212", "-").replace("€", "").replace("EUR", "")
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    else:
        cleaned = cleaned.replace(",", ".")
    if not _AMOUNT.fullmatch(cleaned):
        raise AmountError(_("This is not an amount: write it in euros, like 1 234,56."), code="not_amount")
    cents = Decimal(cleaned) * 100
    whole = cents.to_integral_value()
    if abs(cents - whole) > _FLOAT_NOISE:
        raise AmountError(_("An amount has at most two decimals (cents)."), code="decimals")
    if whole < 0 and not allow_negative:
        raise AmountError(
            _("An amount cannot be negative: money going out goes in an outflow category."), code="negative"
        )
    if abs(whole) > MAX_CENTS:
        raise AmountError(_("This amount is too large."), code="too_large")
    return int(whole)


def euros_text(cents: int) -> str:
    """Cents as a plain number of euros for a URL or an input: 450000 -> "4500", 12345 -> "123.45"."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}" if rest == 0 else f"{sign}{whole}.{rest:02d}"


_MONTH_NAMES = {
    # French, full and abbreviated (folded: no accents), then English.
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})(-\d{1,2})?"), "numbers"),  # 2026-12, 2026-12-01
    (re.compile(r"(\d{1,2}/)?(?P<month>\d{1,2})/(?P<year>\d{4})"), "numbers"),  # 12/2026, 01/12/2026
    (re.compile(r"(?P<name>[a-z]+)\.?[ -]?(?P<year>\d{4}|\d{2})"), "name"),  # déc. 2026, December 2026, déc-26
]


def parse_month(text: Any) -> dt.date:
    """A column header -> the 1st of its month. ISO "2026-12", French "12/2026", a date (a
    spreadsheet turns "12/2026" into 01/12/2026) or a month name: "déc. 2026", "December 2026"."""
    folded = fold(str(text))
    for pattern, kind in _MONTH_PATTERNS:
        match = pattern.fullmatch(folded)
        if match is None:
            continue
        year = int(match["year"])
        year = year + 2000 if year < 100 else year
        month = _MONTH_NAMES.get(match["name"], 0) if kind == "name" else int(match["month"])
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return dt.date(year, month, 1)
    raise ValueError(text)


# --- Reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    opening_cents: int
    inflows_cents: int
    outflows_cents: int
    closing_cents: int
    by_category: dict[str, int]

    @property
    def net_cents(self) -> int:
        return self.inflows_cents - self.outflows_cents

    @property
    def is_negative(self) -> bool:
        return self.closing_cents < 0


def _lines_of(plan: CashPlan, lines: Iterable[CashPlanLine] | None) -> list[CashPlanLine]:
    return list(plan.lines.all() if lines is None else lines)


def plan_months(plan: CashPlan, lines: Iterable[CashPlanLine] | None = None) -> list[MonthRow]:
    """The twelve months: what comes in and goes out, by category, and the cash at each month's end.
    `lines` defaults to the plan's (prefetched ones are used)."""
    per_month: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in _lines_of(plan, lines):
        per_month[line.month][line.category] += line.amount_cents
    rows = []
    cash = plan.opening_cash_cents
    for month in plan_month_list(plan):
        by_category = dict(per_month.get(month, {}))
        inflows = sum(amount for category, amount in by_category.items() if category in CashPlanLine.INFLOWS)
        outflows = sum(amount for category, amount in by_category.items() if category not in CashPlanLine.INFLOWS)
        opening, cash = cash, cash + inflows - outflows
        rows.append(MonthRow(month, opening, inflows, outflows, cash, by_category))
    return rows


def gaps(plan: CashPlan, months: Sequence[MonthRow] | None = None) -> list[MonthRow]:
    """The months whose closing cash is negative."""
    return [row for row in (months if months is not None else plan_months(plan)) if row.is_negative]


def _first_gap(months: Sequence[MonthRow]) -> list[MonthRow]:
    run: list[MonthRow] = []
    for row in months:
        if row.is_negative:
            run.append(row)
        elif run:
            break
    return run


@dataclass(frozen=True)
class Proposal:
    amount_cents: int
    mode: str  # a RepaymentMode
    source: str  # an Advance.Source
    term_months: int
    first_gap_month: dt.date
    last_gap_month: dt.date
    shortfall_cents: int  # the deepest negative closing cash of the gap, as a positive number
    subsidy: CashPlanLine | None
    funder: str
    notified_amount_cents: int | None
    expected_payment_on: dt.date | None
    purpose: str
    later_gaps: bool  # the cash goes negative again after the gap: this advance does not cover it

    @property
    def bridges_subsidy(self) -> bool:
        return self.subsidy is not None

    @property
    def exceeds_subsidy(self) -> bool:
        return self.notified_amount_cents is not None and self.amount_cents > self.notified_amount_cents


def round_up(cents: int, step: int = ROUND_TO_CENTS) -> int:
    return -(-cents // step) * step


def proposed_advance(
    plan: CashPlan, lines: Iterable[CashPlanLine] | None = None, months: Sequence[MonthRow] | None = None
) -> Proposal | None:
    """The advance that would cover the plan's first gap; None when the cash never goes negative."""
    lines = _lines_of(plan, lines)
    months = months if months is not None else plan_months(plan, lines)
    gap = _first_gap(months)
    if not gap:
        return None
    first, last = gap[0].month, gap[-1].month
    shortfall = -min(row.closing_cents for row in gap)
    amount = round_up(shortfall)
    later_gaps = any(row.is_negative and row.month > last for row in months)
    subsidies = [
        line for line in lines if line.category == Category.SUBSIDY and line.month > first and line.month >= last
    ]
    values = {
        "first": month_label(first),
        "last": month_label(last),
        "low": format_cents(-shortfall),
        "plan": plan.title,
    }
    if not subsidies:
        return Proposal(
            amount_cents=amount,
            mode=RepaymentMode.ANNUITY,
            source=Advance.Source.OTHER,
            term_months=INSTALMENT_TERM,
            first_gap_month=first,
            last_gap_month=last,
            shortfall_cents=shortfall,
            subsidy=None,
            funder="",
            notified_amount_cents=None,
            expected_payment_on=None,
            purpose=_(
                "Cover the cash gap from %(first)s to %(last)s (lowest point %(low)s in the plan “%(plan)s”), "
                "repaid in 12 equal monthly instalments: the plan expects no subsidy after the gap."
            )
            % values,
            later_gaps=later_gaps,
        )
    month = min(line.month for line in subsidies)
    subsidy = min(
        (line for line in subsidies if line.month == month), key=lambda line: (-line.amount_cents, line.pk or 0)
    )
    funder = subsidy.funder or subsidy.label
    return Proposal(
        amount_cents=amount,
        mode=RepaymentMode.BULLET,
        source=Advance.Source.SUBSIDY,
        term_months=max(1, months_between(first, month)),
        first_gap_month=first,
        last_gap_month=last,
        shortfall_cents=shortfall,
        subsidy=subsidy,
        funder=funder,
        notified_amount_cents=subsidy.amount_cents,
        expected_payment_on=month.replace(day=PAYMENT_DAY),
        purpose=_(
            "Cover the cash gap from %(first)s to %(last)s (lowest point %(low)s in the plan “%(plan)s”), "
            "repaid when the subsidy of %(funder)s arrives in %(month)s."
        )
        % {**values, "funder": funder, "month": month_label(month)},
        later_gaps=later_gaps,
    )


def proposal_query(proposal: Proposal, organisation: Organisation) -> str:
    """The query string that pre-fills the advance request with the proposal (euros, ISO dates)."""
    params: dict[str, Any] = {
        "organisation": organisation.pk,
        "amount": euros_text(proposal.amount_cents),
        "source": proposal.source,
        "funder": proposal.funder,
        "notified_amount": (
            euros_text(proposal.notified_amount_cents) if proposal.notified_amount_cents is not None else ""
        ),
        "expected_payment_on": proposal.expected_payment_on.isoformat() if proposal.expected_payment_on else "",
        "term_months": proposal.term_months,
        "mode": proposal.mode,
        "purpose": proposal.purpose,
    }
    return urlencode({key: value for key, value in params.items() if value != ""})


def advance_request_url(proposal: Proposal, organisation: Organisation) -> str | None:
    """The advance request page, pre-filled; None while that page does not exist."""
    try:
        base = reverse("treasury:advance_request")
    except NoReverseMatch:
        return None
    return f"{base}?{proposal_query(proposal, organisation)}"


@dataclass(frozen=True)
class RowKey:
    category: str
    label: str
    funder: str

    @classmethod
    def of(cls, line: CashPlanLine) -> RowKey:
        return cls(line.category, line.label, line.funder)

    def lines_filter(self) -> Q:
        return Q(category=self.category, label=self.label, funder=self.funder)


@dataclass
class PlanRow:
    """A spreadsheet row of the plan: its lines sharing category, label and funder, month by month."""

    key: RowKey
    amounts: list[int]  # twelve, in cents, 0 where nothing
    line_pk: int  # one of its lines: names the row in a URL

    @property
    def total_cents(self) -> int:
        return sum(self.amounts)

    @property
    def is_inflow(self) -> bool:
        return self.key.category in CashPlanLine.INFLOWS

    @property
    def category_label(self) -> str:
        return str(Category(self.key.category).label)


_CATEGORY_ORDER = {value: index for index, value in enumerate(Category.values)}


def plan_rows(plan: CashPlan, lines: Iterable[CashPlanLine] | None = None) -> list[PlanRow]:
    months = plan_month_list(plan)
    index = {month: position for position, month in enumerate(months)}
    rows: dict[RowKey, PlanRow] = {}
    for line in _lines_of(plan, lines):
        key = RowKey.of(line)
        row = rows.setdefault(key, PlanRow(key, [0] * MONTHS, line.pk))
        if line.month in index:
            row.amounts[index[line.month]] += line.amount_cents
    return sorted(rows.values(), key=lambda row: (_CATEGORY_ORDER[row.key.category], fold(row.key.label)))


def plans_for_user(user: Any) -> QuerySet[CashPlan]:
    """The plans this user may see, with their organisation and lines (for the list's figures)."""
    plans = CashPlan.objects.select_related("organisation").prefetch_related("lines")
    if permissions.can_see_pool(user):
        return plans.order_by("organisation__sort_name", "-first_month", "-pk")
    return plans.filter(organisation_id__in=permissions.treasury_organisations(user)).order_by(
        "organisation__sort_name", "-first_month", "-pk"
    )


def get_plan_for_user(user: Any, pk: int) -> CashPlan:
    """The plan if this user may see it; 404 otherwise (its existence is not revealed)."""
    plan = CashPlan.objects.select_related("organisation").filter(pk=pk).first()
    if plan is None or not permissions.can_see_treasury_of(user, plan.organisation_id):
        raise Http404
    return plan


def plan_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations this user may keep plans for."""
    return Organisation.objects.filter(pk__in=permissions.treasury_organisations(user)).order_by("sort_name")


# --- Writes -----------------------------------------------------------------------------------


def _check_may_act(actor: User, organisation_id: int) -> None:
    if not permissions.can_act_for_treasury_of(actor, organisation_id):
        raise NotAllowed(_("Only the member admins of this organisation keep its cash-flow plans."))


def _check_cents(value: Any, *, field: str, allow_negative: bool = False) -> int:
    # Money is integer cents: a float or a Decimal here is a caller's bug, said plainly.
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("An amount is a whole number of cents."), field=field)
    if value <= 0 and not allow_negative:
        raise DomainError(_("An amount is more than zero."), field=field)
    if abs(value) > MAX_CENTS:
        raise DomainError(_("This amount is too large."), field=field)
    return value


def _clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise DomainError(_("This field is required."), field=field)
    if len(text) > max_length:
        raise DomainError(
            _("At most %(count)s characters (it has %(length)s).") % {"count": max_length, "length": len(text)},
            field=field,
        )
    return text


def _check_category(category: str) -> str:
    if category not in Category.values:
        raise DomainError(_("Unknown category."), field="category")
    return category


def _check_month(plan: CashPlan, month: dt.date, *, field: str = "month") -> dt.date:
    first = plan.first_month
    if month.day != 1 or not first <= month <= add_months(first, MONTHS - 1):
        raise DomainError(
            _("The plan covers the twelve months from %(first)s to %(last)s.")
            % {"first": month_label(first), "last": month_label(add_months(first, MONTHS - 1))},
            field=field,
        )
    return month


def _locked(plan: CashPlan) -> CashPlan:
    return CashPlan.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=plan.pk)


def _touch(plan: CashPlan) -> None:
    plan.save(update_fields=["updated_at"])


@transaction.atomic(durable=True)
def plan_create(
    *, actor: User, organisation: Organisation, title: str, first_month: dt.date, opening_cash_cents: int
) -> CashPlan:
    """A new, empty plan over the twelve months from `first_month` (any day of it)."""
    _check_may_act(actor, organisation.pk)
    plan = CashPlan.objects.create(
        organisation=organisation,
        title=_clean_text(title, field="title", max_length=MAX_TITLE),
        first_month=month_start(first_month),
        opening_cash_cents=_check_cents(opening_cash_cents, field="opening_cash", allow_negative=True),
        created_by=actor,
    )
    audit(actor=actor, action="cashplan.create", target=plan, opening_cash=plan.opening_cash_cents)
    return plan


@transaction.atomic(durable=True)
def plan_update(*, actor: User, plan: CashPlan, title: str, first_month: dt.date, opening_cash_cents: int) -> CashPlan:
    """Rename the plan, change its opening cash, or move its twelve months as long as no line
    falls outside them."""
    plan = _locked(plan)
    _check_may_act(actor, plan.organisation_id)
    first_month = month_start(first_month)
    last_month = add_months(first_month, MONTHS - 1)
    outside = plan.lines.exclude(month__gte=first_month, month__lte=last_month).count()
    if outside:
        raise DomainError(
            ngettext(
                "%(count)s line falls outside the twelve months from %(first)s: remove it first.",
                "%(count)s lines fall outside the twelve months from %(first)s: remove them first.",
                outside,
            )
            % {"count": outside, "first": month_label(first_month)},
            field="first_month",
        )
    plan.title = _clean_text(title, field="title", max_length=MAX_TITLE)
    plan.first_month = first_month
    plan.opening_cash_cents = _check_cents(opening_cash_cents, field="opening_cash", allow_negative=True)
    plan.save(update_fields=["title", "first_month", "opening_cash_cents", "updated_at"])
    audit(actor=actor, action="cashplan.update", target=plan, opening_cash=plan.opening_cash_cents)
    return plan


@transaction.atomic(durable=True)
def line_add(
    *,
    actor: User,
    plan: CashPlan,
    category: str,
    label: str,
    month: dt.date,
    amount_cents: int,
    funder: str = "",
) -> CashPlanLine:
    plan = _locked(plan)
    _check_may_act(actor, plan.organisation_id)
    line = CashPlanLine.objects.create(
        plan=plan,
        category=_check_category(category),
        label=_clean_text(label, field="label", max_length=MAX_LABEL),
        funder=_clean_text(funder, field="funder", max_length=MAX_LABEL, required=False),
        month=_check_month(plan, month),
        amount_cents=_check_cents(amount_cents, field="amount"),
    )
    _touch(plan)
    audit(
        actor=actor,
        action="cashplan.line_add",
        target=plan,
        category=line.category,
        month=line.month.isoformat(),
        amount=line.amount_cents,
    )
    return line


@transaction.atomic(durable=True)
def line_remove(*, actor: User, line: CashPlanLine, whole_row: bool = False) -> int:
    """Remove a line, or every line of its row; the number of lines removed."""
    plan = _locked(line.plan)
    _check_may_act(actor, plan.organisation_id)
    lines = plan.lines.filter(RowKey.of(line).lines_filter()) if whole_row else plan.lines.filter(pk=line.pk)
    removed, _detail = lines.delete()
    _touch(plan)
    audit(
        actor=actor,
        action="cashplan.line_remove",
        target=plan,
        category=line.category,
        label=line.label,
        lines=removed,
    )
    return removed


@transaction.atomic(durable=True)
def lines_set_month_grid(
    *,
    actor: User,
    plan: CashPlan,
    category: str,
    label: str,
    amounts: Mapping[dt.date, int],
    funder: str = "",
    replaces: RowKey | None = None,
) -> list[CashPlanLine]:
    """Write one row of the grid: its amount for each month (0 or absent: nothing that month).
    The row's lines are replaced, and those of `replaces`, the row being edited (its category,
    label or funder may have changed). All zeros removes the row."""
    plan = _locked(plan)
    _check_may_act(actor, plan.organisation_id)
    key = RowKey(
        _check_category(category),
        _clean_text(label, field="label", max_length=MAX_LABEL),
        _clean_text(funder, field="funder", max_length=MAX_LABEL, required=False),
    )
    new_lines = []
    for month, cents in sorted(amounts.items()):
        _check_month(plan, month, field=f"month_{months_between(plan.first_month, month)}")
        if cents == 0:
            continue
        _check_cents(cents, field=f"month_{months_between(plan.first_month, month)}")
        new_lines.append(
            CashPlanLine(
                plan=plan, category=key.category, label=key.label, funder=key.funder, month=month, amount_cents=cents
            )
        )
    replaced = key.lines_filter() | (replaces.lines_filter() if replaces else Q(pk__in=[]))
    plan.lines.filter(replaced).delete()
    created = CashPlanLine.objects.bulk_create(new_lines)
    _touch(plan)
    audit(
        actor=actor,
        action="cashplan.grid_set",
        target=plan,
        category=key.category,
        label=key.label,
        total=sum(line.amount_cents for line in created),
    )
    return created


# --- Import and the spreadsheet template ------------------------------------------------------

_HEADERS = {
    "category": ("category", "categorie", "type", "nature"),
    "label": ("label", "libelle", "intitule", "poste", "description"),
    "funder": ("funder", "financeur", "payeur", "organisme"),
}
_CATEGORY_ALIASES = {
    Category.SUBSIDY: ("subvention", "subventions", "aide", "aides", "grant", "grants", "subsidies"),
    Category.SALES: ("ventes", "vente", "prestations", "chiffre d'affaires", "sales", "services"),
    Category.FEES: ("cotisations", "cotisation", "dons", "fees", "donations"),
    Category.OTHER_IN: ("autre entree", "autres entrees", "autres recettes", "other income", "other inflow"),
    Category.SALARIES: ("salaires", "salaire", "charges sociales", "salaries", "wages"),
    Category.RENT: ("loyer", "loyers", "loyer et charges", "rent"),
    Category.PURCHASES: ("achats", "achat", "fournitures", "purchases"),
    Category.REPAYMENTS: ("remboursements", "remboursement d'emprunt", "emprunts", "repayments"),
    Category.OTHER_OUT: ("autre sortie", "autres sorties", "autres depenses", "other outflow", "other expenses"),
    OPENING: (
        "opening",
        "opening cash",
        "tresorerie au debut",
        "tresorerie de depart",
        "tresorerie initiale",
        "solde initial",
        "solde de depart",
    ),
}


def _opening_label() -> str:
    return _("Opening cash")


@cache
def _names() -> dict[str, str]:
    """Folded spelling -> a category's code, OPENING, or "column:<name>": the codes, the aliases,
    and the labels in every language of the site (what the template file wrote, in any language)."""
    names = {code: code for code in [*Category.values, OPENING]}
    for language, _language_name in settings.LANGUAGES:
        with translation.override(language):
            names.update({fold(str(label)): value for value, label in Category.choices})
            names[fold(_opening_label())] = OPENING
            for column, title in (("category", _("Category")), ("label", _("Label")), ("funder", _("Funder"))):
                names[fold(title)] = f"column:{column}"
    for value, aliases in _CATEGORY_ALIASES.items():
        names.update(dict.fromkeys(aliases, value))
    for column, aliases in _HEADERS.items():
        names.update(dict.fromkeys(aliases, f"column:{column}"))
    return names


def _category_of(text: str) -> str | None:
    value = _names().get(fold(text))
    return None if value is None or value.startswith("column:") else value


def _header_of(text: str) -> str | None:
    value = _names().get(fold(text), "")
    return value.removeprefix("column:") if value.startswith("column:") else None


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA", as a spreadsheet names its columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the letter, as the spreadsheet shows it
    header: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.column} ({self.header})" if self.header else self.column
        return _("Row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row,
            "column": where,
            "reason": self.reason,
        }


class PlanImportError(DomainError):
    """The file was refused: every bad cell is in `errors`, and nothing was written."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(
            ngettext(
                "%(count)s cell refused: nothing was imported.",
                "%(count)s cells refused: nothing was imported.",
                len(errors),
            )
            % {"count": len(errors)},
            field="file",
        )
        self.errors = errors


@dataclass
class ParsedPlan:
    first_month: dt.date
    opening_cash_cents: int = 0
    lines: list[tuple[RowKey, dt.date, int]] = field(default_factory=list)


def _read_table(content: bytes) -> list[tuple[int, list[str]]]:
    """The (row number, cells) of the file's first sheet, header first, numbered as a spreadsheet does."""
    from cordee.network.importing import FileError, read_rows

    # A zip (the XLSX container) whatever the file's name; anything else is read as CSV text.
    is_xlsx = content[:4] == b"PK\x03\x04"
    try:
        header, body, _total = read_rows(content, "plan.xlsx" if is_xlsx else "plan.csv")
    except FileError as exc:
        raise PlanImportError([CellError(1, "A", "", "", exc.message)]) from exc
    return [
        (1, [str(cell or "").strip() for cell in header]),
        *((n, [str(c or "").strip() for c in cells]) for n, cells in body),
    ]


class _PlanFile:
    """One pass over a plan file that collects every refused cell rather than stopping at the first."""

    def __init__(self, table: list[tuple[int, list[str]]]) -> None:
        self.table = table
        self.header = table[0][1]
        self.errors: list[CellError] = []
        self.columns: dict[str, int] = {}  # category, label, funder -> index
        self.months: dict[int, dt.date] = {}  # index -> month
        self.opening_row: int | None = None

    def refuse(self, row: int, index: int | None, value: str, reason: str, header: str = "") -> None:
        if index is not None:
            header = self.header[index] if index < len(self.header) else ""
        column = column_letter(index) if index is not None else ""
        self.errors.append(CellError(row, column, header, value, reason))

    def read_header(self) -> None:
        for index, title in enumerate(self.header):
            if not title:
                continue
            name = _header_of(title)
            if name is not None:
                if name in self.columns:
                    self.refuse(1, index, title, _("This column appears twice."))
                self.columns[name] = index
                continue
            try:
                month = parse_month(title)
            except ValueError:
                self.refuse(1, index, title, _("Unknown column: months are headed 2026-12, 12/2026 or déc. 2026; "
                                               "the other columns are category, label and funder."))  # fmt: skip
                continue
            if month in self.months.values():
                self.refuse(1, index, title, _("This month appears twice."))
            self.months[index] = month
        for name in ("category", "label"):
            if name not in self.columns:
                self.refuse(1, None, "", _("This required column is missing."), header=name)
        if not self.months:
            self.refuse(1, None, "", _("No column of months: head them 2026-12 or 12/2026."))
            return
        first, last = self.first_month, add_months(self.first_month, MONTHS - 1)
        for index, month in self.months.items():
            if month > last:
                self.refuse(
                    1,
                    index,
                    self.header[index],
                    _("A plan covers twelve months: from %(first)s to %(last)s here.")
                    % {"first": month_label(first), "last": month_label(last)},
                )
        if len(self.table) - 1 > MAX_IMPORT_ROWS:
            self.refuse(MAX_IMPORT_ROWS + 2, None, "", _("At most %(count)s rows.") % {"count": MAX_IMPORT_ROWS})

    @property
    def first_month(self) -> dt.date:
        return min(self.months.values())

    def read_row(self, number: int, cells: list[str], parsed: ParsedPlan) -> None:
        def cell(index: int | None) -> str:
            return " ".join(cells[index].split()) if index is not None and index < len(cells) else ""

        known = {*self.months, *self.columns.values()}
        for index, text in enumerate(cells):
            if text and index not in known:
                self.refuse(number, index, text, _("This cell is outside the plan's columns."))
        category_index = self.columns["category"]
        category_text = cell(category_index)
        category = _category_of(category_text) if category_text else None
        if category_text and category is None:
            names = ", ".join([*(str(label) for label in Category.labels), _opening_label()])
            self.refuse(
                number, category_index, category_text, _("Unknown category: use one of %(names)s.") % {"names": names}
            )
            return
        filled = [(index, month, cell(index)) for index, month in sorted(self.months.items(), key=lambda m: m[1])]
        filled = [(index, month, text) for index, month, text in filled if text]
        if not filled:
            return  # a row of the template left empty
        if category is None:
            self.refuse(number, category_index, "", _("The category is required when the row has amounts."))
        elif category == OPENING:
            self._read_opening(number, category_index, category_text, filled, parsed)
        else:
            key = RowKey(category, cell(self.columns["label"]), cell(self.columns.get("funder")))
            self._check_texts(number, key)
            for index, month, text in filled:
                try:
                    cents = parse_euros(text)
                except AmountError as exc:
                    self.refuse(number, index, text, exc.message)
                    continue
                if cents:
                    parsed.lines.append((key, month, cents))

    def _check_texts(self, number: int, key: RowKey) -> None:
        too_long = _("At most %(count)s characters.") % {"count": MAX_LABEL}
        if not key.label:
            self.refuse(number, self.columns["label"], "", _("The label is required when the row has amounts."))
        elif len(key.label) > MAX_LABEL:
            self.refuse(number, self.columns["label"], key.label, too_long)
        if len(key.funder) > MAX_LABEL:
            self.refuse(number, self.columns["funder"], key.funder, too_long)

    def _read_opening(
        self, number: int, index: int, text: str, filled: list[tuple[int, dt.date, str]], parsed: ParsedPlan
    ) -> None:
        if self.opening_row is not None:
            self.refuse(
                number, index, text, _("The opening cash is given once, in row %(row)s.") % {"row": self.opening_row}
            )
            return
        self.opening_row = number
        for month_index, month, amount in filled:
            if month != self.first_month:
                self.refuse(number, month_index, amount, _("The opening cash goes under the first month only."))
                continue
            try:
                parsed.opening_cash_cents = parse_euros(amount, allow_negative=True)
            except AmountError as exc:
                self.refuse(number, month_index, amount, exc.message)


def parse_plan_file(content: bytes) -> ParsedPlan:
    """Check every cell of a plan file: the plan's content, or PlanImportError with every refused cell.

    The layout: a header row, then one row per plan row. Columns "category", "label", "funder"
    (French or English names), then one column per month, headed "2026-12", "12/2026" or
    "déc. 2026", at most twelve months from the first. Amounts are euros, "1 234,56" or
    1234.56, positive; an empty cell is nothing that month. The row of category "opening cash"
    gives the cash at the start, under the first month (it may be negative)."""
    reader = _PlanFile(_read_table(content))
    reader.read_header()
    if reader.errors:
        raise PlanImportError(reader.errors)
    parsed = ParsedPlan(first_month=reader.first_month)
    for number, cells in reader.table[1:]:
        reader.read_row(number, cells, parsed)
    if reader.errors:
        raise PlanImportError(reader.errors)
    return parsed


@transaction.atomic(durable=True)
def _plan_import_write(*, actor: User, organisation: Organisation, title: str, parsed: ParsedPlan) -> CashPlan:
    plan = CashPlan.objects.create(
        organisation=organisation,
        title=title,
        first_month=parsed.first_month,
        opening_cash_cents=parsed.opening_cash_cents,
        created_by=actor,
    )
    CashPlanLine.objects.bulk_create(
        CashPlanLine(
            plan=plan, category=key.category, label=key.label, funder=key.funder, month=month, amount_cents=cents
        )
        for key, month, cents in parsed.lines
    )
    audit(actor=actor, action="cashplan.import", target=plan, lines=len(parsed.lines))
    return plan


def plan_import(*, actor: User, organisation: Organisation, file: Any, title: str) -> CashPlan:
    """A new plan from a CSV or XLSX file (layout: `parse_plan_file`). Every cell is checked first:
    one refused cell and nothing is written (PlanImportError lists them all)."""
    _check_may_act(actor, organisation.pk)
    title = _clean_text(title, field="title", max_length=MAX_TITLE)
    content = file.read() if hasattr(file, "read") else bytes(file)
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise DomainError(
            _("The file must weigh at most %(size)s MB.") % {"size": settings.IMPORT_MAX_BYTES // 1_048_576},
            field="file",
        )
    parsed = parse_plan_file(content)
    return _plan_import_write(actor=actor, organisation=organisation, title=title, parsed=parsed)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_workbook(plan: CashPlan | None = None, *, first_month: dt.date | None = None) -> bytes:
    """The XLSX that `plan_import` reads: blank (one empty row per category) from `first_month`,
    or filled with a plan's rows, so that a plan can be taken out, changed and brought back."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    start = plan.first_month if plan is not None else month_start(first_month or timezone.localdate())
    months = [add_months(start, index) for index in range(MONTHS)]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Plan")[:31]
    sheet.append([_("Category"), _("Label"), _("Funder"), *(f"{month:%Y-%m}" for month in months)])
    opening = Decimal(plan.opening_cash_cents).scaleb(-2) if plan is not None else None
    sheet.append([_opening_label(), _("Cash in the bank on the first day"), "", opening])
    if plan is not None:
        for row in plan_rows(plan):
            amounts = [Decimal(cents).scaleb(-2) if cents else None for cents in row.amounts]
            sheet.append([row.category_label, row.key.label, row.key.funder, *amounts])
    else:
        for _value, label in Category.choices:
            sheet.append([str(label), "", ""])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells in sheet.iter_rows(min_row=2, min_col=4, max_col=3 + MONTHS):
        for cell in cells:
            cell.number_format = "#,##0.00"
    sheet.freeze_panes = "D2"
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 32
    sheet.column_dimensions["C"].width = 22
    for index in range(3, 3 + MONTHS):
        sheet.column_dimensions[column_letter(index)].width = 12

    help_sheet = workbook.create_sheet(_("Help")[:31])
    help_sheet.append([_("Category"), _("Direction"), _("Code")])
    for value, label in Category.choices:
        direction = _("in") if value in CashPlanLine.INFLOWS else _("out")
        help_sheet.append([str(label), direction, value])
    help_sheet.append([_opening_label(), _("start"), OPENING])
    help_sheet.append([])
    for text in (
        _("One row per line of the plan: category, label, funder (for a subsidy), then the amount of each month."),
        _("Amounts in euros, positive, like 1 234,56; an empty cell means nothing that month."),
        _("Months head their column: 2026-12, 12/2026 or déc. 2026, twelve at most from the first."),
        _("The opening cash goes under the first month; it may be negative if the account is overdrawn."),
        _("Every cell is checked: if one is refused, nothing is imported and each refusal is listed."),
    ):
        help_sheet.append([text])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    help_sheet.column_dimensions["A"].width = 34
    choices = len(Category.choices) + 2
    validation = DataValidation(
        type="list", formula1=f"'{help_sheet.title}'!$A$2:$A${choices}", allow_blank=True, showErrorMessage=False
    )
    sheet.add_data_validation(validation)
    validation.add(f"A2:A{MAX_IMPORT_ROWS + 1}")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
