"""Leaks of what is private, draft or waiting for moderation, through the ways around the public listings.

The public listings, feeds, search, API and sitemap are covered by tests/publications/test_leaks.py,
tests/search/test_visibility.py, tests/publications/test_api.py and tests/workgroups/test_security.py. Here: the
admin's previews and chooser of another association's pending item, the newsletter's archive and email once an
item went private, the earlier versions of a secret group's files, the admin's document API, and whether the
working-group addresses tell a secret group from a missing one.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casi_workspace.models import (
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterIssueStatus,
    NewsPage,
    SharedDocumentPage,
    WorkingGroupPage,
)
from tests.permissions.support import body as chooser_body
from tests.permissions.support import page_ids_in_chooser
from tests.publications.helpers import publication_create
from tests.publications.moderation.helpers import pending_task_state
from tests.workgroups.helpers import client_for, pdf_upload, url

from .support import content

pytestmark = pytest.mark.django_db

User = get_user_model()
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
PENDING_TITLE = "Une nouvelle pirogue pour la coopérative de pêcheurs de Mahajanga"  # asso-b's, in moderation


def _pending() -> NewsPage:
    news = NewsPage.objects.get(title=PENDING_TITLE)
    assert not news.live and news.workflow_in_progress
    return news


def _previews(news: NewsPage) -> dict[str, str]:
    task_state = pending_task_state(news)
    return {
        "workflow preview": reverse("wagtailadmin_pages:workflow_preview", args=[news.pk, task_state.task_id]),
        "draft view": reverse("wagtailadmin_pages:view_draft", args=[news.pk]),
        "edit preview": reverse("wagtailadmin_pages:preview_on_edit", args=[news.pk]),
        "history": reverse("wagtailadmin_pages:history", args=[news.pk]),
        "workflow history": reverse("wagtailadmin_pages:workflow_history", args=[news.pk]),
        "revisions": reverse("wagtailadmin_pages:revisions_index", args=[news.pk]),
    }


@pytest.mark.parametrize("username", ["asso-a", "membre-gt"])
def test_another_associations_pending_item_cannot_be_previewed(username):
    news = _pending()
    client = client_for(User.objects.get(username=username))
    previews = _previews(news).items()
    for name, address in previews:
        response = client.get(address, follow=True)
        # Refused outright, or sent back to the dashboard (Wagtail's way) with nothing of the item.
        assert response.status_code in (200, 403, 404), (name, response.status_code)
        if response.status_code == 200:
            assert response.redirect_chain, f"{name} was shown"
            assert response.redirect_chain[-1][0] in ("/admin/", "/admin/login/"), (name, response.redirect_chain)
        assert "pirogue" not in content(response).lower(), name
    # The control: its collective's coordinator, who moderates it, does preview it.
    moderator = client_for(User.objects.get(username="collectif-29"))
    response = moderator.get(_previews(news)["workflow preview"])
    assert response.status_code == 200 and "pirogue" in content(response).lower()


def test_another_associations_pending_item_is_not_in_the_page_chooser():
    news = _pending()
    client = client_for(User.objects.get(username="asso-a"))
    found = page_ids_in_chooser(chooser_body(client.get("/admin/choose-page/search/", {"q": "pirogue"})))
    assert news.pk not in found
    browsed = client.get(f"/admin/choose-page/{news.get_parent().pk}/")
    assert news.pk not in page_ids_in_chooser(chooser_body(browsed))
    assert "pirogue" not in chooser_body(browsed).lower()
    # The control: a coordinator finds it.
    coordinator = client_for(User.objects.get(username="coordination"))
    found = page_ids_in_chooser(chooser_body(coordinator.get("/admin/choose-page/search/", {"q": "pirogue"})))
    assert news.pk in found


@pytest.fixture
def issue_with_an_item_gone_private():
    """A sent issue, and a draft one, each with a public item and one made private after composition."""
    public = publication_create("news", "brest-sahel-solidarite", title="Toujours public")
    private = publication_create("news", "brest-sahel-solidarite", title="Devenu réservé aux membres")
    changed = publication_create("news", "brest-sahel-solidarite", title="Version publiée")
    issues = []
    for status in (NewsletterIssueStatus.SENT, NewsletterIssueStatus.DRAFT):
        issue = NewsletterIssue.objects.create(
            title=f"Lettre {status}", status=status, sent_at=timezone.now() if status == "sent" else None
        )
        for number, page in enumerate((public, private, changed)):
            NewsletterIssueItem.objects.create(issue=issue, page=page, section=page.kind, sort_order=number)
        issues.append(issue)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    changed.title = "Version retouchée en attente"
    changed.save_revision()  # a change nobody published
    return issues


def test_the_newsletter_archive_drops_an_item_gone_private(issue_with_an_item_gone_private):
    sent, _draft = issue_with_an_item_gone_private
    html = content(Client().get(f"/lettre/{sent.pk}/"))
    assert "Toujours public" in html and "Version publiée" in html
    assert "Devenu réservé aux membres" not in html
    assert "Version retouchée en attente" not in html


def test_the_newsletter_email_drops_an_item_gone_private(
    issue_with_an_item_gone_private, login, django_capture_on_commit_callbacks
):
    _sent, draft = issue_with_an_item_gone_private
    with django_capture_on_commit_callbacks(execute=True):
        response = login("coordination").post(
            f"/admin/casi_workspace/lettre/numeros/{draft.pk}/envoi/", {"action": "test"}
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    for part in (message.body, html):
        assert "Toujours public" in part
        assert "Devenu réservé aux membres" not in part
        assert "Version retouchée en attente" not in part


def _sahel_versions() -> tuple[SharedDocumentPage, list]:
    """The secret group's document that was replaced once, and the Wagtail documents of both its versions."""
    group = WorkingGroupPage.objects.get(slug="groupe-pays-sahel")
    for page in SharedDocumentPage.objects.descendant_of(group).select_related("document"):
        ids = {revision.content.get("document") for revision in page.revisions.all()}
        if len(ids) > 1:
            from wagtail.documents import get_document_model

            return page, list(get_document_model().objects.filter(pk__in=ids).order_by("pk"))
    raise AssertionError("the demo's secret group has no replaced document")


@pytest.mark.parametrize("who", ["anonymous", "asso-a", "membre-gt", "coordinator of another group"])
def test_every_version_of_a_secret_groups_file_is_refused_to_non_readers(who):
    page, documents = _sahel_versions()
    assert len(documents) == 2
    if who == "anonymous":
        client = Client()
    elif who == "coordinator of another group":
        # animation-gt reads the secret group: take a coordinator of another group who is not in it.
        from tests.workgroups.helpers import group_make, member_make

        client = client_for(member_make(group_make("members"), "coordinator"))
    else:
        client = client_for(User.objects.get(username=who))
    revisions = list(page.revisions.order_by("pk"))
    addresses = [document.url for document in documents] + [
        f"{url('group_document_download', page_id=page.pk)}?version={revision.pk}" for revision in revisions
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code != 200, (who, address)
        assert response.status_code in (302, 403, 404), (who, address, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/") or response["Location"].startswith(
                "/_util/login/"
            ), response["Location"]
        assert "%PDF" not in content(response) and "PK\x03\x04" not in content(response)
    # The control: a reader downloads both versions.
    reader = client_for(User.objects.get(username="animation-gt"))
    for document in documents:
        assert reader.get(document.url).status_code == 200


def test_the_admin_document_api_and_views_hide_a_secret_groups_files():
    page, documents = _sahel_versions()
    client = client_for(User.objects.get(username="asso-a"))
    listing = client.get("/admin/api/main/documents/", {"search": page.title})
    assert listing.status_code in (200, 400, 403, 404)
    if listing.status_code == 200:
        ids = {item["id"] for item in json.loads(listing.content)["items"]}
        assert not ids & {document.pk for document in documents}
    for document in documents:
        for name in ("edit", "delete", "document_usage"):
            response = client.get(reverse(f"wagtaildocs:{name}", args=[document.pk]))
            assert response.status_code in (302, 403, 404), (name, response.status_code)
            assert document.title not in content(response)
        response = client.get(f"/admin/api/main/documents/{document.pk}/")
        assert response.status_code in (403, 404)


def test_the_group_addresses_answer_the_same_for_a_secret_group_and_a_missing_one():
    """An outsider probing ids learns nothing: a secret group's id answers like one that does not exist."""
    secret = WorkingGroupPage.objects.get(slug="groupe-pays-sahel")
    missing = WorkingGroupPage.objects.order_by("-pk").first().pk + 1000
    client = client_for(User.objects.get(username="asso-a"))

    def answers(group_id: int) -> list[tuple[int, str]]:
        results = []
        for method, name, data in (
            ("get", "group_members", None),
            ("post", "group_join", {"message": "Bonjour"}),
            ("post", "group_leave", None),
            ("post", "group_invitation_accept", None),
            ("post", "group_upload", {"parent": str(group_id), "files": [pdf_upload()]}),
            ("post", "group_folder_create", {"parent": str(group_id), "title": "Sonde"}),
        ):
            response = getattr(client, method)(url(name, group_id=group_id), data or {})
            # The header's sign-out form holds a CSRF token, masked anew on every page: set aside.
            html = CSRF_INPUT.sub("", content(response))
            results.append((response.status_code, html.replace(f"/groupes/{group_id}/", "/groupes/<id>/")))
        return results

    assert answers(secret.pk) == answers(missing)
    assert all(status == 404 for status, _html in answers(secret.pk))
