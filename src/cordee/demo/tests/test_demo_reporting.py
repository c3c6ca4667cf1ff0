"""The demo's highlights: the current year's activity report has a highlight, a testimony and a
picture beside its figures, and a second load creates nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from cordee.demo.loader import load_demo
from cordee.demo.reporting import HIGHLIGHTS, load_reporting
from cordee.reporting.models import Highlight
from cordee.reporting.periods import Period
from cordee.reporting.selectors import highlights_of

pytestmark = pytest.mark.django_db


def test_the_demo_writes_a_highlight_a_testimony_and_a_picture(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    summary = load_demo()
    assert summary.reporting.highlights_created == len(HIGHLIGHTS) == Highlight.objects.count()
    kinds = set(Highlight.objects.values_list("kind", flat=True))
    assert kinds == {Highlight.Kind.HIGHLIGHT, Highlight.Kind.TESTIMONY, Highlight.Kind.PICTURE}
    picture = Highlight.objects.get(kind=Highlight.Kind.PICTURE)
    assert picture.picture and picture.picture_alt
    assert Highlight.objects.get(kind=Highlight.Kind.TESTIMONY).organisation is not None
    # The last twelve months' report shows them all.
    today = timezone.localdate()
    last_year = Period(today - dt.timedelta(days=365), today)
    assert len(list(highlights_of(last_year))) == len(HIGHLIGHTS)

    assert load_reporting().highlights_created == 0
    assert Highlight.objects.count() == len(HIGHLIGHTS)
