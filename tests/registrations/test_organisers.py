"""The organisers' pages: the list and counts, the exports, adding and cancelling, the check-in on the day."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casi_workspace.models import EventRegistration, EventRegistrationSettings, RegistrationStatus

from .conftest import committed, emails_to, register

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">'


def _manage(event) -> str:
    return f"/casi/inscriptions/evenements/{event.pk}/"


def test_the_list_counts_and_escapes_everything(client: Client, event, login, django_assert_max_num_queries):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(question="Une question ?", capacity=3)
    register(client, event, name=HOSTILE, answer=HOSTILE, accessibility_needs=HOSTILE, places=2)
    register(client, event, places=1)
    register(client, event, places=2)  # waits
    organiser = login("asso-a")
    organiser.get(_manage(event))
    with CaptureQueriesContext(connection) as few:
        html = organiser.get(_manage(event)).content.decode()
    budget = len(few)  # read now: each request empties the connection's query log
    assert budget <= 30
    assert HOSTILE not in html and "&lt;img src=x" in html
    assert 'data-count="confirmed">2<' in html and 'data-count="waiting">1<' in html
    assert 'data-count="confirmed-places">3 / 3<' in html
    for _ in range(10):
        register(client, event)
    with django_assert_max_num_queries(budget):
        organiser.get(_manage(event))


def test_the_csv_keeps_formulas_as_text_and_the_workbook_as_strings(client: Client, event, login):
    register(client, event, name='=HYPERLINK("http://evil")', organisation="+33 6 00", answer="@SUM(A1)")
    organiser = login("asso-a")
    response = organiser.get(f"{_manage(event)}export/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][2] == "'+33 6 00"
    from openpyxl import load_workbook

    response = organiser.get(f"{_manage(event)}export/xlsx/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"
    assert organiser.get(f"{_manage(event)}export/pdf/").status_code == 404


def test_adding_and_cancelling_by_hand(client: Client, event, login):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=1)
    register(client, event)
    organiser = login("asso-a")
    data = {"action": "add", "add-name": "Invitée", "add-email": "invitee@example.org", "add-places": "2"}
    with committed():
        response = organiser.post(_manage(event), data)
    assert response.status_code == 302
    added = EventRegistration.objects.get(event=event, email="invitee@example.org")
    assert added.status == RegistrationStatus.CONFIRMED and added.places == 2  # past the capacity: by hand
    assert emails_to(added.email)[0].attachments
    mail.outbox.clear()
    with committed():
        response = organiser.post(_manage(event), {"action": "cancel", "registration": str(added.pk)})
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.status == RegistrationStatus.CANCELLED
    (told,) = emails_to(added.email)
    assert "Les organisateurs ont annulé votre inscription à « Ciné-débat Sahel »" in told.body
    assert organiser.post(_manage(event), {"action": "cancel", "registration": str(added.pk)}).status_code == 400


def test_check_in_on_the_day(client: Client, event, login):
    arrived = register(client, event, name="Awa Traoré")
    organiser = login("asso-a")
    url = f"{_manage(event)}pointage/"
    html = organiser.get(url).content.decode()
    assert "Awa Traoré" in html and 'aria-pressed="false"' in html
    assert organiser.post(url, {"registration": arrived.pk, "arrived": "1"}).status_code == 302
    arrived.refresh_from_db()
    assert arrived.checked_in_at is not None
    html = organiser.get(url).content.decode()
    assert 'aria-pressed="true"' in html
    assert "Arrivées : 1 sur 1 inscription confirmée." in html
    register(client, event, name="Yann Kervella")
    assert "Arrivées : 1 sur 2 inscriptions confirmées." in organiser.get(url).content.decode()
    assert organiser.post(url, {"registration": arrived.pk, "arrived": "0"}).status_code == 302
    arrived.refresh_from_db()
    assert arrived.checked_in_at is None


def test_settings_for_an_event_without_any(event, login):
    EventRegistrationSettings.objects.filter(pk=event.pk).delete()
    organiser = login("asso-a")
    assert organiser.get(_manage(event)).status_code == 200
    data = {"action": "settings", "capacity": "", "max_places_per_person": "0", "waitlist_mode": "x"}
    assert organiser.post(_manage(event), data).status_code == 400
    assert not EventRegistrationSettings.objects.filter(pk=event.pk).exists()
    data = {"action": "settings", "is_open": "on", "capacity": "", "max_places_per_person": "2"}
    data |= {"waitlist_mode": "offer", "offer_hours": "12", "question": "Régime ?"}
    assert organiser.post(_manage(event), data).status_code == 302
    settings = EventRegistrationSettings.objects.get(pk=event.pk)
    assert settings.is_open and settings.capacity is None and settings.waitlist_mode == "offer"


def test_another_association_sees_nothing(client: Client, event, login):
    register(client, event, name="Secret Person")
    assert client.get(_manage(event)).status_code == 302  # to the sign-in page
    outsider = login("asso-b")
    for url in (_manage(event), f"{_manage(event)}export/csv/", f"{_manage(event)}pointage/"):
        response = outsider.get(url)
        assert response.status_code == 403 and "Secret Person" not in response.content.decode()
    assert "data-registrations-manage" not in outsider.get(event.url).content.decode()


def test_the_admin_offers_the_registrations_to_organisers_only(event, login):
    url = f'href="{_manage(event)}"'
    organiser = login("asso-a")
    assert url in organiser.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert url in organiser.get(f"/admin/pages/{event.get_parent().pk}/").content.decode()
    organiser.logout()
    other = login("asso-b")
    assert url not in other.get(f"/admin/pages/{event.get_parent().pk}/").content.decode()


def test_a_message_to_the_registrants(client: Client, event, login):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=1)
    confirmed, waiting = register(client, event), register(client, event)
    organiser = login("asso-a")
    data = {"action": "message", "message-subject": "Changement de salle", "message-body": "<b>Salle B</b>"}
    assert organiser.post(_manage(event), {"action": "message", "message-subject": ""}).status_code == 400
    with committed():
        assert organiser.post(_manage(event), data).status_code == 302
    (message,) = [each for each in emails_to(confirmed.email) if "Changement" in each.subject]
    assert "<b>Salle B</b>" in message.body and "&lt;b&gt;Salle B" in message.alternatives[0][0]
    assert "/casi/inscriptions/annuler/" in message.body
    assert not [each for each in emails_to(waiting.email) if "Changement" in each.subject]
    with committed():
        organiser.post(_manage(event), data | {"message-include_waiting": "on"})
    assert [each for each in emails_to(waiting.email) if "Changement" in each.subject]


def test_the_member_space_lists_the_associations_events_with_their_counts(client: Client, event, login):
    register(client, event, places=3)
    register(client, event)
    html = login("asso-a").get("/casi/mon-espace/").content.decode()
    assert "data-organised-events" in html and f'href="{_manage(event)}"' in html
    assert "4 places confirmées / 10" in html
    assert f'href="{_manage(event)}"' not in login("asso-b").get("/casi/mon-espace/").content.decode()
