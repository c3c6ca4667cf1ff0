"""The indicators of the members, the pooled premises, the shared staff and the skills exchange on
the demo hub, each checked against a plain count of the rows (a loop a reader can redo by hand)
and, where a page shows the same figure, against that page's selector.

Loading the demo takes a while: one test loads it once and checks every area."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from cordee.core.models import HubRole
from cordee.demo.loader import load_demo
from cordee.network.models import Membership, Organisation
from cordee.premises.models import Booking
from cordee.reporting.figures import Section
from cordee.reporting.indicators import network, premises, skills, staffing
from cordee.reporting.periods import Period
from cordee.skills.cooperation import cooperations
from cordee.skills.models import Exchange, Terms
from cordee.staffing.models import TimeEntry
from cordee.staffing.reports import plan_versus_actual

pytestmark = pytest.mark.django_db


def value(section: Section, key: str) -> int | None:
    return section.figure(key).value


def shares(section: Section, key: str) -> dict[str, int]:
    breakdown = next(b for b in section.breakdowns if b.key == key)
    return {share.key: share.value for share in breakdown.shares}


def test_the_demos_figures_agree_with_plain_counts(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the treasury's demo attaches board minutes
    load_demo()
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=3 * 365), today)
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=timezone.get_default_timezone())
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_default_timezone())

    # Network: today, a member is a membership in the state "active".
    section = network.section(period)
    members = [m for m in Membership.objects.select_related("organisation") if m.status == Membership.Status.ACTIVE]
    assert members and value(section, "members_active") == len(members)
    by_family = {key: count for key, count in shares(section, "members_by_family").items() if count}
    assert by_family == dict(Counter(m.organisation.family for m in members))
    assert sum(shares(section, "members_by_circle").values()) == len(members)
    assert value(section, "members_joined") == sum(
        1 for m in Membership.objects.all() if m.joined_on is not None and period.contains(m.joined_on)
    )
    assert section.series[-1].points[-1][1] == len(members)
    assert sum(place.value for place in section.places) == len(members)

    # Premises: the confirmed and completed bookings starting in the period, their time within it.
    section = premises.section(period)
    used = [b for b in Booking.objects.all() if b.state in (Booking.State.CONFIRMED, Booking.State.COMPLETED)]
    starting = [b for b in used if period.contains(timezone.localtime(b.starts_at).date())]
    assert starting and value(section, "premises_bookings_count") == len(starting)
    inside = sum(
        (min(b.ends_at, end) - max(b.starts_at, start) for b in used if b.starts_at < end and b.ends_at > start),
        dt.timedelta(),
    )
    assert value(section, "premises_booked_minutes") == int(inside.total_seconds() // 60)
    assert sum(shares(section, "premises_bookings_by_kind").values()) == len(starting)
    booker = starting[0].organisation_id
    assert booker is not None
    own = premises.section(period, organisation_id=booker)
    assert value(own, "premises_bookings_count") == sum(1 for b in starting if b.organisation_id == booker)

    # Staffing: the validated minutes, and the plan-versus-actual report of the staffing pages.
    section = staffing.section(period)
    validated = [e for e in TimeEntry.objects.all() if e.state == TimeEntry.State.VALIDATED and period.contains(e.day)]
    assert validated and value(section, "staffing_validated_minutes") == sum(e.minutes for e in validated)
    assert value(section, "staffing_members_served_count") == len({e.organisation_id for e in validated})
    coordinator = HubRole.objects.filter(role=HubRole.Role.COORDINATOR).first()
    assert coordinator is not None
    report = plan_versus_actual(coordinator.user, start=period.start, end=period.end)
    assert value(section, "staffing_validated_minutes") == report.validated_minutes
    assert value(section, "staffing_planned_minutes") == report.planned_minutes
    served = validated[0].organisation_id
    own = staffing.section(period, organisation_id=served)
    assert value(own, "staffing_validated_minutes") == sum(e.minutes for e in validated if e.organisation_id == served)

    # Skills: the exchanges both sides confirmed, and the cooperation page's pairs.
    section = skills.section(period)
    exchanges = [
        e for e in Exchange.objects.all() if e.state == Exchange.State.DONE and e.done_on and period.contains(e.done_on)
    ]
    assert exchanges and value(section, "skills_exchanges_count") == len(exchanges)
    assert value(section, "skills_exchanged_minutes") == sum(
        e.minutes or 0 for e in exchanges if e.terms == Terms.HOURS
    )
    assert value(section, "skills_exchanged_cents") == sum(
        e.price_cents or 0 for e in exchanges if e.terms == Terms.EUROS
    )
    graph = next(g for g in section.graphs if g.key == "skills_cooperation_exchanges")
    assert {(link.giver, link.receiver, link.weight) for link in graph.links} == {
        (pair.giver.pk, pair.receiver.pk, pair.exchanges) for pair in cooperations(since=period.start, until=today)
    }
    giver = exchanges[0].giver_id
    own = skills.section(period, organisation_id=giver)
    assert value(own, "skills_given_count") == sum(1 for e in exchanges if e.giver_id == giver)
    for graph in own.graphs:
        assert all(giver in (link.giver, link.receiver) for link in graph.links)

    # An organisation's own view of the members: itself only.
    organisation = Organisation.objects.get(pk=members[0].organisation_id)
    own = network.section(period, organisation_id=organisation.pk)
    assert value(own, "members_active") == 1
    assert own.places == [] and own.series == []
