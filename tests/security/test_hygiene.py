"""Bad input and hygiene: admin form posts that no browser would send, and signing out by GET.

Wagtail's editors write hidden fields (a StreamField's `<name>-count` and its blocks' `-type`, `-order`,
`-deleted`; Draftail's JSON; choosers' ids) that Wagtail reads without checking: each malformed post below
answered 500. It must answer a French 400 and change nothing, whatever the page type or view (add, edit).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from casi_workspace.models import NewsletterIssue, NewsPage, OrganisationPage, WorkingGroupPage
from tests.helpers import french
from tests.permissions.support import form_data
from tests.publications.moderation.helpers import sign_in

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
MALFORMED_MESSAGE = (
    "The form was sent incomplete or damaged, so nothing was saved. Open it again and send it once more; if "
    "this happens again, tell the network's coordinators."
)
NOT_JSON = "pas du JSON"


def _without(name: str):
    def change(data: dict[str, list[str]]) -> None:
        data.pop(name, None)

    return change


def _set(name: str, value: str):
    def change(data: dict[str, list[str]]) -> None:
        data[name] = [value]

    return change


def _news_add_url() -> str:
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    return reverse("wagtailadmin_pages:add", args=["casi_workspace", "newspage", organisation.pk])


def _event_add_url() -> str:
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    return reverse("wagtailadmin_pages:add", args=["casi_workspace", "eventpage", organisation.pk])


def _resource_add_url() -> str:
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    return reverse("wagtailadmin_pages:add", args=["casi_workspace", "resourcepage", organisation.pk])


def _news_edit_url() -> str:
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    return reverse("wagtailadmin_pages:edit", args=[NewsPage.objects.child_of(organisation).first().pk])


def _organisation_edit_url() -> str:
    return reverse("wagtailadmin_pages:edit", args=[OrganisationPage.objects.get(slug="brest-sahel-solidarite").pk])


def _group_edit_url() -> str:
    return reverse("wagtailadmin_pages:edit", args=[WorkingGroupPage.objects.get(slug="ecsi").pk])


# (who, the form's address, how the post is damaged)
MALFORMED_POSTS = {
    "news add, no body-count": ("asso-a", _news_add_url, _without("body-count")),
    "news add, body-count=abc": ("asso-a", _news_add_url, _set("body-count", "abc")),
    "news add, body-count empty": ("asso-a", _news_add_url, _set("body-count", "")),
    "news add, body-count=999999": ("asso-a", _news_add_url, _set("body-count", "999999")),
    "news add, summary fine but body-0 block missing": ("asso-a", _news_add_url, _set("body-count", "1")),
    "news edit, no body-count": ("asso-a", _news_edit_url, _without("body-count")),
    "news edit, body-count=abc": ("asso-a", _news_edit_url, _set("body-count", "abc")),
    # Wagtail reads a negative count as "no block": the body would be saved empty over the page's content.
    "news edit, body-count=-1": ("asso-a", _news_edit_url, _set("body-count", "-1")),
    "news edit, body-count=1.0": ("asso-a", _news_edit_url, _set("body-count", "1.0")),
    "event add, no body-count": ("asso-a", _event_add_url, _without("body-count")),
    "event add, body-count=999999": ("asso-a", _event_add_url, _set("body-count", "999999")),
    "event add, image not a number": ("asso-a", _event_add_url, _set("image", "abc")),
    "resource add, no attachments-count": ("asso-a", _resource_add_url, _without("attachments-count")),
    "resource add, attachments-count=abc": ("asso-a", _resource_add_url, _set("attachments-count", "abc")),
    "organisation edit, description not JSON": ("asso-a", _organisation_edit_url, _set("description", NOT_JSON)),
    "organisation edit, description JSON of the wrong shape": (
        "asso-a",
        _organisation_edit_url,
        _set("description", "-1"),
    ),
    "organisation edit, logo not a number": ("asso-a", _organisation_edit_url, _set("logo", "abc")),
    "organisation edit, zone id out of range": ("asso-a", _organisation_edit_url, _set("zones", HUGE)),
    "working group edit, purpose not JSON": ("coordination", _group_edit_url, _set("purpose", NOT_JSON)),
    "working group edit, organisation not a number": ("coordination", _group_edit_url, _set("organisation", "abc")),
    "working group edit, organisation out of range": ("coordination", _group_edit_url, _set("organisation", HUGE)),
    "working group edit, member organisation out of range": (
        "coordination",
        _group_edit_url,
        _set("member_organisations", HUGE),
    ),
}


def _state() -> tuple[int, list[tuple[int, int | None]]]:
    """How many pages exist, and each page's latest revision: a refused post changes neither."""
    return Page.objects.count(), sorted(Page.objects.values_list("pk", "latest_revision_id"))


def _form(client: Client, url: str) -> dict[str, list[str]]:
    data = form_data(client.get(url).content.decode())
    # Written by the editor's JavaScript: an empty StreamField sends 0 (a form without one ignores them).
    data.setdefault("body-count", ["0"])
    data.setdefault("attachments-count", ["0"])
    data["action-publish"] = ["1"]
    return data


@pytest.mark.parametrize("case", MALFORMED_POSTS)
def test_a_malformed_admin_post_gets_a_french_400_and_changes_nothing(case):
    username, address, damage = MALFORMED_POSTS[case]
    client = sign_in(Client(), username)
    url = address()
    data = _form(client, url)
    if "add" in url:
        data["title"] = data["slug"] = ["essai-formulaire-abime"]
    damage(data)
    before = _state()
    response = client.post(url, data)
    text = response.content.decode()
    if "out of range" in case and response.status_code == 200:
        # PostgreSQL looks an out-of-range id up and finds nothing (SQLite overflows): the form is shown
        # again with its own French error, which is as good an answer.
        assert "choix valide" in text, case
        assert _state() == before
        return
    assert response.status_code == 400, (case, response.status_code)
    assert french("Incomplete form") in text
    assert french(MALFORMED_MESSAGE) in text
    assert _state() == before


def test_the_same_forms_undamaged_are_accepted():
    """The malformed rows differ from a valid post only by their damage."""
    for username, address in (
        ("asso-a", _news_add_url),
        ("asso-a", _event_add_url),
        ("asso-a", _resource_add_url),
        ("asso-a", _organisation_edit_url),
        ("coordination", _group_edit_url),
    ):
        client = sign_in(Client(), username)
        url = address()
        data = _form(client, url)
        if "add" in url:
            data["title"] = data["slug"] = [f"essai-formulaire-{url.split('/')[-3]}"]
            data["summary"] = ["Un résumé."]
            data["start"] = ["2030-05-01 14:00"]
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert response.status_code != 400


@pytest.mark.parametrize("damage", ["missing", "abc", HUGE, "1001"])
def test_a_newsletter_issue_with_a_damaged_items_management_form_changes_nothing(damage):
    """An InlinePanel's formset without a usable `items-TOTAL_FORMS`: the form is shown again with the error."""
    client = sign_in(Client(), "coordination")
    issue = NewsletterIssue.objects.create(title="Lettre d'essai")
    url = reverse("newsletter_issues:edit", args=[issue.pk])
    data = form_data(client.get(url).content.decode(), "w-editor-form")
    assert "items-TOTAL_FORMS" in data
    data["title"] = ["Lettre renommée"]
    if damage == "missing":
        data.pop("items-TOTAL_FORMS")
    else:
        data["items-TOTAL_FORMS"] = [damage]
    response = client.post(url, data)
    assert response.status_code in (200, 400), response.status_code
    if damage in (HUGE, "1001"):  # past the formsets' limit: refused at once, not built into 1,000 empty forms
        assert response.status_code == 400
        assert french(MALFORMED_MESSAGE) in response.content.decode()
    issue.refresh_from_db()
    assert issue.title == "Lettre d'essai"


# --- Signing out ---------------------------------------------------------------------------------------------


def test_a_get_of_the_admin_logout_signs_nobody_out():
    """A GET (an <img> on another site, a prefetch) is refused and leaves the session and its cookie alone."""
    client = sign_in(Client(), "asso-a")
    session_key = client.session.session_key
    response = client.get("/admin/logout/")
    assert response.status_code == 405
    assert french("To sign out, use the “Log out” button of the menu.") in response.content.decode()
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert cookie is None, f"the session cookie is touched: {cookie}"
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == session_key
    assert client.session.get(SESSION_KEY)
    assert client.get("/admin/").status_code == 200


def test_a_post_to_the_admin_logout_signs_out():
    client = sign_in(Client(), "asso-a")
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert not client.session.get(SESSION_KEY)
    assert client.get("/admin/").status_code == 302  # to the sign-in page
