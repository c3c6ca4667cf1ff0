"""The treasury documents' rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The world, on top of the treasury's (`matrix.populate`, which runs first and sets up the pool; run
alone, this module sets it up): an advance of organisation A disbursed today after the committee's
vote (the actors' committee member sits on that committee), a request of A still before the
committee, and a deposit proposed by A. A document is the business of the organisation's member
admins and the pool's keepers; the members of the committee also get the advances put to them.
The minute holds each member's vote: the committee's members and the pool's keepers get it, the
applicant does not. B's admins are told A's documents do not exist; a document that does not exist
yet (no agreement before the committee grants, no minute before the vote closes) is a 404 too.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import Row, World, everyone, logged_in
from cordee.treasury import services
from cordee.treasury.models import AdvanceAttachment
from cordee.treasury.tests.factories import Pool, disbursed_advance, requested_advance, set_up_pool

# Organisation A's documents: its member admins and the pool's keepers; B's admins get a 404.
A_DOCUMENT = {**logged_in(403), "member_admin_a": 200, "member_admin_b": 404, "coordinator": 200, "treasurer": 200}
# An advance's documents: also the members of the committee it was put to.
ADVANCE_DOCUMENT = {**A_DOCUMENT, "committee": 200}
# The committee's minute: its members and the pool's keepers, not the applicant.
MINUTE = {**ADVANCE_DOCUMENT, "member_admin_a": 403}
# Whoever may see the row, the document is not there yet.
NOT_YET = {**ADVANCE_DOCUMENT, "member_admin_a": 404, "coordinator": 404, "treasurer": 404, "committee": 404}
NOT_YET_MINUTE = {**NOT_YET, "member_admin_a": 403}
# A deposit, or a statement: the committee's members are told it does not exist, like B's admins.
A_ONLY = {**A_DOCUMENT, "committee": 404}
B_ONLY = {**A_ONLY, "member_admin_a": 404, "member_admin_b": 200}
POOL = {**logged_in(403), "coordinator": 200, "treasurer": 200}


def _lent(w: World) -> int:
    return w.objects["documents.advance"].pk


def _waiting(w: World) -> int:
    return w.objects["documents.request"].pk


def _deposit(w: World) -> int:
    return w.objects["documents.deposit"].pk


def _this_year() -> int:
    return timezone.localdate().year


ROWS: dict[str, list[Row]] = {
    "treasury:advance_agreement": [
        Row(lambda w: reverse("treasury:advance_agreement", args=[_lent(w)]), ADVANCE_DOCUMENT),
        Row(lambda w: reverse("treasury:advance_agreement", args=[_waiting(w)]), NOT_YET),
        Row(lambda w: reverse("treasury:advance_agreement", args=[_lent(w)]), everyone(405), method="post"),
    ],
    "treasury:advance_schedule": [
        Row(lambda w: reverse("treasury:advance_schedule", args=[_lent(w)]), ADVANCE_DOCUMENT),
        Row(lambda w: reverse("treasury:advance_schedule", args=[_waiting(w)]), NOT_YET),
    ],
    "treasury:decision_minute": [
        Row(lambda w: reverse("treasury:decision_minute", args=[_lent(w)]), MINUTE),
        Row(lambda w: reverse("treasury:decision_minute", args=[_waiting(w)]), NOT_YET_MINUTE),
    ],
    "treasury:deposit_attestation": [
        Row(lambda w: reverse("treasury:deposit_attestation", args=[_deposit(w)]), A_ONLY),
    ],
    # The files a member uploaded: through these views only, never at a public address (see
    # core/tests/test_media.py).
    "treasury:deposit_file": [
        Row(lambda w: reverse("treasury:deposit_file", args=[_deposit(w), "proces-verbal"]), A_ONLY),
        # No attestation was uploaded; an unknown kind of file is no file either.
        Row(
            lambda w: reverse("treasury:deposit_file", args=[_deposit(w), "attestation-comptable"]),
            {**A_ONLY, "member_admin_a": 404, "coordinator": 404, "treasurer": 404},
        ),
        Row(
            lambda w: reverse("treasury:deposit_file", args=[_deposit(w), "autre"]),
            {**A_ONLY, "member_admin_a": 404, "coordinator": 404, "treasurer": 404},
        ),
    ],
    "treasury:advance_notification": [
        Row(lambda w: reverse("treasury:advance_notification", args=[_lent(w)]), ADVANCE_DOCUMENT),
        Row(lambda w: reverse("treasury:advance_notification", args=[_waiting(w)]), NOT_YET),
    ],
    "treasury:advance_attachment": [
        Row(
            lambda w: reverse("treasury:advance_attachment", args=[_lent(w), w.objects["documents.attachment"].pk]),
            ADVANCE_DOCUMENT,
        ),
        # An attachment of another advance is not this advance's.
        Row(
            lambda w: reverse("treasury:advance_attachment", args=[_waiting(w), w.objects["documents.attachment"].pk]),
            NOT_YET,
        ),
    ],
    "treasury:member_statement": [
        Row(lambda w: reverse("treasury:member_statement", args=[w.actors.org_a.pk]), A_ONLY),
        Row(lambda w: reverse("treasury:member_statement", args=[w.actors.org_b.pk]), B_ONLY),
        Row(
            lambda w: reverse("treasury:member_statement", args=[w.actors.org_a.pk]) + "?au=hier",
            {**A_ONLY, "member_admin_a": 404, "coordinator": 404, "treasurer": 404},
        ),
    ],
    "treasury:yearly_agreements": [
        Row(lambda w: reverse("treasury:yearly_agreements", args=[_this_year(), "pdf"]), POOL),
        Row(lambda w: reverse("treasury:yearly_agreements", args=[_this_year(), "csv"]), POOL),
    ],
}

ADMIN_MODELS: dict[str, dict[str, int | None]] = {}


def _pool(world: World) -> Pool:
    """The pool the treasury's matrix set up, or a new one when this module runs alone."""
    actors = world.actors
    from cordee.treasury.models import TreasurySettings

    committee = TreasurySettings.current().committee
    if committee is None:
        return set_up_pool(actors, fund_cents=0)
    voters = [actors.committee, *(seat.person for seat in committee.members.exclude(person=actors.committee))]
    return Pool(actors=actors, committee=committee, voters=voters)


def populate(world: World) -> None:
    actors = world.actors
    pool = _pool(world)
    today = timezone.localdate()
    services.pool_fund(
        actor=actors.treasurer, amount_cents=1_000_000, received_on=today, label="Dotation", reference="FUND-DOCUMENTS"
    )
    repaid_from_sales: dict[str, Any] = {
        "source": "sales",
        "funder": "",
        "notified_amount_cents": None,
        "funder_decision_on": None,
        "expected_payment_on": None,
    }
    lent = disbursed_advance(pool, amount_cents=300_000, mode="linear", term_months=3, **repaid_from_sales)
    waiting = requested_advance(pool, amount_cents=200_000, mode="linear", term_months=3, **repaid_from_sales)
    deposit = services.deposit_propose(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        amount_cents=150_000,
        notice_days=30,
        board_approved_on=today,
    )
    deposit.board_minute.save("pv-conseil.pdf", ContentFile(b"%PDF-1.4 minute"), save=True)
    lent.notification.save("notification.pdf", ContentFile(b"%PDF-1.4 notification"), save=True)
    attachment = AdvanceAttachment(advance=lent, label="Budget")
    attachment.file.save("budget.pdf", ContentFile(b"%PDF-1.4 budget"), save=True)
    world.objects.update(
        {
            "documents.advance": lent,
            "documents.request": waiting,
            "documents.deposit": deposit,
            "documents.attachment": attachment,
        }
    )
