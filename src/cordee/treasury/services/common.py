"""What the treasury's services share: references, permission guards, the regime in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.treasury.models import TreasurySettings
from cordee.treasury.regimes import Rules, rules_for


def require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed


def next_reference(model: type[models.Model], prefix: str, on: dt.date) -> str:
    """PREFIX-YYYY-NNNN, the next of the year. Two writers racing meet at the unique index and the
    loser's transaction rolls back whole; the page asks to try again."""
    start = f"{prefix}-{on.year}-"
    last = (
        model._default_manager.filter(reference__startswith=start)  # type: ignore[attr-defined]
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{start}{number:04d}"


def regime() -> tuple[TreasurySettings, Rules]:
    settings_row = TreasurySettings.current()
    return settings_row, rules_for(settings_row.regime)


def positive_amount(amount_cents: Any, field: str = "amount_cents") -> int:
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or amount_cents <= 0:
        raise DomainError(_("The amount must be more than zero."), field=field, code="amount_not_positive")
    return amount_cents


def admin_emails(organisation: Organisation) -> list[str]:
    return [
        email
        for email in User.objects.filter(
            affiliations__organisation=organisation, affiliations__role="admin", is_active=True
        ).values_list("email", flat=True)
        if email
    ]


Guard = Callable[[Any], bool]
