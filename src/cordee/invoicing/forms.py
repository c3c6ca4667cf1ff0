from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.errors import DomainError
from cordee.invoicing.models import Exemption
from cordee.invoicing.rules import MAX_LINES, MAX_NOTES, MAX_REASON
from cordee.invoicing.totals import LineData
from cordee.network.models import Organisation

HUB = "hub"  # the value that stands for the hub in a choice of party
VAT_CHOICES = [
    (2000, _("20 %")),
    (1000, _("10 %")),
    (550, _("5.5 %")),
    (210, _("2.1 %")),
    (0, _("0 % (exempt, say why)")),
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _party_choices(organisations: QuerySet[Organisation], hub: bool) -> list[tuple[str, str]]:
    choices = [(HUB, settings.HUB_NAME)] if hub else []
    return choices + [(str(org.pk), org.name) for org in organisations]


def party(value: str, organisations: QuerySet[Organisation]) -> Organisation | None:
    """The organisation a cleaned choice stands for; None for the hub."""
    return None if value == HUB else organisations.get(pk=int(value))


class InvoiceForm(forms.Form):
    """The head of a draft: who invoices whom, and when it is due. The issuer is chosen once."""

    issuer = forms.ChoiceField(label=_("Issuer"))
    recipient = forms.ChoiceField(label=_("Recipient"))
    due_date = forms.DateField(label=_("Due date"), widget=_date_input())
    notes = forms.CharField(
        label=_("Notes (printed on the invoice)"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For instance the period or the service invoiced."),
    )

    def __init__(
        self,
        *args: Any,
        issuers: QuerySet[Organisation],
        hub_issuer: bool,
        recipients: QuerySet[Organisation],
        fixed_issuer: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.issuers, self.recipients = issuers, recipients
        issuer = self.fields["issuer"]
        assert isinstance(issuer, forms.ChoiceField)
        issuer.choices = _party_choices(issuers, hub_issuer)
        if fixed_issuer:
            issuer.disabled = True
            issuer.required = False
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ChoiceField)
        recipient.choices = [("", _("Choose the recipient")), *_party_choices(recipients, True)]
        self.fields["due_date"].initial = timezone.localdate() + dt.timedelta(days=30)

    def issuer_party(self) -> Organisation | None:
        return party(self.cleaned_data["issuer"], self.issuers)

    def recipient_party(self) -> Organisation | None:
        return party(self.cleaned_data["recipient"], self.recipients)


class LineForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        help_text=_("More than 0, at most 2 decimals."),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price excl. VAT (€)"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    vat_rate = forms.TypedChoiceField(label=_("VAT rate"), choices=VAT_CHOICES, coerce=int, initial=2000)
    vat_exemption = forms.ChoiceField(
        label=_("Exemption mention (VAT rate 0 only)"),
        required=False,
        choices=[("", "—"), *Exemption.choices],
    )

    def line_data(self) -> LineData:
        data = self.cleaned_data
        return LineData(
            label=data["label"],
            quantity=data["quantity"],
            unit_price_cents=int(data["unit_price"] * 100),
            vat_rate=data["vat_rate"],
            vat_exemption=data["vat_exemption"],
        )


class BaseLineFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[LineForm]:
        """The filled lines not marked for removal, in order: the services' `lines`. (A blank
        line added and left untouched has empty cleaned data.)"""
        return [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get(DELETION_FIELD_NAME)]

    def line_data(self) -> list[LineData]:
        return [form.line_data() for form in self.kept_forms()]

    def add_domain_error(self, error: DomainError) -> bool:
        """Show a service's refusal of `lines.<index>.<field>` on that line's field; False when
        the error is not about one line."""
        parts = (error.field or "").split(".")
        if len(parts) != 3 or parts[0] != "lines":
            return False
        kept = self.kept_forms()
        index, name = int(parts[1]), parts[2]
        if not 0 <= index < len(kept) or name not in kept[index].fields:
            return False
        kept[index].add_error(name, error.message)
        return True


LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_LINES,
    validate_max=True,
    can_delete=True,
)


def line_initial(lines: list[LineData]) -> list[dict[str, Any]]:
    return [
        {
            "label": line.label,
            "quantity": line.quantity,
            "unit_price": Decimal(line.unit_price_cents).scaleb(-2),
            "vat_rate": line.vat_rate,
            "vat_exemption": line.vat_exemption,
        }
        for line in lines
    ]


class IssueForm(forms.Form):
    issue_date = forms.DateField(label=_("Issue date"), widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issue_date"].initial = timezone.localdate()


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class CreditNoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (printed on the credit note)"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


MAX_DISPUTE_TEXT = 1000  # the service's limit (services.MAX_DISPUTE_TEXT)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you contest this invoice?"),
        max_length=MAX_DISPUTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For instance: the service was not rendered, the amount is not the one agreed. The issuer reads it."
        ),
    )


class DisputeCloseForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        required=False,  # the service asks for it, except from the person who withdraws the dispute
        max_length=MAX_DISPUTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required, unless you withdraw your own dispute."),
    )


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("All")), ("to_collect", _("To collect")), ("to_pay", _("To pay"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cordee.invoicing.models import Invoice

        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All")), *Invoice.Status.choices]
