"""The demo hub's multilateral clearing: three months of service invoices between members
(`clearing_data`), who signed the set-off agreement and who did not, one run executed on last
month's invoices and, on top of this month's, a proposal waiting for the coordinator.

Two steps, because invoice numbers follow issue dates (one sequence per issuer, CGI annex II
art. 242 nonies A): `issue_invoices` runs inside the loader's transaction before the premises are
invoiced (those invoices are dated the day of the load, these in the months before); `load_clearing`
runs after the rest of the demo has committed, because the consents, payments, dispute and runs go
through their services, each its own durable transaction. The run and the proposal are computed
and executed by the demo's coordinator like from the web page; the run's invoices are those issued
up to the end of last month, its value date is the day of the load (the services set it).

Idempotent: an invoice is found again by its source, a member that signed once (even if it
withdrew since) is not asked again, a payment or a dispute is made only on an invoice still open
and never contested, and the runs are computed only while the demo has none of its own. No e-mail
is sent while loading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cordee.clearing.models import Consent, Run
from cordee.clearing.services import consent_sign, run_compute, run_execute
from cordee.core.audit import audit
from cordee.core.mail import silenced
from cordee.core.models import User
from cordee.demo.clearing_data import (
    INVOICES,
    NOT_SIGNED,
    WITHDRAWN,
    WITHDRAWN_DAY,
    WITHDRAWN_MONTHS_AGO,
    DemoInvoice,
)
from cordee.demo.data import ORGANISATIONS
from cordee.invoicing.models import Dispute, Invoice, InvoiceCounter
from cordee.invoicing.services import invoice_create_issued, invoice_dispute_open, invoice_record_payment
from cordee.invoicing.totals import LineData
from cordee.network.models import Affiliation, Membership, Organisation

COORDINATOR = "animateur@demo.cordee.example"
TREASURER = "tresorier@demo.cordee.example"
SOURCE = "demo:clearing:{key}"
PAYMENT_DAYS = 30
# The members signed in the weeks after the assembly that adopted the agreement, before the three
# months of invoices: between these many days ago.
SIGNED_DAYS_AGO = (105, 195)


@dataclass
class ClearingSummary:
    consents: int = 0  # in force
    invoices: int = 0  # the demo's service invoices
    executed_cleared_cents: int = 0
    proposed_cleared_cents: int | None = None  # None: no proposal waiting
    invoices_created: int = 0
    consents_created: int = 0
    runs_created: int = 0

    @property
    def created(self) -> int:
        return self.invoices_created + self.consents_created + self.runs_created


def source_of(entry: DemoInvoice) -> str:
    return SOURCE.format(key=entry.key)


def issue_date_of(entry: DemoInvoice, today: dt.date) -> dt.date:
    """Its day in its month: one of the last three full months, or this one but never after today."""
    month = today.replace(day=1) - relativedelta(months=entry.months_ago)
    return min(month.replace(day=min(entry.day, 28)), today)


def issue_invoices(by_name: Mapping[str, Organisation], *, today: dt.date | None = None) -> int:
    """Issue the demo's service invoices that are missing, oldest first; returns how many. Runs in
    the caller's transaction (the loader's), before anything else of the demo is invoiced."""
    today = today or timezone.localdate()
    created = 0
    for entry in sorted(INVOICES, key=lambda entry: issue_date_of(entry, today)):
        source = source_of(entry)
        if Invoice.objects.filter(source=source).exists():
            continue
        issuer = by_name[entry.issuer] if entry.issuer else None
        # On a database where the issuer invoiced since (a demo loaded before this step existed),
        # the number can only follow: the invoice is dated that day instead.
        last = (
            InvoiceCounter.objects.filter(issuer=issuer).values_list("last_issue_date", flat=True).first()
            or dt.date.min
        )
        issue_date = max(issue_date_of(entry, today), last)
        invoice_create_issued(
            issuer=issuer,
            recipient=by_name[entry.recipient] if entry.recipient else None,
            lines=[_line(label, quantity, cents, entry.vat) for label, quantity, cents in entry.lines],
            issue_date=issue_date,
            due_date=issue_date + dt.timedelta(days=PAYMENT_DAYS),
            source=source,
            notify=False,
        )
        created += 1
    return created


def _line(label: str, quantity: str, unit_price_cents: int, vat: int | str) -> LineData:
    if isinstance(vat, str):
        return LineData(label, Decimal(quantity), unit_price_cents, vat_rate=0, vat_exemption=vat)
    return LineData(label, Decimal(quantity), unit_price_cents, vat_rate=vat)


def load_clearing(summary: ClearingSummary | None = None) -> ClearingSummary:
    """Sign the consents, pay and contest what the story says, compute and execute last month's run
    and compute this month's proposal, as far as not done yet. Call it outside any transaction."""
    summary = summary or ClearingSummary()
    with silenced():
        _Loader(summary).run()
    demo_invoices = Invoice.objects.filter(source__startswith=SOURCE.format(key=""))
    summary.invoices = demo_invoices.count()
    summary.consents = Consent.objects.filter(withdrawn_on__isnull=True).count()
    summary.executed_cleared_cents = (
        Run.objects.filter(status=Run.Status.EXECUTED).aggregate(total=Sum("cleared_cents"))["total"] or 0
    )
    summary.proposed_cleared_cents = (
        Run.objects.filter(status=Run.Status.PROPOSED).values_list("cleared_cents", flat=True).first()
    )
    return summary


class _Loader:
    def __init__(self, summary: ClearingSummary) -> None:
        self.summary = summary
        self.today = timezone.localdate()
        self.coordinator = User.objects.get(email=COORDINATOR)
        self.treasurer = User.objects.get(email=TREASURER)

    def run(self) -> None:
        self._consents()
        invoices = Invoice.objects.in_bulk(
            [source_of(entry) for entry in INVOICES if entry.paid_after_days or entry.dispute], field_name="source"
        )
        for entry in INVOICES:
            invoice = invoices.get(source_of(entry))
            if invoice is None or invoice.status != Invoice.Status.ISSUED or invoice.settlements.exists():
                continue
            if entry.paid_after_days is not None:
                assert invoice.issue_date is not None
                paid_on = min(invoice.issue_date + dt.timedelta(days=entry.paid_after_days), self.today)
                invoice_record_payment(actor=self.treasurer, invoice=invoice, paid_on=paid_on)
            if entry.dispute and not Dispute.objects.filter(invoice=invoice).exists():
                self._dispute(invoice, entry.dispute)
        self._runs()

    def _consents(self) -> None:
        signed = set(Consent.objects.values_list("organisation_id", flat=True))
        members = (
            Organisation.objects.filter(
                name__in=[entry.name for entry in ORGANISATIONS],
                membership__status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED],
            )
            .exclude(name__in=NOT_SIGNED)
            .select_related("membership")
            .order_by("pk")
        )
        first, last = SIGNED_DAYS_AGO
        for index, organisation in enumerate(members):
            if organisation.pk in signed:
                continue
            consent = consent_sign(
                actor=self.coordinator,
                organisation=organisation,
                signatory=_signatory(organisation),
                signed_on=self.today - dt.timedelta(days=last - index * 11 % (last - first)),
            )
            self.summary.consents_created += 1
            if organisation.name == WITHDRAWN:
                self._withdraw(consent)

    def _withdraw(self, consent: Consent) -> None:
        """Withdrawn by the member's admin on a day of the story: the service withdraws today."""
        withdrawn_on = self.today.replace(day=1) - relativedelta(months=WITHDRAWN_MONTHS_AGO)
        withdrawn_on = max(withdrawn_on.replace(day=WITHDRAWN_DAY), consent.signed_on)
        admin = _admin(consent.organisation) or self.coordinator
        with transaction.atomic():
            consent.withdrawn_on = withdrawn_on
            consent.withdrawn_by = admin
            consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
            audit(actor=admin, action="clearing.consent.withdraw", target=consent, source="demo")

    def _dispute(self, invoice: Invoice, reason: str) -> None:
        assert invoice.recipient is not None and invoice.issue_date is not None
        admin = _admin(invoice.recipient) or self.coordinator
        dispute = invoice_dispute_open(actor=admin, invoice=invoice, reason=reason)
        # Contested a few days after it arrived, not this morning (as the treasury's demo does).
        opened_at = timezone.make_aware(dt.datetime.combine(invoice.issue_date + dt.timedelta(days=4), dt.time(9, 30)))
        Dispute.objects.filter(pk=dispute.pk).update(opened_at=min(opened_at, timezone.now()))

    def _runs(self) -> None:
        if not Run.objects.exists():
            run = run_compute(actor=self.coordinator, as_of=self.today.replace(day=1) - dt.timedelta(days=1))
            self.summary.runs_created += 1
            if run.cleared_cents:
                run_execute(actor=self.coordinator, run=run)
        runs = list(Run.objects.all()[:2])
        if len(runs) == 1 and runs[0].status == Run.Status.EXECUTED:
            run_compute(actor=self.coordinator)
            self.summary.runs_created += 1


def _admin(organisation: Organisation) -> User | None:
    """The organisation's first member admin, who acts in its name."""
    return (
        User.objects.filter(
            is_active=True, affiliations__organisation=organisation, affiliations__role=Affiliation.Role.ADMIN
        )
        .order_by("pk")
        .first()
    )


def _signatory(organisation: Organisation) -> str:
    """Who signed on paper: its president if the demo knows one, else its first member admin."""
    affiliations = organisation.affiliations.select_related("person").order_by("pk")
    chosen = next(
        (a for a in affiliations if a.position.lower().startswith("présid")),
        next((a for a in affiliations if a.role == Affiliation.Role.ADMIN), None),
    )
    if chosen is None:
        return "Le représentant légal"
    position = chosen.position.split(",")[0].strip()
    return f"{chosen.person.full_name}, {position[:1].lower()}{position[1:]}" if position else chosen.person.full_name
