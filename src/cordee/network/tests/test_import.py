"""Importing organisations from CSV or XLSX: all rows or none, every refused cell named."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from cordee.core.models import AuditEvent, HubRole, User
from cordee.core.testing import Actors, valid_siren, valid_siret
from cordee.network.models import Membership, Organisation

BAD_LUHN_SIRET = "73282932000075"


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"


def siret(n: int) -> str:
    return valid_siret(valid_siren(500 + n))


def csv_file(tmp_path: Path, lines: list[str], *, name: str = "organisations.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_import(path: Path, *args: str) -> list[str]:
    """The lines the command printed on stderr, one per refused cell."""
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_organisations", str(path), *args, stdout=io.StringIO(), stderr=err)
    assert refused.value.returncode == 1
    assert "nothing was imported" in str(refused.value)
    return err.getvalue().splitlines()


def many_rows(count: int) -> list[str]:
    return [f"Structure {n:02d},association,05061,{siret(n)}" for n in range(count)]


def nothing_written() -> bool:
    return (
        Organisation.objects.filter(name__startswith="Structure").count() == 0
        and not AuditEvent.objects.filter(action__startswith="organisation.").exists()
    )


# --- Formats ------------------------------------------------------------------------------


def test_it_imports_a_comma_separated_file(actors: Actors, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        [
            "name,family,commune,siret,email,founding_year",
            f'"Refuge du Pelvoux, gîte d\'étape",association,05023,{siret(1)},refuge@pelvoux.example,1987',
            f"Scop des Écrins,cooperative,05061,{siret(2)},,",
        ],
    )

    out, _err = run_import(path)

    assert out.strip() == "2 organisations imported."
    refuge = Organisation.objects.get(name="Refuge du Pelvoux, gîte d'étape")
    assert (refuge.commune_id, refuge.siret, refuge.siren, refuge.founding_year) == (
        "05023",
        siret(1),
        siret(1)[:9],
        1987,
    )
    assert refuge.membership.status == Membership.Status.ACTIVE
    assert Organisation.objects.get(name="Scop des Écrins").family == "cooperative"


def test_it_imports_a_semicolon_file_with_french_headers(actors: Actors, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        [
            "Nom;Famille;Code INSEE;SIRET;Courriel;Secteur;Forme juridique;Code NAF;Année de création;Statut;"
            "Date d'adhésion",
            f"Théâtre du Champsaur;Association;05061;{siret(3)};;Culture et patrimoine;9220;9001z;2004;active;"
            "26/11/2021",
            f"Coopérative des Hautes Vallées;Coopérative;05023;{siret(4)};bonjour@chv.example;culture;5458;;;"
            "suspended;",
        ],
    )

    out, _err = run_import(path)

    assert out.strip() == "2 organisations imported."
    theatre = Organisation.objects.select_related("membership", "sector").get(name="Théâtre du Champsaur")
    assert (theatre.family, theatre.legal_form_id, theatre.naf, theatre.sector.slug) == (
        "association",
        "9220",
        "90.01Z",
        "culture",
    )
    assert theatre.membership.joined_on == dt.date(2021, 11, 26)
    cooperative = Organisation.objects.select_related("membership").get(name="Coopérative des Hautes Vallées")
    assert (cooperative.family, cooperative.membership.status) == ("cooperative", "suspended")


def test_it_reads_a_file_saved_by_excel_in_windows_1252(actors: Actors, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["Nom;Famille;Commune", "Fête des Écrins;association;05023"], encoding="cp1252")

    run_import(path)

    assert Organisation.objects.filter(name="Fête des Écrins").exists()


def test_it_imports_an_xlsx_file_with_numbers_typed_as_numbers(actors: Actors, tmp_path: Path) -> None:
    path = tmp_path / "organisations.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["Nom", "Famille", "Commune", "SIRET", "Code postal", "Salariés", "Bénévoles"],
                ["Ferme de Saint-Bonnet", "association", "05061", 73282932000074, "05000", 4, 25],
                # A spreadsheet stores 05023 as the number 5023.
                ["Épicerie solidaire", "other_company", 5023, None, 5100, None, None],
            ]
        )
    )

    out, _err = run_import(path)

    assert out.strip() == "2 organisations imported."
    ferme = Organisation.objects.get(name="Ferme de Saint-Bonnet")
    assert (ferme.siret, ferme.postal_code, ferme.employees, ferme.volunteers) == ("73282932000074", "05000", 4, 25)
    epicerie = Organisation.objects.get(name="Épicerie solidaire")
    assert (epicerie.commune_id, epicerie.postal_code) == ("05023", "05100")


def test_every_imported_organisation_is_audited_under_the_coordinator(actors: Actors, tmp_path: Path) -> None:
    run_import(csv_file(tmp_path, ["name,family,commune", *many_rows(3)]))

    events = AuditEvent.objects.filter(action__startswith="organisation.")
    assert sorted(events.values_list("action", flat=True)) == ["organisation.create"] * 3 + ["organisation.import"]
    assert {event.actor for event in events} == {actors.coordinator}


# --- Refusals ------------------------------------------------------------------------------


def test_one_bad_cell_among_many_writes_nothing_and_is_reported(actors: Actors, tmp_path: Path) -> None:
    rows = many_rows(12)
    rows[5] = f"Structure 05,association,05061,{BAD_LUHN_SIRET}"
    path = csv_file(tmp_path, ["name,family,commune,siret", *rows])

    lines = refused_import(path)

    assert lines == [
        f"row 7, column siret, value {BAD_LUHN_SIRET}: SIRET is not valid: its check digit (Luhn key) is wrong."
    ]
    assert nothing_written()


def test_it_reports_every_bad_cell_of_every_row(actors: Actors, tmp_path: Path) -> None:
    rows = [f"{line},94.99Z" for line in many_rows(10)]
    rows[2] = f"Structure 02,association,05061,{BAD_LUHN_SIRET},94.99Z"
    rows[6] = f"Structure 06,club,05061,{siret(6)},949Z"
    rows[8] = f",association,05061,{siret(8)},94.99Z"
    path = csv_file(tmp_path, ["name,family,commune,siret,naf", *rows])

    lines = refused_import(path)

    assert lines == [
        f"row 4, column siret, value {BAD_LUHN_SIRET}: SIRET is not valid: its check digit (Luhn key) is wrong.",
        "row 8, column family, value club: Select a valid choice. club is not one of the available choices.",
        "row 8, column naf, value 949Z: The NAF/APE code must be 4 digits and a letter, such as 94.99Z.",
        "row 10, column name, value : This field is required.",
    ]
    assert nothing_written()


def test_it_reports_a_siret_that_appears_twice_in_the_file(actors: Actors, tmp_path: Path) -> None:
    rows = many_rows(5)
    rows[3] = f"Structure 03,association,05061,{siret(0)}"
    path = csv_file(tmp_path, ["name,family,commune,siret", *rows])

    lines = refused_import(path)

    assert lines == [f"row 5, column siret, value {siret(0)}: Same value as row 2 of this file."]
    assert nothing_written()


def test_it_reports_a_siret_already_registered(actors: Actors, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["name,family,commune,siret", f"Doublon,cooperative,05023,{actors.org_b.siret}"])

    lines = refused_import(path)

    assert lines == [
        f"row 2, column siret, value {actors.org_b.siret}: An organisation with this SIRET is already registered."
    ]


def test_it_reports_an_unknown_column(actors: Actors, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["name,family,commune,colour", "Structure 00,association,05061,vert"])

    lines = refused_import(path)

    assert lines == ["row 1, column colour, value colour: Unknown column (column 4)."]
    assert nothing_written()


def test_it_reports_a_missing_required_column(actors: Actors, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["name,siret", f"Structure 00,{siret(0)}"])

    lines = refused_import(path)

    assert lines == [
        "row 1, column family, value : This required column is missing.",
        "row 1, column commune, value : This required column is missing.",
    ]
    assert nothing_written()


def test_it_refuses_a_file_with_a_header_and_no_row(actors: Actors, tmp_path: Path) -> None:
    lines = refused_import(csv_file(tmp_path, ["name,family,commune"]))

    assert lines == ["row 2: The file has a header but no row."]


def test_it_refuses_a_damaged_spreadsheet(actors: Actors, tmp_path: Path) -> None:
    path = tmp_path / "organisations.xlsx"
    path.write_bytes(b"not a zip file")

    lines = refused_import(path)

    assert lines == ["row 1: The file cannot be read as an XLSX spreadsheet."]


# --- Who imports ---------------------------------------------------------------------------


def test_it_imports_as_the_coordinator_named(actors: Actors, tmp_path: Path) -> None:
    second = User.objects.create_user(email="coordo2@example.org", full_name="Irène Jacob", password="x")
    HubRole.objects.create(user=second, role=HubRole.Role.COORDINATOR)

    run_import(csv_file(tmp_path, ["name,family,commune", *many_rows(1)]), "--as", "Coordo2@example.org")

    assert AuditEvent.objects.get(action="organisation.import").actor == second


def test_it_refuses_to_import_as_someone_who_is_not_a_coordinator(actors: Actors, tmp_path: Path) -> None:
    path = csv_file(tmp_path, ["name,family,commune", *many_rows(1)])

    with pytest.raises(CommandError, match="not a coordinator"):
        run_import(path, "--as", "admin.a@example.org")
    with pytest.raises(CommandError, match="No active account"):
        run_import(path, "--as", "nobody@example.org")
    assert nothing_written()


def test_it_needs_a_coordinator_account_to_import(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No coordinator account"):
        run_import(csv_file(tmp_path, ["name,family,commune", *many_rows(1)]))

    assert not Organisation.objects.exists()


def test_it_shows_its_progress_row_by_row(actors: Actors, tmp_path: Path) -> None:
    from cordee.network.management.commands import import_organisations as command

    with mock.patch.object(command, "tqdm", side_effect=lambda rows, **kwargs: rows) as bar:
        run_import(csv_file(tmp_path, ["name,family,commune", *many_rows(4)]))

    assert bar.call_args.kwargs["total"] == 4
    assert bar.call_args.kwargs["disable"] is None, "hidden when the output is not a terminal"


# --- The web page ------------------------------------------------------------------------------


def upload(client: Client, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(reverse("network:import"), {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_the_coordinator_imports_a_file_from_the_web_page(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    content = "\n".join(["Nom;Famille;Commune", "Structure 00;association;05061", "Structure 01;mutuelle;05023"])

    response = upload(client_for(actors.coordinator), "membres.csv", content.encode())

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("network:directory")
    assert sorted(Organisation.objects.filter(name__startswith="Structure").values_list("family", flat=True)) == [
        "association",
        "mutual",
    ]


def test_the_web_page_lists_every_refused_cell_and_writes_nothing(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    rows = many_rows(6)
    rows[1] = f"Structure 01,association,05061,{BAD_LUHN_SIRET}"
    rows[4] = f"Structure 04,association,99999,{siret(4)}"
    content = "\n".join(["name,family,commune,siret", *rows]).encode()

    response = upload(client_for(actors.coordinator), "membres.csv", content)

    assert response.status_code == 200
    report = response.context["report"]
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (3, "siret", BAD_LUHN_SIRET),
        (6, "commune", "99999"),
    ]
    page = response.content.decode()
    assert (
        f"<tr><td>3</td><td>siret</td><td>{BAD_LUHN_SIRET}</td>"
        "<td>SIRET is not valid: its check digit (Luhn key) is wrong.</td></tr>" in page
    )
    assert "<tr><td>6</td><td>commune</td><td>99999</td>" in page
    assert nothing_written()


def test_the_web_page_refuses_a_file_that_is_not_csv_or_xlsx(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    response = upload(client_for(actors.coordinator), "membres.pdf", b"%PDF-1.4")

    assert response.status_code == 200
    assert "The file must be a .csv or .xlsx file." in response.content.decode()


@pytest.mark.parametrize("who", ["member_admin_a", "member_user_a", "treasurer", "outsider"])
def test_the_import_page_is_only_for_the_coordinator(actors: Actors, client_for, who: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(getattr(actors, who))
    content = "\n".join(["name,family,commune", *many_rows(1)]).encode()

    assert client.get(reverse("network:import")).status_code == 403
    assert upload(client, "membres.csv", content).status_code == 403
    assert nothing_written()


def test_a_visitor_is_sent_to_log_in_before_importing(db, client: Client) -> None:
    response = client.get(reverse("network:import"))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))
