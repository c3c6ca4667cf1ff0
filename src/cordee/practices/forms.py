"""Forms of the practice sheets pages. They parse and label; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Commune, Family, Organisation
from cordee.practices.models import Practice, Theme
from cordee.practices.services.sheets import RICH_TEXT_MAX_LENGTH
from cordee.treasury.forms_plans import EuroAmountField

# Where a service's field name differs from the form's.
FIELD_ALIASES = {"cost_cents": "cost", "review_note": "note"}
RICH_HELP = _("Simple HTML is accepted: paragraphs, bold, italics, lists, links. A blank line starts a paragraph.")


def _communes() -> QuerySet[Commune]:
    return Commune.objects.order_by("name")


def _rich(label: Any, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=RICH_TEXT_MAX_LENGTH,
        help_text=RICH_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=True,
    )


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=600, widget=forms.Textarea(attrs={"rows": 3}))
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", "—"), *Theme.choices])
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations that did it"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    context = _rich(_("Context"))
    steps = _rich(_("What was done, step by step"), required=True)
    results = _rich(_("Results and figures"))
    watch_out = _rich(_("What to watch out for"))
    cost = EuroAmountField(label=_("Cost (€)"), required=False)
    cost_note = forms.CharField(label=_("About the cost"), max_length=200, required=False)
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas: mobility, car-sharing")
    )
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none(), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=Practice.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Practice.Visibility.PUBLIC,
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation], practice: Practice | None = None, **kwargs: Any
    ) -> None:
        if practice is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": practice.title,
                    "summary": practice.summary,
                    "theme": practice.theme,
                    "organisations": list(practice.organisations.values_list("pk", flat=True)),
                    "context": practice.context,
                    "steps": practice.steps,
                    "results": practice.results,
                    "watch_out": practice.watch_out,
                    "cost": practice.cost_cents,
                    "cost_note": practice.cost_note,
                    "tags": practice.tags,
                    "commune": practice.commune_id,
                    "contact_name": practice.contact_name,
                    "contact_email": practice.contact_email,
                    "visibility": practice.visibility,
                },
            )
        super().__init__(*args, **kwargs)
        organisations_field = self.fields["organisations"]
        assert isinstance(organisations_field, forms.ModelMultipleChoiceField)
        organisations_field.queryset = organisations
        commune_field = self.fields["commune"]
        assert isinstance(commune_field, forms.ModelChoiceField)
        commune_field.queryset = _communes()
        if practice is None and len(organisations) == 1:
            first = organisations[0]
            organisations_field.initial = [first.pk]
            commune_field.initial = first.commune_id

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "theme": data["theme"],
            "context": data.get("context") or "",
            "steps": data["steps"],
            "results": data.get("results") or "",
            "watch_out": data.get("watch_out") or "",
            "cost_cents": data.get("cost"),
            "cost_note": data.get("cost_note") or "",
            "tags": data.get("tags") or "",
            "commune": data.get("commune"),
            "contact_name": data.get("contact_name") or "",
            "contact_email": data.get("contact_email") or "",
            "visibility": data["visibility"],
        }


class PracticeFilterForm(forms.Form):
    """The search and filters of the list (GET parameters in French)."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All")), *Theme.choices])
    famille = forms.ChoiceField(
        label=_("Family of organisation"), required=False, choices=[("", _("All")), *Family.choices]
    )
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
            "theme": data.get("theme") or None,
            "family": data.get("famille") or None,
            "commune": commune.pk if commune else None,
        }


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note to the authors"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, images or office documents, at most 10 MB."))
    label = forms.CharField(label=_("Label"), max_length=120, required=False)
