"""The dashboards and the report downloads, with sections built in the tests (any area's layout)
and an area not written yet; then once with the areas as they are written."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cordee.core.testing import Actors
from cordee.reporting import indicators, services
from cordee.reporting.tests.test_charts import plain, use_sample_areas

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")


def _dashboard_of(organisation_id: int) -> str:
    return reverse("reporting:organisation_dashboard", args=[organisation_id])


def test_the_coordinator_sees_each_section_with_its_figures_charts_and_tables(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = use_sample_areas(monkeypatch)
    response = client_for(actors.coordinator).get(DASHBOARD, {"du": "2026-01-01", "au": "2026-03-31"})
    assert response.status_code == 200
    html = plain(response.content.decode())
    assert asked == [None]  # the whole hub
    assert 'id="section-sample"' in html
    for shown in ("1 234,56 €", "12,5 %", "2 h 30", "2,75", "—"):
        assert shown in html
    assert html.count("<svg") == 4 and html.count("<table") == 4
    assert "style=" not in html.split("<main", 1)[1]  # the content security policy allows no inline style
    assert f"{reverse('reporting:report_pdf')}?du=2026-01-01&amp;au=2026-03-31" in html
    report = response.context["report"]
    assert (report.period.start, report.period.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_without_dates_the_dashboard_covers_the_year_up_to_today(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_sample_areas(monkeypatch)
    response = client_for(actors.treasurer).get(DASHBOARD)
    assert response.status_code == 200
    today = timezone.localdate()
    period = response.context["report"].period
    assert (period.start, period.end) == (dt.date(today.year, 1, 1), today)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"du": "2026-13-01", "au": "2026-03-31"}, "du"),
        ({"du": "2026-03-31", "au": "2026-01-01"}, "au"),
        ({"du": "2020-01-01", "au": "2026-01-01"}, "au"),
        ({"du": "2026-01-01"}, "au"),
    ],
)
def test_refused_dates_answer_400_with_the_form_naming_the_date(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch, query: dict[str, str], field: str
) -> None:
    asked = use_sample_areas(monkeypatch)
    client = client_for(actors.coordinator)
    response = client.get(DASHBOARD, query)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert response.context["report"] is None and asked == []
    assert client.get(reverse("reporting:report_pdf"), query).status_code == 400


def test_a_member_admin_is_sent_to_the_dashboard_of_their_organisation(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = use_sample_areas(monkeypatch)
    client = client_for(actors.member_admin_a)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"] == _dashboard_of(actors.org_a.pk)
    response = client.get(_dashboard_of(actors.org_a.pk), {"du": "2026-01-01", "au": "2026-12-31"})
    assert response.status_code == 200
    assert asked == [actors.org_a.pk]  # its own figures only
    html = response.content.decode()
    assert 'id="highlights"' not in html and reverse("reporting:report_pdf") not in html
    # Another organisation's dashboard does not exist for them; the hub's downloads are refused.
    assert client.get(_dashboard_of(actors.org_b.pk)).status_code == 404
    assert client.get(reverse("reporting:report_pdf")).status_code == 403


def test_a_person_of_several_organisations_chooses_a_dashboard(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cordee.network.models import Affiliation

    Affiliation.objects.create(person=actors.member_admin_a, organisation=actors.org_b, role=Affiliation.Role.ADMIN)
    response = client_for(actors.member_admin_a).get(DASHBOARD)
    assert response.status_code == 200
    assert {organisation.pk for organisation in response.context["organisations"]} == {
        actors.org_a.pk,
        actors.org_b.pk,
    }
    assert _dashboard_of(actors.org_b.pk) in response.content.decode()


def test_the_hub_keepers_open_any_organisation_dashboard_and_others_are_refused(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_sample_areas(monkeypatch)
    assert client_for(actors.treasurer).get(_dashboard_of(actors.org_b.pk)).status_code == 200
    assert client_for(actors.coordinator).get(_dashboard_of(999_999)).status_code == 404
    for user in (actors.member_user_a, actors.committee, actors.outsider):
        assert client_for(user).get(DASHBOARD).status_code == 403
        assert client_for(user).get(_dashboard_of(actors.org_a.pk)).status_code == 403
    response = client_for(None).get(DASHBOARD)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_dashboard_shows_the_highlights_of_the_period_with_links_for_the_coordinator(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_sample_areas(monkeypatch)
    highlight = services.highlight_create(
        actor=actors.coordinator, starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 2, 2), title="Forum ESS"
    )
    query = {"du": "2026-01-01", "au": "2026-03-31"}
    html = client_for(actors.coordinator).get(DASHBOARD, query).content.decode()
    assert "Forum ESS" in html and reverse("reporting:highlight_edit", args=[highlight.pk]) in html
    html = client_for(actors.treasurer).get(DASHBOARD, query).content.decode()
    assert "Forum ESS" in html and reverse("reporting:highlight_edit", args=[highlight.pk]) not in html
    html = client_for(actors.coordinator).get(DASHBOARD, {"du": "2026-04-01", "au": "2026-04-30"}).content.decode()
    assert "Forum ESS" not in html


def test_the_downloads_give_a_pdf_and_a_workbook_of_the_period(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_sample_areas(monkeypatch)
    client = client_for(actors.coordinator)
    query = {"du": "2026-01-01", "au": "2026-03-31"}
    pdf = client.get(reverse("reporting:report_pdf"), query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="rapport-activite-2026-01-01-2026-03-31.pdf"' in pdf["Content-Disposition"]
    xlsx = client.get(reverse("reporting:report_xlsx"), query)
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames[:2] == ["Rapport", "Échantillon"]


def test_the_dashboard_asks_the_database_a_bounded_number_of_times(
    actors: Actors, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page itself (the areas aside) reads the person and the highlights, whatever their count."""
    use_sample_areas(monkeypatch)
    client = client_for(actors.coordinator)
    query = {"du": "2026-01-01", "au": "2026-12-31"}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD, query).status_code == 200
        return len(queries)

    few = count()
    for day in range(1, 21):
        services.highlight_create(
            actor=actors.coordinator,
            starts_on=dt.date(2026, 1, day),
            ends_on=dt.date(2026, 1, day),
            title=f"Fait {day}",
            organisation=actors.org_a,
        )
    assert count() == few <= 12


def test_the_dashboard_lays_out_every_area(actors: Actors, client_for: Any) -> None:
    """With the real indicators: every area gives its section, in the order of the report."""
    response = client_for(actors.coordinator).get(DASHBOARD, {"du": "2026-01-01", "au": "2026-12-31"})
    assert response.status_code == 200
    report = response.context["report"]
    computed = [layout.key for layout in report.sections]
    assert computed == list(indicators.AREAS)
    html = response.content.decode()
    for layout in report.sections:
        assert f'id="section-{layout.key}"' in html
    assert len(re.findall(r"<svg", html)) == sum(len(layout.charts) for layout in report.sections)


def test_an_organisation_page_leads_to_its_dashboard_for_those_who_may_open_it(actors: Actors, client_for: Any) -> None:
    page = reverse("network:organisation", args=[actors.org_a.slug])
    link = f'href="{_dashboard_of(actors.org_a.pk)}"'
    for user in (actors.coordinator, actors.treasurer, actors.member_admin_a):
        assert link in client_for(user).get(page).content.decode()
    for user in (actors.member_user_a, actors.member_admin_b):
        assert link not in client_for(user).get(page).content.decode()
