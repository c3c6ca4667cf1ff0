"""What the review part shows on the pages of the calls part: on a call, the ranking beside the
envelope; on an application, its scores, the committee's decision and, once funded, its action.
Stubs until the review part is written: they show nothing."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("projects/includes/call_review.html", takes_context=True)
def call_review(context: Any, call: Any) -> dict[str, Any]:
    return {"call": call, "request": context.get("request")}


@register.inclusion_tag("projects/includes/application_review.html", takes_context=True)
def application_review(context: Any, application: Any) -> dict[str, Any]:
    return {"application": application, "request": context.get("request")}
