"""Forms of the treasury pages. They parse and label; the services decide."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.governance.models import Body
from cordee.network.models import Organisation
from cordee.treasury.forms_plans import EuroAmountField
from cordee.treasury.models import Advance, Charge, Deposit, Repayment, RepaymentMode, TreasurySettings

MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".odt", ".docx", ".xlsx", ".ods")


class PercentRateField(forms.DecimalField):
    """A yearly rate typed in percent ("1,5"), cleaned to basis points."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        rate = super().clean(value)
        return None if rate is None else int(Decimal(rate) * 100)


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _checked_upload(upload: Any) -> Any:
    if not upload:
        return upload
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_large")
    if not upload.name.lower().endswith(UPLOAD_TYPES):
        raise forms.ValidationError(_("Send a PDF, an image or an office document."), code="file_type")
    return upload


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()


class DepositForm(OrganisationChoiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Deposit.Kind.choices, initial=Deposit.Kind.LOAN)
    amount = EuroAmountField(label=_("Amount (€)"))
    term_date = forms.DateField(label=_("Term"), required=False, widget=_date(), help_text=_("Or a notice period."))
    notice_days = forms.IntegerField(label=_("Notice (days)"), required=False, min_value=1, max_value=365)
    rate = PercentRateField(label=_("Yearly rate (%)"), initial=0, required=False)
    board_approved_on = forms.DateField(label=_("Approved by our board on"), required=False, widget=_date())
    board_minute = forms.FileField(label=_("Minute of the board"), required=False)
    attestation = forms.FileField(label=_("Attestation by our auditor or chartered accountant"), required=False)

    def clean_board_minute(self) -> Any:
        return _checked_upload(self.cleaned_data.get("board_minute"))

    def clean_attestation(self) -> Any:
        return _checked_upload(self.cleaned_data.get("attestation"))


class ConfirmDepositForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=_date(), initial=timezone.localdate)
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100)


class WithdrawalForm(forms.Form):
    amount = EuroAmountField(label=_("Amount to withdraw (€)"))


class PayWithdrawalForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=_date(), initial=timezone.localdate)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DeclarationForm(OrganisationChoiceForm):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    net_available_cash = EuroAmountField(label=_("Net available cash on 1 January (€)"))
    declared_on = forms.DateField(label=_("Declared on"), widget=_date(), initial=timezone.localdate)


class AdvanceRequestForm(OrganisationChoiceForm):
    amount = EuroAmountField(label=_("Amount requested (€)"))
    purpose = forms.CharField(label=_("What is it for?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=_("How will it be repaid?"), choices=Advance.Source.choices)
    funder = forms.CharField(label=_("Funder of the subsidy"), max_length=200, required=False)
    notified_amount = EuroAmountField(label=_("Amount notified (€)"), required=False)
    funder_decision_on = forms.DateField(label=_("Date of the funder's decision"), required=False, widget=_date())
    expected_payment_on = forms.DateField(label=_("Expected payment date"), required=False, widget=_date())
    notification = forms.FileField(label=_("Notification of the subsidy"), required=False)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=120)
    mode = forms.ChoiceField(label=_("Repayment"), choices=RepaymentMode.choices, initial=RepaymentMode.BULLET)
    grace_months = forms.IntegerField(label=_("Principal grace (months)"), min_value=0, initial=0, required=False)
    attachment = forms.FileField(label=_("Other document (budget, bank statement…)"), required=False)

    def clean_notification(self) -> Any:
        return _checked_upload(self.cleaned_data.get("notification"))

    def clean_attachment(self) -> Any:
        return _checked_upload(self.cleaned_data.get("attachment"))


class DecideForm(forms.Form):
    amount = EuroAmountField(label=_("Amount granted (€)"), required=False, help_text=_("Empty: the amount requested."))
    rate = PercentRateField(label=_("Yearly rate (%)"), required=False)
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reasons = forms.CharField(label=_("Reasons of the decision"), widget=forms.Textarea(attrs={"rows": 3}))


class DisburseForm(forms.Form):
    on = forms.DateField(label=_("Paid on"), widget=_date(), initial=timezone.localdate)


class RepaymentForm(forms.Form):
    amount = EuroAmountField(label=_("Amount received (€)"))
    received_on = forms.DateField(label=_("Received on"), widget=_date(), initial=timezone.localdate)
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=140, required=False)
    prepayment_option = forms.ChoiceField(
        label=_("If it repays early"), choices=Repayment.Option.choices, initial=Repayment.Option.SHORTEN
    )


class ChargeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Charge.Kind.choices)
    amount = EuroAmountField(label=_("Amount (€)"))
    label = forms.CharField(label=_("What for"), max_length=200)


class RescheduleForm(forms.Form):
    on = forms.DateField(label=_("From"), widget=_date(), initial=timezone.localdate)
    term_months = forms.IntegerField(label=_("New term (months)"), min_value=1, max_value=120)
    mode = forms.ChoiceField(label=_("Repayment"), choices=RepaymentMode.choices)
    grace_months = forms.IntegerField(label=_("Principal grace (months)"), min_value=0, initial=0, required=False)
    bullet_due = forms.DateField(label=_("Due date (one payment)"), required=False, widget=_date())
    note = forms.CharField(label=_("Committee decision and reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class WriteOffForm(forms.Form):
    on = forms.DateField(label=_("On"), widget=_date(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FundForm(forms.Form):
    amount = EuroAmountField(label=_("Amount (€)"))
    received_on = forms.DateField(label=_("Received on"), widget=_date(), initial=timezone.localdate)
    label = forms.CharField(label=_("Origin (grant, donation…)"), max_length=200)
    reference = forms.CharField(label=_("Bank reference"), max_length=100)


class SettingsForm(forms.ModelForm):
    rate_cap = PercentRateField(label=_("Rate cap (%, the published TMO)"))
    default_rate = PercentRateField(label=_("Default rate (%)"))
    liquidity_reserve_min = EuroAmountField(label=_("Minimum liquidity reserve (€)"))
    member_exposure_cap = EuroAmountField(label=_("Cap of one member's exposure (€)"))

    class Meta:
        model = TreasurySettings
        fields = [
            "regime",
            "rate_cap_source",
            "liquidity_reserve_percent",
            "concentration_cap_percent",
            "min_membership_days",
            "approval_validity_days",
            "reminder_days",
            "provision_percent_1_30",
            "provision_percent_31_60",
            "provision_percent_61_90",
            "provision_percent_over_90",
            "committee",
            "account_holder",
            "iban",
            "bic",
            "creditor_identifier",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["rate_cap"].initial = Decimal(instance.rate_cap_bps) / 100
        self.fields["default_rate"].initial = Decimal(instance.default_rate_bps) / 100
        self.fields["liquidity_reserve_min"].initial = instance.liquidity_reserve_min_cents
        self.fields["member_exposure_cap"].initial = instance.member_exposure_cap_cents
        committee = self.fields["committee"]
        assert isinstance(committee, forms.ModelChoiceField)
        committee.queryset = Body.objects.order_by("name")

    def clean_reminder_days(self) -> str:
        value = self.cleaned_data["reminder_days"]
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() and 0 < int(part) <= 365 for part in parts):
            raise forms.ValidationError(_("Give days between 1 and 365, separated by commas."), code="invalid")
        return ",".join(str(n) for n in sorted({int(part) for part in parts}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for percent in ("liquidity_reserve_percent", "concentration_cap_percent"):
            if data.get(percent) is not None and data[percent] > 100:
                self.add_error(percent, _("A percentage is at most 100."))
        return data

    def apply(self) -> dict[str, Any]:
        """The cleaned values, amounts in cents, as the settings service takes them."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["rate_cap_bps"] = self.cleaned_data["rate_cap"]
        data["default_rate_bps"] = self.cleaned_data["default_rate"]
        data["liquidity_reserve_min_cents"] = self.cleaned_data["liquidity_reserve_min"]
        data["member_exposure_cap_cents"] = self.cleaned_data["member_exposure_cap"]
        return data


def initial_from_query(query: Any) -> dict[str, Any]:
    """Pre-fill the advance request from a cash-flow plan's proposal (amounts in euros)."""
    initial: dict[str, Any] = {}
    for name in ("organisation", "amount", "source", "funder", "notified_amount", "term_months", "mode", "purpose"):
        if query.get(name):
            initial[name] = query[name]
    for name in ("expected_payment_on", "funder_decision_on"):
        with contextlib.suppress(ValueError):
            initial[name] = dt.date.fromisoformat(query.get(name, ""))
    return initial
