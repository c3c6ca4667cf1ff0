"""Clearing statements (*relevés de compensation*): the PDF each party of an executed run receives.

A statement shows one party (a member, or the hub) what the run cleared for it: every invoice it
owed and every invoice it was owed that the run settled, wholly or in part, with what was open
before and what is left; its totals before and after (it owes and is owed less by the same amount,
so its net position does not move); and the legal basis of the set-off, the multilateral
conventional set-off (*compensation conventionnelle*, Code civil art. 1347 et seq.) that the party
accepted by signing the hub's set-off agreement.

Like the treasury's and the shared staff's documents, a statement is a record of the hub's books:
always in French, with French numbers and dates, whatever language the reader uses; its wording is
in the template, not in the translation catalogue. Nothing is stored: it is drawn again from the
run's rows whenever asked for. A proposal has no statement: nothing was set off yet.

After a run is executed, each member whose debts moved receives its statement by e-mail, in a task
of its own (`send_statement`): drawing the PDFs is slow work for the task worker, not the request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from cordee.clearing import selectors
from cordee.clearing.models import AGREEMENT_VERSION, Consent, Position, Run
from cordee.clearing.services import CHUNK
from cordee.core.errors import DomainError
from cordee.core.mail import is_silenced
from cordee.core.money import format_cents
from cordee.network.models import Affiliation, Organisation
from cordee.network.parties import Party, hub_party, member_party

PDF = "application/pdf"


class StatementUnavailable(DomainError):
    """There is no statement for this party in this run: a proposal, or a party the run left out."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="document_unavailable")


@dataclass(frozen=True)
class Line:
    """One invoice the run cleared, seen from the party."""

    number: str
    issue_date: dt.date | None
    due_date: dt.date
    counterpart: str
    open_cents: int
    cleared_cents: int

    @property
    def left_cents(self) -> int:
        return self.open_cents - self.cleared_cents


@dataclass(frozen=True)
class Statement:
    run: Run
    party: Party
    organisation: Organisation | None  # None: the hub
    position: Position
    debts: list[Line]  # what the party owed
    claims: list[Line]  # what the party was owed
    consent: Consent | None

    @property
    def filename(self) -> str:
        who = f"membre-{self.organisation.pk}" if self.organisation is not None else "pole"
        return f"releve-compensation-{self.run.reference}-{who}.pdf"


def consent_of(run: Run, organisation_id: int) -> Consent | None:
    """The consent under which the party took part: signed by the date of the run's invoices and
    still in force when the run was executed."""
    executed_on = run.executed_on or timezone.localdate()
    return (
        Consent.objects.filter(organisation_id=organisation_id, signed_on__lte=run.as_of)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=executed_on))
        .order_by("-signed_on", "-pk")
        .first()
    )


def statement_of(run: Run, organisation_id: int | None) -> Statement:
    """The statement of one party (None: the hub) of an executed run."""
    if run.status != Run.Status.EXECUTED:
        raise StatementUnavailable(_("A proposal has no statement: nothing has been set off yet."))
    positions = run.positions.select_related("organisation__commune", "organisation__legal_form")
    mine = Q(organisation__isnull=True) if organisation_id is None else Q(organisation_id=organisation_id)
    position = positions.filter(mine).first()
    if position is None:
        raise StatementUnavailable(_("This party had no open invoice in the clearing."))
    debts: list[Line] = []
    claims: list[Line] = []
    for allocation in selectors.allocations_of(run, organisation_id).order_by("invoice__due_date", "invoice_id"):
        invoice = allocation.invoice
        owes = allocation.debtor_id == organisation_id
        line = Line(
            number=invoice.number,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            counterpart=invoice.issuer_name if owes else invoice.recipient_name,
            open_cents=allocation.open_cents,
            cleared_cents=allocation.amount_cents,
        )
        (debts if owes else claims).append(line)
    organisation = position.organisation
    return Statement(
        run=run,
        party=member_party(organisation) if organisation is not None else hub_party(),
        organisation=organisation,
        position=position,
        debts=debts,
        claims=claims,
        consent=consent_of(run, organisation.pk) if organisation is not None else None,
    )


def statement_context(statement: Statement) -> dict[str, Any]:
    position = statement.position
    return {
        "title": "Relevé de compensation multilatérale",
        "reference": f"{statement.run.reference} — {statement.party.name}",
        "hub": hub_party(),
        "printed_on": timezone.localdate(),
        "run": statement.run,
        "party": statement.party,
        "is_hub": statement.organisation is None,
        "position": position,
        "debts": statement.debts,
        "claims": statement.claims,
        "debts_open_cents": sum(line.open_cents for line in statement.debts),
        "debts_cleared_cents": sum(line.cleared_cents for line in statement.debts),
        "debts_left_cents": sum(line.left_cents for line in statement.debts),
        "claims_open_cents": sum(line.open_cents for line in statement.claims),
        "claims_cleared_cents": sum(line.cleared_cents for line in statement.claims),
        "claims_left_cents": sum(line.left_cents for line in statement.claims),
        "consent": statement.consent,
        "agreement_version": statement.consent.agreement_version if statement.consent else AGREEMENT_VERSION,
    }


def _render(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint  # heavy: loaded when a document is asked for, not with every page

    with translation.override("fr"):
        html = render_to_string(template, context)
    # Nothing to fetch from outside: no protocol allowed, so no name typed by a member can make the
    # server read a file or a URL.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf


def statement_pdf_of(statement: Statement) -> bytes:
    return _render("clearing/statement.html", statement_context(statement))


def statement_pdf(run: Run, organisation_id: int | None) -> bytes:
    """The statement of one party (None: the hub) of an executed run, as PDF."""
    return statement_pdf_of(statement_of(run, organisation_id))


# --- Sending ---------------------------------------------------------------------------------


def admin_emails(organisation_ids: list[int]) -> dict[int, list[str]]:
    """The member admins of each organisation, who receive its statements: one query for all."""
    emails: dict[int, set[str]] = {}
    for start in range(0, len(organisation_ids), CHUNK):
        rows = Affiliation.objects.filter(
            organisation_id__in=organisation_ids[start : start + CHUNK],
            role=Affiliation.Role.ADMIN,
            person__is_active=True,
            person__erased_at__isnull=True,
        ).exclude(person__email="")
        for organisation_id, email in rows.values_list("organisation_id", "person__email"):
            emails.setdefault(organisation_id, set()).add(email)
    return {organisation_id: sorted(addresses) for organisation_id, addresses in emails.items()}


def send_all(run: Run) -> None:
    """E-mail each member cleared its statement, once the transaction that executed the run has
    committed (at once outside one). Nothing is sent where e-mails are silenced (the demo)."""
    if is_silenced() or run.status != Run.Status.EXECUTED:
        return
    members = [
        organisation_id
        for organisation_id in run.positions.filter(organisation__isnull=False, cleared_cents__gt=0)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
        if organisation_id is not None
    ]
    recipients = admin_emails(members)
    for organisation_id in members:
        to = recipients.get(organisation_id)
        if to:
            transaction.on_commit(
                lambda pk=organisation_id, to=to: send_statement.enqueue(  # type: ignore[misc]
                    run_id=run.pk, organisation_id=pk, to=to
                )
            )


@task()
def send_statement(*, run_id: int, organisation_id: int, to: list[str]) -> int:
    """Draw one member's statement and e-mail it to its admins, the PDF attached."""
    run = Run.objects.get(pk=run_id)
    statement = statement_of(run, organisation_id)
    context = statement_context(statement)
    position = statement.position
    figures = {
        "owes": position.owes_cents,
        "owed": position.owed_cents,
        "cleared": position.cleared_cents,
        "owes_after": position.owes_after_cents,
        "owed_after": position.owed_after_cents,
    }
    mail_context = {
        **context,
        **{name: format_cents(cents, "fr") for name, cents in figures.items()},
        "invoices": len(statement.debts) + len(statement.claims),
    }
    with translation.override("fr"):
        subject = " ".join(render_to_string("clearing/email/statement_subject.txt", mail_context).split())
        body = render_to_string("clearing/email/statement_body.txt", mail_context)
    message = EmailMessage(subject=subject, body=body, to=to)
    message.attach(statement.filename, _render("clearing/statement.html", context), PDF)
    return message.send()
