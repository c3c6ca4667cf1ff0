"""A member applies to a call for projects through a real browser: the member admin opens the open
call, starts an application, fills a budget that does not add up, is refused with both totals
named, fixes the budget, submits, and sees the application's number.

Selectors rely on ids, names and addresses rather than on words, so the test holds whether the
interface is shown in French or in English (the totals are checked as numbers).
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.projects.models import Application
from cordee.projects.tests.factories import make_call, make_committee

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


def test_a_member_applies_to_a_call_after_fixing_a_budget_that_does_not_add_up(
    new_page: Any, actors: Actors, log_in: Any
) -> None:
    committee = make_committee(people=[(actors.committee, None)])
    call = make_call(committee=committee, created_by=actors.coordinator, title="Transitions en montagne 2027")

    page = new_page()
    log_in(page, actors.member_admin_a.email)
    page.goto(reverse("projects:call", args=[call.slug]))
    page.locator("#apply").click()
    page.locator("#start-form select[name=organisation]").select_option(str(actors.org_a.pk))
    page.locator("#start-form input[name=title]").fill("Navette solidaire du Valgaudemar")
    page.locator("#start-form button[type=submit]").click()
    application = Application.objects.get(call=call)
    expect(page).to_have_url(re.compile(reverse("projects:application_edit", args=[application.pk]) + "$"))

    form = page.locator("#application-form")
    form.locator("textarea[name=summary]").fill("Une navette à la demande pour les habitants isolés.")
    form.locator("textarea[name=description]").fill("Nous lançons une navette solidaire.")
    form.locator("input[name=communes]").fill("Gap")
    form.locator("input[name=starts_on]").fill("2027-03-01")
    form.locator("input[name=ends_on]").fill("2028-02-28")
    form.locator("input[name=requested]").fill("6 000,00")
    form.locator("input[name=expense_0_label]").fill("Location du véhicule")
    form.locator("input[name=expense_0_amount]").fill("8 000")
    form.locator("input[name=expense_1_label]").fill("Carburant")
    form.locator("input[name=expense_1_amount]").fill("2 000")
    form.locator("input[name=resource_0_label]").fill("Fonds propres")
    form.locator("select[name=resource_0_status]").select_option("own")
    form.locator("input[name=resource_0_amount]").fill("3 500")  # 6 000 + 3 500 ≠ 10 000
    form.locator("input[name=indicator_0_label]").fill("Trajets réalisés")
    form.locator("input[name=indicator_0_planned]").fill("1200")
    form.locator("input[name=answer_q1]").fill("Personnes âgées")
    form.locator("button[type=submit]").click()

    # The draft is saved as it is; submitting it is refused, naming both totals and the difference.
    expect(page.locator('#missing li[data-code="unbalanced"]')).to_be_visible()
    page.locator("#submit-form button[type=submit]").click()
    refusal = page.locator(".messages .message.error")
    expect(refusal).to_contain_text(re.compile(r"10\s000,00"))
    expect(refusal).to_contain_text(re.compile(r"9\s500,00"))
    expect(refusal).to_contain_text(re.compile(r"500,00"))
    application.refresh_from_db()
    assert application.status == "draft" and application.number == ""

    page.locator("#edit").click()
    page.locator("#application-form input[name=resource_0_amount]").fill("4 000,00")
    page.locator("#application-form button[type=submit]").click()
    expect(page.locator("#missing")).to_have_count(0)
    page.locator("#submit-form button[type=submit]").click()

    number = f"AAP-{call.opens_on.year}-{call.pk:02d}-001"
    expect(page.locator("#number")).to_have_text(number)
    expect(page.locator("#status")).to_have_attribute("data-status", "submitted")
    application.refresh_from_db()
    assert (application.status, application.number) == ("submitted", number)
