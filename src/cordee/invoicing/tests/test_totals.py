"""The arithmetic of an invoice: worked examples a treasurer can redo by hand, and properties
checked against exact fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cordee.invoicing.models import VAT_RATES
from cordee.invoicing.tests.support import line, worked_example_lines
from cordee.invoicing.totals import LineTotals, VatRow, compute_totals, line_amount, vat_amount


def test_the_worked_example_adds_up_to_the_cent() -> None:
    """Three lines, as a treasurer would check them:

    | line                          | qty × unit price  | excl. VAT   | rate  | VAT              |
    | Animation d'atelier (heures)  | 3,5 × 23,47 €     | 82,145 → 82,15 € | 20 %  | 16,43 €     |
    | Repas du séminaire            | 12 × 8,90 €       | 106,80 €    | 5,5 % | 5,874 → 5,87 €   |
    | Formation des bénévoles       | 1 × 1 000,00 €    | 1 000,00 €  | exempt | 0,00 €          |
    Total excl. VAT 1 188,95 €; VAT 22,30 €; total incl. VAT 1 211,25 €.
    """
    totals = compute_totals(worked_example_lines())

    assert totals.lines == (LineTotals(8215, 1643), LineTotals(10680, 587), LineTotals(100000, 0))
    assert totals.vat_by_rate == (VatRow(2000, 8215, 1643), VatRow(550, 10680, 587), VatRow(0, 100000, 0))
    assert (totals.excl_vat_cents, totals.vat_cents, totals.incl_vat_cents) == (118895, 2230, 121125)


def test_half_a_cent_rounds_up_not_to_even() -> None:
    assert line_amount(Decimal("3.5"), 2347) == 8215  # 8214.5: banker's rounding would give 8214
    assert line_amount(Decimal("0.5"), 1) == 1  # 0.5
    assert line_amount(Decimal("2.5"), 1) == 3  # 2.5: banker's rounding would give 2
    assert vat_amount(8215, 2000) == 1643  # 1643.0
    assert vat_amount(10, 550) == 1  # 0.55
    assert vat_amount(90, 550) == 5  # 4.95
    assert vat_amount(50, 1000) == 5  # 5.0
    assert vat_amount(25, 2000) == 5  # 5.0
    assert vat_amount(5, 1000) == 1  # 0.5: banker's rounding would give 0


def test_vat_is_rounded_per_line_then_added_by_rate() -> None:
    """Two lines of 0,10 € at 5,5 %: 0,0055 € each, rounded to 0,01 € each, so 0,02 € of VAT;
    rounding on the sum (0,011 €) would have given 0,01 €."""
    totals = compute_totals([line(unit_price_cents=10, vat_rate=550), line(unit_price_cents=10, vat_rate=550)])

    assert totals.vat_by_rate == (VatRow(550, 20, 2),)
    assert totals.incl_vat_cents == 22


def test_no_line_gives_zero_everywhere() -> None:
    totals = compute_totals([])

    assert (totals.lines, totals.vat_by_rate, totals.incl_vat_cents) == ((), (), 0)


def _half_up(value: Fraction) -> int:
    floor = value.numerator // value.denominator
    return floor + 1 if value - floor >= Fraction(1, 2) else floor


quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
prices = st.integers(min_value=0, max_value=10**8)
lines = st.lists(
    st.builds(
        lambda q, p, r: line(quantity=q, unit_price_cents=p, vat_rate=r, vat_exemption="293B" if r == 0 else ""),
        quantities,
        prices,
        st.sampled_from(VAT_RATES),
    ),
    max_size=12,
)


@given(lines)
def test_totals_agree_with_exact_fractions_rounded_half_up(drawn: list) -> None:  # type: ignore[type-arg]
    totals = compute_totals(drawn)

    expected_lines = []
    for item in drawn:
        amount = _half_up(Fraction(item.quantity) * item.unit_price_cents)
        expected_lines.append(LineTotals(amount, _half_up(Fraction(amount * item.vat_rate, 10_000))))
    assert totals.lines == tuple(expected_lines)
    assert totals.excl_vat_cents == sum(t.excl_vat_cents for t in expected_lines)
    assert totals.vat_cents == sum(row.vat_cents for row in totals.vat_by_rate)
    assert totals.excl_vat_cents == sum(row.base_cents for row in totals.vat_by_rate)
    assert totals.incl_vat_cents == totals.excl_vat_cents + totals.vat_cents
    assert [row.rate for row in totals.vat_by_rate] == sorted({item.vat_rate for item in drawn}, reverse=True)
    # Rounding per line costs at most half a cent per line against the exact VAT.
    exact_vat = sum(
        Fraction(t.excl_vat_cents * item.vat_rate, 10_000) for t, item in zip(expected_lines, drawn, strict=True)
    )
    assert abs(totals.vat_cents - exact_vat) <= Fraction(len(drawn), 2)
