"""The clearing pages end to end: the coordinator computes, reads and executes a proposal; a member
reads its own position and nobody else's; consents are signed and withdrawn; the pool's cash is
shown where it settles the most — through the web, as people do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cordee.clearing import services
from cordee.clearing.models import Consent, Run
from cordee.clearing.tests.support import consent, owe
from cordee.core.money import format_cents
from cordee.core.testing import Actors, make_actors, make_organisation
from cordee.invoicing import services as invoicing
from cordee.invoicing.models import Invoice, Settlement
from cordee.ledger.models import Transfer
from cordee.network.models import Organisation

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@dataclass
class Triangle:
    """A owes B 100 €, B owes C 80 €, C owes A 50 €: 50 € clears on each edge, 150 € of 230 €."""

    actors: Actors
    c: Organisation
    ab: Invoice
    bc: Invoice
    ca: Invoice


@pytest.fixture
def triangle() -> Triangle:
    actors = make_actors()
    c = make_organisation("Tiers-lieu du Champsaur")
    for organisation in (actors.org_a, actors.org_b, c):
        consent(organisation, actors.coordinator)
    return Triangle(
        actors=actors,
        c=c,
        ab=owe(actors.org_a, actors.org_b, 10_000, days_ago=40),
        bc=owe(actors.org_b, c, 8_000),
        ca=owe(c, actors.org_a, 5_000),
    )


def _compute(t: Triangle) -> Run:
    return services.run_compute(actor=t.actors.coordinator)


def _executed(t: Triangle) -> Run:
    return services.run_execute(actor=t.actors.coordinator, run=_compute(t))


# --- Computing and reading a proposal ----------------------------------------------------


def test_the_coordinator_computes_a_triangle_and_reads_the_proposal(triangle):
    client = client_for(triangle.actors.coordinator)
    response = client.post(reverse("clearing:run_compute"), {"as_of": timezone.localdate().isoformat()})
    run = Run.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("clearing:run", args=[run.pk])
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert (page.context["run"].debt_cents, page.context["run"].cleared_cents) == (23_000, 15_000)
    assert (page.context["whole_count"], page.context["part_count"]) == (1, 2)
    assert page.context["can_execute"] and page.context["stale"] is None
    content = page.content.decode()
    assert format_cents(15_000) in content
    assert "65,2" in content  # 150 € of 230 €
    positions = {
        p.organisation_id: (p.owes_cents, p.owed_cents, p.cleared_cents) for p in page.context["positions_page"]
    }
    assert positions == {
        triangle.actors.org_a.pk: (10_000, 5_000, 5_000),
        triangle.actors.org_b.pk: (8_000, 10_000, 5_000),
        triangle.c.pk: (5_000, 8_000, 5_000),
    }
    left = {a.invoice_id: (a.open_cents, a.amount_cents, a.left_cents) for a in page.context["allocations_page"]}
    assert left == {
        triangle.ab.pk: (10_000, 5_000, 5_000),
        triangle.bc.pk: (8_000, 5_000, 3_000),
        triangle.ca.pk: (5_000, 5_000, 0),
    }
    assert reverse("clearing:run_execute", args=[run.pk]) in content


def test_the_home_page_shows_the_proposal_and_the_totals_of_executed_runs(triangle):
    executed = _executed(triangle)
    owe(triangle.actors.org_b, triangle.actors.org_a, 2_000)
    proposal = _compute(triangle)
    response = client_for(triangle.actors.treasurer).get(reverse("clearing:home"))
    assert response.status_code == 200
    assert response.context["proposal"] == proposal
    assert response.context["totals"] == {"runs": 1, "cleared": 15_000, "invoices": 3}
    assert list(response.context["page"].object_list) == [proposal, executed]
    # The treasurer reads; only the coordinator computes.
    assert reverse("clearing:run_compute") not in response.content.decode()
    coordinator = client_for(triangle.actors.coordinator).get(reverse("clearing:home"))
    assert reverse("clearing:run_compute") in coordinator.content.decode()


def test_a_refused_computation_names_the_date_and_writes_nothing(triangle):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(triangle.actors.coordinator).post(
        reverse("clearing:run_compute"), {"as_of": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert "as_of" in response.context["compute_form"].errors
    assert not Run.objects.exists()


# --- What a member sees ------------------------------------------------------------------


def test_a_member_sees_its_own_position_and_invoices_only(triangle):
    run = _executed(triangle)
    client = client_for(triangle.actors.member_admin_b)
    response = client.get(reverse("clearing:run", args=[run.pk]))
    assert response.status_code == 200
    positions = list(response.context["positions_page"])
    assert [(p.organisation_id, p.owes_cents, p.owed_cents, p.cleared_cents) for p in positions] == [
        (triangle.actors.org_b.pk, 8_000, 10_000, 5_000)
    ]
    assert {a.invoice_id for a in response.context["allocations_page"]} == {triangle.ab.pk, triangle.bc.pk}
    content = response.content.decode()
    assert triangle.ca.get_absolute_url() not in content
    assert triangle.c.name not in content.split('id="positions"')[1].split("</table>")[0]
    home = client.get(reverse("clearing:home"))
    assert [p.organisation_id for p in home.context["positions"]] == [triangle.actors.org_b.pk]
    assert "proposal" not in home.context and "page" not in home.context
    assert reverse("clearing:statement", args=[run.pk, triangle.actors.org_b.pk]) in home.content.decode()


def test_a_member_never_sees_a_proposal(triangle):
    proposal = _compute(triangle)
    client = client_for(triangle.actors.member_user_a)
    assert client.get(reverse("clearing:run", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("clearing:liquidity", args=[proposal.pk])).status_code == 403
    services.run_execute(actor=triangle.actors.coordinator, run=proposal)
    assert client.get(reverse("clearing:run", args=[proposal.pk])).status_code == 200


def test_a_member_never_sees_a_run_it_took_no_part_in():
    actors = make_actors()
    c = make_organisation("Tiers-lieu du Champsaur")
    for organisation in (actors.org_a, actors.org_b, c):
        consent(organisation, actors.coordinator)
    owe(actors.org_b, c, 1_000)
    owe(c, actors.org_b, 1_000)
    run = services.run_execute(actor=actors.coordinator, run=services.run_compute(actor=actors.coordinator))
    assert client_for(actors.member_admin_a).get(reverse("clearing:run", args=[run.pk])).status_code == 404
    assert client_for(actors.member_admin_b).get(reverse("clearing:run", args=[run.pk])).status_code == 200
    home = client_for(actors.member_admin_a).get(reverse("clearing:home"))
    assert list(home.context["positions"]) == []


# --- Executing ---------------------------------------------------------------------------


def test_the_coordinator_executes_the_proposal_from_the_web(triangle):
    run = _compute(triangle)
    response = client_for(triangle.actors.coordinator).post(reverse("clearing:run_execute", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == Run.Status.EXECUTED
    triangle.ca.refresh_from_db()
    assert triangle.ca.status == Invoice.Status.PAID
    assert Settlement.objects.filter(reference=f"clearing:{run.pk}").count() == 3


def test_execute_refuses_a_stale_proposal_and_writes_nothing(triangle):
    run = _compute(triangle)
    invoicing.invoice_record_payment(actor=triangle.actors.treasurer, invoice=triangle.ca, paid_on=timezone.localdate())
    client = client_for(triangle.actors.coordinator)
    page = client.get(reverse("clearing:run", args=[run.pk]))
    assert page.context["stale"] and not page.context["can_execute"]
    content = page.content.decode()
    assert reverse("clearing:run_execute", args=[run.pk]) not in content
    assert triangle.ca.number in page.context["stale"]
    transfers = Transfer.objects.count()
    response = client.post(reverse("clearing:run_execute", args=[run.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("clearing:run", args=[run.pk])
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    run.refresh_from_db()
    assert run.status == Run.Status.PROPOSED
    assert not Settlement.objects.exists()
    assert Transfer.objects.count() == transfers
    # Computing again clears what is left: nothing, the triangle is broken.
    again = client.post(reverse("clearing:run_compute"), {"as_of": run.as_of.isoformat()})
    assert again.status_code == 302
    assert Run.objects.get(status=Run.Status.PROPOSED).cleared_cents == 0


def test_only_the_coordinator_executes(triangle):
    run = _compute(triangle)
    response = client_for(triangle.actors.treasurer).post(reverse("clearing:run_execute", args=[run.pk]))
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == Run.Status.PROPOSED


# --- Consents ----------------------------------------------------------------------------


def test_a_member_admin_signs_and_withdraws_the_agreement():
    actors = make_actors()
    client = client_for(actors.member_admin_a)
    url = reverse("clearing:consent_sign", args=[actors.org_a.pk])
    response = client.post(url, {"signatory": "Bernard Roux, président"})
    assert response.status_code == 302
    signed = Consent.objects.get(organisation=actors.org_a)
    assert (signed.signatory, signed.signed_on, signed.signed_by) == (
        "Bernard Roux, président",
        timezone.localdate(),
        actors.member_admin_a,
    )
    home = client.get(reverse("clearing:home"))
    assert home.context["organisations"][0]["consent"] == signed
    response = client.post(reverse("clearing:consent_withdraw", args=[actors.org_a.pk]))
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.withdrawn_on == timezone.localdate()


def test_a_member_user_may_neither_sign_nor_withdraw():
    actors = make_actors()
    client = client_for(actors.member_user_a)
    assert (
        client.post(reverse("clearing:consent_sign", args=[actors.org_a.pk]), {"signatory": "Alice"}).status_code == 403
    )
    assert not Consent.objects.exists()
    consent(actors.org_a, actors.coordinator)
    assert client.post(reverse("clearing:consent_withdraw", args=[actors.org_a.pk])).status_code == 403
    assert Consent.objects.get().in_force
    # Nor may the admin of another member.
    other = client_for(actors.member_admin_b)
    assert other.post(reverse("clearing:consent_withdraw", args=[actors.org_a.pk])).status_code == 403


def test_the_coordinator_records_a_paper_signature_and_a_future_date_is_refused():
    actors = make_actors()
    client = client_for(actors.coordinator)
    url = reverse("clearing:consent_sign", args=[actors.org_b.pk])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused = client.post(
        url, {"signatory": "Chloé Blanc, gérante", "signed_on": tomorrow.isoformat(), "next": "consents"}
    )
    assert refused.headers["Location"] == reverse("clearing:consents")
    assert not Consent.objects.exists()
    paper = timezone.localdate() - dt.timedelta(days=20)
    client.post(url, {"signatory": "Chloé Blanc, gérante", "signed_on": paper.isoformat(), "next": "consents"})
    assert Consent.objects.get(organisation=actors.org_b).signed_on == paper
    page = client.get(reverse("clearing:consents"))
    rows = {row["organisation"].pk: row["consent"] for row in page.context["rows"]}
    assert rows[actors.org_b.pk].signed_on == paper and rows[actors.org_a.pk] is None
    assert page.context["signed_count"] == 1


def test_the_agreement_is_readable_by_a_member_user():
    actors = make_actors()
    response = client_for(actors.member_user_a).get(reverse("clearing:agreement"))
    assert response.status_code == 200
    assert "1347" in response.content.decode()


# --- Liquidity ---------------------------------------------------------------------------


def test_the_liquidity_page_shows_100_euros_lent_to_a_settling_200_euros():
    actors = make_actors()
    c = make_organisation("Tiers-lieu du Champsaur")
    for organisation in (actors.org_a, actors.org_b, c):
        consent(organisation, actors.coordinator)
    ab = owe(actors.org_a, actors.org_b, 10_000)
    bc = owe(actors.org_b, c, 10_000)
    run = services.run_compute(actor=actors.coordinator)
    assert run.cleared_cents == 0  # a chain, no cycle
    response = client_for(actors.treasurer).get(reverse("clearing:liquidity", args=[run.pk]), {"cash": "100,00"})
    assert response.status_code == 200
    plan = response.context["plan"]
    assert (plan.remaining_cents, plan.settled_cents, plan.cash_used_cents) == (20_000, 20_000, 10_000)
    assert plan.settled_per_euro == Fraction(2)
    assert [(row.borrower, row.amount_cents) for row in response.context["advances"]] == [(actors.org_a, 10_000)]
    payments = {
        (p.debtor, p.creditor): (p.amount_cents, [i.pk for i, _ in p.invoices]) for p in response.context["payments"]
    }
    assert payments == {(actors.org_a, actors.org_b): (10_000, [ab.pk]), (actors.org_b, c): (10_000, [bc.pk])}
    assert "2,00" in response.content.decode()
    link = urlparse(response.context["advances"][0].request_url)
    query = {name: values[0] for name, values in parse_qs(link.query).items()}
    assert link.path == reverse("treasury:advance_request")
    assert (query["organisation"], query["term_months"], query["mode"], query["source"]) == (
        str(actors.org_a.pk),
        "1",
        "bullet",
        "sales",
    )
    assert run.reference in query["purpose"]
    # A's admin follows the link: the request form is filled in.
    form = client_for(actors.member_admin_a).get(response.context["advances"][0].request_url).context["form"]
    assert form.initial["amount"] == query["amount"] and form.initial["mode"] == "bullet"


def test_the_liquidity_page_starts_from_the_pools_available_cash(triangle):
    run = _compute(triangle)
    response = client_for(triangle.actors.coordinator).get(reverse("clearing:liquidity", args=[run.pk]))
    assert response.status_code == 200
    assert response.context["available_cents"] == 0  # no pool set up
    assert response.context["plan"].cash_cents == 0
    # What the triangle leaves (A owes B 50 €, B owes C 30 €) is all that cash could settle.
    assert response.context["plan"].remaining_cents == 8_000
    refused = client_for(triangle.actors.coordinator).get(
        reverse("clearing:liquidity", args=[run.pk]), {"cash": "douze"}
    )
    assert refused.status_code == 400 and refused.context["plan"] is None


def test_the_run_page_reads_in_the_same_number_of_queries_whatever_the_number_of_parties(triangle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(run: Run) -> int:
        client = client_for(triangle.actors.coordinator)
        client.get(reverse("clearing:home"))  # the session and the roles, read once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("clearing:run", args=[run.pk])).status_code == 200
        return len(captured)

    small = queries(_compute(triangle))
    others = [make_organisation(f"Membre {n}") for n in range(6)]
    for organisation in others:
        consent(organisation, triangle.actors.coordinator)
    for debtor, creditor in zip(others, others[1:] + others[:1], strict=True):
        owe(debtor, creditor, 1_000)
    assert queries(_compute(triangle)) == small
