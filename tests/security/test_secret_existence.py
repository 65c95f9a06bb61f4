"""Whether a secret group, or a page inside any group's library, exists is not told to people outside it.

For a visitor and for a signed-in person who may not read it, an existing secret group's address and the
address of a folder, document or minutes of any group (public, members-only or secret) answer exactly as an
address that names nothing: the same status (404), headers and page, once the CSRF token and the requested
address (which the sign-in link of the 404 page carries back) are set aside. Readers still get the page; a
visitor who is a reader signs in from the 404 page's link and comes back to it; the person invited to a secret
group sees the invitation on its page.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import (
    DocumentFolderPage,
    MinutesPage,
    SharedDocumentPage,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupPage,
)

pytestmark = pytest.mark.django_db

SECRET_GROUP = "groupe-pays-sahel"
GROUPS = {"public": "ecsi", "members": "financements", "secret": SECRET_GROUP}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _client(username: str | None) -> Client:
    client = Client()
    if username is not None:
        assert client.login(username=username, password=DEFAULT_PASSWORD), username
    return client


def _unknown(path: str) -> str:
    """The same address with its last slug changed to one no page has (of the same length)."""
    head, slug = path.rstrip("/").rsplit("/", 1)
    other = "x" * len(slug)
    assert other != slug
    return f"{head}/{other}/"


def _normalised(response, path: str) -> tuple[int, str]:
    """Status and body, without the CSRF token and without the address asked for (which the page echoes)."""
    body = CSRF.sub("", response.content.decode())
    decoded = unquote(path)
    for form in sorted({path, decoded, quote(decoded, safe=""), quote(decoded)}, key=len, reverse=True):
        body = body.replace(form, "<address>")
    return response.status_code, body


def _children(slug: str) -> dict[str, str]:
    group = WorkingGroupPage.objects.get(slug=slug)
    return {
        "folder": Page.objects.descendant_of(group).type(DocumentFolderPage).live().first().url,
        "document": Page.objects.descendant_of(group).type(SharedDocumentPage).live().first().url,
        "minutes": Page.objects.child_of(group).type(MinutesPage).live().first().url,
    }


def _assert_as_if_missing(client: Client, path: str) -> None:
    existing = client.get(path)
    missing_path = _unknown(path)
    missing = client.get(missing_path)
    assert missing.status_code == 404
    assert _normalised(existing, path) == _normalised(missing, missing_path), path
    assert dict(existing.headers) == dict(missing.headers), path
    assert existing.cookies.keys() == missing.cookies.keys(), path


# --- Finding 5 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "membre-gt-2"], ids=["visitor", "signed-in-outsider"])
def test_a_secret_group_answers_outsiders_as_a_missing_page(who: str | None):
    path = WorkingGroupPage.objects.get(slug=SECRET_GROUP).url
    _assert_as_if_missing(_client(who), path)


@pytest.mark.parametrize("kind", ["folder", "document", "minutes"])
@pytest.mark.parametrize("visibility", list(GROUPS))
@pytest.mark.parametrize("who", [None, "asso-b"], ids=["visitor", "signed-in-outsider"])
def test_pages_of_a_library_answer_outsiders_as_missing_pages(who: str | None, visibility: str, kind: str):
    path = _children(GROUPS[visibility])[kind]
    _assert_as_if_missing(_client(who), path)


def test_the_group_pages_of_public_and_members_only_groups_stay_open():
    for visibility in ("public", "members"):
        path = WorkingGroupPage.objects.get(slug=GROUPS[visibility]).url
        assert Client().get(path).status_code == 200
        assert _client("asso-b").get(path).status_code == 200


# --- Readers still read -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", list(GROUPS))
def test_readers_still_read(visibility: str):
    slug = GROUPS[visibility]
    reader = _client("animation-gt")
    for path in [WorkingGroupPage.objects.get(slug=slug).url, *_children(slug).values()]:
        assert reader.get(path).status_code == 200, path
    network = _client("coordination")
    assert network.get(_children(slug)["document"]).status_code == 200


def test_a_reader_who_is_not_signed_in_signs_in_from_the_404_page_and_comes_back():
    path = _children(SECRET_GROUP)["folder"]
    visitor = Client()
    response = visitor.get(path)
    assert response.status_code == 404
    match = re.search(r'href="(/_util/login/\?next=[^"]+)"', response.content.decode())
    assert match, "the 404 page offers visitors a sign-in link"
    sign_in = match.group(1).replace("&amp;", "&")
    form = visitor.get(sign_in)
    assert form.status_code == 200
    back = visitor.post(sign_in, {"username": "animation-gt", "password": DEFAULT_PASSWORD, "next": path})
    assert back.status_code == 302 and back["Location"] == path
    assert visitor.get(path).status_code == 200


def test_signed_in_people_get_no_sign_in_offer_on_the_404_page():
    response = _client("membre-gt-2").get(_children(SECRET_GROUP)["folder"])
    assert response.status_code == 404
    assert "/_util/login/" not in response.content.decode()


def test_the_person_invited_to_a_secret_group_sees_the_invitation_but_not_the_library():
    User = get_user_model()
    group = WorkingGroupPage.objects.get(slug=SECRET_GROUP)
    invitee = User.objects.get(username="membre-gt-2")
    WorkingGroupMembership.objects.create(
        working_group=group, user=invitee, status=WorkingGroupMembershipStatus.INVITED
    )
    client = _client("membre-gt-2")
    page = client.get(group.url)
    assert page.status_code == 200
    assert group.title in page.content.decode()
    for path in _children(SECRET_GROUP).values():
        _assert_as_if_missing(client, path)
