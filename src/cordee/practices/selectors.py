"""Reads of good practices: which sheets a user may see (the rule of
`permissions.can_see_practice` as a queryset), searching them, and fetching one for a page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cordee.core import permissions
from cordee.network.models import Membership, Organisation
from cordee.practices import search
from cordee.practices.models import Attachment, Practice


def visible_practices(user: Any) -> QuerySet[Practice]:
    """Every sheet `user` may see: published ones (public, or for members only to the people of
    member organisations and the hub's roles), and drafts and sheets in review to their authors
    and the coordinator."""
    sheets = Practice.objects.all()
    if permissions.can_review_practices(user):
        return sheets
    published = Q(state=Practice.State.PUBLISHED)
    if not permissions.can_see_member_directory(user):
        published &= Q(visibility=Practice.Visibility.PUBLIC)
    actor = permissions.actor_for(user)
    if not actor.is_authenticated:
        return sheets.filter(published)
    own = Q(author_id=actor.user_id)
    if actor.organisations:
        own |= Q(
            pk__in=Practice.organisations.through.objects.filter(organisation_id__in=list(actor.organisations)).values(
                "practice_id"
            )
        )
    return sheets.filter(published | own)


def published_practices(user: Any) -> QuerySet[Practice]:
    return visible_practices(user).filter(state=Practice.State.PUBLISHED)


def practices_for(
    user: Any,
    *,
    query: str | None = None,
    theme: str | None = None,
    family: str | None = None,
    commune: str | None = None,
) -> QuerySet[Practice]:
    """The published sheets `user` may see, filtered, best match first when searching words,
    else newest first."""
    sheets = published_practices(user)
    if theme:
        sheets = sheets.filter(theme=theme)
    if family:
        sheets = sheets.filter(
            pk__in=Practice.organisations.through.objects.filter(organisation__family=family).values("practice_id")
        )
    if commune:
        sheets = sheets.filter(commune_id=commune)
    sheets = sheets.select_related("commune")
    if query:
        sheets = search.search(sheets, query)
    return sheets


def my_unpublished_practices(user: Any) -> QuerySet[Practice]:
    """The drafts and sheets in review `user` wrote or whose organisations did them."""
    actor = permissions.actor_for(user)
    if not actor.is_authenticated:
        return Practice.objects.none()
    mine = Q(author_id=actor.user_id)
    if actor.organisations:
        mine |= Q(organisations__in=list(actor.organisations))
    return (
        Practice.objects.filter(mine).exclude(state=Practice.State.PUBLISHED).distinct().order_by("-updated_at", "-pk")
    )


def review_queue(user: Any) -> QuerySet[Practice]:
    """The sheets waiting for the coordinator, oldest submitted first."""
    if not permissions.can_review_practices(user):
        return Practice.objects.none()
    return (
        Practice.objects.filter(state=Practice.State.REVIEW)
        .select_related("author")
        .prefetch_related("organisations")
        .order_by("submitted_at", "pk")
    )


def get_practice_for_user(user: Any, slug: str) -> Practice:
    """A sheet for its page, or Http404 when `user` may not see it."""
    practice = (
        visible_practices(user)
        .filter(slug=slug)
        .select_related("commune", "author")
        .prefetch_related("organisations__membership", "attachments")
        .first()
    )
    if practice is None:
        raise Http404
    return practice


def get_attachment_for_user(user: Any, slug: str, pk: int) -> Attachment:
    practice = get_practice_for_user(user, slug)
    attachment = Attachment.objects.filter(practice=practice, pk=pk).select_related("practice").first()
    if attachment is None:
        raise Http404
    return attachment


def related_practices(practice: Practice, user: Any, *, limit: int = 4) -> list[Practice]:
    return search.related(practice, candidates=published_practices(user).select_related("commune"), limit=limit)


def organisations_writing_for(user: Any) -> QuerySet[Organisation]:
    """The organisations a sheet may name as its authors: one's own; any active member for the
    coordinator."""
    active = Organisation.objects.filter(
        membership__status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED]
    ).order_by("sort_name")
    if permissions.can_review_practices(user):
        return active
    return active.filter(pk__in=list(permissions.actor_for(user).organisations))


def shown_organisations(user: Any, practice: Practice) -> list[tuple[Organisation, bool]]:
    """The organisations of a sheet with whether their name may be shown to `user`: an
    organisation that keeps its listing from visitors stays unnamed for them (see
    `permissions.visible_blocks`)."""
    return [
        (organisation, "listing" in permissions.visible_blocks(user, organisation))
        for organisation in practice.organisations.all()
    ]
