"""The demo's governance: the hub's general assembly (one vote per active member organisation,
cast by one of its member admins) and its board, with what a member finds there on any day the
demo is loaded:

- a closed general assembly proposal, the approval of the 2025 accounts, and a closed rule change,
  both in the register of decisions with their numbers, voted by most member organisations (a few
  against, a few abstaining, some not voting);
- an open general assembly poll, a ranked choice on the priority theme of the next call for
  projects, that the demo's member admin login (Claire Vial, for the Jardins solidaires du
  Gapençais) has not voted on yet;
- a closed board proposal, the hub's 2027 budget.

Dates are relative to the day of loading, so the open poll stays open. Everything goes through the
governance services; a second load creates nothing (a decision is recognised by its body and title).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cordee.core.mail import silenced
from cordee.core.models import User
from cordee.demo.data import ASSOCIATION_WITH_DEMO_LOGINS
from cordee.governance import services
from cordee.governance.models import Body, Decision, Vote
from cordee.network.models import Affiliation, Organisation

COORDINATOR = "animateur@demo.cordee.example"
MEMBER_ADMIN = "referent@demo.cordee.example"
ASSEMBLY_NAME = "Assemblée générale"
BOARD_NAME = "Conseil d'administration"
BOARD_SINCE = dt.date(2025, 6, 19)  # elected by the 2025 general assembly

ACCOUNTS_2025 = "Approbation des comptes de l'exercice 2025"
RULE_CHANGE = "Modification du règlement intérieur : cotisation solidaire"
PRIORITY_THEME = "Thème prioritaire de l'appel à projets 2027"
BUDGET_2027 = "Budget prévisionnel 2027 du pôle"

PRIORITY_THEMES = (
    "Mobilité en zone de montagne",
    "Circuits courts alimentaires",
    "Emploi partagé entre structures",
    "Tourisme des quatre saisons",
    "Inclusion par le travail",
)


@dataclass
class GovernanceSummary:
    created_rows: int = 0
    bodies_created: int = 0
    seats_created: int = 0
    decisions_created: int = 0
    votes_created: int = 0
    # What is there after the load (for the command's report), created now or before.
    assembly_members: int = 0
    register_entries: int = 0
    open_decisions: int = 0
    votes: int = 0

    @property
    def created(self) -> int:
        return (
            self.created_rows + self.bodies_created + self.seats_created + self.decisions_created + self.votes_created
        )


def load_governance() -> GovernanceSummary:
    """Load whatever of this part of the demo is missing. Call it outside any transaction."""
    summary = GovernanceSummary()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    if coordinator is None:  # the demo hub is not there: nothing to hang governance on
        return summary
    with silenced():
        _Loader(summary, coordinator).run()
    summary.assembly_members = services.assembly_members().count()
    summary.register_entries = Decision.objects.exclude(register_number="").count()
    summary.open_decisions = Decision.objects.filter(status=Decision.Status.OPEN).count()
    summary.votes = Vote.objects.count()
    return summary


def number_the_register_by_date() -> int:
    """Give the register's entries their numbers in the order of their closing dates.

    Closing numbers a decision at once (services.decision_close); the demo's treasury then moves
    its committee's closings back in time (it cannot close an advance's vote on a past day), so
    its entries come out numbered in the order they were loaded, and a 2025 decision can carry a
    2026 number. Demo data only: a real register is never renumbered. Does nothing when the
    numbers already follow the dates (a second load). Called once every part of the demo that
    decides something (treasury, governance, projects) is loaded; returns the number of entries."""
    entries = list(Decision.objects.exclude(register_number="").order_by("closed_at", "pk"))
    wanted: dict[int, str] = {}
    per_year: dict[int, int] = {}
    for decision in entries:
        assert decision.closed_at is not None
        year = timezone.localtime(decision.closed_at).year
        per_year[year] = per_year.get(year, 0) + 1
        wanted[decision.pk] = f"{year}-{per_year[year]:03d}"
    if all(decision.register_number == wanted[decision.pk] for decision in entries):
        return len(entries)
    with transaction.atomic():
        # Out of the way first: the numbers are unique.
        for decision in entries:
            Decision.objects.filter(pk=decision.pk).update(register_number=f"tmp-{decision.pk}")
        for decision in entries:
            Decision.objects.filter(pk=decision.pk).update(register_number=wanted[decision.pk])
    return len(entries)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Loader:
    def __init__(self, summary: GovernanceSummary, coordinator: User) -> None:
        self.summary = summary
        self.coordinator = coordinator
        self.today = timezone.localdate()

    def run(self) -> None:
        assembly = self._body(
            Body.Kind.GENERAL_ASSEMBLY,
            ASSEMBLY_NAME,
            quorum=25,
            description="Chaque organisation membre active y dispose d'une voix, exprimée par l'un de ses "
            "référents. Quorum : le quart des organisations membres ; majorité simple des votes exprimés.",
        )
        board = self._body(
            Body.Kind.BOARD,
            BOARD_NAME,
            quorum=50,
            description="Élu par l'assemblée générale pour deux ans ; prépare le budget et les appels à projets.",
        )
        self._board_seats(board)
        self._assembly_proposal(
            assembly,
            ACCOUNTS_2025,
            category=Decision.Category.BUDGET,
            opened=self.today - dt.timedelta(days=62),
            closed=self.today - dt.timedelta(days=48),
            text="L'assemblée générale approuve les comptes de l'exercice 2025 (résultat excédentaire de "
            "4 812 €) et affecte l'excédent au fonds de la trésorerie solidaire.",
            reasons="Rapport financier présenté par le trésorier ; avis favorable de la commissaire aux comptes.",
            skip_every=5,
        )
        self._assembly_proposal(
            assembly,
            RULE_CHANGE,
            category=Decision.Category.RULE_CHANGE,
            opened=self.today - dt.timedelta(days=62),
            closed=self.today - dt.timedelta(days=48),
            text="L'article 6 du règlement intérieur est complété : les structures de moins de deux salariés "
            "peuvent demander une cotisation solidaire réduite de moitié.",
            reasons="Adoptée pour faciliter l'adhésion des petites associations de vallée.",
            skip_every=4,
        )
        self._priority_poll(assembly)
        self._board_budget(board)

    # --- Bodies

    def _body(self, kind: str, name: str, *, quorum: int, description: str) -> Body:
        body = Body.objects.filter(kind=kind, name=name).first()
        if body is None:
            body = services.body_create(
                actor=self.coordinator,
                kind=kind,
                name=name,
                quorum_percent=quorum,
                majority=Body.Majority.SIMPLE,
                description=description,
            )
            self.summary.bodies_created += 1
        return body

    def _admin(self, organisation: Organisation) -> User | None:
        """The member admin who casts the organisation's vote: the demo login for its association."""
        admins = User.objects.filter(
            affiliations__organisation=organisation, affiliations__role=Affiliation.Role.ADMIN, is_active=True
        )
        return admins.filter(email=MEMBER_ADMIN).first() or admins.order_by("pk").first()

    def _members(self, day: dt.date) -> list[tuple[Organisation, User]]:
        """The member organisations active on the day that have a member admin, by name."""
        result = []
        for organisation in services.assembly_members(day).order_by("sort_name", "pk"):
            admin = self._admin(organisation)
            if admin is not None:
                result.append((organisation, admin))
        return result

    def _board_seats(self, board: Body) -> None:
        if board.members.exists():
            return
        roles = ("Présidente", "Trésorier", "Secrétaire", "Administratrice", "Administrateur", "Administratrice")
        members = self._members(BOARD_SINCE)
        for (organisation, person), role in zip(members[::4], roles, strict=False):
            services.seat_add(
                actor=self.coordinator,
                body=board,
                person=person,
                organisation=organisation,
                role=role,
                starts_on=BOARD_SINCE,
            )
            self.summary.seats_created += 1

    def _exists(self, body: Body, title: str) -> bool:
        return Decision.objects.filter(body=body, title=title).exists()

    # --- Decisions

    def _assembly_proposal(
        self,
        assembly: Body,
        title: str,
        *,
        category: str,
        opened: dt.date,
        closed: dt.date,
        text: str,
        reasons: str,
        skip_every: int,
    ) -> None:
        if self._exists(assembly, title):
            return
        decision = services.decision_open(
            actor=self.coordinator, body=assembly, title=title, text=text, category=category, now=_at(opened, 18)
        )
        self.summary.decisions_created += 1
        for n, (organisation, admin) in enumerate(self._members(opened)):
            if n % skip_every == skip_every - 1:
                continue  # did not take part
            choice = Vote.Choice.AGAINST if n % 7 == 3 else Vote.Choice.ABSTAIN if n % 9 == 5 else Vote.Choice.FOR
            services.vote_cast(
                actor=admin,
                decision=decision,
                organisation=organisation,
                choice=choice,
                now=_at(opened + dt.timedelta(days=1 + n % 10), 9 + n % 10),
            )
            self.summary.votes_created += 1
        services.decision_close(actor=self.coordinator, decision=decision, reasons=reasons, on=_at(closed, 20))

    def _priority_poll(self, assembly: Body) -> None:
        if self._exists(assembly, PRIORITY_THEME):
            return
        opened = self.today - dt.timedelta(days=4)
        decision = services.decision_open(
            actor=self.coordinator,
            body=assembly,
            title=PRIORITY_THEME,
            text="Classez les thèmes, du plus au moins prioritaire pour votre structure (vous pouvez n'en classer "
            "que certains). Le thème qui totalise le plus de points (méthode de Borda) orientera l'appel à "
            "projets 2027.",
            kind=Decision.Kind.RANKED,
            options=list(PRIORITY_THEMES),
            category=Decision.Category.PROJECT,
            closes_at=_at(self.today + dt.timedelta(days=12), 20),
            now=_at(opened, 9),
        )
        self.summary.decisions_created += 1
        options = list(decision.options.values_list("pk", flat=True))
        voted_on = min(self.today, opened + dt.timedelta(days=2))
        for n, (organisation, admin) in enumerate(self._members(opened)):
            if organisation.name == ASSOCIATION_WITH_DEMO_LOGINS or n % 2:
                continue  # the demo's member admin has not voted yet; half the members have not either
            # A ranking that varies from member to member; mobility and short supply chains lead.
            order = [options[(n // 2 + k) % 2] for k in range(2)] + options[2 + n % 3 :] + options[2 : 2 + n % 3]
            ranked = order[: 3 + n % 3]
            services.vote_cast(
                actor=admin,
                decision=decision,
                organisation=organisation,
                preferences={option: rank for rank, option in enumerate(ranked, start=1)},
                now=_at(voted_on, 10) + dt.timedelta(minutes=7 * n),
            )
            self.summary.votes_created += 1

    def _board_budget(self, board: Body) -> None:
        if self._exists(board, BUDGET_2027):
            return
        opened = self.today - dt.timedelta(days=25)
        decision = services.decision_open(
            actor=self.coordinator,
            body=board,
            title=BUDGET_2027,
            text="Le conseil adopte le budget prévisionnel 2027 (212 400 € de charges) à présenter à "
            "l'assemblée générale.",
            category=Decision.Category.BUDGET,
            now=_at(opened, 18),
        )
        self.summary.decisions_created += 1
        seats = list(services.current_seats(board.pk, opened).select_related("person").order_by("pk"))
        for n, seat in enumerate(seats[:-1]):  # the last member did not vote
            choice = Vote.Choice.ABSTAIN if n == 2 else Vote.Choice.FOR
            services.vote_cast(
                actor=seat.person, decision=decision, choice=choice, now=_at(opened, 19) + dt.timedelta(minutes=n)
            )
            self.summary.votes_created += 1
        services.decision_close(
            actor=self.coordinator,
            decision=decision,
            reasons="Budget équilibré ; la part des cotisations reste stable.",
            on=_at(opened + dt.timedelta(days=1), 21),
        )
