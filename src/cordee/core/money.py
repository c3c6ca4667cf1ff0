"""Money is an integer number of cents; these turn it into words for people, never into floats."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency
from django.utils.translation import get_language, to_locale


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def format_cents(cents: int | None, language: str | None = None) -> str:
    """1234567 -> "12 345,67 €" in French, "€12,345.67" in English."""
    if cents is None:
        return ""
    locale = to_locale(language or get_language() or "fr")
    if locale == "fr":
        locale = "fr_FR"
    return str(format_currency(cents_to_decimal(cents), "EUR", locale=locale))


def format_minutes(minutes: int) -> str:
    """Time credits: 90 -> "1 h 30", -45 -> "-0 h 45"."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d}"
