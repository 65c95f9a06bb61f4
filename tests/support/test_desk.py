"""The desk in the admin: the "Accompagnements" menu, each collective's own list, the detail's whole timeline,
and a list whose queries do not grow with the requests."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casi_workspace.models import SupportEvent, SupportEventKind, SupportRequest
from casi_workspace.support.services import support_request_create
from tests.helpers import french

from .conftest import new_structure, pdf

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/casi_workspace/accompagnements/"


def _create(count: int, **fields) -> list[SupportRequest]:
    made = []
    for _ in range(count):
        data = new_structure(**fields)
        data.pop("organisation")
        made.append(support_request_create(data=data | {"consent": True}, uploads=[pdf()]))
    return made


def test_the_menu_shows_the_desk_to_coordinators_only(client: Client, login):
    label = french("Support requests")
    for username, shown in (("coordination", True), ("collectif-29", True), ("asso-a", False), ("asso-b", False)):
        client.logout()
        login(username)
        html = client.get("/admin/").content.decode()
        assert (LIST_URL in html) is shown, username
        assert (label in html) is shown, username


def test_each_collective_sees_only_the_requests_it_is_in_charge_of(client: Client, login, collective_opted_in):
    [in_29] = _create(1, department="29", project_title="Projet finistérien")
    [in_35] = _create(1, department="35", project_title="Projet rennais")
    assert in_29.responsible_collective == collective_opted_in and in_35.responsible_collective is None
    login("collectif-29")
    html = client.get(LIST_URL).content.decode()
    assert "Projet finistérien" in html and "Projet rennais" not in html
    assert client.get(f"{LIST_URL}{in_35.pk}/").status_code == 404
    client.logout()
    login("coordination")
    html = client.get(LIST_URL).content.decode()
    assert "Projet finistérien" in html and "Projet rennais" in html


def test_the_detail_shows_the_whole_timeline_and_serves_the_files(client: Client, login):
    [support_request] = _create(1)
    SupportEvent.objects.create(request=support_request, kind=SupportEventKind.NOTE, text="Rappeler jeudi")
    login("coordination")
    response = client.get(f"{LIST_URL}{support_request.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rappeler jeudi" in html and support_request.contact_email in html
    attachment = support_request.attachments.get()
    assert f"{LIST_URL}{support_request.pk}/documents/{attachment.pk}/" in html
    download = client.get(f"{LIST_URL}{support_request.pk}/documents/{attachment.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    # A file of another request is not reached through this one's address.
    [other] = _create(1)
    assert client.get(f"{LIST_URL}{support_request.pk}/documents/{other.attachments.get().pk}/").status_code == 404


@pytest.mark.parametrize("username", ["coordination", "collectif-29"])
def test_the_list_queries_do_not_grow_with_the_requests(
    client: Client, login, django_assert_max_num_queries, collective_opted_in, username
):
    _create(3, department="29")
    login(username)
    client.get(LIST_URL)  # the session, the user and Wagtail's caches warmed up
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST_URL).status_code == 200
    _create(27, department="29")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert response.content.decode().count(f'href="{LIST_URL}') >= 20
