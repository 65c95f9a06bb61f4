"""Registering through the event's public form: confirmed, or at the end of the waiting list."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import EventRegistration, EventRegistrationSettings, RegistrationStatus
from tests.helpers import french

from .conftest import emails_to, form, register, register_url

pytestmark = pytest.mark.django_db


def test_the_event_page_links_to_the_form_which_states_the_retention(client: Client, event):
    page = client.get(event.url).content.decode()
    assert f'href="{register_url(event)}"' in page
    response = client.get(register_url(event))
    html = response.content.decode()
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    assert 'data-places-left="10"' in html
    assert "365 jours après l’événement" in html or "365 jours après l'événement" in html
    assert 'name="homepage"' in html


def test_a_registration_is_confirmed_with_the_calendar_file(client: Client, event):
    registration = register(client, event, places=2, organisation="Les Amis", accessibility_needs="Fauteuil")
    assert registration.status == RegistrationStatus.CONFIRMED and registration.places == 2
    assert registration.organisation == "Les Amis" and registration.accessibility_needs == "Fauteuil"
    (message,) = emails_to(registration.email)
    assert "Ciné-débat Sahel" in message.subject
    ((name, content, mimetype),) = message.attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content and f"event-{event.pk}@" in content  # Django decodes text/* attachments
    assert "/casi/inscriptions/annuler/" in message.body
    assert "Votre inscription à « Ciné-débat Sahel »" in message.body and "est confirmée, pour 2 places" in message.body
    assert "Votre inscription à « Ciné-débat Sahel »" in message.alternatives[0][0]
    done = client.get(f"{register_url(event)}?envoye=confirmed").content.decode()
    assert 'data-registration-sent="confirmed"' in done


def test_a_full_event_puts_people_on_the_waiting_list_without_a_calendar(client: Client, event):
    register(client, event, places=4)
    register(client, event, places=4)
    waiting = register(client, event, places=3)
    assert waiting.status == RegistrationStatus.WAITING
    (message,) = emails_to(waiting.email)
    assert message.attachments == [] and french("To leave the waiting list:") in message.body
    # 2 places are free, but someone waits: a newcomer for 1 place joins the end of the queue.
    later = register(client, event, places=1)
    assert later.status == RegistrationStatus.WAITING


def test_closed_past_deadline_and_over_the_per_person_limit(client: Client, event):
    response = client.post(register_url(event), form(places=5))
    assert response.status_code == 400 and not EventRegistration.objects.filter(event=event).exists()
    EventRegistrationSettings.objects.filter(pk=event.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    response = client.post(register_url(event), form())
    assert response.status_code == 200 and "data-registration-closed" in response.content.decode()
    assert not EventRegistration.objects.filter(event=event).exists()


def test_without_settings_there_is_no_form(client: Client, event):
    EventRegistrationSettings.objects.filter(pk=event.pk).delete()
    assert client.get(register_url(event)).status_code == 404
    assert 'href="{register_url(event)}"' not in client.get(event.url).content.decode()


def test_the_honeypot_records_nothing_and_looks_like_success(client: Client, event):
    response = client.post(register_url(event), form(homepage="http://spam.example"))
    assert response.status_code == 302
    assert not EventRegistration.objects.filter(event=event).exists() and mail.outbox == []


def test_registrations_are_rate_limited_per_address(client: Client, event, settings):
    settings.CASI_WORKSPACE_REGISTRATION_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(register_url(event), form(), REMOTE_ADDR="10.9.9.9").status_code == 302
    response = client.post(register_url(event), form(), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert french("Too many registrations from your connection: please try again in an hour.") in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert EventRegistration.objects.filter(event=event).count() == 2


def test_hostile_and_overlong_answers(client: Client, event):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(question="Votre régime alimentaire ?")
    response = client.post(register_url(event), form(answer="x" * 2001))
    assert response.status_code == 400
    hostile = '<script>alert("x")</script>\x07'
    registration = register(client, event, name=hostile, answer=hostile, organisation="=1+1")
    assert registration.name == '<script>alert("x")</script>' and registration.answer == registration.name
    assert "<script>" not in emails_to(registration.email)[0].alternatives[0][0]


def test_a_signed_in_member_is_prefilled_and_sees_the_registration(client: Client, event):
    assert client.login(username="asso-b", password=DEFAULT_PASSWORD)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="asso-b")
    html = client.get(register_url(event)).content.decode()
    assert f'value="{user.email}"' in html
    response = client.post(register_url(event), {"name": "Anne", "email": user.email, "places": "1"})
    assert response.status_code == 302
    registration = EventRegistration.objects.get(event=event, user=user)
    space = client.get("/casi/mon-espace/").content.decode()
    assert "data-member-registrations" in space and event.title in space
    assert "/casi/inscriptions/annuler/" in space and registration.status == RegistrationStatus.CONFIRMED


def _queries(client: Client, url: str, django_assert_max_num_queries, budget: int) -> int:
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_public_views_cost_the_same_queries_whatever_the_registrations(
    client: Client, event, django_assert_max_num_queries
):
    register(client, event)
    for url in (event.url, register_url(event)):  # warm up: the site's root paths, cached afterwards
        client.get(url)
    few = [_queries(client, url, django_assert_max_num_queries, 16) for url in (event.url, register_url(event))]
    for _ in range(12):
        register(client, event)
    many = [_queries(client, url, django_assert_max_num_queries, 16) for url in (event.url, register_url(event))]
    assert few == many


def test_registering_costs_a_bounded_number_of_queries(client: Client, event, django_assert_max_num_queries):
    """The server time of registering (under 100 ms) is measured by `make bench`, on a machine of its own."""
    register(client, event)  # warm up: templates, site root paths
    for number in range(5):
        # Wagtail's routing and view restrictions (9), the settings, then the transaction (savepoint, locked
        # settings, the event's time slots, counts, insert, release), the programme the form shows (its time
        # slots), and the page cache's check of the restrictions (2).
        with django_assert_max_num_queries(19):
            response = client.post(register_url(event), form(), REMOTE_ADDR=f"10.8.8.{number}")
        assert response.status_code == 302
