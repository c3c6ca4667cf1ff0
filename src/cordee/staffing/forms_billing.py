"""The forms of the re-invoicing and report pages. They read the input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cordee.core.errors import DomainError
from cordee.staffing.reports import MAX_REPORT_DAYS
from cordee.staffing.services.billing import parse_month


class BillingForm(forms.Form):
    month = forms.CharField(
        label=_("Month (YYYY-MM)"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}", "placeholder": "2027-03"}),
    )
    validated_only = forms.BooleanField(
        label=_("Invoice what is validated; leave the share of the hours not validated to the employer"),
        required=False,
    )

    def clean_month(self) -> dt.date:
        try:
            return parse_month(self.cleaned_data["month"])
        except DomainError as error:
            raise forms.ValidationError(error.message, code="month_format") from error


class PeriodForm(forms.Form):
    """The report's period: `du` and `au`, both days included."""

    du = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    au = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end:
            if end < start:
                self.add_error("au", _("The end of the period cannot be before its start."))
            elif (end - start).days >= MAX_REPORT_DAYS:
                self.add_error("au", _("A report covers at most three years."))
        return cleaned
