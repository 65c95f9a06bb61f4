"""What the provisioning services created for a page: kept beside the page, out of its revisions.

A page's revisions snapshot its fields; a group or collection reference stored on the page would be
rolled back by restoring an old revision. These records are the provisioning's own bookkeeping.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection


class OrganisationWorkspace(models.Model):
    organisation = models.OneToOneField(
        "casi_workspace.OrganisationPage", on_delete=models.CASCADE, related_name="workspace"
    )
    editors_group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organisation_workspace")
    coordinators_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="collective_workspace"
    )
    collection = models.OneToOneField(Collection, on_delete=models.PROTECT, related_name="organisation_workspace")
    workflow = models.OneToOneField(
        "wagtailcore.Workflow",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collective_workspace",
        help_text=_("A collective's moderation workflow, for its members' submissions."),
    )

    class Meta:
        verbose_name = _("organisation workspace")
        verbose_name_plural = _("organisation workspaces")

    def __str__(self) -> str:
        return str(self.organisation)


class WorkingGroupWorkspace(models.Model):
    working_group = models.OneToOneField(
        "casi_workspace.WorkingGroupPage", on_delete=models.CASCADE, related_name="workspace"
    )
    members_group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="working_group_workspace")
    coordinators_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="working_group_coordination"
    )
    collection = models.OneToOneField(
        Collection, null=True, blank=True, on_delete=models.PROTECT, related_name="working_group_workspace"
    )

    class Meta:
        verbose_name = _("working group workspace")
        verbose_name_plural = _("working group workspaces")

    def __str__(self) -> str:
        return str(self.working_group)
