"""The reads of the community part: what is said under a sheet."""

from __future__ import annotations

from django.db.models import QuerySet

from cordee.practices.models import Comment, Practice


def comments_of(practice: Practice) -> QuerySet[Comment]:
    return practice.comments.select_related("author", "organisation", "organisation__membership").order_by(
        "created_at", "pk"
    )
