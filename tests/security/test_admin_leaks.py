"""The Wagtail admin names no page, document or image one may not see, whatever id is typed (issue 17).

Finding 2: the page chooser's chosen-multiple view (and the chooser's other ways of loading a page by its id)
named any page. Finding 3: the page-types report, a move's confirmation and a copy's form named secret groups'
pages and other associations' drafts. Ids are sequential: one such view lists the whole tree.

Each test plays an attacker who is signed in to the admin and types ids of pages outside what they may see:
the demo's secret working group, its minutes and documents, another group's private folder, B's item waiting
for moderation, and a draft of an association outside the Finistère collective. The titles must appear in no
answer, and the answer is a refusal (404, 403, or Wagtail's redirect) or a listing without them. Coordinators
and the superuser keep their normal answers.
"""

from __future__ import annotations

import json
import uuid
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.http import HttpResponse
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from casi_workspace.demo.data import TRUSTED_ASSOCIATION, UNTRUSTED_ASSOCIATION
from casi_workspace.models import (
    DocumentFolderPage,
    MinutesPage,
    NewsPage,
    OrganisationPage,
    SharedDocumentPage,
    WorkingGroupPage,
    WorkingGroupVisibility,
)
from tests.permissions.roles import log_in
from tests.permissions.support import body, is_refused, page_ids_in_chooser, png
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

SECRET_GROUP = "Groupe pays Sahel"
MEMBERS_ONLY_GROUP = "Recherche de financements"
PENDING_TITLE = "Une nouvelle pirogue pour la coopérative de pêcheurs de Mahajanga"  # B's, in moderation
OUTSIDE_ASSOCIATION = "rennes-kurdistan"  # outside the Finistère collective

# Signed-in roles that open the admin without being the network's coordinators (tests/permissions/roles.py).
ATTACKERS = ("wg-member", "editor-a", "manager-a", "editor-b", "collective-29")
# B's pending item is B's own (editor-b) and waits for the collective's decision (collective-29).
SEES_PENDING = ("editor-b", "collective-29")
OWN_ORGANISATION = {
    "wg-member": TRUSTED_ASSOCIATION,
    "editor-a": TRUSTED_ASSOCIATION,
    "manager-a": TRUSTED_ASSOCIATION,
    "editor-b": UNTRUSTED_ASSOCIATION,
    "collective-29": UNTRUSTED_ASSOCIATION,
}
TARGETS = ("secret-group", "secret-minutes", "secret-document", "other-group-folder", "pending", "outside-draft")


def _targets() -> dict[str, Page]:
    secret = WorkingGroupPage.objects.get(title=SECRET_GROUP)
    assert secret.visibility == WorkingGroupVisibility.SECRET
    members_only = WorkingGroupPage.objects.get(title=MEMBERS_ONLY_GROUP)
    pending = NewsPage.objects.get(title=PENDING_TITLE)
    assert not pending.live and pending.workflow_in_progress
    draft = publication_create(
        "news", OUTSIDE_ASSOCIATION, live=False, title=f"Brouillon confidentiel {uuid.uuid4().hex[:8]}"
    )
    return {
        "secret-group": secret,
        "secret-minutes": MinutesPage.objects.descendant_of(secret).first(),
        "secret-document": SharedDocumentPage.objects.descendant_of(secret).first(),
        "other-group-folder": DocumentFolderPage.objects.child_of(members_only).first(),
        "pending": pending,
        "outside-draft": draft,
    }


@pytest.fixture
def targets() -> dict[str, Page]:
    return _targets()


def _hidden_from(role: str, targets: dict[str, Page]) -> dict[str, Page]:
    return {name: page for name, page in targets.items() if not (name == "pending" and role in SEES_PENDING)}


def _text(response: HttpResponse) -> str:
    """Everything a response shows, HTML entities decoded; a modal's JSON as one string."""
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return unescape(text)


def _assert_nothing_named(response: HttpResponse, pages, where: str) -> None:
    text = _text(response)
    for page in pages:
        assert page.title not in text, f"{where} names {page.title!r}"


def _own(role: str) -> OrganisationPage:
    return OrganisationPage.objects.get(slug=OWN_ORGANISATION[role])


# --- The two findings, as reported ---------------------------------------------------------------------------


def test_finding_2_chosen_multiple_names_only_pages_one_may_see(targets, client: Client) -> None:
    log_in(client, "wg-member")
    witness = OrganisationPage.objects.get(slug=OUTSIDE_ASSOCIATION)  # live and public: anyone may link to it
    ids = [page.pk for page in targets.values()] + [witness.pk]
    response = client.get("/admin/choose-page/chosen-multiple/", {"id": ids})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["result"]] == [witness.pk]
    _assert_nothing_named(response, targets.values(), "chosen-multiple")


def test_finding_3_report_move_and_copy_name_no_hidden_page(targets, client: Client) -> None:
    log_in(client, "manager-a")
    own = _own("manager-a")
    report = client.get("/admin/reports/page-types-usage/")
    assert is_refused(report)
    _assert_nothing_named(report, targets.values(), "page types usage")
    for name, page in targets.items():
        confirm = client.get(f"/admin/pages/{own.pk}/move/{page.pk}/confirm/")
        assert is_refused(confirm), name
        _assert_nothing_named(confirm, [page], "move confirmation")
        copy = client.post(
            f"/admin/pages/{own.pk}/copy/", {"new_title": "Copie", "new_slug": "copie", "new_parent_page": page.pk}
        )
        assert is_refused(copy), name
        _assert_nothing_named(copy, [page], "copy form")


# --- The page chooser: every endpoint × every role ------------------------------------------------------------


def _chooser_requests(page: Page) -> dict[str, tuple[str, str, dict]]:
    model = page.specific_class._meta
    return {
        "browse": ("get", f"/admin/choose-page/{page.pk}/", {}),
        "browse-multiple": (
            "get",
            f"/admin/choose-page/{page.pk}/",
            {"multiple": "1", "page_type": "wagtailcore.page"},
        ),
        "browse-parent": ("get", f"/admin/choose-page/{page.get_parent().pk}/", {}),
        "browse-type": ("get", "/admin/choose-page/", {"page_type": f"{model.app_label}.{model.model_name}"}),
        "search": ("get", "/admin/choose-page/search/", {"q": page.title}),
        "chosen-multiple": ("get", "/admin/choose-page/chosen-multiple/", {"id": [page.pk]}),
        "external-link": (
            "post",
            "/admin/choose-external-link/",
            {"external-link-chooser-url": page.full_url or "", "external-link-chooser-link_text": ""},
        ),
        "move-chooser": (
            "get",
            f"/admin/choose-page/{page.pk}/",
            {"user_perms": "move_to", "target_pages[]": page.pk},
        ),
    }


CHOOSER_ENDPOINTS = (
    "browse",
    "browse-multiple",
    "browse-parent",
    "browse-type",
    "search",
    "chosen-multiple",
    "external-link",
    "move-chooser",
)


@pytest.mark.parametrize("endpoint", CHOOSER_ENDPOINTS)
@pytest.mark.parametrize("role", ATTACKERS)
def test_the_page_chooser_names_no_hidden_page(role: str, endpoint: str, client: Client) -> None:
    targets = _targets()
    log_in(client, role)
    for name, page in _hidden_from(role, targets).items():
        method, url, data = _chooser_requests(page)[endpoint]
        response = getattr(client, method)(url, data)
        assert response.status_code in (200, 404), (name, response.status_code)
        assert page.pk not in page_ids_in_chooser(body(response)), name
        _assert_nothing_named(response, [page], f"{endpoint} ({name})")


@pytest.mark.parametrize("role", ("coordinator", "superuser"))
def test_coordinators_choose_any_page(role: str, targets, client: Client) -> None:
    log_in(client, role)
    for name, page in targets.items():
        browse = client.get(f"/admin/choose-page/{page.pk}/")
        assert browse.status_code == 200, name
        assert page.title in _text(browse), name
        chosen = client.get("/admin/choose-page/chosen-multiple/", {"id": [page.pk]})
        assert [item["id"] for item in chosen.json()["result"]] == [page.pk], name
    # Browsing a page type opens where Wagtail opens it: the common ancestor of every page of that type.
    minutes = client.get("/admin/choose-page/", {"page_type": "casi_workspace.minutespage"})
    assert minutes.status_code == 200


@pytest.mark.parametrize("role", ATTACKERS)
def test_the_page_chooser_still_lists_what_one_may_see(role: str, client: Client) -> None:
    log_in(client, role)
    own = _own(role)
    witness = OrganisationPage.objects.get(slug=OUTSIDE_ASSOCIATION)  # live and public
    directory = own.get_parent()
    assert client.get(f"/admin/choose-page/{directory.pk}/").status_code == 200
    search = client.get("/admin/choose-page/search/", {"q": witness.title})
    assert witness.pk in page_ids_in_chooser(body(search))
    if role != "wg-member":  # an editor browses its own organisation, drafts included
        assert client.get(f"/admin/choose-page/{own.pk}/").status_code == 200
    # Browsing a page type opens at the common ancestor of the pages of that type one may see.
    by_type = client.get("/admin/choose-page/", {"page_type": "casi_workspace.organisationpage"})
    assert by_type.status_code == 200
    assert by_type.json()["parent_page_id"] == directory.pk
    chosen = client.get("/admin/choose-page/chosen-multiple/", {"id": [witness.pk, directory.pk]})
    assert {item["id"] for item in chosen.json()["result"]} == {witness.pk, directory.pk}
    # An address of the site that is a public page still becomes a link to that page.
    link = client.post(
        "/admin/choose-external-link/",
        {"external-link-chooser-url": witness.full_url, "external-link-chooser-link_text": ""},
    )
    assert link.json()["result"]["id"] == witness.pk


# --- The other admin views that name a page ------------------------------------------------------------------


def _admin_requests(page: Page, own: OrganisationPage) -> dict[str, tuple[str, str, dict]]:
    model = NewsPage._meta
    return {
        "explore": ("get", f"/admin/pages/{page.pk}/", {}),
        "explore-results": ("get", f"/admin/pages/{page.pk}/results/", {}),
        "edit": ("get", f"/admin/pages/{page.pk}/edit/", {}),
        "view-draft": ("get", f"/admin/pages/{page.pk}/view_draft/", {}),
        "preview": ("get", f"/admin/pages/{page.pk}/edit/preview/", {}),
        "history": ("get", f"/admin/pages/{page.pk}/history/", {}),
        "history-results": ("get", f"/admin/pages/{page.pk}/history/results/", {}),
        "revisions": ("get", f"/admin/pages/{page.pk}/revisions/", {}),
        "revisions-compare": ("get", f"/admin/pages/{page.pk}/revisions/compare/earliest...latest/", {}),
        "workflow-history": ("get", f"/admin/pages/{page.pk}/workflow_history/", {}),
        "usage": ("get", f"/admin/pages/{page.pk}/usage/", {}),
        "add-subpage": ("get", f"/admin/pages/{page.pk}/add_subpage/", {}),
        "add": ("get", f"/admin/pages/add/{model.app_label}/{model.model_name}/{page.pk}/", {}),
        "move": ("get", f"/admin/pages/{page.pk}/move/", {}),
        "move-to": ("get", f"/admin/pages/{own.pk}/move/{page.pk}/confirm/", {}),
        "move-from": ("get", f"/admin/pages/{page.pk}/move/{own.pk}/confirm/", {}),
        "move-form": ("post", f"/admin/pages/{own.pk}/move/", {"new_parent_page": page.pk}),
        "copy": ("get", f"/admin/pages/{page.pk}/copy/", {}),
        "copy-to": (
            "post",
            f"/admin/pages/{own.pk}/copy/",
            {"new_title": "Copie", "new_slug": "copie", "new_parent_page": page.pk},
        ),
        "choose-parent": (
            "post",
            f"/admin/pages/create/{model.app_label}/{model.model_name}",
            {"parent_page": page.pk},
        ),
        "delete": ("get", f"/admin/pages/{page.pk}/delete/", {}),
        "unpublish": ("get", f"/admin/pages/{page.pk}/unpublish/", {}),
        "privacy": ("get", f"/admin/pages/{page.pk}/privacy/", {}),
        "cancel-workflow": ("get", f"/admin/pages/workflow/confirm_cancellation/{page.pk}/", {}),
        "bulk-move-to": ("post", f"/admin/bulk/wagtailcore/page/move/?id={own.pk}", {"chooser": page.pk}),
        "bulk-children": ("get", "/admin/bulk/wagtailcore/page/move/", {"id": "all", "childOf": page.pk}),
        "bulk-ids": ("get", "/admin/bulk/wagtailcore/page/delete/", {"id": [page.pk]}),
    }


ADMIN_VIEWS = (
    "explore",
    "explore-results",
    "edit",
    "view-draft",
    "preview",
    "history",
    "history-results",
    "revisions",
    "revisions-compare",
    "workflow-history",
    "usage",
    "add-subpage",
    "add",
    "move",
    "move-to",
    "move-from",
    "move-form",
    "copy",
    "copy-to",
    "choose-parent",
    "delete",
    "unpublish",
    "privacy",
    "cancel-workflow",
    "bulk-move-to",
    "bulk-children",
    "bulk-ids",
)
# Bulk actions answer with a confirmation page that lists no page one may not act on (tests/permissions).
LISTING_VIEWS = ("bulk-ids",)


@pytest.mark.parametrize("view", ADMIN_VIEWS)
@pytest.mark.parametrize("role", ATTACKERS)
def test_admin_views_name_no_hidden_page(role: str, view: str, client: Client) -> None:
    targets = _targets()
    log_in(client, role)
    own = _own(role)
    for name, page in _hidden_from(role, targets).items():
        method, url, data = _admin_requests(page, own)[view]
        response = getattr(client, method)(url, data)
        if view not in LISTING_VIEWS:
            assert is_refused(response), (name, response.status_code, response.get("Location", ""))
        _assert_nothing_named(response, [page], f"{view} ({name})")


REPORTS = ("locked", "aging-pages", "site-history", "workflow", "workflow_tasks")


@pytest.mark.parametrize("role", ATTACKERS)
def test_reports_name_no_hidden_page(role: str, targets, client: Client) -> None:
    log_in(client, role)
    hidden = _hidden_from(role, targets).values()
    for report in ("page-types-usage", "page-types-usage/results"):
        response = client.get(f"/admin/reports/{report}/")
        assert is_refused(response), report
        _assert_nothing_named(response, hidden, report)
    assert "/admin/reports/page-types-usage/" not in client.get("/admin/").content.decode()  # the menu
    for report in REPORTS:
        response = client.get(f"/admin/reports/{report}/")
        if not is_refused(response):
            assert response.status_code == 200, report
        _assert_nothing_named(response, hidden, report)
    type_use = client.get("/admin/pages/usage/casi_workspace/minutespage/")
    _assert_nothing_named(type_use, hidden, "pages of a type")


@pytest.mark.parametrize("role", ("coordinator", "superuser"))
def test_coordinators_keep_the_admin_views(role: str, targets, client: Client) -> None:
    log_in(client, role)
    for report in ("page-types-usage", "page-types-usage/results", *REPORTS):
        assert client.get(f"/admin/reports/{report}/").status_code == 200, report
    assert "/admin/reports/page-types-usage/" in client.get("/admin/").content.decode()  # the menu
    for name, page in targets.items():
        explore = client.get(f"/admin/pages/{page.pk}/")
        assert explore.status_code == 200, name
        assert page.title in _text(explore), name
        assert client.get(f"/admin/pages/{page.pk}/history/").status_code == 200, name
    # A move the coordinator may make is confirmed, naming its destination; so is a copy's form.
    document = targets["secret-document"]
    folder = targets["other-group-folder"]
    confirm = client.get(f"/admin/pages/{document.pk}/move/{folder.pk}/confirm/")
    assert confirm.status_code == 200
    assert folder.title in _text(confirm)
    copy = client.get(f"/admin/pages/{targets['outside-draft'].pk}/copy/")
    assert copy.status_code == 200


@pytest.mark.parametrize("role", ("manager-a", "editor-b", "collective-29"))
def test_editors_keep_the_admin_views_of_their_own_pages(role: str, client: Client) -> None:
    log_in(client, role)
    own = _own(role)
    news = publication_create("news", own, live=False)
    for url in (
        f"/admin/pages/{own.pk}/",
        f"/admin/pages/{news.pk}/edit/",
        f"/admin/pages/{news.pk}/history/",
        f"/admin/pages/{news.pk}/revisions/compare/earliest...latest/",
        f"/admin/pages/{news.pk}/copy/",
        f"/admin/pages/{own.pk}/add_subpage/",
        f"/admin/pages/add/casi_workspace/newspage/{own.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    copy = client.post(
        f"/admin/pages/{news.pk}/copy/",
        {"new_title": "Copie", "new_slug": f"copie-{news.pk}", "new_parent_page": own.pk},
    )
    assert copy.status_code == 302 and not is_refused(copy)
    assert own.get_children().filter(slug=f"copie-{news.pk}").exists()


# --- Documents and images: Wagtail's choosers follow the collections' "choose" permission ----------------------


def _media(collection, word: str, label: str):
    document = get_document_model().objects.create(
        title=f"Document {label} {word}",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"{word}.pdf"),
        collection=collection,
    )
    image = get_image_model()(title=f"Image {label} {word}", collection=collection)
    image.file = ImageFile(ContentFile(png(), name=f"{word}.png"), name=f"{word}.png")
    image.save()
    return document, image


@pytest.fixture
def private_media():
    """A document and an image in the secret group's private collection, and in B's collection."""
    secret = WorkingGroupPage.objects.get(title=SECRET_GROUP).workspace.collection
    own_b = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION).workspace.collection
    word = f"zq{uuid.uuid4().hex[:10]}"
    return {"secret": _media(secret, word, "secret"), "b": _media(own_b, word, "B"), "word": word}


def _media_hidden_from(role: str, private_media) -> list:
    hidden = list(private_media["secret"])
    if role not in ("editor-b", "collective-29"):  # B's editors and its collective choose B's files
        hidden += list(private_media["b"])
    return hidden


@pytest.mark.parametrize("role", ATTACKERS)
def test_document_and_image_choosers_name_no_private_file(role: str, private_media, client: Client) -> None:
    log_in(client, role)
    word = private_media["word"]
    for item in _media_hidden_from(role, private_media):
        base = "/admin/documents/chooser/" if item._meta.model_name == "document" else "/admin/images/chooser/"
        for url, data in (
            (base, {}),
            (base, {"q": word}),
            (f"{base}results/", {"q": word}),
            (f"{base}results/", {"q": word, "collection_id": item.collection_id}),
            (f"{base}chosen-multiple/", {"id": [item.pk]}),
        ):
            response = client.get(url, data)
            assert response.status_code in (200, 403, 404) or is_refused(response), url
            assert item.title not in _text(response), (url, data)
        chosen = client.get(f"{base}chosen/{item.pk}/")
        assert is_refused(chosen)
        assert item.title not in _text(chosen)


@pytest.mark.parametrize("role", ("coordinator", "superuser"))
def test_coordinators_choose_any_file(role: str, private_media, client: Client) -> None:
    log_in(client, role)
    for item in (*private_media["secret"], *private_media["b"]):
        base = "/admin/documents/chooser/" if item._meta.model_name == "document" else "/admin/images/chooser/"
        assert item.title in _text(client.get(f"{base}results/", {"q": private_media["word"]}))
        assert client.get(f"{base}chosen/{item.pk}/").status_code == 200


# --- Malformed ids: a refusal, never a 500 ---------------------------------------------------------------------

BAD_IDS = ("abc", "-1", "0", "1.5", "", "99999999999999999999999", "１２")
MALFORMED = (
    ("get", "/admin/choose-page/chosen-multiple/", "id"),
    ("get", "/admin/documents/chooser/chosen-multiple/", "id"),
    ("get", "/admin/images/chooser/chosen-multiple/", "id"),
    ("get", "/admin/snippets/choose/casi_workspace/sector/chosen-multiple/", "id"),
    ("get", "/admin/choose-page/", "target_pages[]"),
    ("get", "/admin/choose-external-link/", "parent_page_id"),
    ("get", "/admin/choose-email-link/", "parent_page_id"),
    ("get", "/admin/bulk/wagtailcore/page/move/", "id"),
    ("get", "/admin/bulk/wagtaildocs/document/delete/", "id"),
    ("get", "/admin/bulk/wagtailimages/image/delete/", "id"),
    ("post", "/admin/pages/create/casi_workspace/newspage", "parent_page"),
)


@pytest.mark.parametrize("role", ("manager-a", "superuser"))
def test_malformed_ids_are_refused_not_crashed(role: str) -> None:
    client = Client(raise_request_exception=False)
    log_in(client, role)
    own = _own("manager-a")
    requests = [*MALFORMED, ("post", f"/admin/pages/{own.pk}/copy/", "new_parent_page")]
    requests += [("post", f"/admin/pages/{own.pk}/move/", "new_parent_page")]
    for method, url, name in requests:
        for bad in BAD_IDS:
            data = {name: bad} if method == "post" else {name: bad, "user_perms": "move_to"}
            if url.startswith("/admin/bulk/") and method == "get":
                data = {name: bad}
            response = getattr(client, method)(url, data)
            if bad == "" and name == "parent_page_id":
                assert response.status_code < 500, (url, bad)  # no page being browsed: the link form
                continue
            assert 400 <= response.status_code < 500, (url, repr(bad), response.status_code)
    for url in (
        "/admin/documents/chooser/chosen/abc/",
        "/admin/images/chooser/chosen/99999999999999999999999/",
        "/admin/snippets/choose/casi_workspace/sector/chosen/abc/",
        "/admin/choose-page/99999999999999999999999/",
        "/admin/pages/99999999999999999999999/",
        f"/admin/pages/{own.pk}/move/99999999999999999999999/confirm/",
        "/admin/pages/99999999999999999999999/revisions/compare/earliest...latest/",
    ):
        response = client.get(url)
        assert 300 <= response.status_code < 500, (url, response.status_code)
    bulk = client.get("/admin/bulk/wagtailcore/page/move/", {"id": "all", "childOf": "abc"})
    assert 400 <= bulk.status_code < 500
