"""Numbers of an invoice in the reader's language: quantities (3,5) and VAT rates (5,5 %)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def _locale() -> str:
    locale = to_locale(get_language() or "fr")
    return "fr_FR" if locale == "fr" else locale


@register.filter
def quantity(value: Decimal | int | None) -> str:
    """Decimal("3.50") -> "3,5" in French, "3.5" in English; Decimal("12.00") -> "12"."""
    if value is None:
        return ""
    return str(format_decimal(Decimal(value), format="#,##0.##", locale=_locale()))


@register.filter
def vat_rate(basis_points: int | None) -> str:
    """550 -> "5,5 %" in French, "5.5%" in English."""
    if basis_points is None:
        return ""
    number = format_decimal(Decimal(basis_points).scaleb(-2), format="#,##0.##", locale=_locale())
    return f"{number}\u00a0%" if _locale().startswith("fr") else f"{number}%"
