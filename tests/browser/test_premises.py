"""Booking a shared room through a real browser: a member user finds a free room with the
availability search, books it, sees it in the calendar and cancels it; an owner approves a request.

Selectors rely on ids, names and addresses rather than on words (see test_journeys)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.network.models import Commune
from cordee.premises.models import Booking, Resource

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


def next_weekday(weekday: int) -> dt.date:
    """A day of that weekday at least three days ahead (past any notice), never a holiday here:
    the rooms of this test are open on public holidays."""
    day = timezone.localdate() + dt.timedelta(days=3)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day


def room(name: str, *, owner: Any, commune: str, capacity: int, approval: bool = False) -> Resource:
    return Resource.objects.create(
        kind=Resource.Kind.MEETING_ROOM,
        name=name,
        slug=name.lower().replace(" ", "-"),
        owner=owner,
        commune=Commune.objects.get(pk=commune),
        capacity=capacity,
        approval_required=approval,
        lead_time_hours=0,
        closed_on_public_holidays=False,
        member_hour_cents=1000,
    )


def test_a_member_finds_a_free_room_books_it_sees_it_and_cancels_it(actors: Actors, page: Any, log_in: Any) -> None:
    tuesday = next_weekday(1)
    near = room("Salle de Gap", owner=actors.org_b, commune="05061", capacity=20)
    far = room("Salle de Briançon", owner=actors.org_b, commune="05023", capacity=20)
    room("Petit bureau", owner=actors.org_b, commune="05061", capacity=4)  # too small for 12
    log_in(page, actors.member_user_a.email)

    page.goto(reverse("premises:resources"))
    page.locator("#id_day").fill(tuesday.isoformat())
    page.locator("#id_start").fill("14:00")
    page.locator("#id_end").fill("17:00")
    page.locator("#id_capacity").fill("12")
    page.locator("#id_near").select_option("05061")
    page.locator("form.search-form button[type=submit]").click()

    results = page.locator("#results ul.cards > li > a:first-child")
    expect(results).to_have_count(2)  # htmx has replaced the catalogue with the search's answer
    names = results.all_inner_texts()
    assert names == ["Salle de Gap", "Salle de Briançon"], names  # nearest first; the small office is left out

    page.locator(f"#results a[href^='{reverse('premises:book', args=[near.pk])}']").click()
    page.locator("#id_organisation").select_option(str(actors.org_a.pk))
    page.locator("button[name=preview]").click()
    expect(page.locator("#quote-title")).to_be_visible()
    page.locator("button[name=confirm]").click()
    page.wait_for_url(f"**{reverse('premises:my_bookings')}")
    booking = Booking.objects.get(resource=near)
    assert booking.state == Booking.State.CONFIRMED and booking.price_cents == 3000
    assert timezone.localtime(booking.starts_at).time() == dt.time(14)

    page.goto(reverse("premises:resource", args=[near.pk]) + f"?semaine={tuesday.isoformat()}")
    expect(page.locator("#calendar .slot.state-confirmed")).to_contain_text("14:00")
    # The week after, through htmx: the calendar alone is replaced, and the booking is not in it.
    page.locator("#calendar nav a").nth(1).click()
    expect(page.locator("#calendar .slot.state-confirmed")).to_have_count(0)
    assert Resource.objects.filter(pk=far.pk).exists()

    page.goto(reverse("premises:my_bookings"))
    page.locator(f"form[action='{reverse('premises:booking_cancel', args=[booking.pk])}'] button").click()
    page.wait_for_url(f"**{reverse('premises:my_bookings')}")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED


def test_an_owner_approves_a_request(actors: Actors, new_page: Any, log_in: Any) -> None:
    studio = room("Studio", owner=actors.org_a, commune="05061", capacity=6, approval=True)
    day = next_weekday(2)
    asker = new_page()
    log_in(asker, actors.member_admin_b.email)
    asker.goto(reverse("premises:book", args=[studio.pk]))
    asker.locator("#id_day").fill(day.isoformat())
    asker.locator("#id_start").fill("10:00")
    asker.locator("#id_end").fill("12:00")
    asker.locator("button[name=preview]").click()
    asker.locator("button[name=confirm]").click()
    asker.wait_for_url(f"**{reverse('premises:my_bookings')}")
    request = Booking.objects.get(resource=studio)
    assert request.state == Booking.State.REQUESTED

    owner = new_page()
    log_in(owner, actors.member_admin_a.email)
    owner.goto(reverse("premises:my_bookings"))
    owner.locator(f"form[action='{reverse('premises:booking_approve', args=[request.pk])}'] button").click()
    owner.wait_for_url(f"**{reverse('premises:my_bookings')}")
    request.refresh_from_db()
    assert request.state == Booking.State.CONFIRMED
