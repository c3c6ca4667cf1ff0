"""The writes of the network: applications, decisions, membership status, fees, people, profiles."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cordee.core.errors import DomainError, NotAllowed
from cordee.core.models import AuditEvent, HubRole, User
from cordee.core.testing import PASSWORD, Actors, make_organisation, valid_siren, valid_siret
from cordee.network import services
from cordee.network.models import Affiliation, AnnualFee, Commune, Membership, Organisation

NEW_PASSWORD = "Crampons-et-piolet-2026"


@pytest.fixture(autouse=True)
def _english(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def application_data(**overrides: Any) -> dict[str, Any]:
    siren = valid_siren(4242)
    data: dict[str, Any] = {
        "name": "École des Cimes",
        "family": "association",
        "commune": Commune.objects.get(pk="05061"),
        "siren": siren,
        "siret": valid_siret(siren),
        "rna": "W051002345",
        "email": "bonjour@ecole-des-cimes.example",
        "description": "Une école de montagne pour tous.",
    }
    data.update(overrides)
    return data


def apply(**overrides: Any) -> Organisation:
    return services.membership_apply(
        data=application_data(**overrides),
        contact_name="Hélène Vial",
        contact_email="Helene.Vial@example.org",
        contact_phone="06 11 22 33 44",
    )


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row the network services may write, to show that a refused call left all of them alone."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Organisation, Membership, Affiliation, AnnualFee, User, HubRole, AuditEvent)
    }


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match[1]


def set_password_through(link: str, password: str) -> None:
    client = Client()
    confirm = client.get(link)
    assert confirm.status_code == 302, "a valid link redirects to the set-password form"
    form = client.get(confirm.headers["Location"])
    assert form.context["validlink"] is True
    done = client.post(confirm.headers["Location"], {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert done.headers["Location"] == reverse("password_reset_complete")


def can_log_in(email: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": email, "password": password})
    return SESSION_KEY in client.session


# --- Applications ------------------------------------------------------------------------


def test_an_application_records_a_candidate_with_its_contact_person(actors: Actors) -> None:
    organisation = apply()

    organisation.refresh_from_db()
    assert organisation.membership.status == Membership.Status.CANDIDATE
    assert organisation.membership.joined_on is None
    contact = organisation.membership.contact
    assert contact is not None
    assert (contact.email, contact.full_name, contact.phone) == (
        "helene.vial@example.org",
        "Hélène Vial",
        "06 11 22 33 44",
    )
    assert not contact.has_usable_password()
    assert not Affiliation.objects.filter(organisation=organisation).exists(), "no powers before approval"
    assert organisation.slug == "ecole-des-cimes"
    assert actions() == ["organisation.create"]


def test_an_application_e_mails_the_coordinators_once_committed(
    actors: Actors, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    other_coordinator = User.objects.create_user(
        email="coordo2@example.org", full_name="Irène Jacob", password=PASSWORD
    )
    HubRole.objects.create(user=other_coordinator, role=HubRole.Role.COORDINATOR)

    with django_capture_on_commit_callbacks() as callbacks:
        organisation = apply()
        assert mail.outbox == [], "nothing leaves before the transaction commits"
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["coordinator@example.org", "coordo2@example.org"]
    assert "École des Cimes" in message.subject
    assert "helene.vial@example.org" in message.body
    assert link_path(message.body) == reverse("network:application", args=[organisation.pk])


def test_an_application_with_a_registered_siret_is_refused_and_writes_nothing(
    actors: Actors, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        apply(siren=actors.org_b.siren, siret=actors.org_b.siret)

    assert refused.value.field == "siret"
    assert snapshot() == before
    assert mail.outbox == []


def test_an_approval_makes_the_contact_a_member_admin_who_sets_a_password_and_logs_in(
    actors: Actors, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    organisation = apply()

    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_approve(actor=actors.coordinator, organisation=organisation)

    assert membership.status == Membership.Status.ACTIVE
    assert membership.joined_on == timezone.localdate()
    contact = membership.contact
    assert contact is not None
    assert Affiliation.objects.get(person=contact, organisation=organisation).role == Affiliation.Role.ADMIN
    assert actions()[-2:] == ["person.invite", "membership.approve"]
    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == ["helene.vial@example.org"]
    assert not can_log_in("helene.vial@example.org", NEW_PASSWORD)

    set_password_through(link_path(invitation.body), NEW_PASSWORD)

    assert can_log_in("helene.vial@example.org", NEW_PASSWORD)


def test_an_approval_does_not_invite_a_contact_who_already_has_a_password(
    actors: Actors, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    organisation = services.membership_apply(
        data=application_data(), contact_name="Chloé Blanc", contact_email="admin.b@example.org"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(actor=actors.coordinator, organisation=organisation)

    assert Affiliation.objects.get(person=actors.member_admin_b, organisation=organisation).role == "admin"
    assert [message.to for message in mail.outbox] == [["admin.b@example.org"]]
    assert link_path(mail.outbox[0].body) == reverse("login"), "a link to log in, not to reset the password"
    assert "person.invite" not in actions()
    actors.member_admin_b.refresh_from_db()
    assert actors.member_admin_b.check_password(PASSWORD)


def test_a_rejection_needs_a_reason(actors: Actors) -> None:
    organisation = apply()
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        services.membership_reject(actor=actors.coordinator, organisation=organisation, reason="   ")

    assert refused.value.field == "reason"
    assert snapshot() == before


def test_a_rejection_e_mails_the_reason_to_the_contact(actors: Actors, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    organisation = apply()

    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_reject(
            actor=actors.coordinator, organisation=organisation, reason="  Hors du territoire du pôle.  "
        )

    assert membership.status == Membership.Status.REJECTED
    assert membership.decision_reason == "Hors du territoire du pôle."
    assert [message.to for message in mail.outbox] == [["helene.vial@example.org"]]
    assert "Hors du territoire du pôle." in mail.outbox[0].body
    event = AuditEvent.objects.get(action="membership.reject")
    assert event.actor == actors.coordinator
    assert event.data == {"reason": "Hors du territoire du pôle."}
    assert not Affiliation.objects.filter(organisation=organisation).exists()


@pytest.mark.parametrize("status", ["active", "suspended", "left", "rejected"])
def test_only_a_pending_application_can_be_approved_or_rejected(actors: Actors, status: str) -> None:
    organisation = make_organisation(status=status)
    before = snapshot()

    with pytest.raises(DomainError):
        services.membership_approve(actor=actors.coordinator, organisation=organisation)
    with pytest.raises(DomainError):
        services.membership_reject(actor=actors.coordinator, organisation=organisation, reason="Non.")

    assert snapshot() == before


# --- Membership status and fees -----------------------------------------------------------


def test_a_member_is_suspended_reinstated_and_leaves(actors: Actors) -> None:
    org = actors.org_a
    today = timezone.localdate()

    suspended = services.membership_set_status(
        actor=actors.coordinator, organisation=org, status="suspended", reason="Cotisation impayée"
    )
    assert (suspended.status, suspended.suspended_on, suspended.decision_reason) == (
        "suspended",
        today,
        "Cotisation impayée",
    )
    reinstated = services.membership_set_status(actor=actors.coordinator, organisation=org, status="active")
    assert (reinstated.status, reinstated.suspended_on) == ("active", None)
    left = services.membership_set_status(actor=actors.coordinator, organisation=org, status="left")
    assert (left.status, left.left_on) == ("left", today)
    back = services.membership_set_status(actor=actors.coordinator, organisation=org, status="active")
    assert (back.status, back.left_on) == ("active", None)

    assert [event.data["status"] for event in AuditEvent.objects.filter(action="membership.status").order_by("pk")] == [
        "suspended",
        "active",
        "left",
        "active",
    ]


def test_a_suspended_member_keeps_its_people_s_powers_but_one_that_left_does_not(actors: Actors) -> None:
    from cordee.core import permissions

    services.membership_set_status(actor=actors.coordinator, organisation=actors.org_a, status="suspended")
    admin = User.objects.get(pk=actors.member_admin_a.pk)
    assert permissions.can_edit_organisation(admin, actors.org_a)

    services.membership_set_status(actor=actors.coordinator, organisation=actors.org_a, status="left")
    admin = User.objects.get(pk=actors.member_admin_a.pk)
    assert not permissions.can_edit_organisation(admin, actors.org_a)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("active", "active"),
        ("active", "candidate"),
        ("active", "rejected"),
        ("suspended", "suspended"),
        ("left", "suspended"),
        ("candidate", "active"),
        ("candidate", "suspended"),
        ("rejected", "active"),
        ("active", "expelled"),
    ],
)
def test_it_refuses_a_status_change_the_membership_cannot_make(actors: Actors, start: str, target: str) -> None:
    organisation = make_organisation(status=start)
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        services.membership_set_status(actor=actors.coordinator, organisation=organisation, status=target)

    assert refused.value.field == "status"
    assert snapshot() == before


def test_the_coordinator_calls_then_records_the_payment_of_a_fee(actors: Actors) -> None:
    year = timezone.localdate().year

    called = services.fee_set(
        actor=actors.coordinator, organisation=actors.org_a, year=year, amount_cents=12_000, paid_on=None
    )
    assert not called.is_paid
    paid = services.fee_set(
        actor=actors.coordinator, organisation=actors.org_a, year=year, amount_cents=12_000, paid_on=dt.date(year, 3, 2)
    )

    assert paid.pk == called.pk
    assert list(AnnualFee.objects.values_list("year", "amount_cents", "paid_on")) == [
        (year, 12_000, dt.date(year, 3, 2))
    ]
    assert [event.data for event in AuditEvent.objects.filter(action="fee.set").order_by("pk")] == [
        {"year": year, "amount_cents": 12_000, "paid_on": None},
        {"year": year, "amount_cents": 12_000, "paid_on": f"{year}-03-02"},
    ]


@pytest.mark.parametrize(("year_offset", "amount", "field"), [(0, -1, "amount"), (-40, 100, "year"), (2, 100, "year")])
def test_it_refuses_a_negative_fee_or_a_year_out_of_range(
    actors: Actors, year_offset: int, amount: int, field: str
) -> None:
    year = timezone.localdate().year + year_offset

    with pytest.raises(DomainError) as refused:
        services.fee_set(
            actor=actors.coordinator, organisation=actors.org_a, year=year, amount_cents=amount, paid_on=None
        )

    assert refused.value.field == field
    assert not AnnualFee.objects.exists()


# --- People of an organisation ----------------------------------------------------------


def test_a_member_admin_adds_a_new_person_who_is_invited(actors: Actors, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        affiliation = services.affiliation_add(
            actor=actors.member_admin_a,
            organisation=actors.org_a,
            email="Jeanne.Dumas@example.org",
            full_name="Jeanne Dumas",
            role="member",
            position="Maraîchère",
        )

    assert (affiliation.person.email, affiliation.role, affiliation.position) == (
        "jeanne.dumas@example.org",
        "member",
        "Maraîchère",
    )
    assert actions()[-2:] == ["person.invite", "affiliation.add"]
    assert [message.to for message in mail.outbox] == [["jeanne.dumas@example.org"]]
    set_password_through(link_path(mail.outbox[0].body), NEW_PASSWORD)
    assert can_log_in("jeanne.dumas@example.org", NEW_PASSWORD)


def test_adding_someone_who_already_has_an_account_sends_no_invitation(
    actors: Actors, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        services.affiliation_add(
            actor=actors.member_admin_a,
            organisation=actors.org_a,
            email="admin.b@example.org",
            full_name="Another name",
            role="member",
        )

    assert Affiliation.objects.filter(person=actors.member_admin_b).count() == 2
    assert mail.outbox == []
    actors.member_admin_b.refresh_from_db()
    assert actors.member_admin_b.full_name == "Chloé Blanc"


def test_it_refuses_to_add_a_person_twice_or_with_an_unknown_role(actors: Actors) -> None:
    before = snapshot()

    with pytest.raises(DomainError) as twice:
        services.affiliation_add(
            actor=actors.member_admin_a,
            organisation=actors.org_a,
            email="USER.A@example.org",
            full_name="A",
            role="member",
        )
    with pytest.raises(DomainError) as unknown_role:
        services.affiliation_add(
            actor=actors.member_admin_a, organisation=actors.org_a, email="new@example.org", full_name="N", role="owner"
        )

    assert (twice.value.field, unknown_role.value.field) == ("email", "role")
    assert snapshot() == before


def test_a_member_admin_promotes_then_steps_down(actors: Actors) -> None:
    member = Affiliation.objects.get(person=actors.member_user_a, organisation=actors.org_a)
    admin = Affiliation.objects.get(person=actors.member_admin_a, organisation=actors.org_a)

    services.affiliation_set_role(actor=actors.member_admin_a, affiliation=member, role="admin")
    services.affiliation_set_role(actor=actors.member_admin_a, affiliation=admin, role="member")

    assert dict(Affiliation.objects.filter(organisation=actors.org_a).values_list("person__email", "role")) == {
        "user.a@example.org": "admin",
        "admin.a@example.org": "member",
    }
    assert actions()[-2:] == ["affiliation.role", "affiliation.role"]


def test_it_refuses_to_demote_or_remove_the_last_member_admin(actors: Actors) -> None:
    admin = Affiliation.objects.get(person=actors.member_admin_a, organisation=actors.org_a)
    before = snapshot()

    with pytest.raises(DomainError, match="at least one member admin"):
        services.affiliation_set_role(actor=actors.coordinator, affiliation=admin, role="member")
    with pytest.raises(DomainError, match="at least one member admin"):
        services.affiliation_remove(actor=actors.coordinator, affiliation=admin)

    assert snapshot() == before


def test_a_member_admin_removes_a_person(actors: Actors) -> None:
    member = Affiliation.objects.get(person=actors.member_user_a, organisation=actors.org_a)

    services.affiliation_remove(actor=actors.member_admin_a, affiliation=member)

    assert not Affiliation.objects.filter(person=actors.member_user_a).exists()
    assert User.objects.filter(pk=actors.member_user_a.pk).exists(), "the person keeps their account"
    event = AuditEvent.objects.get(action="affiliation.remove")
    assert (event.actor, event.data) == (actors.member_admin_a, {"person": actors.member_user_a.pk})


# --- Profile ----------------------------------------------------------------------------


def test_a_member_admin_updates_the_profile_of_their_organisation(actors: Actors) -> None:
    organisation = services.organisation_update(
        actor=actors.member_admin_a,
        organisation=actors.org_a,
        data={"description": "Maraîchage bio et chantier d'insertion.", "name": "Les Jardins du Buëch"},
    )

    organisation.refresh_from_db()
    assert organisation.description == "Maraîchage bio et chantier d'insertion."
    event = AuditEvent.objects.get(action="organisation.update")
    assert (event.actor, event.data) == (actors.member_admin_a, {"fields": ["description"]})


def test_a_new_name_gives_a_new_address_in_the_directory(actors: Actors) -> None:
    organisation = services.organisation_update(
        actor=actors.coordinator, organisation=actors.org_a, data={"name": "Jardins de Veynes"}
    )

    assert organisation.slug == "jardins-de-veynes"
    assert "veynes" in organisation.search_text


# --- Refusals ----------------------------------------------------------------------------

REFUSED_CALLS: dict[str, Callable[[Actors], Any]] = {
    "member admin of B edits A": lambda a: services.organisation_update(
        actor=a.member_admin_b, organisation=a.org_a, data={"description": "Piraté"}
    ),
    "member user of A edits A": lambda a: services.organisation_update(
        actor=a.member_user_a, organisation=a.org_a, data={"description": "Piraté"}
    ),
    "member admin creates an organisation": lambda a: services.organisation_create(
        actor=a.member_admin_a, data=application_data()
    ),
    "member admin approves": lambda a: services.membership_approve(actor=a.member_admin_a, organisation=a.org_a),
    "treasurer suspends": lambda a: services.membership_set_status(
        actor=a.treasurer, organisation=a.org_b, status="suspended"
    ),
    "member admin sets her own fee": lambda a: services.fee_set(
        actor=a.member_admin_a, organisation=a.org_a, year=timezone.localdate().year, amount_cents=0, paid_on=None
    ),
    "member admin of B adds to A": lambda a: services.affiliation_add(
        actor=a.member_admin_b, organisation=a.org_a, email="spy@example.org", full_name="Spy", role="admin"
    ),
    "member user of A adds to A": lambda a: services.affiliation_add(
        actor=a.member_user_a, organisation=a.org_a, email="friend@example.org", full_name="Friend", role="member"
    ),
    "member user of A promotes herself": lambda a: services.affiliation_set_role(
        actor=a.member_user_a, affiliation=a.member_user_a.affiliations.get(), role="admin"
    ),
    "member admin of B removes from A": lambda a: services.affiliation_remove(
        actor=a.member_admin_b, affiliation=a.member_user_a.affiliations.get()
    ),
    "outsider updates A": lambda a: services.organisation_update(
        actor=a.outsider, organisation=a.org_a, data={"description": "Piraté"}
    ),
}


@pytest.mark.parametrize("call", REFUSED_CALLS.values(), ids=REFUSED_CALLS.keys())
def test_a_call_without_the_power_is_refused_and_writes_nothing(
    actors: Actors, django_capture_on_commit_callbacks, call: Callable[[Actors], Any]
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(NotAllowed):
        call(actors)

    assert snapshot() == before
    assert callbacks == []
    assert mail.outbox == []


def test_an_update_breaking_a_rule_is_refused_and_writes_nothing(actors: Actors) -> None:
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        services.organisation_update(
            actor=actors.coordinator, organisation=actors.org_a, data={"siret": actors.org_b.siret, "description": "x"}
        )

    assert refused.value.field == "siret"
    assert snapshot() == before
