"""Opening accounts, and the limits the database holds on an account whatever the code does."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation

from cordee.core.errors import DomainError
from cordee.core.testing import Actors
from cordee.ledger.models import Account
from cordee.ledger.services import account_open


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_it_opens_an_account_on_its_ledger(actors: Actors) -> None:
    account = account_open(
        ledger="EUR",
        number=" 455100 ",
        label=" Apports des membres ",
        owner=actors.org_a,
        debits_must_not_exceed_credits=True,
    )

    account.refresh_from_db()
    assert (account.ledger.code, account.number, account.label, account.owner) == (
        "EUR",
        "455100",
        "Apports des membres",
        actors.org_a,
    )
    assert (account.debits_must_not_exceed_credits, account.credits_must_not_exceed_debits) == (True, False)
    assert (account.debits_pending, account.debits_posted, account.credits_pending, account.credits_posted) == (
        0,
        0,
        0,
        0,
    )


def test_opening_the_same_account_again_returns_it(actors: Actors) -> None:
    first = account_open(ledger="EUR", number="455100", label="Apports", owner=actors.org_a)

    again = account_open(ledger="EUR", number="455100", label="Apports", owner=actors.org_a)

    assert again.pk == first.pk
    assert Account.objects.filter(number="455100").count() == 1


def test_the_same_number_on_the_other_ledger_is_another_account(db: Any) -> None:
    euros = account_open(ledger="EUR", number="455100", label="Apports")

    hours = account_open(ledger="HOURS", number="455100", label="Apports en temps")

    assert hours.pk != euros.pk
    assert hours.ledger.code == "HOURS"


@pytest.mark.parametrize(
    "change",
    [
        {"owner": "org_b"},
        {"owner": None},
        {"debits_must_not_exceed_credits": False},
        {"debits_must_not_exceed_credits": False, "credits_must_not_exceed_debits": True},
    ],
)
def test_reopening_with_another_owner_or_limit_is_refused(actors: Actors, change: dict[str, Any]) -> None:
    original = {"owner": actors.org_a, "debits_must_not_exceed_credits": True}
    account_open(ledger="EUR", number="455100", label="Apports", **original)
    changed = {**original, **{k: (getattr(actors, v) if isinstance(v, str) else v) for k, v in change.items()}}

    with pytest.raises(DomainError) as refused:
        account_open(ledger="EUR", number="455100", label="Apports", **changed)

    assert refused.value.field == "number"
    assert "455100" in refused.value.message
    assert "another owner or limits" in refused.value.message
    account = Account.objects.get(number="455100")
    assert (account.owner, account.debits_must_not_exceed_credits) == (actors.org_a, True)


def test_both_limits_on_one_account_are_refused(db: Any) -> None:
    with pytest.raises(DomainError) as refused:
        account_open(
            ledger="EUR",
            number="455100",
            label="Apports",
            debits_must_not_exceed_credits=True,
            credits_must_not_exceed_debits=True,
        )

    assert refused.value.field == "flags"
    assert not Account.objects.filter(number="455100").exists()


def test_an_unknown_ledger_is_refused(db: Any) -> None:
    with pytest.raises(DomainError) as refused:
        account_open(ledger="USD", number="512000", label="Bank")

    assert refused.value.field == "ledger"
    assert "USD" in refused.value.message
    assert not Account.objects.exists()


def test_a_blank_number_is_refused(db: Any) -> None:
    with pytest.raises(DomainError) as refused:
        account_open(ledger="EUR", number="  ", label="Nothing")

    assert refused.value.field == "number"


# --- What the database holds, whatever the code does ------------------------------------------


def refused_by_the_database(**values: Any) -> None:
    account = Account.objects.get(number=values.pop("number"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(**values)


def test_the_database_refuses_debits_over_credits_on_a_limited_account(db: Any) -> None:
    account_open(ledger="EUR", number="455100", label="Apports", debits_must_not_exceed_credits=True)
    Account.objects.filter(number="455100").update(credits_posted=100, debits_posted=60)

    refused_by_the_database(number="455100", debits_posted=101)
    refused_by_the_database(number="455100", debits_pending=41)
    Account.objects.filter(number="455100").update(debits_pending=40)

    assert Account.objects.values_list("debits_posted", "debits_pending").get(number="455100") == (60, 40)


def test_the_database_refuses_credits_over_debits_on_a_limited_account(db: Any) -> None:
    account_open(ledger="EUR", number="274000", label="Prêts", credits_must_not_exceed_debits=True)
    Account.objects.filter(number="274000").update(debits_posted=100)

    refused_by_the_database(number="274000", credits_posted=101)
    refused_by_the_database(number="274000", credits_pending=F("debits_posted") + 1)

    assert Account.objects.values_list("credits_posted", "credits_pending").get(number="274000") == (0, 0)


def test_the_database_lets_an_unlimited_account_go_either_way(db: Any) -> None:
    account_open(ledger="EUR", number="512000", label="Banque")

    Account.objects.filter(number="512000").update(debits_posted=5, credits_posted=500)

    assert Account.objects.get(number="512000").balance == -495


def test_the_database_refuses_negative_balances_and_two_limits(db: Any) -> None:
    account_open(ledger="EUR", number="512000", label="Banque")

    for field in ("debits_pending", "debits_posted", "credits_pending", "credits_posted"):
        refused_by_the_database(number="512000", **{field: -1})
    refused_by_the_database(number="512000", debits_must_not_exceed_credits=True, credits_must_not_exceed_debits=True)
