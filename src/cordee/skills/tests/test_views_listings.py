"""The offers and needs pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.skills.models import Listing
from cordee.skills.services.listings import listing_close
from cordee.skills.templatetags.skills import terms_text
from cordee.skills.tests.factories import need, offer

pytestmark = pytest.mark.django_db


def _form(actors: Actors, **overrides: Any) -> dict[str, Any]:
    data = {
        "organisation": actors.org_a.pk,
        "nature": "skill",
        "category": "accounting",
        "title": "Comptable bénévole",
        "description": "Bilans et comptes annuels.",
        "commune": "05061",
        "terms": "hours",
        "hours": "1,5",
        "price": "",
    }
    data.update(overrides)
    return data


def test_a_member_posts_an_offer_in_time_credits(actors: Actors, client_for: Any) -> None:
    response = client_for(actors.member_user_a).post(reverse("skills:offer_create"), _form(actors))

    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("skills:listing", args=[listing.pk])
    assert (listing.direction, listing.terms, listing.minutes, listing.organisation) == (
        "offer",
        "hours",
        90,
        actors.org_a,
    )


def test_switching_to_free_drops_the_hours_typed(actors: Actors, client_for: Any) -> None:
    client_for(actors.member_user_a).post(reverse("skills:need_create"), _form(actors, terms="free", price="45"))

    listing = Listing.objects.get()
    assert (listing.direction, listing.terms, listing.minutes, listing.price_cents) == ("need", "free", None, None)


def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.member_user_a)

    missing_hours = client.post(reverse("skills:offer_create"), _form(actors, hours=""))
    bad_price = client.post(reverse("skills:offer_create"), _form(actors, terms="euros", price="-3"))
    other_organisation = client.post(reverse("skills:offer_create"), _form(actors, organisation=actors.org_b.pk))

    assert missing_hours.status_code == 400
    assert "hours" in missing_hours.context["form"].errors
    assert "price" in bad_price.context["form"].errors
    assert "organisation" in other_organisation.context["form"].errors
    assert not Listing.objects.exists()


def test_the_home_filters_offers_by_words_category_and_terms(actors: Actors, client_for: Any) -> None:
    accountant = offer(actors.org_b, title="Comptable bénévole", category="accounting", terms="hours", minutes=120)
    offer(actors.org_b, title="Prêt d'une remorque", category="logistics")
    needed = need(actors.org_b, title="Cherche une comptable", category="accounting")
    client = client_for(actors.member_admin_a)

    by_words = client.get(reverse("skills:index"), {"q": "comptabilité"})
    by_category = client.get(reverse("skills:index"), {"categorie": "logistics"})
    by_terms = client.get(reverse("skills:index"), {"conditions": "euros"})
    needs = client.get(reverse("skills:index"), {"voir": "besoins", "q": "COMPTABLES"})

    assert list(by_words.context["page"]) == [accountant]
    assert [listing.title for listing in by_category.context["page"]] == ["Prêt d'une remorque"]
    assert list(by_terms.context["page"]) == []
    assert list(needs.context["page"]) == [needed]


def test_the_home_shows_my_needs_with_their_best_offers(actors: Actors, client_for: Any) -> None:
    mine = need(actors.org_a, title="Aide comptable", description="Bilans annuels.", category="accounting")
    accountant = offer(actors.org_b, title="Comptable bénévole", description="Bilans.", category="accounting")

    response = client_for(actors.member_user_a).get(reverse("skills:index"))

    [(shown_need, matches)] = response.context["my_needs"]
    assert shown_need == mine
    assert [match.offer for match in matches] == [accountant]
    assert f'href="{reverse("skills:listing", args=[accountant.pk])}"' in response.content.decode()


def test_the_home_list_does_not_grow_queries_with_listings(actors: Actors, client_for: Any) -> None:
    client = client_for(actors.coordinator)
    offer(actors.org_b)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("skills:index"))
    for _ in range(5):
        offer(actors.org_b)
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("skills:index"))

    assert len(six.captured_queries) == len(one.captured_queries)


def test_a_needs_page_ranks_its_suggestions_and_explains_them(actors: Actors, client_for: Any) -> None:
    wanted = need(actors.org_a, title="Aide pour la comptabilité", description="Bilans annuels.", category="accounting")
    trailer = offer(actors.org_b, title="Prêt d'une remorque", description="Pour vos bilans.", category="logistics")
    accountant = offer(actors.org_b, title="Comptable bénévole", description="Bilans annuels.", category="accounting")

    response = client_for(actors.member_admin_b).get(reverse("skills:listing", args=[wanted.pk]))

    matches = response.context["matches"]
    assert [match.offer for match in matches] == [accountant, trailer]
    assert matches[0].same_category and not matches[1].same_category
    assert "skills/includes/listing_exchange.html" in [template.name for template in response.templates]


def test_an_offers_page_shows_the_needs_it_may_answer(actors: Actors, client_for: Any) -> None:
    wanted = need(actors.org_a, title="Aide comptable", category="accounting")
    accountant = offer(actors.org_b, title="Comptable bénévole", category="accounting")

    response = client_for(actors.member_admin_b).get(reverse("skills:listing", args=[accountant.pk]))

    assert [item[0] for item in response.context["answered_needs"]] == [wanted]


def test_edit_close_and_reopen_from_the_pages(actors: Actors, client_for: Any) -> None:
    listing = offer(actors.org_a, title="Comptable bénévole")
    client = client_for(actors.member_admin_a)

    edited = client.post(
        reverse("skills:listing_edit", args=[listing.pk]),
        {**_form(actors, title="Expert-comptable bénévole", terms="euros", price="45", hours="")},
    )
    closed = client.post(reverse("skills:listing_close", args=[listing.pk]))
    listing.refresh_from_db()
    assert edited.status_code == closed.status_code == 302
    assert (listing.title, listing.terms, listing.price_cents, listing.state) == (
        "Expert-comptable bénévole",
        "euros",
        4500,
        "closed",
    )

    client.post(reverse("skills:listing_reopen", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.state == "open"


def test_others_may_not_edit_and_do_not_see_closed_listings(actors: Actors, client_for: Any) -> None:
    listing = offer(actors.org_a)
    client = client_for(actors.member_admin_b)

    assert client.get(reverse("skills:listing_edit", args=[listing.pk])).status_code == 403
    assert client.post(reverse("skills:listing_close", args=[listing.pk])).status_code == 403
    listing_close(actor=actors.member_user_a, listing=listing)
    assert client.get(reverse("skills:listing", args=[listing.pk])).status_code == 404


def test_visitors_and_outsiders_never_see_listings(actors: Actors, client_for: Any) -> None:
    listing = offer(actors.org_a, title="Comptable bénévole")

    visitor = client_for(None).get(reverse("skills:listing", args=[listing.pk]))
    outsider = client_for(actors.outsider).get(reverse("skills:index"))

    assert visitor.status_code == 302 and "/connexion/" in visitor["Location"]
    assert outsider.status_code == 403
    assert "Comptable bénévole" not in outsider.content.decode()


@pytest.mark.parametrize(
    ("terms", "minutes", "price_cents", "french"),
    [("free", None, None, "Gratuit"), ("hours", 180, None, "3 h en crédits temps"), ("euros", None, 4500, "45,00 €")],
)
def test_terms_read_the_french_way(terms: str, minutes: int | None, price_cents: int | None, french: str) -> None:
    from django.utils import translation

    with translation.override("fr"):
        shown = terms_text(terms, minutes, price_cents)
    if terms == "euros":
        assert shown.replace("\u202f", " ").replace("\xa0", " ") == french
    else:
        # The wording comes from the French catalogue; the figures are checked here.
        assert ("3 h" in shown) == (terms == "hours")
