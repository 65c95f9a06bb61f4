"""A person deletes their account from the member space: nothing of theirs remains but what they shared with a
group, which stays with the group under "ancien membre"."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import (
    NewsletterSubscriber,
    OrganisationPage,
    SharedDocumentPage,
    SubscriberStatus,
    WorkingGroupMembership,
)
from casi_workspace.workspaces.services.teams import membership_add as team_membership_add
from tests.publications.helpers import publication_create
from tests.workgroups.helpers import client_for, document_make, group_make, member_make, user_make

pytestmark = pytest.mark.django_db

DELETE_URL = reverse("casi_workspace:member_account_delete")


def _references(pk: int) -> dict[str, int]:
    """Rows of every model that points to the user model (Wagtail's, Django's, the plugin's) naming `pk`."""
    found = {}
    for relation in get_user_model()._meta.get_fields(include_hidden=True):
        if relation.concrete or not relation.auto_created:
            continue
        model, field = relation.related_model, relation.field
        if relation.many_to_many:
            through = field.remote_field.through
            column = field.m2m_reverse_field_name() if model is not through else field.name
            rows = through._base_manager.filter(**{f"{column}_id": pk}).count()
        else:
            rows = model._base_manager.filter(**{field.attname: pk}).count()
        if rows:
            found[f"{model._meta.label}.{field.name}"] = rows
    return found


@pytest.fixture
def member():
    """A member of a group who shared a file, is in an association's team, edited a page and subscribed."""
    group = group_make("members", title="Groupe de l'ancien membre")
    person = member_make(group)
    shared = document_make(group, person, name="notes-de-reunion.pdf")
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    team_membership_add(organisation=organisation, user=person, role="editor")
    news = publication_create("news", organisation)
    news.title = "Retouchée par le membre"
    news.save_revision(user=person, log_action=True).publish(user=person)
    NewsletterSubscriber.objects.create(email=person.email, status=SubscriberStatus.ACTIVE)
    return person, group, shared


def test_the_member_deletes_their_account_and_their_shared_file_stays_with_the_group(member):
    person, group, shared = member
    pk, email = person.pk, person.email
    assert _references(pk)  # the fixture gave them something everywhere it could
    client = client_for(person)
    assert "Supprimer mon compte" in unescape(client.get(reverse("casi_workspace:member_space")).content.decode())
    form = client.get(DELETE_URL)
    assert form.status_code == 200 and 'autocomplete="current-password"' in form.content.decode()

    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Votre compte est supprimé." in unescape(response.content.decode())
    assert not get_user_model().objects.filter(pk=pk).exists()
    assert _references(pk) == {}, "rows still naming the deleted account"
    assert not NewsletterSubscriber.objects.filter(email=email).exists()
    assert not WorkingGroupMembership.objects.filter(working_group=group, user_id=pk).exists()
    # The file stays with the group, shared by "ancien membre"; the person is signed out.
    shared = SharedDocumentPage.objects.get(pk=shared.pk)
    assert shared.uploaded_by is None and shared.live
    reader = member_make(group)
    page = unescape(client_for(reader).get(shared.url).content.decode())
    assert "ancien membre" in page
    assert client.get(reverse("casi_workspace:member_space")).status_code == 302


def test_a_wrong_password_deletes_nothing(member):
    person, _group, _shared = member
    response = client_for(person).post(DELETE_URL, {"password": "pas-le-bon"})
    assert response.status_code == 400
    assert "Ce n’est pas votre mot de passe." in unescape(response.content.decode())
    assert get_user_model().objects.filter(pk=person.pk).exists()


def test_a_superuser_is_refused_and_kept():
    admin = user_make("superviseur", is_superuser=True, is_staff=True)
    response = client_for(admin).post(DELETE_URL, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "superutilisateur" in unescape(response.content.decode())
    assert get_user_model().objects.filter(pk=admin.pk).exists()


def test_visitors_are_sent_to_sign_in_and_other_methods_are_refused():
    response = Client().post(DELETE_URL, {"password": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    assert client_for(user_make("methode")).put(DELETE_URL).status_code == 405
