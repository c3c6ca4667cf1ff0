"""The demo hub "Altitudes Coopérantes": its fictional members, people and logins, as plain data.

Everything here is invented, though set in real communes of the Hautes-Alpes. The identifiers
are made up too, but carry right check digits (Luhn key for SIREN and SIRET) so that they pass
the same validation as real ones. No contact detail can reach anybody:
- web sites and e-mails are under example.org and demo.cordee.example, domains reserved for
  examples by RFC 2606 and RFC 6761;
- phone numbers are in 04 65 71 xx xx and 06 39 98 xx xx, blocks the Arcep keeps for works of
  fiction (plan national de numérotation, décision n° 2018-0881), so none rings at a subscriber.

The loader (`cordee.demo.loader`) keys organisations by SIRET and people by e-mail address, so
changing a SIRET or an e-mail here makes a new row on databases where the demo was already loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cordee.lib.text import fold

# The password of every demo login. Demo only: these accounts must never exist in production.
DEMO_PASSWORD = "cordee-demo"  # noqa: S105

# The day the hub's members held their constitutive general assembly.
FOUNDING_DAY = date(2022, 6, 14)


@dataclass(frozen=True)
class DemoPerson:
    full_name: str
    email: str
    position: str = ""
    admin: bool = False
    phone: str = ""


@dataclass(frozen=True)
class DemoFee:
    year: int
    amount_cents: int
    paid_on: date | None  # None: called but not paid yet


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    family: str  # a cordee.network.models.Family value
    legal_form: str  # INSEE catégorie juridique, level III
    sector: str  # a slug of cordee.network.reference.SECTORS
    siren: str
    siret: str
    naf: str
    commune: str  # INSEE code
    postal_code: str
    address: str
    website: str
    email: str
    phone: str
    founding_year: int
    employees: int
    volunteers: int
    description: str
    joined_on: date | None
    rna: str = ""
    status: str = "active"  # a Membership.Status value
    circle: str = "member"  # a Membership.Circle value
    applied_on: date | None = None  # the day of joining when not given
    suspended_on: date | None = None
    left_on: date | None = None
    decision_reason: str = ""
    fees: tuple[DemoFee, ...] = ()
    people: tuple[DemoPerson, ...] = ()
    contact: DemoPerson | None = None  # the contact person of an application
    listing_visibility: str = "public"
    profile_visibility: str = "public"
    contact_visibility: str = "public"
    identifiers_visibility: str = "members"
    figures_visibility: str = "public"


@dataclass(frozen=True)
class DemoAccount:
    """A login to try one role of Cordée with, all with DEMO_PASSWORD."""

    role: str  # shown in the table of logins
    full_name: str
    email: str
    hub_role: str = ""  # a HubRole.Role value
    hub_role_since: date | None = None
    organisation: str = ""  # the name of a demo organisation
    affiliation_role: str = ""  # an Affiliation.Role value
    position: str = ""


def _person(full_name: str, position: str, *, admin: bool = False, phone: str = "") -> DemoPerson:
    email = fold(full_name).replace(" ", ".") + "@example.org"
    return DemoPerson(full_name=full_name, email=email, position=position, admin=admin, phone=phone)


def _fees(amount_cents: int, paid_on: dict[int, date | None]) -> tuple[DemoFee, ...]:
    """The fees called for each year given, paid on the date given or still due (None)."""
    return tuple(DemoFee(year, amount_cents, paid) for year, paid in sorted(paid_on.items()))


ASSOCIATION_WITH_DEMO_LOGINS = "Jardins solidaires du Gapençais"
COOPERATIVE_OF_THE_COMMITTEE_MEMBER = "SCOP Charpente et Bois du Champsaur"

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        role="coordinator",
        full_name="Camille Rostan",
        email="animateur@demo.cordee.example",
        hub_role="coordinator",
        hub_role_since=date(2022, 9, 1),
    ),
    DemoAccount(
        role="treasurer",
        full_name="Bernard Chaix",
        email="tresorier@demo.cordee.example",
        hub_role="treasurer",
        hub_role_since=date(2023, 1, 9),
    ),
    DemoAccount(
        role="committee member",
        full_name="Hélène Maurel",
        email="comite@demo.cordee.example",
        hub_role="committee",
        hub_role_since=date(2024, 6, 20),
        organisation=COOPERATIVE_OF_THE_COMMITTEE_MEMBER,
        affiliation_role="member",
        position="Associée salariée, responsable d'études",
    ),
    DemoAccount(
        role="member admin",
        full_name="Claire Vial",
        email="referent@demo.cordee.example",
        organisation=ASSOCIATION_WITH_DEMO_LOGINS,
        affiliation_role="admin",
        position="Directrice",
    ),
    DemoAccount(
        role="member user",
        full_name="Julien Arnaud",
        email="membre@demo.cordee.example",
        organisation=ASSOCIATION_WITH_DEMO_LOGINS,
        affiliation_role="member",
        position="Encadrant technique maraîchage",
    ),
    # Employed by the hub as employers' group, not a person of any member: she logs her time.
    DemoAccount(
        role="shared employee",
        full_name="Léa Bonnet",
        email="salariee@demo.cordee.example",
    ),
)


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    # --- Associations ------------------------------------------------------------------
    DemoOrganisation(
        name=ASSOCIATION_WITH_DEMO_LOGINS,
        family="association",
        legal_form="9221",
        sector="insertion",
        siren="794834432",
        siret="79483443200120",
        rna="W051544488",
        naf="01.13Z",
        commune="05061",
        postal_code="05000",
        address="Chemin des Jardins, quartier de Romette",
        website="https://jardins-gapencais.example.org",
        email="jardins-gapencais@example.org",
        phone="04 65 71 10 01",
        founding_year=2004,
        employees=24,
        volunteers=30,
        description=(
            "Atelier et chantier d'insertion en maraîchage biologique sur quatre hectares aux portes de Gap. "
            "Vingt salariés en parcours d'insertion y cultivent une cinquantaine de légumes, vendus en paniers "
            "hebdomadaires et aux restaurants collectifs du Gapençais. L'association accompagne chaque salarié "
            "vers un emploi durable ou une formation qualifiante."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(30000, {2025: date(2025, 2, 10), 2026: date(2026, 2, 16)}),
        people=(_person("Nadia Girard", "Chargée d'accompagnement socioprofessionnel"),),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Théâtre du Faubourg",
        family="association",
        legal_form="9220",
        sector="culture",
        siren="379008345",
        siret="37900834500207",
        rna="W051678838",
        naf="90.01Z",
        commune="05023",
        postal_code="05100",
        address="4 rue du Faubourg",
        website="https://theatre-faubourg.example.org",
        email="theatre-faubourg@example.org",
        phone="04 65 71 10 02",
        founding_year=1987,
        employees=4,
        volunteers=45,
        description=(
            "Compagnie de théâtre professionnelle et petit lieu de création de 120 places à Briançon. "
            "Elle crée un spectacle par an, accueille des compagnies en résidence et anime des ateliers de "
            "théâtre dans les collèges et les EHPAD du Briançonnais. Sa salle et son matériel scénique sont "
            "proposés aux autres membres du pôle."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(5000, {2025: date(2025, 3, 3), 2026: date(2026, 3, 9)}),
        people=(
            _person("Élodie Marchand", "Administratrice", admin=True),
            _person("Romain Faure", "Régisseur général"),
        ),
    ),
    DemoOrganisation(
        name="Radio Durance Montagne",
        family="association",
        legal_form="9220",
        sector="culture",
        siren="318502028",
        siret="31850202800117",
        rna="W051901329",
        naf="60.10Z",
        commune="05046",
        postal_code="05200",
        address="12 avenue de la Gare",
        website="https://radio-durance-montagne.example.org",
        email="radio-durance-montagne@example.org",
        phone="04 65 71 10 03",
        founding_year=1982,
        employees=3,
        volunteers=38,
        description=(
            "Radio associative locale qui émet sur l'Embrunais, le Savinois et le Guillestrois. Elle donne la "
            "parole aux habitants, aux associations et aux producteurs du territoire, et forme chaque année une "
            "trentaine de bénévoles et de jeunes à la prise de parole et au montage sonore."
        ),
        joined_on=date(2022, 11, 7),
        fees=_fees(5000, {2025: date(2025, 4, 2), 2026: None}),
        people=(
            _person("Lucas Peyron", "Coordinateur d'antenne", admin=True),
            _person("Inès Moulin", "Animatrice"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Recyclerie du Buëch",
        family="association",
        legal_form="9221",
        sector="environnement",
        siren="493223382",
        siret="49322338200307",
        rna="W051821417",
        naf="38.32Z",
        commune="05166",
        postal_code="05700",
        address="Zone artisanale des Aires",
        website="https://recyclerie-buech.example.org",
        email="recyclerie-buech@example.org",
        phone="04 65 71 10 04",
        founding_year=2012,
        employees=14,
        volunteers=20,
        description=(
            "Ressourcerie installée à Serres qui collecte, trie, répare et revend à petit prix meubles, vêtements, "
            "vaisselle et appareils électriques. Chantier d'insertion conventionné, elle emploie dix salariés en "
            "parcours et détourne chaque année près de 250 tonnes de l'enfouissement. Elle anime aussi des "
            "ateliers de réparation ouverts à tous."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(15000, {2025: date(2025, 1, 28), 2026: date(2026, 2, 2)}),
        people=(
            _person("Sébastien Lagier", "Directeur", admin=True),
            _person("Laura Bonnet", "Encadrante technique"),
            _person("Patrick Ollivier", "Trésorier bénévole"),
        ),
    ),
    DemoOrganisation(
        name="Vélo Alpin Solidaire",
        family="association",
        legal_form="9220",
        sector="mobilite",
        siren="735671059",
        siret="73567105900427",
        rna="W051158936",
        naf="95.29Z",
        commune="05061",
        postal_code="05000",
        address="7 rue des Cordeliers",
        website="https://velo-alpin-solidaire.example.org",
        email="velo-alpin-solidaire@example.org",
        phone="04 65 71 10 05",
        founding_year=2015,
        employees=2,
        volunteers=25,
        description=(
            "Atelier participatif et solidaire de réparation de vélos au centre de Gap. Les adhérents y apprennent "
            "à entretenir leur vélo avec l'aide de bénévoles ; les vélos donnés sont remis en état et revendus à "
            "prix solidaire. L'association anime aussi des sessions de remise en selle et des ateliers mobiles "
            "dans les villages."
        ),
        joined_on=date(2023, 1, 16),
        applied_on=date(2022, 12, 1),
        fees=_fees(5000, {2025: date(2025, 3, 18), 2026: date(2026, 4, 7)}),
        people=(
            _person("Antoine Gauthier", "Animateur d'atelier", admin=True),
            _person("Manon Clément", "Présidente"),
        ),
    ),
    DemoOrganisation(
        name="Le Relais des Cimes",
        family="association",
        legal_form="9220",
        sector="social",
        siren="889449583",
        siret="88944958300109",
        rna="W051121733",
        naf="88.99B",
        commune="05023",
        postal_code="05100",
        address="2 place de la Libération",
        website="https://relais-des-cimes.example.org",
        email="relais-des-cimes@example.org",
        phone="04 65 71 10 06",
        founding_year=2017,
        employees=6,
        volunteers=90,
        description=(
            "Accueil de jour à Briançon pour les personnes sans domicile et les personnes exilées de passage. "
            "L'association offre un repas chaud, une douche, un vestiaire et une orientation vers les droits et "
            "les soins, grâce à six salariés et près d'une centaine de bénévoles."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(15000, {2025: date(2025, 2, 20), 2026: None}),
        people=(
            _person("Marion Roux", "Coordinatrice", admin=True),
            _person("Yannick Chevalier", "Travailleur social"),
            _person("Agnès Martin", "Bénévole référente du vestiaire"),
        ),
        contact_visibility="members",
    ),
    DemoOrganisation(
        name="Maison des jeunes et de la culture du Laragnais",
        family="association",
        legal_form="9220",
        sector="education",
        siren="830994687",
        siret="83099468700119",
        rna="W051274980",
        naf="94.99Z",
        commune="05070",
        postal_code="05300",
        address="Place des Aires",
        website="https://mjc-laragnais.example.org",
        email="mjc-laragnais@example.org",
        phone="04 65 71 10 07",
        founding_year=1966,
        employees=9,
        volunteers=35,
        description=(
            "Maison des jeunes et de la culture qui propose, de Laragne aux villages alentour, un accueil de "
            "loisirs, un espace jeunes, des ateliers artistiques et sportifs et des séjours en montagne. Elle "
            "porte aussi un point information jeunesse et un espace de vie sociale."
        ),
        joined_on=date(2023, 3, 6),
        applied_on=date(2023, 1, 23),
        fees=_fees(15000, {2025: date(2025, 3, 10), 2026: date(2026, 3, 2)}),
        people=(
            _person("Olivier Meyer", "Directeur", admin=True),
            _person("Sarah Lambert", "Animatrice jeunesse"),
        ),
    ),
    DemoOrganisation(
        name="Les Nuits du Queyras",
        family="association",
        legal_form="9220",
        sector="culture",
        siren="409403961",
        siret="40940396100207",
        rna="W051510886",
        naf="90.01Z",
        commune="05038",
        postal_code="05350",
        address="Maison des associations, Ville-Vieille",
        website="https://nuits-du-queyras.example.org",
        email="nuits-du-queyras@example.org",
        phone="04 65 71 10 08",
        founding_year=2009,
        employees=1,
        volunteers=60,
        description=(
            "Festival de musique et de contes qui investit chaque été les hameaux du Queyras : concerts en plein "
            "air, veillées et spectacles pour les enfants. Hors saison, l'association fait tourner des spectacles "
            "dans les salles des fêtes des villages."
        ),
        joined_on=date(2024, 2, 12),
        fees=_fees(5000, {2025: date(2025, 5, 6), 2026: None}),
        people=(_person("Pauline Blanc", "Chargée de production", admin=True),),
        identifiers_visibility="private",
        figures_visibility="private",
    ),
    DemoOrganisation(
        name="Cimes pour tous",
        family="association",
        legal_form="9220",
        sector="sport",
        siren="731596235",
        siret="73159623500309",
        rna="W051909659",
        naf="93.12Z",
        commune="05096",
        postal_code="05170",
        address="Maison de la montagne, Orcières-Merlette",
        website="https://cimes-pour-tous.example.org",
        email="cimes-pour-tous@example.org",
        phone="04 65 71 10 09",
        founding_year=2011,
        employees=2,
        volunteers=40,
        description=(
            "Club de sport adapté qui permet aux personnes en situation de handicap de pratiquer le ski, la "
            "randonnée en joëlette et l'escalade dans le Champsaur. Ses fauteuils-skis et ses joëlettes sont "
            "prêtés aux autres structures du territoire."
        ),
        joined_on=date(2023, 9, 18),
        fees=_fees(5000, {2025: date(2025, 2, 27), 2026: date(2026, 1, 30)}),
        people=(
            _person("Damien Eyraud", "Moniteur de sport adapté", admin=True),
            _person("Céline Garcin", "Présidente"),
        ),
    ),
    DemoOrganisation(
        name="Épicerie solidaire du Champsaur",
        family="association",
        legal_form="9220",
        sector="social",
        siren="874216930",
        siret="87421693000113",
        rna="W051925255",
        naf="88.99B",
        commune="05132",
        postal_code="05500",
        address="3 rue du Pont",
        website="https://epicerie-champsaur.example.org",
        email="epicerie-champsaur@example.org",
        phone="04 65 71 10 10",
        founding_year=2014,
        employees=3,
        volunteers=28,
        description=(
            "Épicerie solidaire où les familles orientées par les travailleurs sociaux font leurs courses à 20 % "
            "du prix habituel. Elle s'approvisionne pour moitié auprès des producteurs du Champsaur et du "
            "Valgaudemar et propose des ateliers de cuisine et de gestion du budget."
        ),
        joined_on=date(2022, 10, 3),
        fees=_fees(5000, {2025: date(2025, 3, 25), 2026: date(2026, 3, 16)}),
        people=(
            _person("Aurélie Motte", "Coordinatrice", admin=True),
            _person("Gilles Roussel", "Bénévole"),
        ),
    ),
    DemoOrganisation(
        name="Présence Montagne",
        family="association",
        legal_form="9220",
        sector="sante",
        siren="437270671",
        siret="43727067100328",
        rna="W051639038",
        naf="88.10A",
        commune="05046",
        postal_code="05200",
        address="18 boulevard Pasteur",
        website="https://presence-montagne.example.org",
        email="presence-montagne@example.org",
        phone="04 65 71 10 11",
        founding_year=1994,
        employees=42,
        volunteers=12,
        description=(
            "Service d'aide et d'accompagnement à domicile de l'Embrunais et du Savinois. Ses quarante aides à "
            "domicile interviennent auprès des personnes âgées, des personnes handicapées et des familles, jusque "
            "dans les hameaux les plus isolés. L'association prépare un groupement d'employeurs avec d'autres "
            "membres du pôle."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(30000, {2025: date(2025, 1, 20), 2026: date(2026, 1, 26)}),
        people=(
            _person("Véronique Lacombe", "Directrice", admin=True),
            _person("Franck Guérin", "Responsable de secteur"),
            _person("Isabelle Fabre", "Assistante ressources humaines"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Crèche parentale Les Marmottes",
        family="association",
        legal_form="9220",
        sector="education",
        siren="884303801",
        siret="88430380100127",
        rna="W051755236",
        naf="88.91A",
        commune="05065",
        postal_code="05600",
        address="Route de Risoul",
        website="https://creche-marmottes.example.org",
        email="creche-marmottes@example.org",
        phone="04 65 71 10 12",
        founding_year=2001,
        employees=7,
        volunteers=18,
        description=(
            "Crèche associative gérée par les parents, qui accueille seize enfants de dix semaines à quatre ans à "
            "Guillestre. Ses horaires élargis sont pensés pour les parents saisonniers des stations du Guillestrois "
            "et du Queyras."
        ),
        joined_on=date(2024, 5, 21),
        fees=_fees(5000, {2025: date(2025, 2, 11), 2026: None}),
        people=(
            _person("Émilie Brun", "Directrice", admin=True),
            _person("Xavier Charpentier", "Président, parent"),
        ),
    ),
    DemoOrganisation(
        name="Centre social rural du Rosanais",
        family="association",
        legal_form="9220",
        sector="social",
        siren="734253578",
        siret="73425357800409",
        rna="W051637660",
        naf="88.99B",
        commune="05126",
        postal_code="05150",
        address="Le Bourg",
        website="https://centre-social-rosanais.example.org",
        email="centre-social-rosanais@example.org",
        phone="04 65 71 10 13",
        founding_year=1979,
        employees=11,
        volunteers=25,
        description=(
            "Centre social agréé qui anime la vie locale des quinze communes du Rosanais : accueil de loisirs, "
            "transport solidaire, permanences d'accès aux droits, ateliers numériques et animations pour les "
            "aînés. C'est le seul service de ce type à trente kilomètres à la ronde."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(15000, {2025: date(2025, 2, 5), 2026: date(2026, 2, 23)}),
        people=(
            _person("Frédéric Bouchet", "Directeur", admin=True),
            _person("Laetitia Ripert", "Animatrice familles"),
        ),
    ),
    DemoOrganisation(
        name="Maison du patrimoine du Valgaudemar",
        family="association",
        legal_form="9220",
        sector="culture",
        siren="887100014",
        siret="88710001400414",
        rna="W051969322",
        naf="91.02Z",
        commune="05142",
        postal_code="05800",
        address="Ancienne école, Les Reculas",
        website="https://patrimoine-valgaudemar.example.org",
        email="patrimoine-valgaudemar@example.org",
        phone="04 65 71 10 14",
        founding_year=1998,
        employees=1,
        volunteers=22,
        description=(
            "Petit musée associatif consacré à la vie agropastorale du Valgaudemar : outils, photographies et "
            "témoignages d'anciens. L'association organise des visites et des balades commentées et recueille la "
            "mémoire orale de la vallée."
        ),
        joined_on=date(2026, 2, 9),
        applied_on=date(2026, 1, 12),
        fees=_fees(5000, {2026: None}),
        people=(_person("Jean-Marc Achard", "Président", admin=True),),
        listing_visibility="members",
        profile_visibility="members",
        contact_visibility="members",
        figures_visibility="members",
    ),
    DemoOrganisation(
        name="Compagnie des accompagnateurs du Dévoluy",
        family="association",
        legal_form="9220",
        sector="tourisme",
        siren="472055771",
        siret="47205577100118",
        rna="W051313985",
        naf="79.90Z",
        commune="05139",
        postal_code="05250",
        address="Maison du Dévoluy, Saint-Étienne-en-Dévoluy",
        website="https://accompagnateurs-devoluy.example.org",
        email="accompagnateurs-devoluy@example.org",
        phone="04 65 71 10 15",
        founding_year=2006,
        employees=2,
        volunteers=8,
        description=(
            "Association d'accompagnateurs en montagne qui vendent en commun leurs sorties : randonnées, "
            "raquettes, découverte de la faune et des paysages karstiques du Dévoluy. Elle monte avec les centres "
            "sociaux du département des séjours accessibles aux familles à revenus modestes."
        ),
        joined_on=date(2023, 6, 5),
        fees=_fees(5000, {2025: date(2025, 3, 31), 2026: date(2026, 5, 4)}),
        people=(
            _person("Maxime Rolland", "Coordinateur", admin=True),
            _person("Lucie Vincent", "Accompagnatrice en montagne"),
        ),
    ),
    DemoOrganisation(
        name="Graines de Montagne",
        family="association",
        legal_form="9220",
        sector="education",
        siren="327704052",
        siret="32770405200213",
        rna="W051028402",
        naf="85.59B",
        commune="05006",
        postal_code="05120",
        address="Maison de la nature, avenue de la République",
        website="https://graines-de-montagne.example.org",
        email="graines-de-montagne@example.org",
        phone="04 65 71 10 16",
        founding_year=2008,
        employees=5,
        volunteers=15,
        description=(
            "Association d'éducation à l'environnement qui emmène chaque année plus de deux mille élèves sur le "
            "terrain, des torrents du Pays des Écrins jusqu'aux alpages. Elle forme aussi animateurs et enseignants "
            "et anime un jardin pédagogique ouvert au public."
        ),
        joined_on=date(2022, 9, 12),
        fees=_fees(5000, {2025: date(2025, 2, 18), 2026: date(2026, 2, 9)}),
        people=(
            _person("Anaïs Perrin", "Coordinatrice pédagogique", admin=True),
            _person("Baptiste Joubert", "Animateur nature"),
        ),
    ),
    DemoOrganisation(
        name="Entraide paysanne alpine",
        family="association",
        legal_form="9220",
        sector="alimentation",
        siren="876995994",
        siret="87699599400327",
        rna="W051872975",
        naf="94.99Z",
        commune="05170",
        postal_code="05130",
        address="Maison de l'agriculture, route de Gap",
        website="https://entraide-paysanne.example.org",
        email="entraide-paysanne@example.org",
        phone="04 65 71 10 17",
        founding_year=2010,
        employees=2,
        volunteers=35,
        description=(
            "Réseau d'agriculteurs bénévoles qui accompagnent les paysans en difficulté économique ou personnelle "
            "dans tout le département : diagnostic, médiation avec les créanciers, aide aux démarches. "
            "L'association organise aussi la transmission des fermes entre cédants et jeunes installés."
        ),
        joined_on=date(2023, 11, 20),
        fees=_fees(5000, {2025: date(2025, 3, 5), 2026: None}),
        people=(
            _person("Henri Tron", "Président, éleveur", admin=True),
            _person("Sandrine Isnard", "Animatrice"),
        ),
        contact_visibility="members",
        identifiers_visibility="private",
    ),
    DemoOrganisation(
        name="Le Fablab des Écrins",
        family="association",
        legal_form="9220",
        sector="numerique",
        siren="744472234",
        siret="74447223400106",
        rna="W051058116",
        naf="94.99Z",
        commune="05101",
        postal_code="05340",
        address="Tiers-lieu de la Gare, Vallouise",
        website="https://fablab-ecrins.example.org",
        email="fablab-ecrins@example.org",
        phone="04 65 71 10 18",
        founding_year=2018,
        employees=1,
        volunteers=20,
        description=(
            "Atelier de fabrication numérique partagé : imprimantes 3D, découpe laser, électronique et menuiserie. "
            "Ouvert aux habitants, aux artisans et aux écoles, il aide aussi les habitants éloignés du numérique "
            "dans leurs démarches en ligne."
        ),
        joined_on=date(2024, 9, 9),
        fees=_fees(5000, {2025: date(2025, 1, 31), 2026: date(2026, 6, 2)}),
        people=(
            _person("Kevin Albrand", "Fabmanager", admin=True),
            _person("Chloé Reymond", "Conseillère numérique"),
        ),
    ),
    DemoOrganisation(
        name="Gîte associatif de la Clarée",
        family="association",
        legal_form="9220",
        sector="tourisme",
        siren="354035933",
        siret="35403593300309",
        rna="W051653777",
        naf="55.20Z",
        commune="05093",
        postal_code="05100",
        address="Hameau de Roubion",
        website="https://gite-claree.example.org",
        email="gite-claree@example.org",
        phone="04 65 71 10 19",
        founding_year=1992,
        employees=5,
        volunteers=10,
        description=(
            "Gîte d'étape associatif de quarante lits dans la vallée de la Clarée, qui accueille à prix modéré "
            "randonneurs, classes de découverte et groupes d'associations. Ouvert toute l'année, il cuisine les "
            "produits des fermes de la vallée."
        ),
        joined_on=date(2026, 4, 13),
        fees=_fees(15000, {2026: date(2026, 4, 20)}),
        people=(
            _person("Alice Michel", "Gérante", admin=True),
            _person("Bruno Simon", "Cuisinier"),
        ),
    ),
    DemoOrganisation(
        name="Les Amis du train des Alpes",
        family="association",
        legal_form="9220",
        sector="mobilite",
        siren="494621816",
        siret="49462181600227",
        rna="W051715217",
        naf="94.99Z",
        commune="05010",
        postal_code="05140",
        address="Ancienne halle aux marchandises, place de la Gare",
        website="https://amis-train-alpes.example.org",
        email="amis-train-alpes@example.org",
        phone="04 65 71 10 20",
        founding_year=2003,
        employees=0,
        volunteers=15,
        description=(
            "Association d'usagers qui défend les lignes ferroviaires du Buëch et du Briançonnais et organise du "
            "covoiturage vers les gares. Elle publie chaque hiver un guide des correspondances entre trains et cars "
            "dans les vallées."
        ),
        status="suspended",
        joined_on=date(2022, 11, 21),
        suspended_on=date(2026, 9, 14),
        decision_reason=(
            "Cotisation 2026 impayée malgré deux relances ; le bureau de l'association ne répond plus depuis le "
            "printemps."
        ),
        fees=_fees(5000, {2025: date(2025, 6, 10), 2026: None}),
        people=(_person("Michel Bertrand", "Président", admin=True),),
    ),
    DemoOrganisation(
        name="Troc'Savoirs du Gapençais",
        family="association",
        legal_form="9220",
        sector="social",
        siren="863237111",
        siret="86323711100225",
        rna="W051471007",
        naf="94.99Z",
        commune="05061",
        postal_code="05000",
        address="Maison des associations, rue Jean-Eymar",
        website="https://trocsavoirs-gap.example.org",
        email="trocsavoirs-gap@example.org",
        phone="04 65 71 10 21",
        founding_year=2024,
        employees=0,
        volunteers=12,
        description=(
            "Réseau d'échanges réciproques de savoirs créé en 2024 : chacun y apprend et y enseigne, sans argent, "
            "de la couture à l'informatique en passant par la cuisine. L'association souhaite rejoindre le pôle "
            "pour partager des salles et se faire connaître des autres structures."
        ),
        status="candidate",
        joined_on=None,
        applied_on=date(2026, 11, 3),
        contact=_person("Fatima Haddad", "Présidente", phone="06 39 98 21 07"),
    ),
    # --- Cooperatives ------------------------------------------------------------------
    DemoOrganisation(
        name=COOPERATIVE_OF_THE_COMMITTEE_MEMBER,
        family="cooperative",
        legal_form="5458",
        sector="habitat",
        siren="864156906",
        siret="86415690600413",
        naf="16.23Z",
        commune="05004",
        postal_code="05260",
        address="Zone artisanale des Auches",
        website="https://charpente-champsaur.example.org",
        email="charpente-champsaur@example.org",
        phone="04 65 71 10 22",
        founding_year=1996,
        employees=12,
        volunteers=0,
        description=(
            "Société coopérative de production de charpente, d'ossature et de menuiserie en bois local, dont neuf "
            "des douze salariés sont associés. Elle travaille le mélèze et le sapin des forêts du Champsaur et "
            "forme chaque année deux apprentis."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(15000, {2025: date(2025, 2, 3), 2026: date(2026, 2, 5)}),
        people=(
            _person("Yves Pellegrin", "Gérant", admin=True),
            _person("Nicolas Eymard", "Charpentier associé"),
        ),
    ),
    DemoOrganisation(
        name="Énergies Citoyennes du Briançonnais",
        family="cooperative",
        legal_form="5560",
        sector="habitat",
        siren="416040616",
        siret="41604061600110",
        naf="35.11Z",
        commune="05133",
        postal_code="05330",
        address="Immeuble Le Prorel, Chantemerle",
        website="https://energies-citoyennes-brianconnais.example.org",
        email="energies-citoyennes@example.org",
        phone="04 65 71 10 23",
        founding_year=2016,
        employees=2,
        volunteers=30,
        description=(
            "Société coopérative d'intérêt collectif qui finance et exploite des centrales solaires sur les toits "
            "publics et agricoles du Briançonnais. Ses 450 sociétaires, habitants, communes et entreprises, ont "
            "investi dans 22 installations qui produisent la consommation de 600 foyers."
        ),
        joined_on=date(2022, 9, 26),
        fees=_fees(15000, {2025: date(2025, 3, 12), 2026: date(2026, 3, 11)}),
        people=(
            _person("Léa Arnoux", "Directrice", admin=True),
            _person("Thierry Garnier", "Administrateur bénévole"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Mobil'Alpes",
        family="cooperative",
        legal_form="5460",
        sector="mobilite",
        siren="566933271",
        siret="56693327100207",
        naf="77.11A",
        commune="05046",
        postal_code="05200",
        address="Parking de la gare routière",
        website="https://mobilalpes.example.org",
        email="mobilalpes@example.org",
        phone="04 65 71 10 24",
        founding_year=2019,
        employees=3,
        volunteers=10,
        description=(
            "Coopérative d'autopartage (SCIC) qui met vingt voitures et utilitaires électriques à disposition dans "
            "huit communes de l'Embrunais et du Guillestrois. Collectivités, associations et habitants en sont "
            "sociétaires ; un service de transport solidaire complète l'offre pour les personnes sans permis."
        ),
        joined_on=date(2023, 4, 17),
        fees=_fees(15000, {2025: date(2025, 4, 22), 2026: None}),
        people=(
            _person("Guillaume Dupuy", "Gérant", admin=True),
            _person("Marine Hugues", "Chargée de développement"),
        ),
    ),
    DemoOrganisation(
        name="Cap Ouvrage",
        family="cooperative",
        legal_form="5558",
        sector="finance",
        siren="569806169",
        siret="56980616900219",
        naf="74.90B",
        commune="05061",
        postal_code="05000",
        address="Pépinière d'entreprises, 5 rue des Silos",
        website="https://cap-ouvrage.example.org",
        email="cap-ouvrage@example.org",
        phone="04 65 71 10 25",
        founding_year=2005,
        employees=68,
        volunteers=0,
        description=(
            "Coopérative d'activité et d'emploi qui héberge une soixantaine d'entrepreneurs-salariés : artisans, "
            "formateurs, graphistes, paysagistes. Elle leur offre un statut de salarié, une comptabilité partagée "
            "et un chemin vers le sociétariat."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(30000, {2025: date(2025, 1, 22), 2026: date(2026, 1, 19)}),
        people=(
            _person("Stéphanie Rey", "Directrice", admin=True),
            _person("Mathieu Lombard", "Chargé d'accompagnement"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Coopérative fromagère des alpages du Queyras",
        family="cooperative",
        legal_form="6317",
        sector="alimentation",
        siren="885373266",
        siret="88537326600422",
        naf="10.51C",
        commune="05077",
        postal_code="05350",
        address="La Fromagerie, Pierre-Grosse",
        website="https://fromagerie-queyras.example.org",
        email="fromagerie-queyras@example.org",
        phone="04 65 71 10 26",
        founding_year=1974,
        employees=8,
        volunteers=0,
        description=(
            "Coopérative agricole qui collecte le lait de quatorze éleveurs du Queyras et le transforme en tommes, "
            "bleus et yaourts, vendus dans sa boutique et sur les marchés des vallées. Elle ouvre sa fromagerie aux "
            "visiteurs pendant l'été."
        ),
        joined_on=date(2024, 3, 18),
        fees=_fees(15000, {2025: date(2025, 3, 20), 2026: date(2026, 4, 20)}),
        people=(
            _person("Pierre Eyssautier", "Président, éleveur", admin=True),
            _person("Julie Philip", "Responsable de la fromagerie"),
        ),
    ),
    DemoOrganisation(
        name="Imprimerie coopérative du Buëch",
        family="cooperative",
        legal_form="5458",
        sector="commerce",
        siren="457229334",
        siret="45722933400406",
        naf="18.12Z",
        commune="05179",
        postal_code="05400",
        address="14 avenue des Martins",
        website="https://imprimerie-buech.example.org",
        email="imprimerie-buech@example.org",
        phone="04 65 71 10 27",
        founding_year=1983,
        employees=7,
        volunteers=0,
        description=(
            "Imprimerie coopérative (SCOP) qui imprime sur papier recyclé, avec des encres végétales, les affiches, "
            "revues et rapports des associations et des collectivités des Alpes du Sud. Elle conseille ses clients "
            "pour alléger l'empreinte de leurs documents."
        ),
        joined_on=date(2022, 12, 5),
        fees=_fees(15000, {2025: date(2025, 2, 25), 2026: date(2026, 2, 27)}),
        people=(
            _person("Denis Maurin", "Gérant", admin=True),
            _person("Sophie Laurent", "Infographiste"),
        ),
        figures_visibility="members",
    ),
    DemoOrganisation(
        name="La Musette, épicerie coopérative",
        family="cooperative",
        legal_form="5451",
        sector="alimentation",
        siren="427832894",
        siret="42783289400112",
        naf="47.29Z",
        commune="05023",
        postal_code="05100",
        address="9 avenue du Dauphiné",
        website="https://la-musette.example.org",
        email="la-musette@example.org",
        phone="04 65 71 10 28",
        founding_year=2013,
        employees=6,
        volunteers=120,
        description=(
            "Épicerie coopérative dont les 900 sociétaires-consommateurs choisissent ensemble les produits, en "
            "priorité ceux des producteurs installés à moins de 150 kilomètres. Chaque sociétaire donne trois "
            "heures par mois au magasin."
        ),
        joined_on=date(2023, 2, 13),
        fees=_fees(15000, {2025: date(2025, 3, 14), 2026: None}),
        people=(
            _person("Aline Guillot", "Coordinatrice", admin=True),
            _person("Rémi Morel", "Cogérant bénévole"),
        ),
    ),
    DemoOrganisation(
        name="Bois Énergie Durance",
        family="cooperative",
        legal_form="5560",
        sector="environnement",
        siren="986712537",
        siret="98671253700307",
        naf="02.20Z",
        commune="05122",
        postal_code="05310",
        address="Plateforme bois, route nationale",
        website="https://bois-energie-durance.example.org",
        email="bois-energie-durance@example.org",
        phone="04 65 71 10 29",
        founding_year=2010,
        employees=9,
        volunteers=0,
        description=(
            "Société coopérative d'intérêt collectif qui produit de la plaquette forestière avec le bois des forêts "
            "communales et alimente les chaufferies des écoles, des gymnases et des EHPAD de la haute Durance. Elle "
            "associe communes, propriétaires forestiers, salariés et usagers."
        ),
        joined_on=date(2024, 10, 7),
        fees=_fees(15000, {2025: date(2025, 2, 12), 2026: date(2026, 5, 18)}),
        people=(
            _person("Alexandre Guigues", "Directeur", admin=True),
            _person("Cécile Blanchard", "Technicienne forestière"),
        ),
    ),
    DemoOrganisation(
        name="La Marmite coopérative",
        family="cooperative",
        legal_form="5458",
        sector="alimentation",
        siren="918788902",
        siret="91878890200222",
        naf="56.21Z",
        commune="05061",
        postal_code="05000",
        address="Cuisine centrale, 21 rue de la Tourronde",
        website="https://marmite-cooperative.example.org",
        email="marmite-cooperative@example.org",
        phone="04 65 71 10 30",
        founding_year=2020,
        employees=11,
        volunteers=0,
        description=(
            "Traiteur coopératif qui cuisine des repas de produits locaux et de saison pour les cantines, les "
            "crèches et les événements des associations du Gapençais. Ses salariés, dont quatre en contrat "
            "d'insertion, sont associés aux décisions."
        ),
        joined_on=date(2025, 1, 13),
        fees=_fees(15000, {2025: date(2025, 1, 30), 2026: date(2026, 2, 12)}),
        people=(
            _person("Samia Belkacem", "Cogérante", admin=True),
            _person("Vincent Roche", "Chef de cuisine"),
        ),
    ),
    # --- Mutuals -----------------------------------------------------------------------
    DemoOrganisation(
        name="Mutuelle alpine de santé",
        family="mutual",
        legal_form="8210",
        sector="sante",
        siren="385023288",
        siret="38502328800207",
        naf="65.12Z",
        commune="05061",
        postal_code="05000",
        address="30 boulevard de la Libération",
        website="https://mutuelle-alpine.example.org",
        email="mutuelle-alpine@example.org",
        phone="04 65 71 10 31",
        founding_year=1946,
        employees=35,
        volunteers=40,
        description=(
            "Mutuelle santé régie par le code de la mutualité, qui protège 18 000 adhérents des Alpes du Sud. Elle "
            "gère un centre de santé dentaire à Gap et finance des actions de prévention dans les associations et "
            "les entreprises du territoire."
        ),
        circle="founding",
        joined_on=FOUNDING_DAY,
        fees=_fees(30000, {2025: date(2025, 1, 15), 2026: date(2026, 1, 14)}),
        people=(
            _person("Christophe Blanchet", "Directeur général", admin=True),
            _person("Nathalie Vidal", "Responsable prévention"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Mutuelle des saisonniers alpins",
        family="mutual",
        legal_form="8210",
        sector="sante",
        siren="305089773",
        siret="30508977300116",
        naf="65.12Z",
        commune="05161",
        postal_code="05240",
        address="Maison des saisonniers, Serre-Chevalier",
        website="https://mutuelle-saisonniers.example.org",
        email="mutuelle-saisonniers@example.org",
        phone="04 65 71 10 32",
        founding_year=2012,
        employees=6,
        volunteers=15,
        description=(
            "Petite mutuelle créée par et pour les travailleurs saisonniers des stations : une complémentaire santé "
            "qui suit les salariés d'une saison à l'autre, sans délai de carence. Elle tient des permanences dans "
            "les maisons des saisonniers pendant l'hiver."
        ),
        joined_on=date(2023, 12, 4),
        fees=_fees(15000, {2025: date(2025, 2, 24), 2026: date(2026, 3, 30)}),
        people=(
            _person("Laurent Bonnaffoux", "Directeur", admin=True),
            _person("Emma Castel", "Chargée de développement"),
        ),
    ),
    DemoOrganisation(
        name="Caisse locale d'assurance mutuelle agricole du Buëch",
        family="mutual",
        legal_form="8250",
        sector="finance",
        siren="363059197",
        siret="36305919700105",
        naf="65.12Z",
        commune="05070",
        postal_code="05300",
        address="6 avenue de Provence",
        website="https://mutuelle-agricole-buech.example.org",
        email="mutuelle-agricole-buech@example.org",
        phone="04 65 71 10 33",
        founding_year=1923,
        employees=4,
        volunteers=12,
        description=(
            "Caisse locale d'assurance mutuelle agricole administrée par des agriculteurs élus. Elle assure les "
            "exploitations, le matériel et les bâtiments agricoles du Buëch et des Baronnies et soutient chaque "
            "année des projets collectifs ruraux."
        ),
        circle="partner",
        joined_on=date(2024, 1, 22),
        fees=_fees(30000, {2025: date(2025, 3, 4), 2026: None}),
        people=(_person("Gérard Jaume", "Président", admin=True),),
        listing_visibility="private",
        profile_visibility="members",
        contact_visibility="members",
        identifiers_visibility="private",
        figures_visibility="private",
    ),
    # --- Foundations -------------------------------------------------------------------
    DemoOrganisation(
        name="Fondation Alpes Solidaires",
        family="foundation",
        legal_form="9300",
        sector="finance",
        siren="898075007",
        siret="89807500700309",
        naf="94.99Z",
        commune="05061",
        postal_code="05000",
        address="1 place Saint-Arnoux",
        website="https://fondation-alpes-solidaires.example.org",
        email="fondation-alpes-solidaires@example.org",
        phone="04 65 71 10 34",
        founding_year=2009,
        employees=3,
        volunteers=10,
        description=(
            "Fondation territoriale qui collecte les dons des habitants et des entreprises des Hautes-Alpes pour "
            "des projets d'intérêt général : lutte contre l'isolement, insertion des jeunes, départ en vacances. "
            "Elle abrite trois fonds dédiés et cofinance des actions du pôle."
        ),
        circle="partner",
        joined_on=date(2022, 9, 5),
        fees=_fees(30000, {2025: date(2025, 1, 27), 2026: date(2026, 1, 28)}),
        people=(
            _person("Marie-Hélène Dussert", "Déléguée générale", admin=True),
            _person("Paul Jourdan", "Chargé de mission"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Fondation Mémoire des alpages",
        family="foundation",
        legal_form="9300",
        sector="culture",
        siren="830922845",
        siret="83092284500201",
        naf="91.03Z",
        commune="05157",
        postal_code="05350",
        address="La Chalp",
        website="https://memoire-des-alpages.example.org",
        email="memoire-des-alpages@example.org",
        phone="04 65 71 10 35",
        founding_year=2015,
        employees=2,
        volunteers=25,
        description=(
            "Fondation qui restaure et fait vivre le patrimoine pastoral des hautes vallées : cabanes de berger, "
            "fours banaux, chapelles. Elle organise l'été des chantiers de bénévoles et soutient les communes qui "
            "veulent rouvrir ces bâtiments au public."
        ),
        joined_on=date(2025, 9, 22),
        fees=_fees(30000, {2025: date(2025, 10, 6), 2026: date(2026, 2, 10)}),
        people=(_person("Étienne Berthelot", "Directeur", admin=True),),
        listing_visibility="members",
    ),
    # --- Companies of the social and solidarity economy (ESUS) -------------------------
    DemoOrganisation(
        name="Durance Nettoyage Solidaire",
        family="esus_company",
        legal_form="5710",
        sector="insertion",
        siren="865639199",
        siret="86563919900328",
        naf="81.21Z",
        commune="05046",
        postal_code="05200",
        address="Zone d'activités de la Madeleine",
        website="https://durance-nettoyage.example.org",
        email="durance-nettoyage@example.org",
        phone="04 65 71 10 36",
        founding_year=2011,
        employees=26,
        volunteers=0,
        description=(
            "Entreprise d'insertion agréée ESUS qui nettoie bureaux, gîtes et locaux associatifs dans l'Embrunais "
            "et le Gapençais. Dix-huit de ses salariés sont en parcours d'insertion, accompagnés vers un emploi "
            "durable par une chargée d'insertion."
        ),
        joined_on=date(2023, 5, 9),
        fees=_fees(15000, {2025: date(2025, 3, 27), 2026: date(2026, 4, 1)}),
        people=(
            _person("Karine Bouvier", "Directrice", admin=True),
            _person("Mehdi Saïdi", "Encadrant d'équipe"),
        ),
    ),
    DemoOrganisation(
        name="Les Ateliers du Réemploi",
        family="esus_company",
        legal_form="5499",
        sector="environnement",
        siren="875563272",
        siret="87556327200108",
        naf="47.79Z",
        commune="05070",
        postal_code="05300",
        address="Zone artisanale du Plan",
        website="https://ateliers-reemploi.example.org",
        email="ateliers-reemploi@example.org",
        phone="04 65 71 10 37",
        founding_year=2019,
        employees=8,
        volunteers=0,
        description=(
            "Entreprise solidaire d'utilité sociale qui collecte, reconditionne et revend l'électroménager et le "
            "matériel informatique des entreprises et des particuliers du sud du département. Elle garantit ses "
            "appareils six mois et forme des jeunes au métier de réparateur."
        ),
        joined_on=date(2024, 6, 17),
        fees=_fees(15000, {2025: date(2025, 2, 19), 2026: None}),
        people=(
            _person("Arnaud Reynier", "Gérant", admin=True),
            _person("Océane Tardieu", "Technicienne"),
        ),
    ),
    DemoOrganisation(
        name="Cimes Numériques",
        family="esus_company",
        legal_form="5710",
        sector="numerique",
        siren="954434668",
        siret="95443466800107",
        naf="62.01Z",
        commune="05061",
        postal_code="05000",
        address="Espace de travail partagé, 10 rue Colonel-Roux",
        website="https://cimes-numeriques.example.org",
        email="cimes-numeriques@example.org",
        phone="04 65 71 10 38",
        founding_year=2021,
        employees=5,
        volunteers=0,
        description=(
            "Agence numérique agréée ESUS qui conçoit des sites web sobres et accessibles pour les associations et "
            "les collectivités, et forme leurs équipes aux logiciels libres. Elle consacre un jour par semaine à "
            "aider gratuitement les petites associations du pôle."
        ),
        joined_on=date(2024, 11, 25),
        fees=_fees(15000, {2025: date(2025, 1, 17), 2026: date(2026, 1, 20)}),
        people=(
            _person("Hugo Ferrand", "Cogérant", admin=True),
            _person("Mélanie Gras", "Développeuse"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Gîtes Solidaires des Écrins",
        family="esus_company",
        legal_form="5710",
        sector="tourisme",
        siren="854814142",
        siret="85481414200402",
        naf="55.20Z",
        commune="05079",
        postal_code="05220",
        address="Le Casset",
        website="https://gites-solidaires-ecrins.example.org",
        email="gites-solidaires-ecrins@example.org",
        phone="04 65 71 10 39",
        founding_year=2016,
        employees=7,
        volunteers=0,
        description=(
            "Société de tourisme social qui gère trois gîtes de groupe et réserve un tiers de ses nuitées, à tarif "
            "solidaire, à des familles et des jeunes qui ne partent jamais en vacances. Elle travaille avec les "
            "centres sociaux et les foyers de jeunes travailleurs de la région."
        ),
        joined_on=date(2022, 10, 17),
        fees=_fees(15000, {2025: date(2025, 4, 8), 2026: date(2026, 5, 11)}),
        people=(
            _person("Florence Jacob", "Directrice", admin=True),
            _person("Adrien Masson", "Responsable d'hébergement"),
        ),
    ),
    DemoOrganisation(
        name="Paniers Paysans des Alpes",
        family="esus_company",
        legal_form="5710",
        sector="alimentation",
        siren="825698988",
        siret="82569898800227",
        naf="46.39B",
        commune="05115",
        postal_code="05190",
        address="Plateforme logistique, route de la Durance",
        website="https://paniers-paysans.example.org",
        email="paniers-paysans@example.org",
        phone="04 65 71 10 40",
        founding_year=2017,
        employees=6,
        volunteers=0,
        description=(
            "Plateforme de distribution en circuit court qui rassemble l'offre de 70 producteurs des Hautes-Alpes "
            "et livre les cantines, les épiceries et les restaurants du département. Son entrepôt et son camion "
            "frigorifique sont partagés avec d'autres membres du pôle."
        ),
        joined_on=date(2023, 7, 3),
        fees=_fees(15000, {2025: date(2025, 3, 7), 2026: date(2026, 3, 5)}),
        people=(
            _person("Bastien Escallier", "Gérant", admin=True),
            _person("Justine Ricou", "Logisticienne"),
            _person("Laurence Bellot", "Chargée des relations avec les producteurs"),
        ),
    ),
    DemoOrganisation(
        name="Sentiers Partagés",
        family="esus_company",
        legal_form="5710",
        sector="tourisme",
        siren="924437858",
        siret="92443785800302",
        naf="79.90Z",
        commune="05063",
        postal_code="05320",
        address="Les Hières",
        website="https://sentiers-partages.example.org",
        email="sentiers-partages@example.org",
        phone="04 65 71 10 41",
        founding_year=2025,
        employees=2,
        volunteers=0,
        description=(
            "Jeune société qui organise des séjours de montagne adaptés aux personnes à mobilité réduite et à leurs "
            "aidants, avec des hébergeurs et des accompagnateurs du Briançonnais et de l'Oisans. Elle a demandé "
            "l'agrément ESUS et compte sur le pôle pour trouver des partenaires."
        ),
        status="candidate",
        joined_on=None,
        applied_on=date(2026, 10, 20),
        contact=_person("Thibault Lenoir", "Cofondateur", phone="06 39 98 41 07"),
    ),
    # --- Local authorities -------------------------------------------------------------
    DemoOrganisation(
        name="Communauté de communes des Hautes Vallées du Buëch",
        family="local_authority",
        legal_form="7346",
        sector="habitat",
        siren="200576304",
        siret="20057630400220",
        naf="84.11Z",
        commune="05179",
        postal_code="05400",
        address="Hôtel communautaire, 1 rue de la Mairie",
        website="https://hautes-vallees-buech.example.org",
        email="hautes-vallees-buech@example.org",
        phone="04 65 71 10 42",
        founding_year=2017,
        employees=38,
        volunteers=0,
        description=(
            "Intercommunalité de dix-neuf communes du haut Buëch, qui porte le développement économique, la "
            "collecte des déchets et une plateforme de rénovation énergétique de l'habitat. Elle soutient "
            "l'économie sociale et solidaire par des locaux à loyer modéré et une part de sa commande publique."
        ),
        circle="partner",
        joined_on=FOUNDING_DAY,
        fees=_fees(30000, {2025: date(2025, 5, 15), 2026: date(2026, 6, 15)}),
        people=(
            _person("Sylvie Brunet", "Chargée de mission économie sociale et solidaire", admin=True),
            _person("Éric Dalmas", "Vice-président au développement économique"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Centre intercommunal d'action sociale du Haut-Champsaur",
        family="local_authority",
        legal_form="7367",
        sector="social",
        siren="266790641",
        siret="26679064100101",
        naf="88.99B",
        commune="05132",
        postal_code="05500",
        address="Maison des services publics, place Grenette",
        website="https://cias-haut-champsaur.example.org",
        email="cias-haut-champsaur@example.org",
        phone="04 65 71 10 43",
        founding_year=2004,
        employees=21,
        volunteers=0,
        description=(
            "Centre intercommunal d'action sociale qui gère un service d'aide à domicile, le portage de repas et "
            "les aides facultatives des communes du haut Champsaur. Il travaille avec l'épicerie solidaire et les "
            "associations locales pour repérer les personnes isolées."
        ),
        joined_on=date(2023, 10, 2),
        fees=_fees(30000, {2025: date(2025, 6, 2), 2026: None}),
        people=(
            _person("Corinne Pascal", "Directrice", admin=True),
            _person("Damien Roubaud", "Responsable du portage de repas"),
        ),
        identifiers_visibility="public",
    ),
    DemoOrganisation(
        name="Syndicat intercommunal du domaine nordique de Réallon",
        family="local_authority",
        legal_form="7353",
        sector="tourisme",
        siren="251742789",
        siret="25174278900109",
        naf="93.11Z",
        commune="05114",
        postal_code="05160",
        address="Foyer nordique, plateau de Réallon",
        website="https://nordique-reallon.example.org",
        email="nordique-reallon@example.org",
        phone="04 65 71 10 44",
        founding_year=1989,
        employees=4,
        volunteers=0,
        description=(
            "Syndicat intercommunal qui gère les pistes de ski de fond, de raquettes et de randonnée du plateau de "
            "Réallon et leur foyer d'accueil. Hors saison, il prête sa salle et son matériel de damage aux "
            "associations du Savinois."
        ),
        joined_on=date(2025, 11, 17),
        fees=_fees(30000, {2025: date(2025, 12, 8), 2026: date(2026, 6, 22)}),
        people=(_person("Jean-Pierre Allemand", "Président", admin=True),),
    ),
    DemoOrganisation(
        name="Commune de Val Buëch-Méouge",
        family="local_authority",
        legal_form="7210",
        sector="environnement",
        siren="200687382",
        siret="20068738200123",
        naf="84.11Z",
        commune="05118",
        postal_code="05300",
        address="Mairie, place de la République",
        website="https://val-buech-meouge.example.org",
        email="val-buech-meouge@example.org",
        phone="04 65 71 10 45",
        founding_year=2017,
        employees=12,
        volunteers=0,
        description=(
            "Commune rurale du Buëch qui a ouvert dans son ancienne école un tiers-lieu géré avec les associations "
            "du village : salle partagée, bureaux, atelier de réparation. Elle accompagne les projets d'économie "
            "sociale et solidaire de ses habitants."
        ),
        circle="partner",
        joined_on=date(2024, 4, 8),
        fees=_fees(30000, {2025: date(2025, 4, 28), 2026: date(2026, 5, 26)}),
        people=(
            _person("Nadine Reboul", "Secrétaire générale de mairie", admin=True),
            _person("Roger Pons", "Adjoint au maire"),
        ),
    ),
    # --- Other companies ---------------------------------------------------------------
    DemoOrganisation(
        name="Transports Alpins du Buëch",
        family="other_company",
        legal_form="5499",
        sector="mobilite",
        siren="573907326",
        siret="57390732600124",
        naf="49.39B",
        commune="05017",
        postal_code="05230",
        address="Dépôt de la Plaine",
        website="https://transports-alpins-buech.example.org",
        email="transports-alpins-buech@example.org",
        phone="04 65 71 10 46",
        founding_year=1978,
        employees=22,
        volunteers=0,
        description=(
            "Entreprise familiale de transport de voyageurs qui exploite des lignes scolaires et du transport à la "
            "demande dans le Gapençais et le Buëch. Partenaire du pôle, elle essaie avec la coopérative "
            "d'autopartage et le centre social du Rosanais des trajets partagés pour les habitants sans voiture."
        ),
        circle="partner",
        joined_on=date(2023, 8, 28),
        fees=_fees(15000, {2025: date(2025, 5, 20), 2026: date(2026, 6, 8)}),
        people=(_person("Philippe Chaud", "Directeur", admin=True),),
        figures_visibility="members",
    ),
    DemoOrganisation(
        name="Le Fournil de Chorges",
        family="other_company",
        legal_form="5499",
        sector="commerce",
        siren="331890277",
        siret="33189027700204",
        naf="10.71C",
        commune="05040",
        postal_code="05230",
        address="8 Grande Rue",
        website="https://fournil-chorges.example.org",
        email="fournil-chorges@example.org",
        phone="04 65 71 10 47",
        founding_year=2008,
        employees=5,
        volunteers=0,
        description=(
            "Boulangerie artisanale au levain, qui cuit les farines des moulins des Hautes-Alpes. Elle a pris part "
            "aux premiers achats groupés de farine du pôle."
        ),
        status="left",
        joined_on=date(2022, 10, 10),
        left_on=date(2026, 3, 31),
        decision_reason=(
            "Départ à la retraite des gérants et cession du fonds ; le repreneur n'a pas renouvelé l'adhésion."
        ),
        fees=_fees(5000, {2025: date(2025, 3, 17)}),
        people=(_person("Marc Ailhaud", "Gérant", admin=True),),
        identifiers_visibility="private",
    ),
    DemoOrganisation(
        name="Névé Conseil",
        family="other_company",
        legal_form="5710",
        sector="finance",
        siren="370889578",
        siret="37088957800313",
        naf="69.20Z",
        commune="05061",
        postal_code="05000",
        address="25 avenue Jean-Jaurès",
        website="https://neve-conseil.example.org",
        email="neve-conseil@example.org",
        phone="04 65 71 10 48",
        founding_year=2014,
        employees=9,
        volunteers=0,
        description=(
            "Cabinet d'expertise comptable spécialisé dans les associations et les coopératives. Partenaire du "
            "pôle, il anime des ateliers sur les plans de trésorerie et les dossiers de subvention, et aide "
            "bénévolement les structures en difficulté que lui signale le comité d'engagement."
        ),
        circle="partner",
        joined_on=date(2024, 2, 26),
        fees=_fees(15000, {2025: date(2025, 3, 21), 2026: date(2026, 3, 24)}),
        people=(
            _person("Caroline Davin", "Experte-comptable associée", admin=True),
            _person("Thomas Giraud", "Collaborateur comptable"),
        ),
        identifiers_visibility="public",
    ),
)
