"""Readings of a sheet per day (`ReadDay`), kept next to the total `read_count` so that the reports
can count the readings of a period: one row per sheet and day, incremented in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.practices.models import Practice, ReadDay
from cordee.practices.services import sheets
from cordee.practices.tests.factories import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(actors: Actors) -> Practice:
    return sheet(actors.org_a, author=actors.member_user_a)


def days(practice: Practice) -> dict[dt.date, int]:
    return dict(ReadDay.objects.filter(practice=practice).values_list("day", "count"))


def test_the_readings_of_a_day_add_up_in_one_row_next_to_the_total(actors: Actors, practice: Practice) -> None:
    for reader in (actors.member_admin_b, None, actors.outsider):
        assert sheets.practice_record_read(practice=practice, reader=reader)
    assert not sheets.practice_record_read(practice=practice, reader=actors.member_admin_a)  # an author

    assert days(practice) == {timezone.localdate(): 3}
    assert Practice.objects.get(pk=practice.pk).read_count == 3


def test_a_reading_on_another_day_starts_a_new_row(
    actors: Actors, practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = timezone.localdate()
    sheets.practice_record_read(practice=practice, reader=None)
    monkeypatch.setattr(sheets.timezone, "localdate", lambda *args, **kwargs: today + dt.timedelta(days=1))
    sheets.practice_record_read(practice=practice, reader=None)
    sheets.practice_record_read(practice=practice, reader=None)

    assert days(practice) == {today: 1, today + dt.timedelta(days=1): 2}
    assert Practice.objects.get(pk=practice.pk).read_count == 3


def test_a_draft_read_by_its_reviewer_counts_nothing(actors: Actors) -> None:
    draft = sheet(actors.org_a, author=actors.member_user_a, state=Practice.State.DRAFT)
    assert not sheets.practice_record_read(practice=draft, reader=actors.coordinator)
    assert days(draft) == {}


def test_a_row_created_by_another_reader_meanwhile_is_incremented_not_duplicated(
    actors: Actors, practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_bulk_create = ReadDay.objects.bulk_create

    def racing_bulk_create(rows: list[ReadDay], **options: Any) -> list[ReadDay]:
        # Another reader's first reading of the day lands between our update and our insert: ours
        # is ignored on the conflict, and the reading is added to theirs.
        ReadDay.objects.create(practice_id=rows[0].practice_id, day=rows[0].day, count=1)
        return real_bulk_create(rows, **options)

    monkeypatch.setattr(ReadDay.objects, "bulk_create", racing_bulk_create)
    assert sheets.practice_record_read(practice=practice, reader=None)

    assert days(practice) == {timezone.localdate(): 2}
    assert Practice.objects.get(pk=practice.pk).read_count == 1  # ours; theirs counts its own total
