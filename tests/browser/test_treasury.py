"""The solidarity treasury through a real browser: a member admin builds a cash-flow plan and turns
its gap into an advance request; the credit committee votes; the treasurer records the decision,
disburses and records a repayment; the member downloads its statement.

Selectors rely on ids, names and addresses rather than on words, so the test holds whether the
interface is shown in French or in English.
"""

from __future__ import annotations

import io
import os
import re
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cordee.core.testing import Actors
from cordee.treasury.models import Advance, CashPlan, Repayment

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


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def test_a_cash_gap_becomes_an_advance_voted_paid_and_repaid(
    new_page: Any, actors: Actors, books_emptied_afterwards: None, log_in: Any
) -> None:
    from cordee.treasury.tests.factories import set_up_pool

    pool = set_up_pool(actors)

    # A member admin, on a phone, builds a plan: salaries every month, a subsidy in month 6.
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, actors.member_admin_a.email)
    page.goto(reverse("treasury:plan_add"))
    page.locator("#id_title").fill("Plan 2027")
    page.locator("#id_opening_cash").fill("2 000")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/tresorerie/plans/\d+/"))
    plan = CashPlan.objects.get()
    page.goto(reverse("treasury:plan_lines", args=[plan.pk]))
    page.locator("#id_category").select_option("salaries")
    page.locator("#id_label").fill("Salaires")
    page.locator("#id_every_month").fill("5 000")
    page.locator("#row-form button[name=action][value=save]").click()
    expect(page.locator("#plan-rows")).to_contain_text("Salaires")
    page.locator("#id_category").select_option("subsidy")
    page.locator("#id_label").fill("Subvention de fonctionnement")
    page.locator("#id_funder").fill("Région Sud")
    page.locator("#id_month_5").fill("30 000")
    page.locator("#row-form button[name=action][value=save]").click()
    expect(page.locator("#plan-rows")).to_contain_text("Région Sud")

    page.goto(plan.get_absolute_url())
    expect(page.locator("#gaps")).to_be_visible()
    expect(page.locator("#proposal-amount")).to_be_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth && !e.closest('.table-wrap'))"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"sideways: {wide}"
    page.locator("#request-advance").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("treasury:advance_request"))))
    expect(page.locator("#id_funder")).to_have_value("Région Sud")
    page.locator("#id_purpose").fill("Payer les salaires en attendant la subvention régionale")
    page.locator("#id_notified_amount").fill("30 000")
    page.locator("#advance-form button[type=submit]").click()
    advance = Advance.objects.get()
    expect(page).to_have_url(re.compile(re.escape(advance.get_absolute_url()) + "$"))
    assert advance.funder == "Région Sud" and advance.mode == "bullet"

    # Three members of the committee vote for it on the advance's page.
    for voter in pool.voters[1:4]:
        ballot = new_page()
        log_in(ballot, voter.email)
        ballot.goto(advance.get_absolute_url())
        ballot.locator("main .ballot input[name=choice][value=for]").check()
        ballot.locator("main .ballot button[type=submit]").click()
        expect(ballot).to_have_url(re.compile(re.escape(advance.get_absolute_url()) + "$"))
        ballot.close()

    # The treasurer records the decision, disburses, and records a first repayment.
    treasurer = new_page()
    log_in(treasurer, actors.treasurer.email)
    treasurer.goto(advance.get_absolute_url())
    treasurer.locator("#decide-form #id_reasons").fill("Subvention notifiée, trésorerie disponible")
    treasurer.locator("#decide-form button[type=submit]").click()
    advance.refresh_from_db()
    assert advance.status == "approved"
    treasurer.locator("#disburse-form button[type=submit]").click()
    expect(treasurer.locator("#outstanding")).to_be_visible()
    advance.refresh_from_db()
    assert advance.status == "disbursed"
    treasurer.locator("#repayment-form #id_amount").fill("1 000")
    treasurer.locator("#repayment-form #id_bank_reference").fill(f"VIR {advance.reference}")
    treasurer.locator("#repayment-form button[type=submit]").click()
    expect(treasurer.locator(".messages .success")).to_be_visible()
    assert Repayment.objects.get().principal_cents == 100_000

    # The member downloads its statement: the advance and what is left of it.
    with page.expect_download() as download_info:
        page.goto(reverse("treasury:home"))
        page.locator(f'main a[href="{reverse("treasury:member_statement", args=[actors.org_a.pk])}"]').click()
    path = download_info.value.path()
    assert path is not None
    with open(path, "rb") as handle:
        text = pdf_text(handle.read())
    assert advance.reference in text
    assert actors.org_a.name in text
    left = (advance.amount_cents or 0) - 100_000
    assert f"{left // 100:,}".replace(",", " ") + ",00 €" in text
