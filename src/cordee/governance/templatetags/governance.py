"""Template helpers of the governance pages, and of the pages that embed a vote (an advance's)."""

from __future__ import annotations

from typing import Any

from django import template

from cordee.governance import selectors
from cordee.governance.forms import VoteForm
from cordee.governance.models import Decision

register = template.Library()


@register.simple_tag(takes_context=True)
def ballot(context: template.Context, decision: Decision, form: Any = None) -> dict[str, Any]:
    """Where the page's user stands on the decision, and the vote form (the one given, with its
    errors, or a new one holding their current vote)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    standing = selectors.ballot(user, decision)
    if not form:  # none given (or a name missing from the page's context)
        initial = {"choice": standing.vote.choice, "comment": standing.vote.comment} if standing.vote else {}
        form = VoteForm(initial=initial, auto_id=f"vote-{decision.pk}-%s")
    return {"standing": standing, "form": form}


@register.inclusion_tag("governance/includes/tally.html")
def tally_bar(tally: selectors.Tally) -> dict[str, Any]:
    return {"tally": tally}
