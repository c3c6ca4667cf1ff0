"""What the review part shows on the pages of the calls part: on a call, a short ranking beside the
envelope (for the coordinator and the committee); on an application, its scores (never to the
applicants: they see the decision and its reasons), the committee's decision and, once funded, its
action."""

from __future__ import annotations

from typing import Any

from django import template

from cordee.core import permissions
from cordee.projects import selectors_review as selectors
from cordee.projects.models import Action, Application, Call

register = template.Library()

SHORT_RANKING = 5


@register.inclusion_tag("projects/includes/call_review.html", takes_context=True)
def call_review(context: Any, call: Call) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = user is not None and call.state != Call.State.DRAFT and permissions.can_review_applications(user, call)
    board = selectors.review_board(call, user=user) if shown else None
    return {
        "call": call,
        "request": request,
        "shown": shown,
        "board": board,
        "top": board.ranked[:SHORT_RANKING] if board else [],
    }


@register.inclusion_tag("projects/includes/application_review.html", takes_context=True)
def application_review(context: Any, application: Application) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    carries = user is not None and permissions.carries_application(user, application)
    reviews = user is not None and permissions.can_review_applications(user, application.call)
    shown = carries or reviews
    decided = application.status in (Application.Status.FUNDED, Application.Status.REJECTED)
    action = Action.objects.filter(application=application).first() if shown else None
    scores = shown and selectors.can_see_scores(user, application)
    sheets = selectors.sheets_of(application) if scores else []
    return {
        "application": application,
        "request": request,
        "shown": shown,
        "decided": decided,
        "sheets": sheets,
        "scores": scores,
        "can_score": user is not None and permissions.can_score(user, application),
        "can_decide": user is not None
        and permissions.can_manage_calls(user)
        and application.status in selectors.REVIEWED,
        "action": action if action is not None and permissions.can_see_action(user, action) else None,
    }
