"""The second demo network, "Réseau Pays de la Loire": a small network of its own, served beside CASI Bretagne
(`make demo-partner`, its own database), that CASI Bretagne follows as a partner source (`make demo`).

A dozen organisations, three of them the same associations (same SIREN and RNA) as members of CASI Bretagne,
so that the directory can show an association known to both networks once; and their events, calls for
projects, trainings and resources. Idempotent: what exists is found again by its slug; dates are set once,
relative to the day of the first run.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from casi_workspace.demo import data
from casi_workspace.demo.details import organisation_details
from casi_workspace.demo.pages import child_page
from casi_workspace.exchange.models import PartnerSource, SourceKind
from casi_workspace.models import PUBLICATION_MODELS, DirectoryPage, OrganisationPage, PublicationIndexPage
from casi_workspace.workspaces.provisioning import coordinators_provision, organisation_provision

Report = Callable[[str], None]

NAME = "Réseau Pays de la Loire"
REGION = "Pays de la Loire"
SLUG = "pays-de-la-loire"
# The address `make demo-partner` serves it at, and where `make demo` tells CASI Bretagne to fetch it.
DEFAULT_URL = "http://127.0.0.1:8001/donnees/"

SECTIONS: list[tuple[str, type[Page], str, str]] = [
    ("annuaire", DirectoryPage, "Annuaire des acteurs", ""),
    ("agenda", PublicationIndexPage, "Agenda", "event"),
    ("appels-a-projets", PublicationIndexPage, "Appels à projets", "call"),
    ("formations", PublicationIndexPage, "Formations", "training"),
    ("ressources", PublicationIndexPage, "Ressources", "resource"),
]

COMMUNES: dict[str, tuple[str, str, float, float]] = {
    "Nantes": ("44000", "44", 47.2184, -1.5536),
    "Saint-Nazaire": ("44600", "44", 47.2735, -2.2138),
    "Angers": ("49000", "49", 47.4784, -0.5632),
    "Cholet": ("49300", "49", 47.0600, -0.8790),
    "Le Mans": ("72000", "72", 48.0061, 0.1996),
    "Laval": ("53000", "53", 48.0706, -0.7734),
    "La Roche-sur-Yon": ("85000", "85", 46.6705, -1.4260),
}


class PartnerOrganisation(NamedTuple):
    slug: str
    title: str
    actor_type: str
    commune: str
    same_as: str = ""  # the CASI Bretagne member that is the same association (same SIREN and RNA)


ORGANISATIONS: list[PartnerOrganisation] = [
    PartnerOrganisation("reseau-pays-de-la-loire", NAME, "collective", "Nantes"),
    PartnerOrganisation("nantes-afrique-echanges", "Nantes Afrique Échanges", "association", "Nantes"),
    PartnerOrganisation(
        "brest-sahel-solidarite-nantes",
        "Brest Sahel Solidarité — antenne de Nantes",
        "association",
        "Nantes",
        same_as="brest-sahel-solidarite",
    ),
    PartnerOrganisation("estuaire-solidaire", "Estuaire solidaire", "association", "Saint-Nazaire"),
    PartnerOrganisation("angers-madagascar", "Angers Madagascar Solidarité", "association", "Angers"),
    PartnerOrganisation(
        "amerique-latine-anjou",
        "Rennes Amérique latine — groupe d'Anjou",
        "association",
        "Angers",
        same_as="rennes-amerique-latine",
    ),
    PartnerOrganisation("cholet-burkina", "Cholet Burkina Jumelage", "association", "Cholet"),
    PartnerOrganisation("le-mans-senegal", "Le Mans Sénégal Coopération", "association", "Le Mans"),
    PartnerOrganisation("laval-haiti", "Laval Haïti Partage", "association", "Laval"),
    PartnerOrganisation(
        "vendee-nicaragua",
        "Vannes Nicaragua Solidarité — Vendée",
        "association",
        "La Roche-sur-Yon",
        "vannes-nicaragua",
    ),
    PartnerOrganisation("ville-de-nantes-ri", "Ville de Nantes — relations internationales", "public_body", "Nantes"),
    PartnerOrganisation("maison-des-citoyens-du-monde", "Maison des citoyens du monde", "popular_education", "Nantes"),
]


class PartnerPublication(NamedTuple):
    organisation: str
    kind: str
    slug: str
    title: str
    summary: str
    days: int  # from the first run: the start of an event or a training, the deadline of a call


PUBLICATIONS: list[PartnerPublication] = [
    PartnerPublication(
        "reseau-pays-de-la-loire",
        "event",
        "assises-regionales",
        "Assises régionales de la solidarité internationale",
        "Une journée pour les acteurs ligériens : ateliers, témoignages et forum des associations.",
        12,
    ),
    PartnerPublication(
        "nantes-afrique-echanges",
        "event",
        "festival-des-solidarites-nantes",
        "Festival des solidarités à Nantes",
        "Projections, débats et marché solidaire sur l'île de Nantes.",
        20,
    ),
    PartnerPublication(
        "brest-sahel-solidarite-nantes",
        "event",
        "soiree-sahel-nantes",
        "Soirée Sahel : nouvelles des partenaires maliens",
        "Les volontaires de retour du Mali racontent leur mission.",
        27,
    ),
    PartnerPublication(
        "estuaire-solidaire",
        "event",
        "rencontre-ports-solidaires",
        "Rencontre « ports solidaires » à Saint-Nazaire",
        "Les villes portuaires et leurs jumelages : échanges d'expériences.",
        35,
    ),
    PartnerPublication(
        "angers-madagascar",
        "event",
        "conference-madagascar",
        "Conférence : l'eau potable à Madagascar",
        "Bilan de dix ans de forages avec les communes partenaires.",
        41,
    ),
    PartnerPublication(
        "le-mans-senegal",
        "event",
        "marche-solidaire-le-mans",
        "Marché solidaire du Mans",
        "Artisanat, cuisine et musique du Sénégal, au profit des projets de l'association.",
        55,
    ),
    PartnerPublication(
        "reseau-pays-de-la-loire",
        "call",
        "fonds-regional-initiatives",
        "Fonds régional pour les initiatives de solidarité",
        "La Région soutient les projets des petites associations ligériennes.",
        45,
    ),
    PartnerPublication(
        "ville-de-nantes-ri",
        "call",
        "appel-jeunesse-monde",
        "Appel « Jeunesse et monde »",
        "Des bourses pour les projets de jeunes Nantais à l'international.",
        30,
    ),
    PartnerPublication(
        "maison-des-citoyens-du-monde",
        "training",
        "formation-montage-projet",
        "Formation : monter un projet de solidarité internationale",
        "Deux jours pour passer de l'idée au dossier de financement.",
        18,
    ),
    PartnerPublication(
        "reseau-pays-de-la-loire",
        "training",
        "formation-ecsi",
        "Formation : animer un atelier d'éducation à la citoyenneté",
        "Outils et jeux coopératifs pour les animateurs bénévoles.",
        33,
    ),
    PartnerPublication(
        "maison-des-citoyens-du-monde",
        "resource",
        "guide-partenariats",
        "Guide des partenariats équitables",
        "Douze fiches pour construire un partenariat d'égal à égal.",
        0,
    ),
    PartnerPublication(
        "reseau-pays-de-la-loire",
        "resource",
        "etat-des-lieux-2026",
        "État des lieux de la solidarité internationale en Pays de la Loire",
        "Qui agit, où, avec quels moyens : l'enquête 2026 du réseau.",
        0,
    ),
]


def _identifiers(org: PartnerOrganisation) -> dict[str, str]:
    """The SIREN and RNA: those of the CASI Bretagne member it is the same association as, or its own."""
    if org.same_as:
        member = next(member for member in data.MEMBERS if member.slug == org.same_as)
        details = organisation_details(member.slug, member.actor_type)
    else:
        details = organisation_details(org.slug, org.actor_type)
    return {"siren": details["siren"], "siret": details["siret"], "rna": details["rna"]}


def _organisation(directory: Page, org: PartnerOrganisation, network: OrganisationPage | None) -> OrganisationPage:
    postcode, department, latitude, longitude = COMMUNES[org.commune]

    def build() -> OrganisationPage:
        return OrganisationPage(
            title=org.title,
            actor_type=org.actor_type,
            description=f"<p>{org.title}, membre du {NAME}.</p>"
            if network is not None
            else "<p>Le réseau régional des acteurs de la solidarité internationale en Pays de la Loire.</p>",
            postcode=postcode,
            commune=org.commune,
            department=department,
            latitude=Decimal(str(latitude)),
            longitude=Decimal(str(longitude)),
            website=f"https://{org.slug}.example.org/",
            public_email=f"contact@{org.slug}.example.org",
            parent_collective=network,
            is_trusted=True,
            show_in_menus=False,
            **_identifiers(org),
        )

    return child_page(directory, org.slug, build)


def _publication(organisation: OrganisationPage, spec: PartnerPublication, today: datetime.datetime) -> Page:
    moment = today + datetime.timedelta(days=spec.days)
    fields = {
        "event": {"start": moment, "end": moment + datetime.timedelta(hours=3), "commune": organisation.commune},
        "call": {
            "funder": NAME if spec.organisation == ORGANISATIONS[0].slug else organisation.title,
            "deadline": moment.date(),
        },
        "training": {"start": moment, "commune": organisation.commune},
        "resource": {"resource_kind": "guide"},
    }[spec.kind]
    model = PUBLICATION_MODELS[spec.kind]
    return child_page(organisation, spec.slug, lambda: model(title=spec.title, summary=spec.summary, **fields))


def partner_network_seed(*, password: str, report: Report) -> None:
    """Seed the partner network in this database (which must not hold CASI Bretagne)."""
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    with transaction.atomic():
        if site.site_name != NAME:
            site.site_name = NAME
            site.save(update_fields=["site_name"])
        home = site.root_page.specific
        if hasattr(home, "headline") and not home.headline:
            home.headline = NAME
            home.intro = "<p>Le réseau partenaire de démonstration : CASI Bretagne suit son agenda.</p>"
            home.save_revision().publish()
        report(_("Sections"))
        sections = {
            slug: child_page(
                home,
                slug,
                lambda model=model, title=title, kind=kind: model(
                    title=title, show_in_menus=True, **({"kind": kind} if kind else {})
                ),
            )
            for slug, model, title, kind in SECTIONS
        }
        coordinators_provision(site_root=home)
        report(_("Organisations"))
        directory = sections["annuaire"]
        network = _organisation(directory, ORGANISATIONS[0], None)
        organisations = {network.slug: network}
        for org in ORGANISATIONS[1:]:
            organisations[org.slug] = _organisation(directory, org, network)
        for organisation in organisations.values():
            organisation_provision(organisation=organisation)
    report(_("Publications"))
    today = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        for spec in PUBLICATIONS:
            _publication(organisations[spec.organisation], spec, today)
    report(_("Accounts"))
    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", f"admin@{SLUG}.example.org", password)


def partner_source_follow(*, url: str) -> PartnerSource:
    """CASI Bretagne follows the partner network at `url` (found again by its name: a re-run changes only the
    address)."""
    source, _created = PartnerSource.objects.get_or_create(
        name=NAME, defaults={"url": url, "region": REGION, "kind": SourceKind.CASI, "every_minutes": 5}
    )
    if source.url != url:
        source.url = url
        source.save(update_fields=["url"])
    return source
