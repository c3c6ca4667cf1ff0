"""The demo's good practices: enough published sheets on every theme, a few kept out of sight
(drafts, one in review, some for members only), members' comments of every kind, a search that
needs to fold "co-voiturage" and "covoiturages", and nothing loaded twice.

Loading the demo takes seconds, so a test loads it once and checks a whole side of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone

from cordee.core.models import AuditEvent
from cordee.demo import data, practices_data
from cordee.demo.loader import DemoSummary, load_demo
from cordee.demo.practices import COORDINATOR_EMAIL
from cordee.network.models import Affiliation
from cordee.practices.models import Comment, Practice, Theme
from cordee.practices.search import search

EXACT_WORD = re.compile(r"\bcovoiturage\b", re.IGNORECASE)
TEXT_FIELDS = ("title", "summary", "context", "steps", "results", "watch_out", "tags")


@pytest.fixture
def summary(settings, tmp_path: Path) -> DemoSummary:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the treasury's demo attaches board minutes
    return load_demo()


def people_of(organisation: str) -> set[str]:
    entry = next(entry for entry in data.ORGANISATIONS if entry.name == organisation)
    accounts = {account.full_name for account in data.DEMO_ACCOUNTS if account.organisation == organisation}
    return {person.full_name for person in entry.people} | accounts


def test_every_sheet_names_active_demo_organisations_and_one_of_their_people() -> None:
    organisations = {entry.name: entry for entry in data.ORGANISATIONS}
    for sheet in practices_data.PRACTICES:
        assert 1 <= len(sheet.organisations) <= 3, sheet.slug
        assert all(organisations[name].status == "active" for name in sheet.organisations), sheet.slug
        assert any(sheet.contact in people_of(name) for name in sheet.organisations), sheet.slug
        assert sheet.theme in Theme.values and sheet.state in Practice.State.values, sheet.slug
    for comment in practices_data.COMMENTS:
        sheet = next(sheet for sheet in practices_data.PRACTICES if sheet.slug == comment.practice)
        # Someone of another organisation, after the sheet was published.
        assert comment.organisation not in sheet.organisations, comment
        assert comment.author in people_of(comment.organisation), comment
        assert sheet.state == "published" and comment.days_ago < sheet.days_ago, comment


@pytest.mark.django_db
def test_the_demo_publishes_sheets_on_every_theme_and_keeps_some_out_of_sight(summary: DemoSummary) -> None:
    published = Practice.objects.filter(state=Practice.State.PUBLISHED)
    assert published.count() >= 25 and summary.practices.published == published.count()
    assert set(published.values_list("theme", flat=True)) == set(Theme.values)
    assert published.filter(visibility=Practice.Visibility.MEMBERS).count() == 3 == summary.practices.members_only
    # The coordinator's review queue has one sheet; two drafts wait with their authors.
    assert list(Practice.objects.filter(state=Practice.State.REVIEW).values_list("slug", flat=True)) == [
        "logiciels-libres-petites-associations"
    ]
    drafts = Practice.objects.filter(state=Practice.State.DRAFT)
    assert set(drafts.values_list("slug", flat=True)) == {
        "paniers-legumes-comites-entreprise",
        "transport-solidaire-sans-permis",
    }
    assert not Practice.objects.exclude(state=Practice.State.PUBLISHED).filter(published_at__isnull=False).exists()
    # One of them was sent back by the coordinator, with a note saying what to add.
    assert drafts.get(slug="transport-solidaire-sans-permis").review_note
    # A published sheet's readings are spread over the days since it was published, so that the
    # reports count readings per period; they add up to its total.
    for practice in published.prefetch_related("read_days"):
        days = list(practice.read_days.all())
        assert sum(day.count for day in days) == practice.read_count
        assert all(timezone.localtime(practice.published_at).date() <= day.day <= timezone.localdate() for day in days)
    assert published.filter(read_days__isnull=False).distinct().count() > 20

    now = timezone.now()
    for practice in Practice.objects.prefetch_related("organisations__affiliations__person"):
        organisations = list(practice.organisations.all())
        assert 1 <= len(organisations) <= 3, practice.slug
        assert practice.commune_id in {organisation.commune_id for organisation in organisations}, practice.slug
        people = {
            affiliation.person for organisation in organisations for affiliation in organisation.affiliations.all()
        }
        # Written by its contact, a person of the organisations that did it.
        assert practice.author in people and practice.contact_name == practice.author.full_name, practice.slug
        assert practice.search_text.strip() and "<" not in practice.search_text, practice.slug
        assert "<script" not in practice.steps and practice.steps.startswith("<"), practice.slug
        if practice.state == Practice.State.PUBLISHED:
            assert practice.submitted_at is not None and practice.published_at is not None
            assert practice.created_at < practice.submitted_at < practice.published_at < now, practice.slug
            assert practice.results and practice.watch_out and practice.read_count > 0, practice.slug
    # Published over the past months, read more or less.
    assert len(set(published.values_list("published_at__date", flat=True))) == published.count()
    reads = list(published.values_list("read_count", flat=True))
    assert min(reads) < 100 < 300 < max(reads)
    assert published.filter(cost_cents__isnull=False).count() >= 15
    # The demo coordinator published them all.
    assert (
        AuditEvent.objects.filter(action="practices.practice.publish", actor__email=COORDINATOR_EMAIL).count()
        == published.count()
    )

    before = (Practice.objects.count(), Comment.objects.count(), AuditEvent.objects.count())
    again = load_demo()
    assert again.practices.created == 0 and again.created == 0
    assert (Practice.objects.count(), Comment.objects.count(), AuditEvent.objects.count()) == before
    assert again.practices.published == published.count() and again.practices.comments == Comment.objects.count()


@pytest.mark.django_db
def test_a_search_for_covoiturage_finds_the_sheets_that_write_it_otherwise(summary: DemoSummary) -> None:
    published = Practice.objects.filter(state=Practice.State.PUBLISHED)
    hyphenated = published.get(slug="co-voiturage-solidaire-rosanais")
    plural = published.get(slug="trajets-partages-saisonniers-stations")
    assert "co-voiturage" in hyphenated.title and "covoiturages" in plural.summary
    # No sheet writes the word searched for: the search has to fold the hyphen and the plural.
    for practice in Practice.objects.all():
        assert not any(EXACT_WORD.search(getattr(practice, field)) for field in TEXT_FIELDS), practice.slug
    found = list(search(published, "covoiturage").values_list("slug", flat=True))
    assert set(found) == {hyphenated.slug, plural.slug}
    assert found[0] == hyphenated.slug  # in its title: ranked first


@pytest.mark.django_db
def test_members_of_other_organisations_comment_ask_and_say_they_tried_it_too(summary: DemoSummary) -> None:
    comments = Comment.objects.select_related("practice", "author", "organisation")
    assert comments.count() == len(practices_data.COMMENTS) == summary.practices.comments
    assert set(comments.values_list("kind", flat=True)) == set(Comment.Kind.values)
    for comment in comments:
        practice = comment.practice
        assert practice.state == Practice.State.PUBLISHED
        authors_organisations = set(practice.organisations.values_list("pk", flat=True))
        theirs = set(Affiliation.objects.filter(person=comment.author).values_list("organisation", flat=True))
        assert theirs and not theirs & authors_organisations, comment.text
        if comment.kind == Comment.Kind.TRIED:
            assert comment.organisation_id in theirs
        else:
            assert comment.organisation is None
        assert practice.published_at is not None
        assert practice.published_at < comment.created_at < timezone.now()
        assert "<" not in comment.text
