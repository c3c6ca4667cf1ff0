"""Writing the highlights, testimonies and pictures the coordinator adds to a period.

Only the coordinator writes them (`permissions.can_write_highlights`). A picture is checked as the
practices' attachments are (`cordee.practices.files.check_upload`: its content must match its
name) and must be a JPEG, PNG or WebP image of at most HIGHLIGHT_PICTURE_MAX_BYTES, with a text
describing it for those who cannot see it (RGAA criterion 1.1). The picture is stored under a
random name; a replaced or deleted picture's file goes once the change is committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.practices import files
from cordee.reporting.models import Highlight

PICTURE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
HIGHLIGHT_PICTURE_MAX_BYTES = 5 * 1024 * 1024


def picture_max_bytes() -> int:
    return int(getattr(settings, "CORDEE_HIGHLIGHT_PICTURE_MAX_BYTES", HIGHLIGHT_PICTURE_MAX_BYTES))


def _limit(name: str) -> int:
    field = Highlight._meta.get_field(name)
    assert isinstance(field, models.Field)
    return int(field.max_length or 0)


def _checked(
    *,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    title: str,
    text: str,
    attribution: str,
    picture_alt: str,
    has_picture: bool,
) -> dict[str, Any]:
    """The fields cleaned, or DomainError naming the first field refused."""
    if kind not in Highlight.Kind.values:
        raise DomainError(_("Choose the kind of entry."), field="kind", code="invalid_choice")
    if ends_on < starts_on:
        raise DomainError(_("The entry ends before it starts."), field="ends_on", code="period_reversed")
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Give the entry a title."), field="title", code="required")
    text = (text or "").strip()
    attribution = " ".join((attribution or "").split())
    picture_alt = " ".join((picture_alt or "").split())
    for name, value in (("title", title), ("text", text), ("attribution", attribution), ("picture_alt", picture_alt)):
        if len(value) > _limit(name):
            raise DomainError(_("At most %(max)s characters.") % {"max": _limit(name)}, field=name, code="max_length")
    if kind == Highlight.Kind.TESTIMONY and not text:
        raise DomainError(_("Write what was said."), field="text", code="required")
    if kind == Highlight.Kind.PICTURE and not has_picture:
        raise DomainError(_("Choose the picture to show."), field="picture", code="required")
    if has_picture and not picture_alt:
        raise DomainError(
            _("Describe the picture for those who cannot see it (RGAA, criterion 1.1)."),
            field="picture_alt",
            code="required",
        )
    return {
        "kind": kind,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "title": title,
        "text": text,
        "attribution": attribution,
        "picture_alt": picture_alt if has_picture else "",
    }


def check_picture(picture: Any) -> str:
    """The extension the picture is stored under, or DomainError(field="picture")."""
    try:
        content_type, size = files.check_upload(picture)
    except DomainError as error:
        raise DomainError(error.message, field="picture", code=error.code) from None
    if content_type not in PICTURE_TYPES:
        raise DomainError(_("A picture is a JPEG, PNG or WebP image."), field="picture", code="type")
    if size > picture_max_bytes():
        raise DomainError(
            _("The picture is too large: %(size)s, at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(picture_max_bytes())},
            field="picture",
            code="too_large",
        )
    return PICTURE_TYPES[content_type]


def _store(highlight: Highlight, picture: Any, extension: str) -> None:
    highlight.picture.save(f"{uuid.uuid4().hex}.{extension}", picture, save=False)


@contextlib.contextmanager
def _file_dropped_on_error(name: str) -> Iterator[None]:
    """A file stored for a row that then fails to save is deleted: a refused request leaves nothing."""
    try:
        yield
    except BaseException:
        if name:
            Highlight._meta.get_field("picture").storage.delete(name)  # type: ignore[attr-defined]
        raise


def _forget_file(name: str) -> None:
    if name:
        storage = Highlight._meta.get_field("picture").storage  # type: ignore[attr-defined]
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def _may_write(actor: User) -> None:
    if not permissions.can_write_highlights(actor):
        raise NotAllowed(_("Only the coordinator writes the highlights of the report."))


@transaction.atomic(durable=True)
def highlight_create(
    *,
    actor: User,
    starts_on: dt.date,
    ends_on: dt.date,
    title: str,
    kind: str = Highlight.Kind.HIGHLIGHT,
    text: str = "",
    attribution: str = "",
    organisation: Organisation | None = None,
    picture: Any = None,
    picture_alt: str = "",
) -> Highlight:
    _may_write(actor)
    fields = _checked(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        title=title,
        text=text,
        attribution=attribution,
        picture_alt=picture_alt,
        has_picture=picture is not None,
    )
    extension = check_picture(picture) if picture is not None else ""
    highlight = Highlight(**fields, organisation=organisation, created_by=actor)
    if picture is not None:
        _store(highlight, picture, extension)
    with _file_dropped_on_error(highlight.picture.name if picture is not None else ""):
        highlight.save()
        audit(
            actor=actor,
            action="reporting.highlight.create",
            target=highlight,
            kind=highlight.kind,
            title=highlight.title,
            starts_on=highlight.starts_on.isoformat(),
            ends_on=highlight.ends_on.isoformat(),
            picture=bool(highlight.picture),
        )
    return highlight


@transaction.atomic(durable=True)
def highlight_update(
    *,
    actor: User,
    highlight: Highlight,
    starts_on: dt.date,
    ends_on: dt.date,
    title: str,
    kind: str = Highlight.Kind.HIGHLIGHT,
    text: str = "",
    attribution: str = "",
    organisation: Organisation | None = None,
    picture: Any = None,
    picture_alt: str = "",
    remove_picture: bool = False,
) -> Highlight:
    """Change an entry; a new picture replaces the old one, `remove_picture` drops it."""
    _may_write(actor)
    highlight = Highlight.objects.select_for_update().get(pk=highlight.pk)
    keeps_picture = bool(highlight.picture) and not remove_picture
    fields = _checked(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        title=title,
        text=text,
        attribution=attribution,
        picture_alt=picture_alt,
        has_picture=picture is not None or keeps_picture,
    )
    extension = check_picture(picture) if picture is not None else ""
    old_name = highlight.picture.name if highlight.picture else ""
    for name, value in fields.items():
        setattr(highlight, name, value)
    highlight.organisation = organisation
    if picture is not None:
        _store(highlight, picture, extension)
    elif remove_picture:
        highlight.picture = ""  # type: ignore[assignment]
    with _file_dropped_on_error(highlight.picture.name if picture is not None else ""):
        highlight.save()
        audit(
            actor=actor,
            action="reporting.highlight.update",
            target=highlight,
            kind=highlight.kind,
            title=highlight.title,
            starts_on=highlight.starts_on.isoformat(),
            ends_on=highlight.ends_on.isoformat(),
            picture=bool(highlight.picture),
            picture_replaced=bool(old_name) and old_name != highlight.picture.name,
        )
    if old_name and old_name != highlight.picture.name:
        _forget_file(old_name)
    return highlight


@transaction.atomic(durable=True)
def highlight_delete(*, actor: User, highlight: Highlight) -> None:
    """Delete an entry (its text stays in the audit trail); its picture's file goes after commit."""
    _may_write(actor)
    highlight = Highlight.objects.select_for_update().get(pk=highlight.pk)
    audit(
        actor=actor,
        action="reporting.highlight.delete",
        target=highlight,
        kind=highlight.kind,
        title=highlight.title,
        text=highlight.text,
        attribution=highlight.attribution,
        starts_on=highlight.starts_on.isoformat(),
        ends_on=highlight.ends_on.isoformat(),
    )
    old_name = highlight.picture.name if highlight.picture else ""
    highlight.delete()
    _forget_file(old_name)
