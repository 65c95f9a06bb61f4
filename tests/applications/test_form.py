"""The public membership form at /adherer/: French, labelled, stored once, and closed to robots.

New messages are compared with `gettext` of their msgid under the French locale, so that these tests hold
before and after the French catalogue is regenerated; labels and validator messages already translated
are compared with their French text.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from casi_workspace.applications.services import application_fingerprint
from casi_workspace.conf import get_setting
from casi_workspace.core.ratelimit import client_address_hash
from casi_workspace.models import ApplicationStatus, MembershipApplication
from tests.helpers import form_controls, french

pytestmark = pytest.mark.django_db

URL = "/adherer/"


def test_form_renders_in_french_with_a_label_for_every_control(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    for label in ("Nom de la structure", "Numéro SIREN", "Personne à contacter", "Courriel de contact", "Motivation"):
        assert label in html
    controls = form_controls(html, "application-form")
    assert len(controls.controls) == 17  # 16 fields of the application and the honeypot
    for control in controls.controls:
        assert control["id"] in controls.label_targets, f"{control['name']} has no label"
    assert 'name="csrfmiddlewaretoken"' in html


def test_honeypot_is_hidden_from_sight_and_keyboard_but_labelled(client):
    html = client.get(URL).content.decode()
    honeypot = next(c for c in form_controls(html, "application-form").controls if c["name"] == "homepage")
    assert honeypot["tabindex"] == "-1"
    assert honeypot["autocomplete"] == "off"
    assert '<div class="visually-hidden">' in html
    assert f'<label for="id_homepage">{french("Leave this field empty")}</label>' in html


def test_valid_application_is_stored_once_pending_and_redirects(client, application_data):
    before = MembershipApplication.objects.count()
    response = client.post(URL, application_data)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?envoye=1"
    assert MembershipApplication.objects.count() == before + 1
    application = MembershipApplication.objects.latest("pk")
    assert application.status == ApplicationStatus.PENDING
    assert application.organisation_name == "Solidarité Quimper Bénin"
    assert application.consent is True
    assert application.matching_organisation is None
    assert application.fingerprint == application_fingerprint(
        organisation_name="Solidarité Quimper Bénin", contact_email="nolwenn@sqb.example.org"
    )
    assert application.ip_hash == client_address_hash("applications", "127.0.0.1")
    assert "127.0.0.1" not in application.ip_hash


def test_thank_you_page_after_the_redirect(client, application_data):
    response = client.post(URL, application_data, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert french("Thank you: your application has been sent.") in html
    assert 'role="status"' in html
    assert 'class="application-form"' not in html


@pytest.mark.parametrize("value", ["0", "oui", "1&x=2", "<script>"])
def test_other_values_of_the_thank_you_parameter_show_the_form(client, value):
    response = client.get(URL, {"envoye": value})
    assert response.status_code == 200
    assert 'class="application-form"' in response.content.decode()


def test_double_submission_creates_one_application(client, application_data):
    before = MembershipApplication.objects.count()
    first = client.post(URL, application_data)
    changed_case = {
        **application_data,
        "organisation_name": "  SOLIDARITE quimper  bénin ",
        "contact_email": "Nolwenn@SQB.example.org",
    }
    second = client.post(URL, changed_case)
    assert first.status_code == second.status_code == 302
    assert MembershipApplication.objects.count() == before + 1


def test_filled_honeypot_pretends_success_and_stores_nothing(client, application_data):
    before = MembershipApplication.objects.count()
    response = client.post(URL, {**application_data, "homepage": "https://spam.example.com"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?envoye=1"
    assert MembershipApplication.objects.count() == before


def test_rate_limit_answers_429_in_french_and_stores_nothing(client, application_data, settings):
    settings.CASI_WORKSPACE_APPLICATION_RATE_LIMIT = 5
    before = MembershipApplication.objects.count()
    for number in range(5):
        response = client.post(URL, {**application_data, "contact_email": f"contact{number}@sqb.example.org"})
        assert response.status_code == 302
    response = client.post(URL, {**application_data, "contact_email": "contact6@sqb.example.org"})
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert french("Too many applications have been sent from your connection. Please try again in an hour.") in html
    assert 'role="alert"' in html
    assert MembershipApplication.objects.count() == before + 5
    # Another client address has its own window.
    other = client.post(URL, {**application_data, "contact_email": "contact7@sqb.example.org"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_invalid_forms_do_not_count_against_the_rate_limit(client, application_data, settings):
    settings.CASI_WORKSPACE_APPLICATION_RATE_LIMIT = 1
    for _attempt in range(3):
        assert client.post(URL, {**application_data, "siren": "123456789"}).status_code == 200
    assert client.post(URL, application_data).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "123456789", "Ce numéro SIREN n’est pas valide"),
        ("siret", "44306184100048", "Ce numéro SIRET n’est pas valide"),
        ("rna", "291000123", "Un numéro RNA est un W suivi de 9 chiffres"),
        ("rna", "W12", "Un numéro RNA est un W suivi de 9 chiffres"),
    ],
)
def test_invalid_identifiers_are_french_field_errors(client, application_data, field, value, message):
    before = MembershipApplication.objects.count()
    response = client.post(URL, {**application_data, field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    # The error summary links to the field; the field points at its error message.
    assert 'class="error-summary"' in html
    assert f'href="#id_{field}"' in html
    assert f'id="id_{field}_error"' in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert f"<title>{french('Error:')} " in html
    assert MembershipApplication.objects.count() == before


def test_identifiers_typed_with_spaces_are_stored_compact(client, application_data):
    response = client.post(
        URL, {**application_data, "siren": "732 829 320", "siret": "443 061 841 00047", "rna": "w29-100-0123"}
    )
    assert response.status_code == 302
    application = MembershipApplication.objects.latest("pk")
    assert (application.siren, application.siret, application.rna) == ("732829320", "44306184100047", "W291000123")


def test_consent_and_required_fields(client, application_data):
    before = MembershipApplication.objects.count()
    data = {**application_data, "organisation_name": "", "contact_email": "pas-un-courriel"}
    del data["consent"]
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(french("This field is required.")) >= 2  # in the summary and beside the field
    assert "Saisissez une adresse de courriel valide." in html
    assert french("Please agree to the processing of these data to send the application.") in html
    assert MembershipApplication.objects.count() == before


def test_application_from_a_known_organisation_is_flagged(client, application_data):
    response = client.post(
        URL,
        {
            **application_data,
            "organisation_name": "Brest Sahel Solidarité",
            "commune": "Brest",
            "postcode": "29200",
            "contact_email": "contact@bss.example.org",
        },
    )
    assert response.status_code == 302
    application = MembershipApplication.objects.latest("pk")
    assert application.matching_organisation is not None
    assert application.matching_organisation.slug == "brest-sahel-solidarite"


def test_admin_preview_of_the_membership_page_shows_the_form():
    from casi_workspace.models import MembershipPage

    response = MembershipPage.objects.get(slug="adherer").make_preview_request()
    assert response.status_code == 200
    assert 'class="application-form"' in response.rendered_content


def test_the_applicant_is_acknowledged_and_the_coordinators_notified_once(
    client, application_data, django_capture_on_commit_callbacks
):
    coordinators = set(
        get_user_model()
        .objects.filter(groups__name=get_setting("COORDINATORS_GROUP"), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    assert coordinators
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, application_data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, application_data).status_code == 302  # the same application, sent twice
    application = MembershipApplication.objects.latest("pk")
    acknowledgement, *notices = mail.outbox
    assert acknowledgement.to == ["nolwenn@sqb.example.org"]
    assert acknowledgement.subject.startswith("Votre demande d’adhésion à ")
    assert "Solidarité Quimper Bénin" in acknowledgement.body
    assert {notice.to[0] for notice in notices} == coordinators and len(notices) == len(coordinators)
    notice = notices[0]
    assert notice.subject == "Nouvelle demande d’adhésion : Solidarité Quimper Bénin"
    review = f"/admin/casi_workspace/applications/inspect/{application.pk}/"
    assert review in notice.body
    assert client.get(review).status_code in (302, 403)  # the link leads to the coordinators' review, not to all


def test_a_refused_or_trapped_submission_sends_nothing(client, application_data, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**application_data, "homepage": "https://spam.example.com"})
        client.post(URL, {**application_data, "siren": "123456789"})
    assert mail.outbox == []


def test_the_type_of_actor_asks_to_choose_instead_of_a_row_of_dashes(client):
    html = client.get(URL).content.decode()

    assert '<option value="" selected>Choisissez un type d&#x27;acteur</option>' in html
    assert "---------" not in html
