from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from cordee.core.errors import DomainError
from cordee.core.models import User

# Where a service's field name differs from the form's.
FIELD_ALIASES = {
    "amount_cents": "amount",
    "notified_amount_cents": "notified_amount",
    "rate_bps": "rate",
    "net_available_cash_cents": "net_available_cash",
}


def actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def refused(form: Any, exc: DomainError) -> None:
    """Put a service's refusal on the form field it names (or on the form)."""
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def done(request: HttpRequest, message: str) -> None:
    messages.success(request, message)
