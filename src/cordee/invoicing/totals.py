"""The arithmetic of an invoice, in one pure function: the form's preview, the PDF, the stored
totals and the ledger posting all take their amounts from `compute_totals`.

Amounts are integer cents. A line's amount excluding VAT is its quantity (a decimal with at most
two places, e.g. 3.5 hours) times its unit price, rounded half up to the cent; its VAT is that
amount times the rate, rounded half up to the cent, line by line. The invoice's VAT for each rate
is the sum of its lines' VAT at that rate, and the total including VAT is the total excluding VAT
plus the VAT. Rates are in basis points: 2000 is 20 %, 550 is 5.5 %.

Nothing here needs Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

BASIS_POINTS = 10_000


class Priced(Protocol):
    """What the arithmetic reads of a line: `LineData`, or a stored `InvoiceLine`."""

    @property
    def quantity(self) -> Decimal: ...

    @property
    def unit_price_cents(self) -> int: ...

    @property
    def vat_rate(self) -> int: ...


@dataclass(frozen=True)
class LineData:
    """One line as a caller gives it to the services: quantity times unit price (cents, excluding
    VAT), at a VAT rate in basis points; a rate of 0 names its exemption (`models.Exemption`)."""

    label: str
    quantity: Decimal
    unit_price_cents: int
    vat_rate: int
    vat_exemption: str = ""


@dataclass(frozen=True)
class LineTotals:
    excl_vat_cents: int
    vat_cents: int

    @property
    def incl_vat_cents(self) -> int:
        return self.excl_vat_cents + self.vat_cents


@dataclass(frozen=True)
class VatRow:
    rate: int  # basis points
    base_cents: int  # the amount excluding VAT of the lines at this rate
    vat_cents: int


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineTotals, ...]
    vat_by_rate: tuple[VatRow, ...]  # highest rate first
    excl_vat_cents: int
    vat_cents: int
    incl_vat_cents: int


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_amount(quantity: Decimal, unit_price_cents: int) -> int:
    """3.5 * 2347 cents = 8214.5 -> 8215 cents."""
    return _round_half_up(Decimal(quantity) * unit_price_cents)


def vat_amount(amount_cents: int, rate: int) -> int:
    """10680 cents at 550 (5.5 %) = 587.4 -> 587 cents."""
    return _round_half_up(Decimal(amount_cents) * rate / BASIS_POINTS)


def line_totals(line: Priced) -> LineTotals:
    amount = line_amount(line.quantity, line.unit_price_cents)
    return LineTotals(excl_vat_cents=amount, vat_cents=vat_amount(amount, line.vat_rate))


def compute_totals(lines: Iterable[Priced]) -> Totals:
    computed: list[LineTotals] = []
    by_rate: dict[int, list[int]] = {}
    for line in lines:
        totals = line_totals(line)
        computed.append(totals)
        base_and_vat = by_rate.setdefault(line.vat_rate, [0, 0])
        base_and_vat[0] += totals.excl_vat_cents
        base_and_vat[1] += totals.vat_cents
    excl_vat = sum(t.excl_vat_cents for t in computed)
    vat = sum(t.vat_cents for t in computed)
    return Totals(
        lines=tuple(computed),
        vat_by_rate=tuple(VatRow(rate, base, amount) for rate, (base, amount) in sorted(by_rate.items(), reverse=True)),
        excl_vat_cents=excl_vat,
        vat_cents=vat,
        incl_vat_cents=excl_vat + vat,
    )
