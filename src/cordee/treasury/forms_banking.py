"""Forms of the bank pages. They only shape input: the checks of IBANs, BICs and mandates are the
services' (`cordee.treasury.banking`), whose errors land on the field they name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.errors import DomainError
from cordee.treasury.banking import MAX_STATEMENT_BYTES


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DomainErrorsMixin:
    def add_domain_error(self, error: DomainError) -> None:
        fields: Any = getattr(self, "fields", {})
        self.add_error(error.field if error.field in fields else None, error.message)  # type: ignore[attr-defined]


class StatementUploadForm(DomainErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Bank statement"),
        help_text=_("CSV export of the bank (separator ;, dates DD/MM/YYYY) or CAMT.053 XML file; 5 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xml,text/csv,application/xml,text/xml"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("The file is too large (5 MB at most)."))
        return upload


class BankLineAssignForm(DomainErrorsMixin, forms.Form):
    advance = forms.TypedChoiceField(label=_("Advance"), coerce=int)

    def __init__(self, *args: Any, advances: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["advance"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose the advance")), *advances]


class BankLineIgnoreForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), required=False, max_length=300)


class TransferDateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_date_input())


class DirectDebitForm(DomainErrorsMixin, forms.Form):
    collection_date = forms.DateField(
        label=_("Collection date"),
        widget=_date_input(),
        help_text=_("The instalments due by this date and not yet paid nor collected are put in the file."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collection_date"].initial = next_business_day(timezone.localdate())


def next_business_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


class BankDetailsForm(DomainErrorsMixin, forms.Form):
    holder = forms.CharField(label=_("Account holder"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=42, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    bic = forms.CharField(label=_("BIC"), max_length=11, required=False)


class MandateForm(DomainErrorsMixin, forms.Form):
    reference = forms.CharField(
        label=_("Mandate reference (RUM)"),
        max_length=35,
        help_text=_("As printed on the mandate the member signed."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=_date_input())
    holder = forms.CharField(label=_("Account holder"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=42, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    bic = forms.CharField(label=_("BIC"), max_length=11, required=False)
