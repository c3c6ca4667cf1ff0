"""The governance forms. They check the input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import User
from cordee.governance.models import Body, Vote
from cordee.governance.services import MAX_COMMENT
from cordee.network.models import Membership, Organisation

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def member_organisations() -> Any:
    return Organisation.objects.filter(
        membership__status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED]
    ).order_by("sort_name", "pk")


class BodyForm(forms.ModelForm):
    """The labels and choices come from the model; `body_create`/`body_update` write."""

    class Meta:
        model = Body
        fields = ["kind", "name", "description", "quorum_percent", "majority"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "quorum_percent": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }
        help_texts = {
            "quorum_percent": _(
                "Votes cast, abstentions included, as a share of the members entitled to vote, rounded up."
            ),
        }


class SeatForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Organisation represented"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None (the hub's staff, a qualified person)"),
        help_text=_("The member does not vote on decisions concerning this organisation."),
    )
    role = forms.CharField(label=_("Role"), max_length=80, required=False, help_text=_("For instance: chair."))
    starts_on = forms.DateField(label=_("Term starts on"), widget=_date_input())
    ends_on = forms.DateField(label=_("Term ends on"), widget=_date_input(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = User.objects.filter(is_active=True).order_by("full_name", "pk")
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = member_organisations()
        self.fields["starts_on"].initial = timezone.localdate()


class SeatEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day of the term"), widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = timezone.localdate()


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Proposal"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    concerned = forms.ModelMultipleChoiceField(
        label=_("Organisations concerned"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The members sitting for these organisations are recused: they do not vote."),
    )
    closes_at = forms.DateTimeField(
        label=_("Vote closes at"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Leave empty to close the vote by hand."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        concerned = self.fields["concerned"]
        assert isinstance(concerned, forms.ModelMultipleChoiceField)
        concerned.queryset = member_organisations()


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Choice"), choices=Vote.Choice.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment (seen by the body's members)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reasons = forms.CharField(label=_("Why the decision is cancelled"), widget=forms.Textarea(attrs={"rows": 2}))
