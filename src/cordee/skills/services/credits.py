"""The bounds of time credits: the hub's defaults and an organisation's own (the coordinator).

Each change posts the difference on the HOURS ledger in the same transaction as the rows and the
audit event (see `cordee.skills.credits`); a bound that an organisation's balance already breaks is
refused, naming the organisation and the figures, and nothing is written.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.skills import credits
from cordee.skills.models import CreditLimit, CreditSettings


def _require_coordinator(actor: User) -> None:
    if not permissions.can_set_time_credits(actor):
        raise NotAllowed(_("Only the coordinator sets the bounds of time credits."))


@transaction.atomic(durable=True)
def credit_settings_update(*, actor: User, floor_minutes: int, ceiling_minutes: int) -> CreditSettings:
    """The hub's default floor and ceiling; every organisation without bounds of its own follows
    them at once (its difference is posted), or none does if one of them breaks the new bounds."""
    _require_coordinator(actor)
    floor_minutes, ceiling_minutes = credits.check_bounds(floor_minutes, ceiling_minutes)
    CreditSettings.current()
    settings_row = CreditSettings.objects.select_for_update().get(pk=1)
    before = (settings_row.floor_minutes, settings_row.ceiling_minutes)
    settings_row.floor_minutes, settings_row.ceiling_minutes = floor_minutes, ceiling_minutes
    settings_row.save(update_fields=["floor_minutes", "ceiling_minutes"])
    event = audit(
        actor=actor,
        action="skills.credits.settings",
        target=settings_row,
        before=list(before),
        floor_minutes=floor_minutes,
        ceiling_minutes=ceiling_minutes,
    )
    following = list(
        CreditLimit.objects.select_for_update(of=("self",))
        .filter(custom=False)
        .select_related("organisation")
        .order_by("pk")
    )
    bounds = credits.Bounds(floor_minutes, ceiling_minutes, custom=False)
    for limit in following:
        if (limit.floor_minutes, limit.ceiling_minutes) != (floor_minutes, ceiling_minutes):
            credits.change_bounds(limit.organisation, limit, bounds, cause=f"audit:{event.pk}")
    return settings_row


@transaction.atomic(durable=True)
def credit_limit_set(
    *, actor: User, organisation: Organisation, floor_minutes: int, ceiling_minutes: int
) -> CreditLimit:
    """Bounds of the organisation's own, which the hub's defaults no longer change."""
    _require_coordinator(actor)
    floor_minutes, ceiling_minutes = credits.check_bounds(floor_minutes, ceiling_minutes)
    bounds = credits.Bounds(floor_minutes, ceiling_minutes, custom=True)
    limit = CreditLimit.objects.select_for_update().filter(organisation=organisation).first()
    before = None if limit is None else [limit.floor_minutes, limit.ceiling_minutes, limit.custom]
    if limit is None:
        # Opened with these bounds, or by another transaction meanwhile (with the defaults): then the
        # difference is posted below like any change.
        limit = credits.open_credits(organisation, bounds)
    event = audit(
        actor=actor,
        action="skills.credits.limit_set",
        target=limit,
        before=before,
        floor_minutes=floor_minutes,
        ceiling_minutes=ceiling_minutes,
    )
    if (limit.floor_minutes, limit.ceiling_minutes, limit.custom) != (floor_minutes, ceiling_minutes, True):
        credits.change_bounds(organisation, limit, bounds, cause=f"audit:{event.pk}")
    return limit


@transaction.atomic(durable=True)
def credit_limit_reset(*, actor: User, organisation: Organisation) -> CreditLimit | None:
    """Back to the hub's defaults. An organisation never opened has nothing to reset."""
    _require_coordinator(actor)
    # The defaults first, then the limit: the order a change of the defaults locks them in.
    CreditSettings.current()
    defaults = CreditSettings.objects.select_for_update().get(pk=1)
    limit = CreditLimit.objects.select_for_update().filter(organisation=organisation).first()
    if limit is None:
        return None
    if not limit.custom:
        raise DomainError(
            _("%(name)s already follows the hub's default bounds.") % {"name": organisation.name},
            code="not_custom",
        )
    event = audit(
        actor=actor,
        action="skills.credits.limit_reset",
        target=limit,
        before=[limit.floor_minutes, limit.ceiling_minutes],
        floor_minutes=defaults.floor_minutes,
        ceiling_minutes=defaults.ceiling_minutes,
    )
    bounds = credits.Bounds(defaults.floor_minutes, defaults.ceiling_minutes, custom=False)
    return credits.change_bounds(organisation, limit, bounds, cause=f"audit:{event.pk}")
