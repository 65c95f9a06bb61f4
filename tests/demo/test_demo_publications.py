"""The demo's publications: every organisation publishes each kind, and asso-b's news waits for moderation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Revision, WorkflowState

from casi_workspace.demo import data
from casi_workspace.demo.publications import COUNTS, NETWORK_COUNTS, PENDING_NEWS
from casi_workspace.models import OrganisationPage
from casi_workspace.publications.models.publications import (
    PUBLICATION_MODELS,
    CallForProjectsPage,
    EventPage,
    NewsPage,
    OfferKind,
    OfferPage,
    ProjectPage,
    PublicationPage,
    ResourceKind,
    ResourcePage,
    TrainingPage,
)

pytestmark = pytest.mark.django_db

DEMO_ORGANISATIONS = [data.NETWORK, *data.COLLECTIVES, *data.MEMBERS]


def test_every_organisation_publishes_each_kind():
    rows = PublicationPage.objects.live().values_list("organisation__slug", "kind")
    counts: dict[tuple[str, str], int] = {}
    for slug, kind in rows:
        counts[slug, kind] = counts.get((slug, kind), 0) + 1
    for org in DEMO_ORGANISATIONS:
        expected = NETWORK_COUNTS if org.slug == data.NETWORK.slug else COUNTS
        for kind in PUBLICATION_MODELS:
            assert counts.get((org.slug, kind), 0) >= expected[kind] >= 2, (org.slug, kind)
    # Each item belongs to the organisation it sits under, and lives in its département unless said otherwise.
    assert not PublicationPage.objects.filter(organisation__isnull=True).exists()
    assert not PublicationPage.objects.exclude(department__in=["22", "29", "35", "56"]).exists()


def test_events_are_mostly_to_come_a_few_past_a_few_online():
    now = timezone.now()
    events = EventPage.objects.live()
    past, upcoming = events.filter(start__lt=now).count(), events.filter(start__gte=now).count()
    online = events.exclude(online_url="").filter(start__gte=now).count()
    assert 0 < past < upcoming
    assert 0 < online < upcoming / 2
    assert not events.filter(end__lt=F("start")).exists()
    # An online event has no commune; an event in a place has one.
    assert not events.filter(online_url="", commune="").exists()
    assert not TrainingPage.objects.live().filter(start__lt=now).exists()


def test_calls_are_open_but_one_that_closed():
    today = timezone.localdate()
    closed = CallForProjectsPage.objects.live().filter(deadline__lt=today)
    assert [call.organisation.slug for call in closed] == [data.NETWORK.slug]
    assert CallForProjectsPage.objects.live().filter(deadline__gte=today).count() > 40
    assert not CallForProjectsPage.objects.filter(funder="").exists()


def test_offers_resources_and_projects_are_varied():
    assert set(OfferPage.objects.values_list("offer_kind", flat=True)) == set(OfferKind.values)
    abroad = OfferPage.objects.filter(offer_kind=OfferKind.INTERNATIONAL_VOLUNTEERING).first()
    assert abroad is not None and abroad.country.code != "FR"
    assert set(ResourcePage.objects.values_list("resource_kind", flat=True)) == set(ResourceKind.values)
    for project in ProjectPage.objects.live():
        assert project.countries and len(project.partner_list) == 2, project.title
        assert project.start_date < project.end_date
    assert len(set(ProjectPage.objects.values_list("status", flat=True))) == 3


def test_items_are_tagged_and_written_in_french():
    news = NewsPage.objects.live().filter(organisation__slug=data.TRUSTED_ASSOCIATION).first()
    assert news.tags.exists()
    assert news.summary and news.body
    tags = set(PublicationPage.tags.through.objects.values_list("tag__name", flat=True))
    assert {"eau", "éducation", "santé", "ECSI", "migrations"} <= tags


@pytest.mark.parametrize("username", ["asso-a", "asso-b"])
def test_editors_open_their_items_in_the_admin(username, login):
    user = User.objects.get(username=username)
    organisation = user.groups.get().organisation_workspace.organisation
    items = PublicationPage.objects.live().filter(organisation=organisation)
    # Its own demo items, plus its events in the Festival des Solidarités (demo/campaign.py).
    assert items.filter(eventpage__campaign__isnull=True).count() == sum(COUNTS.values())
    # Each has its one revision, the live one, by the association's account.
    assert not items.filter(live_revision__isnull=True).exists()
    assert not items.filter(has_unpublished_changes=True).exists()
    revisions = Revision.objects.filter(object_id__in=[str(pk) for pk in items.values_list("pk", flat=True)])
    assert revisions.count() == items.count()
    assert set(revisions.values_list("user__username", flat=True)) == {username}
    client = login(username)
    for item in items.filter(kind__in=["news", "event", "call"]):
        response = client.get(f"/admin/pages/{item.pk}/edit/")
        assert response.status_code == 200, item.title
        assert escape(item.title) in response.content.decode()


def test_search_finds_a_demo_item():
    item = ProjectPage.objects.live().filter(organisation__slug=data.TRUSTED_ASSOCIATION).order_by("path").first()
    word = max(item.title.split(), key=len)
    response = Client().get("/recherche/", {"q": word, "organisation": data.TRUSTED_ASSOCIATION})
    assert response.status_code == 200
    assert item.title in response.content.decode()
    # Found by its tags too.
    tag = item.tags.first().name
    response = Client().get("/recherche/", {"q": tag, "organisation": data.TRUSTED_ASSOCIATION, "type": "project"})
    assert item.title in response.content.decode()


def _pending():
    organisation = OrganisationPage.objects.get(slug=data.UNTRUSTED_ASSOCIATION)
    return NewsPage.objects.child_of(organisation).get(title=PENDING_NEWS.title)


def test_asso_b_has_one_news_item_waiting_for_moderation():
    pending = _pending()
    assert not pending.live and pending.first_published_at is None
    assert not PublicationPage.objects.filter(live=False).exclude(pk=pending.pk).exists()
    state = WorkflowState.objects.get(status=WorkflowState.STATUS_IN_PROGRESS)
    assert int(state.object_id) == pending.pk
    assert state.requested_by.username == "asso-b"
    assert state.current_task_state.revision.user.username == "asso-b"
    groups = set(state.current_task_state.task.specific.groups.values_list("name", flat=True))
    assert {group.name for group in User.objects.get(username="coordination").groups.all()} <= groups
    assert {group.name for group in User.objects.get(username="collectif-29").groups.all()} <= groups


@pytest.mark.parametrize(("username", "sees"), [("coordination", True), ("collectif-29", True), ("asso-a", False)])
def test_the_pending_news_is_in_the_coordinators_queue(username, sees, login):
    response = login(username).get("/admin/casi_workspace/moderation/")
    if sees:
        assert response.status_code == 200
        assert PENDING_NEWS.title in response.content.decode()
    else:
        assert response.status_code in (302, 403) or PENDING_NEWS.title not in response.content.decode()


def test_the_pending_news_appears_nowhere_public(client):
    pending = _pending()
    assert client.get(pending.get_url()).status_code == 404
    assert PENDING_NEWS.title not in client.get("/actualites/").content.decode()
    assert PENDING_NEWS.title not in client.get("/recherche/", {"q": "pirogue"}).content.decode()


def test_the_numbers_the_readme_gives():
    """README.md, "Demo accounts": 712 live items (the festival's 30 events included), and how many of each kind."""
    expected = {"news": 92, "event": 166, "call": 92, "offer": 90, "training": 91, "resource": 91, "project": 90}
    counts = {kind: model.objects.live().count() for kind, model in PUBLICATION_MODELS.items()}
    assert counts == expected
    assert sum(counts.values()) == 712
