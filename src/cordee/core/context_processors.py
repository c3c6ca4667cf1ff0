from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cordee.core import permissions


def hub(request: HttpRequest) -> dict[str, Any]:
    actor = permissions.actor_for(getattr(request, "user", None))
    return {
        "hub_name": settings.HUB_NAME,
        "actor": actor,
        "nav_my_organisations": actor.organisations,
    }
