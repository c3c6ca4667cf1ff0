"""The budget rules of an application, on worked examples a treasurer can check."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cordee.projects.budget import Line, check_budget, largest_share_cents, totals


def codes(lines: list[Line], **kwargs: int | None) -> set[str]:
    return {problem.code for problem in check_budget(lines, **kwargs)}  # type: ignore[arg-type]


SOUND = [
    Line("expense", "Salaires", 800_000),
    Line("expense", "Location du minibus", 200_000),
    Line("resource", "Pôle territorial", 600_000, is_request=True),
    Line("resource", "Région Sud", 250_000),
    Line("resource", "Fonds propres", 150_000),
]


def test_a_balanced_budget_has_no_problem() -> None:
    # 8 000 + 2 000 = 10 000 € of expenses; 6 000 + 2 500 + 1 500 = 10 000 € of resources.
    assert check_budget(SOUND, requested_cents=600_000, max_request_cents=1_000_000, max_share_percent=60) == []


def test_it_names_both_totals_and_the_difference_when_the_budget_does_not_add_up() -> None:
    lines = [*SOUND[:-1], Line("resource", "Fonds propres", 100_000)]
    problems = check_budget(lines, requested_cents=600_000)
    assert [p.code for p in problems] == ["unbalanced"]
    message = problems[0].message
    assert "10\u202f000,00\xa0€" in message  # expenses
    assert "9\u202f500,00\xa0€" in message  # resources
    assert "500,00\xa0€" in message  # the difference
    assert totals(lines).difference_cents == 50_000


def test_the_hub_line_must_equal_the_amount_requested() -> None:
    assert codes(SOUND, requested_cents=500_000) == {"request_mismatch"}


def test_it_needs_exactly_one_line_asked_of_the_hub() -> None:
    without = [Line("expense", "Salaires", 100_000), Line("resource", "Région", 100_000)]
    assert "request_line" in codes(without, requested_cents=100_000)
    two = [
        Line("expense", "Salaires", 200_000),
        Line("resource", "Pôle", 100_000, is_request=True),
        Line("resource", "Pôle encore", 100_000, is_request=True),
    ]
    assert "request_line" in codes(two, requested_cents=100_000)


def test_the_request_stays_within_the_calls_largest_request() -> None:
    assert codes(SOUND, requested_cents=600_000, max_request_cents=599_999) == {"request_too_large"}
    assert codes(SOUND, requested_cents=600_000, max_request_cents=600_000) == set()


def test_the_request_stays_within_the_largest_share_of_the_budget() -> None:
    # 6 000 € of 10 000 € is 60 %: allowed at 60 %, refused at 59 %.
    assert codes(SOUND, requested_cents=600_000, max_share_percent=60) == set()
    problems = check_budget(SOUND, requested_cents=600_000, max_share_percent=59)
    assert [p.code for p in problems] == ["share_too_large"]
    assert largest_share_cents(1_000_000, 59) == 590_000


def test_every_amount_must_be_positive_and_there_must_be_expenses() -> None:
    lines = [Line("resource", "Pôle", 100_000, is_request=True), Line("resource", "Zéro", 0)]
    found = codes(lines, requested_cents=100_000)
    assert {"amount_not_positive", "no_expense", "unbalanced"} <= found


@settings(max_examples=40, deadline=None)
@given(
    expenses=st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=1, max_size=6),
    cofunding=st.lists(st.integers(min_value=1, max_value=10_000_000), max_size=5),
    percent=st.integers(min_value=1, max_value=100),
)
def test_a_budget_whose_resources_fill_the_expenses_balances(
    expenses: list[int], cofunding: list[int], percent: int
) -> None:
    total = sum(expenses)
    request = total - sum(cofunding)
    lines = [Line("expense", f"D{i}", a) for i, a in enumerate(expenses)]
    lines += [Line("resource", f"R{i}", a) for i, a in enumerate(cofunding)]
    lines.append(Line("resource", "Pôle", request, is_request=True))
    found = codes(lines, requested_cents=request, max_share_percent=percent)
    assert "unbalanced" not in found
    # The share rule holds exactly when request × 100 ≤ total × percent: integer arithmetic only.
    assert ("share_too_large" in found) == (request > 0 and request * 100 > total * percent)
    assert ("amount_not_positive" in found) == (request <= 0)
