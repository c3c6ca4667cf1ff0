"""A new or reopened offer e-mails the people of the organisations whose open needs it answers."""

from __future__ import annotations

from typing import Any

import pytest

from cordee.core.mail import silenced
from cordee.core.testing import Actors, make_person
from cordee.skills.services.listings import listing_close, listing_reopen
from cordee.skills.tests.factories import need, offer

pytestmark = pytest.mark.django_db


def _accounting_need(actors: Actors, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Aide pour la comptabilité de l'association",
        "description": "Nos bilans annuels à préparer.",
        "category": "accounting",
        "commune": "05061",
    }
    values.update(overrides)
    return need(actors.org_a, **values)


def _accountant(actors: Actors, capture: Any, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Comptable bénévole : bilans et comptes annuels",
        "description": "Pour les associations.",
        "category": "accounting",
        "commune": "05061",
    }
    values.update(overrides)
    with capture(execute=True):
        return offer(actors.org_b, **values)


def test_each_person_of_the_needing_organisation_gets_one_email_listing_its_needs(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    first = _accounting_need(actors)
    second = _accounting_need(actors, title="Bilans annuels à faire", description="Comptabilité 2026.")

    _accountant(actors, django_capture_on_commit_callbacks)

    assert sorted(tuple(message.to) for message in mailoutbox) == [("admin.a@example.org",), ("user.a@example.org",)]
    body = mailoutbox[0].body
    assert first.title in body and second.title in body
    assert f"/competences/annonces/{first.pk}/" in body


def test_no_email_for_a_need_that_asked_for_none_a_closed_need_or_a_poor_match(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    _accounting_need(actors, notify=False)
    closed = _accounting_need(actors)
    listing_close(actor=actors.member_user_a, listing=closed)
    # Same category but no word in common: shown as a suggestion, not worth an e-mail.
    _accounting_need(actors, title="Fiches de paie", description="Salaires mensuels.")

    _accountant(actors, django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_the_offers_own_organisation_is_never_told(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    need(actors.org_b, title="Aide pour la comptabilité", description="Bilans annuels.", category="accounting")

    _accountant(actors, django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_a_need_posted_after_the_offer_sends_nothing(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    _accountant(actors, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        _accounting_need(actors)

    assert mailoutbox == []


def test_a_reopened_offer_is_matched_again(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    accountant = _accountant(actors, django_capture_on_commit_callbacks)
    listing_close(actor=actors.member_admin_b, listing=accountant)
    _accounting_need(actors)

    with django_capture_on_commit_callbacks(execute=True):
        listing_reopen(actor=actors.member_admin_b, listing=accountant)

    assert len(mailoutbox) == 2


def test_silenced_sends_nothing(actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any) -> None:
    _accounting_need(actors)

    with silenced():
        _accountant(actors, django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_a_person_of_two_needing_organisations_gets_a_single_email(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from cordee.core.testing import make_organisation

    third = make_organisation("Tiers-lieu du Champsaur", commune="05061")
    both = make_person("both@example.org", "Double Casquette")
    third.affiliations.create(person=both, role="admin")
    actors.org_a.affiliations.create(person=both, role="member")
    _accounting_need(actors)
    need(
        third,
        actor=both,
        title="Comptabilité du tiers-lieu",
        description="Bilans annuels.",
        category="accounting",
        commune="05061",
    )

    _accountant(actors, django_capture_on_commit_callbacks)

    to_both = [message for message in mailoutbox if message.to == ["both@example.org"]]
    assert len(to_both) == 1
    assert "Comptabilité du tiers-lieu" in to_both[0].body
    assert "Aide pour la comptabilité de l'association" in to_both[0].body


@pytest.mark.parametrize(("commune", "told"), [("05061", True), ("05023", False)])
def test_a_weak_match_is_worth_an_email_nearby_only(
    actors: Actors, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any, commune: str, told: bool
) -> None:
    # The need's 6 words: aid, comptabl, associ, quarti, jardin, partag. The offer has "jardin"
    # once in its description: text 0.4 / 6 = 0.067, + 0.2 for the category = 0.267, above the
    # threshold of 0.25 in Gap; from Briançon (58.2 km, - 0.116) it falls to 0.150.
    _accounting_need(
        actors, title="Aide comptable pour l'association de quartier des jardins partagés", description="Comptabilité."
    )

    _accountant(
        actors,
        django_capture_on_commit_callbacks,
        title="Fiches de paie",
        description="Paie des salariés et conseils aux jardins.",
        commune=commune,
    )

    assert bool(mailoutbox) is told
