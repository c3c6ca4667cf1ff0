"""The exchange and time-credit pages, through the web as people use them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cordee.core.models import User
from cordee.ledger.models import Transfer
from cordee.skills import credits
from cordee.skills.models import CreditLimit, CreditSettings, Direction, Exchange, Review, Terms
from cordee.skills.tests.exchange_support import accepted, done, make_listing, proposed

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_member_proposes_an_exchange_on_an_offer(actors):
    listing = make_listing(actors.org_b, direction=Direction.OFFER, minutes=120)
    client = client_for(actors.member_user_a)
    page = client.get(reverse("skills:exchange_propose", args=[listing.pk]))
    assert page.status_code == 200
    assert page.context["form"]["hours"].value() == "2"  # hours, from the listing's 120 minutes
    response = client.post(
        reverse("skills:exchange_propose", args=[listing.pk]),
        {"organisation": actors.org_a.pk, "description": "Clôture des comptes", "terms": "hours", "hours": "2,5"},
    )
    exchange = Exchange.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("skills:exchange", args=[exchange.pk])
    assert (exchange.receiver, exchange.giver, exchange.minutes) == (actors.org_a, actors.org_b, 150)


def test_a_refused_proposal_names_the_field_and_writes_nothing(actors):
    listing = make_listing(actors.org_b, terms=Terms.EUROS, price_cents=10_000)
    response = client_for(actors.member_admin_a).post(
        reverse("skills:exchange_propose", args=[listing.pk]),
        {"organisation": actors.org_a.pk, "description": "x", "terms": "hours", "hours": ""},
    )
    assert response.status_code == 400
    assert "hours" in response.context["form"].errors
    assert not Exchange.objects.exists()


def test_a_member_user_cannot_commit_to_pay_in_euros(actors):
    listing = make_listing(actors.org_b, terms=Terms.EUROS, price_cents=10_000)
    response = client_for(actors.member_user_a).post(
        reverse("skills:exchange_propose", args=[listing.pk]),
        {"organisation": actors.org_a.pk, "description": "x", "terms": "euros", "price": "100"},
    )
    assert response.status_code == 403
    assert not Exchange.objects.exists()


def test_the_listings_own_organisation_has_no_one_to_propose_for(actors):
    listing = make_listing(actors.org_a)
    page = client_for(actors.member_admin_a).get(reverse("skills:exchange_propose", args=[listing.pk]))
    assert page.status_code == 200 and page.context["no_organisation"]


def test_the_exchange_goes_from_proposed_to_reviewed_through_the_pages(actors):
    exchange = proposed(actors, minutes=90)
    a, b = client_for(actors.member_admin_a), client_for(actors.member_admin_b)
    page = b.get(reverse("skills:exchange", args=[exchange.pk]))
    assert page.context["can_accept"] and not page.context["can_confirm"]
    assert not a.get(reverse("skills:exchange", args=[exchange.pk])).context["can_accept"]
    assert b.post(reverse("skills:exchange_accept", args=[exchange.pk])).status_code == 302
    response = a.post(reverse("skills:exchange_confirm", args=[exchange.pk]), {"organisation": actors.org_a.pk})
    assert response.status_code == 302
    response = b.post(reverse("skills:exchange_confirm", args=[exchange.pk]), {"organisation": actors.org_b.pk})
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.DONE
    assert credits.balance_of(actors.org_b) == 90
    response = a.post(
        reverse("skills:exchange_review", args=[exchange.pk]),
        {"organisation": actors.org_a.pk, "rating": "5", "testimony": "Très utile"},
    )
    assert response.status_code == 302
    assert Review.objects.get().rating == 5
    page = a.get(reverse("skills:exchange", args=[exchange.pk]))
    assert not page.context["can_review"]
    assert "Très utile" in page.content.decode()


def test_a_confirmation_the_floor_refuses_shows_the_rule_and_writes_nothing(actors):
    exchange = accepted(actors, minutes=60)
    done(actors, minutes=20 * 60)  # A at its floor
    a, b = client_for(actors.member_admin_a), client_for(actors.member_admin_b)
    a.post(reverse("skills:exchange_confirm", args=[exchange.pk]), {"organisation": actors.org_a.pk})
    transfers = Transfer.objects.count()
    response = b.post(reverse("skills:exchange_confirm", args=[exchange.pk]), {"organisation": actors.org_b.pk})
    assert response.status_code == 400
    assert response.context["refused_form"].non_field_errors()
    assert Transfer.objects.count() == transfers
    assert Exchange.objects.get(pk=exchange.pk).state == Exchange.State.ACCEPTED


def test_cancelling_needs_a_reason(actors):
    exchange = proposed(actors)
    client = client_for(actors.member_admin_b)
    response = client.post(reverse("skills:exchange_cancel", args=[exchange.pk]), {"organisation": actors.org_b.pk})
    assert response.status_code == 400 and "reason" in response.context["cancel_form"].errors
    response = client.post(
        reverse("skills:exchange_cancel", args=[exchange.pk]), {"organisation": actors.org_b.pk, "reason": "Complet"}
    )
    assert response.status_code == 302
    assert Exchange.objects.get().state == Exchange.State.CANCELLED


def test_an_exchange_is_hidden_from_others(actors):
    exchange = proposed(actors)
    assert client_for(actors.treasurer).get(reverse("skills:exchange", args=[exchange.pk])).status_code == 404
    assert client_for(actors.coordinator).get(reverse("skills:exchange", args=[exchange.pk])).status_code == 200
    assert client_for(actors.treasurer).post(reverse("skills:exchange_accept", args=[exchange.pk])).status_code == 404


def test_the_list_groups_my_exchanges_by_state(actors, django_assert_max_num_queries):
    for _ in range(3):
        proposed(actors)
    done(actors)
    client = client_for(actors.member_user_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("skills:exchanges"))
    groups = {str(label): len(rows) for label, rows in page.context["by_state"]}
    assert page.context["count"] == 4
    assert sorted(groups.values()) == [0, 0, 1, 3]


def test_a_member_sees_the_balance_and_statement_of_its_organisation(actors):
    done(actors, minutes=150)
    page = client_for(actors.member_user_a).get(reverse("skills:credits"))
    assert page.status_code == 200
    [position] = page.context["positions"]
    assert (position.organisation, position.balance_minutes) == (actors.org_a, -150)
    [(_, lines)] = page.context["statements"]
    assert [line.balance_after for line in lines] == [-150]
    assert page.context["settings_form"] is None


def test_the_coordinator_sets_the_defaults_and_an_organisations_bounds(actors):
    client = client_for(actors.coordinator)
    page = client.get(reverse("skills:credits"))
    assert {p.organisation for p in page.context["positions"]} >= {actors.org_a, actors.org_b}
    response = client.post(reverse("skills:credit_settings"), {"floor": "10", "ceiling": "30"})
    assert response.status_code == 302
    assert (CreditSettings.current().floor_minutes, CreditSettings.current().ceiling_minutes) == (-600, 1800)
    response = client.post(reverse("skills:credit_settings"), {"floor": "x", "ceiling": "30"})
    assert response.status_code == 400 and "floor" in response.context["settings_form"].errors
    url = reverse("skills:credit_limit", args=[actors.org_a.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "set", "floor": "5", "ceiling": "8 h 30"}).status_code == 302
    limit = CreditLimit.objects.get(organisation=actors.org_a)
    assert (limit.floor_minutes, limit.ceiling_minutes, limit.custom) == (-300, 510, True)
    assert client.post(url, {"action": "reset"}).status_code == 302
    limit.refresh_from_db()
    assert (limit.floor_minutes, limit.ceiling_minutes, limit.custom) == (-600, 1800, False)


def test_a_bound_the_balance_breaks_is_refused_on_its_field(actors):
    done(actors, minutes=10 * 60)  # A at -10 h
    response = client_for(actors.coordinator).post(
        reverse("skills:credit_limit", args=[actors.org_a.pk]), {"action": "set", "floor": "9", "ceiling": "40"}
    )
    assert response.status_code == 400 and "floor" in response.context["form"].errors
    assert not CreditLimit.objects.get(organisation=actors.org_a).custom


def test_who_helped_whom_shows_names_and_counts(actors):
    done(actors, minutes=60)
    page = client_for(actors.committee).get(reverse("skills:cooperations"))
    [row] = page.context["cooperation_rows"]
    assert (row.giver, row.receiver, row.exchanges, row.minutes) == (actors.org_b, actors.org_a, 1, None)
    [mine] = client_for(actors.member_user_a).get(reverse("skills:cooperations")).context["cooperation_rows"]
    assert mine.minutes == 60


def test_an_acceptance_the_floor_refuses_says_why(actors):
    done(actors, minutes=19 * 60)
    exchange = proposed(actors, minutes=60)
    done(actors, minutes=30)  # A has 30 minutes of room left, the exchange needs 60
    response = client_for(actors.member_admin_b).post(reverse("skills:exchange_accept", args=[exchange.pk]))
    assert response.status_code == 400
    assert response.context["refused_form"].non_field_errors()
    assert Exchange.objects.get(pk=exchange.pk).state == Exchange.State.PROPOSED


def test_the_listing_page_include_offers_to_propose_an_exchange(actors, rf):
    from django.template.loader import render_to_string

    from cordee.core import permissions

    listing = make_listing(actors.org_b)
    html = render_to_string(
        "skills/includes/listing_exchange.html",
        {"listing": listing, "actor": permissions.actor_for(actors.member_user_a)},
    )
    assert reverse("skills:exchange_propose", args=[listing.pk]) in html
    listing.state = "closed"
    closed = render_to_string(
        "skills/includes/listing_exchange.html",
        {"listing": listing, "actor": permissions.actor_for(actors.member_user_a)},
    )
    assert reverse("skills:exchange_propose", args=[listing.pk]) not in closed


def test_the_network_page_include_lists_who_helped_whom(actors):
    from django.template.loader import render_to_string

    from cordee.skills.cooperation import rows_for

    done(actors, minutes=60)
    html = render_to_string("skills/includes/cooperations.html", {"cooperation_rows": rows_for(actors.committee)})
    assert actors.org_b.name in html and actors.org_a.name in html


def test_the_listing_page_include_is_not_offered_on_ones_own_listing(actors):
    from django.template.loader import render_to_string

    from cordee.core import permissions

    listing = make_listing(actors.org_a)
    html = render_to_string(
        "skills/includes/listing_exchange.html",
        {"listing": listing, "actor": permissions.actor_for(actors.member_user_a)},
    )
    assert reverse("skills:exchange_propose", args=[listing.pk]) not in html


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("2", 120), ("2,5", 150), ("2.5", 150), ("2 h 30", 150), ("2:30", 150), ("0,25", 15), ("1 000", None), ("", None)],
)
def test_hours_are_read_the_way_people_type_them(typed, minutes):
    from django.core.exceptions import ValidationError

    from cordee.skills.forms_exchanges import parse_hours

    if typed and minutes is None:
        with pytest.raises(ValidationError):
            parse_hours(typed, max_hours=100)
    else:
        assert parse_hours(typed, max_hours=100) == minutes


def test_hours_beyond_the_maximum_are_refused():
    from django.core.exceptions import ValidationError

    from cordee.skills.forms_exchanges import parse_hours

    with pytest.raises(ValidationError) as refused:
        parse_hours("101", max_hours=100)
    assert refused.value.code == "hours_range"
