"""The words of other networks' directories: column names, choice labels, yes and no, lists inside a cell.

A network exchanges its directory as its own spreadsheet: French headers ("Type d'acteur", "Pays
d'intervention", "Membre"), actor types written as labels ("Collectivité territoriale"), oui/non for
membership, several sectors in one cell separated by ";". Everything here is read by meaning, accents and
case ignored, and mapped onto the export's own columns and codes (directory/exports.py), which stay the
reference: an export re-imports as it is.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from django.utils.translation import override

from casi_workspace.organisations.models import ActorType, MembershipStatus

LIST_SEPARATORS = ("|", ";", ",")

# Other names of the export's columns, in the forms `normalised` gives them.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "nom": (
        "name",
        "raison_sociale",
        "denomination",
        "nom_de_la_structure",
        "nom_structure",
        "structure",
        "organisation",
        "organisme",
        "nom_de_l_organisation",
    ),
    "sigle": ("acronyme", "acronym", "abreviation"),
    "type": ("type_d_acteur", "type_acteur", "type_de_structure", "categorie", "actor_type", "famille_d_acteur"),
    "adhesion": ("membre", "member", "membership", "adherent", "statut", "statut_d_adhesion", "membre_du_reseau"),
    "rna": ("numero_rna", "n_rna", "no_rna", "rna_number"),
    "siren": ("numero_siren", "n_siren", "no_siren"),
    "siret": ("numero_siret", "n_siret", "no_siret"),
    "adresse": ("address", "rue", "adresse_postale"),
    "code_postal": ("cp", "postcode", "postal_code", "zip", "code_post"),
    "commune": ("ville", "city", "town", "localite"),
    "departement": ("department", "dept", "dep", "n_departement"),
    "latitude": ("lat",),
    "longitude": ("lon", "lng", "long"),
    "zones": ("zone", "zones_d_intervention", "zone_d_intervention", "zone_geographique", "regions_du_monde"),
    "pays": ("pays_d_intervention", "pays_partenaires", "pays_partenaire", "countries", "country"),
    "secteurs": (
        "secteur",
        "secteurs_d_activite",
        "secteur_d_activite",
        "thematiques",
        "thematique",
        "domaines",
        "domaine",
        "sectors",
        "sector",
    ),
    "odd": ("objectifs_de_developpement_durable", "sdg", "sdgs"),
    "mots_cles": ("mot_cle", "tags", "keywords"),
    "site_web": ("site", "site_internet", "website", "web", "url_du_site"),
    "courriel": ("email", "e_mail", "mail", "adresse_electronique", "adresse_mail"),
    "telephone": ("tel", "phone", "numero_de_telephone"),
    "annee_creation": ("annee_de_creation", "date_de_creation", "creation", "year_founded", "founded"),
    "collectif": ("collectif_departemental", "collective"),
}
YES = frozenset({"oui", "o", "vrai", "1", "yes", "y", "true", "x"})
NO = frozenset({"non", "n", "faux", "0", "no", "false"})


def normalised(text: str) -> str:
    """Lower case, no accents, words joined by "_": "Type d'acteur" and "type_d_acteur" read the same."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def column_names(columns: Iterable[str]) -> dict[str, str]:
    """Every name a column is known by (its own and its synonyms, normalised) -> the export's column."""
    names = {normalised(column): column for column in columns}
    for column, synonyms in COLUMN_SYNONYMS.items():
        names.update((normalised(synonym), column) for synonym in synonyms if column in names.values())
    return names


@cache
def _labels(choices: type) -> dict[str, str]:
    """A TextChoices' codes and its French and English labels -> its code."""
    names = {}
    for language in ("en", "fr"):
        with override(language):
            names.update((normalised(str(label)), code) for code, label in choices.choices)
    names.update((normalised(code), code) for code in choices.values)
    return names


ACTOR_TYPE_WORDS = {
    "collectivite_territoriale": ActorType.LOCAL_AUTHORITY,
    "collectivite": ActorType.LOCAL_AUTHORITY,
    "commune": ActorType.LOCAL_AUTHORITY,
    "etablissement_scolaire": ActorType.EDUCATION,
    "etablissement_d_enseignement": ActorType.EDUCATION,
    "universite": ActorType.EDUCATION,
    "ecole": ActorType.EDUCATION,
    "lycee": ActorType.EDUCATION,
    "education_populaire": ActorType.POPULAR_EDUCATION,
    "etablissement_public": ActorType.PUBLIC_BODY,
    "entreprise": ActorType.BUSINESS,
    "ess": ActorType.BUSINESS,
    "reseau": ActorType.COLLECTIVE,
    "collectif": ActorType.COLLECTIVE,
    "autre": ActorType.OTHER,
}


def choice_code(name: str, raw: str) -> str:
    """The code of a choice written as a code or a label (French or English), or `raw` for the field to refuse.

    Membership also reads yes and no: "Membre: oui" is a member, "non" an actor outside the membership.
    """
    word = normalised(raw)
    if name == "membership_status":
        if word in YES:
            return MembershipStatus.MEMBER
        if word in NO:
            return MembershipStatus.ACTOR
        return _labels(MembershipStatus).get(word, raw)
    if name == "actor_type":
        return _labels(ActorType).get(word) or ACTOR_TYPE_WORDS.get(word, raw)
    return raw


def list_separator(cells: Iterable[str]) -> str:
    """The separator of the lists inside the file's cells: "|" (the export's), else ";", else ",".

    One for the whole file, the first of these its list cells use: a file whose lists are "Santé; Eau" keeps
    "Corée, République de" whole. A cell holding the file's own column separator was quoted, so the
    separator there is the list's.
    """
    cells = [cell for cell in cells if cell]
    for separator in LIST_SEPARATORS:
        if any(separator in cell for cell in cells):
            return separator
    return LIST_SEPARATORS[0]


def closest(value: str, known: Iterable[str]) -> str:
    """The known name closest to `value` (accents and case ignored), or "" when none is close."""
    names = {normalised(name): name for name in known}
    match = difflib.get_close_matches(normalised(value), list(names), n=1, cutoff=0.6)
    return names[match[0]] if match else ""


# The "RRMA" import profile: our reading of the columns of the directory of actors the regional multi-actor
# networks share (its exact specification was not at hand). Loaded by migration 0016 and editable afterwards
# from the import's mapping step. Columns the directory does not store (legal status, region) are ignored.
RRMA_PROFILE_NAME = "RRMA"
RRMA_COLUMNS: dict[str, str] = {
    "Nom de la structure": "nom",
    "Sigle": "sigle",
    "Statut juridique": "",
    "Famille d'acteurs": "type",
    "Adresse": "adresse",
    "Code postal": "code_postal",
    "Ville": "commune",
    "Département": "departement",
    "Région": "",
    "Site internet": "site_web",
    "Courriel": "courriel",
    "Téléphone": "telephone",
    "Zones d'intervention": "zones",
    "Pays d'intervention": "pays",
    "Thématiques": "secteurs",
    "ODD": "odd",
    "Adhérent au réseau": "adhesion",
    "SIREN": "siren",
    "SIRET": "siret",
    "RNA": "rna",
    "Année de création": "annee_creation",
    "Latitude": "latitude",
    "Longitude": "longitude",
}
# The first value written for a code is the one the export with the profile writes.
RRMA_VALUES: dict[str, dict[str, str]] = {
    "type": {
        "Association": "association",
        "Collectivité territoriale": "local_authority",
        "Établissement d'enseignement": "education",
        "Structure d'éducation populaire": "popular_education",
        "Établissement public": "public_body",
        "Entreprise": "business",
        "Réseau ou collectif": "collective",
        "Autre": "other",
        "Collectivité": "local_authority",
        "Établissement scolaire": "education",
        "Organisme public": "public_body",
        "Entreprise de l'ESS": "business",
        "Réseau": "collective",
    },
    "adhesion": {"Oui": "member", "Non": "actor", "Ancien adhérent": "former"},
    "secteurs": {
        "Agriculture et alimentation": "agriculture-alimentation",
        "Eau et assainissement": "eau-assainissement",
        "Santé": "sante",
        "Éducation et formation": "education-formation",
        "ECSI": "ecsi",
        "Environnement et climat": "environnement-climat",
        "ESS": "ess",
        "Commerce équitable": "commerce-equitable",
        "Droits humains": "droits-humains",
        "Genre": "egalite-femmes-hommes",
        "Culture": "culture-patrimoine",
        "Jeunesse et mobilité": "jeunesse-mobilite",
        "Migrations": "migrations",
        "Urgence humanitaire": "urgence-humanitaire",
        "Gouvernance locale": "gouvernance-democratie",
        "Énergie": "energie",
        "Habitat": "habitat-urbanisme",
        "Numérique": "numerique",
        "Agriculture": "agriculture-alimentation",
        "Eau": "eau-assainissement",
        "Éducation": "education-formation",
        "Éducation à la citoyenneté mondiale": "ecsi",
        "Environnement": "environnement-climat",
        "Économie sociale et solidaire": "ess",
        "Égalité femmes-hommes": "egalite-femmes-hommes",
    },
}
