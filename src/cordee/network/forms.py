from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core import identifiers
from cordee.core.errors import DomainError
from cordee.network.models import Affiliation, Commune, Family, LegalForm, Membership, Organisation, Sector
from cordee.network.services import ORGANISATION_FIELDS, check_organisation

# The same fields as the services accept, in the same order: the form is a view of them.
VISIBILITY_FIELDS = [name for name in ORGANISATION_FIELDS if name.endswith("_visibility")]
IDENTITY_FIELDS = [name for name in ORGANISATION_FIELDS if name not in VISIBILITY_FIELDS and name != "logo"]


class OrganisationForm(forms.ModelForm):
    """The fields of an organisation, with every identifier checked the same way everywhere."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [*IDENTITY_FIELDS, "logo", *VISIBILITY_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "listing_visibility": forms.RadioSelect,
            "profile_visibility": forms.RadioSelect,
            "contact_visibility": forms.RadioSelect,
            "identifiers_visibility": forms.RadioSelect,
            "figures_visibility": forms.RadioSelect,
        }
        help_texts = {
            "siren": _("9 digits, from the INSEE SIRENE register."),
            "siret": _("14 digits: the SIREN followed by the 5 digits of the establishment."),
            "rna": _("Associations only: W followed by 9 digits."),
            "naf": _("Such as 94.99Z."),
            "legal_form": _("The INSEE legal category (catégorie juridique)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        if "legal_form" in fields:
            fields["legal_form"].queryset = LegalForm.objects.filter(retired=False)  # type: ignore[attr-defined]
        fields["founding_year"].widget.attrs.update(min=1800, max=timezone.localdate().year)
        for name in ("siren", "siret"):
            if name in fields:
                fields[name].widget.attrs.update(inputmode="numeric", autocomplete="off")
        # People paste identifiers with spaces or dots ("732 829 320"): leave them room, the
        # clean_* methods below compact the value and then check its length by the identifier's rule.
        for name, room in (("siren", 20), ("siret", 24), ("rna", 16), ("naf", 10)):
            if name in fields:
                field = fields[name]
                field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
                field.widget.attrs["maxlength"] = str(room)
        fields["email"].widget.attrs.update(autocomplete="email")
        fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")

    def clean_siren(self) -> str:
        value = self.cleaned_data["siren"]
        return identifiers.clean_siren(value) if value else ""

    def clean_siret(self) -> str:
        value = self.cleaned_data["siret"]
        return identifiers.clean_siret(value) if value else ""

    def clean_rna(self) -> str:
        value = self.cleaned_data["rna"]
        return identifiers.clean_rna(value) if value else ""

    def clean_naf(self) -> str:
        value = self.cleaned_data["naf"]
        return identifiers.clean_naf(value) if value else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return identifiers.clean_phone(value) if value else ""

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not (len(value) == 5 and value.isdigit()):
            raise ValidationError(_("A postal code has 5 digits."), code="postal_code")
        return value

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > settings.LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo must weigh at most %(size)s kB.") % {"size": settings.LOGO_MAX_BYTES // 1024},
                code="logo_size",
            )
        return logo

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                check_organisation(cleaned, exclude_pk=self.instance.pk)
            except DomainError as exc:
                self.add_error(exc.field, exc.message)
        return cleaned

    def _post_clean(self) -> None:
        # The services write; the form only validates. Skip ModelForm's instance construction so a
        # refused or accepted form never half-fills the organisation object the view holds.
        pass

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        if data.get("logo") is None or data.get("logo") is False:
            # No new file: keep the current one; False means "clear" ticked.
            if data.get("logo") is False:
                data["logo"] = ""
            else:
                data.pop("logo", None)
        return data


class ApplicationForm(OrganisationForm):
    """The online membership application: the organisation, its contact person and consent."""

    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_email = forms.EmailField(label=_("Your e-mail"))
    contact_phone = forms.CharField(label=_("Your phone"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the hub keeps these details to study the application and, if it is accepted, "
            "to run the membership. I can ask for them to be exported or erased at any time."
        )
    )

    class Meta(OrganisationForm.Meta):
        fields = [*IDENTITY_FIELDS, *VISIBILITY_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].widget.attrs.update(autocomplete="email")
        self.fields["contact_name"].widget.attrs.update(autocomplete="name")

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"]
        return identifiers.clean_phone(value) if value else ""


class ProfileForm(OrganisationForm):
    """What a member admin edits: everything but the legal identity checked at admission."""

    class Meta(OrganisationForm.Meta):
        fields = [
            "name",
            "sector",
            "naf",
            "commune",
            "address",
            "postal_code",
            "website",
            "email",
            "phone",
            "description",
            "logo",
            "founding_year",
            "employees",
            "volunteers",
            *VISIBILITY_FIELDS,
        ]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.all(), required=False, empty_label=_("All communes")
    )
    family = forms.ChoiceField(label=_("Family"), required=False, choices=[("", _("All families")), *Family.choices])
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All sectors"),
    )
    legal_form = forms.ModelChoiceField(
        label=_("Legal form"), queryset=LegalForm.objects.all(), required=False, empty_label=_("All legal forms")
    )

    def __init__(
        self,
        *args: Any,
        legal_form_codes: list[str] | None = None,
        commune_codes: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if commune_codes is not None:
            self.fields["commune"].queryset = Commune.objects.filter(  # type: ignore[attr-defined]
                insee_code__in=commune_codes
            )
        if legal_form_codes is not None:
            self.fields["legal_form"].queryset = LegalForm.objects.filter(  # type: ignore[attr-defined]
                code__in=legal_form_codes
            )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the applicant)"), widget=forms.Textarea(attrs={"rows": 3}))


class MembershipStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (Membership.Status.ACTIVE, Membership.Status.ACTIVE.label),
            (Membership.Status.SUSPENDED, Membership.Status.SUSPENDED.label),
            (Membership.Status.LEFT, Membership.Status.LEFT.label),
        ],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class FeeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    amount = forms.DecimalField(label=_("Amount (€)"), min_value=0, max_digits=9, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def amount_cents(self) -> int:
        return int(self.cleaned_data["amount"] * 100)


class AffiliationAddForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Affiliation.Role.choices, initial=Affiliation.Role.MEMBER)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)


class AffiliationRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Affiliation.Role.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("The file must be a .csv or .xlsx file."), code="file_type")
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file must weigh at most %(size)s MB.") % {"size": settings.IMPORT_MAX_BYTES // 1_048_576},
                code="file_size",
            )
        return upload
