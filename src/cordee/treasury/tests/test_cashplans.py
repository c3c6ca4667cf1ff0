"""Cash-flow plans: worked examples a treasurer can check by hand, the proposal's rules, a
property test against a plain reference model, and the services' refusals.

The examples' months are January to December 2026; "m5" is the plan's fifth month, May 2026.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors
from cordee.treasury import cashplans
from cordee.treasury.cashplans import add_months, parse_euros, parse_month
from cordee.treasury.models import CashPlan, CashPlanLine

JAN = dt.date(2026, 1, 1)
EUR = 100  # cents in a euro


def m(number: int) -> dt.date:
    """The plan's month `number`, counted from 1."""
    return add_months(JAN, number - 1)


def plan_of(opening_euros: int | float, *rows: tuple[str, str, str, list[int], int]) -> tuple[CashPlan, list]:
    """An unsaved plan from January 2026 and its lines: (category, label, funder, months, euros)."""
    plan = CashPlan(title="Plan 2026", first_month=JAN, opening_cash_cents=round(opening_euros * EUR))
    lines = [
        CashPlanLine(plan=plan, category=category, label=label, funder=funder, month=m(month), amount_cents=euros * EUR)
        for category, label, funder, months, euros in rows
        for month in months
    ]
    return plan, lines


ALL_YEAR = list(range(1, 13))


def test_worked_example_salaries_bridged_by_a_subsidy_in_month_5() -> None:
    """Opening 2 000 €, salaries 5 000 € every month, a subsidy of 30 000 € in May.
    End of Jan: 2 000 - 5 000 = -3 000; Feb -8 000; Mar -13 000; Apr -18 000;
    May -23 000 + 30 000 = 7 000; Jun 2 000; Jul -3 000 … Dec -28 000."""
    plan, lines = plan_of(
        2000,
        ("salaries", "Salaires", "", ALL_YEAR, 5000),
        ("subsidy", "Subvention de fonctionnement", "Région Sud", [5], 30000),
    )
    months = cashplans.plan_months(plan, lines)
    assert [row.closing_cents // EUR for row in months] == [
        -3000, -8000, -13000, -18000, 7000, 2000, -3000, -8000, -13000, -18000, -23000, -28000,
    ]  # fmt: skip
    assert [row.month.month for row in cashplans.gaps(plan, months)] == [1, 2, 3, 4, 7, 8, 9, 10, 11, 12]
    assert months[4].inflows_cents == 30000 * EUR
    assert months[4].outflows_cents == 5000 * EUR
    assert months[4].by_category == {"salaries": 5000 * EUR, "subsidy": 30000 * EUR}

    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    assert proposal.shortfall_cents == 18000 * EUR
    assert proposal.amount_cents == 18000 * EUR  # already a multiple of 100 €
    assert (proposal.first_gap_month, proposal.last_gap_month) == (m(1), m(4))
    assert proposal.mode == "bullet"
    assert proposal.source == "subsidy"
    assert proposal.term_months == 4  # disbursed in January, repaid in May
    assert proposal.funder == "Région Sud"
    assert proposal.notified_amount_cents == 30000 * EUR
    assert proposal.expected_payment_on == dt.date(2026, 5, 15)
    assert proposal.later_gaps  # July to December are negative again: one advance does not cover them
    assert not proposal.exceeds_subsidy
    assert "Région Sud" in proposal.purpose


def test_worked_example_the_amount_is_rounded_up_to_the_next_100_euros() -> None:
    """Opening 1 234,56 €, rent 800 € a month, salaries 3 000 € in Jan–Mar, sales 800 € a month
    from April, a subsidy of 12 000 € in April. End of Jan: 1 234,56 - 3 800 = -2 565,44;
    Feb -6 365,44; Mar -10 165,44; Apr -10 165,44 - 800 + 800 + 12 000 = 1 834,56, then flat."""
    plan, lines = plan_of(
        1234.56,
        ("rent", "Loyer", "", ALL_YEAR, 800),
        ("salaries", "Salaires", "", [1, 2, 3], 3000),
        ("sales", "Ventes", "", list(range(4, 13)), 800),
        ("subsidy", "FDVA", "Département des Hautes-Alpes", [4], 12000),
    )
    months = cashplans.plan_months(plan, lines)
    assert [row.closing_cents for row in months[:4]] == [-256544, -636544, -1016544, 183456]
    assert all(row.closing_cents == 183456 for row in months[3:])
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    assert proposal.shortfall_cents == 1016544
    assert proposal.amount_cents == 1020000  # 10 165,44 € -> 10 200 €
    assert proposal.term_months == 3
    assert proposal.funder == "Département des Hautes-Alpes"
    assert proposal.expected_payment_on == dt.date(2026, 4, 15)
    assert not proposal.later_gaps


def test_a_subsidy_falling_inside_the_gap_is_not_the_one_that_repays() -> None:
    """Salaries 2 000 € in Jan–Jun, a small subsidy of 1 000 € in Feb (the cash stays negative),
    20 000 € from the State in June: the gap runs Jan–May, the June subsidy ends it."""
    plan, lines = plan_of(
        0,
        ("salaries", "Salaires", "", [1, 2, 3, 4, 5, 6], 2000),
        ("subsidy", "Aide au démarrage", "Commune", [2], 1000),
        ("subsidy", "FDVA", "État", [6], 20000),
    )
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    assert proposal.last_gap_month == m(5)
    assert proposal.amount_cents == 9000 * EUR
    assert proposal.funder == "État"
    assert proposal.term_months == 5


def test_a_subsidy_in_the_last_month_of_the_gap_repays_it() -> None:
    """Salaries 1 000 € in Jan–Mar, 2 500 € of subsidy in March leaves -500 €, sales bring April to
    +500 €: the gap ends in March and the March subsidy is the one."""
    plan, lines = plan_of(
        0,
        ("salaries", "Salaires", "", [1, 2, 3], 1000),
        ("subsidy", "Projet", "Commune de Gap", [3], 2500),
        ("sales", "Ventes", "", [4], 1000),
    )
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    assert (proposal.first_gap_month, proposal.last_gap_month) == (m(1), m(3))
    assert proposal.amount_cents == 2000 * EUR
    assert proposal.funder == "Commune de Gap"
    assert proposal.term_months == 2


def test_without_a_subsidy_after_the_gap_it_proposes_twelve_equal_instalments() -> None:
    plan, lines = plan_of(
        0,
        ("subsidy", "Solde 2025", "Région", [1], 200),  # before the gap: it cannot repay it
        ("rent", "Loyer", "", [1, 2], 500),
        ("sales", "Ventes", "", [3], 1500),
    )
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    assert proposal.amount_cents == 800 * EUR  # -300 then -800
    assert proposal.mode == "annuity"
    assert proposal.term_months == 12
    assert proposal.subsidy is None
    assert proposal.funder == ""
    assert proposal.notified_amount_cents is None
    assert proposal.expected_payment_on is None


def test_of_two_subsidies_in_the_same_month_the_larger_repays() -> None:
    plan, lines = plan_of(
        0,
        ("salaries", "Salaires", "", [1], 1000),
        ("subsidy", "Petite", "Commune", [2], 500),
        ("subsidy", "Grande", "Région", [2], 5000),
    )
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    assert proposal.funder == "Région"
    assert proposal.term_months == 1


def test_a_plan_that_stays_positive_proposes_nothing() -> None:
    plan, lines = plan_of(500, ("rent", "Loyer", "", ALL_YEAR, 40))
    assert cashplans.gaps(plan, cashplans.plan_months(plan, lines)) == []
    assert cashplans.proposed_advance(plan, lines) is None


def test_a_negative_opening_cash_is_a_gap_from_the_first_month() -> None:
    plan, lines = plan_of(-150, ("subsidy", "Solde", "Europe (FSE+)", [2], 1000))
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    assert proposal.amount_cents == 200 * EUR
    assert proposal.term_months == 1
    assert proposal.exceeds_subsidy is False


def test_the_proposal_warns_when_it_exceeds_the_subsidy() -> None:
    plan, lines = plan_of(
        0,
        ("salaries", "Salaires", "", [1, 2], 3000),
        ("subsidy", "Petite", "Commune", [3], 4000),
        ("sales", "Ventes", "", [3], 5000),
    )
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    assert proposal.amount_cents == 6000 * EUR
    assert proposal.exceeds_subsidy


@pytest.mark.django_db
def test_the_query_string_prefills_the_advance_request(actors: Actors) -> None:
    plan, lines = plan_of(
        2000,
        ("salaries", "Salaires", "", ALL_YEAR, 5000),
        ("subsidy", "Subvention", "Région Sud", [5], 30000),
    )
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    query = parse_qs(cashplans.proposal_query(proposal, actors.org_a))
    assert query == {
        "organisation": [str(actors.org_a.pk)],
        "amount": ["18000"],
        "source": ["subsidy"],
        "funder": ["Région Sud"],
        "notified_amount": ["30000"],
        "expected_payment_on": ["2026-05-15"],
        "term_months": ["4"],
        "mode": ["bullet"],
        "purpose": [proposal.purpose],
    }
    url = cashplans.advance_request_url(proposal, actors.org_a)
    assert url is not None
    assert url.startswith(reverse("treasury:advance_request") + "?organisation=")


def test_the_query_string_writes_cents_with_a_dot_and_leaves_out_what_is_unknown(db: None) -> None:
    plan, lines = plan_of(0, ("salaries", "Salaires", "", [1], 1000))
    lines.append(CashPlanLine(plan=plan, category="subsidy", label="S", funder="", month=m(2), amount_cents=1234567))
    proposal = cashplans.proposed_advance(plan, lines)
    assert proposal is not None
    organisation = type("Org", (), {"pk": 7})()
    query = parse_qs(cashplans.proposal_query(proposal, organisation))  # type: ignore[arg-type]
    assert query["notified_amount"] == ["12345.67"]
    assert query["funder"] == ["S"]  # no funder named: the subsidy's label stands for it
    instalments = cashplans.proposed_advance(*plan_of(0, ("rent", "Loyer", "", [1], 100)))
    assert instalments is not None
    query = parse_qs(cashplans.proposal_query(instalments, organisation))  # type: ignore[arg-type]
    assert set(query) == {"organisation", "amount", "source", "term_months", "mode", "purpose"}
    assert query["mode"] == ["annuity"] and query["term_months"] == ["12"]


# --- Reading amounts and months ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1 234,56", 123456),
        ("1\u202f234,56 €", 123456),
        ("1234.56", 123456),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("5000", 500000),
        ("0,5", 50),
        ("1234.5600000000002", 123456),  # a spreadsheet's binary float
    ],
)
def test_it_reads_euros_as_people_write_them(text: str, cents: int) -> None:
    assert parse_euros(text) == cents


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", "not_amount"),
        ("12,345", "decimals"),
        ("-10", "negative"),
        ("1.234.567,8.9", "not_amount"),
        ("", "not_amount"),
    ],
)
def test_it_refuses_what_is_not_an_amount(text: str, code: str) -> None:
    with pytest.raises(cashplans.AmountError) as refused:
        parse_euros(text)
    assert refused.value.code == code


def test_the_opening_cash_may_be_negative() -> None:
    assert parse_euros("\u22121 500", allow_negative=True) == -150000


@pytest.mark.parametrize(
    "text", ["2026-12", "2026-12-01", "12/2026", "01/12/2026", "déc. 2026", "décembre 2026", "Dec 2026", "déc-26"]
)
def test_it_reads_a_month_header(text: str) -> None:
    assert parse_month(text) == dt.date(2026, 12, 1)


@pytest.mark.parametrize("text", ["2026-13", "13/2026", "Libellé", "déc.", "1899-01"])
def test_it_refuses_what_is_not_a_month(text: str) -> None:
    with pytest.raises(ValueError):
        parse_month(text)


# --- Property: the proposal against a plain reference model -------------------------------------

CATEGORIES = CashPlanLine.Category.values
line_strategy = st.tuples(
    st.sampled_from(CATEGORIES), st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=5_000_000)
)


@settings(max_examples=300, deadline=None)
@given(opening=st.integers(min_value=-2_000_000, max_value=2_000_000), rows=st.lists(line_strategy, max_size=25))
def test_the_proposal_keeps_the_cash_at_or_above_zero_over_the_gap(opening: int, rows: list) -> None:
    plan = CashPlan(title="P", first_month=JAN, opening_cash_cents=opening)
    lines = [
        CashPlanLine(plan=plan, category=c, label="l", funder="", month=m(month), amount_cents=cents)
        for c, month, cents in rows
    ]
    # The reference: a running sum, month by month.
    cash, closing = opening, []
    for month in range(1, 13):
        for c, line_month, cents in rows:
            if line_month == month:
                cash += cents if c in CashPlanLine.INFLOWS else -cents
        closing.append(cash)
    months = cashplans.plan_months(plan, lines)
    assert [row.closing_cents for row in months] == closing

    proposal = cashplans.proposed_advance(plan, lines)
    if all(value >= 0 for value in closing):
        assert proposal is None
        return
    assert proposal is not None
    first = next(i for i, value in enumerate(closing) if value < 0)
    last = first
    while last + 1 < 12 and closing[last + 1] < 0:
        last += 1
    assert proposal.first_gap_month == m(first + 1)
    assert proposal.last_gap_month == m(last + 1)
    assert proposal.amount_cents % 10_000 == 0
    assert 0 <= proposal.amount_cents - proposal.shortfall_cents < 10_000
    assert all(closing[i] + proposal.amount_cents >= 0 for i in range(first, last + 1))
    assert proposal.term_months >= 1
    if proposal.subsidy is not None:
        assert proposal.subsidy.category == "subsidy"
        assert proposal.subsidy.month > proposal.first_gap_month
        assert proposal.subsidy.month >= proposal.last_gap_month
        earlier = [
            line
            for line in lines
            if line.category == "subsidy" and proposal.first_gap_month < line.month < proposal.subsidy.month
        ]
        assert all(line.month < proposal.last_gap_month for line in earlier)
    else:
        assert not any(
            c == "subsidy" and m(month) > proposal.first_gap_month and m(month) >= proposal.last_gap_month
            for c, month, _cents in rows
        )


# --- Services -------------------------------------------------------------------------------------


def _plan(actors: Actors, **kwargs: object) -> CashPlan:
    values: dict = {"title": "Plan 2026", "first_month": dt.date(2026, 1, 14), "opening_cash_cents": 200000}
    values.update(kwargs)
    return cashplans.plan_create(actor=actors.member_admin_a, organisation=actors.org_a, **values)


@pytest.mark.django_db
def test_a_member_admin_creates_a_plan_and_it_is_audited(actors: Actors) -> None:
    plan = _plan(actors, title="  Plan   2026 ")
    assert plan.first_month == JAN  # any day of the month stands for the month
    assert plan.title == "Plan 2026"
    assert plan.created_by == actors.member_admin_a
    assert AuditEvent.objects.filter(action="cashplan.create", target_id=str(plan.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member_user_a", "member_admin_b", "treasurer", "coordinator", "outsider"])
def test_only_the_organisations_member_admins_keep_its_plans(actors: Actors, who: str) -> None:
    with pytest.raises(NotAllowed):
        cashplans.plan_create(
            actor=getattr(actors, who),
            organisation=actors.org_a,
            title="Plan",
            first_month=JAN,
            opening_cash_cents=0,
        )
    plan = _plan(actors)
    with pytest.raises(NotAllowed):
        cashplans.line_add(
            actor=getattr(actors, who), plan=plan, category="rent", label="Loyer", month=JAN, amount_cents=100
        )
    assert not CashPlanLine.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"opening_cash_cents": 12.5}, "opening_cash"),
        ({"opening_cash_cents": 10**13}, "opening_cash"),
    ],
)
def test_it_refuses_a_bad_plan_head(actors: Actors, changes: dict, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        _plan(actors, **changes)
    assert refused.value.field == field
    assert not CashPlan.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"month": dt.date(2027, 1, 1)}, "month"),
        ({"month": dt.date(2025, 12, 1)}, "month"),
        ({"amount_cents": 0}, "amount"),
        ({"amount_cents": -500}, "amount"),
        ({"category": "bonus"}, "category"),
        ({"label": ""}, "label"),
    ],
)
def test_it_refuses_a_bad_line(actors: Actors, changes: dict, field: str) -> None:
    plan = _plan(actors)
    values: dict = {"category": "rent", "label": "Loyer", "month": dt.date(2026, 3, 1), "amount_cents": 80000}
    values.update(changes)
    with pytest.raises(DomainError) as refused:
        cashplans.line_add(actor=actors.member_admin_a, plan=plan, **values)
    assert refused.value.field == field
    assert not CashPlanLine.objects.exists()


@pytest.mark.django_db
def test_the_grid_writes_a_row_and_replaces_it_when_edited(actors: Actors) -> None:
    plan = _plan(actors)
    salaries = dict.fromkeys((m(i) for i in ALL_YEAR), 500000)
    cashplans.lines_set_month_grid(
        actor=actors.member_admin_a, plan=plan, category="salaries", label="Salaires", amounts=salaries
    )
    assert plan.lines.count() == 12
    # Edited: renamed, and nothing in August any more.
    cashplans.lines_set_month_grid(
        actor=actors.member_admin_a,
        plan=plan,
        category="salaries",
        label="Salaires et charges",
        amounts={**salaries, m(8): 0},
        replaces=cashplans.RowKey("salaries", "Salaires", ""),
    )
    assert plan.lines.count() == 11
    assert set(plan.lines.values_list("label", flat=True)) == {"Salaires et charges"}
    assert not plan.lines.filter(month=m(8)).exists()
    assert AuditEvent.objects.filter(action="cashplan.grid_set", target_id=str(plan.pk)).count() == 2


@pytest.mark.django_db
def test_the_grid_refuses_a_month_outside_the_plan_and_writes_nothing(actors: Actors) -> None:
    plan = _plan(actors)
    with pytest.raises(DomainError):
        cashplans.lines_set_month_grid(
            actor=actors.member_admin_a,
            plan=plan,
            category="rent",
            label="Loyer",
            amounts={m(1): 80000, dt.date(2027, 2, 1): 80000},
        )
    assert not plan.lines.exists()


@pytest.mark.django_db
def test_removing_a_line_or_its_whole_row(actors: Actors) -> None:
    plan = _plan(actors)
    cashplans.lines_set_month_grid(
        actor=actors.member_admin_a, plan=plan, category="rent", label="Loyer", amounts={m(1): 1, m(2): 2, m(3): 3}
    )
    other = cashplans.line_add(
        actor=actors.member_admin_a, plan=plan, category="sales", label="Ventes", month=m(1), amount_cents=5
    )
    first = plan.lines.get(category="rent", month=m(1))
    assert cashplans.line_remove(actor=actors.member_admin_a, line=first) == 1
    assert plan.lines.filter(category="rent").count() == 2
    second = plan.lines.get(category="rent", month=m(2))
    assert cashplans.line_remove(actor=actors.member_admin_a, line=second, whole_row=True) == 2
    assert list(plan.lines.all()) == [other]


@pytest.mark.django_db
def test_moving_the_months_is_refused_while_lines_would_fall_outside(actors: Actors) -> None:
    plan = _plan(actors)
    cashplans.line_add(
        actor=actors.member_admin_a, plan=plan, category="rent", label="Loyer", month=m(1), amount_cents=100
    )
    with pytest.raises(DomainError) as refused:
        cashplans.plan_update(
            actor=actors.member_admin_a, plan=plan, title="Plan", first_month=m(2), opening_cash_cents=0
        )
    assert refused.value.field == "first_month"
    plan.refresh_from_db()
    assert plan.first_month == JAN
    updated = cashplans.plan_update(
        actor=actors.member_admin_a, plan=plan, title="Plan B", first_month=dt.date(2025, 6, 3), opening_cash_cents=-5
    )
    assert (updated.title, updated.first_month, updated.opening_cash_cents) == ("Plan B", dt.date(2025, 6, 1), -5)


@pytest.mark.django_db
def test_member_admins_see_their_own_plans_and_the_pool_keepers_see_all(actors: Actors) -> None:
    plan_a = _plan(actors)
    plan_b = cashplans.plan_create(
        actor=actors.member_admin_b, organisation=actors.org_b, title="B", first_month=JAN, opening_cash_cents=0
    )
    assert list(cashplans.plans_for_user(actors.member_admin_a)) == [plan_a]
    assert list(cashplans.plans_for_user(actors.member_admin_b)) == [plan_b]
    assert set(cashplans.plans_for_user(actors.treasurer)) == {plan_a, plan_b}
    assert set(cashplans.plans_for_user(actors.coordinator)) == {plan_a, plan_b}
    assert list(cashplans.plans_for_user(actors.member_user_a)) == []
    assert cashplans.get_plan_for_user(actors.treasurer, plan_a.pk) == plan_a
    from django.http import Http404

    for who in (actors.member_admin_b, actors.member_user_a, actors.outsider, actors.committee):
        with pytest.raises(Http404):
            cashplans.get_plan_for_user(who, plan_a.pk)
