"""Network-level pages (the home page, its sections, the working groups): only coordinators edit them.

The matrix tries every action on one section (Actualités); this goes over every network-level page with
the edit view and a forged publication.
"""

from __future__ import annotations

import pytest
import swapper
from django.test import Client

from casi_workspace.models import OrganisationPage

from .roles import ADMIN_ROLES, NETWORK_EDITORS, log_in
from .support import assert_refused

pytestmark = pytest.mark.django_db


def _network_pages():
    """The default site's home page and every page under it that is not an organisation's."""
    Page = swapper.load_model("wagtailcore", "Page")
    home = Page.objects.get(slug="actualites").get_parent()
    organisations = OrganisationPage.objects.values_list("path", flat=True)
    return [
        page
        for page in Page.objects.descendant_of(home, inclusive=True).order_by("path")
        if not any(page.path.startswith(path) for path in organisations)
    ]


def test_the_network_pages_are_the_home_page_its_sections_and_the_working_groups():
    slugs = {page.slug for page in _network_pages()}
    assert {"annuaire", "actualites", "agenda", "groupes", "ecsi", "adherer", "lettre"} <= slugs
    assert not slugs & set(OrganisationPage.objects.values_list("slug", flat=True))


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_only_coordinators_edit_network_level_pages(role: str, client: Client) -> None:
    log_in(client, role)
    for page in _network_pages():
        url = f"/admin/pages/{page.pk}/edit/"
        response = client.get(url)
        if role in NETWORK_EDITORS:
            assert response.status_code == 200, page.slug
            continue
        assert_refused(response)
        assert_refused(client.post(url, {"title": "Détourné", "slug": page.slug, "action-publish": "1"}))
        after = type(page).objects.get(pk=page.pk)
        assert (after.title, after.latest_revision_id) == (page.title, page.latest_revision_id), page.slug


def test_coordinators_delete_no_page_that_has_sub_pages(client: Client) -> None:
    """Without Wagtail's bulk_delete, a coordinator deletes leaves only: not the home page, directory or groups."""
    log_in(client, "coordinator")
    Page = swapper.load_model("wagtailcore", "Page")
    for slug in ("annuaire", "groupes"):
        page = Page.objects.get(slug=slug)
        assert_refused(client.post(f"/admin/pages/{page.pk}/delete/"))
        assert Page.objects.filter(pk=page.pk, live=True).exists()
    home = Page.objects.get(slug="annuaire").get_parent()
    assert_refused(client.post(f"/admin/pages/{home.pk}/delete/"))
    assert Page.objects.filter(pk=home.pk).exists()
