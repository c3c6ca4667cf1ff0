"""Internal invoices through a real browser: a member admin drafts an invoice line by line, previews
its totals, issues it and downloads its PDF; the recipient finds it among the invoices to pay.

Selectors rely on ids, names and addresses rather than on words, so the tests hold whether the
interface is shown in French or, while translations are not compiled, in English.
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
from cordee.invoicing.models import Invoice

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


def test_a_member_admin_drafts_issues_and_downloads_an_invoice(
    new_page: Any, actors: Actors, books_emptied_afterwards: None, log_in: Any
) -> None:
    page = new_page(viewport={"width": 390, "height": 844})  # on a phone
    log_in(page, actors.member_admin_a.email)
    page.goto(reverse("invoicing:invoices"))
    page.locator(f'main a[href="{reverse("invoicing:invoice_create")}"]').click()

    page.locator("#id_recipient").select_option(str(actors.org_b.pk))
    page.locator("#id_due_date").fill("2026-03-31")
    page.locator("#id_lines-0-label").fill("Animation d'atelier (heures)")
    page.locator("#id_lines-0-quantity").fill("3,5")
    page.locator("#id_lines-0-unit_price").fill("23,47")
    # A second line, added in place by the script: the focus lands on its first field.
    page.locator("#add-line").click()
    expect(page.locator("#id_lines-1-label")).to_be_focused()
    page.keyboard.type("Formation des bénévoles")
    page.locator("#id_lines-1-quantity").fill("1")
    page.locator("#id_lines-1-unit_price").fill("1000")
    page.locator("#id_lines-1-vat_rate").select_option("0")
    page.locator("#preview-totals").click()

    # Without an exemption mention, the line at 0 % is refused where it was typed.
    expect(page.locator("#id_lines-1-vat_exemption_error")).to_be_visible()
    assert not Invoice.objects.exists()
    page.locator("#id_lines-1-vat_exemption").select_option("261-4-4")
    page.locator("#preview-totals").click()
    expect(page.locator("#preview .totals")).to_contain_text("1\u202f098,58\u00a0€")  # 82,15 + 16,43 + 1 000,00

    page.locator("button[name=action][value=save]").click()
    invoice = Invoice.objects.get()
    expect(page).to_have_url(re.compile(re.escape(invoice.get_absolute_url()) + "$"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    page.locator("#id_issue_date").fill("2026-03-02")
    page.locator("#issue-form button[type=submit]").click()
    expect(page.locator(".messages .success")).to_contain_text("F-2026-00001")

    with page.expect_download() as download_info:
        page.locator(f'main a[href="{reverse("invoicing:invoice_pdf", args=[invoice.pk])}"]').click()
    download = download_info.value
    assert download.suggested_filename == "F-2026-00001.pdf"
    path = download.path()
    assert path is not None
    with open(path, "rb") as handle:
        text = pdf_text(handle.read())
    assert "F-2026-00001" in text
    assert "1 098,58 €" in text
    assert "Coopérative des Écrins" in text
    assert "Exonération de TVA, art. 261-4-4° a du CGI" in text

    recipient = new_page()
    log_in(recipient, actors.member_admin_b.email)
    recipient.goto(reverse("invoicing:invoices") + "?direction=to_pay")
    expect(recipient.locator("#total-to-pay")).to_have_text("1\u202f098,58\u00a0€")
    expect(recipient.locator(f'#invoices a[href="{invoice.get_absolute_url()}"]')).to_have_text("F-2026-00001")
