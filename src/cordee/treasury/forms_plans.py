"""Forms of the cash-flow plans. Amounts are typed in euros as people write them ("1 234,56")
and cleaned to integer cents by `cashplans.parse_euros`, the same rule as the import's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Organisation
from cordee.treasury import cashplans
from cordee.treasury.cashplans import MAX_LABEL, MAX_TITLE, add_months, month_label
from cordee.treasury.models import CashPlanLine


class EuroAmountField(forms.CharField):
    """An amount in euros, cleaned to cents (an int), or None when left empty and not required.

    It reads amounts with `cashplans.parse_euros`, as the plan import does, so that a cell of the
    grid and a cell of a spreadsheet are accepted or refused alike, with the same words; "1 234,56"
    and "1234.56" are read in either language of the site."""

    def __init__(self, *, allow_negative: bool = False, **kwargs: Any) -> None:
        self.allow_negative = allow_negative
        # No max_length: its validator would measure the cleaned int.
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": 30})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return cashplans.parse_euros(text, allow_negative=self.allow_negative)
        except cashplans.AmountError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return formats.number_format(Decimal(value).scaleb(-2), 0 if value % 100 == 0 else 2)
        return value


def month_choices(around: dt.date, *, keep: dt.date | None = None) -> list[tuple[str, str]]:
    """A year back to two years ahead of `around`, and `keep` (a plan's month) whatever it is."""
    start = add_months(around, -12)
    months = {add_months(start, index) for index in range(36)}
    if keep is not None:
        months.add(keep)
    return [(f"{month:%Y-%m}", month_label(month)) for month in sorted(months)]


def _month(value: str) -> dt.date:
    return dt.date.fromisoformat(f"{value}-01")


class PlanForm(forms.Form):
    """A plan's head. Without `organisations` (an edit), the organisation stays as it is."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = forms.CharField(
        label=_("Title"), max_length=MAX_TITLE, help_text=_("For instance “Plan 2026” or “After the new grant”.")
    )
    first_month = forms.TypedChoiceField(label=_("First month"), coerce=_month)
    opening_cash = EuroAmountField(
        label=_("Cash at the start (€)"),
        allow_negative=True,
        help_text=_("What the bank accounts hold on the first day of the first month; negative if overdrawn."),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        first_month: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        if organisations is None:
            del self.fields["organisation"]
        else:
            _set_organisations(self.fields["organisation"], organisations)
        this_month = cashplans.month_start(timezone.localdate())
        month = self.fields["first_month"]
        assert isinstance(month, forms.ChoiceField)
        month.choices = month_choices(this_month, keep=first_month)
        month.initial = f"{first_month or this_month:%Y-%m}"

    def chosen_organisation(self) -> Organisation:
        assert self.organisations is not None
        return self.organisations.get(pk=self.cleaned_data["organisation"])


def _set_organisations(field: forms.Field, organisations: QuerySet[Organisation]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = [(org.pk, org.name) for org in organisations]
    if len(field.choices) == 1:
        field.initial = field.choices[0][0]


class PlanImportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    file = forms.FileField(label=_("File (XLSX or CSV)"))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        _set_organisations(self.fields["organisation"], organisations)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("The file must be a .csv or .xlsx file."), code="file_type")
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file must weigh at most %(size)s MB.") % {"size": settings.IMPORT_MAX_BYTES // 1_048_576},
                code="file_size",
            )
        return upload

    def chosen_organisation(self) -> Organisation:
        return self.organisations.get(pk=self.cleaned_data["organisation"])


def category_choices() -> list[tuple[Any, Any]]:
    inflows = [(value, label) for value, label in CashPlanLine.Category.choices if value in CashPlanLine.INFLOWS]
    outflows = [(value, label) for value, label in CashPlanLine.Category.choices if value not in CashPlanLine.INFLOWS]
    return [("", _("Choose a category")), (_("Money in"), inflows), (_("Money out"), outflows)]


class RowForm(forms.Form):
    """One row of the plan, its twelve months at once: the fast way to fill a plan, on a phone too.
    "Every month" fills the months left empty."""

    category = forms.ChoiceField(label=_("Category"))
    label = forms.CharField(label=_("Label"), max_length=MAX_LABEL, help_text=_("For instance “Salaries”."))
    funder = forms.CharField(
        label=_("Funder"),
        max_length=MAX_LABEL,
        required=False,
        help_text=_("For a subsidy: who pays it. An advance can be repaid from it."),
    )
    every_month = EuroAmountField(
        label=_("Same amount every month (€)"), required=False, help_text=_("Fills the months left empty.")
    )
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, months: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = category_choices()
        self.months = months
        for index, month in enumerate(months):
            self.fields[f"month_{index}"] = EuroAmountField(label=month_label(month), required=False)

    def month_fields(self) -> list[forms.BoundField]:
        return [self[f"month_{index}"] for index in range(len(self.months))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        every = data.get("every_month")
        for index in range(len(self.months)):
            name = f"month_{index}"
            if data.get(name) is None and name not in self.errors and every:
                data[name] = every
        if not self.errors and not any(data.get(f"month_{index}") for index in range(len(self.months))):
            raise ValidationError(_("Enter at least one amount."), code="no_amount")
        return data

    def amounts(self) -> dict[dt.date, int]:
        return {month: self.cleaned_data.get(f"month_{index}") or 0 for index, month in enumerate(self.months)}


def row_initial(row: cashplans.PlanRow) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "category": row.key.category,
        "label": row.key.label,
        "funder": row.key.funder,
        "replaces": row.line_pk,
    }
    initial.update({f"month_{index}": cents for index, cents in enumerate(row.amounts) if cents})
    return initial
