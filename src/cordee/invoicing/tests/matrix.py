"""This app's rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The world holds, from organisation A (member_user_a, member_admin_a) to organisation B
(member_admin_b): an issued invoice, a draft, and an invoice from the hub to A; and a second issued
invoice from A to B, partly settled by a set-off and contested by B (an open dispute). An invoice is
seen by the people of its issuer and, once issued, of its recipient, and by the treasurer and the
coordinator; to anyone else it does not exist (404). Its issuer's member admins act on it; the
treasurer records payments too. Its recipient's member admins contest it; its issuer's member admins
answer a dispute, and whoever opened it withdraws it; the treasurer and the coordinator do both.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from cordee.core.tests.matrix_support import LOGIN, READ_ONLY, REDIRECT, Row, World, everyone, logged_in
from cordee.invoicing import services
from cordee.invoicing.models import InvoiceCounter, Settlement
from cordee.invoicing.totals import LineData

ISSUED = "invoicing.issued"
DRAFT = "invoicing.draft"
FROM_HUB = "invoicing.from_hub"
DISPUTED = "invoicing.disputed"
DISPUTE = "invoicing.open_dispute"

HUB_STAFF = {"coordinator": 200, "treasurer": 200}
# A's invoice to B, issued: both sides and the hub's staff see it.
SEEN_BY_BOTH_SIDES = {
    **logged_in(404),
    "member_user_a": 200,
    "member_admin_a": 200,
    "member_admin_b": 200,
    **HUB_STAFF,
}
# A's draft: B does not see it before it is sent.
SEEN_BY_THE_ISSUER = {**logged_in(404), "member_user_a": 200, "member_admin_a": 200, **HUB_STAFF}
# The hub's invoice to A.
SEEN_BY_A = {**logged_in(404), "member_user_a": 200, "member_admin_a": 200, **HUB_STAFF}
# Acting on A's invoice, by its member admins: those who see it but may not act get a 403.
ACTS_ON_ISSUED = {
    **SEEN_BY_BOTH_SIDES,
    "member_user_a": 403,
    "member_admin_b": 403,
    "coordinator": 403,
    "treasurer": 403,
}
ACTS_ON_DRAFT = {**SEEN_BY_THE_ISSUER, "member_user_a": 403, "coordinator": 403, "treasurer": 403}
INVOICING_USERS = {**logged_in(403), "member_user_a": 200, "member_admin_a": 200, "member_admin_b": 200, **HUB_STAFF}
DRAFTERS = {**INVOICING_USERS, "member_user_a": 403}
# Contesting A's invoice to B: B's member admin and the hub's staff.
DISPUTES_ISSUED = {
    **ACTS_ON_ISSUED,
    "member_admin_a": 403,
    "member_admin_b": REDIRECT,
    **dict.fromkeys(HUB_STAFF, REDIRECT),
}
# Closing B's dispute on A's invoice: A's member admin answers, B's (who opened it) withdraws.
CLOSES_DISPUTE = {
    **ACTS_ON_ISSUED,
    "member_admin_a": REDIRECT,
    "member_admin_b": REDIRECT,
    **dict.fromkeys(HUB_STAFF, REDIRECT),
}


def _api(expect: dict[str, Any], success: int) -> dict[str, Any]:
    return {
        role: success if status == REDIRECT else 401 if status == LOGIN else status for role, status in expect.items()
    }


def _url(name: str, key: str) -> Any:
    return lambda w: reverse(name, args=[w.objects[key].pk])


def _new_invoice(w: World) -> dict[str, str]:
    """A's invoice to B: only A's member admin may draft it; the others' form refuses the issuer."""
    return {
        "issuer": str(w.actors.org_a.pk),
        "recipient": str(w.actors.org_b.pk),
        "due_date": "2026-03-31",
        "action": "save",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-label": "Salle",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "30",
        "lines-0-vat_rate": "2000",
    }


ROWS: dict[str, list[Row]] = {
    "invoicing:invoices": [
        Row(lambda w: reverse("invoicing:invoices"), INVOICING_USERS),
        Row(lambda w: reverse("invoicing:invoices") + "?status=issued&direction=to_pay", INVOICING_USERS),
    ],
    "invoicing:invoice_create": [
        Row(lambda w: reverse("invoicing:invoice_create"), DRAFTERS),
        Row(
            lambda w: reverse("invoicing:invoice_create"),
            {**DRAFTERS, "member_admin_a": REDIRECT},  # the others: the form again, with the issuer refused
            method="post",
            data=_new_invoice,
        ),
    ],
    "invoicing:invoice": [
        Row(_url("invoicing:invoice", ISSUED), SEEN_BY_BOTH_SIDES),
        Row(_url("invoicing:invoice", DRAFT), SEEN_BY_THE_ISSUER),
        Row(_url("invoicing:invoice", FROM_HUB), SEEN_BY_A),
        Row(_url("invoicing:invoice", DISPUTED), SEEN_BY_BOTH_SIDES),
    ],
    "invoicing:invoice_edit": [
        Row(_url("invoicing:invoice_edit", DRAFT), ACTS_ON_DRAFT),
        # An issued invoice is never edited: its admin is sent back to it with the reason.
        Row(_url("invoicing:invoice_edit", ISSUED), {**ACTS_ON_ISSUED, "member_admin_a": REDIRECT}),
    ],
    "invoicing:invoice_issue": [
        Row(_url("invoicing:invoice_issue", DRAFT), everyone(405)),
        Row(
            _url("invoicing:invoice_issue", DRAFT),
            {**ACTS_ON_DRAFT, "member_admin_a": REDIRECT},
            method="post",
            data=lambda w: {"issue_date": "2026-03-02"},
        ),
    ],
    "invoicing:invoice_payment": [
        Row(_url("invoicing:invoice_payment", ISSUED), everyone(405)),
        Row(
            _url("invoicing:invoice_payment", ISSUED),
            {**ACTS_ON_ISSUED, "member_admin_a": REDIRECT, "treasurer": REDIRECT},
            method="post",
            data=lambda w: {"paid_on": "2026-03-20"},
        ),
        # The hub's invoice: only the treasurer records its payment.
        Row(
            _url("invoicing:invoice_payment", FROM_HUB),
            {**SEEN_BY_A, "member_user_a": 403, "member_admin_a": 403, "coordinator": 403, "treasurer": REDIRECT},
            method="post",
            data=lambda w: {"paid_on": "2026-03-20"},
        ),
    ],
    "invoicing:invoice_credit_note": [
        Row(_url("invoicing:invoice_credit_note", ISSUED), everyone(405)),
        Row(
            _url("invoicing:invoice_credit_note", ISSUED),
            {**ACTS_ON_ISSUED, "member_admin_a": REDIRECT},
            method="post",
            data=lambda w: {"reason": "Erreur de tarif"},
        ),
        Row(
            _url("invoicing:invoice_credit_note", FROM_HUB),
            {**SEEN_BY_A, "member_user_a": 403, "member_admin_a": 403, "coordinator": REDIRECT, "treasurer": REDIRECT},
            method="post",
            data=lambda w: {"reason": "Erreur de tarif"},
        ),
    ],
    "invoicing:invoice_pdf": [
        Row(_url("invoicing:invoice_pdf", ISSUED), SEEN_BY_BOTH_SIDES),
        Row(_url("invoicing:invoice_pdf", DRAFT), SEEN_BY_THE_ISSUER),
    ],
    "invoicing:invoice_dispute": [
        Row(_url("invoicing:invoice_dispute", ISSUED), everyone(405)),
        Row(
            _url("invoicing:invoice_dispute", ISSUED),
            DISPUTES_ISSUED,
            method="post",
            data=lambda w: {"reason": "La salle n'était pas chauffée"},
        ),
    ],
    "invoicing:dispute_close": [
        Row(_url("invoicing:dispute_close", DISPUTE), everyone(405)),
        Row(
            _url("invoicing:dispute_close", DISPUTE),
            CLOSES_DISPUTE,
            method="post",
            data=lambda w: {"answer": "Le chauffage a été relancé le jour même"},
        ),
    ],
    "api-v1:open_invoice_dispute": [
        Row(
            _url("api-v1:open_invoice_dispute", ISSUED),
            _api(DISPUTES_ISSUED, 201),
            method="post",
            data=lambda w: {"reason": "La salle n'était pas chauffée"},
        ),
    ],
    "api-v1:close_invoice_dispute": [
        Row(
            _url("api-v1:close_invoice_dispute", DISPUTE),
            _api(CLOSES_DISPUTE, 200),
            method="post",
            data=lambda w: {"answer": "Le chauffage a été relancé le jour même"},
        ),
    ],
    "api-v1:list_invoices": [
        Row(lambda w: reverse("api-v1:list_invoices"), {**INVOICING_USERS, "visitor": 401}),
    ],
    "api-v1:get_invoice": [
        Row(_url("api-v1:get_invoice", ISSUED), {**SEEN_BY_BOTH_SIDES, "visitor": 401}),
        Row(_url("api-v1:get_invoice", DRAFT), {**SEEN_BY_THE_ISSUER, "visitor": 401}),
        Row(_url("api-v1:get_invoice", DISPUTED), {**SEEN_BY_BOTH_SIDES, "visitor": 401}),
    ],
}

ADMIN_MODELS: dict[str, dict[str, int | None]] = {
    "invoicing.invoice": READ_ONLY,
    "invoicing.invoicecounter": READ_ONLY,
}


def populate(world: World) -> None:
    """Create what this app's rows need, in world.objects."""
    actors = world.actors
    lines = [LineData(label="Location de salle", quantity=Decimal("2"), unit_price_cents=3000, vat_rate=2000)]
    march_2, march_31 = dt.date(2026, 3, 2), dt.date(2026, 3, 31)
    issued = services.invoice_draft_create(
        actor=actors.member_admin_a, issuer=actors.org_a, recipient=actors.org_b, lines=lines, due_date=march_31
    )
    issued = services.invoice_issue(actor=actors.member_admin_a, invoice=issued, issue_date=march_2)
    draft = services.invoice_draft_create(
        actor=actors.member_admin_a, issuer=actors.org_a, recipient=actors.org_b, lines=lines, due_date=march_31
    )
    from_hub = services.invoice_create_issued(
        issuer=None,
        recipient=actors.org_a,
        lines=lines,
        issue_date=march_2,
        due_date=march_31,
        source="matrix:hub-to-a",
    )
    disputed = services.invoice_draft_create(
        actor=actors.member_admin_a, issuer=actors.org_a, recipient=actors.org_b, lines=lines, due_date=march_31
    )
    disputed = services.invoice_issue(actor=actors.member_admin_a, invoice=disputed, issue_date=march_2)
    Settlement.objects.create(
        invoice=disputed, kind=Settlement.Kind.CLEARING, amount_cents=2000, settled_on=march_31, reference="clearing:1"
    )
    dispute = services.invoice_dispute_open(
        actor=actors.member_admin_b, invoice=disputed, reason="Une seule séance a eu lieu"
    )
    world.objects.update(
        {
            ISSUED: issued,
            DRAFT: draft,
            FROM_HUB: from_hub,
            DISPUTED: disputed,
            DISPUTE: dispute,
            "invoicing.invoice": issued,
            "invoicing.invoicecounter": InvoiceCounter.objects.get(issuer=actors.org_a),
        }
    )
