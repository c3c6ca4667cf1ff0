"""Accounts: logging in through the real form, lock-out, password reset and change, security headers."""

from __future__ import annotations

import importlib
import re
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from cordee.core.testing import PASSWORD, Actors

NEW_PASSWORD = "Névé-sous-la-Meije-2026"


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"


def log_in(client: Client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": email, "password": password})


def logged_in_as(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_it_logs_a_person_in_through_the_login_form(actors: Actors, client: Client) -> None:
    response = log_in(client, "admin.a@example.org", PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")
    assert logged_in_as(client) == str(actors.member_admin_a.pk)


def test_it_accepts_the_e_mail_address_whatever_its_case(actors: Actors, client: Client) -> None:
    log_in(client, "Admin.A@Example.org", PASSWORD)

    assert logged_in_as(client) == str(actors.member_admin_a.pk)


def test_it_refuses_a_wrong_password_with_a_form_error(actors: Actors, client: Client) -> None:
    response = log_in(client, "admin.a@example.org", "not the password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert logged_in_as(client) is None


def test_it_locks_the_account_after_too_many_failures_even_with_the_right_password(
    actors: Actors, client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "admin.a@example.org", "not the password")

    response = log_in(client, "admin.a@example.org", PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "Too many attempts" in response.content.decode()
    assert logged_in_as(client) is None


def test_changing_the_case_of_the_e_mail_does_not_get_round_the_lock(actors: Actors, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "admin.a@example.org" if attempt % 2 else "ADMIN.A@example.org", "not the password")

    response = log_in(client, "Admin.A@Example.org", PASSWORD)

    assert response.status_code == 429
    assert logged_in_as(client) is None


def test_it_does_not_lock_before_the_failure_limit(actors: Actors, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "admin.a@example.org", "not the password")

    response = log_in(client, "admin.a@example.org", PASSWORD)

    assert response.status_code == 302
    assert logged_in_as(client) == str(actors.member_admin_a.pk)


def test_the_lock_is_per_account_and_does_not_block_another_person(actors: Actors, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "admin.a@example.org", "not the password")

    response = log_in(client, "admin.b@example.org", PASSWORD)

    assert response.status_code == 302
    assert logged_in_as(client) == str(actors.member_admin_b.pk)


def _link_in(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match[1]


def test_a_password_reset_sends_one_e_mail_whose_link_sets_a_new_password(actors: Actors, client: Client) -> None:
    response = client.post(reverse("password_reset"), {"email": "admin.a@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["admin.a@example.org"]
    link = _link_in(message.body)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.headers["Location"] == reverse("password_reset_complete")

    fresh = Client()
    log_in(fresh, "admin.a@example.org", NEW_PASSWORD)
    assert logged_in_as(fresh) == str(actors.member_admin_a.pk)
    old = Client()
    log_in(old, "admin.a@example.org", PASSWORD)
    assert logged_in_as(old) is None


def test_a_password_reset_link_works_only_once(actors: Actors, client: Client) -> None:
    client.post(reverse("password_reset"), {"email": "admin.a@example.org"})
    link = _link_in(mail.outbox[0].body)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    second = Client().get(link, follow=True)

    assert second.context["validlink"] is False


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(db, client: Client) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_person_changes_their_password(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(actors.member_user_a)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("password_change_done")
    actors.member_user_a.refresh_from_db()
    assert actors.member_user_a.check_password(NEW_PASSWORD)
    assert not actors.member_user_a.check_password(PASSWORD)


def test_it_refuses_a_password_change_without_the_old_password(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(actors.member_user_a)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    actors.member_user_a.refresh_from_db()
    assert actors.member_user_a.check_password(PASSWORD)


def test_it_refuses_a_short_new_password(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(actors.member_user_a)

    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Ab1-cd", "new_password2": "Ab1-cd"}
    )

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    actors.member_user_a.refresh_from_db()
    assert actors.member_user_a.check_password(PASSWORD)


def test_passwords_are_hashed_with_argon2_first() -> None:
    # The tests run with a fast hasher; what counts is the value of the settings module itself.
    cordee_settings = importlib.import_module("cordee.settings")

    assert cordee_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert Argon2PasswordHasher().encode("secret", Argon2PasswordHasher().salt()).startswith("argon2$")


def test_pages_carry_the_security_headers(db, client: Client) -> None:
    response = client.get(reverse("network:directory"))

    assert response.status_code == 200
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response.headers["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_healthz_answers_ok_when_the_database_answers(db, client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(db, client: Client) -> None:
    with mock.patch("django.db.connection.cursor", side_effect=OperationalError("unable to open database file")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
