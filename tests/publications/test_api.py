"""Wagtail API v2 at /api/v2/: our page types with their public fields, nothing private, never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casi_workspace.models import PUBLICATION_MODELS, OrganisationPage, PublicationPage
from tests.publications.helpers import publication_create
from tests.publications.moderation.helpers import draft_news, submit

pytestmark = pytest.mark.django_db

SHARED_FIELDS = {"kind", "summary", "organisation", "department", "tags", "image", "image_alt", "body"}
KIND_FIELDS = {
    "news": {},
    "event": {
        "commune": "Brest",
        "venue": "Maison des associations",
        "price": "Gratuit",
        "registration_url": "https://inscription.example.org/",
        "online_url": "",
    },
    "call": {"funder": "Région Bretagne", "amount": "10 000 €", "eligibility": "<p>Associations</p>"},
    "offer": {"offer_kind": "internship", "commune": "Brest", "country": "FR"},
    "training": {"audience": "Bénévoles", "commune": "Quimper", "venue": "MDA"},
    "resource": {"resource_kind": "guide", "attachments": []},
    "project": {"partners": "Commune de Kayes", "status": "ongoing", "countries": ["ML", "SN"]},
}
DATE_FIELDS = {
    "event": {"start", "end"},
    "call": {"deadline"},
    "offer": {"deadline", "start_date"},
    "training": {"start", "end"},
    "project": {"start_date", "end_date"},
}
PRIVATE_PUBLICATION_FIELDS = {"proposer_name", "proposer_email"}
PRIVATE_ORGANISATION_FIELDS = {"private_email", "private_phone", "contact_name", "is_trusted"}


def _publication(kind: str, **fields) -> PublicationPage:
    values = {name: value for name, value in KIND_FIELDS[kind].items() if name not in ("attachments",)}
    page = publication_create(
        kind, "brest-sahel-solidarite", summary=f"Résumé {kind}.", tags=["eau", "jumelage"], **values, **fields
    )
    PublicationPage.objects.filter(pk=page.pk).update(proposer_name="Jeanne Secrète", proposer_email="jeanne@x.org")
    return page


@pytest.mark.parametrize("kind", list(PUBLICATION_MODELS))
def test_detail_of_each_kind_has_its_fields_and_no_proposer(client, kind):
    page = _publication(kind)
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == page.title
    assert data["meta"]["type"] == f"casi_workspace.{PUBLICATION_MODELS[kind].__name__}"
    assert data["meta"]["html_url"].endswith(page.url)
    assert set(data) >= SHARED_FIELDS
    assert data["kind"] == kind
    assert data["summary"] == f"Résumé {kind}."
    assert data["organisation"]["slug"] == "brest-sahel-solidarite"
    assert data["organisation"]["title"] == "Brest Sahel Solidarité"
    assert data["organisation"]["html_url"].endswith("/annuaire/brest-sahel-solidarite/")
    assert data["department"] == "29"
    assert sorted(data["tags"]) == ["eau", "jumelage"]
    for name, value in KIND_FIELDS[kind].items():
        assert data[name] == value, name
    assert set(data) >= DATE_FIELDS.get(kind, set())
    text = response.content.decode()
    assert not PRIVATE_PUBLICATION_FIELDS & set(data)
    assert "Jeanne" not in text and "jeanne@x.org" not in text


@pytest.mark.parametrize("kind", list(PUBLICATION_MODELS))
def test_listing_of_each_kind_with_every_field(client, kind):
    page = _publication(kind)
    model = PUBLICATION_MODELS[kind]
    params = {"type": f"casi_workspace.{model.__name__}", "fields": "*", "title": page.title}
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()["items"]}
    assert page.pk in items
    item = items[page.pk]
    assert item["organisation"]["id"] == page.organisation_id
    for name, value in KIND_FIELDS[kind].items():
        assert item[name] == value, name
    assert "jeanne@x.org" not in response.content.decode()


def test_listing_filters_on_public_fields(client):
    page = _publication("offer")
    found = client.get(
        "/api/v2/pages/",
        {"type": "casi_workspace.OfferPage", "organisation": page.organisation_id, "offer_kind": "internship"},
    ).json()
    assert page.pk in [item["id"] for item in found["items"]]


@pytest.mark.parametrize(
    "params",
    [
        {"type": "casi_workspace.NewsPage", "fields": "proposer_email"},
        {"type": "casi_workspace.NewsPage", "proposer_email": "jeanne@x.org"},
        {"type": "casi_workspace.NewsPage", "order": "proposer_name"},
        {"type": "casi_workspace.OrganisationPage", "fields": "private_email"},
        {"type": "casi_workspace.OrganisationPage", "private_phone": "0"},
        {"type": "casi_workspace.OrganisationPage", "contact_name": "x"},
        {"type": "casi_workspace.OrganisationPage", "order": "is_trusted"},
    ],
)
def test_private_fields_can_be_neither_read_nor_filtered_on(client, params):
    _publication("news")
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 400
    assert "jeanne" not in response.content.decode().lower()


def test_organisation_detail_has_its_public_card_only(client):
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    OrganisationPage.objects.filter(pk=organisation.pk).update(
        private_email="tresorier@prive.example.org", private_phone="06 00 00 00 00", contact_name="Paul Privé"
    )
    response = client.get(f"/api/v2/pages/{organisation.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Brest Sahel Solidarité"
    for name in ("acronym", "actor_type", "description", "commune", "department", "website", "public_email"):
        assert name in data, name
    assert data["department"] == "29"
    assert data["parent_collective"]["slug"] == "collectif-finistere"
    assert isinstance(data["countries"], list) and data["sectors"]
    assert not PRIVATE_ORGANISATION_FIELDS & set(data)
    text = response.content.decode()
    assert "prive.example.org" not in text and "06 00 00 00 00" not in text and "Paul Privé" not in text


def test_api_search_finds_live_items(client):
    page = _publication("news", title="Le binturong de Brest")
    found = client.get("/api/v2/pages/", {"search": "binturong"}).json()
    assert [item["id"] for item in found["items"]] == [page.pk]
    typed = client.get("/api/v2/pages/", {"search": "binturong", "type": "casi_workspace.NewsPage"}).json()
    assert [item["id"] for item in typed["items"]] == [page.pk]


@pytest.fixture
def hidden(django_user_model) -> dict[str, PublicationPage]:
    """A draft, an item waiting for moderation, two private ones (password, login) and an expired one."""
    douarnenez = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    pending = draft_news(douarnenez, "Le fennec en attente")
    submit(pending, django_user_model.objects.get(username="asso-b"))
    password = publication_create("call", douarnenez, title="Le fennec protégé")
    PageViewRestriction.objects.create(page=password, restriction_type=PageViewRestriction.PASSWORD, password="x")
    login = publication_create("resource", douarnenez, title="Le fennec réservé")
    PageViewRestriction.objects.create(page=login, restriction_type=PageViewRestriction.LOGIN)
    return {
        "draft": publication_create("news", douarnenez, live=False, title="Le fennec brouillon"),
        "pending": pending,
        "password": password,
        "login": login,
        "expired": publication_create(
            "event", douarnenez, title="Le fennec expiré", expire_at=timezone.now() - datetime.timedelta(minutes=5)
        ),
    }


def _listed(client, **params) -> set[int]:
    response = client.get("/api/v2/pages/", {"limit": 20, **params})
    assert response.status_code == 200, response.content
    data = response.json()
    ids = {item["id"] for item in data["items"]}
    offset = 20
    while offset < data["meta"]["total_count"]:
        ids |= {
            item["id"]
            for item in client.get("/api/v2/pages/", {"limit": 20, "offset": offset, **params}).json()["items"]
        }
        offset += 20
    return ids


@pytest.mark.parametrize("signed_in", [False, True])
def test_hidden_items_are_absent_from_list_search_and_detail(client, login, hidden, signed_in):
    asker = login("asso-b") if signed_in else client
    visible = publication_create("news", "douarnenez-madagascar", title="Le fennec public")
    douarnenez = visible.organisation_id
    for params in ({}, {"child_of": douarnenez}, {"search": "fennec"}, {"type": "casi_workspace.NewsPage"}):
        ids = _listed(asker, **params)
        assert visible.pk in ids, params
        for name, page in hidden.items():
            assert page.pk not in ids, (name, params)
    for kind in ("EventPage", "CallForProjectsPage", "ResourcePage"):
        assert not {page.pk for page in hidden.values()} & _listed(asker, type=f"casi_workspace.{kind}")
    for name, page in hidden.items():
        assert asker.get(f"/api/v2/pages/{page.pk}/").status_code == 404, name
        assert asker.get("/api/v2/pages/find/", {"id": page.pk}).status_code == 404, name
        assert asker.get("/api/v2/pages/", {"child_of": page.pk}).status_code == 400, name


def test_a_private_organisation_and_its_items_are_absent(client, login):
    lorient = OrganisationPage.objects.get(slug="lorient-bolivie")
    item = publication_create("project", lorient, title="Projet tamarin")
    assert item.pk in _listed(client, search="tamarin")
    for restriction in (
        {"restriction_type": PageViewRestriction.PASSWORD, "password": "secret"},
        {"restriction_type": PageViewRestriction.LOGIN},
    ):
        rule = PageViewRestriction.objects.create(page=lorient, **restriction)
        for asker in (client, login("asso-a")):
            assert item.pk not in _listed(asker, search="tamarin")
            assert lorient.pk not in _listed(asker, type="casi_workspace.OrganisationPage")
            assert asker.get(f"/api/v2/pages/{item.pk}/").status_code == 404
            assert asker.get(f"/api/v2/pages/{lorient.pk}/").status_code == 404
            assert asker.get("/api/v2/pages/find/", {"html_path": "/annuaire/lorient-bolivie/"}).status_code == 404
        rule.delete()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/abc/",
        "/api/v2/pages/999999999/",
        "/api/v2/pages/" + "9" * 40 + "/",
        "/api/v2/pages/-1/",
        "/api/v2/pages/?limit=-1",
        "/api/v2/pages/?limit=abc",
        "/api/v2/pages/?limit=100000",
        "/api/v2/pages/?offset=abc",
        "/api/v2/pages/?offset=-5",
        "/api/v2/pages/?offset=" + "9" * 40,
        "/api/v2/pages/?type=notamodel",
        "/api/v2/pages/?type=casi_workspace.Nope",
        "/api/v2/pages/?type=auth.User",
        "/api/v2/pages/?type=%00",
        "/api/v2/pages/?child_of=abc",
        "/api/v2/pages/?child_of=" + "9" * 40,
        "/api/v2/pages/?descendant_of=-1",
        "/api/v2/pages/?ancestor_of=abc",
        "/api/v2/pages/?order=nope",
        "/api/v2/pages/?order=random&offset=3",
        "/api/v2/pages/?fields=nope",
        "/api/v2/pages/?fields=*,-nope",
        "/api/v2/pages/?fields=organisation(nope)",
        "/api/v2/pages/?nope=1",
        "/api/v2/pages/?title=%00",
        "/api/v2/pages/?search=a%00b",
        "/api/v2/pages/?search=brest&search_operator=xor",
        "/api/v2/pages/?type=casi_workspace.NewsPage&organisation=abc",
        "/api/v2/pages/?type=casi_workspace.NewsPage&organisation=" + "9" * 40,
        "/api/v2/pages/?type=casi_workspace.NewsPage&department=%00",
        "/api/v2/pages/?site=%00",
        "/api/v2/pages/?locale=zz",
        "/api/v2/pages/find/",
        "/api/v2/pages/find/?id=abc",
        "/api/v2/pages/find/?id=" + "9" * 40,
        "/api/v2/pages/find/?html_path=%00",
        "/api/v2/pages/find/?html_path=/n-existe-pas/",
        "/api/v2/images/",
        "/api/v2/documents/",
    ],
)
def test_bad_requests_are_4xx_never_500(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize(
    "search",
    ['"brest', " ".join(["solidarité"] * 500), "x" * 10_000, "' OR 1=1 --", ".*", "%", "\\", "\x01\x02brest"],
)
def test_hostile_api_searches_answer(client, search):
    assert client.get("/api/v2/pages/", {"search": search}).status_code == 200


def test_an_unpublished_organisation_hides_its_items(client):
    pontivy = OrganisationPage.objects.get(slug="pontivy-laos")
    item = publication_create("news", pontivy, title="Le gibbon de Pontivy")
    assert item.pk in _listed(client, search="gibbon")
    pontivy.unpublish()
    assert item.pk not in _listed(client, search="gibbon")
    assert item.pk not in _listed(client, type="casi_workspace.NewsPage")
    assert client.get(f"/api/v2/pages/{item.pk}/").status_code == 404
