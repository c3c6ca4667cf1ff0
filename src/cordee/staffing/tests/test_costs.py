"""The month's cost of a shared employee: worked examples a treasurer can redo by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cordee.staffing.costs import days_in_contract, full_month_cost, month_cost, round_half_up
from cordee.staffing.models import ContractType, Employee

D = dt.date


@dataclass
class Contract:
    starts_on: dt.date = dt.date(2026, 1, 1)
    ends_on: dt.date | None = None
    gross_salary_cents: int = 200_000
    contributions_rate: int | None = 4200
    contributions_cents: int | None = None
    running_costs_rate: int | None = 800
    running_costs_cents: int | None = None


def test_a_whole_month_costs_salary_contributions_and_running_costs() -> None:
    # 2 000,00 € gross; contributions 42 % = 840,00 €; running costs 8 % of 2 840,00 € = 227,20 €.
    cost = month_cost(Contract(), D(2027, 3, 1))
    assert (cost.salary_cents, cost.contributions_cents, cost.running_costs_cents) == (200_000, 84_000, 22_720)
    assert cost.total_cents == 306_720
    assert (cost.days, cost.days_in_month, cost.is_partial) == (31, 31, False)


def test_the_rates_are_rounded_half_up_to_the_cent() -> None:
    # 1 000,01 € × 50 % = 500,005 € → 500,01 €; then 10 % of 1 500,02 € = 150,002 € → 150,00 €.
    cost = month_cost(
        Contract(gross_salary_cents=100_001, contributions_rate=5000, running_costs_rate=1000), D(2027, 3, 1)
    )
    assert (cost.salary_cents, cost.contributions_cents, cost.running_costs_cents) == (100_001, 50_001, 15_000)


def test_fixed_amounts_are_taken_as_they_are() -> None:
    contract = Contract(
        contributions_rate=None, contributions_cents=85_000, running_costs_rate=None, running_costs_cents=20_000
    )
    cost = month_cost(contract, D(2027, 3, 1))
    assert (cost.salary_cents, cost.contributions_cents, cost.running_costs_cents) == (200_000, 85_000, 20_000)


def test_a_month_started_during_it_costs_pro_rata_of_its_calendar_days() -> None:
    # Hired on 10 March 2027: 22 of 31 days. 2 000,00 € × 22 / 31 = 1 419,3548… → 1 419,35 €;
    # 42 % of it = 596,127 → 596,13 €; 8 % of 2 015,48 € = 161,2384 → 161,24 €.
    cost = month_cost(Contract(starts_on=D(2027, 3, 10)), D(2027, 3, 1))
    assert (cost.days, cost.days_in_month, cost.is_partial) == (22, 31, True)
    assert (cost.salary_cents, cost.contributions_cents, cost.running_costs_cents) == (141_935, 59_613, 16_124)


def test_a_contract_ending_mid_month_prorates_the_fixed_amounts_too() -> None:
    # Ends on 14 February 2027: 14 of 28 days, half of each amount.
    contract = Contract(
        ends_on=D(2027, 2, 14),
        contributions_rate=None,
        contributions_cents=85_000,
        running_costs_rate=None,
        running_costs_cents=20_001,
    )
    cost = month_cost(contract, D(2027, 2, 1))
    assert (cost.salary_cents, cost.contributions_cents, cost.running_costs_cents) == (100_000, 42_500, 10_001)


def test_a_month_outside_the_contract_costs_nothing() -> None:
    contract = Contract(starts_on=D(2027, 4, 1), ends_on=D(2027, 6, 30))
    assert month_cost(contract, D(2027, 3, 1)).total_cents == 0
    assert month_cost(contract, D(2027, 7, 1)).total_cents == 0
    assert month_cost(contract, D(2027, 5, 1)).total_cents == 306_720


def test_a_contract_of_a_single_day() -> None:
    contract = Contract(starts_on=D(2027, 3, 31), ends_on=D(2027, 3, 31))
    assert days_in_contract(contract, D(2027, 3, 15)) == 1
    # 2 000,00 € / 31 = 64,516 → 64,52 €.
    assert month_cost(contract, D(2027, 3, 1)).salary_cents == 6452


def test_the_full_month_ignores_the_contract_dates() -> None:
    contract = Contract(starts_on=D(2027, 3, 10))
    assert full_month_cost(contract, D(2027, 3, 1)).total_cents == 306_720


def test_it_reads_an_employee_row() -> None:
    employee = Employee(
        full_name="Inès Morel",
        job_title="Animatrice",
        contract_type=ContractType.CDI,
        weekly_minutes=35 * 60,
        starts_on=D(2026, 9, 1),
        gross_salary_cents=210_000,
        contributions_rate=4500,
        running_costs_cents=15_000,
    )
    # 2 100 € + 945 € + 150 € = 3 195 €.
    assert month_cost(employee, D(2026, 11, 1)).total_cents == 319_500


def test_round_half_up() -> None:
    assert [round_half_up(n, 2) for n in (0, 1, 2, 3, 5)] == [0, 1, 1, 2, 3]
    assert round_half_up(149, 100) == 1
    assert round_half_up(150, 100) == 2
