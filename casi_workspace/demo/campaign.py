"""The demo's campaign: a Festival des Solidarités in Brittany, with about thirty member events.

Dates are relative to the day of the seed (the festival starts six weeks later and lasts seventeen days),
so that the demo always shows a coming programme. Everything derives from the demo data alone: a re-run
asks for the same slugs and creates only what is missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from django.utils.html import escape
from django.utils.text import slugify

from casi_workspace.demo import data
from casi_workspace.demo.publications import PublicationSpec, illustration_for

CAMPAIGN_SLUG = "festival-des-solidarites"
CAMPAIGN_DAYS = 17
# Days after the seed: past the month ahead that the agenda's first page shows of the members' own events.
CAMPAIGN_STARTS_IN = 45

PARTNERS = (
    "Région Bretagne",
    "Ministère de l'Europe et des Affaires étrangères",
    "Centre de recherche et d'information pour le développement (CRID)",
    "Ville de Rennes",
    "Brest métropole",
)


class CampaignEvent(NamedTuple):
    title: str
    event_type: str
    summary: str
    hour: int
    venue: str
    price: str = ""  # empty: free


# Thirty events, handed in turn to the member organisations (their commune gives the département).
EVENTS: tuple[CampaignEvent, ...] = (
    CampaignEvent(
        "Ciné-débat : l'eau, un bien commun au Sahel",
        "screening",
        "Projection suivie d'un échange avec des partenaires maliens.",
        20,
        "Cinéma associatif",
    ),
    CampaignEvent(
        "Repas partagé des saveurs du monde",
        "meal",
        "Chacun apporte un plat ; musique et jeux pour les enfants.",
        12,
        "Salle des fêtes",
        "5 €",
    ),
    CampaignEvent(
        "Atelier : fabriquer son jeu du commerce équitable",
        "workshop",
        "Un atelier en famille pour comprendre les filières.",
        15,
        "Médiathèque",
    ),
    CampaignEvent(
        "Conférence : migrations et climat",
        "conference",
        "Une chercheuse et deux témoins croisent leurs regards.",
        19,
        "Amphithéâtre de la faculté",
    ),
    CampaignEvent(
        "Exposition « Regards croisés Bretagne–Burkina »",
        "exhibition",
        "Photographies de jeunes des deux régions.",
        10,
        "Hall de la mairie",
    ),
    CampaignEvent(
        "Concert solidaire : musiques mandingues",
        "show",
        "Au profit d'une école de Kayes.",
        21,
        "Salle de concert",
        "8 €",
    ),
    CampaignEvent(
        "Marché de l'économie sociale et solidaire",
        "meal",
        "Producteurs locaux et artisans du commerce équitable.",
        9,
        "Place du marché",
    ),
    CampaignEvent(
        "Webinaire : monter un projet de solidarité internationale",
        "conference",
        "Les étapes, les financements, les erreurs à éviter.",
        18,
        "",
    ),
    CampaignEvent(
        "Théâtre-forum : vivre ensemble ici et là-bas",
        "show",
        "Le public monte sur scène pour changer la fin.",
        20,
        "Théâtre municipal",
        "6 €",
    ),
    CampaignEvent(
        "Balade contée des solidarités",
        "other",
        "Contes du monde le long du canal.",
        14,
        "Départ devant l'office de tourisme",
    ),
    CampaignEvent(
        "Débat : la dette des pays du Sud",
        "conference",
        "Un économiste répond à vos questions.",
        19,
        "Maison des associations",
    ),
    CampaignEvent(
        "Atelier cuisine malgache",
        "workshop",
        "Préparer un romazava avec l'association.",
        17,
        "Cuisine du centre social",
        "3 €",
    ),
    CampaignEvent(
        "Projection : les semences paysannes",
        "screening",
        "Documentaire et rencontre avec un paysan sénégalais.",
        20,
        "Cinéma Le Club",
    ),
    CampaignEvent(
        "Jeu de rôle : la ronde des échanges mondiaux",
        "workshop",
        "Pour les 12–16 ans, en petits groupes.",
        14,
        "Espace jeunes",
    ),
    CampaignEvent(
        "Exposition : femmes bâtisseuses du Sahel",
        "exhibition",
        "Portraits et objets, visites commentées l'après-midi.",
        10,
        "Galerie municipale",
    ),
    CampaignEvent(
        "Visioconférence avec des partenaires palestiniens",
        "conference",
        "Témoignages en direct, traduction assurée.",
        18,
        "",
    ),
    CampaignEvent(
        "Fest-noz solidaire", "show", "Danses bretonnes et musiques du monde.", 21, "Salle omnisports", "7 €"
    ),
    CampaignEvent(
        "Table ronde : jumelages scolaires",
        "conference",
        "Enseignants et élèves racontent leurs échanges.",
        17,
        "Lycée",
    ),
    CampaignEvent(
        "Goûter équitable à la médiathèque", "meal", "Chocolat chaud et lectures d'albums du monde.", 16, "Médiathèque"
    ),
    CampaignEvent(
        "Ciné-goûter : contes d'Afrique de l'Ouest",
        "screening",
        "Films d'animation pour les 5–10 ans.",
        15,
        "Cinéma associatif",
    ),
    CampaignEvent(
        "Atelier d'écriture : lettres à un ami lointain",
        "workshop",
        "Écrire à un correspondant du Togo.",
        10,
        "Bibliothèque",
    ),
    CampaignEvent(
        "Rencontre : le volontariat international, pourquoi pas moi ?",
        "conference",
        "D'anciens volontaires racontent.",
        18,
        "",
    ),
    CampaignEvent(
        "Exposition : objets de récupération d'Haïti",
        "exhibition",
        "Sculptures en métal recyclé.",
        11,
        "Espace culturel",
    ),
    CampaignEvent(
        "Soirée contes et musiques kurdes",
        "show",
        "Conteuse et joueur de saz.",
        20,
        "Café associatif",
        "Participation libre",
    ),
    CampaignEvent(
        "Course solidaire", "other", "Chaque kilomètre finance un puits.", 10, "Stade municipal", "Inscription 5 €"
    ),
    CampaignEvent(
        "Débat mouvant : consommer autrement",
        "workshop",
        "Prendre position et changer d'avis, avec humour.",
        19,
        "Maison de quartier",
    ),
    CampaignEvent(
        "Projection-débat : l'accès aux soins à Madagascar",
        "screening",
        "Avec des soignants partis en mission.",
        20,
        "Salle polyvalente",
    ),
    CampaignEvent(
        "Webinaire : l'éducation à la citoyenneté mondiale",
        "conference",
        "Outils et retours d'expérience pour les animateurs.",
        12,
        "",
    ),
    CampaignEvent(
        "Clôture du festival : bal et repas du monde",
        "meal",
        "La fête de clôture, ouverte à toutes et tous.",
        19,
        "Salle des fêtes",
        "10 €",
    ),
    CampaignEvent(
        "Exposition itinérante : objectifs de développement durable",
        "exhibition",
        "Dix-sept panneaux, un par objectif.",
        9,
        "Hall de la gare",
    ),
)


def campaign_title(start: datetime.date) -> str:
    return f"Festival des Solidarités {start.year} en Bretagne"


def campaign_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today + datetime.timedelta(days=CAMPAIGN_STARTS_IN)
    return start, start + datetime.timedelta(days=CAMPAIGN_DAYS - 1)


def campaign_presentation() -> str:
    return (
        "<p>Chaque année en novembre, le Festival des Solidarités invite à agir pour un monde juste, "
        "solidaire et durable. En Bretagne, les membres du réseau proposent projections, débats, repas, "
        "expositions et ateliers, dans les quatre départements et en ligne.</p>"
    )


def campaign_event_specs(
    *,
    organisations: list[data.Organisation],
    start: datetime.date,
    tz: datetime.tzinfo,
    published_at: datetime.datetime,
) -> Iterator[tuple[str, PublicationSpec]]:
    """(organisation slug, event) for each of the festival's events, spread over the organisations and days.

    Events without a venue are online; about one in four is at an accessible venue; those without a price
    are free.
    """
    for number, event in enumerate(EVENTS):
        org = organisations[number % len(organisations)]
        day = start + datetime.timedelta(days=(number * 5) % CAMPAIGN_DAYS)
        begins = datetime.datetime.combine(day, datetime.time(event.hour), tzinfo=tz)
        _postcode, department, lat, lng = data.COMMUNES[org.commune]
        online = not event.venue
        fields = {
            "start": begins,
            "end": begins + datetime.timedelta(hours=2),
            "event_type": event.event_type,
            "is_free": not event.price or event.price == "Participation libre",
            "price": event.price or "Gratuit",
            "accessible": number % 4 != 3,
            "venue": event.venue,
            "commune": "" if online else org.commune,
            "department": department,
            "online_url": f"https://visio.example.org/festisol-{number + 1}" if online else "",
            # Near the commune's centre, a little apart so that the map's markers do not overlap.
            "latitude": None if online else Decimal(str(round(lat + 0.004 * (number % 5), 6))),
            "longitude": None if online else Decimal(str(round(lng + 0.004 * (number % 3), 6))),
        }
        yield (
            org.slug,
            PublicationSpec(
                kind="event",
                slug=f"festisol-{slugify(event.title)[:60]}",
                title=event.title,
                summary=event.summary,
                body=(
                    escape(event.summary),
                    escape(f"Organisé par {org.title} dans le cadre du Festival des Solidarités."),
                ),
                tags=("Festival des Solidarités",),
                illustration=illustration_for("event", f"festisol-{number}"),
                fields=fields,
                published_at=published_at,
            ),
        )
