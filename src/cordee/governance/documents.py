"""The minutes (procès-verbal) of a closed decision as a PDF, drawn by WeasyPrint from the frozen
figures, as the treasury's documents are. Nothing is stored: the PDF is drawn again when asked for,
always from what closing froze (the outcome, the figures, the organisations entitled)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cordee.governance import selectors
from cordee.governance.models import Body, Decision
from cordee.network.parties import hub_party


def minutes_context(decision: Decision) -> dict[str, Any]:
    tally = selectors.tally(decision)
    assembly = decision.body.kind == Body.Kind.GENERAL_ASSEMBLY
    return {
        "title": f"Procès-verbal de décision n° {decision.register_number}",
        "reference": f"{decision.body.name} — {decision.title}",
        "hub": hub_party(),
        "printed_on": timezone.localdate(),
        "decision": decision,
        "tally": tally,
        "assembly": assembly,
        "options": selectors.options_of(decision),
        "votes": selectors.votes_of(decision),
        "recused_seats": [] if assembly else selectors.recused_of(decision),
        "recused_organisations": selectors.recused_organisations_of(decision) if assembly else [],
        "concerned": selectors.concerned_of(decision),
    }


def minutes_pdf(decision: Decision) -> bytes:
    """The minutes of a closed decision: body, number, question, options, dates, entitled, votes
    cast, quorum, majority and outcome (or the option retained), the spread, the voters, the
    recused, the reasons and conditions."""
    import weasyprint  # heavy: loaded when a document is asked for, not with every page

    with translation.override("fr"):
        html = render_to_string("governance/documents/minutes.html", minutes_context(decision))
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf
