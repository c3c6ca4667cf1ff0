"""The directory: search, filters, pages, and who sees which block of an organisation, everywhere it shows."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Affiliation, Commune, LegalForm, Organisation, Sector, Visibility
from cordee.network.selectors import directory_organisations


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"


def listed(client: Client, **params: str) -> list[str]:
    response = client.get(reverse("network:directory"), params)
    assert response.status_code == 200
    return [organisation.name for organisation in response.context["page"]]


# --- Search and filters ------------------------------------------------------------------


@pytest.mark.parametrize("words", ["ecole", "ÉCOLE", "École", "  eCoLe   cimes ", "cimes"])
def test_search_ignores_accents_and_case(db, client: Client, words: str) -> None:
    make_organisation("École des Cimes")
    make_organisation("Refuge du Pelvoux")

    assert listed(client, q=words) == ["École des Cimes"]


def test_search_needs_every_word(db, client: Client) -> None:
    make_organisation("École des Cimes")
    make_organisation("École du Vent")

    assert listed(client, q="ecole vent") == ["École du Vent"]
    assert listed(client, q="ecole") == ["École des Cimes", "École du Vent"]


def test_filters_by_commune_family_and_sector(db, client: Client) -> None:
    culture = Sector.objects.get(slug="culture")
    make_organisation("Théâtre de Gap", commune="05061", family="association", sector=culture)
    make_organisation("Scop des Écrins", commune="05023", family="cooperative")
    make_organisation("Musée de Briançon", commune="05023", family="local_authority", sector=culture)

    assert listed(client, commune="05023") == ["Musée de Briançon", "Scop des Écrins"]
    assert listed(client, family="cooperative") == ["Scop des Écrins"]
    assert listed(client, sector="culture") == ["Musée de Briançon", "Théâtre de Gap"]
    assert listed(client, sector="culture", commune="05061") == ["Théâtre de Gap"]


def test_filters_by_legal_form_only_where_the_viewer_may_see_it(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    association = LegalForm.objects.get(code="9220")
    make_organisation("Association ouverte", legal_form=association)
    make_organisation("Association discrète", legal_form=association, identifiers_visibility=Visibility.MEMBERS)
    make_organisation("SCOP", legal_form=LegalForm.objects.get(code="5458"))

    assert listed(client_for(None), legal_form="9220") == ["Association ouverte"]
    assert listed(client_for(actors.member_admin_b), legal_form="9220") == [
        "Association discrète",
        "Association ouverte",
    ]


def test_pages_hold_twenty_organisations(db, client: Client) -> None:
    for n in range(25):
        make_organisation(f"Structure {n:02d}")

    first = client.get(reverse("network:directory"))
    second = client.get(reverse("network:directory"), {"page": "2"})

    assert first.context["page"].paginator.count == 25
    assert [o.name for o in first.context["page"]] == [f"Structure {n:02d}" for n in range(20)]
    assert first.content.decode().count('<li class="card">') == 20
    assert 'rel="next"' in first.content.decode()
    assert [o.name for o in second.context["page"]] == [f"Structure {n:02d}" for n in range(20, 25)]


def test_the_next_page_keeps_the_search(db, client: Client) -> None:
    for n in range(22):
        make_organisation(f"Ferme {n:02d}")

    page = client.get(reverse("network:directory"), {"q": "ferme"}).content.decode()

    assert "?q=ferme&amp;page=2" in page


@pytest.mark.parametrize("status", ["candidate", "suspended", "left", "rejected"])
def test_only_active_members_are_listed(actors: Actors, client_for, status: str) -> None:  # type: ignore[no-untyped-def]
    make_organisation("Membre actif")
    make_organisation("Pas membre actif", status=status)

    for viewer in (None, actors.member_admin_b, actors.coordinator):
        names = listed(client_for(viewer))
        assert "Membre actif" in names
        assert "Pas membre actif" not in names


# --- Visibility --------------------------------------------------------------------------


@pytest.fixture
def jardins(actors: Actors) -> Organisation:
    """Organisation A, listed publicly with its presentation; contact and figures for members; identifiers private."""
    org = actors.org_a
    org.listing_visibility = Visibility.PUBLIC
    org.profile_visibility = Visibility.PUBLIC
    org.contact_visibility = Visibility.MEMBERS
    org.figures_visibility = Visibility.MEMBERS
    org.identifiers_visibility = Visibility.PRIVATE
    org.description = "Maraîchage biologique et chantier d'insertion."
    org.email = "bonjour@jardins-du-buech.example"
    org.phone = "04 92 58 12 34"
    org.address = "Chemin des Serres"
    org.save()
    return org


SECRETS_OF_MEMBERS = ("bonjour@jardins-du-buech.example", "04 92 58 12 34", "Chemin des Serres")


def secrets_of_the_organisation(org: Organisation) -> tuple[str, ...]:
    return (org.siren, org.siret)


def csv_row(client: Client, name: str) -> dict[str, str]:
    response = client.get(reverse("network:export", args=["csv"]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return next(row for row in rows if row["Nom"] == name)


def xlsx_row(client: Client, name: str) -> dict[str, Any]:
    response = client.get(reverse("network:export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return next(dict(zip(header, row, strict=True)) for row in rows if row[0] == name)


def api_item(client: Client, org: Organisation) -> dict[str, Any]:
    response = client.get(f"/api/v1/organisations/{org.pk}")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_a_visitor_sees_only_the_public_blocks_on_the_page(jardins: Organisation, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(None).get(jardins.get_absolute_url()).content.decode()

    assert "Maraîchage biologique" in page
    for hidden in (*SECRETS_OF_MEMBERS, *secrets_of_the_organisation(jardins)):
        assert hidden not in page
    for section in ("h-contact", "h-ids", "h-figures", "h-people", "h-fees"):
        assert f'id="{section}"' not in page


def test_a_visitor_sees_only_the_public_blocks_in_the_exports(jardins: Organisation, client_for) -> None:  # type: ignore[no-untyped-def]
    visitor = client_for(None)

    row = csv_row(visitor, jardins.name)
    assert row["Description"] == jardins.description
    assert row["Commune"] == "Gap"
    for column in ("Courriel", "Téléphone", "Adresse", "SIREN", "SIRET", "Salariés", "Bénévoles"):
        assert row[column] == "", column
    cells = xlsx_row(visitor, jardins.name)
    assert cells["Description"] == jardins.description
    for column in ("Courriel", "Téléphone", "Adresse", "SIREN", "SIRET", "Salariés", "Bénévoles"):
        assert cells[column] in (None, ""), column


def test_a_visitor_gets_only_the_public_fields_from_the_api(jardins: Organisation, client_for) -> None:  # type: ignore[no-untyped-def]
    item = api_item(client_for(None), jardins)

    assert item["description"] == jardins.description
    assert item["name"] == jardins.name
    for absent in ("email", "phone", "address", "siren", "siret", "rna", "legal_form", "employees", "volunteers"):
        assert absent not in item, absent


def test_a_fellow_member_sees_the_blocks_shown_to_members(jardins: Organisation, actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    fellow = client_for(actors.member_admin_b)

    page = fellow.get(jardins.get_absolute_url()).content.decode()
    for shown in SECRETS_OF_MEMBERS:
        assert shown in page
    assert 'id="h-figures"' in page
    for hidden in secrets_of_the_organisation(jardins):
        assert hidden not in page
    assert 'id="h-people"' not in page
    row = csv_row(fellow, jardins.name)
    assert (row["Courriel"], row["Salariés"], row["SIREN"]) == (jardins.email, "3", "")
    cells = xlsx_row(fellow, jardins.name)
    assert (cells["Courriel"], cells["Salariés"], cells["SIREN"]) == (jardins.email, 3, None)
    item = api_item(fellow, jardins)
    assert (item["email"], item["employees"]) == (jardins.email, 3)
    assert "siren" not in item


def test_the_organisation_s_own_people_see_everything(jardins: Organisation, actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    own = client_for(actors.member_user_a)

    page = own.get(jardins.get_absolute_url()).content.decode()
    for shown in (*SECRETS_OF_MEMBERS, *secrets_of_the_organisation(jardins), "Bernard Roux"):
        assert shown in page
    assert csv_row(own, jardins.name)["SIRET"] == jardins.siret
    assert xlsx_row(own, jardins.name)["SIREN"] == jardins.siren
    assert api_item(own, jardins)["siret"] == jardins.siret


def test_a_private_listing_is_invisible_to_other_members(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    hidden = make_organisation("Refuge discret", visibility=Visibility.PRIVATE)
    Affiliation.objects.create(person=actors.outsider, organisation=hidden, role="admin")

    for viewer in (None, actors.member_admin_b, actors.member_user_a, actors.treasurer):
        client = client_for(viewer)
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/organisations/{hidden.pk}").status_code == 404
        assert "Refuge discret" not in listed(client)
        assert "Refuge discret" not in client.get(reverse("network:export", args=["csv"])).content.decode("utf-8-sig")
    assert client_for(actors.outsider).get(hidden.get_absolute_url()).status_code == 200
    assert client_for(actors.coordinator).get(hidden.get_absolute_url()).status_code == 200


def map_points(client: Client) -> list[dict[str, Any]]:
    page = client.get(reverse("network:map")).content.decode()
    match = re.search(r'<script id="map-points" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the map embeds its points with json_script"
    return json.loads(match[1])  # type: ignore[no-any-return]


def test_the_map_embeds_only_visible_organisations_that_have_coordinates(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    nowhere = Commune.objects.create(insee_code="05999", name="Hameau sans carte", search_name="hameau sans carte")
    make_organisation("Sans coordonnées", commune=nowhere.pk)
    make_organisation("Suspendue", status="suspended")

    visitor_points = map_points(client_for(None))
    member_points = map_points(client_for(actors.member_admin_b))

    assert [point["name"] for point in visitor_points] == ["Coopérative des Écrins"]
    assert visitor_points[0]["lat"] == pytest.approx(44.89943)
    assert visitor_points[0]["url"] == actors.org_b.get_absolute_url()
    assert [point["name"] for point in member_points] == ["Coopérative des Écrins", "Les Jardins du Buëch"]


# --- Editing the profile ------------------------------------------------------------------


def profile_post(org: Organisation, **overrides: str) -> dict[str, str]:
    data = {
        "name": org.name,
        "sector": "",
        "naf": "",
        "commune": org.commune_id,
        "address": "",
        "postal_code": "",
        "website": "",
        "email": org.email,
        "phone": org.phone,
        "description": org.description,
        "founding_year": "",
        "employees": "3",
        "volunteers": "12",
        "listing_visibility": org.listing_visibility,
        "profile_visibility": org.profile_visibility,
        "contact_visibility": org.contact_visibility,
        "identifiers_visibility": org.identifiers_visibility,
        "figures_visibility": org.figures_visibility,
    }
    data.update(overrides)
    return data


def test_a_member_admin_edits_the_profile_and_a_visitor_sees_it(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    org = actors.org_a
    assert client_for(None).get(org.get_absolute_url()).status_code == 404

    response = client_for(actors.member_admin_a).post(
        reverse("network:organisation_edit", args=[org.slug]),
        profile_post(
            org,
            description="Paniers de légumes bio chaque jeudi.",
            listing_visibility="public",
            profile_visibility="public",
        ),
    )

    assert response.status_code == 302
    assert response.headers["Location"] == org.get_absolute_url()
    page = client_for(None).get(org.get_absolute_url()).content.decode()
    assert "Paniers de légumes bio chaque jeudi." in page
    assert org.email not in page, "contact details stay for members"
    assert listed(client_for(None), q="legumes"), "a public description is searched"


def test_a_member_user_cannot_edit_the_profile(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    org = actors.org_a
    url = reverse("network:organisation_edit", args=[org.slug])
    client = client_for(actors.member_user_a)

    assert client.get(url).status_code == 403
    assert client.post(url, profile_post(org, description="Changé")).status_code == 403
    assert client_for(actors.member_admin_b).post(url, profile_post(org, description="Changé")).status_code == 403
    org.refresh_from_db()
    assert org.description == "Description of Les Jardins du Buëch"


# --- No query per row ------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    ["/annuaire/", "/api/v1/organisations", "/annuaire/export.csv", "/annuaire/carte/"],
)
@pytest.mark.parametrize("viewer", ["visitor", "member_admin_b"])
def test_lists_do_not_query_once_per_organisation(
    actors: Actors, client_for, django_assert_max_num_queries, url: str, viewer: str
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(actors.by_role()[viewer])
    sectors = list(Sector.objects.all())
    association = LegalForm.objects.get(code="9220")
    for n in range(5):
        make_organisation(f"Petite {n}", sector=sectors[n % len(sectors)], legal_form=association)
    with_few = _queries(client, url)

    for n in range(20):
        make_organisation(f"Grande {n}", sector=sectors[n % len(sectors)], legal_form=association)
    with django_assert_max_num_queries(12):
        with_many = _queries(client, url)

    assert with_many == with_few


def test_the_directory_sorts_names_as_a_reader_expects(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    for name in ("Recyclerie du Queyras", "École des Cimes", "épicerie solidaire", "Atelier vélo"):
        make_organisation(name)
    names = [org.name for org in directory_organisations(None)]
    assert names.index("Atelier vélo") < names.index("École des Cimes") < names.index("épicerie solidaire")
    assert names.index("épicerie solidaire") < names.index("Recyclerie du Queyras")
