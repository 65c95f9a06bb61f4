"""The network's identity (Settings › Network identity): who may change it, what it refuses, what the site shows."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Page, Site

from casi_workspace.conf import get_setting
from casi_workspace.core.colours import contrast_ratio
from casi_workspace.core.models import DEFAULT_ACCENT_COLOUR, DEFAULT_PRIMARY_COLOUR
from casi_workspace.models import SiteBrand

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/admin/settings/casi_workspace/sitebrand/"


@pytest.fixture
def site() -> Site:
    return Site.objects.get(is_default_site=True)


def _edit_url(site: Site) -> str:
    return f"{SETTINGS_URL}{site.pk}/"


def _form(**values) -> dict[str, str]:
    data = {
        "network_name": "",
        "tagline": "",
        "logo": "",
        "primary_colour": DEFAULT_PRIMARY_COLOUR,
        "accent_colour": DEFAULT_ACCENT_COLOUR,
        "contact_email": "",
        "postal_address": "",
        "phone": "",
        "website_url": "",
        "mastodon_url": "",
        "linkedin_url": "",
        "facebook_url": "",
        "instagram_url": "",
        "youtube_url": "",
        "legal_notice_page": "",
        "privacy_page": "",
    }
    data.update(values)
    return data


def _legal_page(slug: str, title: str) -> Page:
    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(instance=Page(title=title, slug=slug))
    page.save_revision().publish()
    return page


def test_the_default_palette_reads_on_white():
    assert contrast_ratio(DEFAULT_PRIMARY_COLOUR, "#ffffff") >= 4.5
    assert contrast_ratio(DEFAULT_ACCENT_COLOUR, "#ffffff") >= 4.5
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21


def test_the_network_coordinators_may_change_the_identity():
    group = Group.objects.get(name=get_setting("COORDINATORS_GROUP"))
    assert group.permissions.filter(content_type__app_label="casi_workspace", codename="change_sitebrand").exists()


def test_a_coordinator_edits_the_identity_in_the_admin(login, site):
    client = login("coordination")
    menu = client.get("/admin/")
    assert SETTINGS_URL in menu.content.decode()
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302 and response["Location"] == _edit_url(site)
    assert client.get(_edit_url(site)).status_code == 200

    legal = _legal_page("mentions-legales", "Mentions légales")
    response = client.post(
        _edit_url(site),
        _form(
            network_name="Réseau breton de solidarité",
            tagline="Agir ici et là-bas",
            contact_email="contact@reseau.example",
            mastodon_url="https://mastodon.example/@reseau",
            legal_notice_page=str(legal.pk),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    brand = SiteBrand.objects.get(site=site)
    assert brand.network_name == "Réseau breton de solidarité" and brand.legal_notice_page_id == legal.pk

    client.logout()
    home = client.get("/").content.decode()
    assert "Réseau breton de solidarité" in home and "Agir ici et là-bas" in home
    assert 'href="mailto:contact@reseau.example"' in home
    assert 'href="https://mastodon.example/@reseau" rel="me">Mastodon</a>' in home


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_other_accounts_may_not_change_the_identity(login, site, username):
    client = login(username)
    assert SETTINGS_URL not in client.get("/admin/").content.decode()
    for address in (SETTINGS_URL, _edit_url(site)):
        response = client.get(address)
        assert response.status_code in (302, 403), address
        if response.status_code == 302:
            assert not response["Location"].startswith(SETTINGS_URL)
    response = client.post(_edit_url(site), _form(network_name="Pris"))
    assert response.status_code in (302, 403)
    assert not SiteBrand.objects.filter(network_name="Pris").exists()


def test_a_colour_too_light_on_white_is_refused_in_french(login, site):
    client = login("coordination")
    with translation.override("fr"):
        brand = SiteBrand(site=site, primary_colour="#FFBF47", accent_colour="#b4441b")
        with pytest.raises(ValidationError) as refused:
            brand.full_clean()
    message = refused.value.message_dict["primary_colour"][0]
    assert "trop claire" in message and "1,64:1" in message and "4,5:1" in message

    response = client.post(_edit_url(site), _form(accent_colour="#e07a3f"))
    assert response.status_code == 200
    assert "Cette couleur est trop claire pour se lire sur fond blanc" in response.content.decode()
    assert not SiteBrand.objects.filter(accent_colour="#e07a3f").exists()


def test_a_colour_must_be_six_hexadecimal_digits(site):
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        SiteBrand(site=site, primary_colour="blue").full_clean()
    assert "six chiffres hexadécimaux" in refused.value.message_dict["primary_colour"][0]


def test_the_footer_shows_the_legal_pages_when_they_are_set(client, site):
    home = client.get("/").content.decode()
    assert "Mentions légales" not in home and "Données personnelles" not in home

    legal = _legal_page("mentions-legales", "Mentions")
    privacy = _legal_page("donnees-personnelles", "Vie privée")
    SiteBrand.objects.create(site=site, legal_notice_page=legal, privacy_page=privacy)
    home = client.get("/").content.decode()
    footer = re.search(r'<footer class="site-footer".*?</footer>', home, re.S).group(0)
    assert '<a href="/mentions-legales/">Mentions légales</a>' in footer
    assert '<a href="/donnees-personnelles/">Données personnelles</a>' in footer
    assert '<nav aria-label="Informations légales">' in footer

    # An unpublished legal page is no dead link.
    legal.unpublish()
    assert "Mentions légales" not in client.get("/").content.decode()


def test_every_page_names_its_favicon(client):
    html = client.get("/actualites/").content.decode()
    assert '<link rel="icon" href="/static/casi_workspace/img/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("casi_workspace/img/favicon.svg")


def test_chosen_colours_come_as_a_stylesheet_of_the_site(client, site):
    assert "/casi/theme.css" not in client.get("/").content.decode()  # the default palette: casi.css alone

    SiteBrand.objects.create(site=site, primary_colour="#5a2d82", accent_colour="#9c2b5e")
    html = client.get("/").content.decode()
    link = re.search(r'<link rel="stylesheet" href="(/casi/theme\.css\?v=[0-9a-f]{12})">', html)
    assert link, "the theme's stylesheet is not linked"
    response = client.get(link.group(1))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert "immutable" in response["Cache-Control"]
    css = response.content.decode()
    assert "--casi-brand: #5a2d82;" in css and "--casi-highlight: #9c2b5e;" in css
    assert "<" not in css
    # An old version's address is not kept for a year.
    assert "immutable" not in client.get("/casi/theme.css?v=ancienne").headers["Cache-Control"]


def test_saving_the_identity_refreshes_cached_pages(client, site, settings):
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 300
    client.get("/actualites/")
    assert client.get("/actualites/")["X-Cache"] == "HIT"
    brand = SiteBrand.for_site(site)
    brand.tagline = "Une nouvelle accroche"
    brand.save()
    response = client.get("/actualites/")
    assert response["X-Cache"] == "MISS" and "Une nouvelle accroche" in response.content.decode()
