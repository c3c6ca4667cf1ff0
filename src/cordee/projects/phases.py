"""The phase of a call for projects, derived from its state and dates in one pure function."""

from __future__ import annotations

import datetime as dt

DRAFT = "draft"
ANNOUNCED = "announced"
OPEN = "open"
CLOSED = "closed"
ARCHIVED = "archived"


def call_phase(*, state: str, opens_on: dt.date, closes_on: dt.date, today: dt.date) -> str:
    """draft (not published), announced (before opens_on), open (opens_on to closes_on included),
    closed (after closes_on: in review), archived."""
    if state == "draft":
        return DRAFT
    if state == "archived":
        return ARCHIVED
    if today < opens_on:
        return ANNOUNCED
    if today <= closes_on:
        return OPEN
    return CLOSED


def phase_label(phase: str) -> str:
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    return {
        DRAFT: _("draft"),
        ANNOUNCED: _("announced"),
        OPEN: pgettext("call", "open"),
        CLOSED: _("closed — in review"),
        ARCHIVED: _("archived"),
    }[phase]
