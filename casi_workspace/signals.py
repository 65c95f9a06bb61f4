"""Signal receivers: keep what provisioning created in step with the organisation pages."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from wagtail.signals import page_published

from .models import OrganisationPage
from .services.provisioning import organisation_archive, organisation_provision


def organisation_published(sender, instance: OrganisationPage, **kwargs) -> None:
    """A publication may rename the organisation or change its trust or collective: re-sync its rights."""
    organisation_provision(organisation=instance)


def organisation_deleted(sender, instance: OrganisationPage, **kwargs) -> None:
    organisation_archive(organisation=instance)


def connect() -> None:
    page_published.connect(organisation_published, sender=OrganisationPage, dispatch_uid="casi_organisation_published")
    pre_delete.connect(organisation_deleted, sender=OrganisationPage, dispatch_uid="casi_organisation_deleted")
