"""Writes on bodies, seats, decisions and votes: the only code that changes them.

Each service is one transaction with its audit row. They are not durable: the treasury opens and
closes its credit committee's decisions inside its own transaction (an advance request and the
decision put to the committee land together or not at all).

Recusal: a member sits for an organisation (or for nobody: the hub's staff, a qualified person).
The members sitting for an organisation a decision concerns cannot vote on it and do not count
for its quorum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.governance import rules
from cordee.governance.models import Body, BodyMember, Decision, Vote
from cordee.network.models import Organisation

MAX_COMMENT = 2000

# Refusals of a vote that say the person may not vote, rather than that the vote is malformed.
NO_SEAT = "no_seat"
RECUSED = "recused"


def _day(value: dt.date | dt.datetime | None) -> dt.date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def _short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def current_seats(body_id: int, on: dt.date | dt.datetime | None = None) -> QuerySet[BodyMember]:
    """The seats of a body whose term covers the day (today by default)."""
    day = _day(on)
    return BodyMember.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), body_id=body_id, starts_on__lte=day)


def _decision_day(decision: Decision, on: dt.date | dt.datetime | None) -> dt.date:
    """The day whose seats count: the one given, else the day a finished decision closed, else today."""
    if on is None and decision.closed_at is not None:
        return _day(decision.closed_at)
    return _day(on)


def entitled_seats(decision: Decision, on: dt.date | dt.datetime | None = None) -> QuerySet[BodyMember]:
    """The seats that may vote on the decision: current, and not sitting for an organisation it concerns."""
    return current_seats(decision.body_id, _decision_day(decision, on)).exclude(
        organisation__in=decision.concerned.values("pk")
    )


def recused_seats(decision: Decision, on: dt.date | dt.datetime | None = None) -> QuerySet[BodyMember]:
    """The current seats that sit for an organisation the decision concerns."""
    return current_seats(decision.body_id, _decision_day(decision, on)).filter(
        organisation__in=decision.concerned.values("pk")
    )


# --- Bodies and seats ---------------------------------------------------------------------------


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


# --- Decisions ----------------------------------------------------------------------------------


def decision_open(
    *,
    actor: User | None,
    body: Body,
    title: str,
    text: str = "",
    subject: models.Model | None = None,
    concerned: Iterable[Organisation] = (),
    closes_at: dt.datetime | None = None,
    check_permission: bool = True,
    now: dt.datetime | None = None,
) -> Decision:
    """Put a proposal to a body's vote. `subject` is any saved row it is about (an advance, a
    project); the members sitting for a `concerned` organisation are recused. With
    `check_permission=False` another service (the treasury's) opens it on its own authority."""
    if check_permission and not permissions.can_manage_bodies(actor):
        raise NotAllowed(_("Only the coordinator puts decisions to the hub's bodies."))
    now = now or timezone.now()
    concerned = list(concerned)
    if not title.strip():
        raise DomainError(_("Give the decision a title."), field="title")
    if closes_at is not None and closes_at <= now:
        raise DomainError(_("The vote must close in the future."), field="closes_at")
    if subject is not None and not isinstance(subject.pk, int):
        raise DomainError(_("The subject of a decision must be a saved row."), field="subject")
    with transaction.atomic():
        seats = list(current_seats(body.pk, now))
        if not seats:
            raise DomainError(_("%(body)s has no member today: nobody could vote.") % {"body": body.name}, field="body")
        concerned_ids = {organisation.pk for organisation in concerned}
        if all(seat.organisation_id in concerned_ids for seat in seats):
            raise DomainError(
                _("Every member of %(body)s sits for an organisation this decision concerns: nobody could vote.")
                % {"body": body.name},
                field="concerned",
            )
        decision = Decision.objects.create(
            body=body,
            title=title.strip(),
            text=text.strip(),
            subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
            subject_id=subject.pk if subject is not None else None,
            opens_at=now,
            closes_at=closes_at,
            opened_by=actor if actor is not None and actor.is_authenticated else None,
        )
        decision.concerned.set(concerned)
        audit(
            actor=actor,
            action="decision.open",
            target=decision,
            body=body.slug,
            subject=f"{subject._meta.label_lower}:{subject.pk}" if subject is not None else None,
            concerned=sorted(concerned_ids),
            closes_at=closes_at.isoformat() if closes_at else None,
        )
    return decision


def _lock_open(decision: Decision) -> Decision:
    locked = Decision.objects.select_for_update(of=("self",)).select_related("body").get(pk=decision.pk)
    if locked.status == Decision.Status.CLOSED:
        raise DomainError(_("The decision is closed: its outcome can no longer change."), field="status", code="closed")
    if locked.status == Decision.Status.CANCELLED:
        raise DomainError(_("The decision has been cancelled."), field="status", code="cancelled")
    return locked


def vote_cast(
    *, actor: User, decision: Decision, choice: str, comment: str = "", now: dt.datetime | None = None
) -> Vote:
    """The person's vote through their seat on the decision's body. Voting again before the
    decision closes changes the vote."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_open(decision)
        if locked.closes_at is not None and now >= locked.closes_at:
            raise DomainError(
                _("The vote closed on %(when)s.")
                % {"when": date_format(timezone.localtime(locked.closes_at), "j F Y H:i")},
                field="status",
                code="deadline",
            )
        seats = list(current_seats(locked.body_id, now).filter(person=actor).select_related("organisation"))
        if not seats:
            raise DomainError(
                _("You hold no seat on %(body)s today: only its members vote.") % {"body": locked.body.name},
                field="seat",
                code=NO_SEAT,
            )
        concerned = set(locked.concerned.values_list("pk", flat=True))
        seat = next((s for s in seats if s.organisation_id not in concerned), None)
        if seat is None:
            organisation = seats[0].organisation
            raise DomainError(
                _("You sit for %(organisation)s, which this decision concerns: you are recused and cannot vote on it.")
                % {"organisation": organisation.name if organisation else ""},
                field="seat",
                code=RECUSED,
            )
        if choice not in Vote.Choice.values:
            raise DomainError(_("Vote for, against, or abstain."), field="choice", code="invalid_choice")
        comment = comment.strip()
        if len(comment) > MAX_COMMENT:
            raise DomainError(
                _("Keep the comment under %(n)d characters.") % {"n": MAX_COMMENT}, field="comment", code="too_long"
            )
        vote = Vote.objects.filter(decision=locked, seat=seat).first()
        if vote is None:
            vote = Vote.objects.create(decision=locked, seat=seat, choice=choice, comment=comment, cast_at=now)
            audit(actor=actor, action="vote.cast", target=vote, decision=locked.pk, choice=choice)
        else:
            previous = vote.choice
            vote.choice, vote.comment, vote.cast_at = choice, comment, now
            vote.save(update_fields=["choice", "comment", "cast_at"])
            audit(actor=actor, action="vote.change", target=vote, decision=locked.pk, choice=choice, previous=previous)
    return vote


@dataclass(frozen=True)
class Figures:
    entitled: int
    votes_for: int
    votes_against: int
    abstentions: int

    def outcome(self, body: Body) -> str:
        return rules.outcome(
            quorum_percent=body.quorum_percent,
            majority=body.majority,
            entitled=self.entitled,
            votes_for=self.votes_for,
            votes_against=self.votes_against,
            abstentions=self.abstentions,
        )


def count(decision: Decision, on: dt.date | dt.datetime | None = None) -> Figures:
    """The votes of the seats entitled on the day, and how many seats are entitled."""
    entitled = entitled_seats(decision, on)
    votes = Vote.objects.filter(decision=decision, seat__in=entitled.values("pk"))
    by_choice = dict(votes.values("choice").annotate(n=models.Count("pk")).values_list("choice", "n"))
    return Figures(
        entitled=entitled.count(),
        votes_for=by_choice.get(Vote.Choice.FOR, 0),
        votes_against=by_choice.get(Vote.Choice.AGAINST, 0),
        abstentions=by_choice.get(Vote.Choice.ABSTAIN, 0),
    )


def decision_close(
    *,
    actor: User | None,
    decision: Decision,
    reasons: str = "",
    conditions: str = "",
    on: dt.datetime | None = None,
    check_permission: bool = True,
) -> Decision:
    """Count the votes of the entitled seats against the body's quorum and majority, and freeze
    the outcome with the figures it came from. `on` is the closing time (now by default); the
    seats current on its day are the ones that count."""
    if check_permission and not permissions.can_close_decision(actor, decision):
        raise NotAllowed(_("Only the coordinator closes a vote."))
    closed_at = on or timezone.now()
    with transaction.atomic():
        locked = _lock_open(decision)
        figures = count(locked, closed_at)
        body = locked.body
        locked.outcome = figures.outcome(body)
        locked.entitled_count = figures.entitled
        locked.votes_for = figures.votes_for
        locked.votes_against = figures.votes_against
        locked.abstentions = figures.abstentions
        locked.status = Decision.Status.CLOSED
        locked.reasons, locked.conditions = reasons.strip(), conditions.strip()
        locked.closed_at = closed_at
        locked.closed_by = actor if actor is not None and actor.is_authenticated else None
        locked.save()
        audit(
            actor=actor,
            action="decision.close",
            target=locked,
            outcome=locked.outcome,
            quorum_percent=body.quorum_percent,
            majority=body.majority,
            **asdict(figures),
        )
    return locked


def decision_cancel(*, actor: User | None, decision: Decision, reasons: str, check_permission: bool = True) -> Decision:
    """Withdraw a decision before it is closed (the request it was about was withdrawn, it was put
    to the wrong body). The votes stay on record; there is no outcome."""
    if check_permission and not permissions.can_close_decision(actor, decision):
        raise NotAllowed(_("Only the coordinator cancels a vote."))
    if not reasons.strip():
        raise DomainError(_("Say why the decision is cancelled: its members will read it."), field="reasons")
    with transaction.atomic():
        locked = _lock_open(decision)
        locked.status = Decision.Status.CANCELLED
        locked.reasons = reasons.strip()
        locked.closed_at = timezone.now()
        locked.closed_by = actor if actor is not None and actor.is_authenticated else None
        locked.save(update_fields=["status", "reasons", "closed_at", "closed_by"])
        audit(actor=actor, action="decision.cancel", target=locked, reasons=locked.reasons)
    return locked
