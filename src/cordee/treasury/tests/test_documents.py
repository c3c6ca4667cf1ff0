"""The treasury's documents, drawn for data built through the services and read back with pypdf:
each carries its reference, the amounts in French format, the regime and its citation, and only
the rows it is about.

Worked figures: 12 000,00 € lent at 1 % over three months, equal principal. Each month charges the
balance × 1 % / 12: 12 000 → 10,00 €, 8 000 → 6,67 €, 4 000 → 3,33 €; 20,00 € of interest in all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from cordee.core.testing import Actors, make_person
from cordee.governance import services as governance
from cordee.governance.models import BodyMember, Vote
from cordee.lib import schedules
from cordee.treasury import documents, services
from cordee.treasury.models import Advance, Deposit, Instalment, TreasurySettings
from cordee.treasury.tests.factories import Pool, approved_advance, disbursed_advance, requested_advance, set_up_pool

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAYS = dt.timedelta(days=1)
CITATION = "CMF L511-6 1° bis"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pool(actors: Actors) -> Pool:
    actors.org_a.rna = "W051000123"
    actors.org_a.address = "12 rue des Vergers"
    actors.org_a.save(update_fields=["rna", "address"])
    return set_up_pool(actors)


def pdf_text(pdf: bytes) -> str:
    """The text of every page, spaces made plain (babel writes "12 000,00 €" with a narrow no-break
    space between thousands and a no-break space before the euro sign) and lines joined."""
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def due(advance: Advance) -> list[str]:
    """The due dates of the schedule in force, as the documents print them."""
    schedule = advance.schedules.order_by("-version").first()
    assert schedule is not None
    return [row.due_on.strftime("%d/%m/%Y") for row in Instalment.objects.filter(schedule=schedule)]


def lent_at_one_percent(pool: Pool, *, on: dt.date = TODAY, **fields: Any) -> Advance:
    """12 000,00 € over three months, equal principal, granted at 1 % with a condition, paid on `on`."""
    advance = requested_advance(pool, mode="linear", term_months=3, **fields)
    assert advance.decision is not None
    for voter in pool.voters:
        governance.vote_cast(actor=voter, decision=advance.decision, choice=Vote.Choice.FOR)
    services.advance_decide(
        actor=pool.actors.treasurer,
        advance=advance,
        rate_bps=100,
        conditions="Copie de la convention de subvention avant versement",
        reasons="Subvention notifiée, calendrier crédible",
    )
    return services.advance_disburse(actor=pool.actors.treasurer, advance=advance, on=on)


# --- The agreement ------------------------------------------------------------------------------


def test_the_agreement_names_the_parties_the_terms_the_regime_and_the_schedule(pool: Pool) -> None:
    advance = lent_at_one_percent(pool)

    text = pdf_text(documents.advance_agreement_pdf(advance))

    assert advance.reference in text
    # The parties: the hub, and the member with its identifiers and address.
    assert "Altitudes Coopérantes" in text and "123456782" in text
    assert "Les Jardins du Buëch" in text
    assert pool.actors.org_a.siren in text and "W051000123" in text and "12 rue des Vergers" in text
    # The regime and its citation.
    assert CITATION in text
    # Amount, rate, term, the subsidy that repays it, the committee's condition.
    assert "12 000,00 €" in text
    assert "1 %" in text and "3 mois" in text
    assert "Région Sud" in text and "30 000,00 €" in text
    assert (TODAY + 150 * DAYS).strftime("%d/%m/%Y") in text
    assert "Copie de la convention de subvention avant versement" in text
    # The schedule in force: 4 000,00 € of principal each month, interest on the balance.
    first, second, third = due(advance)
    assert f"1 {first} 4 000,00 € 10,00 € 4 010,00 €" in text
    assert f"2 {second} 4 000,00 € 6,67 € 4 006,67 €" in text
    assert f"3 {third} 4 000,00 € 3,33 € 4 003,33 €" in text
    assert "20,00 €" in text and "12 020,00 €" in text


def test_the_agreement_of_an_advance_not_yet_paid_shows_the_provisional_schedule(pool: Pool) -> None:
    advance = approved_advance(pool, amount_cents=300_000, mode="linear", term_months=2)
    advance.refresh_from_db()
    assert advance.approved_on is not None
    expected = schedules.build_schedule(
        principal_cents=300_000,
        annual_rate_bps=0,
        start=advance.approved_on,
        term_months=2,
        mode=schedules.Mode.LINEAR,
    )

    text = pdf_text(documents.advance_agreement_pdf(advance))

    assert "3 000,00 €" in text
    for row in expected:
        assert f"{row.number} {row.due_date:%d/%m/%Y} 1 500,00 € 0,00 € 1 500,00 €" in text
    assert not advance.schedules.exists()  # drawn for the document, nothing written


def test_there_is_no_agreement_before_the_committee_grants_the_advance(pool: Pool) -> None:
    advance = requested_advance(pool)

    with pytest.raises(documents.DocumentUnavailable):
        documents.advance_agreement_pdf(advance)


# --- The schedule ---------------------------------------------------------------------------------


def test_the_schedule_says_which_instalments_are_paid_late_or_to_come(pool: Pool) -> None:
    advance = lent_at_one_percent(pool, on=TODAY - 70 * DAYS)
    first, second, third = due(advance)
    services.repayment_record(actor=pool.actors.treasurer, advance=advance, amount_cents=401_000, received_on=TODAY)

    text = pdf_text(documents.schedule_pdf(advance))

    assert advance.reference in text and CITATION in text
    assert f"1 {first} 4 000,00 € 10,00 € 4 010,00 € payée" in text
    assert f"2 {second} 4 000,00 € 6,67 € 4 006,67 € impayée, en retard" in text
    assert f"3 {third} 4 000,00 € 3,33 € 4 003,33 € à venir" in text
    # The payment received pays the interest of both instalments due first (10,00 € + 6,67 €), then
    # 3 993,33 € of principal: 8 006,67 € left. It covers the first instalment, not the second.
    assert "4 010,00 € 0,00 € 16,67 € 3 993,33 €" in text
    assert "8 006,67 €" in text


def test_the_schedule_lists_every_version_the_one_in_force_first(pool: Pool) -> None:
    advance = lent_at_one_percent(pool, on=TODAY - 70 * DAYS)
    services.advance_reschedule(
        actor=pool.actors.treasurer,
        advance=advance,
        on=TODAY,
        term_months=4,
        mode="linear",
        note="Versement de la subvention reporté au printemps",
    )

    text = pdf_text(documents.schedule_pdf(advance))

    in_force, replaced = text.index("Version 2"), text.index("Version 1")
    assert in_force < replaced
    assert "Versement de la subvention reporté au printemps" in text[replaced:]  # why version 1 was replaced
    # Version 2 spreads the 12 000,00 € left over four months: 3 000,00 € each.
    assert text[in_force:replaced].count("3 000,00 €") >= 4


# --- The committee's minute ------------------------------------------------------------------------


def test_the_minute_lists_the_votes_the_recused_member_the_quorum_and_the_checks(pool: Pool) -> None:
    actors = pool.actors
    representative = make_person("delegue.a@example.org", "Hélène Jardin")
    BodyMember.objects.create(
        body=pool.committee, person=representative, organisation=actors.org_a, starts_on=TODAY - 30 * DAYS
    )
    advance = requested_advance(pool)
    decision = advance.decision
    assert decision is not None
    voters = pool.voters
    governance.vote_cast(actor=voters[0], decision=decision, choice="for", comment="Dossier solide")
    governance.vote_cast(actor=voters[1], decision=decision, choice="for")
    governance.vote_cast(actor=voters[2], decision=decision, choice="against", comment="Calendrier incertain")
    governance.vote_cast(actor=voters[3], decision=decision, choice="abstain")
    services.advance_decide(
        actor=actors.treasurer, advance=advance, conditions="Versement en deux fois", reasons="Besoin avéré"
    )
    decision.refresh_from_db()

    text = pdf_text(documents.committee_minute_pdf(decision))

    assert "Comité d'engagement" in text and advance.reference in text
    assert "12 000,00 €" in text and CITATION in text
    # The recused member, and why: she sits for the applicant.
    assert "Hélène Jardin" in text
    recused = text[text.index("Hélène Jardin") :]
    assert "Les Jardins du Buëch" in recused[:200]
    # The votes, with their comments; the figures; the quorum; the outcome.
    assert "Dossier solide" in text and "Calendrier incertain" in text
    for voter in voters:
        assert voter.full_name in text
    assert re.search(r"Pour 2 Contre 1 Abstentions 1", text), text
    assert "4 sur 4" in text
    assert "Adoptée" in text
    assert "Versement en deux fois" in text and "Besoin avéré" in text
    # The automatic checks, passed or not.
    assert "Réserve de liquidité" in text and "Encours du membre" in text
    assert "satisfait" in text


def test_the_minute_says_when_the_quorum_was_not_reached(pool: Pool) -> None:
    advance = requested_advance(pool)
    assert advance.decision is not None
    governance.vote_cast(actor=pool.voters[0], decision=advance.decision, choice="for")
    services.advance_decide(actor=pool.actors.treasurer, advance=advance)
    advance.refresh_from_db()
    assert advance.status == Advance.Status.REFUSED

    text = pdf_text(documents.committee_minute_pdf(advance.decision))

    assert "1 sur 4" in text
    assert "non atteint" in text


def test_there_is_no_minute_while_the_vote_is_open(pool: Pool) -> None:
    advance = requested_advance(pool)

    with pytest.raises(documents.DocumentUnavailable):
        documents.committee_minute_pdf(advance.decision)  # type: ignore[arg-type]


# --- The attestation pack ------------------------------------------------------------------------


def piece(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 piece", content_type="application/pdf")


def test_the_attestation_pack_shows_the_cap_and_the_pieces_on_file_or_missing(pool: Pool) -> None:
    actors = pool.actors
    services.cash_declaration_set(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        year=TODAY.year,
        net_available_cash_cents=10_000_000,
        declared_on=dt.date(TODAY.year, 1, 1),
    )
    first = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=2_000_000,
        notice_days=90,
        board_approved_on=TODAY - 20 * DAYS,
        board_minute=piece("ca.pdf"),
        attestation=piece("cac.pdf"),
    )
    services.deposit_confirm(actor=actors.treasurer, deposit=first, received_on=TODAY, bank_reference="VIR-1")
    second = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=1_000_000,
        notice_days=90,
        rate_bps=50,
        board_approved_on=TODAY - 2 * DAYS,
    )

    text = pdf_text(documents.attestation_pack_pdf(second))

    assert second.reference in text and CITATION in text
    assert "Les Jardins du Buëch" in text and "W051000123" in text
    assert "10 000,00 €" in text and "0,5 %" in text
    # Half of the 100 000,00 € declared on 1 January; 20 000,00 € already lent this year.
    assert "100 000,00 €" in text and "01/01/" in text
    assert "50 000,00 €" in text and "20 000,00 €" in text and "30 000,00 €" in text
    assert (TODAY - 2 * DAYS).strftime("%d/%m/%Y") in text  # the board's approval
    pieces = text[text.index("Pièces du dossier") : text.index("Le dossier est")]
    assert pieces.count("manquante") == 2  # the board's minute and the attestation
    # The blank form for the auditor, naming the loan.
    assert "commissaire aux comptes" in text and "expert-comptable" in text

    complete = pdf_text(documents.attestation_pack_pdf(first))
    assert "manquante" not in complete


def test_the_attestation_pack_concerns_the_non_profit_regime_only(pool: Pool) -> None:
    deposit = services.deposit_propose(
        actor=pool.actors.member_admin_a, organisation=pool.actors.org_a, amount_cents=100_000, notice_days=30
    )
    TreasurySettings.objects.filter(pk=1).update(regime="hub_fund")

    with pytest.raises(documents.DocumentUnavailable):
        documents.attestation_pack_pdf(deposit)


# --- A member's statement ------------------------------------------------------------------------


def test_a_statement_shows_the_members_deposits_and_advances_and_nobody_elses(pool: Pool) -> None:
    actors = pool.actors
    services.cash_declaration_set(
        actor=actors.treasurer,
        organisation=actors.org_a,
        year=(TODAY - 5 * DAYS).year,
        net_available_cash_cents=10_000_000,
        declared_on=dt.date((TODAY - 5 * DAYS).year, 1, 1),
    )
    deposit = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=2_000_000,
        notice_days=1,
        board_approved_on=TODAY - 10 * DAYS,
        board_minute=piece("ca.pdf"),
        attestation=piece("cac.pdf"),
    )
    services.deposit_confirm(
        actor=actors.treasurer, deposit=deposit, received_on=TODAY - 5 * DAYS, bank_reference="VIR-2"
    )
    withdrawal = services.withdrawal_request(
        actor=actors.member_admin_a, deposit=deposit, amount_cents=500_000, requested_on=TODAY - 5 * DAYS
    )
    services.withdrawal_pay(actor=actors.treasurer, withdrawal=withdrawal, paid_on=TODAY)
    own = lent_at_one_percent(pool, on=TODAY - 70 * DAYS)  # two instalments due, nothing paid
    actors.org_b.family = "association"  # a cooperative cannot borrow under the non-profit regime
    actors.org_b.save(update_fields=["family"])
    others = disbursed_advance(pool, organisation=actors.org_b, amount_cents=777_700)

    text = pdf_text(documents.member_statement_pdf(actors.org_a, TODAY))

    assert "Les Jardins du Buëch" in text and TODAY.strftime("%d/%m/%Y") in text
    assert deposit.reference in text
    assert "20 000,00 €" in text and "5 000,00 €" in text and "15 000,00 €" in text  # deposit, withdrawal, balance
    assert own.reference in text
    assert "12 000,00 €" in text  # principal left: nothing repaid
    assert "8 016,67 €" in text  # arrears: 4 010,00 € + 4 006,67 €
    assert CITATION in text
    assert others.reference not in text
    assert "Coopérative des Écrins" not in text and "7 777,00 €" not in text


def test_a_statement_on_an_earlier_day_leaves_out_what_came_later(pool: Pool) -> None:
    advance = lent_at_one_percent(pool, on=TODAY - 70 * DAYS)
    services.repayment_record(actor=pool.actors.treasurer, advance=advance, amount_cents=401_000, received_on=TODAY)

    before = pdf_text(documents.member_statement_pdf(pool.actors.org_a, TODAY - 1 * DAYS))
    after = pdf_text(documents.member_statement_pdf(pool.actors.org_a, TODAY))

    assert "4 010,00 €" not in before and "12 000,00 €" in before
    assert "4 010,00 €" in after and "8 006,67 €" in after


# --- The yearly list of agreements --------------------------------------------------------------


def test_the_yearly_list_holds_the_deposits_received_and_advances_paid_in_the_year(pool: Pool) -> None:
    actors = pool.actors
    services.cash_declaration_set(
        actor=actors.treasurer,
        organisation=actors.org_a,
        year=TODAY.year,
        net_available_cash_cents=10_000_000,
        declared_on=dt.date(TODAY.year, 1, 1),
    )
    deposit = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=2_500_000,
        notice_days=90,
        rate_bps=50,
        board_approved_on=TODAY,
        board_minute=piece("ca.pdf"),
        attestation=piece("cac.pdf"),
    )
    services.deposit_confirm(actor=actors.treasurer, deposit=deposit, received_on=TODAY, bank_reference="VIR-3")
    advance = lent_at_one_percent(pool)
    waiting = requested_advance(pool, amount_cents=100_000)

    text = pdf_text(documents.yearly_agreements_pdf(TODAY.year))

    assert str(TODAY.year) in text and CITATION in text
    assert deposit.reference in text and advance.reference in text
    assert waiting.reference not in text
    assert "25 000,00 €" in text and "0,5 %" in text and "préavis de 90 jours" in text
    assert "12 000,00 €" in text and "1 %" in text and "3 mois" in text
    assert TODAY.strftime("%d/%m/%Y") in text
    assert "Altitudes Coopérantes" in text and actors.org_a.siren in text

    empty = pdf_text(documents.yearly_agreements_pdf(TODAY.year - 1))
    assert deposit.reference not in empty and advance.reference not in empty


def test_the_yearly_list_as_csv_opens_in_a_french_spreadsheet(pool: Pool) -> None:
    advance = lent_at_one_percent(pool)

    content = documents.yearly_agreements_csv(TODAY.year)

    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    header, row = rows
    assert len(header) == len(row) == 11
    record = dict(zip(header, row, strict=True))
    assert record["Référence"] == advance.reference
    assert record["Date"] == TODAY.strftime("%d/%m/%Y")
    assert record["Emprunteur"] == "Les Jardins du Buëch"
    assert record["SIREN de l'emprunteur"] == pool.actors.org_a.siren
    assert record["Montant (€)"] == "12000,00"
    assert record["Taux annuel (%)"] == "1"
    assert record["Régime"] == CITATION
    assert not Deposit.objects.exists()
