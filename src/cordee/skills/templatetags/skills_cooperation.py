"""`{% organisation_cooperations organisation %}`: on an organisation's page of the network, the
exchanges of the skills exchange it took part in ("who helped whom"), as the person looking may see
them (`cooperation.rows_for`), and only to the people of member organisations and the hub's roles."""

from __future__ import annotations

from typing import Any

from django import template

from cordee.core import permissions
from cordee.network.models import Organisation
from cordee.skills.cooperation import rows_for

register = template.Library()


@register.inclusion_tag("skills/includes/organisation_cooperations.html", takes_context=True)
def organisation_cooperations(context: dict[str, Any], organisation: Organisation) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_use_skills(user):
        return {"shown": False}
    rows = [
        row
        for row in rows_for(user)
        if organisation.pk in {row.giver.pk if row.giver else None, row.receiver.pk if row.receiver else None}
    ]
    return {"shown": True, "organisation": organisation, "cooperation_rows": rows}
