"""Calls for projects: the coordinator writes, publishes and changes them; their phase."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.testing import Actors
from cordee.governance.models import Body
from cordee.projects import phases
from cordee.projects.models import Call, Criterion, Score
from cordee.projects.services import calls as services
from cordee.projects.services.calls import CriterionInput
from cordee.projects.tests.factories import make_application, make_call, make_committee

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def fields(body: Body, /, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "title": "Transitions en montagne",
        "summary": "Des actions de transition dans les vallées.",
        "text": "<p>Le pôle finance</p><script>alert(1)</script>",
        "envelope_cents": 6_000_000,
        "max_request_cents": 1_500_000,
        "max_share_percent": 70,
        "eligibility": "<p>Membres actifs</p>",
        "members_only": True,
        "form_fields": [{"label": "Public visé", "kind": "long", "required": True}],
        "score_max": 5,
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=30),
        "committee": body,
    }
    values.update(changes)
    return values


GRID = [CriterionInput("Utilité territoriale", 3), CriterionInput("Coopération", 2)]


def test_the_phase_follows_the_state_and_the_dates() -> None:
    opens, closes = dt.date(2026, 12, 1), dt.date(2026, 12, 31)

    def phase(state: str, today: dt.date) -> str:
        return phases.call_phase(state=state, opens_on=opens, closes_on=closes, today=today)

    assert phase("draft", TODAY) == phases.DRAFT
    assert phase("published", TODAY) == phases.ANNOUNCED
    assert phase("published", opens) == phases.OPEN
    assert phase("published", closes) == phases.OPEN
    assert phase("published", closes + dt.timedelta(days=1)) == phases.CLOSED
    assert phase("archived", opens) == phases.ARCHIVED


def test_the_coordinator_creates_a_draft_call_cleaned(actors: Actors) -> None:
    committee = make_committee()
    call = services.call_create(actor=actors.coordinator, criteria=GRID, **fields(committee))
    assert call.state == Call.State.DRAFT
    assert call.slug == "transitions-en-montagne"
    assert "<script" not in call.text
    assert call.form_fields[0]["key"] == "public_vise"
    assert [(c.label, c.weight) for c in call.criteria.all()] == [("Utilité territoriale", 3), ("Coopération", 2)]


def test_only_the_coordinator_creates_a_call(actors: Actors) -> None:
    with pytest.raises(NotAllowed):
        services.call_create(actor=actors.member_admin_a, criteria=GRID, **fields(make_committee()))
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closes_on": timezone.localdate() - dt.timedelta(days=1)}, "closes_on"),
        ({"envelope_cents": 0}, "envelope_cents"),
        ({"max_request_cents": 7_000_000}, "max_request_cents"),
        ({"max_share_percent": 0}, "max_share_percent"),
        ({"text": "<script>x</script>"}, "text"),
        ({"title": "AAP"}, "title"),
        ({"committee": None}, "committee"),
        ({"form_fields": [{"label": "Q", "kind": "photo"}]}, "form_fields"),
    ],
)
def test_it_refuses_a_bad_call_naming_the_field(actors: Actors, change: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as error:
        services.call_create(actor=actors.coordinator, criteria=GRID, **fields(make_committee(), **change))
    assert error.value.field == field
    assert not Call.objects.exists()


def test_it_refuses_a_weight_below_one(actors: Actors) -> None:
    with pytest.raises(DomainError) as error:
        services.call_create(
            actor=actors.coordinator, criteria=[CriterionInput("Impact", 0)], **fields(make_committee())
        )
    assert error.value.field == "criteria"
    assert not Criterion.objects.exists()


def test_the_deciding_body_must_be_a_committee(actors: Actors) -> None:
    board = Body.objects.create(kind=Body.Kind.BOARD, name="Conseil", slug="conseil", quorum_percent=50)
    with pytest.raises(DomainError) as error:
        services.call_create(actor=actors.coordinator, criteria=GRID, **fields(board))
    assert error.value.field == "committee"


def test_publication_needs_a_criterion(actors: Actors) -> None:
    call = services.call_create(actor=actors.coordinator, criteria=[], **fields(make_committee()))
    with pytest.raises(DomainError) as error:
        services.call_publish(actor=actors.coordinator, call=call)
    assert error.value.field == "criteria"
    call.refresh_from_db()
    assert call.state == Call.State.DRAFT and call.published_at is None
    services.call_update(actor=actors.coordinator, call=call, criteria=GRID, **fields(call.committee))
    services.call_publish(actor=actors.coordinator, call=call)
    call.refresh_from_db()
    assert call.state == Call.State.PUBLISHED and call.published_at is not None


def test_the_grid_cannot_change_once_scored(actors: Actors) -> None:
    committee = make_committee(people=[(actors.committee, None)])
    call = make_call(committee=committee, created_by=actors.coordinator)
    application = make_application(
        call=call, organisation=actors.org_a, contact=actors.member_admin_a, status="eligible"
    )
    Score.objects.create(
        application=application,
        criterion=call.criteria.all()[0],
        scorer=actors.committee,
        value=3,
        scored_at=timezone.now(),
    )
    values = fields(committee, opens_on=call.opens_on, closes_on=call.closes_on, title="Nouveau titre")
    with pytest.raises(DomainError) as error:
        services.call_update(actor=actors.coordinator, call=call, criteria=GRID, **values)
    assert error.value.code == "scored"
    call.refresh_from_db()
    assert call.title != "Nouveau titre"
