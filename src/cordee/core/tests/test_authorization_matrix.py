"""Every URL of Cordée, requested by every role, with the status each must get.

A URL added to the project without its row here fails `test_every_url_has_a_row`, so no page
can slip in unguarded. Expected values: an HTTP status, LOGIN (a redirect to a login page) or
REDIRECT (a redirect elsewhere, e.g. after a successful POST).
"""

from __future__ import annotations

import importlib
import uuid
from types import ModuleType
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cordee.core.audit import audit
from cordee.core.models import AuditEvent, HubRole
from cordee.core.testing import make_actors, make_organisation
from cordee.core.tests.matrix_support import (
    LOGIN,
    READ_ONLY,
    REDIRECT,
    ROLES,
    Row,
    World,
    coordinator_only,
    everyone,
    logged_in,
)
from cordee.ledger.models import Entry, Ledger, Transfer
from cordee.ledger.posting import TransferSpec, transfers_create
from cordee.ledger.services import account_open
from cordee.network.models import Affiliation, AnnualFee, Commune, LegalForm, Membership, Sector

# Organisation A shows its blocks to members of the hub only: visitors and people of no member
# organisation (the outsider) must not even learn it exists.
A_SEEN_BY_MEMBERS = {**everyone(200), "visitor": 404, "outsider": 404}


OWN_ACCOUNT_PAGE = {**logged_in(404), "member_admin_a": 200, "coordinator": 200, "treasurer": 200}
HUB_BOOKS_PAGE = {**logged_in(404), "coordinator": 200, "treasurer": 200}
OWN_ACCOUNT_API = {**OWN_ACCOUNT_PAGE, "visitor": 401}
HUB_BOOKS_API = {**HUB_BOOKS_PAGE, "visitor": 401}


MATRIX: dict[str, list[Row]] = {
    "home": [Row(lambda w: reverse("home"), everyone(200))],
    "healthz": [Row(lambda w: reverse("healthz"), everyone(200))],
    "login": [Row(lambda w: reverse("login"), {**everyone(REDIRECT), "visitor": 200})],
    "logout": [
        Row(lambda w: reverse("logout"), everyone(405)),
        Row(lambda w: reverse("logout"), everyone(REDIRECT), method="post"),
    ],
    "password_change": [Row(lambda w: reverse("password_change"), logged_in(200))],
    "password_change_done": [Row(lambda w: reverse("password_change_done"), logged_in(200))],
    "password_reset": [Row(lambda w: reverse("password_reset"), everyone(200))],
    "password_reset_done": [Row(lambda w: reverse("password_reset_done"), everyone(200))],
    "password_reset_confirm": [
        Row(lambda w: reverse("password_reset_confirm", args=["MQ", "bad-token"]), everyone(200))
    ],
    "password_reset_complete": [Row(lambda w: reverse("password_reset_complete"), everyone(200))],
    "account": [Row(lambda w: reverse("account"), logged_in(200))],
    "account_export": [Row(lambda w: reverse("account_export"), logged_in(200))],
    "account_erase": [Row(lambda w: reverse("account_erase"), logged_in(200))],
    "people": [Row(lambda w: reverse("people"), coordinator_only())],
    "person_export": [
        Row(
            lambda w: reverse("person_export", args=[w.actors.member_user_a.pk]),
            {**logged_in(403), "member_user_a": 200, "coordinator": 200},
        )
    ],
    "person_erase": [
        Row(
            lambda w: reverse("person_erase", args=[w.actors.member_user_a.pk]),
            {**logged_in(403), "member_user_a": 200, "coordinator": 200},
        )
    ],
    "network:directory": [Row(lambda w: reverse("network:directory"), everyone(200))],
    "network:map": [Row(lambda w: reverse("network:map"), everyone(200))],
    "network:export": [
        Row(lambda w: reverse("network:export", args=["csv"]), everyone(200)),
        Row(lambda w: reverse("network:export", args=["xlsx"]), everyone(200)),
        Row(lambda w: reverse("network:export", args=["pdf"]), everyone(404)),
    ],
    "network:organisation": [
        Row(lambda w: w.actors.org_a.get_absolute_url(), A_SEEN_BY_MEMBERS),
        Row(lambda w: w.actors.org_b.get_absolute_url(), everyone(200)),
        Row(lambda w: reverse("network:organisation", args=["candidate"]), {**everyone(404), "coordinator": 200}),
    ],
    "network:organisation_edit": [
        Row(
            lambda w: reverse("network:organisation_edit", args=[w.actors.org_a.slug]),
            {**everyone(403), "visitor": LOGIN, "outsider": 404, "member_admin_a": 200, "coordinator": 200},
        ),
    ],
    "network:organisation_people": [
        Row(
            lambda w: reverse("network:organisation_people", args=[w.actors.org_a.slug]),
            {
                **everyone(403),
                "visitor": LOGIN,
                "outsider": 404,
                "member_user_a": 200,
                "member_admin_a": 200,
                "coordinator": 200,
            },
        ),
        Row(
            lambda w: reverse("network:organisation_people", args=[w.actors.org_a.slug]),
            {**everyone(403), "visitor": LOGIN, "outsider": 404, "member_admin_a": REDIRECT, "coordinator": REDIRECT},
            method="post",
            data=lambda w: {"full_name": "Nina Nouvelle", "email": "nina@example.org", "role": "member"},
        ),
    ],
    "network:affiliation_change": [
        Row(lambda w: w.objects["affiliation_url"], everyone(405)),
        Row(
            lambda w: w.objects["affiliation_url"],
            {**everyone(403), "visitor": LOGIN, "outsider": 404, "member_admin_a": REDIRECT, "coordinator": REDIRECT},
            method="post",
            data=lambda w: {"action": "role", "role": "admin"},
        ),
    ],
    "network:apply": [Row(lambda w: reverse("network:apply"), everyone(200))],
    "network:apply_done": [Row(lambda w: reverse("network:apply_done"), everyone(200))],
    "network:applications": [Row(lambda w: reverse("network:applications"), coordinator_only())],
    "network:application": [
        Row(lambda w: reverse("network:application", args=[w.candidate_pk]), coordinator_only()),
        Row(
            lambda w: reverse("network:application", args=[w.candidate_pk]),
            coordinator_only(REDIRECT),
            method="post",
            data=lambda w: {"action": "approve"},
        ),
    ],
    "network:memberships": [Row(lambda w: reverse("network:memberships"), coordinator_only())],
    "network:membership": [
        Row(lambda w: reverse("network:membership", args=[w.actors.org_a.pk]), coordinator_only()),
        Row(
            lambda w: reverse("network:membership", args=[w.actors.org_a.pk]),
            coordinator_only(REDIRECT),
            method="post",
            data=lambda w: {"action": "fee", "year": "2026", "amount": "50", "paid_on": ""},
        ),
    ],
    "network:import": [Row(lambda w: reverse("network:import"), coordinator_only())],
    "set_language": [
        Row(
            lambda w: reverse("set_language"),
            everyone(REDIRECT),
            method="post",
            data=lambda w: {"language": "en", "next": "/"},
        )
    ],
    "api-v1:openapi-json": [Row(lambda w: reverse("api-v1:openapi-json"), everyone(200))],
    "api-v1:openapi-view": [Row(lambda w: reverse("api-v1:openapi-view"), everyone(200))],
    "api-v1:api-root": [Row(lambda w: reverse("api-v1:api-root"), everyone(404))],
    "api-v1:list_organisations": [Row(lambda w: reverse("api-v1:list_organisations"), everyone(200))],
    "api-v1:get_organisation": [
        Row(lambda w: reverse("api-v1:get_organisation", args=[w.actors.org_a.pk]), A_SEEN_BY_MEMBERS),
        Row(lambda w: reverse("api-v1:get_organisation", args=[w.actors.org_b.pk]), everyone(200)),
    ],
    "media": [
        Row(lambda w: "/media/logos/none.png", everyone(404)),
        # Uploads other than logos and photos are never served here (core/tests/test_media.py).
        Row(lambda w: "/media/logos/../treasury/", everyone(404)),
    ],
    # The ledger: the hub's books for the treasurer and the coordinator; a member organisation's
    # own accounts for its member admins too, and never for anyone else.
    "ledger:accounts": [
        Row(
            lambda w: reverse("ledger:accounts"),
            {**logged_in(403), "member_admin_a": 200, "member_admin_b": 200, "coordinator": 200, "treasurer": 200},
        )
    ],
    "ledger:statement": [
        Row(lambda w: reverse("ledger:statement", args=[w.objects["account_a"].pk]), OWN_ACCOUNT_PAGE),
        Row(lambda w: reverse("ledger:statement", args=[w.objects["account_a"].pk]) + "?avant=2", OWN_ACCOUNT_PAGE),
        Row(lambda w: reverse("ledger:statement", args=[w.objects["account_hub"].pk]), HUB_BOOKS_PAGE),
    ],
    "ledger:journal": [
        Row(lambda w: reverse("ledger:journal"), {**logged_in(403), "coordinator": 200, "treasurer": 200}),
        Row(
            lambda w: reverse("ledger:journal") + "?ledger=HOURS",
            {**logged_in(403), "coordinator": 200, "treasurer": 200},
        ),
    ],
    "ledger:export_fec": [
        Row(lambda w: reverse("ledger:export_fec"), {**logged_in(403), "treasurer": 200}),
        Row(lambda w: reverse("ledger:export_fec") + "?year=2026", {**logged_in(403), "treasurer": 200}),
    ],
    "ledger:export_hledger": [Row(lambda w: reverse("ledger:export_hledger"), {**logged_in(403), "treasurer": 200})],
    "api-v1:post_transfers": [
        Row(
            lambda w: reverse("api-v1:post_transfers"),
            {**everyone(403), "visitor": 401, "treasurer": 200},
            method="post",
            data=lambda w: [
                {
                    "id": "8f14e45f-ceea-467f-a8f2-5c1b2e6f6c11",
                    "ledger": "EUR",
                    "amount": 100,
                    "debit_account_id": w.objects["account_hub"].pk,
                    "credit_account_id": w.objects["account_a"].pk,
                }
            ],
        )
    ],
    "api-v1:list_accounts": [
        Row(
            lambda w: reverse("api-v1:list_accounts"),
            {
                **everyone(403),
                "visitor": 401,
                "member_admin_a": 200,
                "member_admin_b": 200,
                "coordinator": 200,
                "treasurer": 200,
            },
        )
    ],
    "api-v1:get_account": [
        Row(lambda w: reverse("api-v1:get_account", args=[w.objects["account_a"].pk]), OWN_ACCOUNT_API),
        Row(lambda w: reverse("api-v1:get_account", args=[w.objects["account_hub"].pk]), HUB_BOOKS_API),
    ],
    "api-v1:get_statement": [
        Row(lambda w: reverse("api-v1:get_statement", args=[w.objects["account_a"].pk]), OWN_ACCOUNT_API),
        Row(lambda w: reverse("api-v1:get_statement", args=[w.objects["account_hub"].pk]), HUB_BOOKS_API),
    ],
}

# The admin: only the coordinator enters; everyone else is sent to the admin's login page.
ADMIN_SITE: dict[str, list[Row]] = {
    "admin:index": [Row(lambda w: reverse("admin:index"), {**everyone(LOGIN), "coordinator": 200})],
    "admin:login": [Row(lambda w: reverse("admin:login"), {**everyone(200), "coordinator": REDIRECT})],
    "admin:logout": [Row(lambda w: reverse("admin:logout"), {**everyone(REDIRECT), "coordinator": 405})],
    "admin:auth_user_password_change": [
        Row(
            lambda w: reverse("admin:auth_user_password_change", args=[w.actors.member_user_a.pk]),
            {**everyone(LOGIN), "coordinator": 200},
        )
    ],
    "admin:<unnamed <path:object_id>/>": [
        Row(lambda w: f"/admin/network/organisation/{w.actors.org_b.pk}/", {**everyone(LOGIN), "coordinator": REDIRECT})
    ],
    "admin:<unnamed (?P<url>.*)$>": [Row(lambda w: "/admin/no-such-page/", {**everyone(LOGIN), "coordinator": 404})],
    "admin:password_change": [Row(lambda w: reverse("admin:password_change"), {**everyone(LOGIN), "coordinator": 200})],
    "admin:password_change_done": [
        Row(lambda w: reverse("admin:password_change_done"), {**everyone(LOGIN), "coordinator": 200})
    ],
    "admin:jsi18n": [Row(lambda w: reverse("admin:jsi18n"), {**everyone(LOGIN), "coordinator": 200})],
    "admin:autocomplete": [Row(lambda w: reverse("admin:autocomplete"), {**everyone(LOGIN), "coordinator": 403})],
    "admin:view_on_site": [
        Row(
            lambda w: reverse("admin:view_on_site", args=[w.objects["org_ct"], w.actors.org_b.pk]),
            {**everyone(LOGIN), "coordinator": REDIRECT},
        )
    ],
    "admin:app_list": [
        Row(lambda w, label=label: reverse("admin:app_list", args=[label]), {**everyone(LOGIN), "coordinator": 200})
        for label in (
            "core",
            "network",
            "axes",
            "ledger",
            "premises",
            "invoicing",
            "governance",
            "treasury",
            "staffing",
            "skills",
            "clearing",
            "practices",
            "projects",
            "reporting",
        )
    ],
}

# What the coordinator gets on each model's admin pages; None: the page does not apply.
# Lockout records are written by django-axes only; the audit trail and task results are never
# edited; task results hold one-time links and stay with technical administrators.
ADMIN_MODELS: dict[str, dict[str, int | None]] = {
    "core.user": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "core.hubrole": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "core.auditevent": {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200},
    "network.commune": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "network.legalform": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "network.sector": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "network.organisation": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "network.membership": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "network.annualfee": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "network.affiliation": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "ledger.ledger": READ_ONLY,
    "ledger.account": READ_ONLY,
    "ledger.transfer": READ_ONLY,
    "ledger.entry": READ_ONLY,
    "axes.accessattempt": {"changelist": 200, "add": 403, "change": 200, "delete": 200, "history": None},
    "axes.accesslog": {"changelist": 200, "add": 403, "change": 200, "delete": 200, "history": None},
    "axes.accessfailurelog": {"changelist": 200, "add": 403, "change": 200, "delete": 200, "history": None},
    "django_tasks_database.dbtaskresult": {
        "changelist": 403,
        "add": 403,
        "change": None,
        "delete": None,
        "history": None,
    },
}


def _admin_rows() -> dict[str, list[Row]]:
    rows = dict(ADMIN_SITE)
    for model in admin.site._registry:
        label = model._meta.label_lower
        info = (model._meta.app_label, model._meta.model_name)
        for page, coordinator_status in ADMIN_MODELS.get(label, {}).items():
            name = "admin:{}_{}_{}".format(*info, page)
            if coordinator_status is None:
                rows.setdefault(name, [])
                continue
            if page in ("changelist", "add"):
                url = (lambda n: lambda w: reverse(n))(name)
            else:
                url = (lambda n, lbl: lambda w: reverse(n, args=[w.objects[lbl].pk]))(name, label)
            rows.setdefault(name, []).append(Row(url, {**everyone(LOGIN), "coordinator": coordinator_status}))
    return rows


# The apps after the ledger keep their rows beside their code (see matrix_support).
APP_MATRICES: list[ModuleType] = [
    importlib.import_module(f"cordee.{app}.tests.matrix")
    for app in (
        "premises",
        "invoicing",
        "governance",
        "treasury",
        "staffing",
        "skills",
        "clearing",
        "practices",
        "projects",
        "reporting",
    )
]
for _module in APP_MATRICES:
    MATRIX.update(_module.ROWS)
    ADMIN_MODELS.update(_module.ADMIN_MODELS)

ALL_ROWS = {**MATRIX, **_admin_rows()}


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>")
    return names


def test_every_url_has_a_row() -> None:
    missing = sorted(_url_names(get_resolver().url_patterns) - set(ALL_ROWS))
    assert not missing, f"URLs without a row in the authorization matrix: {missing}"
    unknown_models = {m._meta.label_lower for m in admin.site._registry} - set(ADMIN_MODELS)
    assert not unknown_models, f"admin models without expectations: {unknown_models}"


def _world(name: str) -> World:
    actors = make_actors()
    candidate = make_organisation("Candidate", status=Membership.Status.CANDIDATE)
    candidate.slug = "candidate"
    candidate.save(update_fields=["slug"])
    from django.contrib.contenttypes.models import ContentType
    from django_tasks_db.models import DBTaskResult  # noqa: F401 - a model of the matrix

    affiliation = Affiliation.objects.get(person=actors.member_user_a, organisation=actors.org_a)
    fee = AnnualFee.objects.create(organisation=actors.org_a, year=2025, amount_cents=5000)
    event = audit(actor=actors.coordinator, action="test", target=actors.org_a)
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    objects: dict[str, Any] = {
        "affiliation_url": reverse("network:affiliation_change", args=[actors.org_a.slug, affiliation.pk]),
        "org_ct": ContentType.objects.get_for_model(actors.org_a).pk,
        "core.user": actors.member_user_a,
        "core.hubrole": HubRole.objects.get(user=actors.treasurer),
        "core.auditevent": event,
        "network.commune": Commune.objects.get(pk="05061"),
        "network.legalform": LegalForm.objects.get(pk="9220"),
        "network.sector": Sector.objects.first(),
        "network.organisation": actors.org_b,
        "network.membership": actors.org_b.membership,
        "network.annualfee": fee,
        "network.affiliation": affiliation,
        "axes.accessattempt": AccessAttempt.objects.create(
            username="x@example.org", ip_address="127.0.0.1", user_agent="t", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(username="x@example.org", ip_address="127.0.0.1", user_agent="t"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="x@example.org", ip_address="127.0.0.1", user_agent="t", locked_out=False
        ),
    }
    assert isinstance(event, AuditEvent)
    account_hub = account_open(ledger="EUR", number="512000", label="Banque")
    account_a = account_open(ledger="EUR", number="4551-A", label="Apports A", owner=actors.org_a)
    results = transfers_create(
        [
            TransferSpec(
                id=uuid.uuid4(),
                ledger="EUR",
                amount=5000,
                debit_account_id=account_hub.pk,
                credit_account_id=account_a.pk,
                label="Apport",
            ),
            TransferSpec(
                id=uuid.uuid4(),
                ledger="EUR",
                amount=2000,
                debit_account_id=account_a.pk,
                credit_account_id=account_hub.pk,
                label="Retrait",
            ),
        ]
    )
    assert all(r == "ok" for r in results)
    transfer = Transfer.objects.order_by("sequence").first()
    objects.update(
        account_hub=account_hub,
        account_a=account_a,
        **{
            "ledger.ledger": Ledger.objects.get(code="EUR"),
            "ledger.account": account_a,
            "ledger.transfer": transfer,
            "ledger.entry": Entry.objects.order_by("pk").first(),
        },
    )
    world = World(actors=actors, candidate_pk=candidate.pk, objects=objects)
    for module in _owners(name):
        module.populate(world)
    return world


def _owners(name: str) -> list[ModuleType]:
    """The app matrices whose objects a row needs: the one that holds the row, or whose model an
    admin page shows. Populating only those keeps each case's world small."""
    owners = []
    for module in APP_MATRICES:
        app = module.__name__.split(".")[1]
        if name in module.ROWS or name.startswith((f"admin:{app}_", "admin:app_list")):
            owners.append(module)
    return owners


# A GET asks and changes nothing: the eight roles ask the same world in turn, which is built once.
# A POST may change the world (a booking made, a vote cast): each role gets a world of its own.
GET_CASES = [
    pytest.param(name, index, id=f"{name}[{index}]")
    for name, rows in sorted(ALL_ROWS.items())
    for index, row in enumerate(rows)
    if row.method == "get"
]
POST_CASES = [
    pytest.param(name, index, role, id=f"{name}[{index}]-{role}")
    for name, rows in sorted(ALL_ROWS.items())
    for index, row in enumerate(rows)
    if row.method != "get"
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index"), GET_CASES)
def test_each_role_gets_the_expected_answer_to_a_get(name: str, index: int) -> None:
    world = _world(name)
    failures = [failure for role in ROLES if (failure := _answer_problem(world, name, index, role))]
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), POST_CASES)
def test_each_role_gets_the_expected_answer_to_a_post(name: str, index: int, role: str) -> None:
    problem = _answer_problem(_world(name), name, index, role)
    assert problem is None, problem


def _answer_problem(world: World, name: str, index: int, role: str) -> str | None:
    """What is wrong with the answer `role` gets to the row, or None when it is the expected one."""
    row = ALL_ROWS[name][index]
    user = world.actors.by_role()[role]
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = row.url(world)
    data = row.data(world) if row.data else {}
    if row.method == "post" and (isinstance(data, list) or (isinstance(data, dict) and url.startswith("/api/"))):
        response = client.post(url, data, content_type="application/json")
    elif row.method == "post":
        response = client.post(url, data)
    else:
        response = client.get(url)
    expected = row.expect[role]
    if expected in (LOGIN, REDIRECT):
        if response.status_code != 302:
            return f"{row.method.upper()} {url} as {role}: {response.status_code}, expected a redirection"
        goes_to_login = "/connexion/" in response["Location"] or "/admin/login/" in response["Location"]
        if goes_to_login != (expected == LOGIN):
            return f"{url} as {role} redirected to {response['Location']}"
        return None
    if response.status_code != expected:
        return f"{row.method.upper()} {url} as {role}: {response.status_code}, expected {expected}"
    return None
