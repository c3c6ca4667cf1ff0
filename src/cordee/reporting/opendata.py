"""The hub's open data: the public directory and the funded actions, as CSV and JSON, each described
by a Frictionless Table Schema (the format of schema.data.gouv.fr and data.gouv.fr), published under
the Licence Ouverte / Etalab 2.0.

What goes out is exactly what a visitor already sees, read through the same selectors as the public
pages: the organisations of the public directory (`network.selectors.directory_organisations` for
an anonymous visitor) with only the blocks of fields each one made public
(`permissions.visible_blocks`), and the funded actions of the public actions page
(`projects.selectors_actions.public_actions`: the grant and the progress, no other money). Whoever
asks, logged in or not, gets the visitor's view: a file published on a portal must not depend on who
downloaded it.

The schemas are data for French portals, so their titles and descriptions are in French whatever
the language of the request. A file streams row by row (the directory is read in chunks), so
10,000 organisations never sit in memory at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from cordee.core import permissions
from cordee.network.models import Family, Organisation
from cordee.network.selectors import directory_organisations
from cordee.projects.models import Action
from cordee.projects.selectors_actions import PUBLIC_STATUSES, public_actions

VISITOR = AnonymousUser()
CHUNK = 1000  # organisations read per query while streaming

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0 (Etalab)",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
TABLE_SCHEMA = "https://frictionlessdata.io/schemas/table-schema.json"
SCHEMA_VERSION = "1.0.0"

INSEE_CODE = r"[0-9][0-9AB][0-9]{3}"  # 2A and 2B: the communes of Corsica

Row = dict[str, Any]
Absolute = Callable[[str], str]  # a path -> its absolute URL (request.build_absolute_uri)


def _field(name: str, title: str, description: str, type_: str = "string", **extra: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "title": title, "description": description, "type": type_}
    field.update(extra)
    return field


def _required(**constraints: Any) -> dict[str, Any]:
    return {"constraints": {"required": True, **constraints}}


COORDINATES = "Coordonnées WGS 84 (EPSG:4326) en degrés décimaux, point décimal"

ORGANISATION_FIELDS = [
    _field(
        "identifiant",
        "Identifiant",
        "Identifiant stable de la structure dans l'annuaire du pôle (celui de l'adresse de sa fiche).",
        example="jardins-du-buech",
        **_required(unique=True, pattern=r"[-a-zA-Z0-9_]+"),
    ),
    _field("nom", "Nom", "Nom de la structure.", example="Les Jardins du Buëch", **_required()),
    _field(
        "famille",
        "Famille",
        "Famille de l'économie sociale et solidaire, en code.",
        example="association",
        **_required(enum=[family.value for family in Family]),
    ),
    _field("famille_libelle", "Famille (libellé)", "Famille, en toutes lettres.", example="Association", **_required()),
    _field(
        "secteur", "Secteur d'activité", "Secteur d'activité, tel que le pôle les regroupe.", example="Alimentation"
    ),
    _field(
        "code_insee_commune",
        "Code INSEE de la commune",
        "Code officiel géographique de la commune du siège (5 caractères, zéro initial compris).",
        example="05061",
        **_required(pattern=INSEE_CODE),
    ),
    _field("commune", "Commune", "Nom de la commune du siège.", example="Gap", **_required()),
    _field(
        "latitude",
        "Latitude",
        f"Latitude de la commune du siège (la structure est placée au centre de sa commune). {COORDINATES}.",
        "number",
        example="44.55944",
        constraints={"minimum": -90, "maximum": 90},
    ),
    _field(
        "longitude",
        "Longitude",
        f"Longitude de la commune du siège. {COORDINATES}.",
        "number",
        example="6.07862",
        constraints={"minimum": -180, "maximum": 180},
    ),
    _field(
        "fiche",
        "Fiche dans l'annuaire",
        "Adresse de la fiche de la structure dans l'annuaire public du pôle.",
        format="uri",
        **_required(),
    ),
    _field("description", "Présentation", "Présentation de la structure par elle-même (si elle la rend publique)."),
    _field("site_web", "Site web", "Site web de la structure (si elle le rend public).", format="uri"),
    _field("logo", "Logo", "Adresse du logo de la structure (s'il est public).", format="uri"),
    _field(
        "annee_creation",
        "Année de création",
        "Année de création (si elle est publique).",
        "integer",
        example=1998,
        constraints={"minimum": 1000, "maximum": 9999},
    ),
    _field("adresse", "Adresse", "Adresse postale (si les coordonnées sont publiques).", example="12 rue de France"),
    _field(
        "code_postal",
        "Code postal",
        "Code postal (si les coordonnées sont publiques).",
        example="05000",
        constraints={"pattern": r"[0-9]{5}"},
    ),
    _field("courriel", "Courriel", "Courriel de la structure (si les coordonnées sont publiques).", format="email"),
    _field("telephone", "Téléphone", "Téléphone de la structure (si les coordonnées sont publiques)."),
    _field(
        "forme_juridique_code",
        "Code de la forme juridique",
        "Catégorie juridique INSEE, niveau III, 4 chiffres (si les identifiants sont publics).",
        example="9220",
        constraints={"pattern": r"[0-9]{4}"},
    ),
    _field(
        "forme_juridique",
        "Forme juridique",
        "Libellé de la catégorie juridique INSEE.",
        example="Association déclarée",
    ),
    _field(
        "siren",
        "SIREN",
        "Numéro SIREN (9 chiffres, zéros initiaux compris ; si les identifiants sont publics).",
        example="012345674",
        constraints={"pattern": r"[0-9]{9}"},
    ),
    _field(
        "siret",
        "SIRET",
        "Numéro SIRET du siège (14 chiffres, zéros initiaux compris).",
        example="01234567400015",
        constraints={"pattern": r"[0-9]{14}"},
    ),
    _field(
        "rna",
        "Numéro RNA",
        "Numéro au répertoire national des associations (W suivi de 9 caractères).",
        example="W052000123",
        constraints={"pattern": r"W[0-9A-Z]{9}"},
    ),
    _field(
        "code_naf",
        "Code NAF/APE",
        "Activité principale, nomenclature NAF rév. 2.",
        example="88.99B",
        constraints={"pattern": r"[0-9]{2}\.?[0-9]{2}[A-Z]"},
    ),
    _field(
        "salaries",
        "Salariés",
        "Nombre de salariés (s'il est public).",
        "integer",
        example=3,
        constraints={"minimum": 0},
    ),
    _field(
        "benevoles",
        "Bénévoles",
        "Nombre de bénévoles (s'il est public).",
        "integer",
        example=12,
        constraints={"minimum": 0},
    ),
]

ACTION_FIELDS = [
    _field(
        "identifiant",
        "Numéro de convention",
        "Numéro de la convention de financement de l'action, unique.",
        example="CONV-2026-004",
        **_required(unique=True),
    ),
    _field("titre", "Titre", "Titre de l'action.", **_required()),
    _field("resume", "Résumé", "Résumé de l'action."),
    _field("structure", "Structure porteuse", "Nom de la structure qui porte l'action.", **_required()),
    _field(
        "structure_identifiant",
        "Identifiant de la structure",
        "Identifiant de la structure porteuse dans le jeu « organisations » (colonne identifiant), "
        "vide si elle n'apparaît pas dans l'annuaire public.",
    ),
    _field("appel_a_projets", "Appel à projets", "Titre de l'appel à projets qui a financé l'action.", **_required()),
    _field(
        "statut",
        "Statut",
        "in_progress : en cours ; completed : terminée.",
        **_required(enum=[str(status) for status in PUBLIC_STATUSES]),
    ),
    _field("statut_libelle", "Statut (libellé)", "Statut en toutes lettres.", **_required()),
    _field(
        "montant_accorde",
        "Montant accordé",
        "Subvention accordée par le pôle, en euros, point décimal, deux décimales.",
        "number",
        example="20000.00",
        **_required(minimum=0),
    ),
    _field(
        "avancement",
        "Avancement",
        "Avancement de l'action en pour cent (moyenne de ses jalons pondérée par leurs tranches, arrondie à l'entier "
        "inférieur).",
        "integer",
        example=40,
        **_required(minimum=0, maximum=100),
    ),
    _field(
        "codes_insee_communes",
        "Codes INSEE des communes",
        "Codes officiels géographiques des communes concernées, séparés par des points-virgules.",
        example="05061;05023",
        constraints={"pattern": rf"{INSEE_CODE}(;{INSEE_CODE})*"},
    ),
    _field(
        "communes", "Communes", "Noms des communes concernées, séparés par des points-virgules.", example="Gap;Briançon"
    ),
    _field(
        "latitude",
        "Latitude",
        f"Latitude du centre des communes concernées (moyenne de leurs latitudes). {COORDINATES}.",
        "number",
        constraints={"minimum": -90, "maximum": 90},
    ),
    _field(
        "longitude",
        "Longitude",
        f"Longitude du centre des communes concernées. {COORDINATES}.",
        "number",
        constraints={"minimum": -180, "maximum": 180},
    ),
]


@dataclass(frozen=True)
class Dataset:
    key: str  # the file name: organisations.csv, organisations.json, organisations.schema.json
    title: str
    description: str
    fields: list[dict[str, Any]]
    rows: Callable[[Absolute], Iterator[Row]]
    count: Callable[[], int]

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.fields]

    def schema(self, absolute: Absolute) -> dict[str, Any]:
        """The dataset's Frictionless Table Schema, with the metadata schema.data.gouv.fr expects."""
        return {
            "$schema": TABLE_SCHEMA,
            "name": f"cordee-{self.key}",
            "title": self.title,
            "description": self.description,
            "countryCode": "FR",
            "homepage": absolute(reverse("reporting:opendata")),
            "path": absolute(reverse("reporting:opendata_schema", args=[self.key])),
            "version": SCHEMA_VERSION,
            "licenses": [LICENCE],
            "missingValues": [""],
            "primaryKey": "identifiant",
            "fields": self.fields,
        }


# --- The rows ---------------------------------------------------------------------------


def public_organisations() -> Any:
    """The organisations a visitor finds in the directory, as the directory page lists them."""
    return directory_organisations(VISITOR)


def _french_labels(choices: Any) -> dict[str, str]:
    # Computed once, before streaming: a generator must not hold a language active between its rows.
    with translation.override("fr"):
        return {str(value): str(label) for value, label in choices}


def _organisation_row(
    organisation: Organisation, absolute: Absolute, page_prefix: str, families: dict[str, str]
) -> Row:
    blocks = permissions.visible_blocks(VISITOR, organisation)
    commune = organisation.commune
    row: Row = dict.fromkeys(field["name"] for field in ORGANISATION_FIELDS)
    row.update(
        identifiant=organisation.slug,
        nom=organisation.name,
        famille=organisation.family,
        famille_libelle=families.get(organisation.family, organisation.family),
        secteur=organisation.sector.name if organisation.sector else None,
        code_insee_commune=commune.insee_code,
        commune=commune.name,
        latitude=commune.latitude,
        longitude=commune.longitude,
        fiche=absolute(f"{page_prefix}{organisation.slug}/"),
    )
    if "profile" in blocks:
        row.update(
            description=organisation.description or None,
            site_web=organisation.website or None,
            logo=absolute(organisation.logo.url) if organisation.logo else None,
            annee_creation=organisation.founding_year,
        )
    if "contact" in blocks:
        row.update(
            adresse=organisation.address or None,
            code_postal=organisation.postal_code or None,
            courriel=organisation.email or None,
            telephone=organisation.phone or None,
        )
    if "identifiers" in blocks:
        legal_form = organisation.legal_form
        row.update(
            forme_juridique_code=legal_form.code if legal_form else None,
            forme_juridique=legal_form.label if legal_form else None,
            siren=organisation.siren or None,
            siret=organisation.siret or None,
            rna=organisation.rna or None,
            code_naf=organisation.naf or None,
        )
    if "figures" in blocks:
        row.update(salaries=organisation.employees, benevoles=organisation.volunteers)
    return row


def organisation_rows(absolute: Absolute) -> Iterator[Row]:
    page_prefix = reverse("network:organisation", args=["slug"]).removesuffix("slug/")
    families = _french_labels(Family.choices)
    for organisation in public_organisations().iterator(chunk_size=CHUNK):
        yield _organisation_row(organisation, absolute, page_prefix, families)


def _mean(values: list[float]) -> Decimal | None:
    if not values:
        return None
    total = sum((Decimal(repr(value)) for value in values), Decimal(0))
    return (total / len(values)).quantize(Decimal("0.00001"))


def action_rows(absolute: Absolute) -> Iterator[Row]:
    """The rows of the public actions page (a few hundred at most: read at once)."""
    statuses = _french_labels(Action.Status.choices)
    actions = public_actions()
    listed = set(
        public_organisations()
        .filter(slug__in=[row.organisation_slug for row in actions])
        .values_list("slug", flat=True)
    )
    for action in actions:
        placed = [(lat, lng) for _name, _code, lat, lng in action.communes if lat is not None and lng is not None]
        yield {
            "identifiant": action.number,
            "titre": action.title,
            "resume": action.summary or None,
            "structure": action.organisation,
            "structure_identifiant": action.organisation_slug if action.organisation_slug in listed else None,
            "appel_a_projets": action.call,
            "statut": action.status,
            "statut_libelle": statuses.get(action.status, action.status),
            "montant_accorde": (Decimal(action.granted_cents) / 100).quantize(Decimal("0.01")),
            "avancement": action.progress,
            "codes_insee_communes": ";".join(code for _name, code, _lat, _lng in action.communes) or None,
            "communes": ";".join(name for name, _code, _lat, _lng in action.communes) or None,
            "latitude": _mean([lat for lat, _lng in placed]),
            "longitude": _mean([lng for _lat, lng in placed]),
        }


def _count_actions() -> int:
    return len(public_actions())


DATASETS: dict[str, Dataset] = {
    "organisations": Dataset(
        key="organisations",
        title="Annuaire public des structures membres du pôle",
        description=(
            "Les structures membres du pôle territorial de coopération économique qui apparaissent dans son "
            "annuaire public, avec les seules informations que chacune a choisi de rendre publiques "
            "(présentation, coordonnées, identifiants, effectifs). Une ligne par structure."
        ),
        fields=ORGANISATION_FIELDS,
        rows=organisation_rows,
        count=lambda: public_organisations().count(),
    ),
    "actions": Dataset(
        key="actions",
        title="Actions financées par le pôle",
        description=(
            "Les actions pour le territoire financées par les appels à projets du pôle, dont la convention est "
            "signée et que le pôle publie : structure porteuse, communes concernées, subvention accordée et "
            "avancement. Une ligne par action."
        ),
        fields=ACTION_FIELDS,
        rows=action_rows,
        count=_count_actions,
    ),
}


def get_dataset(key: str) -> Dataset | None:
    return DATASETS.get(key)


# --- The files --------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # never in exponent notation
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_lines(dataset: Dataset, absolute: Absolute) -> Iterator[str]:
    """The CSV file, line by line: UTF-8, comma-separated, the header row the schema's field names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[Any]) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    names = dataset.field_names
    yield line(names)
    for row in dataset.rows(absolute):
        yield line(_csv_value(row[name]) for name in names)


def _json_value(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")  # a JSON number, written exactly (never through a float)
    if isinstance(value, dt.date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def json_chunks(dataset: Dataset, absolute: Absolute, *, now: dt.datetime | None = None) -> Iterator[str]:
    """{"schema": url, "generated_at": ..., "licence": ..., "data": [rows]}, a row at a time."""
    generated_at = timezone.localtime(now or timezone.now()).isoformat(timespec="seconds")
    head = {
        "schema": absolute(reverse("reporting:opendata_schema", args=[dataset.key])),
        "generated_at": generated_at,
        "licence": LICENCE,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "data": ['
    names = dataset.field_names
    for index, row in enumerate(dataset.rows(absolute)):
        body = ", ".join(f"{json.dumps(name)}: {_json_value(row[name])}" for name in names)
        yield ("\n" if index == 0 else ",\n") + "{" + body + "}"
    yield "\n]}\n"


def batched(chunks: Iterable[str], size: int = 200) -> Iterator[str]:
    """The chunks joined `size` at a time: one write to the client per batch of rows, not per row."""
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)
