"""Workshops: an event's sessions in time slots, each with its capacity; one session per slot for each registrant.

Through the public form and the organisers' pages as people use them, and the services for the waiting list.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from pypdf import PdfReader

from casi_workspace.models import (
    EventRegistration,
    EventRegistrationSettings,
    EventSession,
    EventSlot,
    RegistrationChoice,
    RegistrationStatus,
)
from casi_workspace.registrations.services import (
    Registrant,
    RegistrationError,
    registration_add,
    registration_cancel,
    registration_create,
    registration_settings_save,
)
from tests.helpers import french

from .conftest import committed, emails_to, form, register, register_url

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">'


class Programme:
    """Two time slots of three sessions: the morning's "Plaidoyer" holds 2 places, its others no limit or 5."""

    def __init__(self, event) -> None:
        start = event.start
        self.morning = EventSlot.objects.create(
            event=event, title="Ateliers du matin", start=start, end=start + datetime.timedelta(hours=2)
        )
        self.afternoon = EventSlot.objects.create(
            event=event,
            title="Ateliers de l’après-midi",
            start=start + datetime.timedelta(hours=4),
            end=start + datetime.timedelta(hours=6),
        )
        self.advocacy = EventSession.objects.create(slot=self.morning, title="Plaidoyer", room="Salle A", capacity=2)
        self.education = EventSession.objects.create(slot=self.morning, title="Éducation à la citoyenneté")
        self.funding = EventSession.objects.create(slot=self.morning, title="Financements", capacity=5)
        self.youth = EventSession.objects.create(slot=self.afternoon, title="Jeunesse", capacity=5)
        self.climate = EventSession.objects.create(slot=self.afternoon, title="Climat", capacity=5)
        self.partners = EventSession.objects.create(slot=self.afternoon, title="Partenariats", capacity=5)

    def choose(self, *sessions) -> dict[str, str]:
        return {f"creneau_{session.slot_id}": str(session.pk) for session in sessions}


@pytest.fixture
def programme(event) -> Programme:
    return Programme(event)


def _manage(event) -> str:
    return f"/casi/inscriptions/evenements/{event.pk}/"


def _sessions(registration) -> set[str]:
    return set(registration.choices.values_list("session__title", flat=True))


def _direct(event, programme, *sessions, places: int = 1, name: str = "Directe") -> EventRegistration:
    registrant = Registrant(
        name=name, email=f"{name.lower()}@example.org", places=places, sessions=tuple(s.pk for s in sessions)
    )
    with committed():
        return registration_create(event=event, registrant=registrant)


def test_the_form_asks_one_session_per_slot_in_a_fieldset(client: Client, event, programme):
    html = client.get(register_url(event)).content.decode()
    assert html.count('<fieldset class="form-field') == 2
    assert "<legend>Ateliers du matin" in html and "Ateliers de l’après-midi" in html
    assert html.count(f'name="creneau_{programme.morning.pk}"') == 3
    assert "Plaidoyer — Salle A — 2 places restantes" in html
    page = client.get(event.url).content.decode()
    assert "data-programme" in page and "Plaidoyer" in page and "2 places restantes" in page

    registration = register(client, event, **programme.choose(programme.advocacy, programme.climate))
    assert registration.status == RegistrationStatus.CONFIRMED
    assert _sessions(registration) == {"Plaidoyer", "Climat"}
    (message,) = emails_to(registration.email)
    assert "Vos ateliers :" in message.body and "Ateliers du matin" in message.body
    assert "Plaidoyer (Salle A)" in message.body and "Climat" in message.body


def test_a_choice_is_required_in_every_slot_and_the_form_keeps_what_was_typed(client: Client, event, programme):
    data = form(name="Léa Kervella") | programme.choose(programme.education)
    response = client.post(register_url(event), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert french("Choose one session in this time slot.") in html
    assert 'value="Léa Kervella"' in html and "checked" in html
    assert not EventRegistration.objects.filter(event=event).exists()
    # A session of another slot (or another event) is not an answer for this slot.
    data = form() | {f"creneau_{programme.morning.pk}": str(programme.youth.pk)}
    data |= programme.choose(programme.climate)
    assert client.post(register_url(event), data).status_code == 400


def test_a_full_session_is_shown_full_and_refused_with_a_french_message(client: Client, event, programme):
    register(client, event, **programme.choose(programme.advocacy, programme.youth))
    register(client, event, places=1, **programme.choose(programme.advocacy, programme.youth))
    html = client.get(register_url(event)).content.decode()
    assert "Plaidoyer — Salle A — complet" in html
    (radio,) = [tag for tag in html.split("<input") if f'id="id_creneau_{programme.morning.pk}_0"' in tag]
    assert "disabled" in radio.split(">")[0]
    data = form(name="Yann Tanguy") | programme.choose(programme.advocacy, programme.youth)
    response = client.post(register_url(event), data)
    html = response.content.decode()
    assert response.status_code == 400 and 'value="Yann Tanguy"' in html
    assert "L’atelier « Plaidoyer » est complet : choisissez-en un autre." in html
    # The service says the same under the lock (two people choosing the last place at once).
    with pytest.raises(RegistrationError) as refused:
        _direct(event, programme, programme.advocacy, programme.youth)
    assert "complet" in refused.value.message
    assert RegistrationChoice.objects.filter(session=programme.advocacy).count() == 2


def test_the_database_holds_one_session_per_slot(client: Client, event, programme):
    registration = register(client, event, **programme.choose(programme.funding, programme.youth))
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationChoice.objects.create(
            registration=registration, slot=programme.morning, session=programme.education
        )
    with pytest.raises(RegistrationError):  # two sessions of one slot, none of the other
        _direct(event, programme, programme.funding, programme.education)


def test_session_places_count_the_places_of_each_registration(client: Client, event, programme):
    with pytest.raises(RegistrationError):
        _direct(event, programme, programme.advocacy, programme.youth, places=3)
    _direct(event, programme, programme.advocacy, programme.youth, places=2)
    assert client.get(event.url).content.decode().count("data-full") == 1


def test_the_waiting_list_keeps_choices_and_never_overbooks_a_session(client: Client, event, programme):
    """Event of 3 places: someone waiting whose session filled up meanwhile is passed over and keeps their
    turn; the place goes to the next person, whose session has room; then their own session frees up."""
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=3)
    confirmed = [_direct(event, programme, programme.education, programme.youth, name=f"C{n}") for n in range(3)]
    waits_advocacy = _direct(event, programme, programme.advocacy, programme.climate, name="Attend")
    waits_funding = _direct(event, programme, programme.funding, programme.climate, name="Suivante")
    assert waits_advocacy.status == waits_funding.status == RegistrationStatus.WAITING
    assert _sessions(waits_advocacy) == {"Plaidoyer", "Climat"}
    # The organisers add two people by hand to "Plaidoyer": full, past the event's capacity too.
    for name in ("Invitée", "Invité"):
        registration_add(
            event=event,
            registrant=Registrant(
                name=name,
                email=f"{name}@example.org".lower(),
                sessions=(programme.advocacy.pk, programme.partners.pk),
            ),
        )
    options = EventRegistrationSettings.objects.get(pk=event.pk)
    options.capacity = 7  # 5 held: 2 places free up
    with committed():
        registration_settings_save(options=options)
    waits_advocacy.refresh_from_db()
    waits_funding.refresh_from_db()
    assert waits_advocacy.status == RegistrationStatus.WAITING  # Plaidoyer is full: passed over
    assert waits_funding.status == RegistrationStatus.CONFIRMED  # behind, but its session has room
    held = RegistrationChoice.objects.filter(
        session=programme.advocacy, registration__status=RegistrationStatus.CONFIRMED
    )
    assert held.count() == 2
    # A newcomer cannot choose the full session, even with a place free in the event.
    with pytest.raises(RegistrationError):
        _direct(event, programme, programme.advocacy, programme.youth, name="Nouvelle")
    # One of the guests cancels: the person kept waiting for Plaidoyer gets the place.
    with committed():
        registration_cancel(registration=EventRegistration.objects.get(name="Invitée"), by_organiser=True)
    waits_advocacy.refresh_from_db()
    assert waits_advocacy.status == RegistrationStatus.CONFIRMED
    assert held.count() == 2
    assert all(registration.status == RegistrationStatus.CONFIRMED for registration in confirmed)


def test_a_session_reserved_for_someone_waiting_is_not_taken_by_a_newcomer(client: Client, event, programme):
    """Someone waiting for 2 places in "Plaidoyer", which has 1 free, keeps it: a newcomer asking 1 place
    there waits behind them, as the queue does for the event's places."""
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=4)
    for name in ("Un", "Deux", "Trois"):
        _direct(event, programme, programme.education, programme.youth, name=name)
    pair = _direct(event, programme, programme.advocacy, programme.climate, places=2, name="Paire")
    assert pair.status == RegistrationStatus.WAITING  # 1 place left in the event
    first_in = registration_add(  # by hand: 1 of Plaidoyer's 2 places
        event=event,
        registrant=Registrant(
            name="Main", email="main@example.org", sessions=(programme.advocacy.pk, programme.youth.pk)
        ),
    )
    options = EventRegistrationSettings.objects.get(pk=event.pk)
    options.capacity = 10
    with committed():
        registration_settings_save(options=options)
    pair.refresh_from_db()
    assert pair.status == RegistrationStatus.WAITING  # 1 place left in Plaidoyer: passed over, keeps its turn
    newcomer = _direct(event, programme, programme.advocacy, programme.climate, name="Nouvelle")
    assert newcomer.status == RegistrationStatus.WAITING  # behind the pair, who has a claim on Plaidoyer
    other = _direct(event, programme, programme.funding, programme.climate, name="Autre")
    assert other.status == RegistrationStatus.CONFIRMED  # the event has room, Financements too
    with committed():
        registration_cancel(registration=first_in)  # 2 places in Plaidoyer
    pair.refresh_from_db()
    newcomer.refresh_from_db()
    assert pair.status == RegistrationStatus.CONFIRMED and newcomer.status == RegistrationStatus.WAITING
    held = RegistrationChoice.objects.filter(session=programme.advocacy, registration__status="confirmed")
    assert sum(choice.registration.places for choice in held) == 2


def test_organisers_manage_slots_and_sessions(client: Client, event, login):
    EventRegistrationSettings.objects.filter(pk=event.pk).delete()  # a slot brings the settings (closed)
    organiser = login("asso-a")
    url = f"{_manage(event)}programme/"
    assert organiser.get(url).status_code == 200
    bad = {"action": "slot", "slot-title": "Matin", "slot-start": "2030-05-01T10:00", "slot-end": "2030-05-01T09:00"}
    response = organiser.post(url, bad)
    assert response.status_code == 400 and french("The end must come after the start.") in response.content.decode()
    data = bad | {"slot-end": "2030-05-01T12:00", "slot-title": HOSTILE}
    assert organiser.post(url, data).status_code == 302
    slot = EventSlot.objects.get(event=event)
    assert not EventRegistrationSettings.objects.get(pk=event.pk).is_open
    EventRegistrationSettings.objects.filter(pk=event.pk).update(is_open=True, capacity=10, max_places_per_person=4)
    assert register(client, event).status == RegistrationStatus.CONFIRMED  # a slot with no session asks nothing
    data = {"action": "session", "session-slot": slot.pk, "session-title": "Plaidoyer", "session-capacity": "1"}
    assert organiser.post(url, data | {"session-room": "Salle B"}).status_code == 302
    session = EventSession.objects.get(slot=slot)
    assert session.capacity == 1 and session.room == "Salle B"
    html = organiser.get(url).content.decode()
    assert HOSTILE not in html and "&lt;img src=x" in html
    # Edit: more places.
    edit = f"{url}atelier/{session.pk}/"
    assert organiser.get(edit).status_code == 200
    data = {"slot": slot.pk, "title": "Plaidoyer local", "capacity": "3", "room": "", "description": "Court"}
    assert organiser.post(edit, data).status_code == 302
    session.refresh_from_db()
    assert session.title == "Plaidoyer local" and session.capacity == 3
    other_slot = EventSlot.objects.create(event=event, title="Soir", start=slot.start, end=slot.end)
    assert organiser.post(edit, data | {"slot": other_slot.pk}).status_code == 302
    session.refresh_from_db()
    assert session.slot == slot  # a session stays in its slot: the choices made name it
    other_slot.delete()
    slot_edit = f"{url}creneau/{slot.pk}/"
    data = {"title": "Matin", "start": "2030-05-01T10:00", "end": "2030-05-01T12:30"}
    assert organiser.post(slot_edit, data).status_code == 302
    slot.refresh_from_db()
    assert slot.title == "Matin"
    # Someone chose it: neither the session nor its slot can be deleted.
    registration = register(client, event, **{f"creneau_{slot.pk}": str(session.pk)})
    response = organiser.post(url, {"action": "session_delete", "item": session.pk})
    assert response.status_code == 400 and "Des personnes ont choisi l’atelier" in response.content.decode()
    assert organiser.post(url, {"action": "slot_delete", "item": slot.pk}).status_code == 400
    assert EventSession.objects.filter(pk=session.pk).exists()
    # Once their registration is cancelled, it can.
    with committed():
        registration_cancel(registration=registration)
    assert organiser.post(url, {"action": "session_delete", "item": session.pk}).status_code == 302
    assert organiser.post(url, {"action": "slot_delete", "item": slot.pk}).status_code == 302
    assert not EventSlot.objects.filter(event=event).exists()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_more_places_in_a_session_promote_the_waiting_list(client: Client, event, programme, login):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=2)
    _direct(event, programme, programme.advocacy, programme.youth, name="Un")
    _direct(event, programme, programme.education, programme.youth, name="Deux")
    waiting = _direct(event, programme, programme.advocacy, programme.youth, name="Trois")
    registration_add(
        event=event,
        registrant=Registrant(name="Main", email="m@example.org", sessions=(programme.advocacy.pk, programme.youth.pk)),
    )
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=10)
    organiser = login("asso-a")
    edit = f"{_manage(event)}programme/atelier/{programme.advocacy.pk}/"
    data = {"slot": programme.morning.pk, "title": "Plaidoyer", "capacity": "3", "room": "Salle A"}
    with committed():
        assert organiser.post(edit, data).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_the_organisers_see_sessions_in_the_list_counts_export_and_check_in(
    client: Client, event, programme, login, django_assert_max_num_queries
):
    register(
        client,
        event,
        name=HOSTILE,
        organisation="=HYPERLINK(1)",
        **programme.choose(programme.advocacy, programme.climate),
    )
    register(client, event, name="Awa Diallo", **programme.choose(programme.funding, programme.climate))
    organiser = login("asso-a")
    html = organiser.get(_manage(event)).content.decode()
    assert HOSTILE not in html and "&lt;img src=x" in html
    assert "Ateliers du matin : Plaidoyer" in html and "Ateliers du matin : Financements" in html
    assert "places restantes" not in html and "— complet" not in html  # the add form: organisers may overbook
    counts = html.split(f'data-session-counts="{programme.advocacy.pk}"')[1].split("</tr>")[0]
    assert 'data-count="session-places">1 / 2<' in counts
    counts = html.split(f'data-session-counts="{programme.climate.pk}"')[1].split("</tr>")[0]
    assert 'data-count="session-places">2 / 5<' in counts

    response = organiser.get(f"{_manage(event)}export/csv/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    header = rows[0]
    assert "Ateliers du matin" in header and "Ateliers de l’après-midi" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["Ateliers du matin"] == "Plaidoyer" and first["Ateliers de l’après-midi"] == "Climat"
    assert first["Structure"] == "'=HYPERLINK(1)"

    check_in = f"{_manage(event)}pointage/"
    html = organiser.get(check_in).content.decode()
    assert "Awa Diallo" in html and "&lt;img src=x" in html and "Ateliers du matin : Financements" in html
    html = organiser.get(f"{check_in}?atelier={programme.funding.pk}").content.decode()
    assert "Awa Diallo" in html and "&lt;img src=x" not in html and "data-chosen-session" in html

    # The same number of queries with 2 registrations and with 8.
    pages = (_manage(event), check_in, event.url)
    with django_assert_max_num_queries(60) as few:
        for url in pages:
            organiser.get(url)
    budget = len(few)
    for number in range(6):
        register(
            client, event, **programme.choose(programme.education, [programme.youth, programme.climate][number % 2])
        )
    with django_assert_max_num_queries(budget):
        for url in pages:
            organiser.get(url)


def test_the_public_pages_cost_the_same_queries_whatever_the_registrations(
    client: Client, event, programme, django_assert_max_num_queries
):
    register(client, event, **programme.choose(programme.advocacy, programme.climate))
    for url in (event.url, register_url(event)):
        client.get(url)
    few = []
    for url in (event.url, register_url(event)):
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        few.append(len(captured))
    for number in range(8):
        afternoon = programme.youth if number % 2 else programme.climate
        register(client, event, **programme.choose(programme.education, afternoon))
    for url, budget in zip((event.url, register_url(event)), few, strict=True):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_the_sign_in_sheet_is_a_pdf_with_one_section_per_session(client: Client, event, programme, login):
    register(
        client,
        event,
        name="Awa Diallo",
        organisation="Amitiés",
        **programme.choose(programme.advocacy, programme.climate),
    )
    register(client, event, name=HOSTILE, **programme.choose(programme.funding, programme.climate))
    organiser = login("asso-a")
    response = organiser.get(f"{_manage(event)}emargement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 6  # one page per session
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Feuille d’émargement" in text and "Awa Diallo" in text and "Amitiés" in text
    assert "Plaidoyer" in text and "Partenariats" in text
    assert HOSTILE in text.replace("\n", " ") or "onerror" in text  # printed as text, never markup
    organiser.logout()
    outsider = login("asso-b")
    response = outsider.get(f"{_manage(event)}emargement.pdf")
    assert response.status_code == 403 and not response.content.startswith(b"%PDF")


def test_the_badges_are_a_pdf_of_the_confirmed_people_with_a_blank_one_per_extra_place(
    client: Client, event, programme, login, django_assert_max_num_queries
):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=4)
    register(
        client,
        event,
        name="Awa Diallo",
        organisation="Amitiés",
        places=2,
        **programme.choose(programme.advocacy, programme.climate),
    )
    register(client, event, name=HOSTILE, **programme.choose(programme.funding, programme.climate))
    register(client, event, name="Erwan Kerjean", **programme.choose(programme.funding, programme.youth))
    waiting = register(
        client, event, name="Attente Longue", places=2, **programme.choose(programme.funding, programme.youth)
    )
    assert waiting.status == RegistrationStatus.WAITING
    organiser = login("asso-a")
    manage = organiser.get(_manage(event)).content.decode()
    assert f'href="{_manage(event)}badges.pdf"' in manage and "Télécharger les badges (PDF)" in manage
    with django_assert_max_num_queries(40):
        response = organiser.get(f"{_manage(event)}badges.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="badges-{event.slug}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1  # four badges: Awa's two places, the hostile name, Erwan
    assert text.count("Ciné-débat Sahel") == 4
    assert text.count("Awa Diallo") == 1 and text.count("Amitiés") == 2  # the extra place: a blank name
    assert "Erwan Kerjean" in text and "Plaidoyer (Salle A)" in text and "Climat" in text
    assert "Attente Longue" not in text
    assert "onerror" in text  # the hostile name printed as text, never markup
    organiser.logout()
    assert login("asso-b").get(f"{_manage(event)}badges.pdf").status_code == 403


def test_deleting_the_event_deletes_its_programme_and_choices(client: Client, event, programme):
    register(client, event, **programme.choose(programme.advocacy, programme.climate))
    event.delete()
    assert not EventSlot.objects.filter(pk=programme.morning.pk).exists()
    assert not RegistrationChoice.objects.filter(session=programme.advocacy).exists()


def test_an_event_without_slots_is_unchanged(client: Client, event):
    registration = register(client, event)
    assert registration.status == RegistrationStatus.CONFIRMED and not registration.choices.exists()
    assert "data-programme" not in client.get(event.url).content.decode()
