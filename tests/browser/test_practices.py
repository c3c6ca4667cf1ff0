"""Good practices through a real browser: a visitor searches "covoiturage" and finds the sheets that
write "co-voiturage" and "covoiturages" (and not a draft that says it too); a member writes a sheet
on a phone and submits it; the coordinator publishes it; a visitor then reads it.

Selectors rely on ids, names and addresses rather than on words, so the test holds whether the
interface is shown in French or in English.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.practices.models import Practice
from cordee.practices.tests.matrix_sheets import sheet

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


def test_a_visitor_finds_car_sharing_however_it_is_written(new_page: Any, actors: Actors) -> None:
    hyphen = sheet(
        actors.member_admin_b,
        [actors.org_b],
        state="published",
        coordinator=actors.coordinator,
        title="Une ligne de co-voiturage entre Serres et Veynes",
        summary="Des trajets partagés pour aller travailler.",
        steps="<p>Un groupe de conducteurs, un calendrier partagé.</p>",
    )
    plural = sheet(
        actors.member_admin_b,
        [actors.org_b],
        state="published",
        coordinator=actors.coordinator,
        title="Des navettes vers le marché de Gap",
        summary="Les covoiturages du samedi matin pour les producteurs.",
        steps="<p>Une liste de diffusion et trois points de rendez-vous.</p>",
    )
    sheet(
        actors.member_admin_b,
        [actors.org_b],
        state="published",
        coordinator=actors.coordinator,
        title="Une cantine en circuit court",
        summary="Les légumes des fermes voisines à la cantine.",
        steps="<p>Un marché public en lots.</p>",
        theme="food",
    )
    draft = sheet(actors.member_admin_b, [actors.org_b], title="Covoiturage des saisonniers (brouillon)")

    page = new_page(phone=True)
    page.goto(reverse("practices:practices"))
    page.locator("#search-form input[name=q]").fill("covoiturage")
    page.locator("#search-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"q=covoiturage"))
    results = page.locator("#results h2 a")
    expect(results).to_have_count(2)
    hrefs = {results.nth(index).get_attribute("href") for index in range(2)}
    assert hrefs == {hyphen.get_absolute_url(), plural.get_absolute_url()}
    assert draft.get_absolute_url() not in hrefs


def test_a_member_publishes_a_sheet_through_review(new_page: Any, actors: Actors, log_in: Any) -> None:
    # A's member user writes a sheet on a phone and submits it.
    page = new_page(phone=True)
    log_in(page, actors.member_user_a.email)
    page.goto(reverse("practices:practice_create"))
    form = page.locator("#practice-form")
    form.locator("[name=title]").fill("Un verger partagé pour les écoles")
    form.locator("[name=summary]").fill("Les élèves plantent et récoltent avec les jardiniers.")
    form.locator("[name=theme]").select_option("food")
    form.locator(f"[name=organisations][value='{actors.org_a.pk}']").check()
    form.locator("[name=steps]").fill("<p>Planter vingt arbres.</p><script>alert(1)</script>")
    form.locator("[name=visibility][value=public]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#state")).to_have_attribute("data-state", "draft")
    practice = Practice.objects.get()
    assert "<script" not in practice.steps and "Planter vingt arbres" in practice.steps
    page.locator("#submit-form button[type=submit]").click()
    expect(page.locator("#state")).to_have_attribute("data-state", "review")

    # A visitor does not see it yet.
    visitor = new_page()
    assert visitor.request.get(practice.get_absolute_url()).status == 404

    # The coordinator publishes it from the review queue.
    coordinator = new_page()
    log_in(coordinator, actors.coordinator.email)
    coordinator.goto(reverse("practices:review"))
    coordinator.locator(f'a[href="{practice.get_absolute_url()}"]').first.click()
    coordinator.locator("#publish-form button[type=submit]").click()
    expect(coordinator.locator("#state")).to_have_attribute("data-state", "published")

    # Now anyone reads it.
    visitor.goto(practice.get_absolute_url())
    expect(visitor.locator("h1")).to_have_text("Un verger partagé pour les écoles")
