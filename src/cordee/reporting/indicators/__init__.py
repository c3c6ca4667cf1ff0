"""The hub's indicators, one module per area, each with

    def section(period: Period, *, organisation_id: int | None = None) -> Section

`organisation_id=None` is the whole hub (the coordinator's dashboard and the activity report);
an id is that organisation's own figures only (its dashboard): what it booked, lent, received,
exchanged — never another member's figures. Each module computes from the data the platform
already holds, with a bounded number of queries whatever the size of the hub (aggregates in the
database, not Python loops over rows)."""

from __future__ import annotations

from collections.abc import Callable

from cordee.reporting.figures import Section
from cordee.reporting.indicators import (
    clearing,
    governance,
    network,
    practices,
    premises,
    projects,
    skills,
    staffing,
    treasury,
)
from cordee.reporting.periods import Period

SectionBuilder = Callable[..., Section]

# In the order of the report.
AREAS: dict[str, SectionBuilder] = {
    "network": network.section,
    "premises": premises.section,
    "staffing": staffing.section,
    "skills": skills.section,
    "treasury": treasury.section,
    "clearing": clearing.section,
    "projects": projects.section,
    "practices": practices.section,
    "governance": governance.section,
}


def sections(period: Period, *, organisation_id: int | None = None, areas: list[str] | None = None) -> list[Section]:
    return [AREAS[key](period, organisation_id=organisation_id) for key in (areas or list(AREAS))]
