"""The clearing API: compute, read, execute, the liquidity proposal and the consents, over HTTP with a
session, as a client would; amounts in cents."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cordee.clearing import services
from cordee.clearing.models import Consent, Run
from cordee.clearing.tests.support import consent, owe
from cordee.core.testing import Actors, make_organisation
from cordee.invoicing import services as invoicing
from cordee.invoicing.models import Invoice, Settlement
from cordee.ledger.models import Account, Transfer
from cordee.network.models import Organisation

pytestmark = pytest.mark.django_db

API = "/api/v1/clearing"


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def c(actors: Actors) -> Organisation:
    return make_organisation("Tiers-lieu du Champsaur")


@pytest.fixture
def triangle(actors: Actors, c: Organisation) -> dict[str, Invoice]:
    """A owes B 1 234,56 €, B owes C 800 €, C owes A 500 €: 500 € clears on each invoice."""
    for organisation in (actors.org_a, actors.org_b, c):
        consent(organisation, actors.coordinator)
    return {
        "ab": owe(actors.org_a, actors.org_b, 123_456, days_ago=40),
        "bc": owe(actors.org_b, c, 80_000, days_ago=35),
        "ca": owe(c, actors.org_a, 50_000, days_ago=30),
    }


def _suspense() -> Account:
    return Account.objects.get(ledger__code="EUR", number=services.SUSPENSE_ACCOUNT)


def test_the_coordinator_computes_reads_and_executes_a_run(
    actors: Actors, c: Organisation, triangle: dict[str, Invoice], client_for: Any
) -> None:
    coordinator = client_for(actors.coordinator)

    computed = post(coordinator, f"{API}/runs")

    assert computed.status_code == 201, computed.content
    run = computed.json()
    assert run["status"] == "proposed"
    assert (run["debt_cents"], run["cleared_cents"], run["invoice_count"], run["party_count"]) == (
        253_456,
        150_000,
        3,
        3,
    )
    assert run["cleared_share"] == "0.5918"
    assert {p["organisation_id"]: p["cleared_cents"] for p in run["positions"]} == {
        actors.org_a.pk: 50_000,
        actors.org_b.pk: 50_000,
        c.pk: 50_000,
    }
    assert {a["invoice_id"]: a["amount_cents"] for a in run["allocations"]} == {
        invoice.pk: 50_000 for invoice in triangle.values()
    }
    assert all(p["statement_url"] is None for p in run["positions"])
    # A proposal is the hub's business until it is executed.
    assert client_for(actors.member_admin_a).get(f"{API}/runs/{run['id']}").status_code == 404
    assert client_for(actors.member_admin_a).get(f"{API}/runs").json() == []

    executed = post(coordinator, f"{API}/runs/{run['id']}/execute")

    assert executed.status_code == 200, executed.content
    assert executed.json()["status"] == "executed"
    assert executed.json()["executed_on"] == timezone.localdate().isoformat()
    statuses = dict(Invoice.objects.filter(pk__in=[i.pk for i in triangle.values()]).values_list("pk", "status"))
    assert statuses == {triangle["ab"].pk: "issued", triangle["bc"].pk: "issued", triangle["ca"].pk: "paid"}
    settlements = Settlement.objects.filter(reference=f"clearing:{run['id']}")
    assert sorted(settlements.values_list("invoice_id", "kind", "amount_cents")) == sorted(
        (invoice.pk, "clearing", 50_000) for invoice in triangle.values()
    )
    suspense = _suspense()
    assert suspense.debits_posted == suspense.credits_posted == 150_000


def test_a_member_reads_only_its_own_position_and_invoices(
    actors: Actors, c: Organisation, triangle: dict[str, Invoice], client_for: Any
) -> None:
    run = services.run_execute(actor=actors.coordinator, run=services.run_compute(actor=actors.coordinator))
    member = client_for(actors.member_user_a)

    listed = member.get(f"{API}/runs")
    detail = member.get(f"{API}/runs/{run.pk}").json()

    assert [row["id"] for row in listed.json()] == [run.pk]
    assert detail["cleared_cents"] == 150_000  # the run's totals are every party's
    ((position,),) = [detail["positions"]]
    assert position == {
        "organisation_id": actors.org_a.pk,
        "organisation": actors.org_a.name,
        "owes_cents": 123_456,
        "owed_cents": 50_000,
        "cleared_cents": 50_000,
        "owes_after_cents": 73_456,
        "owed_after_cents": 0,
        "net_cents": -73_456,
        "statement_url": f"/compensation/operations/{run.pk}/releve/{actors.org_a.pk}.pdf",
    }
    assert {a["invoice_id"] for a in detail["allocations"]} == {triangle["ab"].pk, triangle["ca"].pk}
    # The treasurer sees every party.
    everyone = client_for(actors.treasurer).get(f"{API}/runs/{run.pk}").json()
    assert len(everyone["positions"]) == 3 and len(everyone["allocations"]) == 3


def test_a_stale_proposal_is_refused_with_409_and_writes_nothing(
    actors: Actors, triangle: dict[str, Invoice], client_for: Any
) -> None:
    run = services.run_compute(actor=actors.coordinator)
    paid = triangle["bc"]
    invoicing.invoice_record_payment(actor=actors.treasurer, invoice=paid, paid_on=timezone.localdate())
    transfers_before = Transfer.objects.count()

    refused = post(client_for(actors.coordinator), f"{API}/runs/{run.pk}/execute")

    assert refused.status_code == 409
    assert refused.json()["code"] == "stale"
    assert paid.number in refused.json()["detail"]
    run.refresh_from_db()
    assert run.status == Run.Status.PROPOSED
    assert not Settlement.objects.filter(reference=f"clearing:{run.pk}").exists()
    assert Transfer.objects.count() == transfers_before
    assert Invoice.objects.get(pk=triangle["ca"].pk).status == "issued"


def test_only_the_coordinator_computes_and_executes(
    actors: Actors, triangle: dict[str, Invoice], client_for: Any
) -> None:
    assert post(client_for(actors.treasurer), f"{API}/runs").status_code == 403
    run = services.run_compute(actor=actors.coordinator)
    refused = post(client_for(actors.treasurer), f"{API}/runs/{run.pk}/execute")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert post(client_for(actors.committee), f"{API}/runs").status_code == 403
    assert Run.objects.get(pk=run.pk).status == Run.Status.PROPOSED


def test_a_future_date_is_refused_naming_the_field(actors: Actors, client_for: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused = post(client_for(actors.coordinator), f"{API}/runs", {"as_of": tomorrow.isoformat()})
    assert refused.status_code == 422
    assert refused.json()["field"] == "as_of"
    assert not Run.objects.exists()


def test_the_liquidity_proposal_follows_the_chain_of_debts(
    actors: Actors, c: Organisation, triangle: dict[str, Invoice], client_for: Any
) -> None:
    # After clearing: A owes B 734,56 €, B owes C 300 €. 300 € lent to A pays B, and B pays C: 600 €
    # settled, two euros of debt per euro of the pool.
    run = services.run_compute(actor=actors.coordinator)

    answer = client_for(actors.treasurer).get(f"{API}/runs/{run.pk}/liquidity", {"cash_cents": 30_000})

    assert answer.status_code == 200, answer.content
    plan = answer.json()
    assert (plan["remaining_cents"], plan["settled_cents"], plan["cash_used_cents"]) == (103_456, 60_000, 30_000)
    assert plan["advances"] == [{"organisation_id": actors.org_a.pk, "amount_cents": 30_000}]
    assert {(p["debtor_id"], p["creditor_id"]): p["amount_cents"] for p in plan["payments"]} == {
        (actors.org_a.pk, actors.org_b.pk): 30_000,
        (actors.org_b.pk, c.pk): 30_000,
    }
    assert {p["invoice_id"]: p["amount_cents"] for p in plan["invoice_payments"]} == {
        triangle["ab"].pk: 30_000,
        triangle["bc"].pk: 30_000,
    }
    assert (plan["settled_per_euro"], plan["settled_per_euro_decimal"]) == ("2/1", "2.0000")
    assert client_for(actors.member_admin_a).get(f"{API}/runs/{run.pk}/liquidity?cash_cents=1").status_code == 403
    assert client_for(actors.coordinator).get(f"{API}/runs/{run.pk}/liquidity?cash_cents=-5").status_code == 422


def test_a_member_admin_signs_and_withdraws_its_consent(actors: Actors, client_for: Any) -> None:
    admin_a = client_for(actors.member_admin_a)

    signed = post(
        admin_a, f"{API}/consents", {"organisation_id": actors.org_a.pk, "signatory": "Bernard Roux, président"}
    )

    assert signed.status_code == 201, signed.content
    assert signed.json()["signed_on"] == timezone.localdate().isoformat()
    assert signed.json()["in_force"] is True
    again = post(admin_a, f"{API}/consents", {"organisation_id": actors.org_a.pk, "signatory": "Bernard Roux"})
    assert again.status_code == 409 and again.json()["code"] == "exists"
    earlier = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    backdated = post(
        client_for(actors.member_admin_b),
        f"{API}/consents",
        {"organisation_id": actors.org_b.pk, "signatory": "Chloé Blanc", "signed_on": earlier},
    )
    assert backdated.status_code == 422 and backdated.json()["field"] == "signed_on"
    assert post(admin_a, f"{API}/consents", {"organisation_id": actors.org_b.pk, "signatory": "X"}).status_code == 403
    assert post(admin_a, f"{API}/consents", {"organisation_id": 999_999, "signatory": "X"}).status_code == 404
    # The coordinator records a paper signature of an earlier day.
    paper = post(
        client_for(actors.coordinator),
        f"{API}/consents",
        {"organisation_id": actors.org_b.pk, "signatory": "Chloé Blanc", "signed_on": earlier},
    )
    assert paper.status_code == 201 and paper.json()["signed_on"] == earlier

    assert [row["organisation_id"] for row in admin_a.get(f"{API}/consents").json()] == [actors.org_a.pk]
    assert len(client_for(actors.treasurer).get(f"{API}/consents").json()) == 2

    withdrawn = post(admin_a, f"{API}/consents/{actors.org_a.pk}/withdraw")

    assert withdrawn.status_code == 200
    assert withdrawn.json()["in_force"] is False
    assert withdrawn.json()["withdrawn_on"] == timezone.localdate().isoformat()
    assert not Consent.objects.filter(organisation=actors.org_a, withdrawn_on__isnull=True).exists()
    assert client_for(actors.treasurer).get(f"{API}/consents", {"in_force": "true"}).json()[0]["organisation_id"] == (
        actors.org_b.pk
    )
    assert post(admin_a, f"{API}/consents/{actors.org_a.pk}/withdraw").status_code == 422


def test_visitors_are_asked_to_log_in(client: Client) -> None:
    assert client.get(f"{API}/runs").status_code == 401
