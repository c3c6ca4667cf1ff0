"""The bank pages' rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The world, on top of the treasury's (`matrix.populate`, which runs first): the pool's bank account
and creditor identifier in the settings, an advance disbursed today to a member with bank details,
a mandate of organisation A, and a statement imported with one line set aside. Every bank page is
the treasurer's; an organisation's bank page is also its member admins', and nobody else learns
whether it exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import LOGIN, REDIRECT, Row, World, everyone, logged_in

TREASURER = {**logged_in(403), "treasurer": 200}
TREASURER_FORM = {**logged_in(403), "treasurer": 400}
ORGANISATION_A = {**logged_in(404), "member_admin_a": 200, "treasurer": 200}
POST_ONLY = everyone(405)


def _statement(w: World) -> int:
    return w.objects["banking.statement"].pk


def _line(w: World) -> int:
    return w.objects["banking.line"].pk


def _mandate(w: World) -> int:
    return w.objects["banking.mandate"].pk


def _tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def _post(url: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(url, expect, method="post", data=lambda w: data or {})


ROWS: dict[str, list[Row]] = {
    "treasury:banking": [
        Row(lambda w: reverse("treasury:banking"), TREASURER),
        _post(lambda w: reverse("treasury:banking"), TREASURER_FORM),  # no file
    ],
    "treasury:bank_statement": [
        Row(lambda w: reverse("treasury:bank_statement", args=[_statement(w)]), TREASURER),
        Row(lambda w: reverse("treasury:bank_statement", args=[999_999]), {**TREASURER, "treasurer": 404}),
    ],
    "treasury:bank_line_assign": [
        Row(lambda w: reverse("treasury:bank_line_assign", args=[_line(w)]), POST_ONLY),
        _post(lambda w: reverse("treasury:bank_line_assign", args=[_line(w)]), TREASURER_FORM),  # no advance
    ],
    "treasury:bank_line_ignore": [
        Row(lambda w: reverse("treasury:bank_line_ignore", args=[_line(w)]), POST_ONLY),
        _post(lambda w: reverse("treasury:bank_line_ignore", args=[_line(w)]), {**TREASURER, "treasurer": REDIRECT}),
    ],
    "treasury:credit_transfers": [
        Row(lambda w: reverse("treasury:credit_transfers"), TREASURER),  # today's disbursement
        Row(lambda w: reverse("treasury:credit_transfers") + "?date=2000-01-03", {**TREASURER, "treasurer": REDIRECT}),
    ],
    "treasury:withdrawal_transfers": [
        Row(lambda w: reverse("treasury:withdrawal_transfers"), {**TREASURER, "treasurer": REDIRECT}),  # none paid
    ],
    "treasury:direct_debits": [
        Row(lambda w: reverse("treasury:direct_debits"), TREASURER),
        Row(lambda w: reverse("treasury:direct_debits") + f"?collection_date={_tomorrow()}", TREASURER),
        _post(lambda w: reverse("treasury:direct_debits"), TREASURER_FORM),  # no date
    ],
    "treasury:organisation_banking": [
        Row(lambda w: reverse("treasury:organisation_banking", args=[w.actors.org_a.pk]), ORGANISATION_A),
        _post(
            lambda w: reverse("treasury:organisation_banking", args=[w.actors.org_a.pk]),
            {**ORGANISATION_A, "member_admin_a": 400, "treasurer": 400},  # no holder nor IBAN
        ),
        Row(
            lambda w: reverse("treasury:organisation_banking", args=[999_999]),
            {**logged_in(404), "visitor": LOGIN},
        ),
    ],
    "treasury:mandate_create": [
        Row(lambda w: reverse("treasury:mandate_create", args=[w.actors.org_a.pk]), POST_ONLY),
        _post(
            lambda w: reverse("treasury:mandate_create", args=[w.actors.org_a.pk]),
            {**ORGANISATION_A, "member_admin_a": 403, "treasurer": 400},  # the treasurer's, and no data
        ),
    ],
    "treasury:mandate_revoke": [
        Row(lambda w: reverse("treasury:mandate_revoke", args=[w.actors.org_a.pk, _mandate(w)]), POST_ONLY),
        _post(
            lambda w: reverse("treasury:mandate_revoke", args=[w.actors.org_a.pk, _mandate(w)]),
            {**ORGANISATION_A, "member_admin_a": REDIRECT, "treasurer": REDIRECT},
        ),
    ],
}

# The treasury's models in the admin are in `matrix.ADMIN_MODELS`.
ADMIN_MODELS: dict[str, dict[str, int | None]] = {}


def populate(world: World) -> None:
    from cordee.treasury import banking
    from cordee.treasury.models import Advance, Mandate, TreasurySettings
    from cordee.treasury.tests.factories import Pool, borrower, disbursed_advance

    actors = world.actors
    today = timezone.localdate()
    TreasurySettings.current()
    TreasurySettings.objects.filter(pk=1).update(
        account_holder="Altitudes Coopérantes",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        creditor_identifier="FR72ZZZ123456",
    )
    disbursed = Advance.objects.filter(status=Advance.Status.DISBURSED, disbursed_on=today).first()
    if disbursed is None:  # the treasury's world has one; on its own, this one makes its own
        committee = TreasurySettings.current().committee
        assert committee is not None, "the treasury's world sets up the credit committee first"
        voters = [seat.person for seat in committee.members.select_related("person")]
        disbursed = disbursed_advance(
            Pool(actors=actors, committee=committee, voters=voters),
            organisation=borrower("Les Amis du Guil"),
            source="sales",
            funder="",
            notified_amount_cents=None,
            expected_payment_on=None,
            mode="linear",
            term_months=3,
        )
    banking.bank_details_set(
        actor=actors.treasurer,
        organisation=disbursed.organisation,
        holder=disbursed.organisation.name[:70],
        iban="FR1420041010050500013M02606",
        bic="PSSTFRPP",
    )
    mandate = Mandate.objects.filter(organisation=actors.org_a, revoked_on__isnull=True).first()
    if mandate is None:
        mandate = banking.mandate_create(
            actor=actors.treasurer,
            organisation=actors.org_a,
            reference="RUM-MATRIX-BANK",
            signed_on=today,
            holder="Les Jardins du Buëch",
            iban="FR7610107001011234567890129",
            bic="",
        )
    statement = banking.statement_import(
        actor=actors.treasurer,
        filename="releve-matrice.csv",
        data=f"Date;Libellé;Montant\n{today:%d/%m/%Y};VIR SANS REFERENCE;12,00\n".encode(),
    )
    world.objects.update(
        {
            "banking.statement": statement,
            "banking.line": statement.lines.get(),
            "banking.mandate": mandate,
            "treasury.bankstatement": statement,
            "treasury.bankline": statement.lines.get(),
        }
    )
