from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Commune, Organisation
from cordee.premises.models import OpeningHours, Resource, ResourcePhoto
from cordee.premises.services import Recurrence


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class SlotForm(forms.Form):
    """A day and a time span, in the hub's time zone."""

    day = forms.DateField(label=_("Day"), widget=DateInput)
    start = forms.TimeField(label=_("From"), widget=TimeInput)
    end = forms.TimeField(label=_("To"), widget=TimeInput, help_text=_("00:00: until midnight"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["start"]))
        end_day = data["day"] + dt.timedelta(days=1) if data["end"] <= data["start"] else data["day"]
        if data["end"] <= data["start"] and data["end"] != dt.time(0):
            self.add_error("end", _("The end must be after the start."))
            return data
        data["starts_at"] = starts_at
        data["ends_at"] = timezone.make_aware(dt.datetime.combine(end_day, data["end"]))
        return data


class SearchForm(SlotForm):
    capacity = forms.IntegerField(label=_("People"), min_value=1, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("any")), *Resource.Kind.choices], required=False)
    near = forms.ModelChoiceField(
        label=_("In or near"), queryset=Commune.objects.order_by("search_name"), required=False
    )


class BookingForm(SlotForm):
    organisation = forms.ModelChoiceField(label=_("In the name of"), queryset=Organisation.objects.none())
    attendees = forms.IntegerField(label=_("People"), min_value=1, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=[("", _("no")), ("weekly", _("every week")), ("monthly", _("every month"))],
        required=False,
    )
    interval = forms.IntegerField(label=_("Every"), min_value=1, max_value=12, initial=1, required=False)
    count = forms.IntegerField(label=_("Number of times"), min_value=1, max_value=200, required=False)
    until = forms.DateField(label=_("Until"), widget=DateInput, required=False)
    exceptions = forms.CharField(
        label=_("Except on"),
        required=False,
        help_text=_("dates left out, e.g. 2027-04-06, 2027-04-13"),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")
        if len(organisations) == 1:
            field.initial = organisations[0].pk

    def clean_exceptions(self) -> frozenset[dt.date]:
        text = self.cleaned_data.get("exceptions") or ""
        days = set()
        for part in text.replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                days.add(dt.date.fromisoformat(part.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date (YYYY-MM-DD)."), params={"value": part.strip()}
                ) from None
        return frozenset(days)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("repeat") and not data.get("count") and not data.get("until"):
            self.add_error("count", _("Give a number of times or an end date."))
        if data.get("repeat") and data.get("count") and data.get("until"):
            self.add_error("until", _("Give either a number of times or an end date, not both."))
        return data

    def recurrence(self) -> Recurrence | None:
        data = self.cleaned_data
        if not data.get("repeat"):
            return None
        return Recurrence(
            frequency=data["repeat"],
            interval=data.get("interval") or 1,
            count=data.get("count"),
            until=data.get("until"),
            exceptions=data.get("exceptions") or frozenset(),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ResourceForm(forms.ModelForm):
    """What an owner describes and decides about its resource. Prices are typed in euros."""

    PRICES = (
        "member_hour_cents",
        "member_half_day_cents",
        "member_day_cents",
        "public_hour_cents",
        "public_half_day_cents",
        "public_day_cents",
    )

    class Meta:
        model = Resource
        fields = [
            "name",
            "kind",
            "description",
            "capacity",
            "commune",
            "address",
            "access_notes",
            "accessibility_notes",
            "equipment",
            "granularity_minutes",
            "min_minutes",
            "max_minutes",
            "lead_time_hours",
            "approval_required",
            "cancellation_deadline_hours",
            "closed_on_public_holidays",
            "member_hour_cents",
            "member_half_day_cents",
            "member_day_cents",
            "public_hour_cents",
            "public_half_day_cents",
            "public_day_cents",
            "free_for",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.PRICES:
            model_field = self.fields[name]
            self.fields[name] = forms.DecimalField(
                label=f"{model_field.label} (€)",
                min_value=0,
                max_digits=9,
                decimal_places=2,
                required=False,
            )
            cents = getattr(self.instance, name, None)
            if cents is not None:
                self.initial[name] = f"{cents // 100}.{cents % 100:02d}"
        free_for = self.fields["free_for"]
        assert isinstance(free_for, forms.ModelMultipleChoiceField)
        free_for.queryset = Organisation.objects.order_by("sort_name")
        free_for.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.PRICES:
            value = data.get(name)
            data[name] = None if value is None else int(value * 100)
        if data.get("min_minutes") and data.get("max_minutes") and data["max_minutes"] < data["min_minutes"]:
            self.add_error("max_minutes", _("The longest booking cannot be shorter than the shortest."))
        if data.get("granularity_minutes") is not None and data["granularity_minutes"] < 5:
            self.add_error("granularity_minutes", _("The granularity is 5 minutes at least."))
        return data


OpeningHoursFormSet: type[BaseInlineFormSet[OpeningHours, Resource, forms.ModelForm[OpeningHours]]] = (
    inlineformset_factory(
        Resource,
        OpeningHours,
        fields=["weekday", "opens", "closes"],
        extra=3,
        can_delete=True,
        widgets={"opens": TimeInput, "closes": TimeInput},
    )
)


class PhotoForm(forms.ModelForm):
    class Meta:
        model = ResourcePhoto
        fields = ["image", "caption", "position"]

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and getattr(image, "size", 0) > settings.LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("A photo must weigh at most %(size)s kB.") % {"size": settings.LOGO_MAX_BYTES // 1024},
                code="photo_size",
            )
        return image


PhotoFormSet: type[BaseInlineFormSet[ResourcePhoto, Resource, PhotoForm]] = inlineformset_factory(
    Resource, ResourcePhoto, form=PhotoForm, extra=2, can_delete=True
)
