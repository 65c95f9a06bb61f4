"""Pages of the site suggested with a message to the requester: the desk finds live, public resources, trainings
and calls for projects as it types; the chosen ones are shown on the requester's link and listed in the email,
while they stay live and public; anything else is a French 400."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from casi_workspace.models import PublicationPage, SupportEventKind, SupportRequest
from casi_workspace.support.services import support_message_send, support_request_create
from casi_workspace.support.tokens import follow_token

from .conftest import committed, new_structure, page_after_growth

pytestmark = pytest.mark.django_db
BASE = "/admin/casi_workspace/accompagnements/"
SEARCH = f"{BASE}suggestions/"


def _create() -> SupportRequest:
    data = new_structure()
    data.pop("organisation")
    return support_request_create(data=data | {"consent": True})


def _page(kind: str, title: str) -> PublicationPage:
    """A live, public publication of `kind` from the demo, renamed `title` (unique in the run)."""
    page = PublicationPage.objects.live().filter(kind=kind).exclude(title__startswith="Suggestion ").first()
    Page.objects.filter(pk=page.pk).update(title=title)
    page.refresh_from_db()
    return page


@pytest.fixture
def pages() -> dict[str, PublicationPage]:
    return {
        "resource": _page("resource", "Suggestion Guide du financement participatif"),
        "training": _page("training", "Suggestion Formation montage de projet"),
        "call": _page("call", "Suggestion Appel à projets eau et assainissement"),
        "news": _page("news", "Suggestion Actualité du réseau"),
    }


def _found(client: Client, query: str) -> list[dict]:
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_the_search_finds_live_public_resources_trainings_and_calls(client: Client, login, pages):
    login("coordination")
    found = _found(client, "suggestion")
    ids = {item["id"] for item in found}
    assert ids == {pages["resource"].pk, pages["training"].pk, pages["call"].pk}  # not the news item
    kinds = {item["id"]: item["kind"] for item in found}
    assert kinds[pages["call"].pk] == "Appels à projets" and kinds[pages["training"].pk] == "Formations"
    # Every word counts, whatever its case; an unpublished or private page is not offered.
    assert [item["id"] for item in _found(client, "FORMATION suggestion projet")] == [pages["training"].pk]
    pages["training"].unpublish()
    restricted = PageViewRestriction.objects.create(page=pages["call"], restriction_type=PageViewRestriction.GROUPS)
    restricted.groups.add(Group.objects.first())
    assert {item["id"] for item in _found(client, "suggestion")} == {pages["resource"].pk}
    # Odd input is an empty list, never an error.
    for query in ("", " ", "a", "\x00", "suggestion " * 300, "<script>"):
        assert client.get(SEARCH, {"q": query}).status_code == 200


def test_only_the_desk_may_search(client: Client, login, pages):
    assert client.get(SEARCH, {"q": "suggestion"}).status_code == 302  # to the sign-in
    login("asso-a")
    response = client.get(SEARCH, {"q": "suggestion"})
    assert response.status_code in (302, 403) and b"Suggestion" not in response.content


def test_a_message_suggests_pages_shown_as_links_and_listed_in_the_email(client: Client, login, pages, mailoutbox):
    support_request = _create()
    login("coordination")
    data = {"message-text": "Voici des pistes.", "message-suggestions": [pages["resource"].pk, pages["call"].pk]}
    with committed():
        response = client.post(f"{BASE}{support_request.pk}/message/", data)
    assert response.status_code == 302
    [step] = support_request.events.filter(kind=SupportEventKind.DESK_MESSAGE)
    assert set(step.suggestions.values_list("pk", flat=True)) == {pages["resource"].pk, pages["call"].pk}

    html = Client().get(f"/casi/accompagnement/suivi/{follow_token(support_request)}/").content.decode()
    assert "Pages du site suggérées :" in html
    for page, kind in ((pages["resource"], "Ressources"), (pages["call"], "Appels à projets")):
        assert f'<a href="{page.url}" data-suggestion>{page.title}</a> — {kind}' in html
    [message] = mailoutbox
    text, rich = message.body, message.alternatives[0][0]
    for page in (pages["resource"], pages["call"]):
        assert f"- {page.title} (" in text and page.full_url in text
        assert f'<a href="{page.full_url}">{page.title}</a>' in rich
    assert "Pages du site suggérées :" in text and "Pages du site suggérées :" in rich
    # The desk's page shows them too.
    assert pages["resource"].title in client.get(f"{BASE}{support_request.pk}/").content.decode()


def test_a_page_unpublished_or_made_private_later_is_no_longer_shown(client: Client, pages):
    support_request = _create()
    author = Page.objects.first().owner
    with committed():
        support_message_send(
            support_request=support_request,
            author=author,
            text="Pistes",
            suggestions=[pages["resource"], pages["training"], pages["call"]],
        )
    url = f"/casi/accompagnement/suivi/{follow_token(support_request)}/"
    pages["training"].unpublish()
    restricted = PageViewRestriction.objects.create(page=pages["call"], restriction_type=PageViewRestriction.GROUPS)
    restricted.groups.add(Group.objects.first())
    html = client.get(url).content.decode()
    assert pages["resource"].title in html
    assert pages["training"].title not in html and pages["call"].title not in html


@pytest.mark.parametrize(
    "forged",
    [["999999"], ["abc"], ["1.5"], "news", "unpublished", "many"],
)
def test_a_forged_or_unsuggestable_page_is_a_french_400(client: Client, login, pages, mailoutbox, forged):
    support_request = _create()
    if forged == "news":
        forged = [pages["news"].pk]
    elif forged == "unpublished":
        pages["resource"].unpublish()
        forged = [pages["resource"].pk]
    elif forged == "many":
        forged = list(PublicationPage.objects.live().filter(kind="call").values_list("pk", flat=True)[:9])
    login("coordination")
    data = {"message-text": "Voici des pistes.", "message-suggestions": forged}
    with committed():
        response = client.post(f"{BASE}{support_request.pk}/message/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Choisissez des pages parmi les ressources, formations et appels à projets publiés sur le site." in html
        or "Suggérez au plus 8 pages." in html
    )
    assert not support_request.events.filter(kind=SupportEventKind.DESK_MESSAGE).exists() and mailoutbox == []


def test_a_refused_message_keeps_the_pages_already_chosen(client: Client, login, pages):
    support_request = _create()
    login("coordination")
    data = {"message-text": "", "message-suggestions": [pages["resource"].pk]}
    response = client.post(f"{BASE}{support_request.pk}/message/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'name="message-suggestions" value="{pages["resource"].pk}"' in html and pages["resource"].title in html


def test_the_timeline_queries_do_not_grow_with_the_suggestions(client: Client, pages, django_assert_max_num_queries):
    support_request = _create()
    author = Page.objects.first().owner
    url = f"/casi/accompagnement/suivi/{follow_token(support_request)}/"
    calls = list(PublicationPage.objects.live().filter(kind="call")[:8])

    def messages(count: int) -> None:
        for number in range(count):
            support_message_send(
                support_request=support_request, author=author, text=f"Message {number}", suggestions=calls
            )

    messages(1)
    html = page_after_growth(client, url, lambda: messages(12), django_assert_max_num_queries)
    assert "Message 11" in html
