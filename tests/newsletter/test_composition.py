"""Composing an issue: "fill from the period" takes only live, public, moderated publications of the period
(events to come, calls still open), never twice; an item unpublished after composition is left out."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casi_workspace.models import NewsletterIssue, NewsletterIssueStatus, NewsletterSubscriber, NewsPage
from casi_workspace.newsletter.selectors import issue_progress, issue_sections
from casi_workspace.newsletter.services.issues import issue_fill_from_period, issue_period_start
from casi_workspace.newsletter.services.subscriptions import NewsletterError
from casi_workspace.publications.selectors.listings import publications_public
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

TRUSTED = "brest-sahel-solidarite"


def _page_ids(issue: NewsletterIssue) -> set[int]:
    return set(issue.items.values_list("page_id", flat=True))


def test_filling_takes_only_what_a_visitor_may_see_from_the_period():
    now = timezone.now()
    news = publication_create("news", TRUSTED)
    event = publication_create("event", TRUSTED)
    call = publication_create("call", TRUSTED)
    draft = publication_create("news", TRUSTED, live=False)
    past_event = publication_create("event", TRUSTED, start=now - datetime.timedelta(days=2))
    closed_call = publication_create("call", TRUSTED, deadline=timezone.localdate() - datetime.timedelta(days=1))
    old_news = publication_create("news", TRUSTED, first_published_at=now - datetime.timedelta(days=90))
    expired = publication_create("news", TRUSTED, expire_at=now - datetime.timedelta(hours=1))
    private = publication_create("news", TRUSTED)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    project = publication_create("project", TRUSTED)

    issue = NewsletterIssue.objects.create(title="Lettre de décembre")
    added = issue_fill_from_period(issue)
    taken = _page_ids(issue)
    assert {news.pk, event.pk, call.pk} <= taken
    assert not taken & {draft.pk, past_event.pk, closed_call.pk, old_news.pk, expired.pk, private.pk, project.pk}
    assert added == len(taken)
    # Everything taken is what the public listings show, from the period.
    since = issue_period_start(issue)
    public = set(publications_public().filter(pk__in=taken).values_list("pk", flat=True))
    assert public == taken
    assert all(item.page.first_published_at > since for item in issue.items.select_related("page"))
    # Items by section in the newsletter's order: news first.
    sections = [section for section in issue.items.order_by("sort_order").values_list("section", flat=True)]
    assert sections == sorted(sections, key=["news", "event", "call", "offer", "training", "resource"].index)

    assert issue_fill_from_period(issue) == 0  # filling again adds nothing
    assert issue.items.count() == added


def test_the_period_starts_at_the_previous_issue_sent():
    sent_at = timezone.now() - datetime.timedelta(days=3)
    NewsletterIssue.objects.create(title="Lettre de novembre", status=NewsletterIssueStatus.SENT, sent_at=sent_at)
    before = publication_create("news", TRUSTED, first_published_at=sent_at - datetime.timedelta(hours=1))
    after = publication_create("news", TRUSTED)
    issue = NewsletterIssue.objects.create(title="Lettre de décembre")
    issue_fill_from_period(issue)
    assert issue_period_start(issue) == sent_at
    assert after.pk in _page_ids(issue)
    assert before.pk not in _page_ids(issue)


def test_an_item_unpublished_after_composition_is_left_out():
    kept = publication_create("news", TRUSTED)
    withdrawn = publication_create("news", TRUSTED)
    issue = NewsletterIssue.objects.create(title="Lettre de décembre")
    issue_fill_from_period(issue)
    NewsPage.objects.get(pk=withdrawn.pk).unpublish()
    shown = {item.page_id for section in issue_sections(issue) for item in section.items}
    assert kept.pk in shown
    assert withdrawn.pk not in shown


def test_only_a_draft_is_filled():
    issue = NewsletterIssue.objects.create(title="Lettre envoyée", status=NewsletterIssueStatus.SENT)
    with pytest.raises(NewsletterError):
        issue_fill_from_period(issue)
    assert not issue.items.exists()


def test_the_demo_has_two_past_issues_of_their_periods():
    past = list(NewsletterIssue.objects.filter(status=NewsletterIssueStatus.SENT).order_by("sent_at"))
    assert [issue.title for issue in past] == ["Lettre d’octobre", "Lettre de novembre"]
    for issue in past:
        assert 0 < issue.items.count() <= 12
        for item in issue.items.select_related("page"):
            assert issue.period_start < item.page.first_published_at <= issue.sent_at
        # Its record of who received it: the addresses confirmed by then, a few refused by their server.
        progress = issue_progress(issue)
        confirmed = NewsletterSubscriber.objects.filter(confirmed_at__lte=issue.sent_at).count()
        assert progress.total == confirmed > 0 and progress.remaining == 0
        assert 0 < progress.failed < progress.sent
    # A new issue's period starts where the last one ended.
    assert issue_period_start(NewsletterIssue(title="Lettre de décembre")) == past[-1].sent_at
