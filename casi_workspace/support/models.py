"""Support requests ("demandes d'accompagnement") from project holders, their files and their timeline.

A request keeps apart what a figure counts (need, stage, département, actor type, dates, status) and what
identifies a person (contact, free text, files, messages): erasing a request later can fold the first into
anonymous counts and delete the rest, without the year's figures changing.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from casi_workspace.organisations.models import DEPARTMENT_CHOICES, ActorType


def request_key() -> str:
    return secrets.token_hex(16)


def attachment_path(instance: SupportAttachment, filename: str) -> str:
    """A folder of its own per file, under `accompagnements/`, which the web server never serves: files leave
    only through the permission-checked download views."""
    return f"accompagnements/{secrets.token_hex(8)}/{os.path.basename(filename)}"


# What a requester fills in (besides sectors and SDGs, relations set apart); status and dates belong to the services.
SUBMITTED_FIELDS = (
    "organisation",
    "structure_name",
    "structure_commune",
    "department",
    "actor_type",
    "contact_name",
    "contact_email",
    "contact_phone",
    "project_title",
    "countries",
    "stage",
    "need",
    "description",
)


class ProjectStage(models.TextChoices):
    IDEA = "idea", pgettext_lazy("support request", "Idea")
    BUILDING = "building", _("Building the project")
    FUNDING = "funding", _("Looking for funding")
    RUNNING = "running", _("Running")
    EVALUATION = "evaluation", pgettext_lazy("support request", "Evaluation")


class SupportNeed(models.TextChoices):
    METHODOLOGY = "methodology", pgettext_lazy("support request", "Methodology")
    FUNDING = "funding", _("Funding search")
    PARTNERS = "partners", _("Finding partners")
    ECSI = "ecsi", _("Education for citizenship and international solidarity (ECSI)")
    VOLUNTEERING = "volunteering", _("Volunteering")
    TRAINING = "training", pgettext_lazy("support request", "Training")
    OTHER = "other", _("Other")


class SupportStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("support request", "New")
    ASSIGNED = "assigned", pgettext_lazy("support request", "Assigned")
    APPOINTMENT = "appointment", _("Appointment set")
    IN_PROGRESS = "in_progress", pgettext_lazy("support request", "In progress")
    CLOSED = "closed", pgettext_lazy("support request", "Closed")


class SupportPriority(models.IntegerChoices):
    LOW = 0, pgettext_lazy("support request", "Low")
    NORMAL = 1, pgettext_lazy("support request", "Normal")
    HIGH = 2, pgettext_lazy("support request", "High")


class SupportEventKind(models.TextChoices):
    CREATED = "created", _("Request sent")
    REQUESTER_MESSAGE = "requester_message", _("Message from the requester")
    DESK_MESSAGE = "desk_message", _("Message from the network")
    NOTE = "note", _("Internal note")
    STATUS = "status", _("Status changed")
    ATTACHMENT = "attachment", _("Document added")
    ASSIGNMENT = "assignment", pgettext_lazy("support request", "Assigned")
    APPOINTMENT = "appointment", _("Appointment")
    REOPENED = "reopened", _("Reopened by the requester")
    SATISFACTION = "satisfaction", _("Satisfaction answer")


class SatisfactionScore(models.IntegerChoices):
    """The answer to "Are you satisfied with the support?", asked when the desk closes a request."""

    VERY = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY = 3, _("Fairly satisfied")
    LITTLE = 2, _("Not very satisfied")
    NOT_AT_ALL = 1, _("Not satisfied at all")


# What the requester's link never shows.
INTERNAL_EVENT_KINDS = (SupportEventKind.NOTE, SupportEventKind.ASSIGNMENT)


class SupportRequest(models.Model):
    # Who asks: an organisation of the directory, or a structure described in the form.
    organisation = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
    )
    structure_name = models.CharField(_("name of the structure"), max_length=255, blank=True)
    structure_commune = models.CharField(_("commune"), max_length=120, blank=True)
    department = models.CharField(_("département"), max_length=3, choices=DEPARTMENT_CHOICES, blank=True)
    actor_type = models.CharField(_("actor type"), max_length=32, choices=ActorType.choices, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # The project and the need.
    project_title = models.CharField(_("project title"), max_length=200)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    sectors = models.ManyToManyField("casi_workspace.Sector", verbose_name=_("sectors"), blank=True, related_name="+")
    sdgs = models.ManyToManyField(
        "casi_workspace.SustainableDevelopmentGoal",
        verbose_name=_("sustainable development goals"),
        blank=True,
        related_name="+",
    )
    stage = models.CharField(_("stage of the project"), max_length=16, choices=ProjectStage.choices)
    need = models.CharField(_("need"), max_length=16, choices=SupportNeed.choices)
    description = models.TextField(_("your request"))
    consent_at = models.DateTimeField(_("consent given at"))
    # The desk.
    status = models.CharField(
        _("status"), max_length=16, choices=SupportStatus.choices, default=SupportStatus.NEW, db_index=True
    )
    closing_reason = models.CharField(_("closing reason"), max_length=255, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=SupportPriority.choices, default=SupportPriority.NORMAL
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_collective = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("collective in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests_in_charge",
        help_text=_("Empty: the network's coordinators."),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    first_answer_at = models.DateTimeField(_("first answer at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The requester's answer to the satisfaction question of the last closing (an earlier closing's answer stays
    # in the timeline), and when the desk was reminded of a request left without a first answer.
    satisfaction_score = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=SatisfactionScore.choices, null=True, blank=True
    )
    satisfaction_comment = models.TextField(_("satisfaction comment"), blank=True)
    satisfaction_answered_at = models.DateTimeField(_("satisfaction answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # Signed into the requester's link with the pk; not a secret on its own (the signature is).
    key = models.CharField(max_length=32, default=request_key, editable=False)
    ip_hash = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")

    def __str__(self) -> str:
        return self.project_title

    @property
    def structure(self) -> str:
        """The name of who asks: the directory's organisation, or the structure described in the form."""
        return self.organisation.title if self.organisation_id else self.structure_name

    @property
    def satisfaction_pending(self) -> bool:
        """Closed, and not answered since it was closed: the follow page asks the satisfaction question."""
        if self.status != SupportStatus.CLOSED:
            return False
        answered = self.satisfaction_answered_at
        return answered is None or (self.closed_at is not None and answered < self.closed_at)


class SupportAttachment(models.Model):
    request = models.ForeignKey(
        SupportRequest, verbose_name=_("support request"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("file size"), default=0)
    from_requester = models.BooleanField(_("sent by the requester"), default=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("support request document")
        verbose_name_plural = _("support request documents")

    def __str__(self) -> str:
        return self.name


class SupportEvent(models.Model):
    """One step of a request's timeline. `author` is empty for the requester (they have no account)."""

    request = models.ForeignKey(
        SupportRequest, verbose_name=_("support request"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=SupportEventKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("message or file name"), blank=True)
    attachment = models.ForeignKey(
        SupportAttachment,
        verbose_name=_("attached document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # An appointment's details (APPOINTMENT steps only).
    appointment_at = models.DateTimeField(_("appointment on"), null=True, blank=True)
    appointment_duration = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    appointment_place = models.CharField(_("place"), max_length=255, blank=True)
    appointment_url = models.URLField(_("video link"), blank=True)
    # Pages of the site the desk suggests with a message (DESK_MESSAGE steps only): resources, trainings, calls
    # for projects. Shown only while live and public (`support_timeline`).
    suggestions = models.ManyToManyField(
        "casi_workspace.PublicationPage", verbose_name=_("suggested pages"), blank=True, related_name="+"
    )
    # The desk's time on this step, which funders count as hours of support (summed per request).
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    created_at = models.DateTimeField(_("date of the step"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("support request event")
        verbose_name_plural = _("support request events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.request}"

    @property
    def is_internal(self) -> bool:
        return self.kind in INTERNAL_EVENT_KINDS


class SupportRecord(models.Model):
    """What the figures count of one request, and nothing that identifies the requester: it outlives the request
    (erased after CASI_WORKSPACE_SUPPORT_RETENTION_DAYS, or at once on demand), so a year's figures never change.
    Kept in step by the support services (`services.support_record_sync`); the figures read only this table."""

    request = models.OneToOneField(
        SupportRequest,
        verbose_name=_("support request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="record",
    )
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    first_answer_at = models.DateTimeField(_("first answer at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SupportStatus.choices, default=SupportStatus.NEW)
    need = models.CharField(_("need"), max_length=16, choices=SupportNeed.choices)
    stage = models.CharField(_("stage of the project"), max_length=16, choices=ProjectStage.choices)
    department = models.CharField(_("département"), max_length=3, choices=DEPARTMENT_CHOICES, blank=True)
    actor_type = models.CharField(_("actor type"), max_length=32, choices=ActorType.choices, blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    # The desk's people, never the requester.
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_collective = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("collective in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    erased_at = models.DateTimeField(_("request erased at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support figures record")
        verbose_name_plural = _("support figures records")

    def __str__(self) -> str:
        return f"{self.get_need_display()} — {self.created_at:%Y-%m-%d}"
