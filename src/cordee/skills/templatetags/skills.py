"""The terms of a listing or an exchange in words: "Gratuit", "3 h en crédits temps", "45,00 €"."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import pgettext

from cordee.core.money import format_cents
from cordee.staffing.templatetags.staffing import format_hours

register = template.Library()


def terms_text(terms: str, minutes: int | None, price_cents: int | None) -> str:
    if terms == "hours":
        return pgettext("skills terms", "%(hours)s in time credits") % {"hours": format_hours(minutes)}
    if terms == "euros":
        return format_cents(price_cents)
    return pgettext("skills terms", "Free")


@register.filter
def terms(listing_or_exchange: Any) -> str:
    """Anything with `terms`, `minutes` and `price_cents` (a Listing, an Exchange)."""
    return terms_text(listing_or_exchange.terms, listing_or_exchange.minutes, listing_or_exchange.price_cents)


@register.filter
def percent(score: float | None) -> str:
    """A score from 0 to 1 as a whole percentage: 0.3875 -> "39 %"."""
    if score is None:
        return ""
    return f"{round(score * 100)}\u00a0%"
