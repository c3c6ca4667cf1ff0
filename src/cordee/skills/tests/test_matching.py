"""Matching runs on PostgreSQL's French full-text search or, on SQLite, on the same formula in
Python: run this file on both databases (DATABASE_URL) — every test must pass on each."""

from __future__ import annotations

import pytest
from django.db import connection

from cordee.core.testing import Actors, make_organisation
from cordee.network.models import Membership
from cordee.skills import matching
from cordee.skills.matching import matches_for, needs_matching, text_rank
from cordee.skills.services.listings import listing_close
from cordee.skills.tests.factories import need, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(actors: Actors) -> dict:
    b = actors.org_b
    return {
        "need": need(
            actors.org_a,
            title="Cherche aide pour la comptabilité de l'association",
            description="Nos bilans annuels sont en retard : quelqu'un pour nous aider à les préparer ?",
            category="accounting",
            commune="05061",  # Gap
        ),
        "accountant": offer(
            b,
            title="Comptable bénévole : bilans et comptes annuels",
            description="Expert-comptable retraité, j'accompagne les petites structures pour leurs comptes.",
            category="accounting",
            commune="05023",  # Briançon, 58 km from Gap
        ),
        "trailer": offer(
            b,
            title="Prêt d'une remorque",
            description="Remorque de 750 kg pour vos déménagements et le transport de matériel.",
            category="logistics",
            commune="05061",
        ),
        "network": offer(
            b,
            title="Réseaux informatiques",
            description="Installation de réseaux et de postes pour les associations.",
            category="digital",
            commune="05061",
        ),
        "own": offer(actors.org_a, title="Comptabilité de l'association", category="accounting"),
    }


def _titles(matches: list[matching.Match]) -> list[str]:
    return [match.offer.title for match in matches]


def test_the_accountant_ranks_first_for_an_accounting_need(corpus: dict) -> None:
    matches = matches_for(corpus["need"])

    assert matches[0].offer == corpus["accountant"]
    assert matches[0].same_category is True
    assert matches[0].distance_km == pytest.approx(58.2)
    assert corpus["trailer"] not in [match.offer for match in matches]  # no word in common, another category


def test_the_text_score_is_the_same_worked_example_on_both_databases(corpus: dict) -> None:
    # The need's 8 words: aid, comptabl, associ, bilan, annuel, retard, quelqu, prepar.
    # The accountant's title has comptabl, bilan and annuel once: 1 / 1.645 each; comptabl is
    # again in the description ("Expert-comptable"): (1 + (1 + 0.4 / 2²) - 1) / 1.645 = 1.1 / 1.645.
    # ts_rank = (1.1 + 1 + 1) / 1.645 / 8; divided by one title word (1 / 1.645): 3.1 / 8 = 0.3875.
    match = matches_for(corpus["need"])[0]
    expected_rank = ((1 + 0.4 / 4) / matching.ZETA_2 + 2 / matching.ZETA_2) / 8
    assert match.text_score == pytest.approx(expected_rank / matching.ONE_TITLE_HIT, abs=0.002)
    assert match.text_score == pytest.approx(0.3875, abs=0.002)
    assert match.score == pytest.approx(match.text_score + matching.CATEGORY_BONUS - 0.002 * 58.2, abs=1e-3)


def test_accents_and_plurals_do_not_hide_a_match(corpus: dict, actors: Actors) -> None:
    wanted = need(actors.org_a, title="reseau informatique", description="Un reseau pour le bureau.")

    matches = matches_for(wanted)

    assert _titles(matches)[0] == "Réseaux informatiques"
    assert matches[0].text_score > 0.5


def test_it_ranks_the_nearer_of_two_equal_offers_first(actors: Actors) -> None:
    far = offer(actors.org_b, title="Prêt d'une remorque", category="logistics", commune="05023")
    near = offer(actors.org_b, title="Prêt d'une remorque", category="logistics", commune="05061")
    wanted = need(actors.org_a, title="Une remorque pour un week-end", category="logistics", commune="05061")

    assert [match.offer for match in matches_for(wanted)] == [near, far]


def test_it_leaves_out_own_closed_and_departed_offers(corpus: dict, actors: Actors) -> None:
    listing_close(actor=actors.member_admin_b, listing=corpus["accountant"])
    departed = make_organisation("Partie")
    offer(departed, title="Comptabilité des associations", category="accounting")
    Membership.objects.filter(organisation=departed).update(status=Membership.Status.LEFT)

    offers = [match.offer for match in matches_for(corpus["need"])]

    assert corpus["own"] not in offers
    assert corpus["accountant"] not in offers
    assert all(item.organisation_id == actors.org_b.pk for item in offers)


def test_an_offer_of_the_same_category_matches_without_a_common_word(actors: Actors) -> None:
    wanted = need(
        actors.org_a, title="Tenue des livres", description="Saisie mensuelle", category="accounting", commune="05061"
    )
    payroll = offer(
        actors.org_b,
        title="Fiches de paie",
        description="Bulletins des salariés",
        category="accounting",
        commune="05061",
    )

    [match] = matches_for(wanted)

    assert match.offer == payroll
    assert match.text_score == 0
    assert match.score == pytest.approx(matching.CATEGORY_BONUS)


def test_needs_matching_finds_the_needs_an_offer_answers(corpus: dict, actors: Actors) -> None:
    other_need = need(actors.org_a, title="Transporter du matériel", category="logistics")

    found = needs_matching(corpus["accountant"])

    assert [item[0] for item in found] == [corpus["need"]]
    assert found[0][1].score == pytest.approx(matches_for(corpus["need"])[0].score, abs=1e-3)
    assert [item[0] for item in needs_matching(corpus["trailer"])] == [other_need]


def test_the_limit_keeps_the_best() -> None:
    assert matching.distance_penalty(None) == matching.UNKNOWN_DISTANCE_PENALTY
    assert matching.distance_penalty(500) == matching.MAX_DISTANCE_PENALTY
    assert matching.distance_penalty(10) == pytest.approx(0.02)


def test_text_rank_follows_postgresql_ts_rank() -> None:
    # One of two words once in a title: (1 + 1 - 1) / 1.645 / 2.
    assert text_rank({"a", "b"}, ["a"], []) == pytest.approx(0.30396, abs=1e-5)
    # Once in a description only: 0.4 of that.
    assert text_rank({"a"}, [], ["a"]) == pytest.approx(0.4 / matching.ZETA_2)
    assert text_rank(set(), ["a"], []) == 0


def test_the_database_in_use_is_reported(corpus: dict) -> None:
    # Not a check of matching: says in the output which database this run covered.
    assert connection.vendor in ("sqlite", "postgresql")
