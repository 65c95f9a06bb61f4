"""The public archive: sent issues on the newsletter page, each at its own address with its items still public;
drafts and issues being sent stay private; the pages cost the same queries at 2 and 60 issues."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casi_workspace.models import NewsletterIssue, NewsletterIssueItem, NewsletterIssueStatus
from tests.publications.helpers import publication_create

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

PAGE = "/lettre/"
ARCHIVE_QUERIES = 12  # measured; the same whatever the number of issues
ISSUE_QUERIES = 14  # measured; the same whatever the number of items


def _sent(title: str, *pages) -> NewsletterIssue:
    issue = NewsletterIssue.objects.create(title=title, status=NewsletterIssueStatus.SENT, sent_at=timezone.now())
    for number, page in enumerate(pages):
        NewsletterIssueItem.objects.create(issue=issue, page=page, section=page.kind, sort_order=number)
    return issue


def test_sent_issues_are_listed_and_read_on_the_site(client):
    news = publication_create("news", "brest-sahel-solidarite", title="Retour du Sénégal")
    gone = publication_create("news", "brest-sahel-solidarite", title="Article retiré")
    issue = _sent("Lettre de décembre", news, gone)
    gone.unpublish()
    draft = NewsletterIssue.objects.create(title="Brouillon secret")
    sending = NewsletterIssue.objects.create(title="En cours d’envoi", status=NewsletterIssueStatus.SENDING)

    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Numéros précédents" in html and f'href="/lettre/{issue.pk}/"' in html
    assert "Lettre de novembre" in html and "Lettre d’octobre" in html  # the demo's past issues
    assert "Brouillon secret" not in html and "En cours d’envoi" not in html

    response = client.get(f"/lettre/{issue.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Lettre de décembre" in html and "Retour du Sénégal" in html and news.url in html
    assert "Article retiré" not in html
    for hidden in (draft, sending):
        assert client.get(f"/lettre/{hidden.pk}/").status_code == 404


@pytest.mark.parametrize("address", ["/lettre/987654/", "/lettre/99999999999999999999999/", "/lettre/abc/"])
def test_a_bad_issue_address_is_a_404(client, address):
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("page_number", ["2", "9999", "-1", "abc", "1" * 40])
def test_any_archive_page_number_answers(client, page_number):
    for number in range(30):
        _sent(f"Lettre n° {number}")
    assert client.get(PAGE, {"page": page_number}).status_code == 200


def test_the_archive_costs_the_same_queries_at_few_and_many_issues(client, django_assert_max_num_queries):
    news = publication_create("news", "brest-sahel-solidarite")
    issue = _sent("Lettre de décembre", news)
    with django_assert_max_num_queries(ARCHIVE_QUERIES):
        assert client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(ISSUE_QUERIES):
        assert client.get(f"/lettre/{issue.pk}/").status_code == 200

    pages = [publication_create("news", "brest-sahel-solidarite") for _ in range(40)]
    for number in range(60):
        _sent(f"Lettre n° {number}", *pages)
    with django_assert_max_num_queries(ARCHIVE_QUERIES):
        assert client.get(PAGE).status_code == 200
    big = _sent("Grande lettre", *pages)
    with django_assert_max_num_queries(ISSUE_QUERIES):
        assert client.get(f"/lettre/{big.pk}/").status_code == 200
