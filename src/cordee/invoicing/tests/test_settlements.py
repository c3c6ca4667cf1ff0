"""An invoice partly settled by a multilateral set-off: what is still open, what the payment posts,
the outstanding sums of the lists, the refused credit note, and how the page and the API show it.

The worked example: A invoices B 1 211,25 € (121 125 cents); a clearing run settles 400,00 € of
it; 811,25 € is still open, and the payment that closes the invoice posts exactly that."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from cordee.core.errors import DomainError
from cordee.core.testing import Actors
from cordee.invoicing import books, selectors, services
from cordee.invoicing.models import Invoice, Settlement
from cordee.invoicing.pdf import render_invoice_pdf
from cordee.invoicing.tests.support import (
    MARCH_31,
    balance,
    issued,
    line,
    payable,
    receivable,
    snapshot,
    worked_example_lines,
)
from cordee.ledger.codes import Result
from cordee.ledger.models import Transfer
from cordee.ledger.posting import TransferSpec, transfers_create
from cordee.ledger.verify import verify

APRIL_10 = dt.date(2026, 4, 10)
TOTAL, SETTLED, OPEN = 121125, 40000, 81125


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def settle(invoice: Invoice, amount_cents: int, reference: str = "clearing:7", on: dt.date = MARCH_31) -> Settlement:
    """What a clearing run writes (the clearing app's services do it; here, directly): the
    settlement, and its posting from the recipient's 401 to the issuer's 411."""
    issuer_receivable, _payable = books.party_accounts(invoice.issuer)
    _receivable, recipient_payable = books.party_accounts(invoice.recipient)
    [result] = transfers_create(
        [
            TransferSpec(
                id=uuid.uuid4(),
                ledger="EUR",
                amount=amount_cents,
                debit_account_id=recipient_payable.pk,
                credit_account_id=issuer_receivable.pk,
                code="clearing.setoff",
                label=f"Compensation {reference}",
                value_date=on,
            )
        ]
    )
    assert result == Result.OK
    return Settlement.objects.create(
        invoice=invoice, kind=Settlement.Kind.CLEARING, amount_cents=amount_cents, settled_on=on, reference=reference
    )


def partly_settled(actors: Actors) -> Invoice:
    invoice = issued(actors, lines=worked_example_lines())
    settle(invoice, 30000, "clearing:7")
    settle(invoice, 10000, "clearing:8", on=APRIL_10)
    return invoice


def test_what_is_open_is_the_total_less_the_settlements(actors: Actors) -> None:
    invoice = partly_settled(actors)

    assert services.open_cents(invoice) == OPEN
    assert services.open_cents(issued(actors)) == 12000


def balances(actors: Actors) -> dict[str, int]:
    return {"411A": balance(receivable(actors.org_a)), "401B": balance(payable(actors.org_b))}


def test_the_payment_posts_only_what_is_open_and_leaves_nothing_owed(actors: Actors) -> None:
    invoice = partly_settled(actors)
    # Issued for the total, 400,00 € of it cleared: what the books still show owed is what is open.
    assert balances(actors) == {"411A": OPEN, "401B": -OPEN}

    services.invoice_record_payment(actor=actors.member_admin_a, invoice=invoice, paid_on=APRIL_10)

    payment = Transfer.objects.get(code="invoice.payment")
    assert payment.amount == OPEN
    assert (payment.debit_account.number, payment.credit_account.number) == (
        payable(actors.org_b),
        receivable(actors.org_a),
    )
    assert balances(actors) == {"411A": 0, "401B": 0}
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on) == ("paid", APRIL_10)
    assert verify().ok


def test_a_partly_settled_invoice_is_not_cancelled_by_a_credit_note(actors: Actors) -> None:
    invoice = partly_settled(actors)
    before = snapshot()

    with pytest.raises(DomainError) as caught:
        services.credit_note_create(actor=actors.member_admin_a, invoice=invoice, reason="Erreur")

    assert snapshot() == before
    assert "settled in part by a multilateral set-off" in caught.value.message


def test_the_outstanding_sums_count_what_is_open(actors: Actors) -> None:
    partly_settled(actors)  # A -> B: 811,25 € open of 1 211,25 €
    issued(actors, issuer="b", recipient="a", lines=[line(unit_price_cents=5000)])  # B -> A: 60,00 €
    paid = issued(actors)  # paid: counts nowhere, however settled
    settle(paid, 2000)
    services.invoice_record_payment(actor=actors.member_admin_a, invoice=paid, paid_on=MARCH_31)

    a_collects = selectors.outstanding(actors.member_admin_a, selectors.TO_COLLECT)
    b_pays = selectors.outstanding(actors.member_admin_b, selectors.TO_PAY)
    network = selectors.outstanding_everywhere()

    assert (a_collects.count, a_collects.total_cents) == (1, OPEN)
    assert (b_pays.count, b_pays.total_cents) == (1, OPEN)
    assert (network.count, network.total_cents) == (2, OPEN + 6000)


def test_the_lists_total_shows_the_open_amounts(actors: Actors, client_for: Any) -> None:
    invoice = partly_settled(actors)

    response = client_for(actors.member_admin_b).get(reverse("invoicing:invoices"))

    assert response.context["to_pay"].total_cents == OPEN
    [(row, _direction)] = response.context["rows"]
    assert (row.pk, row.settled_cents, row.open_amount_cents) == (invoice.pk, SETTLED, OPEN)
    body = response.content.decode()
    assert 'class="badge badge-settled"' in body
    assert "€811.25" in body


def test_the_invoice_page_shows_the_settlements_the_open_amount_and_the_payment_pays_it(
    actors: Actors, client_for: Any
) -> None:
    invoice = partly_settled(actors)
    client = client_for(actors.member_admin_a)

    page = client.get(invoice.get_absolute_url())
    body = page.content.decode()

    assert (page.context["settled_cents"], page.context["open_cents"]) == (SETTLED, OPEN)
    assert [(s.reference, s.amount_cents) for s, _url in page.context["settlements"]] == [
        ("clearing:7", 30000),
        ("clearing:8", 10000),
    ]
    assert 'id="badge-partly-settled"' in body
    assert "multilateral set-off" in body
    assert '<td class="num" id="open-amount">€811.25</td>' in body
    assert "The recipient paid what is still open, €811.25" in body
    # A credit note can no longer cancel it whole: the form is not offered.
    assert (page.context["can_pay"], page.context["can_cancel"]) == (True, False)

    response = client.post(reverse("invoicing:invoice_payment", args=[invoice.pk]), {"paid_on": "2026-04-10"})

    assert response.status_code == 302
    assert Transfer.objects.get(code="invoice.payment").amount == OPEN


def test_a_settlement_links_to_its_clearing_run_when_its_page_exists(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    settle(invoice, 1000, "clearing:42")
    settle(invoice, 1000, "manual:1")

    page = client_for(actors.treasurer).get(invoice.get_absolute_url())

    [(_first, run_url), (_second, no_url)] = page.context["settlements"]
    try:
        expected = reverse("clearing:run", args=[42])
    except Exception:  # the clearing pages are not there yet: a plain reference
        expected = None
    assert run_url == expected
    assert no_url is None
    if expected:
        assert f'href="{expected}"' in page.content.decode()


def test_the_api_detail_gives_the_open_amount_and_the_settlements(actors: Actors, client_for: Any) -> None:
    invoice = partly_settled(actors)
    paid = issued(actors)
    services.invoice_record_payment(actor=actors.member_admin_a, invoice=paid, paid_on=MARCH_31)
    client = client_for(actors.member_admin_b)

    body = client.get(f"/api/v1/invoices/{invoice.pk}").json()
    paid_body = client.get(f"/api/v1/invoices/{paid.pk}").json()

    assert (body["total_incl_vat_cents"], body["open_cents"], body["disputed"]) == (TOTAL, OPEN, False)
    assert body["settlements"] == [
        {
            "kind": "clearing",
            "amount_cents": 30000,
            "settled_on": "2026-03-31",
            "reference": "clearing:7",
            "clearing_run_id": 7,
        },
        {
            "kind": "clearing",
            "amount_cents": 10000,
            "settled_on": "2026-04-10",
            "reference": "clearing:8",
            "clearing_run_id": 8,
        },
    ]
    assert body["disputes"] == []
    assert (paid_body["open_cents"], paid_body["settlements"]) == (0, [])


def test_the_pdf_of_a_partly_settled_invoice_is_the_invoice_as_issued(actors: Actors) -> None:
    invoice = issued(actors, lines=worked_example_lines())
    before = _pdf_text(invoice)

    settle(invoice, SETTLED)

    assert _pdf_text(invoice) == before
    assert "811" not in before  # the open amount is the page's business, not the invoice's


def _pdf_text(invoice: Invoice) -> str:
    reader = PdfReader(io.BytesIO(render_invoice_pdf(invoice)))
    return "\n".join(page.extract_text() for page in reader.pages)
