"""The comments block of a sheet page: `{% load practices_community %}{% community_section practice %}`.

The conversation (who said what) stays among the hub's people; visitors see how many organisations
tried the practice, and which of them the directory shows them."""

from __future__ import annotations

from typing import Any

from django import template

from cordee.core import permissions
from cordee.practices.forms_community import CommentForm, commenting_organisations
from cordee.practices.models import Comment, Practice
from cordee.practices.selectors_community import comments_of

register = template.Library()


def section_context(user: Any, practice: Practice, form: CommentForm | None = None) -> dict[str, Any]:
    comments = list(comments_of(practice))
    tried = [comment for comment in comments if comment.kind == Comment.Kind.TRIED]
    can_comment = permissions.can_comment_practice(user, practice)
    if can_comment and form is None:
        form = CommentForm(organisations=commenting_organisations(user))
    return {
        "practice": practice,
        "shows_conversation": permissions.can_see_member_directory(user),
        "comments": [(comment, permissions.can_delete_practice_comment(user, comment)) for comment in comments],
        "tried_count": len(tried),
        "tried_organisations": [
            comment.organisation
            for comment in tried
            if comment.organisation is not None and permissions.visible_blocks(user, comment.organisation)
        ],
        "can_comment": can_comment,
        "form": form if can_comment else None,
    }


@register.inclusion_tag("practices/community/comments.html", takes_context=True)
def community_section(context: template.Context, practice: Practice) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        **section_context(user, practice, context.get("comment_form")),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
