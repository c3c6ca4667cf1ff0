"""The demo hub's solidarity treasury: a pool, its deposits and advances, and members' cash-flow plans.

Unlike the rest of the demo, it goes through the treasury's own services, so that every euro has
its ledger transfers and `cordee verify_ledger` holds: the hub's fund and twelve members' deposits,
advances in every state (awaiting the committee, approved, refused, being repaid, repaid, late in
each ageing bucket, rescheduled, written off), provisions, reminders, and three cash-flow plans, one
of them heading for a crunch. The credit committee sits five people of the demo's members, the
demo's committee login among them; the treasurer's and the member admins' logins act where the
services want them to.

The services are each one durable transaction, so this runs after the rest of the demo has
committed, never inside its transaction; a load is therefore not all-or-nothing. It is idempotent
on its own: once the hub's fund is in the pool, it does nothing (a load that stopped halfway is
said so, rather than half-repeated).

Dates are laid out around the day it runs. The services stamp a request, a vote and a decision
with the moment they run; the demo then moves those timestamps (never an amount, a date of the
ledger or a schedule) back to its story's dates, so that an advance paid out a year ago was not
requested this morning. References keep the year of the load (AV-2026-0001 for an advance of
2025): they are in the ledger's pieces, and the demo does not rewrite them.

Its e-mails (decisions, disbursements, reminders) go through the configured backend, as the
services send them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from cordee.core import permissions
from cordee.core.mail import silenced
from cordee.core.models import User
from cordee.demo.data import ASSOCIATION_WITH_DEMO_LOGINS, COOPERATIVE_OF_THE_COMMITTEE_MEMBER
from cordee.governance import services as governance
from cordee.governance.models import Body, BodyMember, Decision
from cordee.ledger.models import Transfer
from cordee.lib.text import fold
from cordee.network.models import Affiliation, Organisation
from cordee.treasury import books, cashplans, services
from cordee.treasury.models import Advance, CashPlan, CashPlanLine, Deposit, Instalment, RepaymentMode
from cordee.treasury.positions import current_schedule, position

COORDINATOR = "animateur@demo.cordee.example"
TREASURER = "tresorier@demo.cordee.example"
COMMITTEE_MEMBER = "comite@demo.cordee.example"

# --- The pool's settings --------------------------------------------------------------------------

# The TMO is the monthly average of the 10-year TEC plus 0.25 point (Banque de France); the TEC 10
# stood near 3.5 % in 2025 and early 2026, so a TMO near 3.75 %. A half-year's TMO is published
# after it ends: on a load in late 2026 the latest is the first half's.
RATE_CAP_BPS = 375
RATE_CAP_SOURCE = (
    "TMO du 1er semestre 2026 (Banque de France : moyenne des TEC 10 + 0,25 point) — valeur de démonstration"
)
# Crédit Coopératif's bank code (42559) and BIC, an invented account; the RIB key and the IBAN
# check digits are right (schwifty `IBAN.generate`), so the SEPA files validate.
POOL_IBAN = "FR7642559100000800392765146"
POOL_BIC = "CCOPFRPPXXX"
# FR, ISO 7064 key, ZZZ, an invented national identifier (`stdnum.eu.at_02` validates it).
POOL_CREDITOR_IDENTIFIER = "FR95ZZZ4C7B21"
APPROVAL_VALIDITY_DAYS = 60
SETTINGS: dict[str, object] = {
    "regime": "nonprofit",
    "rate_cap_bps": RATE_CAP_BPS,
    "rate_cap_source": RATE_CAP_SOURCE,
    "default_rate_bps": 0,
    "liquidity_reserve_percent": 20,
    "member_exposure_cap_cents": 3_000_000,
    "concentration_cap_percent": 35,
    "min_membership_days": 180,
    "approval_validity_days": APPROVAL_VALIDITY_DAYS,
    "reminder_days": "5,15,30,60,90",
    "iban": POOL_IBAN,
    "bic": POOL_BIC,
    "creditor_identifier": POOL_CREDITOR_IDENTIFIER,
}

COMMITTEE_NAME = "Comité d'engagement"
COMMITTEE_SINCE = dt.date(2024, 6, 20)  # the day the members' assembly elected it
# (person, organisation they sit for, role): members of the demo's organisations; the demo's
# committee login first. The présidente of Cimes pour tous is recused on its advance.
COMMITTEE_SEATS = (
    (COMMITTEE_MEMBER, COOPERATIVE_OF_THE_COMMITTEE_MEMBER, "Membre"),
    ("marie-helene.dussert@example.org", "Fondation Alpes Solidaires", "Présidente du comité"),
    ("stephanie.rey@example.org", "Cap Ouvrage", "Membre"),
    ("patrick.ollivier@example.org", "Recyclerie du Buëch", "Membre, trésorier bénévole de la Recyclerie"),
    ("celine.garcin@example.org", "Cimes pour tous", "Membre"),
)

FUND_CENTS = 4_000_000
FUND_LABEL = "Fonds de dotation de la Région — trésorerie solidaire"
# Also the mark that the demo treasury is loaded: the fund's transfer id derives from it.
FUND_REFERENCE = "VIR REGION SUD DOTATION TRESORERIE SOLIDAIRE"
FUND_MONTHS_AGO = 13


# --- Deposits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoDeposit:
    organisation: str
    amount_cents: int
    received_months_ago: int | None  # None: proposed, awaiting the treasurer
    kind: str = Deposit.Kind.LOAN
    term_months: int | None = None  # the term, in months from the day of the load
    notice_days: int | None = None
    rate_bps: int = 0
    withdrawal_cents: int = 0
    withdrawal_requested_days_ago: int = 0
    withdrawal_paid: bool = False  # paid two days after the notice ran out


DEPOSITS = (
    DemoDeposit("Fondation Alpes Solidaires", 4_000_000, 14, term_months=24),
    DemoDeposit(
        "Le Relais des Cimes",
        800_000,
        13,
        notice_days=30,
        withdrawal_cents=300_000,
        withdrawal_requested_days_ago=120,
        withdrawal_paid=True,
    ),
    DemoDeposit("Présence Montagne", 2_500_000, 11, notice_days=90),
    DemoDeposit("Théâtre du Faubourg", 500_000, 10, kind=Deposit.Kind.RETURNABLE),
    DemoDeposit("Épicerie solidaire du Champsaur", 300_000, 10, kind=Deposit.Kind.RETURNABLE, notice_days=90),
    DemoDeposit("Centre social rural du Rosanais", 1_500_000, 8, term_months=18),
    DemoDeposit("Radio Durance Montagne", 200_000, 7, kind=Deposit.Kind.RETURNABLE),
    # A withdrawal whose notice has run: the treasurer's to pay.
    DemoDeposit(
        "Recyclerie du Buëch", 1_000_000, 6, notice_days=60, withdrawal_cents=400_000, withdrawal_requested_days_ago=75
    ),
    DemoDeposit("Maison des jeunes et de la culture du Laragnais", 1_200_000, 5, term_months=24, rate_bps=50),
    DemoDeposit("Graines de Montagne", 600_000, 3, notice_days=60),
    DemoDeposit("Compagnie des accompagnateurs du Dévoluy", 500_000, 2, term_months=12),
    # Its board has approved it and the money is announced: the treasurer's to confirm.
    DemoDeposit("Fondation Mémoire des alpages", 2_000_000, None, term_months=36),
)

# Each depositor's net available cash on 1 January of the load's year; the year before, 90 % of it.
# Under CMF L511-6 1° bis a lender commits at most half of it in a year.
NET_AVAILABLE_CASH = {
    "Fondation Alpes Solidaires": 26_000_000,
    "Le Relais des Cimes": 3_000_000,
    "Présence Montagne": 18_000_000,
    "Théâtre du Faubourg": 2_200_000,
    "Épicerie solidaire du Champsaur": 1_400_000,
    "Centre social rural du Rosanais": 6_000_000,
    "Radio Durance Montagne": 1_600_000,
    "Recyclerie du Buëch": 4_500_000,
    "Maison des jeunes et de la culture du Laragnais": 5_000_000,
    "Graines de Montagne": 2_500_000,
    "Compagnie des accompagnateurs du Dévoluy": 1_800_000,
    "Fondation Mémoire des alpages": 9_000_000,
}


# --- Advances ---------------------------------------------------------------------------------------


class Story(StrEnum):
    OPEN = "open"  # awaiting the committee; some of its members have voted
    APPROVED = "approved"  # approved this morning, not yet paid
    REFUSED = "refused"
    CURRENT = "current"  # paid out; every instalment due has been repaid
    REPAID = "repaid"
    LATE = "late"
    RESCHEDULED = "rescheduled"  # late, then a new schedule, repaid on time since
    WRITTEN_OFF = "written_off"  # late, provisioned, written off; a recovery since


@dataclass(frozen=True)
class DemoAdvance:
    organisation: str
    story: Story
    amount_cents: int
    purpose: str
    term_months: int
    mode: str
    source: str = Advance.Source.SUBSIDY
    funder: str = ""
    notified_cents: int | None = None
    funder_decision_days_ago: int = 60
    expected_in_days: int | None = None  # the subsidy's expected payment, from the day of the load
    granted_cents: int | None = None  # less than asked
    rate_bps: int = 0
    conditions: str = ""
    reasons: str = ""
    requested_days_ago: int = 0  # not paid out: when it was asked for
    disbursed_days_ago: int = 0
    # LATE: the instalments before `first_unpaid` were paid on their due dates and the first unpaid
    # one fell due `days_past_due` days ago (the disbursement date follows from it).
    # RESCHEDULED, WRITTEN_OFF: the instalments before `first_unpaid` were paid.
    first_unpaid: int = 0
    days_past_due: int = 0
    votes: tuple[str, ...] = ()  # OPEN: the votes cast so far; others: every vote (default: all for)
    partial_cents: int = 0  # LATE: a part payment since the first unpaid instalment
    partial_days_ago: int = 0
    fee_cents: int = 0  # LATE: a fee charged
    fee_label: str = ""
    fee_days_ago: int = 0
    repaid_days_ago: int = 0  # REPAID: the whole balance came in that day, ahead of the schedule
    rescheduled_days_ago: int = 0  # RESCHEDULED: a new schedule of equal principal over `new_term_months`
    new_term_months: int = 0
    note: str = ""  # RESCHEDULED, WRITTEN_OFF: why
    written_off_days_ago: int = 0
    recovery_cents: int = 0
    recovery_days_ago: int = 0

    def disbursed_on(self, today: dt.date) -> dt.date:
        if self.story == Story.LATE:
            return today - dt.timedelta(days=self.days_past_due) - relativedelta(months=self.first_unpaid)
        return today - dt.timedelta(days=self.disbursed_days_ago)


ANNUITY, BULLET, LINEAR = RepaymentMode.ANNUITY, RepaymentMode.BULLET, RepaymentMode.LINEAR
SALES, OTHER = Advance.Source.SALES, Advance.Source.OTHER

# The written-off advance comes first: a provision is booked for it on a past day, by a run of
# `provisions_update` that must meet no other advance being repaid.
ADVANCES = (
    DemoAdvance(
        "Vélo Alpin Solidaire",
        Story.WRITTEN_OFF,
        900_000,
        "Trésorerie du lancement de l'atelier mobile de réparation de vélos, remboursée sur les prestations "
        "vendues aux communes du Gapençais.",
        12,
        LINEAR,
        source=SALES,
        votes=("for", "for", "against", "for", "for"),
        disbursed_days_ago=365,
        first_unpaid=4,
        note="Perte du marché de la communauté de communes et arrêt de l'atelier mobile ; l'association est en "
        "sommeil. Le bureau s'engage à reverser le produit de la vente du matériel.",
        written_off_days_ago=92,
        recovery_cents=150_000,
        recovery_days_ago=31,
    ),
    DemoAdvance(
        ASSOCIATION_WITH_DEMO_LOGINS,
        Story.REPAID,
        800_000,
        "Achat des plants, semences et terreau de la saison de printemps, remboursé sur les ventes de paniers "
        "de légumes de l'été.",
        6,
        ANNUITY,
        source=SALES,
        disbursed_days_ago=335,
    ),
    DemoAdvance(
        "Crèche parentale Les Marmottes",
        Story.REPAID,
        900_000,
        "Avance sur la prestation de service unique (PSU) de la CAF des Hautes-Alpes : l'acompte de septembre "
        "est retardé par la signature de la nouvelle convention d'objectifs et de gestion.",
        6,
        BULLET,
        funder="Caisse d'allocations familiales des Hautes-Alpes",
        notified_cents=3_800_000,
        funder_decision_days_ago=200,
        expected_in_days=10,
        disbursed_days_ago=152,
        repaid_days_ago=21,
    ),
    DemoAdvance(
        "Épicerie solidaire du Champsaur",
        Story.RESCHEDULED,
        1_200_000,
        "Reconstitution du stock et remplacement de la chambre froide, en attendant l'aide alimentaire du "
        "Département des Hautes-Alpes et de la DDETS.",
        12,
        ANNUITY,
        funder="Département des Hautes-Alpes et DDETS des Hautes-Alpes",
        notified_cents=2_000_000,
        funder_decision_days_ago=300,
        expected_in_days=120,
        disbursed_days_ago=274,
        first_unpaid=4,
        rescheduled_days_ago=80,
        new_term_months=12,
        note="Comité d'engagement : deux échéances impayées après la baisse de fréquentation de l'été ; le "
        "reste dû est rééchelonné sur douze mois, amortissement constant.",
    ),
    DemoAdvance(
        "Cimes pour tous",
        Story.LATE,
        800_000,
        "Achat de deux fauteuils tout-terrain pour les sorties en montagne, en attendant l'aide de l'Agence "
        "nationale du sport (projet sportif fédéral) et la subvention FDVA 2.",
        8,
        LINEAR,
        funder="Agence nationale du sport et FDVA 2 (DRAJES Provence-Alpes-Côte d'Azur)",
        notified_cents=1_100_000,
        funder_decision_days_ago=250,
        expected_in_days=30,
        first_unpaid=2,
        days_past_due=150,
        partial_cents=20_000,
        partial_days_ago=60,
    ),
    DemoAdvance(
        "Théâtre du Faubourg",
        Story.LATE,
        1_200_000,
        "Avance sur l'aide à la création du Département des Hautes-Alpes pour « La Neige en août », en "
        "attendant le vote de la commission permanente.",
        8,
        LINEAR,
        funder="Département des Hautes-Alpes",
        notified_cents=1_600_000,
        funder_decision_days_ago=190,
        expected_in_days=60,
        granted_cents=1_000_000,
        votes=("for", "abstain", "for", "for", "for"),
        conditions="Accordée à hauteur de 10 000 € : le solde de la création est couvert par la coproduction.",
        first_unpaid=3,
        days_past_due=75,
    ),
    DemoAdvance(
        "Entraide paysanne alpine",
        Story.LATE,
        1_500_000,
        "Achat collectif d'une bétaillère et d'un broyeur à végétaux, en attendant la subvention LEADER du GAL "
        "Gapençais, dont les paiements ont plus d'un an de retard.",
        12,
        ANNUITY,
        funder="Union européenne, FEADER — programme LEADER du GAL Gapençais",
        notified_cents=2_400_000,
        funder_decision_days_ago=330,
        expected_in_days=120,
        rate_bps=100,
        first_unpaid=4,
        days_past_due=45,
        fee_cents=850,
        fee_label="Frais de lettre recommandée (relance)",
        fee_days_ago=20,
    ),
    DemoAdvance(
        "Le Fablab des Écrins",
        Story.LATE,
        600_000,
        "Achat d'une découpeuse laser et d'une imprimante 3D grand format, en attendant l'aide de la Région Sud "
        "aux tiers-lieux, versée sur factures acquittées.",
        10,
        LINEAR,
        funder="Région Sud — appel à projets « Tiers-lieux »",
        notified_cents=1_500_000,
        funder_decision_days_ago=200,
        expected_in_days=150,
        first_unpaid=5,
        days_past_due=12,
    ),
    DemoAdvance(
        "Radio Durance Montagne",
        Story.CURRENT,
        700_000,
        "Avance sur la subvention de fonctionnement du Fonds de soutien à l'expression radiophonique (FSER) "
        "2026, versée en une fois en fin d'exercice.",
        6,
        BULLET,
        funder="Ministère de la Culture — FSER",
        notified_cents=1_450_000,
        funder_decision_days_ago=90,
        expected_in_days=92,
        disbursed_days_ago=61,
    ),
    DemoAdvance(
        ASSOCIATION_WITH_DEMO_LOGINS,
        Story.CURRENT,
        1_000_000,
        "Préfinancement du solde FSE+ 2026 de l'atelier chantier d'insertion : le solde n'est versé qu'après "
        "le contrôle de service fait, douze à dix-huit mois après la fin de l'opération.",
        12,
        ANNUITY,
        funder="Fonds social européen (FSE+), par le Département des Hautes-Alpes",
        notified_cents=4_500_000,
        funder_decision_days_ago=240,
        expected_in_days=270,
        rate_bps=100,
        conditions="Remboursement mensuel sur les aides au poste, sans attendre le solde FSE+.",
        disbursed_days_ago=127,
    ),
    DemoAdvance(
        "Les Nuits du Queyras",
        Story.APPROVED,
        1_200_000,
        "Avance sur l'aide de la Région Sud aux festivals pour l'édition 2027 : les cachets et la location du "
        "chapiteau se paient avant le festival, l'aide est versée sur bilan.",
        6,
        BULLET,
        funder="Région Sud — aide aux festivals",
        notified_cents=1_800_000,
        funder_decision_days_ago=40,
        expected_in_days=150,
        requested_days_ago=16,
    ),
    DemoAdvance(
        "Maison du patrimoine du Valgaudemar",
        Story.REFUSED,
        600_000,
        "Trésorerie pour monter l'exposition d'été « Mémoires de la vallée » avant l'ouverture de la billetterie.",
        10,
        LINEAR,
        source=SALES,
        votes=("against", "against", "against", "for", "abstain"),
        reasons="Le remboursement repose sur une billetterie incertaine et l'association n'a pas encore clos un "
        "premier exercice. Le comité l'invite à revenir avec la notification de la DRAC attendue au printemps.",
        requested_days_ago=34,
    ),
    DemoAdvance(
        "Gîte associatif de la Clarée",
        Story.OPEN,
        2_000_000,
        "Préfinancement de la subvention LEADER (FEADER) du GAL Grand Briançonnais pour l'isolation et le "
        "chauffage au bois du gîte : l'aide européenne n'est versée que sur factures acquittées.",
        12,
        BULLET,
        funder="Union européenne, FEADER — programme LEADER du GAL Grand Briançonnais",
        notified_cents=3_200_000,
        funder_decision_days_ago=45,
        expected_in_days=300,
        votes=("for", "abstain"),
        requested_days_ago=6,
    ),
)


# --- Cash-flow plans ----------------------------------------------------------------------------------

MONTHS = 12


def _every(cents: int, months: range = range(MONTHS)) -> dict[int, int]:
    return dict.fromkeys(months, cents)


@dataclass(frozen=True)
class DemoPlanRow:
    category: str
    label: str
    amounts: dict[int, int]  # month index (0: the month of the load) -> cents
    funder: str = ""


@dataclass(frozen=True)
class DemoPlan:
    organisation: str
    opening_cash_cents: int
    rows: tuple[DemoPlanRow, ...]
    title: str = "Plan de trésorerie à douze mois"


C = CashPlanLine.Category
PLANS = (
    # Heading for a crunch: the salaries run ahead of the aid paid monthly until the Département's
    # convention comes in, in the sixth month; the cash is below zero in the third to fifth.
    DemoPlan(
        ASSOCIATION_WITH_DEMO_LOGINS,
        2_200_000,
        (
            DemoPlanRow(C.SALARIES, "Salaires et charges de l'atelier chantier d'insertion", _every(3_800_000)),
            # Paid every month by the ASP for the State, like a revenue: an "other inflow", so that the
            # plan's proposal looks for the Département's convention to end the gap, not this aid.
            DemoPlanRow(
                C.OTHER_IN, "Aide au poste d'insertion (ASP)", _every(2_600_000), funder="État — DDETS des Hautes-Alpes"
            ),
            DemoPlanRow(C.SALES, "Paniers de légumes et marchés", _every(750_000)),
            DemoPlanRow(C.RENT, "Loyer des serres et du local", _every(130_000)),
            DemoPlanRow(C.PURCHASES, "Semences, plants et carburant", _every(220_000)),
            DemoPlanRow(C.REPAYMENTS, "Avance de la trésorerie solidaire (FSE+)", _every(84_000, range(8))),
            DemoPlanRow(
                C.SUBSIDY,
                "Convention ACI 2027",
                {5: 9_000_000},
                funder="Département des Hautes-Alpes",
            ),
        ),
    ),
    DemoPlan(
        "Radio Durance Montagne",
        1_800_000,
        (
            DemoPlanRow(C.SALARIES, "Salaires et charges", _every(780_000)),
            DemoPlanRow(C.RENT, "Loyer du studio et de l'émetteur", _every(65_000)),
            DemoPlanRow(C.SALES, "Messages d'intérêt général et prestations", _every(320_000)),
            DemoPlanRow(C.FEES, "Adhésions et dons", _every(90_000)),
            DemoPlanRow(C.OTHER_IN, "Aides à l'emploi (Fonjep, parcours emploi compétences)", _every(250_000)),
            DemoPlanRow(C.SUBSIDY, "Subvention de fonctionnement 2026", {3: 1_450_000}, funder="FSER"),
            DemoPlanRow(C.REPAYMENTS, "Remboursement de l'avance de la trésorerie solidaire", {3: 700_000}),
            DemoPlanRow(C.SUBSIDY, "Radios associatives", {6: 1_200_000}, funder="Région Sud"),
            DemoPlanRow(C.SUBSIDY, "Éducation aux médias", {8: 600_000}, funder="Département des Hautes-Alpes"),
        ),
    ),
    DemoPlan(
        "Les Nuits du Queyras",
        900_000,
        (
            DemoPlanRow(C.SALARIES, "Salaire de la chargée de production", _every(260_000)),
            DemoPlanRow(C.FEES, "Adhésions et mécénat", _every(40_000)),
            DemoPlanRow(C.OTHER_IN, "Avance de la trésorerie solidaire", {1: 1_200_000}),
            DemoPlanRow(C.SUBSIDY, "Aide aux festivals", {5: 1_800_000}, funder="Région Sud"),
            DemoPlanRow(C.REPAYMENTS, "Remboursement de l'avance de la trésorerie solidaire", {5: 1_200_000}),
            DemoPlanRow(
                C.SUBSIDY, "Soutien à l'édition 2027", {3: 500_000}, funder="Communauté de communes du Guillestrois"
            ),
            DemoPlanRow(C.PURCHASES, "Communication et billetterie", {6: 150_000, 7: 150_000}),
            DemoPlanRow(C.RENT, "Location du chapiteau et technique", {7: 900_000}),
            DemoPlanRow(C.PURCHASES, "Cachets des artistes et techniciens intermittents", {8: 2_400_000}),
            DemoPlanRow(C.SALES, "Billetterie et buvette", {8: 3_800_000}),
        ),
    ),
)


# --- The loader ---------------------------------------------------------------------------------------


class DemoTreasuryError(Exception):
    """The demo treasury cannot be loaded as it stands (a previous load stopped halfway, a demo
    login is missing)."""


@dataclass
class TreasurySummary:
    deposits: int = 0  # in the treasury, created now or before
    advances: int = 0
    plans: int = 0
    people: int = 0  # people the treasury added to the demo (member admins it had to create)
    deposits_created: int = 0
    withdrawals_created: int = 0
    advances_created: int = 0
    repayments_created: int = 0
    plans_created: int = 0
    people_created: int = 0
    seats_created: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # advances by status

    @property
    def created(self) -> int:
        return (
            self.deposits_created
            + self.withdrawals_created
            + self.advances_created
            + self.repayments_created
            + self.plans_created
            + self.people_created
            + self.seats_created
        )


ADMIN_EMAIL = "tresorerie.{slug}@demo.cordee.example"
ADMIN_NAMES = ("Dominique Arnaud", "Claude Borel", "Camille Jouve", "Sacha Meffre", "Alix Reynaud")


def load_treasury() -> TreasurySummary:
    """Load the demo treasury unless it is there already. Call it outside any transaction, after
    the demo's organisations and logins have committed."""
    summary = TreasurySummary()
    started = Transfer.objects.filter(id=books.transfer_id("fund", FUND_REFERENCE, "receive")).exists()
    if not started:
        with silenced():  # the demo's people are not told of what the demo did in their name
            _Loader(summary).run()
    elif not CashPlan.objects.filter(organisation__name=PLANS[-1].organisation, title=PLANS[-1].title).exists():
        raise DemoTreasuryError(
            "A previous load of the demo treasury stopped halfway: the hub's fund is in the pool but the "
            "cash-flow plans are missing. Load the demo into a new database."
        )
    summary.deposits = Deposit.objects.count()
    summary.advances = Advance.objects.count()
    summary.plans = CashPlan.objects.count()
    summary.people = User.objects.filter(
        email__startswith="tresorerie.", email__endswith="@demo.cordee.example"
    ).count()
    summary.statuses = {status: Advance.objects.filter(status=status).count() for status in Advance.Status.values}
    return summary


class _Loader:
    def __init__(self, summary: TreasurySummary) -> None:
        self.summary = summary
        self.today = timezone.localdate()
        self.coordinator = self._login(COORDINATOR)
        self.treasurer = self._login(TREASURER)
        names = {entry.organisation for entry in (*DEPOSITS, *ADVANCES, *PLANS)}
        names |= {organisation for _email, organisation, _role in COMMITTEE_SEATS}
        self.organisations = {
            organisation.name: organisation for organisation in Organisation.objects.filter(name__in=names)
        }
        missing = sorted(names - set(self.organisations))
        if missing:
            raise DemoTreasuryError(f"Demo organisations missing: {', '.join(missing)}. Load the demo hub first.")
        self.admins: dict[str, User] = {}
        self.seats: list[BodyMember] = []

    def run(self) -> None:
        self._settings()
        services.pool_fund(
            actor=self.treasurer,
            amount_cents=FUND_CENTS,
            received_on=self.today - relativedelta(months=FUND_MONTHS_AGO),
            label=FUND_LABEL,
            reference=FUND_REFERENCE,
        )
        self._declarations()
        for deposit in DEPOSITS:
            self._deposit(deposit)
        for advance in ADVANCES:
            self._advance(advance)
        services.provisions_update(on=self.today)
        services.reminders_send(on=self.today)
        for plan in PLANS:
            self._plan(plan)

    # --- People

    def _login(self, email: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            raise DemoTreasuryError(f"The demo login {email} is missing. Load the demo hub first.")
        return user

    def _admin(self, name: str) -> User:
        """A member admin of the organisation: the one it has (the demo's login first), or one made
        for its treasury."""
        if name in self.admins:
            return self.admins[name]
        organisation = self.organisations[name]
        admins = User.objects.filter(
            affiliations__organisation=organisation, affiliations__role=Affiliation.Role.ADMIN, is_active=True
        )
        admin = admins.filter(email__endswith="@demo.cordee.example").first() or admins.order_by("pk").first()
        if admin is None:
            email = ADMIN_EMAIL.format(slug=organisation.slug)
            admin = User.objects.filter(email=email).first()
            if admin is None:
                full_name = ADMIN_NAMES[organisation.pk % len(ADMIN_NAMES)]
                admin = User.objects.create_user(email=email, full_name=full_name, password=None)
                self.summary.people_created += 1
            Affiliation.objects.get_or_create(
                person=admin,
                organisation=organisation,
                defaults={"role": Affiliation.Role.ADMIN, "position": "Trésorier·e"},
            )
            permissions.forget_actor(admin)
        self.admins[name] = admin
        return admin

    # --- Settings and committee

    def _settings(self) -> None:
        committee = Body.objects.filter(kind=Body.Kind.COMMITTEE, name=COMMITTEE_NAME).first()
        if committee is None:
            committee = governance.body_create(
                actor=self.coordinator,
                kind=Body.Kind.COMMITTEE,
                name=COMMITTEE_NAME,
                quorum_percent=50,
                majority=Body.Majority.SIMPLE,
                description="Décide des avances de la trésorerie solidaire. Ses membres qui siègent pour "
                "l'organisation qui demande ne votent pas.",
            )
        for email, organisation, role in COMMITTEE_SEATS:
            person = self._login(email)
            seat = governance.current_seats(committee.pk, COMMITTEE_SINCE).filter(person=person).first()
            if seat is None:
                seat = governance.seat_add(
                    actor=self.coordinator,
                    body=committee,
                    person=person,
                    organisation=self.organisations[organisation],
                    role=role,
                    starts_on=COMMITTEE_SINCE,
                )
                self.summary.seats_created += 1
            self.seats.append(seat)
        services.treasury_settings_update(
            actor=self.coordinator, committee=committee, account_holder=settings.HUB_NAME[:70], **SETTINGS
        )

    # --- Deposits

    def _received_on(self, deposit: DemoDeposit) -> dt.date | None:
        if deposit.received_months_ago is None:
            return None
        return self.today - relativedelta(months=deposit.received_months_ago)

    def _declarations(self) -> None:
        """Each depositor's net available cash on 1 January, for the load's year and each year it
        lent in, declared in January (before its first deposit of the year)."""
        for name, cents in NET_AVAILABLE_CASH.items():
            received = [day for d in DEPOSITS if d.organisation == name and (day := self._received_on(d))]
            for year in sorted({self.today.year, *(day.year for day in received)}):
                first = min([day for day in received if day.year == year] + [self.today])
                services.cash_declaration_set(
                    actor=self._admin(name),
                    organisation=self.organisations[name],
                    year=year,
                    net_available_cash_cents=cents if year == self.today.year else cents * 9 // 10 // 10_000 * 10_000,
                    declared_on=min(dt.date(year, 1, 15), first),
                )

    def _deposit(self, entry: DemoDeposit) -> None:
        organisation = self.organisations[entry.organisation]
        received_on = self._received_on(entry)
        board_on = (received_on or self.today) - dt.timedelta(days=25)
        slug = organisation.slug
        loan = entry.kind == Deposit.Kind.LOAN
        deposit = services.deposit_propose(
            actor=self._admin(entry.organisation),
            organisation=organisation,
            amount_cents=entry.amount_cents,
            kind=entry.kind,
            term_date=self.today + relativedelta(months=entry.term_months) if entry.term_months else None,
            notice_days=entry.notice_days,
            rate_bps=entry.rate_bps,
            board_approved_on=board_on,
            board_minute=_pdf_file(
                f"pv-conseil-{slug[:50]}.pdf",
                f"Procès-verbal du conseil d'administration — {organisation.name}",
                [
                    f"Séance du {board_on:%d/%m/%Y}.",
                    f"Le conseil approuve un {'apport en trésorerie' if loan else 'apport avec droit de reprise'} "
                    f"de {entry.amount_cents // 100} euros à la trésorerie solidaire de {settings.HUB_NAME}.",
                    "Document de démonstration.",
                ],
            ),
            attestation=_pdf_file(
                f"attestation-{slug[:50]}.pdf",
                f"Attestation de l'expert-comptable — {organisation.name}",
                [
                    "L'apport respecte la limite de la moitié de la trésorerie nette disponible au 1er janvier.",
                    "Document de démonstration.",
                ],
            )
            if loan
            else None,
        )
        self.summary.deposits_created += 1
        proposed_on = board_on + dt.timedelta(days=5)
        Deposit.objects.filter(pk=deposit.pk).update(proposed_at=_at(proposed_on, 10))
        if received_on is None:
            return
        deposit = services.deposit_confirm(
            actor=self.treasurer,
            deposit=deposit,
            received_on=received_on,
            bank_reference=f"VIR SEPA {fold(organisation.name).upper()[:60]} {deposit.reference}",
        )
        if not entry.withdrawal_cents:
            return
        requested_on = self.today - dt.timedelta(days=entry.withdrawal_requested_days_ago)
        withdrawal = services.withdrawal_request(
            actor=self._admin(entry.organisation),
            deposit=deposit,
            amount_cents=entry.withdrawal_cents,
            requested_on=requested_on,
        )
        self.summary.withdrawals_created += 1
        if entry.withdrawal_paid:
            services.withdrawal_pay(
                actor=self.treasurer, withdrawal=withdrawal, paid_on=withdrawal.payable_on + dt.timedelta(days=2)
            )

    # --- Advances

    def _advance(self, entry: DemoAdvance) -> None:
        paid_out = entry.story not in (Story.OPEN, Story.APPROVED, Story.REFUSED)
        disbursed_on = entry.disbursed_on(self.today) if paid_out else None
        requested_on = (
            disbursed_on - dt.timedelta(days=24)
            if disbursed_on
            else self.today - dt.timedelta(days=entry.requested_days_ago)
        )
        organisation = self.organisations[entry.organisation]
        subsidy = entry.source == Advance.Source.SUBSIDY
        advance = services.advance_request(
            actor=self._admin(entry.organisation),
            organisation=organisation,
            amount_cents=entry.amount_cents,
            purpose=entry.purpose,
            source=entry.source,
            term_months=entry.term_months,
            mode=entry.mode,
            funder=entry.funder,
            notified_amount_cents=entry.notified_cents,
            funder_decision_on=requested_on - dt.timedelta(days=entry.funder_decision_days_ago) if subsidy else None,
            expected_payment_on=self.today + dt.timedelta(days=entry.expected_in_days)
            if entry.expected_in_days is not None
            else None,
            notification=_pdf_file(
                f"notification-{organisation.slug[:50]}.pdf",
                f"Notification de subvention — {organisation.name}",
                [
                    entry.funder,
                    f"Montant attribué : {(entry.notified_cents or 0) // 100} euros.",
                    "Document de démonstration.",
                ],
            )
            if subsidy
            else None,
        )
        self.summary.advances_created += 1
        assert advance.decision is not None
        decision = advance.decision
        Advance.objects.filter(pk=advance.pk).update(requested_at=_at(requested_on, 9))
        Decision.objects.filter(pk=decision.pk).update(opens_at=_at(requested_on, 9))
        if entry.story == Story.OPEN:
            self._votes(decision, entry.votes, requested_on + dt.timedelta(days=2), skip=self._login(COMMITTEE_MEMBER))
            return
        if disbursed_on is not None:
            decided_on = disbursed_on - dt.timedelta(days=10)
        elif entry.story == Story.APPROVED:
            decided_on = self.today
        else:
            decided_on = requested_on + dt.timedelta(days=14)
        self._votes(decision, entry.votes or ("for",) * len(self.seats), decided_on - dt.timedelta(days=1))
        advance = services.advance_decide(
            actor=self.treasurer,
            advance=advance,
            amount_cents=entry.granted_cents,
            rate_bps=entry.rate_bps,
            conditions=entry.conditions,
            reasons=entry.reasons,
        )
        if decided_on != self.today:
            # Only for the refusal and the advances paid out since: the reservation of the one
            # still approved lapses the validity after the moment it was really made.
            Decision.objects.filter(pk=decision.pk).update(closed_at=_at(decided_on, 18))
            if advance.status == Advance.Status.APPROVED:
                Advance.objects.filter(pk=advance.pk).update(approved_on=decided_on)
        if disbursed_on is None:
            return
        advance = services.advance_disburse(actor=self.treasurer, advance=advance, on=disbursed_on)
        Advance.objects.filter(pk=advance.pk).update(
            approval_expires_at=_at(decided_on, 18) + dt.timedelta(days=APPROVAL_VALIDITY_DAYS)
        )
        self._repayments(advance, entry)

    def _votes(self, decision: Decision, choices: tuple[str, ...], on: dt.date, skip: User | None = None) -> None:
        """The committee's votes, one per seat not recused (and not `skip`'s), in the seats' order."""
        concerned = set(decision.concerned.values_list("pk", flat=True))
        entitled = [
            seat
            for seat in self.seats
            if seat.organisation_id not in concerned and (skip is None or seat.person_id != skip.pk)
        ]
        for seat, choice in zip(entitled, choices, strict=False):
            governance.vote_cast(actor=seat.person, decision=decision, choice=choice, now=_at(on, 18))

    def _repayments(self, advance: Advance, entry: DemoAdvance) -> None:
        story = entry.story
        if story in (Story.CURRENT, Story.REPAID):
            self._pay_instalments(advance, until=self.today)
            if entry.repaid_days_ago:
                day = self.today - dt.timedelta(days=entry.repaid_days_ago)
                self._repay(advance, position(advance, day).outstanding_cents, day, "solde anticipé")
        elif story == Story.LATE:
            self._pay_instalments(advance, until=self.today, before=entry.first_unpaid)
            if entry.partial_cents:
                day = self.today - dt.timedelta(days=entry.partial_days_ago)
                self._repay(advance, entry.partial_cents, day, "versement partiel")
            if entry.fee_cents:
                services.charge_add(
                    actor=self.treasurer,
                    advance=advance,
                    kind="fee",
                    amount_cents=entry.fee_cents,
                    label=entry.fee_label,
                    on=self.today - dt.timedelta(days=entry.fee_days_ago),
                )
        elif story == Story.RESCHEDULED:
            on = self.today - dt.timedelta(days=entry.rescheduled_days_ago)
            self._pay_instalments(advance, until=on, before=entry.first_unpaid)
            services.advance_reschedule(
                actor=self.treasurer,
                advance=advance,
                on=on,
                term_months=entry.new_term_months,
                mode=RepaymentMode.LINEAR,
                note=entry.note,
            )
            self._pay_instalments(advance, until=self.today)
        elif story == Story.WRITTEN_OFF:
            on = self.today - dt.timedelta(days=entry.written_off_days_ago)
            self._pay_instalments(advance, until=on, before=entry.first_unpaid)
            # The monthly run before the write-off found it over 90 days late: fully provisioned.
            services.provisions_update(on=on - dt.timedelta(days=30))
            services.advance_write_off(actor=self.treasurer, advance=advance, on=on, reason=entry.note)
            day = self.today - dt.timedelta(days=entry.recovery_days_ago)
            self._repay(advance, entry.recovery_cents, day, "recouvrement")

    def _pay_instalments(self, advance: Advance, *, until: dt.date, before: int | None = None) -> None:
        """Each instalment of the schedule in force due by `until` (and numbered below `before`),
        paid in full on its due date."""
        schedule = current_schedule(advance)
        assert schedule is not None
        instalments = Instalment.objects.filter(schedule=schedule, due_on__lte=until).order_by("number")
        if before is not None:
            instalments = instalments.filter(number__lt=before)
        for instalment in instalments:
            self._repay(advance, instalment.total_cents, instalment.due_on, f"échéance {instalment.number}")

    def _repay(self, advance: Advance, amount_cents: int, on: dt.date, what: str) -> None:
        services.repayment_record(
            actor=self.treasurer,
            advance=advance,
            amount_cents=amount_cents,
            received_on=on,
            bank_reference=f"VIR {fold(advance.organisation.name).upper()[:60]} {advance.reference} {what}",
        )
        self.summary.repayments_created += 1

    # --- Cash-flow plans

    def _plan(self, entry: DemoPlan) -> None:
        admin = self._admin(entry.organisation)
        first = cashplans.month_start(self.today)
        plan = cashplans.plan_create(
            actor=admin,
            organisation=self.organisations[entry.organisation],
            title=entry.title,
            first_month=first,
            opening_cash_cents=entry.opening_cash_cents,
        )
        for row in entry.rows:
            cashplans.lines_set_month_grid(
                actor=admin,
                plan=plan,
                category=row.category,
                label=row.label,
                funder=row.funder,
                amounts={cashplans.add_months(first, index): cents for index, cents in row.amounts.items()},
            )
        self.summary.plans_created += 1


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _pdf_file(name: str, title: str, lines: list[str]) -> ContentFile[bytes]:
    return ContentFile(_pdf(title, lines), name=name)


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of text, in the standard Helvetica (no font to
    embed): enough for a demo's board minute or notification to open in any reader."""

    def text(value: str) -> bytes:
        raw = value.encode("cp1252", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = b"BT /F1 14 Tf 56 780 Td (" + text(title) + b") Tj /F1 10 Tf"
    content += b"".join(b" 0 -20 Td (" + text(line) + b") Tj" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
