"""The satisfaction question: emailed when the desk closes a request, answered once on the requester's link,
asked again after a reopening and a new closing; the desk reads the answer; bad input is a French 400."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from casi_workspace.models import SupportEventKind, SupportRequest
from casi_workspace.support.selectors import support_satisfaction_average
from casi_workspace.support.services import support_request_create
from casi_workspace.support.tokens import follow_token

from .conftest import committed, new_structure

pytestmark = pytest.mark.django_db
BASE = "/admin/casi_workspace/accompagnements/"
QUESTION = "Êtes-vous satisfait·e de l’accompagnement ?"


def _create() -> SupportRequest:
    data = new_structure()
    data.pop("organisation")
    return support_request_create(data=data | {"consent": True})


def _close(client: Client, support_request: SupportRequest, reason: str = "Accompagnement terminé") -> None:
    data = {"status": "closed", "priority": "1", "closing_reason": reason}
    with committed():
        assert client.post(f"{BASE}{support_request.pk}/statut/", data).status_code == 302


def _link(support_request: SupportRequest) -> str:
    return f"/casi/accompagnement/suivi/{follow_token(support_request)}/"


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "’").replace("&#39;", "’")


@pytest.fixture
def closed(client: Client, login) -> SupportRequest:
    support_request = _create()
    login("coordination")
    mail.outbox.clear()
    _close(client, support_request)
    support_request.refresh_from_db()
    return support_request


def test_closing_emails_the_question_with_the_link(closed: SupportRequest):
    [message] = mail.outbox
    assert message.to == [closed.contact_email]
    assert "est close : êtes-vous satisfait·e ?" in message.subject
    link = message.body.split("http://testserver")[1].split()[0]
    assert link.startswith("/casi/accompagnement/suivi/") and link.endswith("/#satisfaction-title")
    assert QUESTION in _html(Client().get(link.removesuffix("#satisfaction-title")))
    assert "Accompagnement terminé" in message.body
    assert QUESTION in message.alternatives[0][0]


def test_only_closing_sends_the_question(client: Client, login):
    support_request = _create()
    login("coordination")
    with committed():
        client.post(f"{BASE}{support_request.pk}/statut/", {"status": "in_progress", "priority": "1"})
    assert not [message for message in mail.outbox if message.to == [support_request.contact_email]]
    assert QUESTION not in _html(Client().get(_link(support_request)))


def test_the_requester_answers_once_and_the_desk_reads_it(closed: SupportRequest, client: Client):
    requester = Client()
    page = _html(requester.get(_link(closed)))
    assert QUESTION in page and "Très satisfait·e" in page and "Pas du tout satisfait·e" in page
    response = requester.post(_link(closed), {"action": "satisfaction", "score": "4", "comment": "Très utile."})
    assert response.status_code == 302 and response["Location"].endswith("?envoye=satisfaction")
    closed.refresh_from_db()
    assert closed.satisfaction_score == 4 and closed.satisfaction_comment == "Très utile."
    assert closed.satisfaction_answered_at is not None
    [step] = closed.events.filter(kind=SupportEventKind.SATISFACTION)
    assert step.text == "4/5 — Satisfait·e\nTrès utile."
    page = _html(requester.get(response["Location"]))
    assert "Merci pour votre réponse" in page and QUESTION not in page
    # A second answer is refused: the question is closed.
    again = requester.post(_link(closed), {"action": "satisfaction", "score": "1"})
    assert again.status_code == 400
    assert "Cette question a déjà reçu une réponse" in _html(again)
    closed.refresh_from_db()
    assert closed.satisfaction_score == 4
    # The desk sees the answer, on the request's page and in its timeline.
    desk = _html(client.get(f"{BASE}{closed.pk}/"))
    assert "4/5 — Satisfait·e" in desk and "Très utile." in desk and "Réponse de satisfaction" in desk


@pytest.mark.parametrize("score", ["9", "abc", "0", "", "4.5"])
def test_bad_answers_are_refused_in_french(closed: SupportRequest, score: str):
    response = Client().post(_link(closed), {"action": "satisfaction", "score": score})
    assert response.status_code == 400
    assert "Choisissez une réponse, de « très satisfait·e » à « pas du tout satisfait·e »." in _html(response)
    closed.refresh_from_db()
    assert closed.satisfaction_score is None
    assert not closed.events.filter(kind=SupportEventKind.SATISFACTION).exists()


def test_an_open_request_is_not_asked(client: Client):
    support_request = _create()
    response = Client().post(_link(support_request), {"action": "satisfaction", "score": "5"})
    assert response.status_code == 400
    support_request.refresh_from_db()
    assert support_request.satisfaction_score is None


def test_a_forged_link_cannot_answer(closed: SupportRequest):
    response = Client().post(_link(closed) + "x/", {"action": "satisfaction", "score": "5"})
    assert response.status_code in (400, 404)
    closed.refresh_from_db()
    assert closed.satisfaction_score is None


def test_reopened_then_closed_is_asked_again(closed: SupportRequest, client: Client):
    requester = Client()
    requester.post(_link(closed), {"action": "satisfaction", "score": "2", "comment": "Trop lent."})
    assert requester.post(_link(closed), {"action": "reopen"}).status_code == 302
    mail.outbox.clear()
    _close(client, closed, "Financement trouvé")
    assert len(mail.outbox) == 1
    assert QUESTION in _html(requester.get(_link(closed)))
    assert requester.post(_link(closed), {"action": "satisfaction", "score": "5"}).status_code == 302
    closed.refresh_from_db()
    assert closed.satisfaction_score == 5 and closed.satisfaction_comment == ""
    assert closed.events.filter(kind=SupportEventKind.SATISFACTION).count() == 2


def test_the_average_of_the_answered_requests(closed: SupportRequest, client: Client):
    other = _create()
    _close(client, other)
    Client().post(_link(closed), {"action": "satisfaction", "score": "5"})
    Client().post(_link(other), {"action": "satisfaction", "score": "2"})
    unanswered = _create()
    pks = [closed.pk, other.pk, unanswered.pk]
    assert support_satisfaction_average(SupportRequest.objects.filter(pk__in=pks)) == pytest.approx(3.5)
    assert support_satisfaction_average(SupportRequest.objects.filter(pk=unanswered.pk)) is None
