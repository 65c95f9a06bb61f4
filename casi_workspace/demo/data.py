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

WORKING_GROUPS: list[tuple[str, str, str, str]] = [
    # (slug, title, visibility, purpose)
    (
        "ecsi",
        "Éducation à la citoyenneté et à la solidarité internationale",
        "public",
        "Outils, animations et temps forts pour parler de solidarité internationale avec les jeunes.",
    ),
    (
        "financements",
        "Recherche de financements",
        "members",
        "Partager les appels, les dossiers qui ont réussi et les contacts des financeurs.",
    ),
    (
        "groupe-pays-sahel",
        "Groupe pays Sahel",
        "secret",
        "Coordination des membres actifs au Mali, au Burkina Faso et au Niger.",
    ),
]

# username: (first name, last name, role, target). Roles: superuser, coordinator, collective, editor, member.
ACCOUNTS: list[tuple[str, str, str, str, str]] = [
    ("admin", "Alex", "Admin", "superuser", ""),
    ("coordination", "Claire", "Le Gall", "coordinator", ""),
    ("collectif-29", "Yann", "Kerjean", "collective", FINISTERE_COLLECTIVE),
    # Managers of their association's team: they edit its pages and manage its members.
    ("asso-a", "Aïcha", "Traoré", "manager", TRUSTED_ASSOCIATION),
    ("asso-b", "Bertrand", "Le Bihan", "manager", UNTRUSTED_ASSOCIATION),
    ("membre-gt", "Gwenola", "Morvan", "member", "ecsi"),
]

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
