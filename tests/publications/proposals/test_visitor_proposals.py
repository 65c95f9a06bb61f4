"""Visitors propose an event at /agenda/proposer/: a draft for the coordinators, never published by itself.

The proposal is a draft EventPage under the network's own organisation page (casi-bretagne), in the
network coordinators' workflow; robots (honeypot) and floods (rate limit per client address) are
turned away. New messages are compared with `french()` of their msgid.
"""

from __future__ import annotations

from html import escape, unescape
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from casi_workspace.models import EventPage, OrganisationPage
from tests.helpers import form_controls, french

from .conftest import VISITOR_URL, _local

pytestmark = pytest.mark.django_db

THANKS_URL = f"{VISITOR_URL}?envoye=1"


def _network_children() -> set[int]:
    return set(Page.objects.child_of(OrganisationPage.objects.get(slug="casi-bretagne")).values_list("pk", flat=True))


def _events_count() -> int:
    return EventPage.objects.count()


def test_the_form_is_french_labelled_and_hides_its_honeypot(client):
    response = client.get(VISITOR_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "no-cache" in response["Cache-Control"]
    parser = form_controls(html, "proposal-form")
    names = [control["name"] for control in parser.controls]
    assert names == [
        "proposer_name",
        "proposer_email",
        "organisation_name",
        "title",
        "description",
        "start",
        "end",
        "venue",
        "commune",
        "department",
        "online_url",
        "price",
        "registration_url",
        "homepage",
    ]
    for control in parser.controls:
        assert control["id"] in parser.label_targets, f"{control['name']} has no label"
    honeypot = parser.controls[-1]
    assert honeypot["tabindex"] == "-1" and honeypot["autocomplete"] == "off"
    assert '<div class="visually-hidden" aria-hidden="true">' in html


def test_a_visitor_s_event_is_a_draft_in_the_network_coordinators_queue(client, login, visitor_data):
    before = _network_children()

    response = client.post(VISITOR_URL, visitor_data)

    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    created = _network_children() - before
    assert len(created) == 1
    event = EventPage.objects.get(pk=created.pop())
    assert event.title == visitor_data["title"]
    assert not event.live
    assert event.organisation.slug == "casi-bretagne"
    assert (event.proposer_name, event.proposer_email) == ("Maïwenn Le Bihan", "maiwenn@example.org")
    assert event.summary.startswith(french("Proposed by %(organisation)s.") % {"organisation": "Lycée de l'Iroise"})
    assert "table ronde" in event.summary
    assert event.body[0].value.source.startswith("<p>Des stands d&#x27;associations")
    assert (event.commune, event.department) == ("Brest", "29")
    assert event.get_latest_revision() is not None
    state = WorkflowState.objects.for_instance(event).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Modération — Coordination du réseau"
    assert state.requested_by is None

    thanks = client.get(THANKS_URL)
    assert thanks.status_code == 200
    assert french("Thank you: your event has been sent.") in unescape(thanks.content.decode())

    coordinator = login("coordination")
    user = coordinator.get("/admin/").wsgi_request.user
    assert TaskState.objects.reviewable_by(user).filter(workflow_state__object_id=str(event.pk)).exists()
    assert escape(event.title) in coordinator.get("/admin/").content.decode()


def test_the_proposal_appears_nowhere_public_until_a_coordinator_approves_it(client, visitor_data):
    client.post(VISITOR_URL, visitor_data)
    event = EventPage.objects.get(title=visitor_data["title"])
    search_word = "Iroise"

    def public_pages() -> list[str]:
        visitor = Client()
        return [
            visitor.get("/agenda/").content.decode(),
            visitor.get("/recherche/", {"q": search_word}).content.decode(),
            visitor.get("/recherche/", {"q": visitor_data["title"]}).content.decode(),
        ]

    # The search page repeats the query: look for the item's address and summary, not its title.
    for html in public_pages():
        assert f"/{quote(event.slug)}/" not in html and "table ronde" not in unescape(html)
    assert Client().get(f"/annuaire/casi-bretagne/{event.slug}/").status_code == 404

    # A coordinator's approval, through the admin's workflow action, publishes it.
    coordinator = Client()
    coordinator.login(username="coordination", password=_password())
    task_state = WorkflowState.objects.for_instance(event).get().current_task_state
    response = coordinator.post(
        reverse("wagtailadmin_pages:workflow_action", args=[event.pk, "approve", task_state.pk]), {"comment": ""}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.live
    for html in public_pages():
        assert f"/{quote(event.slug)}/" in html
    assert Client().get(f"/annuaire/casi-bretagne/{event.slug}/").status_code == 200


def _password() -> str:
    from casi_workspace.demo.data import DEFAULT_PASSWORD

    return DEFAULT_PASSWORD


def test_a_filled_honeypot_pretends_success_and_creates_nothing(client, visitor_data):
    before = _events_count()
    response = client.post(VISITOR_URL, {**visitor_data, "homepage": "https://spam.example.com"})
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    assert _events_count() == before


def test_the_sixth_proposal_from_one_address_within_the_hour_is_refused(client, visitor_data):
    before = _events_count()
    for number in range(5):
        response = client.post(VISITOR_URL, {**visitor_data, "title": f"Soirée {number}"})
        assert response.status_code == 302
    response = client.post(VISITOR_URL, {**visitor_data, "title": "Soirée de trop"})
    assert response.status_code == 429
    message = french("Too many events have been proposed from your connection. Please try again in an hour.")
    assert message in unescape(response.content.decode())
    assert 'role="alert"' in response.content.decode()
    assert _events_count() == before + 5
    assert not EventPage.objects.filter(title="Soirée de trop").exists()

    other_address = client.post(VISITOR_URL, {**visitor_data, "title": "Autre lycée"}, REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 302


def test_an_event_ending_before_it_starts_is_refused_on_the_end_field(client, visitor_data):
    before = _events_count()
    response = client.post(VISITOR_URL, {**visitor_data, "start": _local(30, 18), "end": _local(30, 9)})
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == [french("The end cannot be before the start.")]
    assert _events_count() == before


def test_an_event_needs_a_commune_or_an_online_link(client, visitor_data):
    before = _events_count()
    response = client.post(VISITOR_URL, {**visitor_data, "commune": "", "online_url": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["commune"] == [
        french("Give the commune where it takes place, or an online link.")
    ]
    assert _events_count() == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "x" * 10_000),
        ("description", "x" * 100_000),
        ("proposer_name", "x" * 10_000),
        ("organisation_name", "x" * 10_000),
        ("proposer_email", "pas-un-courriel"),
        ("proposer_email", "a@b\x00.fr"),
        ("title", "Forum\x00"),
        ("description", "\x00"),
        ("commune", "Brest\x00"),
        ("start", "2026-02-30T10:00"),
        ("start", "32/13/2026 25:61"),
        ("end", "10000-01-01T00:00"),
        ("department", "../../etc"),
        ("registration_url", "javascript:alert(1)"),
        ("price", "€" * 1000),
    ],
)
def test_bad_input_gives_field_errors_never_a_500(client, visitor_data, field, value):
    before = _events_count()
    response = client.post(VISITOR_URL, {**visitor_data, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _events_count() == before


def test_a_query_string_on_the_form_never_errs(client):
    for value in ("0", "2", "<script>", "\x00"):
        response = client.get(VISITOR_URL, {"envoye": value})
        assert response.status_code == 200
        assert 'class="proposal-form"' in response.content.decode()


@pytest.mark.parametrize("url", ["/actualites/proposer/", "/appels-a-projets/proposer/", "/formations/proposer/"])
def test_only_the_agenda_takes_proposals(client, visitor_data, url):
    before = _events_count()
    assert client.get(url).status_code == 404
    assert client.post(url, visitor_data).status_code == 404
    assert _events_count() == before


def test_the_form_is_protected_against_cross_site_requests(visitor_data):
    before = _events_count()
    response = Client(enforce_csrf_checks=True).post(VISITOR_URL, visitor_data)
    assert response.status_code == 403
    assert _events_count() == before


@pytest.mark.parametrize("setting, slug", [("collectif-22", "collectif-22"), ("inconnue", "casi-bretagne")])
def test_the_receiving_organisation_is_a_setting_with_the_network_as_fallback(
    client, settings, visitor_data, setting, slug
):
    settings.CASI_WORKSPACE_PROPOSALS_ORGANISATION = setting
    assert client.post(VISITOR_URL, visitor_data).status_code == 302
    assert EventPage.objects.get(title=visitor_data["title"]).get_parent().slug == slug
