"""`{% staff_exposure organisation %}`: on an organisation's page, its share of the commitments of
the shared staff it employs or shares (`reports.exposure_of`), shown only to the people who may see
that organisation's treasury (`permissions.can_see_treasury_of`): its member admins and the hub's
keepers."""

from __future__ import annotations

from typing import Any

from django import template

from cordee.core import permissions
from cordee.network.models import Organisation
from cordee.staffing.reports import OPEN_ENDED_MONTHS, exposure_of

register = template.Library()


@register.inclusion_tag("staffing/includes/exposure.html", takes_context=True)
def staff_exposure(context: dict[str, Any], organisation: Organisation) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_see_treasury_of(user, organisation.pk):
        return {"shown": False}
    rows = exposure_of(organisation)
    return {
        "shown": True,
        "organisation": organisation,
        "rows": rows,
        "monthly_cents": sum(row.monthly_cents for row in rows),
        "commitments_cents": sum(row.commitments_cents for row in rows),
        "open_ended_months": OPEN_ENDED_MONTHS,
    }
