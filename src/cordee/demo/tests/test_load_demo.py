"""The demo hub: enough valid, varied members to try every page, one login per role, idempotent."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone, translation

from cordee.core import identifiers, permissions
from cordee.core.models import AuditEvent, HubRole, User
from cordee.demo import data
from cordee.demo.loader import DemoSummary, load_demo
from cordee.governance.models import Decision
from cordee.network.forms import OrganisationForm
from cordee.network.models import Affiliation, AnnualFee, Family, Membership, Organisation, Sector, Visibility
from cordee.network.reference import SECTORS, default_communes
from cordee.network.selectors import DirectoryFilters, directory_organisations, pending_applications
from cordee.network.services import search_text_for
from cordee.projects.models import Action

pytestmark = pytest.mark.django_db

# Which INSEE legal forms fit which family (first digits of the code, or whole codes).
LEGAL_FORMS_OF_FAMILY = {
    "association": ("92",),
    "cooperative": ("5451", "5458", "5460", "5558", "5560", "6317"),
    "mutual": ("8210", "8250", "6411"),
    "foundation": ("9300",),
    "esus_company": ("54", "55", "57"),
    "local_authority": ("72", "73"),
    "other_company": ("54", "55", "57"),
}


@pytest.fixture
def summary() -> DemoSummary:
    return load_demo()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


# --- The data itself ---------------------------------------------------------------------


def test_every_identifier_passes_the_checks_of_the_forms() -> None:
    for entry in data.ORGANISATIONS:
        assert identifiers.clean_siren(entry.siren) == entry.siren, entry.name
        assert identifiers.clean_siret(entry.siret) == entry.siret, entry.name
        assert entry.siret.startswith(entry.siren), entry.name
        assert identifiers.clean_naf(entry.naf) == entry.naf, entry.name
        assert identifiers.clean_phone(entry.phone) == entry.phone, entry.name
        if entry.family == Family.ASSOCIATION:
            assert identifiers.clean_rna(entry.rna) == entry.rna, entry.name
            assert entry.rna.startswith("W05"), entry.name
        else:
            assert entry.rna == "", f"{entry.name}: only an association has an RNA number"


def test_identifiers_names_and_emails_are_unique() -> None:
    entries = data.ORGANISATIONS
    for key in ("siren", "siret", "name", "email", "website"):
        values = [getattr(entry, key) for entry in entries]
        assert len(values) == len(set(values)), key
    rnas = [entry.rna for entry in entries if entry.rna]
    assert len(rnas) == len(set(rnas))
    people = [person.email for entry in entries for person in entry.people]
    people += [entry.contact.email for entry in entries if entry.contact]
    people += [account.email for account in data.DEMO_ACCOUNTS]
    assert len(people) == len(set(people))


def test_no_contact_detail_can_reach_anybody() -> None:
    for entry in data.ORGANISATIONS:
        assert entry.email.endswith("@example.org"), entry.name
        assert entry.website.startswith("https://") and entry.website.endswith(".example.org"), entry.name
        # A block the Arcep keeps for works of fiction.
        assert entry.phone.startswith("04 65 71 "), entry.name
        for person in (*entry.people, *([entry.contact] if entry.contact else [])):
            assert person.email.endswith("@example.org"), person.full_name
            assert person.phone == "" or re.fullmatch(r"06 39 98 \d\d \d\d", person.phone), person.full_name
    for account in data.DEMO_ACCOUNTS:
        assert account.email.endswith("@demo.cordee.example")


def test_legal_forms_fit_the_family_and_sectors_exist() -> None:
    sectors = {slug for slug, _name in SECTORS}
    for entry in data.ORGANISATIONS:
        assert entry.legal_form.startswith(LEGAL_FORMS_OF_FAMILY[entry.family]), entry.name
        assert entry.sector in sectors, entry.name


def test_every_organisation_passes_the_organisation_form() -> None:
    sectors = dict(Sector.objects.values_list("slug", "pk"))
    with translation.override("en"):
        for entry in data.ORGANISATIONS:
            form = OrganisationForm(
                data={
                    "name": entry.name,
                    "family": entry.family,
                    "legal_form": entry.legal_form,
                    "sector": sectors[entry.sector],
                    "siren": entry.siren,
                    "siret": entry.siret,
                    "rna": entry.rna,
                    "naf": entry.naf,
                    "commune": entry.commune,
                    "address": entry.address,
                    "postal_code": entry.postal_code,
                    "website": entry.website,
                    "email": entry.email,
                    "phone": entry.phone,
                    "description": entry.description,
                    "founding_year": entry.founding_year,
                    "employees": entry.employees,
                    "volunteers": entry.volunteers,
                    "listing_visibility": entry.listing_visibility,
                    "profile_visibility": entry.profile_visibility,
                    "contact_visibility": entry.contact_visibility,
                    "identifiers_visibility": entry.identifiers_visibility,
                    "figures_visibility": entry.figures_visibility,
                }
            )
            assert form.is_valid(), (entry.name, form.errors.as_data())


# --- What the loader writes --------------------------------------------------------------


def test_it_loads_at_least_forty_organisations_of_every_family(summary: DemoSummary) -> None:
    assert Organisation.objects.count() >= 40
    assert summary.organisations == summary.organisations_created == Organisation.objects.count()
    assert set(Organisation.objects.values_list("family", flat=True)) == set(Family.values)


def test_every_organisation_is_in_a_commune_of_the_hautes_alpes_with_its_postal_code(summary: DemoSummary) -> None:
    hautes_alpes = {row["insee_code"]: row["postal_code"] for row in default_communes()}
    organisations = Organisation.objects.select_related("commune")
    for organisation in organisations:
        assert organisation.commune_id in hautes_alpes, organisation.name
        assert organisation.postal_code == hautes_alpes[organisation.commune_id], organisation.name
    assert len({organisation.commune_id for organisation in organisations}) >= 20


def test_stored_identifiers_are_valid_and_the_siret_extends_the_siren(summary: DemoSummary) -> None:
    for organisation in Organisation.objects.select_related("legal_form"):
        assert identifiers.clean_siren(organisation.siren) == organisation.siren
        assert identifiers.clean_siret(organisation.siret) == organisation.siret
        assert organisation.siret[:9] == organisation.siren
        assert identifiers.clean_naf(organisation.naf) == organisation.naf
        assert organisation.legal_form is not None and not organisation.legal_form.retired
        if organisation.family == Family.ASSOCIATION:
            assert identifiers.clean_rna(organisation.rna) == organisation.rna
        else:
            assert organisation.rna == ""


def test_the_search_text_is_the_one_the_services_compute(summary: DemoSummary) -> None:
    for organisation in Organisation.objects.select_related("commune", "sector"):
        assert organisation.search_text == search_text_for(organisation)
        assert organisation.slug
    found = directory_organisations(None, DirectoryFilters(q="ressourcerie serres"))
    assert [organisation.name for organisation in found] == ["Recyclerie du Buëch"]


def test_memberships_mix_statuses_circles_and_years(summary: DemoSummary) -> None:
    memberships = Membership.objects.all()
    statuses = [membership.status for membership in memberships]
    assert statuses.count(Membership.Status.CANDIDATE) == 2
    assert statuses.count(Membership.Status.SUSPENDED) == 1
    assert statuses.count(Membership.Status.LEFT) == 1
    assert statuses.count(Membership.Status.ACTIVE) == len(statuses) - 4
    assert {membership.circle for membership in memberships} == set(Membership.Circle.values)
    joined = {membership.joined_on.year for membership in memberships if membership.joined_on}
    assert joined == {2022, 2023, 2024, 2025, 2026}
    suspended = Membership.objects.get(status=Membership.Status.SUSPENDED)
    assert suspended.suspended_on is not None and suspended.decision_reason
    left = Membership.objects.get(status=Membership.Status.LEFT)
    assert left.left_on is not None and left.decision_reason


def test_active_members_paid_2025_and_some_still_owe_2026(summary: DemoSummary) -> None:
    active = Organisation.objects.filter(membership__status=Membership.Status.ACTIVE).select_related("membership")
    for organisation in active:
        fees = {fee.year: fee for fee in organisation.fees.all()}
        assert organisation.membership.joined_on is not None
        if organisation.membership.joined_on.year < 2026:
            assert set(fees) == {2025, 2026}, organisation.name
            assert fees[2025].is_paid, organisation.name
        else:
            assert set(fees) == {2026}, organisation.name
        assert {fee.amount_cents for fee in fees.values()} <= {5000, 15000, 30000}
    due_2026 = AnnualFee.objects.filter(year=2026, organisation__in=active, paid_on__isnull=True).count()
    paid_2026 = AnnualFee.objects.filter(year=2026, organisation__in=active, paid_on__isnull=False).count()
    assert due_2026 >= 5 and paid_2026 > due_2026
    assert not AnnualFee.objects.filter(organisation__membership__status=Membership.Status.CANDIDATE).exists()
    for fee in AnnualFee.objects.filter(paid_on__isnull=False):
        assert fee.paid_on is not None and fee.paid_on.year >= fee.year - 1


def test_visibility_varies_but_most_members_are_public(summary: DemoSummary) -> None:
    organisations = Organisation.objects.all()
    assert {organisation.identifiers_visibility for organisation in organisations} == set(Visibility.values)
    assert {organisation.figures_visibility for organisation in organisations} == set(Visibility.values)
    public = [organisation for organisation in organisations if organisation.listing_visibility == Visibility.PUBLIC]
    assert len(public) >= 0.9 * len(organisations)


def test_member_organisations_have_people_and_one_admin_at_least(summary: DemoSummary) -> None:
    members = Organisation.objects.exclude(membership__status=Membership.Status.CANDIDATE)
    for organisation in members:
        roles = list(organisation.affiliations.values_list("role", flat=True))
        assert Affiliation.Role.ADMIN in roles, organisation.name
    with_several = [organisation for organisation in members if organisation.affiliations.count() >= 2]
    assert len(with_several) >= 30
    assert summary.people == User.objects.count()
    for person in User.objects.exclude(email__endswith="@demo.cordee.example"):
        assert person.email.endswith("@example.org")
        assert not person.has_usable_password(), f"{person.email}: only demo logins may sign in"


def test_candidates_wait_in_the_pending_applications_with_their_contact(summary: DemoSummary) -> None:
    pending = list(pending_applications())
    assert len(pending) == 2
    for organisation in pending:
        contact = organisation.membership.contact
        assert contact is not None and contact.email.endswith("@example.org")
        assert contact.phone
        assert not contact.affiliations.exists()
        assert organisation.membership.joined_on is None


def test_a_visitor_sees_at_least_35_organisations_and_no_hidden_one(summary: DemoSummary) -> None:
    visible = list(directory_organisations(None))
    assert len(visible) >= 35
    assert all(organisation.listing_visibility == Visibility.PUBLIC for organisation in visible)
    assert all(organisation.membership.status == Membership.Status.ACTIVE for organisation in visible)
    assert len(visible) < Organisation.objects.filter(membership__status=Membership.Status.ACTIVE).count()


# --- Logins ------------------------------------------------------------------------------


def login(summary: DemoSummary, role: str) -> User:
    (found,) = [entry for entry in summary.logins if entry.role == role]
    assert found.password == data.DEMO_PASSWORD == "cordee-demo"
    user = User.objects.get(email=found.email)
    assert user.check_password("cordee-demo")
    assert user.is_active and not user.is_staff and not user.is_superuser
    return user


def test_each_role_has_a_login_with_the_demo_password(summary: DemoSummary) -> None:
    assert [entry.role for entry in summary.logins] == [
        "coordinator",
        "treasurer",
        "committee member",
        "member admin",
        "member user",
        "shared employee",
    ]
    coordinator = permissions.actor_for(login(summary, "coordinator"))
    assert coordinator.hub_roles == {HubRole.Role.COORDINATOR} and coordinator.is_coordinator
    treasurer = permissions.actor_for(login(summary, "treasurer"))
    assert treasurer.hub_roles == {HubRole.Role.TREASURER} and not treasurer.is_coordinator

    referent = login(summary, "member admin")
    (association,) = Organisation.objects.filter(affiliations__person=referent)
    assert association.family == Family.ASSOCIATION
    assert association.membership.status == Membership.Status.ACTIVE
    assert permissions.actor_for(referent).admin_of(association.pk)
    assert not permissions.actor_for(referent).hub_roles

    member = permissions.actor_for(login(summary, "member user"))
    assert member.organisations == {association.pk: Affiliation.Role.MEMBER}
    assert not member.hub_roles

    committee = permissions.actor_for(login(summary, "committee member"))
    assert committee.hub_roles == {HubRole.Role.COMMITTEE}
    ((organisation_id, role),) = committee.organisations.items()
    assert organisation_id != association.pk and role == Affiliation.Role.MEMBER


# --- Idempotence and atomicity -----------------------------------------------------------


def test_running_it_twice_changes_nothing(summary: DemoSummary) -> None:
    assert summary.created > 0
    counts = row_counts()
    updated = dict(Organisation.objects.values_list("pk", "updated_at"))
    passwords = dict(User.objects.values_list("pk", "password"))

    again = load_demo()

    assert again.created == 0
    assert again.organisations_created == again.people_created == again.fees_created == 0
    assert again.affiliations_created == again.hub_roles_created == again.memberships_created == 0
    assert (again.organisations, again.people) == (summary.organisations, summary.people)
    assert row_counts() == counts
    assert dict(Organisation.objects.values_list("pk", "updated_at")) == updated
    assert dict(User.objects.values_list("pk", "password")) == passwords


def test_it_keeps_what_people_changed_while_trying_the_demo(summary: DemoSummary) -> None:
    referent = User.objects.get(email="referent@demo.cordee.example")
    referent.set_password("another password of mine")
    referent.save()
    Organisation.objects.filter(name="Théâtre du Faubourg").update(phone="04 65 71 99 99")

    load_demo()

    referent.refresh_from_db()
    assert referent.check_password("another password of mine")
    assert Organisation.objects.get(name="Théâtre du Faubourg").phone == "04 65 71 99 99"


def test_it_recreates_only_what_is_missing(summary: DemoSummary) -> None:
    # A candidate: it neither owns nor books resources, so nothing protects it from deletion.
    Organisation.objects.get(name="Troc'Savoirs du Gapençais").delete()
    AnnualFee.objects.filter(organisation__name="Cap Ouvrage", year=2026).delete()

    again = load_demo()

    assert again.organisations_created == 1 and again.memberships_created == 1
    assert again.fees_created == 1
    assert again.people_created == 0 and again.affiliations_created == 0
    assert again.resources_created == again.bookings_created == 0
    assert AnnualFee.objects.filter(organisation__name="Cap Ouvrage", year=2026).exists()


def test_it_writes_an_audit_row_for_each_organisation_it_creates(summary: DemoSummary) -> None:
    events = AuditEvent.objects.filter(action="organisation.create")
    assert events.count() == summary.organisations_created
    assert all(event.data["source"] == "demo" and event.actor is None for event in events)


def test_it_writes_everything_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(HubRole.objects, "get_or_create", fail)
    with pytest.raises(RuntimeError):
        load_demo()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()


# --- The command -------------------------------------------------------------------------


def test_the_command_prints_a_summary_and_the_logins() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert "Altitudes Coopérantes" in printed
    assert f"{Organisation.objects.count()} organisations" in printed
    for account in data.DEMO_ACCOUNTS:
        line = next(line for line in printed.splitlines() if account.email in line)
        assert account.role in line and "cordee-demo" in line
    assert Organisation.objects.count() >= 40
    numbered = Decision.objects.exclude(register_number="").count()
    assert numbered > 0 and f"{numbered} decisions in the register" in printed
    assert Action.objects.exists() and f"{Action.objects.count()} funded actions" in printed

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing to create" in out.getvalue()
    assert "animateur@demo.cordee.example" in out.getvalue()


def test_joined_dates_are_not_in_the_future(summary: DemoSummary) -> None:
    today = timezone.localdate()
    for membership in Membership.objects.all():
        assert membership.applied_on <= today
        assert membership.joined_on is None or membership.applied_on <= membership.joined_on <= today
