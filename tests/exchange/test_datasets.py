"""The exchange format: what a partner network's site receives from each dataset, page after page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casi_workspace.demo.scale import publications_scale
from casi_workspace.models import EventPage, OrganisationPage
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

EVENTS = "/donnees/v1/evenements/"


def _all_items(client, url: str) -> list[dict]:
    """Every item of a dataset, following the `next` links as a partner would."""
    items, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        document = response.json()
        items += document["items"]
        url, pages = document["next"], pages + 1
        assert pages < 100
    return items


def test_an_event_is_described_in_schema_org_identified_dated_and_attributed(client):
    event = publication_create("event", "brest-sahel-solidarite", title="Festival des solidarités à Brest")

    response = client.get(EVENTS)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["version"] == "1"
    assert document["license"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    item = next(item for item in _all_items(client, EVENTS) if item["identifier"] == str(event.pk))
    assert item["@type"] == "Event"
    assert item["name"] == "Festival des solidarités à Brest"
    assert item["@id"] == item["url"] and item["url"].endswith("/annuaire/brest-sahel-solidarite/" + event.slug + "/")
    assert item["startDate"] == event.start.isoformat()
    event.refresh_from_db()
    assert item["dateModified"] == event.last_published_at.isoformat()
    assert item["publisher"]["name"] == event.organisation.title
    assert item["publisher"]["@id"].endswith("/annuaire/brest-sahel-solidarite/")


def test_only_what_a_visitor_may_see_is_published(client):
    publication_create("event", "brest-sahel-solidarite", live=False, title="Brouillon échangé")
    private = publication_create("event", "brest-sahel-solidarite", title="Privé échangé")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    past = timezone.now() - datetime.timedelta(hours=1)
    publication_create("event", "brest-sahel-solidarite", title="Expiré échangé", expire_at=past)
    offline = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    publication_create("event", offline, title="Structure retirée échangée")
    offline.unpublish()

    names = {item["name"] for item in _all_items(client, EVENTS)}

    assert names
    assert not names & {"Brouillon échangé", "Privé échangé", "Expiré échangé", "Structure retirée échangée"}
    public_events = EventPage.objects.live().public().filter(organisation__live=True)
    public = {str(pk) for pk in public_events.values_list("pk", flat=True)}
    assert {item["identifier"] for item in _all_items(client, EVENTS)} <= public


def test_a_partner_pages_through_everything_once_and_then_fetches_only_what_changed(client):
    publications_scale(count=30, kinds=["event"], search_index=False, report=lambda _line: None)
    everything = _all_items(client, f"{EVENTS}?taille=7")
    identifiers = [item["identifier"] for item in everything]
    assert len(identifiers) == len(set(identifiers)) >= 30
    assert identifiers and set(identifiers) == {item["identifier"] for item in _all_items(client, EVENTS)}

    since = timezone.now()
    changed = EventPage.objects.get(pk=int(identifiers[0]))
    changed.title = "Rencontre modifiée"
    changed.save_revision().publish()
    added = publication_create("event", "brest-sahel-solidarite", title="Rencontre ajoutée")

    query = since.isoformat().replace("+", "%2B")
    news = _all_items(client, f"{EVENTS}?modifie_depuis={query}&taille=1")

    assert [item["name"] for item in news] == ["Rencontre modifiée", "Rencontre ajoutée"]
    assert news[1]["identifier"] == str(added.pk)


def test_items_taken_off_the_site_are_listed_as_withdrawn(client, admin_user):
    kept = publication_create("event", "brest-sahel-solidarite", title="Reste en ligne")
    unpublished = publication_create("event", "brest-sahel-solidarite", title="Dépublié")
    deleted = publication_create("event", "brest-sahel-solidarite", title="Supprimé")
    since = timezone.localdate().isoformat()
    unpublished.unpublish(user=admin_user)
    deleted_pk = deleted.pk
    deleted.delete(user=admin_user)

    document = client.get(f"{EVENTS}?modifie_depuis={since}").json()

    withdrawn = {row["identifier"] for row in document["withdrawn"]}
    assert {str(unpublished.pk), str(deleted_pk)} <= withdrawn
    assert str(kept.pk) not in withdrawn
    assert "withdrawn" not in client.get(EVENTS).json()

    unpublished.save_revision().publish()
    again = client.get(f"{EVENTS}?modifie_depuis={since}").json()
    assert str(unpublished.pk) not in {row["identifier"] for row in again["withdrawn"]}


def test_the_directory_names_organisations_by_siren_and_rna_and_keeps_private_contacts_out(client):
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    organisation.siren, organisation.rna = "732829320", "W294000123"
    organisation.private_email, organisation.private_phone = "tresorerie-privee@example.org", "06 99 99 99 99"
    organisation.save_revision().publish()

    response = client.get("/donnees/v1/annuaire/?taille=100")
    items = _all_items(client, "/donnees/v1/annuaire/")

    item = next(item for item in items if item["name"] == organisation.title)
    assert item["@type"] == "Organization"
    assert {"@type": "PropertyValue", "propertyID": "SIREN", "value": "732829320"} in item["identifier"]
    assert {"@type": "PropertyValue", "propertyID": "RNA", "value": "W294000123"} in item["identifier"]
    assert b"tresorerie-privee" not in response.content and b"06 99 99" not in response.content
    assert all(item["@type"] == "Organization" for item in items)


@pytest.mark.parametrize(
    "query",
    [
        "modifie_depuis=hier",
        "modifie_depuis=2026-13-45",
        "modifie_depuis=99999-01-01",
        "apres=abc",
        "apres=99999999999999999999999-1",
        "apres=1-",
        "taille=0",
        "taille=abc",
        "taille=100000",
        "modifie_depuis=%3Cscript%3E",
    ],
)
def test_a_malformed_parameter_is_a_400_that_says_what_is_expected_in_french(client, query):
    response = client.get(f"{EVENTS}?{query}")

    assert response.status_code == 400
    assert "n'est pas valide" in response.json()["error"]


@pytest.mark.parametrize("path", ["/donnees/v1/inconnu/", "/donnees/v2/evenements/", "/donnees/v1/Evenements/"])
def test_an_unknown_dataset_or_version_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_an_unchanged_dataset_answers_a_conditional_request_with_304(client):
    """Served by the view, then from the page cache: both answer a partner's conditional request."""
    url = f"{EVENTS}?modifie_depuis={timezone.localdate().isoformat()}"
    first = client.get(url)

    for _attempt in range(2):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    publication_create("event", "brest-sahel-solidarite", title="Nouveauté")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Nouveauté" in {item["name"] for item in changed.json()["items"]}


def test_a_dataset_page_costs_the_same_queries_at_any_size(client, django_assert_max_num_queries, page_cache_off):
    with django_assert_max_num_queries(100) as small:
        client.get(EVENTS)
    publications_scale(count=250, kinds=["event"], search_index=False, report=lambda _line: None)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(EVENTS)
    assert len(response.json()["items"]) == 100
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/donnees/v1/annuaire/")
