"""Durations for people: whole minutes shown as decimal hours the French way ("7,5 h"), and the
hours people type in forms read back into minutes ("3,5", "3.5", "3h30", "3:30", "3 h")."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()

MAX_TYPED_MINUTES = 24 * 60
_HOURS_AND_MINUTES = re.compile(r"^(\d{1,4})\s*(?:h|:)\s*(\d{1,2})?\s*(?:min|mn|m)?$", re.IGNORECASE)
_MINUTES_ONLY = re.compile(r"^(\d{1,6})\s*(?:min|mn|m)$", re.IGNORECASE)
_DECIMAL_HOURS = re.compile(r"^(\d{1,4})(?:[.,](\d{1,2}))?\s*h?$", re.IGNORECASE)


def format_hours(minutes: int | None, language: str | None = None) -> str:
    """450 -> "7,5 h", 420 -> "7 h", 80 -> "1,33 h" (two decimals at most), "" for None."""
    if minutes is None:
        return ""
    value = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    text = f"{value:f}"
    if (language or get_language() or "fr").startswith("fr"):
        text = text.replace(".", ",")
    return f"{text} h"


@register.filter
def hours(minutes: int | None) -> str:
    return format_hours(minutes)


@register.filter
def percent(basis_points: int | None) -> str:
    """Basis points as a percentage: 4200 -> "42 %", 1250 -> "12,5 %"."""
    if basis_points is None:
        return ""
    text = f"{(Decimal(basis_points) / 100).normalize():f}"
    if (get_language() or "fr").startswith("fr"):
        return text.replace(".", ",") + "\u202f%"
    return text + "%"


def hours_value(minutes: int | None) -> str:
    """What a form field shows for a number of minutes, and reads back: 450 -> "7,5", None -> ""."""
    if not minutes:
        return ""
    return format_hours(minutes).removesuffix(" h")


def parse_hours(text: str | None, *, max_minutes: int = MAX_TYPED_MINUTES) -> int | None:
    """Typed hours to whole minutes: "3,5", "3.5", "3h30", "3:30", "3 h", "45 min" -> 210, 210,
    210, 210, 180, 45; blank -> None. Decimal hours are rounded to the nearest minute.

    Raises a ValidationError (code "hours_format") for anything else, and (code "hours_range") beyond
    `max_minutes` (a day's 24 hours unless told)."""
    cleaned = (text or "").strip().replace("\u202f", " ").replace("\xa0", " ")
    if not cleaned:
        return None
    minutes: int | None = None
    if match := _MINUTES_ONLY.match(cleaned):
        minutes = int(match.group(1))
    elif match := _DECIMAL_HOURS.match(cleaned):
        try:
            value = Decimal(f"{match.group(1)}.{match.group(2) or '0'}")
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            value = None
        if value is not None:
            minutes = int((value * 60).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    elif (match := _HOURS_AND_MINUTES.match(cleaned)) and int(match.group(2) or 0) < 60:
        minutes = int(match.group(1)) * 60 + int(match.group(2) or 0)
    if minutes is None:
        raise ValidationError(
            _("“%(value)s” is not a duration: type hours as 3,5 or 3h30 or 3:30."),
            code="hours_format",
            params={"value": cleaned},
        )
    if minutes > max_minutes:
        raise ValidationError(
            _("A duration cannot exceed %(limit)s."), code="hours_range", params={"limit": format_hours(max_minutes)}
        )
    return minutes
