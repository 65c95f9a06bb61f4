"""Stored XSS: what members and coordinators type comes back escaped on every public channel.

The payloads (`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `javascript:` links) go in
through the forms an attacker with an account would use — the public proposal form of a trusted editor
(published at once), the admin's page editor, the group library's upload — or, for what only coordinators
write (newsletter issues, working groups), are stored as the admin would store them. The pages, listings,
search, feeds, sitemap, newsletter archive and emails must show them as text. JSON (the API, the map) and
iCalendar carry text, not HTML: there the payload may stay verbatim, as long as the answer is typed so that
no browser renders it and its structure cannot be broken out of.
"""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from casi_workspace.models import (
    EventPage,
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterIssueStatus,
    NewsPage,
    OrganisationPage,
    WorkingGroupRole,
)
from tests.publications.helpers import publication_create
from tests.publications.moderation.helpers import edit_page, sign_in
from tests.workgroups.helpers import client_for, group_make, member_make, pdf_upload, url

from .support import IMG, PAYLOAD, SCRIPT, assert_inert, assert_json_is_data, content

pytestmark = pytest.mark.django_db

BREST = "brest-sahel-solidarite"  # asso-a's association: trusted, so its proposals are published at once
NEWS_URL = "/casi/proposer/actualite/"
EVENT_URL = "/casi/proposer/evenement/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Proposals and subscriptions are rate-limited in the cache: each test starts with an empty window."""
    cache.clear()
    yield
    cache.clear()


def _future(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


@pytest.fixture
def hostile_news(login) -> NewsPage:
    """asso-a proposes a news item from the public site with the payloads in every text field."""
    response = login("asso-a").post(
        NEWS_URL,
        {
            "title": f"Fête {PAYLOAD}",
            "summary": f"Résumé {PAYLOAD}",
            "body": f'Corps {PAYLOAD}\n<a href="javascript:alert(1)">clic</a>',
            "tags": f"eau, {SCRIPT}",
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    news = NewsPage.objects.get(title=f"Fête {PAYLOAD}")
    assert news.live  # trusted: published at once, seen by every visitor
    return news


NEWS_SURFACES = {
    "detail": lambda news: news.url,
    "news index": lambda news: "/actualites/",
    "news index filtered on the tag": lambda news: f"/actualites/?tag={news.tags.first().slug}",
    "organisation page": lambda news: f"/annuaire/{BREST}/",
    "home page": lambda news: "/",
    "site search": lambda news: "/recherche/?q=Fête",
    "news RSS": lambda news: "/actualites/flux/rss/",
    "news Atom": lambda news: "/actualites/flux/atom/",
    "organisation RSS": lambda news: f"/annuaire/{BREST}/flux/rss/",
    "sitemap": lambda news: "/sitemap.xml",
}


@pytest.mark.parametrize("surface", NEWS_SURFACES)
def test_a_proposed_news_item_is_escaped_on_every_public_page_and_feed(hostile_news, surface):
    address = NEWS_SURFACES[surface](hostile_news)
    response = Client().get(address)
    assert response.status_code == 200, (surface, address)
    text = content(response)
    assert_inert(text, surface)
    if surface != "sitemap":  # the sitemap names pages by address only
        assert "Fête &lt;script&gt;alert(1)&lt;/script&gt;" in text, f"the item is not on {surface}"
    if surface in ("news RSS", "news Atom", "organisation RSS"):
        ET.fromstring(response.content)  # still well-formed XML: the payload did not break out of its element


def test_the_api_gives_the_payload_as_data_and_the_body_escaped(hostile_news):
    data = assert_json_is_data(Client().get(f"/api/v2/pages/{hostile_news.pk}/"), "API detail")
    assert data["title"] == f"Fête {PAYLOAD}"  # verbatim text in a JSON string, for the client to escape
    (block,) = data["body"]  # the rich text, as HTML the client may insert: escaped
    assert_inert(block["value"], "API body")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block["value"]
    listing = assert_json_is_data(
        Client().get("/api/v2/pages/", {"type": "casi_workspace.NewsPage", "search": "Fête"}), "API listing"
    )
    assert hostile_news.pk in [item["id"] for item in listing["items"]]


def test_an_event_title_cannot_inject_lines_into_the_calendar_files(login):
    title = f"Fête {SCRIPT}\r\nURL:javascript:alert(1)\r\nEND:VEVENT"
    response = login("asso-a").post(
        EVENT_URL,
        {
            "title": title,
            "summary": f"Résumé {IMG}",
            "body": "Corps",
            "start": _future(9, 18),
            "end": _future(9, 20),
            "venue": "Salle",
            "commune": "Brest",
            "department": "29",
        },
    )
    assert response.status_code in (200, 302)
    event = EventPage.objects.filter(title__startswith=f"Fête {SCRIPT}").first()
    if response.status_code == 200:  # the form refused the line breaks: nothing stored
        assert event is None
        return
    assert event is not None and event.live
    for address in ("/agenda/calendrier/", f"{event.url}calendrier/"):
        answer = Client().get(address)
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("text/calendar")
        assert answer["X-Content-Type-Options"] == "nosniff"
        ours = [
            vevent
            for vevent in Calendar.from_ical(answer.content).walk("VEVENT")
            if str(vevent.get("SUMMARY", "")).startswith("Fête")
        ]
        assert len(ours) == 1, address  # one event, no second one opened by the title
        assert "javascript:" not in str(ours[0].get("URL", ""))
        assert not re.search(rb"^URL:javascript", answer.content, re.M)
        assert not re.search(rb"^END:VEVENT\r?\n(?!BEGIN:VEVENT|END:VCALENDAR)", answer.content, re.M)
    html = content(Client().get(event.url))
    assert_inert(html, "event detail")


def _contentstate(text: str, url: str) -> str:
    """What the admin's rich-text editor posts: the text, with its first word a link to `url`."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "x1x2x",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 4, "key": 0}],
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


@pytest.fixture
def hostile_organisation(client) -> OrganisationPage:
    """asso-a renames its association in the admin and writes a description with a script link, and publishes."""
    organisation = OrganisationPage.objects.get(slug=BREST)
    sign_in(client, "asso-a")
    edit_page(
        client,
        organisation,
        action="action-publish",
        title=f"Brest {PAYLOAD}",
        description=_contentstate(f"Clic {PAYLOAD}", "javascript:alert(1)"),
    )
    organisation.refresh_from_db()
    assert organisation.title == f"Brest {PAYLOAD}" and organisation.live
    client.logout()
    return organisation


ORGANISATION_SURFACES = {
    "organisation page": lambda org: org.url,
    "directory": lambda org: "/annuaire/?q=Brest",
    "its collective's page": lambda org: "/annuaire/collectif-finistere/",
    "one of its publications": lambda org: NewsPage.objects.child_of(org).live().first().url,
    "the organisation filter of the news index": lambda org: "/actualites/",
    "site search": lambda org: "/recherche/?q=Brest",
    "news RSS": lambda org: "/actualites/flux/rss/",
    "state of play": lambda org: "/annuaire/etat-des-lieux/",
}


@pytest.mark.parametrize("surface", ORGANISATION_SURFACES)
def test_an_organisation_name_and_description_are_escaped_wherever_they_show(hostile_organisation, surface):
    address = ORGANISATION_SURFACES[surface](hostile_organisation)
    response = Client().get(address)
    assert response.status_code == 200, (surface, address)
    assert_inert(content(response), surface)


def test_the_organisation_name_is_data_in_the_map_and_the_exports(hostile_organisation):
    data = assert_json_is_data(Client().get("/annuaire/carte/", {"q": "Brest"}), "map")
    # Verbatim text in a JSON string; the map's script puts it in the popup as text (textContent), not HTML.
    assert f"Brest {PAYLOAD}" in [marker["name"] for marker in data["markers"]]
    export = Client().get("/annuaire/export/json/", {"q": "Brest"})
    assert export["Content-Disposition"].startswith("attachment")
    assert export["X-Content-Type-Options"] == "nosniff"
    assert any(record["nom"] == f"Brest {PAYLOAD}" for record in json.loads(content(export)))


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "vbscript:msgbox(1)", "data:text/html,x"],
)
def test_a_script_link_in_rich_text_is_dropped_when_saved(client, link):
    organisation = OrganisationPage.objects.get(slug=BREST)
    sign_in(client, "asso-a")
    edit_page(client, organisation, action="action-publish", description=_contentstate("Clic ici", link))
    organisation.refresh_from_db()
    stored = organisation.description.lower()
    assert "script:" not in stored.replace("\t", "") and "data:text" not in stored, stored
    html = content(Client().get(organisation.url))
    assert re.search(r"Clic(</a>)? ici", html)  # the text stays, without its link
    assert_inert(html, "organisation page")


# --- What only coordinators write: newsletter issues and working groups --------------------------------------


@pytest.fixture
def hostile_issue() -> NewsletterIssue:
    """A sent issue whose title, item and coordinator's note hold the payloads."""
    page = publication_create("news", BREST, title=f"Article {PAYLOAD}", summary=f"Résumé {IMG}")
    issue = NewsletterIssue.objects.create(
        title=f"Lettre {PAYLOAD}", status=NewsletterIssueStatus.SENT, sent_at=timezone.now()
    )
    NewsletterIssueItem.objects.create(issue=issue, page=page, section=page.kind, note=f"Note {PAYLOAD}", sort_order=1)
    return issue


@pytest.mark.parametrize("where", ["archive", "issue"])
def test_a_newsletter_issue_is_escaped_in_the_public_archive(hostile_issue, where):
    address = "/lettre/" if where == "archive" else f"/lettre/{hostile_issue.pk}/"
    response = Client().get(address)
    assert response.status_code == 200
    html = content(response)
    assert_inert(html, address)
    assert "Lettre &lt;script&gt;alert(1)&lt;/script&gt;" in html
    if where == "issue":
        assert "Note &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_newsletter_issue_is_escaped_in_its_email(hostile_issue, login, django_capture_on_commit_callbacks):
    """The coordinator's test copy is the issue as subscribers get it (HTML part), with the same subject."""
    draft = NewsletterIssue.objects.create(title=f"Lettre\r\nBcc: evil@example.net {PAYLOAD}")
    for item in hostile_issue.items.all():
        NewsletterIssueItem.objects.create(issue=draft, page=item.page, section=item.section, note=item.note)
    client = login("coordination")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/casi_workspace/lettre/numeros/{draft.pk}/envoi/", {"action": "test"})
    assert response.status_code == 302
    (message,) = mail.outbox
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    assert_inert(html, "newsletter email")
    assert "Note &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\n" not in message.subject and message.bcc == []
    assert message.recipients() == [response.wsgi_request.user.email]


@pytest.fixture
def hostile_group():
    group = group_make("public", "open", title=f"Groupe {PAYLOAD}")
    return group


GROUP_SURFACES = {
    "index of groups": lambda group: "/groupes/",
    "group page": lambda group: group.url,
    "site search": lambda group: "/recherche/?q=Groupe",
}


@pytest.mark.parametrize("surface", GROUP_SURFACES)
def test_a_working_group_name_is_escaped(hostile_group, surface):
    address = GROUP_SURFACES[surface](hostile_group)
    for client in (Client(), client_for(member_make(hostile_group))):
        response = client.get(address)
        assert response.status_code == 200, (surface, address)
        assert_inert(content(response), surface)
    if surface != "site search":
        assert "Groupe &lt;script&gt;alert(1)&lt;/script&gt;" in content(Client().get(address))


def test_a_working_group_name_is_escaped_in_its_invitation_email(hostile_group, django_capture_on_commit_callbacks):
    coordinator = member_make(hostile_group, WorkingGroupRole.COORDINATOR, prefix="animation")
    invited = get_user_model().objects.get(username="membre-gt-2")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            url("group_invite", group_id=hostile_group.pk), {"identifier": invited.username}
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [invited.email]
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    assert_inert(html, "group invitation email")
    assert "\n" not in message.subject


def test_a_document_name_is_escaped_in_the_library_and_the_notification_email(django_capture_on_commit_callbacks):
    group = group_make("members", "request")
    uploader = member_make(group)
    reader = member_make(group)  # told by email of each new document (the default)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(uploader).post(
            url("group_upload", group_id=group.pk), {"parent": group.pk, "files": [pdf_upload(f"{IMG}.pdf")]}
        )
    assert response.status_code == 302
    html = content(client_for(reader).get(group.url))
    assert_inert(html, "group library")
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    messages = [message for message in mail.outbox if message.to == [reader.email]]
    assert len(messages) == 1
    (message,) = messages
    assert_inert(next(body for body, kind in message.alternatives if kind == "text/html"), "document email")
    assert "\n" not in message.subject
