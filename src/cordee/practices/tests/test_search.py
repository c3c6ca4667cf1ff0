"""The same cases run on SQLite and on PostgreSQL (DATABASE_URL selects the database)."""

from __future__ import annotations

import pytest

from cordee.core import permissions
from cordee.core.testing import Actors, make_organisation
from cordee.practices import selectors
from cordee.practices.models import Practice
from cordee.practices.search import joined_compounds, query_stems, with_joined_compounds
from cordee.practices.tests.matrix_sheets import sheet

pytestmark = pytest.mark.django_db


def _published(actors: Actors, **fields: object) -> Practice:
    return sheet(actors.member_user_a, [actors.org_a], state="published", coordinator=actors.coordinator, **fields)


def _titles(actors: Actors, user: object = None, **filters: object) -> list[str]:
    return [practice.title for practice in selectors.practices_for(user, **filters)]  # type: ignore[arg-type]


def test_compounds_are_joined_on_both_sides() -> None:
    assert with_joined_compounds("le co-voiturage") == "le co-voiturage covoiturage"
    assert joined_compounds("co-voiturage") == "covoiturage"
    assert query_stems("Les covoiturages") == ["covoiturag"]


@pytest.fixture
def corpus(actors: Actors) -> dict[str, Practice]:
    return {
        "hyphen": _published(
            actors,
            title="Partager la route vers les marchés",
            summary="Un service de co-voiturage pour les habitants des hameaux.",
            theme="mobility",
        ),
        "plural": _published(
            actors,
            title="Des navettes vers la gare",
            summary="Des navettes et des covoiturages organisés le samedi.",
            theme="mobility",
        ),
        "energy": _published(
            actors,
            title="Une coopérative citoyenne de production",
            summary="Des panneaux sur les toits des écoles.",
            steps="<p>Nous produisons des <strong>energies</strong> renouvelables.</p>",
            theme="environment",
            tags="photovoltaïque",
        ),
        "title_hit": _published(
            actors,
            title="Le covoiturage des saisonniers",
            summary="Des trajets partagés entre stations.",
            theme="tourism",
        ),
    }


def test_covoiturage_finds_co_voiturage_and_covoiturages(actors: Actors, corpus: dict[str, Practice]) -> None:
    found = _titles(actors, query="covoiturage")
    assert set(found) == {corpus["hyphen"].title, corpus["plural"].title, corpus["title_hit"].title}
    # A word of the title ranks first.
    assert found[0] == corpus["title_hit"].title


def test_a_hyphenated_query_finds_the_joined_word(actors: Actors, corpus: dict[str, Practice]) -> None:
    assert corpus["title_hit"].title in _titles(actors, query="co-voiturage")
    assert corpus["hyphen"].title in _titles(actors, query="co-voiturages")


def test_accents_and_plurals_fold(actors: Actors, corpus: dict[str, Practice]) -> None:
    assert _titles(actors, query="Énergie") == [corpus["energy"].title]
    assert _titles(actors, query="cooperatives ECOLE") == [corpus["energy"].title]
    assert _titles(actors, query="photovoltaique") == [corpus["energy"].title]


def test_every_word_must_be_found(actors: Actors, corpus: dict[str, Practice]) -> None:
    assert _titles(actors, query="covoiturage énergie") == []


def test_html_is_not_searched(actors: Actors, corpus: dict[str, Practice]) -> None:
    assert _titles(actors, query="strong") == []


def test_filters_by_theme_family_and_commune(actors: Actors, corpus: dict[str, Practice]) -> None:
    cooperative = sheet(
        actors.member_admin_b,
        [actors.org_b],
        state="published",
        coordinator=actors.coordinator,
        title="Covoiturage coopératif",
        theme="mobility",
        commune=actors.org_b.commune,
    )
    assert set(_titles(actors, query="covoiturage", theme="tourism")) == {corpus["title_hit"].title}
    assert _titles(actors, family="cooperative") == [cooperative.title]
    assert _titles(actors, commune=actors.org_b.commune_id) == [cooperative.title]
    assert set(_titles(actors, family="association")) == {p.title for p in corpus.values()}


def test_a_visitor_never_finds_a_draft_a_sheet_in_review_or_for_members(actors: Actors) -> None:
    sheet(actors.member_user_a, [actors.org_a], title="Brouillon de covoiturage")
    sheet(actors.member_user_a, [actors.org_a], state="review", title="Covoiturage en relecture")
    members = _published(actors, title="Covoiturage pour les adhérents", visibility="members")
    public = _published(actors, title="Covoiturage pour tous")
    assert _titles(actors, None, query="covoiturage") == [public.title]
    assert _titles(actors, actors.outsider, query="covoiturage") == [public.title]
    assert set(_titles(actors, actors.member_admin_b, query="covoiturage")) == {public.title, members.title}
    # The list shows published sheets only, even to authors and the coordinator.
    assert set(_titles(actors, actors.coordinator)) == {public.title, members.title}


def test_visible_practices_follow_the_permission_rule(actors: Actors) -> None:
    sheets = [
        sheet(actors.member_user_a, [actors.org_a], title="Brouillon de A"),
        sheet(actors.member_admin_b, [actors.org_b], state="review", title="Relecture de B"),
        _published(actors, title="Pour les membres", visibility="members"),
        _published(actors, title="Pour tous"),
    ]
    other = make_organisation("Autre structure")
    sheets.append(sheet(actors.coordinator, [other, actors.org_a], title="Brouillon partagé"))
    for user in actors.by_role().values():
        expected = {p.pk for p in sheets if permissions.can_see_practice(user, p)}
        assert set(selectors.visible_practices(user).values_list("pk", flat=True)) == expected


def test_related_sheets_share_the_theme_or_tags_best_first(actors: Actors) -> None:
    base = _published(actors, title="Vélos en libre-service", theme="mobility", tags="vélo, montagne")
    both = _published(actors, title="Vélos électriques partagés", theme="mobility", tags="vélo")
    tag_only = _published(actors, title="Refuges de montagne", theme="tourism", tags="montagne")
    theme_only = _published(actors, title="Transport à la demande", theme="mobility")
    _published(actors, title="Jardins partagés", theme="food")
    _published(actors, title="Pour les membres", theme="mobility", tags="vélo", visibility="members")
    assert [p.title for p in selectors.related_practices(base, None)] == [
        both.title,
        tag_only.title,
        theme_only.title,
    ]
