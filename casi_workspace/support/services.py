"""Support requests: the public form's submission, and what the requester adds through their link.

Every step lands in the request's timeline (`SupportEvent`). Files are checked against the upload policy by
the forms before anything is stored, and written inside `files_atomic`: a request is stored with all its
files or not at all. The acknowledgement leaves through the task worker once the transaction has committed.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.core.ratelimit import client_address_hash, rate_limit_exceeded
from casi_workspace.core.stored_files import files_atomic
from casi_workspace.publications.models.publications import PublicationPage
from casi_workspace.support.models import (
    SUBMITTED_FIELDS,
    SatisfactionScore,
    SupportAttachment,
    SupportEvent,
    SupportEventKind,
    SupportPriority,
    SupportRecord,
    SupportRequest,
    SupportStatus,
)
from casi_workspace.support.selectors import (
    collective_in_charge,
    support_assignable_users,
    support_collectives,
    support_reminder_recipients,
    support_reminders_due,
    support_suggestable_pages,
)
from casi_workspace.support.tasks import (
    support_appointment_email_send,
    support_message_email_send,
    support_received_email_send,
    support_reminder_email_send,
    support_satisfaction_email_send,
)
from casi_workspace.workspaces.models import OrganisationWorkspace

RATE_LIMIT_SCOPE = "support"
SUGGESTIONS_MAX = 8


class SupportError(CasiError):
    """A support request the plugin refuses; the message is meant for the requester."""


class SupportRateLimited(SupportError):
    """Too many requests from one client address within the hour."""


def _attachments_add(
    support_request: SupportRequest, uploads: Iterable[UploadedFile], *, from_requester: bool = True
) -> list[SupportAttachment]:
    added = []
    for upload in uploads:
        attachment = SupportAttachment(
            request=support_request,
            name=os.path.basename(upload.name or ""),
            size=upload.size or 0,
            from_requester=from_requester,
        )
        attachment.file.save(attachment.name, upload, save=False)
        attachment.save()
        SupportEvent.objects.create(
            request=support_request, kind=SupportEventKind.ATTACHMENT, text=attachment.name, attachment=attachment
        )
        added.append(attachment)
    return added


@files_atomic()
def support_request_create(
    *, data: Mapping[str, Any], uploads: Iterable[UploadedFile] = (), ip_hash: str = "", notify: bool = False
) -> SupportRequest:
    """Store a request, its files and the first steps of its timeline, and find who is in charge of it.

    A request from an organisation of the directory takes its département and actor type from it (they are
    what the figures count, and they stay right if the organisation later moves). Without the requester's
    consent nothing is stored (ValidationError).
    """
    if not data.get("consent"):
        raise ValidationError({"consent": _("The requester must agree to the processing of these data.")})
    fields = {name: data[name] for name in SUBMITTED_FIELDS if name in data}
    organisation = fields.get("organisation")
    if organisation is not None:
        fields.update(
            structure_name="",
            structure_commune=organisation.commune,
            department=organisation.department,
            actor_type=organisation.actor_type,
        )
    support_request = SupportRequest(**fields, consent_at=timezone.now(), ip_hash=ip_hash)
    support_request.responsible_collective = collective_in_charge(support_request.department)
    support_request.full_clean()
    support_request.save()
    support_request.sectors.set(data.get("sectors") or [])
    support_request.sdgs.set(data.get("sdgs") or [])
    SupportEvent.objects.create(request=support_request, kind=SupportEventKind.CREATED)
    _attachments_add(support_request, uploads)
    support_record_sync(support_request)
    if notify:
        enqueue_on_commit(support_received_email_send, request_id=support_request.pk)
    return support_request


def support_request_submit(*, data: Mapping[str, Any], uploads: Iterable[UploadedFile] = (), ip: str) -> SupportRequest:
    """A request from the public form: rate-limited per client address (CASI_WORKSPACE_SUPPORT_RATE_LIMIT), then
    stored and acknowledged by email. Only a hash of the address is kept."""
    if rate_limit_exceeded(RATE_LIMIT_SCOPE, ip, get_setting("SUPPORT_RATE_LIMIT")):
        raise SupportRateLimited(
            _("Too many requests have been sent from your connection. Please try again in an hour.")
        )
    return support_request_create(
        data=data, uploads=uploads, ip_hash=client_address_hash(RATE_LIMIT_SCOPE, ip), notify=True
    )


@files_atomic()
def support_requester_reply(
    *, support_request: SupportRequest, text: str = "", uploads: Iterable[UploadedFile] = ()
) -> None:
    """The requester's message and documents, sent through their link, added to the timeline."""
    uploads = list(uploads)
    if not text.strip() and not uploads:
        raise SupportError(_("Write a message or choose a document."))
    if text.strip():
        SupportEvent.objects.create(request=support_request, kind=SupportEventKind.REQUESTER_MESSAGE, text=text.strip())
    _attachments_add(support_request, uploads)


@transaction.atomic
def support_requester_reopen(*, support_request: SupportRequest) -> SupportEvent:
    """The requester reopens their closed request from their link: back in progress."""
    locked = _locked(support_request)
    if locked.status != SupportStatus.CLOSED:
        raise SupportError(_("This request is not closed."))
    locked.status, locked.closing_reason, locked.closed_at = SupportStatus.IN_PROGRESS, "", None
    locked.save(update_fields=["status", "closing_reason", "closed_at"])
    _refresh(support_request, locked)
    event = SupportEvent.objects.create(request=locked, kind=SupportEventKind.REOPENED)
    support_record_sync(locked)
    return event


# The desk's steps. Each one locks the request's row, so that two coordinators acting at once both land in the
# timeline and the last one decides the status.


def _locked(support_request: SupportRequest) -> SupportRequest:
    return SupportRequest.objects.select_for_update().get(pk=support_request.pk)


@transaction.atomic
def support_status_change(
    *,
    support_request: SupportRequest,
    author: AbstractBaseUser,
    status: str,
    priority: int,
    closing_reason: str = "",
    minutes: int = 0,
) -> SupportEvent | None:
    """Set the request's status and priority; a STATUS step tells what changed.

    Closing needs a reason and dates the closing; any other status clears both. When nothing changes, the time
    spent is still counted, in an internal NOTE step; None: nothing changed and no time was given.
    """
    status, priority, closing_reason = SupportStatus(status), SupportPriority(priority), closing_reason.strip()
    if status == SupportStatus.CLOSED and not closing_reason:
        raise SupportError(_("Give the reason for closing the request."))
    locked = _locked(support_request)
    if status != SupportStatus.CLOSED:
        closing_reason = ""
    changes = []
    if locked.status != status or (status == SupportStatus.CLOSED and locked.closing_reason != closing_reason):
        changes.append(_("Status: %(status)s.") % {"status": status.label})
        if status == SupportStatus.CLOSED:
            changes.append(_("Reason: %(reason)s") % {"reason": closing_reason})
    if locked.priority != priority:
        changes.append(_("Priority: %(priority)s.") % {"priority": priority.label})
    if not changes:
        if not minutes:
            return None
        text = _("Time spent; the status and the priority are unchanged.")
        event = SupportEvent.objects.create(
            request=locked, kind=SupportEventKind.NOTE, author=author, text=text, minutes=minutes
        )
        support_record_sync(locked)
        return event
    if status == SupportStatus.CLOSED and locked.status != SupportStatus.CLOSED:
        locked.closed_at = timezone.now()
        enqueue_on_commit(support_satisfaction_email_send, request_id=locked.pk)
    elif status != SupportStatus.CLOSED:
        locked.closed_at = None
    locked.status, locked.priority, locked.closing_reason = status, priority, closing_reason
    locked.save(update_fields=["status", "priority", "closing_reason", "closed_at"])
    _refresh(support_request, locked)
    event = SupportEvent.objects.create(
        request=locked, kind=SupportEventKind.STATUS, author=author, text="\n".join(changes), minutes=minutes
    )
    support_record_sync(locked)
    return event


@transaction.atomic
def support_assign(
    *, support_request: SupportRequest, author: AbstractBaseUser, coordinator: AbstractBaseUser
) -> SupportEvent:
    """Put a coordinator in charge (one of `support_assignable_users`); a new request becomes assigned."""
    locked = _locked(support_request)
    if not support_assignable_users(locked).filter(pk=coordinator.pk).exists():
        raise SupportError(_("This person may not be put in charge of this request."))
    locked.coordinator = coordinator
    if locked.status == SupportStatus.NEW:
        locked.status = SupportStatus.ASSIGNED
    locked.save(update_fields=["coordinator", "status"])
    _refresh(support_request, locked)
    support_record_sync(locked)
    name = coordinator.get_full_name() or coordinator.get_username()
    return SupportEvent.objects.create(
        request=locked,
        kind=SupportEventKind.ASSIGNMENT,
        author=author,
        text=_("In charge: %(name)s.") % {"name": name},
    )


@transaction.atomic
def support_note_add(
    *, support_request: SupportRequest, author: AbstractBaseUser, text: str, minutes: int = 0
) -> SupportEvent:
    """An internal note: the desk's memory, never shown on the requester's link."""
    if not text.strip():
        raise SupportError(_("Write the note."))
    event = SupportEvent.objects.create(
        request=support_request, kind=SupportEventKind.NOTE, author=author, text=text.strip(), minutes=minutes
    )
    support_record_sync(support_request)
    return event


@transaction.atomic
def support_message_send(
    *,
    support_request: SupportRequest,
    author: AbstractBaseUser,
    text: str,
    minutes: int = 0,
    suggestions: Iterable[PublicationPage] = (),
) -> SupportEvent:
    """A message to the requester: in the timeline they see, and emailed with their link by the task worker once
    stored. The desk's first message dates the first answer. `suggestions`: pages of the site it points the
    requester to, among `support_suggestable_pages` (at most SUGGESTIONS_MAX)."""
    if not text.strip():
        raise SupportError(_("Write the message."))
    suggested_ids = {page.pk for page in suggestions}
    if len(suggested_ids) > SUGGESTIONS_MAX:
        raise SupportError(
            ngettext("Suggest at most %(count)s page.", "Suggest at most %(count)s pages.", SUGGESTIONS_MAX)
            % {"count": SUGGESTIONS_MAX}
        )
    if len(suggested_ids) != support_suggestable_pages().filter(pk__in=suggested_ids).count():
        raise SupportError(_("Only the site's published resources, trainings and calls for projects may be suggested."))
    locked = _locked(support_request)
    if locked.first_answer_at is None:
        locked.first_answer_at = timezone.now()
        locked.save(update_fields=["first_answer_at"])
        _refresh(support_request, locked)
    event = SupportEvent.objects.create(
        request=locked, kind=SupportEventKind.DESK_MESSAGE, author=author, text=text.strip(), minutes=minutes
    )
    event.suggestions.set(suggested_ids)
    support_record_sync(locked)
    enqueue_on_commit(support_message_email_send, event_id=event.pk)
    return event


@transaction.atomic
def support_appointment_set(
    *,
    support_request: SupportRequest,
    author: AbstractBaseUser,
    starts_at: datetime.datetime,
    duration: int,
    place: str = "",
    video_url: str = "",
    minutes: int = 0,
) -> SupportEvent:
    """An appointment with the requester: a step they see, the status "appointment set", and an email with the
    calendar invitation, sent by the task worker once stored."""
    if not place.strip() and not video_url.strip():
        raise SupportError(_("Give a place or a video link."))
    locked = _locked(support_request)
    locked.status, locked.closing_reason, locked.closed_at = SupportStatus.APPOINTMENT, "", None
    locked.save(update_fields=["status", "closing_reason", "closed_at"])
    _refresh(support_request, locked)
    event = SupportEvent.objects.create(
        request=locked,
        kind=SupportEventKind.APPOINTMENT,
        author=author,
        appointment_at=starts_at,
        appointment_duration=duration,
        appointment_place=place.strip(),
        appointment_url=video_url.strip(),
        minutes=minutes,
    )
    support_record_sync(locked)
    enqueue_on_commit(support_appointment_email_send, event_id=event.pk)
    return event


@transaction.atomic
def support_satisfaction_answer(*, support_request: SupportRequest, score: int, comment: str = "") -> SupportEvent:
    """The requester's answer to the satisfaction question of the request's last closing, from their link.

    Once answered, the question is closed (a second answer is refused); if the request is reopened and closed
    again, the question is asked again and the new answer replaces the stored one (the earlier one stays in the
    timeline as its SATISFACTION step).
    """
    score = SatisfactionScore(score)
    locked = _locked(support_request)
    if not locked.satisfaction_pending:
        raise SupportError(_("This question has already been answered, or the request is not closed."))
    locked.satisfaction_score, locked.satisfaction_comment = score, comment.strip()
    locked.satisfaction_answered_at = timezone.now()
    locked.save(update_fields=["satisfaction_score", "satisfaction_comment", "satisfaction_answered_at"])
    for name in ("satisfaction_score", "satisfaction_comment", "satisfaction_answered_at"):
        setattr(support_request, name, getattr(locked, name))
    text = f"{score.value}/5 — {score.label}"
    if locked.satisfaction_comment:
        text += f"\n{locked.satisfaction_comment}"
    return SupportEvent.objects.create(request=locked, kind=SupportEventKind.SATISFACTION, text=text)


@transaction.atomic
def support_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the desk of the requests left without a first answer past their target: one email per recipient
    listing their late requests, sent by the task worker. Each request is reminded once (`reminded_at`), so a
    second run the same day sends nothing. Returns the number of requests reminded."""
    due = list(support_reminders_due(now).select_for_update(of=("self",)))
    by_user: dict[int, list[int]] = {}
    network: list = []
    collectives: dict = {}
    for support_request in due:
        for user in support_reminder_recipients(support_request, network, collectives):
            by_user.setdefault(user.pk, []).append(support_request.pk)
    SupportRequest.objects.filter(pk__in=[item.pk for item in due]).update(reminded_at=timezone.now())
    for user_id, request_ids in by_user.items():
        enqueue_on_commit(support_reminder_email_send, user_id=user_id, request_ids=request_ids)
    return len(due)


@transaction.atomic
def support_collectives_set(*, handling_ids: Iterable[int]) -> int:
    """Which departmental collectives handle their département's support requests (the others leave them to the
    network). Requests already sent keep who is in charge of them: this decides for new ones only. Returns the
    number of collectives whose choice changed."""
    handling_ids = set(handling_ids)
    changed = 0
    for collective in support_collectives():
        handles = collective.pk in handling_ids
        if collective.workspace.handles_support_requests != handles:
            OrganisationWorkspace.objects.filter(pk=collective.workspace.pk).update(handles_support_requests=handles)
            changed += 1
    return changed


def _refresh(support_request: SupportRequest, locked: SupportRequest) -> None:
    """The caller's object shows the stored values."""
    for name in ("status", "priority", "closing_reason", "closed_at", "coordinator_id", "first_answer_at"):
        setattr(support_request, name, getattr(locked, name))


# The figures and the erasure. The figures count `SupportRecord`s, never the requests: erasing a request leaves
# its record, without a link to it.

RECORDED_FIELDS = (
    "created_at",
    "first_answer_at",
    "closed_at",
    "status",
    "need",
    "stage",
    "department",
    "actor_type",
    "countries",
    "coordinator_id",
    "responsible_collective_id",
)


def support_record_sync(support_request: SupportRequest) -> SupportRecord:
    """Copy what the figures count (and the desk's time, summed over the steps) into the request's record.
    Every service that changes one of those calls it last, inside its transaction."""
    minutes = SupportEvent.objects.filter(request=support_request).aggregate(total=Sum("minutes"))["total"] or 0
    values = {name: getattr(support_request, name) for name in RECORDED_FIELDS}
    record, _created = SupportRecord.objects.update_or_create(
        request=support_request, defaults=values | {"minutes": minutes}
    )
    return record


def support_request_erase(*, support_request: SupportRequest) -> None:
    """Delete the request, its timeline and its files (from the storage too, once the deletion has committed);
    its figures record stays, anonymous, so that the figures do not change."""
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().filter(pk=support_request.pk).first()
        if locked is None:  # erased meanwhile
            return
        record = support_record_sync(locked)
        files = [(file.storage, file.name) for file in (a.file for a in locked.attachments.all()) if file.name]
        record.erased_at = timezone.now()
        record.save(update_fields=["erased_at"])
        locked.delete()
        transaction.on_commit(lambda: _files_delete(files))


def _files_delete(files: list) -> None:
    for storage, name in files:
        storage.delete(name)


def support_requests_erase_expired(
    *, now: datetime.datetime | None = None, report: Callable[[str], None] | None = None
) -> int:
    """Erase the requests closed longer ago than CASI_WORKSPACE_SUPPORT_RETENTION_DAYS (reopening a request
    clears its closing date, so the clock starts again at its next closing). Each request is erased in its own
    transaction: a run stopped halfway loses nothing, and the next one goes on. Returns how many were erased."""
    limit = (now or timezone.now()) - datetime.timedelta(days=get_setting("SUPPORT_RETENTION_DAYS"))
    expired = SupportRequest.objects.filter(status=SupportStatus.CLOSED, closed_at__lt=limit).order_by("pk")
    erased = 0
    for support_request in expired.only("pk").iterator(chunk_size=200):
        support_request_erase(support_request=support_request)
        erased += 1
        if report is not None and erased % 100 == 0:
            report(_("%(count)s requests erased…") % {"count": erased})
    return erased
