from __future__ import annotations

from typing import Any

from django import template

from cordee.core.money import format_cents, format_minutes

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    return format_cents(cents)


@register.filter
def in_unit(amount: int | None, unit: str) -> str:
    """An amount of a ledger in its unit: cents as euros, minutes as hours."""
    if amount is None:
        return ""
    return format_minutes(amount) if unit == "minute" else format_cents(amount)


@register.filter
def field_id(bound_field: Any) -> str:
    return str(bound_field.auto_id)
