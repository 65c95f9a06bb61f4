"""A publication index's filters stay short with thousands of organisations: the 100 that publish the most
there, and always the one chosen; a forged or hostile value is dropped, never an error."""

from __future__ import annotations

import re

import pytest

from casi_workspace.demo.scale import organisations_scale, publications_scale
from casi_workspace.models import DirectoryPage, NewsPage, OrganisationPage
from casi_workspace.publications.selectors.listings import FILTER_CHOICES_MAX

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

SELECT = re.compile(r'<select name="organisation"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>')


def _options(body: str) -> dict[str, bool]:
    (select,) = SELECT.findall(body)
    return {value: bool(selected) for value, selected in OPTION.findall(select) if value}


@pytest.fixture
def many_publishers():
    """About 160 organisations with news, the synthetic ones one item each, two of them three items."""
    organisations_scale(directory=DirectoryPage.objects.get(slug="annuaire"), count=150, report=lambda _line: None)
    synthetic = list(OrganisationPage.objects.filter(slug__startswith="acteur-").order_by("path"))
    publications_scale(count=150, kinds=["news"], organisations=synthetic, report=lambda _line: None)
    publications_scale(count=154, kinds=["news"], organisations=synthetic[:2], report=lambda _line: None)
    return synthetic


def test_the_organisation_filter_offers_the_most_active_ones_only(client, many_publishers):
    publishers = NewsPage.objects.live().values("organisation").distinct().count()
    assert publishers > FILTER_CHOICES_MAX
    response = client.get("/actualites/")
    assert response.status_code == 200
    options = _options(response.content.decode())
    assert len(options) == FILTER_CHOICES_MAX
    assert {many_publishers[0].slug, many_publishers[1].slug} <= set(options)


def test_a_chosen_organisation_outside_the_list_is_offered_and_selected(client, many_publishers):
    listed = set(_options(client.get("/actualites/").content.decode()))
    outside = next(organisation for organisation in many_publishers if organisation.slug not in listed)
    response = client.get("/actualites/", {"organisation": outside.slug})
    assert response.status_code == 200
    options = _options(response.content.decode())
    assert options[outside.slug] is True and len(options) == FILTER_CHOICES_MAX
    titles = set(NewsPage.objects.live().filter(organisation=outside).values_list("title", flat=True))
    assert titles and all(title in response.content.decode() for title in titles)


@pytest.mark.parametrize(
    "value", ["\x00", "a\x00b", "' OR 1=1 --", "x" * 5000, "../../etc/passwd", "%", "acteur-00001\r\n"]
)
def test_hostile_filter_values_are_dropped(client, value):
    for name in ("organisation", "tag"):
        response = client.get("/actualites/", {name: value})
        assert response.status_code == 200, (name, value)
