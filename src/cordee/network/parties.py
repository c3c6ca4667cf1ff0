"""How an organisation appears as a party to the hub's legal documents (agreements, minutes,
statements): its name, legal form, identifiers and address, read from the directory."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from cordee.network.models import Organisation


@dataclass(frozen=True)
class Party:
    name: str
    form: str
    siren: str
    siret: str
    rna: str
    address: str
    place: str  # postal code and commune


def hub_party() -> Party:
    return Party(
        name=settings.HUB_NAME,
        form="Pôle territorial de coopération économique (loi n° 2014-856 du 31 juillet 2014, art. 9)",
        siren=settings.HUB_SIREN,
        siret="",
        rna="",
        # The hub's postal address is not among the settings yet (as for the invoices).
        address=getattr(settings, "HUB_ADDRESS", ""),
        place="",
    )


def member_party(organisation: Organisation) -> Party:
    legal_form = organisation.legal_form
    form = legal_form.label if legal_form is not None else organisation.get_family_display()
    postal_code = organisation.postal_code or organisation.commune.postal_code
    return Party(
        name=organisation.name,
        form=str(form),
        siren=organisation.siren,
        siret=organisation.siret,
        rna=organisation.rna,
        address=organisation.address,
        place=f"{postal_code} {organisation.commune.name}".strip(),
    )
