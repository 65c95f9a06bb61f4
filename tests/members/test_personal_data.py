"""A person downloads what the site keeps about them from the member space: theirs, all of it, and no one else's."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from casi_workspace.models import NewsletterSubscriber, OrganisationPage, SubscriberStatus
from casi_workspace.workspaces.services.teams import membership_add as team_membership_add
from tests.workgroups.helpers import client_for, document_make, group_make, member_make, user_make

pytestmark = pytest.mark.django_db

DATA_URL = reverse("casi_workspace:member_data")


def _data(client: Client) -> dict:
    response = client.get(DATA_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees.json"'
    assert response["Cache-Control"].startswith("max-age=0")
    return json.loads(response.content)


def test_a_member_downloads_their_account_teams_groups_files_and_subscription():
    group = group_make("members", title="Groupe des données")
    person = member_make(group)
    person.first_name, person.last_name = "Maïwenn", "Le Goff"
    person.save()
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    team_membership_add(organisation=organisation, user=person, role="manager")
    shared = document_make(group, person, name="budget-festival.pdf")
    NewsletterSubscriber.objects.create(email=person.email, status=SubscriberStatus.ACTIVE, topics=["news"])
    # Someone else's file in the same group, someone else's subscription.
    other = member_make(group)
    document_make(group, other, name="pas-a-moi.pdf")
    NewsletterSubscriber.objects.create(email=other.email, status=SubscriberStatus.ACTIVE)

    data = _data(client_for(person))

    assert data["account"] | {"joined_on": None, "last_sign_in": None} == {
        "username": person.username,
        "first_name": "Maïwenn",
        "last_name": "Le Goff",
        "email": person.email,
        "joined_on": None,
        "last_sign_in": None,
    }
    assert data["associations"] == [
        {"organisation": organisation.title, "role": "manager", "since": data["associations"][0]["since"]}
    ]
    assert [(item["group"], item["status"]) for item in data["working_groups"]] == [("Groupe des données", "active")]
    (upload,) = data["shared_files"]
    assert (upload["title"], upload["file"]) == (shared.title, "budget-festival.pdf")
    # The download address works for them: it is theirs to take away.
    assert client_for(person).get(urlsplit(upload["download"]).path).status_code == 200
    assert data["newsletter"]["email"] == person.email and data["newsletter"]["topics"] == ["news"]
    assert other.username not in json.dumps(data) and "pas-a-moi" not in json.dumps(data)


def test_a_person_with_nothing_gets_their_account_only():
    person = user_make("sans-rien")
    data = _data(client_for(person))
    assert data["account"]["username"] == person.username
    assert [data[key] for key in ("associations", "working_groups", "shared_files", "newsletter")] == [[], [], [], None]


def test_visitors_are_sent_to_sign_in_and_the_member_space_links_to_the_download():
    response = Client().get(DATA_URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    html = client_for(user_make("lien")).get(reverse("casi_workspace:member_space")).content.decode()
    assert f'<a href="{DATA_URL}" download>Télécharger mes données (JSON)</a>' in html


@pytest.mark.parametrize("files", [1, 30])
def test_the_download_costs_the_same_queries_for_1_or_30_files(django_assert_max_num_queries, files):
    group = group_make("members")
    person = member_make(group)
    for number in range(files):
        document_make(group, person, name=f"fichier-{number}.pdf")
    client = client_for(person)
    with django_assert_max_num_queries(12):
        assert len(_data(client)["shared_files"]) == files
