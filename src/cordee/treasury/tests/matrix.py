"""The treasury's rows of the authorization matrix (see cordee/core/tests/matrix_support.py).

The world: the pool set up as in `factories.set_up_pool` (the actors' committee member sits on the
credit committee), organisation A's request for an advance before the committee, A's proposed
deposit, and a confirmed deposit of A with a withdrawal requested. The rows of the plans, bank and
documents pages live in their own modules and are gathered here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cordee.core.tests.matrix_support import READ_ONLY, REDIRECT, Row, World, logged_in
from cordee.treasury.models import Deposit, Withdrawal
from cordee.treasury.tests import matrix_banking, matrix_documents, matrix_plans
from cordee.treasury.tests.factories import requested_advance, set_up_pool

POOL = {**logged_in(403), "coordinator": 200, "treasurer": 200}
TREASURER_FORM = {**logged_in(403), "treasurer": 400}
USERS = {**logged_in(403), "member_admin_a": 200, "member_admin_b": 200, "coordinator": 200, "treasurer": 200}
USES_TREASURY = {**USERS, "committee": 200}
ADMINS = {**logged_in(403), "member_admin_a": 200, "member_admin_b": 200}
# Organisation A's rows: its admins, the pool's keepers; B's admins are told it does not exist.
A_ROW = {**logged_in(403), "member_admin_a": 200, "member_admin_b": 404, "coordinator": 200, "treasurer": 200}
API_USES = {**USES_TREASURY, "visitor": 401}


def _advance(w: World) -> int:
    return w.objects["treasury.advance"].pk


def _deposit(w: World) -> int:
    return w.objects["treasury.deposit"].pk


def _withdrawal(w: World) -> int:
    return w.objects["treasury.withdrawal"].pk


def _post(name: str, arg: Any, expect: dict[str, Any], data: Any = None) -> Row:
    return Row(
        lambda w: reverse(name, args=[arg(w)]) if arg else reverse(name),
        expect,
        method="post",
        data=(lambda w: data(w)) if callable(data) else (lambda w: data or {}),
    )


def _request_payload(w: World) -> dict[str, Any]:
    return {
        "organisation_id": w.actors.org_a.pk,
        "amount_cents": 500_000,
        "purpose": "Salaires",
        "source": "sales",
        "term_months": 6,
        "mode": "annuity",
    }


ROWS: dict[str, list[Row]] = {
    "treasury:home": [Row(lambda w: reverse("treasury:home"), USES_TREASURY)],
    "treasury:dashboard": [
        Row(lambda w: reverse("treasury:dashboard"), POOL),
        Row(lambda w: reverse("treasury:dashboard") + "?defaut=30&retraits=50", POOL),
    ],
    "treasury:settings": [
        Row(lambda w: reverse("treasury:settings"), POOL),
        _post("treasury:settings", None, {**logged_in(403), "coordinator": 400, "treasurer": 400}),
    ],
    "treasury:fund_form": [Row(lambda w: reverse("treasury:fund_form"), {**logged_in(403), "treasurer": 200})],
    "treasury:fund": [_post("treasury:fund", None, TREASURER_FORM)],
    "treasury:declarations": [
        Row(lambda w: reverse("treasury:declarations"), USERS),
        _post(
            "treasury:declarations",
            None,
            {**USERS, "member_admin_a": 400, "member_admin_b": 400, "coordinator": 400, "treasurer": 400},
        ),
    ],
    "treasury:deposits": [Row(lambda w: reverse("treasury:deposits"), USERS)],
    "treasury:returnable_register": [Row(lambda w: reverse("treasury:returnable_register"), USERS)],
    "treasury:deposit_propose": [
        Row(lambda w: reverse("treasury:deposit_propose"), ADMINS),
        _post("treasury:deposit_propose", None, {**ADMINS, "member_admin_a": 400, "member_admin_b": 400}),
    ],
    "treasury:deposit": [Row(lambda w: reverse("treasury:deposit", args=[_deposit(w)]), A_ROW)],
    "treasury:deposit_confirm": [_post("treasury:deposit_confirm", _deposit, TREASURER_FORM)],
    "treasury:deposit_cancel": [
        _post(
            "treasury:deposit_cancel",
            _deposit,
            {**A_ROW, "member_admin_a": REDIRECT, "coordinator": 403, "treasurer": REDIRECT},
        )
    ],
    "treasury:withdrawal_request": [
        _post(
            "treasury:withdrawal_request",
            _deposit,
            {**logged_in(403), "member_admin_a": 400, "member_admin_b": 404},
        )
    ],
    "treasury:withdrawal_pay": [_post("treasury:withdrawal_pay", _withdrawal, TREASURER_FORM)],
    "treasury:withdrawal_refuse": [_post("treasury:withdrawal_refuse", _withdrawal, TREASURER_FORM)],
    "treasury:advances": [
        Row(lambda w: reverse("treasury:advances"), USES_TREASURY),
        Row(lambda w: reverse("treasury:advances") + "?statut=requested", USES_TREASURY),
    ],
    "treasury:advance_request": [
        Row(lambda w: reverse("treasury:advance_request"), ADMINS),
        Row(lambda w: reverse("treasury:advance_request") + "?amount=4500&mode=bullet", ADMINS),
        _post("treasury:advance_request", None, {**ADMINS, "member_admin_a": 400, "member_admin_b": 400}),
    ],
    "treasury:advance": [
        Row(lambda w: reverse("treasury:advance", args=[_advance(w)]), {**A_ROW, "committee": 200}),
    ],
    "treasury:advance_decide": [
        _post("treasury:advance_decide", _advance, {**logged_in(403), "coordinator": 400, "treasurer": 400})
    ],
    "treasury:advance_cancel": [
        _post(
            "treasury:advance_cancel",
            _advance,
            {**A_ROW, "member_admin_a": REDIRECT, "coordinator": 403, "treasurer": 403, "committee": 403},
        )
    ],
    "treasury:advance_give_up": [
        _post(
            "treasury:advance_give_up",
            _advance,
            {**A_ROW, "member_admin_a": 400, "coordinator": 403, "treasurer": 400, "committee": 403},
        )
    ],
    "treasury:advance_disburse": [_post("treasury:advance_disburse", _advance, TREASURER_FORM)],
    "treasury:advance_repayment": [_post("treasury:advance_repayment", _advance, TREASURER_FORM)],
    "treasury:advance_charge": [_post("treasury:advance_charge", _advance, TREASURER_FORM)],
    "treasury:advance_reschedule": [_post("treasury:advance_reschedule", _advance, TREASURER_FORM)],
    "treasury:advance_write_off": [_post("treasury:advance_write_off", _advance, TREASURER_FORM)],
    # The API
    "api-v1:get_pool": [Row(lambda w: reverse("api-v1:get_pool"), {**POOL, "visitor": 401})],
    "api-v1:list_deposits": [Row(lambda w: reverse("api-v1:list_deposits"), API_USES)],
    "api-v1:propose_deposit": [
        Row(
            lambda w: reverse("api-v1:propose_deposit"),
            {
                **API_USES,
                **dict.fromkeys(USES_TREASURY, 403),
                "member_user_a": 403,
                "outsider": 403,
                "member_admin_a": 201,
                "visitor": 401,
            },
            method="post",
            data=lambda w: {"organisation_id": w.actors.org_a.pk, "amount_cents": 100_000, "notice_days": 30},
        )
    ],
    "api-v1:list_advances": [Row(lambda w: reverse("api-v1:list_advances"), API_USES)],
    "api-v1:get_advance": [
        Row(
            lambda w: reverse("api-v1:get_advance", args=[_advance(w)]),
            {**A_ROW, "committee": 200, "visitor": 401},
        )
    ],
    "api-v1:request_advance": [
        Row(
            lambda w: reverse("api-v1:request_advance"),
            {
                **API_USES,
                **dict.fromkeys(USES_TREASURY, 403),
                "member_user_a": 403,
                "outsider": 403,
                "member_admin_a": 201,
                "visitor": 401,
            },
            method="post",
            data=_request_payload,
        )
    ],
    "api-v1:record_repayment": [
        Row(
            lambda w: reverse("api-v1:record_repayment", args=[_advance(w)]),
            {**A_ROW, "member_admin_a": 403, "coordinator": 403, "treasurer": 422, "committee": 403, "visitor": 401},
            method="post",
            data=lambda w: {"amount_cents": 1000, "received_on": timezone.localdate().isoformat()},
        )
    ],
}
for _module in (matrix_plans, matrix_banking, matrix_documents):
    ROWS.update(_module.ROWS)

ADMIN_MODELS: dict[str, dict[str, int | None]] = dict.fromkeys(
    (
        "treasury.deposit",
        "treasury.withdrawal",
        "treasury.advance",
        "treasury.schedule",
        "treasury.repayment",
        "treasury.cashdeclaration",
        "treasury.mandate",
        "treasury.bankstatement",
        "treasury.bankline",
        "treasury.cashplan",
    ),
    READ_ONLY,
)


def populate(world: World) -> None:
    actors = world.actors
    pool = set_up_pool(actors)
    advance = requested_advance(pool, source="sales", funder="", notified_amount_cents=None, expected_payment_on=None)
    today = timezone.localdate()
    proposed = Deposit.objects.create(
        reference=f"DP-{today.year}-9001",
        organisation=actors.org_a,
        amount_cents=100_000,
        notice_days=30,
        proposed_by=actors.member_admin_a,
        proposed_at=timezone.now(),
    )
    confirmed = Deposit.objects.create(
        reference=f"DP-{today.year}-9002",
        organisation=actors.org_a,
        status=Deposit.Status.CONFIRMED,
        amount_cents=100_000,
        notice_days=30,
        proposed_by=actors.member_admin_a,
        proposed_at=timezone.now(),
        received_on=today,
        bank_reference="VIR",
    )
    withdrawal = Withdrawal.objects.create(
        deposit=confirmed,
        amount_cents=10_000,
        requested_on=today,
        payable_on=today + dt.timedelta(days=30),
        requested_by=actors.member_admin_a,
    )
    # A third member's advance, disbursed and partly repaid: rows for the admin's change pages.
    from cordee.treasury import services
    from cordee.treasury.models import CashDeclaration, CashPlan, Mandate
    from cordee.treasury.tests.factories import borrower, disbursed_advance

    lent = disbursed_advance(
        pool,
        organisation=borrower("Les Amis du Queyras"),
        source="sales",
        funder="",
        notified_amount_cents=None,
        expected_payment_on=None,
        mode="linear",
        term_months=3,
    )
    repayment = services.repayment_record(actor=actors.treasurer, advance=lent, amount_cents=1_000, received_on=today)
    world.objects.update(
        {
            "treasury.advance": advance,
            "treasury.deposit": proposed,
            "treasury.withdrawal": withdrawal,
            "treasury.schedule": lent.schedules.first(),
            "treasury.repayment": repayment,
            "treasury.cashdeclaration": CashDeclaration.objects.create(
                organisation=actors.org_a,
                year=today.year,
                net_available_cash_cents=1_000_000,
                declared_on=today,
                declared_by=actors.member_admin_a,
            ),
            "treasury.mandate": Mandate.objects.create(
                organisation=actors.org_a,
                reference="RUM-MATRIX-1",
                signed_on=today,
                holder="Les Jardins",
                iban="FR7630006000011234567890189",
            ),
            "treasury.cashplan": CashPlan.objects.create(
                organisation=actors.org_a,
                title="Plan",
                first_month=today.replace(day=1),
                opening_cash_cents=0,
                created_by=actors.member_admin_a,
            ),
        }
    )
    for module in (matrix_plans, matrix_banking, matrix_documents):
        module.populate(world)
    from cordee.treasury.models import Advance, BankDetails, BankLine, BankStatement

    # Every member paid today can be paid by transfer: the day's credit-transfer file is complete.
    for advance in Advance.objects.filter(status=Advance.Status.DISBURSED).select_related("organisation"):
        BankDetails.objects.get_or_create(
            organisation=advance.organisation,
            defaults={"holder": advance.organisation.name[:70], "iban": "FR1420041010050500013M02606"},
        )

    if "treasury.bankline" not in world.objects:
        statement = BankStatement.objects.create(
            filename="releve.csv",
            format="csv",
            sha256="0" * 64,
            imported_by=actors.treasurer,
            imported_at=timezone.now(),
        )
        world.objects["treasury.bankstatement"] = statement
        world.objects["treasury.bankline"] = BankLine.objects.create(
            statement=statement, booked_on=today, amount_cents=100, status=BankLine.Status.TO_REVIEW
        )
