"""Casting a vote: through a seat, or for a member organisation in the general assembly; the
ballot of each poll kind; one vote per seat or organisation unless its author changes it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.audit import audit
from cordee.core.errors import DomainError
from cordee.core.models import User
from cordee.governance import rules
from cordee.governance.models import Body, BodyMember, Decision, Preference, Vote
from cordee.governance.services.decisions import _lock_open
from cordee.governance.services.electorate import (
    ALREADY_VOTED,
    NO_SEAT,
    RECUSED,
    _when,
    current_seats,
    represented_organisations,
)
from cordee.network.models import Organisation

MAX_COMMENT = 2000


def _assembly_voter(
    actor: User, decision: Decision, organisation: Organisation | None, now: dt.datetime
) -> Organisation:
    represented = list(represented_organisations(actor, now))
    concerned = set(decision.concerned.values_list("pk", flat=True))
    if organisation is not None:
        match = next((o for o in represented if o.pk == organisation.pk), None)
        if match is None:
            raise DomainError(
                _(
                    "You do not cast the vote of %(organisation)s: only a member admin of an active member "
                    "organisation votes for it."
                )
                % {"organisation": organisation.name},
                field="organisation",
                code=NO_SEAT,
            )
        candidates = [match]
    else:
        candidates = represented
    if not candidates:
        raise DomainError(
            _("Only the member admins of an active member organisation vote in the general assembly."),
            field="organisation",
            code=NO_SEAT,
        )
    allowed = [o for o in candidates if o.pk not in concerned]
    if not allowed:
        raise DomainError(
            _("This decision concerns %(organisation)s: it is recused and does not vote on it.")
            % {"organisation": candidates[0].name},
            field="organisation",
            code=RECUSED,
        )
    if len(allowed) > 1:
        raise DomainError(
            _("You represent several member organisations: say which one votes."),
            field="organisation",
            code="choose_organisation",
        )
    return allowed[0]


def _seat_voter(actor: User, decision: Decision, now: dt.datetime) -> BodyMember:
    seats = list(current_seats(decision.body_id, now).filter(person=actor).select_related("organisation"))
    if not seats:
        raise DomainError(
            _("You hold no seat on %(body)s today: only its members vote.") % {"body": decision.body.name},
            field="seat",
            code=NO_SEAT,
        )
    concerned = set(decision.concerned.values_list("pk", flat=True))
    seat = next((s for s in seats if s.organisation_id not in concerned), None)
    if seat is None:
        organisation = seats[0].organisation
        raise DomainError(
            _("You sit for %(organisation)s, which this decision concerns: you are recused and cannot vote on it.")
            % {"organisation": organisation.name if organisation else ""},
            field="seat",
            code=RECUSED,
        )
    return seat


def _check_ballot(decision: Decision, preferences: dict[int, int] | None) -> dict[int, int]:
    """A poll ballot, checked against the poll's kind; the values kept are the ones that count."""
    options = list(decision.options.all())
    keys = {option.pk for option in options}
    given = {int(key): int(value) for key, value in (preferences or {}).items()}
    unknown = set(given) - keys
    if unknown:
        raise DomainError(_("This option is not one of the poll's."), field="preferences", code="unknown_option")
    if any(value < 0 for value in given.values()):
        raise DomainError(_("A ballot holds no negative value."), field="preferences", code="invalid_ballot")
    chosen = {key: value for key, value in given.items() if value > 0}
    kind = decision.kind
    if kind == Decision.Kind.SINGLE:
        if len(chosen) != 1:
            raise DomainError(_("Choose exactly one option."), field="preferences", code="invalid_ballot")
        return dict.fromkeys(chosen, 1)
    if kind == Decision.Kind.MULTIPLE:
        most = decision.max_choices or len(options)
        if not 1 <= len(chosen) <= most:
            raise DomainError(
                _("Choose between 1 and %(n)d options.") % {"n": most}, field="preferences", code="invalid_ballot"
            )
        return dict.fromkeys(chosen, 1)
    if kind == Decision.Kind.RANKED:
        ranks = sorted(chosen.values())
        if not ranks or ranks != list(range(1, len(ranks) + 1)):
            raise DomainError(
                _("Rank the options you rank 1, 2, 3… with no rank given twice and none skipped."),
                field="preferences",
                code="invalid_ballot",
            )
        return chosen
    if kind == Decision.Kind.SCORE:
        if set(given) != keys or any(value > decision.score_max for value in given.values()):
            raise DomainError(
                _("Score every option from 0 to %(n)d.") % {"n": decision.score_max},
                field="preferences",
                code="invalid_ballot",
            )
        return given
    if kind == Decision.Kind.MEETING:
        if set(given) != keys or any(value not in (rules.YES, rules.IF_NEED_BE, rules.NO) for value in given.values()):
            raise DomainError(
                _("Answer every slot: available, if need be, or not available."),
                field="preferences",
                code="invalid_ballot",
            )
        return given
    raise DomainError(_("This decision is a proposal: vote for, against, or abstain."), field="choice")


def vote_cast(
    *,
    actor: User,
    decision: Decision,
    choice: str = "",
    comment: str = "",
    now: dt.datetime | None = None,
    preferences: dict[int, int] | None = None,
    organisation: Organisation | None = None,
    change: bool = False,
) -> Vote:
    """The person's vote: through their seat on a board or committee, or, in the general assembly,
    for the member organisation they represent (`organisation`, when they represent several). A
    proposal takes a `choice`; a poll takes `preferences` (option id -> value, see Preference).
    One vote per seat or organisation: voting again is refused, unless the person who cast the vote
    changes it (`change=True`) before the decision closes."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_open(decision)
        if locked.closes_at is not None and now >= locked.closes_at:
            raise DomainError(
                _("The vote closed on %(when)s.") % {"when": _when(locked.closes_at)}, field="status", code="deadline"
            )
        if now < locked.opens_at:
            raise DomainError(
                _("The vote opens on %(when)s: come back then.") % {"when": _when(locked.opens_at)},
                field="status",
                code="not_open",
            )
        seat: BodyMember | None = None
        voter: Organisation | None = None
        if locked.body.kind == Body.Kind.GENERAL_ASSEMBLY:
            voter = _assembly_voter(actor, locked, organisation, now)
            previous_vote = Vote.objects.filter(decision=locked, organisation=voter, seat__isnull=True).first()
        else:
            seat = _seat_voter(actor, locked, now)
            previous_vote = Vote.objects.filter(decision=locked, seat=seat).first()
        if locked.kind == Decision.Kind.PROPOSAL:
            if choice not in Vote.Choice.values:
                raise DomainError(_("Vote for, against, or abstain."), field="choice", code="invalid_choice")
            ballot: dict[int, int] = {}
        else:
            choice = ""
            ballot = _check_ballot(locked, preferences)
        comment = comment.strip()
        if len(comment) > MAX_COMMENT:
            raise DomainError(
                _("Keep the comment under %(n)d characters.") % {"n": MAX_COMMENT}, field="comment", code="too_long"
            )
        if previous_vote is not None:
            _check_change(previous_vote, actor=actor, voter=voter, change=change)
        if previous_vote is None:
            vote = Vote.objects.create(
                decision=locked,
                seat=seat,
                organisation=voter,
                cast_by=actor,
                choice=choice,
                comment=comment,
                cast_at=now,
            )
            Preference.objects.bulk_create(Preference(vote=vote, option_id=k, value=v) for k, v in ballot.items())
            audit(
                actor=actor,
                action="vote.cast",
                target=vote,
                decision=locked.pk,
                choice=choice,
                organisation=voter.pk if voter else None,
                preferences={str(k): v for k, v in ballot.items()},
            )
        else:
            vote = previous_vote
            previous = vote.choice
            before = {str(k): v for k, v in vote.preferences.values_list("option_id", "value")}
            vote.choice, vote.comment, vote.cast_at, vote.cast_by = choice, comment, now, actor
            vote.save(update_fields=["choice", "comment", "cast_at", "cast_by"])
            vote.preferences.all().delete()
            Preference.objects.bulk_create(Preference(vote=vote, option_id=k, value=v) for k, v in ballot.items())
            audit(
                actor=actor,
                action="vote.change",
                target=vote,
                decision=locked.pk,
                choice=choice,
                previous=previous,
                preferences={str(k): v for k, v in ballot.items()},
                previous_preferences=before,
            )
    return vote


def _check_change(previous: Vote, *, actor: User, voter: Organisation | None, change: bool) -> None:
    """A second vote of the same seat or organisation: refused, unless its author changes it."""
    author = previous.cast_by or (previous.seat.person if previous.seat is not None else None)
    if change and (author is None or author.pk == actor.pk):
        return
    when = _when(previous.cast_at)
    if voter is not None:
        message = _("%(organisation)s already voted on %(when)s (by %(person)s).") % {
            "organisation": voter.name,
            "when": when,
            "person": author.full_name if author else "?",
        }
        if change:
            message += " " + _("Only the person who cast the vote may change it.")
    else:
        message = _("You already voted on %(when)s. Use “Change my vote” to change it.") % {"when": when}
    raise DomainError(message, field="choice", code=ALREADY_VOTED)
