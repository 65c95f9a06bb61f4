"""Support requests for the desk and its figures: 25 requests in every status, from member organisations and from
structures outside the directory, sent over the past eighteen months. The Finistère collective handles its
département's requests (assigned to `collectif-29`), the network the others (assigned to `coordination`).

Stored through `support_request_create` (the form's checks, the collective in charge, the files), then the
desk's steps written as rows, not through the desk's services: the demo sends no email. Each step carries the
date it would have had. A request is found again by its contact address: a re-run creates only what is missing,
each request in a transaction of its own.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from casi_workspace.demo import files
from casi_workspace.demo.data import FINISTERE_COLLECTIVE
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.support.models import (
    SupportEvent,
    SupportEventKind,
    SupportPriority,
    SupportRequest,
    SupportStatus,
)
from casi_workspace.support.selectors import support_suggestable_pages
from casi_workspace.support.services import support_record_sync, support_request_create
from casi_workspace.workspaces.models import OrganisationWorkspace

NETWORK_DESK, COLLECTIVE_DESK = "coordination", "collectif-29"


class Request(NamedTuple):
    email: str
    contact: str
    project: str
    organisation: str  # a directory organisation's slug, or "" for a structure described below
    structure: tuple[str, str, str, str]  # name, commune, département, actor type (outside the directory)
    countries: tuple[str, ...]
    stage: str
    need: str
    status: str
    days_ago: int
    closing_reason: str = ""
    priority: int = SupportPriority.NORMAL
    document: str = ""


NONE = ("", "", "", "")
S = SupportStatus

REQUESTS: tuple[Request, ...] = (
    # Sent in the last weeks, nobody in charge yet.
    Request(
        "awa.diallo@example.org",
        "Awa Diallo",
        "Jardins maraîchers à Podor",
        "",
        ("Association Teranga Quimper", "Quimper", "29", "association"),
        ("SN",),
        "idea",
        "methodology",
        S.NEW,
        3,
        document="note-de-projet.pdf",
    ),
    Request(
        "erwan.kerjean@example.org",
        "Erwan Kerjean",
        "Échanges scolaires avec Ouagadougou",
        "lycee-elorn",
        NONE,
        ("BF",),
        "building",
        "partners",
        S.NEW,
        6,
    ),
    Request(
        "lina.haddad@example.org",
        "Lina Haddad",
        "Radio associative à Tyr",
        "",
        ("Amitiés Bretagne-Liban", "Rennes", "35", "association"),
        ("LB",),
        "idea",
        "funding",
        S.NEW,
        9,
        priority=SupportPriority.HIGH,
    ),
    Request(
        "tristan.guegan@example.org",
        "Tristan Guégan",
        "Chantier de jeunes au Bénin",
        "dinan-benin",
        NONE,
        ("BJ",),
        "building",
        "volunteering",
        S.NEW,
        12,
    ),
    # In charge, not answered yet.
    Request(
        "soazig.lebihan@example.org",
        "Soazig Le Bihan",
        "Bibliothèque de Toamasina",
        "douarnenez-madagascar",
        NONE,
        ("MG",),
        "funding",
        "funding",
        S.ASSIGNED,
        20,
    ),
    Request(
        "karim.benali@example.org",
        "Karim Benali",
        "Festival des cultures du Sahel",
        "",
        ("Collectif Sahel Vannes", "Vannes", "56", "association"),
        ("ML", "NE"),
        "building",
        "ecsi",
        S.ASSIGNED,
        27,
    ),
    Request(
        "rokia.keita@example.org",
        "Rokia Keïta",
        "Coopérative de karité à Bobo-Dioulasso",
        "",
        ("Femmes solidaires de Landerneau", "Landerneau", "29", "association"),
        ("BF",),
        "funding",
        "funding",
        S.ASSIGNED,
        34,
        priority=SupportPriority.HIGH,
    ),
    Request(
        "maelle.tanguy@example.org",
        "Maëlle Tanguy",
        "Semaine de la solidarité au lycée",
        "",
        ("Lycée Jean Moulin", "Saint-Brieuc", "22", "education"),
        (),
        "idea",
        "ecsi",
        S.ASSIGNED,
        41,
    ),
    # An appointment set.
    Request(
        "issa.traore@example.org",
        "Issa Traoré",
        "Forage à Tillabéri",
        "brest-sahel-solidarite",
        NONE,
        ("NE",),
        "funding",
        "funding",
        S.APPOINTMENT,
        48,
        document="devis-forage.pdf",
    ),
    Request(
        "gwenaelle.morvan@example.org",
        "Gwenaëlle Morvan",
        "Formation d'animateurs en Haïti",
        "landerneau-haiti",
        NONE,
        ("HT",),
        "building",
        "training",
        S.APPOINTMENT,
        63,
    ),
    Request(
        "mamadou.coulibaly@example.org",
        "Mamadou Coulibaly",
        "Micro-crédit pour artisanes à Ségou",
        "",
        ("Association Ségou-Fougères", "Fougères", "35", "association"),
        ("ML",),
        "building",
        "methodology",
        S.APPOINTMENT,
        77,
    ),
    Request(
        "nolwenn.riou@example.org",
        "Nolwenn Riou",
        "Stages étudiants au Cameroun",
        "guingamp-cameroun",
        NONE,
        ("CM",),
        "running",
        "partners",
        S.APPOINTMENT,
        90,
    ),
    # Followed.
    Request(
        "aminata.sow@example.org",
        "Aminata Sow",
        "Cantine scolaire à Ziguinchor",
        "concarneau-senegal",
        NONE,
        ("SN",),
        "running",
        "funding",
        S.IN_PROGRESS,
        110,
    ),
    Request(
        "yannick.cadiou@example.org",
        "Yannick Cadiou",
        "Volontariat de réciprocité avec le Togo",
        "saint-brieuc-togo",
        NONE,
        ("TG",),
        "building",
        "volunteering",
        S.IN_PROGRESS,
        135,
    ),
    Request(
        "fatou.ndiaye@example.org",
        "Fatou Ndiaye",
        "Santé maternelle à Kayes",
        "",
        ("Solidarité Kayes Morlaix", "Morlaix", "29", "association"),
        ("ML",),
        "building",
        "methodology",
        S.IN_PROGRESS,
        160,
    ),
    Request(
        "pablo.quispe@example.org",
        "Pablo Quispe",
        "Tourisme solidaire sur l'Altiplano",
        "lorient-bolivie",
        NONE,
        ("BO", "PE"),
        "evaluation",
        "methodology",
        S.IN_PROGRESS,
        190,
    ),
    Request(
        "julie.riou@example.org",
        "Julie Riou",
        "Exposition sur les migrations",
        "rennes-migrations",
        NONE,
        (),
        "running",
        "ecsi",
        S.IN_PROGRESS,
        225,
    ),
    Request(
        "hamid.elamrani@example.org",
        "Hamid El Amrani",
        "Accès à l'eau dans l'Atlas",
        "",
        ("Association Auray-Atlas", "Auray", "56", "association"),
        ("MA",),
        "idea",
        "partners",
        S.IN_PROGRESS,
        260,
    ),
    # Closed, each for its reason.
    Request(
        "katell.lemeur@example.org",
        "Katell Le Meur",
        "Classes découvertes au Burkina",
        "morlaix-burkina",
        NONE,
        ("BF",),
        "evaluation",
        "training",
        S.CLOSED,
        290,
        "Accompagnement terminé",
    ),
    Request(
        "bertrand.guillou@example.org",
        "Bertrand Guillou",
        "Équipement d'un dispensaire à Madagascar",
        "",
        ("Rotary de Quimperlé", "Quimperlé", "29", "association"),
        ("MG",),
        "funding",
        "funding",
        S.CLOSED,
        330,
        "Orientée vers le fonds départemental du Finistère",
    ),
    Request(
        "sophie.lemoal@example.org",
        "Sophie Le Moal",
        "Jumelage scolaire avec Nouakchott",
        "lorient-mauritanie",
        NONE,
        ("MR",),
        "idea",
        "partners",
        S.CLOSED,
        370,
        "Projet abandonné par la structure",
    ),
    Request(
        "david.nguyen@example.org",
        "David Nguyen",
        "Coopération universitaire avec Hué",
        "",
        ("Association Bretagne-Vietnam", "Rennes", "35", "association"),
        ("VN",),
        "building",
        "partners",
        S.CLOSED,
        410,
        "Partenaires trouvés",
    ),
    Request(
        "anne.kerleroux@example.org",
        "Anne Kerléroux",
        "Soutien aux réfugiés à Beyrouth",
        "",
        ("Collectif Brest-Liban", "Brest", "29", "association"),
        ("LB",),
        "funding",
        "funding",
        S.CLOSED,
        450,
        "Financement obtenu",
    ),
    Request(
        "oumar.ba@example.org",
        "Oumar Ba",
        "Maraîchage solidaire à Tahoua",
        "redon-niger",
        NONE,
        ("NE",),
        "idea",
        "other",
        S.CLOSED,
        495,
        "Sans nouvelles du porteur de projet",
    ),
    Request(
        "marie.jaouen@example.org",
        "Marie Jaouen",
        "Mallette pédagogique sur l'eau",
        "ville-de-rennes-ri",
        NONE,
        (),
        "evaluation",
        "ecsi",
        S.CLOSED,
        535,
        "Accompagnement terminé",
    ),
)

DESCRIPTION = (
    "Notre projet « {project} » avance, mais nous aimerions être accompagnés par le réseau pour la suite, "
    "et savoir à qui nous adresser."
)
ANSWER = "Bonjour, merci pour votre demande. Pouvez-vous nous envoyer votre budget prévisionnel ?"
REPLY = "Bonjour, voici notre budget et la lettre de notre partenaire."


def _steps(spec: Request) -> list[tuple[int, str, str, int]]:
    """The desk's steps up to the request's status: (days after it was sent, kind, text, minutes spent)."""
    status = spec.status
    if status == S.NEW:
        return []
    steps = [(1, SupportEventKind.ASSIGNMENT, "", 0), (1, SupportEventKind.NOTE, "Lu le dossier ; à rappeler.", 20)]
    if status == S.ASSIGNED:
        return steps
    steps.append((3, SupportEventKind.DESK_MESSAGE, ANSWER, 30))
    if status == S.APPOINTMENT:
        return [*steps, (5, SupportEventKind.APPOINTMENT, "", 15)]
    steps += [
        (6, SupportEventKind.REQUESTER_MESSAGE, REPLY, 0),
        (9, SupportEventKind.STATUS, "Statut : En cours.", 45),
        (20, SupportEventKind.NOTE, "Rendez-vous fait : pistes de financement et de partenaires données.", 90),
    ]
    if status == S.CLOSED:
        steps.append((45, SupportEventKind.STATUS, f"Statut : Clôturée.\nMotif : {spec.closing_reason}", 20))
    return steps


def support_requests_seed() -> None:
    """Each of REQUESTS not there yet; at the first run, the Finistère collective starts handling its
    département's requests (a choice changed since is left as it is)."""
    emails = [spec.email for spec in REQUESTS]
    known = set(SupportRequest.objects.filter(contact_email__in=emails).values_list("contact_email", flat=True))
    if len(known) == len(REQUESTS):
        return
    if not known:
        OrganisationWorkspace.objects.filter(organisation__slug=FINISTERE_COLLECTIVE).update(
            handles_support_requests=True
        )
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=[NETWORK_DESK, COLLECTIVE_DESK])
    }
    organisations = {
        page.slug: page for page in OrganisationPage.objects.filter(slug__in=[spec.organisation for spec in REQUESTS])
    }
    suggestion = support_suggestable_pages().filter(kind=PublicationKind.CALL).first()
    now = timezone.now()
    for spec in REQUESTS:
        if spec.email not in known:
            _request_seed(spec, organisations, users, suggestion, now)


@transaction.atomic
def _request_seed(spec: Request, organisations: dict, users: dict, suggestion, now: datetime.datetime) -> None:
    name, commune, department, actor_type = spec.structure
    data = {
        "organisation": organisations.get(spec.organisation),
        "structure_name": name,
        "structure_commune": commune,
        "department": department,
        "actor_type": actor_type,
        "contact_name": spec.contact,
        "contact_email": spec.email,
        "project_title": spec.project,
        "countries": list(spec.countries),
        "stage": spec.stage,
        "need": spec.need,
        "description": DESCRIPTION.format(project=spec.project),
        "consent": True,
    }
    uploads = []
    if spec.document:
        content = files.pdf(spec.project, [f"{spec.contact} — {spec.project}", "Budget et calendrier du projet."])
        uploads.append(SimpleUploadedFile(spec.document, content, content_type="application/pdf"))
    support_request = support_request_create(data=data, uploads=uploads)
    sent = now - datetime.timedelta(days=spec.days_ago, hours=spec.days_ago % 9)
    desk = users[COLLECTIVE_DESK if support_request.responsible_collective_id else NETWORK_DESK]
    SupportRequest.objects.filter(pk=support_request.pk).update(created_at=sent, consent_at=sent)
    support_request.events.update(created_at=sent)
    fields: dict = {"status": spec.status, "priority": spec.priority, "closing_reason": spec.closing_reason}
    for days, kind, text, minutes in _steps(spec):
        at = sent + datetime.timedelta(days=days, hours=2)
        event = SupportEvent(request=support_request, kind=kind, text=text, minutes=minutes)
        if kind != SupportEventKind.REQUESTER_MESSAGE:
            event.author = desk
        if kind == SupportEventKind.ASSIGNMENT:
            event.text = f"En charge : {desk.get_full_name()}."
            fields["coordinator"] = desk
        elif kind == SupportEventKind.DESK_MESSAGE:
            fields.setdefault("first_answer_at", at)
        elif kind == SupportEventKind.APPOINTMENT:
            event.appointment_at = (now + datetime.timedelta(days=7 + spec.days_ago % 5)).replace(
                hour=14, minute=0, second=0, microsecond=0
            )
            event.appointment_duration = 60
            if spec.days_ago % 2:
                event.appointment_url = "https://visio.example.org/casi-accompagnement"
            else:
                event.appointment_place = "Maison internationale de Rennes, 7 quai Chateaubriand"
        elif kind == SupportEventKind.STATUS and spec.status == S.CLOSED:
            fields["closed_at"] = at
        event.save()
        SupportEvent.objects.filter(pk=event.pk).update(created_at=at)
        if kind == SupportEventKind.DESK_MESSAGE and suggestion is not None and spec.need == "funding":
            event.suggestions.add(suggestion)
    SupportRequest.objects.filter(pk=support_request.pk).update(**fields)
    support_record_sync(SupportRequest.objects.get(pk=support_request.pk))  # the figures see the dates set here
