"""What the demo organisations publish: text templates, and their deterministic combination per organisation.

`organisation_publications()` picks templates for one organisation with a random generator seeded by its
slug, fills them with the organisation's town, partner country and partner locality, and dates them
relative to `now` (most events and trainings to come, one event past, deadlines ahead). Titles and slugs
never depend on the date, so that a re-run on another day finds the items it made and adds nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from typing import Any, NamedTuple

from django.utils.html import escape
from django.utils.text import slugify

from casi_workspace.demo.data import ILLUSTRATED_SHARE, ILLUSTRATIONS

# Items of each kind per organisation; the network's own page publishes a little more.
COUNTS: dict[str, int] = {
    "news": 2,
    "event": 3,  # the last one is past, the others to come
    "call": 2,
    "offer": 2,
    "training": 2,
    "resource": 2,
    "project": 2,
}
NETWORK_COUNTS: dict[str, int] = {
    "news": 4,
    "event": 4,
    "call": 3,
    "offer": 2,
    "training": 3,
    "resource": 3,
    "project": 2,
}

DEPARTMENTS = {"22": "Côtes-d'Armor", "29": "Finistère", "35": "Ille-et-Vilaine", "56": "Morbihan"}
IN_DEPARTMENTS = {
    "22": "dans les Côtes-d'Armor",
    "29": "dans le Finistère",
    "35": "en Ille-et-Vilaine",
    "56": "dans le Morbihan",
}


class Country(NamedTuple):
    name: str
    located: str  # "au Mali"
    of: str  # "du Mali"
    places: tuple[str, ...]  # partner towns


COUNTRIES: dict[str, Country] = {
    "ML": Country("Mali", "au Mali", "du Mali", ("Kayes", "Ségou", "Kita")),
    "SN": Country("Sénégal", "au Sénégal", "du Sénégal", ("Ziguinchor", "Saint-Louis", "Thiès")),
    "MG": Country("Madagascar", "à Madagascar", "de Madagascar", ("Mahajanga", "Antsirabe")),
    "BF": Country("Burkina Faso", "au Burkina Faso", "du Burkina Faso", ("Koudougou", "Réo")),
    "HT": Country("Haïti", "en Haïti", "d'Haïti", ("Jacmel", "Les Cayes")),
    "PS": Country("Palestine", "en Palestine", "de Palestine", ("Naplouse", "Bethléem")),
    "TG": Country("Togo", "au Togo", "du Togo", ("Kpalimé", "Atakpamé")),
    "IN": Country("Inde", "en Inde", "d'Inde", ("Pondichéry", "Madurai")),
    "BJ": Country("Bénin", "au Bénin", "du Bénin", ("Abomey", "Parakou")),
    "CM": Country("Cameroun", "au Cameroun", "du Cameroun", ("Dschang", "Bafoussam")),
    "CV": Country("Cap-Vert", "au Cap-Vert", "du Cap-Vert", ("Mindelo", "Tarrafal")),
    "BO": Country("Bolivie", "en Bolivie", "de Bolivie", ("Cochabamba", "El Alto")),
    "PE": Country("Pérou", "au Pérou", "du Pérou", ("Ayacucho", "Cusco")),
    "NI": Country("Nicaragua", "au Nicaragua", "du Nicaragua", ("León", "Matagalpa")),
    "TR": Country("Turquie", "en Turquie", "de Turquie", ("Diyarbakır",)),
    "IQ": Country("Irak", "en Irak", "d'Irak", ("Erbil",)),
    "SY": Country("Syrie", "en Syrie", "de Syrie", ("Qamishli",)),
    "RO": Country("Roumanie", "en Roumanie", "de Roumanie", ("Sibiu", "Cluj-Napoca")),
    "NE": Country("Niger", "au Niger", "du Niger", ("Zinder", "Agadez")),
    "GN": Country("Guinée", "en Guinée", "de Guinée", ("Kindia", "Labé")),
    "NP": Country("Népal", "au Népal", "du Népal", ("Pokhara",)),
    "MA": Country("Maroc", "au Maroc", "du Maroc", ("Tiznit", "Ouarzazate")),
    "TD": Country("Tchad", "au Tchad", "du Tchad", ("Moundou", "Sarh")),
    "LA": Country("Laos", "au Laos", "du Laos", ("Luang Prabang", "Vang Vieng")),
    "MR": Country("Mauritanie", "en Mauritanie", "de Mauritanie", ("Nouadhibou", "Rosso")),
}
# Partner countries of organisations that list none (collectives, local authorities, schools…).
FALLBACK_COUNTRIES = ["SN", "BF", "ML", "MG", "TG", "BJ", "MA", "HT"]


class Template(NamedTuple):
    """One publication to write. Text takes the placeholders of `_context()`; `fields` are the kind's own."""

    title: str
    summary: str
    body: tuple[str, ...]
    tags: tuple[str, ...]
    fields: dict[str, Any] = {}


# --- News ---------------------------------------------------------------------------------------------------

NEWS: list[Template] = [
    Template(
        "Retour de mission {au_pays} : des nouvelles de nos partenaires {de_lieu}",
        "Trois bénévoles {de_org} ont passé deux semaines {a_lieu}. Ils racontent les chantiers en cours et "
        "les projets pour l'an prochain.",
        (
            "Chaque année, une petite équipe {de_org} rend visite à ses partenaires {de_lieu}. Cette mission a "
            "permis de faire le point sur les actions engagées et de rencontrer les nouveaux élus locaux.",
            "Un compte rendu détaillé sera présenté lors de notre prochaine assemblée générale, à {commune}.",
        ),
        ("partenariat", "jumelage"),
    ),
    Template(
        "Assemblée générale : un nouveau bureau pour {org}",
        "L'assemblée générale a réuni une quarantaine d'adhérents à {commune}. Un nouveau bureau a été élu et "
        "les orientations pour les trois prochaines années adoptées.",
        (
            "Après le rapport moral et le rapport financier, les adhérents ont débattu des priorités de "
            "l'association : renforcer les partenariats {au_pays}, ouvrir nos actions aux jeunes et mieux "
            "faire connaître notre travail {en_departement}.",
            "Merci à toutes celles et ceux qui s'engagent, et bienvenue aux nouveaux membres du bureau.",
        ),
        ("vie associative",),
        {"associations_only": True},
    ),
    Template(
        "Le nouveau forage {de_lieu} alimente trois quartiers",
        "Inauguré en présence des habitants, le forage financé avec le soutien {de_org} donne accès à l'eau "
        "potable à plus de 2 000 personnes.",
        (
            "Le comité de gestion de l'eau, élu par les habitants, assure l'entretien du forage et fixe un prix "
            "de l'eau qui permet de financer les réparations.",
            "Le projet a bénéficié du dispositif 1 % solidaire pour l'eau et de dons collectés {en_departement}.",
        ),
        ("eau", "assainissement"),
    ),
    Template(
        "Festival des solidarités : merci aux bénévoles {de_commune} !",
        "Expositions, débats, repas partagé : le Festival des solidarités a attiré plus de 600 personnes "
        "à {commune} cette année.",
        (
            "Pendant deux semaines, associations, écoles et collectivités ont proposé une vingtaine de rendez-vous "
            "pour parler de solidarité internationale, d'alimentation et de climat.",
            "Rendez-vous l'an prochain : les idées d'animation sont les bienvenues.",
        ),
        ("ECSI", "festival"),
    ),
    Template(
        "Rentrée scolaire {au_pays} : 300 kits distribués {a_lieu}",
        "Cahiers, stylos, ardoises : avec nos partenaires, {org} a équipé les élèves de quatre écoles "
        "primaires {de_lieu}.",
        (
            "Les fournitures ont été achetées sur place, auprès de commerçants locaux, pour soutenir l'économie "
            "de la commune et éviter les frais de transport.",
            "Les associations de parents d'élèves ont organisé la distribution et suivent l'assiduité des élèves.",
        ),
        ("éducation",),
    ),
    Template(
        "Une délégation {de_lieu} accueillie à {commune}",
        "Pendant dix jours, nos partenaires {du_pays} ont rencontré élus, écoles et associations {de_commune} "
        "et des environs.",
        (
            "Au programme : visite d'une exploitation en agriculture biologique, échanges avec les élèves d'un "
            "lycée et soirée publique à la salle des fêtes.",
            "Cette visite prépare la prochaine convention de partenariat, qui sera signée l'an prochain.",
        ),
        ("jumelage", "partenariat"),
    ),
    Template(
        "Santé maternelle {a_lieu} : le centre de santé rénové",
        "La maternité du centre de santé {de_lieu} a rouvert après six mois de travaux soutenus par {org}.",
        (
            "Les sages-femmes disposent désormais d'une salle d'accouchement équipée, d'un éclairage solaire et "
            "d'un point d'eau.",
            "Le suivi des femmes enceintes sera assuré par les agents de santé communautaire formés l'an dernier.",
        ),
        ("santé",),
    ),
    Template(
        "Accueil des personnes exilées : nos bénévoles mobilisés",
        "Cours de français, accompagnement administratif, sorties : les bénévoles {de_org} s'engagent aux "
        "côtés des personnes exilées arrivées à {commune}.",
        (
            "Nous travaillons avec les associations locales d'accueil et le centre communal d'action sociale "
            "pour que chacun trouve sa place.",
            "Vous souhaitez donner un peu de votre temps ? Contactez-nous.",
        ),
        ("migrations", "bénévolat"),
    ),
    Template(
        "Exposition « Regards croisés » à la médiathèque {de_commune}",
        "Des photographies prises {a_lieu} et {en_departement} par des jeunes des deux pays, exposées tout "
        "le mois à la médiathèque.",
        (
            "Ces images sont nées d'un atelier photo mené à distance entre deux groupes de jeunes, qui ont échangé "
            "sur leur quotidien, leur école et leurs projets.",
            "L'exposition peut être prêtée gratuitement aux établissements scolaires et aux associations.",
        ),
        ("ECSI", "culture", "jeunesse"),
    ),
    Template(
        "Agroécologie {au_pays} : une première récolte prometteuse {a_lieu}",
        "Les maraîchères formées aux techniques d'agroécologie ont vendu leur première récolte sur le marché "
        "{de_lieu}.",
        (
            "Compost, paillage et association de cultures : les rendements ont progressé malgré une saison des "
            "pluies courte.",
            "Une partie des bénéfices alimente une caisse d'épargne gérée par le groupement de femmes.",
        ),
        ("agroécologie", "égalité femmes-hommes"),
    ),
]

NETWORK_NEWS: list[Template] = [
    Template(
        "Le réseau accueille quatre nouvelles structures membres",
        "Le conseil d'administration de CASI Bretagne a validé l'adhésion de quatre structures : deux "
        "associations, un lycée et une coopérative.",
        (
            "Le réseau rassemble désormais une cinquantaine d'acteurs de la solidarité internationale dans les "
            "quatre départements bretons.",
            "Leur page est en ligne dans l'annuaire : n'hésitez pas à prendre contact avec elles.",
        ),
        ("vie du réseau",),
    ),
    Template(
        "Assises régionales de la solidarité internationale : les inscriptions sont ouvertes",
        "Associations, collectivités, établissements : venez construire ensemble les priorités du réseau pour "
        "les trois prochaines années.",
        (
            "Ateliers thématiques (ECSI, migrations, climat, financements), témoignages de partenaires et temps "
            "d'échanges rythmeront la journée.",
            "La participation est gratuite ; le déjeuner est offert aux structures membres.",
        ),
        ("vie du réseau", "plaidoyer"),
    ),
]


# --- Events -------------------------------------------------------------------------------------------------

EVENTS: list[Template] = [
    Template(
        "Ciné-débat : l'accès à l'eau {au_pays}",
        "Projection d'un documentaire tourné {a_lieu}, suivie d'un débat avec des membres {de_org}.",
        (
            "Le film suit pendant un an les habitants d'un village qui ont construit et gèrent eux-mêmes leur "
            "réseau d'eau potable.",
            "Le débat sera animé par des bénévoles de retour de mission. Entrée libre, participation au chapeau.",
        ),
        ("eau", "ECSI"),
        {"venue": "Cinéma municipal", "hours": 2.5, "hour": 20, "price": "Participation libre"},
    ),
    Template(
        "Marché solidaire et artisanat du monde à {commune}",
        "Artisanat, produits du commerce équitable et stands associatifs pour soutenir les projets {de_org}.",
        (
            "Une trentaine d'exposants, une buvette et une petite restauration tenue par les bénévoles.",
            "Les bénéfices financeront les projets menés avec nos partenaires {de_lieu}.",
        ),
        ("commerce équitable",),
        {"venue": "Halle du marché", "hours": 7, "hour": 10, "price": "Entrée gratuite"},
    ),
    Template(
        "Conférence : agroécologie et souveraineté alimentaire {au_pays}",
        "Un agronome et une représentante d'une organisation paysanne {du_pays} présentent leurs expériences.",
        (
            "Comment nourrir les villes sans épuiser les sols ? La conférence croisera les regards de chercheurs "
            "et de paysans.",
            "Elle sera suivie d'un temps d'échanges avec la salle et d'un verre de l'amitié.",
        ),
        ("agroécologie", "climat"),
        {"venue": "Salle des conférences de la mairie", "hours": 2, "hour": 18, "price": "Gratuit"},
    ),
    Template(
        "Repas solidaire et concert de soutien aux projets {au_pays}",
        "Un repas aux saveurs {du_pays}, suivi d'un concert, au profit des projets {de_org}.",
        (
            "Le repas est préparé par les bénévoles et des membres de la diaspora installés {en_departement}.",
            "Réservation conseillée : les places sont limitées à 120 couverts.",
        ),
        ("culture", "convivialité"),
        {"venue": "Salle des fêtes", "hours": 4, "hour": 19, "price": "15 € (8 € pour les enfants)"},
    ),
    Template(
        "Webinaire : monter un premier projet de solidarité internationale",
        "Une heure et demie en ligne pour comprendre les étapes d'un projet, de l'idée au bilan.",
        (
            "Diagnostic partagé avec les partenaires, budget, recherche de financements, évaluation : les "
            "intervenants partagent leurs outils.",
            "Le lien de connexion est envoyé la veille aux personnes inscrites.",
        ),
        ("financement", "formation"),
        {"online": True, "hours": 1.5, "hour": 18, "price": "Gratuit"},
    ),
    Template(
        "Village des solidarités sur la place {de_commune}",
        "Stands, jeux, musique et dégustations : les associations {de_commune} présentent leurs actions ici et là-bas.",
        (
            "Le village s'inscrit dans le Festival des solidarités. Les enfants pourront participer à un grand "
            "jeu sur les objectifs de développement durable.",
            "Un moment festif pour découvrir les acteurs de la solidarité internationale près de chez soi.",
        ),
        ("ECSI", "festival"),
        {"venue": "Place de la mairie", "hours": 6, "hour": 11, "price": "Gratuit"},
    ),
    Template(
        "Rencontre-témoignage : retour de volontaires {au_pays}",
        "Quatre jeunes partis en volontariat racontent leur expérience et répondent aux questions.",
        (
            "Service civique, volontariat de solidarité internationale, chantier de jeunes : chacun présente son "
            "parcours, ses découvertes et ses doutes.",
            "Une soirée pour celles et ceux qui envisagent un départ.",
        ),
        ("volontariat", "jeunesse"),
        {"venue": "Point information jeunesse", "hours": 2, "hour": 18, "price": "Gratuit"},
    ),
    Template(
        "Atelier jeunes : le jeu de la ficelle",
        "Un atelier ludique pour comprendre les liens entre notre alimentation, l'environnement et les pays du Sud.",
        (
            "Animé par des bénévoles formés, l'atelier s'adresse aux jeunes de 12 à 18 ans.",
            "Inscription auprès {de_org}.",
        ),
        ("ECSI", "jeunesse"),
        {"venue": "Maison des jeunes", "hours": 2, "hour": 14, "price": "Gratuit"},
    ),
    Template(
        "Visioconférence avec nos partenaires {de_lieu}",
        "Une rencontre en ligne pour échanger en direct avec l'équipe de nos partenaires {du_pays}.",
        (
            "Nos partenaires présenteront l'avancement des projets et répondront aux questions des adhérents "
            "et des donateurs.",
            "Traduction assurée par des bénévoles si nécessaire.",
        ),
        ("partenariat",),
        {"online": True, "hours": 1.5, "hour": 17, "price": "Gratuit"},
    ),
    Template(
        "Exposition « Femmes {du_pays}, femmes d'ici »",
        "Portraits croisés de femmes engagées {a_lieu} et {en_departement}.",
        (
            "Agricultrices, élues, entrepreneuses, militantes : vingt portraits pour parler d'égalité et de "
            "solidarité.",
            "Visite commentée par les membres {de_org} le samedi après-midi.",
        ),
        ("égalité femmes-hommes", "culture"),
        {"venue": "Hall de la médiathèque", "hours": 3, "hour": 14, "price": "Gratuit"},
    ),
]

NETWORK_EVENTS: list[Template] = [
    Template(
        "Assises régionales de la solidarité internationale",
        "La grande journée annuelle du réseau : ateliers, plénière et temps d'échanges entre membres.",
        (
            "Les assises sont ouvertes à toutes les structures membres et aux partenaires du réseau.",
            "Programme détaillé et inscriptions sur cette page.",
        ),
        ("vie du réseau", "plaidoyer"),
        # Registrations on the site, with workshops in two time slots (demo/registrations.py): no outside link.
        {
            "venue": "Maison des associations",
            "hours": 7,
            "hour": 9,
            "price": "Gratuit pour les membres",
            "registers_here": True,
        },
    ),
    Template(
        "Café des membres en visio : les nouveautés du réseau",
        "Une heure en ligne pour découvrir l'espace des membres, l'agenda partagé et les ressources.",
        (
            "L'équipe de coordination présente les outils du réseau et répond à vos questions.",
            "Le lien de connexion est envoyé aux inscrits.",
        ),
        ("vie du réseau",),
        {"online": True, "hours": 1, "hour": 12, "price": "Gratuit"},
    ),
]


# --- Calls for projects -------------------------------------------------------------------------------------

ELIGIBILITY = (
    "<p>Associations loi 1901 ayant au moins un an d'existence et dont le siège est en Bretagne.</p>"
    "<ul><li>Projet construit avec un partenaire local</li><li>Budget équilibré</li>"
    "<li>Actions de sensibilisation prévues en Bretagne</li></ul>"
)

CALLS: list[Template] = [
    Template(
        "Appel à projets Jeunesse Solidarité Internationale (JSI)",
        "Le dispositif JSI soutient des projets d'échanges entre des groupes de jeunes de France et de pays "
        "partenaires. {org} relaie l'appel et accompagne les porteurs de projets.",
        ("Les projets associent un groupe de jeunes de 15 à 25 ans en Bretagne et un groupe partenaire.",),
        ("jeunesse", "financement"),
        {"funder": "FONJEP — ministère de l'Europe et des Affaires étrangères", "amount": "Jusqu'à 7 500 €"},
    ),
    Template(
        "Microprojets de solidarité internationale : appel à propositions",
        "L'Agence des micro-projets finance des projets de développement portés par de petites associations "
        "françaises avec leurs partenaires.",
        ("Un accompagnement gratuit au montage du dossier est proposé avant le dépôt.",),
        ("financement",),
        {"funder": "Agence des micro-projets", "amount": "De 2 000 à 15 000 €"},
    ),
    Template(
        "Soutien régional aux projets de solidarité internationale",
        "La Région soutient les projets portés par des acteurs bretons avec leurs partenaires à l'étranger, "
        "notamment dans les domaines de l'eau, de la santé et de l'éducation.",
        ("Le dossier doit présenter le partenariat, le budget prévisionnel et les actions menées en Bretagne.",),
        ("financement", "eau", "santé"),
        {"funder": "Région Bretagne", "amount": "Jusqu'à 20 000 €, 50 % du budget au plus"},
    ),
    Template(
        "Fonds départemental pour les initiatives solidaires {en_departement}",
        "Le Département soutient les projets de solidarité internationale et d'éducation à la citoyenneté "
        "portés par des associations du territoire.",
        ("Priorité aux projets impliquant des jeunes et des habitants du département.",),
        ("financement", "ECSI"),
        {"funder": "Conseil départemental — {departement}", "amount": "Jusqu'à 5 000 €"},
    ),
    Template(
        "Appel à projets « 1 % solidaire pour l'eau »",
        "Un financement pour les projets d'accès à l'eau potable et à l'assainissement dans les pays du Sud.",
        ("Les projets doivent prévoir la gestion durable des équipements par les usagers.",),
        ("eau", "assainissement", "financement"),
        {"funder": "Agence de l'eau Loire-Bretagne", "amount": "Jusqu'à 50 % du budget"},
    ),
    Template(
        "Appel à initiatives : Festival des solidarités",
        "Un coup de pouce pour organiser une animation pendant le Festival des solidarités : exposition, "
        "ciné-débat, repas, jeu.",
        ("Les animations doivent être ouvertes au public et gratuites ou à prix libre.",),
        ("ECSI", "festival", "financement"),
        {"funder": "CASI Bretagne", "amount": "Jusqu'à 800 €"},
    ),
    Template(
        "Ville Vie Vacances Solidarité Internationale (VVVSI)",
        "Le programme VVVSI finance des projets de jeunes des quartiers prioritaires avec un partenaire à l'étranger.",
        ("Le projet comprend une préparation en France, un séjour et une restitution publique.",),
        ("jeunesse", "financement"),
        {"funder": "FONJEP — ministère de l'Europe et des Affaires étrangères", "amount": "Jusqu'à 8 000 €"},
    ),
    Template(
        "Appel à projets climat et solidarité internationale",
        "Un fonds dédié aux projets d'adaptation au changement climatique menés avec des partenaires du Sud.",
        ("Reboisement, énergies renouvelables, gestion de l'eau : les projets sont évalués sur leur impact local.",),
        ("climat", "financement"),
        {"funder": "Fondation de France", "amount": "De 5 000 à 30 000 €"},
    ),
]

# The network's call whose deadline has passed: it leaves the listing of open calls by itself.
CLOSED_CALL = Template(
    "Fonds régional d'initiatives en éducation à la citoyenneté (session de printemps)",
    "La session de printemps du fonds d'initiatives ECSI est close ; la prochaine session sera annoncée ici.",
    ("Merci aux vingt structures qui ont déposé un dossier.",),
    ("ECSI", "financement"),
    {"funder": "CASI Bretagne", "amount": "Jusqu'à 1 500 €"},
)


# --- Offers -------------------------------------------------------------------------------------------------

OFFERS: list[Template] = [
    Template(
        "Service civique : animation d'actions d'éducation à la citoyenneté à {commune}",
        "{org} accueille un ou une volontaire en service civique pendant huit mois pour animer des ateliers "
        "dans les écoles et les centres de loisirs.",
        (
            "Missions : préparer et animer des ateliers, participer au Festival des solidarités, tenir les "
            "réseaux sociaux de l'association.",
            "Aucun diplôme requis ; la motivation compte avant tout.",
        ),
        ("ECSI", "volontariat", "jeunesse"),
        {"offer_kind": "civic_service"},
    ),
    Template(
        "Volontariat de solidarité internationale {au_pays} : appui à nos partenaires {de_lieu}",
        "Une mission de volontariat de solidarité internationale (VSI) de douze mois auprès de nos partenaires, "
        "pour accompagner le suivi des projets.",
        (
            "Le ou la volontaire appuie l'équipe locale dans le suivi des chantiers, les rapports aux financeurs "
            "et la formation des comités de gestion.",
            "Indemnité et couverture sociale selon le statut du VSI ; préparation au départ assurée.",
        ),
        ("volontariat",),
        {"offer_kind": "international_volunteering", "abroad": True},
    ),
    Template(
        "Stage : communication et vie associative à {commune}",
        "Stage de quatre à six mois pour renforcer la communication {de_org} : site, lettre d'information, "
        "réseaux sociaux, événements.",
        (
            "Profil : formation en communication, en développement ou en sciences politiques ; intérêt pour la "
            "solidarité internationale.",
            "Gratification légale, stage basé à {commune}.",
        ),
        ("stage", "communication"),
        {"offer_kind": "internship"},
    ),
    Template(
        "{org} recrute un·e chargé·e de projets (CDD de douze mois)",
        "{org} recrute un ou une chargé·e de projets pour suivre ses partenariats et préparer les dossiers de "
        "financement.",
        (
            "Missions : suivi des projets avec les partenaires, relations avec les financeurs, animation des "
            "bénévoles.",
            "Expérience de deux ans souhaitée ; déplacements ponctuels à l'étranger.",
        ),
        ("emploi",),
        {"offer_kind": "fixed_term"},
    ),
    Template(
        "Coordinateur·rice de l'association {org} (CDI)",
        "Poste à temps plein pour coordonner l'équipe, les projets et la vie associative {de_org}.",
        (
            "Vous travaillez avec le bureau et une équipe de bénévoles engagés, en lien avec le réseau régional.",
            "Rémunération selon la convention collective de l'animation.",
        ),
        ("emploi",),
        {"offer_kind": "permanent", "associations_only": True},
    ),
    Template(
        "Bénévoles recherchés pour le Festival des solidarités {de_commune}",
        "Accueil du public, tenue des stands, logistique : rejoignez l'équipe de bénévoles {de_org}.",
        ("Quelques heures ou toute la durée du festival : chaque coup de main compte.",),
        ("bénévolat", "festival"),
        {"offer_kind": "volunteering"},
    ),
    Template(
        "Trésorier·e bénévole recherché·e pour {org}",
        "{org} cherche une personne à l'aise avec les chiffres pour rejoindre son bureau.",
        (
            "Vous tenez la comptabilité avec l'aide d'un logiciel simple et préparez les bilans financiers pour "
            "les financeurs.",
            "Deux à trois heures par mois ; une formation est proposée par le réseau.",
        ),
        ("bénévolat", "vie associative"),
        {"offer_kind": "volunteering", "associations_only": True},
    ),
    Template(
        "Service civique : accueil et accompagnement des personnes exilées à {commune}",
        "Une mission de service civique de dix mois au sein {de_org} pour accompagner les personnes exilées "
        "dans leurs démarches.",
        (
            "Accueil, orientation, appui aux cours de français, organisation de sorties culturelles.",
            "Mission ouverte aux jeunes de 16 à 25 ans (30 ans en situation de handicap).",
        ),
        ("migrations", "volontariat"),
        {"offer_kind": "civic_service"},
    ),
]


# --- Trainings ----------------------------------------------------------------------------------------------

TRAININGS: list[Template] = [
    Template(
        "Monter et financer un projet de solidarité internationale à {commune}",
        "Deux jours pour construire un projet avec ses partenaires, en bâtir le budget et trouver des financements.",
        (
            "Méthode du cadre logique, diagnostic partagé, budget, dossiers de demande de subvention.",
            "Apportez un projet en cours : la formation s'appuie sur vos cas concrets.",
        ),
        ("financement", "formation"),
        {"audience": "Bénévoles et salariés d'associations", "days": 2, "price": "30 € pour les membres"},
    ),
    Template(
        "Animer un atelier d'éducation à la citoyenneté mondiale à {commune}",
        "Une journée pour découvrir des outils d'animation (jeux, photolangage, débats mouvants) et les tester.",
        (
            "Les participants repartent avec un kit d'animation prêt à l'emploi.",
            "Formation ouverte aux enseignants, animateurs et bénévoles.",
        ),
        ("ECSI", "formation"),
        {"audience": "Animateurs, enseignants, bénévoles", "days": 1, "price": "Gratuit"},
    ),
    Template(
        "Préparer un départ en volontariat {au_pays} : interculturalité et posture",
        "Un week-end de préparation au départ pour les jeunes qui partent en volontariat ou en chantier.",
        (
            "Rencontre avec d'anciens volontaires, ateliers sur l'interculturalité, la santé et la sécurité.",
            "Formation obligatoire pour les volontaires soutenus par le réseau.",
        ),
        ("volontariat", "jeunesse"),
        {"audience": "Jeunes de 18 à 30 ans", "days": 2, "price": "20 €"},
    ),
    Template(
        "Évaluer un projet de solidarité internationale : session {de_commune}",
        "Comment mesurer les effets d'un projet avec ses partenaires ? Indicateurs, enquêtes, bilan partagé.",
        (
            "Une formation pratique, illustrée par des évaluations menées par des associations du réseau.",
            "Une demi-journée d'accompagnement individuel est proposée ensuite.",
        ),
        ("formation",),
        {"audience": "Responsables de projets", "days": 1, "price": "Gratuit pour les membres"},
    ),
    Template(
        "Communiquer sur ses actions : réseaux sociaux et presse locale",
        "Une formation en ligne pour mieux faire connaître ses actions et ses événements.",
        (
            "Rédiger un communiqué, choisir ses réseaux, réussir une photo : des conseils concrets.",
            "Trois séances d'une heure et demie, en visioconférence.",
        ),
        ("communication", "formation"),
        {"audience": "Bénévoles chargés de la communication", "online": True, "price": "Gratuit"},
    ),
    Template(
        "Accueillir une délégation étrangère : visas, assurances, logistique",
        "Tout ce qu'il faut savoir pour préparer la venue de partenaires en Bretagne.",
        (
            "Démarches de visa, lettres d'invitation, assurances, hébergement, programme de visite.",
            "Avec le témoignage d'associations qui accueillent régulièrement des délégations.",
        ),
        ("jumelage", "formation"),
        {"audience": "Associations et collectivités", "online": True, "price": "Gratuit"},
    ),
    Template(
        "Comptabilité associative et subventions publiques",
        "Les bases de la comptabilité d'une association et les obligations liées aux subventions.",
        (
            "Plan comptable, compte de résultat, compte rendu financier de subvention.",
            "Une session en ligne, suivie d'un temps de questions-réponses.",
        ),
        ("vie associative", "financement"),
        {"audience": "Trésoriers et trésorières", "online": True, "price": "Gratuit"},
    ),
]


# --- Resources ----------------------------------------------------------------------------------------------

RESOURCES: list[Template] = [
    Template(
        "Guide pratique : accueillir des partenaires étrangers en Bretagne",
        "Un guide pas à pas, de l'invitation au retour, rédigé à partir de l'expérience {de_org}.",
        ("Visas, assurances, programme, budget : dix fiches pratiques et des modèles de documents.",),
        ("jumelage",),
        {"resource_kind": "guide"},
    ),
    Template(
        "Étude : la solidarité internationale {en_departement}, état des lieux",
        "Qui sont les acteurs de la solidarité internationale du département, que font-ils, avec qui ?",
        (
            "L'étude s'appuie sur un questionnaire rempli par une centaine de structures et sur des entretiens.",
            "Elle dresse le portrait d'un engagement ancien, bénévole à plus de 80 %, tourné vers l'Afrique de "
            "l'Ouest.",
        ),
        ("étude",),
        {"resource_kind": "survey"},
    ),
    Template(
        "Analyse : dix ans de coopération pour l'eau {au_pays}",
        "Ce que nous avons appris de dix années de projets d'accès à l'eau avec nos partenaires {de_lieu}.",
        (
            "Les équipements tiennent quand les usagers en assurent eux-mêmes la gestion et l'entretien.",
            "L'analyse propose des recommandations pour les associations qui se lancent.",
        ),
        ("eau", "évaluation"),
        {"resource_kind": "analysis"},
    ),
    Template(
        "Position : pour un accueil digne des personnes migrantes {a_commune}",
        "{org} rappelle son attachement à l'accueil inconditionnel et au respect des droits des personnes exilées.",
        (
            "Nous demandons des moyens pour l'hébergement, l'apprentissage du français et l'accès aux droits.",
            "Ce texte a été adopté en assemblée générale.",
        ),
        ("migrations", "plaidoyer"),
        {"resource_kind": "position"},
    ),
    Template(
        "Kit pédagogique : les objectifs de développement durable en classe",
        "Fiches d'activités, jeux et supports pour parler des objectifs de développement durable avec des "
        "élèves de 8 à 15 ans.",
        ("Chaque fiche propose une activité d'une heure, testée en classe avec des enseignants.",),
        ("ECSI", "éducation"),
        {"resource_kind": "guide"},
    ),
    Template(
        "Enquête : motivations et attentes des bénévoles {de_org}",
        "Résultats d'une enquête auprès des bénévoles {de_org} et d'associations voisines.",
        (
            "Les bénévoles s'engagent d'abord pour les rencontres et le sens de l'action.",
            "Ils attendent plus de formation et de moments conviviaux.",
        ),
        ("bénévolat", "étude"),
        {"resource_kind": "survey"},
    ),
    Template(
        "Plaidoyer : maintenir l'aide publique au développement",
        "Pourquoi l'aide publique au développement doit rester une priorité, et ce qu'elle permet concrètement.",
        ("Un argumentaire appuyé sur des exemples de projets menés par des acteurs bretons.",),
        ("plaidoyer",),
        {"resource_kind": "position"},
    ),
    Template(
        "Analyse : santé communautaire {a_lieu}, bilan d'un partenariat",
        "Retour sur un partenariat de santé communautaire mené avec un centre de santé {du_pays}.",
        (
            "Formation d'agents de santé, équipement, suivi des femmes enceintes : ce qui a marché, ce qui reste "
            "à faire.",
        ),
        ("santé", "évaluation"),
        {"resource_kind": "analysis"},
    ),
]


# --- Operational projects -----------------------------------------------------------------------------------

PROJECTS: list[Template] = [
    Template(
        "Accès à l'eau potable {a_lieu}",
        "Construction de forages et formation d'un comité de gestion de l'eau avec les habitants {de_lieu}.",
        (
            "Le projet prévoit trois forages équipés de pompes à motricité humaine et la formation de réparateurs.",
            "Les usagers contribuent à un fonds d'entretien géré par le comité de l'eau.",
        ),
        ("eau", "assainissement"),
        {"partners": ("Comité de gestion de l'eau {de_lieu}", "Commune {de_lieu}")},
    ),
    Template(
        "Jardins maraîchers des femmes {de_lieu}",
        "Un périmètre maraîcher clôturé et irrigué pour un groupement de soixante femmes.",
        (
            "Formation aux techniques d'agroécologie, puits maraîchers, magasin de stockage.",
            "Les ventes sur le marché local améliorent les revenus et l'alimentation des familles.",
        ),
        ("agroécologie", "égalité femmes-hommes"),
        {"partners": ("Groupement des femmes maraîchères {de_lieu}", "Service local de l'agriculture")},
    ),
    Template(
        "Bibliothèque scolaire {de_lieu}",
        "Équiper et faire vivre une bibliothèque pour les quatre écoles primaires {de_lieu}.",
        (
            "Achat de livres auprès d'éditeurs locaux, formation de deux bibliothécaires, animations lecture.",
            "Des échanges de lettres sont organisés avec une école {de_commune}.",
        ),
        ("éducation", "jumelage"),
        {"partners": ("Association des parents d'élèves {de_lieu}", "Inspection de l'enseignement {de_lieu}")},
    ),
    Template(
        "Santé maternelle et infantile {a_lieu}",
        "Renforcer le suivi des grossesses et des jeunes enfants dans le district {de_lieu}.",
        ("Formation d'agents de santé communautaire, équipement de la maternité, campagnes de sensibilisation.",),
        ("santé",),
        {"partners": ("Centre de santé {de_lieu}", "Association des agents de santé communautaire")},
    ),
    Template(
        "Échanges de jeunes entre {commune} et {lieu}",
        "Deux groupes de jeunes préparent ensemble un chantier solidaire et une exposition commune.",
        (
            "Les jeunes {de_commune} accueillent leurs homologues, puis partent à leur tour l'année suivante.",
            "Le projet est soutenu par le dispositif Jeunesse Solidarité Internationale.",
        ),
        ("jeunesse", "ECSI"),
        {"partners": ("Maison des jeunes {de_lieu}", "Service jeunesse {de_commune}")},
    ),
    Template(
        "Énergie solaire pour le centre de santé {de_lieu}",
        "Installer des panneaux solaires pour assurer l'éclairage et la chaîne du froid des vaccins.",
        ("Le projet comprend la formation de deux techniciens locaux à l'entretien de l'installation.",),
        ("climat", "santé"),
        {"partners": ("Centre de santé {de_lieu}", "Coopérative d'électriciens {de_lieu}")},
    ),
    Template(
        "Formation professionnelle des jeunes {de_lieu}",
        "Un centre de formation aux métiers de la couture, de la mécanique et de la menuiserie.",
        ("Chaque année, une quarantaine de jeunes sont formés et accompagnés vers l'emploi ou l'installation.",),
        ("jeunesse", "éducation"),
        {"partners": ("Centre de formation professionnelle {de_lieu}", "Chambre des métiers régionale")},
    ),
]


KIND_TEMPLATES: dict[str, list[Template]] = {
    "news": NEWS,
    "event": EVENTS,
    "call": CALLS,
    "offer": OFFERS,
    "training": TRAININGS,
    "resource": RESOURCES,
    "project": PROJECTS,
}
NETWORK_TEMPLATES: dict[str, list[Template]] = {"news": NETWORK_NEWS, "event": NETWORK_EVENTS}

# Waiting for moderation: the one news item the untrusted association (asso-b) has submitted.
PENDING_NEWS = Template(
    "Une nouvelle pirogue pour la coopérative de pêcheurs de Mahajanga",
    "Grâce aux dons collectés à Douarnenez, la coopérative de pêcheurs de Mahajanga a mis à l'eau une "
    "pirogue neuve, construite par des charpentiers du village.",
    (
        "La pirogue permettra à six familles de pêcheurs de reprendre la mer après la saison cyclonique.",
        "Un grand merci aux donateurs et aux marins-pêcheurs de Douarnenez qui ont partagé leur savoir-faire.",
    ),
    ("pêche", "partenariat"),
)


class PublicationSpec(NamedTuple):
    """One publication of the demo, ready to be written: `fields` are model fields (kind's own included)."""

    kind: str
    slug: str
    title: str
    summary: str
    body: tuple[str, ...]  # paragraphs, HTML-escaped
    tags: tuple[str, ...]
    fields: dict[str, Any]
    published_at: datetime.datetime
    closed: bool = False  # a call whose deadline is set in the past once created
    illustration: str = ""  # the words of its picture (data.ILLUSTRATIONS), empty for none


def _rng(*parts: str) -> random.Random:
    seed = ":".join(parts).encode()
    return random.Random(int(hashlib.sha256(seed).hexdigest()[:12], 16))  # noqa: S311 -- demo data


VOWELS = "AEIOUYÉÈÊÀÂÎÔaeiouyéèêàâîô"


def _de(name: str) -> str:
    """ "de Kayes", "d'Antsirabe", "des Amis de Koudougou" (French elision and contraction)."""
    if name.startswith("Les "):
        return "des " + name[4:]
    if name.startswith("Le "):
        return "du " + name[3:]
    return f"d'{name}" if name[:1] in VOWELS else f"de {name}"


def _a(name: str) -> str:
    """ "à Kayes", "aux Cayes"."""
    if name.startswith("Les "):
        return "aux " + name[4:]
    if name.startswith("Le "):
        return "au " + name[3:]
    return f"à {name}"


def _context(slug: str, title: str, commune: str, department: str, countries: list[str]) -> dict[str, str]:
    rng = _rng(slug, "place")
    code = countries[0] if countries and countries[0] in COUNTRIES else rng.choice(FALLBACK_COUNTRIES)
    country = COUNTRIES[code]
    place = rng.choice(country.places)
    return {
        "org": title,
        "de_org": _de(title),
        "commune": commune,
        "de_commune": _de(commune),
        "a_commune": _a(commune),
        "lieu": place,
        "de_lieu": _de(place),
        "a_lieu": _a(place),
        "departement": DEPARTMENTS.get(department, "Bretagne"),
        "en_departement": IN_DEPARTMENTS.get(department, "en Bretagne"),
        "pays": country.name,
        "au_pays": country.located,
        "du_pays": country.of,
        "country_code": code,
    }


def _slug(title: str, taken: set[str]) -> str:
    base = slugify(title)[:80].strip("-")
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _at(day: datetime.date, hour: float, tz: datetime.tzinfo) -> datetime.datetime:
    minutes = round(hour * 60)
    return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=tz)


def _kind_fields(
    kind: str, template: Template, past: bool, context: dict[str, str], rng: random.Random, now: datetime.datetime
) -> tuple[dict[str, Any], datetime.datetime]:
    """The kind's own fields, and the date the item was published (always before `now`)."""
    today, tz = now.date(), now.tzinfo
    extra = template.fields
    published = now - datetime.timedelta(days=rng.randint(2, 60), hours=rng.randint(0, 8))
    if kind == "event":
        offset = -rng.randint(5, 45) if past else rng.randint(3, 120)
        start = _at(today + datetime.timedelta(days=offset), extra["hour"], tz)
        fields: dict[str, Any] = {
            "start": start,
            "end": start + datetime.timedelta(hours=extra["hours"]),
            "price": extra["price"],
        }
        if extra.get("online"):
            fields["online_url"] = "https://visio.example.org/" + slugify(template.title)[:40]
        else:
            fields |= {"venue": extra["venue"].format_map(context), "commune": context["commune"]}
        if rng.random() < 0.5 and not extra.get("registers_here"):  # the draw is made whatever: same sequence
            fields["registration_url"] = "https://billetterie.example.org/" + slugify(template.title)[:40]
        else:
            fields["registration_contact"] = "02 98 00 00 00"
        published = min(published, start - datetime.timedelta(days=rng.randint(7, 30)))
        return fields, published
    if kind == "training":
        start = _at(today + datetime.timedelta(days=rng.randint(10, 150)), 9.5, tz)
        days = extra.get("days", 1)
        fields = {
            "start": start,
            "end": start + datetime.timedelta(days=days - 1, hours=7.5),
            "audience": extra["audience"],
            "price": extra["price"],
            "registration_url": "https://formations.example.org/" + slugify(template.title)[:40],
        }
        if extra.get("online"):
            fields["online_url"] = "https://visio.example.org/" + slugify(template.title)[:40]
        else:
            fields |= {"venue": "Maison des associations", "commune": context["commune"]}
        return fields, published
    if kind == "call":
        return {
            "funder": extra["funder"].format_map(context),
            "amount": extra["amount"],
            "deadline": today + datetime.timedelta(days=rng.randint(20, 150)),
            "eligibility": ELIGIBILITY,
            "application_url": "https://financeurs.example.org/" + slugify(template.title)[:40],
        }, published
    if kind == "offer":
        deadline = today + datetime.timedelta(days=rng.randint(15, 90))
        fields = {
            "offer_kind": extra["offer_kind"],
            "deadline": None if extra["offer_kind"] == "volunteering" and rng.random() < 0.5 else deadline,
            "start_date": deadline + datetime.timedelta(days=rng.randint(15, 45)),
            "commune": context["commune"],
            "country": "FR",
        }
        if extra.get("abroad"):
            fields |= {"commune": context["lieu"], "country": context["country_code"]}
        return fields, published
    if kind == "resource":
        return {"resource_kind": extra["resource_kind"]}, published
    if kind == "project":
        status = rng.choices(["ongoing", "completed", "planned"], weights=[6, 2, 2])[0]
        if status == "ongoing":
            start, end = today - datetime.timedelta(days=rng.randint(200, 900)), rng.randint(120, 700)
        elif status == "completed":
            start, end = today - datetime.timedelta(days=rng.randint(1200, 1800)), -rng.randint(60, 400)
        else:
            start, end = today + datetime.timedelta(days=rng.randint(60, 240)), rng.randint(800, 1100)
        return {
            "status": status,
            "start_date": start,
            "end_date": today + datetime.timedelta(days=end),
            "countries": [context["country_code"]],
            "partners": "\n".join(line.format_map(context) for line in extra["partners"]),
        }, published
    return {}, now - datetime.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 8))


def _spec(
    kind: str,
    template: Template,
    past: bool,
    context: dict[str, str],
    rng: random.Random,
    now: datetime.datetime,
    taken: set[str],
) -> PublicationSpec:
    title = template.title.format_map(context)
    fields, published = _kind_fields(kind, template, past, context, rng, now)
    slug = _slug(title, taken)
    return PublicationSpec(
        kind=kind,
        slug=slug,
        title=title,
        summary=template.summary.format_map(context),
        body=tuple(escape(paragraph.format_map(context)) for paragraph in template.body),
        tags=template.tags,
        fields=fields,
        published_at=published,
        illustration=illustration_for(kind, slug),
    )


def illustration_for(kind: str, slug: str) -> str:
    """The illustration an item shows (its words), or "" for none: a share of each kind, chosen by its slug."""
    rng = _rng(slug, "illustration")
    choices = ILLUSTRATIONS.get(kind, ())
    if not choices or rng.random() >= ILLUSTRATED_SHARE.get(kind, 0):
        return ""
    return rng.choice(choices)


def organisation_publications(
    *,
    slug: str,
    title: str,
    commune: str,
    department: str,
    countries: list[str],
    now: datetime.datetime,
    association: bool = True,
    network: bool = False,
) -> list[PublicationSpec]:
    """The demo publications of one organisation, the same ones (bar dates) every time it is asked.

    `association` false (a local authority, a school, a company) leaves out what only an association
    writes (its general assembly, a volunteer treasurer…).
    """
    context = _context(slug, title, commune, department, countries)
    counts = NETWORK_COUNTS if network else COUNTS
    taken: set[str] = set()
    specs = []
    for kind, count in counts.items():
        rng = _rng(slug, kind)
        pool = [t for t in KIND_TEMPLATES[kind] if association or not t.fields.get("associations_only")]
        own = NETWORK_TEMPLATES.get(kind, []) if network else []
        chosen = own + rng.sample(pool, k=count - len(own))
        for position, template in enumerate(chosen):
            # The last event of each organisation took place recently; the others are to come.
            past = kind == "event" and position == len(chosen) - 1
            specs.append(_spec(kind, template, past, context, rng, now, taken))
    if network:
        closed = _spec("call", CLOSED_CALL, False, context, _rng(slug, "closed"), now, taken)
        specs.append(closed._replace(closed=True))
    return specs


def pending_news(*, now: datetime.datetime) -> PublicationSpec:
    """asso-b's news item that waits for a coordinator's decision."""
    context = {"org": "Douarnenez – Madagascar", "de_org": "de Douarnenez – Madagascar"}
    return _spec("news", PENDING_NEWS, False, context, _rng("pending"), now, set())


def closed_deadline(now: datetime.datetime) -> datetime.date:
    """The deadline given to the closed call once created (a new call may not have a past deadline)."""
    return now.date() - datetime.timedelta(days=12)
