"""Who hears about new documents and minutes of a working group, and when.

A member chooses per group: an email for each new item (the default), a daily digest, or nothing. The
person who added the item is not told about it. Emails leave through tasks once the transaction commits.
The digest (`manage.py casi_group_digest`, daily) records per membership when it was sent, so a run that
stops half-way is resumed by running it again, and nobody gets the same day's digest twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.workgroups.models import (
    MinutesPage,
    SharedDocumentPage,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupNotifications,
    WorkingGroupPage,
)
from casi_workspace.workgroups.tasks import group_digest_email_send, group_item_email_send

DIGEST_PERIOD = datetime.timedelta(days=1)
# A digest sent less than this long ago is not sent again (a re-run on the same day sends nothing).
DIGEST_MIN_INTERVAL = datetime.timedelta(hours=20)


def group_item_published(*, page: Page) -> None:
    """On the first publication of a document or minutes, queue the emails of the members who want each one."""
    if not isinstance(page, SharedDocumentPage | MinutesPage):
        return
    if page.first_published_at is None or page.first_published_at != page.last_published_at:
        return
    enqueue_on_commit(group_item_email_send, page_id=page.pk)


def group_items_since(group: WorkingGroupPage, since: datetime.datetime, *, exclude_author_id: int | None):
    """Documents and minutes first published in the group after `since`, oldest first."""
    items = []
    for model in (SharedDocumentPage, MinutesPage):
        queryset = model.objects.descendant_of(group).live().filter(first_published_at__gt=since)
        if exclude_author_id is not None:
            # The author as group_item_recipients sees them: a document's uploader, else the page's owner.
            if model is SharedDocumentPage:
                queryset = queryset.exclude(
                    Q(uploaded_by_id=exclude_author_id) | Q(uploaded_by__isnull=True, owner_id=exclude_author_id)
                )
            else:
                queryset = queryset.exclude(owner_id=exclude_author_id)
        items += list(queryset.order_by("first_published_at")[:200])
    return sorted(items, key=lambda item: item.first_published_at)


def group_digests_send(
    *, now: datetime.datetime | None = None, report: Callable[[int, int], None] | None = None
) -> int:
    """Send each digest member the items of the last day in each of their groups; returns the emails sent."""
    now = now or timezone.now()
    due = (
        WorkingGroupMembership.objects.filter(
            status=WorkingGroupMembershipStatus.ACTIVE,
            notifications=WorkingGroupNotifications.DIGEST,
            user__is_active=True,
        )
        .exclude(digest_sent_at__gt=now - DIGEST_MIN_INTERVAL)
        .exclude(user__email="")
        .select_related("working_group", "user")
        .order_by("pk")
    )
    total = due.count()
    sent = 0
    for number, membership in enumerate(due.iterator(chunk_size=200), start=1):
        since = max(filter(None, [membership.digest_sent_at, now - DIGEST_PERIOD]))
        items = group_items_since(membership.working_group, since, exclude_author_id=membership.user_id)
        if items:
            group_digest_email_send.call(membership_id=membership.pk, page_ids=[item.pk for item in items])
            sent += 1
        WorkingGroupMembership.objects.filter(pk=membership.pk).update(digest_sent_at=now)
        if report:
            report(number, total)
    return sent
