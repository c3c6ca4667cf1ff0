"""Demo data of the calls for projects: the hub's project committee, a closed call with six
submitted applications (one declared not eligible, the others eligible, waiting for the review part
of the demo, demo/projects_actions.py, which scores and decides them), and an open call with two
submitted applications and the draft of the demo member admin's association.

Everything goes through the services (governance bodies and seats, calls, applications), each in
its own transaction, with the e-mails silenced; the services stamp a publication or a submission
with the moment they run, and the demo then moves those timestamps (never an amount or a day of
the call) back to its story's dates. Nothing is done twice: a call is found by its address, an
application by its call, organisation and title, a seat by its person.

Slugs: "cooperations-territoriales-2026" (closed) and "transitions-en-montagne-2027" (open).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cordee.core.mail import silenced
from cordee.core.models import User
from cordee.governance import services as governance
from cordee.governance.models import Body
from cordee.network.models import Affiliation, Commune, Organisation
from cordee.projects.models import Application, Call
from cordee.projects.services import applications as application_services
from cordee.projects.services import calls as call_services
from cordee.projects.services.applications import Draft, IndicatorInput, LineInput, PartnerInput
from cordee.projects.services.calls import CriterionInput

COORDINATOR_EMAIL = "animateur@demo.cordee.example"
MEMBER_ADMIN_EMAIL = "referent@demo.cordee.example"
COMMITTEE_NAME = "Comité des projets"
COMMITTEE_SINCE_DAYS = 400
# (person, organisation they sit for, role): the demo's committee login first.
COMMITTEE_SEATS = (
    ("comite@demo.cordee.example", "SCOP Charpente et Bois du Champsaur", "Membre"),
    ("christophe.blanchet@example.org", "Mutuelle alpine de santé", "Président du comité"),
    ("sylvie.brunet@example.org", "Communauté de communes des Hautes Vallées du Buëch", "Membre"),
    ("hugo.ferrand@example.org", "Cimes Numériques", "Membre"),
    ("caroline.davin@example.org", "Névé Conseil", "Membre"),
)
CLOSED_SLUG = "cooperations-territoriales-2026"
OPEN_SLUG = "transitions-en-montagne-2027"
HUB = "Pôle territorial Altitudes Coopérantes"


@dataclass(frozen=True)
class DemoCall:
    slug: str
    title: str
    summary: str
    text: str
    eligibility: str
    envelope_cents: int
    max_request_cents: int
    max_share_percent: int
    criteria: tuple[tuple[str, int, str], ...]
    questions: tuple[dict[str, object], ...]
    opens_days: int  # days from today (negative: in the past)
    closes_days: int


@dataclass(frozen=True)
class DemoApplication:
    call: str  # slug
    organisation: str
    title: str
    summary: str
    description: str
    communes: tuple[str, ...]  # INSEE codes
    territory: str
    starts_days: int  # from the call's closing day
    months: int
    expenses: tuple[tuple[str, int], ...]  # label, euros
    requested: int  # euros
    resources: tuple[tuple[str, str, str, int], ...]  # label, funder, status, euros
    partners: tuple[tuple[str, str], ...]  # organisation of the directory or a name, role
    indicators: tuple[tuple[str, str, int], ...]  # label, unit, planned
    answers: dict[str, object]
    status: str = "submitted"  # draft, submitted, eligible, ineligible
    submitted_days_before_closing: int = 5
    note: str = ""


QUESTIONS = (
    {"label": "Public visé", "kind": "long", "required": True},
    {"label": "Nombre de bénévoles mobilisés", "kind": "number", "required": False},
    {"label": "L'action continue-t-elle après le financement ?", "kind": "yesno", "required": True},
)

CALLS = (
    DemoCall(
        slug=CLOSED_SLUG,
        title="Coopérations territoriales 2026",
        summary="Le pôle soutient des actions concrètes, portées en coopération par ses membres, pour la mobilité, "
        "l'alimentation, l'emploi saisonnier, la culture et l'inclusion dans les vallées des Hautes-Alpes.",
        text="<p>Le pôle territorial ouvre son appel à projets annuel. Il finance des actions nouvelles ou le "
        "changement d'échelle d'actions éprouvées, portées par une organisation membre, seule ou avec des "
        "partenaires.</p><p>L'aide du pôle couvre au plus 70 % du budget de l'action et 15 000 € par projet. "
        "Les actions commencent dans les six mois qui suivent la décision du comité.</p>",
        eligibility="<ul><li>Organisations membres actives du pôle, à jour de leur cotisation ;</li>"
        "<li>action menée dans les Hautes-Alpes ;</li><li>budget équilibré avec au moins un cofinancement ou "
        "des fonds propres.</li></ul>",
        envelope_cents=6_000_000,
        max_request_cents=1_500_000,
        max_share_percent=70,
        criteria=(
            ("Utilité pour le territoire", 3, "Besoin identifié, publics touchés, zones peu desservies"),
            ("Coopération entre structures", 2, "Partenaires engagés, rôle de chacun"),
            ("Faisabilité et budget", 2, "Calendrier, moyens humains, cofinancements"),
            ("Pérennité", 1, "Ce qui reste après le financement"),
        ),
        questions=QUESTIONS,
        opens_days=-150,
        closes_days=-60,
    ),
    DemoCall(
        slug=OPEN_SLUG,
        title="Transitions en montagne 2027",
        summary="Énergie, agriculture et tourisme de montagne face au changement climatique : le pôle finance "
        "des actions de transition portées en coopération.",
        text="<p>Les hivers raccourcissent, l'eau se fait rare l'été : les vallées s'adaptent. Le pôle soutient "
        "les actions collectives qui réduisent la dépendance aux énergies fossiles, partagent les moyens de "
        "production agricoles ou diversifient l'activité touristique au-delà de la neige.</p>",
        eligibility="<p>Organisations membres actives du pôle ; action menée dans les Hautes-Alpes ; l'aide du "
        "pôle couvre au plus 60 % du budget et 20 000 € par projet.</p>",
        envelope_cents=8_000_000,
        max_request_cents=2_000_000,
        max_share_percent=60,
        criteria=(
            ("Effet sur la transition", 3, "Émissions évitées, ressources préservées"),
            ("Coopération", 2, ""),
            ("Faisabilité", 2, ""),
            ("Essaimage", 1, "L'action peut-elle être reprise ailleurs ?"),
        ),
        questions=QUESTIONS,
        opens_days=-21,
        closes_days=35,
    ),
)

APPLICATIONS = (
    DemoApplication(
        call=CLOSED_SLUG,
        organisation="Mobil'Alpes",
        title="Covoiturage solidaire des vallées du Buëch",
        summary="Un réseau de conducteurs bénévoles et une plateforme téléphonique pour les habitants sans "
        "voiture des villages du Buëch : rendez-vous médicaux, courses, démarches.",
        description="<p>Dans les villages du Buëch, un habitant sur cinq n'a pas de voiture et le car passe deux "
        "fois par jour. Mobil'Alpes organise un covoiturage solidaire : une permanence téléphonique reçoit les "
        "demandes, des conducteurs bénévoles défrayés assurent les trajets.</p><p>Le centre social et la "
        "communauté de communes orientent les personnes et prêtent des locaux.</p>",
        communes=("05179", "05166", "05118"),
        territory="Vallées du Buëch",
        starts_days=60,
        months=18,
        expenses=(
            ("Coordination (0,5 ETP sur 18 mois)", 14_500),
            ("Défraiement des conducteurs", 4_500),
            ("Plateforme téléphonique et logiciel", 2_000),
        ),
        requested=12_000,
        resources=(
            ("Conférence des financeurs", "Département des Hautes-Alpes", "obtained", 6_000),
            ("Fonds propres", "Mobil'Alpes", "own", 3_000),
        ),
        partners=(
            ("Centre social rural du Rosanais", "Orientation des habitants, locaux de permanence"),
            ("Communauté de communes des Hautes Vallées du Buëch", "Relais auprès des mairies"),
        ),
        indicators=(("Trajets réalisés", "trajets", 1_500), ("Conducteurs bénévoles", "personnes", 35)),
        answers={
            "public": "Personnes âgées, personnes sans permis, jeunes en insertion.",
            "benevoles": 35,
            "continue": True,
        },
        status="eligible",
        submitted_days_before_closing=9,
    ),
    DemoApplication(
        call=CLOSED_SLUG,
        organisation="Paniers Paysans des Alpes",
        title="Légumerie partagée pour la restauration collective du Champsaur",
        summary="Un atelier de lavage et de découpe de légumes partagé par six fermes pour fournir les cantines "
        "des écoles et de l'EHPAD du Champsaur.",
        description="<p>Les cantines veulent des légumes locaux, mais prêts à cuisiner. La légumerie partagée "
        "permet aux fermes de livrer des légumes épluchés et découpés, dans les règles sanitaires.</p>",
        communes=("05132", "05115"),
        territory="Champsaur",
        starts_days=45,
        months=12,
        expenses=(
            ("Équipement de la légumerie", 16_000),
            ("Mise aux normes du local", 5_000),
            ("Animation du collectif de fermes", 4_000),
        ),
        requested=15_000,
        resources=(
            ("Programme alimentaire territorial", "Région Sud", "obtained", 7_000),
            ("Apport des fermes", "Paniers Paysans des Alpes", "own", 3_000),
        ),
        partners=(
            ("Entraide paysanne alpine", "Mise en relation des fermes"),
            ("Centre intercommunal d'action sociale du Haut-Champsaur", "Débouché : portage de repas"),
        ),
        indicators=(("Fermes fournisseuses", "fermes", 6), ("Repas servis avec des légumes locaux", "repas", 40_000)),
        answers={
            "public": "Écoliers et résidents de l'EHPAD du Champsaur.",
            "benevoles": 4,
            "continue": True,
        },
        status="eligible",
        submitted_days_before_closing=3,
    ),
    DemoApplication(
        call=CLOSED_SLUG,
        organisation="Mutuelle des saisonniers alpins",
        title="Guichet unique des saisonniers du Briançonnais",
        summary="Un lieu et une permanence itinérante pour les travailleurs saisonniers : logement, santé, "
        "droits, formation entre deux saisons.",
        description="<p>Chaque hiver, plus de 4 000 saisonniers arrivent dans le Briançonnais. Le guichet unique "
        "réunit la mutuelle, la maison de l'emploi et les bailleurs pour répondre en un seul endroit.</p>",
        communes=("05023", "05161"),
        territory="Briançonnais et Serre-Chevalier",
        starts_days=90,
        months=12,
        expenses=(
            ("Conseillère saisonniers (1 ETP sur 6 mois)", 13_000),
            ("Permanences itinérantes", 3_000),
            ("Communication auprès des employeurs", 2_000),
        ),
        requested=10_000,
        resources=(
            ("Contribution des stations", "Régie des remontées mécaniques", "requested", 5_000),
            ("Fonds propres", "Mutuelle des saisonniers alpins", "own", 3_000),
        ),
        partners=(("Maison de l'emploi du Briançonnais", "Accueil et orientation emploi-formation"),),
        indicators=(("Saisonniers reçus", "personnes", 600), ("Solutions de logement trouvées", "logements", 80)),
        answers={
            "public": "Travailleurs saisonniers des stations, souvent jeunes et mal logés.",
            "benevoles": 0,
            "continue": True,
        },
        status="eligible",
        submitted_days_before_closing=12,
    ),
    DemoApplication(
        call=CLOSED_SLUG,
        organisation="Théâtre du Faubourg",
        title="Théâtre itinérant dans les villages du Briançonnais",
        summary="Une tournée de douze représentations dans les salles des fêtes des villages, avec des ateliers "
        "pour les écoles et une troupe d'habitants.",
        description="<p>Le théâtre sort de la ville : une création légère, jouable partout, et des ateliers "
        "menés avec les écoles de village, pour un spectacle final joué par les habitants.</p>",
        communes=("05023", "05093", "05133"),
        territory="Briançonnais, vallée de la Clarée",
        starts_days=30,
        months=10,
        expenses=(("Cachets des comédiens", 9_000), ("Transport et décor", 2_500), ("Ateliers scolaires", 2_500)),
        requested=8_000,
        resources=(
            ("Aide à la diffusion", "Département des Hautes-Alpes", "requested", 3_000),
            ("Billetterie", "Théâtre du Faubourg", "own", 3_000),
        ),
        partners=(("Gîte associatif de la Clarée", "Accueil de la troupe en résidence"),),
        indicators=(("Représentations", "représentations", 12), ("Spectateurs", "personnes", 1_200)),
        answers={
            "public": "Habitants des villages éloignés des salles de spectacle, écoliers.",
            "benevoles": 20,
            "continue": False,
        },
        status="eligible",
        submitted_days_before_closing=1,
    ),
    DemoApplication(
        call=CLOSED_SLUG,
        organisation="Recyclerie du Buëch",
        title="Atelier d'insertion réemploi de meubles à Serres",
        summary="Un atelier de réparation de meubles qui emploie huit personnes en insertion et revend à petit "
        "prix dans la boutique de la recyclerie.",
        description="<p>La déchetterie de Serres reçoit chaque année 60 tonnes de meubles. L'atelier les "
        "répare avec des salariés en parcours d'insertion, encadrés par un menuisier.</p>",
        communes=("05166",),
        territory="Serrois",
        starts_days=60,
        months=12,
        expenses=(("Encadrant technique menuisier", 18_000), ("Outillage", 4_000), ("Location de l'atelier", 3_000)),
        requested=14_000,
        resources=(
            ("Aide au poste d'insertion", "État — DREETS", "obtained", 8_000),
            ("Ventes de la boutique", "Recyclerie du Buëch", "own", 3_000),
        ),
        partners=(("SCOP Charpente et Bois du Champsaur", "Formation des salariés à la menuiserie"),),
        indicators=(("Salariés en insertion", "personnes", 8), ("Meubles remis en circulation", "tonnes", 25)),
        answers={
            "public": "Personnes éloignées de l'emploi du Serrois.",
            "benevoles": 6,
            "continue": True,
        },
        status="eligible",
        submitted_days_before_closing=6,
    ),
    DemoApplication(
        call=CLOSED_SLUG,
        organisation="Vélo Alpin Solidaire",
        title="Flotte de vélos électriques en location solidaire",
        summary="Vingt vélos à assistance électrique loués à prix solidaire aux habitants de Gap pour aller "
        "travailler.",
        description="<p>L'association achète vingt vélos à assistance électrique et les loue au mois, à prix "
        "réduit selon les revenus.</p>",
        communes=("05061",),
        territory="Gap",
        starts_days=30,
        months=12,
        expenses=(("Achat de vingt vélos", 30_000), ("Entretien", 2_000)),
        requested=15_000,
        resources=(
            ("Fonds propres", "Vélo Alpin Solidaire", "own", 4_000),
            ("Prime vélo", "Agglomération de Gap-Tallard-Durance", "requested", 13_000),
        ),
        partners=(),
        indicators=(("Vélos loués", "vélos", 20),),
        answers={
            "public": "Salariés modestes de l'agglomération de Gap.",
            "benevoles": 3,
            "continue": True,
        },
        status="ineligible",
        submitted_days_before_closing=2,
        note="L'appel finance des actions de coopération hors des villes-centres : une flotte de vélos à Gap, "
        "sans partenaire, relève du dispositif vélo de l'agglomération. Nous vous orientons vers lui.",
    ),
    DemoApplication(
        call=OPEN_SLUG,
        organisation="Énergies Citoyennes du Briançonnais",
        title="Centrale solaire citoyenne sur les toits des écoles",
        summary="Trois toitures d'écoles équipées de panneaux solaires financés par les habitants ; l'électricité "
        "est vendue à la commune.",
        description="<p>La coopérative loue les toits de trois écoles, installe 90 kWc et associe les habitants "
        "au capital. Les recettes financent des actions de sobriété dans les écoles.</p>",
        communes=("05023", "05133"),
        territory="Briançonnais",
        starts_days=60,
        months=12,
        expenses=(
            ("Études et raccordement", 8_000),
            ("Animation de la souscription citoyenne", 6_000),
            ("Ateliers de sobriété dans les écoles", 4_000),
        ),
        requested=10_000,
        resources=(
            ("Souscription citoyenne", "Habitants sociétaires", "obtained", 5_000),
            ("Appel à projets énergie", "Région Sud", "requested", 3_000),
        ),
        partners=(("Commune de Val Buëch-Méouge", "Retour d'expérience d'une première centrale"),),
        indicators=(("Puissance installée", "kWc", 90), ("Habitants sociétaires", "personnes", 150)),
        answers={
            "public": "Habitants, écoles et élus du Briançonnais.",
            "benevoles": 12,
            "continue": True,
        },
        submitted_days_before_closing=30,
    ),
    DemoApplication(
        call=OPEN_SLUG,
        organisation="Entraide paysanne alpine",
        title="Banque de matériel agricole partagé",
        summary="Une coopérative d'utilisation de matériel pour les petites fermes de montagne : irrigation "
        "goutte-à-goutte, broyeur, chambre froide mobile.",
        description="<p>Les petites fermes ne peuvent pas acheter seules le matériel qui économise l'eau. "
        "L'association l'achète et le prête, avec un planning partagé et une formation.</p>",
        communes=("05170", "05132"),
        territory="Haut-Champsaur",
        starts_days=45,
        months=18,
        expenses=(
            ("Matériel d'irrigation économe", 12_000),
            ("Chambre froide mobile", 9_000),
            ("Formation des fermes", 3_000),
        ),
        requested=14_000,
        resources=(
            ("Cotisations des fermes", "Entraide paysanne alpine", "own", 4_000),
            ("Plan de compétitivité des exploitations", "Région Sud", "requested", 6_000),
        ),
        partners=(("Paniers Paysans des Alpes", "Débouchés des fermes, logistique"),),
        indicators=(("Fermes utilisatrices", "fermes", 15), ("Eau économisée", "m³ par an", 3_000)),
        answers={
            "public": "Petites fermes maraîchères et d'élevage du Champsaur.",
            "benevoles": 8,
            "continue": True,
        },
        submitted_days_before_closing=33,
    ),
    DemoApplication(
        call=OPEN_SLUG,
        organisation="Jardins solidaires du Gapençais",
        title="Jardin-école de semences paysannes",
        summary="Un jardin-école où les salariés en insertion produisent et partagent des semences de variétés "
        "adaptées à la sécheresse.",
        description="<p>Les jardins produisent déjà des légumes ; ils deviennent aussi une maison des semences, "
        "ouverte aux jardiniers amateurs et aux fermes.</p>",
        communes=("05061",),
        territory="Gapençais",
        starts_days=60,
        months=12,
        expenses=(("Encadrement technique", 9_000), ("Serre à semences", 5_000)),
        requested=8_000,
        resources=(
            ("Fonds propres", "Jardins solidaires du Gapençais", "own", 2_000),
            ("Fondation", "Fondation Alpes Solidaires", "requested", 4_000),
        ),
        partners=(("Graines de Montagne", "Variétés et savoir-faire"),),
        indicators=(("Variétés conservées", "variétés", 40),),
        answers={"public": "Salariés en insertion, jardiniers amateurs, fermes."},
        status="draft",
    ),
)


@dataclass
class ProjectsSummary:
    created_rows: int = 0
    committee_created: int = 0
    seats_created: int = 0
    calls_created: int = 0
    applications_created: int = 0
    calls: int = 0
    applications: int = 0

    @property
    def created(self) -> int:
        return (
            self.created_rows
            + self.committee_created
            + self.seats_created
            + self.calls_created
            + self.applications_created
        )


class DemoProjectsError(Exception):
    pass


def load_projects() -> ProjectsSummary:
    """Load whatever of this part of the demo is missing. Call it outside any transaction."""
    summary = ProjectsSummary()
    with silenced():  # the demo's people are not told of what the demo did in their name
        _Loader(summary).run()
    summary.calls = Call.objects.filter(slug__in=[c.slug for c in CALLS]).count()
    summary.applications = Application.objects.filter(call__slug__in=[c.slug for c in CALLS]).count()
    return summary


def _user(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        raise DemoProjectsError(f"The demo login {email} is missing. Load the demo hub first.")
    return user


class _Loader:
    def __init__(self, summary: ProjectsSummary) -> None:
        self.summary = summary
        self.today = timezone.localdate()
        self.coordinator = _user(COORDINATOR_EMAIL)

    def run(self) -> None:
        committee = self._committee()
        calls = {entry.slug: self._call(entry, committee) for entry in CALLS}
        for entry in APPLICATIONS:
            self._application(entry, calls[entry.call])

    def _organisation(self, name: str) -> Organisation:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            raise DemoProjectsError(f"The demo organisation {name} is missing. Load the demo hub first.")
        return organisation

    def _committee(self) -> Body:
        committee = Body.objects.filter(kind=Body.Kind.COMMITTEE, name=COMMITTEE_NAME).first()
        if committee is None:
            committee = governance.body_create(
                actor=self.coordinator,
                kind=Body.Kind.COMMITTEE,
                name=COMMITTEE_NAME,
                quorum_percent=50,
                majority=Body.Majority.SIMPLE,
                description="Examine les candidatures aux appels à projets du pôle et décide des aides. Ses "
                "membres ne notent pas les candidatures de l'organisation pour laquelle ils siègent.",
            )
            self.summary.committee_created += 1
        since = self.today - dt.timedelta(days=COMMITTEE_SINCE_DAYS)
        for email, organisation, role in COMMITTEE_SEATS:
            person = _user(email)
            if not governance.current_seats(committee.pk, self.today).filter(person=person).exists():
                governance.seat_add(
                    actor=self.coordinator,
                    body=committee,
                    person=person,
                    organisation=self._organisation(organisation),
                    role=role,
                    starts_on=since,
                )
                self.summary.seats_created += 1
        return committee

    def _call(self, entry: DemoCall, committee: Body) -> Call:
        call = Call.objects.filter(slug=entry.slug).first()
        if call is not None:
            return call
        opens_on = self.today + dt.timedelta(days=entry.opens_days)
        call = call_services.call_create(
            actor=self.coordinator,
            title=entry.title,
            summary=entry.summary,
            text=entry.text,
            envelope_cents=entry.envelope_cents,
            max_request_cents=entry.max_request_cents,
            max_share_percent=entry.max_share_percent,
            eligibility=entry.eligibility,
            members_only=True,
            form_fields=[dict(q) for q in entry.questions],
            score_max=5,
            opens_on=opens_on,
            closes_on=self.today + dt.timedelta(days=entry.closes_days),
            committee=committee,
            criteria=[CriterionInput(label, weight, description) for label, weight, description in entry.criteria],
        )
        published_on = opens_on - dt.timedelta(days=14)
        call_services.call_publish(actor=self.coordinator, call=call, today=published_on)
        Call.objects.filter(pk=call.pk).update(published_at=_at(published_on, 10))
        call.refresh_from_db()
        self.summary.calls_created += 1
        return call

    def _applicant(self, organisation: Organisation) -> User:
        people = User.objects.filter(affiliations__organisation=organisation, is_active=True)
        person = (
            people.filter(email=MEMBER_ADMIN_EMAIL).first()
            or people.filter(affiliations__role=Affiliation.Role.ADMIN).order_by("pk").first()
            or people.order_by("pk").first()
        )
        if person is None:
            raise DemoProjectsError(f"The demo organisation {organisation.name} has nobody to apply.")
        return person

    def _partner(self, name: str, role: str) -> PartnerInput:
        organisation = Organisation.objects.filter(name=name).first()
        return PartnerInput(organisation=organisation, name="" if organisation else name, role=role)

    def _application(self, entry: DemoApplication, call: Call) -> None:
        organisation = self._organisation(entry.organisation)
        if Application.objects.filter(call=call, organisation=organisation, title=entry.title).exists():
            return
        person = self._applicant(organisation)
        submitted_on = call.closes_on - dt.timedelta(days=entry.submitted_days_before_closing)
        started_on = min(submitted_on, self.today)
        application = application_services.application_start(
            actor=person, call=call, organisation=organisation, title=entry.title, today=max(started_on, call.opens_on)
        )
        starts_on = call.closes_on + dt.timedelta(days=entry.starts_days)
        lines = [LineInput("expense", label, euros * 100) for label, euros in entry.expenses]
        lines.append(LineInput("resource", HUB, entry.requested * 100, funder=HUB, is_request=True))
        lines += [
            LineInput("resource", label, euros * 100, funder=funder, status=status)
            for label, funder, status, euros in entry.resources
        ]
        application_services.application_update(
            actor=person,
            application=application,
            draft=Draft(
                title=entry.title,
                summary=entry.summary,
                description=entry.description,
                communes=list(Commune.objects.filter(insee_code__in=entry.communes)),
                territory=entry.territory,
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=30 * entry.months),
                requested_cents=entry.requested * 100,
                answers=_answers(call, entry.answers),
                partners=[self._partner(name, role) for name, role in entry.partners],
                budget_lines=lines,
                indicators=[IndicatorInput(label, planned, unit) for label, unit, planned in entry.indicators],
            ),
        )
        self.summary.applications_created += 1
        if entry.status == "draft":
            return
        application_services.application_submit(actor=person, application=application, today=submitted_on)
        Application.objects.filter(pk=application.pk).update(submitted_at=_at(submitted_on, 16))
        if entry.status in ("eligible", "ineligible"):
            application_services.application_check_eligibility(
                actor=self.coordinator, application=application, eligible=entry.status == "eligible", note=entry.note
            )
            checked_on = call.closes_on + dt.timedelta(days=7)
            Application.objects.filter(pk=application.pk).update(checked_at=_at(checked_on, 11))


ANSWER_ORDER = ("public", "benevoles", "continue")  # the order of QUESTIONS


def _answers(call: Call, answers: dict[str, object]) -> dict[str, object]:
    """The answers keyed as the call's questions (their keys derive from their labels)."""
    return {
        question["key"]: answers[alias]
        for alias, question in zip(ANSWER_ORDER, call.form_fields, strict=True)
        if alias in answers
    }


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
