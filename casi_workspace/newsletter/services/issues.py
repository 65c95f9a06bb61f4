"""Composing a newsletter issue from what the network published: "fill from the period", then what is sent.

The period runs from the previous sent issue (or a month back for the first one) to now. Only live, public,
moderated publications are taken (the public listings' own rule, `publications_public`); among them, events
still to come and calls still open. What an issue shows is checked again when it is read or sent: an item
unpublished after composition is left out.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casi_workspace.newsletter.models import NewsletterIssue, NewsletterIssueItem, NewsletterIssueStatus
from casi_workspace.newsletter.selectors import SECTIONS
from casi_workspace.newsletter.services.subscriptions import NewsletterError
from casi_workspace.publications.models.publications import PublicationPage
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.publications.selectors.listings import publications_public

FIRST_PERIOD = datetime.timedelta(days=31)


def issue_period_start(issue: NewsletterIssue, *, now: datetime.datetime | None = None) -> datetime.datetime:
    previous = (
        NewsletterIssue.objects.filter(status=NewsletterIssueStatus.SENT, sent_at__isnull=False)
        .exclude(pk=issue.pk)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return previous or (now or timezone.now()) - FIRST_PERIOD


def issue_candidates(since: datetime.datetime, *, now: datetime.datetime | None = None) -> QuerySet[PublicationPage]:
    """Public publications first published in the period; events still to come, calls still open."""
    now = now or timezone.now()
    return (
        publications_public()
        .filter(kind__in=SECTIONS, first_published_at__gt=since, first_published_at__lte=now)
        .exclude(Q(kind=PublicationKind.EVENT) & Q(eventpage__start__lt=now))
        .exclude(Q(kind=PublicationKind.CALL) & Q(callforprojectspage__deadline__lt=timezone.localdate(now)))
        .order_by("first_published_at", "pk")
    )


@transaction.atomic
def issue_fill_from_period(issue: NewsletterIssue, *, now: datetime.datetime | None = None) -> int:
    """Add the period's publications the issue does not hold yet, by section; returns how many were added."""
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != NewsletterIssueStatus.DRAFT:
        raise NewsletterError(_("Only a draft issue can be filled."))
    since = issue_period_start(issue, now=now)
    present = set(issue.items.values_list("page_id", flat=True))
    candidates = issue_candidates(since, now=now).values_list("pk", "kind")
    pages = [(pk, kind) for pk, kind in candidates if pk not in present]
    pages.sort(key=lambda page: SECTIONS.index(page[1]))
    start = (issue.items.aggregate(last=Max("sort_order"))["last"] or 0) + 1
    NewsletterIssueItem.objects.bulk_create(
        NewsletterIssueItem(issue=issue, page_id=pk, section=kind, sort_order=start + number)
        for number, (pk, kind) in enumerate(pages)
    )
    issue.period_start = since
    issue.save(update_fields=["period_start"])
    return len(pages)
