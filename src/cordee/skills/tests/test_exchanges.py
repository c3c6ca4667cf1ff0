"""The life of an exchange: proposed, accepted, confirmed by both sides, done (credits moved or an
invoice issued), or cancelled; reviews once done; who may do what; who helped whom."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent
from cordee.core.testing import make_organisation, make_person
from cordee.invoicing.models import Invoice
from cordee.ledger.models import Transfer
from cordee.ledger.verify import verify
from cordee.network.models import Affiliation
from cordee.skills import cooperation, credits
from cordee.skills.models import Direction, Exchange, Listing, Review, Terms
from cordee.skills.services import exchanges as services
from cordee.skills.tests.exchange_support import accepted, done, make_listing, proposed

pytestmark = pytest.mark.django_db


def test_a_proposal_on_an_offer_makes_the_proposer_receive(actors):
    listing = make_listing(actors.org_b, direction=Direction.OFFER, minutes=90, author=actors.member_admin_b)
    exchange = services.exchange_propose(
        actor=actors.member_user_a, organisation=actors.org_a, listing=listing, description="  Bilan 2026  "
    )
    assert (exchange.giver, exchange.receiver, exchange.offer, exchange.need) == (
        actors.org_b,
        actors.org_a,
        listing,
        None,
    )
    assert (exchange.state, exchange.terms, exchange.minutes, exchange.price_cents) == ("proposed", "hours", 90, None)
    assert exchange.description == "Bilan 2026"
    assert exchange.proposed_by_organisation == actors.org_a
    assert AuditEvent.objects.filter(action="skills.exchange.propose", target_id=str(exchange.pk)).exists()


def test_a_proposal_on_a_need_makes_the_proposer_give_on_its_own_terms(actors):
    listing = make_listing(actors.org_b, direction=Direction.NEED, terms=Terms.FREE)
    exchange = services.exchange_propose(
        actor=actors.member_user_a,
        organisation=actors.org_a,
        listing=listing,
        description="",
        terms=Terms.HOURS,
        minutes=45,
    )
    assert (exchange.giver, exchange.receiver, exchange.need) == (actors.org_a, actors.org_b, listing)
    assert (exchange.terms, exchange.minutes) == ("hours", 45)
    assert exchange.description == listing.title


def test_the_other_side_hears_of_a_proposal_after_commit(actors, django_capture_on_commit_callbacks):
    listing = make_listing(actors.org_b, author=actors.member_admin_b)
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_propose(
            actor=actors.member_user_a, organisation=actors.org_a, listing=listing, description="x"
        )
    assert [message.to for message in mail.outbox] == [["admin.b@example.org"]]


def test_it_refuses_a_proposal_on_a_closed_listing(actors):
    listing = make_listing(actors.org_b, state=Listing.State.CLOSED)
    with pytest.raises(DomainError) as refused:
        services.exchange_propose(
            actor=actors.member_user_a, organisation=actors.org_a, listing=listing, description="x"
        )
    assert refused.value.code == "closed"
    assert not Exchange.objects.exists()


def test_it_refuses_an_exchange_with_oneself_or_for_another_organisation(actors):
    listing = make_listing(actors.org_a)
    with pytest.raises(DomainError) as refused:
        services.exchange_propose(
            actor=actors.member_user_a, organisation=actors.org_a, listing=listing, description="x"
        )
    assert refused.value.code == "oneself"
    other = make_listing(actors.org_b)
    with pytest.raises(NotAllowed):
        services.exchange_propose(
            actor=actors.member_admin_b, organisation=actors.org_a, listing=other, description="x"
        )
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    ("terms", "minutes", "price_cents", "field"),
    [
        (Terms.HOURS, None, None, "minutes"),
        (Terms.HOURS, 0, None, "minutes"),
        (Terms.HOURS, 1000 * 60 + 1, None, "minutes"),
        (Terms.EUROS, None, -5, "price_cents"),
        ("barter", None, None, "terms"),
    ],
)
def test_it_refuses_inconsistent_terms_naming_the_field(actors, terms, minutes, price_cents, field):
    listing = make_listing(actors.org_b)
    with pytest.raises(DomainError) as refused:
        services.exchange_propose(
            actor=actors.member_admin_a,
            organisation=actors.org_a,
            listing=listing,
            description="x",
            terms=terms,
            minutes=minutes,
            price_cents=price_cents,
        )
    assert refused.value.field == field
    assert not Exchange.objects.exists()


def test_only_member_admins_commit_their_organisation_to_pay_euros(actors):
    listing = make_listing(actors.org_b, terms=Terms.EUROS, price_cents=20_000)
    with pytest.raises(NotAllowed):
        services.exchange_propose(
            actor=actors.member_user_a, organisation=actors.org_a, listing=listing, description="x"
        )
    exchange = services.exchange_propose(
        actor=actors.member_admin_a, organisation=actors.org_a, listing=listing, description="x"
    )
    services.exchange_accept(actor=actors.member_admin_b, exchange=exchange)
    with pytest.raises(NotAllowed):
        services.exchange_confirm(actor=actors.member_user_a, exchange=exchange, organisation=actors.org_a)


def test_the_proposer_does_not_accept_its_own_proposal(actors):
    exchange = proposed(actors)
    with pytest.raises(NotAllowed):
        services.exchange_accept(actor=actors.member_admin_a, exchange=exchange)
    assert Exchange.objects.get(pk=exchange.pk).state == Exchange.State.PROPOSED


def test_both_sides_confirm_and_the_exchange_is_done_once(actors, django_capture_on_commit_callbacks):
    exchange = accepted(actors, minutes=150)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Exchange.objects.filter(pk=exchange.pk).update(proposed_at=timezone.now() - dt.timedelta(days=3))
    services.exchange_confirm(
        actor=actors.member_user_a, exchange=exchange, organisation=actors.org_a, done_on=yesterday
    )
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.ACCEPTED and exchange.receiver_confirmed_at is not None
    assert not Transfer.objects.filter(reference=f"exchange:{exchange.pk}").exists()
    with pytest.raises(DomainError) as twice:
        services.exchange_confirm(actor=actors.member_admin_a, exchange=exchange, organisation=actors.org_a)
    assert twice.value.code == "already_confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_confirm(actor=actors.member_admin_b, exchange=exchange, organisation=actors.org_b)
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.DONE
    assert exchange.done_on == yesterday
    assert Transfer.objects.filter(reference=f"exchange:{exchange.pk}").count() == 3
    assert all(t.value_date == yesterday for t in Transfer.objects.filter(reference=f"exchange:{exchange.pk}"))
    assert mail.outbox[-1].to == ["admin.a@example.org"]
    # A confirmation after it is done changes nothing.
    with pytest.raises(DomainError) as again:
        services.exchange_confirm(actor=actors.member_admin_b, exchange=exchange, organisation=actors.org_b)
    assert again.value.code == "state"
    assert Transfer.objects.filter(reference=f"exchange:{exchange.pk}").count() == 3
    assert (credits.balance_of(actors.org_a), credits.balance_of(actors.org_b)) == (-150, 150)
    assert verify().ok


def test_a_retried_posting_finds_its_transfers(actors):
    exchange = done(actors, minutes=60)
    assert exchange.done_on is not None
    again = credits.post_exchange(
        pk=exchange.pk,
        giver=actors.org_b,
        receiver=actors.org_a,
        minutes=60,
        value_date=exchange.done_on,
        label=services._label(exchange),
    )
    assert again == exchange.transfer_id
    assert Transfer.objects.filter(reference=f"exchange:{exchange.pk}").count() == 3
    assert credits.balance_of(actors.org_a) == -60


def test_it_refuses_a_done_date_in_the_future_or_before_the_proposal(actors):
    exchange = accepted(actors)
    for day, code in (
        (timezone.localdate() + dt.timedelta(days=1), "future"),
        (dt.date(2000, 1, 1), "before_proposal"),
    ):
        with pytest.raises(DomainError) as refused:
            services.exchange_confirm(
                actor=actors.member_admin_a, exchange=exchange, organisation=actors.org_a, done_on=day
            )
        assert refused.value.code == code and refused.value.field == "done_on"
    assert Exchange.objects.get(pk=exchange.pk).receiver_confirmed_at is None


def test_an_exchange_in_euros_done_is_invoiced_once_by_the_giver(actors):
    exchange = done(actors, terms=Terms.EUROS, minutes=None, price_cents=12_345)
    invoice = Invoice.objects.get()
    assert exchange.invoice == invoice
    assert (invoice.issuer, invoice.recipient) == (actors.org_b, actors.org_a)
    assert invoice.source == f"exchange:{exchange.pk}"
    assert (invoice.total_excl_vat_cents, invoice.vat_cents, invoice.total_incl_vat_cents) == (12_345, 0, 12_345)
    [line] = invoice.lines.all()
    assert (line.vat_rate, line.vat_exemption) == (0, "293B")
    assert invoice.issue_date is not None
    assert invoice.due_date == invoice.issue_date + dt.timedelta(days=30)
    assert not Transfer.objects.filter(ledger__code="HOURS").exists()
    assert verify().ok


def test_a_free_exchange_done_moves_nothing(actors):
    exchange = done(actors, terms=Terms.FREE, minutes=None)
    assert exchange.state == Exchange.State.DONE
    assert exchange.transfer_id is None and exchange.invoice is None
    assert not Transfer.objects.exists()


def test_either_side_cancels_before_it_is_done_with_a_reason(actors, django_capture_on_commit_callbacks):
    exchange = proposed(actors)
    with pytest.raises(DomainError) as refused:
        services.exchange_cancel(actor=actors.member_admin_b, exchange=exchange, organisation=actors.org_b, reason=" ")
    assert refused.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_cancel(
            actor=actors.member_admin_b, exchange=exchange, organisation=actors.org_b, reason="Plus disponible"
        )
    exchange.refresh_from_db()
    assert (exchange.state, exchange.cancel_reason) == ("cancelled", "Plus disponible")
    assert mail.outbox[-1].to == ["admin.a@example.org"]
    with pytest.raises(DomainError) as late:
        services.exchange_accept(actor=actors.member_admin_b, exchange=exchange)
    assert late.value.code == "state"


def test_a_done_exchange_cannot_be_cancelled(actors):
    exchange = done(actors)
    with pytest.raises(DomainError) as refused:
        services.exchange_cancel(actor=actors.member_admin_a, exchange=exchange, organisation=actors.org_a, reason="x")
    assert refused.value.code == "state"


def test_an_outsider_organisation_cannot_act_in_the_exchange(actors):
    exchange = accepted(actors)
    third = make_organisation("Les Ateliers du Champsaur")
    Affiliation.objects.create(person=actors.member_admin_b, organisation=third, role=Affiliation.Role.ADMIN)
    with pytest.raises(DomainError) as refused:
        services.exchange_confirm(actor=actors.member_admin_b, exchange=exchange, organisation=third)
    assert refused.value.code == "not_a_party"
    with pytest.raises(NotAllowed):
        services.exchange_confirm(actor=actors.member_admin_b, exchange=exchange, organisation=actors.org_a)


def test_each_side_reviews_a_done_exchange_once(actors):
    exchange = proposed(actors)
    with pytest.raises(DomainError) as early:
        services.review_create(actor=actors.member_admin_a, exchange=exchange, organisation=actors.org_a, rating=5)
    assert early.value.code == "state"
    exchange = done(actors)
    for rating in (0, 6, True):
        with pytest.raises(DomainError) as refused:
            services.review_create(
                actor=actors.member_admin_a, exchange=exchange, organisation=actors.org_a, rating=rating
            )
        assert refused.value.field == "rating"
    services.review_create(
        actor=actors.member_user_a, exchange=exchange, organisation=actors.org_a, rating=5, testimony="Merci !"
    )
    with pytest.raises(DomainError) as twice:
        services.review_create(actor=actors.member_admin_a, exchange=exchange, organisation=actors.org_a, rating=4)
    assert twice.value.code == "already_reviewed"
    services.review_create(actor=actors.member_admin_b, exchange=exchange, organisation=actors.org_b, rating=4)
    assert sorted(Review.objects.values_list("rating", flat=True)) == [4, 5]


def test_who_helped_whom_counts_done_exchanges_by_pair(actors):
    done(actors, minutes=60)
    done(actors, minutes=30)
    done(actors, terms=Terms.EUROS, minutes=None, price_cents=5_000)
    done(actors, minutes=45, giver="a")  # A helps B once
    proposed(actors)  # not done: not counted
    pairs = cooperation.cooperations()
    assert [(p.giver, p.receiver, p.exchanges, p.minutes, p.cents) for p in pairs] == [
        (actors.org_b, actors.org_a, 3, 90, 5_000),
        (actors.org_a, actors.org_b, 1, 45, 0),
    ]
    today = timezone.localdate()
    assert cooperation.cooperations(until=today - dt.timedelta(days=1)) == []
    assert len(cooperation.cooperations_of(actors.org_a, since=today)) == 2
    third = make_organisation("Les Ateliers du Champsaur")
    assert cooperation.cooperations_of(third) == []


def test_who_helped_whom_shows_amounts_only_to_the_pairs_own_people(actors):
    third = make_organisation("Les Ateliers du Champsaur")
    done(actors, minutes=60)
    other = make_listing(third, author=None)
    exchange = services.exchange_propose(
        actor=actors.member_admin_b, organisation=actors.org_b, listing=other, description="x"
    )
    Exchange.objects.filter(pk=exchange.pk).update(
        state="done", done_on=timezone.localdate(), transfer_id=credits.transfer_id("x", 1, "y")
    )
    rows = {
        (r.giver.pk if r.giver else None, r.receiver.pk if r.receiver else None): r
        for r in cooperation.rows_for(actors.member_admin_a)
    }
    assert rows[(actors.org_b.pk, actors.org_a.pk)].minutes == 60
    assert rows[(third.pk, actors.org_b.pk)].minutes is None  # not A's business
    assert rows[(third.pk, actors.org_b.pk)].last_on is None
    assert rows[(third.pk, actors.org_b.pk)].exchanges == 1
    treasurer_rows = cooperation.rows_for(actors.treasurer)
    assert all(row.minutes is not None for row in treasurer_rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: the race cannot happen there")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # two connections see only committed rows
def test_two_confirmations_at_the_same_moment_make_one_transfer_on_postgresql(actors):
    exchange = accepted(actors, minutes=60)
    services.exchange_confirm(actor=actors.member_admin_a, exchange=exchange, organisation=actors.org_a)
    second = make_person("second.b@example.org", "Hugo Isnard")
    Affiliation.objects.create(person=second, organisation=actors.org_b, role=Affiliation.Role.MEMBER)
    start, outcomes = threading.Barrier(2), []

    def confirm(person):  # type: ignore[no-untyped-def]
        try:
            start.wait(5)
            services.exchange_confirm(actor=person, exchange=exchange, organisation=actors.org_b)
            outcomes.append("done")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(person,)) for person in (actors.member_admin_b, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert sorted(outcomes) == ["done", "state"]
    assert Transfer.objects.filter(reference=f"exchange:{exchange.pk}").count() == 3
    assert credits.balance_of(actors.org_b) == 60
    assert verify().ok


def test_it_refuses_a_proposal_from_or_to_an_organisation_not_active(actors):
    listing = make_listing(actors.org_b)
    actors.org_a.membership.status = "suspended"
    actors.org_a.membership.save(update_fields=["status"])
    with pytest.raises(DomainError) as refused:
        services.exchange_propose(
            actor=actors.member_user_a, organisation=actors.org_a, listing=listing, description="x"
        )
    assert (refused.value.code, refused.value.field) == ("not_active", "organisation")
    assert not Exchange.objects.exists()


def test_no_one_is_written_to_from_inside_silenced(actors, django_capture_on_commit_callbacks):
    from cordee.core.mail import silenced

    with django_capture_on_commit_callbacks(execute=True), silenced():
        done(actors, terms=Terms.EUROS, minutes=None, price_cents=1_000)
    assert mail.outbox == []


def test_only_the_other_sides_admins_and_speaker_are_written_to(actors, django_capture_on_commit_callbacks):
    # The member user of A is an admin elsewhere: that does not make them an admin of A.
    third = make_organisation("Les Ateliers du Champsaur")
    Affiliation.objects.create(person=actors.member_user_a, organisation=third, role=Affiliation.Role.ADMIN)
    exchange = proposed(actors)
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_accept(actor=actors.member_admin_b, exchange=exchange)
    assert [message.to for message in mail.outbox] == [["admin.a@example.org"]]
