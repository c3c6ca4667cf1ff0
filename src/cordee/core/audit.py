from __future__ import annotations

from typing import Any

from django.db import models

from cordee.core.models import AuditEvent, User


def audit(*, actor: User | None, action: str, target: models.Model, **data: Any) -> AuditEvent:
    """Record an action; call it inside the service's transaction so both land or neither."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data,
    )
