"""A pending, draft, private or expired news item appears on no public surface; a live public one appears on all.

The surfaces: the news index, its RSS and Atom feeds, the organisation's page and feeds, the site search,
the API, the sitemap and the home page.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from casi_workspace.models import NewsPage, OrganisationPage
from tests.publications.helpers import publication_create
from tests.publications.moderation.helpers import draft_news, submit

pytestmark = pytest.mark.django_db

ORGANISATION = "douarnenez-madagascar"


@pytest.fixture
def items(django_user_model) -> dict[str, NewsPage]:
    """The live public control first, then one item in each hidden state, all news of the untrusted association."""
    organisation = OrganisationPage.objects.get(slug=ORGANISATION)
    asso_b = django_user_model.objects.get(username="asso-b")
    pending = draft_news(organisation, "Suricate en attente de modération", slug="suricate-en-attente")
    submit(pending, asso_b)
    private = publication_create("news", organisation, title="Suricate protégé", slug="suricate-protege")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    changed = publication_create("news", organisation, title="Suricate modifié", slug="suricate-modifie")
    changed.title = "Suricate retouché en attente"
    changed.save_revision()
    submit(changed, asso_b)
    hidden = {
        "draft": publication_create(
            "news", organisation, live=False, title="Suricate brouillon", slug="suricate-brouillon"
        ),
        "pending": pending,
        "private": private,
        "expired": publication_create(
            "news",
            organisation,
            title="Suricate expiré",
            slug="suricate-expire",
            expire_at=timezone.now() - datetime.timedelta(minutes=1),
        ),
    }
    # Published last, so the newest item of every listing.
    control = publication_create("news", organisation, title="Suricate public", slug="suricate-public")
    return {"control": control, "changed": changed, **hidden}


def _surfaces(organisation: OrganisationPage) -> dict[str, str]:
    return {
        "news index": "/actualites/",
        "news RSS": "/actualites/flux/rss/",
        "news Atom": "/actualites/flux/atom/",
        "organisation page": organisation.url,
        "organisation RSS": f"{organisation.url}flux/rss/",
        "organisation Atom": f"{organisation.url}flux/atom/",
        "search": "/recherche/?q=suricate",
        "API search": "/api/v2/pages/?search=suricate&limit=20",
        "API children": f"/api/v2/pages/?child_of={organisation.pk}&type=casi_workspace.NewsPage&order=-id&limit=20",
        "sitemap": "/sitemap.xml",
        "home page": "/",
    }


SURFACES = [
    "news index",
    "news RSS",
    "news Atom",
    "organisation page",
    "organisation RSS",
    "organisation Atom",
    "search",
    "API search",
    "API children",
    "sitemap",
    "home page",
]


@pytest.mark.parametrize("surface", SURFACES)
def test_hidden_items_appear_on_no_public_surface(client, items, surface):
    organisation = OrganisationPage.objects.get(slug=ORGANISATION)
    url = _surfaces(organisation)[surface]
    response = client.get(url)
    assert response.status_code == 200, (surface, url, response.status_code)
    content = response.content.decode()
    control = items["control"]
    # The surface works: the live public item is on it (the sitemap names pages by address only).
    assert f"/{control.slug}/" in content or control.title in content, surface
    for state in ("draft", "pending", "private", "expired"):
        page = items[state]
        assert page.title not in content, (surface, state)
        assert f"/{page.slug}/" not in content, (surface, state)
    # A live item's change waiting for moderation: the published version only.
    assert "Suricate retouché en attente" not in content, surface


def test_hidden_items_answer_404_to_visitors(client, items):
    for state in ("draft", "pending"):
        assert client.get(f"/annuaire/{ORGANISATION}/{items[state].slug}/").status_code == 404, state
    private = client.get(f"/annuaire/{ORGANISATION}/{items['private'].slug}/")
    assert private.status_code == 200 and "Suricate protégé" not in private.content.decode()  # the password form
    assert client.get(f"/annuaire/{ORGANISATION}/{items['control'].slug}/").status_code == 200


def test_the_sitemap_lists_live_public_publications_of_every_kind(client, page_cache_off):
    pages = [publication_create(kind, "brest-sahel-solidarite") for kind in ("event", "call", "offer", "training")]
    pages += [publication_create(kind, "brest-sahel-solidarite") for kind in ("resource", "project")]
    sitemap = client.get("/sitemap.xml").content.decode()
    for page in pages:
        assert f"{page.url}</loc>" in sitemap, page.kind
    expiring = pages[0]
    Page.objects.filter(pk=expiring.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
    assert f"{expiring.url}</loc>" not in client.get("/sitemap.xml").content.decode()
