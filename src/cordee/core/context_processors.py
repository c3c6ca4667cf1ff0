from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cordee.core import permissions


def hub(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    actor = permissions.actor_for(user)
    return {
        "hub_name": settings.HUB_NAME,
        "actor": actor,
        "nav_my_organisations": actor.organisations,
        "nav_governance": actor.is_authenticated and permissions.can_use_governance(user),
        "nav_dashboard": permissions.can_open_some_dashboard(user),
    }
