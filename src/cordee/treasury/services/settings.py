"""The hub's treasury settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.treasury.models import Regime, TreasurySettings
from cordee.treasury.regimes import max_rate_bps, rules_for
from cordee.treasury.services.common import require

EDITABLE = frozenset(
    {
        "regime",
        "rate_cap_bps",
        "rate_cap_source",
        "default_rate_bps",
        "liquidity_reserve_percent",
        "liquidity_reserve_min_cents",
        "member_exposure_cap_cents",
        "concentration_cap_percent",
        "min_membership_days",
        "approval_validity_days",
        "reminder_days",
        "provision_percent_1_30",
        "provision_percent_31_60",
        "provision_percent_61_90",
        "provision_percent_over_90",
        "committee",
        "account_holder",
        "iban",
        "bic",
        "creditor_identifier",
    }
)


@transaction.atomic(durable=True)
def treasury_settings_update(*, actor: User, **values: Any) -> TreasurySettings:
    """Change the regime, caps and reserves. Operations already made stay as they were; the new
    rules apply to what is decided from now on."""
    require(permissions.can_set_treasury(actor))
    unknown = set(values) - EDITABLE
    if unknown:
        raise DomainError(_("Unknown setting %(name)s.") % {"name": sorted(unknown)[0]}, field=sorted(unknown)[0])
    row = TreasurySettings.objects.select_for_update().get(pk=TreasurySettings.current().pk)
    before = {name: getattr(row, name if name != "committee" else "committee_id") for name in values}
    for name, value in values.items():
        setattr(row, name, value)
    if row.regime not in Regime.values:
        raise DomainError(_("Unknown regime."), field="regime")
    for name in ("liquidity_reserve_min_cents", "member_exposure_cap_cents", "rate_cap_bps", "default_rate_bps"):
        if getattr(row, name) < 0:
            raise DomainError(_("This value cannot be negative."), field=name)
    if row.default_rate_bps > max_rate_bps(rules_for(row.regime), row.rate_cap_bps):
        raise DomainError(_("The default rate must be within the regime's cap."), field="default_rate_bps")
    for name in (
        "liquidity_reserve_percent",
        "concentration_cap_percent",
        "provision_percent_1_30",
        "provision_percent_31_60",
        "provision_percent_61_90",
        "provision_percent_over_90",
    ):
        if not 0 <= getattr(row, name) <= 100:
            raise DomainError(_("A percentage is between 0 and 100."), field=name)
    row.save()
    audit(
        actor=actor,
        action="treasury.settings.update",
        target=row,
        before={key: str(value) for key, value in before.items()},
        after={name: str(getattr(row, name if name != "committee" else "committee_id")) for name in values},
    )
    return row
