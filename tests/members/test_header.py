"""The header's account links, as a visitor and a signed-in member meet them on the public site.

Signed in: the person's name (never their username or address), "Mon espace" and a "Se déconnecter" button
that signs out by POST and comes back to the same page. Visitors: "Se connecter", which leads back too.
Pages are cached for visitors (core/page_cache.py): a signed-in person's header never reaches that cache.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from casi_workspace.demo.data import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

HOME = "/"
GROUPS = "/groupes/?page=1"
LOGOUT_URL = reverse("wagtailadmin_logout")
MEMBER_SPACE_URL = reverse("casi_workspace:member_space")
NAME = "Katell Le Meur"  # animation-gt's full name


def _member_nav(html: str) -> str:
    match = re.search(r'<nav class="member-nav".*?</nav>', html, re.S)
    assert match, "the header has no account links"
    return match.group(0)


def _signed_in(username: str = "animation-gt") -> Client:
    client = Client()
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    return client


def _is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_signed_in_header_shows_the_name_my_space_and_sign_out():
    user = get_user_model().objects.get(username="animation-gt")
    response = _signed_in().get(GROUPS)
    assert response.status_code == 200
    nav = _member_nav(response.content.decode())
    assert NAME in nav
    assert f'href="{MEMBER_SPACE_URL}"' in nav
    assert ">Mon espace<" in nav
    assert f'<form class="member-nav-sign-out" method="post" action="{LOGOUT_URL}">' in nav
    assert 'name="csrfmiddlewaretoken"' in nav
    assert unescape(re.search(r'name="next" value="([^"]*)"', nav).group(1)) == GROUPS
    assert "Se déconnecter" in nav
    assert "Se connecter" not in nav
    # The username and the address are sign-in identifiers: never on a public page.
    html = response.content.decode()
    assert user.username not in html
    assert user.email not in html


def test_a_person_without_a_name_is_a_member_not_their_username():
    user = get_user_model().objects.create_user(
        username="sans-nom-42", email="sans-nom-42@example.org", password=DEFAULT_PASSWORD
    )
    html = _signed_in(user.username).get(HOME).content.decode()
    assert "Un membre" in _member_nav(html)
    assert "sans-nom-42" not in html


def test_visitor_header_offers_to_sign_in_and_come_back(client):
    response = client.get(GROUPS)
    nav = _member_nav(response.content.decode())
    assert "Se connecter" in nav
    assert "Mon espace" not in nav and "Se déconnecter" not in nav and "<form" not in nav
    href = unescape(re.search(r'href="([^"]+)"', nav).group(1))
    address = urlsplit(href)
    assert address.path == reverse("wagtailadmin_login")
    assert parse_qs(address.query)["next"] == [GROUPS]
    # The link leads to the login page, which signs in and comes back to the page.
    login = client.get(href)
    assert login.status_code == 200
    response = client.post(href, {"username": "animation-gt", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == GROUPS
    assert NAME in _member_nav(client.get(GROUPS).content.decode())


def test_my_space_is_marked_current_on_the_member_space_only():
    client = _signed_in()
    assert 'aria-current="page"' not in _member_nav(client.get(HOME).content.decode())
    assert 'aria-current="page"' in _member_nav(client.get(MEMBER_SPACE_URL).content.decode())


def test_sign_out_comes_back_to_the_page_signed_out():
    client = _signed_in()
    html = client.get(GROUPS).content.decode()
    nav = _member_nav(html)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', nav).group(1)
    following = unescape(re.search(r'name="next" value="([^"]*)"', nav).group(1))
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies  # the same browser, with its CSRF check on
    response = csrf_client.post(LOGOUT_URL, {"csrfmiddlewaretoken": token, "next": following})
    assert response.status_code == 302
    assert response["Location"] == GROUPS
    assert not _is_signed_in(csrf_client)
    page = csrf_client.get(GROUPS)
    assert page.status_code == 200
    nav = _member_nav(page.content.decode())
    assert "Se connecter" in nav and NAME not in nav


def test_sign_out_needs_the_csrf_token():
    client = _signed_in()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies
    response = csrf_client.post(LOGOUT_URL, {"next": HOME})
    assert response.status_code == 403
    assert _is_signed_in(client)


def test_sign_out_never_leads_to_another_site():
    client = _signed_in()
    response = client.post(LOGOUT_URL, {"next": "https://attaquant.example/piege/"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).netloc == ""
    assert response["Location"] == reverse("wagtailadmin_login")
    assert not _is_signed_in(client)


def test_a_get_of_the_logout_address_signs_nobody_out():
    client = _signed_in()
    response = client.get(f"{LOGOUT_URL}?next={HOME}")
    assert response.status_code == 405
    assert _is_signed_in(client)
    assert NAME in _member_nav(client.get(HOME).content.decode())


@pytest.mark.parametrize("path", [HOME, GROUPS])
def test_a_signed_in_header_never_reaches_a_visitor_through_the_page_cache(settings, path):
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 300
    member = _signed_in()
    for _ in range(2):  # a page the member sees twice is never stored for anyone
        response = member.get(path)
        assert NAME in _member_nav(response.content.decode())
        assert "X-Cache" not in response
    visitor = Client()
    first = visitor.get(path)
    assert first["X-Cache"] == "MISS"
    second = Client().get(path)
    assert second["X-Cache"] == "HIT"
    for response in (first, second):
        html = response.content.decode()
        assert NAME not in html and "Mon espace" not in html and "Se déconnecter" not in html
        assert "Se connecter" in _member_nav(html)
    # And the page now cached for visitors is never served to the member.
    response = member.get(path)
    assert "X-Cache" not in response
    assert NAME in _member_nav(response.content.decode())


def test_sign_out_leaves_no_personal_page_in_the_cache(settings):
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 300
    client = _signed_in()
    client.get(HOME)
    client.post(LOGOUT_URL, {"next": HOME})
    client.get(HOME)  # the "signed out" message is shown once, on a page that is not cached
    for response in (client.get(HOME), Client().get(HOME)):
        assert NAME not in response.content.decode()
