"""An event's registration settings (kept out of the page's revisions) and its registrations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casi_workspace.publications.models.publications import EventPage

MAX_PLACES_PER_PERSON = 20


class WaitlistMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic: the next person in line is registered and told by email")
    OFFER = "offer", _("Offer: the next person in line is offered the place and confirms it within a time limit")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    OFFERED = "offered", _("place offered")
    CANCELLED = "cancelled", _("cancelled")


# The statuses that hold places: an offered place is kept for its person until the offer expires.
HOLDING_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
# The statuses that form the queue, in the order people joined it.
QUEUE_STATUSES = (RegistrationStatus.WAITING, RegistrationStatus.OFFERED)


class EventRegistrationSettings(models.Model):
    """Whether and how people register for one event.

    A row of its own rather than page fields: the organisers open, close or resize registrations at once,
    without a new revision of the page going through moderation. It is also the row the services lock
    (`select_for_update`) while they count the places taken.
    """

    event = models.OneToOneField(
        EventPage, on_delete=models.CASCADE, primary_key=True, related_name="registration_settings"
    )
    is_open = models.BooleanField(_("registrations are open"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Number of places; leave empty for no limit.")
    )
    deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    max_places_per_person = models.PositiveSmallIntegerField(
        _("places per person"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PLACES_PER_PERSON)],
        help_text=_("The most places one registration may ask for."),
    )
    asks_organisation = models.BooleanField(_("ask for the organisation"), default=True)
    asks_accessibility = models.BooleanField(_("ask about accessibility needs"), default=True)
    question = models.CharField(
        _("free question"), max_length=300, blank=True, help_text=_("Asked on the form when filled in.")
    )
    waitlist_mode = models.CharField(
        _("when a place frees up"), max_length=16, choices=WaitlistMode.choices, default=WaitlistMode.AUTOMATIC
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to confirm an offered place"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")

    def __str__(self) -> str:
        return str(self.event_id)

    def accepts_at(self, moment) -> bool:
        """Open, before the deadline and before the event starts."""
        if not self.is_open or (self.deadline and moment > self.deadline):
            return False
        return moment < self.event.start


def _new_key() -> str:
    return secrets.token_urlsafe(24)


class EventRegistration(models.Model):
    """One person's registration (for one or several places), confirmed or in the queue.

    Personal data: only the event's organisers and the coordinators see it, and it is erased a set time
    after the event (`CASI_WORKSPACE_REGISTRATION_RETENTION_DAYS`).
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=160)
    email = models.EmailField(_("email address"))
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    # The queue's order: the time the person joined it (their registration), never changed afterwards.
    joined_at = models.DateTimeField(_("registered at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Signed into the emailed links (tokens.py): a link names the registration and proves it came from us.
    key = models.CharField(max_length=64, default=_new_key, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["joined_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "joined_at"], name="casi_registration_queue")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class EventSlot(models.Model):
    """A time slot of an event's programme ("Ateliers du matin"), in which each registrant follows one session.

    Like the settings, kept out of the page's revisions: the organisers change the programme and the
    capacities from their registrations page, at once, without moderation. Slots are shown in time order.
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registration_slots")
    title = models.CharField(_("title"), max_length=120)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return self.title


class EventSession(models.Model):
    """One session (a workshop) of a time slot, with its own capacity. Shown in the order they were added."""

    slot = models.ForeignKey(EventSlot, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=160)
    description = models.CharField(_("description"), max_length=300, blank=True)
    room = models.CharField(_("room"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Number of places; leave empty for no limit.")
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class RegistrationChoice(models.Model):
    """The session a registration chose in one time slot: one per slot (the slot is repeated here so that the
    database itself refuses a second session in the same slot)."""

    registration = models.ForeignKey(EventRegistration, on_delete=models.CASCADE, related_name="choices")
    slot = models.ForeignKey(EventSlot, on_delete=models.CASCADE, related_name="+")
    # RESTRICT: a session someone chose is not deleted on its own (the service deletes the choices of
    # cancelled registrations first, and refuses while anyone else chose it); deleting the event deletes all.
    session = models.ForeignKey(EventSession, on_delete=models.RESTRICT, related_name="choices")

    class Meta:
        verbose_name = _("session chosen")
        verbose_name_plural = _("sessions chosen")
        constraints = [
            models.UniqueConstraint(fields=["registration", "slot"], name="casi_registration_one_session_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.session_id}"
