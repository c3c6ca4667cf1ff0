"""Worked examples a treasurer can check by hand, in the hub's own terms (amounts in cents).

The hub keeps a mutual fund: members pay contributions into the bank (512000, the member's
455 account is credited), and the fund advances money to members (274000 debited).

Which limit goes on which account follows the plan comptable, not convenience:
- 512000 Banque is a debit-balance account and the hub has no overdraft: what leaves the bank
  (its credits) may not exceed what came in (its debits): credits_must_not_exceed_debits. So the
  fund cannot lend more than the bank holds, and that refusal is `exceeds_debits`.
- 455100 Apports des membres is the hub's debt to a member (a credit balance): a member may not
  take back more than it put in: debits_must_not_exceed_credits, refused with `exceeds_credits`.
- 274000 Prêts et avances aux membres is what members owe the hub (a debit balance): repayments
  may not exceed what was advanced: credits_must_not_exceed_debits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

import pytest

from cordee.core.testing import Actors
from cordee.ledger import selectors
from cordee.ledger.codes import Result
from cordee.ledger.models import Account, Transfer
from cordee.ledger.posting import TransferSpec, pending_expire, transfers_create
from cordee.ledger.services import account_open
from cordee.ledger.verify import verify

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WEEK = 7 * 24 * 3600


@dataclasses.dataclass
class Hub:
    banque: Account
    apports_a: Account
    apports_b: Account
    prets: Account
    frais: Account


@pytest.fixture
def hub(actors: Actors) -> Hub:
    return Hub(
        banque=account_open(ledger="EUR", number="512000", label="Banque", credits_must_not_exceed_debits=True),
        apports_a=account_open(
            ledger="EUR",
            number="455100",
            label="Apports — Les Jardins du Buëch",
            owner=actors.org_a,
            debits_must_not_exceed_credits=True,
        ),
        apports_b=account_open(
            ledger="EUR",
            number="455200",
            label="Apports — Coopérative des Écrins",
            owner=actors.org_b,
            debits_must_not_exceed_credits=True,
        ),
        prets=account_open(
            ledger="EUR", number="274000", label="Prêts et avances aux membres", credits_must_not_exceed_debits=True
        ),
        frais=account_open(ledger="EUR", number="627000", label="Services bancaires"),
    )


def move(debit: Account, credit: Account, amount: int, label: str, **fields: Any) -> TransferSpec:
    return TransferSpec(
        id=uuid.uuid4(),
        ledger=debit.ledger.code,
        debit_account_id=debit.pk,
        credit_account_id=credit.pk,
        amount=amount,
        label=label,
        **fields,
    )


def settle(pending: TransferSpec, label: str, *, amount: int = 0, void: bool = False) -> TransferSpec:
    return TransferSpec(
        id=uuid.uuid4(),
        ledger=pending.ledger,
        amount=amount,
        pending_id=pending.id,
        post_pending=not void,
        void_pending=void,
        label=label,
    )


def post(spec: TransferSpec, *, now: dt.datetime = MONDAY) -> Result:
    [result] = transfers_create([spec], now=now)
    return result


def balances(account: Account) -> dict[str, int]:
    account.refresh_from_db()
    return {
        "debits_pending": account.debits_pending,
        "debits_posted": account.debits_posted,
        "credits_pending": account.credits_pending,
        "credits_posted": account.credits_posted,
        "balance": account.balance,
    }


def held(debits_pending: int = 0, debits_posted: int = 0, credits_pending: int = 0, credits_posted: int = 0) -> dict:
    return {
        "debits_pending": debits_pending,
        "debits_posted": debits_posted,
        "credits_pending": credits_pending,
        "credits_posted": credits_posted,
        "balance": debits_posted - credits_posted,
    }


def lines(account: Account) -> list[tuple[int, int, int, str]]:
    """The statement, newest first: (debit, credit, balance after, label)."""
    return [(e.debit, e.credit, e.balance_after, e.transfer.label) for e in selectors.statement(account).entries]


def ledger_holds() -> None:
    report = verify()
    assert report.ok, report.violations


def deposit_reserve_disburse_repay(hub: Hub) -> TransferSpec:
    """The story of the first test, replayed for the others; returns the advance's reservation."""
    assert post(move(hub.banque, hub.apports_a, 500000, "Apport des Jardins du Buëch")) == Result.OK
    reservation = move(hub.prets, hub.banque, 120000, "Avance à la Coopérative des Écrins", pending=True, timeout=WEEK)
    assert post(reservation) == Result.OK
    assert post(settle(reservation, "Versement de l'avance")) == Result.OK
    assert post(move(hub.banque, hub.prets, 30000, "Remboursement partiel")) == Result.OK
    return reservation


def test_an_advance_is_funded_reserved_disbursed_and_partly_repaid(hub: Hub) -> None:
    # 1. Les Jardins du Buëch pay 5 000,00 € into the fund.
    assert post(move(hub.banque, hub.apports_a, 500000, "Apport des Jardins du Buëch")) == Result.OK
    assert balances(hub.banque) == held(debits_posted=500000)
    assert balances(hub.apports_a) == held(credits_posted=500000)
    assert lines(hub.banque) == [(500000, 0, 500000, "Apport des Jardins du Buëch")]
    assert lines(hub.apports_a) == [(0, 500000, -500000, "Apport des Jardins du Buëch")]
    ledger_holds()

    # 2. The committee grants the Coopérative des Écrins an advance of 1 200,00 €, reserved for a week.
    reservation = move(hub.prets, hub.banque, 120000, "Avance à la Coopérative des Écrins", pending=True, timeout=WEEK)
    assert post(reservation) == Result.OK
    assert balances(hub.banque) == held(debits_posted=500000, credits_pending=120000)
    assert balances(hub.prets) == held(debits_pending=120000)
    assert lines(hub.banque) == [(500000, 0, 500000, "Apport des Jardins du Buëch")]  # nothing has moved yet
    assert lines(hub.prets) == []
    ledger_holds()

    # 3. Three days later the treasurer pays it out: the reservation becomes a movement.
    assert post(settle(reservation, "Versement de l'avance"), now=MONDAY + dt.timedelta(days=3)) == Result.OK
    assert balances(hub.banque) == held(debits_posted=500000, credits_posted=120000)
    assert balances(hub.prets) == held(debits_posted=120000)
    assert lines(hub.banque) == [
        (0, 120000, 380000, "Versement de l'avance"),
        (500000, 0, 500000, "Apport des Jardins du Buëch"),
    ]
    assert lines(hub.prets) == [(120000, 0, 120000, "Versement de l'avance")]
    ledger_holds()

    # 4. The cooperative pays back 300,00 €: it still owes 900,00 €, the bank holds 4 100,00 €.
    assert post(move(hub.banque, hub.prets, 30000, "Remboursement partiel")) == Result.OK
    assert balances(hub.banque) == held(debits_posted=530000, credits_posted=120000)
    assert balances(hub.prets) == held(debits_posted=120000, credits_posted=30000)
    assert balances(hub.prets)["balance"] == 90000
    assert lines(hub.banque)[0] == (30000, 0, 410000, "Remboursement partiel")
    assert lines(hub.prets) == [
        (0, 30000, 90000, "Remboursement partiel"),
        (120000, 0, 120000, "Versement de l'avance"),
    ]
    ledger_holds()


def test_the_fund_cannot_lend_more_than_the_bank_holds(hub: Hub) -> None:
    deposit_reserve_disburse_repay(hub)  # the bank holds 4 100,00 €

    assert post(move(hub.prets, hub.banque, 410001, "Avance trop grande")) == Result.EXCEEDS_DEBITS
    assert balances(hub.banque) == held(debits_posted=530000, credits_posted=120000)

    # A reservation of 4 000,00 € counts at once: only 100,00 € are left to lend.
    big = move(hub.prets, hub.banque, 400000, "Avance réservée", pending=True)
    assert post(big) == Result.OK
    assert post(move(hub.prets, hub.banque, 10001, "Petite avance")) == Result.EXCEEDS_DEBITS
    assert post(move(hub.prets, hub.banque, 10000, "Petite avance")) == Result.OK
    assert balances(hub.banque) == held(debits_posted=530000, credits_pending=400000, credits_posted=130000)

    # The committee withdraws the large advance: the bank's 4 000,00 € are free again.
    assert post(settle(big, "Avance annulée", void=True)) == Result.OK
    assert balances(hub.banque) == held(debits_posted=530000, credits_posted=130000)
    assert balances(hub.banque)["balance"] == 400000
    assert balances(hub.prets) == held(debits_posted=130000, credits_posted=30000)
    assert lines(hub.banque)[0] == (0, 10000, 400000, "Petite avance")
    ledger_holds()


def test_a_member_cannot_take_back_more_than_it_put_in(hub: Hub) -> None:
    deposit_reserve_disburse_repay(hub)
    assert post(move(hub.banque, hub.apports_b, 200000, "Apport de la Coopérative des Écrins")) == Result.OK
    # The bank holds 6 100,00 €; Les Jardins du Buëch put in 5 000,00 €.

    assert post(move(hub.apports_a, hub.banque, 500001, "Retrait de l'apport")) == Result.EXCEEDS_CREDITS
    assert post(move(hub.apports_a, hub.banque, 500000, "Retrait de l'apport")) == Result.OK

    assert balances(hub.apports_a) == held(debits_posted=500000, credits_posted=500000)
    assert lines(hub.apports_a) == [
        (500000, 0, 0, "Retrait de l'apport"),
        (0, 500000, -500000, "Apport des Jardins du Buëch"),
    ]
    assert balances(hub.banque) == held(debits_posted=730000, credits_posted=620000)
    assert post(move(hub.apports_a, hub.banque, 1, "Un centime de plus")) == Result.EXCEEDS_CREDITS
    ledger_holds()


def test_the_cooperative_cannot_repay_more_than_it_owes(hub: Hub) -> None:
    deposit_reserve_disburse_repay(hub)  # it owes 900,00 €

    assert post(move(hub.banque, hub.prets, 90001, "Remboursement")) == Result.EXCEEDS_DEBITS
    assert post(move(hub.banque, hub.prets, 90000, "Remboursement du solde")) == Result.OK
    assert balances(hub.prets) == held(debits_posted=120000, credits_posted=120000)
    assert lines(hub.prets)[0] == (0, 90000, 0, "Remboursement du solde")
    ledger_holds()


def test_an_advance_not_paid_out_within_its_week_expires_and_frees_the_bank(hub: Hub) -> None:
    deposit_reserve_disburse_repay(hub)
    reservation = move(hub.prets, hub.banque, 80000, "Avance au Café associatif", pending=True, timeout=WEEK)
    assert post(reservation) == Result.OK
    assert balances(hub.banque) == held(debits_posted=530000, credits_pending=80000, credits_posted=120000)
    a_week_later = MONDAY + dt.timedelta(seconds=WEEK)

    assert pending_expire(now=a_week_later - dt.timedelta(seconds=1)) == 0
    assert pending_expire(now=a_week_later) == 1
    assert pending_expire(now=a_week_later) == 0

    assert balances(hub.banque) == held(debits_posted=530000, credits_posted=120000)
    assert balances(hub.prets) == held(debits_posted=120000, credits_posted=30000)
    assert post(settle(reservation, "Versement trop tard"), now=a_week_later) == Result.PENDING_TRANSFER_EXPIRED
    assert lines(hub.banque)[0] == (30000, 0, 410000, "Remboursement partiel")  # the expiry moved nothing
    assert Transfer.objects.get(pending_id=reservation.id).kind == Transfer.Kind.EXPIRY
    ledger_holds()


def test_a_mistake_is_corrected_by_a_reversing_transfer(hub: Hub) -> None:
    deposit_reserve_disburse_repay(hub)  # the bank holds 4 100,00 €
    fee = move(hub.frais, hub.banque, 1250, "Frais de tenue de compte, mars")
    duplicate = move(hub.frais, hub.banque, 1250, "Frais de tenue de compte, mars")
    assert post(fee) == Result.OK
    assert post(duplicate) == Result.OK  # entered twice by mistake

    reversal = move(
        hub.banque, hub.frais, 1250, "Contre-passation : frais saisis deux fois", reference=str(duplicate.id)
    )
    assert post(reversal) == Result.OK

    assert balances(hub.frais) == held(debits_posted=2500, credits_posted=1250)
    assert balances(hub.banque)["balance"] == 410000 - 1250
    assert lines(hub.banque)[:3] == [
        (1250, 0, 408750, "Contre-passation : frais saisis deux fois"),
        (0, 1250, 407500, "Frais de tenue de compte, mars"),
        (0, 1250, 408750, "Frais de tenue de compte, mars"),
    ]
    assert lines(hub.frais) == [
        (0, 1250, 1250, "Contre-passation : frais saisis deux fois"),
        (1250, 0, 2500, "Frais de tenue de compte, mars"),
        (1250, 0, 1250, "Frais de tenue de compte, mars"),
    ]
    assert Transfer.objects.filter(id=duplicate.id).exists()  # the mistake stays on record
    ledger_holds()


def test_an_hour_of_help_moves_sixty_minutes_on_the_time_ledger(actors: Actors) -> None:
    jardins = account_open(ledger="HOURS", number="H-A", label="Temps — Jardins", owner=actors.org_a)
    ecrins = account_open(
        ledger="HOURS", number="H-B", label="Temps — Écrins", owner=actors.org_b, debits_must_not_exceed_credits=True
    )

    assert post(move(ecrins, jardins, 60, "Aide au chantier")) == Result.EXCEEDS_CREDITS
    assert post(move(jardins, ecrins, 90, "Atelier taille des fruitiers")) == Result.OK
    assert post(move(ecrins, jardins, 60, "Aide au chantier")) == Result.OK

    assert balances(ecrins) == held(debits_posted=60, credits_posted=90)
    assert lines(ecrins) == [(60, 0, -30, "Aide au chantier"), (0, 90, -90, "Atelier taille des fruitiers")]
    ledger_holds()
