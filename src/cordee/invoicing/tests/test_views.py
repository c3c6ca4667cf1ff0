"""The invoicing pages: who sees and does what, forms that say what is wrong and write nothing,
the list's totals, and the PDF download."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cordee.core.testing import Actors
from cordee.invoicing import services
from cordee.invoicing.models import Invoice
from cordee.invoicing.tests.support import MARCH_2, MARCH_31, draft, issued, line, snapshot, worked_example_lines

LIST = reverse("invoicing:invoices")
NEW = reverse("invoicing:invoice_create")


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def url(name: str, invoice: Invoice) -> str:
    return reverse(f"invoicing:{name}", args=[invoice.pk])


def form_data(actors: Actors, lines: list[dict[str, str]] | None = None, **head: str) -> dict[str, str]:
    """What the draft form posts: the head, then the formset of lines."""
    lines = lines if lines is not None else [{"label": "Salle du conseil", "quantity": "3.5", "unit_price": "23.47"}]
    data = {
        "issuer": str(actors.org_a.pk),
        "recipient": str(actors.org_b.pk),
        "due_date": "2026-03-31",
        "notes": "",
        "action": "save",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
        **head,
    }
    for index, values in enumerate(lines):
        values = {"vat_rate": "2000", "vat_exemption": "", **values}
        data.update({f"lines-{index}-{name}": value for name, value in values.items()})
    return data


# --- The list -----------------------------------------------------------------------------------


def test_a_member_sees_what_to_collect_and_what_to_pay_with_totals(actors: Actors, client_for: Any) -> None:
    issued(actors, issuer="a", recipient="b", lines=worked_example_lines())  # 1,211.25 to collect
    paid = issued(actors, issuer="a", recipient="b")
    services.invoice_record_payment(actor=actors.member_admin_a, invoice=paid, paid_on=MARCH_31)
    issued(actors, issuer="b", recipient="a", lines=[line(unit_price_cents=5000)])  # 60.00 to pay
    issued(actors, issuer="hub", recipient="b")  # none of A's business
    draft(actors, issuer="b", recipient="a")  # B's draft: not sent yet

    response = client_for(actors.member_user_a).get(LIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["to_collect"].total_cents == 121125
    assert response.context["to_pay"].total_cents == 6000
    assert "€1,211.25" in body
    assert "€60.00" in body
    assert len(response.context["rows"]) == 3
    assert "everywhere" not in response.context
    # The same issue date: the newest first.
    assert [direction for _invoice, direction in response.context["rows"]] == ["to_pay", "to_collect", "to_collect"]


def test_the_list_filters_by_status_and_direction(actors: Actors, client_for: Any) -> None:
    issued(actors, issuer="a", recipient="b")
    issued(actors, issuer="b", recipient="a")
    draft(actors, issuer="a", recipient="b")
    client = client_for(actors.member_admin_a)

    def numbers(**query: str) -> list[str]:
        return [str(invoice) for invoice, _ in client.get(LIST, query).context["rows"]]

    assert len(numbers()) == 3
    assert numbers(direction="to_pay") == ["F-2026-00001"]
    assert len(numbers(direction="to_collect")) == 2
    assert numbers(status="draft", direction="to_collect") == [str(Invoice.objects.get(status="draft"))]
    assert numbers(status="paid") == []


def test_the_treasurer_sees_every_invoice_and_the_networks_outstanding(actors: Actors, client_for: Any) -> None:
    issued(actors, issuer="a", recipient="b")
    issued(actors, issuer="hub", recipient="a", lines=[line(unit_price_cents=1000)])
    draft(actors, issuer="b", recipient="a")

    response = client_for(actors.treasurer).get(LIST)

    assert len(response.context["rows"]) == 3
    assert response.context["everywhere"].total_cents == 12000 + 1200
    assert response.context["to_collect"].total_cents == 1200  # issued by the hub


def test_the_list_costs_the_same_queries_for_many_invoices(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_admin_a)
    issued(actors)
    client.get(LIST)  # warm caches (content types, sessions)

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(8):
        issued(actors, issuer="a", recipient="hub")
        issued(actors, issuer="hub", recipient="a")
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)

    assert len(many) == len(few)


def test_the_list_shows_french_amounts_in_french(actors: Actors, client_for: Any) -> None:
    issued(actors, lines=worked_example_lines())

    with translation.override("fr"):
        client = client_for(actors.member_admin_a)
        client.cookies["django_language"] = "fr"
        body = client.get(LIST).content.decode()

    assert "1\u202f211,25\u00a0€" in body
    assert "02/03/2026" in body


# --- Drafting -----------------------------------------------------------------------------------


def test_a_member_admin_drafts_an_invoice_with_a_french_decimal(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_admin_a)
    client.cookies["django_language"] = "fr"
    assert client.get(NEW).status_code == 200

    response = client.post(NEW, form_data(actors, [{"label": "Animation", "quantity": "3,5", "unit_price": "23,47"}]))

    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == invoice.get_absolute_url()
    assert (invoice.status, invoice.issuer, invoice.recipient, invoice.total_excl_vat_cents) == (
        "draft",
        actors.org_a,
        actors.org_b,
        8215,
    )


def test_the_preview_shows_the_totals_and_writes_nothing(actors: Actors, client_for: Any) -> None:
    before = snapshot()
    lines = [
        {"label": "Animation", "quantity": "3.5", "unit_price": "23.47", "vat_rate": "2000"},
        {"label": "Repas", "quantity": "12", "unit_price": "8.90", "vat_rate": "550"},
        {"label": "Formation", "quantity": "1", "unit_price": "1000", "vat_rate": "0", "vat_exemption": "261-4-4"},
    ]

    response = client_for(actors.member_admin_a).post(NEW, form_data(actors, lines, action="preview"))

    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.excl_vat_cents, preview.vat_cents, preview.incl_vat_cents) == (118895, 2230, 121125)
    assert "€1,211.25" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "Line 1: the quantity must be greater than 0."),
        ({"quantity": "1.234"}, "quantity", "Ensure that there are no more than 2 decimal places."),
        ({"vat_rate": "0"}, "vat_exemption", "Line 1: a line without VAT must say why"),
        ({"vat_exemption": "293B"}, "vat_exemption", "Line 1: an exemption mention applies only to a line at 0 % VAT."),
        ({"label": ""}, "label", "This field is required."),
        ({"unit_price": "-1"}, "unit_price", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_bad_line_is_shown_at_its_field_and_nothing_is_written(
    actors: Actors, client_for: Any, values: dict[str, str], field: str, message: str
) -> None:
    before = snapshot()
    line_values = {"label": "Salle", "quantity": "1", "unit_price": "10", **values}

    response = client_for(actors.member_admin_a).post(NEW, form_data(actors, [line_values]))

    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert any(message in error for error in errors[field]), errors
    assert message.split(":")[0] in response.content.decode()
    assert snapshot() == before


def test_the_head_of_the_form_is_checked_too(actors: Actors, client_for: Any) -> None:
    before = snapshot()
    client = client_for(actors.member_admin_a)

    same = client.post(NEW, form_data(actors, recipient=str(actors.org_a.pk)))
    other_issuer = client.post(NEW, form_data(actors, issuer=str(actors.org_b.pk)))
    no_lines = client.post(NEW, form_data(actors, []))

    assert same.context["form"].errors["recipient"] == ["The issuer and the recipient must be different."]
    assert "issuer" in other_issuer.context["form"].errors  # not an issuer this person acts for
    assert no_lines.context["formset"].non_form_errors()
    assert snapshot() == before


def test_without_javascript_a_line_is_added_by_the_server(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.member_admin_a).post(NEW, form_data(actors, action="add_line"))

    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    assert not Invoice.objects.exists()


def test_the_hubs_staff_draft_for_the_hub(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.treasurer).post(NEW, form_data(actors, issuer="hub"))

    assert response.status_code == 302
    assert Invoice.objects.get().issuer is None


def test_a_draft_is_edited_but_not_its_issuer(actors: Actors, client_for: Any) -> None:
    invoice = draft(actors, lines=worked_example_lines())
    client = client_for(actors.member_admin_a)
    page = client.get(url("invoice_edit", invoice))
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 3

    data = form_data(actors, [{"label": "Ménage", "quantity": "2", "unit_price": "25", "vat_rate": "1000"}])
    data.update({"issuer": str(actors.org_b.pk), "recipient": "hub", "lines-INITIAL_FORMS": "0"})
    response = client.post(url("invoice_edit", invoice), data)

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.issuer, invoice.recipient, invoice.total_incl_vat_cents) == (actors.org_a, None, 5500)


def test_an_issued_invoice_cannot_be_edited(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)

    response = client_for(actors.member_admin_a).get(url("invoice_edit", invoice), follow=True)

    assert response.redirect_chain[-1][0] == invoice.get_absolute_url()
    assert "it can no longer be changed, only cancelled by a credit note" in response.content.decode()


# --- Acting on an invoice ---------------------------------------------------------------------------


def test_a_member_admin_issues_a_draft(actors: Actors, client_for: Any) -> None:
    invoice = draft(actors)

    response = client_for(actors.member_admin_a).post(url("invoice_issue", invoice), {"issue_date": "2026-03-02"})

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number) == ("issued", "F-2026-00001")


def test_a_refused_issue_says_why_at_the_field_and_writes_nothing(actors: Actors, client_for: Any) -> None:
    invoice = draft(actors, due_date=dt.date(2026, 3, 1))
    before = snapshot()

    response = client_for(actors.member_admin_a).post(url("invoice_issue", invoice), {"issue_date": "2026-03-02"})

    assert response.status_code == 400
    assert response.context["issue_form"].non_field_errors() == [
        "The due date (03/01/2026) cannot be before the issue date (03/02/2026)."
    ]
    assert "cannot be before the issue date" in response.content.decode()
    assert snapshot() == before


def test_a_future_issue_date_is_shown_at_its_field(actors: Actors, client_for: Any) -> None:
    invoice = draft(actors)

    response = client_for(actors.member_admin_a).post(url("invoice_issue", invoice), {"issue_date": "2999-01-01"})

    assert response.context["issue_form"].errors["issue_date"] == ["The issue date cannot be in the future."]


def test_payment_and_credit_note_through_the_pages(actors: Actors, client_for: Any) -> None:
    to_pay, to_cancel, paid = issued(actors), issued(actors), issued(actors)
    services.invoice_record_payment(actor=actors.member_admin_a, invoice=paid, paid_on=MARCH_31)
    treasurer, admin_a = client_for(actors.treasurer), client_for(actors.member_admin_a)

    assert treasurer.post(url("invoice_payment", to_pay), {"paid_on": "2026-03-20"}).status_code == 302
    cancelled = admin_a.post(url("invoice_credit_note", to_cancel), {"reason": "Prestation annulée"})
    refused = admin_a.post(url("invoice_credit_note", paid), {"reason": "Trop tard"})
    no_reason = admin_a.post(url("invoice_credit_note", to_cancel), {"reason": ""})

    to_pay.refresh_from_db()
    assert (to_pay.status, to_pay.paid_on) == ("paid", dt.date(2026, 3, 20))
    note = Invoice.objects.get(kind="credit_note")
    assert cancelled["Location"] == note.get_absolute_url()
    assert refused.status_code == 400
    assert "F-2026-00003 has been paid: it cannot be cancelled by a credit note." in refused.content.decode()
    assert no_reason.status_code == 400  # cancelled already: the form is not even offered
    assert Invoice.objects.filter(kind="credit_note").count() == 1


def test_the_recipient_sees_an_issued_invoice_but_acts_on_nothing(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    client = client_for(actors.member_admin_b)

    page = client.get(invoice.get_absolute_url())

    assert page.status_code == 200
    assert (page.context["can_issue"], page.context["can_pay"], page.context["can_cancel"]) == (False, False, False)
    assert page.context["direction"] == "to_pay"
    assert client.post(url("invoice_payment", invoice), {"paid_on": "2026-03-20"}).status_code == 403
    assert client.post(url("invoice_credit_note", invoice), {"reason": "Non"}).status_code == 403
    assert Invoice.objects.get().status == "issued"


def test_the_recipient_does_not_see_a_draft_and_outsiders_see_nothing(actors: Actors, client_for: Any) -> None:
    a_draft = draft(actors)
    an_issued = issued(actors)

    assert client_for(actors.member_admin_b).get(a_draft.get_absolute_url()).status_code == 404
    assert client_for(actors.member_admin_b).get(url("invoice_pdf", a_draft)).status_code == 404
    for who in (actors.outsider, actors.committee):
        assert client_for(who).get(an_issued.get_absolute_url()).status_code == 404
        assert client_for(who).post(url("invoice_payment", an_issued), {"paid_on": "2026-03-20"}).status_code == 404
    assert client_for(None).get(an_issued.get_absolute_url()).status_code == 302


def test_the_pdf_is_downloaded_under_its_number(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    a_draft = draft(actors)
    client: Client = client_for(actors.member_user_a)

    response = client.get(url("invoice_pdf", invoice))
    draft_response = client.get(url("invoice_pdf", a_draft))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="F-2026-00001.pdf"'
    assert response.content.startswith(b"%PDF")
    assert draft_response["Content-Disposition"] == f'attachment; filename="brouillon-{a_draft.pk}.pdf"'


def test_the_detail_shows_lines_totals_and_the_actions_allowed(actors: Actors, client_for: Any) -> None:
    invoice = draft(actors, lines=worked_example_lines())
    client = client_for(actors.member_admin_a)

    page = client.get(invoice.get_absolute_url())
    body = page.content.decode()

    assert page.context["can_issue"] and page.context["can_edit"]
    assert "Exonération de TVA, art. 261-4-4° a du CGI" in body
    assert "€1,211.25" in body
    assert 'id="issue-form"' in body
    services.invoice_issue(actor=actors.member_admin_a, invoice=invoice, issue_date=MARCH_2)
    page = client.get(invoice.get_absolute_url())
    assert (page.context["can_issue"], page.context["can_pay"], page.context["can_cancel"]) == (False, True, True)


def test_a_tampered_management_form_is_an_error_not_a_crash(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_admin_a)

    for action in ("add_line", "preview", "save"):
        response = client.post(NEW, form_data(actors, **{"action": action, "lines-TOTAL_FORMS": "many"}))
        assert response.status_code == 200
        assert response.context["formset"].non_form_errors()
    assert not Invoice.objects.exists()
