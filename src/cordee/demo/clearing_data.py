"""The demo's services between members, invoiced over the last three full months and this one, laid
out so that the debts form cycles a clearing run can cancel — and chains it cannot.

Who owes whom (debtor → creditor, once the payments below are made; amounts including VAT):
- a triangle of the food trade: La Marmite → Paniers Paysans (vegetables, 2 637,50 €) → Graines de
  Montagne (school workshops, 1 800 €) → La Marmite (picnics, 1 783,65 €, and 495 € disputed);
- a triangle of services: Compagnie des accompagnateurs → Névé Conseil (accounts, 1 440 €) → Gîtes
  Solidaires (seminar, 1 091,20 €) → Compagnie des accompagnateurs (guided outings, 1 260 €);
- a 4-cycle: Imprimerie → Cap Ouvrage (graphic design) → Gîte de la Clarée (seminar) → Énergies
  Citoyennes (solar study) → Imprimerie (annual report);
- a 5-cycle: Centre social du Rosanais → Ateliers du Réemploi (computers) → Durance Nettoyage
  (cleaning) → Cimes Numériques (website) → MJC du Laragnais (hall) → Centre social (youth stay);
- the hub and the demo's association: the hub → La Marmite (buffet) → Jardins solidaires
  (vegetables) → the hub (training), Jardins → Graines, Centre social → Jardins;
- cycles that stay open: through Transports Alpins du Buëch, which has not signed the set-off
  agreement, and through the Coopérative fromagère, which withdrew;
- chains without a cycle, for the liquidity proposal: the Syndicat nordique → Bois Énergie →
  Durance Nettoyage, the Mutuelle alpine → Cimes pour tous → Compagnie des accompagnateurs, the
  Fondation Mémoire des alpages → Maison du patrimoine → SCOP Charpente, the Fondation Alpes
  Solidaires → La Marmite, the Communauté de communes (not signed) → Énergies Citoyennes.
This month's invoices open new cycles with what the executed run left.

VAT as the issuer's status has it: an association or a foundation invoices without VAT, under the
franchise (CGI art. 293 B) or, for training, the exemption of art. 261-4-4° a; a cooperative or a
company invoices VAT at the rate of what it sells: 5,5 % on food products, 10 % on meals served,
accommodation, passenger transport and firewood, 20 % on everything else (CGI art. 278 to 279).
"""

from __future__ import annotations

from dataclasses import dataclass

from cordee.demo.data import ASSOCIATION_WITH_DEMO_LOGINS
from cordee.invoicing.models import Exemption

HUB = None

JARDINS = ASSOCIATION_WITH_DEMO_LOGINS
MJC = "Maison des jeunes et de la culture du Laragnais"
CIMES_POUR_TOUS = "Cimes pour tous"
CENTRE_SOCIAL = "Centre social rural du Rosanais"
PATRIMOINE = "Maison du patrimoine du Valgaudemar"
ACCOMPAGNATEURS = "Compagnie des accompagnateurs du Dévoluy"
GRAINES = "Graines de Montagne"
ENTRAIDE = "Entraide paysanne alpine"
CLAREE = "Gîte associatif de la Clarée"
NUITS = "Les Nuits du Queyras"
RADIO = "Radio Durance Montagne"
CHARPENTE = "SCOP Charpente et Bois du Champsaur"
ENERGIES = "Énergies Citoyennes du Briançonnais"
CAP_OUVRAGE = "Cap Ouvrage"
FROMAGERE = "Coopérative fromagère des alpages du Queyras"
IMPRIMERIE = "Imprimerie coopérative du Buëch"
BOIS_ENERGIE = "Bois Énergie Durance"
MARMITE = "La Marmite coopérative"
MUTUELLE = "Mutuelle alpine de santé"
FONDATION = "Fondation Alpes Solidaires"
MEMOIRE = "Fondation Mémoire des alpages"
NETTOYAGE = "Durance Nettoyage Solidaire"
REEMPLOI = "Les Ateliers du Réemploi"
NUMERIQUES = "Cimes Numériques"
GITES = "Gîtes Solidaires des Écrins"
PANIERS = "Paniers Paysans des Alpes"
COMCOM = "Communauté de communes des Hautes Vallées du Buëch"
NORDIQUE = "Syndicat intercommunal du domaine nordique de Réallon"
TRANSPORTS = "Transports Alpins du Buëch"
NEVE = "Névé Conseil"

# Members that have not signed the set-off agreement: a family firm still thinking it over, and an
# intercommunality whose payments go through its public accountant (comptable public), who cannot
# take part in a private set-off.
NOT_SIGNED = (TRANSPORTS, COMCOM)
# Signed, then withdrew: the cooperative's board wants its seasonal receipts paid in cash.
WITHDRAWN = FROMAGERE
WITHDRAWN_MONTHS_AGO, WITHDRAWN_DAY = 2, 20

# The cycles the executed run clears, as their members in debt order (each owes the next, the last
# owes the first): the tests check each of them is cleared.
CYCLES = (
    (MARMITE, PANIERS, GRAINES),
    (ACCOMPAGNATEURS, NEVE, GITES),
    (IMPRIMERIE, CAP_OUVRAGE, CLAREE, ENERGIES),
    (CENTRE_SOCIAL, REEMPLOI, NETTOYAGE, NUMERIQUES, MJC),
)

FRANCHISE = Exemption.FRANCHISE.value
TRAINING = Exemption.TRAINING.value
FOOD, SERVED, STANDARD = 550, 1000, 2000  # VAT rates, in basis points


@dataclass(frozen=True)
class DemoInvoice:
    key: str  # its source is "demo:clearing:<key>": issued once
    issuer: str | None  # an organisation's name; None: the hub
    recipient: str | None
    months_ago: int  # 3, 2, 1: the last three full months; 0: this month (never after today)
    day: int
    lines: tuple[tuple[str, str, int], ...]  # (label, quantity, unit price excluding VAT in cents)
    vat: int | str  # a rate in basis points, or the exemption of a line at 0 %
    paid_after_days: int | None = None  # paid by the recipient that many days after the issue
    dispute: str = ""  # contested by the recipient, for this reason


INVOICES: tuple[DemoInvoice, ...] = (
    # --- Three months ago ---------------------------------------------------------------------
    DemoInvoice(
        "paniers-marmite-1",
        PANIERS,
        MARMITE,
        3,
        5,
        (("Légumes et fruits de saison — livraisons du mois", "1", 120_000),),
        FOOD,
        paid_after_days=35,
    ),
    DemoInvoice(
        "neve-pole-budget",
        NEVE,
        HUB,
        3,
        8,
        (("Aide au montage du budget prévisionnel du pôle (jours)", "1.5", 60_000),),
        STANDARD,
        paid_after_days=28,
    ),
    DemoInvoice(
        "neve-accompagnateurs-bilan",
        NEVE,
        ACCOMPAGNATEURS,
        3,
        12,
        (("Tenue des comptes et bilan de l'exercice 2025-2026", "1", 120_000),),
        STANDARD,
    ),
    DemoInvoice(
        "charpente-patrimoine-vitrines",
        CHARPENTE,
        PATRIMOINE,
        3,
        14,
        (
            ("Vitrines d'exposition en mélèze du Champsaur", "3", 52_000),
            ("Socles et cimaises, pose comprise", "1", 59_000),
        ),
        STANDARD,
    ),
    DemoInvoice(
        "cap-imprimerie-revue",
        CAP_OUVRAGE,
        IMPRIMERIE,
        3,
        18,
        (("Conception graphique et mise en page de la revue « Buëch en commun » (heures)", "37", 5_000),),
        STANDARD,
    ),
    DemoInvoice(
        "reemploi-centre-social-ordinateurs",
        REEMPLOI,
        CENTRE_SOCIAL,
        3,
        20,
        (("Ordinateur portable reconditionné, garanti un an, pour l'espace numérique", "8", 21_500),),
        STANDARD,
    ),
    DemoInvoice(
        "entraide-fromagere-mediation",
        ENTRAIDE,
        FROMAGERE,
        3,
        22,
        (("Médiation et diagnostic d'exploitation pour un associé coopérateur", "1", 90_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "neve-transports-comptes",
        NEVE,
        TRANSPORTS,
        3,
        25,
        (("Accompagnement à l'établissement des comptes annuels", "1", 150_000),),
        STANDARD,
    ),
    DemoInvoice(
        "marmite-graines-pique-niques",
        MARMITE,
        GRAINES,
        3,
        26,
        (("Pique-niques des classes en sortie (repas)", "85", 750),),
        SERVED,
    ),
    DemoInvoice(
        "nettoyage-reemploi-1",
        NETTOYAGE,
        REEMPLOI,
        3,
        28,
        (("Nettoyage de l'atelier et des vitrages — forfait mensuel", "1", 38_000),),
        STANDARD,
        paid_after_days=20,
    ),
    # --- Two months ago ---------------------------------------------------------------------
    DemoInvoice(
        "paniers-marmite-2",
        PANIERS,
        MARMITE,
        2,
        5,
        (("Légumes et fruits de saison — livraisons du mois", "1", 140_000),),
        FOOD,
    ),
    DemoInvoice(
        "fromagere-marmite-tommes",
        FROMAGERE,
        MARMITE,
        2,
        8,
        (
            ("Tommes du Queyras pour les cantines (kg)", "24", 1_650),
            ("Yaourts fermiers (lots de 12)", "30", 680),
        ),
        FOOD,
    ),
    DemoInvoice(
        "gites-neve-seminaire",
        GITES,
        NEVE,
        2,
        9,
        (("Séminaire d'équipe : nuitée en pension complète", "16", 6_200),),
        SERVED,
    ),
    DemoInvoice(
        "memoire-patrimoine-exposition",
        PATRIMOINE,
        MEMOIRE,
        2,
        10,
        (("Location de l'exposition « Bergers d'hier » pour trois mois", "1", 120_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "claree-cap-seminaire",
        CLAREE,
        CAP_OUVRAGE,
        2,
        11,
        (("Séminaire des entrepreneurs-salariés : nuitée, dîner et petit-déjeuner", "22", 4_800),),
        FRANCHISE,
    ),
    DemoInvoice(
        "transports-graines-autocar",
        TRANSPORTS,
        GRAINES,
        2,
        12,
        (("Transport des classes en autocar, aller-retour", "5", 32_000),),
        SERVED,
    ),
    DemoInvoice(
        "energies-claree-etude",
        ENERGIES,
        CLAREE,
        2,
        15,
        (("Étude d'opportunité photovoltaïque des toitures du gîte", "1", 75_000),),
        STANDARD,
    ),
    DemoInvoice(
        "jardins-centre-social-espaces-verts",
        JARDINS,
        CENTRE_SOCIAL,
        2,
        15,
        (("Entretien des espaces verts du centre par l'équipe en insertion (passages)", "3", 21_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "graines-paniers-ateliers-1",
        GRAINES,
        PANIERS,
        2,
        16,
        (("Animation « Du champ à la cantine » dans une école", "6", 18_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "numeriques-nettoyage-site",
        NUMERIQUES,
        NETTOYAGE,
        2,
        17,
        (
            ("Refonte du site internet, accessible et sobre", "1", 165_000),
            ("Formation de l'équipe à la mise à jour du site (demi-journées)", "2", 15_000),
        ),
        STANDARD,
    ),
    DemoInvoice(
        "pole-jardins-formation",
        HUB,
        JARDINS,
        2,
        18,
        (("Formation collective « Piloter sa trésorerie » (participants)", "2", 12_000),),
        TRAINING,
    ),
    DemoInvoice(
        "pole-marmite-formation",
        HUB,
        MARMITE,
        2,
        18,
        (("Formation collective « Piloter sa trésorerie » (participants)", "1", 12_000),),
        TRAINING,
    ),
    DemoInvoice(
        "mjc-numeriques-rencontre",
        MJC,
        NUMERIQUES,
        2,
        19,
        (("Salle de spectacle et régie pour la rencontre « Numérique responsable »", "1", 65_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "bois-nordique-1",
        BOIS_ENERGIE,
        NORDIQUE,
        2,
        20,
        (("Plaquette forestière pour la chaufferie du foyer (MAP)", "28", 3_200),),
        SERVED,
        paid_after_days=30,
    ),
    DemoInvoice(
        "marmite-graines-classes",
        MARMITE,
        GRAINES,
        2,
        23,
        (("Repas des classes de découverte", "120", 820),),
        SERVED,
    ),
    DemoInvoice(
        "cimes-mutuelle-prevention",
        CIMES_POUR_TOUS,
        MUTUELLE,
        2,
        24,
        (("Journée prévention « Bouger adapté » : encadrement d'un atelier", "3", 18_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "imprimerie-pole-lettre",
        IMPRIMERIE,
        HUB,
        2,
        25,
        (("Impression de la lettre du pôle n° 12, papier recyclé (800 exemplaires)", "1", 62_000),),
        STANDARD,
    ),
    DemoInvoice(
        "energies-comcom-solaire",
        ENERGIES,
        COMCOM,
        2,
        26,
        (("Étude du potentiel solaire des toitures intercommunales", "1", 320_000),),
        STANDARD,
    ),
    DemoInvoice(
        "nettoyage-reemploi-2",
        NETTOYAGE,
        REEMPLOI,
        2,
        28,
        (("Nettoyage de l'atelier et des vitrages — forfait mensuel", "1", 38_000),),
        STANDARD,
    ),
    # --- Last month -------------------------------------------------------------------------
    DemoInvoice(
        "paniers-marmite-3",
        PANIERS,
        MARMITE,
        1,
        5,
        (("Légumes et fruits de saison — livraisons du mois", "1", 110_000),),
        FOOD,
    ),
    DemoInvoice(
        "jardins-marmite-legumes",
        JARDINS,
        MARMITE,
        1,
        6,
        (("Légumes biologiques de plein champ pour la cuisine (caisses)", "26", 3_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "imprimerie-energies-rapport",
        IMPRIMERIE,
        ENERGIES,
        1,
        8,
        (
            ("Rapport annuel, 500 exemplaires sur papier recyclé", "1", 112_000),
            ("Convocations à l'assemblée générale des sociétaires", "1", 22_000),
        ),
        STANDARD,
    ),
    DemoInvoice(
        "accompagnateurs-gites-sorties",
        ACCOMPAGNATEURS,
        GITES,
        1,
        9,
        (("Sortie accompagnée pour les familles accueillies (demi-journées)", "6", 21_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "marmite-entraide-assemblee",
        MARMITE,
        ENTRAIDE,
        1,
        10,
        (("Buffet de l'assemblée générale du réseau (couverts)", "70", 1_200),),
        SERVED,
    ),
    DemoInvoice(
        "graines-paniers-ateliers-2",
        GRAINES,
        PANIERS,
        1,
        13,
        (("Animation « Du champ à la cantine » dans une école", "4", 18_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "marmite-graines-sortie-annulee",
        MARMITE,
        GRAINES,
        1,
        15,
        (("Pique-niques de la sortie au lac de Serre-Ponçon (repas)", "60", 750),),
        SERVED,
        dispute=(
            "Sortie annulée la veille pour vigilance orages : les 60 pique-niques ont été décommandés "
            "par téléphone avant 9 h, comme le prévoit le devis."
        ),
    ),
    DemoInvoice(
        "centre-social-mjc-sejour",
        CENTRE_SOCIAL,
        MJC,
        1,
        16,
        (("Séjour jeunes : hébergement et repas (journées-participant)", "36", 2_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "marmite-fondation-cocktail",
        MARMITE,
        FONDATION,
        1,
        17,
        (("Cocktail de la soirée des donateurs (personnes)", "120", 1_400),),
        SERVED,
    ),
    DemoInvoice(
        "marmite-pole-pleniere",
        MARMITE,
        HUB,
        1,
        20,
        (("Buffet de l'assemblée plénière du pôle (couverts)", "90", 1_150),),
        SERVED,
    ),
    DemoInvoice(
        "graines-jardins-sol-vivant",
        GRAINES,
        JARDINS,
        1,
        20,
        (("Atelier « Sol vivant » pour les salariés en insertion", "2", 19_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "graines-neve-sortie",
        GRAINES,
        NEVE,
        1,
        21,
        (("Journée nature pour l'équipe du cabinet", "1", 48_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "accompagnateurs-cimes-joelette",
        ACCOMPAGNATEURS,
        CIMES_POUR_TOUS,
        1,
        22,
        (("Accompagnement d'une sortie en joëlette", "2", 18_000),),
        FRANCHISE,
    ),
    DemoInvoice(
        "bois-nordique-2",
        BOIS_ENERGIE,
        NORDIQUE,
        1,
        23,
        (("Plaquette forestière pour la chaufferie du foyer (MAP)", "34", 3_200),),
        SERVED,
    ),
    DemoInvoice(
        "nettoyage-bois-chaufferie",
        NETTOYAGE,
        BOIS_ENERGIE,
        1,
        24,
        (("Nettoyage de la chaufferie et des bureaux", "1", 32_000),),
        STANDARD,
    ),
    DemoInvoice(
        "imprimerie-comcom-guide",
        IMPRIMERIE,
        COMCOM,
        1,
        27,
        (("Guide du tri des déchets (2 000 exemplaires)", "1", 145_000),),
        STANDARD,
    ),
    DemoInvoice(
        "nettoyage-reemploi-3",
        NETTOYAGE,
        REEMPLOI,
        1,
        28,
        (("Nettoyage de l'atelier et des vitrages — forfait mensuel", "1", 38_000),),
        STANDARD,
    ),
    # --- This month, after the run ------------------------------------------------------------
    DemoInvoice(
        "energies-cap-formation",
        ENERGIES,
        CAP_OUVRAGE,
        0,
        3,
        (("Formation « Monter un projet d'énergie citoyenne » pour les entrepreneurs-salariés", "1", 60_000),),
        STANDARD,
    ),
    DemoInvoice(
        "marmite-paniers-inventaire",
        MARMITE,
        PANIERS,
        0,
        4,
        (("Repas de l'inventaire annuel de la plateforme (couverts)", "25", 1_100),),
        SERVED,
    ),
    DemoInvoice(
        "numeriques-pole-maintenance",
        NUMERIQUES,
        HUB,
        0,
        5,
        (("Maintenance du site du pôle — trimestre", "1", 45_000),),
        STANDARD,
    ),
    DemoInvoice(
        "neve-gites-paie",
        NEVE,
        GITES,
        0,
        6,
        (("Bulletins de paie et déclarations sociales des saisonniers", "12", 3_800),),
        STANDARD,
    ),
    DemoInvoice(
        "imprimerie-nuits-affiches",
        IMPRIMERIE,
        NUITS,
        0,
        7,
        (
            ("Affiches du festival d'hiver, format A2", "150", 380),
            ("Programmes pliés, 3 volets", "2000", 21),
        ),
        STANDARD,
    ),
    DemoInvoice(
        "reemploi-radio-postes",
        REEMPLOI,
        RADIO,
        0,
        10,
        (("Poste de montage audio reconditionné", "2", 34_000),),
        STANDARD,
    ),
    DemoInvoice(
        "gites-accompagnateurs-hebergement",
        GITES,
        ACCOMPAGNATEURS,
        0,
        12,
        (("Hébergement des accompagnateurs pendant la formation neige (nuitées)", "8", 4_500),),
        SERVED,
    ),
)
