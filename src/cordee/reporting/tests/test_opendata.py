"""The open data: what a visitor sees of the directory and of the funded actions, as CSV and JSON,
every row valid against its Table Schema, nothing members-only or private."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from stdnum import luhn

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Commune, LegalForm, Organisation, Visibility
from cordee.projects.models import Action
from cordee.projects.services import actions as action_services
from cordee.projects.tests.review_support import endow, make_review, signed_action
from cordee.reporting import opendata

pytestmark = pytest.mark.django_db

SIREN = "01234567" + luhn.calc_check_digit("01234567")  # a leading zero to keep


# --- A validator of Table Schema rows (types, required, patterns, enums, bounds, unique) ---------

PATTERNS = {"integer": r"-?[0-9]+", "number": r"-?[0-9]+(\.[0-9]+)?"}


def csv_errors(text: str, schema: dict[str, Any]) -> list[str]:
    """What is wrong with a CSV file for its schema (empty: valid)."""
    rows = list(csv.reader(io.StringIO(text)))
    fields = schema["fields"]
    errors = []
    if rows[0] != [field["name"] for field in fields]:
        errors.append(f"header {rows[0]}")
    seen: dict[str, set[str]] = {field["name"]: set() for field in fields}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(fields):
            errors.append(f"line {number}: {len(row)} cells")
            continue
        for field, cell in zip(fields, row, strict=True):
            errors.extend(f"line {number}, {field['name']}: {e}" for e in _cell_errors(field, cell, seen))
    return errors


def _cell_errors(field: dict[str, Any], cell: str, seen: dict[str, set[str]]) -> list[str]:
    constraints = field.get("constraints", {})
    if cell in schema_missing_values():
        return ["required"] if constraints.get("required") else []
    errors = []
    kind = field["type"]
    if kind in PATTERNS and not re.fullmatch(PATTERNS[kind], cell):
        return [f"{cell!r} is not a {kind}"]
    if kind == "string" and field.get("format") == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", cell):
        errors.append(f"{cell!r} is not an e-mail")
    if kind == "string" and field.get("format") == "uri" and not re.fullmatch(r"https?://\S+", cell):
        errors.append(f"{cell!r} is not a URI")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], cell):
        errors.append(f"{cell!r} does not match {constraints['pattern']}")
    if "enum" in constraints and cell not in constraints["enum"]:
        errors.append(f"{cell!r} not in {constraints['enum']}")
    if "minimum" in constraints and float(cell) < constraints["minimum"]:
        errors.append(f"{cell} < {constraints['minimum']}")
    if "maximum" in constraints and float(cell) > constraints["maximum"]:
        errors.append(f"{cell} > {constraints['maximum']}")
    if constraints.get("unique"):
        if cell in seen[field["name"]]:
            errors.append(f"{cell!r} repeated")
        seen[field["name"]].add(cell)
    return errors


def schema_missing_values() -> list[str]:
    return [""]


def json_errors(rows: list[dict[str, Any]], schema: dict[str, Any]) -> list[str]:
    """The JSON rows: the schema's fields, in order, JSON numbers for numbers, null for missing."""
    names = [field["name"] for field in schema["fields"]]
    python = {"string": str, "integer": int, "number": (int, float)}
    errors = []
    for index, row in enumerate(rows):
        if list(row) != names:
            errors.append(f"row {index}: keys {list(row)}")
        for field in schema["fields"]:
            value = row.get(field["name"])
            if value is None:
                if field.get("constraints", {}).get("required"):
                    errors.append(f"row {index}, {field['name']}: required")
            elif not isinstance(value, python[field["type"]]) or isinstance(value, bool):
                errors.append(f"row {index}, {field['name']}: {value!r} is not a {field['type']}")
    return errors


# --- The world --------------------------------------------------------------------------------


@pytest.fixture
def public_org(actors: Actors) -> Organisation:
    """All public, with identifiers and a code that start with zeros."""
    return make_organisation(
        "Énergies citoyennes du Champsaur",
        siren=SIREN,
        siret=SIREN + "00015",
        family="cooperative",
        commune="05061",
        legal_form=LegalForm.objects.filter(code="5460").first() or LegalForm.objects.first(),
        address="12 rue de France",
        postal_code="05000",
        email="bonjour@energies-champsaur.example.org",
        website="https://energies-champsaur.example.org",
        founding_year=2012,
        employees=4,
        volunteers=25,
    )


@pytest.fixture
def discreet_org(actors: Actors) -> Organisation:
    """Listed publicly, but its contact details private and its figures for members only."""
    return make_organisation(
        "Vélo solidaire de Briançon",
        commune="05023",
        email="secret@velo.example.org",
        phone="06 11 22 33 44",
        employees=77,
        volunteers=888,
        contact_visibility=Visibility.PRIVATE,
        figures_visibility=Visibility.MEMBERS,
    )


def download(client: Any, name: str, key: str) -> tuple[Any, str]:
    response = client.get(reverse(name, args=[key]))
    assert response.status_code == 200, response.status_code
    return response, b"".join(response.streaming_content).decode()


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {row["identifiant"]: row for row in csv.DictReader(io.StringIO(text))}


# --- Organisations ----------------------------------------------------------------------------


def test_the_directory_file_holds_what_a_visitor_sees(
    client: Any, actors: Actors, public_org: Organisation, discreet_org: Organisation
) -> None:
    _response, text = download(client, "reporting:opendata_csv", "organisations")
    rows = csv_rows(text)
    # A shows itself to members only; B is public (make_actors).
    assert set(rows) == {public_org.slug, discreet_org.slug, actors.org_b.slug}
    row = rows[public_org.slug]
    assert row["siren"] == SIREN and row["siren"].startswith("0")
    assert row["siret"] == SIREN + "00015"
    assert row["code_insee_commune"] == "05061" and row["code_postal"] == "05000"
    assert row["famille"] == "cooperative" and row["famille_libelle"] == "Coopérative"
    assert row["commune"] == "Gap"
    commune = Commune.objects.get(pk="05061")
    assert float(row["latitude"]) == float(commune.latitude) and "." in row["latitude"]
    assert (row["annee_creation"], row["salaries"], row["benevoles"]) == ("2012", "4", "25")
    assert row["fiche"] == f"http://testserver/organisations/{public_org.slug}/"


def test_it_leaves_out_what_the_organisation_keeps_private_or_for_members(
    client: Any, actors: Actors, discreet_org: Organisation
) -> None:
    _response, text = download(client, "reporting:opendata_csv", "organisations")
    row = csv_rows(text)[discreet_org.slug]
    assert row["nom"] == "Vélo solidaire de Briançon"
    assert row["description"]  # its presentation is public
    assert (row["courriel"], row["telephone"], row["salaries"], row["benevoles"]) == ("", "", "", "")
    for secret in ("secret@velo.example.org", "06 11 22 33 44", "888"):
        assert secret not in text
    # Organisation A is in the directory for members only: not even its name.
    assert actors.org_a.name not in text and actors.org_a.slug not in text


def test_it_leaves_out_candidates_and_departed_members(client: Any, actors: Actors) -> None:
    candidate = make_organisation("Candidate publique", status="candidate")
    departed = make_organisation("Partie publique", status="left")
    _response, text = download(client, "reporting:opendata_csv", "organisations")
    assert candidate.slug not in text and departed.slug not in text


def test_the_coordinator_downloads_the_visitors_file(
    client_for: Any, actors: Actors, public_org: Organisation, discreet_org: Organisation
) -> None:
    _r, as_visitor = download(client_for(None), "reporting:opendata_csv", "organisations")
    _r, as_coordinator = download(client_for(actors.coordinator), "reporting:opendata_csv", "organisations")
    assert as_coordinator == as_visitor
    assert "secret@velo.example.org" not in as_coordinator and actors.org_a.slug not in as_coordinator


def test_every_organisation_row_fits_its_schema(
    client: Any, actors: Actors, public_org: Organisation, discreet_org: Organisation
) -> None:
    make_organisation("Sans commune placée", commune="05001", founding_year=None, employees=None)
    response = client.get(reverse("reporting:opendata_schema", args=["organisations"]))
    schema = response.json()
    assert schema["$schema"] == opendata.TABLE_SCHEMA
    assert schema["licenses"][0]["name"] == "etalab-2.0"
    assert schema["primaryKey"] == "identifiant"
    _response, text = download(client, "reporting:opendata_csv", "organisations")
    assert len(text.splitlines()) == 5
    assert csv_errors(text, schema) == []
    _response, body = download(client, "reporting:opendata_json", "organisations")
    assert json_errors(json.loads(body)["data"], schema) == []


def test_the_validator_catches_a_bad_row(actors: Actors, public_org: Organisation) -> None:
    schema = opendata.DATASETS["organisations"].schema(lambda path: f"http://testserver{path}")
    text = "".join(opendata.csv_lines(opendata.DATASETS["organisations"], lambda path: f"http://testserver{path}"))
    assert csv_errors(text, schema) == []
    assert csv_errors(text.replace(SIREN, SIREN[1:]), schema)  # a SIREN that lost its zero
    assert csv_errors(text.replace("05061", "5061"), schema)


def test_the_csv_is_utf8_comma_separated_without_a_bom(client: Any, actors: Actors) -> None:
    response, text = download(client, "reporting:opendata_csv", "organisations")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert text.startswith("identifiant,nom,famille,")
    assert "Coopérative des Écrins" in text


def test_the_json_wraps_the_rows_with_their_schema_and_licence(client: Any, actors: Actors) -> None:
    _response, body = download(client, "reporting:opendata_json", "organisations")
    document = json.loads(body)
    assert document["schema"] == "http://testserver/donnees-ouvertes/organisations.schema.json"
    assert document["licence"]["name"] == "etalab-2.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", document["generated_at"])
    [row] = document["data"]
    assert row["identifiant"] == actors.org_b.slug
    assert row["code_insee_commune"] == "05023"
    assert isinstance(row["latitude"], float) and isinstance(row["salaries"], int)


def test_the_json_is_the_csv_typed(client: Any, actors: Actors, public_org: Organisation) -> None:
    _r, text = download(client, "reporting:opendata_csv", "organisations")
    _r, body = download(client, "reporting:opendata_json", "organisations")
    from_csv = list(csv_rows(text).values())
    from_json = json.loads(body)["data"]
    assert len(from_json) == len(from_csv) == 2
    for json_row, csv_row in zip(from_json, from_csv, strict=True):
        for key, value in json_row.items():
            if value is None:
                assert csv_row[key] == "", key
            elif isinstance(value, int | float):
                assert Decimal(str(value)) == Decimal(csv_row[key]), key
            else:
                assert value == csv_row[key], key


def test_the_file_reads_the_directory_in_a_few_queries(client: Any, actors: Actors) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            download(client, "reporting:opendata_json", "organisations")
        return len(captured)

    before = queries()
    for n in range(6):
        make_organisation(f"Structure publique {n}")
    assert queries() == before


# --- Funded actions ---------------------------------------------------------------------------


@pytest.fixture
def action(actors: Actors) -> Action:
    review = make_review(actors)
    endow(actors)
    review.app_a.communes.set(["05061", "05023"])
    return signed_action(actors, review.app_a, tranches=(800_000, 1_200_000))


def test_the_actions_file_shows_the_public_page(client: Any, actors: Actors, action: Action) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    action_services.milestone_progress(actor=actors.coordinator, milestone=first, progress=50)
    _response, text = download(client, "reporting:opendata_csv", "actions")
    [row] = csv.DictReader(io.StringIO(text))
    assert row["identifiant"] == action.number
    assert row["structure"] == actors.org_a.name  # the public page names it
    assert row["structure_identifiant"] == ""  # but A is not in the public directory
    assert row["montant_accorde"] == "20000.00"
    assert row["avancement"] == "20"  # 50 % of the 8 000 € tranche out of 20 000 €
    assert row["statut"] == "in_progress"
    assert row["codes_insee_communes"] == "05023;05061"  # Briançon, Gap: in the directory's order
    gap, briancon = Commune.objects.get(pk="05061"), Commune.objects.get(pk="05023")
    assert abs(float(row["latitude"]) - float(gap.latitude + briancon.latitude) / 2) < 0.00001


def test_the_actions_file_names_a_publicly_listed_organisation(client: Any, actors: Actors) -> None:
    review = make_review(actors)
    endow(actors)
    action = signed_action(actors, review.app_b)
    _response, text = download(client, "reporting:opendata_csv", "actions")
    row = csv_rows(text)[action.number]
    assert row["structure_identifiant"] == actors.org_b.slug
    assert row["codes_insee_communes"] == "" and row["latitude"] == ""


def test_an_action_not_public_is_left_out(client: Any, actors: Actors, action: Action) -> None:
    action_services.action_set_public(actor=actors.coordinator, action=action, public=False)
    _response, text = download(client, "reporting:opendata_csv", "actions")
    assert text.strip() == ",".join(opendata.DATASETS["actions"].field_names)
    assert action.number not in text


def test_no_money_but_the_grant(client: Any, actors: Actors, action: Action) -> None:
    schema = client.get(reverse("reporting:opendata_schema", args=["actions"])).json()
    money = [field["name"] for field in schema["fields"] if "euro" in field["description"]]
    assert money == ["montant_accorde"]


def test_every_action_row_fits_its_schema(client: Any, actors: Actors, action: Action) -> None:
    schema = client.get(reverse("reporting:opendata_schema", args=["actions"])).json()
    _response, text = download(client, "reporting:opendata_csv", "actions")
    assert csv_errors(text, schema) == []
    _response, body = download(client, "reporting:opendata_json", "actions")
    document = json.loads(body)
    assert json_errors(document["data"], schema) == []
    assert document["data"][0]["montant_accorde"] == 20000.0


# --- The page ---------------------------------------------------------------------------------


def test_the_page_lists_the_datasets_their_licence_fields_and_links(client: Any, actors: Actors) -> None:
    response = client.get(reverse("reporting:opendata"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Licence Ouverte / Etalab 2.0" in page and opendata.LICENCE["path"] in page
    for key in ("organisations", "actions"):
        for name in ("opendata_csv", "opendata_json", "opendata_schema"):
            assert reverse(f"reporting:{name}", args=[key]) in page
    assert "<code>code_insee_commune</code>" in page and "<code>montant_accorde</code>" in page
    assert [item["count"] for item in response.context["datasets"]] == [1, 0]


def test_an_unknown_dataset_is_not_found(client: Any) -> None:
    assert client.get(reverse("reporting:opendata_csv", args=["personnes"])).status_code == 404
    assert client.get(reverse("reporting:opendata_schema", args=["personnes"])).status_code == 404


def test_the_rows_go_out_in_batches_whole() -> None:
    assert list(opendata.batched(["a", "b", "c", "d", "e"], size=2)) == ["ab", "cd", "e"]


def test_the_directory_file_is_whole_across_chunks(client: Any, actors: Actors, monkeypatch: Any) -> None:
    monkeypatch.setattr(opendata, "CHUNK", 2)
    for n in range(5):
        make_organisation(f"Structure {n}")
    _response, body = download(client, "reporting:opendata_json", "organisations")
    assert len(json.loads(body)["data"]) == 6  # B and the five
