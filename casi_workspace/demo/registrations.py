"""Registrations on some of the festival's events: two full with people waiting, others filling up; and the
network's own regional meeting (its "Assises"), with two time slots of three workshops each.

Written as rows, not through the registration service: the demo sends no email, and each count here is what
the service would have reached (confirmed first, then the waiting list in the order people joined). A re-run
finds each registration by its event and address and creates only what is missing.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils import timezone
from django.utils.text import slugify

from casi_workspace.demo.data import NETWORK
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.models import (
    EventRegistration,
    EventRegistrationSettings,
    EventSession,
    EventSlot,
    RegistrationChoice,
    RegistrationStatus,
)

PEOPLE = (
    ("Awa Diallo", "Amitiés Bretagne-Sénégal"),
    ("Yann Le Gall", ""),
    ("Fatou Ndiaye", "Collectif Finistère Solidarité Internationale"),
    ("Maëlle Tanguy", "Lycée Kerichen"),
    ("Issa Traoré", "Brest Sahel Solidarité"),
    ("Gwenaëlle Morvan", ""),
    ("Karim Benali", "Ville de Rennes"),
    ("Soazig Le Bihan", ""),
    ("Mamadou Coulibaly", "Morlaix Burkina"),
    ("Nolwenn Riou", "Université de Bretagne occidentale"),
    ("Aminata Sow", ""),
    ("Erwan Kerjean", "Rennes Kurdistan"),
    ("Lina Haddad", ""),
    ("Tristan Guégan", "MJC de Landerneau"),
    ("Rokia Keïta", ""),
)


class Plan(NamedTuple):
    capacity: int | None
    confirmed: int
    waiting: int


# For the festival's first events held at a venue, in order: two full with a waiting list, then filling up.
PLANS = (Plan(10, 10, 3), Plan(8, 8, 2), Plan(30, 9, 0), Plan(20, 5, 0), Plan(None, 7, 0), Plan(15, 3, 0))


def festival_registrations_seed(campaign_id: int) -> None:
    """Open registrations on the festival's first events at a venue and fill them as PLANS says."""
    events = EventPage.objects.filter(campaign_id=campaign_id).exclude(commune="").order_by("start", "pk")
    now = timezone.now()
    for event, plan in zip(events[: len(PLANS)], PLANS, strict=False):
        EventRegistrationSettings.objects.get_or_create(
            event=event,
            defaults={
                "is_open": True,
                "capacity": plan.capacity,
                "question": "Comment avez-vous connu le festival ?",
            },
        )
        known = set(EventRegistration.objects.filter(event=event).values_list("email", flat=True))
        rows = []
        for number in range(plan.confirmed + plan.waiting):
            name, organisation = PEOPLE[number % len(PEOPLE)]
            email = f"{slugify(name)}@example.org"
            if email in known:
                continue
            rows.append(
                EventRegistration(
                    event=event,
                    name=name,
                    email=email,
                    organisation=organisation,
                    status=RegistrationStatus.CONFIRMED if number < plan.confirmed else RegistrationStatus.WAITING,
                    joined_at=now - datetime.timedelta(hours=plan.confirmed + plan.waiting - number),
                )
            )
        EventRegistration.objects.bulk_create(rows)


# The network's regional meeting (demo/publications.py, NETWORK_EVENTS): its slug under the network's page.
MEETING_SLUG = "assises-regionales-de-la-solidarite-internationale"
MEETING_CAPACITY = 80


class Workshop(NamedTuple):
    title: str
    description: str
    room: str
    capacity: int | None


class Slot(NamedTuple):
    title: str
    start_hours: float  # after the event's start
    end_hours: float
    workshops: tuple[Workshop, ...]


MEETING_SLOTS = (
    Slot(
        "Ateliers du matin",
        1,
        3,
        (
            Workshop(
                "Plaidoyer et élections municipales",
                "Porter la solidarité internationale auprès des candidats.",
                "Salle Iroise",
                8,
            ),
            Workshop(
                "Éducation à la citoyenneté mondiale",
                "Outils et animations pour les scolaires.",
                "Salle Brocéliande",
                15,
            ),
            Workshop(
                "Financer ses projets", "Panorama des dispositifs régionaux, nationaux et européens.", "Salle Armor", 12
            ),
        ),
    ),
    Slot(
        "Ateliers de l’après-midi",
        5,
        6.5,
        (
            Workshop(
                "Jeunesse et engagement solidaire",
                "Service civique, JSI, chantiers : accueillir les jeunes.",
                "Salle Iroise",
                10,
            ),
            Workshop(
                "Climat et solidarité internationale",
                "Adapter nos projets aux changements climatiques.",
                "Salle Brocéliande",
                12,
            ),
            Workshop(
                "Partenariats Nord-Sud",
                "Co-construire avec les partenaires : retours d’expérience.",
                "Salle Armor",
                None,
            ),
        ),
    ),
)
MEETING_PEOPLE = (
    *PEOPLE,
    ("Jeanne Le Roux", "Collectif rennais de solidarité internationale"),
    ("Ousmane Barry", "Douarnenez – Madagascar"),
    ("Katell Madec", "Lycée de l’Élorn"),
    ("Pierre Le Floch", "Commune de Lannion"),
    ("Salimata Koné", ""),
    ("Goulven Cariou", "Pays de Morlaix"),
    ("Hawa Camara", "Saint-Brieuc Solidarité"),
    ("Loïc Jaouen", ""),
    ("Mariama Bah", "Vannes Afrique"),
)
# Each person's workshop in each slot (an index into the slot's workshops): the morning's "Plaidoyer" and
# the afternoon's "Jeunesse" full, the others filling up.
MEETING_CHOICES = (
    *((0, 0),) * 8,
    *((1, 1),) * 6,
    *((2, 1),) * 4,
    (1, 0),
    (2, 0),
    (1, 2),
    (2, 2),
    (1, 2),
    (2, 2),
)


def network_meeting_seed() -> None:
    """Open registrations on the network's regional meeting, give it its workshops, and register people in
    them. A re-run finds the slots and sessions by title, the registrations by address, and adds only what
    is missing."""
    event = EventPage.objects.filter(slug=MEETING_SLUG, organisation__slug=NETWORK.slug).order_by("pk").first()
    if event is None:
        return
    EventRegistrationSettings.objects.get_or_create(
        event=event, defaults={"is_open": True, "capacity": MEETING_CAPACITY, "max_places_per_person": 2}
    )
    sessions: list[list[EventSession]] = []
    for spec in MEETING_SLOTS:
        slot, _created = EventSlot.objects.get_or_create(
            event=event,
            title=spec.title,
            defaults={
                "start": event.start + datetime.timedelta(hours=spec.start_hours),
                "end": event.start + datetime.timedelta(hours=spec.end_hours),
            },
        )
        sessions.append(
            [
                EventSession.objects.get_or_create(
                    slot=slot,
                    title=workshop.title,
                    defaults={
                        "description": workshop.description,
                        "room": workshop.room,
                        "capacity": workshop.capacity,
                    },
                )[0]
                for workshop in spec.workshops
            ]
        )
    known = set(EventRegistration.objects.filter(event=event).values_list("email", flat=True))
    now = timezone.now()
    for number, picks in enumerate(MEETING_CHOICES):
        name, organisation = MEETING_PEOPLE[number]
        email = f"{slugify(name)}@example.org"
        if email in known:
            continue
        registration = EventRegistration.objects.create(
            event=event,
            name=name,
            email=email,
            organisation=organisation,
            status=RegistrationStatus.CONFIRMED,
            joined_at=now - datetime.timedelta(hours=len(MEETING_CHOICES) - number),
        )
        RegistrationChoice.objects.bulk_create(
            RegistrationChoice(registration=registration, slot_id=session.slot_id, session=session)
            for session in (sessions[slot][pick] for slot, pick in enumerate(picks))
        )
