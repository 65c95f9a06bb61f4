"""The demo network, modelled on CASI-Bretagne: its sections, organisations, working groups and accounts.

Names are plausible but invented; contact details use example.org.
"""

from __future__ import annotations

from typing import NamedTuple

# commune: (postcode, département, latitude, longitude)
COMMUNES: dict[str, tuple[str, str, float, float]] = {
    "Saint-Brieuc": ("22000", "22", 48.5136, -2.7653),
    "Lannion": ("22300", "22", 48.7326, -3.4566),
    "Dinan": ("22100", "22", 48.4555, -2.0503),
    "Guingamp": ("22200", "22", 48.5625, -3.1508),
    "Loudéac": ("22600", "22", 48.1779, -2.7534),
    "Paimpol": ("22500", "22", 48.7784, -3.0471),
    "Brest": ("29200", "29", 48.3904, -4.4861),
    "Quimper": ("29000", "29", 47.9960, -4.1024),
    "Morlaix": ("29600", "29", 48.5776, -3.8280),
    "Douarnenez": ("29100", "29", 48.0926, -4.3290),
    "Landerneau": ("29800", "29", 48.4508, -4.2494),
    "Concarneau": ("29900", "29", 47.8753, -3.9189),
    "Quimperlé": ("29300", "29", 47.8728, -3.5497),
    "Rennes": ("35000", "35", 48.1173, -1.6778),
    "Saint-Malo": ("35400", "35", 48.6493, -2.0257),
    "Fougères": ("35300", "35", 48.3524, -1.1999),
    "Vitré": ("35500", "35", 48.1236, -1.2083),
    "Redon": ("35600", "35", 47.6517, -2.0844),
    "Vannes": ("56000", "56", 47.6582, -2.7608),
    "Lorient": ("56100", "56", 47.7483, -3.3700),
    "Pontivy": ("56300", "56", 48.0686, -2.9628),
    "Auray": ("56400", "56", 47.6677, -2.9817),
    "Ploërmel": ("56800", "56", 47.9317, -2.3975),
}

# The home page's picture: an illustration with no words (the headline stands beside it).
HOME_ILLUSTRATION = "accueil"

# The demo's illustrations (demo/images.py): a few pictures drawn once, shared by the publications of a kind
# (the words written on each), and the share of each kind's items that show one.
ILLUSTRATIONS: dict[str, tuple[str, ...]] = {
    "news": ("Nouvelles du réseau", "Vie associative"),
    "event": ("Rencontres", "Festival des solidarités"),
    "call": ("Financer vos projets",),
    "offer": ("S'engager",),
    "training": ("Se former",),
    "resource": ("Ressources",),
    "project": ("Coopération", "Partenariats"),
}
ILLUSTRATED_SHARE: dict[str, float] = {
    "news": 1.0,
    "event": 1.0,
    "project": 1.0,
    "call": 0.75,
    "training": 0.75,
    "offer": 0.5,
    "resource": 0.5,
}

HOME_HEADLINE = "Agir ensemble pour la solidarité internationale en Bretagne"
HOME_INTRO = (
    "CASI Bretagne relie une cinquantaine d'associations, de collectifs, de collectivités, d'établissements "
    "et d'entreprises qui agissent ici et là-bas. Retrouvez leurs actualités, leurs événements et leurs projets."
)

SECTIONS: list[tuple[str, str, str, str]] = [
    # (slug, page type, title, kind for publication indexes)
    ("annuaire", "directory", "Annuaire des acteurs", ""),
    ("actualites", "publications", "Actualités", "news"),
    ("agenda", "publications", "Agenda", "event"),
    ("appels-a-projets", "publications", "Appels à projets", "call"),
    ("emploi-volontariat", "publications", "Emploi et volontariat", "offer"),
    ("formations", "publications", "Formations", "training"),
    ("ressources", "publications", "Ressources", "resource"),
    ("projets", "publications", "Projets", "project"),
    ("groupes", "working_groups", "Groupes de travail", ""),
    ("adherer", "membership", "Adhérer au réseau", ""),
    ("lettre", "newsletter", "Lettre d'information", ""),
]

SECTION_INTROS: dict[str, str] = {
    "annuaire": "Les associations, collectivités, établissements et entreprises engagés dans la solidarité "
    "internationale en Bretagne.",
    "actualites": "Les nouvelles des membres du réseau et de la coordination.",
    "agenda": "Rencontres, festivals, formations et temps forts de la solidarité internationale en Bretagne.",
    "appels-a-projets": "Les appels à projets ouverts aux acteurs bretons de la solidarité internationale.",
    "emploi-volontariat": "Offres d'emploi, de stage, de service civique et de volontariat.",
    "formations": "Se former pour monter un projet, animer, partir, accueillir.",
    "ressources": "Analyses, guides, études et positions du réseau et de ses membres.",
    "projets": "Les projets menés par les membres avec leurs partenaires.",
    "groupes": "Les groupes de travail réunissent des membres de plusieurs structures autour d'un thème ou d'un pays.",
    "adherer": "Votre structure agit pour la solidarité internationale en Bretagne ? Rejoignez le réseau.",
    "lettre": "Chaque mois, l'essentiel de la vie du réseau dans votre boîte aux lettres.",
}


DEFAULT_DESCRIPTION = (
    "Structure membre du réseau, engagée dans des partenariats de solidarité internationale et dans "
    "l'éducation à la citoyenneté en Bretagne."
)


class Organisation(NamedTuple):
    slug: str
    title: str
    acronym: str
    actor_type: str
    commune: str
    collective: str = ""  # slug of its departmental collective
    trusted: bool = False
    founded: int = 2000
    description: str = ""


NETWORK = Organisation(
    "casi-bretagne",
    "CASI Bretagne",
    "CASI",
    "collective",
    "Rennes",
    trusted=True,
    founded=1989,
    description="Le réseau régional des acteurs de la solidarité internationale en Bretagne.",
)

COLLECTIVES: list[Organisation] = [
    Organisation(
        "collectif-22",
        "Collectif costarmoricain de solidarité internationale",
        "CCSI",
        "collective",
        "Saint-Brieuc",
        trusted=True,
        founded=1994,
    ),
    Organisation(
        "collectif-finistere",
        "Collectif Finistère Solidarité Internationale",
        "CFSI",
        "collective",
        "Quimper",
        trusted=True,
        founded=1992,
    ),
    Organisation(
        "collectif-rennes",
        "Collectif rennais de solidarité internationale",
        "CRSI",
        "collective",
        "Rennes",
        trusted=True,
        founded=1990,
    ),
    Organisation(
        "collectif-saint-malo",
        "Collectif Pays de Saint-Malo Solidarités",
        "CPSM",
        "collective",
        "Saint-Malo",
        trusted=True,
        founded=2003,
    ),
    Organisation(
        "collectif-vannes",
        "Collectif Pays de Vannes Solidarité Internationale",
        "CPVSI",
        "collective",
        "Vannes",
        trusted=True,
        founded=1998,
    ),
    Organisation(
        "collectif-lorient",
        "Collectif Pays de Lorient Solidarité Internationale",
        "CPLSI",
        "collective",
        "Lorient",
        trusted=True,
        founded=1996,
    ),
]

# asso-a edits the first (trusted); asso-b the second (untrusted, member of the Finistère collective).
TRUSTED_ASSOCIATION = "brest-sahel-solidarite"
UNTRUSTED_ASSOCIATION = "douarnenez-madagascar"
FINISTERE_COLLECTIVE = "collectif-finistere"

MEMBERS: list[Organisation] = [
    Organisation(
        "brest-sahel-solidarite",
        "Brest Sahel Solidarité",
        "BSS",
        "association",
        "Brest",
        "collectif-finistere",
        trusted=True,
        founded=1987,
        description="Jumelages scolaires et accès à l'eau avec des villages de la région de Kayes (Mali).",
    ),
    Organisation(
        "douarnenez-madagascar",
        "Douarnenez – Madagascar",
        "",
        "association",
        "Douarnenez",
        "collectif-finistere",
        founded=2006,
        description="Soutien à des écoles de brousse et à une coopérative de pêcheurs à Mahajanga.",
    ),
    Organisation(
        "morlaix-burkina",
        "Les Amis de Koudougou",
        "",
        "association",
        "Morlaix",
        "collectif-finistere",
        founded=1999,
        description="Santé maternelle et maraîchage avec des partenaires burkinabè.",
    ),
    Organisation(
        "landerneau-haiti",
        "Landerneau Haïti Fraternité",
        "LHF",
        "association",
        "Landerneau",
        "collectif-finistere",
        founded=2010,
    ),
    Organisation(
        "concarneau-senegal",
        "Concarneau Casamance",
        "",
        "association",
        "Concarneau",
        "collectif-finistere",
        founded=2001,
    ),
    Organisation(
        "quimperle-palestine",
        "Quimperlé Palestine Solidarité",
        "",
        "association",
        "Quimperlé",
        "collectif-finistere",
        founded=2002,
    ),
    Organisation(
        "lycee-elorn",
        "Lycée de l'Elorn",
        "",
        "education",
        "Landerneau",
        founded=1965,
        description="Un lycée engagé dans l'éducation à la citoyenneté et à la solidarité internationale.",
    ),
    Organisation(
        "universite-bretagne-occidentale-sud",
        "Maison internationale de l'UBO",
        "MI-UBO",
        "education",
        "Brest",
        founded=2012,
    ),
    Organisation(
        "saint-brieuc-togo",
        "Saint-Brieuc Togo Partage",
        "",
        "association",
        "Saint-Brieuc",
        "collectif-22",
        founded=1997,
    ),
    Organisation(
        "lannion-trebeurden-inde",
        "Trégor Inde Solidarité",
        "TIS",
        "association",
        "Lannion",
        "collectif-22",
        trusted=True,
        founded=2004,
    ),
    Organisation("dinan-benin", "Dinan Bénin Échanges", "", "association", "Dinan", "collectif-22", founded=2008),
    Organisation(
        "guingamp-cameroun", "Guingamp Cameroun Santé", "", "association", "Guingamp", "collectif-22", founded=2011
    ),
    Organisation("paimpol-cap-vert", "Paimpol Cap-Vert", "", "association", "Paimpol", "collectif-22", founded=1993),
    Organisation(
        "loudeac-education-populaire", "Centre social de Loudéac", "", "popular_education", "Loudéac", founded=1978
    ),
    Organisation(
        "rennes-amerique-latine",
        "Rennes Amérique latine",
        "RAL",
        "association",
        "Rennes",
        "collectif-rennes",
        trusted=True,
        founded=1985,
    ),
    Organisation(
        "rennes-kurdistan",
        "Amitiés kurdes de Bretagne",
        "AKB",
        "association",
        "Rennes",
        "collectif-rennes",
        founded=1994,
    ),
    Organisation(
        "rennes-migrations",
        "Maison des solidarités migrantes",
        "",
        "association",
        "Rennes",
        "collectif-rennes",
        founded=2015,
    ),
    Organisation(
        "ligue-enseignement-35",
        "Ligue de l'enseignement d'Ille-et-Vilaine",
        "LE35",
        "popular_education",
        "Rennes",
        trusted=True,
        founded=1960,
    ),
    Organisation(
        "ville-de-rennes-ri",
        "Ville de Rennes — relations internationales",
        "",
        "local_authority",
        "Rennes",
        trusted=True,
        founded=1980,
    ),
    Organisation(
        "universite-rennes-2",
        "Université Rennes 2 — service des relations internationales",
        "",
        "education",
        "Rennes",
        founded=1969,
    ),
    Organisation(
        "fougeres-mali",
        "Fougères Mali Développement",
        "FMD",
        "association",
        "Fougères",
        "collectif-rennes",
        founded=1991,
    ),
    Organisation("vitre-roumanie", "Vitré Roumanie", "", "association", "Vitré", "collectif-rennes", founded=1990),
    Organisation("redon-niger", "Redon Niger Amitié", "", "association", "Redon", founded=2000),
    Organisation(
        "saint-malo-guinee",
        "Saint-Malo Guinée Solidarité",
        "",
        "association",
        "Saint-Malo",
        "collectif-saint-malo",
        founded=2007,
    ),
    Organisation(
        "saint-malo-ports", "Escales solidaires", "", "association", "Saint-Malo", "collectif-saint-malo", founded=2014
    ),
    Organisation(
        "scop-ti-koop", "Ti Koop, coopérative de commerce équitable", "", "business", "Saint-Malo", founded=2009
    ),
    Organisation(
        "vannes-nicaragua", "Vannes Nicaragua Solidarité", "", "association", "Vannes", "collectif-vannes", founded=1986
    ),
    Organisation(
        "vannes-tibet", "Vannes Tibet Échanges", "", "association", "Vannes", "collectif-vannes", founded=2005
    ),
    Organisation("auray-maroc", "Auray Maroc Solidarité", "", "association", "Auray", "collectif-vannes", founded=2003),
    Organisation("ploermel-tchad", "Ploërmel Tchad", "", "association", "Ploërmel", "collectif-vannes", founded=1995),
    Organisation("pontivy-laos", "Pontivy Laos", "", "association", "Pontivy", founded=1999),
    Organisation(
        "lorient-mauritanie",
        "Lorient Mauritanie Pêche solidaire",
        "LMPS",
        "association",
        "Lorient",
        "collectif-lorient",
        trusted=True,
        founded=1988,
    ),
    Organisation("lorient-bolivie", "Lorient Bolivie", "", "association", "Lorient", "collectif-lorient", founded=2012),
    Organisation(
        "lorient-festival",
        "Festival des solidarités du Pays de Lorient",
        "",
        "association",
        "Lorient",
        "collectif-lorient",
        founded=2016,
    ),
    Organisation(
        "agglo-lorient",
        "Lorient Agglomération — coopération décentralisée",
        "",
        "local_authority",
        "Lorient",
        founded=2000,
    ),
    Organisation(
        "region-bretagne-ri", "Conseil régional — solidarité internationale", "", "public_body", "Rennes", founded=1986
    ),
    Organisation(
        "quimper-cornouaille-ri",
        "Quimper Cornouaille — jumelages et coopération",
        "",
        "local_authority",
        "Quimper",
        founded=1975,
    ),
    Organisation(
        "brest-ecole-ingenieurs", "École d'ingénieurs de Brest — solidarité", "", "education", "Brest", founded=2001
    ),
]


class FolderSpec(NamedTuple):
    key: str  # how the documents name it
    title: str
    parent: str = ""  # key of the parent folder; empty: the group's top level


class DocumentSpec(NamedTuple):
    """A file shared in a group. Its page's title is the file name without the extension.

    Text formats (pdf, odt, docx, txt) are written from `heading` and `lines`; tables (csv, xlsx) from `rows`.
    `update` is what a second version adds (more lines, or more rows): the document is then replaced once.
    """

    folder: str  # folder key; empty: the group's top level
    name: str
    uploader: str  # username
    heading: str = ""
    lines: tuple[str, ...] = ()
    rows: tuple[tuple[str | int | float, ...], ...] = ()
    update: tuple = ()


class MinutesSpec(NamedTuple):
    slug: str
    title: str
    days_ago: int  # meeting date, relative to the day of the seed
    attendees: str
    body: tuple[str, ...]


class WorkingGroup(NamedTuple):
    slug: str
    title: str
    visibility: str  # public, members, secret
    join_policy: str  # open, request, invitation
    purpose: str
    organisation: str  # slug of the organisation in charge (its page gets what the group publishes)
    member_organisations: tuple[str, ...] = ()  # every editor of these is a member
    coordinators: tuple[str, ...] = ()  # usernames
    members: tuple[str, ...] = ()
    folders: tuple[FolderSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()
    minutes: tuple[MinutesSpec, ...] = ()


WORKING_GROUPS: list[WorkingGroup] = [
    WorkingGroup(
        "ecsi",
        "Éducation à la citoyenneté et à la solidarité internationale",
        "public",
        "open",
        "Outils, animations et temps forts pour parler de solidarité internationale avec les jeunes.",
        organisation=NETWORK.slug,
        coordinators=("animation-gt",),
        members=("membre-gt", "membre-gt-2"),
        folders=(
            FolderSpec("outils", "Outils d’animation"),
            FolderSpec("jeux", "Jeux et quiz", parent="outils"),
            FolderSpec("festival", "Festival des solidarités"),
        ),
        documents=(
            DocumentSpec(
                "",
                "Charte du groupe ECSI.pdf",
                "animation-gt",
                heading="Charte du groupe ECSI",
                lines=(
                    "Le groupe réunit animateurs, enseignants et bénévoles des structures du réseau.",
                    "Nous partageons nos outils librement, en citant leurs auteurs.",
                    "Chaque outil est testé avec un public avant d’être diffusé.",
                ),
            ),
            DocumentSpec(
                "outils",
                "Kit d’animation — commerce équitable.pdf",
                "animation-gt",
                heading="Kit d’animation — commerce équitable",
                lines=(
                    "Public : collégiens et lycéens, de 15 à 30 participants.",
                    "Durée : deux heures. Matériel : cartes producteurs, chocolat, carte du monde.",
                    "Déroulé : la chaîne du cacao, le juste prix, débat mouvant.",
                ),
            ),
            DocumentSpec(
                "jeux",
                "Quiz — les objectifs de développement durable.odt",
                "membre-gt",
                heading="Quiz — les objectifs de développement durable",
                lines=(
                    "1. Combien d’objectifs de développement durable l’ONU a-t-elle adoptés en 2015 ? (17)",
                    "2. Quel objectif porte sur l’accès à l’eau potable ? (le sixième)",
                    "3. À quelle échéance les objectifs doivent-ils être atteints ? (2030)",
                ),
            ),
            DocumentSpec(
                "festival",
                "Programme prévisionnel du festival.docx",
                "membre-gt-2",
                heading="Festival des solidarités — programme prévisionnel",
                lines=(
                    "Semaine 1 : ciné-débat à Quimper, exposition à Lannion.",
                    "Semaine 2 : interventions dans les lycées, soirée de clôture à Rennes.",
                ),
                update=("Ajout : un marché du commerce équitable à Vannes le samedi de la semaine 2.",),
            ),
            DocumentSpec(
                "festival",
                "Inscriptions des établissements.csv",
                "animation-gt",
                rows=(
                    ("Établissement", "Commune", "Classes", "Animation"),
                    ("Lycée de l’Elorn", "Landerneau", 3, "Commerce équitable"),
                    ("Collège Anne de Bretagne", "Saint-Brieuc", 2, "Quiz ODD"),
                    ("Lycée Bréquigny", "Rennes", 4, "Migrations"),
                ),
            ),
        ),
        minutes=(
            MinutesSpec(
                "reunion-de-rentree",
                "Réunion de rentrée",
                60,
                "Katell Le Meur (animation), Gwenola Morvan, Erwan Cadiou, et quatre structures du réseau",
                (
                    "Tour de table des projets d’animation de l’année.",
                    "Décision : un kit commun sur le commerce équitable, testé d’ici les vacances.",
                    "Le groupe reste ouvert : toute personne du réseau peut le rejoindre en ligne.",
                ),
            ),
            MinutesSpec(
                "preparation-du-festival",
                "Préparation du Festival des solidarités",
                14,
                "Katell Le Meur (animation), Gwenola Morvan, Erwan Cadiou",
                (
                    "Le programme prévisionnel est dans le dossier du festival ; sa deuxième version ajoute Vannes.",
                    "Neuf classes inscrites à ce jour ; relance des établissements du Morbihan.",
                ),
            ),
        ),
    ),
    WorkingGroup(
        "financements",
        "Recherche de financements",
        "members",
        "request",
        "Partager les appels, les dossiers qui ont réussi et les contacts des financeurs.",
        organisation="rennes-amerique-latine",
        member_organisations=("saint-brieuc-togo",),
        coordinators=("animation-gt",),
        folders=(
            FolderSpec("appels", "Appels à projets 2026"),
            FolderSpec("dossiers", "Dossiers déposés"),
            FolderSpec("retenus", "Dossiers retenus", parent="dossiers"),
        ),
        documents=(
            DocumentSpec(
                "",
                "Guide du montage budgétaire.docx",
                "animation-gt",
                heading="Guide du montage budgétaire",
                lines=(
                    "Un budget équilibré : les charges égalent les produits, valorisation du bénévolat comprise.",
                    "Les cofinancements se présentent par financeur, avec leur état : acquis, demandé, à demander.",
                ),
            ),
            DocumentSpec(
                "appels",
                "Calendrier des appels à projets 2026.xlsx",
                "animation-gt",
                rows=(
                    ("Financeur", "Dispositif", "Date limite", "Montant maximum (€)"),
                    ("Région Bretagne", "Solidarité internationale", "15/03/2026", 10000),
                    ("Agence de l’eau", "Solidarité eau", "30/04/2026", 20000),
                    ("Fondation de France", "Solidarité internationale", "31/05/2026", 15000),
                ),
                update=(("Ville de Rennes", "Relations internationales", "30/06/2026", 5000),),
            ),
            DocumentSpec(
                "appels",
                "Fiche — Fonds régional de solidarité.pdf",
                "animation-gt",
                heading="Fiche — Fonds régional de solidarité",
                lines=(
                    "Pour qui : associations bretonnes porteuses d’un projet avec un partenaire du Sud.",
                    "Combien : jusqu’à 50 % du budget, 10 000 € au plus.",
                    "Conseil : joindre la lettre d’engagement du partenaire.",
                ),
            ),
            DocumentSpec(
                "dossiers",
                "Cofinancements obtenus en 2025.csv",
                "animation-gt",
                rows=(
                    ("Structure", "Financeur", "Montant (€)"),
                    ("Saint-Brieuc Togo Partage", "Région Bretagne", 8000),
                    ("Rennes Amérique latine", "Ville de Rennes", 4500),
                ),
            ),
            DocumentSpec(
                "retenus",
                "Dossier retenu — eau potable à Kpalimé.odt",
                "animation-gt",
                heading="Dossier retenu — eau potable à Kpalimé",
                lines=(
                    "Porteur : Saint-Brieuc Togo Partage, avec le comité de l’eau de Kpalimé.",
                    "Objet : deux forages et la formation de six gestionnaires.",
                    "Pourquoi il a été retenu : budget détaillé, partenaire engagé, suivi sur trois ans.",
                ),
            ),
        ),
        minutes=(
            MinutesSpec(
                "bilan-des-depots-2025",
                "Bilan des dépôts 2025",
                45,
                "Katell Le Meur (animation), Saint-Brieuc Togo Partage, Rennes Amérique latine",
                (
                    "Sept dossiers déposés, cinq retenus : les retenus sont dans « Dossiers retenus ».",
                    "Point d’attention : les partenaires doivent signer le budget.",
                ),
            ),
            MinutesSpec(
                "calendrier-2026",
                "Calendrier des appels 2026",
                10,
                "Katell Le Meur (animation), Saint-Brieuc Togo Partage",
                ("Le calendrier partagé est à jour ; relecture croisée des dossiers quinze jours avant chaque date.",),
            ),
        ),
    ),
    WorkingGroup(
        "groupe-pays-sahel",
        "Groupe pays Sahel",
        "secret",
        "invitation",
        "Coordination des membres actifs au Mali, au Burkina Faso et au Niger.",
        organisation="fougeres-mali",
        members=("animation-gt",),
        folders=(
            FolderSpec("securite", "Sécurité des déplacements"),
            FolderSpec("partenaires", "Partenaires"),
            FolderSpec("conventions", "Conventions", parent="partenaires"),
        ),
        documents=(
            DocumentSpec(
                "",
                "Compte rendu de mission à Ségou.odt",
                "animation-gt",
                heading="Compte rendu de mission à Ségou",
                lines=(
                    "Mission de dix jours auprès de trois partenaires maliens.",
                    "Les activités de maraîchage se poursuivent ; les formations reprennent en octobre.",
                ),
            ),
            DocumentSpec(
                "securite",
                "Note de sécurité.pdf",
                "animation-gt",
                heading="Note de sécurité",
                lines=(
                    "Avant tout départ : consulter les conseils aux voyageurs et s’inscrire sur Ariane.",
                    "Aucun déplacement hors des capitales régionales sans l’accord du partenaire local.",
                ),
                update=("Mise à jour : les trajets de nuit sont à éviter sur tous les axes.",),
            ),
            DocumentSpec(
                "securite",
                "Contacts d’urgence.csv",
                "animation-gt",
                rows=(
                    ("Pays", "Contact", "Téléphone"),
                    ("Mali", "Ambassade de France à Bamako", "+223 00 00 00 00"),
                    ("Burkina Faso", "Ambassade de France à Ouagadougou", "+226 00 00 00 00"),
                    ("Niger", "Ambassade de France à Niamey", "+227 00 00 00 00"),
                ),
            ),
            DocumentSpec(
                "partenaires",
                "Partenaires du réseau au Sahel.xlsx",
                "animation-gt",
                rows=(
                    ("Pays", "Partenaire", "Structure bretonne"),
                    ("Mali", "Association des maraîchères de Ségou", "Fougères Mali Développement"),
                    ("Burkina Faso", "Union des groupements de Koudougou", "Les Amis de Koudougou"),
                    ("Niger", "Coopérative de Maradi", "Redon Niger Amitié"),
                ),
            ),
            DocumentSpec(
                "conventions",
                "Convention type de partenariat.docx",
                "animation-gt",
                heading="Convention type de partenariat",
                lines=(
                    "Article 1 — Objet : le projet commun, ses objectifs et sa durée.",
                    "Article 2 — Engagements de chacun, dont le compte rendu financier annuel.",
                    "Article 3 — Règlement des différends : le dialogue d’abord, la médiation ensuite.",
                ),
            ),
        ),
        minutes=(
            MinutesSpec(
                "point-de-situation",
                "Point de situation régionale",
                40,
                "Claire Le Gall (coordination), Katell Le Meur, Fougères Mali Développement, Redon Niger Amitié",
                (
                    "Les partenaires maliens et nigériens poursuivent leurs activités.",
                    "La note de sécurité est mise à jour : voir sa deuxième version.",
                ),
            ),
            MinutesSpec(
                "reunion-partenaires-niger",
                "Réunion avec les partenaires nigériens",
                7,
                "Claire Le Gall (coordination), Katell Le Meur, Redon Niger Amitié",
                ("Visioconférence avec la coopérative de Maradi : bilan de la campagne et besoins pour 2026.",),
            ),
        ),
    ),
]

# username: (first name, last name, role, target). Roles: superuser, coordinator, collective, manager, member.
# A "member" account's working groups are those of WORKING_GROUPS that name it (coordinators, members).
ACCOUNTS: list[tuple[str, str, str, str, str]] = [
    ("admin", "Alex", "Admin", "superuser", ""),
    ("coordination", "Claire", "Le Gall", "coordinator", ""),
    ("collectif-29", "Yann", "Kerjean", "collective", FINISTERE_COLLECTIVE),
    # Managers of their association's team: they edit its pages and manage its members.
    ("asso-a", "Aïcha", "Traoré", "manager", TRUSTED_ASSOCIATION),
    ("asso-b", "Bertrand", "Le Bihan", "manager", UNTRUSTED_ASSOCIATION),
    ("membre-gt", "Gwenola", "Morvan", "member", ""),
    ("animation-gt", "Katell", "Le Meur", "member", ""),
    ("membre-gt-2", "Erwan", "Cadiou", "member", ""),
]

# Members who chose the daily digest rather than an email for each new document: (group slug, username).
DIGEST_MEMBERS: list[tuple[str, str]] = [("ecsi", "membre-gt-2")]

DEFAULT_PASSWORD = "casi-demo-2026"  # noqa: S105 -- the documented demo default

# Membership applications waiting for the coordinators. The first comes from an organisation already in
# the directory ("Les Amis de Koudougou", Morlaix), so that the admin flags it as a possible duplicate.
APPLICATIONS: list[dict[str, str]] = [
    {
        "organisation_name": "Association Les Amis de Koudougou",
        "actor_type": "association",
        "postcode": "29600",
        "commune": "Morlaix",
        "department": "29",
        "contact_name": "Soizic Le Floch",
        "contact_email": "soizic.lefloch@amis-koudougou.example.org",
        "motivation": "Nous sommes déjà dans l'annuaire mais n'avons jamais eu d'accès pour mettre notre page à jour.",
    },
    {
        "organisation_name": "Vannes Solidarité Togo",
        "acronym": "VST",
        "actor_type": "association",
        "rna": "W563001234",
        "address": "12 rue du Port",
        "postcode": "56000",
        "commune": "Vannes",
        "department": "56",
        "website": "https://vannes-togo.example.org/",
        "contact_name": "Komlan Mensah",
        "contact_email": "contact@vannes-togo.example.org",
        "contact_phone": "02 97 00 00 01",
        "motivation": "Jumelage avec Kpalimé depuis 2015 : santé communautaire et échanges de jeunes.",
    },
    {
        "organisation_name": "Collège Anne de Bretagne — club solidarité",
        "actor_type": "education",
        "postcode": "22000",
        "commune": "Saint-Brieuc",
        "department": "22",
        "contact_name": "Erwan Le Roux",
        "contact_email": "erwan.leroux@college-adb.example.org",
        "motivation": "Nos élèves préparent un échange avec un collège de Saint-Louis du Sénégal.",
    },
    {
        "organisation_name": "Ti Kafe Coop",
        "actor_type": "business",
        "siren": "552100554",
        "postcode": "56100",
        "commune": "Lorient",
        "department": "56",
        "website": "https://tikafe.example.org/",
        "contact_name": "Maëlle Guillou",
        "contact_email": "maelle@tikafe.example.org",
        "motivation": "Coopérative de torréfaction en commerce équitable avec des producteurs du Pérou.",
    },
]

# The newsletter's demo subscribers: lecteur-001@example.org… (example.org never receives mail).
NEWSLETTER_SUBSCRIBERS = 300

# Two issues already sent, for the archive and so that a new issue's period starts at the last one:
# (title, introduction, days ago it was sent).
NEWSLETTER_REFUSAL = "SMTPRecipientsRefused: 550 5.1.1 Mailbox unknown"
NEWSLETTER_PAST_ISSUES = [
    ("Lettre d’octobre", "Les rencontres de l’automne et les appels à projets de la rentrée.", 61),
    ("Lettre de novembre", "Le Festival des solidarités approche : tout le programme du réseau.", 30),
]
