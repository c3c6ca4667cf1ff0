"""Time credits on the HOURS ledger: worked examples with the hub's defaults (floor -20 h, ceiling
+40 h), changes of the bounds, and random exchanges and changes against a small reference model."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import make_actors, make_organisation
from cordee.ledger.models import Account, Transfer
from cordee.ledger.verify import verify
from cordee.skills import credits
from cordee.skills.models import CreditLimit, CreditSettings, Exchange
from cordee.skills.services import credits as services
from cordee.skills.services import exchanges
from cordee.skills.tests.exchange_support import accepted, done, proposed

pytestmark = pytest.mark.django_db

H = 60  # minutes in an hour


def account(number: str) -> Account:
    return Account.objects.get(ledger__code="HOURS", number=number)


def test_an_organisation_never_used_has_nothing_and_the_defaults(actors):
    position = credits.position_of(actors.org_a)
    assert (position.balance_minutes, position.floor_minutes, position.ceiling_minutes) == (0, -20 * H, 40 * H)
    assert not position.opened
    assert credits.statement_of(actors.org_a) == []
    assert not Account.objects.filter(ledger__code="HOURS").exists()  # reading writes nothing


def test_an_exchange_done_moves_credits_from_the_receiver_to_the_giver(actors):
    exchange = done(actors, minutes=150)  # B helps A for 2 h 30
    assert exchange.state == Exchange.State.DONE
    assert credits.balance_of(actors.org_a) == -150
    assert credits.balance_of(actors.org_b) == 150
    ct_a, ct_b = account(f"CT{actors.org_a.pk:06d}"), account(f"CT{actors.org_b.pk:06d}")
    ctp_a, ctp_b = account(f"CTP{actors.org_a.pk:06d}"), account(f"CTP{actors.org_b.pk:06d}")
    # CT holds the balance plus |floor|; CTP holds the ceiling minus the balance.
    assert ct_a.credits_posted - ct_a.debits_posted == 20 * H - 150
    assert ct_b.credits_posted - ct_b.debits_posted == 20 * H + 150
    assert ctp_a.debits_posted - ctp_a.credits_posted == 40 * H + 150
    assert ctp_b.debits_posted - ctp_b.credits_posted == 40 * H - 150
    chain = Transfer.objects.filter(reference=f"exchange:{exchange.pk}")
    assert chain.count() == 3
    assert {t.chain_length for t in chain} == {3}
    assert exchange.transfer_id == credits.transfer_id("exchange", exchange.pk, "credits")
    [line] = credits.statement_of(actors.org_b)
    assert (line.minutes, line.balance_after) == (150, 150)
    assert verify().ok


def test_the_receiver_may_reach_its_floor_exactly_but_not_one_minute_beyond(actors):
    last_minute = accepted(actors, minutes=1)  # accepted while A still has room
    done(actors, minutes=20 * H)  # A at exactly -20 h
    assert credits.balance_of(actors.org_a) == -20 * H
    transfers = Transfer.objects.count()
    exchanges.exchange_confirm(actor=actors.member_admin_a, exchange=last_minute, organisation=actors.org_a)
    with pytest.raises(DomainError) as refused:
        exchanges.exchange_confirm(actor=actors.member_admin_b, exchange=last_minute, organisation=actors.org_b)
    assert refused.value.code == "receiver_floor"
    assert actors.org_a.name in refused.value.message
    assert Transfer.objects.count() == transfers
    last_minute.refresh_from_db()
    assert last_minute.state == Exchange.State.ACCEPTED
    assert last_minute.receiver_confirmed_at is not None  # A's own confirmation stays
    assert last_minute.giver_confirmed_at is None and last_minute.transfer_id is None
    assert credits.balance_of(actors.org_a) == -20 * H
    assert verify().ok


def test_accepting_refuses_early_what_the_floor_would_refuse(actors):
    done(actors, minutes=19 * H)  # A at -19 h
    exchange = proposed(actors, minutes=H)  # still room for 1 h when proposed
    done(actors, minutes=30)  # A at -19 h 30 now
    with pytest.raises(DomainError) as refused:
        exchanges.exchange_accept(actor=actors.member_admin_b, exchange=exchange)
    assert refused.value.code == "receiver_floor" and refused.value.field == "minutes"
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.PROPOSED


def test_the_giver_may_reach_its_ceiling_exactly_but_not_one_minute_beyond(actors):
    services.credit_limit_set(
        actor=actors.coordinator, organisation=actors.org_a, floor_minutes=-60 * H, ceiling_minutes=40 * H
    )
    last_minute = accepted(actors, minutes=1)
    done(actors, minutes=40 * H)  # B gives 40 h: B at its ceiling
    assert credits.balance_of(actors.org_b) == 40 * H
    transfers = Transfer.objects.count()
    exchanges.exchange_confirm(actor=actors.member_admin_a, exchange=last_minute, organisation=actors.org_a)
    with pytest.raises(DomainError) as refused:
        exchanges.exchange_confirm(actor=actors.member_admin_b, exchange=last_minute, organisation=actors.org_b)
    assert refused.value.code == "giver_ceiling"
    assert actors.org_b.name in refused.value.message
    assert Transfer.objects.count() == transfers
    assert Exchange.objects.get(pk=last_minute.pk).state == Exchange.State.ACCEPTED
    assert verify().ok


def test_a_floor_can_widen_but_not_narrow_past_the_balance(actors):
    done(actors, minutes=15 * H)  # A at -15 h
    audits = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        services.credit_limit_set(
            actor=actors.coordinator, organisation=actors.org_a, floor_minutes=-10 * H, ceiling_minutes=40 * H
        )
    assert refused.value.code == "floor_below_balance" and refused.value.field == "floor_minutes"
    assert AuditEvent.objects.count() == audits
    assert not CreditLimit.objects.get(organisation=actors.org_a).custom
    services.credit_limit_set(
        actor=actors.coordinator, organisation=actors.org_a, floor_minutes=-15 * H, ceiling_minutes=10 * H
    )
    position = credits.position_of(actors.org_a)
    assert (position.balance_minutes, position.floor_minutes, position.ceiling_minutes) == (-15 * H, -15 * H, 10 * H)
    assert position.custom
    ct_a = account(f"CT{actors.org_a.pk:06d}")
    assert ct_a.credits_posted - ct_a.debits_posted == 0  # exactly at its floor
    services.credit_limit_reset(actor=actors.coordinator, organisation=actors.org_a)
    position = credits.position_of(actors.org_a)
    assert (position.balance_minutes, position.floor_minutes, position.ceiling_minutes) == (-15 * H, -20 * H, 40 * H)
    assert not position.custom
    assert [line.balance_after for line in credits.statement_of(actors.org_a)] == [-15 * H]
    assert verify().ok


def test_a_ceiling_cannot_drop_below_the_balance(actors):
    done(actors, minutes=10 * H)  # B at +10 h
    with pytest.raises(DomainError) as refused:
        services.credit_limit_set(
            actor=actors.coordinator, organisation=actors.org_b, floor_minutes=-20 * H, ceiling_minutes=9 * H
        )
    assert refused.value.code == "ceiling_below_balance"
    services.credit_limit_set(
        actor=actors.coordinator, organisation=actors.org_b, floor_minutes=0, ceiling_minutes=10 * H
    )
    assert credits.position_of(actors.org_b).can_give_minutes == 0
    assert verify().ok


def test_new_defaults_move_every_organisation_that_follows_them_or_none(actors):
    third = make_organisation("Les Ateliers du Champsaur")
    done(actors, minutes=12 * H)  # A -12 h, B +12 h
    services.credit_limit_set(actor=actors.coordinator, organisation=third, floor_minutes=-5 * H, ceiling_minutes=5 * H)
    with pytest.raises(DomainError) as refused:
        services.credit_settings_update(actor=actors.coordinator, floor_minutes=-10 * H, ceiling_minutes=40 * H)
    assert refused.value.code == "floor_below_balance"
    assert actors.org_a.name in refused.value.message
    assert CreditSettings.current().floor_minutes == -20 * H
    services.credit_settings_update(actor=actors.coordinator, floor_minutes=-30 * H, ceiling_minutes=12 * H)
    a, b, c = credits.positions([actors.org_a, actors.org_b, third])
    assert (a.floor_minutes, a.ceiling_minutes, b.floor_minutes, b.ceiling_minutes) == (
        -30 * H,
        12 * H,
        -30 * H,
        12 * H,
    )
    assert (c.floor_minutes, c.ceiling_minutes) == (-5 * H, 5 * H)  # its own bounds stay
    assert (a.balance_minutes, b.balance_minutes) == (-12 * H, 12 * H)
    assert verify().ok


def test_bad_bounds_are_refused_with_their_field(actors):
    for floor, ceiling, field_name in (
        (60, 60, "floor_minutes"),
        (-60, -1, "ceiling_minutes"),
        (-60, 1.5, "ceiling_minutes"),
    ):
        with pytest.raises(DomainError) as refused:
            services.credit_settings_update(actor=actors.coordinator, floor_minutes=floor, ceiling_minutes=ceiling)  # type: ignore[arg-type]
        assert refused.value.field == field_name


def test_only_the_coordinator_sets_bounds(actors):
    for person in (actors.member_admin_a, actors.treasurer):
        with pytest.raises(NotAllowed):
            services.credit_settings_update(actor=person, floor_minutes=0, ceiling_minutes=0)
        with pytest.raises(NotAllowed):
            services.credit_limit_set(actor=person, organisation=actors.org_a, floor_minutes=0, ceiling_minutes=0)


# --- Random exchanges and bound changes against a reference model ----------------------------


@dataclass
class Model:
    defaults: tuple[int, int] = (-20 * H, 40 * H)
    balances: dict[int, int] = field(default_factory=dict)
    bounds: dict[int, tuple[int, int]] = field(default_factory=dict)  # organisations with their own

    def of(self, index: int) -> tuple[int, int]:
        return self.bounds.get(index, self.defaults)

    def balance(self, index: int) -> int:
        return self.balances.get(index, 0)


bound = st.integers(0, 30).map(lambda hours: hours * H)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("exchange"), st.integers(0, 2), st.integers(0, 2), st.integers(1, 25 * H)),
        st.tuples(st.just("limit"), st.integers(0, 2), bound, bound),
        st.tuples(st.just("reset"), st.integers(0, 2), st.just(0), st.just(0)),
        st.tuples(st.just("defaults"), st.just(0), bound, bound),
    ),
    min_size=1,
    max_size=12,
)
_pks = itertools.count(10_000)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_random_exchanges_and_bounds_match_a_reference_model(steps):
    savepoint = transaction.savepoint()
    try:
        actors = make_actors()
        third = make_organisation("Les Ateliers du Champsaur")
        organisations = [actors.org_a, actors.org_b, third]
        model = Model()
        for kind, first, second, amount in steps:
            if kind == "exchange":
                giver, receiver = first, second
                if giver == receiver:
                    continue
                g_ceiling = model.of(giver)[1]
                r_floor = model.of(receiver)[0]
                expected = (
                    "receiver_floor"
                    if model.balance(receiver) - amount < r_floor
                    else "giver_ceiling"
                    if model.balance(giver) + amount > g_ceiling
                    else "ok"
                )
                try:
                    with transaction.atomic():
                        credits.post_exchange(
                            pk=next(_pks),
                            giver=organisations[giver],
                            receiver=organisations[receiver],
                            minutes=amount,
                            value_date=timezone.localdate(),
                            label="Échange",
                        )
                    outcome = "ok"
                except DomainError as error:
                    outcome = error.code
                assert outcome == expected
                if outcome == "ok":
                    model.balances[giver] = model.balance(giver) + amount
                    model.balances[receiver] = model.balance(receiver) - amount
            elif kind == "limit":
                floor, ceiling = -second, amount
                balance = model.balance(first)
                expected = (
                    "floor_below_balance" if balance < floor else "ceiling_below_balance" if balance > ceiling else "ok"
                )
                try:
                    services.credit_limit_set(
                        actor=actors.coordinator,
                        organisation=organisations[first],
                        floor_minutes=floor,
                        ceiling_minutes=ceiling,
                    )
                    outcome = "ok"
                except DomainError as error:
                    outcome = error.code
                assert outcome == expected
                if outcome == "ok":
                    model.bounds[first] = (floor, ceiling)
            elif kind == "reset":
                floor, ceiling = model.defaults
                balance = model.balance(first)
                opened = CreditLimit.objects.filter(organisation=organisations[first], custom=True).exists()
                expected = "ok"
                if opened and (balance < floor or balance > ceiling):
                    expected = "floor_below_balance" if balance < floor else "ceiling_below_balance"
                try:
                    services.credit_limit_reset(actor=actors.coordinator, organisation=organisations[first])
                    outcome = "ok"
                except DomainError as error:
                    outcome = "ok" if error.code == "not_custom" else error.code
                assert outcome == expected
                if outcome == "ok":
                    model.bounds.pop(first, None)
            else:
                floor, ceiling = -second, amount
                followers = [
                    index
                    for index in range(3)
                    if index not in model.bounds
                    and CreditLimit.objects.filter(organisation=organisations[index]).exists()
                ]
                expected = "ok"
                for index in followers:
                    balance = model.balance(index)
                    if balance < floor or balance > ceiling:
                        expected = "floor_below_balance" if balance < floor else "ceiling_below_balance"
                        break
                try:
                    services.credit_settings_update(
                        actor=actors.coordinator, floor_minutes=floor, ceiling_minutes=ceiling
                    )
                    outcome = "ok"
                except DomainError as error:
                    outcome = error.code
                assert outcome == expected
                if outcome == "ok":
                    model.defaults = (floor, ceiling)
            for index, position in enumerate(credits.positions(organisations)):
                assert position.balance_minutes == model.balance(index)
                assert (position.floor_minutes, position.ceiling_minutes) == model.of(index)
                assert position.floor_minutes <= position.balance_minutes <= position.ceiling_minutes
                lines = credits.statement_of(organisations[index])
                assert (lines[-1].balance_after if lines else 0) == model.balance(index)
        assert verify().ok
    finally:
        transaction.savepoint_rollback(savepoint)


def test_a_refusal_gives_the_figures(actors):
    from django.utils import translation

    done(actors, minutes=19 * H + 30)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        credits.check_room(giver=actors.org_b, receiver=actors.org_a, minutes=31)
    message = refused.value.message
    assert "-19 h 30" in message and "-20 h" in message and "0 h 30" in message and "0 h 31" in message
