"""The demo hub's skills exchange: what its members offer each other and what they look for.

Each listing is (organisation, nature, category, title, description, availability, terms) where
terms is ("free",), ("hours", minutes) or ("euros", cents). The texts are invented but of the kind
members of a hub of the Hautes-Alpes write; their commune is their organisation's.
"""

from __future__ import annotations

from dataclasses import dataclass

from cordee.demo.data import ASSOCIATION_WITH_DEMO_LOGINS, COOPERATIVE_OF_THE_COMMITTEE_MEMBER


@dataclass(frozen=True)
class DemoListing:
    organisation: str
    nature: str
    category: str
    title: str
    description: str
    availability: str
    terms: tuple[str, int] | tuple[str]


H = 60  # minutes in an hour

OFFERS: tuple[DemoListing, ...] = (
    DemoListing(
        "Névé Conseil",
        "skill",
        "accounting",
        "Comptable bénévole : bilans et comptes annuels d'association",
        "Expert-comptable de formation, j'aide à préparer le bilan, le compte de résultat et l'annexe "
        "des comptes annuels, et à présenter les comptes à l'assemblée générale.",
        "En soirée et le samedi matin, de janvier à avril",
        ("hours", 6 * H),
    ),
    DemoListing(
        "Cimes Numériques",
        "skill",
        "digital",
        "Création et mise à jour de sites internet associatifs",
        "Nous créons des sites simples (WordPress, Hugo) que vous pourrez mettre à jour vous-mêmes, "
        "avec une formation d'une demi-journée à la prise en main.",
        "Un projet par mois",
        ("euros", 45_000),
    ),
    DemoListing(
        "Cimes Numériques",
        "service",
        "digital",
        "Dépannage informatique et sauvegardes",
        "Diagnostic d'ordinateurs lents, installation de logiciels libres, mise en place d'une "
        "sauvegarde automatique des données de l'association.",
        "Le mardi et le jeudi",
        ("hours", 2 * H),
    ),
    DemoListing(
        "Radio Durance Montagne",
        "skill",
        "communication",
        "Enregistrement de podcasts et spots radio",
        "Notre studio et un technicien pour enregistrer un podcast, un spot de promotion de votre "
        "événement ou une interview, montage compris.",
        "Studio libre le lundi et le mercredi après-midi",
        ("hours", 3 * H),
    ),
    DemoListing(
        "Radio Durance Montagne",
        "equipment",
        "events",
        "Prêt d'une sono portable et de micros sans fil",
        "Sono de 2 × 300 W, table de mixage, deux micros sans fil et pieds, pour une fête, une "
        "assemblée générale ou une conférence en plein air.",
        "Week-ends, à réserver deux semaines avant",
        ("free",),
    ),
    DemoListing(
        "Recyclerie du Buëch",
        "equipment",
        "logistics",
        "Prêt d'une remorque plateau 750 kg",
        "Remorque plateau avec ridelles, permis B suffisant. Idéale pour un déménagement ou du matériel de chantier.",
        "En semaine",
        ("free",),
    ),
    DemoListing(
        "Recyclerie du Buëch",
        "service",
        "maintenance",
        "Réparation de petit électroménager",
        "Nos bénévoles du repair café réparent grille-pain, bouilloires, aspirateurs et lampes de "
        "vos locaux, ou vous apprennent à le faire.",
        "Premier samedi du mois",
        ("hours", 1 * H),
    ),
    DemoListing(
        "Vélo Alpin Solidaire",
        "service",
        "logistics",
        "Livraison à vélo cargo dans Gap",
        "Livraison de colis, de paniers ou de documents en vélo cargo électrique dans Gap et les "
        "communes voisines, jusqu'à 100 kg.",
        "Du lundi au vendredi",
        ("euros", 1_500),
    ),
    DemoListing(
        "Vélo Alpin Solidaire",
        "skill",
        "training",
        "Atelier d'entretien de vélo pour vos salariés",
        "Un atelier de deux heures pour apprendre à régler ses freins, changer une chambre à air et "
        "entretenir sa transmission.",
        "Sur demande",
        ("hours", 2 * H),
    ),
    DemoListing(
        "Le Fablab des Écrins",
        "equipment",
        "maintenance",
        "Découpe laser et impression 3D",
        "Accès accompagné à la découpeuse laser et aux imprimantes 3D pour fabriquer une "
        "signalétique, des présentoirs ou des pièces de rechange.",
        "Le mercredi et le vendredi après-midi",
        ("hours", 2 * H),
    ),
    DemoListing(
        "Le Fablab des Écrins",
        "skill",
        "training",
        "Initiation à la fabrication numérique pour les jeunes",
        "Animation d'ateliers de découverte (découpe vinyle, impression 3D, électronique) pour un "
        "groupe de 8 à 12 jeunes.",
        "Vacances scolaires",
        ("euros", 18_000),
    ),
    DemoListing(
        "Théâtre du Faubourg",
        "skill",
        "training",
        "Prise de parole en public et animation de réunion",
        "Une comédienne formatrice aide vos équipes et vos bénévoles à prendre la parole en "
        "assemblée générale ou devant des financeurs.",
        "Lundi et mardi",
        ("hours", 3 * H),
    ),
    DemoListing(
        "Théâtre du Faubourg",
        "equipment",
        "events",
        "Prêt de projecteurs de scène et de pendrillons",
        "Six projecteurs LED, une console DMX et des pendrillons noirs pour habiller une salle.",
        "Hors périodes de spectacle",
        ("free",),
    ),
    DemoListing(
        COOPERATIVE_OF_THE_COMMITTEE_MEMBER,
        "skill",
        "maintenance",
        "Conseil pour l'aménagement bois de vos locaux",
        "Nos charpentiers conseillent pour l'isolation, un abri, une mezzanine ou du mobilier en "
        "bois local, devis et plans compris.",
        "Hors saison de chantier, d'octobre à mars",
        ("hours", 2 * H),
    ),
    DemoListing(
        "Énergies Citoyennes du Briançonnais",
        "skill",
        "agriculture",
        "Diagnostic des consommations d'énergie de vos locaux",
        "Relevé des consommations, visite thermique et propositions d'économies d'énergie, avec "
        "les aides mobilisables.",
        "Toute l'année",
        ("hours", 4 * H),
    ),
    DemoListing(
        "Mobil'Alpes",
        "equipment",
        "logistics",
        "Prêt d'un minibus neuf places",
        "Minibus neuf places pour une sortie, un séjour ou un déplacement de bénévoles; carburant à votre charge.",
        "Week-ends et vacances scolaires",
        ("euros", 6_000),
    ),
    DemoListing(
        "Cap Ouvrage",
        "service",
        "maintenance",
        "Petits travaux de peinture et de rénovation",
        "Notre équipe en insertion réalise peinture, pose de placo et petites réparations dans vos locaux.",
        "Planning à convenir, délai de trois semaines",
        ("euros", 28_000),
    ),
    DemoListing(
        "Durance Nettoyage Solidaire",
        "service",
        "maintenance",
        "Nettoyage de locaux après un événement",
        "Nettoyage complet d'une salle après une fête, un repas associatif ou un salon.",
        "Sur réservation",
        ("euros", 12_000),
    ),
    DemoListing(
        "Les Ateliers du Réemploi",
        "equipment",
        "events",
        "Prêt de tables et de chaises pliantes",
        "Vingt tables et cent chaises pliantes, à retirer à l'atelier de Veynes.",
        "Toute l'année",
        ("free",),
    ),
    DemoListing(
        "Fondation Alpes Solidaires",
        "skill",
        "legal",
        "Relecture de statuts et de règlement intérieur",
        "Une juriste bénévole relit vos statuts, votre règlement intérieur et vos conventions de partenariat.",
        "Réponse sous quinze jours",
        ("hours", 2 * H),
    ),
    DemoListing(
        "Fondation Alpes Solidaires",
        "skill",
        "accounting",
        "Montage de dossiers de subvention et budget prévisionnel",
        "Accompagnement à l'écriture d'un dossier de demande de subvention (État, Région, fonds "
        "européens) et à son budget prévisionnel.",
        "Sur rendez-vous",
        ("hours", 3 * H),
    ),
    DemoListing(
        "Mutuelle alpine de santé",
        "skill",
        "hr",
        "Information sur la prévoyance et la complémentaire santé des salariés",
        "Une séance d'information pour les employeurs associatifs sur leurs obligations de "
        "complémentaire santé et de prévoyance.",
        "Un jeudi par mois",
        ("free",),
    ),
    DemoListing(
        "Centre social rural du Rosanais",
        "skill",
        "care",
        "Formation à l'accueil de publics en difficulté",
        "Nos animatrices partagent leurs pratiques d'accueil, d'écoute et d'orientation des "
        "personnes en situation de précarité.",
        "Printemps et automne",
        ("hours", 3 * H),
    ),
    DemoListing(
        "Maison des jeunes et de la culture du Laragnais",
        "equipment",
        "events",
        "Salle d'activité et vidéoprojecteur",
        "Une salle de 60 places avec vidéoprojecteur et écran pour une formation ou une réunion.",
        "Matinées en semaine",
        ("hours", 1 * H),
    ),
    DemoListing(
        "Graines de Montagne",
        "skill",
        "agriculture",
        "Conseil en semences paysannes et jardin potager",
        "Choix de variétés adaptées à l'altitude, production de semences et conduite d'un potager pédagogique.",
        "De mars à septembre",
        ("hours", 2 * H),
    ),
    DemoListing(
        ASSOCIATION_WITH_DEMO_LOGINS,
        "service",
        "agriculture",
        "Paniers de légumes pour vos événements",
        "Des légumes bio de nos jardins d'insertion pour un buffet, un repas associatif ou une distribution.",
        "De juin à novembre",
        ("euros", 9_000),
    ),
    DemoListing(
        ASSOCIATION_WITH_DEMO_LOGINS,
        "skill",
        "hr",
        "Partage d'expérience sur l'encadrement de salariés en insertion",
        "Notre encadrant technique présente l'accompagnement socioprofessionnel et les outils de "
        "suivi des parcours en chantier d'insertion.",
        "Un après-midi par trimestre",
        ("hours", 2 * H),
    ),
    DemoListing(
        "Compagnie des accompagnateurs du Dévoluy",
        "skill",
        "events",
        "Organisation de randonnées accessibles",
        "Nos accompagnateurs organisent une sortie en joëlette ou une randonnée adaptée pour vos publics.",
        "D'avril à octobre",
        ("euros", 15_000),
    ),
    DemoListing(
        "La Marmite coopérative",
        "service",
        "events",
        "Buffets et pain bio pour vos assemblées générales",
        "Buffet froid, pain bio et fougasses de notre cuisine coopérative, livrés le matin de votre événement.",
        "Commande 48 h à l'avance",
        ("euros", 5_000),
    ),
    DemoListing(
        "Maison du patrimoine du Valgaudemar",
        "skill",
        "communication",
        "Photographie et archives pour vos publications",
        "Un photographe bénévole couvre votre événement et vous cède des photos libres de droits "
        "pour votre communication.",
        "Week-ends",
        ("hours", 3 * H),
    ),
    DemoListing(
        "Névé Conseil",
        "skill",
        "digital",
        "Initiation aux tableurs pour le suivi budgétaire",
        "Apprendre à tenir un tableau de suivi de trésorerie et de budget avec LibreOffice Calc.",
        "Le lundi soir",
        ("hours", 2 * H),
    ),
)

NEEDS: tuple[DemoListing, ...] = (
    DemoListing(
        ASSOCIATION_WITH_DEMO_LOGINS,
        "skill",
        "accounting",
        "Cherche aide pour la comptabilité et le bilan de l'association",
        "Nous devons clôturer nos comptes annuels et préparer le bilan pour l'assemblée générale "
        "de juin; nous cherchons un regard comptable expérimenté.",
        "Avant fin avril",
        ("hours", 6 * H),
    ),
    DemoListing(
        ASSOCIATION_WITH_DEMO_LOGINS,
        "equipment",
        "logistics",
        "Besoin d'une remorque pour transporter des plants",
        "Transport de plants et de terreau entre nos deux jardins, une journée au printemps.",
        "Un jour en avril",
        ("free",),
    ),
    DemoListing(
        "Théâtre du Faubourg",
        "skill",
        "digital",
        "Refonte de notre site internet",
        "Notre site n'est plus à jour; nous cherchons quelqu'un pour créer un site simple avec "
        "agenda des spectacles et billetterie en ligne.",
        "Pour la saison prochaine",
        ("euros", 50_000),
    ),
    DemoListing(
        "Épicerie solidaire du Champsaur",
        "service",
        "logistics",
        "Livraisons de colis alimentaires",
        "Nous cherchons un moyen de livrer des colis alimentaires à des personnes âgées isolées "
        "de Gap, une fois par semaine.",
        "Le vendredi",
        ("euros", 1_500),
    ),
    DemoListing(
        "Crèche parentale Les Marmottes",
        "skill",
        "legal",
        "Relecture de nos statuts avant l'assemblée générale",
        "Nos statuts datent de 2009; nous voulons les mettre à jour (collège des salariés, "
        "visioconférence) et les faire relire.",
        "Avant mai",
        ("hours", 2 * H),
    ),
    DemoListing(
        "Crèche parentale Les Marmottes",
        "service",
        "maintenance",
        "Peinture de la salle de motricité",
        "Repeindre une salle de 40 m² pendant les vacances d'été.",
        "Août",
        ("euros", 30_000),
    ),
    DemoListing(
        "Les Nuits du Queyras",
        "equipment",
        "events",
        "Cherche sono et éclairage pour un festival",
        "Pour notre festival d'été en plein air, il nous manque une sono portable, des micros et quelques projecteurs.",
        "Juillet",
        ("free",),
    ),
    DemoListing(
        "Les Nuits du Queyras",
        "equipment",
        "events",
        "Tables et chaises pour la buvette",
        "Une dizaine de tables et cinquante chaises pour la buvette du festival.",
        "Juillet",
        ("free",),
    ),
    DemoListing(
        "Maison du patrimoine du Valgaudemar",
        "skill",
        "communication",
        "Enregistrement d'un podcast sur le patrimoine",
        "Nous voulons enregistrer une série de podcasts avec les anciens de la vallée.",
        "Cet hiver",
        ("hours", 3 * H),
    ),
    DemoListing(
        "Maison du patrimoine du Valgaudemar",
        "skill",
        "accounting",
        "Aide pour un dossier de subvention européenne",
        "Nous préparons une demande LEADER et avons besoin d'aide pour le budget prévisionnel.",
        "Avant mars",
        ("hours", 3 * H),
    ),
    DemoListing(
        "Gîte associatif de la Clarée",
        "skill",
        "agriculture",
        "Réduire la facture de chauffage du gîte",
        "Notre gîte consomme beaucoup de fioul; nous cherchons un diagnostic énergétique et des pistes d'économies.",
        "Avant l'hiver",
        ("hours", 4 * H),
    ),
    DemoListing(
        "Cimes pour tous",
        "equipment",
        "logistics",
        "Minibus pour un séjour de jeunes",
        "Transport d'un groupe de huit jeunes et deux animateurs pour un séjour d'une semaine.",
        "Vacances de février",
        ("euros", 6_000),
    ),
    DemoListing(
        "Présence Montagne",
        "skill",
        "training",
        "Formation à la prise de parole pour nos bénévoles",
        "Nos bénévoles représentent l'association devant des élus; ils voudraient se former à la "
        "prise de parole en public.",
        "Printemps",
        ("hours", 3 * H),
    ),
    DemoListing(
        "Entraide paysanne alpine",
        "skill",
        "digital",
        "Apprendre à suivre notre budget sur tableur",
        "Nous tenons nos comptes sur un cahier; nous voudrions passer à un tableur de suivi budgétaire.",
        "En soirée",
        ("hours", 2 * H),
    ),
    DemoListing(
        "Paniers Paysans des Alpes",
        "service",
        "logistics",
        "Livraison de paniers à Gap à vélo",
        "Chaque mardi, livrer une trentaine de paniers de légumes dans Gap.",
        "Le mardi",
        ("euros", 1_500),
    ),
    DemoListing(
        "Gîtes Solidaires des Écrins",
        "service",
        "maintenance",
        "Nettoyage après un séminaire",
        "Nettoyage des salles du gîte après un séminaire de trois jours.",
        "Fin septembre",
        ("euros", 12_000),
    ),
    DemoListing(
        "Compagnie des accompagnateurs du Dévoluy",
        "skill",
        "communication",
        "Photos pour notre nouvelle brochure",
        "Il nous faut des photos de nos sorties pour la brochure de l'été.",
        "Juin",
        ("hours", 3 * H),
    ),
    DemoListing(
        "La Marmite coopérative",
        "skill",
        "hr",
        "Conseil sur la complémentaire santé de nos salariés",
        "Nous embauchons nos premiers salariés et voulons comprendre nos obligations de prévoyance et de mutuelle.",
        "Ce trimestre",
        ("free",),
    ),
    DemoListing(
        "Radio Durance Montagne",
        "service",
        "maintenance",
        "Réparer la bouilloire et le micro-ondes de la radio",
        "Petit électroménager en panne dans notre cuisine.",
        "Quand vous voulez",
        ("hours", 1 * H),
    ),
    DemoListing(
        "Centre intercommunal d'action sociale du Haut-Champsaur",
        "skill",
        "care",
        "Échanger sur l'accueil des publics précaires",
        "Notre nouvelle équipe d'accueil aimerait profiter de l'expérience d'un centre social.",
        "Automne",
        ("hours", 3 * H),
    ),
)

# Exchanges of the story: (index of an offer, index of a need or None, state, description).
# "done" ones are confirmed by both sides; hours move time credits, euros make an invoice.
EXCHANGES: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, "done"),  # Névé Conseil helps the Jardins with their accounts (6 h)
    (5, 1, "done"),  # the Recyclerie lends its trailer (free)
    (3, 8, "done"),  # the radio records the Valgaudemar podcast (3 h)
    (14, 10, "done"),  # energy diagnosis of the gîte (4 h)
    (7, 3, "done"),  # cargo-bike deliveries for the grocery (euros)
    (15, 11, "done"),  # the minibus for the youth stay (euros)
    (11, 12, "accepted"),  # public speaking training, to be done
    (1, 2, "proposed"),  # the theatre's website, proposed
    (20, 9, "done"),  # the EU grant application (3 h)
    (30, 13, "proposed"),  # spreadsheet training
)
