"""The hub's dashboard through a real browser: the coordinator opens it, changes the period with the
keyboard-usable form, sees the highlight of that period, and downloads the activity report as a PDF.
Then a member admin, on a phone, lands on their own organisation's dashboard.

Selectors rely on ids, names and addresses rather than on words, so the test holds whether the
interface is shown in French or in English. The areas are the real ones, as far as they are
written."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.reporting import services

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the dev dependencies always bring it
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("the playwright Python package is not installed", allow_module_level=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_coordinator_changes_the_period_and_downloads_the_pdf_report(
    new_page: Any, actors: Actors, log_in: Any
) -> None:
    last_year = dt.date.today().year - 1
    services.highlight_create(
        actor=actors.coordinator,
        starts_on=dt.date(last_year, 6, 21),
        ends_on=dt.date(last_year, 6, 21),
        title="Fête de la coopération",
        text="Deux cents personnes au marché de Gap.",
    )
    page = new_page()
    log_in(page, actors.coordinator.email)
    page.goto(reverse("reporting:dashboard"))
    expect(page.locator("#period-form")).to_be_visible()
    expect(page.locator("#highlights")).not_to_contain_text("Fête de la coopération")

    # The period: typed in the form, sent with the keyboard.
    page.locator("#period-form [name=du]").fill(f"{last_year}-01-01")
    page.locator("#period-form [name=au]").fill(f"{last_year}-12-31")
    page.locator("#period-form [name=au]").press("Enter")
    expect(page).to_have_url(re.compile(rf"du={last_year}-01-01&au={last_year}-12-31"))
    expect(page.locator("#period-shown")).to_contain_text(f"31/12/{last_year}")
    expect(page.locator("#highlights")).to_contain_text("Fête de la coopération")

    with page.expect_download() as downloading:
        page.locator("#download-pdf").click()
    download = downloading.value
    assert download.suggested_filename == f"rapport-activite-{last_year}-01-01-{last_year}-12-31.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_a_member_admin_lands_on_their_own_dashboard_on_a_phone(new_page: Any, actors: Actors, log_in: Any) -> None:
    page = new_page(phone=True)
    log_in(page, actors.member_admin_a.email)
    page.goto(reverse("reporting:dashboard"))
    expect(page).to_have_url(re.compile(reverse("reporting:organisation_dashboard", args=[actors.org_a.pk])))
    expect(page.locator("h1")).to_contain_text(actors.org_a.name)
    expect(page.locator("#download-pdf")).to_have_count(0)
    # Nothing wider than the phone's screen: the page scrolls down, not sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
