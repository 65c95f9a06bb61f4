"""The coordinators' review in the Wagtail admin: who may see and decide, and what each view does."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from casi_workspace.models import ApplicationStatus, MembershipApplication, OrganisationPage
from tests.helpers import french

pytestmark = pytest.mark.django_db

User = get_user_model()
BASE = "/admin/casi_workspace/applications/"


def _urls(pk: int) -> dict[str, str]:
    return {
        "list": BASE,
        "inspect": f"{BASE}inspect/{pk}/",
        "approve": f"{BASE}approve/{pk}/",
        "reject": f"{BASE}reject/{pk}/",
    }


@pytest.fixture
def pending(make_application) -> MembershipApplication:
    return make_application()


@pytest.mark.parametrize("view", ["list", "inspect", "approve", "reject"])
@pytest.mark.parametrize("username", ["coordination", "admin"])
def test_coordinators_and_superusers_open_every_view(login, pending, username, view):
    response = login(username).get(_urls(pending.pk)[view])
    assert response.status_code == 200
    assert "Solidarité Quimper Bénin" in response.content.decode()


@pytest.mark.parametrize("view", ["list", "inspect", "approve", "reject"])
@pytest.mark.parametrize("username", ["asso-a", "membre-gt", "collectif-29"])
def test_other_accounts_are_refused(login, pending, username, view):
    client = login(username)
    assert client.get(_urls(pending.pk)[view]).status_code == 403
    if view in {"approve", "reject"}:
        assert client.post(_urls(pending.pk)[view], {"message": "Non."}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING


@pytest.mark.parametrize("view", ["list", "inspect", "approve", "reject"])
def test_anonymous_visitors_are_sent_to_the_login(client, pending, view):
    response = client.get(_urls(pending.pk)[view])
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_menu_item_only_for_coordinators(login, client):
    assert BASE in login("coordination").get("/admin/").content.decode()
    client.logout()
    assert BASE not in login("asso-a").get("/admin/").content.decode()


def test_list_shows_pending_first_oldest_first_with_the_duplicate_flag(login, make_application):
    older = make_application(organisation_name="Brest Sahel Solidarité", commune="Brest", contact_email="a@bss.fr")
    newer = make_application(organisation_name="Plouzané Togo", commune="Brest", contact_email="b@pt.fr")
    decided = make_application(organisation_name="Déjà refusée", contact_email="c@dr.fr")
    decided.status = ApplicationStatus.REJECTED
    decided.save()
    MembershipApplication.objects.filter(pk=older.pk).update(submitted_at=newer.submitted_at.replace(year=2020))

    html = login("coordination").get(BASE).content.decode()
    assert html.index("Brest Sahel Solidarité") < html.index("Plouzané Togo") < html.index("Déjà refusée")
    assert french("Possible duplicate") in html
    row = html[html.index("Brest Sahel Solidarité") :]
    assert "Brest Sahel Solidarité" in row[: row.index("</tr>")].split("Brest Sahel Solidarité", 1)[1]
    assert french("Pending") in html and french("Rejected") in html


def test_list_filters_by_status_and_searches(login, make_application):
    make_application(organisation_name="Plouzané Togo", contact_email="b@pt.fr")
    decided = make_application(organisation_name="Déjà refusée", contact_email="c@dr.fr")
    decided.status = ApplicationStatus.REJECTED
    decided.save()
    client = login("coordination")

    rejected = client.get(BASE, {"status__exact": "rejected"}).content.decode()
    assert "Déjà refusée" in rejected and "Plouzané Togo" not in rejected
    pending = client.get(BASE, {"status__exact": "pending"}).content.decode()
    assert "Plouzané Togo" in pending and "Déjà refusée" not in pending

    assert "Plouzané Togo" in client.get(BASE, {"q": "b@pt.fr"}).content.decode()
    assert "Plouzané Togo" not in client.get(BASE, {"q": "Déjà"}).content.decode()


def test_inspect_shows_the_details_and_the_decision_buttons(login, make_application):
    application = make_application(organisation_name="Brest Sahel Solidarité", commune="Brest", contact_email="a@b.fr")
    html = login("coordination").get(_urls(application.pk)["inspect"]).content.decode()
    assert "a@b.fr" in html
    assert _urls(application.pk)["approve"] in html
    assert _urls(application.pk)["reject"] in html
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    assert f"/admin/pages/{organisation.pk}/edit/" in html  # the possible duplicate, to compare


def test_approve_through_the_admin(login, pending, django_capture_on_commit_callbacks):
    client = login("coordination")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_urls(pending.pk)["approve"], {"organisation": "", "message": "Bienvenue !"})
    assert response.status_code == 302
    assert response["Location"] == BASE
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.APPROVED
    assert pending.decided_by.username == "coordination"
    assert pending.organisation.live
    assert len(mail.outbox) == 1

    # The buttons are gone, and a second approval is refused without a second email.
    html = client.get(_urls(pending.pk)["inspect"]).content.decode()
    assert _urls(pending.pk)["approve"] not in html
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(_urls(pending.pk)["approve"], {"message": "Encore"}, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == _urls(pending.pk)["inspect"]
    assert french("Approved").lower() in again.content.decode()
    assert len(mail.outbox) == 1
    assert client.get(_urls(pending.pk)["reject"]).status_code == 302


def test_approve_can_link_the_possible_duplicate(login, make_application, django_capture_on_commit_callbacks):
    application = make_application(organisation_name="Brest Sahel Solidarité", commune="Brest", contact_email="a@b.fr")
    pages = OrganisationPage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        login("coordination").post(
            _urls(application.pk)["approve"], {"organisation": application.matching_organisation_id, "message": ""}
        )
    application.refresh_from_db()
    assert application.organisation_id == application.matching_organisation_id
    assert OrganisationPage.objects.count() == pages


def test_approval_refused_by_the_service_is_a_message_not_an_error(login, make_application):
    application = make_application(
        organisation_name="Brest Sahel Solidarité", commune="Lorient", contact_email="x@y.fr"
    )
    response = login("coordination").post(_urls(application.pk)["approve"], {"message": ""}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == _urls(application.pk)["inspect"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_reject_through_the_admin_requires_a_message(login, pending, django_capture_on_commit_callbacks):
    client = login("coordination")
    response = client.post(_urls(pending.pk)["reject"], {"message": "  "})
    assert response.status_code == 200
    assert french("This field is required.") in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_urls(pending.pk)["reject"], {"message": "Hors de notre champ d'action."})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.REJECTED
    assert pending.decision_message == "Hors de notre champ d'action."
    assert len(mail.outbox) == 1
    assert "Hors de notre champ d'action." in mail.outbox[0].body


@pytest.mark.parametrize("forged", ["999999999", "0", "abc", "1%20OR%201=1", "9" * 30, "-1"])
@pytest.mark.parametrize("view", ["inspect", "approve", "reject"])
def test_forged_ids_are_404(login, forged, view):
    client = login("coordination")
    assert client.get(f"{BASE}{view}/{forged}/").status_code == 404
    if view != "inspect":
        assert client.post(f"{BASE}{view}/{forged}/", {"message": "x"}).status_code == 404


@pytest.mark.parametrize("username", ["coordination", "admin"])
def test_no_generic_create_or_edit(login, pending, username):
    client = login(username)
    assert client.get(f"{BASE}create/").status_code == 403
    assert client.get(f"{BASE}edit/{pending.pk}/").status_code == 403
    assert client.post(f"{BASE}edit/{pending.pk}/", {"status": "approved"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == ApplicationStatus.PENDING


def test_coordinators_group_has_view_and_change_only():
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Coordination du réseau")
        .permissions.filter(content_type__model="membershipapplication")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_membershipapplication", "change_membershipapplication"}


def test_list_queries_do_not_grow_with_the_applications(login, make_application):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("coordination")
    client.get(BASE)  # warm the caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    for number in range(10):
        make_application(
            organisation_name=f"Brest Sahel Solidarité {number}", commune="Brest", contact_email=f"{number}@x.fr"
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(BASE).status_code == 200
    assert len(many) == len(few)
