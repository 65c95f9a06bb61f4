"""Search shows live public pages only: never a draft, a pending item, a private or an expired one."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casi_workspace.models import OrganisationPage
from tests.publications.helpers import publication_create
from tests.publications.moderation.helpers import draft_news, submit

pytestmark = pytest.mark.django_db


def _found(client, word: str) -> str:
    response = client.get("/recherche/", {"q": word})
    assert response.status_code == 200
    return response.content.decode()


def test_only_live_public_unexpired_items_are_found(client, django_user_model):
    douarnenez = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    visible = publication_create("news", douarnenez, title="Kinkajou visible")
    draft = publication_create("news", douarnenez, live=False, title="Kinkajou brouillon")
    pending = draft_news(douarnenez, "Kinkajou en attente")
    submit(pending, django_user_model.objects.get(username="asso-b"))
    expired = publication_create(
        "event", douarnenez, title="Kinkajou expiré", expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    secret = publication_create("call", douarnenez, title="Kinkajou secret")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x")
    private = publication_create("resource", douarnenez, title="Kinkajou réservé")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    html = _found(client, "kinkajou")
    assert visible.url in html
    for hidden in (draft, pending, expired, secret, private):
        assert hidden.title not in html, hidden.title
        assert f"/{hidden.slug}/" not in html, hidden.title
    assert "1 résultat" in html


def test_a_private_organisation_hides_itself_and_its_publications(client, login):
    lorient = OrganisationPage.objects.get(slug="lorient-bolivie")
    item = publication_create("project", lorient, title="Projet coati à Cochabamba")
    assert item.url in _found(client, "coati")
    PageViewRestriction.objects.create(page=lorient, restriction_type=PageViewRestriction.LOGIN)
    # Whoever asks, signed in or not: the search lists what the public may read.
    for asker in (client, login("asso-a")):
        html = _found(asker, "coati")
        assert item.url not in html
        assert "/annuaire/lorient-bolivie/" not in _found(asker, "Lorient Bolivie")


def test_an_unpublished_item_leaves_the_search(client):
    item = publication_create("offer", "brest-sahel-solidarite", title="Offre ocelot")
    assert item.url in _found(client, "ocelot")
    item.unpublish()
    assert item.url not in _found(client, "ocelot")


def test_a_pending_change_to_a_live_item_is_not_searchable(client, django_user_model):
    """The live version stays public; the words of a draft revision waiting for moderation are not indexed."""
    douarnenez = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    item = publication_create("news", douarnenez, title="Nouvelles du tapir")
    item.title = "Nouvelles du tapir et du okapi"
    item.summary = "Le okapi arrive."
    item.save_revision()
    submit(item, django_user_model.objects.get(username="asso-b"))
    html = _found(client, "okapi")
    assert item.url not in html
    assert "0 résultat" in html
    assert item.url in _found(client, "tapir")


def test_an_unpublished_organisation_hides_its_publications(client):
    pontivy = OrganisationPage.objects.get(slug="pontivy-laos")
    item = publication_create("news", pontivy, title="Le gibbon de Pontivy")
    assert item.url in _found(client, "gibbon")
    pontivy.unpublish()
    html = _found(client, "gibbon")
    assert item.url not in html and "/annuaire/pontivy-laos/" not in html
