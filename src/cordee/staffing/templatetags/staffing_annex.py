"""`{% staff_hours_annex invoice %}`: on an invoice's page, the link to the day-by-day hours annexed
to it when the monthly re-invoicing of shared staff issued it (nothing for any other invoice). Who
may download it is decided by the annex's own page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cordee.invoicing.models import Invoice
from cordee.staffing.selectors_billing import annex_url

register = template.Library()


@register.simple_tag
def staff_hours_annex(invoice: Invoice) -> SafeString | str:
    url = annex_url(invoice)
    if url is None:
        return ""
    return format_html('<dt>{}</dt><dd><a href="{}">{}</a></dd>', _("Annex"), url, _("Hours worked, day by day (PDF)"))
