"""The anonymous page cache, as visitors and editors meet it: a second visit costs no query; publishing,
unpublishing and moderation decisions show at once; signed-in people never get a cached page; a cached form
carries each visitor's own CSRF token."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casi_workspace.demo.data import UNTRUSTED_ASSOCIATION
from casi_workspace.models import NewsletterSubscriber, OrganisationPage
from tests.publications.helpers import publication_create
from tests.publications.moderation.helpers import add_news, sign_in, workflow_action

pytestmark = pytest.mark.django_db

NEWS = "/actualites/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def visitor() -> Client:
    return Client(enforce_csrf_checks=True)


def test_a_second_visit_is_served_from_the_cache_without_a_query(visitor, django_assert_max_num_queries):
    first = visitor.get(NEWS)
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    with django_assert_max_num_queries(0):
        second = Client().get(NEWS)
    assert second["X-Cache"] == "HIT" and second.content == first.content
    # The security headers are those of every answer.
    assert "script-src 'self'" in second["Content-Security-Policy"] and second["X-Frame-Options"] == "DENY"
    assert "Cookie" in second["Vary"]
    assert Client().get(f"{NEWS}?page=2")["X-Cache"] == "MISS"  # each address has its own entry


def test_publishing_and_unpublishing_show_at_once(visitor):
    assert "Nouvelle toute fraîche" not in visitor.get(NEWS).content.decode()
    news = publication_create("news", "brest-sahel-solidarite", title="Nouvelle toute fraîche")
    response = visitor.get(NEWS)
    assert response["X-Cache"] == "MISS" and "Nouvelle toute fraîche" in response.content.decode()
    assert visitor.get(NEWS)["X-Cache"] == "HIT"
    news.unpublish()
    assert "Nouvelle toute fraîche" not in visitor.get(NEWS).content.decode()
    assert visitor.get(news.url).status_code == 404


def test_a_moderation_decision_shows_at_once(visitor):
    editor = sign_in(Client(), "asso-b")
    page = add_news(editor, OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION), "Attend la modération")
    assert "Attend la modération" not in visitor.get(NEWS).content.decode()
    assert visitor.get(NEWS)["X-Cache"] == "HIT"
    workflow_action(sign_in(Client(), "coordination"), page, "approve")
    assert "Attend la modération" in visitor.get(NEWS).content.decode()


def test_signed_in_people_never_get_a_cached_page(login, visitor):
    visitor.get(NEWS)  # cached for visitors
    editor = login("asso-a")
    response = editor.get(NEWS)
    assert "X-Cache" not in response  # neither served from nor stored in the cache
    assert "wagtail-userbar" in response.content.decode()  # the editor's own page, with their userbar
    again = Client().get(NEWS)
    assert again["X-Cache"] == "HIT" and "asso-a" not in again.content.decode()


def test_a_visitor_with_a_pending_message_is_not_served_from_the_cache(visitor):
    visitor.get(NEWS)
    other = Client()
    other.cookies["messages"] = "quelque-chose"
    assert "X-Cache" not in other.get(NEWS)


def test_a_cached_form_carries_each_visitors_own_token(django_capture_on_commit_callbacks):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get("/lettre/")
    assert page["X-Cache"] == "MISS"
    cached = second.get("/lettre/")
    assert cached["X-Cache"] == "HIT"
    first_token, second_token = TOKEN.search(page.content.decode())[1], TOKEN.search(cached.content.decode())[1]
    assert first_token != second_token and "__casi_csrf_token__" not in cached.content.decode()
    assert "csrftoken" in second.cookies  # the cached page set the second visitor's own CSRF cookie
    with django_capture_on_commit_callbacks(execute=True):
        response = second.post(
            "/lettre/", {"email": "depuis.le.cache@example.org", "csrfmiddlewaretoken": second_token}
        )
    assert response.status_code == 302
    assert NewsletterSubscriber.objects.filter(email="depuis.le.cache@example.org").exists()
    # The first visitor's token does not pass with the second visitor's cookie.
    refused = second.post("/lettre/", {"email": "autre@example.org", "csrfmiddlewaretoken": "x" + first_token[1:]})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "address",
    ["/admin/login/", "/casi/sante/", "/api/v2/pages/", "/page-qui-n-existe-pas/", "/documents/1/x.pdf"],
)
def test_what_is_never_cached(client, address):
    client.get(address)
    assert client.get(address).get("X-Cache") != "HIT"


def test_the_cache_can_be_turned_off(settings, visitor):
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 0
    visitor.get(NEWS)
    assert "X-Cache" not in visitor.get(NEWS)


def test_no_page_is_kept_past_the_next_expiry_date(visitor):
    expire_at = timezone.now() + datetime.timedelta(seconds=2)
    page = publication_create("news", "brest-sahel-solidarite", title="Bientôt retirée", expire_at=expire_at)
    assert visitor.get(page.url)["X-Cache"] == "MISS"
    assert visitor.get(page.url)["X-Cache"] == "HIT"
    assert "Bientôt retirée" in visitor.get(NEWS).content.decode()
    time.sleep(max(0.0, (expire_at - timezone.now()).total_seconds()) + 0.2)
    assert visitor.get(page.url).status_code == 404
    assert "Bientôt retirée" not in visitor.get(NEWS).content.decode()


def test_making_a_page_private_drops_it_from_the_cache_at_once(visitor):
    page = publication_create("news", "brest-sahel-solidarite", title="Bientôt privée")
    assert visitor.get(page.url).status_code == 200 and visitor.get(page.url)["X-Cache"] == "HIT"
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert visitor.get(page.url).status_code == 302
    assert "Bientôt privée" not in visitor.get(NEWS).content.decode()


def test_a_cached_calendar_keeps_its_file_name(visitor):
    first = visitor.get("/agenda/calendrier/")
    assert first["X-Cache"] == "MISS"
    second = visitor.get("/agenda/calendrier/")
    assert second["X-Cache"] == "HIT" and second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Type"] == first["Content-Type"]
