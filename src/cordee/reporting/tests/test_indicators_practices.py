"""The good practices' indicators on three sheets counted by hand.

A's sheet is published today and read three times today; B's was published 40 days ago, read five
times that day (a row of `ReadDay` written directly: the service counts today only) and once today;
A's draft counts for nothing. B's people say "we tried it too" on A's sheet, A's people ask B's
authors a question.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cordee.core.testing import Actors, make_organisation
from cordee.practices.models import Practice, ReadDay
from cordee.practices.services import comments, sheets
from cordee.practices.tests.factories import sheet
from cordee.reporting.indicators import practices
from cordee.reporting.periods import Period

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def values(section: Any) -> dict[str, int | None]:
    return {figure.key: figure.value for figure in section.figures}


@pytest.fixture
def world(actors: Actors) -> dict[str, Practice]:
    mine = sheet(actors.org_a, author=actors.member_user_a)
    theirs = sheet(actors.org_b, author=actors.member_admin_b, published_at=timezone.now() - 40 * DAY, theme="food")
    sheet(actors.org_a, author=actors.member_user_a, state=Practice.State.DRAFT)
    for reader in (actors.member_admin_b, None, actors.outsider):
        sheets.practice_record_read(practice=mine, reader=reader)
    ReadDay.objects.create(practice=theirs, day=TODAY - 40 * DAY, count=5)
    sheets.practice_record_read(practice=theirs, reader=actors.member_user_a)
    comments.comment_create(
        actor=actors.member_admin_b,
        practice=mine,
        kind="tried",
        text="Nous l'avons fait à Briançon.",
        organisation=actors.org_b,
    )
    comments.comment_create(
        actor=actors.member_user_a,
        practice=theirs,
        kind="question",
        text="Combien de bénévoles ?",
        organisation=actors.org_a,
    )
    return {"mine": mine, "theirs": theirs}


def test_the_sheets_readings_and_testimonies_of_the_period_are_counted_by_hand(
    actors: Actors, world: dict[str, Practice]
) -> None:
    section = practices.section(Period(TODAY - 60 * DAY, TODAY))
    assert values(section) == {
        "practices_published_count": 2,
        "practices_reads_count": 9,
        "practices_tried_count": 1,
        "practices_questions_count": 1,
    }
    themes = {share.key: share.value for share in section.breakdowns[0].shares}
    assert (themes["mobility"], themes["food"], sum(themes.values())) == (1, 1, 2)
    reads = dict(section.series[0].points)
    assert reads[TODAY.replace(day=1)] >= 4 and sum(reads.values()) == 9

    recent = values(practices.section(Period(TODAY - 30 * DAY, TODAY)))
    assert (recent["practices_published_count"], recent["practices_reads_count"]) == (1, 4)
    before = values(practices.section(Period(TODAY - 60 * DAY, TODAY - DAY)))
    assert before == {
        "practices_published_count": 1,
        "practices_reads_count": 5,
        "practices_tried_count": 0,
        "practices_questions_count": 0,
    }


def test_a_sheet_published_after_midnight_in_paris_counts_on_that_day(actors: Actors) -> None:
    # 31 March 2026, 22:30 UTC is 1 April, 00:30 in Paris (summer time).
    sheet(actors.org_a, author=actors.member_user_a, published_at=dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC))
    april = values(practices.section(Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))))
    march = values(practices.section(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))))
    assert (april["practices_published_count"], march["practices_published_count"]) == (1, 0)


def test_a_sheet_taken_back_to_draft_no_longer_counts_as_published(actors: Actors, world: dict[str, Practice]) -> None:
    sheets.practice_unpublish(actor=actors.coordinator, practice=world["mine"], note="Chiffres à vérifier")
    figures = values(practices.section(Period(TODAY - 60 * DAY, TODAY)))
    # Its readings happened: they stay.
    assert (figures["practices_published_count"], figures["practices_reads_count"]) == (1, 9)


def test_an_organisation_sees_its_own_sheets_and_their_readings_only(
    actors: Actors, world: dict[str, Practice]
) -> None:
    period = Period(TODAY - 60 * DAY, TODAY)
    assert values(practices.section(period, organisation_id=actors.org_a.pk)) == {
        "practices_published_count": 1,
        "practices_reads_count": 3,
        "practices_tried_count": 1,  # B tried A's practice
        "practices_questions_count": 0,
        "practices_tried_given_count": 0,
    }
    assert values(practices.section(period, organisation_id=actors.org_b.pk)) == {
        "practices_published_count": 1,
        "practices_reads_count": 6,
        "practices_tried_count": 0,
        "practices_questions_count": 1,
        "practices_tried_given_count": 1,
    }
    nobody = values(practices.section(period, organisation_id=make_organisation().pk))
    assert all(value == 0 for value in nobody.values())
