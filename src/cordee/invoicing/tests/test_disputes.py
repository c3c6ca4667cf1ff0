"""Disputes: the recipient contests an issued, unpaid invoice; the issuer answers and closes it, or
cancels the invoice by a credit note, which closes it; whoever opened it may withdraw it. Through
the services, the pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors
from cordee.invoicing import services
from cordee.invoicing.models import Dispute, Invoice
from cordee.invoicing.tests.support import MARCH_31, draft, issued, snapshot

REASON = "La salle n'était pas chauffée le 12 mars."
ANSWER = "Le chauffage a été relancé à 9 h ; la séance a eu lieu."


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def everything() -> dict[str, Any]:
    """What invoicing, the ledger, the disputes and the audit trail hold."""
    return {
        **snapshot(),
        "disputes": list(Dispute.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }


def refused(call: Any, **kwargs: Any) -> DomainError:
    """Call a service that must refuse; check it wrote nothing at all; the error."""
    before = everything()
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert everything() == before
    return caught.value


def contest(actors: Actors, invoice: Invoice, actor: Any = None) -> Dispute:
    return services.invoice_dispute_open(actor=actor or actors.member_admin_b, invoice=invoice, reason=REASON)


# --- Opening ----------------------------------------------------------------------------------


def test_the_recipients_admin_contests_an_invoice_and_the_issuer_is_told(
    actors: Actors, django_capture_on_commit_callbacks: Any
) -> None:
    invoice = issued(actors)

    with django_capture_on_commit_callbacks(execute=True):
        dispute = services.invoice_dispute_open(actor=actors.member_admin_b, invoice=invoice, reason=f"  {REASON} ")

    dispute.refresh_from_db()
    assert (dispute.invoice, dispute.reason, dispute.opened_by, dispute.is_open, dispute.answer) == (
        invoice,
        REASON,
        actors.member_admin_b,
        True,
        "",
    )
    event = AuditEvent.objects.get(action="invoice.dispute_open")
    assert (event.actor, event.target_id, event.data["dispute"]) == (actors.member_admin_b, str(invoice.pk), dispute.pk)
    [message] = mail.outbox
    assert message.to == [actors.member_admin_a.email]
    assert "F-2026-00001" in message.subject
    assert REASON in message.body
    assert f"/factures/{invoice.pk}/" in message.body
    invoice.refresh_from_db()
    assert invoice.status == "issued"  # still owed


@pytest.mark.parametrize("who", ["coordinator", "treasurer"])
def test_the_hubs_staff_contest_any_invoice(actors: Actors, who: str) -> None:
    invoice = issued(actors)

    dispute = contest(actors, invoice, getattr(actors, who))

    assert dispute.opened_by == getattr(actors, who)


def test_an_invoice_to_the_hub_is_contested_by_the_treasurer_and_the_issuer_is_told(
    actors: Actors, django_capture_on_commit_callbacks: Any
) -> None:
    invoice = issued(actors, issuer="a", recipient="hub")

    with django_capture_on_commit_callbacks(execute=True):
        contest(actors, invoice, actors.treasurer)

    assert [m.to for m in mail.outbox] == [[actors.member_admin_a.email]]


def test_a_dispute_on_the_hubs_invoice_tells_the_treasurer(
    actors: Actors, django_capture_on_commit_callbacks: Any
) -> None:
    invoice = issued(actors, issuer="hub", recipient="a")

    with django_capture_on_commit_callbacks(execute=True):
        contest(actors, invoice, actors.member_admin_a)

    assert [m.to for m in mail.outbox] == [[actors.treasurer.email]]


@pytest.mark.parametrize("who", ["member_user_a", "member_admin_a", "committee", "outsider"])
def test_others_may_not_contest_and_nothing_is_written(actors: Actors, who: str) -> None:
    invoice = issued(actors)

    error = refused(services.invoice_dispute_open, actor=getattr(actors, who), invoice=invoice, reason=REASON)

    assert isinstance(error, NotAllowed)
    assert error.code == "forbidden"


def test_only_one_dispute_is_open_at_a_time(actors: Actors) -> None:
    invoice = issued(actors)
    first = contest(actors, invoice)

    again = refused(services.invoice_dispute_open, actor=actors.treasurer, invoice=invoice, reason="Encore")
    services.invoice_dispute_close(actor=actors.member_admin_a, dispute=first, answer=ANSWER)
    second = contest(actors, invoice)

    assert again.code == "already_disputed"
    assert "F-2026-00001 has been contested since" in again.message
    assert [(d.pk, d.is_open) for d in invoice.disputes.all()] == [(second.pk, True), (first.pk, False)]


def test_the_database_holds_one_open_dispute_per_invoice(actors: Actors) -> None:
    invoice = issued(actors)
    contest(actors, invoice)

    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.create(invoice=invoice, reason="Doublon", opened_by=actors.treasurer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.filter(invoice=invoice).update(closed_at=timezone.now())  # closed by nobody


def test_only_an_issued_unpaid_invoice_is_contested(actors: Actors) -> None:
    a_draft = draft(actors)
    paid = issued(actors)
    services.invoice_record_payment(actor=actors.member_admin_a, invoice=paid, paid_on=MARCH_31)
    cancelled = issued(actors)
    note = services.credit_note_create(actor=actors.member_admin_a, invoice=cancelled, reason="Erreur")

    of_draft = refused(services.invoice_dispute_open, actor=actors.treasurer, invoice=a_draft, reason=REASON)
    of_paid = refused(services.invoice_dispute_open, actor=actors.member_admin_b, invoice=paid, reason=REASON)
    of_cancelled = refused(services.invoice_dispute_open, actor=actors.member_admin_b, invoice=cancelled, reason=REASON)
    of_note = refused(services.invoice_dispute_open, actor=actors.member_admin_b, invoice=note, reason=REASON)

    assert of_draft.message == "A draft cannot be contested: it has not been issued."
    assert of_paid.message == "Invoice F-2026-00001 was paid on 03/31/2026: it can no longer be contested."
    assert of_cancelled.message.startswith("Invoice F-2026-00002 has been cancelled by a credit note")
    assert of_note.message.startswith("A credit note cannot be contested")
    assert {of_draft.code, of_paid.code, of_cancelled.code, of_note.code} == {"not_disputable"}


def test_the_reason_is_required_and_at_most_1000_characters(actors: Actors) -> None:
    invoice = issued(actors)

    blank = refused(services.invoice_dispute_open, actor=actors.member_admin_b, invoice=invoice, reason="   ")
    long = refused(services.invoice_dispute_open, actor=actors.member_admin_b, invoice=invoice, reason="x" * 1001)
    services.invoice_dispute_open(actor=actors.member_admin_b, invoice=invoice, reason="x" * 1000)

    assert (blank.field, blank.code) == ("reason", "required")
    assert (long.field, long.message) == ("reason", "At most 1000 characters.")


def test_nothing_is_sent_when_the_opening_rolls_back(actors: Actors, django_capture_on_commit_callbacks: Any) -> None:
    invoice = issued(actors)
    with django_capture_on_commit_callbacks(execute=True):
        refused(services.invoice_dispute_open, actor=actors.member_admin_b, invoice=invoice, reason="")

    assert mail.outbox == []


# --- Closing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member_admin_a", "coordinator", "treasurer"])
def test_the_issuers_side_answers_and_closes_and_the_recipient_is_told(
    actors: Actors, django_capture_on_commit_callbacks: Any, who: str
) -> None:
    invoice = issued(actors)
    dispute = contest(actors, invoice)
    actor = getattr(actors, who)

    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_dispute_close(actor=actor, dispute=dispute, answer=f" {ANSWER} ")

    dispute.refresh_from_db()
    assert (dispute.is_open, dispute.closed_by, dispute.answer) == (False, actor, ANSWER)
    event = AuditEvent.objects.get(action="invoice.dispute_close")
    assert (event.actor, event.target_id, event.data["withdrawn"]) == (actor, str(invoice.pk), False)
    [message] = [m for m in mail.outbox if "answered" in m.subject]
    assert message.to == [actors.member_admin_b.email]
    assert ANSWER in message.body
    invoice.refresh_from_db()
    assert invoice.status == "issued"


def test_the_opener_withdraws_without_a_word_and_the_issuer_is_told(
    actors: Actors, django_capture_on_commit_callbacks: Any
) -> None:
    dispute = contest(actors, issued(actors))

    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_dispute_close(actor=actors.member_admin_b, dispute=dispute, answer="")

    dispute.refresh_from_db()
    assert (dispute.is_open, dispute.closed_by, dispute.answer) == (False, actors.member_admin_b, "")
    assert AuditEvent.objects.get(action="invoice.dispute_close").data["withdrawn"] is True
    [message] = mail.outbox
    assert message.to == [actors.member_admin_a.email]
    assert "withdrawn" in message.subject


def test_the_treasurer_who_opened_it_on_the_hubs_behalf_withdraws_it(actors: Actors) -> None:
    dispute = contest(actors, issued(actors, issuer="a", recipient="hub"), actors.treasurer)

    services.invoice_dispute_close(actor=actors.treasurer, dispute=dispute, answer="")

    assert not Dispute.objects.get().is_open


def test_an_answer_is_required_from_anyone_but_the_opener(actors: Actors) -> None:
    dispute = contest(actors, issued(actors))

    blank = refused(services.invoice_dispute_close, actor=actors.member_admin_a, dispute=dispute, answer="  ")
    long = refused(services.invoice_dispute_close, actor=actors.member_admin_a, dispute=dispute, answer="x" * 1001)

    assert (blank.field, blank.code) == ("answer", "required")
    assert (long.field, long.code) == ("answer", "max_length")


@pytest.mark.parametrize("who", ["member_user_a", "committee", "outsider"])
def test_others_may_not_close_and_nothing_is_written(actors: Actors, who: str) -> None:
    dispute = contest(actors, issued(actors))

    error = refused(services.invoice_dispute_close, actor=getattr(actors, who), dispute=dispute, answer=ANSWER)

    assert isinstance(error, NotAllowed)


def test_the_recipients_other_admin_may_not_close_a_dispute_it_did_not_open(actors: Actors) -> None:
    dispute = contest(actors, issued(actors), actors.treasurer)  # opened by the treasurer, not by B

    error = refused(services.invoice_dispute_close, actor=actors.member_admin_b, dispute=dispute, answer=ANSWER)

    assert isinstance(error, NotAllowed)


def test_a_closed_dispute_is_not_closed_again(actors: Actors) -> None:
    dispute = contest(actors, issued(actors))
    services.invoice_dispute_close(actor=actors.member_admin_a, dispute=dispute, answer=ANSWER)

    again = refused(services.invoice_dispute_close, actor=actors.treasurer, dispute=dispute, answer="Encore")

    assert again.code == "closed"


# --- Credit notes -----------------------------------------------------------------------------


def test_a_credit_note_closes_the_open_dispute(actors: Actors, django_capture_on_commit_callbacks: Any) -> None:
    invoice = issued(actors)
    dispute = contest(actors, invoice)

    with django_capture_on_commit_callbacks(execute=True):
        note = services.credit_note_create(actor=actors.member_admin_a, invoice=invoice, reason="Séance annulée")

    dispute.refresh_from_db()
    assert (dispute.is_open, dispute.closed_by) == (False, actors.member_admin_a)
    assert dispute.answer == f"Cancelled by credit note {note.number}."
    event = AuditEvent.objects.get(action="invoice.dispute_close")
    assert (event.data["dispute"], event.data["credit_note"]) == (dispute.pk, "AV-2026-00002")
    # The recipient hears of it through the credit note's own e-mail.
    assert [m.to for m in mail.outbox] == [[actors.member_admin_b.email]]
    assert "AV-2026-00002" in mail.outbox[0].subject


def test_a_credit_note_leaves_closed_disputes_alone(actors: Actors) -> None:
    invoice = issued(actors)
    dispute = contest(actors, invoice)
    services.invoice_dispute_close(actor=actors.member_admin_a, dispute=dispute, answer=ANSWER)

    services.credit_note_create(actor=actors.member_admin_a, invoice=invoice, reason="Geste commercial")

    dispute.refresh_from_db()
    assert (dispute.answer, dispute.closed_by) == (ANSWER, actors.member_admin_a)
    assert AuditEvent.objects.filter(action="invoice.dispute_close").count() == 1


# --- Pages ------------------------------------------------------------------------------------


def page_url(name: str, pk: int) -> str:
    return reverse(f"invoicing:{name}", args=[pk])


def test_the_recipient_contests_from_the_invoice_page(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    client = client_for(actors.member_admin_b)

    page = client.get(invoice.get_absolute_url())
    assert page.context["can_dispute"]
    assert 'id="dispute-form"' in page.content.decode()

    response = client.post(page_url("invoice_dispute", invoice.pk), {"reason": REASON})

    assert response.status_code == 302
    assert response["Location"] == invoice.get_absolute_url()
    page = client.get(invoice.get_absolute_url())
    body = page.content.decode()
    assert page.context["open_dispute"].reason == REASON
    assert not page.context["can_dispute"]  # one at a time
    assert 'id="badge-disputed"' in body
    assert REASON.replace("'", "&#x27;") in body
    assert "Chloé Blanc" in body
    # B opened it: B may withdraw it, and the form says so.
    assert page.context["can_close_dispute"] and page.context["withdraws"]


def test_the_issuer_sees_the_close_form_and_answers(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    dispute = contest(actors, invoice)
    client = client_for(actors.member_admin_a)

    page = client.get(invoice.get_absolute_url())
    assert page.context["can_close_dispute"] and not page.context["withdraws"]
    assert not page.context["can_dispute"]
    blank = client.post(page_url("dispute_close", dispute.pk), {"answer": ""})
    answered = client.post(page_url("dispute_close", dispute.pk), {"answer": ANSWER})

    assert blank.status_code == 400
    assert blank.context["refused_form"].errors["answer"]
    assert answered.status_code == 302
    page = client.get(invoice.get_absolute_url())
    body = page.content.decode()
    assert page.context["open_dispute"] is None
    assert ANSWER in body
    assert "Bernard Roux" in body
    assert 'id="badge-disputed"' not in body


def test_a_refused_dispute_is_shown_on_the_page_and_writes_nothing(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    client = client_for(actors.member_admin_b)
    before = everything()

    blank = client.post(page_url("invoice_dispute", invoice.pk), {"reason": " "})
    too_long = client.post(page_url("invoice_dispute", invoice.pk), {"reason": "x" * 1001})

    assert (blank.status_code, too_long.status_code) == (400, 400)
    assert blank.context["refused_form"].errors["reason"]
    assert everything() == before


def test_who_may_not_contest_or_close_gets_a_403_and_strangers_a_404(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    dispute = contest(actors, invoice)
    other = issued(actors)

    assert (
        client_for(actors.member_admin_a).post(page_url("invoice_dispute", other.pk), {"reason": REASON}).status_code
        == 403
    )
    assert (
        client_for(actors.member_user_a).post(page_url("dispute_close", dispute.pk), {"answer": ANSWER}).status_code
        == 403
    )
    assert (
        client_for(actors.outsider).post(page_url("dispute_close", dispute.pk), {"answer": ANSWER}).status_code == 404
    )
    assert (
        client_for(actors.committee).post(page_url("invoice_dispute", other.pk), {"reason": REASON}).status_code == 404
    )
    assert (
        client_for(actors.member_admin_a).post(page_url("dispute_close", 999999), {"answer": ANSWER}).status_code == 404
    )
    page = client_for(actors.member_user_a).get(invoice.get_absolute_url())
    assert (page.context["can_dispute"], page.context["can_close_dispute"]) == (False, False)
    assert Dispute.objects.filter(closed_at__isnull=True).count() == 1
    assert Dispute.objects.count() == 1


def test_the_list_marks_disputed_invoices(actors: Actors, client_for: Any) -> None:
    disputed = issued(actors)
    calm = issued(actors)
    contest(actors, disputed)

    response = client_for(actors.member_admin_a).get(reverse("invoicing:invoices"))

    flags = {invoice.pk: invoice.disputed for invoice, _direction in response.context["rows"]}
    assert flags == {disputed.pk: True, calm.pk: False}
    assert response.content.decode().count('class="badge badge-disputed"') == 1


# --- API --------------------------------------------------------------------------------------


def api_open(invoice_id: int) -> str:
    return f"/api/v1/invoices/{invoice_id}/disputes"


def api_close(dispute_id: int) -> str:
    return f"/api/v1/disputes/{dispute_id}/close"


def test_the_api_routes_have_the_expected_names() -> None:
    assert reverse("api-v1:open_invoice_dispute", args=[7]) == api_open(7)
    assert reverse("api-v1:close_invoice_dispute", args=[8]) == api_close(8)


def test_the_api_opens_and_closes_a_dispute_and_the_detail_lists_it(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    recipient, issuer = client_for(actors.member_admin_b), client_for(actors.member_admin_a)

    opened = recipient.post(api_open(invoice.pk), {"reason": REASON}, content_type="application/json")
    detail_open = issuer.get(f"/api/v1/invoices/{invoice.pk}").json()
    closed = issuer.post(api_close(opened.json()["id"]), {"answer": ANSWER}, content_type="application/json")
    detail_closed = recipient.get(f"/api/v1/invoices/{invoice.pk}").json()

    assert opened.status_code == 201
    body = opened.json()
    assert (body["invoice_id"], body["is_open"], body["reason"], body["opened_by"], body["closed_by"]) == (
        invoice.pk,
        True,
        REASON,
        "Chloé Blanc",
        None,
    )
    assert detail_open["disputed"] is True
    assert [d["id"] for d in detail_open["disputes"]] == [body["id"]]
    assert closed.status_code == 200
    assert (closed.json()["is_open"], closed.json()["answer"], closed.json()["closed_by"]) == (
        False,
        ANSWER,
        "Bernard Roux",
    )
    assert detail_closed["disputed"] is False
    assert detail_closed["disputes"][0]["answer"] == ANSWER


def test_the_api_refuses_with_the_rule_and_the_field(actors: Actors, client_for: Any) -> None:
    invoice = issued(actors)
    recipient = client_for(actors.member_admin_b)

    blank = recipient.post(api_open(invoice.pk), {"reason": ""}, content_type="application/json")
    not_theirs = client_for(actors.member_admin_a).post(
        api_open(invoice.pk), {"reason": REASON}, content_type="application/json"
    )
    hidden = client_for(actors.outsider).post(api_open(invoice.pk), {"reason": REASON}, content_type="application/json")
    dispute = contest(actors, invoice)
    twice = recipient.post(api_open(invoice.pk), {"reason": REASON}, content_type="application/json")
    no_answer = client_for(actors.member_admin_a).post(api_close(dispute.pk), {}, content_type="application/json")
    anonymous = client_for(None).post(api_close(dispute.pk), {"answer": ANSWER}, content_type="application/json")

    assert (blank.status_code, blank.json()["field"], blank.json()["code"]) == (422, "reason", "required")
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "forbidden")
    assert hidden.status_code == 404
    assert (twice.status_code, twice.json()["code"]) == (422, "already_disputed")
    assert (no_answer.status_code, no_answer.json()["field"]) == (422, "answer")
    assert anonymous.status_code == 401
    assert Dispute.objects.get().is_open


def test_the_openapi_document_describes_the_dispute_endpoints(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["paths"]["/api/v1/invoices/{invoice_id}/disputes"]["post"]["operationId"] == "open_invoice_dispute"
    assert schema["paths"]["/api/v1/disputes/{dispute_id}/close"]["post"]["operationId"] == "close_invoice_dispute"
    detail = schema["components"]["schemas"]["InvoiceDetailOut"]["properties"]
    assert {"open_cents", "disputed", "settlements", "disputes"} <= set(detail)


def test_a_dispute_opened_yesterday_is_dated_in_the_refusal(actors: Actors) -> None:
    invoice = issued(actors)
    dispute = contest(actors, invoice)
    Dispute.objects.filter(pk=dispute.pk).update(opened_at=timezone.now() - dt.timedelta(days=1))

    again = refused(services.invoice_dispute_open, actor=actors.member_admin_b, invoice=invoice, reason=REASON)

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert yesterday.strftime("%m/%d/%Y") in again.message
