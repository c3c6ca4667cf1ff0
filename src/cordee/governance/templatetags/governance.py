"""Template helpers of the governance pages, and of the pages that embed a vote (an advance's)."""

from __future__ import annotations

from typing import Any

from django import template

from cordee.governance import selectors
from cordee.governance.forms import BallotForm
from cordee.governance.models import Decision

register = template.Library()


def ballot_form(decision: Decision, standing: selectors.Ballot, data: Any = None) -> BallotForm:
    """The ballot form of one voter (a seat, or an organisation), holding their vote so far; a vote
    already cast is changed only on purpose (`change`)."""
    initial = {
        "organisation": standing.organisation.pk if standing.organisation else None,
        "change": bool(standing.vote),
    }
    form = BallotForm(
        data, decision=decision, vote=standing.vote, initial=initial, auto_id=f"vote-{decision.pk}-{standing.key}-%s"
    )
    form.ballot_key = standing.key  # type: ignore[attr-defined]
    return form


@register.simple_tag(takes_context=True)
def ballots(context: template.Context, decision: Decision, form: Any = None) -> list[dict[str, Any]]:
    """Where the page's user stands on the decision, one entry per ballot they hold (a seat, or
    each member organisation they represent in the general assembly), with its form (the one
    given, with its errors, for the ballot it was posted for)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    result = []
    for standing in selectors.ballots(user, decision):
        posted = form if form and getattr(form, "ballot_key", None) == standing.key else None
        result.append({"standing": standing, "form": posted or ballot_form(decision, standing)})
    return result


@register.inclusion_tag("governance/includes/tally.html")
def tally_bar(tally: selectors.Tally) -> dict[str, Any]:
    return {"tally": tally}
