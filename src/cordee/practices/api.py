"""The good practices API: the published sheets a user may read, searched in French, one sheet, and
what members say under it.

Reading needs no account (a visitor reads the public sheets); commenting goes through the session
(`django_auth`) and the same service as the page. The conversation under a sheet is shown to the
hub's people only, as on the page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from cordee.core import permissions
from cordee.core.apierrors import Refusal, refusal, refusal_status
from cordee.core.errors import DomainError, NotAllowed
from cordee.network.models import Organisation
from cordee.practices import selectors
from cordee.practices.models import Comment, Practice, Theme
from cordee.practices.richtext import clean_html
from cordee.practices.search import search
from cordee.practices.selectors_community import comments_of
from cordee.practices.services import comments as services

router = Router(tags=["practices"])

MAX_ROWS = 200


class PracticeOrganisationOut(Schema):
    id: int
    name: str
    slug: str


class PracticeSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    theme: str
    theme_label: str
    tags: list[str]
    commune: str | None = Field(description="INSEE code of the commune")
    commune_name: str | None
    visibility: str = Field(description="public, or members (of the hub only)")
    state: str = Field(description="draft, review or published")
    published_at: dt.datetime | None
    url: str
    pdf_url: str


class PracticeOut(PracticeSummaryOut):
    context: str = Field(description="Cleaned HTML")
    steps: str = Field(description="Cleaned HTML")
    results: str = Field(description="Cleaned HTML")
    watch_out: str = Field(description="Cleaned HTML")
    cost_cents: int | None
    cost_note: str
    contact_name: str
    contact_email: str
    organisations: list[PracticeOrganisationOut] = Field(description="Those the directory shows the reader")
    tried_count: int = Field(description="How many organisations said they tried it too")


class PracticeFilters(Schema):
    q: str | None = Field(None, description="Words, all of them found (French stems, accents ignored)")
    theme: Theme | None = None


class PracticeCommentOut(Schema):
    id: int
    kind: str = Field(description="comment, question (to the authors) or tried (we tried it too)")
    text: str = Field(description="Plain text, as typed")
    author_name: str
    organisation: PracticeOrganisationOut | None
    created_at: dt.datetime


class PracticeCommentIn(Schema):
    kind: Comment.Kind = Comment.Kind.COMMENT
    text: str = Field(description="Plain text, at most 2000 characters")
    organisation_id: int | None = Field(
        None, description='One of the writer\'s organisations; required for "tried", once per organisation'
    )


def _organisation(organisation: Organisation) -> PracticeOrganisationOut:
    return PracticeOrganisationOut(id=organisation.pk, name=organisation.name, slug=organisation.slug)


def _summary_fields(practice: Practice) -> dict[str, object]:
    return {
        "slug": practice.slug,
        "title": practice.title,
        "summary": practice.summary,
        "theme": practice.theme,
        "theme_label": str(practice.get_theme_display()),
        "tags": practice.tag_list,
        "commune": practice.commune_id,
        "commune_name": practice.commune.name if practice.commune else None,
        "visibility": practice.visibility,
        "state": practice.state,
        "published_at": practice.published_at,
        "url": practice.get_absolute_url(),
        "pdf_url": reverse("practices:practice_pdf", args=[practice.slug]),
    }


def _comment(comment: Comment) -> PracticeCommentOut:
    return PracticeCommentOut(
        id=comment.pk,
        kind=comment.kind,
        text=comment.text,
        author_name=comment.author.full_name,
        organisation=_organisation(comment.organisation) if comment.organisation else None,
        created_at=comment.created_at,
    )


@router.get("/practices", response=list[PracticeSummaryOut], summary="Published good practices, newest first")
def list_practices(request: HttpRequest, filters: Query[PracticeFilters]) -> list[PracticeSummaryOut]:
    practices = selectors.published_practices(request.user)
    if filters.theme:
        practices = practices.filter(theme=filters.theme)
    if filters.q:
        practices = search(practices, filters.q)
    # select_related after the search: on SQLite it reads the rows with .only(), which a
    # select_related on a deferred field would refuse.
    rows = practices.select_related("commune")[:MAX_ROWS]
    return [PracticeSummaryOut(**_summary_fields(practice)) for practice in rows]  # type: ignore[arg-type]


@router.get("/practices/{slug}", response=PracticeOut, summary="One good practice")
def get_practice(request: HttpRequest, slug: str) -> PracticeOut:
    practice = selectors.get_practice_for_user(request.user, slug)
    return PracticeOut(
        **_summary_fields(practice),  # type: ignore[arg-type]
        context=clean_html(practice.context),
        steps=clean_html(practice.steps),
        results=clean_html(practice.results),
        watch_out=clean_html(practice.watch_out),
        cost_cents=practice.cost_cents,
        cost_note=practice.cost_note,
        contact_name=practice.contact_name,
        contact_email=practice.contact_email,
        organisations=[_organisation(o) for o, shown in selectors.shown_organisations(request.user, practice) if shown],
        tried_count=practice.comments.filter(kind=Comment.Kind.TRIED).count(),
    )


@router.get(
    "/practices/{slug}/comments",
    response={200: list[PracticeCommentOut], 403: Refusal},
    summary="What the hub's people said under a sheet, oldest first",
)
def list_practice_comments(request: HttpRequest, slug: str) -> Status[list[PracticeCommentOut] | Refusal]:
    practice = selectors.get_practice_for_user(request.user, slug)
    if not permissions.can_see_member_directory(request.user):
        return Status(403, refusal(NotAllowed(_("The comments are shown to the people of the hub."))))
    return Status(200, [_comment(comment) for comment in comments_of(practice)])


@router.post(
    "/practices/{slug}/comments",
    auth=django_auth,
    response={201: PracticeCommentOut, 403: Refusal, 404: Refusal, 422: Refusal},
    summary='Comment, ask the authors a question, or say "we tried it too"',
)
def post_practice_comment(
    request: HttpRequest, slug: str, payload: PracticeCommentIn
) -> Status[PracticeCommentOut | Refusal]:
    practice = selectors.get_practice_for_user(request.user, slug)
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            return Status(
                404, Refusal(detail="organisation_id: no such organisation.", field="organisation_id", errors=[])
            )
    try:
        comment = services.comment_create(
            actor=request.user,  # type: ignore[arg-type]
            practice=practice,
            kind=payload.kind,
            text=payload.text,
            organisation=organisation,
        )
    except DomainError as error:
        return Status(refusal_status(error), refusal(error))
    return Status(201, _comment(comment))
