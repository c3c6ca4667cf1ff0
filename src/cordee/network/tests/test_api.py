"""GET /api/v1/organisations[/{id}]: the directory as JSON, with the same visibility as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Sector, Visibility

LIST = "/api/v1/organisations"


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_the_list_is_paginated_with_items_and_count(db, client: Client) -> None:
    for n in range(53):
        make_organisation(f"Structure {n:02d}")

    first = client.get(LIST).json()
    second = client.get(LIST, {"page": 2}).json()

    assert first["count"] == 53
    assert len(first["items"]) == 50
    assert [item["name"] for item in second["items"]] == ["Structure 50", "Structure 51", "Structure 52"]


def test_the_list_shows_a_visitor_only_public_listings_of_active_members(actors: Actors, client: Client) -> None:
    make_organisation("Candidate publique", status="candidate")
    make_organisation("Suspendue publique", status="suspended")

    response = client.get(LIST)

    assert names(response) == ["Coopérative des Écrins"]
    assert response.json()["count"] == 1


def test_the_list_shows_a_member_the_listings_for_members(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    make_organisation("Privée", visibility=Visibility.PRIVATE)

    assert names(client_for(actors.member_admin_b).get(LIST)) == ["Coopérative des Écrins", "Les Jardins du Buëch"]


def test_the_list_filters_like_the_directory(db, client: Client) -> None:
    culture = Sector.objects.get(slug="culture")
    make_organisation("École des Cimes", commune="05061", family="association", sector=culture)
    make_organisation("Scop des Écrins", commune="05023", family="cooperative")
    make_organisation("Musée de Briançon", commune="05023", family="local_authority", sector=culture)

    assert names(client.get(LIST, {"q": "ÉCOLE"})) == ["École des Cimes"]
    assert names(client.get(LIST, {"commune": "05023"})) == ["Musée de Briançon", "Scop des Écrins"]
    assert names(client.get(LIST, {"family": "cooperative"})) == ["Scop des Écrins"]
    # Sorted here: where "É" falls among the letters depends on the database's collation.
    assert sorted(names(client.get(LIST, {"sector": "culture"}))) == ["Musée de Briançon", "École des Cimes"]
    assert names(client.get(LIST, {"sector": "culture", "family": "association"})) == ["École des Cimes"]


@pytest.mark.parametrize(("params", "field"), [({"family": "sect"}, "family"), ({"q": "x" * 101}, "q")])
def test_an_invalid_filter_is_a_422_naming_the_field(db, client: Client, params: dict[str, str], field: str) -> None:
    response = client.get(LIST, params)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["errors"][0]["message"]


def test_one_organisation_shows_a_visitor_only_its_public_fields(actors: Actors, client: Client) -> None:
    org = actors.org_b
    org.contact_visibility = Visibility.MEMBERS
    org.identifiers_visibility = Visibility.PRIVATE
    org.save()

    response = client.get(f"{LIST}/{org.pk}")

    assert response.status_code == 200
    item = response.json()
    assert item["id"] == org.pk
    assert item["name"] == "Coopérative des Écrins"
    assert item["family"] == "cooperative"
    assert item["commune"]["insee_code"] == "05023"
    assert item["description"] == org.description
    assert item["employees"] == 3
    for absent in ("email", "phone", "address", "postal_code", "siren", "siret", "rna", "naf", "legal_form"):
        assert absent not in item, absent


def test_one_organisation_shows_its_own_people_every_field(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    item = client_for(actors.member_user_a).get(f"{LIST}/{actors.org_a.pk}").json()

    assert (item["siren"], item["siret"], item["email"]) == (actors.org_a.siren, actors.org_a.siret, actors.org_a.email)


def test_an_organisation_not_listed_for_the_caller_is_a_404(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    candidate = make_organisation("Candidate", status="candidate")

    for url in (f"{LIST}/{actors.org_a.pk}", f"{LIST}/{candidate.pk}", f"{LIST}/999999"):
        response = client_for(None).get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}
    assert client_for(actors.member_admin_b).get(f"{LIST}/{actors.org_a.pk}").status_code == 200
    assert client_for(actors.member_admin_b).get(f"{LIST}/{candidate.pk}").status_code == 404


def test_the_openapi_document_describes_both_endpoints(db, client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert {"/api/v1/organisations", "/api/v1/organisations/{organisation_id}"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert {"OrganisationOut", "PagedOrganisationOut", "CommuneOut", "ErrorOut"} <= set(schemas)
    assert {"id", "name", "siren", "commune", "employees"} <= set(schemas["OrganisationOut"]["properties"])
    assert {"items", "count"} <= set(schemas["PagedOrganisationOut"]["properties"])
    parameters = {p["name"] for p in document["paths"]["/api/v1/organisations"]["get"]["parameters"]}
    assert {"q", "commune", "family", "sector", "legal_form", "page"} <= parameters
    one = document["paths"]["/api/v1/organisations/{organisation_id}"]["get"]["responses"]
    assert {"200", "404"} <= set(one)
