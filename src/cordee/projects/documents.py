"""The agreement (convention) of a funded action as a PDF, drawn by WeasyPrint from the action, as
the treasury's documents are: the parties, the action, the amount granted, the tranches tied to the
milestones, the member's obligations, the reports due and the signatures.

The amount is written in figures only (no library to spell numbers in French is in the lock).
Nothing is stored: the PDF is drawn again when asked for, with the milestones as they stand."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cordee.network.parties import hub_party, member_party
from cordee.projects.models import Action, Report


def agreement_context(action: Action) -> dict[str, Any]:
    application = action.application
    partners = [p for p in application.partners.select_related("organisation", "organisation__commune")]
    return {
        "title": "Convention de financement d'une action territoriale",
        "reference": f"Convention n° {action.number}",
        "hub": hub_party(),
        "member": member_party(application.organisation),
        "printed_on": timezone.localdate(),
        "action": action,
        "application": application,
        "call": application.call,
        "partners": [p.organisation.name if p.organisation is not None else p.name for p in partners],
        "communes": [c.name for c in application.communes.all()],
        "milestones": list(action.milestones.order_by("position", "pk")),
        "indicators": list(application.indicators.all()),
        "report_kinds": [label for value, label in Report.Kind.choices if value != Report.Kind.OTHER],
    }


def agreement_pdf(action: Action) -> bytes:
    import weasyprint  # heavy: loaded when a document is asked for, not with every page

    with translation.override("fr"):
        html = render_to_string("projects/documents/agreement.html", agreement_context(action))
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf
