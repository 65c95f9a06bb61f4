"""The decision services: approval makes a member with a workspace and an invitation; rejection explains why."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from casi_workspace.applications.services import (
    ApplicationError,
    ApplicationNotPending,
    application_approve,
    application_create,
    application_reject,
)
from casi_workspace.models import (
    ApplicationStatus,
    DirectoryPage,
    MembershipApplication,
    OrganisationPage,
    OrganisationWorkspace,
)
from tests.helpers import french

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Kerhuon-Bamako-2026!"


@pytest.fixture
def coordinator():
    return User.objects.get(username="coordination")


def _set_password_path(body: str) -> str:
    match = re.search(r"http://testserver(/admin/password_reset/confirm/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_approval_creates_a_live_member_with_workspace_account_and_invitation(
    make_application, coordinator, django_capture_on_commit_callbacks
):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        organisation = application_approve(application=application, user=coordinator, message="Bienvenue à bord !")

    organisation = OrganisationPage.objects.get(pk=organisation.pk)
    assert organisation.live
    assert organisation.title == "Solidarité Quimper Bénin"
    assert organisation.slug == "solidarité-quimper-bénin"  # WAGTAIL_ALLOW_UNICODE_SLUGS, on by default
    assert organisation.get_parent().specific_class is DirectoryPage
    assert (organisation.commune, organisation.department, organisation.private_email) == (
        "Quimper",
        "29",
        "nolwenn@sqb.example.org",
    )
    assert not organisation.is_trusted
    workspace = OrganisationWorkspace.objects.get(organisation=organisation)

    contact = User.objects.get(email="nolwenn@sqb.example.org")
    assert contact.username == "nolwenn@sqb.example.org"
    assert (contact.first_name, contact.last_name) == ("Nolwenn", "Le Goff")
    assert not contact.has_usable_password()
    assert contact.groups.filter(pk=workspace.editors_group_id).exists()

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.organisation == organisation
    assert application.decided_by == coordinator
    assert application.decided_at is not None
    assert application.decision_message == "Bienvenue à bord !"

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nolwenn@sqb.example.org"]
    assert "\n" not in email.subject
    assert "CASI Bretagne" in email.subject
    assert "Bienvenue à bord !" in email.body
    assert "Solidarité Quimper Bénin" in email.body
    assert "&#x27;" not in email.body and "&amp;" not in email.body  # the text part is not HTML-escaped
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert french("Choose my password") in html
    assert 'lang="fr"' in html


def test_invitation_link_sets_a_password_once(make_application, coordinator, django_capture_on_commit_callbacks):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=application, user=coordinator)
    link = _set_password_path(mail.outbox[0].body)

    browser = Client()
    response = browser.get(link)
    assert response.status_code == 302  # Django moves the token out of the address, into the session
    form_url = response["Location"]
    assert browser.get(form_url).status_code == 200
    response = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302

    contact = User.objects.get(email="nolwenn@sqb.example.org")
    assert Client().login(username=contact.username, password=NEW_PASSWORD)
    signed_in = Client()
    signed_in.login(username=contact.username, password=NEW_PASSWORD)
    assert signed_in.get("/admin/").status_code == 200

    # Single use: once the password is set, the same link no longer opens the form.
    again = Client().get(link, follow=True)
    assert 'name="new_password1"' not in again.content.decode()


def test_approval_can_link_an_existing_organisation(make_application, coordinator, django_capture_on_commit_callbacks):
    existing = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    application = make_application(
        organisation_name="Brest Sahel Solidarité", commune="Brest", contact_email="tresorier@bss.example.org"
    )
    assert application.matching_organisation_id == existing.pk
    pages_before = OrganisationPage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        organisation = application_approve(
            application=application, user=coordinator, organisation=application.matching_organisation
        )
    assert organisation.pk == existing.pk
    assert OrganisationPage.objects.count() == pages_before
    contact = User.objects.get(email="tresorier@bss.example.org")
    assert contact.groups.filter(organisation_workspace__organisation=existing).exists()
    assert len(mail.outbox) == 1


def test_approval_reuses_the_account_of_a_known_email(
    make_application, coordinator, django_capture_on_commit_callbacks
):
    asso_b = User.objects.get(username="asso-b")
    users_before = User.objects.count()
    application = make_application(contact_email="ASSO-B@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        organisation = application_approve(application=application, user=coordinator)
    assert User.objects.count() == users_before
    assert asso_b.groups.filter(organisation_workspace__organisation=organisation).exists()
    body = mail.outbox[0].body
    assert "/admin/password_reset/confirm/" not in body  # the account already has a password
    assert "http://testserver/admin/login/" in body


def test_new_username_avoids_a_taken_one(make_application, coordinator, django_capture_on_commit_callbacks):
    User.objects.create(username="nolwenn@sqb.example.org", email="autre@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=make_application(), user=coordinator)
    assert User.objects.get(email="nolwenn@sqb.example.org").username == "nolwenn@sqb.example.org-2"


def test_new_page_slug_avoids_a_taken_one(make_application, coordinator, django_capture_on_commit_callbacks):
    application = make_application(organisation_name="Brest-Sahel Solidarite !", commune="Lorient")
    with django_capture_on_commit_callbacks(execute=True):
        organisation = application_approve(application=application, user=coordinator)
    assert organisation.slug == "brest-sahel-solidarite-1"


def test_a_second_page_with_the_same_title_is_refused_cleanly(make_application, coordinator):
    application = make_application(organisation_name="Brest Sahel Solidarité", commune="Lorient")
    pages, users = OrganisationPage.objects.count(), User.objects.count()
    with pytest.raises(ApplicationError, match="Brest Sahel Solidarité"):
        application_approve(application=application, user=coordinator)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert (OrganisationPage.objects.count(), User.objects.count()) == (pages, users)
    assert mail.outbox == []


def test_invitation_waits_for_the_commit(make_application, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_approve(application=make_application(), user=coordinator)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_rejection_sends_the_message_infrench(make_application, coordinator, django_capture_on_commit_callbacks):
    application = make_application()
    pages_before = OrganisationPage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(
            application=application,
            user=coordinator,
            message="Votre structure n'a pas encore d'activité en Bretagne.\nRevenez vers nous l'an prochain.",
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decided_by == coordinator
    assert application.organisation is None
    assert OrganisationPage.objects.count() == pages_before
    assert not User.objects.filter(email="nolwenn@sqb.example.org").exists()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nolwenn@sqb.example.org"]
    assert "\n" not in email.subject
    assert "Votre structure n'a pas encore d'activité en Bretagne." in email.body
    html, _mimetype = email.alternatives[0]
    assert "Votre structure n&#x27;a pas encore d&#x27;activité en Bretagne.<br>Revenez" in html
    refusal = (
        "The coordinators of %(site_name)s have examined the membership application of %(organisation)s "
        "and cannot accept it."
    )
    with translation.override("fr"):
        expected = gettext(refusal) % {"site_name": "CASI Bretagne", "organisation": "Solidarité Quimper Bénin"}
    assert expected in email.body


def test_emails_are_french_even_when_the_coordinator_uses_english(
    make_application, coordinator, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        application_reject(application=make_application(), user=coordinator, message="Non.")
    with translation.override("fr"):
        greeting = gettext("Hello %(name)s,") % {"name": "Nolwenn Le Goff"}
    assert mail.outbox[0].body.startswith(greeting)


def test_a_decided_application_cannot_be_decided_again(
    make_application, coordinator, django_capture_on_commit_callbacks
):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=application, user=coordinator)
    pages, users = OrganisationPage.objects.count(), User.objects.count()

    with pytest.raises(ApplicationNotPending) as error:
        application_approve(application=application, user=coordinator)
    assert french("Approved").lower() in str(error.value)
    with pytest.raises(ApplicationNotPending):
        application_reject(application=application, user=coordinator, message="Trop tard.")
    # A stale copy of the application, loaded before the first decision, is refused too.
    stale = MembershipApplication.objects.get(pk=application.pk)
    stale.status = ApplicationStatus.PENDING
    with pytest.raises(ApplicationNotPending):
        application_approve(application=stale, user=coordinator)

    assert (OrganisationPage.objects.count(), User.objects.count()) == (pages, users)
    assert len(mail.outbox) == 1


def test_a_new_application_is_possible_after_a_decision(make_application, coordinator):
    first = make_application()
    application_reject(application=first, user=coordinator, message="Pas maintenant.")
    second = make_application()
    assert second.pk != first.pk
    assert second.status == ApplicationStatus.PENDING


def test_create_returns_the_pending_application_with_the_same_fingerprint(application_data):
    data = {**application_data, "consent": True}
    first = application_create(data=data)
    second = application_create(data={**data, "contact_email": "NOLWENN@sqb.example.org", "motivation": "Encore."})
    assert second.pk == first.pk


def test_a_double_click_racing_past_the_lookup_still_stores_one(application_data, monkeypatch):
    from casi_workspace.applications import services as applications

    data = {**application_data, "consent": True}
    first = application_create(data=data)
    real_lookup = applications._pending_with_fingerprint
    calls = []

    def lookup_that_misses_once(fingerprint):
        calls.append(fingerprint)
        return None if len(calls) == 1 else real_lookup(fingerprint)

    monkeypatch.setattr(applications, "_pending_with_fingerprint", lookup_that_misses_once)
    monkeypatch.setattr(MembershipApplication, "validate_constraints", lambda self, exclude=None: None)
    second = application_create(data=data)
    assert second.pk == first.pk
    assert MembershipApplication.objects.filter(fingerprint=first.fingerprint).count() == 1
