"""Load the demo hub "Altitudes Coopérantes" (`cordee.demo.data`) into the database.

The demo seeds rows directly instead of going through the network services: those need a
coordinator to act and send e-mails (invitations, decisions) that a demo must not send. It
keeps their rules all the same: the search text is the services' own, slugs come from the
name, and each organisation created gets its audit row.

Idempotent: organisations are found by SIRET (then slug), people by e-mail, and a row is
created only when missing; an existing row is never changed, so that what someone did while
trying the demo (a new password, an edited profile) stays. All rows are written or none, except
the solidarity treasury's, loaded afterwards through its services (`cordee.demo.treasury`), each
step in its own transaction and found again on a second run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.utils.text import slugify
from tqdm import tqdm

from cordee.core.audit import audit
from cordee.core.models import HubRole, User
from cordee.demo.clearing import ClearingSummary, issue_invoices, load_clearing
from cordee.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, ORGANISATIONS, DemoOrganisation, DemoPerson
from cordee.demo.governance import GovernanceSummary, load_governance, number_the_register_by_date
from cordee.demo.practices import PracticesSummary, load_practices
from cordee.demo.premises import load_premises
from cordee.demo.projects import ProjectsSummary, load_projects
from cordee.demo.projects_actions import ActionsSummary, load_project_actions
from cordee.demo.reporting import ReportingSummary, load_reporting
from cordee.demo.skills import SkillsSummary, load_skills
from cordee.demo.staffing import StaffingSummary, load_staffing
from cordee.demo.treasury import TreasurySummary, load_treasury
from cordee.network.models import Affiliation, AnnualFee, Commune, LegalForm, Membership, Organisation, Sector
from cordee.network.reference import SECTORS
from cordee.network.services import refresh_derived_fields


class DemoDataError(Exception):
    """The database lacks the reference data the demo needs."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    full_name: str
    organisation: str = ""


@dataclass
class DemoSummary:
    organisations: int = 0  # in the demo hub, created now or before
    people: int = 0
    organisations_created: int = 0
    memberships_created: int = 0
    fees_created: int = 0
    people_created: int = 0
    affiliations_created: int = 0
    hub_roles_created: int = 0
    resources_created: int = 0
    bookings_created: int = 0
    treasury: TreasurySummary = field(default_factory=TreasurySummary)
    skills: SkillsSummary = field(default_factory=SkillsSummary)
    staffing: StaffingSummary = field(default_factory=StaffingSummary)
    clearing: ClearingSummary = field(default_factory=ClearingSummary)
    practices: PracticesSummary = field(default_factory=PracticesSummary)
    governance: GovernanceSummary = field(default_factory=GovernanceSummary)
    projects: ProjectsSummary = field(default_factory=ProjectsSummary)
    actions: ActionsSummary = field(default_factory=ActionsSummary)
    reporting: ReportingSummary = field(default_factory=ReportingSummary)
    logins: list[DemoLogin] = field(default_factory=list)

    @property
    def created(self) -> int:
        return (
            self.organisations_created
            + self.memberships_created
            + self.fees_created
            + self.resources_created
            + self.bookings_created
            + self.people_created
            + self.affiliations_created
            + self.hub_roles_created
            + self.treasury.created
            + self.skills.created
            + self.staffing.created
            + self.clearing.created
            + self.practices.created
            + self.governance.created
            + self.projects.created
            + self.actions.created
            + self.reporting.created
        )


def load_demo(stdout: TextIO | None = None) -> DemoSummary:
    """Create whatever of the demo hub is missing. `stdout` receives a progress bar when it is a
    terminal; None shows none."""
    with transaction.atomic():
        summary = _Loader(stdout).run()
    # The treasury goes through its services, each its own durable transaction: after the commit.
    summary.treasury = load_treasury()
    summary.people += summary.treasury.people
    summary.skills = load_skills()
    summary.people += summary.skills.people
    summary.staffing = load_staffing()
    summary.people += summary.staffing.people
    summary.clearing = load_clearing(summary.clearing)
    summary.practices = load_practices()
    summary.governance = load_governance()
    summary.projects = load_projects()
    summary.actions = load_project_actions()
    # The calls' committee decides through governance too: the register is complete only now.
    summary.governance.register_entries = number_the_register_by_date()
    summary.reporting = load_reporting()
    return summary


class _Loader:
    def __init__(self, stdout: TextIO | None) -> None:
        self.stdout = stdout
        self.summary = DemoSummary()
        self.emails: set[str] = set()

    def run(self) -> DemoSummary:
        communes, legal_forms = self._reference_data()
        sectors = {slug: self._sector(slug) for slug in sorted({entry.sector for entry in ORGANISATIONS})}
        by_name: dict[str, Organisation] = {}
        entries = tqdm(
            ORGANISATIONS,
            desc="demo organisations",
            unit="organisation",
            file=self.stdout,
            disable=None if self.stdout is not None else True,
        )
        for entry in entries:
            by_name[entry.name] = self._organisation(
                entry,
                commune=communes[entry.commune],
                legal_form=legal_forms[entry.legal_form],
                sector=sectors[entry.sector],
            )
        for account in DEMO_ACCOUNTS:
            person = self._person(account.email, account.full_name, password=DEMO_PASSWORD)
            if account.hub_role:
                _, created = HubRole.objects.get_or_create(
                    user=person,
                    role=account.hub_role,
                    defaults={"since": account.hub_role_since} if account.hub_role_since else {},
                )
                self.summary.hub_roles_created += created
            if account.organisation:
                self._affiliate(person, by_name[account.organisation], account.affiliation_role, account.position)
            self.summary.logins.append(
                DemoLogin(
                    role=account.role,
                    email=account.email,
                    password=DEMO_PASSWORD,
                    full_name=account.full_name,
                    organisation=account.organisation,
                )
            )
        # Dated in the months before: issued before the premises' invoices of today (numbers follow dates).
        self.summary.clearing.invoices_created = issue_invoices(by_name)
        premises = load_premises(by_name)
        self.summary.resources_created = premises.resources_created
        self.summary.bookings_created = premises.bookings_created
        self.summary.organisations = len(by_name)
        self.summary.people = len(self.emails)
        return self.summary

    def _reference_data(self) -> tuple[dict[str, Commune], dict[str, LegalForm]]:
        communes = Commune.objects.in_bulk({entry.commune for entry in ORGANISATIONS})
        legal_forms = LegalForm.objects.in_bulk({entry.legal_form for entry in ORGANISATIONS})
        missing = sorted({entry.commune for entry in ORGANISATIONS} - set(communes)) + sorted(
            {entry.legal_form for entry in ORGANISATIONS} - set(legal_forms)
        )
        if missing:
            raise DemoDataError(
                f"Missing reference data (communes or legal forms): {', '.join(missing)}. "
                "Run `cordee migrate` first; the demo hub lives in the Hautes-Alpes."
            )
        return communes, legal_forms

    def _sector(self, slug: str) -> Sector:
        # A coordinator may have removed a default sector; the demo brings back only those it uses.
        names = dict(SECTORS)
        sector, _ = Sector.objects.get_or_create(
            slug=slug, defaults={"name": names[slug], "position": list(names).index(slug)}
        )
        return sector

    def _organisation(
        self, entry: DemoOrganisation, *, commune: Commune, legal_form: LegalForm, sector: Sector
    ) -> Organisation:
        slug = slugify(entry.name)[:80]
        organisation = (
            Organisation.objects.filter(siret=entry.siret).first() or Organisation.objects.filter(slug=slug).first()
        )
        if organisation is None:
            organisation = Organisation(
                name=entry.name,
                slug=slug,
                family=entry.family,
                legal_form=legal_form,
                sector=sector,
                siren=entry.siren,
                siret=entry.siret,
                rna=entry.rna,
                naf=entry.naf,
                commune=commune,
                address=entry.address,
                postal_code=entry.postal_code,
                website=entry.website,
                email=entry.email,
                phone=entry.phone,
                description=entry.description,
                founding_year=entry.founding_year,
                employees=entry.employees,
                volunteers=entry.volunteers,
                listing_visibility=entry.listing_visibility,
                profile_visibility=entry.profile_visibility,
                contact_visibility=entry.contact_visibility,
                identifiers_visibility=entry.identifiers_visibility,
                figures_visibility=entry.figures_visibility,
            )
            refresh_derived_fields(organisation)
            organisation.save()
            audit(actor=None, action="organisation.create", target=organisation, status=entry.status, source="demo")
            self.summary.organisations_created += 1

        people = [(self._demo_person(person), person) for person in entry.people]
        for user, person in people:
            self._affiliate(user, organisation, "admin" if person.admin else "member", person.position)
        contact = self._demo_person(entry.contact) if entry.contact is not None else None
        if contact is None:
            contact = next((user for user, person in people if person.admin), None)
        _, created = Membership.objects.get_or_create(
            organisation=organisation,
            defaults={
                "status": entry.status,
                "circle": entry.circle,
                "applied_on": entry.applied_on or entry.joined_on,
                "joined_on": entry.joined_on,
                "suspended_on": entry.suspended_on,
                "left_on": entry.left_on,
                "decision_reason": entry.decision_reason,
                "contact": contact,
            },
        )
        self.summary.memberships_created += created
        for fee in entry.fees:
            _, created = AnnualFee.objects.get_or_create(
                organisation=organisation,
                year=fee.year,
                defaults={"amount_cents": fee.amount_cents, "paid_on": fee.paid_on},
            )
            self.summary.fees_created += created
        return organisation

    def _demo_person(self, person: DemoPerson) -> User:
        # No password: like a person invited who has not chosen one yet. Only the logins of
        # DEMO_ACCOUNTS can sign in.
        return self._person(person.email, person.full_name, password=None, phone=person.phone)

    def _person(self, email: str, full_name: str, *, password: str | None, phone: str = "") -> User:
        self.emails.add(email.lower())
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, full_name=full_name, password=password, phone=phone)
            self.summary.people_created += 1
        return user

    def _affiliate(self, person: User, organisation: Organisation, role: str, position: str) -> None:
        _, created = Affiliation.objects.get_or_create(
            person=person, organisation=organisation, defaults={"role": role, "position": position}
        )
        self.summary.affiliations_created += created
