"""Editors propose news and events from the public site at /casi/proposer/…, without the admin.

An untrusted association's proposal is a draft in its moderation workflow, seen nowhere public; a
trusted one's is published at once. Accounts without an organisation are refused, visitors are sent to
the login, and a forged organisation never receives anything. New messages are compared with `french()`
of their msgid, so that these tests hold before and after the French catalogue is regenerated.
"""

from __future__ import annotations

from html import escape, unescape

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, TaskState, WorkflowState

from casi_workspace.models import EventPage, NewsPage
from tests.helpers import form_controls, french

from .conftest import EVENT_URL, NEWS_URL, _local

pytestmark = pytest.mark.django_db


def _children(organisation) -> set[int]:
    return set(Page.objects.child_of(organisation).values_list("pk", flat=True))


def _new_child(organisation, before: set[int], model=NewsPage):
    created = _children(organisation) - before
    assert len(created) == 1, f"expected one new page under {organisation.slug}, got {len(created)}"
    return model.objects.get(pk=created.pop())


def test_untrusted_association_s_news_is_a_draft_waiting_for_its_coordinators(login, organisation, news_data, client):
    douarnenez = organisation("douarnenez-madagascar")
    before = _children(douarnenez)

    response = login("asso-b").post(NEWS_URL, news_data)

    assert response.status_code == 302
    news = _new_child(douarnenez, before)
    assert response["Location"] == f"{NEWS_URL}?envoye={news.pk}"
    assert news.title == "Retour de mission à Antsirabe"
    assert not news.live and news.has_unpublished_changes
    assert news.organisation_id == douarnenez.pk
    assert news.owner.username == "asso-b"
    assert sorted(tag.name for tag in news.tags.all()) == ["Madagascar", "eau"]
    # The plain text is escaped and split into paragraphs of one paragraph block.
    assert news.body[0].block_type == "paragraph"
    assert news.body[0].value.source == (
        "<p>Premier paragraphe &lt;b&gt;gras&lt;/b&gt;.</p><p>Second paragraphe,<br/>sur deux lignes.</p>"
    )
    state = WorkflowState.objects.for_instance(news).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Modération — Collectif Finistère Solidarité Internationale"
    assert state.requested_by.username == "asso-b"

    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert 'role="status"' in html
    assert french("“%(title)s” has been submitted for moderation.") % {"title": news.title} in unescape(html)
    assert f'href="/admin/pages/{news.pk}/edit/"' in html

    client.logout()
    assert news.title not in client.get("/actualites/").content.decode()
    assert client.get(f"/annuaire/douarnenez-madagascar/{news.slug}/").status_code == 404


@pytest.mark.parametrize("username", ["coordination", "collectif-29"])
def test_the_untrusted_proposal_is_in_the_coordinators_queue(login, news_data, client, username):
    login("asso-b").post(NEWS_URL, news_data)
    news = NewsPage.objects.get(title=news_data["title"])
    client.logout()

    coordinator = login(username)
    user = coordinator.get("/admin/").wsgi_request.user
    assert TaskState.objects.reviewable_by(user).filter(workflow_state__object_id=str(news.pk)).exists()
    assert escape(news.title) in coordinator.get("/admin/").content.decode()


def test_trusted_association_s_news_is_published_at_once(login, organisation, news_data, client):
    brest = organisation("brest-sahel-solidarite")
    before = _children(brest)

    response = login("asso-a").post(NEWS_URL, {**news_data, "title": "Assemblée générale 2026"})

    assert response.status_code == 302
    news = _new_child(brest, before)
    assert news.live and not news.has_unpublished_changes
    assert not WorkflowState.objects.for_instance(news).exists()
    html = client.get(response["Location"]).content.decode()
    assert french("“%(title)s” is published.") % {"title": news.title} in unescape(html)
    assert french("Your organisation is trusted by the network: what it proposes is published at once.") in html
    client.logout()
    assert "Assemblée générale 2026" in client.get("/actualites/").content.decode()
    assert client.get(news.url).status_code == 200


def test_an_editor_proposes_an_event_with_its_dates_and_place(login, organisation, event_data):
    douarnenez = organisation("douarnenez-madagascar")
    before = _children(douarnenez)

    response = login("asso-b").post(EVENT_URL, event_data)

    assert response.status_code == 302
    event = _new_child(douarnenez, before, EventPage)
    assert timezone.localtime(event.start).strftime("%Y-%m-%dT%H:%M") == event_data["start"]
    assert event.end > event.start
    assert (event.venue, event.commune, event.department, event.price) == (
        "Salle des fêtes",
        "Douarnenez",
        "29",
        "Gratuit",
    )
    assert event.registration_url == "https://example.org/inscription"
    assert not event.live
    assert WorkflowState.objects.for_instance(event).get().status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.parametrize("url", [NEWS_URL, EVENT_URL])
def test_the_form_has_a_label_for_every_control_and_says_what_happens_next(login, url):
    response = login("asso-b").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    controls = form_controls(html, "proposal-form")
    assert controls.controls
    for control in controls.controls:
        assert control["id"] in controls.label_targets, f"{control['name']} has no label"
    # asso-b edits one organisation: nothing to choose, the field is hidden.
    assert 'type="hidden" name="organisation"' in html
    assert 'name="title"' in html and 'required id="id_title"' in html
    assert french("Fields marked with an asterisk (*) are required.") in html


def test_an_account_without_an_organisation_is_refused(login, news_data):
    client = login("membre-gt")
    pages_before = Page.objects.count()
    for url in (NEWS_URL, EVENT_URL):
        assert client.get(url).status_code == 403
        assert client.post(url, news_data).status_code == 403
    assert Page.objects.count() == pages_before


@pytest.mark.parametrize("url", [NEWS_URL, EVENT_URL])
def test_anonymous_visitors_are_sent_to_the_login(client, url, news_data):
    pages_before = Page.objects.count()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={url}"
    assert client.post(url, news_data).status_code == 302
    assert Page.objects.count() == pages_before


def test_a_forged_organisation_is_refused_and_receives_nothing(login, organisation, news_data):
    brest, douarnenez = organisation("brest-sahel-solidarite"), organisation("douarnenez-madagascar")
    before = {page.pk: _children(page) for page in (brest, douarnenez)}
    client = login("asso-b")

    for forged in (brest.pk, "abc", 2**70, "-1"):
        response = client.post(NEWS_URL, {**news_data, "organisation": forged})
        assert response.status_code == 200
        assert "organisation" in response.context["form"].errors

    assert _children(brest) == before[brest.pk]
    assert _children(douarnenez) == before[douarnenez.pk]


def test_an_event_ending_before_it_starts_is_refused_on_the_end_field(login, organisation, event_data):
    douarnenez = organisation("douarnenez-madagascar")
    before = _children(douarnenez)

    response = login("asso-b").post(EVENT_URL, {**event_data, "start": _local(20, 18), "end": _local(19, 18)})

    assert response.status_code == 200
    assert response.context["form"].errors["end"] == [french("The end cannot be before the start.")]
    html = response.content.decode()
    assert 'href="#id_end"' in html and 'role="alert"' in html
    assert _children(douarnenez) == before


def test_an_event_needs_a_commune_or_an_online_link(login, organisation, event_data):
    douarnenez = organisation("douarnenez-madagascar")
    before = _children(douarnenez)
    client = login("asso-b")

    response = client.post(EVENT_URL, {**event_data, "commune": "", "online_url": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["commune"] == [
        french("Give the commune where it takes place, or an online link.")
    ]
    assert _children(douarnenez) == before

    online = client.post(EVENT_URL, {**event_data, "commune": "", "online_url": "visio.example.org/soiree"})
    assert online.status_code == 302
    assert _new_child(douarnenez, before, EventPage).online_url == "https://visio.example.org/soiree"


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "x" * 10_000),
        ("summary", "x" * 10_000),
        ("body", "x" * 100_000),
        ("tags", ",".join(f"mot{number}" for number in range(50))),
        ("tags", "y" * 300),
        ("title", "Titre\x00nul"),
        ("body", "Texte\x00nul"),
        ("tags", "eau\x00"),
        ("start", "2026-13-45T99:99"),
        ("start", "demain"),
        ("start", "\x00"),
        ("end", "99999-01-01T10:00"),
        ("online_url", "javascript:alert(1)"),
        ("department", "99\x00"),
        ("organisation", "\x00"),
    ],
)
def test_bad_input_gives_field_errors_never_a_500(login, organisation, event_data, field, value):
    douarnenez = organisation("douarnenez-madagascar")
    before = _children(douarnenez)

    response = login("asso-b").post(EVENT_URL, {**event_data, field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _children(douarnenez) == before


def test_control_characters_are_dropped_from_the_text(login, news_data):
    login("asso-b").post(NEWS_URL, {**news_data, "title": "Bonne\x07 année\x1b", "summary": "Vœux\x0b 2026"})
    news = NewsPage.objects.get(title="Bonne année")
    assert news.summary == "Vœux 2026"


def test_the_confirmation_only_names_a_page_the_user_may_edit(login, organisation, news_data, client):
    login("asso-a").post(NEWS_URL, {**news_data, "title": "Nouvelles de Brest"})
    other = NewsPage.objects.get(title="Nouvelles de Brest")
    client.logout()

    response = login("asso-b").get(f"{NEWS_URL}?envoye={other.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nouvelles de Brest" not in html
    assert 'class="proposal-form"' in html
    for value in ("abc", "-1", str(2**70), "1\x00"):
        assert login("asso-b").get(NEWS_URL, {"envoye": value}).status_code == 200


def test_the_form_is_protected_against_cross_site_requests(organisation, news_data):
    client = Client(enforce_csrf_checks=True)
    from casi_workspace.demo.data import DEFAULT_PASSWORD

    assert client.login(username="asso-b", password=DEFAULT_PASSWORD)
    douarnenez = organisation("douarnenez-madagascar")
    before = _children(douarnenez)
    assert client.post(NEWS_URL, news_data).status_code == 403
    assert _children(douarnenez) == before


def test_an_editor_of_two_organisations_chooses_one_of_them(login, organisation, news_data):
    from django.contrib.auth import get_user_model

    brest, douarnenez = organisation("brest-sahel-solidarite"), organisation("douarnenez-madagascar")
    get_user_model().objects.get(username="asso-b").groups.add(brest.workspace.editors_group)
    before = _children(brest)
    client = login("asso-b")

    html = client.get(NEWS_URL).content.decode()
    assert '<select name="organisation"' in html
    assert f'<option value="{brest.pk}">{escape(brest.title)}</option>' in html
    assert f'<option value="{douarnenez.pk}">{escape(douarnenez.title)}</option>' in html
    missing = client.post(NEWS_URL, news_data)
    assert missing.status_code == 200 and "organisation" in missing.context["form"].errors

    response = client.post(NEWS_URL, {**news_data, "organisation": brest.pk})
    assert response.status_code == 302
    assert _new_child(brest, before).live  # brest-sahel-solidarite is trusted: its editors publish
