"""An invoice as a PDF, drawn by WeasyPrint from an HTML template.

The PDF is the legal document: it is always in French (article 2 of law 94-665 of 4 August 1994
requires French on invoices), whatever language the person downloading it reads the site in. A
draft prints with a "BROUILLON / draft" mark and no number.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation

from cordee.invoicing import mentions
from cordee.invoicing.models import Exemption, Invoice
from cordee.invoicing.services import describe
from cordee.invoicing.totals import compute_totals


def pdf_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf" if invoice.number else f"brouillon-{invoice.pk}.pdf"


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    lines = list(invoice.lines.all())
    totals = compute_totals(lines)
    parties = describe(invoice)
    exemptions = [Exemption(code).label for code in dict.fromkeys(line.vat_exemption for line in lines) if code]
    context: dict[str, Any] = {
        "invoice": invoice,
        "rows": [
            {
                "line": line,
                "totals": line_totals,
                "exemption": Exemption(line.vat_exemption).label if line.vat_exemption else "",
            }
            for line, line_totals in zip(lines, totals.lines, strict=True)
        ],
        "totals": totals,
        "issuer": parties["issuer"],
        "recipient": parties["recipient"],
        "exemptions": exemptions,
        "hub_name": settings.HUB_NAME,
        "draft_mark": mentions.DRAFT_MARK,
        "late_payment_penalties": mentions.LATE_PAYMENT_PENALTIES,
        "recovery_indemnity": mentions.RECOVERY_INDEMNITY,
        "payment_terms": mentions.PAYMENT_TERMS.format(due_date=formats.date_format(invoice.due_date, "d/m/Y")),
    }
    if invoice.cancels is not None and invoice.cancels.issue_date is not None:
        context["cancels_mention"] = mentions.CREDIT_NOTE_CANCELS.format(
            number=invoice.cancels.number, issue_date=formats.date_format(invoice.cancels.issue_date, "d/m/Y")
        )
    return context


def render_invoice_pdf(invoice: Invoice) -> bytes:
    import weasyprint  # heavy: loaded when a PDF is asked for, not with every page

    with translation.override("fr"):
        html = render_to_string("invoicing/invoice_pdf.html", invoice_context(invoice))
    # The template needs nothing from outside: allow no protocol at all, so that nothing a member
    # typed could make the server fetch a file or a URL.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf
