"""The indicators of the treasury, the clearing, the projects, the good practices and the governance
on the demo hub, each checked against a plain count of the rows (a loop a reader can redo by hand)
and, where a page shows the same figure, against that page's selector.

Loading the demo takes a while: one test loads it once and checks every area."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cordee.clearing.models import Run
from cordee.demo.loader import load_demo
from cordee.governance.models import Decision
from cordee.practices.models import Practice, ReadDay
from cordee.projects.models import Action, Disbursement
from cordee.reporting.figures import Section
from cordee.reporting.indicators import clearing, governance, practices, projects, treasury
from cordee.reporting.periods import Period
from cordee.treasury import selectors as treasury_selectors
from cordee.treasury.models import Advance, Deposit

pytestmark = pytest.mark.django_db


def value(section: Section, key: str) -> int | None:
    return section.figure(key).value


def test_the_demos_figures_agree_with_plain_counts(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the treasury's demo attaches board minutes
    load_demo()
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=3 * 365), today)

    def within(moment: dt.date | dt.datetime | None) -> bool:
        if isinstance(moment, dt.datetime):
            moment = timezone.localtime(moment).date()
        return moment is not None and period.contains(moment)

    # Treasury: the advances paid out, and what the pool's dashboard shows today.
    section = treasury.section(period)
    disbursed = [a for a in Advance.objects.all() if within(a.disbursed_on)]
    assert disbursed and value(section, "advances_disbursed_count") == len(disbursed)
    assert value(section, "advances_disbursed_cents") == sum(a.amount_cents or 0 for a in disbursed)
    pool = treasury_selectors.pool_figures(today)
    assert value(section, "advances_outstanding_end_cents") == pool.outstanding_cents
    assert value(section, "advances_arrears_end_cents") == pool.arrears_cents
    assert value(section, "deposits_held_end_cents") == pool.deposits_cents
    assert value(section, "pool_cash_end_cents") == pool.cash_cents
    borrower = disbursed[0].organisation_id
    own = treasury.section(period, organisation_id=borrower)
    assert value(own, "advances_disbursed_cents") == sum(
        a.amount_cents or 0 for a in disbursed if a.organisation_id == borrower
    )
    assert value(own, "deposits_held_end_cents") == sum(
        treasury_selectors.deposit_balance_cents(d)
        for d in Deposit.objects.filter(organisation_id=borrower, kind=Deposit.Kind.LOAN)
    )

    # Clearing: the totals of the executed runs.
    executed = [r for r in Run.objects.all() if r.status == Run.Status.EXECUTED and within(r.executed_on)]
    assert executed and value(clearing.section(period), "clearing_cleared_cents") == sum(
        r.cleared_cents for r in executed
    )

    # Projects: the tranches paid, net of corrections, and the actions funded.
    section = projects.section(period)
    assert value(section, "actions_disbursed_cents") == sum(
        d.amount_cents for d in Disbursement.objects.all() if period.contains(d.paid_on)
    )
    funded = [a for a in Action.objects.select_related("application") if within(a.application.decided_at)]
    assert funded and value(section, "actions_funded_count") == len(funded)
    assert section.places

    # Good practices: the sheets published and their readings.
    section = practices.section(period)
    published = [p for p in Practice.objects.filter(state="published") if within(p.published_at)]
    assert published and value(section, "practices_published_count") == len(published)
    assert value(section, "practices_reads_count") == sum(
        r.count for r in ReadDay.objects.all() if period.contains(r.day)
    )

    # Governance: the decisions closed, all in the register.
    section = governance.section(period)
    closed = [d for d in Decision.objects.filter(status="closed") if within(d.closed_at)]
    assert closed and value(section, "governance_decisions_count") == len(closed)
    assert value(section, "governance_register_entries_count") == len(closed)
    entitled = sum(d.entitled_count or 0 for d in closed)
    ballots = sum(d.results["ballots"] for d in closed)
    assert value(section, "governance_participation_bps") == (ballots * 20_000 + entitled) // (2 * entitled)

    # Whatever the size of the hub, a bounded number of queries per area, for the hub and for one member.
    for area in (treasury, clearing, projects, practices, governance):
        for organisation_id in (None, borrower):
            with CaptureQueriesContext(connection) as queries:
                area.section(period, organisation_id=organisation_id)
            assert len(queries) <= 20, (area.__name__, organisation_id, len(queries))
