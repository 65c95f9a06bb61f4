"""The desk's actions on a request's page in the admin: status, priority and closing, assignment. Each one is a
step of the timeline; bad input is a French 400 that changes nothing; whoever may not see the request may not act
on it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from casi_workspace.models import SupportEvent, SupportEventKind, SupportRequest
from casi_workspace.support.services import support_request_create
from casi_workspace.support.tokens import follow_token

from .conftest import committed, new_structure, page_after_growth

pytestmark = pytest.mark.django_db
BASE = "/admin/casi_workspace/accompagnements/"


def _create(**fields) -> SupportRequest:
    data = new_structure(**fields)
    data.pop("organisation")
    return support_request_create(data=data | {"consent": True})


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _offered(html: str) -> list[str]:
    """The values the assignment's select offers."""
    select = html.split('<select name="coordinator"')[1].split("</select>")[0]
    return [value for value in re.findall(r'value="([^"]*)"', select) if value]


def _steps(support_request: SupportRequest, kind: str) -> list[SupportEvent]:
    return list(support_request.events.filter(kind=kind))


def test_a_coordinator_changes_the_status_and_the_priority(client: Client, login):
    support_request = _create()
    login("coordination")
    response = client.post(f"{BASE}{support_request.pk}/statut/", {"status": "in_progress", "priority": "2"})
    assert response.status_code == 302 and response["Location"] == f"{BASE}{support_request.pk}/"
    support_request.refresh_from_db()
    assert support_request.status == "in_progress" and support_request.priority == 2
    [step] = _steps(support_request, SupportEventKind.STATUS)
    assert step.author == _user("coordination")
    html = client.get(response["Location"]).content.decode()
    assert "La demande est mise à jour." in html
    assert "Statut : En cours." in html and "Priorité : Haute." in html
    # The same values again: no step.
    client.post(f"{BASE}{support_request.pk}/statut/", {"status": "in_progress", "priority": "2"})
    assert len(_steps(support_request, SupportEventKind.STATUS)) == 1


def test_closing_needs_a_reason(client: Client, login):
    support_request = _create()
    login("coordination")
    response = client.post(f"{BASE}{support_request.pk}/statut/", {"status": "closed", "priority": "1"})
    assert response.status_code == 400
    assert "Indiquez pourquoi la demande est clôturée." in response.content.decode()
    support_request.refresh_from_db()
    assert support_request.status == "new" and support_request.closed_at is None
    data = {"status": "closed", "priority": "1", "closing_reason": "Orientée vers la Région"}
    assert client.post(f"{BASE}{support_request.pk}/statut/", data).status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == "closed" and support_request.closed_at is not None
    assert support_request.closing_reason == "Orientée vers la Région"
    # The requester sees the status change and the reason on their link.
    html = client.get(f"/casi/accompagnement/suivi/{follow_token(support_request)}/").content.decode()
    assert "Orientée vers la Région" in html
    # Back in progress: the closing is forgotten.
    client.post(f"{BASE}{support_request.pk}/statut/", {"status": "in_progress", "priority": "1"})
    support_request.refresh_from_db()
    assert support_request.closed_at is None and support_request.closing_reason == ""


@pytest.mark.parametrize(
    "data",
    [
        {"status": "archived", "priority": "1"},
        {"status": "in_progress", "priority": "9"},
        {"status": "in_progress"},
        {"status": "closed", "priority": "1", "closing_reason": "x" * 256},
    ],
)
def test_bad_status_input_is_a_french_400_and_changes_nothing(client: Client, login, data):
    support_request = _create()
    login("coordination")
    response = client.post(f"{BASE}{support_request.pk}/statut/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sélectionnez un choix valide" in html or "Champ requis" in html or "au plus 255 caractères" in html
    support_request.refresh_from_db()
    assert support_request.status == "new" and support_request.priority == 1
    assert not _steps(support_request, SupportEventKind.STATUS)


def test_assigning_offers_those_who_may_see_the_request(client: Client, login, collective_opted_in):
    network_request = _create(department="35")
    collective_request = _create(department="29")
    login("coordination")
    html = client.get(f"{BASE}{network_request.pk}/").content.decode()
    coordination, collectif = _user("coordination"), _user("collectif-29")
    offered = _offered(html)
    assert str(coordination.pk) in offered and str(collectif.pk) not in offered
    offered = _offered(client.get(f"{BASE}{collective_request.pk}/").content.decode())
    assert offered == [str(collectif.pk)]

    # Someone who may not see the network's request is refused, and nothing changes.
    response = client.post(f"{BASE}{network_request.pk}/attribution/", {"coordinator": collectif.pk})
    assert response.status_code == 400
    assert "Choisissez une personne parmi celles proposées." in response.content.decode()
    for forged in ("999999", "abc", ""):
        assert client.post(f"{BASE}{network_request.pk}/attribution/", {"coordinator": forged}).status_code == 400
    network_request.refresh_from_db()
    assert network_request.coordinator is None and network_request.status == "new"
    assert not _steps(network_request, SupportEventKind.ASSIGNMENT)

    response = client.post(f"{BASE}{network_request.pk}/attribution/", {"coordinator": coordination.pk})
    assert response.status_code == 302
    network_request.refresh_from_db()
    assert network_request.coordinator == coordination and network_request.status == "assigned"
    [step] = _steps(network_request, SupportEventKind.ASSIGNMENT)
    assert step.author == coordination
    # The assignment is internal: the requester's link does not show it.
    html = client.get(f"/casi/accompagnement/suivi/{follow_token(network_request)}/").content.decode()
    assert step.text not in html and f"event-{step.pk}" not in html


def test_assigning_keeps_a_later_status(client: Client, login):
    support_request = _create()
    login("coordination")
    client.post(f"{BASE}{support_request.pk}/statut/", {"status": "in_progress", "priority": "1"})
    client.post(f"{BASE}{support_request.pk}/attribution/", {"coordinator": _user("coordination").pk})
    support_request.refresh_from_db()
    assert support_request.status == "in_progress"


@pytest.mark.parametrize(
    ("username", "refused"),
    [("collectif-29", (404,)), ("asso-a", (403,)), ("asso-b", (403,))],
)
def test_who_may_not_see_the_request_may_not_act_on_it(client: Client, login, collective_opted_in, username, refused):
    support_request = _create(department="35")
    login(username)
    actions = {
        "statut/": {"status": "closed", "priority": "2", "closing_reason": "Intrusion"},
        "attribution/": {"coordinator": _user(username).pk},
    }
    for action, data in actions.items():
        assert client.post(f"{BASE}{support_request.pk}/{action}", data).status_code in refused
    support_request.refresh_from_db()
    assert support_request.status == "new" and support_request.coordinator is None
    assert list(support_request.events.values_list("kind", flat=True)) == [SupportEventKind.CREATED]


def test_the_actions_need_a_post_with_the_csrf_token(login):
    support_request = _create()
    client = Client(enforce_csrf_checks=True)
    client.force_login(_user("coordination"))
    assert client.get(f"{BASE}{support_request.pk}/statut/").status_code == 405
    data = {"status": "in_progress", "priority": "1"}
    assert client.post(f"{BASE}{support_request.pk}/statut/", data).status_code == 403
    support_request.refresh_from_db()
    assert support_request.status == "new"


def test_the_detail_queries_do_not_grow_with_the_timeline(client: Client, login, django_assert_max_num_queries):
    support_request = _create()
    coordination = _user("coordination")
    login("coordination")
    url = f"{BASE}{support_request.pk}/"

    def steps(count: int) -> None:
        for number in range(count):
            kind = (SupportEventKind.NOTE, SupportEventKind.STATUS, SupportEventKind.REQUESTER_MESSAGE)[number % 3]
            SupportEvent.objects.create(request=support_request, kind=kind, author=coordination, text=f"Étape {number}")

    steps(2)
    assert "Étape 26" in page_after_growth(client, url, lambda: steps(27), django_assert_max_num_queries)


def test_an_internal_note_is_never_shown_on_the_requesters_link(client: Client, login, mailoutbox):
    support_request = _create()
    login("coordination")
    response = client.post(f"{BASE}{support_request.pk}/note/", {"note-text": "Porteur déjà reçu en 2024"})
    assert response.status_code == 302
    [note] = _steps(support_request, SupportEventKind.NOTE)
    assert note.author == _user("coordination") and note.text == "Porteur déjà reçu en 2024"
    assert "Porteur déjà reçu en 2024" in client.get(f"{BASE}{support_request.pk}/").content.decode()
    html = Client().get(f"/casi/accompagnement/suivi/{follow_token(support_request)}/").content.decode()
    assert "Porteur déjà reçu en 2024" not in html and f"event-{note.pk}" not in html
    assert mailoutbox == []
    support_request.refresh_from_db()
    assert support_request.first_answer_at is None


def test_a_message_is_emailed_with_the_link_and_dates_the_first_answer(client: Client, login, mailoutbox):
    support_request = _create()
    login("coordination")
    with committed():
        response = client.post(f"{BASE}{support_request.pk}/message/", {"message-text": "Venez jeudi à 14 h."})
    assert response.status_code == 302
    support_request.refresh_from_db()
    first = support_request.first_answer_at
    assert first is not None
    [message] = mailoutbox
    assert message.to == [support_request.contact_email]
    assert support_request.project_title in message.subject
    assert "Venez jeudi à 14 h." in message.body and "Venez jeudi à 14 h." in message.alternatives[0][0]
    path = "/casi/accompagnement/suivi/" + message.body.split("/casi/accompagnement/suivi/")[1].split()[0]
    requester = Client()
    html = requester.get(path).content.decode()
    assert "Venez jeudi à 14 h." in html
    # The requester's reply lands in the desk's timeline; a second message keeps the first answer's date.
    requester.post(path, {"action": "reply", "text": "Entendu, à jeudi."})
    assert "Entendu, à jeudi." in client.get(f"{BASE}{support_request.pk}/").content.decode()
    with committed():
        client.post(f"{BASE}{support_request.pk}/message/", {"message-text": "Confirmé."})
    support_request.refresh_from_db()
    assert support_request.first_answer_at == first and len(mailoutbox) == 2


@pytest.mark.parametrize("action", ["note", "message"])
@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_an_empty_or_overlong_text_is_a_french_400(client: Client, login, mailoutbox, action, text):
    support_request = _create()
    login("coordination")
    with committed():
        response = client.post(f"{BASE}{support_request.pk}/{action}/", {f"{action}-text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Champ requis" in html or "au plus 5000 caractères" in html
    assert list(support_request.events.values_list("kind", flat=True)) == [SupportEventKind.CREATED]
    assert mailoutbox == []


@pytest.mark.parametrize(("username", "refused"), [("collectif-29", 404), ("asso-a", 403)])
def test_who_may_not_see_the_request_may_not_write_on_it(
    client: Client, login, collective_opted_in, mailoutbox, username, refused
):
    support_request = _create(department="35")
    login(username)
    with committed():
        for action in ("note", "message"):
            response = client.post(f"{BASE}{support_request.pk}/{action}/", {f"{action}-text": "Intrusion"})
            assert response.status_code == refused
    assert list(support_request.events.values_list("kind", flat=True)) == [SupportEventKind.CREATED]
    assert mailoutbox == []


def test_the_time_spent_on_each_step_adds_up_on_the_page(client: Client, login, mailoutbox):
    support_request = _create()
    login("coordination")
    url = f"{BASE}{support_request.pk}/"
    client.post(f"{url}note/", {"note-text": "Lecture du dossier", "note-minutes": "45"})
    with committed():
        client.post(f"{url}message/", {"message-text": "Premiers conseils", "message-minutes": "30"})
    client.post(f"{url}statut/", {"status": "in_progress", "priority": "1", "minutes": "50"})
    client.post(f"{url}note/", {"note-text": "Sans temps"})
    assert sorted(support_request.events.values_list("minutes", flat=True)) == [0, 0, 30, 45, 50]
    html = client.get(url).content.decode()
    assert "2 h 05 min" in html and "45 minutes passées" in html
    # The requester's link does not show the desk's time.
    html = Client().get(f"/casi/accompagnement/suivi/{follow_token(support_request)}/").content.decode()
    assert "minutes passées" not in html and "Premiers conseils" in html


def test_the_same_status_again_keeps_the_time_in_an_internal_step(client: Client, login):
    support_request = _create()
    login("coordination")
    url = f"{BASE}{support_request.pk}/"
    client.post(f"{url}statut/", {"status": "in_progress", "priority": "1"})
    response = client.post(f"{url}statut/", {"status": "in_progress", "priority": "1", "minutes": "25"}, follow=True)
    assert "Le statut n’a pas changé ; le temps passé est enregistré." in response.content.decode()
    [note] = _steps(support_request, SupportEventKind.NOTE)
    assert note.minutes == 25 and note.author == _user("coordination")
    assert len(_steps(support_request, SupportEventKind.STATUS)) == 1
    assert "0 h 25 min" in response.content.decode()
    # Not shown to the requester; and with no time, nothing is recorded.
    html = Client().get(f"/casi/accompagnement/suivi/{follow_token(support_request)}/").content.decode()
    assert note.text not in html
    response = client.post(f"{url}statut/", {"status": "in_progress", "priority": "1", "minutes": ""}, follow=True)
    assert "Rien n’a changé." in response.content.decode()
    assert support_request.events.count() == 3


def test_the_status_reads_as_a_request_s_status(client: Client, login):
    support_request = _create()
    login("coordination")
    data = {"status": "closed", "priority": "1", "closing_reason": "Projet abandonné"}
    html = client.post(f"{BASE}{support_request.pk}/statut/", data, follow=True).content.decode()
    assert "<dt>Statut</dt><dd data-support-status>Clôturée</dd>" in html
    html = Client().get(f"/casi/accompagnement/suivi/{follow_token(support_request)}/").content.decode()
    assert "<dt>Statut</dt><dd data-support-status>Clôturée</dd>" in html


@pytest.mark.parametrize("minutes", ["-5", "abc", "6001", "1.5"])
def test_a_bad_time_is_a_french_400(client: Client, login, minutes):
    support_request = _create()
    login("coordination")
    response = client.post(f"{BASE}{support_request.pk}/note/", {"note-text": "Note", "note-minutes": minutes})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Saisissez un nombre entier." in html
        or "supérieure ou égale à 0" in html
        or "inférieure ou égale à 6000" in html
    )
    assert list(support_request.events.values_list("kind", flat=True)) == [SupportEventKind.CREATED]


def test_an_appointment_is_shown_to_the_requester_and_emailed_with_an_invitation(client: Client, login, mailoutbox):
    support_request = _create()
    login("coordination")
    data = {
        "appointment-starts_at": "2027-03-11T14:30",
        "appointment-duration": "45",
        "appointment-video_url": "https://visio.example.org/casi-42",
        "appointment-minutes": "15",
    }
    with committed():
        response = client.post(f"{BASE}{support_request.pk}/rendez-vous/", data)
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == "appointment"
    [step] = _steps(support_request, SupportEventKind.APPOINTMENT)
    assert step.appointment_duration == 45 and step.minutes == 15
    [message] = mailoutbox
    assert message.to == [support_request.contact_email]
    assert "11 mars 2027 à 14:30" in message.body and "https://visio.example.org/casi-42" in message.body
    [(name, calendar, mimetype)] = message.attachments
    assert name == "rendez-vous.ics" and mimetype.startswith("text/calendar")
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "BEGIN:VEVENT" in calendar and "DTSTART:20270311T133000Z" in calendar
    assert "DTEND:20270311T141500Z" in calendar and "visio.example.org/casi-42" in calendar
    html = Client().get(f"/casi/accompagnement/suivi/{follow_token(support_request)}/").content.decode()
    assert "11 mars 2027 à 14:30" in html and "Rendez-vous fixé" in html
    # The video link is a link the requester follows, in the timeline and in the HTML email.
    link = '<a href="https://visio.example.org/casi-42" data-appointment-link>https://visio.example.org/casi-42</a>'
    assert link in html
    assert link in message.alternatives[0][0]


@pytest.mark.parametrize(
    "data",
    [
        {"appointment-starts_at": "2027-02-30T14:30", "appointment-duration": "60", "appointment-place": "Brest"},
        {"appointment-starts_at": "demain", "appointment-duration": "60", "appointment-place": "Brest"},
        {"appointment-starts_at": "2027-03-11T14:30", "appointment-duration": "60"},
        {"appointment-starts_at": "2027-03-11T14:30", "appointment-duration": "0", "appointment-place": "Brest"},
        {
            "appointment-starts_at": "2027-03-11T14:30",
            "appointment-duration": "60",
            "appointment-video_url": "pas un lien",
        },
        {"appointment-starts_at": "2027-03-11T14:30", "appointment-duration": "60", "appointment-place": "x" * 256},
    ],
)
def test_a_bad_appointment_is_a_french_400(client: Client, login, mailoutbox, data):
    support_request = _create()
    login("coordination")
    with committed():
        response = client.post(f"{BASE}{support_request.pk}/rendez-vous/", data)
    assert response.status_code == 400
    html = response.content.decode()
    expected = (
        "Indiquez une date et une heure",
        "Indiquez un lieu ou un lien",
        "supérieure ou égale à 5",
        "URL valide",
        "au plus 255 caractères",
    )
    assert any(text in html for text in expected)
    support_request.refresh_from_db()
    assert support_request.status == "new" and mailoutbox == []
    assert list(support_request.events.values_list("kind", flat=True)) == [SupportEventKind.CREATED]
