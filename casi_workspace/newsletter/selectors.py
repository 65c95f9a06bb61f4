"""What the newsletter screens and the sending read: recipients, progress, sections, the archive's address."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casi_workspace.conf import get_setting
from casi_workspace.core.locks import work_lock_free
from casi_workspace.exchange.models import PartnerItemKind
from casi_workspace.exchange.selectors import partner_items_visible
from casi_workspace.newsletter.models import (
    DeliveryStatus,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterIssuePartnerItem,
    NewsletterIssueStatus,
    NewsletterPage,
    NewsletterSubscriber,
    NewsletterTopic,
    SubscriberStatus,
)
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.publications.selectors.listings import publications_public

TOPIC_OF_SECTION = {
    PublicationKind.NEWS: NewsletterTopic.NEWS,
    PublicationKind.EVENT: NewsletterTopic.AGENDA,
    PublicationKind.CALL: NewsletterTopic.CALLS,
    PublicationKind.OFFER: NewsletterTopic.OFFERS,
    PublicationKind.TRAINING: NewsletterTopic.TRAININGS,
    # Resources have no topic of their own: they come with the news.
    PublicationKind.RESOURCE: NewsletterTopic.NEWS,
}

# The section of what coordinators picked from partner networks, after the network's own, and each partner
# item's topic (by its kind) for subscribers who chose some.
PARTNERS_SECTION = "partners"
TOPIC_OF_PARTNER_KIND = {
    PartnerItemKind.EVENT: NewsletterTopic.AGENDA,
    PartnerItemKind.CALL: NewsletterTopic.CALLS,
    PartnerItemKind.TRAINING: NewsletterTopic.TRAININGS,
    PartnerItemKind.RESOURCE: NewsletterTopic.NEWS,
}

UNFINISHED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


@dataclass(frozen=True)
class Progress:
    total: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    remaining: int = 0

    @property
    def done(self) -> int:
        return self.total - self.remaining

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def issue_recipients() -> QuerySet[NewsletterSubscriber]:
    return NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE)


def issue_progress(issue: NewsletterIssue) -> Progress:
    """Sent / failed / skipped / still to send, in one query."""
    counts = {
        row["status"]: row["count"]
        for row in NewsletterDelivery.objects.filter(issue=issue).values("status").annotate(count=Count("pk"))
    }
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(DeliveryStatus.SENT, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        skipped=counts.get(DeliveryStatus.SKIPPED, 0),
        remaining=sum(counts.get(status, 0) for status in UNFINISHED),
    )


def sending_lock_name(issue_id: int) -> str:
    """Held by the worker for the length of each batch: free while nobody is sending this issue's emails."""
    return f"casi-newsletter-issue-{issue_id}"


def issue_send_stalled(issue: NewsletterIssue, *, now: datetime.datetime | None = None) -> bool:
    """Sending, but stopped: it needs resuming.

    On PostgreSQL, at once when an email is left "being sent" while no worker is in a batch of the issue (its
    worker died). Otherwise, and elsewhere, once no email has been claimed for longer than the lease and the
    throttle's interval (a worker stopped between two emails, or a database that cannot tell).
    """
    if issue.status != NewsletterIssueStatus.SENDING:
        return False
    deliveries = issue.deliveries.all()
    if work_lock_free(sending_lock_name(issue.pk)) and deliveries.filter(status=DeliveryStatus.SENDING).exists():
        return True
    now = now or timezone.now()
    last = deliveries.aggregate(last=Max("claimed_at"))["last"] or issue.send_started_at or now
    quiet = datetime.timedelta(seconds=get_setting("NEWSLETTER_SEND_LEASE") + get_setting("NEWSLETTER_BATCH_INTERVAL"))
    return now - last > quiet


def subscriber_sections(sections: list[Section], subscriber: NewsletterSubscriber) -> list[Section]:
    """The sections of the subscriber's topics, with the items of their départements (none chosen: all).

    An item tied to no département concerns the whole region and goes to everyone.
    """
    topics, departments = set(subscriber.topics), set(subscriber.departments)
    chosen = []
    for section in sections:
        if section.kind == PARTNERS_SECTION:
            # Partner items have no département of ours: each goes to whoever chose its topic (or none).
            items = [
                item
                for item in section.items
                if not topics or TOPIC_OF_PARTNER_KIND.get(item.partner_item.kind) in topics
            ]
            if items:
                chosen.append(section._replace(items=items))
            continue
        if topics and TOPIC_OF_SECTION.get(section.kind) not in topics:
            continue
        items = [item for item in section.items if not departments or item.page.department in departments | {""}]
        if items:
            chosen.append(section._replace(items=items))
    return chosen


def newsletter_page() -> NewsletterPage | None:
    return NewsletterPage.objects.live().order_by("path").first()


def issue_web_url(issue: NewsletterIssue, page: NewsletterPage | None = None) -> str:
    """The issue's address in the public archive ("" when the site has no newsletter page)."""
    page = page or newsletter_page()
    if page is None:
        return ""
    return (page.get_full_url() or "") + page.reverse_subpage("issue", kwargs={"issue_id": issue.pk})


SECTIONS = [
    PublicationKind.NEWS,
    PublicationKind.EVENT,
    PublicationKind.CALL,
    PublicationKind.OFFER,
    PublicationKind.TRAINING,
    PublicationKind.RESOURCE,
]


class Section(NamedTuple):
    kind: str
    label: str
    items: list[NewsletterIssueItem]


def issue_sections(issue: NewsletterIssue) -> list[Section]:
    """The issue's items that are still public, by section in the newsletter's order, then the partner items
    coordinators picked that are still shown (not withdrawn or hidden, nor their source): three queries."""
    public = publications_public().filter(pk__in=issue.items.values("page_id"))
    items = (
        NewsletterIssueItem.objects.filter(issue=issue, page__in=public)
        .select_related("page", "page__organisation")
        .order_by("sort_order", "pk")
    )
    by_section: dict[str, list[NewsletterIssueItem]] = {section: [] for section in SECTIONS}
    for item in items:
        by_section.setdefault(item.section, []).append(item)
    sections = [Section(kind, PublicationKind(kind).label, found) for kind, found in by_section.items() if found]
    picked = list(
        NewsletterIssuePartnerItem.objects.filter(
            issue=issue, partner_item__in=partner_items_visible().filter(kind__in=TOPIC_OF_PARTNER_KIND)
        )
        .select_related("partner_item", "partner_item__source")
        .order_by("sort_order", "pk")
    )
    if picked:
        sections.append(Section(PARTNERS_SECTION, _("From partner networks"), picked))
    return sections
