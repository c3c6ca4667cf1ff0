"""Display filters of the clearing pages: shares of debt in percent, debt settled per euro."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_decimal, format_percent
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def _locale() -> str:
    locale = to_locale(get_language() or "fr")
    return "fr_FR" if locale == "fr" else locale


@register.filter
def share_of(part: int | None, whole: int | None) -> str:
    """`cleared|share_of:debt` -> "65,2 %" in French; "" when there is no debt."""
    if not whole or part is None:
        return ""
    return str(format_percent(Decimal(part) / Decimal(whole), "#,##0.0 %", locale=_locale()))


@register.filter
def ratio(value: Fraction | int | None) -> str:
    """A Fraction with two decimals, French first: Fraction(47, 20) -> "2,35"."""
    if value is None:
        return ""
    value = Fraction(value)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(format_decimal(exact.quantize(Decimal("0.01")), "#,##0.00", locale=_locale()))
