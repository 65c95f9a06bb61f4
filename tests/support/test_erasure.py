"""Erasing support requests: after the retention period (`casi_support_erase`), at once by the requester from
their link, or by the desk. The request, its timeline and its files go (from the storage too); its anonymous
figures record stays; whoever may not see the request may not erase it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from casi_workspace.models import SupportEvent, SupportRecord, SupportRequest
from casi_workspace.support.services import support_request_create, support_requester_reopen
from casi_workspace.support.tokens import follow_token

from .conftest import committed, new_structure, pdf

pytestmark = pytest.mark.django_db
DESK = "/admin/casi_workspace/accompagnements/"


def _create(**fields) -> SupportRequest:
    data = new_structure(**fields)
    data.pop("organisation")
    support_request = support_request_create(data=data | {"consent": True}, uploads=[pdf()])
    assert support_request.record  # read now (and kept on the object): the record outlives the request
    return support_request


def _closed(days_ago: int, **fields) -> SupportRequest:
    support_request = _create(**fields)
    closed_at = timezone.now() - datetime.timedelta(days=days_ago)
    SupportRequest.objects.filter(pk=support_request.pk).update(status="closed", closed_at=closed_at)
    support_request.refresh_from_db()
    assert support_request.record
    return support_request


def _assert_erased(support_request: SupportRequest, file_name: str) -> None:
    assert not SupportRequest.objects.filter(pk=support_request.pk).exists()
    assert not SupportEvent.objects.filter(request_id=support_request.pk).exists()
    assert not default_storage.exists(file_name)
    record = SupportRecord.objects.get(pk=support_request.record.pk)
    assert record.request_id is None and record.erased_at is not None
    assert record.need == support_request.need and record.department == support_request.department


def _erase_command() -> str:
    out = io.StringIO()
    with committed():
        call_command("casi_support_erase", stdout=out)
    return out.getvalue()


def test_requests_closed_past_the_retention_period_are_erased(settings):
    settings.CASI_WORKSPACE_SUPPORT_RETENTION_DAYS = 3 * 365
    old = _closed(3 * 365 + 2)
    old_file = old.attachments.get().file.name
    recent, still_open = _closed(300), _create()
    assert default_storage.exists(old_file)
    assert "1 demandes d’accompagnement effacées." in _erase_command()
    _assert_erased(old, old_file)
    assert SupportRequest.objects.filter(pk__in=[recent.pk, still_open.pk]).count() == 2
    assert default_storage.exists(recent.attachments.get().file.name)
    # Run again: nothing more to do.
    assert "0 demandes d’accompagnement effacées." in _erase_command()
    # A shorter period, set by the site, erases the other closed one too.
    settings.CASI_WORKSPACE_SUPPORT_RETENTION_DAYS = 30
    _erase_command()
    assert list(SupportRequest.objects.filter(pk__in=[recent.pk, still_open.pk])) == [still_open]


def test_reopening_starts_the_clock_again(settings):
    settings.CASI_WORKSPACE_SUPPORT_RETENTION_DAYS = 30
    support_request = _closed(400)
    support_requester_reopen(support_request=support_request)
    _erase_command()
    assert SupportRequest.objects.filter(pk=support_request.pk).exists()


def test_the_requester_erases_their_request_from_their_link(client: Client):
    support_request = _create()
    file_name = support_request.attachments.get().file.name
    token = follow_token(support_request)
    page = f"/casi/accompagnement/suivi/{token}/"
    html = client.get(page).content.decode()
    assert f'href="{page}effacer/"' in html and "Effacer ma demande" in html
    confirm = client.get(f"{page}effacer/")
    assert confirm.status_code == 200 and "Oui, effacer définitivement ma demande" in confirm.content.decode()
    assert SupportRequest.objects.filter(pk=support_request.pk).exists()  # asking is not erasing
    with committed():
        response = client.post(f"{page}effacer/")
    assert response.status_code == 302 and response["Location"] == page
    _assert_erased(support_request, file_name)
    for url in (page, f"{page}effacer/", f"{page}documents/1/"):
        gone = client.get(url)
        assert gone.status_code == 410, url
        assert "Cette demande a été effacée" in gone.content.decode()
    assert client.post(f"{page}effacer/").status_code == 410
    # A forged link is still told apart from an erased request.
    assert client.get(f"/casi/accompagnement/suivi/{token}x/").status_code == 400


def test_a_coordinator_erases_a_request_from_the_desk(client: Client, login):
    support_request = _create()
    file_name = support_request.attachments.get().file.name
    login("coordination")
    detail = client.get(f"{DESK}{support_request.pk}/").content.decode()
    assert f'href="{DESK}{support_request.pk}/effacer/"' in detail
    confirm = client.get(f"{DESK}{support_request.pk}/effacer/")
    assert confirm.status_code == 200 and "Effacer définitivement la demande" in confirm.content.decode()
    with committed():
        response = client.post(f"{DESK}{support_request.pk}/effacer/")
    assert response.status_code == 302 and response["Location"] == DESK
    assert "La demande est effacée" in client.get(DESK).content.decode()
    _assert_erased(support_request, file_name)
    assert client.get(f"{DESK}{support_request.pk}/").status_code == 404
    assert client.get(f"/casi/accompagnement/suivi/{follow_token(support_request)}/").status_code == 410


def test_a_collective_erases_its_own_requests_only(client: Client, login, collective_opted_in):
    own, network = _create(department="29"), _create(department="35")
    login("collectif-29")
    assert client.post(f"{DESK}{network.pk}/effacer/").status_code == 404
    assert SupportRequest.objects.filter(pk=network.pk).exists()
    with committed():
        assert client.post(f"{DESK}{own.pk}/effacer/").status_code == 302
    assert not SupportRequest.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("username", ["asso-a", "asso-b", None])
def test_editors_and_visitors_cannot_erase(client: Client, login, username):
    support_request = _create(department="29")
    if username:
        login(username)
    for method in (client.get, client.post):
        response = method(f"{DESK}{support_request.pk}/effacer/")
        assert response.status_code in (302, 403, 404)
    assert SupportRequest.objects.filter(pk=support_request.pk).exists()
