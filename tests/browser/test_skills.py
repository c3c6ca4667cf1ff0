"""The skills exchange through a real browser: a member posts a need from a phone, sees the matching
offer of another member first among the suggestions, asks for it; the other side accepts; both
confirm, and the time credits move on the ledger from the one helped to the one helping.

Selectors rely on ids, names and addresses rather than on words, so the test holds whether the
interface is shown in French or in English.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.urls import reverse

from cordee.core.testing import Actors
from cordee.ledger.verify import verify
from cordee.skills import credits
from cordee.skills.models import Exchange, Listing

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the dev dependencies always bring it
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("the playwright Python package is not installed", allow_module_level=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_need_meets_an_offer_and_the_exchange_moves_time_credits(
    new_page: Any, actors: Actors, books_emptied_afterwards: None, log_in: Any
) -> None:
    from cordee.skills.tests.factories import offer

    helpful = offer(
        actors.org_b,
        category="accounting",
        title="Comptable bénévole : bilans et comptes annuels",
        description="Aide à la préparation du bilan et des comptes annuels d'une association.",
        terms="hours",
        minutes=180,
    )
    offer(actors.org_b, category="logistics", title="Prêt d'une remorque", description="Remorque plateau 750 kg.")

    # Organisation A's member user, on a phone, says what it looks for.
    page = new_page(phone=True)
    log_in(page, actors.member_user_a.email)
    page.goto(reverse("skills:need_create"))
    page.locator("input[name=nature][value=skill]").check()
    page.locator("#id_category").select_option("accounting")
    page.locator("#id_title").fill("Cherche aide pour la comptabilité de l'association")
    page.locator("#id_description").fill("Clôturer nos comptes et préparer le bilan pour l'assemblée générale.")
    page.locator("input[name=terms][value=hours]").check()
    page.locator("#id_hours").fill("3")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/competences/annonces/\d+/"))
    need = Listing.objects.get(direction="need")
    assert need.organisation == actors.org_a and need.minutes == 180

    # The accountant's offer comes first among the suggestions; A asks for it.
    first = page.locator("#suggestions ~ ol.cards > li").first
    expect(first.locator("a").first).to_have_attribute("href", reverse("skills:listing", args=[helpful.pk]))
    first.locator("a").first.click()
    page.locator(f'a[href="{reverse("skills:exchange_propose", args=[helpful.pk])}"]').click()
    page.locator("#propose_description").fill("Deux soirées en avril pour le bilan.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/competences/echanges/\d+/"))
    exchange = Exchange.objects.get()
    assert (exchange.giver, exchange.receiver, exchange.minutes) == (actors.org_b, actors.org_a, 180)

    # B's member admin accepts, then says it took place.
    other = new_page()
    log_in(other, actors.member_admin_b.email)
    other.goto(reverse("skills:exchange", args=[exchange.pk]))
    other.locator("#accept-form button[type=submit]").click()
    expect(other.locator("#confirm-form")).to_be_visible()
    other.locator("#confirm-form button[type=submit]").click()
    expect(other.locator("#confirm-form")).to_have_count(0)
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.ACCEPTED and exchange.giver_confirmed_at is not None

    # A confirms too: the exchange is done and three hours move from A to B.
    page.goto(reverse("skills:exchange", args=[exchange.pk]))
    page.locator("#confirm-form button[type=submit]").click()
    expect(page.locator("#review-form")).to_be_visible()
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.DONE and exchange.transfer_id is not None
    assert credits.balance_of(actors.org_a) == -180 and credits.balance_of(actors.org_b) == 180
    assert verify().ok

    # A's time-credit page shows its balance and the exchange on its statement.
    page.goto(reverse("skills:credits"))
    expect(page.locator("main")).to_contain_text("3")
    expect(page.locator("main")).to_contain_text(actors.org_b.name)
