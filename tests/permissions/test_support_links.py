"""The support requests' rows of the permission matrix that no account plays: the requester's own link, and
another requester's link. The accounts' rows (anonymous to network coordinator) are test_matrix.py's
`support_request` action."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from casi_workspace.models import SupportRequest
from casi_workspace.support.services import support_request_create
from casi_workspace.support.tokens import follow_token

pytestmark = pytest.mark.django_db


def _request(marker: str) -> SupportRequest:
    data = {
        "structure_name": f"Structure {marker}",
        "department": "35",
        "actor_type": "association",
        "contact_name": "Demandeur",
        "contact_email": f"{marker}@example.org",
        "project_title": f"Projet {marker}",
        "stage": "idea",
        "need": "partners",
        "description": f"Texte {marker}",
        "consent": True,
    }
    return support_request_create(data=data, uploads=[ContentFile(f"%PDF {marker}".encode(), name="piece.pdf")])


@pytest.fixture
def two_requests() -> tuple[SupportRequest, SupportRequest]:
    return _request(uuid.uuid4().hex[:8]), _request(uuid.uuid4().hex[:8])


def _paths(support_request: SupportRequest, token: str) -> tuple[str, str]:
    page = f"/casi/accompagnement/suivi/{token}/"
    return page, f"{page}documents/{support_request.attachments.get().pk}/"


def test_the_requester_link_opens_its_own_request_and_files(client: Client, two_requests):
    mine, _other = two_requests
    page, document = _paths(mine, follow_token(mine))
    assert mine.project_title in client.get(page).content.decode()
    download = client.get(document)
    marker = mine.contact_email.split("@")[0]
    assert download.status_code == 200 and b"".join(download.streaming_content) == f"%PDF {marker}".encode()


def test_another_requester_link_reaches_nothing_of_this_request(client: Client, two_requests):
    mine, other = two_requests
    other_token = follow_token(other)
    page = client.get(f"/casi/accompagnement/suivi/{other_token}/").content.decode()
    assert mine.project_title not in page and mine.contact_email not in page
    _page, my_document = _paths(mine, other_token)
    response = client.get(my_document)
    assert response.status_code == 404
    assert mine.contact_email.split("@")[0].encode() not in response.content
    # The link of one request cannot add to another: posting only ever reaches the link's own request.
    client.post(f"/casi/accompagnement/suivi/{other_token}/", {"action": "reply", "text": "Intrus"})
    assert not mine.events.filter(text="Intrus").exists() and other.events.filter(text="Intrus").exists()


def test_no_link_no_account_reaches_nothing(client: Client, two_requests):
    mine, _other = two_requests
    attachment = mine.attachments.get()
    for url in (
        f"/admin/casi_workspace/accompagnements/{mine.pk}/",
        f"/admin/casi_workspace/accompagnements/{mine.pk}/documents/{attachment.pk}/",
        f"/casi/accompagnement/suivi/{mine.pk}/documents/{attachment.pk}/",
        f"/media/{attachment.file.name}",
    ):
        response = client.get(url)
        assert response.status_code in (302, 400, 404), url
        assert mine.contact_email.split("@")[0].encode() not in response.content
