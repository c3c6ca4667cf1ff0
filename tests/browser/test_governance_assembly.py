"""The general assembly through a real browser: the member admins of three member organisations
vote on an open proposal (one of them on a phone); a second vote sent from a page opened before
the first is refused and says who voted; the coordinator closes the vote; the page shows the
quorum (needed and reached), the majority and the outcome; the minutes PDF downloads.

Selectors rely on ids, names, classes and addresses rather than on words, so the test holds
whether the interface is shown in French or in English.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors, make_organisation, make_person
from cordee.governance import services
from cordee.governance.models import Decision, Vote
from cordee.network.models import Affiliation

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


def vote(page: Any, decision: Decision, choice: str) -> None:
    form = page.locator(f'form[action="{reverse("governance:vote", args=[decision.pk])}"]')
    form.locator(f"input[name=choice][value={choice}]").check()
    form.locator("button[type=submit]").click()


def test_the_general_assembly_votes_and_the_result_shows_quorum_and_majority(
    new_page: Any, actors: Actors, log_in: Any
) -> None:
    third = make_organisation("Épicerie solidaire de Guillestre")
    admin_c = make_person("admin.c@example.org", "Inès Faure")
    Affiliation.objects.create(person=admin_c, organisation=third, role=Affiliation.Role.ADMIN)
    assembly = services.body_create(
        actor=actors.coordinator, kind="assembly", name="Assemblée générale", quorum_percent=50, majority="simple"
    )
    decision = services.decision_open(
        actor=actors.coordinator,
        body=assembly,
        title="Modification du règlement intérieur",
        text="Article 6 : cotisation solidaire pour les structures de moins de deux salariés.",
        category="rule_change",
    )
    url = reverse("governance:decision", args=[decision.pk])

    # A's member admin opens the page twice (two tabs), votes in the first…
    first = new_page()
    log_in(first, actors.member_admin_a.email)
    first.goto(url)
    stale = first.context.new_page()
    stale.goto(url)
    vote(first, decision, "for")
    expect(first.locator("p.voted")).to_contain_text(actors.member_admin_a.full_name)
    # …then sends the second tab's form: refused, and the message says who voted.
    vote(stale, decision, "against")
    expect(stale.locator(".error-summary")).to_contain_text(actors.member_admin_a.full_name)
    assert list(Vote.objects.values_list("organisation", "choice")) == [(actors.org_a.pk, "for")]

    # B's member admin votes against on a phone; C's member admin votes for.
    phone = new_page(phone=True)
    log_in(phone, actors.member_admin_b.email)
    phone.goto(url)
    vote(phone, decision, "against")
    expect(phone.locator("p.voted")).to_be_visible()
    other = new_page()
    log_in(other, admin_c.email)
    other.goto(url)
    vote(other, decision, "for")
    expect(other.locator("p.voted")).to_be_visible()

    # The coordinator closes the vote.
    coordinator = new_page()
    log_in(coordinator, actors.coordinator.email)
    coordinator.goto(url)
    coordinator.locator("#close-form textarea[name=reasons]").fill("Adoptée en assemblée générale.")
    coordinator.locator("#close-form button[type=submit]").click()
    expect(coordinator.locator("h1 + p.meta")).to_contain_text(f"{decision.opens_at.year}-001")
    # 3 member organisations, quorum 50 %: 2 votes needed, 3 cast; 2 for, 1 against: approved.
    quorum = coordinator.locator(".tally p.quorum")
    expect(quorum).to_contain_text("50 %")
    expect(quorum.locator(".reached")).to_be_visible()
    expect(coordinator.locator(".tally p.majority .reached")).to_be_visible()
    expect(coordinator.locator(".outcome-approved").first).to_be_visible()
    assert Decision.objects.get(pk=decision.pk).outcome == Decision.Outcome.APPROVED

    # The minutes download as a PDF.
    minutes = reverse("governance:decision_minutes", args=[decision.pk])
    expect(coordinator.locator(f'a[href="{minutes}"]')).to_be_visible()
    response = coordinator.request.get(minutes)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
