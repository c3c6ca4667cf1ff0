"""Practice sheets: writing them, their review by the coordinator, and their attachments.

A sheet is a draft while its authors write it; submitted, it waits in review; the coordinator
publishes it or sends it back to draft with a note; a published sheet can be taken back to draft
(unpublished) by the coordinator, with a note. Authors change a sheet only while it is a draft;
the coordinator at any time. Every save cleans the rich text and recomputes the search words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.core.models import HubRole, User
from cordee.network.models import Affiliation, Commune, Organisation
from cordee.practices import files
from cordee.practices.models import Attachment, Practice, ReadDay, Theme
from cordee.practices.richtext import clean_html, plain_text
from cordee.practices.search import search_text_for

TITLE_MIN_LENGTH = 5
RICH_TEXT_MAX_LENGTH = 20_000
MAX_COST_CENTS = 100_000_000  # 1 000 000 €
SLUG_BASE_LENGTH = 70
# Words of the addresses under /bonnes-pratiques/ that a sheet's address must not take.
RESERVED_SLUGS = frozenset({"nouvelle", "relecture", "flux", "atom", "rss", "api", "pdf", "imprimer"})
RICH_FIELDS = ("context", "steps", "results", "watch_out")
SHEET_FIELDS = (
    "title",
    "summary",
    "context",
    "steps",
    "results",
    "watch_out",
    "cost_cents",
    "cost_note",
    "theme",
    "tags",
    "commune",
    "contact_name",
    "contact_email",
    "visibility",
)


def _max_length(name: str) -> int:
    return int(getattr(Practice._meta.get_field(name), "max_length", None) or 0)


def _too_long(field: str, limit: int) -> DomainError:
    return DomainError(
        _("This field must be at most %(max)s characters long.") % {"max": limit}, field=field, code="length"
    )


def normalise_tags(tags: str | Iterable[str]) -> str:
    """Tags lower-cased, trimmed, without repeats, joined by ", "."""
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    cleaned = [" ".join(tag.split()).lower() for tag in items]
    return ", ".join(dict.fromkeys(tag for tag in cleaned if tag))


def _clean(
    *,
    title: str,
    summary: str,
    steps: str,
    theme: str,
    context: str = "",
    results: str = "",
    watch_out: str = "",
    cost_cents: int | None = None,
    cost_note: str = "",
    tags: str | Iterable[str] = "",
    commune: Commune | None = None,
    contact_name: str = "",
    contact_email: str = "",
    visibility: str = Practice.Visibility.PUBLIC,
) -> dict[str, Any]:
    """The fields of a sheet checked and tidied, or the first rule broken, naming its field."""
    title = " ".join((title or "").split())
    if not TITLE_MIN_LENGTH <= len(title) <= _max_length("title"):
        raise DomainError(
            _("The title must be %(min)s to %(max)s characters long.")
            % {"min": TITLE_MIN_LENGTH, "max": _max_length("title")},
            field="title",
            code="length",
        )
    summary = plain_text(summary or "")
    if not summary:
        raise DomainError(_("Sum the practice up in a few sentences."), field="summary", code="required")
    if len(summary) > _max_length("summary"):
        raise _too_long("summary", _max_length("summary"))
    rich = {}
    for name, value in (("context", context), ("steps", steps), ("results", results), ("watch_out", watch_out)):
        if len(value or "") > RICH_TEXT_MAX_LENGTH:
            raise _too_long(name, RICH_TEXT_MAX_LENGTH)
        rich[name] = clean_html(value or "")
    if not plain_text(rich["steps"]):
        raise DomainError(_("Say what was done, step by step."), field="steps", code="required")
    if theme not in Theme.values:
        raise DomainError(_("Choose a theme from the list."), field="theme", code="required")
    if cost_cents is not None and (
        not isinstance(cost_cents, int) or isinstance(cost_cents, bool) or not 0 <= cost_cents <= MAX_COST_CENTS
    ):
        raise DomainError(
            _("The cost must be an amount from 0 to %(max)s euros.") % {"max": "1 000 000"},
            field="cost_cents",
            code="range",
        )
    cost_note = " ".join((cost_note or "").split())
    if len(cost_note) > _max_length("cost_note"):
        raise _too_long("cost_note", _max_length("cost_note"))
    tags = normalise_tags(tags or "")
    if len(tags) > _max_length("tags"):
        raise _too_long("tags", _max_length("tags"))
    contact_name = " ".join((contact_name or "").split())
    if len(contact_name) > _max_length("contact_name"):
        raise _too_long("contact_name", _max_length("contact_name"))
    contact_email = (contact_email or "").strip()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            raise DomainError(_("Enter a valid e-mail address."), field="contact_email", code="invalid") from None
        if len(contact_email) > _max_length("contact_email"):
            raise _too_long("contact_email", _max_length("contact_email"))
    if visibility not in Practice.Visibility.values:
        raise DomainError(_("Choose who may read the sheet."), field="visibility", code="required")
    return {
        "title": title,
        "summary": summary,
        **rich,
        "theme": theme,
        "cost_cents": cost_cents,
        "cost_note": cost_note,
        "tags": tags,
        "commune": commune,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "visibility": visibility,
    }


def _check_organisations(actor: User, organisations: Iterable[Organisation]) -> list[Organisation]:
    chosen = list(dict.fromkeys(organisations or []))
    if not chosen:
        raise DomainError(_("Name at least one organisation that did it."), field="organisations", code="required")
    for organisation in chosen:
        if not permissions.can_write_practice_for(actor, organisation.pk):
            raise DomainError(
                _("You can write sheets only for your own organisations, not for %(name)s.")
                % {"name": organisation.name},
                field="organisations",
                code="not_yours",
            )
    return chosen


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:SLUG_BASE_LENGTH].strip("-") or "fiche"
    existing = Practice.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    taken = set(existing.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken or slug in RESERVED_SLUGS:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save(practice: Practice, update_fields: list[str] | None = None) -> None:
    practice.search_text = search_text_for(practice)
    if update_fields is None:
        practice.save()
    else:
        practice.save(update_fields=[*update_fields, "search_text", "updated_at"])


def _locked(practice: Practice) -> Practice:
    return Practice.objects.select_for_update(of=("self",)).get(pk=practice.pk)


def _may_change(actor: User, practice: Practice) -> None:
    """Authors while it is a draft, the coordinator at any time."""
    if permissions.can_review_practices(actor):
        return
    if not permissions.is_practice_author(actor, practice):
        raise NotAllowed()
    if practice.state != Practice.State.DRAFT:
        raise DomainError(
            _("The sheet can be changed only as a draft: ask the coordinator to send it back to you."),
            field="state",
            code="state",
        )


def may_change(actor: Any, practice: Practice) -> bool:
    """Whether `actor` may change the sheet now (its fields, organisations and files)."""
    try:
        _may_change(actor, practice)
    except DomainError:
        return False
    return True


def _require_state(practice: Practice, state: str) -> None:
    if practice.state != state:
        messages: dict[str, str] = {
            Practice.State.DRAFT: _("Only a draft can be submitted for review."),
            Practice.State.REVIEW: _("Only a sheet in review can be published or sent back."),
            Practice.State.PUBLISHED: _("Only a published sheet can be unpublished."),
        }
        raise DomainError(messages[state], field="state", code="state")


def _note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DomainError(what, field="review_note", code="required")
    if len(note) > _max_length("review_note"):
        raise _too_long("review_note", _max_length("review_note"))
    return note


# --- E-mails -----------------------------------------------------------------------------


def _coordinator_emails() -> list[str]:
    return sorted(
        set(
            HubRole.objects.filter(role=HubRole.Role.COORDINATOR, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _author_emails(practice: Practice) -> list[str]:
    """The person who wrote it and the admins (référents) of its organisations."""
    emails = set(
        Affiliation.objects.filter(
            organisation__in=practice.organisations.all(), role=Affiliation.Role.ADMIN, person__is_active=True
        )
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    if practice.author.is_active and practice.author.email:
        emails.add(practice.author.email)
    return sorted(emails)


def _email(to: list[str], template: str, practice: Practice, actor: User) -> None:
    email_after_commit(
        to=to,
        template=f"practices/email/{template}",
        context={"practice": practice, "actor": actor, "site_url": settings.SITE_URL},
    )


# --- Sheets ------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def practice_create(*, actor: User, organisations: Iterable[Organisation], **fields: Any) -> Practice:
    """A new draft written by `actor` for `organisations` (their own, unless the coordinator)."""
    if not (permissions.can_write_practices(actor) or permissions.can_review_practices(actor)):
        raise NotAllowed(_("Only the people of member organisations write practice sheets."))
    unknown = set(fields) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    chosen = _check_organisations(actor, organisations)
    cleaned = _clean(**fields)
    practice = Practice(author=actor, slug=unique_slug(cleaned["title"]), **cleaned)
    _save(practice)
    practice.organisations.set(chosen)
    audit(actor=actor, action="practices.practice.create", target=practice, title=practice.title)
    return practice


@transaction.atomic(durable=True)
def practice_update(
    *, actor: User, practice: Practice, organisations: Iterable[Organisation] | None = None, **fields: Any
) -> Practice:
    """Change the fields of a sheet (all of them given), and its organisations when given."""
    practice = _locked(practice)
    _may_change(actor, practice)
    unknown = set(fields) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    chosen = _check_organisations(actor, organisations) if organisations is not None else None
    cleaned = _clean(**fields)
    changed = sorted(name for name, value in cleaned.items() if getattr(practice, name) != value)
    for name, value in cleaned.items():
        setattr(practice, name, value)
    _save(practice)
    if chosen is not None:
        before = set(practice.organisations.values_list("pk", flat=True))
        if before != {organisation.pk for organisation in chosen}:
            practice.organisations.set(chosen)
            changed.append("organisations")
    audit(actor=actor, action="practices.practice.update", target=practice, changed=changed)
    return practice


@transaction.atomic(durable=True)
def practice_submit(*, actor: User, practice: Practice) -> Practice:
    """Draft -> review, by its authors; the coordinator is told."""
    practice = _locked(practice)
    if not (permissions.is_practice_author(actor, practice) or permissions.can_review_practices(actor)):
        raise NotAllowed()
    _require_state(practice, Practice.State.DRAFT)
    practice.state = Practice.State.REVIEW
    practice.submitted_at = timezone.now()
    _save(practice, ["state", "submitted_at"])
    audit(actor=actor, action="practices.practice.submit", target=practice)
    _email(_coordinator_emails(), "practice_submitted", practice, actor)
    return practice


@transaction.atomic(durable=True)
def practice_publish(*, actor: User, practice: Practice) -> Practice:
    """Review -> published, by the coordinator; the authors are told."""
    if not permissions.can_review_practices(actor):
        raise NotAllowed(_("Only the coordinator publishes practice sheets."))
    practice = _locked(practice)
    _require_state(practice, Practice.State.REVIEW)
    practice.state = Practice.State.PUBLISHED
    practice.published_at = timezone.now()
    practice.review_note = ""
    _save(practice, ["state", "published_at", "review_note"])
    audit(actor=actor, action="practices.practice.publish", target=practice)
    _email(_author_emails(practice), "practice_published", practice, actor)
    return practice


@transaction.atomic(durable=True)
def practice_send_back(*, actor: User, practice: Practice, note: str) -> Practice:
    """Review -> draft, by the coordinator, with a note saying what to change; the authors are told."""
    if not permissions.can_review_practices(actor):
        raise NotAllowed(_("Only the coordinator reviews practice sheets."))
    practice = _locked(practice)
    _require_state(practice, Practice.State.REVIEW)
    practice.review_note = _note(note, _("Say what the authors should change."))
    practice.state = Practice.State.DRAFT
    _save(practice, ["state", "review_note"])
    audit(actor=actor, action="practices.practice.send_back", target=practice, note=practice.review_note)
    _email(_author_emails(practice), "practice_sent_back", practice, actor)
    return practice


@transaction.atomic(durable=True)
def practice_unpublish(*, actor: User, practice: Practice, note: str) -> Practice:
    """Published -> draft, by the coordinator, with a note saying why; the authors are told."""
    if not permissions.can_review_practices(actor):
        raise NotAllowed(_("Only the coordinator unpublishes practice sheets."))
    practice = _locked(practice)
    _require_state(practice, Practice.State.PUBLISHED)
    practice.review_note = _note(note, _("Say why the sheet is unpublished."))
    practice.state = Practice.State.DRAFT
    practice.published_at = None
    _save(practice, ["state", "review_note", "published_at"])
    audit(actor=actor, action="practices.practice.unpublish", target=practice, note=practice.review_note)
    _email(_author_emails(practice), "practice_unpublished", practice, actor)
    return practice


def practice_record_read(*, practice: Practice, reader: Any) -> bool:
    """Count one reading of a published sheet, not by its authors. Not audited: a counter."""
    if practice.state != Practice.State.PUBLISHED or permissions.is_practice_author(reader, practice):
        return False
    with transaction.atomic():  # the total and the day's count move together
        Practice.objects.filter(pk=practice.pk).update(read_count=F("read_count") + 1)
        _count_read_today(practice)
    return True


def _count_read_today(practice: Practice) -> None:
    """Add one to the sheet's readings of the day (the reports count readings per period), as an
    increment in the database so that two readers at once both count. The day's first reading
    creates the row, ignoring the conflict if another reader created it meanwhile
    (INSERT … ON CONFLICT DO NOTHING on PostgreSQL, INSERT OR IGNORE on SQLite), then increments it."""
    today = timezone.localdate()
    day = ReadDay.objects.filter(practice_id=practice.pk, day=today)
    if not day.update(count=F("count") + 1):
        ReadDay.objects.bulk_create([ReadDay(practice_id=practice.pk, day=today, count=0)], ignore_conflicts=True)
        day.update(count=F("count") + 1)


# --- Attachments -------------------------------------------------------------------------


@transaction.atomic(durable=True)
def attachment_add(*, actor: User, practice: Practice, file: Any, label: str = "") -> Attachment:
    """Attach a checked file (see `cordee.practices.files`) to a sheet."""
    practice = _locked(practice)
    _may_change(actor, practice)
    content_type, size = files.check_upload(file)
    label = " ".join((label or "").split()) or " ".join(str(file.name).rsplit("/", 1)[-1].split())
    limit = int(Attachment._meta.get_field("label").max_length or 120)
    if len(label) > limit:
        raise DomainError(
            _("The label must be at most %(max)s characters long.") % {"max": limit}, field="label", code="length"
        )
    attachment = Attachment(practice=practice, label=label, content_type=content_type, size=size, uploaded_by=actor)
    attachment.file.save(f"{practice.slug}.{files.extension_of(file.name)}", file, save=False)
    attachment.save()
    audit(
        actor=actor,
        action="practices.attachment.add",
        target=practice,
        attachment=attachment.pk,
        label=label,
        content_type=content_type,
        size=size,
    )
    return attachment


@transaction.atomic(durable=True)
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """Remove a file from a sheet; the stored file goes once the removal is committed."""
    practice = _locked(attachment.practice)
    _may_change(actor, practice)
    name, storage = attachment.file.name, attachment.file.storage
    audit(
        actor=actor,
        action="practices.attachment.remove",
        target=practice,
        attachment=attachment.pk,
        label=attachment.label,
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)
