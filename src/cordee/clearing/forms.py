"""Forms of the clearing pages. They parse and label; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.treasury.forms_plans import EuroAmountField


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RunComputeForm(forms.Form):
    as_of = forms.DateField(
        label=_("Invoices issued up to"),
        widget=_date(),
        initial=timezone.localdate,
        help_text=_("The unpaid, undisputed internal invoices between signatories issued on or before this date."),
    )


class ConsentForm(forms.Form):
    """A signature of the set-off agreement. A member admin signs today; the coordinator may record a
    paper signature of an earlier date (the service decides who may)."""

    signatory = forms.CharField(
        label=_("Signatory"),
        max_length=200,
        help_text=_("Name and capacity of who signs for the organisation, e.g. “Anne Morel, president”."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=_date(), required=False, initial=timezone.localdate)


class LiquidityForm(forms.Form):
    cash = EuroAmountField(
        label=_("Cash the pool can lend for a few days (€)"),
        help_text=_("Write it in euros, like 1 234,56."),
    )
