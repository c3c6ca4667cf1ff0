"""Forms of the offers and needs pages. They parse and label; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordee.network.models import Commune, Organisation
from cordee.skills.models import Category, Listing, Nature, Terms
from cordee.skills.services.listings import MAX_MINUTES
from cordee.staffing.templatetags.staffing import hours_value, parse_hours
from cordee.treasury.forms_plans import EuroAmountField

# The model's labels of the terms are shared words ("free" also says a room is not booked).
TERMS_CHOICES = [
    (Terms.FREE.value, pgettext_lazy("skills terms", "Free")),
    (Terms.HOURS.value, pgettext_lazy("skills terms", "In time credits")),
    (Terms.EUROS.value, pgettext_lazy("skills terms", "At a price in euros")),
]

# Where a service's field name differs from the form's.
FIELD_ALIASES = {"minutes": "hours", "price_cents": "price"}


def _communes() -> QuerySet[Commune]:
    return Commune.objects.order_by("name")


class HoursField(forms.CharField):
    """Time credits typed as hours ("3", "1,5", "2h30"), cleaned to minutes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        return parse_hours(super().to_python(value), max_minutes=MAX_MINUTES)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return hours_value(value)
        return value


class ListingForm(forms.Form):
    """An offer or a need; `organisations` is given on creation only (a listing keeps its owner)."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    nature = forms.ChoiceField(label=_("Nature"), choices=Nature.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices])
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    commune = forms.ModelChoiceField(queryset=Commune.objects.none(), label=_("Commune"))
    availability = forms.CharField(
        label=_("Availability"),
        max_length=200,
        required=False,
        help_text=_("For example: weekday evenings, from March, two half-days a month."),
    )
    terms = forms.ChoiceField(label=_("Terms"), choices=TERMS_CHOICES, widget=forms.RadioSelect, initial=Terms.FREE)
    hours = HoursField(
        label=_("Time credits (hours)"), required=False, help_text=_("With time-credit terms: 3, 1,5 or 2h30.")
    )
    price = EuroAmountField(label=_("Price (€)"), required=False, help_text=_("With terms at a price in euros."))
    notify = forms.BooleanField(label=_("E-mail us new offers that match this need"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        direction: str,
        organisations: QuerySet[Organisation] | None = None,
        listing: Listing | None = None,
        **kwargs: Any,
    ) -> None:
        if listing is not None:
            kwargs.setdefault(
                "initial",
                {
                    "nature": listing.nature,
                    "category": listing.category,
                    "title": listing.title,
                    "description": listing.description,
                    "commune": listing.commune_id,
                    "availability": listing.availability,
                    "terms": listing.terms,
                    "hours": listing.minutes,
                    "price": listing.price_cents,
                    "notify": listing.notify,
                },
            )
        super().__init__(*args, **kwargs)
        commune_field = self.fields["commune"]
        assert isinstance(commune_field, forms.ModelChoiceField)
        commune_field.queryset = _communes()
        if organisations is None:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations
            first = organisations.first()
            if first is not None and len(organisations) == 1:
                field.initial = first
                commune_field.initial = first.commune_id
        if direction != "need":
            del self.fields["notify"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Only the amount that goes with the chosen terms is kept, so that switching from hours
        # to free does not leave a hidden duration behind.
        if data.get("terms") != Terms.HOURS:
            data["hours"] = None
            self.errors.pop("hours", None)
        if data.get("terms") != Terms.EUROS:
            data["price"] = None
            self.errors.pop("price", None)
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "nature": data["nature"],
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
            "commune": data["commune"],
            "availability": data.get("availability") or "",
            "terms": data["terms"],
            "minutes": data.get("hours"),
            "price_cents": data.get("price"),
            "notify": data.get("notify", True) if "notify" in self.fields else True,
        }


class ListingFilterForm(forms.Form):
    """The filters of the offers and needs lists (GET parameters in French)."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    categorie = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])
    nature = forms.ChoiceField(label=_("Nature"), required=False, choices=[("", _("All")), *Nature.choices])
    conditions = forms.ChoiceField(label=_("Terms"), required=False, choices=[("", _("All")), *TERMS_CHOICES])
    commune = forms.ModelChoiceField(
        label=_("Commune"), required=False, queryset=Commune.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _communes()

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        commune = data.get("commune")
        return {
            "query": data.get("q") or None,
            "category": data.get("categorie") or None,
            "nature": data.get("nature") or None,
            "terms": data.get("conditions") or None,
            "commune": commune.pk if commune else None,
        }
