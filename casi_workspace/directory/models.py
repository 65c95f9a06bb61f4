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
