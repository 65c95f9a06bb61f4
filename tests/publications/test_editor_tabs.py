"""The page editor of every page type of the plugin speaks plain French: its tabs, its labels and its help.

Wagtail names the tabs "Contenu", "Promotion", "Paramètres" and explains its own fields to web developers
("Méta-description", "http://domain.com/blog/[my-slug]/"); the plugin's page types say "Contenu",
"Référencement" and "Publication" (or "Adhésion" for an organisation), in words a volunteer knows.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from wagtail.models import get_page_models

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import NewsPage, OrganisationPage

pytestmark = pytest.mark.django_db

JARGON = ("Promotion", "Paramètres", "workflow", "fragment", "Méta-description", "Balise titre", "domain.com")


def _page_types() -> list:
    return [
        model
        for model in get_page_models()
        if model._meta.app_label == "casi_workspace" and not model._meta.abstract and model.is_creatable
    ]


def _visible_text(html: str) -> str:
    """What the person reads: no scripts (the sidebar's menu is a JSON script), templates or attributes."""
    html = re.sub(r"<(script|template|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _tabs(html: str) -> list[str]:
    return [_visible_text(tab.split("<div", 1)[0]) for tab in re.findall(r'role="tab"[^>]*>(.*?)</a>', html, re.S)]


def _edit(client, page) -> str:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("model", _page_types(), ids=lambda model: model.__name__)
def test_each_page_types_editor_has_plain_tabs_and_help(client, model):
    page = model.objects.first()
    assert page is not None, f"the demo has no {model.__name__}"
    assert client.login(username="admin", password=DEFAULT_PASSWORD)
    html = _edit(client, page)
    tabs = _tabs(html)
    assert tabs[:2] == ["Contenu", "Référencement"], tabs
    assert set(tabs[2:]) <= {"Publication", "Adhésion"}, tabs
    text = _visible_text(html)
    assert "Adresse de la page" in text
    assert "La fin de l’adresse web de la page." in text
    for word in JARGON:
        assert word not in text, (model.__name__, word)


def test_the_organisations_membership_tab_is_named_for_what_it_holds(client):
    assert client.login(username="coordination", password=DEFAULT_PASSWORD)
    html = _edit(client, OrganisationPage.objects.get(slug="douarnenez-madagascar"))
    assert _tabs(html) == ["Contenu", "Référencement", "Adhésion"]
    assert "Une structure de confiance publie directement" in _visible_text(html)


def test_sections_say_what_the_menu_checkbox_does_and_publications_do_not_show_it(client):
    assert client.login(username="admin", password=DEFAULT_PASSWORD)
    section = _visible_text(_edit(client, NewsPage.objects.first().get_parent().get_parent()))
    news = _visible_text(_edit(client, NewsPage.objects.first()))
    assert "Afficher dans le menu principal du site" in section
    assert "Afficher dans le menu principal du site" not in news
    assert "Laissez vide pour reprendre le titre de la page." in news


@pytest.mark.parametrize("username", ["asso-a", "asso-b"])
def test_an_association_editor_reads_no_jargon_in_its_editors(client, username):
    organisation = OrganisationPage.objects.get(workspace__editors_group__user__username=username)
    news = NewsPage.objects.child_of(organisation).first()
    if username == "asso-b":  # one of its items waits for moderation: the editor says it is locked for that
        news.get_workflow().start(news, User.objects.get(username=username))
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    for page in (organisation, news):
        html = _edit(client, page)
        assert _tabs(html) == ["Contenu", "Référencement"]
        text = _visible_text(html)
        for word in JARGON:
            assert word not in text, (page.title, word)
    if username == "asso-b":
        assert "Verrouillée pendant la modération" in _visible_text(_edit(client, news))
