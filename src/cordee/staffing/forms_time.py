"""Forms of the shared-staff pages: contracts, plans, expenses, the week grid, decisions.
They parse and label (hours typed "3,5" or "3h30", euros "1 234,56"); the services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cordee.core.models import User
from cordee.network.models import Organisation
from cordee.staffing.models import BASIS_POINTS, AllocationPlan, ContractType, Employee
from cordee.staffing.selectors import WeekGrid
from cordee.staffing.templatetags.staffing import hours_value, parse_hours
from cordee.treasury.forms import PercentRateField
from cordee.treasury.forms_plans import EuroAmountField


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HoursField(forms.CharField):
    """Hours typed as "3,5", "3.5", "3h30", "3:30" or "3 h", cleaned to whole minutes."""

    def __init__(self, *, max_minutes: int = 24 * 60, **kwargs: Any) -> None:
        self.max_minutes = max_minutes
        attrs = {"inputmode": "decimal", "autocomplete": "off", "maxlength": 10, "size": 5}
        attrs.update(kwargs.pop("attrs", {}))
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        return parse_hours(super().to_python(value), max_minutes=self.max_minutes)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return hours_value(value)
        return value


class EmployeeForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=150)
    employer = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Employer"),
        required=False,
        empty_label=_("The hub (employers' group)"),
        help_text=_("Or the host member that lends one of its employees."),
    )
    person_email = forms.EmailField(
        label=_("Account e-mail"),
        required=False,
        help_text=_("The account the employee logs time with (an existing person of Cordée)."),
    )
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)
    weekly_minutes = HoursField(label=_("Weekly contract hours"), max_minutes=48 * 60, help_text=_("e.g. 35 or 24,5"))
    starts_on = forms.DateField(label=_("Start date"), widget=_date())
    ends_on = forms.DateField(label=_("End date"), required=False, widget=_date())
    gross_salary_cents = EuroAmountField(label=_("Monthly gross salary (€)"))
    contributions_rate = PercentRateField(
        label=_("Employer contributions, rate of the gross salary (in %)"), required=False
    )
    contributions_cents = EuroAmountField(label=_("Or employer contributions, monthly amount (€)"), required=False)
    running_costs_rate = PercentRateField(
        label=_("Running costs, rate of the salary and contributions (in %)"), required=False
    )
    running_costs_cents = EuroAmountField(label=_("Or running costs, monthly amount (€)"), required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employer = self.fields["employer"]
        assert isinstance(employer, forms.ModelChoiceField)
        employer.queryset = organisations

    def clean_person_email(self) -> User | None:
        email = (self.cleaned_data.get("person_email") or "").strip().lower()
        if not email:
            return None
        person = User.objects.filter(email=email, is_active=True).first()
        if person is None:
            raise ValidationError(_("No person of Cordée has this e-mail; invite them first."), code="no_person")
        return person

    def clean_weekly_minutes(self) -> int:
        minutes = self.cleaned_data.get("weekly_minutes")
        if not minutes:
            raise ValidationError(_("Give the weekly contract hours."), code="required")
        return int(minutes)

    @staticmethod
    def initial_for(employee: Employee) -> dict[str, Any]:
        fields = (
            "full_name",
            "job_title",
            "employer",
            "contract_type",
            "weekly_minutes",
            "starts_on",
            "ends_on",
            "gross_salary_cents",
            "contributions_cents",
            "running_costs_cents",
        )
        initial: dict[str, Any] = {name: getattr(employee, name) for name in fields}
        initial["person_email"] = employee.person.email if employee.person else ""
        for name in ("contributions_rate", "running_costs_rate"):
            rate = getattr(employee, name)
            initial[name] = None if rate is None else Decimal(rate) / 100
        return initial

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["person"] = data.pop("person_email")
        return data


class PlanForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=AllocationPlan.Period.choices)
    starts_on = forms.DateField(
        label=_("From"), widget=_date(), help_text=_("A month or a quarter starts on its first day.")
    )
    ends_on = forms.DateField(label=_("To (included)"), required=False, widget=_date(), help_text=_("For a season."))
    basis = forms.ChoiceField(label=_("Basis"), choices=AllocationPlan.Basis.choices, widget=forms.RadioSelect)
    label = forms.CharField(label=_("Label"), max_length=80, required=False)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        for organisation in organisations:
            self.fields[f"share_{organisation.pk}"] = forms.CharField(
                label=organisation.name,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8}),
            )

    def share_fields(self) -> list[forms.BoundField]:
        return [self[f"share_{organisation.pk}"] for organisation in self.organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        basis = data.get("basis")
        shares: dict[int, int] = {}
        for organisation in self.organisations:
            name = f"share_{organisation.pk}"
            text = (self.data.get(self.add_prefix(name)) or "").strip()
            if not text:
                continue
            try:
                if basis == AllocationPlan.Basis.PERCENT:
                    value = _percent(text)
                else:
                    value = parse_hours(text, max_minutes=12 * 31 * 24 * 60) or 0
            except ValidationError as exc:
                self.add_error(name, exc)
                continue
            if value:
                shares[organisation.pk] = value
        data["shares"] = shares
        return data

    @staticmethod
    def initial_for(plan: AllocationPlan) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "period": plan.period,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "basis": plan.basis,
            "label": plan.label,
        }
        for share in plan.shares.all():
            if share.minutes is not None:
                initial[f"share_{share.organisation_id}"] = hours_value(share.minutes)
            else:
                initial[f"share_{share.organisation_id}"] = _percent_text(share.percent or 0)
        return initial


def _percent(text: str) -> int:
    cleaned = text.replace("%", "").replace(",", ".").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal(-1)
    if value < 0 or value > 100 or value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("Type a percentage between 0 and 100, e.g. 40 or 12,5."), code="percent_format")
    return int(value * BASIS_POINTS / 100)


def _percent_text(basis_points: int) -> str:
    return f"{(Decimal(basis_points) / 100).normalize():f}".replace(".", ",")


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=_date())
    label = forms.CharField(label=_("What"), max_length=200)
    amount_cents = EuroAmountField(label=_("Amount (€)"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Charged to"),
        required=False,
        empty_label=_("Shared, pro rata of the hours"),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class WeekForm(forms.Form):
    """The week grid: one hours field per editable cell (`h-<organisation>-<day>`), start and end
    times per day (`start-<day>`, `end-<day>`). Cells that cannot change are not fields: their
    values are read back from the grid, so a validated line is sent back as it was."""

    def __init__(self, *args: Any, grid: WeekGrid, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grid = grid
        for row in grid.rows:
            for cell in row.cells:
                if cell.editable:
                    self.fields[self.cell_name(row.organisation.pk, cell.day)] = HoursField(
                        label=f"{row.organisation.name} {cell.day:%d/%m}",
                        required=False,
                        initial=cell.minutes,
                    )
        for day in grid.days:
            if day in grid.working_days and day not in grid.closed_days:
                start, end = grid.times.get(day, (None, None))
                for name, value in ((f"start-{day:%Y-%m-%d}", start), (f"end-{day:%Y-%m-%d}", end)):
                    self.fields[name] = forms.TimeField(
                        required=False,
                        initial=value,
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                        label=_("Started") if name.startswith("start") else _("Ended"),
                    )

    @staticmethod
    def cell_name(organisation_id: int, day: dt.date) -> str:
        return f"h-{organisation_id}-{day:%Y-%m-%d}"

    def entries(self) -> dict[tuple[dt.date, int], int]:
        """Every line of the week: the cells typed, and those that could not change, as they were."""
        entries: dict[tuple[dt.date, int], int] = {}
        for row in self.grid.rows:
            for cell in row.cells:
                name = self.cell_name(row.organisation.pk, cell.day)
                minutes = self.cleaned_data.get(name) if name in self.fields else cell.minutes
                if minutes:
                    entries[(cell.day, row.organisation.pk)] = minutes
        return entries

    def days(self) -> dict[dt.date, tuple[dt.time, dt.time]]:
        days: dict[dt.date, tuple[dt.time, dt.time]] = {}
        for day in self.grid.days:
            key = f"{day:%Y-%m-%d}"
            if f"start-{key}" not in self.fields:
                if day in self.grid.times:
                    days[day] = self.grid.times[day]
                continue
            start, end = self.cleaned_data.get(f"start-{key}"), self.cleaned_data.get(f"end-{key}")
            if start and end:
                days[day] = (start, end)
            elif start or end:
                self.add_error(f"start-{key}" if not start else f"end-{key}", _("Give both the start and the end."))
        return days


class DisputeForm(forms.Form):
    comment = forms.CharField(label=_("What is wrong"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
