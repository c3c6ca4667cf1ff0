"""The treasury's documents: the advance agreement, its repayment schedule, the committee's minute,
the attestation pack of a deposit, a member's statement and the yearly list of agreements.

Each is a PDF drawn by WeasyPrint from an HTML template, as the invoices are
(`cordee.invoicing.pdf`); the yearly list also comes as CSV for the annual report's spreadsheets.

These are the hub's legal records (contracts, minutes, the annex of the annual report), so they are
always in French, with French numbers and dates, whatever language the reader uses the site in.
Their wording, the labels of the choices included, is written here and in the templates rather than
taken from the translation catalogue: a missing or reworded translation must not change the text of
a signed agreement. Only the reasons of the automatic checks come from `selectors.advance_checks`,
in the catalogue's French.

Everything is read from the rows when the document is asked for; nothing is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.core.money import format_cents
from cordee.governance import rules as vote_rules
from cordee.governance.models import Decision
from cordee.governance.selectors import Tally, recused_of, tally, votes_of
from cordee.governance.services import entitled_seats
from cordee.lib import schedules
from cordee.network.models import Organisation
from cordee.network.parties import hub_party, member_party
from cordee.treasury import selectors
from cordee.treasury.models import (
    Advance,
    Deposit,
    Instalment,
    Regime,
    Repayment,
    RepaymentMode,
    Schedule,
    TreasurySettings,
    Withdrawal,
)
from cordee.treasury.positions import amounts_due, current_schedule, position
from cordee.treasury.regimes import Rules, rules_for


class DocumentUnavailable(DomainError):
    """The document does not exist (yet) for this row: an agreement before the committee granted
    the advance, a minute before the vote closed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="document_unavailable")


# --- The French wording -------------------------------------------------------------------------

REGIMES = {
    Regime.NONPROFIT: "Prêts entre organismes sans but lucratif entretenant des relations étroites",
    Regime.FEDERATION: "Prêts d'une union ou fédération d'associations à ses associations membres",
    Regime.HUB_FUND: "Fonds propres du pôle prêtés à ses membres de l'économie sociale et solidaire",
}
REGIME_SUMMARIES = {
    Regime.NONPROFIT: (
        "Prêts consentis à titre accessoire entre organismes sans but lucratif (CGI, art. 261-7-1°) "
        "entretenant des relations étroites : taux plafonné au taux moyen de rendement des obligations (TMO), "
        "durée de cinq ans au plus, chaque prêteur engageant au plus la moitié de sa trésorerie nette "
        "disponible au 1er janvier, sur approbation de son organe dirigeant et attestation de son commissaire "
        "aux comptes ou, à défaut, de son expert-comptable."
    ),
    Regime.FEDERATION: (
        "Prêts d'une union ou fédération d'associations à ses associations membres, à taux zéro et pour une "
        "durée inférieure à deux ans."
    ),
    Regime.HUB_FUND: (
        "Le pôle prête ses fonds propres (subventions, dons affectés) aux membres de l'économie sociale et "
        "solidaire ; aucun apport des membres n'est prêté."
    ),
}
MODES = {
    RepaymentMode.BULLET: "en une seule échéance (à l'encaissement de la subvention)",
    RepaymentMode.ANNUITY: "par échéances mensuelles constantes",
    RepaymentMode.LINEAR: "par amortissement mensuel constant du capital",
}
SOURCES = {
    Advance.Source.SUBSIDY: "Subvention accordée",
    Advance.Source.SALES: "Ventes ou prestations",
    Advance.Source.OTHER: "Autre",
}
ADVANCE_STATUSES = {
    Advance.Status.REQUESTED: "Demandée",
    Advance.Status.APPROVED: "Accordée, non versée",
    Advance.Status.REFUSED: "Refusée",
    Advance.Status.EXPIRED: "Accord caduc",
    Advance.Status.CANCELLED: "Retirée",
    Advance.Status.DISBURSED: "Versée, en remboursement",
    Advance.Status.REPAID: "Remboursée",
    Advance.Status.WRITTEN_OFF: "Passée en perte",
}
DEPOSIT_KINDS = {
    Deposit.Kind.LOAN: "Apport en trésorerie",
    Deposit.Kind.RETURNABLE: "Apport avec droit de reprise",
}
DEPOSIT_STATUSES = {
    Deposit.Status.PROPOSED: "Proposé, non reçu",
    Deposit.Status.CONFIRMED: "Reçu",
    Deposit.Status.CLOSED: "Remboursé",
    Deposit.Status.CANCELLED: "Annulé",
}
WITHDRAWAL_STATUSES = {
    Withdrawal.Status.REQUESTED: "Demandé",
    Withdrawal.Status.PAID: "Payé",
    Withdrawal.Status.REFUSED: "Refusé",
    Withdrawal.Status.CANCELLED: "Annulé",
}
SCHEDULE_REASONS = {
    Schedule.Reason.INITIAL: "Échéancier initial",
    Schedule.Reason.PREPAYMENT: "Remboursement anticipé",
    Schedule.Reason.RESCHEDULING: "Rééchelonnement",
}
VOTES = {"for": "Pour", "against": "Contre", "abstain": "Abstention"}
OUTCOMES = {
    Decision.Outcome.APPROVED: "Adoptée",
    Decision.Outcome.REJECTED: "Rejetée",
    Decision.Outcome.NO_QUORUM: "Quorum non atteint : pas de décision",
}
MAJORITIES = {
    vote_rules.SIMPLE: "majorité simple (plus de voix pour que contre)",
    vote_rules.ABSOLUTE: "majorité absolue (plus de la moitié des suffrages exprimés, abstentions comprises)",
    vote_rules.TWO_THIRDS: "majorité des deux tiers des suffrages exprimés",
    vote_rules.UNANIMITY: "unanimité (aucune voix contre)",
}
CHECKS = {
    "regime": "Régime légal",
    "membership": "Adhésion active",
    "exposure": "Encours du membre",
    "liquidity": "Réserve de liquidité",
    "concentration": "Concentration sur un membre",
    "history": "Historique de remboursement",
}
# The statuses in which the checks can be recomputed as the committee saw them: once the advance
# is paid, it counts in the member's exposure and the pool's cash and would be counted twice.
CHECKS_RECOMPUTABLE = ("requested", "approved", "refused", "expired", "cancelled")
GRANTED = ("approved", "disbursed", "repaid", "written_off")
IN_THE_BOOKS = ("disbursed", "repaid", "written_off")


def percent(basis_points: int) -> str:
    """100 -> "1 %", 125 -> "1,25 %" (French, no float)."""
    number = format_decimal(Decimal(basis_points).scaleb(-2), format="#,##0.##", locale="fr_FR")
    return f"{number}\u00a0%"


def _csv_amount(cents: int) -> str:
    """12345 -> "123,45": a number a French spreadsheet reads, without thousands separators."""
    return format(Decimal(cents).scaleb(-2), "f").replace(".", ",")


def _day(value: dt.date | None) -> str:
    return formats.date_format(value, "d/m/Y") if value else ""


# --- Parts shared by the documents ---------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """An instalment as a document prints it."""

    number: int
    due_on: dt.date
    principal_cents: int
    interest_cents: int
    status: str = ""

    @property
    def total_cents(self) -> int:
        return self.principal_cents + self.interest_cents


def _regime() -> tuple[TreasurySettings, Rules]:
    settings_row = TreasurySettings.current()
    return settings_row, rules_for(settings_row.regime)


def _common(title: str, reference: str) -> dict[str, Any]:
    settings_row, rules = _regime()
    return {
        "title": title,
        "reference": reference,
        "hub": hub_party(),
        "printed_on": timezone.localdate(),
        "regime": REGIMES[Regime(settings_row.regime)],
        "regime_summary": REGIME_SUMMARIES[Regime(settings_row.regime)],
        "citation": rules.citation,
        "settings_row": settings_row,
    }


def _render(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint  # heavy: loaded when a document is asked for, not with every page

    with translation.override("fr"):
        html = render_to_string(template, context)
    # Nothing to fetch from outside: no protocol allowed, so nothing a member typed can make the
    # server read a file or a URL.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf


def _term(advance: Advance) -> str:
    term = f"{advance.term_months} mois"
    if advance.grace_months:
        term += f", dont {advance.grace_months} mois de différé d'amortissement du capital"
    return term


def _deposit_term(deposit: Deposit) -> str:
    if deposit.term_date:
        return f"jusqu'au {_day(deposit.term_date)}"
    if deposit.notice_days:
        return f"sans terme fixe, préavis de {deposit.notice_days} jours"
    return "sans terme fixe"


def _instalment_status(due_on: dt.date, total_cents: int, unpaid_cents: int, today: dt.date) -> str:
    if unpaid_cents == 0:
        return "payée"
    late = due_on <= today
    if unpaid_cents < total_cents:
        left = f"reste {_money(unpaid_cents)}"
        return f"partiellement payée, {left}, en retard" if late else f"partiellement payée, {left}"
    return "impayée, en retard" if late else "à venir"


def _money(cents: int) -> str:
    return format_cents(cents, "fr")


def _lines_in_force(advance: Advance, today: dt.date) -> list[Line]:
    return [
        Line(
            due.number,
            due.due_on,
            due.principal_cents,
            due.interest_cents,
            _instalment_status(due.due_on, due.principal_cents + due.interest_cents, due.unpaid_cents, today),
        )
        for due in amounts_due(advance, today)
    ]


def provisional_lines(advance: Advance) -> list[Line]:
    """The schedule the advance would have if paid on the day it was approved (the dates run from
    the actual disbursement); computed as `advance_disburse` will."""
    assert advance.amount_cents is not None
    start = advance.approved_on or timezone.localdate()
    bullet_due = None
    if advance.mode == RepaymentMode.BULLET and advance.expected_payment_on and advance.expected_payment_on > start:
        bullet_due = advance.expected_payment_on
    try:
        rows = schedules.build_schedule(
            principal_cents=advance.amount_cents,
            annual_rate_bps=advance.rate_bps,
            start=start,
            term_months=advance.term_months,
            mode=schedules.Mode(advance.mode),
            grace_months=advance.grace_months,
            bullet_due=bullet_due,
        )
    except ValueError:
        return []
    return [Line(row.number, row.due_date, row.principal_cents, row.interest_cents) for row in rows]


# --- The advance agreement -----------------------------------------------------------------------


def advance_agreement_pdf(advance: Advance) -> bytes:
    """The loan agreement (*convention d'avance*) between the hub and the member, ready to sign."""
    if advance.status not in GRANTED or advance.amount_cents is None:
        raise DocumentUnavailable(_("The agreement is drawn up once the committee has granted the advance."))
    today = timezone.localdate()
    in_force = current_schedule(advance)
    lines = _lines_in_force(advance, today) if in_force is not None else provisional_lines(advance)
    settings_row, _rules = _regime()
    decision = advance.decision
    context = {
        **_common("Convention d'avance remboursable", advance.reference),
        "advance": advance,
        "borrower": member_party(advance.organisation),
        "term": _term(advance),
        "mode": MODES[RepaymentMode(advance.mode)],
        "source": SOURCES[Advance.Source(advance.source)],
        "rate": percent(advance.rate_bps),
        "decided_on": timezone.localdate(decision.closed_at) if decision and decision.closed_at else None,
        "committee": decision.body.name if decision else "",
        "lines": lines,
        "in_force": in_force,
        "provisional": in_force is None,
        "total_principal_cents": sum(line.principal_cents for line in lines),
        "total_interest_cents": sum(line.interest_cents for line in lines),
        "total_cents": sum(line.total_cents for line in lines),
        "reminder_steps": settings_row.reminder_steps,
        "interest_basis": (
            "au nombre exact de jours entre le versement et l'échéance, sur une base de 365 jours"
            if advance.mode == RepaymentMode.BULLET
            else "par mois sur le capital restant dû, au douzième du taux annuel"
        ),
    }
    return _render("treasury/documents/agreement.html", context)


# --- The repayment schedule ----------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    schedule: Schedule | None  # None: the provisional schedule of an approved advance
    reason: str
    in_force: bool
    replaced_on: dt.date | None
    replaced_because: str
    lines: list[Line]
    rate: str
    mode: str

    @property
    def shows_status(self) -> bool:
        return self.schedule is not None

    @property
    def principal_cents(self) -> int:
        return sum(line.principal_cents for line in self.lines)

    @property
    def interest_cents(self) -> int:
        return sum(line.interest_cents for line in self.lines)

    @property
    def total_cents(self) -> int:
        return self.principal_cents + self.interest_cents


def _versions(advance: Advance, today: dt.date) -> list[Version]:
    ordered = list(advance.schedules.order_by("version"))
    versions = []
    for index, schedule in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if following is None:
            lines = _lines_in_force(advance, today)
        else:
            lines = [
                Line(
                    row.number,
                    row.due_on,
                    row.principal_cents,
                    row.interest_cents,
                    "échue avant le remplacement" if row.due_on < following.effective_from else "remplacée",
                )
                for row in Instalment.objects.filter(schedule=schedule).order_by("number")
            ]
        because = ""
        if following is not None:
            because = SCHEDULE_REASONS[Schedule.Reason(following.reason)]
            if following.note:
                because += f" : {following.note}"
        versions.append(
            Version(
                schedule=schedule,
                reason=SCHEDULE_REASONS[Schedule.Reason(schedule.reason)],
                in_force=following is None,
                replaced_on=following.effective_from if following else None,
                replaced_because=because,
                lines=lines,
                rate=percent(schedule.rate_bps),
                mode=MODES[RepaymentMode(schedule.mode)],
            )
        )
    versions.reverse()  # the version in force first
    return versions


def schedule_pdf(advance: Advance) -> bytes:
    """Every version of the schedule, the one in force first, each instalment paid or not; for an
    advance approved but not yet paid, the provisional schedule."""
    today = timezone.localdate()
    versions = _versions(advance, today)
    if not versions:
        if advance.status != Advance.Status.APPROVED:
            raise DocumentUnavailable(_("This advance has no repayment schedule."))
        versions = [
            Version(
                schedule=None,
                reason="Échéancier prévisionnel",
                in_force=True,
                replaced_on=None,
                replaced_because="",
                lines=provisional_lines(advance),
                rate=percent(advance.rate_bps),
                mode=MODES[RepaymentMode(advance.mode)],
            )
        ]
    repayments = list(advance.repayments.order_by("received_on", "pk"))
    context = {
        **_common("Échéancier de remboursement", advance.reference),
        "advance": advance,
        "borrower": member_party(advance.organisation),
        "versions": versions,
        "repayments": repayments,
        "position": position(advance, today) if advance.status == Advance.Status.DISBURSED else None,
        "status": ADVANCE_STATUSES[Advance.Status(advance.status)],
        "today": today,
    }
    return _render("treasury/documents/schedule.html", context)


# --- The committee's minute ----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckLine:
    label: str
    passed: bool
    reason: str


def _checks(advance: Advance, decision: Decision) -> tuple[list[CheckLine], bool]:
    """The automatic checks put to the committee, recomputed on the day the vote closed, and
    whether they could be (see CHECKS_RECOMPUTABLE)."""
    if advance.status not in CHECKS_RECOMPUTABLE:
        return [], False
    assert decision.closed_at is not None
    with translation.override("fr"):
        checks = selectors.advance_checks(advance, timezone.localdate(decision.closed_at))
        return [
            CheckLine(CHECKS.get(check.code, check.label), check.passed, str(check.reason)) for check in checks
        ], True


def committee_minute_pdf(decision: Decision) -> bytes:
    """The minute (*procès-verbal*) of a closed decision: who could vote, who was recused and why,
    each vote, the quorum, the outcome; for an advance, the automatic checks."""
    if decision.status != Decision.Status.CLOSED or decision.closed_at is None:
        raise DocumentUnavailable(_("The minute is drawn up once the vote is closed."))
    counted: Tally = tally(decision)
    advance = Advance.objects.select_related("organisation").filter(decision=decision).first()
    checks, checks_shown = _checks(advance, decision) if advance is not None else ([], False)
    concerned = list(decision.concerned.order_by("sort_name", "pk"))
    # A seat is recused because the organisation it sits for is concerned (governance.services).
    recused = [
        {"seat": seat, "why": f"siège au titre de « {seat.organisation.name} », organisation concernée par la décision"}
        for seat in recused_of(decision)
        if seat.organisation is not None
    ]
    votes = [
        {"vote": cast.vote, "choice": VOTES.get(cast.vote.choice, cast.vote.choice), "counts": cast.counts}
        for cast in votes_of(decision)
    ]
    context = {
        **_common("Procès-verbal de décision", f"{decision.body.name} — décision n° {decision.pk}"),
        "decision": decision,
        "body": decision.body,
        "closed_on": timezone.localdate(decision.closed_at),
        "opened_on": timezone.localdate(decision.opens_at),
        "entitled": list(
            entitled_seats(decision).select_related("person", "organisation").order_by("person__full_name")
        ),
        "recused": recused,
        "concerned": concerned,
        "votes": votes,
        "tally": counted,
        "quorum_needed": vote_rules.quorum_needed(counted.quorum_percent, counted.entitled),
        "majority": MAJORITIES.get(counted.majority, counted.majority),
        "outcome": OUTCOMES[Decision.Outcome(decision.outcome)],
        "advance": advance,
        "advance_rate": percent(advance.rate_bps) if advance else "",
        "advance_term": _term(advance) if advance else "",
        "advance_mode": MODES[RepaymentMode(advance.mode)] if advance else "",
        "advance_source": SOURCES[Advance.Source(advance.source)] if advance else "",
        "checks": checks,
        "checks_shown": checks_shown,
    }
    return _render("treasury/documents/minute.html", context)


# --- The attestation pack of a deposit (non-profit regime) ---------------------------------------


def attestation_pack_pdf(deposit: Deposit) -> bytes:
    """What CMF L511-6 1° bis asks of a lender for each loan to the pool, the pieces on file and the
    missing ones, and a blank attestation for the lender's auditor or chartered accountant to sign."""
    settings_row, rules = _regime()
    if settings_row.regime != Regime.NONPROFIT or deposit.kind != Deposit.Kind.LOAN:
        raise DocumentUnavailable(_("The attestation pack concerns cash deposits under the non-profit regime."))
    if deposit.status == Deposit.Status.CANCELLED:
        raise DocumentUnavailable(_("This deposit was cancelled."))
    year = deposit.received_on.year if deposit.received_on else timezone.localdate().year
    declaration = selectors.declaration_for(deposit.organisation_id, year)
    lent_before = (
        Deposit.objects.filter(
            organisation_id=deposit.organisation_id,
            kind=Deposit.Kind.LOAN,
            status__in=[Deposit.Status.CONFIRMED, Deposit.Status.CLOSED],
            received_on__year=year,
        )
        .exclude(pk=deposit.pk)
        .aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )
    share = rules.lender_yearly_share_percent or 0
    cap = declaration.net_available_cash_cents * share // 100 if declaration else None
    lent_with = lent_before + deposit.amount_cents
    pieces = [
        ("Approbation du prêt par l'organe dirigeant du prêteur (date)", deposit.board_approved_on is not None),
        ("Procès-verbal de cette approbation", bool(deposit.board_minute)),
        (f"Déclaration de la trésorerie nette disponible au 1er janvier {year}", declaration is not None),
        ("Attestation du commissaire aux comptes ou de l'expert-comptable", bool(deposit.attestation)),
    ]
    context = {
        **_common("Dossier d'attestation d'un apport en trésorerie", deposit.reference),
        "deposit": deposit,
        "lender": member_party(deposit.organisation),
        "family": deposit.organisation.get_family_display(),
        "non_profit": deposit.organisation.family in rules.depositor_families,
        "status": DEPOSIT_STATUSES[Deposit.Status(deposit.status)],
        "deposit_term": _deposit_term(deposit),
        "rate": percent(deposit.rate_bps),
        "rate_cap": percent(settings_row.rate_cap_bps),
        "rate_within_cap": deposit.rate_bps <= settings_row.rate_cap_bps,
        "year": year,
        "declaration": declaration,
        "share": share,
        "cap_cents": cap,
        "lent_before_cents": lent_before,
        "lent_with_cents": lent_with,
        "within_cap": cap is not None and lent_with <= cap,
        "pieces": pieces,
        "complete": all(on_file for _label, on_file in pieces),
    }
    return _render("treasury/documents/attestation.html", context)


# --- A member's statement ------------------------------------------------------------------------


@dataclass(frozen=True)
class DepositLine:
    deposit: Deposit
    kind: str
    status: str
    term: str
    rate: str
    balance_cents: int
    withdrawals: list[dict[str, Any]]


@dataclass(frozen=True)
class AdvanceLine:
    advance: Advance
    status: str
    rate: str
    term: str
    outstanding_cents: int
    arrears_cents: int
    days_past_due: int
    next_due_on: dt.date | None
    next_due_cents: int
    repayments: list[Repayment]


def _deposit_lines(organisation: Organisation, on: dt.date) -> list[DepositLine]:
    lines = []
    deposits = (
        Deposit.objects.filter(organisation=organisation)
        .filter(Q(proposed_at__date__lte=on) | Q(received_on__lte=on))
        .exclude(status=Deposit.Status.CANCELLED)
        .order_by("proposed_at", "pk")
    )
    for deposit in deposits:
        withdrawals = list(deposit.withdrawals.filter(requested_on__lte=on).order_by("requested_on", "pk"))
        paid = sum(
            w.amount_cents for w in withdrawals if w.status == Withdrawal.Status.PAID and w.paid_on and w.paid_on <= on
        )
        # A deposit received after the day of the statement was still a proposal on that day.
        received = deposit.received_on is not None and deposit.received_on <= on
        lines.append(
            DepositLine(
                deposit=deposit,
                kind=DEPOSIT_KINDS[Deposit.Kind(deposit.kind)],
                status=DEPOSIT_STATUSES[Deposit.Status(deposit.status) if received else Deposit.Status.PROPOSED],
                term=_deposit_term(deposit),
                rate=percent(deposit.rate_bps),
                balance_cents=deposit.amount_cents - paid if received else 0,
                withdrawals=[
                    {"withdrawal": w, "status": WITHDRAWAL_STATUSES[Withdrawal.Status(w.status)]} for w in withdrawals
                ],
            )
        )
    return lines


def _advance_lines(organisation: Organisation, on: dt.date) -> list[AdvanceLine]:
    lines = []
    advances = (
        Advance.objects.filter(organisation=organisation)
        .filter(Q(requested_at__date__lte=on) | Q(disbursed_on__lte=on))
        .filter(status__in=("requested", *GRANTED))
        .order_by("requested_at", "pk")
    )
    for advance in advances:
        place = position(advance, on)
        lines.append(
            AdvanceLine(
                advance=advance,
                status=ADVANCE_STATUSES[Advance.Status(advance.status)],
                rate=percent(advance.rate_bps),
                term=_term(advance),
                outstanding_cents=place.outstanding_cents,
                arrears_cents=place.arrears_cents,
                days_past_due=place.days_past_due,
                next_due_on=place.next_due.due_on if place.next_due else None,
                next_due_cents=place.next_due.unpaid_cents if place.next_due else 0,
                repayments=list(advance.repayments.filter(received_on__lte=on).order_by("received_on", "pk")),
            )
        )
    return lines


def member_statement_pdf(organisation: Organisation, on: dt.date) -> bytes:
    """One member's deposits (balance, withdrawals) and advances (status, outstanding, arrears,
    repayments) as they stood on a day: its own rows only."""
    deposits = _deposit_lines(organisation, on)
    advances = _advance_lines(organisation, on)
    context = {
        **_common("Relevé de trésorerie solidaire", f"{organisation.name} — au {_day(on)}"),
        "member": member_party(organisation),
        "on": on,
        "deposits": deposits,
        "advances": advances,
        "deposits_total_cents": sum(line.balance_cents for line in deposits),
        "outstanding_total_cents": sum(line.outstanding_cents for line in advances),
        "arrears_total_cents": sum(line.arrears_cents for line in advances),
    }
    return _render("treasury/documents/statement.html", context)


# --- The yearly list of agreements (annex of the annual report) ----------------------------------


@dataclass(frozen=True)
class Agreement:
    is_advance: bool
    kind: str
    reference: str
    on: dt.date
    lender: str
    lender_siren: str
    borrower: str
    borrower_siren: str
    amount_cents: int
    rate_bps: int
    term: str
    citation: str

    @property
    def rate(self) -> str:
        return percent(self.rate_bps)


def yearly_agreements(year: int) -> list[Agreement]:
    """Every deposit received and every advance paid in the year, in date order."""
    _settings_row, rules = _regime()
    hub = hub_party()
    rows = []
    deposits = Deposit.objects.filter(
        status__in=[Deposit.Status.CONFIRMED, Deposit.Status.CLOSED], received_on__year=year
    ).select_related("organisation")
    for deposit in deposits:
        assert deposit.received_on is not None
        rows.append(
            Agreement(
                is_advance=False,
                kind=DEPOSIT_KINDS[Deposit.Kind(deposit.kind)],
                reference=deposit.reference,
                on=deposit.received_on,
                lender=deposit.organisation.name,
                lender_siren=deposit.organisation.siren,
                borrower=hub.name,
                borrower_siren=hub.siren,
                amount_cents=deposit.amount_cents,
                rate_bps=deposit.rate_bps,
                term=_deposit_term(deposit),
                citation=rules.citation,
            )
        )
    advances = Advance.objects.filter(status__in=IN_THE_BOOKS, disbursed_on__year=year).select_related("organisation")
    for advance in advances:
        assert advance.disbursed_on is not None and advance.amount_cents is not None
        rows.append(
            Agreement(
                is_advance=True,
                kind="Avance remboursable",
                reference=advance.reference,
                on=advance.disbursed_on,
                lender=hub.name,
                lender_siren=hub.siren,
                borrower=advance.organisation.name,
                borrower_siren=advance.organisation.siren,
                amount_cents=advance.amount_cents,
                rate_bps=advance.rate_bps,
                term=_term(advance),
                citation=rules.citation,
            )
        )
    return sorted(rows, key=lambda row: (row.on, row.reference))


def yearly_agreements_pdf(year: int) -> bytes:
    rows = yearly_agreements(year)
    advances = [row for row in rows if row.is_advance]
    deposits = [row for row in rows if not row.is_advance]
    context = {
        **_common(f"Conventions de trésorerie solidaire de l'année {year}", f"Annexe au rapport annuel {year}"),
        "year": year,
        "rows": rows,
        "deposits_total_cents": sum(row.amount_cents for row in deposits),
        "advances_total_cents": sum(row.amount_cents for row in advances),
        "deposit_count": len(deposits),
        "advance_count": len(advances),
    }
    return _render("treasury/documents/yearly.html", context)


CSV_HEADER = [
    "Nature",
    "Référence",
    "Date",
    "Prêteur",
    "SIREN du prêteur",
    "Emprunteur",
    "SIREN de l'emprunteur",
    "Montant (€)",
    "Taux annuel (%)",
    "Durée",
    "Régime",
]


def yearly_agreements_csv(year: int) -> bytes:
    """The same list for a spreadsheet: `;` separated, amounts with a decimal comma, UTF-8 with a
    byte order mark so that a French spreadsheet opens it with its accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in yearly_agreements(year):
        writer.writerow(
            [
                row.kind,
                row.reference,
                _day(row.on),
                row.lender,
                row.lender_siren,
                row.borrower,
                row.borrower_siren,
                _csv_amount(row.amount_cents),
                format_decimal(Decimal(row.rate_bps).scaleb(-2), format="0.##", locale="fr_FR"),
                row.term,
                row.citation,
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
