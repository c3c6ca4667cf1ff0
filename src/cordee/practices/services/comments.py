"""What members say about a published sheet: a comment, a question to its authors, or "we tried it
too" with a short testimony given on behalf of one of their organisations (once per organisation).

The text is plain: it is stored as typed and escaped when shown, line breaks kept. The authors (the
person who wrote the sheet and the member admins of its organisations) are written to after commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit, is_silenced
from cordee.core.models import User
from cordee.network.models import Affiliation, Organisation
from cordee.practices.models import Comment, Practice

MAX_TEXT = 2000


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError(_("Write a few words."), field="text", code="required")
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("At most %(max)d characters (%(count)d written).") % {"max": MAX_TEXT, "count": len(text)},
            field="text",
            code="max_length",
        )
    return text


def _check_organisation(actor: User, kind: str, organisation: Organisation | None) -> None:
    if organisation is None:
        if kind == Comment.Kind.TRIED:
            raise DomainError(
                _("Say on behalf of which of your organisations you tried it."), field="organisation", code="required"
            )
        return
    if not permissions.can_testify_for(actor, organisation.pk):
        raise DomainError(_("You may only speak for your own organisations."), field="organisation", code="not_yours")


def author_addresses(practice: Practice, *, leaving_out: User | None = None) -> list[str]:
    """The person who wrote the sheet and the member admins of its organisations."""
    people = {practice.author_id: practice.author.email}
    admins = Affiliation.objects.filter(
        organisation__in=practice.organisations.all(), role=Affiliation.Role.ADMIN, person__is_active=True
    ).values_list("person_id", "person__email")
    people.update(dict(admins))
    if leaving_out is not None:
        people.pop(leaving_out.pk, None)
    return sorted({email for email in people.values() if email})


def comment_create(
    *, actor: User, practice: Practice, kind: str, text: str, organisation: Organisation | None = None
) -> Comment:
    if kind not in Comment.Kind.values:
        raise DomainError(_("Choose a comment, a question or “we tried it too”."), field="kind", code="invalid_choice")
    with transaction.atomic(durable=True):
        # Locking the sheet makes two "we tried it too" of one organisation wait for each other.
        practice = Practice.objects.select_for_update().get(pk=practice.pk)
        if practice.state != Practice.State.PUBLISHED:
            raise DomainError(_("Only a published sheet can be commented."), code="not_published")
        if not permissions.can_comment_practice(actor, practice):
            raise NotAllowed(_("Only the people of member organisations comment on the sheets."))
        text = _check_text(text)
        _check_organisation(actor, kind, organisation)
        if (
            kind == Comment.Kind.TRIED
            and Comment.objects.filter(practice=practice, kind=Comment.Kind.TRIED, organisation=organisation).exists()
        ):
            raise DomainError(
                _("%(name)s already said it tried this practice.") % {"name": organisation.name},  # type: ignore[union-attr]
                field="organisation",
                code="already_tried",
            )
        comment = Comment.objects.create(
            practice=practice, kind=kind, text=text, author=actor, organisation=organisation
        )
        audit(
            actor=actor,
            action="practices.comment.create",
            target=practice,
            comment=comment.pk,
            kind=kind,
            organisation=organisation.pk if organisation else None,
        )
        if not is_silenced():
            email_after_commit(
                to=author_addresses(practice, leaving_out=actor),
                template="practices/community/email/comment",
                context={
                    "practice": practice,
                    "comment": comment,
                    "actor": actor,
                    "url": f"{settings.SITE_URL}{practice.get_absolute_url()}#commentaires",
                },
            )
    return comment


def comment_delete(*, actor: User, comment: Comment) -> None:
    """By its author, or by the coordinator to moderate."""
    if not permissions.can_delete_practice_comment(actor, comment):
        raise NotAllowed(_("Only its author or the coordinator may delete a comment."))
    with transaction.atomic(durable=True):
        audit(
            actor=actor,
            action="practices.comment.delete",
            target=comment.practice,
            comment=comment.pk,
            kind=comment.kind,
            author=comment.author_id,
        )
        Comment.objects.filter(pk=comment.pk).delete()
