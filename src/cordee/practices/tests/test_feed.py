"""The Atom feed of the newly published public sheets."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.practices.tests.factories import sheet

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client: Any) -> ET.Element:
    response = client.get(reverse("practices:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test


def test_the_feed_lists_only_the_public_published_sheets_newest_first(actors: Actors, client_for: Any) -> None:
    now = timezone.now()
    older = sheet(
        actors.org_b, author=actors.member_admin_b, title="Épicerie mobile", published_at=now - dt.timedelta(days=3)
    )
    newer = sheet(actors.org_b, author=actors.member_admin_b, title="Navette des saisonniers", published_at=now)
    sheet(actors.org_b, author=actors.member_admin_b, title="Réservé aux membres", visibility="members")
    sheet(actors.org_b, author=actors.member_admin_b, title="Brouillon", state="draft")
    sheet(actors.org_b, author=actors.member_admin_b, title="En relecture", state="review")

    # Whoever asks (here a member), the feed is the visitor's.
    feed = _feed(client_for(actors.member_admin_b))

    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [newer.title, older.title]
    first = entries[0]
    assert first.findtext(f"{ATOM}summary") == newer.summary
    assert first.find(f"{ATOM}link").get("href").endswith(newer.get_absolute_url())  # type: ignore[union-attr]
    assert first.findtext(f"{ATOM}published", "").startswith(now.strftime("%Y-%m-%d"))
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} >= {"covoiturage", "montagne"}
    assert len(first.findall(f"{ATOM}category")) == 3  # the theme and the two tags
    assert first.findtext(f"{ATOM}author/{ATOM}name") == actors.org_b.name


def test_the_feed_names_only_the_organisations_visitors_may_see(actors: Actors, client_for: Any) -> None:
    sheet(actors.org_a, actors.org_b, author=actors.member_user_a)

    entry = _feed(client_for(None)).find(f"{ATOM}entry")

    assert entry is not None
    # A shows itself to members of the hub only.
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == actors.org_b.name


def test_the_feed_keeps_the_20_latest(actors: Actors, client_for: Any) -> None:
    start = timezone.now() - dt.timedelta(days=30)
    for day in range(21):
        sheet(
            actors.org_b,
            author=actors.member_admin_b,
            title=f"Fiche {day}",
            published_at=start + dt.timedelta(days=day),
        )

    entries = _feed(client_for(None)).findall(f"{ATOM}entry")

    assert len(entries) == 20
    assert entries[0].findtext(f"{ATOM}title") == "Fiche 20"
    assert entries[-1].findtext(f"{ATOM}title") == "Fiche 1"
