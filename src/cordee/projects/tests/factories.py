"""Factories of calls for projects and applications for the tests (written straight to the
database: the services are tested on their own). Their signatures are stable: the tests of the
review and of the funded actions use them too."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from cordee.core.models import User
from cordee.governance.models import Body, BodyMember
from cordee.network.models import Organisation
from cordee.projects.models import Application, BudgetLine, Call, Criterion, Indicator, Partner

_serial = itertools.count(1)

OPEN = "open"
CLOSED = "closed"
ANNOUNCED = "announced"


def make_committee(*, people: Sequence[tuple[User, Organisation | None]] = (), slug: str | None = None) -> Body:
    """A project committee (a governance body of kind committee) with a seat for each (person,
    organisation or None)."""
    n = next(_serial)
    body = Body.objects.create(
        kind=Body.Kind.COMMITTEE, name=f"Comité des projets {n}", slug=slug or f"comite-projets-f{n}", quorum_percent=50
    )
    start = timezone.localdate() - dt.timedelta(days=30)
    for person, organisation in people:
        BodyMember.objects.create(body=body, person=person, organisation=organisation, starts_on=start)
    return body


def make_call(
    *,
    committee: Body,
    created_by: User,
    when: str = OPEN,
    state: str = Call.State.PUBLISHED,
    title: str | None = None,
    slug: str | None = None,
    envelope_cents: int = 5_000_000,
    max_request_cents: int | None = 1_500_000,
    max_share_percent: int = 80,
    members_only: bool = True,
    weights: Sequence[int] = (3, 2, 1),
    score_max: int = 5,
    form_fields: list[dict[str, Any]] | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> Call:
    """A call: `when` places its dates (open: opened 10 days ago, closes in 20; closed: closed 10
    days ago; announced: opens in 10 days), unless opens_on/closes_on are given."""
    n = next(_serial)
    today = timezone.localdate()
    start, end = {
        OPEN: (today - dt.timedelta(days=10), today + dt.timedelta(days=20)),
        CLOSED: (today - dt.timedelta(days=60), today - dt.timedelta(days=10)),
        ANNOUNCED: (today + dt.timedelta(days=10), today + dt.timedelta(days=40)),
    }[when]
    call = Call.objects.create(
        title=title or f"Appel à projets {n}",
        slug=slug or f"appel-f{n}",
        summary="Actions de coopération dans les Hautes-Alpes",
        text="<p>Le pôle soutient des actions de coopération.</p>",
        envelope_cents=envelope_cents,
        max_request_cents=max_request_cents,
        max_share_percent=max_share_percent,
        eligibility="<p>Organisations membres à jour de cotisation.</p>",
        members_only=members_only,
        form_fields=form_fields
        if form_fields is not None
        else [{"key": "q1", "label": "Public visé", "help": "", "kind": "text", "required": True}],
        score_max=score_max,
        opens_on=opens_on or start,
        closes_on=closes_on or end,
        committee=committee,
        state=state,
        created_by=created_by,
        published_at=timezone.now() if state != Call.State.DRAFT else None,
    )
    labels = ["Utilité territoriale", "Coopération", "Faisabilité", "Budget", "Impact"]
    for i, weight in enumerate(weights):
        Criterion.objects.create(call=call, position=i, label=labels[i % len(labels)], weight=weight)
    return call


def make_application(
    *,
    call: Call,
    organisation: Organisation,
    contact: User,
    status: str = Application.Status.DRAFT,
    title: str | None = None,
    requested_cents: int = 600_000,
    own_cents: int = 400_000,
    partner: Organisation | None = None,
    number: str | None = None,
) -> Application:
    """An application with a balanced budget (expenses = the request + own funds), an indicator and
    the answers to the call's questions. Any status but draft gets a number and a submission time."""
    n = next(_serial)
    submitted = status != Application.Status.DRAFT
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        contact=contact,
        title=title or f"Action de coopération {n}",
        summary="Une action pour le territoire.",
        description="<p>Ce que nous allons faire.</p>",
        territory="Pays des Écrins",
        starts_on=call.closes_on + dt.timedelta(days=60),
        ends_on=call.closes_on + dt.timedelta(days=420),
        requested_cents=requested_cents,
        answers={f["key"]: "Oui" for f in call.form_fields},
        status=status,
        number=(number or f"AAP-{call.opens_on.year}-{call.pk:02d}-{900 + n:03d}") if submitted else "",
        submitted_at=timezone.now() if submitted else None,
    )
    total = requested_cents + own_cents
    BudgetLine.objects.create(
        application=application, kind="expense", position=0, label="Personnel", amount_cents=total
    )
    BudgetLine.objects.create(
        application=application,
        kind="resource",
        position=0,
        label="Pôle territorial",
        amount_cents=requested_cents,
        funder="Pôle",
        status="requested",
        is_request=True,
    )
    if own_cents:
        BudgetLine.objects.create(
            application=application,
            kind="resource",
            position=1,
            label="Fonds propres",
            amount_cents=own_cents,
            funder=organisation.name,
            status="own",
        )
    Indicator.objects.create(application=application, label="Personnes accompagnées", unit="personnes", planned=40)
    if partner is not None:
        Partner.objects.create(application=application, organisation=partner, role="Co-porteur")
    return application
