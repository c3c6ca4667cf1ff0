"""The demo hub's good practices: sheets its members wrote about what they did, and what the others
said of them.

Each sheet names the demo organisations that did it (the first one's commune is the sheet's) and
its contact, a person of those organisations. `steps` is simple HTML (paragraphs and numbered
lists); the other texts are plain paragraphs separated by a blank line. The figures are invented
but of the order members of a hub of the Hautes-Alpes would report.

Car-sharing is written "co-voiturage" in one sheet and "covoiturages" in another, never
"covoiturage": a search for "covoiturage" finds them only if it folds hyphens and plurals.
"""

from __future__ import annotations

from dataclasses import dataclass

from cordee.demo.data import ASSOCIATION_WITH_DEMO_LOGINS


@dataclass(frozen=True)
class DemoPractice:
    slug: str
    title: str
    theme: str  # a cordee.practices.models.Theme value
    organisations: tuple[str, ...]  # names of demo organisations; the first gives the commune
    contact: str  # full name of a person of one of the organisations
    summary: str
    context: str
    steps: str  # simple HTML
    results: str
    watch_out: str
    cost_cents: int | None
    cost_note: str
    tags: str
    state: str = "published"  # a Practice.State value
    visibility: str = "public"  # a Practice.Visibility value
    days_ago: int = 30  # published (or submitted, or written) that many days before loading
    read_count: int = 0
    review_note: str = ""  # a draft submitted and sent back by the coordinator with this note


@dataclass(frozen=True)
class DemoComment:
    practice: str  # slug of the sheet
    kind: str  # a Comment.Kind value
    organisation: str  # the author's organisation, on whose behalf for "tried"
    author: str  # full name of a person of that organisation
    text: str
    days_ago: int


PRACTICES: tuple[DemoPractice, ...] = (
    # --- Mobility in mountain areas ----------------------------------------------------
    DemoPractice(
        slug="co-voiturage-solidaire-rosanais",
        title="Un co-voiturage solidaire avec des conducteurs bénévoles pour les villages du Rosanais",
        theme="mobility",
        organisations=("Centre social rural du Rosanais", "Transports Alpins du Buëch"),
        contact="Laetitia Ripert",
        summary=(
            "Trente-huit habitants prêtent leur voiture et leur temps pour conduire des voisins sans véhicule au "
            "médecin, au marché de Serres ou à la gare de Laragne. Le centre social prend les demandes par "
            "téléphone et met en relation ; un défraiement au kilomètre couvre l'essence."
        ),
        context=(
            "Dans les quinze communes du Rosanais, il n'y a ni ligne régulière de car en dehors des circuits "
            "scolaires, ni taxi installé à moins de vingt-cinq kilomètres. Un tiers des habitants a plus de "
            "soixante-cinq ans et beaucoup ont arrêté de conduire.\n\n"
            "Les applications de co-voiturage ne marchaient pas ici : trop peu de trajets, des personnes âgées "
            "peu à l'aise avec un smartphone, et des déplacements qui ne suivent pas les horaires de travail."
        ),
        steps=(
            "<p>Le projet a été monté en six mois avec le transporteur local, pour ne pas lui faire "
            "concurrence sur les trajets qu'il assure déjà.</p>"
            "<ol>"
            "<li>Recenser les besoins : un questionnaire distribué par les mairies et le portage de repas "
            "(212 réponses), qui a montré que 70 % des trajets demandés vont vers la santé et les courses.</li>"
            "<li>Trouver les conducteurs : un appel dans le bulletin municipal et deux réunions publiques ; "
            "chaque conducteur signe une charte et fournit son attestation d'assurance.</li>"
            "<li>Fixer le défraiement : 0,32 € par kilomètre payés par le passager, plafonnés à 15 € le "
            "trajet, pour rester dans le partage de frais et hors du transport rémunéré.</li>"
            "<li>Ouvrir une ligne téléphonique au centre social, les mardis et jeudis matin : on appelle au "
            "moins deux jours avant, la coordinatrice trouve un conducteur et rappelle.</li>"
            "<li>Faire le point chaque trimestre avec le transporteur, qui oriente vers nous les demandes qu'il "
            "ne peut pas prendre et récupère celles qui relèvent du transport à la demande.</li>"
            "</ol>"
        ),
        results=(
            "En 2025 : 1 240 trajets, 14 600 kilomètres parcourus, 38 conducteurs actifs pour 163 passagers "
            "inscrits, dont 86 % ont plus de soixante-dix ans. Le délai moyen pour trouver un conducteur est de "
            "moins d'une journée, et seules 3 % des demandes sont restées sans solution."
        ),
        watch_out=(
            "Vérifier avec l'assureur de chaque conducteur que le partage de frais est couvert, et ne jamais "
            "dépasser le coût réel du trajet : au-delà, c'est du transport de personnes qui demande une licence.\n\n"
            "Les conducteurs s'épuisent vite si ce sont toujours les mêmes qui disent oui : un planning tournant "
            "et un repas annuel de remerciement ont beaucoup aidé."
        ),
        cost_cents=420_000,
        cost_note="Par an : ligne téléphonique, assurance complémentaire de l'association et 0,2 poste de coordination",
        tags="co-voiturage, bénévolat, personnes âgées, santé, zone rurale",
        days_ago=190,
        read_count=312,
    ),
    DemoPractice(
        slug="autopartage-electrique-huit-villages",
        title="Vingt voitures électriques en autopartage dans huit villages de l'Embrunais",
        theme="mobility",
        organisations=("Mobil'Alpes",),
        contact="Guillaume Dupuy",
        summary=(
            "Une coopérative d'intérêt collectif dont les communes, les associations et les habitants sont "
            "sociétaires met vingt véhicules électriques en libre-service, réservables à l'heure avec un badge. "
            "Douze foyers ont déjà vendu leur deuxième voiture."
        ),
        context=(
            "Dans l'Embrunais et le Guillestrois, une famille sur deux a deux voitures, souvent une vieille "
            "diesel pour les petits trajets. Les communes voulaient une alternative, mais aucune n'avait la taille "
            "pour porter seule un service d'autopartage."
        ),
        steps=(
            "<p>La forme de SCIC a permis d'associer dès le départ ceux qui financent et ceux qui roulent.</p>"
            "<ol>"
            "<li>Réunir huit communes, la communauté de communes et trois associations autour d'une étude de "
            "besoins, financée à 50 % par la Région.</li>"
            "<li>Constituer la SCIC avec cinq collèges (communes, usagers, salariés, partenaires, "
            "fondateurs) et un capital de départ de 84 000 €.</li>"
            "<li>Installer une borne de recharge par village, sur des places mises à disposition par les "
            "mairies près de la place ou de l'arrêt de car.</li>"
            "<li>Louer les véhicules en location longue durée plutôt que les acheter, pour garder de la "
            "trésorerie et changer de modèle si l'autonomie ne suffit pas en hiver.</li>"
            "<li>Ouvrir la réservation en ligne et par téléphone, au tarif de 3 € de l'heure plus 0,25 € du "
            "kilomètre, assurance et recharge comprises.</li>"
            "</ol>"
        ),
        results=(
            "640 abonnés après trois ans, un taux d'occupation des véhicules de 31 % en moyenne (52 % le samedi) "
            "et 410 000 kilomètres parcourus, soit environ 60 tonnes de CO2 évitées par rapport à des voitures "
            "thermiques. Douze foyers ont renoncé à leur deuxième voiture."
        ),
        watch_out=(
            "L'autonomie chute de 30 % par grand froid : prévoir des véhicules à grande batterie pour les "
            "villages les plus hauts et ne pas proposer de réservation de plus de 150 km en janvier.\n\n"
            "Le déneigement des places de recharge doit être écrit dans la convention avec chaque commune."
        ),
        cost_cents=11_000_000,
        cost_note="Bornes et première année de location des véhicules ; 60 % subventionnés par la Région et l'État",
        tags="autopartage, véhicule électrique, SCIC, communes, recharge",
        days_ago=410,
        read_count=488,
    ),
    DemoPractice(
        slug="trajets-partages-saisonniers-stations",
        title="Des trajets partagés entre la vallée et les stations pour les saisonniers",
        theme="mobility",
        organisations=("Mutuelle des saisonniers alpins", "Mobil'Alpes"),
        contact="Emma Castel",
        summary=(
            "Des points de rendez-vous balisés et un groupe de messagerie par station ont permis d'organiser plus "
            "de 2 300 covoiturages en un hiver entre Embrun, Guillestre et les stations de Risoul et Vars, pour "
            "des saisonniers qui logent dans la vallée."
        ),
        context=(
            "Faute de logement en station, beaucoup de saisonniers habitent à trente ou quarante minutes de leur "
            "travail. Les navettes ne passent pas aux heures de fin de service des restaurants, et une partie des "
            "jeunes n'a pas de voiture : certains renoncent à un contrat pour cette seule raison."
        ),
        steps=(
            "<ol>"
            "<li>Repérer avec les maisons des saisonniers les horaires de début et de fin de service les plus "
            "fréquents (8 h, 15 h, 23 h).</li>"
            "<li>Choisir avec les communes six points de rendez-vous éclairés et déneigés, et les signaler par "
            "un panneau et un numéro de groupe.</li>"
            "<li>Ouvrir un groupe de messagerie par station, animé par deux saisonniers relais payés quelques "
            "heures par semaine par la mutuelle.</li>"
            "<li>Proposer une voiture de Mobil'Alpes à tarif réduit aux conducteurs qui prennent au moins trois "
            "passagers.</li>"
            "<li>Informer les employeurs dès le recrutement : la fiche de poste mentionne les covoiturages "
            "possibles vers la station.</li>"
            "</ol>"
        ),
        results=(
            "Pendant l'hiver 2025-2026 : 2 340 covoiturages déclarés dans les groupes, 190 saisonniers inscrits "
            "dont 74 sans voiture, et une économie moyenne de 95 € par mois et par conducteur. Quatre employeurs "
            "disent avoir pourvu des postes qu'ils n'arrivaient pas à pourvoir."
        ),
        watch_out=(
            "Les trajets de nuit après 23 h posent une vraie question de sécurité sur route enneigée : nous "
            "demandons des pneus hiver et déconseillons les conducteurs qui sortent d'une double journée.\n\n"
            "Un groupe de messagerie se vide à la fin de la saison : le relancer chaque automne."
        ),
        cost_cents=650_000,
        cost_note="Par saison : panneaux, heures des saisonniers relais et réductions sur l'autopartage",
        tags="covoiturages, saisonniers, stations de ski, logement, emploi",
        days_ago=45,
        read_count=157,
    ),
    DemoPractice(
        slug="atelier-velo-mobile-villages",
        title="Un atelier vélo mobile qui passe dans les villages une fois par mois",
        theme="mobility",
        organisations=("Vélo Alpin Solidaire",),
        contact="Antoine Gauthier",
        summary=(
            "Une remorque équipée d'outils, de pièces et de deux pieds d'atelier s'installe un samedi par mois "
            "sur la place de quatorze villages du Gapençais et du Champsaur. Les habitants y réparent leur vélo "
            "avec un bénévole et peuvent essayer un vélo à assistance électrique."
        ),
        context=(
            "Notre atelier de Gap accueille surtout des citadins. Dans les villages, les vélos dorment au garage "
            "faute de réparateur, alors que les vélos à assistance électrique rendent enfin possibles les trajets "
            "en pente vers le bourg ou l'arrêt de car."
        ),
        steps=(
            "<ol>"
            "<li>Aménager une remorque de 750 kg (rangements, établi, compresseur) que tire la voiture de "
            "l'association.</li>"
            "<li>Caler un calendrier avec les mairies, qui prêtent la place et annoncent la venue dans leur "
            "bulletin.</li>"
            "<li>Venir à deux : un salarié et un bénévole, de 9 h à 13 h ; l'adhésion à prix libre donne accès "
            "aux outils et aux pièces d'occasion.</li>"
            "<li>Apporter deux vélos à assistance électrique à essayer, et proposer un prêt d'un mois à ceux "
            "qui hésitent à acheter.</li>"
            "</ol>"
        ),
        results=(
            "En deux saisons : 96 permanences dans 14 villages, 420 vélos remis en état, 230 nouveaux adhérents, "
            "et 38 prêts d'un mois dont 21 ont fini par un achat de vélo électrique, neuf ou d'occasion."
        ),
        watch_out=(
            "Ne pas venir en novembre et en mars : la météo vide les places. Garder un stock de chambres à air "
            "et de câbles de frein aux tailles courantes, c'est 80 % des réparations."
        ),
        cost_cents=1_850_000,
        cost_note="Remorque aménagée, outillage et deux vélos d'essai ; ensuite couvert par les adhésions",
        tags="vélo, réparation, vélo à assistance électrique, villages, itinérance",
        days_ago=260,
        read_count=204,
    ),
    # --- Short food supply chains ------------------------------------------------------
    DemoPractice(
        slug="plateforme-logistique-cantines",
        title="Livrer les cantines du département grâce à une plateforme logistique partagée",
        theme="food",
        organisations=("Paniers Paysans des Alpes", "La Marmite coopérative"),
        contact="Laurence Bellot",
        summary=(
            "Soixante-dix producteurs déposent leurs produits dans un entrepôt commun ; un camion frigorifique "
            "livre ensuite quarante et une cantines en quatre tournées par semaine. Les producteurs ne font plus "
            "qu'un trajet, les cuisiniers n'ont plus qu'une commande."
        ),
        context=(
            "La loi EGalim demande aux restaurants collectifs 50 % de produits durables et de qualité, dont 20 % "
            "issus de l'agriculture biologique. Les cantines voulaient acheter local mais ne pouvaient pas gérer "
            "quinze fournisseurs ; les producteurs perdaient une demi-journée par livraison."
        ),
        steps=(
            "<p>Nous avons commencé avec six cantines pilotes avant d'ouvrir à toutes.</p>"
            "<ol>"
            "<li>Louer un entrepôt de 300 m² avec une chambre froide positive et une chambre négative, au bord "
            "de la route de la Durance, à mi-chemin des fermes et des écoles.</li>"
            "<li>Mettre en place un catalogue commun en ligne, mis à jour chaque jeudi par les producteurs, et "
            "un bon de commande unique pour les cuisiniers.</li>"
            "<li>Fixer la commission de la plateforme à 18 % du prix producteur, transport compris.</li>"
            "<li>Construire les menus avec les cuisiniers de La Marmite trois semaines à l'avance, pour que les "
            "producteurs sachent quoi récolter.</li>"
            "<li>Tracer chaque lot (producteur, date, température) pour passer sans difficulté les contrôles "
            "sanitaires.</li>"
            "</ol>"
        ),
        results=(
            "41 cantines livrées, 312 tonnes de produits en 2025 pour 1,2 million d'euros versés aux producteurs. "
            "La part de produits locaux dans les repas est passée de 12 % à 38 % dans les cantines pilotes, dont "
            "22 % de bio."
        ),
        watch_out=(
            "Les vacances scolaires font chuter les volumes de 80 % : il faut d'autres clients (épiceries, "
            "restaurants) pour garder le camion rentable l'été.\n\n"
            "Les cuisiniers ont besoin de légumes déjà lavés et parfois épluchés : sans légumerie, beaucoup "
            "renoncent."
        ),
        cost_cents=24_000_000,
        cost_note="Aménagement de l'entrepôt et camion frigorifique, financés pour moitié par le plan de relance",
        tags="circuit court, restauration collective, EGalim, logistique, producteurs",
        days_ago=350,
        read_count=536,
    ),
    DemoPractice(
        slug="legumerie-insertion-cantines",
        title="Une légumerie d'insertion pour que les cantines cuisinent les légumes du Gapençais",
        theme="food",
        organisations=(ASSOCIATION_WITH_DEMO_LOGINS, "La Marmite coopérative"),
        contact="Claire Vial",
        summary=(
            "Nos salariés en insertion lavent, épluchent et coupent les légumes de nos jardins et de ceux de "
            "voisins maraîchers, livrés prêts à cuire à la cuisine centrale. Un nouveau métier pour eux, et des "
            "carottes du Gapençais dans les assiettes plutôt que des carottes râpées industrielles."
        ),
        context=(
            "La cuisine centrale de La Marmite servait 1 800 repas par jour mais n'avait ni la place ni le "
            "personnel pour éplucher 400 kg de légumes bruts par jour. De notre côté, nous cherchions une activité "
            "d'hiver pour nos salariés en parcours, quand les jardins produisent moins."
        ),
        steps=(
            "<ol>"
            "<li>Aménager une salle de 80 m² aux normes (marche en avant, sols et murs lessivables) dans un ancien "
            "hangar agricole, avec une éplucheuse, une coupe-légumes et une chambre froide.</li>"
            "<li>Former toute l'équipe aux bonnes pratiques d'hygiène (14 heures) et obtenir l'agrément "
            "sanitaire de la direction départementale.</li>"
            "<li>Signer avec La Marmite un contrat annuel de volumes et de prix, révisé chaque trimestre.</li>"
            "<li>Acheter aux maraîchers voisins ce que nos jardins ne produisent pas, au prix qu'ils fixent.</li>"
            "<li>Faire de la légumerie un poste de parcours : chaque salarié y passe trois mois et en sort avec "
            "une attestation de compétences en préparation alimentaire.</li>"
            "</ol>"
        ),
        results=(
            "62 tonnes de légumes transformées en 2025, dont 41 % venant de maraîchers voisins. Huit salariés "
            "en insertion formés, dont cinq ont trouvé un emploi en restauration collective. Le coût matière des "
            "repas de La Marmite n'a augmenté que de 6 centimes."
        ),
        watch_out=(
            "La rentabilité tient à la régularité : une semaine sans commande coûte cher. Un contrat de volumes "
            "signé est indispensable avant d'investir.\n\n"
            "Les épluchures font 25 % du poids : prévoir leur compostage dès le départ."
        ),
        cost_cents=9_500_000,
        cost_note="Travaux et matériel, dont 45 000 € du fonds départemental d'insertion",
        tags="légumerie, insertion, restauration collective, maraîchage bio",
        days_ago=120,
        read_count=241,
    ),
    DemoPractice(
        slug="epicerie-solidaire-producteurs-vallee",
        title="Approvisionner une épicerie solidaire pour moitié chez les producteurs de la vallée",
        theme="food",
        organisations=("Épicerie solidaire du Champsaur", "Entraide paysanne alpine"),
        contact="Aurélie Motte",
        summary=(
            "Au lieu de tout acheter à la banque alimentaire, l'épicerie achète aux fermes du Champsaur et du "
            "Valgaudemar leurs invendus et leurs légumes hors calibre, à un prix juste. Les familles mangent des "
            "produits frais et les paysans trouvent un débouché."
        ),
        context=(
            "Les familles aidées nous disaient manquer de fruits, de légumes et de produits laitiers. En même "
            "temps, l'Entraide paysanne accompagnait des éleveurs et des maraîchers qui jetaient une partie de leur "
            "production faute d'acheteur."
        ),
        steps=(
            "<ol>"
            "<li>Faire le tour des fermes avec l'Entraide paysanne pour savoir qui avait quoi, et quand.</li>"
            "<li>Convenir d'un prix « solidaire » : 70 % du prix de vente direct, payé à quinze jours.</li>"
            "<li>Obtenir une aide de la commune et du centre intercommunal d'action sociale pour couvrir "
            "l'écart avec le prix payé par les familles (20 % du prix habituel).</li>"
            "<li>Organiser une collecte hebdomadaire par deux bénévoles avec le véhicule réfrigéré prêté par la "
            "plateforme Paniers Paysans.</li>"
            "<li>Proposer chaque mois un atelier de cuisine avec les produits de saison, animé par une "
            "productrice.</li>"
            "</ol>"
        ),
        results=(
            "52 % des achats de l'épicerie faits localement en 2025 contre 9 % en 2022. 140 familles servies, 11 "
            "fermes partenaires qui ont vendu pour 38 000 € de produits, et 4,5 tonnes de légumes qui auraient "
            "été jetées."
        ),
        watch_out=(
            "Le prix payé aux producteurs doit rester juste : sinon, on aide une précarité en en créant une "
            "autre. Prévoir la chaîne du froid pour les produits laitiers avant de les proposer."
        ),
        cost_cents=2_600_000,
        cost_note="Par an : écart de prix pris en charge par la commune et le CIAS",
        tags="aide alimentaire, circuit court, producteurs, prix juste",
        days_ago=75,
        read_count=189,
    ),
    DemoPractice(
        slug="regle-des-150-kilometres",
        title="La règle des 150 kilomètres : choisir les produits d'une épicerie coopérative avec ses sociétaires",
        theme="food",
        organisations=("La Musette, épicerie coopérative",),
        contact="Aline Guillot",
        summary=(
            "Les 900 sociétaires de l'épicerie votent chaque trimestre les produits référencés, en priorité ceux "
            "des producteurs installés à moins de 150 kilomètres. Une étiquette indique la distance et la part "
            "du prix qui revient au producteur."
        ),
        context=(
            "À Briançon, les grandes surfaces proposent peu de produits des vallées voisines. Les fondateurs de La "
            "Musette voulaient un magasin où les habitants décident eux-mêmes de ce qu'on y vend, et savent d'où "
            "vient chaque produit."
        ),
        steps=(
            "<ol>"
            "<li>Écrire la règle dans la charte : un produit éloigné n'entre que si aucun équivalent n'existe à "
            "moins de 150 km.</li>"
            "<li>Constituer un groupe « produits » de douze sociétaires bénévoles qui visitent les fermes et "
            "proposent les références.</li>"
            "<li>Faire voter les nouveaux produits en assemblée trimestrielle, après dégustation.</li>"
            "<li>Afficher sur chaque étiquette la distance et la part du prix payée au producteur.</li>"
            "</ol>"
        ),
        results=(
            "74 % du chiffre d'affaires réalisé avec des producteurs à moins de 150 km, 86 fournisseurs dont 61 "
            "fermes, et une marge moyenne de 22 %, plus faible qu'en grande surface grâce aux trois heures "
            "mensuelles données par chaque sociétaire."
        ),
        watch_out=(
            "Les produits de base (sucre, café, huile) ne peuvent pas être locaux : le dire clairement évite des "
            "débats interminables. La participation des sociétaires s'essouffle sans planning simple."
        ),
        cost_cents=None,
        cost_note="Pas de coût propre : du temps bénévole des sociétaires",
        tags="épicerie coopérative, circuit court, gouvernance, sociétaires",
        days_ago=520,
        read_count=402,
    ),
    # --- Shared employment -------------------------------------------------------------
    DemoPractice(
        slug="groupement-employeurs-aide-domicile",
        title="Un groupement d'employeurs pour offrir des temps pleins aux aides à domicile",
        theme="employment",
        organisations=("Présence Montagne", "Centre intercommunal d'action sociale du Haut-Champsaur"),
        contact="Isabelle Fabre",
        summary=(
            "Deux services d'aide à domicile et une crèche partagent neuf salariées au sein d'un groupement "
            "d'employeurs : chacune a un contrat unique à temps plein au lieu de trois temps partiels, avec un "
            "planning qui tient compte des routes de montagne."
        ),
        context=(
            "Nos aides à domicile travaillaient en moyenne 24 heures par semaine, souvent pour deux ou trois "
            "employeurs, avec des trajets non payés entre deux interventions. Nous perdions une salariée sur "
            "quatre chaque année et plusieurs tournées n'étaient plus assurées dans les hameaux."
        ),
        steps=(
            "<ol>"
            "<li>Créer une association loi 1901 « groupement d'employeurs » (articles L1253-1 et suivants du "
            "code du travail), dont les trois structures sont membres et solidairement responsables des "
            "dettes salariales.</li>"
            "<li>Choisir la convention collective de la branche de l'aide à domicile, applicable à toutes les "
            "mises à disposition.</li>"
            "<li>Construire les plannings en commun chaque semaine, en regroupant les interventions par vallée "
            "pour réduire les trajets.</li>"
            "<li>Refacturer chaque mois les heures aux membres, au coût réel plus 4 % de frais de gestion.</li>"
            "<li>Faire valider le dispositif par le comité social et économique de chaque membre avant les "
            "premiers transferts de contrats.</li>"
            "</ol>"
        ),
        results=(
            "Neuf salariées passées à temps plein (35 heures) en un an, un salaire mensuel moyen qui passe de "
            "1 180 € à 1 790 € net, et un taux de départ tombé de 26 % à 8 %. 1 300 kilomètres de trajets "
            "économisés chaque mois."
        ),
        watch_out=(
            "La responsabilité solidaire des membres sur les salaires doit être comprise par chaque conseil "
            "d'administration avant de signer. Prévoir une réserve de trésorerie d'un mois de salaires.\n\n"
            "Les salariées doivent garder un référent unique : la multiplication des chefs est la première "
            "cause de tension."
        ),
        cost_cents=1_800_000,
        cost_note="Première année : accompagnement juridique et logiciel de planning, aidés par le DLA",
        tags="groupement d'employeurs, aide à domicile, temps partiel, fidélisation",
        visibility="members",
        days_ago=230,
        read_count=167,
    ),
    DemoPractice(
        slug="administratrice-partagee-compagnies",
        title="Une administratrice partagée entre une compagnie, un festival et une radio",
        theme="employment",
        organisations=("Théâtre du Faubourg", "Les Nuits du Queyras", "Radio Durance Montagne"),
        contact="Élodie Marchand",
        summary=(
            "Trois associations culturelles qui n'avaient chacune besoin que d'un jour de gestion par semaine "
            "emploient ensemble une administratrice à temps plein : paie, contrats d'intermittents, demandes de "
            "subventions et comptes annuels."
        ),
        context=(
            "Les bénévoles de ces associations passaient leurs soirées sur les déclarations sociales et les "
            "dossiers de subvention. Deux retards de déclaration avaient coûté des pénalités, et aucune "
            "association ne pouvait payer seule un poste qualifié."
        ),
        steps=(
            "<ol>"
            "<li>Répartir le temps selon les besoins réels : 50 % pour le théâtre, 30 % pour le festival (plus "
            "au printemps), 20 % pour la radio.</li>"
            "<li>Faire porter le contrat par le théâtre, qui refacture les deux autres chaque mois au prix "
            "coûtant, par une convention de mise à disposition à but non lucratif.</li>"
            "<li>Organiser un bureau dans chaque structure et un agenda partagé, visible des trois présidents.</li>"
            "<li>Se réunir à quatre chaque trimestre pour revoir la répartition.</li>"
            "</ol>"
        ),
        results=(
            "Aucune pénalité depuis deux ans, 11 dossiers de subvention déposés en 2025 contre 4 avant, et "
            "46 000 € de financements supplémentaires obtenus. Coût pour chaque association : 8 000 à 19 000 € "
            "par an selon sa part."
        ),
        watch_out=(
            "Les pics de travail tombent au même moment (bilans au printemps, festival en juillet) : les prévoir "
            "dans la convention. Le prêt de main-d'œuvre doit rester strictement au prix coûtant."
        ),
        cost_cents=4_600_000,
        cost_note="Coût annuel chargé du poste, partagé entre les trois associations",
        tags="emploi partagé, culture, administration, mise à disposition",
        days_ago=300,
        read_count=223,
    ),
    DemoPractice(
        slug="pluriactivite-hiver-ete",
        title="Un emploi à l'année en associant le damage de l'hiver et l'entretien des sentiers l'été",
        theme="employment",
        organisations=(
            "Syndicat intercommunal du domaine nordique de Réallon",
            "Compagnie des accompagnateurs du Dévoluy",
        ),
        contact="Jean-Pierre Allemand",
        summary=(
            "Deux employeurs aux saisons opposées partagent deux agents : damage et accueil du foyer nordique de "
            "décembre à mars, entretien et balisage des sentiers et logistique des sorties d'avril à novembre. "
            "Deux contrats à durée indéterminée au lieu de quatre saisons précaires."
        ),
        context=(
            "Le domaine nordique recrutait chaque hiver des saisonniers différents et devait les former à chaque "
            "fois au damage. Les accompagnateurs, eux, manquaient de bras pour l'entretien des sentiers au "
            "printemps."
        ),
        steps=(
            "<ol>"
            "<li>Écrire une fiche de poste commune avec des compétences qui servent aux deux saisons (conduite "
            "d'engins, sécurité, accueil du public).</li>"
            "<li>Signer une convention de mise à disposition : le syndicat emploie, l'association refacture au "
            "prix coûtant les mois d'été.</li>"
            "<li>Prévoir dans le contrat les deux lieux de travail et un délai de prévenance de quinze jours pour "
            "passer d'une saison à l'autre.</li>"
            "<li>Financer ensemble la formation de conduite de dameuse et le brevet de secourisme.</li>"
            "</ol>"
        ),
        results=(
            "Deux agents en CDI depuis 2024, plus aucun recrutement saisonnier sur ces postes, et 38 kilomètres de "
            "sentiers rebalisés chaque été. Le syndicat estime à 6 000 € par an l'économie sur le recrutement et "
            "la formation."
        ),
        watch_out=(
            "Un hiver sans neige bouscule tout : prévoir dans la convention ce que font les agents si le domaine "
            "ferme (travaux d'entretien, renfort au foyer)."
        ),
        cost_cents=None,
        cost_note="Aucun surcoût : chaque employeur paie les mois où il emploie",
        tags="pluriactivité, saisonnalité, emploi partagé, montagne, CDI",
        days_ago=150,
        read_count=131,
    ),
    # --- Seasonal tourism --------------------------------------------------------------
    DemoPractice(
        slug="nuitees-tarif-solidaire-familles",
        title="Réserver un tiers des nuitées à tarif solidaire pour des familles qui ne partent jamais",
        theme="tourism",
        organisations=("Gîtes Solidaires des Écrins", "Centre social rural du Rosanais"),
        contact="Florence Jacob",
        summary=(
            "Nos trois gîtes de groupe gardent un tiers de leurs nuitées, hors vacances scolaires d'hiver, pour "
            "des familles et des jeunes orientés par des centres sociaux, à un tarif de 9 € la nuit en demi-"
            "pension. Les séjours à plein tarif financent le reste."
        ),
        context=(
            "Dans les Hautes-Alpes comme ailleurs, une famille modeste sur deux ne part pas en vacances, y "
            "compris des familles qui habitent à une heure des Écrins. Nos gîtes étaient vides 40 % de l'année en "
            "dehors des saisons."
        ),
        steps=(
            "<ol>"
            "<li>Calculer le prix d'équilibre : avec un tiers de nuitées solidaires, le tarif normal augmente "
            "de 7 %, ce que nos clients ont accepté une fois l'explication affichée.</li>"
            "<li>Signer des conventions avec six centres sociaux qui choisissent les familles et préparent le "
            "séjour avec elles.</li>"
            "<li>Compléter avec les aides aux vacances (CAF, ANCV) pour que le reste à charge ne dépasse pas "
            "30 € par personne et par semaine.</li>"
            "<li>Proposer sur place des activités gratuites avec les accompagnateurs partenaires.</li>"
            "</ol>"
        ),
        results=(
            "4 800 nuitées solidaires en 2025, 212 familles accueillies dont 71 % partaient pour la première "
            "fois, et un taux de remplissage annuel passé de 58 % à 81 %."
        ),
        watch_out=(
            "Le premier départ fait peur : sans préparation avec le centre social (trajet, équipement, "
            "programme), un tiers des familles annulent au dernier moment."
        ),
        cost_cents=None,
        cost_note="Équilibré par les séjours à plein tarif et les aides aux vacances",
        tags="tourisme social, vacances, familles, centres sociaux, taux de remplissage",
        days_ago=210,
        read_count=275,
    ),
    DemoPractice(
        slug="sorties-raquettes-familles-modestes",
        title="Des sorties raquettes accessibles aux familles à revenus modestes, montées avec une MJC",
        theme="tourism",
        organisations=(
            "Compagnie des accompagnateurs du Dévoluy",
            "Maison des jeunes et de la culture du Laragnais",
        ),
        contact="Lucie Vincent",
        summary=(
            "Six samedis par hiver, la MJC emmène des familles du Laragnais dans le Dévoluy pour une journée de "
            "raquettes avec un accompagnateur en montagne : car, matériel et repas compris, pour 5 € par "
            "personne."
        ),
        context=(
            "Beaucoup d'enfants du Laragnais n'ont jamais vu la neige de près alors que le Dévoluy est à "
            "cinquante minutes. Les accompagnateurs, eux, ont peu de clients en semaine et les samedis de "
            "janvier."
        ),
        steps=(
            "<ol>"
            "<li>Bâtir ensemble un programme court et rassurant : deux heures de marche, un jeu de piste sur les "
            "traces d'animaux, un repas chaud dans une salle.</li>"
            "<li>Fixer un tarif de groupe réduit (90 € la demi-journée par accompagnateur) en échange d'un "
            "calendrier garanti de six dates.</li>"
            "<li>Prêter raquettes, bâtons et guêtres ; collecter vêtements chauds et bottes auprès de la "
            "recyclerie.</li>"
            "<li>Faire financer le car par la fondation territoriale et la commune.</li>"
            "</ol>"
        ),
        results=(
            "Trois hivers, 18 sorties, 410 participants dont 230 enfants. 40 familles sont revenues seules dans "
            "le Dévoluy ensuite, et les accompagnateurs ont rempli leurs samedis creux."
        ),
        watch_out=(
            "Toujours avoir une sortie de repli à basse altitude si le risque d'avalanche est élevé, et "
            "annoncer la date de report dès l'inscription."
        ),
        cost_cents=320_000,
        cost_note="Par sortie pour 25 personnes : car, deux accompagnateurs, repas",
        tags="raquettes, familles, accès aux loisirs, hiver, éducation populaire",
        days_ago=60,
        read_count=119,
    ),
    DemoPractice(
        slug="randonnee-joelette-gite",
        title="Des randonnées en joëlette avec un gîte et des accompagnateurs formés",
        theme="tourism",
        organisations=("Cimes pour tous", "Gîte associatif de la Clarée"),
        contact="Damien Eyraud",
        summary=(
            "Le club de sport adapté prête ses joëlettes et forme les accompagnateurs de la vallée ; le gîte a "
            "aménagé deux chambres accessibles. Ensemble, ils proposent des week-ends de randonnée dans la Clarée "
            "aux personnes à mobilité réduite et à leurs proches."
        ),
        context=(
            "Nos joëlettes ne servaient qu'aux sorties du club. Dans la vallée de la Clarée, aucun hébergement "
            "n'accueillait de personne en fauteuil, et les familles concernées allaient ailleurs."
        ),
        steps=(
            "<ol>"
            "<li>Repérer trois itinéraires praticables en joëlette (pente, largeur, passages de ruisseaux) avec "
            "les accompagnateurs.</li>"
            "<li>Aménager deux chambres et une salle d'eau accessibles au gîte, avec l'aide d'un ergothérapeute.</li>"
            "<li>Former chaque année huit accompagnateurs et bénévoles au pilotage (une journée).</li>"
            "<li>Vendre un forfait week-end unique : hébergement, repas, sortie encadrée et prêt du matériel.</li>"
            "</ol>"
        ),
        results=(
            "14 week-ends organisés en 2025, 96 participants dont 31 personnes en situation de handicap. Le gîte a "
            "obtenu la marque Tourisme et Handicap pour le handicap moteur."
        ),
        watch_out=(
            "Compter quatre pilotes par joëlette sur les itinéraires longs. Vérifier l'assurance du matériel "
            "prêté et signer une convention de prêt à chaque sortie."
        ),
        cost_cents=2_100_000,
        cost_note="Travaux d'accessibilité au gîte, subventionnés à 50 %",
        tags="accessibilité, handicap, randonnée, joëlette, hébergement",
        days_ago=95,
        read_count=146,
    ),
    # --- Culture -----------------------------------------------------------------------
    DemoPractice(
        slug="tournee-hiver-salles-des-fetes",
        title="Une tournée d'hiver de spectacles dans les salles des fêtes des villages",
        theme="culture",
        organisations=("Les Nuits du Queyras", "Théâtre du Faubourg"),
        contact="Pauline Blanc",
        summary=(
            "Chaque hiver, un spectacle léger (deux comédiens, une valise de lumières) tourne dans douze salles "
            "des fêtes du Queyras et du Briançonnais. Les comités des fêtes accueillent, vendent la soupe et "
            "gardent la recette du bar."
        ),
        context=(
            "Hors de la saison du festival, il n'y avait presque aucune proposition culturelle dans les hameaux, "
            "et beaucoup d'habitants âgés ne descendent pas à Briançon le soir en hiver."
        ),
        steps=(
            "<ol>"
            "<li>Choisir avec le théâtre un spectacle qui tient dans une voiture et se joue sans scène.</li>"
            "<li>Mutualiser le matériel : le théâtre prête projecteurs et sono, le festival fournit le "
            "technicien.</li>"
            "<li>Proposer aux comités des fêtes un contrat simple : 400 € de cession, la salle chauffée et un "
            "repas ; la billetterie à 8 € revient aux comités.</li>"
            "<li>Demander aux communautés de communes de prendre en charge la moitié des cessions.</li>"
            "</ol>"
        ),
        results=(
            "Trois tournées, 36 représentations, 2 650 spectateurs (74 par soir en moyenne dans des villages de "
            "200 habitants). Neuf comités des fêtes ont redemandé une date."
        ),
        watch_out=(
            "Le chauffage des salles : passer la veille ou demander qu'on l'allume le matin, sinon le public garde "
            "son manteau et ne revient pas."
        ),
        cost_cents=1_440_000,
        cost_note="Par tournée de douze dates : cessions, déplacements et technicien",
        tags="spectacle vivant, itinérance, villages, hiver, comités des fêtes",
        days_ago=20,
        read_count=88,
    ),
    DemoPractice(
        slug="memoire-orale-vallee-radio",
        title="Recueillir la mémoire orale d'une vallée et la diffuser à la radio",
        theme="culture",
        organisations=("Maison du patrimoine du Valgaudemar", "Radio Durance Montagne"),
        contact="Jean-Marc Achard",
        summary=(
            "Des bénévoles formés par la radio ont enregistré trente anciens du Valgaudemar racontant l'alpage, "
            "l'école et les hivers d'autrefois. Les entretiens, montés en épisodes de dix minutes, sont diffusés "
            "le dimanche et écoutés au musée."
        ),
        context=(
            "Les derniers témoins de la vie agropastorale d'avant les années 1960 disparaissent. Le musée avait "
            "des outils et des photographies, mais pas leurs voix."
        ),
        steps=(
            "<ol>"
            "<li>Former huit bénévoles à l'entretien et à la prise de son (deux samedis au studio de la "
            "radio).</li>"
            "<li>Prêter deux enregistreurs de poche et des micros-cravates.</li>"
            "<li>Faire signer à chaque personne une autorisation de diffusion et de conservation, relue avec "
            "sa famille.</li>"
            "<li>Monter les épisodes à la radio et déposer les enregistrements complets aux archives "
            "départementales.</li>"
            "</ol>"
        ),
        results=(
            "42 heures enregistrées, 24 épisodes diffusés et 3 100 écoutes en ligne. Une borne d'écoute au musée "
            "et un parcours audio dans le village ont attiré 1 200 visiteurs de plus l'été dernier."
        ),
        watch_out=(
            "Les autorisations de diffusion : ne rien publier sans accord écrit, et respecter un retrait "
            "demandé par la famille. Le montage prend quatre fois le temps de l'entretien."
        ),
        cost_cents=350_000,
        cost_note="Enregistreurs, micros et heures de montage du technicien de la radio",
        tags="patrimoine, mémoire orale, radio associative, bénévoles",
        days_ago=135,
        read_count=97,
    ),
    DemoPractice(
        slug="ateliers-theatre-ehpad",
        title="Des ateliers de théâtre en EHPAD, menés avec les soignants",
        theme="culture",
        organisations=("Théâtre du Faubourg",),
        contact="Romain Faure",
        summary=(
            "Une comédienne anime chaque semaine un atelier de théâtre et de lecture à voix haute dans deux EHPAD "
            "du Briançonnais, avec une aide-soignante qui participe. En fin d'année, les résidents jouent devant "
            "leurs familles."
        ),
        context=(
            "Les établissements cherchaient des activités qui ne soient pas seulement occupationnelles, et les "
            "soignants voulaient un temps partagé avec les résidents en dehors des soins."
        ),
        steps=(
            "<ol>"
            "<li>Co-construire le projet avec l'animatrice et le médecin coordonnateur de chaque EHPAD.</li>"
            "<li>Garder de petits groupes (huit résidents) et des séances courtes (une heure).</li>"
            "<li>Associer une soignante volontaire à chaque séance, sur son temps de travail.</li>"
            "<li>Terminer l'année par une représentation et l'enregistrement d'une lecture pour les familles.</li>"
            "</ol>"
        ),
        results=(
            "64 séances par an, 27 résidents réguliers. Les équipes notent moins d'agitation en fin d'après-midi "
            "les jours d'atelier, et deux autres EHPAD ont demandé à rejoindre le projet."
        ),
        watch_out=(
            "Prévoir la prise en charge du temps des soignants dans le planning de l'EHPAD, sinon elles ne "
            "peuvent pas venir. Accepter qu'une séance soit annulée pour un décès ou une épidémie."
        ),
        cost_cents=960_000,
        cost_note="Par an pour deux EHPAD ; financé par l'ARS et la DRAC (programme Culture et santé)",
        tags="théâtre, personnes âgées, EHPAD, culture et santé",
        days_ago=480,
        read_count=176,
    ),
    DemoPractice(
        slug="chantiers-benevoles-cabanes-berger",
        title="Restaurer les cabanes de berger avec des chantiers de bénévoles l'été",
        theme="culture",
        organisations=("Fondation Mémoire des alpages", "SCOP Charpente et Bois du Champsaur"),
        contact="Étienne Berthelot",
        summary=(
            "Chaque été, une équipe de douze bénévoles, encadrée par un charpentier de la SCOP, restaure en deux "
            "semaines une cabane de berger : murs en pierre sèche, charpente en mélèze, toit en bardeaux. Le "
            "berger y retrouve un abri digne."
        ),
        context=(
            "Plus de la moitié des cabanes pastorales des hautes vallées sont en ruine. Les communes, "
            "propriétaires, n'ont pas les moyens de payer des entreprises pour des chantiers à 2 000 mètres."
        ),
        steps=(
            "<ol>"
            "<li>Choisir la cabane avec la commune et le groupement pastoral, qui s'engagent à l'utiliser.</li>"
            "<li>Faire le relevé et le projet avec le charpentier, et déposer la déclaration préalable de "
            "travaux.</li>"
            "<li>Recruter les bénévoles par un réseau de chantiers de jeunes, hébergés au village.</li>"
            "<li>Monter le bois par héliportage groupé avec l'ONF, une seule rotation.</li>"
            "</ol>"
        ),
        results=(
            "Cinq cabanes restaurées en cinq étés, 74 bénévoles de 9 pays, et 3 bergers qui y dorment à nouveau "
            "toute la saison d'estive."
        ),
        watch_out=(
            "L'héliportage coûte cher : le grouper avec d'autres besoins de la commune ou de l'ONF. Prévoir un "
            "secouriste formé sur le chantier, loin de tout."
        ),
        cost_cents=2_800_000,
        cost_note="Par cabane : bois, héliportage, encadrement et hébergement des bénévoles",
        tags="patrimoine pastoral, chantier bénévole, pierre sèche, alpage",
        days_ago=330,
        read_count=132,
    ),
    # --- Inclusion through work --------------------------------------------------------
    DemoPractice(
        slug="permis-de-conduire-salaries-insertion",
        title="Financer le permis de conduire des salariés en insertion, clé de l'emploi en montagne",
        theme="inclusion",
        organisations=("Recyclerie du Buëch", "Durance Nettoyage Solidaire"),
        contact="Laura Bonnet",
        summary=(
            "Deux structures d'insertion ont négocié avec une auto-école un forfait groupé et organisent le code "
            "sur le temps de travail. Sans permis, un salarié en parcours n'a presque aucune chance de trouver "
            "un emploi dans le Buëch."
        ),
        context=(
            "À la sortie de leur parcours, 60 % de nos salariés n'avaient pas le permis, alors que la plupart "
            "des offres d'emploi du territoire l'exigent et qu'il n'y a pas de transports en commun aux heures "
            "de travail."
        ),
        steps=(
            "<ol>"
            "<li>Lancer une consultation auprès des auto-écoles du secteur pour un forfait de groupe.</li>"
            "<li>Organiser deux séances de code par semaine sur le temps de travail, avec une formatrice "
            "de l'auto-école qui vient sur place.</li>"
            "<li>Mobiliser le compte personnel de formation de chaque salarié et l'aide au permis de France "
            "Travail.</li>"
            "<li>Prêter un véhicule double commande pour des heures de conduite accompagnée le samedi.</li>"
            "</ol>"
        ),
        results=(
            "31 salariés inscrits en deux ans, 23 ont eu le code et 17 le permis. Parmi eux, 13 ont un emploi "
            "durable six mois après leur sortie, contre 4 sur 14 sans permis."
        ),
        watch_out=(
            "Le délai pour obtenir une place d'examen peut dépasser trois mois : anticiper dès l'entrée en "
            "parcours. L'échec au code décourage vite, il faut un suivi personnel."
        ),
        cost_cents=1_450_000,
        cost_note="Par an pour quinze salariés ; couvert aux deux tiers par le CPF et France Travail",
        tags="insertion, permis de conduire, mobilité, emploi",
        days_ago=180,
        read_count=263,
    ),
    DemoPractice(
        slug="clauses-sociales-reponse-groupee",
        title="Répondre à plusieurs aux clauses sociales des marchés publics",
        theme="inclusion",
        organisations=("Durance Nettoyage Solidaire", "Communauté de communes des Hautes Vallées du Buëch"),
        contact="Karine Bouvier",
        summary=(
            "L'intercommunalité a découpé ses marchés de nettoyage et d'entretien en lots accessibles et y a "
            "inscrit des heures d'insertion ; trois structures d'insertion du pôle y répondent ensemble, en "
            "groupement momentané d'entreprises."
        ),
        context=(
            "Les marchés publics du territoire étaient trop gros pour nos structures, qui perdaient face aux "
            "grandes entreprises de propreté. La communauté de communes voulait utiliser sa commande publique "
            "pour l'emploi local."
        ),
        steps=(
            "<ol>"
            "<li>Rencontrer le service achats pour expliquer nos capacités et nos contraintes, avant la "
            "rédaction des marchés.</li>"
            "<li>Obtenir un allotissement par secteur géographique et une clause d'insertion (article L2112-2 "
            "du code de la commande publique) de 15 % des heures.</li>"
            "<li>Constituer un groupement momentané avec un mandataire, chaque membre gardant ses sites.</li>"
            "<li>Répondre avec un mémoire technique commun et un planning de remplacement partagé.</li>"
            "</ol>"
        ),
        results=(
            "Trois lots remportés sur quatre, 212 000 € de chiffre d'affaires annuel, 9 400 heures d'insertion "
            "réalisées en 2025 et 6 salariés embauchés ensuite par des entreprises du territoire."
        ),
        watch_out=(
            "Le groupement solidaire engage chaque membre pour les autres : bien lire la convention. Les délais "
            "de paiement publics (30 jours en théorie) pèsent sur la trésorerie des petites structures."
        ),
        cost_cents=None,
        cost_note="Du temps de direction pour préparer les réponses, environ quinze jours par an",
        tags="commande publique, clauses sociales, insertion, groupement",
        visibility="members",
        days_ago=270,
        read_count=144,
    ),
    DemoPractice(
        slug="former-jeunes-reparateurs-electromenager",
        title="Former des jeunes sans diplôme au métier de réparateur d'électroménager",
        theme="inclusion",
        organisations=("Les Ateliers du Réemploi",),
        contact="Arnaud Reynier",
        summary=(
            "Chaque année, quatre jeunes de 18 à 25 ans sans qualification rejoignent l'atelier en contrat de "
            "professionnalisation et préparent le titre de technicien en électroménager, en réparant les "
            "appareils que nous revendons garantis six mois."
        ),
        context=(
            "Les réparateurs partent à la retraite sans repreneur dans le sud du département, et beaucoup "
            "d'appareils sont jetés faute de réparation. Les missions locales nous signalaient des jeunes attirés "
            "par la technique mais sans diplôme."
        ),
        steps=(
            "<ol>"
            "<li>Faire habiliter l'atelier comme lieu de formation pratique avec un centre de formation "
            "d'apprentis de Marseille.</li>"
            "<li>Désigner un tuteur par jeune, formé à l'accompagnement.</li>"
            "<li>Organiser une montée en compétences par familles d'appareils : petits appareils, lave-linge, "
            "froid (avec l'attestation de manipulation des fluides frigorigènes).</li>"
            "<li>Présenter les jeunes aux réparateurs et enseignes du territoire pendant leur dernière année.</li>"
            "</ol>"
        ),
        results=(
            "11 jeunes formés depuis 2022, 9 diplômés, 7 en emploi dans la réparation. L'atelier a remis en "
            "circulation 2 300 appareils l'an dernier."
        ),
        watch_out=(
            "Les déplacements vers le centre de formation à Marseille coûtent cher : négocier des semaines "
            "groupées et un hébergement."
        ),
        cost_cents=None,
        cost_note="Contrats de professionnalisation financés par l'opérateur de compétences",
        tags="formation, jeunes, réparation, réemploi, économie circulaire",
        days_ago=400,
        read_count=118,
    ),
    # --- Energy and environment --------------------------------------------------------
    DemoPractice(
        slug="centrale-solaire-toit-ecole",
        title="Financer une centrale solaire sur le toit de l'école avec les habitants",
        theme="environment",
        organisations=("Énergies Citoyennes du Briançonnais",),
        contact="Léa Arnoux",
        summary=(
            "La commune loue le toit de son école à la coopérative, qui y installe 36 kWc de panneaux financés "
            "par 120 habitants. L'électricité est vendue en autoconsommation collective aux bâtiments publics "
            "et à vingt foyers voisins."
        ),
        context=(
            "La commune voulait produire de l'électricité renouvelable mais ne pouvait pas investir seule, et "
            "voulait que les retombées restent au village plutôt que d'aller à un développeur extérieur."
        ),
        steps=(
            "<ol>"
            "<li>Faire vérifier la charpente et l'exposition du toit par un bureau d'études (la neige compte : "
            "180 kg/m² à prévoir).</li>"
            "<li>Signer un bail de 25 ans avec la commune, avec un loyer symbolique et un partage des "
            "bénéfices.</li>"
            "<li>Ouvrir une souscription locale au capital, à partir de 50 € la part, avec trois réunions "
            "publiques.</li>"
            "<li>Créer l'opération d'autoconsommation collective avec le gestionnaire du réseau, dans un "
            "rayon de deux kilomètres.</li>"
            "</ol>"
        ),
        results=(
            "43 000 kWh produits la première année, 78 % consommés sur place par l'école, la mairie et 20 foyers, "
            "à un prix fixe de 0,14 € le kWh pendant 20 ans. 62 000 € levés auprès de 120 habitants."
        ),
        watch_out=(
            "La neige sur les panneaux fait perdre la production de janvier : ne pas promettre de chiffres "
            "d'hiver. Les démarches avec le gestionnaire de réseau prennent six mois."
        ),
        cost_cents=7_400_000,
        cost_note="Installation de 36 kWc ; financée par les parts des habitants et un prêt bancaire",
        tags="énergie renouvelable, photovoltaïque, autoconsommation collective, financement citoyen",
        days_ago=220,
        read_count=351,
    ),
    DemoPractice(
        slug="plaquette-forestiere-chaufferies",
        title="Chauffer écoles et EHPAD avec la plaquette des forêts communales",
        theme="environment",
        organisations=("Bois Énergie Durance",),
        contact="Cécile Blanchard",
        summary=(
            "La coopérative achète aux communes le bois de leurs coupes d'éclaircie, le broie et le sèche sur sa "
            "plateforme, puis livre les chaufferies de onze bâtiments publics de la haute Durance. Un "
            "combustible local, à prix stable depuis six ans."
        ),
        context=(
            "Les bâtiments publics se chauffaient au fioul, au prix volatil. Les forêts communales étaient peu "
            "entretenues faute de débouché pour les petits bois."
        ),
        steps=(
            "<ol>"
            "<li>Inventorier avec l'ONF les coupes disponibles sur quinze ans.</li>"
            "<li>Associer communes, propriétaires, salariés et usagers dans une SCIC.</li>"
            "<li>Construire une plateforme couverte de séchage (la plaquette doit descendre sous 30 % "
            "d'humidité).</li>"
            "<li>Signer des contrats d'approvisionnement de dix ans avec un prix indexé sur les salaires et le "
            "gazole, pas sur les énergies fossiles.</li>"
            "</ol>"
        ),
        results=(
            "3 200 tonnes de plaquettes livrées par an, 11 chaufferies, 950 tonnes de CO2 évitées et un prix "
            "du kWh stable à 0,045 €. 420 hectares de forêt entretenus."
        ),
        watch_out=(
            "Une plaquette trop humide encrasse les chaudières : contrôler chaque livraison. Les routes "
            "forestières se ferment au dégel, prévoir du stock de février à avril."
        ),
        cost_cents=38_000_000,
        cost_note="Plateforme de séchage et broyeur, aidés par le fonds chaleur de l'ADEME",
        tags="bois énergie, forêt communale, chaufferie, circuit court, SCIC",
        days_ago=600,
        read_count=298,
    ),
    DemoPractice(
        slug="atelier-reparation-itinerant-tiers-lieux",
        title="Un atelier de réparation itinérant dans les tiers-lieux du Buëch",
        theme="environment",
        organisations=("Recyclerie du Buëch", "Commune de Val Buëch-Méouge"),
        contact="Sébastien Lagier",
        summary=(
            "Un samedi par mois, l'encadrante technique de la recyclerie et trois bénévoles s'installent dans un "
            "tiers-lieu du Buëch pour aider les habitants à réparer eux-mêmes petits appareils, vêtements et "
            "vélos."
        ),
        context=(
            "Nos ateliers de Serres attiraient surtout les habitants du bourg. La commune de Val Buëch-Méouge "
            "venait d'ouvrir un tiers-lieu dans son ancienne école et cherchait des activités."
        ),
        steps=(
            "<ol>"
            "<li>Composer un kit d'outillage transportable (multimètres, fers à souder, machine à coudre).</li>"
            "<li>Tenir un registre de chaque objet : type, panne, réparé ou non, poids évité.</li>"
            "<li>Faire tourner l'atelier entre quatre tiers-lieux, avec une communication commune.</li>"
            "<li>Proposer un café et un goûter par le comité des fêtes local.</li>"
            "</ol>"
        ),
        results=(
            "38 ateliers, 610 objets apportés, 64 % réparés, 2,1 tonnes de déchets évités et 15 nouveaux "
            "bénévoles réparateurs."
        ),
        watch_out=(
            "Les appareils sur secteur demandent un bénévole compétent en électricité et un contrôle avant "
            "rebranchement. Refuser les micro-ondes (risque du condensateur)."
        ),
        cost_cents=280_000,
        cost_note="Kit d'outillage et déplacements de la première année",
        tags="réparation, réemploi, tiers-lieu, déchets, bénévoles",
        days_ago=15,
        read_count=64,
    ),
    # --- Pooling and cooperation -------------------------------------------------------
    DemoPractice(
        slug="achat-groupe-electricite-associations",
        title="Un achat groupé d'électricité renouvelable pour vingt-deux associations",
        theme="pooling",
        organisations=("Névé Conseil", "Fondation Alpes Solidaires"),
        contact="Caroline Davin",
        summary=(
            "Vingt-deux membres ont regroupé leurs contrats d'électricité pour consulter ensemble les "
            "fournisseurs d'électricité renouvelable. Le prix obtenu est inférieur de 14 % à la moyenne des "
            "contrats précédents, sur trois ans."
        ),
        context=(
            "Après la hausse des prix de 2022-2023, plusieurs associations ont vu leur facture doubler et "
            "n'avaient ni le temps ni les compétences pour négocier."
        ),
        steps=(
            "<ol>"
            "<li>Collecter les factures et les points de livraison de chaque membre volontaire.</li>"
            "<li>Rédiger un cahier des charges commun (origine renouvelable garantie, prix fixe sur trois ans, "
            "pas de frais de résiliation).</li>"
            "<li>Consulter cinq fournisseurs, dont deux coopératifs, et comparer avec une grille publique.</li>"
            "<li>Faire signer à chaque membre son propre contrat, aux conditions du groupe.</li>"
            "</ol>"
        ),
        results=(
            "22 structures et 61 points de livraison, 14 % d'économie en moyenne, soit 27 000 € par an au total. "
            "Deux tiers ont choisi un fournisseur coopératif."
        ),
        watch_out=(
            "Les dates de fin des anciens contrats sont toutes différentes : prévoir une entrée progressive. "
            "Les conditions obtenues sont confidentielles, ne pas les diffuser hors du pôle."
        ),
        cost_cents=None,
        cost_note="Travail bénévole de Névé Conseil et de la fondation",
        tags="achat groupé, énergie, mutualisation, charges",
        visibility="members",
        days_ago=40,
        read_count=205,
    ),
    DemoPractice(
        slug="inventaire-partage-materiel-evenementiel",
        title="Un inventaire partagé du matériel événementiel entre membres",
        theme="pooling",
        organisations=(
            "Radio Durance Montagne",
            "Théâtre du Faubourg",
            "Syndicat intercommunal du domaine nordique de Réallon",
        ),
        contact="Lucas Peyron",
        summary=(
            "Sono, barnums, tables, projecteurs, grilles d'exposition : un tableau partagé recense le matériel "
            "que chaque membre peut prêter, avec ses conditions. Chaque association évite d'acheter ce qui dort "
            "chez la voisine."
        ),
        context=(
            "Chaque association achetait ou louait le même matériel pour deux ou trois événements par an, "
            "alors que des barnums restaient stockés à dix kilomètres."
        ),
        steps=(
            "<ol>"
            "<li>Faire l'inventaire de ce que chacun est prêt à prêter, avec photo et valeur.</li>"
            "<li>Écrire une convention de prêt type : caution, état des lieux, assurance de l'emprunteur.</li>"
            "<li>Désigner un référent par structure qui répond aux demandes sous 48 heures.</li>"
            "<li>Faire un bilan annuel et acheter ensemble ce qui manque.</li>"
            "</ol>"
        ),
        results=(
            "148 objets recensés chez 9 membres, 87 prêts en 2025, environ 12 000 € d'achats ou de locations "
            "évités. Deux barnums achetés en commun."
        ),
        watch_out=(
            "La casse : toujours faire un état des lieux photographié au départ et au retour. Le transport des "
            "gros objets reste le point faible."
        ),
        cost_cents=None,
        cost_note="Pas de coût : un tableau partagé et du temps des référents",
        tags="prêt de matériel, événementiel, mutualisation",
        days_ago=10,
        read_count=52,
    ),
    DemoPractice(
        slug="tiers-lieu-ancienne-ecole",
        title="Transformer l'ancienne école en tiers-lieu géré avec les associations du village",
        theme="pooling",
        organisations=("Commune de Val Buëch-Méouge",),
        contact="Nadine Reboul",
        summary=(
            "Fermée depuis 2019, l'école du village abrite désormais une salle partagée, trois bureaux, un "
            "atelier de réparation et un coin café. Un comité de gestion où siègent la commune et cinq "
            "associations décide de l'usage des lieux."
        ),
        context=(
            "Le bâtiment se dégradait et les associations du village se réunissaient dans des cuisines. Plusieurs "
            "télétravailleurs installés récemment cherchaient un bureau."
        ),
        steps=(
            "<ol>"
            "<li>Réunir habitants et associations pour définir les usages (trois ateliers participatifs).</li>"
            "<li>Rénover a minima : isolation des combles, chauffage, accessibilité du rez-de-chaussée.</li>"
            "<li>Signer une convention d'occupation avec un comité de gestion associatif.</li>"
            "<li>Louer les bureaux 120 € par mois aux télétravailleurs pour financer le fonctionnement.</li>"
            "</ol>"
        ),
        results=(
            "12 associations utilisatrices, 3 bureaux loués en permanence, 40 événements par an et un budget de "
            "fonctionnement équilibré dès la deuxième année."
        ),
        watch_out=(
            "Qui ferme à clé, qui sort les poubelles : un règlement intérieur simple évite les fâcheries. "
            "Vérifier le classement du bâtiment en établissement recevant du public."
        ),
        cost_cents=18_500_000,
        cost_note="Travaux de rénovation, aidés par la dotation d'équipement des territoires ruraux et la Région",
        tags="tiers-lieu, bâtiment communal, vie associative, télétravail",
        days_ago=560,
        read_count=389,
    ),
    # --- Not published yet: two drafts and one in the coordinator's review queue -------
    DemoPractice(
        slug="paniers-legumes-comites-entreprise",
        title="Vendre nos paniers de légumes aux salariés des entreprises du Gapençais",
        theme="food",
        organisations=(ASSOCIATION_WITH_DEMO_LOGINS,),
        contact="Julien Arnaud",
        summary=(
            "Un dépôt de paniers chaque jeudi dans trois entreprises et à l'hôpital, commandés par les salariés "
            "sur une liste en ligne. Brouillon : les chiffres de la première année sont à compléter."
        ),
        context="Nos ventes de paniers baissaient l'hiver, et plusieurs entreprises nous ont demandé un dépôt.",
        steps=(
            "<ol>"
            "<li>Démarcher les comités sociaux et économiques.</li>"
            "<li>Ouvrir une liste de commande en ligne.</li>"
            "<li>Livrer le jeudi entre 11 h et 13 h.</li>"
            "</ol>"
        ),
        results="",
        watch_out="",
        cost_cents=None,
        cost_note="",
        tags="paniers, maraîchage, entreprises",
        state="draft",
        days_ago=6,
    ),
    DemoPractice(
        slug="transport-solidaire-sans-permis",
        title="Un transport solidaire pour les personnes sans permis dans le Guillestrois",
        theme="mobility",
        organisations=("Mobil'Alpes",),
        contact="Marine Hugues",
        summary=(
            "Des bénévoles conduisent les véhicules de la coopérative pour les personnes qui n'ont pas le "
            "permis. À compléter après le bilan de la première année."
        ),
        context="",
        steps="<p>À rédiger : inscription des bénévoles, réservation, tarifs.</p>",
        results="",
        watch_out="",
        cost_cents=None,
        cost_note="",
        tags="transport solidaire, bénévolat",
        state="draft",
        days_ago=12,
        review_note=(
            "Merci pour cette fiche ! Avant de la publier, pouvez-vous ajouter le nombre de trajets de la première "
            "année, le tarif demandé aux passagers et la façon dont les bénévoles sont assurés ?"
        ),
    ),
    DemoPractice(
        slug="logiciels-libres-petites-associations",
        title="Une journée par semaine pour aider les petites associations à passer aux logiciels libres",
        theme="pooling",
        organisations=("Cimes Numériques",),
        contact="Hugo Ferrand",
        summary=(
            "Chaque vendredi, un membre de l'équipe accompagne gratuitement une petite association du pôle : "
            "messagerie, agenda et documents partagés sur des outils libres hébergés en France."
        ),
        context=(
            "Beaucoup de petites associations gardent leurs documents sur l'ordinateur personnel d'un bénévole "
            "et perdent tout à chaque changement de bureau."
        ),
        steps=(
            "<ol>"
            "<li>Un premier rendez-vous d'une heure pour faire l'état des lieux des outils.</li>"
            "<li>Une demi-journée d'installation et de transfert des documents.</li>"
            "<li>Une formation de deux heures pour les bénévoles, puis un appel de suivi à un mois.</li>"
            "</ol>"
        ),
        results="31 associations accompagnées en 2025 ; 27 utilisent encore les outils six mois après.",
        watch_out="Ne jamais garder les mots de passe de l'association : les remettre à deux personnes du bureau.",
        cost_cents=None,
        cost_note="Mécénat de compétences de Cimes Numériques",
        tags="numérique, logiciels libres, mécénat de compétences",
        state="review",
        days_ago=2,
    ),
)


COMMENTS: tuple[DemoComment, ...] = (
    DemoComment(
        "co-voiturage-solidaire-rosanais",
        "tried",
        "Centre intercommunal d'action sociale du Haut-Champsaur",
        "Damien Roubaud",
        "Nous avons lancé la même chose dans le haut Champsaur en nous inspirant de votre charte : 17 "
        "conducteurs la première année. Le planning tournant est vraiment la clé.",
        120,
    ),
    DemoComment(
        "co-voiturage-solidaire-rosanais",
        "question",
        "Présence Montagne",
        "Franck Guérin",
        "Comment gérez-vous les passagers en fauteuil ou qui ont besoin d'aide pour monter en voiture ? Nos "
        "bénéficiaires nous posent souvent la question.",
        60,
    ),
    DemoComment(
        "autopartage-electrique-huit-villages",
        "question",
        "Énergies Citoyennes du Briançonnais",
        "Thierry Garnier",
        "Avez-vous envisagé de recharger les voitures avec la production des toits solaires des communes ? "
        "Nous serions partants pour en parler.",
        200,
    ),
    DemoComment(
        "trajets-partages-saisonniers-stations",
        "comment",
        "Crèche parentale Les Marmottes",
        "Émilie Brun",
        "Plusieurs parents de la crèche travaillent à Risoul : nous relaierons les points de rendez-vous à la "
        "rentrée de décembre.",
        30,
    ),
    DemoComment(
        "plateforme-logistique-cantines",
        "tried",
        "Gîte associatif de la Clarée",
        "Bruno Simon",
        "Nous commandons nos légumes et nos fromages par la plateforme depuis l'été : une seule livraison par "
        "semaine au lieu de six, et des produits de la vallée dans les assiettes des randonneurs.",
        90,
    ),
    DemoComment(
        "plateforme-logistique-cantines",
        "question",
        "Centre intercommunal d'action sociale du Haut-Champsaur",
        "Corinne Pascal",
        "Livrez-vous aussi le portage de repas à domicile, avec des volumes plus petits mais réguliers toute l'année ?",
        40,
    ),
    DemoComment(
        "legumerie-insertion-cantines",
        "comment",
        "Paniers Paysans des Alpes",
        "Justine Ricou",
        "Bravo ! Nous pouvons vous apporter les légumes bruts de nos producteurs du Champsaur lors de la tournée "
        "du mardi.",
        100,
    ),
    DemoComment(
        "groupement-employeurs-aide-domicile",
        "question",
        "Crèche parentale Les Marmottes",
        "Xavier Charpentier",
        "Quelle convention collective appliquez-vous pour les salariées mises à disposition de la crèche ?",
        150,
    ),
    DemoComment(
        "nuitees-tarif-solidaire-familles",
        "tried",
        "Gîte associatif de la Clarée",
        "Alice Michel",
        "Nous réservons depuis cette année dix lits par semaine hors saison aux familles orientées par le Relais "
        "des Cimes. Votre calcul du prix d'équilibre nous a convaincus au conseil d'administration.",
        25,
    ),
    DemoComment(
        "tournee-hiver-salles-des-fetes",
        "comment",
        "Maison du patrimoine du Valgaudemar",
        "Jean-Marc Achard",
        "La salle des fêtes des Reculas serait ravie d'accueillir une date l'hiver prochain.",
        5,
    ),
    DemoComment(
        "centrale-solaire-toit-ecole",
        "tried",
        "Commune de Val Buëch-Méouge",
        "Roger Pons",
        "Nous avons fait de même sur le toit du tiers-lieu, avec 70 souscripteurs du village. Les six mois de "
        "démarches avec le réseau se confirment !",
        70,
    ),
    DemoComment(
        "permis-de-conduire-salaries-insertion",
        "question",
        "Les Ateliers du Réemploi",
        "Océane Tardieu",
        "Le forfait de groupe est-il ouvert à une troisième structure ? Deux de nos jeunes en auraient besoin.",
        35,
    ),
)
