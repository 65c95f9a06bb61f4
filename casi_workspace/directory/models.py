"""Possible duplicates: pairs of organisations an import found close, waiting for a coordinator's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PossibleDuplicateStatus(models.TextChoices):
    OPEN = "open", _("To decide")
    KEPT_APART = "kept_apart", _("Kept apart")
    MERGED = "merged", _("Merged")


class PossibleDuplicate(models.Model):
    """Two organisations with close names in one commune but different identifiers.

    The pair is stored once whatever the order it was found in: `organisation_a` has the lower id. A pair
    kept apart stays, so that no later import proposes it again; a merged one keeps the merged organisation's
    name once its page is gone (the organisations are SET_NULL for that reason).
    """

    organisation_a = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_b = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("other organisation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PossibleDuplicateStatus.choices,
        default=PossibleDuplicateStatus.OPEN,
        db_index=True,
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("found by the import of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    found_line = models.PositiveIntegerField(_("line of the imported file"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_title = models.CharField(_("merged organisation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_a", "organisation_b"], name="casi_possible_duplicate_unique_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(organisation_a__lt=models.F("organisation_b")),
                name="casi_possible_duplicate_ordered_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_a} / {self.organisation_b} ({self.get_status_display()})"

    @property
    def organisations(self) -> tuple:
        return (self.organisation_a, self.organisation_b)


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Columns to check")
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("File refused")


FINISHED_STATUSES = (ImportStatus.DONE, ImportStatus.CANCELLED, ImportStatus.FAILED)


class OrganisationImport(models.Model):
    """A coordinator's import of a directory file, run in the background row by row.

    The file is kept in the database, not on a disk: the worker that runs the import may be on another
    machine. Each batch of rows is imported in one transaction with its report lines and the progress counters,
    so that a worker stopped at any moment resumes at the first row not done, creating nothing twice.

    A DRAFT keeps the uploaded file between the steps of the mapping screen (never in the session: the file
    may weigh megabytes, and the worker needs it anyway); queueing it turns it into the import itself.
    """

    directory = models.ForeignKey(
        "casi_workspace.DirectoryPage", verbose_name=_("directory"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=255)
    data = models.BinaryField(_("file content"))
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.PositiveIntegerField(_("rows in error"), default=0)
    file_error = models.TextField(_("file error"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    mapping = models.JSONField(
        _("column and value mapping"),
        default=dict,
        blank=True,
        help_text=_("How the file's columns and values are read: the mapping step's choices, or a profile's."),
    )
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisations import")
        verbose_name_plural = _("organisations imports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.finished else 0)


class ImportLineOutcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class OrganisationImportLine(models.Model):
    """What one line of an import did: an organisation created or updated, an error, or a warning."""

    job = models.ForeignKey(OrganisationImport, on_delete=models.CASCADE, related_name="lines")
    line = models.PositiveIntegerField(_("line"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=ImportLineOutcome.choices)
    column = models.CharField(_("column"), max_length=64, blank=True)
    message = models.TextField(_("message"), blank=True)
    title = models.CharField(_("organisation"), max_length=255, blank=True)
    organisation_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("import line")
        verbose_name_plural = _("import lines")
        indexes = [models.Index(fields=["job", "outcome", "line"], name="casi_import_line_outcome")]

    def __str__(self) -> str:
        return f"{self.line}: {self.get_outcome_display()}"


class ImportProfile(models.Model):
    """A named way of reading other networks' files, saved from the mapping step and chosen for the next file.

    `columns` maps a file's header, as written, to one of the export's columns, or to "" to ignore it;
    `values` maps, per export column, a value of the file to the code the directory uses (a sector's slug, a
    zone's code, a goal's number, a country's code, an actor type's or a membership status's code). Both are
    lists of pairs ([[header, column], …] and {column: [[value, code], …]}) rather than objects: PostgreSQL's
    jsonb does not keep an object's key order, and the export writes the profile's headers, and for each code
    its first value, in the profile's order. Headers
    and values are compared accents and case ignored. The directory's export with a profile writes these
    headers and values back, so that a file exported with a profile re-imports with it unchanged.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    values = models.JSONField(_("values"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
