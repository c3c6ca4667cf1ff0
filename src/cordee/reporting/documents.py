"""The activity report as a PDF, drawn by WeasyPrint from an HTML template, as the treasury's
documents are (`cordee.treasury.documents`).

The report is for the hub's funders (the State, the Region, the Department): it is always in
French, with French numbers and dates, whatever language the reader uses the site in. It holds the
hub's identity, the period, each area's figures with their charts (the same inline SVG as the
dashboard) and tables, and the coordinator's highlights, testimonies and pictures. The pictures are
embedded as data: URLs, the only kind of address the drawing may read: nothing a person typed can
make the server fetch a file or a URL.
"""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from cordee.network.models import Organisation, Visibility
from cordee.reporting.models import Highlight
from cordee.reporting.periods import Period
from cordee.reporting.report import Progress, Report, build_report

PICTURE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def picture_data_url(highlight: Highlight) -> str:
    """The picture of a highlight as a data: URL, or "" when it has none (or its file is gone)."""
    if not highlight.picture:
        return ""
    extension = highlight.picture.name.rsplit(".", 1)[-1].lower()
    content_type = PICTURE_TYPES.get(extension)
    if content_type is None:
        return ""
    try:
        with highlight.picture.open("rb") as file:
            content = file.read()
    except OSError:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def title_in_french(report: Report) -> str:
    """Written here rather than translated: the report's wording must not depend on the catalogue."""
    if report.organisation is not None:
        return f"Activité — {report.organisation.name}"
    return f"Rapport d'activité — {report.hub.name}"


def report_context(report: Report) -> dict[str, Any]:
    return {
        "title": title_in_french(report),
        "reference": f"Période du {report.period.start:%d/%m/%Y} au {report.period.end:%d/%m/%Y}",
        "hub": report.hub,
        "printed_on": report.printed_on,
        "report": report,
        "highlights": [(highlight, picture_data_url(highlight)) for highlight in report.highlights],
    }


def report_pdf(report: Report) -> bytes:
    import weasyprint  # heavy: loaded when a document is asked for, not with every page

    with translation.override("fr"):
        html = render_to_string("reporting/documents/report.html", report_context(report))
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=("data",))
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf


def activity_report_pdf(
    period: Period, *, organisation: Organisation | None = None, progress: Progress | None = None
) -> bytes:
    """The activity report of a period, in French."""
    with translation.override("fr"):
        # The report goes to funders: only the organisations listed publicly are named.
        report = build_report(period, organisation=organisation, progress=progress, names=(Visibility.PUBLIC,))
        return report_pdf(report)
