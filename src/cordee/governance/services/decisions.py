"""Opening a decision or a poll, counting it, closing it into the register of decisions, cancelling it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import User
from cordee.governance import rules
from cordee.governance.models import Body, Decision, Option, Preference, Vote
from cordee.governance.services.electorate import (
    assembly_members,
    counted_votes,
    current_seats,
    entitled_count,
    entitled_organisations,
    recused_organisations,
)
from cordee.network.models import Organisation

# The key of the PostgreSQL advisory lock that queues the register numbers (any constant will do).
REGISTER_LOCK = 80_126


@dataclass(frozen=True)
class Slot:
    """A slot of a meeting-time poll."""

    starts_at: dt.datetime
    ends_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        start = timezone.localtime(self.starts_at)
        label = date_format(start, "l d/m/Y H:i")
        if self.ends_at is not None:
            end = timezone.localtime(self.ends_at)
            label += "–" + (date_format(end, "H:i") if end.date() == start.date() else date_format(end, "d/m/Y H:i"))
        return label


MAX_OPTIONS = 20
MAX_SCORE = 10


def _check_options(
    kind: str, options: Sequence[str | Slot], max_choices: int | None, score_max: int
) -> list[tuple[str, Slot | None]]:
    """The poll's options as (label, slot), checked; refusals name the field."""
    if kind == Decision.Kind.PROPOSAL:
        if options:
            raise DomainError(
                _("A proposal is voted for, against or abstain: it has no options. Choose a poll kind."),
                field="options",
            )
        return []
    checked: list[tuple[str, Slot | None]] = []
    for option in options:
        if kind == Decision.Kind.MEETING:
            if not isinstance(option, Slot):
                raise DomainError(_("Each option of a meeting-time poll is a slot with a start."), field="options")
            if option.ends_at is not None and option.ends_at <= option.starts_at:
                raise DomainError(
                    _("The slot %(slot)s ends before it starts.") % {"slot": option.label}, field="options"
                )
            checked.append((option.label, option))
        else:
            label = option.label if isinstance(option, Slot) else " ".join(str(option).split())
            if not label:
                continue
            if len(label) > 200:
                raise DomainError(
                    _("Keep each option under 200 characters: “%(label)s…” is longer.") % {"label": label[:40]},
                    field="options",
                )
            checked.append((label, None))
    if len(checked) < 2:
        raise DomainError(_("A poll needs at least two options."), field="options", code="too_few_options")
    if len(checked) > MAX_OPTIONS:
        raise DomainError(_("A poll has at most %(n)d options.") % {"n": MAX_OPTIONS}, field="options")
    seen: set[str] = set()
    for label, _slot in checked:
        if label.casefold() in seen:
            raise DomainError(
                _("The option “%(label)s” is given twice: each option must be different.") % {"label": label},
                field="options",
                code="duplicate_option",
            )
        seen.add(label.casefold())
    if kind == Decision.Kind.MULTIPLE and max_choices is not None and not 1 <= max_choices <= len(checked):
        raise DomainError(
            _("The most options a voter may choose must be between 1 and %(n)d (the number of options).")
            % {"n": len(checked)},
            field="max_choices",
        )
    if kind == Decision.Kind.SCORE and not 1 <= score_max <= MAX_SCORE:
        raise DomainError(_("The highest score must be between 1 and %(n)d.") % {"n": MAX_SCORE}, field="score_max")
    return checked


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
    kind: str = Decision.Kind.PROPOSAL,
    options: Sequence[str | Slot] = (),
    max_choices: int | None = None,
    score_max: int = 5,
    category: str = Decision.Category.GENERAL,
    opens_at: dt.datetime | None = None,
) -> Decision:
    """Put a proposal (for, against, abstain) or a poll (`kind`, with its `options`: labels, or
    `Slot`s for a meeting-time poll) to a body's vote. `subject` is any saved row it is about (an
    advance, a project); a `concerned` organisation is recused (the members sitting for it, or, in
    the general assembly, its own vote). The vote may open later (`opens_at`). With
    `check_permission=False` another service (the treasury's) opens it on its own authority."""
    if check_permission and not permissions.can_manage_bodies(actor):
        raise NotAllowed(_("Only the coordinator puts decisions to the hub's bodies."))
    now = now or timezone.now()
    opens_at = opens_at or now
    concerned = list(concerned)
    if not title.strip():
        raise DomainError(_("Give the decision a title."), field="title")
    if kind not in Decision.Kind.values:
        raise DomainError(_("Choose the kind of vote."), field="kind")
    if category not in Decision.Category.values:
        raise DomainError(_("Choose what the register of decisions files it under."), field="category")
    if closes_at is not None and closes_at <= max(now, opens_at):
        raise DomainError(
            _("The vote must close in the future, after it opens."), field="closes_at", code="closes_too_early"
        )
    if subject is not None and not isinstance(subject.pk, int):
        raise DomainError(_("The subject of a decision must be a saved row."), field="subject")
    checked = _check_options(kind, options, max_choices, score_max)
    concerned_ids = {organisation.pk for organisation in concerned}
    with transaction.atomic():
        if body.kind == Body.Kind.GENERAL_ASSEMBLY:
            members = list(assembly_members(now).values_list("pk", flat=True))
            if not members:
                raise DomainError(
                    _("The hub has no active member organisation today: nobody could vote."), field="body"
                )
            if all(pk in concerned_ids for pk in members):
                raise DomainError(
                    _("Every active member organisation is concerned by this decision: nobody could vote."),
                    field="concerned",
                )
        else:
            seats = list(current_seats(body.pk, now))
            if not seats:
                raise DomainError(
                    _("%(body)s has no member today: nobody could vote.") % {"body": body.name}, field="body"
                )
            if all(seat.organisation_id in concerned_ids for seat in seats):
                raise DomainError(
                    _("Every member of %(body)s sits for an organisation this decision concerns: nobody could vote.")
                    % {"body": body.name},
                    field="concerned",
                )
        decision = Decision.objects.create(
            body=body,
            kind=kind,
            category=category,
            max_choices=max_choices if kind == Decision.Kind.MULTIPLE else None,
            score_max=score_max if kind == Decision.Kind.SCORE else 5,
            title=title.strip(),
            text=text.strip(),
            subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
            subject_id=subject.pk if subject is not None else None,
            opens_at=opens_at,
            closes_at=closes_at,
            opened_by=actor if actor is not None and actor.is_authenticated else None,
        )
        decision.concerned.set(concerned)
        Option.objects.bulk_create(
            Option(
                decision=decision,
                position=position,
                label=label,
                starts_at=slot.starts_at if slot else None,
                ends_at=slot.ends_at if slot else None,
            )
            for position, (label, slot) in enumerate(checked, start=1)
        )
        audit(
            actor=actor,
            action="decision.open",
            target=decision,
            body=body.slug,
            kind=kind,
            category=category,
            options=[label for label, _slot in checked],
            subject=f"{subject._meta.label_lower}:{subject.pk}" if subject is not None else None,
            concerned=sorted(concerned_ids),
            opens_at=opens_at.isoformat(),
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


@dataclass(frozen=True)
class Figures:
    entitled: int
    votes_for: int
    votes_against: int
    abstentions: int
    ballots: int = 0  # polls: the ballots counted

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions + self.ballots

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
    """The votes of the seats (or organisations) entitled on the day, and how many are entitled."""
    votes = counted_votes(decision, on)
    entitled = entitled_count(decision, on)
    if decision.kind != Decision.Kind.PROPOSAL:
        return Figures(entitled=entitled, votes_for=0, votes_against=0, abstentions=0, ballots=votes.count())
    by_choice = dict(votes.values("choice").annotate(n=models.Count("pk")).values_list("choice", "n"))
    return Figures(
        entitled=entitled,
        votes_for=by_choice.get(Vote.Choice.FOR, 0),
        votes_against=by_choice.get(Vote.Choice.AGAINST, 0),
        abstentions=by_choice.get(Vote.Choice.ABSTAIN, 0),
    )


def poll_results(decision: Decision, on: dt.date | dt.datetime | None = None) -> dict[str, Any]:
    """A poll's figures as the register keeps them: each option's count, points and share, its
    mean and spread of scores (score), its yes / if need be / no (meeting), and the outcome."""
    options = list(decision.options.all())
    votes = list(counted_votes(decision, on).values_list("pk", flat=True))
    ballots: dict[int, dict[int, int]] = {pk: {} for pk in votes}
    for vote_id, option_id, value in Preference.objects.filter(vote_id__in=votes).values_list(
        "vote_id", "option_id", "value"
    ):
        ballots[vote_id][option_id] = value
    kind = decision.kind
    counts = rules.count_poll(kind, [o.pk for o in options], list(ballots.values()), score_max=decision.score_max)
    entitled = entitled_count(decision, on)
    outcome, winner = rules.poll_outcome(
        kind, counts, quorum_percent=decision.body.quorum_percent, entitled=entitled, ballots=len(ballots)
    )
    shares = {share.key: share for share in rules.shares({str(c.key): c.points for c in counts})}
    ordered = [c.key for c in rules.ranking(kind, counts)]
    rows = []
    for option, figures in zip(options, counts, strict=True):
        row: dict[str, Any] = {
            "id": option.pk,
            "label": option.label,
            "count": figures.count,
            "points": figures.points,
            "percent": shares[str(option.pk)].percent,
            "rank": ordered.index(option.pk) + 1,
        }
        if kind == Decision.Kind.SCORE:
            row["mean_tenths"] = rules.mean_tenths(figures.points, figures.count)
            row["percent"] = figures.points * 100 // (figures.count * decision.score_max) if figures.count else 0
            row["distribution"] = list(figures.distribution)
        if kind == Decision.Kind.MEETING:
            row["yes"], row["maybe"] = figures.points, figures.maybe
            row["no"] = figures.count - figures.points - figures.maybe
            row["percent"] = figures.points * 100 // len(ballots) if ballots else 0
        rows.append(row)
    return {
        "kind": kind,
        "ballots": len(ballots),
        "entitled": entitled,
        "quorum_needed": rules.quorum_needed(decision.body.quorum_percent, entitled),
        "outcome": outcome,
        "winner": winner,
        "options": rows,
    }


def _next_register_number(year: int) -> str:
    """The next number of the register of decisions for the year. Two closings must not take the
    same number: on PostgreSQL a transaction-level advisory lock queues them (it is released with
    the transaction that writes the number); SQLite takes its write lock when a transaction starts
    (transaction_mode IMMEDIATE), so its writers already queue up. The unique constraint backs both."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [REGISTER_LOCK, year])
    taken = Decision.objects.filter(register_number__startswith=f"{year}-").values_list("register_number", flat=True)
    last = max((int(number.split("-", 1)[1]) for number in taken), default=0)
    return f"{year}-{last + 1:03d}"


def decision_close(
    *,
    actor: User | None,
    decision: Decision,
    reasons: str = "",
    conditions: str = "",
    on: dt.datetime | None = None,
    check_permission: bool = True,
) -> Decision:
    """Count the votes of the entitled seats (or member organisations) against the body's quorum
    and majority (a poll: retain the option that comes first), freeze the outcome with the figures
    it came from, and enter the decision in the register with the year's next number. `on` is the
    closing time (now by default); the seats current on its day are the ones that count."""
    if check_permission and not permissions.can_close_decision(actor, decision):
        raise NotAllowed(_("Only the coordinator closes a vote."))
    closed_at = on or timezone.now()
    with transaction.atomic():
        locked = _lock_open(decision)
        figures = count(locked, closed_at)
        body = locked.body
        results: dict[str, Any]
        if locked.kind == Decision.Kind.PROPOSAL:
            locked.outcome = figures.outcome(body)
            locked.votes_for = figures.votes_for
            locked.votes_against = figures.votes_against
            locked.abstentions = figures.abstentions
            results = {
                "kind": locked.kind,
                "ballots": figures.cast,
                "entitled": figures.entitled,
                "quorum_needed": rules.quorum_needed(body.quorum_percent, figures.entitled),
                "outcome": locked.outcome,
            }
        else:
            results = poll_results(locked, closed_at)
            locked.outcome = results["outcome"]
            locked.winning_option_id = results["winner"]
        results["quorum_percent"] = body.quorum_percent
        results["majority"] = body.majority
        if body.kind == Body.Kind.GENERAL_ASSEMBLY:
            results["entitled_organisations"] = list(
                entitled_organisations(locked, closed_at).order_by("sort_name", "pk").values_list("pk", flat=True)
            )
            results["recused_organisations"] = list(
                recused_organisations(locked, closed_at).order_by("sort_name", "pk").values_list("pk", flat=True)
            )
        locked.results = results
        locked.entitled_count = figures.entitled
        locked.status = Decision.Status.CLOSED
        locked.reasons, locked.conditions = reasons.strip(), conditions.strip()
        locked.closed_at = closed_at
        locked.closed_by = actor if actor is not None and actor.is_authenticated else None
        locked.register_number = _next_register_number(timezone.localtime(closed_at).year)
        locked.save()
        audit(
            actor=actor,
            action="decision.close",
            target=locked,
            outcome=locked.outcome,
            register_number=locked.register_number,
            winning_option=locked.winning_option_id,
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
