from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cordee.core.money import format_cents
from cordee.demo.loader import DemoDataError, DemoSummary, load_demo
from cordee.demo.treasury import DemoTreasuryError


class Command(BaseCommand):
    help = (
        'Load the demo hub "Altitudes Coopérantes": fictional member organisations of the Hautes-Alpes, '
        "their people and one login per role, all with the password cordee-demo. Running it again creates "
        "only what is missing and changes nothing else. For trying Cordée only: never on a production database."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_demo(stdout=sys.stderr if options["verbosity"] > 0 else None)
        except (DemoDataError, DemoTreasuryError) as exc:
            raise CommandError(str(exc)) from exc
        self._report(summary)

    def _report(self, summary: DemoSummary) -> None:
        hub = settings.HUB_NAME
        if summary.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo hub “{hub}” loaded: {summary.organisations_created} organisations, "
                    f"{summary.people_created} people, {summary.affiliations_created} affiliations, "
                    f"{summary.fees_created} annual fees and {summary.hub_roles_created} hub roles created."
                )
            )
        else:
            self.stdout.write(f"Demo hub “{hub}” already loaded: nothing to create.")
        self.stdout.write(f"It holds {summary.organisations} organisations and {summary.people} people.")
        treasury = summary.treasury
        self.stdout.write(
            f"Its solidarity treasury: {treasury.deposits} deposits, {treasury.advances} advances "
            f"and {treasury.plans} cash-flow plans."
        )
        skills = summary.skills
        self.stdout.write(
            f"Its skills exchange: {skills.offers} offers, {skills.needs} needs and {skills.exchanges} exchanges."
        )
        staffing = summary.staffing
        self.stdout.write(
            f"Its shared staff: {staffing.employees} employees, {staffing.timesheets} weekly timesheets "
            f"and {staffing.months_invoiced} months re-invoiced."
        )
        clearing = summary.clearing
        proposal = (
            f"a proposal clearing {format_cents(clearing.proposed_cleared_cents, 'en')} awaits the coordinator"
            if clearing.proposed_cleared_cents is not None
            else "no proposal waiting"
        )
        self.stdout.write(
            f"Its multilateral clearing: {clearing.invoices} service invoices, {clearing.consents} set-off "
            f"agreements signed, {format_cents(clearing.executed_cleared_cents, 'en')} cleared by the runs executed; "
            f"{proposal}."
        )
        practices = summary.practices
        self.stdout.write(
            f"Its good practices: {practices.published} sheets published ({practices.members_only} for members "
            f"only), {practices.in_review} in review, {practices.drafts} drafts and {practices.comments} comments."
        )
        governance = summary.governance
        self.stdout.write(
            f"Its governance: the general assembly ({governance.assembly_members} member organisations with a "
            f"vote), {governance.register_entries} decisions in the register, {governance.open_decisions} open "
            f"votes and {governance.votes} votes cast."
        )
        projects, actions = summary.projects, summary.actions
        self.stdout.write(
            f"Its calls for projects: {projects.calls} calls, {projects.applications} applications; "
            f"{actions.actions} funded actions, {format_cents(actions.disbursed_cents, 'en')} paid from the fund."
        )
        self.stdout.write("Its dashboard and activity report: /tableau-de-bord/ (coordinator and treasurer).")
        self.stdout.write("")
        self.stdout.write("Demo logins (the password is for the demo only; never load the demo in production):")
        header = ("role", "e-mail", "password", "person")
        rows = [
            (
                login.role,
                login.email,
                login.password,
                f"{login.full_name} ({login.organisation})" if login.organisation else login.full_name,
            )
            for login in summary.logins
        ]
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
        for row in [header, tuple("-" * width for width in widths), *rows]:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
