"""The demo's review and funded actions: the fund endowed, the closed call scored without conflict
of interest, three or four applications funded within the envelope and one not, with reasons, the
actions in progress (agreements signed, milestones at various stages, tranches paid, a report,
indicators partly reached), and nothing loaded twice.

When the calls' part of the demo has no closed call yet, the test sets one up as that part does
(a committee, a closed call, eligible applications of demo members) and loads this part on it.

Loading the demo takes seconds, so a test loads it once and checks a whole side of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db.models import Sum
from django.utils import timezone

from cordee.core.models import User
from cordee.demo import data
from cordee.demo.loader import load_demo
from cordee.demo.projects_actions import COORDINATOR_EMAIL, GRANTS, closed_call, load_project_actions
from cordee.governance.models import Body, BodyMember
from cordee.network.models import Organisation
from cordee.projects import books
from cordee.projects import selectors_actions as selectors
from cordee.projects.models import Action, Application, Call, Criterion, Disbursement, Indicator, Report, Score
from cordee.projects.services import review as review_services

pytestmark = pytest.mark.django_db

APPLICANTS = (
    ("Jardins solidaires du Gapençais", "Potagers partagés dans les quartiers de Gap", 1_800_000),
    ("SCOP Charpente et Bois du Champsaur", "Filière bois local pour les refuges", 2_500_000),
)


def _a_closed_call_like_the_demo() -> Call:
    """What demo/projects.py loads: the project committee and a closed call with eligible applications."""
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    today = timezone.localdate()
    body = Body.objects.create(kind=Body.Kind.COMMITTEE, name="Comité des projets", slug="comite-des-projets")
    for email, organisation in (
        ("comite@demo.cordee.example", data.COOPERATIVE_OF_THE_COMMITTEE_MEMBER),
        ("referent@demo.cordee.example", data.ASSOCIATION_WITH_DEMO_LOGINS),
        ("animateur@demo.cordee.example", None),
    ):
        BodyMember.objects.create(
            body=body,
            person=User.objects.get(email=email),
            organisation=Organisation.objects.get(name=organisation) if organisation else None,
            starts_on=today - dt.timedelta(days=200),
        )
    call = Call.objects.create(
        title="Coopérations territoriales 2026",
        slug="test-cooperations",
        summary="Actions de coopération",
        text="<p>Texte</p>",
        envelope_cents=8_000_000,
        eligibility="<p>Membres</p>",
        opens_on=today - dt.timedelta(days=120),
        closes_on=today - dt.timedelta(days=30),
        committee=body,
        state=Call.State.PUBLISHED,
        created_by=coordinator,
    )
    for position, (label, weight) in enumerate((("Utilité territoriale", 3), ("Coopération", 2), ("Budget", 1))):
        Criterion.objects.create(call=call, position=position, label=label, weight=weight)
    others = Organisation.objects.filter(membership__status="active").exclude(
        name__in=[name for name, _, _ in APPLICANTS]
    )
    applicants = [(Organisation.objects.get(name=n), t, c) for n, t, c in APPLICANTS] + [
        (organisation, f"Action de {organisation.name}", 1_200_000 + 100_000 * i)
        for i, organisation in enumerate(others.order_by("name")[:4])
    ]
    for n, (applicant, title, cents) in enumerate(applicants, start=1):
        contact = User.objects.filter(affiliations__organisation=applicant).order_by("pk").first() or coordinator
        application = Application.objects.create(
            call=call,
            number=f"AAP-TEST-{n:03d}",
            organisation=applicant,
            title=title,
            summary="Une action pour le territoire",
            description="<p>Description</p>",
            requested_cents=cents,
            contact=contact,
            status=Application.Status.ELIGIBLE,
            submitted_at=timezone.now(),
        )
        application.communes.set([applicant.commune])
        Indicator.objects.create(application=application, label="Personnes accompagnées", planned=60)
    return call


@pytest.fixture
def call(settings, tmp_path: Path) -> Call:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the treasury's and this demo attach files
    load_demo()
    found = closed_call()
    if found is None or not Action.objects.filter(application__call=found).exists():
        found = _a_closed_call_like_the_demo()
        assert closed_call() == found
        summary = load_project_actions()
        assert summary.created and not summary.skipped
    return found


def test_the_fund_is_endowed_and_pays_the_tranches(call: Call) -> None:
    received = sum(amount for _, _, amount, _ in GRANTS)
    assert books.fund_received_cents() == received
    paid = Disbursement.objects.aggregate(total=Sum("amount_cents"))["total"]
    assert paid and paid > 0
    assert books.fund_cash_cents() == received - paid


def test_the_committee_scored_without_conflict_of_interest(call: Call) -> None:
    scores = Score.objects.filter(application__call=call).select_related("application", "scorer")
    assert scores.exists()
    for score in scores:
        assert review_services.conflict_of(score.scorer, score.application) is None
        assert 0 <= score.value <= call.score_max


def test_three_or_four_funded_within_the_envelope_and_one_not_with_reasons(call: Call) -> None:
    applications = Application.objects.filter(call=call)
    funded = applications.filter(status=Application.Status.FUNDED)
    assert 3 <= funded.count() <= 4
    assert sum(a.granted_cents or 0 for a in funded) <= call.envelope_cents
    rejected = applications.filter(status=Application.Status.REJECTED)
    assert rejected.count() == 1
    for application in [*funded, *rejected]:
        assert application.decision_reasons and application.decision is not None
        assert application.decision.status == "closed"
    assert any(a.granted_cents < a.requested_cents for a in funded if a.granted_cents)


def test_actions_are_in_progress_at_various_stages(call: Call) -> None:
    actions = list(Action.objects.filter(application__call=call).order_by("number"))
    in_progress = [a for a in actions if a.status == Action.Status.IN_PROGRESS]
    assert len(in_progress) == 3
    assert all(a.signed_on and a.signed_by for a in in_progress)
    progress = [selectors.overall_progress(a.milestones.all()) for a in in_progress]
    assert len(set(progress)) == 3 and all(0 < p < 100 for p in progress)
    assert Report.objects.filter(action__in=in_progress).count() == 1
    reached = Indicator.objects.filter(application__action__in=in_progress, reached__isnull=False)
    assert reached.exists() and all((i.reached or 0) < i.planned for i in reached)
    # The public page shows them.
    assert {row.id for row in selectors.public_actions()} >= {a.pk for a in in_progress}


def test_a_second_load_adds_nothing(call: Call) -> None:
    counts = (Score.objects.count(), Action.objects.count(), Disbursement.objects.count(), books.fund_cash_cents())
    summary = load_project_actions()
    assert summary.created == 0
    assert (Score.objects.count(), Action.objects.count(), Disbursement.objects.count(), books.fund_cash_cents()) == (
        counts
    )
