"""Deterministic details for the demo organisations: identifiers, activity and contacts (logos: images.py).

Everything derives from the organisation's slug, so a re-run produces the same values.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from stdnum import luhn

COUNTRIES_BY_SLUG: dict[str, list[str]] = {
    "brest-sahel-solidarite": ["ML", "SN"],
    "douarnenez-madagascar": ["MG"],
    "morlaix-burkina": ["BF"],
    "landerneau-haiti": ["HT"],
    "concarneau-senegal": ["SN"],
    "quimperle-palestine": ["PS"],
    "saint-brieuc-togo": ["TG"],
    "lannion-trebeurden-inde": ["IN"],
    "dinan-benin": ["BJ"],
    "guingamp-cameroun": ["CM"],
    "paimpol-cap-vert": ["CV"],
    "rennes-amerique-latine": ["BO", "PE", "NI"],
    "rennes-kurdistan": ["TR", "IQ", "SY"],
    "fougeres-mali": ["ML"],
    "vitre-roumanie": ["RO"],
    "redon-niger": ["NE"],
    "saint-malo-guinee": ["GN"],
    "vannes-nicaragua": ["NI"],
    "vannes-tibet": ["IN", "NP"],
    "auray-maroc": ["MA"],
    "ploermel-tchad": ["TD"],
    "pontivy-laos": ["LA"],
    "lorient-mauritanie": ["MR"],
    "lorient-bolivie": ["BO"],
}
ZONE_BY_COUNTRY = {
    "ML": "afrique-ouest", "SN": "afrique-ouest", "BF": "afrique-ouest", "TG": "afrique-ouest",
    "BJ": "afrique-ouest", "CV": "afrique-ouest", "NE": "afrique-ouest", "GN": "afrique-ouest",
    "MR": "afrique-ouest", "MG": "afrique-est", "CM": "afrique-centrale", "TD": "afrique-centrale",
    "HT": "amerique-latine", "BO": "amerique-latine", "PE": "amerique-latine", "NI": "amerique-latine",
    "PS": "moyen-orient", "TR": "moyen-orient", "IQ": "moyen-orient", "SY": "moyen-orient",
    "IN": "asie", "NP": "asie", "LA": "asie", "RO": "europe", "MA": "afrique-nord",
}  # fmt: skip
STREETS = ["rue de la Paix", "rue Jean Jaurès", "place de la Mairie", "rue du Port", "boulevard de la Liberté",
           "rue des Écoles", "allée des Tilleuls", "rue Victor Hugo", "quai de l'Odet", "rue de Brest"]  # fmt: skip
FIRST_NAMES = ["Anne", "Erwan", "Fatou", "Goulven", "Inès", "Jakez", "Léa", "Malo", "Nolwenn", "Ousmane", "Soizic"]
LAST_NAMES = ["Le Roux", "Diallo", "Le Goff", "Tanguy", "Kervella", "Ndiaye", "Morvan", "Guillou", "Salaün"]
TAGS = ["jumelage", "chantier de jeunes", "festival", "plaidoyer", "commerce équitable", "accueil de délégations",
        "éducation populaire", "coopération décentralisée", "microcrédit", "volontariat"]  # fmt: skip
SECTOR_SLUGS = ["agriculture-alimentation", "eau-assainissement", "sante", "education-formation", "ecsi",
                "environnement-climat", "ess", "commerce-equitable", "droits-humains", "egalite-femmes-hommes",
                "culture-patrimoine", "jeunesse-mobilite", "migrations", "gouvernance-democratie"]  # fmt: skip


def _rng(slug: str) -> random.Random:
    return random.Random(int(hashlib.sha256(slug.encode()).hexdigest()[:12], 16))  # noqa: S311 -- demo data


def _siren(rng: random.Random) -> str:
    body = f"{rng.randrange(10**7, 10**8)}"
    return body + luhn.calc_check_digit(body)


def _siret(siren: str, rng: random.Random) -> str:
    body = f"{siren}{rng.randrange(1, 9999):04d}"
    return body + luhn.calc_check_digit(body)


def organisation_details(slug: str, actor_type: str) -> dict[str, Any]:
    """Plausible values for the fields the demo's data table leaves out."""
    rng = _rng(slug)
    countries = COUNTRIES_BY_SLUG.get(slug, [])
    zones = sorted({ZONE_BY_COUNTRY[c] for c in countries}) + (["bretagne"] if rng.random() < 0.4 else [])
    siren = _siren(rng)
    return {
        "address": f"{rng.randrange(1, 80)} {rng.choice(STREETS)}",
        "rna": f"W{rng.choice(['22', '29', '35', '56'])}{rng.randrange(10**6, 10**7)}"
        if actor_type in {"association", "collective", "popular_education"}
        else "",
        "siren": siren,
        "siret": _siret(siren, rng),
        "countries": countries,
        "zones": zones or ["bretagne"],
        "sectors": rng.sample(SECTOR_SLUGS, k=rng.randint(1, 3)),
        "sdgs": sorted(rng.sample(range(1, 18), k=rng.randint(1, 4))),
        "tags": rng.sample(TAGS, k=rng.randint(1, 3)),
        "contact_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "public_phone": f"02 {rng.randrange(90, 100)} {rng.randrange(10, 100)} {rng.randrange(10, 100)} "
        f"{rng.randrange(10, 100)}",
        "private_phone": f"06 {rng.randrange(10, 100)} {rng.randrange(10, 100)} {rng.randrange(10, 100)} "
        f"{rng.randrange(10, 100)}",
        "membership_status": "actor" if actor_type in {"public_body", "business"} and rng.random() < 0.5 else "member",
    }
