"""The governance forms. They check the input; the services decide and write."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cordee.core.models import User
from cordee.governance import rules
from cordee.governance.models import Body, Decision, Option, Vote
from cordee.governance.services import MAX_COMMENT, MAX_SCORE, Slot
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


# A slot of a meeting-time poll, one a line: "26/11/2026 18:00-20:00" (the end is optional).
SLOT = re.compile(
    r"^\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\s+(?P<start>\d{1,2}[:h]\d{2})"
    r"(?:\s*[-–à]+\s*(?P<end>\d{1,2}[:h]\d{2}))?\s*$"
)


def _time(text: str) -> dt.time:
    hours, minutes = re.split("[:h]", text)
    return dt.time(int(hours), int(minutes))


def parse_slot(line: str) -> Slot:
    """A slot written the French way, in the hub's time zone; ValueError if it is not one."""
    match = SLOT.match(line)
    if match is None:
        raise ValueError(line)
    day = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    zone = timezone.get_current_timezone()
    starts_at = dt.datetime.combine(day, _time(match["start"]), tzinfo=zone)
    ends_at = dt.datetime.combine(day, _time(match["end"]), tzinfo=zone) if match["end"] else None
    return Slot(starts_at, ends_at)


class DecisionForm(forms.Form):
    field_order = [
        "title",
        "text",
        "kind",
        "options",
        "max_choices",
        "score_max",
        "category",
        "concerned",
        "opens_at",
        "closes_at",
    ]
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Proposal"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    kind = forms.ChoiceField(
        label=_("Kind of vote"), choices=Decision.Kind.choices, initial=Decision.Kind.PROPOSAL, required=False
    )
    category = forms.ChoiceField(
        label=_("Filed in the register under"),
        choices=Decision.Category.choices,
        initial=Decision.Category.GENERAL,
        required=False,
    )
    options = forms.CharField(
        label=_("Options (polls)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One option a line. A meeting-time poll: one slot a line, such as 26/11/2026 18:00-20:00. "
            "Leave empty for a proposal (for, against, abstain)."
        ),
    )
    max_choices = forms.IntegerField(
        label=_("Multiple choice: most options a voter may choose"),
        required=False,
        min_value=1,
        help_text=_("Leave empty: as many as they like."),
    )
    score_max = forms.IntegerField(
        label=_("Score: highest score"), required=False, min_value=1, max_value=MAX_SCORE, initial=5
    )
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
    opens_at = forms.DateTimeField(
        label=_("Vote opens at"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Leave empty to open the vote now."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        concerned = self.fields["concerned"]
        assert isinstance(concerned, forms.ModelMultipleChoiceField)
        concerned.queryset = member_organisations()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["kind"] = data.get("kind") or Decision.Kind.PROPOSAL
        data["category"] = data.get("category") or Decision.Category.GENERAL
        lines = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        if data.get("kind") == Decision.Kind.MEETING:
            slots = []
            for line in lines:
                try:
                    slots.append(parse_slot(line))
                except ValueError:
                    self.add_error(
                        "options",
                        _("“%(line)s” is not a slot: write it as 26/11/2026 18:00-20:00.") % {"line": line},
                    )
            data["options"] = slots
        else:
            data["options"] = lines
        if data.get("score_max") is None:
            data["score_max"] = 5
        return data


SLOT_CHOICES = [
    (str(rules.YES), _("Available")),
    (str(rules.IF_NEED_BE), _("If need be")),
    (str(rules.NO), _("Not available")),
]


class BallotForm(forms.Form):
    """The ballot of one voter (a seat, or a member organisation in the general assembly) on a
    decision, whatever its kind: `vote_cast`'s arguments come out of `ballot()`."""

    comment = forms.CharField(
        label=_("Comment (seen by the body's members)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    change = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, decision: Decision, vote: Vote | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.poll_options: list[Option] = list(decision.options.all())
        held: dict[int, int] = dict(vote.preferences.values_list("option_id", "value")) if vote else {}
        fields: dict[str, forms.Field] = {}
        kind = decision.kind
        options = [(str(option.pk), option.label) for option in self.poll_options]
        if kind == Decision.Kind.PROPOSAL:
            fields["choice"] = forms.ChoiceField(
                label=_("Choice"),
                choices=Vote.Choice.choices,
                widget=forms.RadioSelect,
                initial=vote.choice if vote else None,
            )
        elif kind == Decision.Kind.SINGLE:
            fields["option"] = forms.ChoiceField(
                label=_("Your choice"),
                choices=options,
                widget=forms.RadioSelect,
                initial=next((str(k) for k, v in held.items() if v), None),
            )
        elif kind == Decision.Kind.MULTIPLE:
            most = decision.max_choices or len(options)
            fields["chosen"] = forms.MultipleChoiceField(
                label=_("Your choices"),
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                help_text=ngettext("Choose up to %(n)d option.", "Choose up to %(n)d options.", most) % {"n": most},
                initial=[str(k) for k, v in held.items() if v],
            )
        elif kind == Decision.Kind.RANKED:
            ranks = [("", _("not ranked"))] + [(str(r), str(r)) for r in range(1, len(options) + 1)]
            for pk, label in options:
                fields[f"rank_{pk}"] = forms.TypedChoiceField(
                    label=_("Rank of “%(option)s”") % {"option": label},
                    choices=ranks,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=str(held[int(pk)]) if int(pk) in held else "",
                )
        elif kind == Decision.Kind.SCORE:
            scores = [(str(s), str(s)) for s in range(decision.score_max + 1)]
            for pk, label in options:
                fields[f"score_{pk}"] = forms.TypedChoiceField(
                    label=_("Score of “%(option)s” (0 to %(n)d)") % {"option": label, "n": decision.score_max},
                    choices=scores,
                    coerce=int,
                    initial=str(held.get(int(pk), 0)),
                )
        elif kind == Decision.Kind.MEETING:
            for pk, label in options:
                fields[f"slot_{pk}"] = forms.TypedChoiceField(
                    label=label,
                    choices=SLOT_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    initial=str(held[int(pk)]) if int(pk) in held else None,
                )
        # The ballot first, then the comment.
        self.fields = {**fields, **self.fields}
        if vote is not None:
            self.fields["comment"].initial = vote.comment

    def ballot(self) -> dict[str, Any]:
        """The choice or the preferences, for vote_cast."""
        data = self.cleaned_data
        kind = self.decision.kind
        if kind == Decision.Kind.PROPOSAL:
            return {"choice": data["choice"]}
        preferences: dict[int, int] = {}
        if kind == Decision.Kind.SINGLE:
            preferences = {int(data["option"]): 1}
        elif kind == Decision.Kind.MULTIPLE:
            preferences = dict.fromkeys((int(pk) for pk in data["chosen"]), 1)
        else:
            prefix = {"ranked": "rank", "score": "score", "meeting": "slot"}[str(kind)]
            preferences = {option.pk: data[f"{prefix}_{option.pk}"] or 0 for option in self.poll_options}
        return {"preferences": preferences}


class RegisterFilterForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none(), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, bodies: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = bodies
        body.empty_label = _("All bodies")
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("All categories")), *Decision.Category.choices]
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [("", _("All years")), *((str(y), str(y)) for y in years)]


class CloseForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reasons = forms.CharField(label=_("Why the decision is cancelled"), widget=forms.Textarea(attrs={"rows": 2}))
