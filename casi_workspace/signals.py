"""Signal receivers: keep what provisioning created in step with the organisation pages; moderation emails."""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, TaskState, WorkflowState
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from casi_workspace.campaigns.models import CampaignPage
from casi_workspace.campaigns.services import event_campaigns_before, programme_changed
from casi_workspace.core.page_cache import page_cache_invalidate
from casi_workspace.exchange.models import PartnerItem, PartnerSource
from casi_workspace.newsletter.models import NewsletterIssue
from casi_workspace.organisations.models import OrganisationPage, Sector, SustainableDevelopmentGoal, Zone
from casi_workspace.organisations.signals import organisation_merging
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.publications.services.notifications import (
    moderation_approval_notify,
    moderation_changes_requested_notify,
    moderation_submission_notify,
)
from casi_workspace.workgroups.models import (
    DocumentFolderPage,
    MinutesPage,
    SharedDocumentPage,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from casi_workspace.workgroups.provisioning import working_group_child_restrict, working_group_provision
from casi_workspace.workgroups.services.library import library_page_deleting
from casi_workspace.workgroups.services.notifications import group_item_published
from casi_workspace.workgroups.services.organisations import working_groups_organisation_replace
from casi_workspace.workspaces.provisioning import coordinators_provision, organisation_archive, organisation_provision

# Wagtail's own workflow emails (wagtail.admin.signal_handlers.register_signal_handlers), sent inside the
# request, in the actor's language: (signal, sender, dispatch_uid). Ours replace them
# (publications.services.notifications).
WAGTAIL_WORKFLOW_EMAIL_RECEIVERS = (
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
)


def organisation_published(sender, instance: OrganisationPage, **kwargs) -> None:
    """A publication may rename the organisation or change its trust or collective: re-sync its rights."""
    organisation_provision(organisation=instance)


def organisation_deleted(sender, instance: OrganisationPage, **kwargs) -> None:
    organisation_archive(organisation=instance)


def organisation_merging_received(sender, kept: OrganisationPage, merged: OrganisationPage, **kwargs) -> None:
    """The working groups that named the merged organisation name the kept one."""
    working_groups_organisation_replace(kept=kept, merged=merged)


def task_submitted_received(sender, instance: TaskState, user=None, **kwargs) -> None:
    """A submission or a resubmission reached a moderation step (user is None for a visitor's proposal)."""
    moderation_submission_notify(task_state=instance, user=user)


def workflow_approved_received(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    moderation_approval_notify(workflow_state=instance, user=user)


def workflow_rejected_received(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    """Requesting changes rejects the current task, which sends the workflow back to its editor."""
    moderation_changes_requested_notify(workflow_state=instance, user=user)


def wagtail_workflow_email_silenced(sender, **kwargs) -> None:
    """Holds the place of one of Wagtail's workflow email receivers: see `silence_wagtail_workflow_emails`."""


def silence_wagtail_workflow_emails() -> None:
    """Disconnect Wagtail's workflow emails, whatever the order in which the apps become ready.

    Wagtail connects its notifiers in `wagtail.admin`'s `ready()`, which runs after ours when this app comes
    first in INSTALLED_APPS (as it must, to override templates). A signal keeps one receiver per
    (dispatch_uid, sender): holding each of Wagtail's keys with a receiver that does nothing makes its later
    `connect()` a no-op, and disconnecting first removes the notifier when Wagtail was ready before us.
    """
    for signal, sender, dispatch_uid in WAGTAIL_WORKFLOW_EMAIL_RECEIVERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(wagtail_workflow_email_silenced, sender=sender, dispatch_uid=dispatch_uid)


def working_group_published(sender, instance: WorkingGroupPage, **kwargs) -> None:
    """Visibility and member organisations are page fields: the restrictions follow each publication."""
    working_group_provision(working_group=instance)


def group_content_published(sender, instance, revision=None, **kwargs) -> None:
    """Whatever way a page arrives under a group (the library or the admin), it is private like the group."""
    working_group_child_restrict(page=instance)
    group_item_published(page=instance)


def shared_document_deleting(sender, instance: SharedDocumentPage, **kwargs) -> None:
    """However a shared document goes (the library, the admin, with its folder or group), its files follow it."""
    library_page_deleting(instance)


def campaign_event_published(sender, instance: EventPage, **kwargs) -> None:
    """An event published in, into or out of a campaign: its programmes' PDFs are rebuilt (in the background)."""
    programme_changed(campaign_ids=event_campaigns_before(instance))


def campaign_event_gone(sender, instance: EventPage, **kwargs) -> None:
    """An event unpublished or deleted leaves its campaign's programme."""
    programme_changed(campaign_ids={instance.campaign_id})


def campaign_published(sender, instance: CampaignPage, **kwargs) -> None:
    """The campaign's dates, presentation or partners changed: the printed programme shows them."""
    programme_changed(campaign_ids={instance.pk})


def page_moved(sender, instance, **kwargs) -> None:
    working_group_child_restrict(page=instance)


def migrated(sender, using: str = "default", **kwargs) -> None:
    """After `migrate`, the network coordinators' group, rights and workflow exist on every site's root.

    Once per run, after the last app's own post_migrate work, when every app's permissions exist (the
    coordinators are given some of Wagtail's and the plugin's). Nothing to do before a site exists.
    """
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:  # the apps without models get no post_migrate
        return
    from wagtail.models import Site

    for site in Site.objects.using(using).select_related("root_page"):
        coordinators_provision(site_root=site.root_page)


# What of a partner source the public sees; a fetch saves only its own bookkeeping and leaves the cache alone.
PARTNER_SOURCE_SHOWN_FIELDS = frozenset({"name", "region", "active", "hidden"})


def partner_source_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is None or PARTNER_SOURCE_SHOWN_FIELDS & set(update_fields):
        page_cache_invalidate()


def connect_page_cache() -> None:
    """Whatever changes what the public sees starts a new generation of the anonymous page cache."""
    page_published.connect(page_cache_invalidate, dispatch_uid="casi_page_cache_published")
    page_unpublished.connect(page_cache_invalidate, dispatch_uid="casi_page_cache_unpublished")
    post_page_move.connect(page_cache_invalidate, dispatch_uid="casi_page_cache_moved")
    post_delete.connect(page_cache_invalidate, sender=Page, dispatch_uid="casi_page_cache_page_deleted")
    # A coordinator hiding a partner item or a whole source. A fetch's bulk writes send no signal: the sync
    # service (exchange/services.py source_sync) starts a new generation itself when it changed an item.
    post_save.connect(partner_source_saved, sender=PartnerSource, dispatch_uid="casi_page_cache_partner_source")
    post_delete.connect(page_cache_invalidate, sender=PartnerSource, dispatch_uid="casi_page_cache_partner_gone")
    for model in (
        NewsletterIssue,
        PartnerItem,
        Sector,
        SustainableDevelopmentGoal,
        Zone,
        WorkingGroupMembership,
        PageViewRestriction,
        CollectionViewRestriction,
        get_document_model(),
        get_image_model(),
    ):
        name = model._meta.label_lower
        post_save.connect(page_cache_invalidate, sender=model, dispatch_uid=f"casi_page_cache_{name}_saved")
        post_delete.connect(page_cache_invalidate, sender=model, dispatch_uid=f"casi_page_cache_{name}_deleted")


def connect() -> None:
    connect_page_cache()
    post_migrate.connect(migrated, dispatch_uid="casi_migrated")
    page_published.connect(
        working_group_published, sender=WorkingGroupPage, dispatch_uid="casi_working_group_published"
    )
    for model in (DocumentFolderPage, SharedDocumentPage, MinutesPage):
        page_published.connect(group_content_published, sender=model, dispatch_uid=f"casi_{model.__name__}_published")
    post_page_move.connect(page_moved, dispatch_uid="casi_page_moved")
    page_published.connect(organisation_published, sender=OrganisationPage, dispatch_uid="casi_organisation_published")
    pre_delete.connect(organisation_deleted, sender=OrganisationPage, dispatch_uid="casi_organisation_deleted")
    organisation_merging.connect(organisation_merging_received, dispatch_uid="casi_organisation_merging")
    pre_delete.connect(
        shared_document_deleting, sender=SharedDocumentPage, dispatch_uid="casi_shared_document_deleting"
    )
    page_published.connect(campaign_event_published, sender=EventPage, dispatch_uid="casi_campaign_event_published")
    page_unpublished.connect(campaign_event_gone, sender=EventPage, dispatch_uid="casi_campaign_event_unpublished")
    post_delete.connect(campaign_event_gone, sender=EventPage, dispatch_uid="casi_campaign_event_deleted")
    page_published.connect(campaign_published, sender=CampaignPage, dispatch_uid="casi_campaign_published")
    silence_wagtail_workflow_emails()
    # Any sender: a custom task may have its own TaskState subclass; the service keeps group approval tasks.
    task_submitted.connect(task_submitted_received, dispatch_uid="casi_moderation_task_submitted")
    workflow_approved.connect(
        workflow_approved_received, sender=WorkflowState, dispatch_uid="casi_moderation_workflow_approved"
    )
    workflow_rejected.connect(
        workflow_rejected_received, sender=WorkflowState, dispatch_uid="casi_moderation_workflow_rejected"
    )
