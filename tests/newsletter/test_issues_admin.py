"""Composing an issue in the admin: the coordinators fill it from the period and preview it; nobody else can."""

from __future__ import annotations

import pytest

from casi_workspace.models import NewsletterIssue, NewsletterIssueStatus
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

ISSUES = "/admin/lettre/numeros/"
PREVIEW_QUERIES = 10  # measured (the last one: the partner items picked); the same whatever the number of items


def _fill(pk) -> str:
    return f"/admin/casi_workspace/lettre/numeros/{pk}/remplir/"


def _preview(pk) -> str:
    return f"/admin/casi_workspace/lettre/numeros/{pk}/apercu/"


def test_a_coordinator_fills_then_previews_an_issue(login):
    news = publication_create("news", "brest-sahel-solidarite", title="Retour du Sénégal", summary="Trois semaines.")
    issue = NewsletterIssue.objects.create(title="Lettre de décembre", intro="<p>Bonne lecture !</p>")
    client = login("coordination")
    assert client.get(ISSUES).status_code == 200
    edit = client.get(f"{ISSUES}edit/{issue.pk}/")
    assert edit.status_code == 200
    assert _fill(issue.pk) in edit.content.decode() and _preview(issue.pk) in edit.content.decode()

    response = client.post(_fill(issue.pk))
    assert response.status_code == 302
    assert issue.items.filter(page=news).exists()

    preview = client.get(_preview(issue.pk))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Lettre de décembre" in html and "Bonne lecture !" in html
    assert "Retour du Sénégal" in html and news.full_url in html and "Trois semaines." in html
    assert client.get(_fill(issue.pk)).status_code == 405  # filling is a POST


def test_a_sent_issue_is_not_filled_again(login):
    issue = NewsletterIssue.objects.create(title="Lettre envoyée", status=NewsletterIssueStatus.SENT)
    response = login("coordination").post(_fill(issue.pk), follow=True)
    assert response.status_code == 200
    assert not issue.items.exists()


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_other_accounts_cannot_compose(login, username):
    issue = NewsletterIssue.objects.create(title="Lettre de décembre")
    publication_create("news", "brest-sahel-solidarite")
    client = login(username)
    for address in (ISSUES, f"{ISSUES}edit/{issue.pk}/", _preview(issue.pk)):
        assert client.get(address).status_code in (302, 403), address
    assert client.post(_fill(issue.pk)).status_code in (302, 403)
    assert not issue.items.exists()
    assert login("coordination").get(_preview("9" * 30)).status_code == 404


def test_the_preview_costs_the_same_queries_at_a_few_and_many_items(login, django_assert_max_num_queries):
    client = login("coordination")
    issue = NewsletterIssue.objects.create(title="Lettre de décembre")
    for kind in ("news", "event", "call"):
        publication_create(kind, "brest-sahel-solidarite")
    client.post(_fill(issue.pk))
    client.get(_preview(issue.pk))
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        assert client.get(_preview(issue.pk)).status_code == 200
    for number in range(40):
        publication_create(("news", "offer", "training", "resource")[number % 4], "brest-sahel-solidarite")
    client.post(_fill(issue.pk))
    assert issue.items.count() >= 43
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        assert client.get(_preview(issue.pk)).status_code == 200
