"""What the site keeps about one person, for them to download from the member space (the right of access).

Their account, their place in associations' teams and working groups, the files they shared in groups, and
their newsletter subscription: everything that points to them and that they may see. Plain values only, read in
a fixed number of queries whatever the number of items.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from casi_workspace.members.selectors import newsletter_subscription_of
from casi_workspace.newsletter.services.subscriptions import subscriber_export
from casi_workspace.workgroups.models import SharedDocumentPage, WorkingGroupMembership
from casi_workspace.workspaces.models import OrganisationMembership


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user) -> dict[str, Any]:
    """Everything kept about `user` that they may see, as JSON-ready values."""
    teams = OrganisationMembership.objects.filter(user=user).select_related("organisation").order_by("pk")
    groups = WorkingGroupMembership.objects.filter(user=user).select_related("working_group").order_by("pk")
    uploads = (
        SharedDocumentPage.objects.filter(uploaded_by=user)
        .select_related("document")
        .order_by("first_published_at", "pk")
        .only("pk", "title", "description", "first_published_at", "url_path", "document__title", "document__file")
    )
    subscriber = newsletter_subscription_of(user)
    return {
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "joined_on": _when(user.date_joined),
            "last_sign_in": _when(user.last_login),
        },
        "associations": [
            {"organisation": team.organisation.title, "role": team.role, "since": _when(team.created_at)}
            for team in teams
        ],
        "working_groups": [
            {
                "group": membership.working_group.title,
                "role": membership.role,
                "status": membership.status,
                "notifications": membership.notifications,
                "message": membership.message,
                "since": _when(membership.created_at),
            }
            for membership in groups
        ],
        "shared_files": [
            {
                "title": upload.title,
                "description": upload.description,
                "file": upload.document.file.name.rsplit("/", 1)[-1] if upload.document else None,
                "shared_on": _when(upload.first_published_at),
                "download": reverse("casi_workspace:group_document_download", kwargs={"page_id": upload.pk}),
            }
            for upload in uploads.iterator(chunk_size=500)
        ],
        "newsletter": subscriber_export(subscriber) if subscriber is not None else None,
    }
