"""Forms of the exchange and time-credit pages. They parse and label; the services decide."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Organisation
from cordee.skills.models import Terms
from cordee.treasury.forms_plans import EuroAmountField

_HOURS_MINUTES = re.compile(r"^(\d{1,5})\s*(?:h|:)\s*(\d{1,2})?\s*(?:min|mn)?$", re.IGNORECASE)
_DECIMAL_HOURS = re.compile(r"^(\d{1,5})(?:[.,](\d{1,2}))?\s*h?$", re.IGNORECASE)


def parse_hours(text: str, *, max_hours: int) -> int | None:
    """Typed hours to whole minutes: "2", "2,5", "2.5", "2 h 30", "2:30" -> 120, 150, 150, 150, 150;
    blank -> None. Raises ValidationError for anything else, or beyond `max_hours`."""
    cleaned = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    if not cleaned:
        return None
    minutes: int | None = None
    if match := _HOURS_MINUTES.match(cleaned):
        rest = int(match.group(2) or 0)
        if rest < 60:
            minutes = int(match.group(1)) * 60 + rest
    elif match := _DECIMAL_HOURS.match(cleaned):
        try:
            value = Decimal(f"{match.group(1)}.{match.group(2) or '0'}")
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            value = None
        if value is not None:
            minutes = int((value * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if minutes is None:
        raise ValidationError(_("Type hours as 2, 2,5 or 2 h 30."), code="hours_format")
    if minutes > max_hours * 60:
        raise ValidationError(_("At most %(max)s hours.") % {"max": max_hours}, code="hours_range")
    return minutes


class HoursField(forms.CharField):
    """A duration typed in hours, cleaned to minutes (an int)."""

    def __init__(self, *, max_hours: int = 1000, **kwargs: Any) -> None:
        self.max_hours = max_hours
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        return parse_hours(text or "", max_hours=self.max_hours)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            hours = (Decimal(value) / 60).quantize(Decimal("0.01")).normalize()
            return f"{hours:f}".replace(".", ",")
        return value


class SideForm(forms.Form):
    """The organisation a person acts for: chosen only when they may act for both sides."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("For"))

    # Several of these forms share a page: their fields' ids must differ.
    id_prefix = "side"

    def __init__(self, *args: Any, organisations: QuerySet[Organisation] | list[Organisation], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        ids = [organisation.pk for organisation in organisations]
        field.queryset = Organisation.objects.filter(pk__in=ids).order_by("sort_name", "pk")
        if len(ids) == 1:
            field.initial = ids[0]
            field.widget = forms.HiddenInput()


class ProposeForm(SideForm):
    id_prefix = "propose"
    description = forms.CharField(
        label=_("What is exchanged"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you need or offer, when, where."),
    )
    terms = forms.ChoiceField(label=_("Terms"), choices=Terms.choices, widget=forms.RadioSelect)
    hours = HoursField(label=_("Time credits (hours)"), required=False, help_text=_("For an exchange in time credits."))
    price = EuroAmountField(
        label=_("Price (€)"), required=False, help_text=_("For an exchange in euros: invoiced without VAT.")
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["organisation"].label = _("In the name of")


class ConfirmForm(SideForm):
    id_prefix = "confirm"
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today if left empty."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class CancelForm(SideForm):
    id_prefix = "cancel"
    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_("The other side reads it."))


class ReviewForm(SideForm):
    id_prefix = "review"
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, f"{n}/5") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    testimony = forms.CharField(
        label=_("Testimony"), max_length=600, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BoundsForm(forms.Form):
    floor = HoursField(
        label=_("Floor (hours below zero)"),
        max_hours=10_000,
        help_text=_("How far an organisation may run into debt: 20 means -20 h."),
    )
    ceiling = HoursField(label=_("Ceiling (hours)"), max_hours=10_000, help_text=_("How much it may hold at most."))

    def minutes(self) -> tuple[int, int]:
        return -(self.cleaned_data["floor"] or 0), self.cleaned_data["ceiling"] or 0
