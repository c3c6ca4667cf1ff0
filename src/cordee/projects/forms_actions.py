"""Forms of the review (scores, the committee's decision) and of the funded actions. Amounts are typed
in euros as people write them ("1 234,56") and cleaned to integer cents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordee.projects.models import Action, Criterion, Milestone, Report
from cordee.treasury.forms_plans import EuroAmountField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScoreForm(forms.Form):
    """One mark (0 to the call's highest) and a comment per criterion of the grid."""

    def __init__(self, *args: Any, criteria: list[Criterion], score_max: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)d)")
                % {"criterion": criterion.label, "weight": criterion.weight},
                choices=[(str(n), str(n)) for n in range(score_max + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=criterion.description,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def marks(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


class PutToVoteForm(forms.Form):
    proposed = EuroAmountField(label=_("Amount proposed to the committee (€)"))
    text = forms.CharField(
        label=_("Note to the committee"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(forms.Form):
    granted = EuroAmountField(
        label=_("Amount granted (€)"), required=False, help_text=_("If approved; the amount asked when left empty.")
    )
    reasons = forms.CharField(
        label=_("Reasons given to the applicant"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, initial=timezone.localdate)
    signed_by = forms.CharField(label=_("Signed for the member by (name, position)"), max_length=150)


class MilestoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Milestone"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)
    tranche = EuroAmountField(label=_("Tranche (€)"), required=False)


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2, max_num=20)


def milestone_initial(milestones: list[Milestone]) -> list[dict[str, Any]]:
    return [{"id": m.pk, "title": m.title, "due_on": m.due_on, "tranche": m.tranche_cents} for m in milestones]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), widget=forms.NumberInput(attrs={"min": 0, "max": 100}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DisburseForm(forms.Form):
    milestone = forms.TypedChoiceField(label=_("Milestone"), coerce=int)
    amount = EuroAmountField(label=_("Amount paid (€)"))
    paid_on = forms.DateField(label=pgettext_lazy("tranche", "Paid on"), widget=DATE, initial=timezone.localdate)
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)

    def __init__(self, *args: Any, milestones: list[Milestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [(m.pk, m.title) for m in milestones]  # type: ignore[attr-defined]


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why the payment is corrected"), max_length=100)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Report.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF, office document, image)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(forms.Form):
    reached = forms.IntegerField(label=_("Reached so far"), min_value=0)
    note = forms.CharField(label=_("About the figure"), required=False, max_length=300)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(Action.Status.COMPLETED, _("completed")), (Action.Status.ABANDONED, _("abandoned"))],
        widget=forms.RadioSelect,
    )


class EndowForm(forms.Form):
    amount = EuroAmountField(label=_("Amount received (€)"))
    funder = forms.CharField(label=_("Funder"), max_length=150)
    reference = forms.CharField(label=_("Reference of the grant"), max_length=40)
    received_on = forms.DateField(label=pgettext_lazy("grant", "Received on"), widget=DATE, initial=timezone.localdate)
