"""A funded action's money in the ledger, its milestones, reports, indicators and closing.

Worked example: the fund receives 100 000 € (State); A's action is granted 20 000 €, in two
tranches of 8 000 € and 12 000 €. Signing commits 20 000 € (657FTA debit / 4674A credit); paying
the first tranche moves 8 000 € out of the bank (4674A debit / 512FTA credit): the bank holds
92 000 €, A is still owed 12 000 €."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.testing import Actors
from cordee.ledger.models import Account, Transfer
from cordee.projects import books
from cordee.projects import selectors_actions as selectors
from cordee.projects.models import Action, Disbursement, Milestone, Report
from cordee.projects.services import actions as services
from cordee.projects.tests.review_support import Review, endow, fund, make_review, signed_action

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def balance(number: str) -> int:
    """Debit balance of an account (credit balances come out negative)."""
    account = Account.objects.filter(ledger__code="EUR", number=number).first()
    return 0 if account is None else account.debits_posted - account.credits_posted


def member(actors: Actors) -> str:
    return f"4674{actors.org_a.pk:06d}"


@pytest.fixture
def review(actors: Actors) -> Review:
    return make_review(actors)


@pytest.fixture
def action(review: Review, actors: Actors) -> Action:
    endow(actors)
    return signed_action(actors, review.app_a, tranches=(800_000, 1_200_000))


def test_a_grant_received_fills_the_fund(actors: Actors) -> None:
    endow(actors, 10_000_000, "ETAT-1")
    services.fund_endow(actor=actors.coordinator, amount_cents=3_000_000, funder="Région Sud", reference="RS-1")
    assert balance("512FTA") == 13_000_000
    assert balance("74FTA") == -13_000_000
    assert books.fund_cash_cents() == 13_000_000


def test_the_same_grant_recorded_twice_is_posted_once(actors: Actors) -> None:
    endow(actors, 10_000_000, "ETAT-1")
    endow(actors, 10_000_000, "ETAT-1")
    assert balance("512FTA") == 10_000_000


def test_only_the_coordinator_and_the_treasurer_endow_the_fund(actors: Actors) -> None:
    with pytest.raises(NotAllowed):
        services.fund_endow(actor=actors.member_admin_a, amount_cents=100, funder="X", reference="Y")
    assert balance("512FTA") == 0


def test_signing_commits_the_grant(action: Action, actors: Actors) -> None:
    assert action.status == Action.Status.IN_PROGRESS
    assert action.signed_by == "Bernard Roux, président"
    assert balance("657FTA") == 2_000_000
    assert balance(member(actors)) == -2_000_000
    assert balance("512FTA") == 10_000_000  # nothing paid yet


def test_signing_needs_tranches_adding_up_to_the_grant(review: Review, actors: Actors) -> None:
    action = fund(review.app_a, actors)
    with pytest.raises(DomainError) as refused:
        services.action_sign(actor=actors.coordinator, action=action, signed_on=timezone.localdate(), signed_by="X")
    assert refused.value.code == "tranches_total"
    assert balance("657FTA") == 0


def test_tranches_that_do_not_add_up_are_refused(review: Review, actors: Actors) -> None:
    action = fund(review.app_a, actors)
    day = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        services.milestones_set(
            actor=actors.coordinator,
            action=action,
            milestones=[services.MilestoneIn("Lancement", day, 1_000_000), services.MilestoneIn("Fin", day, 900_000)],
        )
    assert refused.value.code == "tranches_total"
    assert not Milestone.objects.exists()


def test_paying_a_tranche_moves_cash_out_of_the_fund(action: Action, actors: Actors) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_000)
    assert balance("512FTA") == 9_200_000
    assert balance(member(actors)) == -1_200_000  # still owed to A
    assert balance("657FTA") == 2_000_000
    assert selectors.money_of(action).left_cents == 1_200_000


def test_only_the_treasurer_pays(action: Action, actors: Actors) -> None:
    first = action.milestones.first()
    assert first is not None
    for person in (actors.coordinator, actors.member_admin_a):
        with pytest.raises(NotAllowed):
            services.disbursement_create(actor=person, action=action, milestone=first, amount_cents=100)
    assert not Disbursement.objects.exists()


def test_a_payment_beyond_the_tranche_or_the_grant_writes_nothing(action: Action, actors: Actors) -> None:
    first, second = action.milestones.order_by("position")
    transfers = Transfer.objects.count()
    with pytest.raises(DomainError) as refused:
        services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_001)
    assert refused.value.code == "beyond_tranche"
    services.disbursement_create(actor=actors.treasurer, action=action, milestone=second, amount_cents=1_200_000)
    services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_000)
    with pytest.raises(DomainError) as refused:
        services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=1)
    assert refused.value.code == "beyond_grant"
    assert Disbursement.objects.count() == 2
    assert Transfer.objects.count() == transfers + 2


def test_the_fund_cannot_go_negative(review: Review, actors: Actors) -> None:
    endow(actors, 500_000, "ETAT-PETIT")  # 5 000 € in the fund
    action = signed_action(actors, review.app_a, tranches=(800_000, 1_200_000))
    first = action.milestones.order_by("position").first()
    assert first is not None
    with pytest.raises(DomainError) as refused:
        services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_000)
    assert refused.value.code == "insufficient_funds"
    assert not Disbursement.objects.exists()
    assert balance("512FTA") == 500_000
    services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=500_000)
    assert balance("512FTA") == 0


def test_a_correction_is_a_reversal(action: Action, actors: Actors) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    paid = services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_000)
    reversal = services.disbursement_reverse(actor=actors.treasurer, disbursement=paid, reason="Mauvais IBAN")
    assert reversal.amount_cents == -800_000 and reversal.reverses == paid
    assert balance("512FTA") == 10_000_000
    assert balance(member(actors)) == -2_000_000
    assert selectors.money_of(action).paid_cents == 0
    with pytest.raises(DomainError) as refused:
        services.disbursement_reverse(actor=actors.treasurer, disbursement=paid, reason="Encore")
    assert refused.value.code == "already_reversed"
    with pytest.raises(DomainError) as refused:
        services.disbursement_reverse(actor=actors.treasurer, disbursement=reversal, reason="Encore")
    assert refused.value.code == "reversal"
    # Paid again after the correction.
    services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_000)
    assert balance("512FTA") == 9_200_000


def test_progress_goes_from_0_to_100(action: Action, actors: Actors) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    services.milestone_progress(actor=actors.member_user_a, milestone=first, progress=100, note="Atelier lancé")
    with pytest.raises(DomainError) as refused:
        services.milestone_progress(actor=actors.member_user_a, milestone=first, progress=101)
    assert refused.value.code == "progress_range"
    first.refresh_from_db()
    assert (first.progress, first.note) == (100, "Atelier lancé")
    with pytest.raises(NotAllowed):
        services.milestone_progress(actor=actors.member_admin_b, milestone=first, progress=50)


def test_overall_progress_is_weighted_by_the_tranches(action: Action, actors: Actors) -> None:
    first, second = action.milestones.order_by("position")
    services.milestone_progress(actor=actors.member_user_a, milestone=first, progress=100)
    services.milestone_progress(actor=actors.member_user_a, milestone=second, progress=50)
    # (100 × 8 000 + 50 × 12 000) / 20 000 = 70 %
    assert selectors.overall_progress(action.milestones.all()) == 70
    assert selectors.overall_progress([Milestone(progress=33), Milestone(progress=34)]) == 33
    assert selectors.overall_progress([]) == 0


def test_milestones_paid_on_stay(action: Action, actors: Actors) -> None:
    first, second = action.milestones.order_by("position")
    services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_000)
    day = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        services.milestones_set(
            actor=actors.coordinator, action=action, milestones=[services.MilestoneIn("Tout", day, 2_000_000)]
        )
    assert refused.value.code == "paid"
    services.milestones_set(
        actor=actors.coordinator,
        action=action,
        milestones=[
            services.MilestoneIn(first.title, first.due_on, 800_000, id=first.pk),
            services.MilestoneIn("Mi-parcours", day, 600_000),
            services.MilestoneIn(second.title, second.due_on, 600_000, id=second.pk),
        ],
    )
    assert list(action.milestones.order_by("position").values_list("tranche_cents", flat=True)) == [
        800_000,
        600_000,
        600_000,
    ]


def test_a_report_is_uploaded_by_the_lead_and_checked(action: Action, actors: Actors) -> None:
    report = services.report_upload(
        actor=actors.member_user_a,
        action=action,
        kind=Report.Kind.INTERIM,
        title="Bilan à mi-parcours",
        file=SimpleUploadedFile("bilan.pdf", PDF, content_type="application/pdf"),
    )
    assert (report.content_type, report.size, report.original_name) == ("application/pdf", len(PDF), "bilan.pdf")
    with pytest.raises(DomainError) as refused:
        services.report_upload(
            actor=actors.member_user_a,
            action=action,
            kind=Report.Kind.INTERIM,
            title="Programme",
            file=SimpleUploadedFile("bilan.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"),
        )
    assert refused.value.code == "content_mismatch"
    with pytest.raises(DomainError) as refused:
        services.report_upload(
            actor=actors.member_user_a,
            action=action,
            kind=Report.Kind.INTERIM,
            title="Programme",
            file=SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 200),
        )
    assert refused.value.code == "type"
    with pytest.raises(NotAllowed):
        services.report_upload(
            actor=actors.member_admin_b,
            action=action,
            kind=Report.Kind.FINAL,
            title="X",
            file=SimpleUploadedFile("x.pdf", PDF),
        )
    assert Report.objects.count() == 1


def test_indicators_reached_are_reported(action: Action, actors: Actors) -> None:
    indicator = action.application.indicators.get()
    services.indicator_reach(actor=actors.member_admin_a, indicator=indicator, reached=25, note="Au 30 juin")
    indicator.refresh_from_db()
    assert (indicator.planned, indicator.reached) == (40, 25)
    with pytest.raises(DomainError):
        services.indicator_reach(actor=actors.member_admin_a, indicator=indicator, reached=-1)


def test_closing_releases_what_is_left_unpaid(action: Action, actors: Actors) -> None:
    first = action.milestones.order_by("position").first()
    assert first is not None
    services.disbursement_create(actor=actors.treasurer, action=action, milestone=first, amount_cents=800_000)
    services.action_close(actor=actors.coordinator, action=action, status=Action.Status.ABANDONED)
    action.refresh_from_db()
    assert action.status == Action.Status.ABANDONED and action.closed_at is not None
    assert balance(member(actors)) == 0
    assert balance("657FTA") == 800_000  # what the fund really gave
    with pytest.raises(DomainError):
        services.disbursement_create(
            actor=actors.treasurer, action=action, milestone=first, amount_cents=1, paid_on=dt.date.today()
        )
    with pytest.raises(DomainError):
        services.milestone_progress(actor=actors.coordinator, milestone=first, progress=10)


def test_only_the_coordinator_closes(action: Action, actors: Actors) -> None:
    with pytest.raises(NotAllowed):
        services.action_close(actor=actors.treasurer, action=action, status=Action.Status.COMPLETED)


def test_the_public_list_shows_signed_public_actions_with_their_progress(action: Action, actors: Actors) -> None:
    rows = selectors.public_actions()
    assert [row.id for row in rows] == [action.pk]
    assert rows[0].granted_cents == 2_000_000 and rows[0].progress == 0
    services.action_set_public(actor=actors.coordinator, action=action, public=False)
    assert selectors.public_actions() == []


def test_a_report_is_stored_under_a_name_nobody_can_guess(action: Action, actors: Actors) -> None:
    report = services.report_upload(
        actor=actors.member_user_a,
        action=action,
        kind=Report.Kind.FINAL,
        title="Bilan final",
        file=SimpleUploadedFile("bilan-final.pdf", PDF, content_type="application/pdf"),
    )
    assert report.original_name == "bilan-final.pdf"
    assert "bilan-final" not in report.file.name
    assert report.file.name.endswith(".pdf") and len(report.file.name.rsplit("/", 1)[1]) == 36
