"""Bad input in the admin forms: an editor gets a field error in French, never a 500 and never a saved page."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from casi_workspace.models import OrganisationPage, PublicationPage
from tests.helpers import french

pytestmark = pytest.mark.django_db

END_BEFORE_START = "The end cannot be before the start."
DEADLINE_PAST = "The deadline is already past."
ALT_REQUIRED = "Describe the image: its alternative text is required."
# Wagtail's and Django's own messages, which their French catalogues translate.
TOO_BIG = "This file is too big (%(file_size)s). Maximum filesize %(max_filesize)s."
NOT_AN_IMAGE = "Upload a valid image. The file you uploaded was either not an image or a corrupted image."


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _add_url(model_name: str, slug: str = "brest-sahel-solidarite") -> str:
    parent = OrganisationPage.objects.get(slug=slug)
    return f"/admin/pages/add/casi_workspace/{model_name}/{parent.pk}/"


def _when(days: int, hour: int = 18) -> str:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%d %H:%M")


def _page_data(title: str, **fields) -> dict:
    """What the admin's page form posts: the shared fields, the kind's own, an empty body, no comments."""
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "summary": "Résumé.",
            "image": "",
            "image_alt": "",
            "body": streamfield([]),
            "department": "",
            "tags": "",
            "comments": inline_formset([]),
            **fields,
        }
    )


def _post(client, url: str, data: dict):
    response = client.post(url, data)
    assert response.status_code == 200, "the form is shown again with its errors"
    return response, response.context["form"]


def _assert_french_error(response, form, field: str, msgid: str) -> None:
    assert field in form.errors, form.errors
    assert french(msgid) in _text(response)


def test_an_event_ending_before_it_starts_is_refused(login):
    client = login("asso-a")
    data = _page_data("Soirée de test fin avant début", start=_when(10, 20), end=_when(10, 18), commune="Brest")

    response, form = _post(client, _add_url("eventpage"), data)

    _assert_french_error(response, form, "end", END_BEFORE_START)
    assert not PublicationPage.objects.filter(title="Soirée de test fin avant début").exists()


def test_a_training_ending_before_it_starts_is_refused(login):
    client = login("asso-a")
    data = _page_data("Formation de test à l'envers", start=_when(10, 20), end=_when(9), commune="Brest")

    response, form = _post(client, _add_url("trainingpage"), data)

    _assert_french_error(response, form, "end", END_BEFORE_START)


def test_a_call_with_a_past_deadline_is_refused_on_creation(login):
    client = login("asso-a")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = _page_data("Appel de test déjà clos", funder="Région", deadline=yesterday, eligibility=rich_text(""))

    response, form = _post(client, _add_url("callforprojectspage"), data)

    _assert_french_error(response, form, "deadline", DEADLINE_PAST)
    assert not PublicationPage.objects.filter(title="Appel de test déjà clos").exists()


def test_an_offer_with_a_past_deadline_is_refused_on_creation(login):
    client = login("asso-a")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = _page_data("Offre de test déjà close", offer_kind="internship", commune="Brest", deadline=yesterday)

    response, form = _post(client, _add_url("offerpage"), data)

    _assert_french_error(response, form, "deadline", DEADLINE_PAST)


def test_a_main_image_without_alternative_text_is_refused(login):
    client = login("asso-a")
    image = get_image_model().objects.create(title="Photo de test", file=get_test_image_file())
    data = _page_data("Actualité de test sans alt", image=str(image.pk), image_alt="   ")

    response, form = _post(client, _add_url("newspage"), data)

    _assert_french_error(response, form, "image_alt", ALT_REQUIRED)
    assert not PublicationPage.objects.filter(title="Actualité de test sans alt").exists()


def test_a_valid_event_is_saved_as_a_draft(login):
    """The same form with sound values goes through: the refusals above are the values', not the form's."""
    client = login("asso-a")
    data = _page_data("Soirée de test valide", start=_when(10, 18), end=_when(10, 20), commune="Brest")

    response = client.post(_add_url("eventpage"), data)

    assert response.status_code == 302, response.context["form"].errors
    page = PublicationPage.objects.get(title="Soirée de test valide")
    assert page.kind == "event" and page.organisation.slug == "brest-sahel-solidarite"


def _image_upload(client, upload: SimpleUploadedFile):
    response = client.post("/admin/images/add/", {"title": "Téléversement de test", "file": upload})
    assert response.status_code == 200, "the form is shown again with its errors"
    return response, response.context["form"]


def _png_bytes() -> bytes:
    return get_test_image_file(size=(64, 64)).file.getvalue()


def test_an_oversized_image_upload_is_refused(login, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    client = login("asso-a")
    content = _png_bytes() + b"\0" * 4096

    response, form = _image_upload(client, SimpleUploadedFile("grande.png", content, content_type="image/png"))

    assert "file" in form.errors
    assert french(TOO_BIG).split(" (")[0] in _text(response)
    assert not get_image_model().objects.filter(title="Téléversement de test").exists()


def test_a_file_that_is_not_an_image_is_refused(login):
    client = login("asso-a")

    for name, content in [("notes.txt", b"pas une image"), ("faux.png", b"%PDF-1.4 pas une image")]:
        response, form = _image_upload(client, SimpleUploadedFile(name, content))

        assert "file" in form.errors, name
        assert french(NOT_AN_IMAGE) in _text(response), name
    assert not get_image_model().objects.filter(title="Téléversement de test").exists()
