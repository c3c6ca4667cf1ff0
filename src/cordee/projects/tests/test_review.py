"""Scoring, the committee's decision through governance, and what it grants."""

from __future__ import annotations

from typing import Any

import pytest

from cordee.core.audit import AuditEvent
from cordee.core.errors import DomainError, NotAllowed
from cordee.core.money import format_cents
from cordee.core.testing import Actors
from cordee.governance import services as governance
from cordee.governance.models import Decision, Vote
from cordee.network.models import Affiliation
from cordee.projects import selectors_review as selectors
from cordee.projects.models import Action, Application, Score
from cordee.projects.services import review as services
from cordee.projects.tests.review_support import (
    Review,
    fund,
    make_application,
    make_review,
    marks,
    vote_all,
)

pytestmark = pytest.mark.django_db


def decided(application: Application) -> Decision:
    assert application.decision is not None
    return application.decision


@pytest.fixture
def review(actors: Actors) -> Review:
    return make_review(actors)


def test_a_committee_member_scores_every_criterion(review: Review) -> None:
    a = review.actors
    services.score_set(actor=a.committee, application=review.app_a, scores=marks(review.criteria, 4, 5, 2))
    assert {s.criterion_id: s.value for s in Score.objects.filter(scorer=a.committee)} == marks(
        review.criteria, 4, 5, 2
    )
    assert AuditEvent.objects.filter(action="projects.score.set").count() == 1


def test_a_member_changes_their_scores_until_the_vote(review: Review) -> None:
    a = review.actors
    services.score_set(actor=a.committee, application=review.app_a, scores=marks(review.criteria, 4, 5, 2))
    services.score_set(
        actor=a.committee,
        application=review.app_a,
        scores=marks(review.criteria, 1, 1, 1),
        comments={review.criteria[0].pk: "Peu d'ancrage"},
    )
    rows = Score.objects.filter(scorer=a.committee, application=review.app_a)
    assert sorted(rows.values_list("value", flat=True)) == [1, 1, 1]
    assert rows.get(criterion=review.criteria[0]).comment == "Peu d'ancrage"
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    with pytest.raises(DomainError) as refused:
        services.score_set(actor=a.committee, application=review.app_a, scores=marks(review.criteria, 5, 5, 5))
    assert refused.value.code == "decision_opened"
    assert sorted(rows.values_list("value", flat=True)) == [1, 1, 1]


def test_a_member_whose_seat_is_held_for_the_applicant_is_refused(review: Review) -> None:
    with pytest.raises(DomainError) as refused:
        services.score_set(
            actor=review.actors.member_admin_b, application=review.app_b, scores=marks(review.criteria, 5, 5, 5)
        )
    assert refused.value.code == "conflict_of_interest"
    assert not Score.objects.exists()


def test_a_member_who_belongs_to_a_partner_is_refused(review: Review, actors: Actors) -> None:
    # The qualified person sits for nobody but works for A, a partner of B's application.
    Affiliation.objects.create(person=review.qualified, organisation=actors.org_a, role=Affiliation.Role.MEMBER)
    partnered = make_application(
        review.call, actors.org_b, actors.member_admin_b, requested_cents=100_000, partners=(actors.org_a,)
    )
    with pytest.raises(DomainError) as refused:
        services.score_set(actor=review.qualified, application=partnered, scores=marks(review.criteria, 5, 5, 5))
    assert refused.value.code == "conflict_of_interest"
    # B's admin sits for B, the lead: refused too; the committee actor is free to score.
    with pytest.raises(DomainError):
        services.score_set(actor=actors.member_admin_b, application=partnered, scores=marks(review.criteria, 1, 1, 1))
    services.score_set(actor=actors.committee, application=partnered, scores=marks(review.criteria, 1, 1, 1))


def test_only_members_of_the_committee_score(review: Review) -> None:
    for person in (review.actors.coordinator, review.actors.treasurer, review.actors.member_admin_a):
        with pytest.raises(NotAllowed):
            services.score_set(actor=person, application=review.app_a, scores=marks(review.criteria, 1, 1, 1))
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("values", "code"),
    [((6, 1, 1), "score_range"), ((-1, 1, 1), "score_range"), ((1, 1, None), "score_missing")],
)
def test_marks_outside_the_grid_are_refused(review: Review, values: tuple[Any, ...], code: str) -> None:
    with pytest.raises(DomainError) as refused:
        services.score_set(
            actor=review.actors.committee, application=review.app_a, scores=marks(review.criteria, *values)
        )
    assert refused.value.code == code
    assert not Score.objects.exists()


def test_a_missing_criterion_and_an_unknown_one_are_refused(review: Review) -> None:
    a = review.actors
    with pytest.raises(DomainError) as refused:
        services.score_set(
            actor=a.committee, application=review.app_a, scores={review.criteria[0].pk: 3, review.criteria[1].pk: 3}
        )
    assert refused.value.code == "score_missing"
    with pytest.raises(DomainError) as refused:
        services.score_set(
            actor=a.committee, application=review.app_a, scores={**marks(review.criteria, 1, 1, 1), 999_999: 1}
        )
    assert refused.value.code == "unknown_criterion"


def test_an_application_not_eligible_is_not_scored(review: Review) -> None:
    Application.objects.filter(pk=review.app_a.pk).update(status=Application.Status.SUBMITTED)
    with pytest.raises(DomainError) as refused:
        services.score_set(
            actor=review.actors.committee, application=review.app_a, scores=marks(review.criteria, 1, 1, 1)
        )
    assert refused.value.code == "state"


def test_the_board_ranks_beside_the_envelope_and_names_the_recused(review: Review) -> None:
    a = review.actors
    # A: 80 and 60 → 70; B: 90 (its own admin recused).
    services.score_set(actor=a.committee, application=review.app_a, scores=marks(review.criteria, 4, 5, 2))
    services.score_set(actor=review.qualified, application=review.app_a, scores=marks(review.criteria, 3, 2, 5))
    services.score_set(actor=a.committee, application=review.app_b, scores=marks(review.criteria, 5, 4, 4))
    board = selectors.review_board(review.call, user=review.qualified)
    assert [row.application.pk for row in board.ranked] == [review.app_b.pk, review.app_a.pk]
    first, second = board.ranked
    assert (first.score_text, first.cumulative_cents, first.remaining_cents, first.fits) == (
        "90,0",
        1_500_000,
        3_500_000,
        True,
    )
    assert (second.score_text, second.cumulative_cents, second.remaining_cents, second.sheets) == (
        "70,0",
        3_500_000,
        1_500_000,
        2,
    )
    assert first.recused == [a.member_admin_b.full_name]
    assert second.recused == []
    # The qualified person scored A, not B: B is still to do.
    assert [app.pk for app in board.todo] == [review.app_b.pk]
    assert selectors.todo_for(a.member_admin_b, review.call) == [review.app_a]


def test_putting_to_the_vote_opens_a_governance_decision_concerning_the_carriers(review: Review) -> None:
    a = review.actors
    services.application_put_to_vote(actor=a.coordinator, application=review.app_b, proposed_cents=1_200_000)
    review.app_b.refresh_from_db()
    decision = review.app_b.decision
    assert decision is not None and decision.status == Decision.Status.OPEN
    assert decision.body == review.body
    assert decision.subject == review.app_b
    assert list(decision.concerned.all()) == [a.org_b]
    assert format_cents(1_200_000) in decision.title
    with pytest.raises(DomainError) as refused:
        services.application_put_to_vote(actor=a.coordinator, application=review.app_b)
    assert refused.value.code == "decision_opened"


def test_only_the_coordinator_puts_an_application_to_the_vote(review: Review) -> None:
    with pytest.raises(NotAllowed):
        services.application_put_to_vote(actor=review.actors.committee, application=review.app_a)
    assert not Decision.objects.exists()


def test_an_approval_funds_the_application_and_creates_its_action(
    review: Review, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    a = review.actors
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    vote_all(review.app_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=a.coordinator, application=review.app_a, granted_cents=1_800_000, reasons="Projet solide."
        )
    review.app_a.refresh_from_db()
    assert review.app_a.status == Application.Status.FUNDED
    assert review.app_a.granted_cents == 1_800_000
    assert review.app_a.decision_reasons == "Projet solide."
    assert decided(review.app_a).status == Decision.Status.CLOSED
    assert decided(review.app_a).outcome == Decision.Outcome.APPROVED
    action = Action.objects.get(application=review.app_a)
    assert action.granted_cents == 1_800_000 and action.status == Action.Status.AGREEMENT
    assert action.number.startswith("CONV-") and action.number.endswith("-001")
    recipients = {address for message in mailoutbox for address in message.to}
    assert recipients == {"admin.a@example.org", "user.a@example.org"}
    assert "Projet solide." in mailoutbox[0].body


def test_agreement_numbers_follow_each_other(review: Review) -> None:
    first = fund(review.app_a, review.actors)
    second = fund(review.app_b, review.actors)
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1


def test_a_rejection_closes_the_vote_without_action(review: Review) -> None:
    a = review.actors
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    vote_all(review.app_a, Vote.Choice.AGAINST)
    services.application_decide(
        actor=a.coordinator, application=review.app_a, granted_cents=None, reasons="Hors du champ de l'appel."
    )
    review.app_a.refresh_from_db()
    assert review.app_a.status == Application.Status.REJECTED
    assert review.app_a.granted_cents is None
    assert not Action.objects.exists()


def test_no_quorum_is_not_funded(review: Review) -> None:
    a = review.actors
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    services.application_decide(actor=a.coordinator, application=review.app_a, granted_cents=None, reasons="Quorum.")
    review.app_a.refresh_from_db()
    assert decided(review.app_a).outcome == Decision.Outcome.NO_QUORUM
    assert review.app_a.status == Application.Status.REJECTED


def test_reasons_are_required_and_nothing_is_closed_without_them(review: Review) -> None:
    a = review.actors
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    vote_all(review.app_a)
    with pytest.raises(DomainError) as refused:
        services.application_decide(actor=a.coordinator, application=review.app_a, granted_cents=None, reasons=" ")
    assert refused.value.field == "reasons"
    review.app_a.refresh_from_db()
    assert decided(review.app_a).status == Decision.Status.OPEN


def test_a_grant_above_the_request_is_refused_and_the_vote_stays_open(review: Review) -> None:
    a = review.actors
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    vote_all(review.app_a)
    with pytest.raises(DomainError) as refused:
        services.application_decide(
            actor=a.coordinator, application=review.app_a, granted_cents=2_000_001, reasons="Oui."
        )
    assert refused.value.code == "above_request"
    review.app_a.refresh_from_db()
    assert review.app_a.status == Application.Status.ELIGIBLE
    assert decided(review.app_a).status == Decision.Status.OPEN
    assert not Action.objects.exists()


def test_grants_beyond_the_envelope_are_refused_with_the_figures(actors: Actors) -> None:
    review = make_review(actors, envelope_cents=3_000_000)
    fund(review.app_a, actors)  # 20 000 € of 30 000 €
    services.application_put_to_vote(actor=actors.coordinator, application=review.app_b)
    vote_all(review.app_b)
    with pytest.raises(DomainError) as refused:
        services.application_decide(
            actor=actors.coordinator, application=review.app_b, granted_cents=1_500_000, reasons="Oui."
        )
    assert refused.value.code == "envelope"
    assert format_cents(1_000_000) in refused.value.message  # what is left
    review.app_b.refresh_from_db()
    assert review.app_b.status == Application.Status.ELIGIBLE
    # Within what is left, it passes.
    services.application_decide(
        actor=actors.coordinator, application=review.app_b, granted_cents=1_000_000, reasons="Oui, réduit."
    )
    review.app_b.refresh_from_db()
    assert review.app_b.granted_cents == 1_000_000
    assert services.granted_on_call(review.call) == 3_000_000


def test_the_applicant_sees_no_named_scores(review: Review) -> None:
    a = review.actors
    assert not selectors.can_see_scores(a.member_admin_a, review.app_a)
    assert selectors.can_see_scores(a.committee, review.app_a)
    assert selectors.can_see_scores(a.coordinator, review.app_a)


def test_a_vote_closed_on_the_governance_pages_is_applied_as_it_stands(review: Review) -> None:
    a = review.actors
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    vote_all(review.app_a)
    review.app_a.refresh_from_db()
    governance.decision_close(actor=a.coordinator, decision=decided(review.app_a))
    services.application_decide(actor=a.coordinator, application=review.app_a, granted_cents=None, reasons="Oui.")
    review.app_a.refresh_from_db()
    assert review.app_a.status == Application.Status.FUNDED
    assert Action.objects.filter(application=review.app_a).exists()


def test_a_cancelled_vote_is_put_again(review: Review) -> None:
    a = review.actors
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    review.app_a.refresh_from_db()
    governance.decision_cancel(actor=a.coordinator, decision=decided(review.app_a), reasons="Mauvaise instance")
    with pytest.raises(DomainError) as refused:
        services.application_decide(actor=a.coordinator, application=review.app_a, granted_cents=None, reasons="Oui.")
    assert refused.value.code == "cancelled"
    # Scores may change again, and a new vote opens.
    services.score_set(actor=a.committee, application=review.app_a, scores=marks(review.criteria, 3, 3, 3))
    services.application_put_to_vote(actor=a.coordinator, application=review.app_a)
    review.app_a.refresh_from_db()
    assert decided(review.app_a).status == Decision.Status.OPEN
    assert Decision.objects.filter(subject_id=review.app_a.pk).count() == 2
