"""The treasury's pages end to end: a request, the committee's votes, the decision, the
disbursement, a repayment, a deposit and its withdrawal — through the web, as people do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import make_actors
from cordee.ledger.models import Account
from cordee.ledger.verify import verify
from cordee.treasury import services
from cordee.treasury.models import Advance, Deposit, Repayment
from cordee.treasury.tests.factories import approved_advance, disbursed_advance, requested_advance, set_up_pool

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def pool():
    return set_up_pool(make_actors())


def test_a_member_admin_requests_an_advance_from_the_web(pool):
    client = client_for(pool.actors.member_admin_a)
    expected = timezone.localdate() + dt.timedelta(days=120)
    response = client.post(
        reverse("treasury:advance_request"),
        {
            "organisation": pool.actors.org_a.pk,
            "amount": "8 500,00",
            "purpose": "Salaires en attendant la subvention",
            "source": "subsidy",
            "funder": "Département des Hautes-Alpes",
            "notified_amount": "20000",
            "expected_payment_on": expected.isoformat(),
            "term_months": "5",
            "mode": "bullet",
            "grace_months": "0",
        },
    )
    advance = Advance.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == advance.get_absolute_url()
    assert advance.amount_requested_cents == 850_000
    assert advance.decision is not None and advance.decision.body == pool.committee
    assert list(advance.decision.concerned.all()) == [pool.actors.org_a]


def test_a_refused_request_names_the_field_and_writes_nothing(pool):
    client = client_for(pool.actors.member_admin_a)
    response = client.post(
        reverse("treasury:advance_request"),
        {
            "organisation": pool.actors.org_a.pk,
            "amount": "8500",
            "purpose": "x",
            "source": "subsidy",
            "funder": "Région",
            "notified_amount": "5000",  # less than the advance
            "expected_payment_on": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
            "term_months": "3",
            "mode": "bullet",
        },
    )
    assert response.status_code == 400
    assert "amount" in response.context["form"].errors
    assert not Advance.objects.exists()


def test_the_request_form_is_prefilled_from_a_cash_plan_proposal(pool):
    client = client_for(pool.actors.member_admin_a)
    response = client.get(
        reverse("treasury:advance_request"),
        {"amount": "4500", "funder": "Région Sud", "expected_payment_on": "2027-03-15", "mode": "bullet"},
    )
    form = response.context["form"]
    assert form.initial["amount"] == "4500"
    assert form.initial["funder"] == "Région Sud"
    assert form.initial["expected_payment_on"] == dt.date(2027, 3, 15)


def test_the_committee_votes_on_the_advance_page_and_the_treasurer_decides(pool):
    advance = requested_advance(pool)
    page = reverse("treasury:advance", args=[advance.pk])
    for voter in pool.voters[:3]:
        client = client_for(voter)
        shown = client.get(page)
        assert shown.status_code == 200
        assert [check.code for check in shown.context["checks"]] == [
            "regime",
            "membership",
            "exposure",
            "liquidity",
            "concentration",
            "history",
        ]
        voted = client.post(reverse("governance:vote", args=[advance.decision_id]), {"choice": "for", "next": page})
        assert voted.status_code == 302 and voted.headers["Location"] == page
    treasurer = client_for(pool.actors.treasurer)
    response = treasurer.post(
        reverse("treasury:advance_decide", args=[advance.pk]),
        {"amount": "10000", "rate": "0", "conditions": "Montant réduit", "reasons": "Trésorerie disponible"},
    )
    assert response.status_code == 302
    advance.refresh_from_db()
    assert advance.status == "approved"
    assert advance.amount_cents == 1_000_000
    pool_account = Account.objects.get(number="512POOL")
    assert pool_account.credits_pending == 1_000_000


def test_the_treasurer_disburses_and_records_a_repayment(pool):
    advance = approved_advance(pool, mode="linear", term_months=4)
    treasurer = client_for(pool.actors.treasurer)
    today = timezone.localdate()
    response = treasurer.post(reverse("treasury:advance_disburse", args=[advance.pk]), {"on": today.isoformat()})
    assert response.status_code == 302
    advance.refresh_from_db()
    assert advance.status == "disbursed"
    response = treasurer.post(
        reverse("treasury:advance_repayment", args=[advance.pk]),
        {
            "amount": "300,00",
            "received_on": today.isoformat(),
            "bank_reference": "VIR 1",
            "prepayment_option": "reduce",
        },
    )
    assert response.status_code == 302
    repayment = Repayment.objects.get()
    assert repayment.principal_cents == 30_000 and repayment.prepaid_cents == 30_000
    assert advance.schedules.count() == 2
    assert verify().ok


def test_a_repayment_beyond_what_is_owed_is_refused_on_the_amount(pool):
    advance = disbursed_advance(pool)
    treasurer = client_for(pool.actors.treasurer)
    response = treasurer.post(
        reverse("treasury:advance_repayment", args=[advance.pk]),
        {
            "amount": "20000",
            "received_on": timezone.localdate().isoformat(),
            "prepayment_option": "shorten",
        },
    )
    assert response.status_code == 400
    assert "amount" in response.context["refused_form"].errors
    assert not Repayment.objects.exists()


def test_a_member_never_sees_another_members_advance(pool):
    advance = requested_advance(pool)
    assert client_for(pool.actors.member_admin_b).get(reverse("treasury:advance", args=[advance.pk])).status_code == 404
    assert client_for(pool.actors.member_user_a).get(reverse("treasury:advance", args=[advance.pk])).status_code == 403
    listed = client_for(pool.actors.member_admin_b).get(reverse("treasury:advances"))
    assert list(listed.context["advances"]) == []


def test_a_deposit_is_proposed_confirmed_and_withdrawn_after_notice(pool, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = client_for(pool.actors.member_admin_a)
    today = timezone.localdate()
    services.cash_declaration_set(
        actor=pool.actors.member_admin_a,
        organisation=pool.actors.org_a,
        year=today.year,
        net_available_cash_cents=10_000_000,
        declared_on=today.replace(month=1, day=1),
    )
    response = admin.post(
        reverse("treasury:deposit_propose"),
        {
            "organisation": pool.actors.org_a.pk,
            "kind": "loan",
            "amount": "20 000",
            "notice_days": "30",
            "rate": "0",
            "board_approved_on": today.isoformat(),
            "board_minute": SimpleUploadedFile("pv.pdf", b"%PDF-1.4 minute", content_type="application/pdf"),
            "attestation": SimpleUploadedFile("att.pdf", b"%PDF-1.4 attest", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    deposit = Deposit.objects.get()
    treasurer = client_for(pool.actors.treasurer)
    response = treasurer.post(
        reverse("treasury:deposit_confirm", args=[deposit.pk]),
        {"received_on": today.isoformat(), "bank_reference": "VIR APPORT"},
    )
    assert response.status_code == 302
    assert Account.objects.get(number=f"168{pool.actors.org_a.pk:06d}").credits_posted == 2_000_000
    response = admin.post(reverse("treasury:withdrawal_request", args=[deposit.pk]), {"amount": "5000"})
    assert response.status_code == 302
    withdrawal = deposit.withdrawals.get()
    assert withdrawal.payable_on == today + dt.timedelta(days=30)
    early = treasurer.post(reverse("treasury:withdrawal_pay", args=[withdrawal.pk]), {"paid_on": today.isoformat()})
    assert early.status_code == 400
    withdrawal.refresh_from_db()
    assert withdrawal.status == "requested"


def test_the_dashboard_shows_the_pool_to_the_treasurer_only(pool):
    disbursed_advance(pool)
    response = client_for(pool.actors.treasurer).get(reverse("treasury:dashboard"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.outstanding_cents == 1_200_000
    assert figures.cash_cents == 10_000_000 - 1_200_000
    assert client_for(pool.actors.member_admin_a).get(reverse("treasury:dashboard")).status_code == 403


def test_the_coordinator_changes_the_regime_and_the_rate_cap(pool):
    client = client_for(pool.actors.coordinator)
    assert client.get(reverse("treasury:settings")).status_code == 200
    data = {
        "regime": "federation",
        "rate_cap": "0",
        "default_rate": "0",
        "rate_cap_source": "",
        "liquidity_reserve_percent": "25",
        "liquidity_reserve_min": "0",
        "member_exposure_cap": "30000",
        "concentration_cap_percent": "50",
        "min_membership_days": "90",
        "approval_validity_days": "30",
        "reminder_days": "30, 5, 15",
        "provision_percent_1_30": "0",
        "provision_percent_31_60": "20",
        "provision_percent_61_90": "50",
        "provision_percent_over_90": "100",
        "committee": pool.committee.pk,
        "account_holder": "",
        "iban": "",
        "bic": "",
        "creditor_identifier": "",
    }
    response = client.post(reverse("treasury:settings"), data)
    assert response.status_code == 302
    from cordee.treasury.models import TreasurySettings

    row = TreasurySettings.current()
    assert row.regime == "federation"
    assert row.reminder_days == "5,15,30"
    assert row.member_exposure_cap_cents == 3_000_000
