"""The invoicing services: drafts, issue and numbering, payment, credit notes, the postings they
make, the invoice another app issues, and what the database refuses whatever the code does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import Actors, make_organisation
from cordee.invoicing import books, services
from cordee.invoicing.models import Invoice, InvoiceCounter, InvoiceLine
from cordee.invoicing.tests.support import (
    MARCH_2,
    MARCH_31,
    balance,
    draft,
    issued,
    line,
    numbers_of,
    payable,
    raw,
    receivable,
    snapshot,
    worked_example_lines,
)
from cordee.ledger.codes import Result
from cordee.ledger.models import Account, Transfer
from cordee.ledger.verify import verify


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def refused(call: Any, **kwargs: Any) -> DomainError:
    """Call a service that must refuse; check it wrote nothing at all; the error."""
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert snapshot() == before
    return caught.value


# --- Drafts ---------------------------------------------------------------------------------------


def test_a_draft_keeps_its_lines_and_totals_and_has_no_number(actors: Actors) -> None:
    invoice = draft(actors, lines=worked_example_lines(), notes=" Séminaire de mars ")

    invoice.refresh_from_db()
    assert (invoice.status, invoice.kind, invoice.number, invoice.sequence_number) == ("draft", "invoice", "", None)
    assert (invoice.issuer, invoice.recipient, invoice.due_date, invoice.notes) == (
        actors.org_a,
        actors.org_b,
        MARCH_31,
        "Séminaire de mars",
    )
    assert (invoice.total_excl_vat_cents, invoice.vat_cents, invoice.total_incl_vat_cents) == (118895, 2230, 121125)
    stored = list(invoice.lines.values_list("position", "label", "quantity", "amount_excl_vat_cents", "vat_cents"))
    assert stored == [
        (1, "Animation d'atelier (heures)", Decimal("3.50"), 8215, 1643),
        (2, "Repas du séminaire", Decimal("12.00"), 10680, 587),
        (3, "Formation des bénévoles", Decimal("1.00"), 100000, 0),
    ]
    assert not InvoiceCounter.objects.exists()
    assert not Transfer.objects.exists()
    assert AuditEvent.objects.filter(action="invoice.draft_create", target_id=str(invoice.pk)).exists()


def test_a_draft_is_changed_whole(actors: Actors) -> None:
    invoice = draft(actors, lines=worked_example_lines())

    services.invoice_draft_update(
        actor=actors.member_admin_a,
        invoice=invoice,
        recipient=None,
        lines=[line("Ménage", "2", 2500, 1000)],
        due_date=dt.date(2026, 4, 30),
        notes="Avril",
    )

    invoice.refresh_from_db()
    assert (invoice.recipient, invoice.due_date, invoice.notes, invoice.total_incl_vat_cents) == (
        None,
        dt.date(2026, 4, 30),
        "Avril",
        5500,
    )
    assert list(invoice.lines.values_list("label", flat=True)) == ["Ménage"]
    assert AuditEvent.objects.filter(action="invoice.draft_update").count() == 1


@pytest.mark.parametrize(
    ("lines", "field", "message"),
    [
        ([], "lines", "at least one line"),
        ([line()] * 201, "lines", "at most 200 lines"),
        ([line(label="  ")], "lines.0.label", "Line 1: the label is required."),
        ([line(), line(label="x" * 201)], "lines.1.label", "Line 2: the label has at most 200 characters."),
        ([line(quantity="0")], "lines.0.quantity", "Line 1: the quantity must be greater than 0."),
        ([line(quantity="-1")], "lines.0.quantity", "greater than 0"),
        ([line(quantity="1.005")], "lines.0.quantity", "at most 2 decimal places"),
        ([line(quantity="1000000.01")], "lines.0.quantity", "at most 1,000,000"),
        ([line(unit_price_cents=-1)], "lines.0.unit_price", "Line 1: the unit price cannot be negative."),
        ([line(unit_price_cents=10**10 + 1)], "lines.0.unit_price", "at most 100,000,000 €"),
        ([line(vat_rate=1960)], "lines.0.vat_rate", "20 %, 10 %, 5.5 %, 2.1 % or 0 %"),
        ([line(vat_rate=0)], "lines.0.vat_exemption", "a line without VAT must say why"),
        ([line(vat_rate=0, vat_exemption="nope")], "lines.0.vat_exemption", "exemption mention"),
        ([line(vat_exemption="293B")], "lines.0.vat_exemption", "applies only to a line at 0 % VAT"),
    ],
)
def test_bad_lines_are_refused_naming_the_line_the_field_and_the_rule(
    actors: Actors, lines: list, field: str, message: str
) -> None:
    error = refused(
        services.invoice_draft_create,
        actor=actors.member_admin_a,
        issuer=actors.org_a,
        recipient=actors.org_b,
        lines=lines,
        due_date=MARCH_31,
    )

    assert error.field == field
    assert message in error.message


def test_a_float_quantity_is_refused(actors: Actors) -> None:
    bad = services.LineData(label="x", quantity=1.5, unit_price_cents=100, vat_rate=2000)  # type: ignore[arg-type]

    error = refused(services.check_lines, lines=[bad])

    assert (error.field, error.message) == ("lines.0.quantity", "Line 1: the quantity must be a decimal number.")


def test_the_parties_must_differ_and_be_members(actors: Actors) -> None:
    candidate = make_organisation("Candidate", status="candidate")

    same = refused(
        services.invoice_draft_create,
        actor=actors.member_admin_a,
        issuer=actors.org_a,
        recipient=actors.org_a,
        lines=[line()],
        due_date=MARCH_31,
    )
    both_hub = refused(
        services.invoice_draft_create,
        actor=actors.treasurer,
        issuer=None,
        recipient=None,
        lines=[line()],
        due_date=MARCH_31,
    )
    not_member = refused(
        services.invoice_draft_create,
        actor=actors.member_admin_a,
        issuer=actors.org_a,
        recipient=candidate,
        lines=[line()],
        due_date=MARCH_31,
    )

    assert (same.field, same.message) == ("recipient", "The issuer and the recipient must be different.")
    assert both_hub.field == "recipient"
    assert not_member.field == "recipient"
    assert "Candidate is not a member organisation of the hub" in not_member.message


@pytest.mark.parametrize("who", ["member_user_a", "member_admin_b", "coordinator", "treasurer", "outsider"])
def test_only_the_issuers_member_admins_draft_its_invoices(actors: Actors, who: str) -> None:
    with pytest.raises(NotAllowed):
        services.invoice_draft_create(
            actor=getattr(actors, who), issuer=actors.org_a, recipient=actors.org_b, lines=[line()], due_date=MARCH_31
        )
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("who", ["member_admin_a", "committee", "outsider"])
def test_only_the_treasurer_and_the_coordinator_draft_for_the_hub(actors: Actors, who: str) -> None:
    with pytest.raises(NotAllowed):
        draft(actors, actor=getattr(actors, who), issuer="hub", recipient="a")
    draft(actors, actor=actors.coordinator, issuer="hub", recipient="a")
    draft(actors, actor=actors.treasurer, issuer="hub", recipient="b")
    assert Invoice.objects.filter(issuer=None).count() == 2


# --- Issue and numbering ---------------------------------------------------------------------------


def test_issuing_numbers_freezes_posts_and_tells_the_recipient(
    actors: Actors, django_capture_on_commit_callbacks: Any
) -> None:
    invoice = draft(actors, lines=worked_example_lines())

    with django_capture_on_commit_callbacks(execute=True):
        invoice = services.invoice_issue(actor=actors.member_admin_a, invoice=invoice, issue_date=MARCH_2)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.number, invoice.sequence_number, invoice.issue_date) == (
        "issued",
        "F-2026-00001",
        1,
        MARCH_2,
    )
    assert invoice.issuer_details["name"] == "Les Jardins du Buëch"
    assert invoice.issuer_details["siren"] == actors.org_a.siren
    assert invoice.recipient_details["commune"] == actors.org_b.commune.name
    transfer = Transfer.objects.get()
    assert (transfer.amount, transfer.code, transfer.journal, transfer.piece, transfer.reference) == (
        121125,
        "invoice.issue",
        "VT",
        "F-2026-00001",
        f"invoice:{invoice.pk}",
    )
    assert transfer.value_date == MARCH_2
    assert transfer.id == books.transfer_id(invoice, "issue")
    assert transfer.debit_account.number == receivable(actors.org_a)
    assert transfer.credit_account.number == payable(actors.org_b)
    assert transfer.debit_account.label == "Créances internes — Les Jardins du Buëch"
    assert transfer.credit_account.label == "Dettes internes — Coopérative des Écrins"
    assert (transfer.debit_account.owner, transfer.credit_account.owner) == (actors.org_a, actors.org_b)
    assert AuditEvent.objects.filter(action="invoice.issue", target_id=str(invoice.pk)).exists()
    [message] = mail.outbox
    assert message.to == [actors.member_admin_b.email]
    assert "F-2026-00001" in message.subject
    assert "1,211.25" in message.body
    assert f"/factures/{invoice.pk}/" in message.body
    assert verify().ok


def test_numbers_of_one_issuer_run_on_without_gaps_and_other_issuers_count_apart(actors: Actors) -> None:
    a1 = issued(actors, issuer="a", recipient="b", issue_date=dt.date(2026, 1, 5))
    b1 = issued(actors, issuer="b", recipient="a", issue_date=dt.date(2026, 1, 6))
    hub1 = issued(actors, issuer="hub", recipient="a", issue_date=dt.date(2026, 1, 6))
    a2 = issued(actors, issuer="a", recipient="hub", issue_date=dt.date(2026, 1, 6))
    note = services.credit_note_create(
        actor=actors.member_admin_a, invoice=a1, reason="Erreur de tarif", issue_date=dt.date(2026, 1, 7)
    )
    a4 = issued(actors, issuer="a", recipient="b", issue_date=dt.date(2026, 1, 7))

    assert [a1.number, a2.number, note.number, a4.number] == [
        "F-2026-00001",
        "F-2026-00002",
        "AV-2026-00003",
        "F-2026-00004",
    ]
    assert (b1.number, hub1.number) == ("F-2026-00001", "F-2026-00001")
    assert numbers_of(actors.org_a) == [1, 2, 3, 4]
    assert numbers_of(actors.org_b) == [1]
    assert numbers_of(None) == [1]


def test_the_counter_never_resets_the_year_is_the_issue_dates(actors: Actors) -> None:
    december = issued(actors, issue_date=dt.date(2025, 12, 31), due_date=dt.date(2026, 1, 31))
    january = issued(actors, issue_date=dt.date(2026, 1, 2))

    assert (december.number, january.number) == ("F-2025-00001", "F-2026-00002")


def test_an_issue_that_fails_midway_gives_its_number_back(actors: Actors, monkeypatch: pytest.MonkeyPatch) -> None:
    first = issued(actors)
    second = draft(actors)
    monkeypatch.setattr(books, "transfers_create_nested", lambda specs: [Result.EXCEEDS_CREDITS])

    error = refused(services.invoice_issue, actor=actors.member_admin_a, invoice=second, issue_date=MARCH_2)

    assert "The ledger refused the posting of F-2026-00002 (exceeds_credits)" in error.message
    monkeypatch.undo()
    second = services.invoice_issue(actor=actors.member_admin_a, invoice=second, issue_date=MARCH_2)
    assert (first.number, second.number) == ("F-2026-00001", "F-2026-00002")
    assert numbers_of(actors.org_a) == [1, 2]
    assert verify().ok


def test_an_issue_that_crashes_midway_gives_its_number_back(actors: Actors, monkeypatch: pytest.MonkeyPatch) -> None:
    issued(actors)
    second = draft(actors)

    def crash(specs: Any) -> Any:
        raise RuntimeError("the server lost its database connection")

    monkeypatch.setattr(books, "transfers_create_nested", crash)
    with pytest.raises(RuntimeError):
        services.invoice_issue(actor=actors.member_admin_a, invoice=second, issue_date=MARCH_2)
    monkeypatch.undo()

    assert InvoiceCounter.objects.get(issuer=actors.org_a).last_number == 1
    assert services.invoice_issue(actor=actors.member_admin_a, invoice=second, issue_date=MARCH_2).number == (
        "F-2026-00002"
    )


def test_issue_refusals_name_the_rule_and_write_nothing(actors: Actors) -> None:
    issued(actors, issue_date=dt.date(2026, 3, 10))
    later = draft(actors)
    free = draft(actors, lines=[line(unit_price_cents=0)])
    early_due = draft(actors, due_date=dt.date(2026, 3, 1))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    before_last = refused(
        services.invoice_issue, actor=actors.member_admin_a, invoice=later, issue_date=dt.date(2026, 3, 9)
    )
    future = refused(services.invoice_issue, actor=actors.member_admin_a, invoice=later, issue_date=tomorrow)
    zero = refused(services.invoice_issue, actor=actors.member_admin_a, invoice=free, issue_date=dt.date(2026, 3, 10))
    due = refused(
        services.invoice_issue, actor=actors.member_admin_a, invoice=early_due, issue_date=dt.date(2026, 3, 10)
    )

    assert before_last.field == "issue_date"
    assert "cannot be before 03/10/2026, the date of this issuer's last invoice" in before_last.message
    assert (future.field, future.message) == ("issue_date", "The issue date cannot be in the future.")
    assert (zero.field, zero.message) == ("lines", "An invoice of €0.00 cannot be issued: give its lines an amount.")
    assert due.field == "due_date"
    assert due.message == "The due date (03/01/2026) cannot be before the issue date (03/10/2026)."


def test_an_issued_invoice_is_not_issued_again_nor_changed(actors: Actors) -> None:
    invoice = issued(actors)

    again = refused(services.invoice_issue, actor=actors.member_admin_a, invoice=invoice, issue_date=MARCH_2)
    changed = refused(
        services.invoice_draft_update,
        actor=actors.member_admin_a,
        invoice=invoice,
        recipient=actors.org_b,
        lines=[line(unit_price_cents=1)],
        due_date=MARCH_31,
    )

    assert again.message == "Only a draft can be issued: F-2026-00001 has already been issued."
    assert changed.message == (
        "Invoice F-2026-00001 has been issued: it can no longer be changed, only cancelled by a credit note."
    )


@pytest.mark.parametrize("who", ["member_user_a", "member_admin_b", "coordinator", "treasurer"])
def test_only_the_issuers_admins_issue(actors: Actors, who: str) -> None:
    invoice = draft(actors)

    with pytest.raises(NotAllowed):
        services.invoice_issue(actor=getattr(actors, who), invoice=invoice, issue_date=MARCH_2)
    assert Invoice.objects.get().status == "draft"


def test_an_invoice_to_the_hub_tells_the_treasurer(actors: Actors, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issued(actors, issuer="a", recipient="hub")

    assert [m.to for m in mail.outbox] == [[actors.treasurer.email]]
    assert invoice.recipient_details["name"] == "Altitudes Coopérantes"
    assert Transfer.objects.get().credit_account.number == "401HUB"


def test_nothing_is_sent_when_the_issue_rolls_back(
    actors: Actors, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    invoice = draft(actors)
    monkeypatch.setattr(books, "transfers_create_nested", lambda specs: [Result.OVERFLOWS])

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.invoice_issue(actor=actors.member_admin_a, invoice=invoice, issue_date=MARCH_2)

    assert mail.outbox == []


# --- The ledger: issue, payment, credit note -------------------------------------------------------


def accounts_of(actors: Actors) -> dict[str, int]:
    return {
        "411A": balance(receivable(actors.org_a)),
        "401A": balance(payable(actors.org_a)),
        "411B": balance(receivable(actors.org_b)),
        "401B": balance(payable(actors.org_b)),
    }


def test_issue_then_payment_moves_the_four_accounts_and_leaves_nothing_owed(actors: Actors) -> None:
    invoice = issued(actors, lines=worked_example_lines())

    assert accounts_of(actors) == {"411A": 121125, "401A": 0, "411B": 0, "401B": -121125}

    paid = services.invoice_record_payment(actor=actors.member_admin_a, invoice=invoice, paid_on=dt.date(2026, 3, 20))

    assert (paid.status, paid.paid_on) == ("paid", dt.date(2026, 3, 20))
    assert accounts_of(actors) == {"411A": 0, "401A": 0, "411B": 0, "401B": 0}
    payment = Transfer.objects.get(code="invoice.payment")
    assert (payment.debit_account.number, payment.credit_account.number) == (
        payable(actors.org_b),
        receivable(actors.org_a),
    )
    assert (payment.amount, payment.journal, payment.piece, payment.value_date) == (
        121125,
        "BQ",
        "F-2026-00001",
        dt.date(2026, 3, 20),
    )
    assert AuditEvent.objects.filter(action="invoice.payment").count() == 1
    assert verify().ok


def test_the_treasurer_records_a_payment_too(actors: Actors) -> None:
    invoice = issued(actors)

    services.invoice_record_payment(actor=actors.treasurer, invoice=invoice, paid_on=MARCH_31)

    assert Invoice.objects.get().status == "paid"


@pytest.mark.parametrize("who", ["member_user_a", "member_admin_b", "coordinator", "committee"])
def test_others_do_not_record_payments(actors: Actors, who: str) -> None:
    invoice = issued(actors)

    with pytest.raises(NotAllowed):
        services.invoice_record_payment(actor=getattr(actors, who), invoice=invoice, paid_on=MARCH_31)
    assert Invoice.objects.get().status == "issued"


def test_payment_refusals(actors: Actors) -> None:
    invoice = issued(actors)
    a_draft = draft(actors)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    early = refused(
        services.invoice_record_payment, actor=actors.member_admin_a, invoice=invoice, paid_on=dt.date(2026, 3, 1)
    )
    future = refused(services.invoice_record_payment, actor=actors.member_admin_a, invoice=invoice, paid_on=tomorrow)
    unissued = refused(services.invoice_record_payment, actor=actors.member_admin_a, invoice=a_draft, paid_on=MARCH_31)
    services.invoice_record_payment(actor=actors.member_admin_a, invoice=invoice, paid_on=MARCH_31)
    twice = refused(services.invoice_record_payment, actor=actors.member_admin_a, invoice=invoice, paid_on=MARCH_31)

    assert (early.field, early.message) == ("paid_on", "The payment date cannot be before the issue date (03/02/2026).")
    assert (future.field, future.message) == ("paid_on", "The payment date cannot be in the future.")
    assert unissued.message == "A draft cannot be paid: issue it first."
    assert twice.message == "Invoice F-2026-00001 was already paid on 03/31/2026."


def test_a_credit_note_cancels_the_whole_invoice_and_reverses_its_posting(
    actors: Actors, django_capture_on_commit_callbacks: Any
) -> None:
    invoice = issued(actors, lines=worked_example_lines(), notes="Séminaire")

    with django_capture_on_commit_callbacks(execute=True):
        note = services.credit_note_create(
            actor=actors.member_admin_a, invoice=invoice, reason=" Prestation annulée ", issue_date=dt.date(2026, 3, 5)
        )

    invoice.refresh_from_db()
    assert invoice.status == "cancelled"
    assert (note.kind, note.status, note.number, note.cancels, note.reason, note.notes) == (
        "credit_note",
        "issued",
        "AV-2026-00002",
        invoice,
        "Prestation annulée",
        "Séminaire",
    )
    assert note.total_incl_vat_cents == invoice.total_incl_vat_cents == 121125
    assert list(note.lines.values_list("label", "quantity", "unit_price_cents", "vat_rate", "vat_exemption")) == list(
        invoice.lines.values_list("label", "quantity", "unit_price_cents", "vat_rate", "vat_exemption")
    )
    reversal = Transfer.objects.get(code="invoice.credit_note")
    assert (reversal.debit_account.number, reversal.credit_account.number) == (
        payable(actors.org_b),
        receivable(actors.org_a),
    )
    assert (reversal.amount, reversal.journal, reversal.piece, reversal.reference) == (
        121125,
        "VT",
        "AV-2026-00002",
        f"invoice:{note.pk}",
    )
    assert accounts_of(actors) == {"411A": 0, "401A": 0, "411B": 0, "401B": 0}
    assert [m.subject for m in mail.outbox] == ["Credit note AV-2026-00002 from Les Jardins du Buëch"]
    assert verify().ok


def test_credit_note_refusals(actors: Actors) -> None:
    invoice = issued(actors)
    paid = issued(actors)
    services.invoice_record_payment(actor=actors.member_admin_a, invoice=paid, paid_on=MARCH_31)
    a_draft = draft(actors)

    no_reason = refused(services.credit_note_create, actor=actors.member_admin_a, invoice=invoice, reason="  ")
    of_paid = refused(services.credit_note_create, actor=actors.member_admin_a, invoice=paid, reason="Erreur")
    of_draft = refused(services.credit_note_create, actor=actors.member_admin_a, invoice=a_draft, reason="Erreur")
    too_early = refused(
        services.credit_note_create,
        actor=actors.member_admin_a,
        invoice=invoice,
        reason="Erreur",
        issue_date=dt.date(2026, 3, 1),
    )
    note = services.credit_note_create(actor=actors.member_admin_a, invoice=invoice, reason="Erreur")
    twice = refused(services.credit_note_create, actor=actors.member_admin_a, invoice=invoice, reason="Encore")
    of_note = refused(services.credit_note_create, actor=actors.member_admin_a, invoice=note, reason="Encore")
    pay_cancelled = refused(
        services.invoice_record_payment, actor=actors.member_admin_a, invoice=invoice, paid_on=MARCH_31
    )
    pay_note = refused(services.invoice_record_payment, actor=actors.member_admin_a, invoice=note, paid_on=MARCH_31)

    assert (no_reason.field, no_reason.message) == (
        "reason",
        "Give the reason for the credit note: it is printed on it.",
    )
    assert of_paid.message.startswith("Invoice F-2026-00002 has been paid: it cannot be cancelled by a credit note.")
    assert of_draft.message == "A draft has no number yet: change it instead of cancelling it."
    assert too_early.field == "issue_date"
    assert twice.message == f"Invoice F-2026-00001 has already been cancelled by credit note {note.number}."
    assert of_note.message == "A credit note cannot itself be cancelled."
    assert pay_cancelled.message == (
        "Invoice F-2026-00001 has been cancelled by a credit note: there is nothing to pay."
    )
    assert pay_note.message == "A credit note is not paid: it cancels an invoice."


@pytest.mark.parametrize("who", ["member_user_a", "member_admin_b", "coordinator", "treasurer"])
def test_only_the_issuers_admins_cancel(actors: Actors, who: str) -> None:
    invoice = issued(actors)

    with pytest.raises(NotAllowed):
        services.credit_note_create(actor=getattr(actors, who), invoice=invoice, reason="Erreur")
    assert Invoice.objects.count() == 1


def test_the_hub_invoices_a_member_and_the_treasurer_collects(actors: Actors) -> None:
    invoice = issued(actors, issuer="hub", recipient="b", actor=actors.coordinator)

    assert balance("411HUB") == invoice.total_incl_vat_cents
    assert Account.objects.get(number="411HUB").label == "Créances internes — Altitudes Coopérantes"
    assert Account.objects.get(number="411HUB").owner is None
    services.invoice_record_payment(actor=actors.treasurer, invoice=invoice, paid_on=MARCH_31)
    assert balance("411HUB") == balance(payable(actors.org_b)) == 0
    with pytest.raises(NotAllowed):
        services.invoice_record_payment(
            actor=actors.coordinator, invoice=issued(actors, issuer="hub"), paid_on=MARCH_31
        )


# --- The invoice another app issues ------------------------------------------------------------------


def test_invoice_create_issued_issues_at_once_and_only_once_per_source(actors: Actors) -> None:
    arguments: dict[str, Any] = {
        "issuer": None,
        "recipient": actors.org_b,
        "lines": [line("Salle du Buëch, 12 h", "12", 1500, 2000)],
        "issue_date": MARCH_31,
        "due_date": dt.date(2026, 4, 30),
        "source": "bookings:2026-03:owner=hub:org=b",
    }

    first = services.invoice_create_issued(**arguments, notes="Réservations de mars 2026")
    again = services.invoice_create_issued(**{**arguments, "lines": [line(unit_price_cents=1)]})

    assert again.pk == first.pk
    assert (first.status, first.number, first.source, first.total_incl_vat_cents) == (
        "issued",
        "F-2026-00001",
        "bookings:2026-03:owner=hub:org=b",
        21600,
    )
    assert Invoice.objects.count() == 1
    assert Transfer.objects.count() == 1
    event = AuditEvent.objects.get(action="invoice.issue")
    assert (event.actor, event.data["source"]) == (None, "bookings:2026-03:owner=hub:org=b")
    assert verify().ok


def test_invoice_create_issued_refuses_and_writes_nothing(actors: Actors) -> None:
    base: dict[str, Any] = {
        "issuer": actors.org_a,
        "recipient": actors.org_b,
        "lines": [line()],
        "issue_date": MARCH_31,
        "due_date": dt.date(2026, 4, 30),
        "source": "bookings:2026-03:owner=a:org=b",
    }
    services.invoice_create_issued(**base)

    blank = refused(services.invoice_create_issued, **{**base, "source": " "})
    other_parties = refused(services.invoice_create_issued, **{**base, "recipient": None})
    bad_line = refused(services.invoice_create_issued, **{**base, "source": "x", "lines": [line(quantity="0")]})
    zero = refused(services.invoice_create_issued, **{**base, "source": "y", "lines": [line(unit_price_cents=0)]})

    assert blank.field == "source"
    assert other_parties.field == "source"
    assert "already invoiced, as F-2026-00001, between other parties" in other_parties.message
    assert bad_line.field == "lines.0.quantity"
    assert zero.field == "lines"


def test_invoice_create_issued_joins_the_callers_transaction(actors: Actors) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.invoice_create_issued(
            issuer=actors.org_a,
            recipient=actors.org_b,
            lines=[line()],
            issue_date=MARCH_31,
            due_date=MARCH_31,
            source="bookings:2026-03:owner=a:org=b",
        )
        raise RuntimeError("the caller failed after")

    assert not Invoice.objects.exists()
    assert not Transfer.objects.exists()
    assert numbers_of(actors.org_a) == []


# --- What the database refuses whatever the code does --------------------------------------------


def refused_by_the_database(sql: str, *params: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        raw(sql, *params)


def test_the_database_refuses_to_change_an_issued_invoice_or_its_lines(actors: Actors) -> None:
    invoice = issued(actors)
    line_pk = InvoiceLine.objects.get(invoice=invoice).pk

    for column, value in [
        ("total_incl_vat_cents", 1),
        ("number", "F-2026-00009"),
        ("due_date", "2026-12-31"),
        ("recipient_id", None),
        ("status", "draft"),
    ]:
        refused_by_the_database(f"UPDATE invoicing_invoice SET {column} = %s WHERE id = %s", value, invoice.pk)  # noqa: S608
    refused_by_the_database("DELETE FROM invoicing_invoice WHERE id = %s", invoice.pk)
    refused_by_the_database("UPDATE invoicing_invoiceline SET unit_price_cents = 1 WHERE id = %s", line_pk)
    refused_by_the_database("DELETE FROM invoicing_invoiceline WHERE id = %s", line_pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.create(
            invoice=invoice,
            position=2,
            label="Ajout",
            quantity=1,
            unit_price_cents=1,
            vat_rate=2000,
            amount_excl_vat_cents=1,
            vat_cents=0,
        )

    invoice.refresh_from_db()
    assert (invoice.status, invoice.number, invoice.total_incl_vat_cents) == ("issued", "F-2026-00001", 12000)


def test_the_database_lets_an_issued_invoice_be_paid_once(actors: Actors) -> None:
    invoice = issued(actors)

    raw("UPDATE invoicing_invoice SET status = 'paid', paid_on = %s WHERE id = %s", MARCH_31, invoice.pk)

    refused_by_the_database("UPDATE invoicing_invoice SET paid_on = %s WHERE id = %s", MARCH_2, invoice.pk)
    refused_by_the_database("UPDATE invoicing_invoice SET status = 'issued', paid_on = NULL WHERE id = %s", invoice.pk)


def test_the_database_moves_a_counter_one_step_up_only(actors: Actors) -> None:
    issued(actors)
    counter = InvoiceCounter.objects.get()

    refused_by_the_database("UPDATE invoicing_invoicecounter SET last_number = 0 WHERE id = %s", counter.pk)
    refused_by_the_database("UPDATE invoicing_invoicecounter SET last_number = 3 WHERE id = %s", counter.pk)
    refused_by_the_database("DELETE FROM invoicing_invoicecounter WHERE id = %s", counter.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceCounter.objects.create(issuer=actors.org_a)

    assert InvoiceCounter.objects.get().last_number == 1


def test_the_database_refuses_two_invoices_with_one_number(actors: Actors) -> None:
    issued(actors)
    other = draft(actors)

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=other.pk).update(
            status="issued", sequence_number=1, number="F-2026-00001", issue_date=MARCH_2
        )


def test_the_database_refuses_inconsistent_rows(actors: Actors) -> None:
    a_draft = draft(actors)

    for change in [
        {"status": "issued"},  # no number
        {"status": "paid"},
        {"recipient": actors.org_a},
        {"total_incl_vat_cents": 1},
        {"kind": "credit_note"},
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Invoice.objects.filter(pk=a_draft.pk).update(**change)
    for change in [{"quantity": 0}, {"vat_rate": 1960}, {"vat_rate": 0}, {"vat_exemption": "293B"}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            InvoiceLine.objects.filter(invoice=a_draft).update(**change)
