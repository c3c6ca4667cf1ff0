"""The GDPR rights of a person: access (article 15) and erasure (article 17)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from cordee.core import services
from cordee.core.models import AuditEvent, HubRole, User
from cordee.core.testing import PASSWORD, Actors
from cordee.network.models import Affiliation


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def bernard(actors: Actors) -> User:
    """The member admin of A, who also sits on the credit committee and has done things on the platform."""
    person = actors.member_admin_a
    person.phone = "06 12 34 56 78"
    person.save(update_fields=["phone"])
    HubRole.objects.create(user=person, role=HubRole.Role.COMMITTEE)
    services.person_update_profile(actor=person, person=person, full_name="Bernard Roux", phone="06 12 34 56 78")
    return person


def test_a_person_downloads_everything_held_about_them(bernard: User, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(bernard).get(reverse("account_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["email"] == "admin.a@example.org"
    assert data["person"]["name"] == "Bernard Roux"
    assert data["person"]["phone"] == "06 12 34 56 78"
    assert data["organisations"] == [
        {
            "organisation": "Les Jardins du Buëch",
            "role": "admin",
            "position": "",
            "since": data["organisations"][0]["since"],
        }
    ]
    assert [role["role"] for role in data["hub_roles"]] == ["committee"]
    assert [event["action"] for event in data["activity"]] == ["person.update"]
    assert data["activity"][0]["object"] == f"core.user#{bernard.pk}"


def test_the_export_holds_nobody_else_s_activity(bernard: User, actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    services.person_update_profile(
        actor=actors.member_user_a, person=actors.member_user_a, full_name="Alice Martin", phone=""
    )

    data = client_for(bernard).get(reverse("account_export")).json()

    assert len(data["activity"]) == 1


def test_the_coordinator_exports_the_data_of_someone_else(bernard: User, actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(actors.coordinator).get(reverse("person_export", args=[bernard.pk]))

    assert response.status_code == 200
    assert response.json()["person"]["email"] == "admin.a@example.org"


@pytest.mark.parametrize("who", ["member_admin_a", "member_admin_b", "treasurer", "committee", "outsider"])
def test_nobody_but_the_person_and_the_coordinator_exports_a_person(actors: Actors, client_for, who: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(getattr(actors, who)).get(reverse("person_export", args=[actors.member_user_a.pk]))

    assert response.status_code == 403
    assert b"user.a@example.org" not in response.content


def test_a_visitor_is_sent_to_the_login_page_for_an_export(actors: Actors, client: Client) -> None:
    response = client.get(reverse("person_export", args=[actors.member_user_a.pk]))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def _audit_rows() -> list[tuple[object, ...]]:
    return list(AuditEvent.objects.order_by("pk").values_list("pk", "actor_id", "action", "target_id"))


def test_a_person_erases_themselves_and_only_history_stays(bernard: User, client_for) -> None:  # type: ignore[no-untyped-def]
    history = _audit_rows()
    client = client_for(bernard)

    response = client.post(reverse("account_erase"), {"password": PASSWORD})

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    bernard.refresh_from_db()
    assert bernard.erased_at is not None
    assert "admin.a@example.org" not in bernard.email
    assert "Bernard" not in bernard.full_name and "Roux" not in bernard.full_name
    assert bernard.phone == ""
    assert not bernard.is_active
    assert not bernard.has_usable_password()
    assert not Affiliation.objects.filter(person=bernard).exists()
    assert not HubRole.objects.filter(user=bernard).exists()
    # Every earlier audit row is kept as it was, still pointing at the (now anonymous) person.
    assert _audit_rows()[: len(history)] == history
    erase = AuditEvent.objects.get(action="person.erase")
    assert erase.target_id == str(bernard.pk)
    assert erase.actor is None


def test_an_erased_person_cannot_log_in_any_more(bernard: User, client_for) -> None:  # type: ignore[no-untyped-def]
    client_for(bernard).post(reverse("account_erase"), {"password": PASSWORD})
    bernard.refresh_from_db()

    for email in ("admin.a@example.org", bernard.email):
        client = Client()
        response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
        assert response.status_code == 200
        assert SESSION_KEY not in client.session


def test_an_erasure_with_the_wrong_password_is_refused_and_writes_nothing(bernard: User, client_for) -> None:  # type: ignore[no-untyped-def]
    history = _audit_rows()

    response = client_for(bernard).post(reverse("account_erase"), {"password": "not my password"})

    assert response.status_code == 200
    assert "This password is not right." in response.content.decode()
    bernard.refresh_from_db()
    assert bernard.email == "admin.a@example.org"
    assert bernard.full_name == "Bernard Roux"
    assert bernard.erased_at is None
    assert bernard.is_active
    assert Affiliation.objects.filter(person=bernard).count() == 1
    assert HubRole.objects.filter(user=bernard).count() == 1
    assert _audit_rows() == history


def test_the_coordinator_erases_a_person_confirming_with_their_own_password(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    person = actors.member_user_a

    response = client_for(actors.coordinator).post(reverse("person_erase", args=[person.pk]), {"password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("people")
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.email != "user.a@example.org"
    assert not Affiliation.objects.filter(person=person).exists()
    event = AuditEvent.objects.get(action="person.erase")
    assert event.actor == actors.coordinator
    actors.coordinator.refresh_from_db()
    assert actors.coordinator.erased_at is None


def test_a_member_admin_cannot_erase_another_person(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(actors.member_admin_a).post(
        reverse("person_erase", args=[actors.member_user_a.pk]), {"password": PASSWORD}
    )

    assert response.status_code == 403
    actors.member_user_a.refresh_from_db()
    assert actors.member_user_a.erased_at is None
    assert not AuditEvent.objects.filter(action="person.erase").exists()


def test_it_refuses_to_erase_a_person_twice(actors: Actors, client_for) -> None:  # type: ignore[no-untyped-def]
    person = actors.member_user_a
    client = client_for(actors.coordinator)
    client.post(reverse("person_erase", args=[person.pk]), {"password": PASSWORD})
    person.refresh_from_db()
    first_erasure = (person.email, person.erased_at)

    response = client.post(reverse("person_erase", args=[person.pk]), {"password": PASSWORD})

    assert response.status_code == 200
    assert "This person has already been erased." in response.content.decode()
    person.refresh_from_db()
    assert (person.email, person.erased_at) == first_erasure
    assert AuditEvent.objects.filter(action="person.erase").count() == 1
