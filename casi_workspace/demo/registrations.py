"""Registrations on some of the festival's events: two full with people waiting, others filling up.

Written as rows, not through the registration service: the demo sends no email, and each count here is what
the service would have reached (confirmed first, then the waiting list in the order people joined). A re-run
finds each registration by its event and address and creates only what is missing.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils import timezone
from django.utils.text import slugify

from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.models import EventRegistration, EventRegistrationSettings, RegistrationStatus

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
