"""Forms of the calls for projects and of the applications. They parse and label; the services
decide. Amounts are typed in euros as people write them ("12 500,00") and read to cents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordee.core.errors import DomainError
from cordee.governance.models import Body
from cordee.network.models import Membership, Organisation
from cordee.projects.models import Application, BudgetLine, Call
from cordee.projects.services import applications as application_services
from cordee.projects.services.applications import Draft, IndicatorInput, LineInput, PartnerInput
from cordee.projects.services.calls import QUESTION_KINDS, CriterionInput
from cordee.treasury.forms_plans import EuroAmountField

RICH_HELP = _("Simple HTML is accepted: paragraphs, bold, italics, lists, links. A blank line starts a paragraph.")
EXPENSE_ROWS = 8
RESOURCE_ROWS = 6
PARTNER_ROWS = 4
INDICATOR_ROWS = 4
HUB_LINE_LABEL = _("Territorial cooperation hub")
# Where a service's field name differs from the form's.
FIELD_ALIASES = {
    "form_fields": "questions",
    "requested": "requested",
    "budget": "requested",
    "budget_lines": None,
    "indicators": None,
    "partners": None,
    "max_request_cents": "max_request",
    "envelope_cents": "envelope",
}


def _rich(label: Any, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=RICH_HELP, widget=forms.Textarea(attrs={"rows": 8}), strip=True
    )


def parse_questions(text: str) -> list[dict[str, Any]]:
    """One question a line: "label | kind | required" (kind: text, long, number, yesno; required:
    yes/oui/required/obligatoire). Kind and required may be left out."""
    questions = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        kind = (parts[1].lower() if len(parts) > 1 and parts[1] else "text").strip()
        if kind not in QUESTION_KINDS:
            raise forms.ValidationError(
                _g("Line %(n)s: the kind of answer must be one of %(kinds)s.")
                % {"n": number, "kinds": ", ".join(QUESTION_KINDS)}
            )
        required = len(parts) > 2 and parts[2].lower() in ("yes", "oui", "required", "obligatoire", "o", "y", "1")
        questions.append({"label": parts[0], "kind": kind, "required": required})
    return questions


def questions_text(fields: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{q['label']} | {q.get('kind', 'text')} | {'oui' if q.get('required') else 'non'}" for q in fields
    )


def parse_criteria(text: str) -> list[CriterionInput]:
    """One criterion a line: "label | weight" (weight 1 when left out)."""
    criteria = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        weight_text = parts[1] if len(parts) > 1 and parts[1] else "1"
        try:
            weight = int(weight_text)
        except ValueError:
            raise forms.ValidationError(
                _g("Line %(n)s: the weight is a whole number, like 3.") % {"n": number}
            ) from None
        criteria.append(CriterionInput(label=parts[0], weight=weight, description=parts[2] if len(parts) > 2 else ""))
    return criteria


def criteria_text(call: Call) -> str:
    return "\n".join(
        f"{c.label} | {c.weight}" + (f" | {c.description}" if c.description else "") for c in call.criteria.all()
    )


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=600, widget=forms.Textarea(attrs={"rows": 3}))
    text = _rich(_("Text of the call"), required=True)
    envelope = EuroAmountField(label=_("Budget envelope (€)"), help_text=_("In euros, like 60 000,00"))
    max_request = EuroAmountField(
        label=_("Largest amount one application may ask (€)"), required=False, help_text=_("Empty: no limit")
    )
    max_share_percent = forms.IntegerField(
        label=_("Largest share of the action's budget the hub funds (%)"), min_value=1, max_value=100, initial=80
    )
    eligibility = _rich(_("Eligibility rules"), required=True)
    members_only = forms.BooleanField(label=_("Open to member organisations only"), required=False, initial=True)
    questions = forms.CharField(
        label=_("Questions of the application form"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One question a line: label | kind (text, long, number, yesno) | required (oui/non)"),
    )
    criteria = forms.CharField(
        label=_("Scoring grid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One criterion a line: label | weight (a whole number, 1 or more)"),
    )
    score_max = forms.IntegerField(label=_("Highest score per criterion"), min_value=1, max_value=100, initial=5)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Applications are accepted until this day included."),
    )
    committee = forms.ModelChoiceField(label=_("Committee that decides"), queryset=Body.objects.none())

    def __init__(self, *args: Any, call: Call | None = None, **kwargs: Any) -> None:
        if call is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "title": call.title,
                "summary": call.summary,
                "text": call.text,
                "envelope": call.envelope_cents,
                "max_request": call.max_request_cents,
                "max_share_percent": call.max_share_percent,
                "eligibility": call.eligibility,
                "members_only": call.members_only,
                "questions": questions_text(call.form_fields),
                "criteria": criteria_text(call),
                "score_max": call.score_max,
                "opens_on": call.opens_on,
                "closes_on": call.closes_on,
                "committee": call.committee_id,
            }
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Body.objects.filter(kind=Body.Kind.COMMITTEE).order_by("name")  # type: ignore[attr-defined]

    def clean_questions(self) -> list[dict[str, Any]]:
        return parse_questions(self.cleaned_data.get("questions", ""))

    def clean_criteria(self) -> list[CriterionInput]:
        return parse_criteria(self.cleaned_data.get("criteria", ""))

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "text": data["text"],
            "envelope_cents": data["envelope"],
            "max_request_cents": data["max_request"],
            "max_share_percent": data["max_share_percent"],
            "eligibility": data["eligibility"],
            "members_only": data["members_only"],
            "form_fields": data["questions"],
            "criteria": data["criteria"],
            "score_max": data["score_max"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "committee": data["committee"],
        }


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Apply in the name of"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title of the action"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")  # type: ignore[attr-defined]
        if len(organisations) == 1:
            field.initial = organisations[0].pk


class EligibilityForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Eligibility"),
        choices=[("yes", _("Eligible")), ("no", _("Not eligible"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the application is not eligible."),
    )


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ApplicationForm(forms.Form):
    """The application: its text, where and when, the partners, the budget (expense lines, the
    amount asked of the hub, the other resources), indicators and the answers to the call's
    questions. Empty rows are ignored; a half-filled row is an error on its row."""

    title = forms.CharField(label=_("Title of the action"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"), max_length=600, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description = _rich(_("Description of the action"))
    communes = forms.CharField(
        label=_("Communes concerned"),
        required=False,
        max_length=3000,
        help_text=_("Names or INSEE codes, separated by commas: Gap, Briançon, 05023"),
    )
    territory = forms.CharField(label=_("Territory"), max_length=300, required=False)
    starts_on = _date_field(_("Action starts on"))
    ends_on = _date_field(_("Action ends on"))
    requested = EuroAmountField(label=_("Amount asked of the hub (€)"), required=False)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        self.application = application
        call = application.call
        data = args[0] if args else kwargs.get("data")
        if not data:
            kwargs.setdefault("initial", self._initial(application))
        super().__init__(*args, **kwargs)
        status_choices = [("", "—"), *BudgetLine.Status.choices]
        members = Organisation.objects.filter(membership__status=Membership.Status.ACTIVE).exclude(
            pk=application.organisation_id
        )
        for i in range(EXPENSE_ROWS):
            self.fields[f"expense_{i}_label"] = forms.CharField(label=_("Expense"), max_length=200, required=False)
            self.fields[f"expense_{i}_amount"] = EuroAmountField(label=_("Amount (€)"), required=False)
        for i in range(RESOURCE_ROWS):
            self.fields[f"resource_{i}_label"] = forms.CharField(label=_("Resource"), max_length=200, required=False)
            self.fields[f"resource_{i}_funder"] = forms.CharField(label=_("Funder"), max_length=200, required=False)
            self.fields[f"resource_{i}_status"] = forms.ChoiceField(
                label=_("Status"), choices=status_choices, required=False
            )
            self.fields[f"resource_{i}_amount"] = EuroAmountField(label=_("Amount (€)"), required=False)
        for i in range(PARTNER_ROWS):
            self.fields[f"partner_{i}_organisation"] = forms.ModelChoiceField(
                label=_("Member organisation"), queryset=members.order_by("name"), required=False
            )
            self.fields[f"partner_{i}_name"] = forms.CharField(
                label=_("or name (not in the directory)"), max_length=200, required=False
            )
            self.fields[f"partner_{i}_role"] = forms.CharField(
                label=_("Role in the action"), max_length=300, required=False
            )
        for i in range(INDICATOR_ROWS):
            self.fields[f"indicator_{i}_label"] = forms.CharField(label=_("Indicator"), max_length=200, required=False)
            self.fields[f"indicator_{i}_unit"] = forms.CharField(label=_("Unit"), max_length=40, required=False)
            self.fields[f"indicator_{i}_planned"] = forms.IntegerField(
                label=pgettext_lazy("indicator", "Planned"), min_value=0, required=False
            )
        for question in call.form_fields:
            name = f"answer_{question['key']}"
            kind = question.get("kind", "text")
            label = question["label"] + ("" if not question.get("required") else " *")
            if kind == "long":
                field: forms.Field = forms.CharField(
                    label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
                )
            elif kind == "number":
                field = forms.IntegerField(label=label, required=False)
            elif kind == "yesno":
                field = forms.ChoiceField(
                    label=label, required=False, choices=[("", "—"), ("yes", _("yes")), ("no", _("no"))]
                )
            else:
                field = forms.CharField(label=label, required=False, max_length=5000)
            field.help_text = question.get("help", "")
            self.fields[name] = field

    @staticmethod
    def _initial(application: Application) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": application.title,
            "summary": application.summary,
            "description": application.description,
            "communes": ", ".join(c.name for c in application.communes.all()),
            "territory": application.territory,
            "starts_on": application.starts_on,
            "ends_on": application.ends_on,
            "requested": application.requested_cents or None,
        }
        lines = list(application.budget_lines.all())
        for i, line in enumerate(x for x in lines if x.kind == BudgetLine.Kind.EXPENSE):
            initial[f"expense_{i}_label"], initial[f"expense_{i}_amount"] = line.label, line.amount_cents
        for i, line in enumerate(x for x in lines if x.kind == BudgetLine.Kind.RESOURCE and not x.is_request):
            initial[f"resource_{i}_label"] = line.label
            initial[f"resource_{i}_funder"] = line.funder
            initial[f"resource_{i}_status"] = line.status
            initial[f"resource_{i}_amount"] = line.amount_cents
        for i, partner in enumerate(application.partners.all()):
            initial[f"partner_{i}_organisation"] = partner.organisation_id
            initial[f"partner_{i}_name"] = partner.name
            initial[f"partner_{i}_role"] = partner.role
        for i, indicator in enumerate(application.indicators.all()):
            initial[f"indicator_{i}_label"] = indicator.label
            initial[f"indicator_{i}_unit"] = indicator.unit
            initial[f"indicator_{i}_planned"] = indicator.planned
        for key, value in application.answers.items():
            initial[f"answer_{key}"] = ("yes" if value else "no") if isinstance(value, bool) else value
        return initial

    def rows(self, prefix: str, count: int, names: tuple[str, ...]) -> list[list[forms.BoundField]]:
        return [[self[f"{prefix}_{i}_{name}"] for name in names] for i in range(count)]

    def expense_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("expense", EXPENSE_ROWS, ("label", "amount"))

    def resource_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("resource", RESOURCE_ROWS, ("label", "funder", "status", "amount"))

    def partner_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("partner", PARTNER_ROWS, ("organisation", "name", "role"))

    def indicator_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("indicator", INDICATOR_ROWS, ("label", "unit", "planned"))

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("answer_")]

    def clean_communes(self) -> list[Any]:
        try:
            return application_services.resolve_communes(self.cleaned_data.get("communes", ""))
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(EXPENSE_ROWS):
            label, amount = data.get(f"expense_{i}_label"), data.get(f"expense_{i}_amount")
            if label and amount is None and f"expense_{i}_amount" not in self.errors:
                self.add_error(f"expense_{i}_amount", _g("Give the amount of this line."))
            elif amount is not None and not label:
                self.add_error(f"expense_{i}_label", _g("Give this line a label."))
        for i in range(RESOURCE_ROWS):
            label, amount = data.get(f"resource_{i}_label"), data.get(f"resource_{i}_amount")
            if (
                (label or data.get(f"resource_{i}_funder"))
                and amount is None
                and f"resource_{i}_amount" not in self.errors
            ):
                self.add_error(f"resource_{i}_amount", _g("Give the amount of this line."))
            elif amount is not None and not label:
                self.add_error(f"resource_{i}_label", _g("Give this line a label."))
        for i in range(INDICATOR_ROWS):
            if data.get(f"indicator_{i}_label") and data.get(f"indicator_{i}_planned") is None:
                self.add_error(f"indicator_{i}_planned", _g("Give the planned figure."))
        return data

    def draft(self) -> Draft:
        data = self.cleaned_data
        lines: list[LineInput] = []
        for i in range(EXPENSE_ROWS):
            if data.get(f"expense_{i}_label"):
                lines.append(LineInput("expense", data[f"expense_{i}_label"], data[f"expense_{i}_amount"]))
        requested = data.get("requested") or 0
        if requested:
            lines.append(
                LineInput("resource", str(HUB_LINE_LABEL), requested, funder=str(HUB_LINE_LABEL), is_request=True)
            )
        for i in range(RESOURCE_ROWS):
            if data.get(f"resource_{i}_label"):
                lines.append(
                    LineInput(
                        "resource",
                        data[f"resource_{i}_label"],
                        data[f"resource_{i}_amount"],
                        funder=data.get(f"resource_{i}_funder", ""),
                        status=data.get(f"resource_{i}_status", ""),
                    )
                )
        partners = [
            PartnerInput(
                organisation=data.get(f"partner_{i}_organisation"),
                name=data.get(f"partner_{i}_name", ""),
                role=data.get(f"partner_{i}_role", ""),
            )
            for i in range(PARTNER_ROWS)
            if data.get(f"partner_{i}_organisation") or data.get(f"partner_{i}_name")
        ]
        indicators = [
            IndicatorInput(
                label=data[f"indicator_{i}_label"],
                unit=data.get(f"indicator_{i}_unit", ""),
                planned=data[f"indicator_{i}_planned"],
            )
            for i in range(INDICATOR_ROWS)
            if data.get(f"indicator_{i}_label")
        ]
        answers = {}
        for question in self.application.call.form_fields:
            value = data.get(f"answer_{question['key']}")
            if value not in (None, ""):
                answers[question["key"]] = (value == "yes") if question.get("kind") == "yesno" else value
        return Draft(
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            description=data.get("description", ""),
            communes=data.get("communes") or [],
            territory=data.get("territory", ""),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            requested_cents=requested,
            answers=answers,
            partners=partners,
            budget_lines=lines,
            indicators=indicators,
        )
