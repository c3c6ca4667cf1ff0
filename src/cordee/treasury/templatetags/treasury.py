from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def rate(bps: int | None) -> str:
    """A yearly rate held in basis points, as a percentage in the reader's format ("1,50 %")."""
    if bps is None:
        return ""
    return f"{formats.number_format(Decimal(bps) / 100, 2)}\u00a0%"
