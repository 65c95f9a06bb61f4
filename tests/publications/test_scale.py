"""Synthetic publications for benchmarks: a sound page tree, complete items, a second run that adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone
from wagtail.models import Page

from casi_workspace.demo.scale import PUBLICATION_SLUG_PREFIX, publications_scale
from casi_workspace.models import (
    PUBLICATION_MODELS,
    CallForProjectsPage,
    EventPage,
    OfferPage,
    OrganisationPage,
    PublicationPage,
)

pytestmark = pytest.mark.django_db


def _synthetic():
    return PublicationPage.objects.filter(slug__startswith=PUBLICATION_SLUG_PREFIX)


def test_demo_option_adds_publications_of_every_kind_once():
    call_command("casi_demo", "--publications=35", stdout=io.StringIO())
    call_command("casi_demo", "--publications=35", stdout=io.StringIO())

    assert _synthetic().count() == 35
    assert dict(_synthetic().order_by().values_list("kind").annotate(n=Count("pk"))) == {
        kind: 5 for kind in PUBLICATION_MODELS
    }


def test_demo_option_refuses_a_negative_number():
    with pytest.raises(CommandError):
        call_command("casi_demo", "--publications=-1", stdout=io.StringIO())


def test_tree_stays_sound_and_items_are_complete(client):
    brest = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    assert publications_scale(count=30, organisations=[brest], report=lambda _line: None) == 30
    assert publications_scale(count=70, report=lambda _line: None) == 40

    assert all(not problems for problems in Page.find_problems())
    brest.refresh_from_db()
    assert brest.numchild == brest.get_children().count() >= 30
    for item in _synthetic().select_related("organisation"):
        parent = item.get_parent()
        assert item.organisation_id == parent.pk
        assert item.department == parent.specific.department
        assert item.live and item.url_path == f"{parent.url_path}{item.slug}/"
    events = EventPage.objects.filter(slug__startswith=PUBLICATION_SLUG_PREFIX)
    assert events.filter(start__gt=timezone.now()).exists() and events.filter(start__lt=timezone.now()).exists()
    today = timezone.localdate()
    assert not CallForProjectsPage.objects.filter(slug__startswith=PUBLICATION_SLUG_PREFIX, deadline__lt=today)
    assert not OfferPage.objects.filter(slug__startswith=PUBLICATION_SLUG_PREFIX, deadline__lt=today)


def test_synthetic_items_are_served_syndicated_and_searchable(client):
    publications_scale(count=14, report=lambda _line: None)
    for item in _synthetic():
        assert client.get(item.url).status_code == 200, item.url
    news = _synthetic().filter(kind="news").order_by("pk").first()
    assert news.title.encode() in client.get("/actualites/flux/rss/").content
    assert news.pk in [result.pk for result in PublicationPage.objects.live().search(news.title)]
    assert news.tags.count() == 2


def test_pictured_items_describe_their_picture_and_publish_again_as_they_are():
    """An editor saving a synthetic item as it is (the load run's editor does) meets no missing alternative text."""
    assert publications_scale(count=9, report=lambda _line: None) == 9
    pictured = _synthetic().exclude(image=None)
    assert pictured.exists() and not pictured.filter(image_alt="").exists()
    item = pictured.first().specific
    item.title = f"{item.title} — mise à jour"
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.live and item.title.endswith("mise à jour")


def test_a_second_run_describes_pictures_left_without_text():
    publications_scale(count=9, report=lambda _line: None)
    _synthetic().exclude(image=None).update(image_alt="")
    assert publications_scale(count=9, report=lambda _line: None) == 0
    assert not _synthetic().exclude(image=None).filter(image_alt="").exists()
