"""A call in review for the tests of the review and of the funded actions, built with the calls
part's factories: the project committee (the committee actor for nobody, B's admin for B, a
qualified person), a closed call with a grid of three weighted criteria, and eligible applications
of A and B; a funded action endowed and signed."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cordee.core.models import User
from cordee.core.testing import Actors, make_person
from cordee.governance.models import Body, Vote
from cordee.governance.services import current_seats
from cordee.network.models import Organisation
from cordee.projects.models import Action, Application, Call, Criterion, Partner
from cordee.projects.services import actions as action_services
from cordee.projects.services import review as services
from cordee.projects.tests import factories

_serial = itertools.count(1)


@dataclass
class Review:
    actors: Actors
    body: Body
    qualified: User
    call: Call
    criteria: list[Criterion]
    app_a: Application
    app_b: Application


def make_committee(actors: Actors, *, slug: str | None = None) -> tuple[Body, User]:
    n = next(_serial)
    qualified = make_person(f"qualified{n}@example.org", f"Hélène Isnard {n}")
    body = factories.make_committee(
        people=[(actors.committee, None), (actors.member_admin_b, actors.org_b), (qualified, None)], slug=slug
    )
    return body, qualified


def make_call(
    actors: Actors,
    body: Body,
    *,
    envelope_cents: int = 5_000_000,
    weights: tuple[int, ...] = (3, 2, 1),
    score_max: int = 5,
    slug: str | None = None,
) -> tuple[Call, list[Criterion]]:
    call = factories.make_call(
        committee=body,
        created_by=actors.coordinator,
        when=factories.CLOSED,
        envelope_cents=envelope_cents,
        max_request_cents=None,
        weights=weights,
        score_max=score_max,
        slug=slug,
    )
    return call, list(call.criteria.all())


def make_application(
    call: Call,
    organisation: Organisation,
    contact: User,
    *,
    requested_cents: int,
    status: str = Application.Status.ELIGIBLE,
    partners: tuple[Organisation, ...] = (),
    title: str = "",
) -> Application:
    application = factories.make_application(
        call=call,
        organisation=organisation,
        contact=contact,
        status=status,
        title=title or None,
        requested_cents=requested_cents,
        partner=partners[0] if partners else None,
    )
    for partner in partners[1:]:
        Partner.objects.create(application=application, organisation=partner, role="Partenaire")
    return application


def make_review(actors: Actors, **call_fields: Any) -> Review:
    body, qualified = make_committee(actors)
    call, criteria = make_call(actors, body, **call_fields)
    app_a = make_application(call, actors.org_a, actors.member_user_a, requested_cents=2_000_000)
    app_b = make_application(call, actors.org_b, actors.member_admin_b, requested_cents=1_500_000)
    return Review(actors, body, qualified, call, criteria, app_a, app_b)


def marks(criteria: list[Criterion], *values: int) -> dict[int, int]:
    return {criterion.pk: value for criterion, value in zip(criteria, values, strict=True)}


def vote_all(application: Application, choice: str = Vote.Choice.FOR) -> None:
    """Every entitled seat votes (directly: the governance services are tested in their app)."""
    application.refresh_from_db()
    decision = application.decision
    assert decision is not None
    concerned = set(decision.concerned.values_list("pk", flat=True))
    for seat in current_seats(decision.body_id):
        if seat.organisation_id not in concerned:
            Vote.objects.create(decision=decision, seat=seat, choice=choice, cast_at=timezone.now())


def fund(application: Application, actors: Actors, *, granted_cents: int | None = None) -> Action:
    """Put to the vote, approved, decided: the application's action."""
    services.application_put_to_vote(actor=actors.coordinator, application=application)
    vote_all(application)
    services.application_decide(
        actor=actors.coordinator,
        application=application,
        granted_cents=granted_cents,
        reasons="Projet solide, bien ancré sur le territoire.",
    )
    return Action.objects.get(application=application)


def endow(actors: Actors, amount_cents: int = 10_000_000, reference: str = "ETAT-2026-01") -> None:
    action_services.fund_endow(
        actor=actors.treasurer, amount_cents=amount_cents, funder="État (DREETS)", reference=reference
    )


def signed_action(actors: Actors, application: Application, *, tranches: tuple[int, ...] = ()) -> Action:
    """A funded action with its milestones set (tranches adding up to the grant) and signed."""
    action = fund(application, actors)
    tranches = tranches or (action.granted_cents * 40 // 100, action.granted_cents - action.granted_cents * 40 // 100)
    today = timezone.localdate()
    action_services.milestones_set(
        actor=actors.coordinator,
        action=action,
        milestones=[
            action_services.MilestoneIn(
                title=f"Étape {i + 1}", due_on=today + dt.timedelta(days=60 * (i + 1)), tranche_cents=amount
            )
            for i, amount in enumerate(tranches)
        ],
    )
    return action_services.action_sign(
        actor=actors.coordinator, action=action, signed_on=today, signed_by="Bernard Roux, président"
    )
