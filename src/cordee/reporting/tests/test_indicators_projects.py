"""The projects' indicators on one call counted by hand.

The call (published today) has three applications submitted today: A asks 20 000 €, B 15 000 €,
C 10 000 €. The committee funded B 20 days ago with 10 000 € (its agreement not signed yet), and
today A (20 000 €, tranches 8 000 + 12 000 €) and C (10 000 €, tranches 4 000 + 6 000 €), both
signed today. A was paid 8 000 € and 3 000 €, the 3 000 € then corrected. A's first milestone is
half done (progress 8 000 × 50 % / 20 000 = 20 %), C's done (40 %).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cordee.core.testing import Actors, make_organisation, make_person
from cordee.network.models import Affiliation, Commune
from cordee.projects.models import Application
from cordee.projects.services import actions as action_services
from cordee.projects.services import review
from cordee.projects.tests.review_support import endow, make_application, make_review, signed_action, vote_all
from cordee.reporting.indicators import projects
from cordee.reporting.periods import Period

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
EMBRUN, BRIANCON = "05046", "05023"  # in the communes' reference data, with coordinates


def values(section: Any) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


@pytest.fixture
def world(actors: Actors) -> dict[str, Any]:
    case = make_review(actors)
    c = make_organisation("Tiers-lieu du Champsaur")
    contact_c = make_person("contact.c@example.org", "Inès Jaume")
    Affiliation.objects.create(person=contact_c, organisation=c, role=Affiliation.Role.ADMIN)
    app_c = make_application(case.call, c, contact_c, requested_cents=1_000_000)
    embrun, briancon = Commune.objects.get(pk=EMBRUN), Commune.objects.get(pk=BRIANCON)
    case.app_a.communes.add(embrun)
    case.app_b.communes.add(briancon)
    app_c.communes.add(embrun)
    endow(actors)

    then = timezone.now() - 20 * DAY  # the committee sits from 30 days ago
    review.application_put_to_vote(actor=actors.coordinator, application=case.app_b, now=then - DAY)
    vote_all(case.app_b)
    review.application_decide(
        actor=actors.coordinator, application=case.app_b, granted_cents=1_000_000, reasons="Solide.", now=then
    )
    action_a = signed_action(actors, case.app_a)
    action_c = signed_action(actors, app_c)

    first, second = action_a.milestones.order_by("position")
    action_services.disbursement_create(actor=actors.treasurer, action=action_a, milestone=first, amount_cents=800_000)
    wrong = action_services.disbursement_create(
        actor=actors.treasurer, action=action_a, milestone=second, amount_cents=300_000
    )
    action_services.disbursement_reverse(actor=actors.treasurer, disbursement=wrong, reason="Versé par erreur")
    action_services.milestone_progress(actor=actors.coordinator, milestone=first, progress=50)
    action_services.milestone_progress(
        actor=actors.coordinator, milestone=action_c.milestones.order_by("position")[0], progress=100
    )
    return {"case": case, "c": c}


def test_the_period_holding_everything_is_counted_by_hand(actors: Actors, world: dict[str, Any]) -> None:
    section = projects.section(Period(TODAY - 60 * DAY, TODAY))
    assert values(section) == {
        "calls_published_count": 1,
        "applications_submitted_count": 3,
        "applications_requested_cents": 4_500_000,
        "actions_funded_count": 3,
        "actions_granted_cents": 4_000_000,
        "actions_committed_cents": 3_000_000,  # A and C signed; B not yet
        "actions_disbursed_cents": 800_000,  # 8 000 + 3 000 - 3 000 €
        "actions_in_progress_count": 2,
        "actions_average_progress_bps": 3_000,  # (20 % + 40 %) / 2
    }
    assert {(place.insee_code, place.value) for place in section.places} == {(EMBRUN, 2), (BRIANCON, 1)}
    assert dict(section.series[0].points)[TODAY.replace(day=1)] == 800_000
    families = {share.key: share.value for share in section.breakdowns[0].shares}
    assert (families["association"], families["cooperative"], sum(families.values())) == (
        3_000_000,
        1_000_000,
        4_000_000,
    )


def test_a_decision_counts_on_its_day_in_the_hubs_time_zone(actors: Actors, world: dict[str, Any]) -> None:
    before = values(projects.section(Period(TODAY - 60 * DAY, TODAY - DAY)))
    assert (before["actions_funded_count"], before["actions_granted_cents"]) == (1, 1_000_000)
    assert (before["applications_submitted_count"], before["calls_published_count"]) == (0, 0)
    assert (before["actions_committed_cents"], before["actions_disbursed_cents"]) == (0, 0)

    decided = timezone.localtime(Application.objects.get(pk=world["case"].app_b.pk).decided_at)
    on_the_day = values(projects.section(Period(decided.date(), decided.date())))
    assert on_the_day["actions_funded_count"] == 1
    after = values(projects.section(Period(decided.date() + DAY, TODAY - DAY)))
    assert after["actions_funded_count"] == 0

    # By the end of a period 10 days ago, only B was funded: one place on the map.
    places = projects.section(Period(TODAY - 60 * DAY, TODAY - 10 * DAY)).places
    assert [(place.insee_code, place.value) for place in places] == [(BRIANCON, 1)]


def test_an_organisation_sees_its_own_applications_and_actions_only(actors: Actors, world: dict[str, Any]) -> None:
    period = Period(TODAY - 60 * DAY, TODAY)
    a = projects.section(period, organisation_id=actors.org_a.pk)
    assert values(a) == {
        "applications_submitted_count": 1,
        "applications_requested_cents": 2_000_000,
        "actions_funded_count": 1,
        "actions_granted_cents": 2_000_000,
        "actions_committed_cents": 2_000_000,
        "actions_disbursed_cents": 800_000,
        "actions_in_progress_count": 1,
        "actions_average_progress_bps": 2_000,
    }
    assert [(place.insee_code, place.value) for place in a.places] == [(EMBRUN, 1)]

    b = values(projects.section(period, organisation_id=actors.org_b.pk))
    assert (b["actions_granted_cents"], b["actions_disbursed_cents"], b["actions_in_progress_count"]) == (
        1_000_000,
        0,
        0,
    )
    assert b["actions_average_progress_bps"] is None
    nobody = projects.section(period, organisation_id=make_organisation().pk)
    assert all(not value for value in values(nobody).values()) and nobody.places == []
