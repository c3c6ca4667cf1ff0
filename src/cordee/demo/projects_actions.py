"""Demo data of the review and the funded actions, after the calls for projects (demo/projects.py):
the fund for territorial actions endowed by the State and the Region; the closed call's eligible
applications scored by the members of its committee (never on their own organisation's); the
committee's decisions (up to four funded within the envelope, one not funded, with reasons); the
actions in progress with their agreements signed, milestones at various stages, tranches paid, an
interim report filed, indicators partly reached; the last one funded still has its agreement to sign.

Everything goes through the services, each in its own transaction, and nothing is done twice: a
second load finds the grants, scores, decisions and actions there and adds nothing. Without the
closed call (the calls' part of the demo not loaded), it loads nothing and says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q, Sum
from django.utils import timezone

from cordee.core.mail import silenced
from cordee.core.models import User
from cordee.governance import services as governance
from cordee.governance.models import Decision, Vote
from cordee.ledger.models import Transfer
from cordee.network.models import Affiliation
from cordee.projects import selectors_review
from cordee.projects.models import Action, Application, Call, Disbursement, Report, Score
from cordee.projects.services import actions as action_services
from cordee.projects.services import review as review_services

COORDINATOR_EMAIL = "animateur@demo.cordee.example"
TREASURER_EMAIL = "tresorier@demo.cordee.example"
# The closed call of demo/projects.py, found by its address when that module names it.
CLOSED_CALL_SLUG = "cooperations-territoriales-2026"

GRANTS = (
    # funder, reference, amount (cents), received days ago
    ("État — DREETS Provence-Alpes-Côte d'Azur (dispositif PTCE)", "DREETS-PTCE-05-01", 10_000_000, 150),
    ("Région Sud — fonds régional de l'ESS", "REGION-SUD-ESS-05-01", 3_000_000, 120),
)
FUNDED_AT_MOST = 4
REASONS_FUNDED = (
    "Le comité retient un projet solidement ancré sur le territoire, porté en coopération, au budget réaliste. "
    "Il demande un point d'étape à mi-parcours."
)
REASONS_REDUCED = (
    "Le comité retient le projet mais réduit l'aide : les dépenses de communication sont jugées élevées. "
    "Le plan de financement est à ajuster en conséquence."
)
REASONS_REJECTED = (
    "Le comité salue l'intention mais ne retient pas le projet : le plan de financement repose sur des "
    "cofinancements non encore sollicités et la coopération entre structures reste à construire. Une nouvelle "
    "candidature au prochain appel est encouragée."
)
# Marks of each scorer relative to an application's quality (0 to 5 before scaling to the grid).
QUALITY = (5, 4, 4, 3, 2, 3)
MILESTONES = (
    # title, share of the grant (%), due days from the signature
    ("Lancement et recrutement des participants", 40, 30),
    ("Mise en œuvre à mi-parcours", 40, 180),
    ("Bilan final et diffusion", 20, 330),
)
# Per funded action: when it was signed (share of the time from the decision to today, %), progress
# of each milestone, tranches paid (milestone indexes), an interim report, share of the indicators
# reached (%).
STAGES = (
    (10, (100, 60, 0), (0,), True, 60),
    (35, (100, 20, 0), (0,), False, 35),
    (70, (40, 0, 0), (), False, 10),
)


@dataclass
class ActionsSummary:
    created_rows: int = 0
    skipped: str = ""  # why nothing was loaded, if so
    grants_created: int = 0
    scores_created: int = 0
    decisions_created: int = 0
    actions_signed: int = 0
    disbursements_created: int = 0
    reports_created: int = 0
    actions: int = 0  # funded actions in the database, loaded now or before
    disbursed_cents: int = 0  # paid to them from the fund, net of reversals

    @property
    def created(self) -> int:
        return self.created_rows


def closed_call() -> Call | None:
    """The demo's closed call: by its address, else the latest published call closed with eligible applications."""
    call = Call.objects.filter(slug=CLOSED_CALL_SLUG).first()
    if call is not None:
        return call
    today = timezone.localdate()
    return (
        Call.objects.filter(state=Call.State.PUBLISHED, closes_on__lt=today)
        .filter(applications__status__in=selectors_review.REVIEWED)
        .distinct()
        .order_by("-closes_on", "pk")
        .first()
    )


def load_project_actions() -> ActionsSummary:
    """Load whatever of this part of the demo is missing. Call it outside any transaction."""
    summary = ActionsSummary()
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    treasurer = User.objects.filter(email=TREASURER_EMAIL).first()
    call = closed_call()
    if coordinator is None or treasurer is None:
        summary.skipped = "the demo's coordinator and treasurer are missing"
        return summary
    if call is None:
        summary.skipped = "no closed call for projects with eligible applications"
        return summary
    with silenced():
        _Loader(summary, call, coordinator, treasurer).run()
    summary.created_rows = (
        summary.grants_created
        + summary.scores_created
        + summary.decisions_created
        + summary.actions_signed
        + summary.disbursements_created
        + summary.reports_created
    )
    summary.actions = Action.objects.count()
    summary.disbursed_cents = Disbursement.objects.aggregate(total=Sum("amount_cents"))["total"] or 0
    return summary


class _Loader:
    def __init__(self, summary: ActionsSummary, call: Call, coordinator: User, treasurer: User) -> None:
        self.summary = summary
        self.call = call
        self.coordinator = coordinator
        self.treasurer = treasurer
        self.today = timezone.localdate()
        self.now = timezone.now()
        # The review's days: after the call closed and once every current seat was held, at the
        # latest a few hours ago.
        seats = governance.current_seats(call.committee_id)
        start = max([call.closes_on + dt.timedelta(days=1), *(seat.starts_on for seat in seats)])
        if start + dt.timedelta(days=4) <= self.today:
            self.scored_at, self.opened_at = _at(start, 9), _at(start + dt.timedelta(days=1), 10)
            self.voted_at, self.decided_at = (
                _at(start + dt.timedelta(days=2), 11),
                _at(start + dt.timedelta(days=4), 17),
            )
        else:
            hours = [self.now - dt.timedelta(hours=n) for n in (4, 3, 2, 1)]
            self.scored_at, self.opened_at, self.voted_at, self.decided_at = hours
        self.decided_on = timezone.localdate(self.decided_at)

    def run(self) -> None:
        self._grants()
        self._scores()
        self._decisions()
        for index, action in enumerate(
            Action.objects.filter(application__call=self.call).select_related("application").order_by("number")
        ):
            if index < len(STAGES):
                self._follow(action, STAGES[index])

    # --- The fund

    def _grants(self) -> None:
        for funder, reference, amount, days_ago in GRANTS:
            if Transfer.objects.filter(code="projects.fund.endow", reference=reference).exists():
                continue
            action_services.fund_endow(
                actor=self.treasurer,
                amount_cents=amount,
                funder=funder,
                reference=reference,
                received_on=min(self.today - dt.timedelta(days=days_ago), self.decided_on),
            )
            self.summary.grants_created += 1

    # --- Scores

    def _eligible(self) -> list[Application]:
        return list(
            Application.objects.filter(call=self.call, status__in=selectors_review.REVIEWED)
            .select_related("call", "organisation")
            .order_by("number", "pk")
        )

    def _scores(self) -> None:
        criteria = list(self.call.criteria.all())
        seats = list(governance.current_seats(self.call.committee_id).select_related("person").order_by("pk"))
        if not criteria or not seats:
            return
        for index, application in enumerate(self._eligible()):
            if application.status != Application.Status.ELIGIBLE or application.decision_id is not None:
                continue
            quality = QUALITY[index % len(QUALITY)]
            for seat_index, seat in enumerate(seats):
                person = seat.person
                if review_services.conflict_of(person, application) is not None:
                    continue
                if Score.objects.filter(application=application, scorer=person).exists():
                    continue
                marks = {
                    criterion.pk: self._mark(quality, seat_index + position)
                    for position, criterion in enumerate(criteria)
                }
                review_services.score_set(
                    actor=person,
                    application=application,
                    scores=marks,
                    comments={criteria[0].pk: "Bon ancrage local."} if quality >= 4 else {},
                    now=self.scored_at,
                )
                self.summary.scores_created += len(marks)

    def _mark(self, quality: int, spread: int) -> int:
        """A mark around the application's quality (one up or down), scaled to the call's grid."""
        raw = max(0, min(5, quality + (spread % 3) - 1))
        return (raw * self.call.score_max + 2) // 5

    # --- Decisions

    def _decisions(self) -> None:
        applications = self._eligible()
        if any(a.status != Application.Status.ELIGIBLE for a in applications):
            self._finish_open(applications)
            return
        board = selectors_review.review_board(self.call)
        ranked = [row.application for row in board.ranked if row.score is not None]
        if len(ranked) < 2:
            return
        funded: list[Application] = []
        total = 0
        for application in ranked[:-1]:
            if len(funded) == FUNDED_AT_MOST or total + application.requested_cents > self.call.envelope_cents:
                break
            funded.append(application)
            total += application.requested_cents
        for position, application in enumerate(funded):
            reduced = position == len(funded) - 1 and len(funded) > 2
            granted = application.requested_cents * 8 // 10 // 10_000 * 10_000 if reduced else None
            self._decide(application, Vote.Choice.FOR, granted, REASONS_REDUCED if reduced else REASONS_FUNDED)
        self._decide(ranked[-1], Vote.Choice.AGAINST, None, REASONS_REJECTED)

    def _finish_open(self, applications: list[Application]) -> None:
        """A previous load stopped between a vote opened and its decision: finish it the same way."""
        for application in applications:
            decision = application.decision
            opened = decision is not None and decision.status == Decision.Status.OPEN
            if application.status == Application.Status.ELIGIBLE and opened:
                self._decide(application, Vote.Choice.FOR, None, REASONS_FUNDED)

    def _decide(self, application: Application, choice: str, granted: int | None, reasons: str) -> None:
        if application.decision_id is None:
            review_services.application_put_to_vote(
                actor=self.coordinator, application=application, proposed_cents=granted, now=self.opened_at
            )
            application.refresh_from_db()
        decision = application.decision
        assert decision is not None
        voted = set(Vote.objects.filter(decision=decision).values_list("seat_id", flat=True))
        for seat in governance.entitled_seats(decision).select_related("person"):
            if seat.pk not in voted:
                governance.vote_cast(actor=seat.person, decision=decision, choice=choice, now=self.voted_at)
        review_services.application_decide(
            actor=self.coordinator, application=application, granted_cents=granted, reasons=reasons, now=self.decided_at
        )
        self.summary.decisions_created += 1

    # --- The actions

    def _lead_person(self, application: Application) -> User:
        affiliated = Affiliation.objects.filter(organisation_id=application.organisation_id)
        if affiliated.filter(person=application.contact).exists():
            return application.contact
        found = affiliated.select_related("person").order_by("-role", "pk").first()
        return found.person if found is not None else self.coordinator

    def _follow(self, action: Action, stage: tuple[int, tuple[int, ...], tuple[int, ...], bool, int]) -> None:
        signed_share, progress, paid, report, reached_percent = stage
        application = action.application
        span = (self.today - self.decided_on).days
        signed_on = self.decided_on + dt.timedelta(days=span * signed_share // 100)
        if action.status == Action.Status.AGREEMENT:
            if not action.milestones.exists():
                shares = [share for _, share, _ in MILESTONES]
                amounts = [action.granted_cents * share // 100 for share in shares]
                amounts[-1] = action.granted_cents - sum(amounts[:-1])
                action_services.milestones_set(
                    actor=self.coordinator,
                    action=action,
                    milestones=[
                        action_services.MilestoneIn(
                            title=title, due_on=signed_on + dt.timedelta(days=days), tranche_cents=amount
                        )
                        for (title, _, days), amount in zip(MILESTONES, amounts, strict=True)
                    ],
                )
            action = action_services.action_sign(
                actor=self.coordinator,
                action=action,
                signed_on=signed_on,
                signed_by=f"{self._lead_person(application).full_name}, pour {application.organisation.name}",
            )
            self.summary.actions_signed += 1
        if action.status != Action.Status.IN_PROGRESS:
            return
        person = self._lead_person(action.application)
        milestones = list(action.milestones.order_by("position", "pk"))
        for milestone, value in zip(milestones, progress, strict=False):
            if milestone.progress == 0 and value:
                action_services.milestone_progress(
                    actor=person, milestone=milestone, progress=value, note=_progress_note(value)
                )
        for index in paid:
            milestone = milestones[index]
            if milestone.disbursements.exists():
                continue
            action_services.disbursement_create(
                actor=self.treasurer,
                action=action,
                milestone=milestone,
                amount_cents=milestone.tranche_cents,
                paid_on=min(self.today, signed_on + dt.timedelta(days=max(1, span // 10))),
                reference=f"VIR-{action.number}-{index + 1}",
            )
            self.summary.disbursements_created += 1
        if report and not action.reports.exists():
            action_services.report_upload(
                actor=person,
                action=action,
                kind=Report.Kind.INTERIM,
                title="Rapport d'étape",
                file=SimpleUploadedFile("rapport-etape.pdf", _report_pdf(action), content_type="application/pdf"),
                note="Premier bilan : participants recrutés, premiers ateliers tenus.",
            )
            self.summary.reports_created += 1
        for indicator in action.application.indicators.filter(Q(reached__isnull=True)):
            action_services.indicator_reach(
                actor=person,
                indicator=indicator,
                reached=indicator.planned * reached_percent // 100,
                note=f"Au {self.today:%d/%m/%Y}",
            )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _progress_note(value: int) -> str:
    if value >= 100:
        return "Étape atteinte."
    if value >= 50:
        return "En bonne voie."
    return "Démarrage."


def _report_pdf(action: Action) -> bytes:
    """A one-page interim report, drawn here so the demo carries a real PDF."""
    import weasyprint

    application = action.application
    html = (
        "<html lang='fr'><body style='font-family: sans-serif'>"
        f"<h1>Rapport d'étape — {application.title}</h1>"
        f"<p>Convention {action.number}, {application.organisation.name}.</p>"
        "<p>Les participants sont recrutés et les premiers ateliers se sont tenus. Le calendrier est tenu ; "
        "la deuxième étape a commencé.</p></body></html>"
    )
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf
