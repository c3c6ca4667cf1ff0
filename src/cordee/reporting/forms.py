"""Forms of the reporting pages. They parse and label; `Period` and the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cordee.core.errors import DomainError
from cordee.reporting import selectors
from cordee.reporting.models import Highlight
from cordee.reporting.periods import Period
from cordee.reporting.report import default_period

# Where a DomainError's field is named differently in the form.
PERIOD_FIELDS = {"start": "du", "end": "au"}


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """The period of a dashboard or a report: `?du=2026-01-01&au=2026-06-30`, both days included."""

    du = forms.DateField(label=_("From"), widget=_date())
    au = forms.DateField(label=_("To"), widget=_date())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["period"] = Period(data["du"], data["au"])
        except DomainError as error:
            self.add_error(PERIOD_FIELDS.get(error.field or ""), error.message)
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]  # type: ignore[no-any-return]


def period_form(query: QueryDict) -> tuple[PeriodForm, Period | None]:
    """The form of a query string and its period; without dates, the current year up to today.
    The period is None when the dates are refused (the form says why)."""
    if not query.get("du") and not query.get("au"):
        period = default_period()
        return PeriodForm(initial={"du": period.start, "au": period.end}), period
    form = PeriodForm(query)
    return form, form.period if form.is_valid() else None


class HighlightForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Highlight.Kind.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("From"), widget=_date())
    ends_on = forms.DateField(label=_("To"), widget=_date())
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For a testimony, the words said."),
    )
    attribution = forms.CharField(
        label=_("Said by"),
        required=False,
        max_length=200,
        help_text=_("As the person agreed to be named, e.g. “Marie, volunteer at the Jardins du Buëch”."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation concerned"), queryset=Highlight.objects.none(), required=False
    )
    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, 5 MB at most."),
    )
    picture_alt = forms.CharField(
        label=_("Description of the picture"),
        required=False,
        max_length=300,
        help_text=_("What the picture shows, for those who cannot see it. Required with a picture."),
    )
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.highlight_organisations()
        if not editing:
            del self.fields["remove_picture"]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["picture"] = data.get("picture") or None
        return data


def refused(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form field it names (or on the form)."""
    field = PERIOD_FIELDS.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)
