"""GET /api/v1/invoices[/{id}]: the invoices a person may see, as the pages show them."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.invoicing import services
from cordee.invoicing.tests.support import MARCH_31, draft, issued, line, worked_example_lines

LIST = "/api/v1/invoices"


def detail(invoice_id: int) -> str:
    return f"/api/v1/invoices/{invoice_id}"


def test_the_routes_have_the_expected_names() -> None:
    assert reverse("api-v1:list_invoices") == LIST
    assert reverse("api-v1:get_invoice", args=[7]) == detail(7)


def test_anonymous_callers_are_refused(actors: Actors, client: Client) -> None:
    invoice = issued(actors)

    assert client.get(LIST).status_code == 401
    assert client.get(detail(invoice.pk)).status_code == 401


def test_a_person_of_no_member_gets_no_list(actors: Actors, client_for: Any) -> None:
    assert client_for(actors.outsider).get(LIST).status_code == 403
    assert client_for(actors.committee).get(LIST).status_code == 403


def test_the_list_shows_a_member_its_invoices_with_direction_and_filters(actors: Actors, client_for: Any) -> None:
    to_collect = issued(actors, issuer="a", recipient="b")
    to_pay = issued(actors, issuer="hub", recipient="a")
    services.invoice_record_payment(actor=actors.treasurer, invoice=to_pay, paid_on=MARCH_31)
    issued(actors, issuer="hub", recipient="b")  # not A's
    draft(actors, issuer="b", recipient="a")  # B's draft: not sent
    client = client_for(actors.member_user_a)

    everything = client.get(LIST).json()
    paid = client.get(LIST, {"status": "paid"}).json()
    collect = client.get(LIST, {"direction": "to_collect"}).json()

    assert everything["count"] == 2
    first = next(item for item in everything["items"] if item["id"] == to_collect.pk)
    assert first == {
        "id": to_collect.pk,
        "kind": "invoice",
        "status": "issued",
        "number": "F-2026-00001",
        "issuer": {"id": actors.org_a.pk, "name": "Les Jardins du Buëch"},
        "recipient": {"id": actors.org_b.pk, "name": "Coopérative des Écrins"},
        "direction": "to_collect",
        "issue_date": "2026-03-02",
        "due_date": "2026-03-31",
        "paid_on": None,
        "total_excl_vat_cents": 10000,
        "vat_cents": 2000,
        "total_incl_vat_cents": 12000,
        "cancels_id": None,
        "credit_note_id": None,
    }
    assert [(item["id"], item["issuer"], item["direction"], item["paid_on"]) for item in paid["items"]] == [
        (to_pay.pk, {"id": None, "name": "Altitudes Coopérantes"}, "to_pay", "2026-03-31")
    ]
    assert [item["id"] for item in collect["items"]] == [to_collect.pk]


def test_bad_filters_are_refused_with_the_field_named(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.member_admin_a).get(LIST, {"status": "lost", "direction": "sideways"})

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"status", "direction"} <= fields


def test_the_detail_has_lines_and_totals(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors, lines=worked_example_lines())
    note = services.credit_note_create(actor=actors.member_admin_a, invoice=invoice, reason="Erreur")

    body = client_for(actors.member_admin_b).get(detail(invoice.pk)).json()
    note_body = client_for(actors.member_admin_b).get(detail(note.pk)).json()

    assert (body["status"], body["direction"], body["credit_note_id"]) == ("cancelled", "to_pay", note.pk)
    assert body["lines"][0] == {
        "label": "Animation d'atelier (heures)",
        "quantity": "3.50",
        "unit_price_cents": 2347,
        "vat_rate": 2000,
        "vat_exemption": None,
        "total_excl_vat_cents": 8215,
        "vat_cents": 1643,
    }
    assert body["lines"][2]["vat_exemption"] == "Exonération de TVA, art. 261-4-4° a du CGI"
    assert body["vat_by_rate"] == [
        {"vat_rate": 2000, "base_cents": 8215, "vat_cents": 1643},
        {"vat_rate": 550, "base_cents": 10680, "vat_cents": 587},
        {"vat_rate": 0, "base_cents": 100000, "vat_cents": 0},
    ]
    assert (body["total_excl_vat_cents"], body["vat_cents"], body["total_incl_vat_cents"]) == (118895, 2230, 121125)
    assert (note_body["kind"], note_body["cancels_id"], note_body["reason"]) == ("credit_note", invoice.pk, "Erreur")


def test_the_detail_is_404_for_those_who_may_not_see_it(actors: Actors, client_for: Any) -> None:
    a_draft = draft(actors, lines=[line()])
    hub_to_b = issued(actors, issuer="hub", recipient="b")

    assert client_for(actors.member_admin_b).get(detail(a_draft.pk)).status_code == 404
    assert client_for(actors.member_user_a).get(detail(hub_to_b.pk)).status_code == 404
    assert client_for(actors.outsider).get(detail(hub_to_b.pk)).json() == {"detail": "Not found."}
    assert client_for(actors.member_admin_b).get(detail(999999)).status_code == 404
    assert client_for(actors.coordinator).get(detail(a_draft.pk)).status_code == 200


def test_the_openapi_document_describes_the_invoices(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["paths"]["/api/v1/invoices"]["get"]["operationId"] == "list_invoices"
    assert schema["paths"]["/api/v1/invoices/{invoice_id}"]["get"]["operationId"] == "get_invoice"
    assert "InvoiceDetailOut" in schema["components"]["schemas"]


def test_the_list_costs_the_same_queries_for_many_invoices(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_admin_a)
    issued(actors)
    draft(actors)
    client.get(LIST)

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(5):
        issued(actors, issuer="hub", recipient="a")
        draft(actors, recipient="hub")
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).json()["count"] == 12

    assert len(many) == len(few)
