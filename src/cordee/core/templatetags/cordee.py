from __future__ import annotations

from typing import Any

from django import template

from cordee.core.money import format_cents

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    return format_cents(cents)


@register.filter
def field_id(bound_field: Any) -> str:
    return str(bound_field.auto_id)
