"""The demo's pictures: drawn locally, given to publications, organisations and the home page, stored once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from casi_workspace.demo import data, images
from casi_workspace.demo.publications import illustration_for
from casi_workspace.models import OrganisationPage, PublicationPage
from home.models import HomePage

pytestmark = pytest.mark.django_db


def _opened(image) -> PillowImage.Image:
    with image.open_file() as handle:
        picture = PillowImage.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def test_a_good_share_of_publications_show_one_of_a_few_illustrations():
    publications = PublicationPage.objects.live()
    illustrated = publications.exclude(image__isnull=True)

    assert illustrated.count() >= publications.count() / 2
    assert not illustrated.filter(image_alt="").exists()  # the alternative text editors must give is there
    distinct = set(illustrated.values_list("image", flat=True))
    assert len(distinct) <= sum(len(choices) for choices in data.ILLUSTRATIONS.values())
    for image in get_image_model().objects.filter(pk__in=distinct):
        picture = _opened(image)
        assert picture.format == "JPEG" and picture.size == images.ILLUSTRATION_SIZE
    # Every news item and event has one: the home page's first cards are never bare.
    assert not publications.filter(kind__in=["news", "event"], image__isnull=True).exists()


def test_every_demo_organisation_has_a_square_logo_with_its_initials():
    organisations = OrganisationPage.objects.filter(slug__in=[org.slug for org in data.MEMBERS])

    assert not organisations.filter(logo__isnull=True).exists()
    picture = _opened(organisations.first().logo)
    assert picture.format == "PNG" and picture.size == (images.LOGO_SIZE, images.LOGO_SIZE)
    assert images.initials("Brest Sahel Solidarité") == "BSS"
    assert images.initials("Les Amis de Koudougou") == "AK"


def test_the_home_page_has_its_picture():
    home = HomePage.objects.get()

    assert home.hero_image is not None and home.hero_image_alt == ""  # abstract, so decorative
    assert _opened(home.hero_image).size == images.ILLUSTRATION_SIZE
    assert home.live_revision.as_object().hero_image_id == home.hero_image_id  # published, not a draft


def test_seeding_again_stores_no_new_picture():
    before = list(get_image_model().objects.order_by("pk").values_list("pk", "file"))

    call_command("casi_demo", stdout=io.StringIO())

    assert list(get_image_model().objects.order_by("pk").values_list("pk", "file")) == before


def test_pictures_are_the_same_for_the_same_seed_and_differ_between_seeds():
    assert images.illustration_jpeg("demo:a", "Rencontres") == images.illustration_jpeg("demo:a", "Rencontres")
    assert images.illustration_jpeg("demo:a", "Rencontres") != images.illustration_jpeg("demo:b", "Rencontres")
    assert images.logo_png("Brest Sahel Solidarité", "bss") == images.logo_png("Brest Sahel Solidarité", "bss")
    assert illustration_for("news", "un-slug") == illustration_for("news", "un-slug")
    assert illustration_for("news", "un-slug") in data.ILLUSTRATIONS["news"]
