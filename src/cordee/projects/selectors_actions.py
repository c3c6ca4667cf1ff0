"""Reads of the funded actions: the scoped getters, an action's money and progress, the public list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404

from cordee.core import permissions
from cordee.projects.models import Action, Disbursement, Milestone, Report


def overall_progress(milestones: Iterable[Milestone]) -> int:
    """The mean of the milestones' progress weighted by their tranches, in whole percent (rounded
    down: 99,6 % is not done). With no tranche at all, the plain mean; no milestone: 0."""
    rows = [(m.progress, m.tranche_cents) for m in milestones]
    if not rows:
        return 0
    total = sum(tranche for _, tranche in rows)
    if total == 0:
        return sum(progress for progress, _ in rows) // len(rows)
    return sum(progress * tranche for progress, tranche in rows) // total


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("application", "application__organisation", "application__call")


def get_action_for_user(user: Any, pk: int) -> Action:
    action = _actions().filter(pk=pk).first()
    if action is None or not permissions.can_see_action(user, action):
        raise Http404
    return action


def get_report_for_user(user: Any, pk: int) -> Report:
    report = Report.objects.select_related("action", "action__application").filter(pk=pk).first()
    if report is None or not permissions.can_see_action(user, report.action):
        raise Http404
    return report


def actions_for(user: Any) -> QuerySet[Action]:
    """The actions this person follows: every one for the coordinator and the treasurer, their own
    organisations' otherwise."""
    actor = permissions.actor_for(user)
    rows = _actions().order_by("-created_at", "-pk")
    if actor.is_coordinator or permissions.TREASURER in actor.hub_roles:
        return rows
    return rows.filter(application__organisation_id__in=list(actor.organisations))


@dataclass(frozen=True)
class MilestoneLine:
    milestone: Milestone
    paid_cents: int

    @property
    def left_cents(self) -> int:
        return self.milestone.tranche_cents - self.paid_cents


@dataclass(frozen=True)
class Money:
    granted_cents: int
    paid_cents: int
    committed: bool  # the agreement signed: the grant is in the ledger

    @property
    def left_cents(self) -> int:
        return self.granted_cents - self.paid_cents


def milestone_lines(action: Action) -> list[MilestoneLine]:
    paid = dict(
        Disbursement.objects.filter(action=action)
        .values("milestone_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("milestone_id", "total")
    )
    return [MilestoneLine(m, int(paid.get(m.pk) or 0)) for m in action.milestones.all()]


def money_of(action: Action) -> Money:
    paid = int(Disbursement.objects.filter(action=action).aggregate(total=Sum("amount_cents"))["total"] or 0)
    return Money(granted_cents=action.granted_cents, paid_cents=paid, committed=action.signed_on is not None)


def disbursements_of(action: Action) -> list[Disbursement]:
    return list(
        Disbursement.objects.filter(action=action)
        .select_related("milestone", "created_by")
        .prefetch_related("reversed_by")
        .order_by("paid_on", "pk")
    )


def reversible(disbursement: Disbursement) -> bool:
    return disbursement.reverses_id is None and not hasattr(disbursement, "reversed_by")


PUBLIC_STATUSES = (Action.Status.IN_PROGRESS, Action.Status.COMPLETED)


@dataclass(frozen=True)
class PublicAction:
    """What the public page shows of an action: no money but the grant, no report, no person."""

    id: int
    number: str
    title: str
    summary: str
    organisation: str
    organisation_slug: str
    communes: list[tuple[str, str, float | None, float | None]]  # name, INSEE code, latitude, longitude
    granted_cents: int
    progress: int
    status: str
    status_label: str
    call: str


def public_actions() -> list[PublicAction]:
    """The funded actions marked public whose agreement is signed, newest first."""
    rows = (
        _actions()
        .filter(public=True, status__in=PUBLIC_STATUSES)
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk")),
            "application__communes",
        )
        .order_by("-signed_on", "-pk")
    )
    found = []
    for action in rows:
        application = action.application
        found.append(
            PublicAction(
                id=action.pk,
                number=action.number,
                title=application.title,
                summary=application.summary,
                organisation=application.organisation.name,
                organisation_slug=application.organisation.slug,
                communes=[
                    (
                        c.name,
                        c.pk,
                        float(c.latitude) if c.latitude is not None else None,
                        float(c.longitude) if c.longitude is not None else None,
                    )
                    for c in application.communes.all()
                ],
                granted_cents=action.granted_cents,
                progress=overall_progress(action.milestones.all()),
                status=action.status,
                status_label=str(action.get_status_display()),
                call=application.call.title,
            )
        )
    return found
