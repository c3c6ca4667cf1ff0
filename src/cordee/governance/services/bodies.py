"""Writes on bodies and their seats: the coordinator sets up the hub's bodies and their members' terms."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.governance.models import Body, BodyMember
from cordee.governance.services.electorate import _short
from cordee.network.models import Organisation


def _check_body_fields(*, kind: str, name: str, quorum_percent: int, majority: str) -> None:
    if kind not in Body.Kind.values:
        raise DomainError(_("Choose the kind of body: general assembly, board or committee."), field="kind")
    if not name.strip():
        raise DomainError(_("Give the body a name."), field="name")
    if not 0 <= quorum_percent <= 100:
        raise DomainError(_("The quorum is a percentage, from 0 to 100."), field="quorum_percent")
    if majority not in Body.Majority.values:
        raise DomainError(_("Choose one of the majority rules offered."), field="majority")


# Words of the bodies' URLs that a body's identifier must not take.
RESERVED_SLUGS = {"nouvelle"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50].strip("-") or "instance"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Body.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def body_create(
    *, actor: User, kind: str, name: str, quorum_percent: int, majority: str, description: str = ""
) -> Body:
    if not permissions.can_manage_bodies(actor):
        raise NotAllowed(_("Only the coordinator sets up the hub's bodies."))
    _check_body_fields(kind=kind, name=name, quorum_percent=quorum_percent, majority=majority)
    with transaction.atomic():
        body = Body.objects.create(
            kind=kind,
            name=name.strip(),
            slug=_unique_slug(name),
            description=description.strip(),
            quorum_percent=quorum_percent,
            majority=majority,
        )
        audit(actor=actor, action="body.create", target=body, name=body.name, quorum=quorum_percent, majority=majority)
    return body


def body_update(
    *, actor: User, body: Body, kind: str, name: str, quorum_percent: int, majority: str, description: str = ""
) -> Body:
    """Change a body's name and rules. Its identifier stays (links to it keep working); decisions
    already closed keep the outcome they were closed with."""
    if not permissions.can_manage_bodies(actor):
        raise NotAllowed(_("Only the coordinator sets up the hub's bodies."))
    _check_body_fields(kind=kind, name=name, quorum_percent=quorum_percent, majority=majority)
    values = {
        "kind": kind,
        "name": name.strip(),
        "description": description.strip(),
        "quorum_percent": quorum_percent,
        "majority": majority,
    }
    with transaction.atomic():
        locked = Body.objects.select_for_update().get(pk=body.pk)
        changes = {
            field: [getattr(locked, field), value] for field, value in values.items() if getattr(locked, field) != value
        }
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(values))
        audit(actor=actor, action="body.update", target=locked, changes=changes)
    return locked


def seat_add(
    *,
    actor: User,
    body: Body,
    person: User,
    organisation: Organisation | None = None,
    role: str = "",
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> BodyMember:
    """Give a person a seat on a body for a term, sitting for an organisation (None: for nobody)."""
    if not permissions.can_manage_bodies(actor):
        raise NotAllowed(_("Only the coordinator sets up the hub's bodies."))
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("A term cannot end before it starts."), field="ends_on")
    if not person.is_active:
        raise DomainError(_("This person's account is closed: they cannot sit on a body."), field="person")
    with transaction.atomic():
        # One seat change of a body at a time, so two overlapping terms cannot both pass the check.
        Body.objects.select_for_update().filter(pk=body.pk).first()
        overlapping = BodyMember.objects.filter(body=body, person=person)
        overlapping = overlapping.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        clash = overlapping.order_by("starts_on").first()
        if clash is not None:
            raise DomainError(
                _("%(person)s already sits on %(body)s from %(start)s: one seat per person at a time.")
                % {"person": person.full_name, "body": body.name, "start": _short(clash.starts_on)},
                field="person",
            )
        seat = BodyMember.objects.create(
            body=body,
            person=person,
            organisation=organisation,
            role=role.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit(
            actor=actor,
            action="seat.add",
            target=seat,
            body=body.slug,
            person=person.pk,
            organisation=organisation.pk if organisation else None,
            starts_on=starts_on.isoformat(),
            ends_on=ends_on.isoformat() if ends_on else None,
        )
    return seat


def seat_end(*, actor: User, seat: BodyMember, ends_on: dt.date) -> BodyMember:
    """End a term on a day (the member still sits that day). A term may be shortened, not lengthened."""
    if not permissions.can_manage_bodies(actor):
        raise NotAllowed(_("Only the coordinator sets up the hub's bodies."))
    with transaction.atomic():
        locked = BodyMember.objects.select_for_update().get(pk=seat.pk)
        if ends_on < locked.starts_on:
            raise DomainError(
                _("A term cannot end before it starts (%(start)s).") % {"start": _short(locked.starts_on)},
                field="ends_on",
            )
        if locked.ends_on is not None and locked.ends_on <= ends_on:
            raise DomainError(
                _("This term already ends on %(day)s.") % {"day": _short(locked.ends_on)}, field="ends_on"
            )
        previous = locked.ends_on
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
        audit(
            actor=actor,
            action="seat.end",
            target=locked,
            ends_on=ends_on.isoformat(),
            previous=previous.isoformat() if previous else None,
        )
    return locked
