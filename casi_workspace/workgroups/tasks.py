"""Working groups' emails: new items, digests, requests and invitations, sent by the task worker."""

from __future__ import annotations

from html import unescape as html_unescape
from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.text import Truncator
from django_tasks import task
from wagtail.models import Page

from casi_workspace.conf import host_setting
from casi_workspace.core.emails import email_send
from casi_workspace.core.links import absolute_url
from casi_workspace.core.permissions import coordinators_group
from casi_workspace.workgroups.models import (
    MinutesPage,
    SharedDocumentPage,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupNotifications,
    WorkingGroupPage,
)
from casi_workspace.workgroups.selectors import coordinators_of, group_item_recipients


def _person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _addressable(user) -> bool:
    """An account that can receive an email: active, with an address."""
    return user is not None and user.is_active and bool(user.email)


def _plain_text(html: str, words: int = 60) -> str:
    """A rich text field as a short plain text, for both parts of an email."""
    return Truncator(html_unescape(strip_tags(html or ""))).words(words).strip()


def _group_context(group: WorkingGroupPage) -> dict[str, Any]:
    return {
        "group": group,
        "group_url": group.get_full_url() or "",
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
    }


def _group_item(page: Page) -> dict[str, Any]:
    """One document or minutes as the emails name it: title, kind, author, date and address."""
    is_minutes = isinstance(page, MinutesPage)
    author = getattr(page, "uploaded_by", None) or page.owner
    item: dict[str, Any] = {
        "page": page,
        "title": page.title,
        "is_minutes": is_minutes,
        "author_name": _person_name(author),
        "published_at": page.first_published_at,
        "url": page.get_full_url() or "",
    }
    if is_minutes:
        item["meeting_date"] = page.meeting_date
    else:
        document = page.document
        item["description"] = page.description.strip()
        item["file_type"] = document.file_extension.upper() if document else ""
        item["file_size"] = document.get_file_size() if document else None
    return item


def _group_membership(membership_id: int, status: str) -> WorkingGroupMembership | None:
    """The membership, if it still exists with this status (it may have been decided while the email waited)."""
    return (
        WorkingGroupMembership.objects.select_related("working_group", "user", "invited_by")
        .filter(pk=membership_id, status=status)
        .first()
    )


@task()
def group_item_email_send(*, page_id: int) -> None:
    """A new document or minutes in a working group, to the members who want an email for each.

    Nothing is sent if the item was deleted or unpublished while the emails waited in the queue.
    """
    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if not isinstance(page, SharedDocumentPage | MinutesPage) or not page.live:
        return
    group = page.working_group()
    if group is None:
        return
    context = _group_context(group) | {"item": _group_item(page)}
    for membership in group_item_recipients(page):
        if _addressable(membership.user):
            email_send(
                "group_item", context | {"recipient_name": _person_name(membership.user)}, to=membership.user.email
            )


@task()
def group_digest_email_send(*, membership_id: int, page_ids: list[int]) -> None:
    """One member's daily digest of a group's new documents and minutes (those still online, in their order)."""
    membership = _group_membership(membership_id, WorkingGroupMembershipStatus.ACTIVE)
    if membership is None or membership.notifications != WorkingGroupNotifications.DIGEST:
        return
    if not _addressable(membership.user):
        return
    group = membership.working_group
    pages = {page.pk: page for page in Page.objects.descendant_of(group).live().filter(pk__in=page_ids).specific()}
    items = [
        _group_item(pages[pk])
        for pk in page_ids
        if pk in pages and isinstance(pages[pk], SharedDocumentPage | MinutesPage)
    ]
    if not items:
        return
    context = _group_context(group) | {"items": items, "recipient_name": _person_name(membership.user)}
    email_send("group_digest", context, to=membership.user.email)


@task()
def group_request_email_send(*, membership_id: int) -> None:
    """A request to join, to the group's coordinators; not sent once the request is decided or withdrawn."""
    membership = _group_membership(membership_id, WorkingGroupMembershipStatus.REQUESTED)
    if membership is None:
        return
    group = membership.working_group
    context = _group_context(group) | {
        "requester_name": _person_name(membership.user),
        "message": membership.message.strip(),
        "members_url": absolute_url(reverse("casi_workspace:group_members", kwargs={"group_id": group.pk})),
    }
    recipients = [coordinator.user for coordinator in coordinators_of(group)]
    if not recipients:
        # A group nobody coordinates yet: the network's coordinators, who may decide for any group, are told.
        network = coordinators_group()
        recipients = list(network.user_set.filter(is_active=True).order_by("pk")) if network else []
    for user in recipients:
        if _addressable(user):
            email_send("group_request", context | {"recipient_name": _person_name(user)}, to=user.email)


@task()
def group_request_approved_email_send(*, membership_id: int) -> None:
    """The request to join was approved: to the new member, with the group's address."""
    membership = _group_membership(membership_id, WorkingGroupMembershipStatus.ACTIVE)
    if membership is None or not _addressable(membership.user):
        return
    context = _group_context(membership.working_group) | {"recipient_name": _person_name(membership.user)}
    email_send("group_request_approved", context, to=membership.user.email)


@task()
def group_invitation_email_send(*, membership_id: int) -> None:
    """An invitation to join a group, to the invited person; not sent once accepted, declined or withdrawn."""
    membership = _group_membership(membership_id, WorkingGroupMembershipStatus.INVITED)
    if membership is None or not _addressable(membership.user):
        return
    group = membership.working_group
    context = _group_context(group) | {
        "recipient_name": _person_name(membership.user),
        "inviter_name": _person_name(membership.invited_by),
        "purpose": _plain_text(group.purpose),
        # Back to the group's page once signed in: a secret group's page answers visitors with a 404.
        "login_url": absolute_url(f"{reverse('wagtailcore_login')}?{urlencode({'next': group.url or '/'})}"),
    }
    email_send("group_invitation", context, to=membership.user.email)
