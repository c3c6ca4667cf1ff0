"""Review of the eligible applications: the committee's scores, its decision, what it grants.

Scoring: each member of the call's committee marks every criterion of the grid, from 0 to the
call's highest mark, on an eligible application; a member whose seat is held for, or who belongs
to, the lead or a partner organisation is refused (conflict of interest). Marks may change until
the application is put to the committee's vote.

Decision: the coordinator puts an application to the committee through the governance machinery
(one decision per application, the lead and the partners concerned, so their people sitting on the
committee are recused), the members vote on the governance pages, then the coordinator records the
decision here: closing the vote and applying its outcome in one transaction. An approval grants at
most what was asked, within what is left of the call's envelope, and creates the action to follow
(agreement number CONV-<year>-<nnn>). The applicants are told the decision and its reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core import permissions
from cordee.core.audit import audit
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.mail import email_after_commit
from cordee.core.models import User
from cordee.core.money import format_cents
from cordee.governance import services as governance
from cordee.governance.models import BodyMember, Decision
from cordee.ledger.models import Account
from cordee.network.models import Organisation
from cordee.projects import books
from cordee.projects.models import Action, Application, Call, Criterion, Score

MAX_COMMENT = 2000
CONFLICT = "conflict_of_interest"


def carrier_ids(application: Application) -> set[int]:
    """The lead organisation and the partner organisations of the directory."""
    partners = application.partners.exclude(organisation=None).values_list("organisation_id", flat=True)
    return {application.organisation_id, *partners}


def carriers(application: Application) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=carrier_ids(application)).order_by("name"))


def conflict_of(user: Any, application: Application) -> Organisation | None:
    """The organisation carrying the application that the person sits for or belongs to, if any."""
    ids = carrier_ids(application)
    seat = (
        governance.current_seats(application.call.committee_id)
        .filter(person_id=user.pk, organisation_id__in=ids)
        .select_related("organisation")
        .first()
    )
    if seat is not None:
        return seat.organisation
    if permissions.carries_application(user, application, partner_ids=ids - {application.organisation_id}):
        return (
            Organisation.objects.filter(pk__in=[pk for pk in ids if permissions.actor_for(user).belongs_to(pk)])
            .order_by("name")
            .first()
        )
    return None


def _before_the_committee(application: Application) -> bool:
    """Put to the vote, and the vote not cancelled (a cancelled vote may be put again)."""
    return application.decision is not None and application.decision.status != Decision.Status.CANCELLED


def _check_mark(value: Any, criterion: Criterion, score_max: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= score_max:
        raise DomainError(
            _("Mark “%(criterion)s” from 0 to %(max)d.") % {"criterion": criterion.label, "max": score_max},
            field=f"criterion_{criterion.pk}",
            code="score_range",
        )
    return value


@transaction.atomic(durable=True)
def score_set(
    *,
    actor: User,
    application: Application,
    scores: Mapping[int, int],
    comments: Mapping[int, str] | None = None,
    now: dt.datetime | None = None,
) -> list[Score]:
    """The committee member's marks on every criterion of the call's grid (a second call changes them).
    `now` dates the marks (the demo's history); now by default."""
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("call", "decision").get(pk=application.pk)
    )
    call = application.call
    if not permissions.sits_on(actor, call.committee_id):
        raise NotAllowed(_("Only the members of the call's committee score its applications."))
    conflict = conflict_of(actor, application)
    if conflict is not None:
        raise DomainError(
            _(
                "You sit for or belong to %(organisation)s, which carries this application: "
                "you cannot score it (conflict of interest)."
            )
            % {"organisation": conflict.name},
            field="scores",
            code=CONFLICT,
        )
    if application.status != Application.Status.ELIGIBLE:
        raise DomainError(
            _("Only an application found eligible is scored; this one is %(status)s.")
            % {"status": application.get_status_display()},
            field="status",
            code="state",
        )
    if _before_the_committee(application):
        raise DomainError(
            _("This application has been put to the committee's vote: the scores can no longer change."),
            field="status",
            code="decision_opened",
        )
    criteria = list(call.criteria.all())
    if not criteria:
        raise DomainError(_("The call has no scoring grid yet."), field="scores", code="no_grid")
    known = {criterion.pk for criterion in criteria}
    unknown = set(scores) - known
    if unknown:
        raise DomainError(_("These marks are not on the call's grid."), field="scores", code="unknown_criterion")
    comments = comments or {}
    marks: dict[int, int] = {}
    for criterion in criteria:
        if criterion.pk not in scores or scores[criterion.pk] is None:
            raise DomainError(
                _("Mark every criterion of the grid: “%(criterion)s” is missing.") % {"criterion": criterion.label},
                field=f"criterion_{criterion.pk}",
                code="score_missing",
            )
        marks[criterion.pk] = _check_mark(scores[criterion.pk], criterion, call.score_max)
        if len(comments.get(criterion.pk, "") or "") > MAX_COMMENT:
            raise DomainError(
                _("Keep each comment under %(n)d characters.") % {"n": MAX_COMMENT},
                field=f"comment_{criterion.pk}",
                code="too_long",
            )
    now = now or timezone.now()
    existing = {s.criterion_id: s for s in Score.objects.filter(application=application, scorer=actor)}
    saved: list[Score] = []
    previous = {pk: s.value for pk, s in existing.items()}
    for criterion in criteria:
        comment = (comments.get(criterion.pk, "") or "").strip()
        score = existing.get(criterion.pk)
        if score is None:
            score = Score.objects.create(
                application=application,
                criterion=criterion,
                scorer=actor,
                value=marks[criterion.pk],
                comment=comment,
                scored_at=now,
            )
        else:
            score.value, score.comment, score.scored_at = marks[criterion.pk], comment, now
            score.save(update_fields=["value", "comment", "scored_at"])
        saved.append(score)
    audit(
        actor=actor,
        action="projects.score.change" if existing else "projects.score.set",
        target=application,
        scores={str(pk): value for pk, value in marks.items()},
        previous={str(pk): value for pk, value in previous.items()} or None,
    )
    return saved


@transaction.atomic(durable=True)
def application_put_to_vote(
    *,
    actor: User,
    application: Application,
    proposed_cents: int | None = None,
    text: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """The coordinator puts an eligible application to its call's committee; the organisations
    carrying it are concerned, so the members sitting for them are recused. `now` opens the vote
    at another time than now (the demo's history)."""
    if not permissions.can_manage_calls(actor):
        raise NotAllowed(_("Only the coordinator puts applications to the committee."))
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "call__committee", "organisation")
        .get(pk=application.pk)
    )
    if application.status != Application.Status.ELIGIBLE:
        raise DomainError(
            _("Only an eligible application is put to the committee; this one is %(status)s.")
            % {"status": application.get_status_display()},
            field="status",
            code="state",
        )
    if _before_the_committee(application):
        raise DomainError(
            _("This application is already before the committee."), field="status", code="decision_opened"
        )
    proposed = application.requested_cents if proposed_cents is None else proposed_cents
    if not isinstance(proposed, int) or proposed <= 0 or proposed > application.requested_cents:
        raise DomainError(
            _("Propose an amount more than zero and at most the %(requested)s asked.")
            % {"requested": format_cents(application.requested_cents)},
            field="proposed_cents",
            code="amount",
        )
    with translation.override(settings.LANGUAGE_CODE):  # stored, and printed on the minutes: in French
        title = _("Application %(number)s: %(amount)s to %(name)s") % {
            "number": application.number or application.pk,
            "amount": format_cents(proposed),
            "name": application.organisation.name,
        }
        body = _("%(title)s. Proposed amount: %(amount)s (asked: %(requested)s).") % {
            "title": application.title,
            "amount": format_cents(proposed),
            "requested": format_cents(application.requested_cents),
        }
    decision = governance.decision_open(
        actor=actor,
        body=application.call.committee,
        title=title[:200],
        text=f"{body}\n\n{text.strip()}".strip(),
        subject=application,
        concerned=carriers(application),
        category=Decision.Category.PROJECT,  # filed under calls for projects in the register
        check_permission=False,
        now=now,
    )
    application.decision = decision
    application.save(update_fields=["decision", "updated_at"])
    audit(
        actor=actor,
        action="projects.application.put_to_vote",
        target=application,
        decision=decision.pk,
        proposed_cents=proposed,
    )
    return application


def granted_on_call(call: Call, *, excluding: int | None = None) -> int:
    rows = Application.objects.filter(call=call, status=Application.Status.FUNDED)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return int(rows.aggregate(total=Sum("granted_cents"))["total"] or 0)


def _next_action_number(year: int) -> str:
    start = f"CONV-{year}-"
    last = Action.objects.filter(number__startswith=start).order_by("-number").values_list("number", flat=True).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{start}{number:03d}"


def _lock_numbering() -> None:
    """One decision at a time across calls: the fund's aid account is the row every grant commits
    to, so locking it orders the numbering of agreements (and the envelope reads under it)."""
    account = books.hub_account(books.AID)
    Account.objects.select_for_update().filter(pk=account.pk).first()


def _admin_emails(organisation_id: int) -> list[str]:
    return list(
        User.objects.filter(
            affiliations__organisation_id=organisation_id, affiliations__role="admin", is_active=True
        ).values_list("email", flat=True)
    )


@transaction.atomic(durable=True)
def application_decide(
    *,
    actor: User,
    application: Application,
    granted_cents: int | None,
    reasons: str,
    now: dt.datetime | None = None,
) -> Application:
    """Close the committee's vote and apply it: funded (with the amount granted and its action) or
    not funded. The reasons are sent to the applicant. `now` is the closing time (now by default)."""
    if not permissions.can_manage_calls(actor):
        raise NotAllowed(_("Only the coordinator records the committee's decisions."))
    if not reasons.strip():
        raise DomainError(
            _("Give the reasons of the decision: the applicant will read them."), field="reasons", code="required"
        )
    _lock_numbering()
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organisation", "decision", "contact")
        .get(pk=application.pk)
    )
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if application.status != Application.Status.ELIGIBLE or application.decision is None:
        raise DomainError(
            _("This application is not before the committee: put it to the vote first."),
            field="status",
            code="state",
        )
    now = now or timezone.now()
    decision = application.decision
    if decision.status == Decision.Status.CANCELLED:
        raise DomainError(
            _("The committee's vote on this application was cancelled: put it to the vote again."),
            field="status",
            code="cancelled",
        )
    if decision.status == Decision.Status.OPEN:
        decision = governance.decision_close(
            actor=actor, decision=decision, reasons=reasons, on=now, check_permission=False
        )
    # Else the vote was closed on the governance pages: its outcome is applied as it stands.
    action: Action | None = None
    if decision.outcome == Decision.Outcome.APPROVED:
        granted = application.requested_cents if granted_cents is None else granted_cents
        if not isinstance(granted, int) or isinstance(granted, bool) or granted <= 0:
            raise DomainError(_("The amount granted must be more than zero."), field="granted_cents", code="amount")
        if granted > application.requested_cents:
            raise DomainError(
                _("The committee cannot grant more than the %(requested)s asked.")
                % {"requested": format_cents(application.requested_cents)},
                field="granted_cents",
                code="above_request",
            )
        already = granted_on_call(call, excluding=application.pk)
        if already + granted > call.envelope_cents:
            raise DomainError(
                _(
                    "Granting %(granted)s would take the call beyond its envelope: %(already)s already granted, "
                    "%(left)s left of %(envelope)s."
                )
                % {
                    "granted": format_cents(granted),
                    "already": format_cents(already),
                    "left": format_cents(call.envelope_cents - already),
                    "envelope": format_cents(call.envelope_cents),
                },
                field="granted_cents",
                code="envelope",
            )
        application.status = Application.Status.FUNDED
        application.granted_cents = granted
        action = Action.objects.create(
            application=application, number=_next_action_number(timezone.localdate(now).year), granted_cents=granted
        )
    else:
        application.status = Application.Status.REJECTED
        application.granted_cents = None
    application.decision = decision
    application.decision_reasons = reasons.strip()
    application.decided_at = now
    application.save(update_fields=["status", "granted_cents", "decision", "decision_reasons", "decided_at"])
    audit(
        actor=actor,
        action="projects.application.decide",
        target=application,
        outcome=decision.outcome,
        granted_cents=application.granted_cents,
        action_number=action.number if action else None,
    )
    recipients = _admin_emails(application.organisation_id)
    if application.contact.is_active and application.contact.email not in recipients:
        recipients.append(application.contact.email)
    email_after_commit(
        to=recipients,
        template="projects/review_email_decision",
        context={"application": application, "decision": decision, "action": action, "call": call},
    )
    return application


def seats_on(call: Call) -> list[BodyMember]:
    return list(governance.current_seats(call.committee_id).select_related("person", "organisation"))
