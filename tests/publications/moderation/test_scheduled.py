"""Scheduled publishing: an item with a future go-live date stays out of every listing until
`manage.py publish_scheduled` runs after that date, whether a trusted editor published it or a coordinator
approved it.

Time passing is played by moving the scheduled dates (the revision's approved go-live date and the
go-live date it holds) into the past, as they would be on a later run of the command.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone, translation
from wagtail.models import Page, PageLogEntry, Revision

from casi_workspace.models import OrganisationPage
from casi_workspace.publications.selectors.listings import publications_public

from .helpers import add_news, sign_in, workflow_action

pytestmark = pytest.mark.django_db

GO_LIVE = timezone.localtime() + datetime.timedelta(days=2)


def _go_live_field() -> str:
    return GO_LIVE.strftime("%Y-%m-%d %H:%M")


def _time_passes(page: Page) -> None:
    """Three days later: the scheduled date is now in the past."""
    past = timezone.now() - datetime.timedelta(days=1)
    for revision in Revision.objects.filter(object_id=str(page.pk), base_content_type__model="page"):
        if revision.content.get("go_live_at"):
            revision.content["go_live_at"] = past.isoformat()
        if revision.approved_go_live_at:
            revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])
    Page.objects.filter(pk=page.pk, go_live_at__isnull=False).update(go_live_at=past)


def _publish_scheduled() -> None:
    call_command("publish_scheduled", stdout=io.StringIO())


def _listed(client, title: str) -> bool:
    client.logout()
    return title in client.get("/actualites/").content.decode()


def test_a_trusted_editors_scheduled_news_waits_for_its_date_and_the_command(client):
    title = "Ouverture de la Quinzaine de la solidarité"
    sign_in(client, "asso-a")
    page = add_news(
        client,
        OrganisationPage.objects.get(slug="brest-sahel-solidarite"),
        title,
        action="action-publish",
        go_live_at=_go_live_field(),
    )
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision().approved_go_live_at is not None
    assert not publications_public().filter(pk=page.pk).exists()
    assert not _listed(client, title)

    _publish_scheduled()  # before the date: nothing happens
    page.refresh_from_db()
    assert not page.live and not _listed(client, title)

    _time_passes(page)
    assert not _listed(client, title)  # the date has passed, but nothing is published until the command runs
    _publish_scheduled()
    page.refresh_from_db()
    assert page.live
    assert publications_public().filter(pk=page.pk).exists()
    assert _listed(client, title)
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").exists()


def test_an_approved_submission_with_a_future_date_goes_online_on_that_date(client, django_capture_on_commit_callbacks):
    title = "Semaine de la solidarité internationale à Douarnenez"
    sign_in(client, "asso-b")
    page = add_news(
        client, OrganisationPage.objects.get(slug="douarnenez-madagascar"), title, go_live_at=_go_live_field()
    )
    sign_in(client, "coordination")
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert not page.live
    assert not _listed(client, title)
    [approved] = [message for message in mail.outbox if message.to == ["asso-b@example.org"]]
    with translation.override("fr"):
        assert formats.date_format(GO_LIVE, "DATETIME_FORMAT") in approved.body  # "25 novembre 2026 10:30"
    assert page.get_full_url() in approved.body

    _time_passes(page)
    _publish_scheduled()
    page.refresh_from_db()
    assert page.live
    assert _listed(client, title)
