"""A good-practice sheet as a PDF, drawn by WeasyPrint from the sheet, as the treasury's documents are.

The rich text is printed as its cleaned HTML (cleaned again here: what reaches the printer is the
same little HTML the page shows, whatever the row holds). The organisations named are those the
reader may see in the directory. Nothing is stored: the PDF is drawn again when asked for.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from cordee.core.money import format_cents
from cordee.network.parties import hub_party, member_party
from cordee.practices.models import Practice
from cordee.practices.richtext import clean_html
from cordee.practices.selectors import shown_organisations

SECTIONS = (
    ("context", "Le contexte"),
    ("steps", "Ce qui a été fait, étape par étape"),
    ("results", "Résultats et chiffres"),
    ("watch_out", "Points de vigilance"),
)


def practice_context(practice: Practice, *, user: Any) -> dict[str, Any]:
    return {
        "title": practice.title,
        "reference": practice.get_theme_display(),
        "hub": hub_party(),
        "printed_on": timezone.localdate(),
        "practice": practice,
        "sections": [
            (heading, mark_safe(clean_html(getattr(practice, name))))  # cleaned by nh3 just before
            for name, heading in SECTIONS
            if getattr(practice, name).strip()
        ],
        "organisations": [
            member_party(organisation) for organisation, shown in shown_organisations(user, practice) if shown
        ],
        "cost": format_cents(practice.cost_cents) if practice.cost_cents is not None else "",
    }


def practice_pdf(practice: Practice, *, user: Any) -> bytes:
    """The sheet, printable: its sections, organisations, contact, cost, tags, under the hub's name."""
    import weasyprint  # heavy: loaded when a document is asked for, not with every page

    with translation.override("fr"):
        html = render_to_string("practices/documents/practice.html", practice_context(practice, user=user))
    # Nothing to fetch from outside: a link a member wrote cannot make the server read a file or a URL.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf
