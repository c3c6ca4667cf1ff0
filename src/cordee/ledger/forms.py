from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.ledger.models import Ledger


class JournalForm(forms.Form):
    ledger = forms.ChoiceField(label=_("Ledger"), required=False, choices=())

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["ledger"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, code) for code in Ledger.objects.values_list("code", flat=True)]


class FecForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The year cannot be in the future."), code="future")
        return year
