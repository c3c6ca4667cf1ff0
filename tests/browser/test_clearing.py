"""Multilateral clearing through a real browser: the coordinator computes a proposal over a triangle
of debts, reads it, executes it; a member, on a phone, then sees its invoices settled (one whole, one
in part) and downloads its clearing statement.

Selectors rely on ids, names and addresses rather than on words, so the test holds whether the
interface is shown in French or in English.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.urls import reverse

from cordee.clearing.models import Run
from cordee.clearing.services import SUSPENSE_ACCOUNT
from cordee.clearing.tests.support import consent, owe
from cordee.core.testing import Actors, make_organisation
from cordee.invoicing.models import Invoice
from cordee.ledger.models import Account
from cordee.ledger.verify import verify

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


def test_the_coordinator_clears_a_triangle_and_a_member_sees_it_settled(
    new_page: Any, actors: Actors, books_emptied_afterwards: None, log_in: Any
) -> None:
    a, b = actors.org_a, actors.org_b
    c = make_organisation("Tiers-lieu du Champsaur")
    for organisation in (a, b, c):
        consent(organisation, actors.coordinator)
    a_owes = owe(a, b, 10_000, days_ago=40)  # 100 €
    owe(b, c, 8_000)  # 80 €
    c_owes = owe(c, a, 5_000)  # 50 €

    # The coordinator computes the proposal from the clearing page.
    page = new_page()
    log_in(page, actors.coordinator.email)
    page.goto(reverse("clearing:home"))
    page.locator("#compute-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/compensation/operations/\d+/$"))
    run = Run.objects.get()
    assert run.status == Run.Status.PROPOSED and run.cleared_cents == 15_000

    # It reads it: 150 € cleared of 230 €, three parties, three invoices.
    expect(page.locator("#cleared")).to_contain_text(re.compile(r"150[,.]00"))
    expect(page.locator("#positions tbody tr")).to_have_count(3)
    expect(page.locator("#allocations tbody tr")).to_have_count(3)
    expect(page.locator("#allocations")).to_contain_text(a_owes.number)

    # And executes it.
    page.locator("#execute-form button[type=submit]").click()
    expect(page.locator("#run-status")).to_have_class(re.compile(r"status-executed"))
    expect(page.locator("#execute-form")).to_have_count(0)
    run.refresh_from_db()
    assert run.status == Run.Status.EXECUTED
    assert Account.objects.get(number=SUSPENSE_ACCOUNT).debits_posted == 15_000
    assert verify().ok

    # A's member admin, on a phone: C's invoice to A (50 €) is paid, A's to B (100 €) partly settled.
    member = new_page(phone=True)
    log_in(member, actors.member_admin_a.email)
    member.goto(reverse("invoicing:invoice", args=[c_owes.pk]))
    expect(member.locator(".status")).to_have_class(re.compile(r"status-paid"))
    member.goto(reverse("invoicing:invoice", args=[a_owes.pk]))
    expect(member.locator("#badge-partly-settled")).to_be_visible()
    expect(member.locator("#settlements")).to_contain_text(re.compile(r"50[,.]00"))
    assert Invoice.objects.get(pk=a_owes.pk).status == Invoice.Status.ISSUED

    # Its clearing page lists the run and links to its statement, a PDF.
    member.goto(reverse("clearing:home"))
    statement = member.locator(f'#our-positions a[href="{reverse("clearing:statement", args=[run.pk, a.pk])}"]')
    expect(statement).to_be_visible()
    response = member.request.get(statement.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    # Never another member's statement.
    assert member.request.get(reverse("clearing:statement", args=[run.pk, b.pk])).status == 404
