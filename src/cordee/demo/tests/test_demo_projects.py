"""The demo's calls for projects: the project committee, a closed call with six submitted
applications (one not eligible), an open call with two submitted and the demo admin's draft, every
budget exactly balanced; nothing loaded twice.

Loading the demo takes seconds, so a test loads it once and checks a whole side of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from cordee.demo.loader import load_demo
from cordee.demo.projects import CLOSED_SLUG, COMMITTEE_NAME, OPEN_SLUG, load_projects
from cordee.governance.models import Body
from cordee.governance.services import current_seats
from cordee.projects import phases
from cordee.projects.models import Application, Call
from cordee.projects.selectors_calls import phase_of
from cordee.projects.services.applications import missing

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_and_an_open_call_with_balanced_applications(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    committee = Body.objects.get(name=COMMITTEE_NAME, kind=Body.Kind.COMMITTEE)
    seats = current_seats(committee.pk)
    assert seats.count() == 5
    assert seats.filter(person__email="comite@demo.cordee.example").exists()

    closed, open_ = Call.objects.get(slug=CLOSED_SLUG), Call.objects.get(slug=OPEN_SLUG)
    assert (phase_of(closed), phase_of(open_)) == (phases.CLOSED, phases.OPEN)
    assert closed.committee == open_.committee == committee
    assert closed.criteria.count() == 4 and closed.envelope_cents == 6_000_000
    assert (closed.closes_on - timezone.localdate()).days < -30
    assert (open_.closes_on - timezone.localdate()).days > 20

    on_closed = Application.objects.filter(call=closed)
    assert on_closed.filter(submitted_at__isnull=False).count() == 6
    # The review part of the demo decides the eligible ones: they may be funded or not by now.
    assert on_closed.filter(status="ineligible").count() == 1
    assert on_closed.get(status="ineligible").eligibility_note
    on_open = Application.objects.filter(call=open_)
    assert sorted(on_open.values_list("status", flat=True)) == ["draft", "submitted", "submitted"]
    draft = on_open.get(status="draft")
    assert draft.organisation.name == "Jardins solidaires du Gapençais"
    assert draft.contact.email == "referent@demo.cordee.example"
    for application in Application.objects.filter(call__in=[closed, open_]):
        # Exactly balanced, with indicators; complete once submitted (the draft still lacks an answer).
        problems = missing(application)
        assert all(p.code == "required" for p in problems), application.title
        assert bool(problems) == (application.status == "draft")
        assert application.indicators.exists()
        assert bool(application.number) == (application.submitted_at is not None)
        assert application.submitted_at is None or application.submitted_at.date() <= application.call.closes_on
    assert Application.objects.filter(call=closed).exclude(partners=None).count() >= 5

    again = load_projects()
    assert again.created == 0
    assert again.calls == 2 and again.applications == 9
