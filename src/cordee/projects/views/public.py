"""The public page of the funded actions: each with its organisation, communes, grant and progress,
on a map (Leaflet, as the directory's) and in a list for those without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cordee.projects import selectors_actions as selectors


@require_safe
def public_actions(request: HttpRequest) -> HttpResponse:
    rows = selectors.public_actions()
    points = [
        {
            "lat": latitude,
            "lng": longitude,
            "name": row.title,
            "family": row.organisation,
            "commune": name,
            "url": f"#action-{row.id}",
        }
        for row in rows
        for name, _code, latitude, longitude in row.communes
        if latitude is not None and longitude is not None
    ]
    context = {
        "rows": rows,
        "points": points,
        "total_cents": sum(row.granted_cents for row in rows),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "projects/action_public.html", context)
