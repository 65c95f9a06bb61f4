"""Forged requests: cross-site posts without the CSRF token, and forms posted with fields they do not offer.

Each attack is a real POST; the safe outcome is a refusal (403 for CSRF) or the forged field ignored, and the
database as it was. Already covered elsewhere, not repeated: the visitor's and editors' proposal forms and the
group library's posts without a token, `is_trusted` / `membership_status` / `action-publish` forged by an
untrusted editor, a forged organisation on the proposal form, another group's folder in the library forms.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, TaskState

from casi_workspace.applications.services import application_create
from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import (
    ApplicationStatus,
    EventPage,
    Invitation,
    MembershipApplication,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterIssueStatus,
    NewsletterSubscriber,
    NewsPage,
    OrganisationPage,
    SharedDocumentPage,
    SubscriberStatus,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupPage,
    WorkingGroupRole,
)
from casi_workspace.newsletter.tokens import confirmation_token, link_token
from casi_workspace.workgroups.provisioning import workspace_of
from tests.permissions.support import form_data
from tests.publications.helpers import publication_create
from tests.publications.moderation.helpers import edit_page, pending_task_state, sign_in
from tests.publications.proposals.conftest import _local
from tests.workgroups.helpers import client_for, pdf_upload, url

from .support import APPLICATION

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public forms are rate-limited in the cache: each test starts with an empty window."""
    cache.clear()
    yield
    cache.clear()


def _enforcing(username: str | None = None) -> Client:
    """A browser on another site: its posts carry the session cookie but no CSRF token."""
    client = Client(enforce_csrf_checks=True)
    if username:
        assert client.login(username=username, password=DEFAULT_PASSWORD)
    return client


# --- CSRF: public forms -------------------------------------------------------------------------------------------


def test_a_cross_site_membership_application_is_refused():
    before = MembershipApplication.objects.count()
    response = _enforcing().post("/adherer/", APPLICATION)
    assert response.status_code == 403
    assert MembershipApplication.objects.count() == before


@pytest.mark.parametrize("source", ["newsletter-page", "home-page"])
def test_a_cross_site_newsletter_subscription_is_refused(source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _enforcing().post("/lettre/", {"email": "victime@example.org", "source": source})
    assert response.status_code == 403
    assert not NewsletterSubscriber.objects.filter(email="victime@example.org").exists()
    assert mail.outbox == []


def test_cross_site_posts_to_the_newsletter_links_are_refused_except_one_click_unsubscription():
    """The links carry a secret token; still, confirming or changing choices takes the page's own form."""
    pending = NewsletterSubscriber.objects.filter(status=SubscriberStatus.PENDING).first()
    response = _enforcing().post(f"/casi/lettre/confirmer/{confirmation_token(pending)}/")
    assert response.status_code == 403
    assert NewsletterSubscriber.objects.get(pk=pending.pk).status == SubscriberStatus.PENDING

    active = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).first()
    before = (active.topics, active.departments)
    response = _enforcing().post(
        f"/casi/lettre/preferences/{link_token(active)}/", {"topics": ["agenda"], "departments": ["35"]}
    )
    assert response.status_code == 403
    active.refresh_from_db()
    assert (active.topics, active.departments) == before


# --- CSRF: admin actions ------------------------------------------------------------------------------------------


def test_a_cross_site_sign_in_is_refused():
    """Login CSRF: a foreign page would sign the victim in to the attacker's account."""
    client = _enforcing()
    response = client.post("/admin/login/", {"username": "asso-a", "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_cross_site_decision_on_a_membership_application_is_refused():
    application = application_create(data={**APPLICATION, "consent": True})
    client = _enforcing("coordination")
    for action in ("approve", "reject"):
        response = client.post(f"/admin/casi_workspace/applications/{action}/{application.pk}/", {"message": "Forgé."})
        assert response.status_code == 403, action
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert not OrganisationPage.objects.filter(title=APPLICATION["organisation_name"]).exists()


def test_a_cross_site_newsletter_sending_is_refused(django_capture_on_commit_callbacks):
    issue = NewsletterIssue.objects.create(title="Lettre forgée")
    page = publication_create("news", "brest-sahel-solidarite")
    NewsletterIssueItem.objects.create(issue=issue, page=page, section=page.kind, sort_order=1)
    client = _enforcing("coordination")
    with django_capture_on_commit_callbacks(execute=True):
        for action in ("test", "send"):
            response = client.post(f"/admin/casi_workspace/lettre/numeros/{issue.pk}/envoi/", {"action": action})
            assert response.status_code == 403, action
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.DRAFT
    assert not NewsletterDelivery.objects.filter(issue=issue).exists()
    assert mail.outbox == []


def test_a_cross_site_page_deletion_and_team_invitation_are_refused(django_capture_on_commit_callbacks):
    news = publication_create("news", "brest-sahel-solidarite", title="À ne pas supprimer")
    brest = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    client = _enforcing("asso-a")
    assert client.post(reverse("wagtailadmin_pages:delete", args=[news.pk])).status_code == 403
    assert Page.objects.filter(pk=news.pk, live=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/casi_workspace/organisations/{brest.pk}/team/invite/",
            {"email": "intrus@example.net", "role": "manager"},
        )
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="intrus@example.net").exists()
    assert mail.outbox == []


# --- Forged fields: public forms ------------------------------------------------------------------------------


def test_a_membership_application_cannot_approve_itself():
    forged = {
        "status": ApplicationStatus.APPROVED,
        "organisation": str(OrganisationPage.objects.get(slug="brest-sahel-solidarite").pk),
        "matching_organisation": str(OrganisationPage.objects.get(slug="brest-sahel-solidarite").pk),
        "decided_by": str(User.objects.get(username="admin").pk),
        "decision_message": "Accepté d'office",
        "ip_hash": "forge",
    }
    response = Client().post("/adherer/", {**APPLICATION, **forged})
    assert response.status_code == 302
    application = MembershipApplication.objects.get(contact_email=APPLICATION["contact_email"])
    assert application.status == ApplicationStatus.PENDING
    assert application.organisation is None and application.decided_by is None
    assert application.matching_organisation is None and application.decision_message == ""
    assert application.ip_hash != "forge"


def test_a_newsletter_subscription_cannot_confirm_itself(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/lettre/",
            {"email": "presse@example.org", "status": "active", "confirmed_at": "2020-01-01", "key": "abc"},
        )
    assert response.status_code == 302
    subscriber = NewsletterSubscriber.objects.get(email="presse@example.org")
    assert subscriber.status == SubscriberStatus.PENDING and subscriber.confirmed_at is None
    assert subscriber.key != "abc"


def test_the_preferences_link_cannot_change_the_address_or_the_status():
    subscriber = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).first()
    response = Client().post(
        f"/casi/lettre/preferences/{link_token(subscriber)}/",
        {"topics": ["agenda"], "email": "attaquant@example.net", "status": "unsubscribed"},
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.email != "attaquant@example.net" and subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.topics == ["agenda"]  # the field the form does offer


def test_a_visitors_event_cannot_publish_itself_or_choose_where_it_goes():
    data = {
        "proposer_name": "Maïwenn Le Bihan",
        "proposer_email": "maiwenn@example.org",
        "organisation_name": "Lycée de l'Iroise",
        "title": "Forum forgé du lycée",
        "description": "Ouvert à tous.",
        "start": _local(30, 14),
        "end": _local(30, 18),
        "commune": "Brest",
        "department": "29",
        # Forged:
        "live": "on",
        "action-publish": "1",
        "organisation": str(OrganisationPage.objects.get(slug="brest-sahel-solidarite").pk),
        "parent": str(OrganisationPage.objects.get(slug="brest-sahel-solidarite").pk),
        "owner": str(User.objects.get(username="admin").pk),
    }
    response = Client().post("/agenda/proposer/", data)
    assert response.status_code == 302
    event = EventPage.objects.get(title="Forum forgé du lycée")
    assert not event.live
    assert event.get_parent().slug == "casi-bretagne" and event.owner is None
    assert event.workflow_in_progress


def test_an_untrusted_editors_proposal_cannot_publish_itself(login):
    response = login("asso-b").post(
        "/casi/proposer/actualite/",
        {
            "title": "Nouvelle forgée",
            "summary": "Résumé.",
            "body": "Corps.",
            "live": "on",
            "action-publish": "1",
            "publish": "1",
            "owner": str(User.objects.get(username="admin").pk),
            "workflow": "0",
        },
    )
    assert response.status_code == 302
    news = NewsPage.objects.get(title="Nouvelle forgée")
    assert not news.live and news.workflow_in_progress
    assert news.owner.username == "asso-b"


# --- Forged fields: accounts, moderation, working groups -------------------------------------------------------


def test_an_account_cannot_make_itself_superuser_or_coordinator(login):
    client = login("membre-gt")
    coordinators = Group.objects.get(name="Coordination du réseau")
    data = form_data(client.get("/admin/account/").content.decode(), "w-editor-form")
    forged = {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": str(coordinators.pk),
        "user_permissions": "1",
        "username": "admin2",
        "name_email-is_superuser": "on",
        "name_email-groups": str(coordinators.pk),
        "name_email-username": "admin2",
    }
    response = client.post("/admin/account/", {**data, **forged})
    assert response.status_code in (200, 302)
    user = User.objects.get(pk=response.wsgi_request.user.pk)
    assert user.username == "membre-gt"
    assert not user.is_superuser and not user.is_staff
    assert not user.groups.filter(pk=coordinators.pk).exists()
    assert not user.user_permissions.exists()
    # Nor through Wagtail's user management, which is not theirs.
    response = client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]), {"is_superuser": "on", "username": "membre-gt"}
    )
    assert response.status_code in (302, 403)
    assert not User.objects.get(pk=user.pk).is_superuser


def test_an_untrusted_editor_cannot_move_to_a_more_lenient_collective(client):
    """The collective decides who moderates the association: only coordinators may change it."""
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    collective = page.parent_collective_id
    rennes = OrganisationPage.objects.get(slug="collectif-rennes")
    sign_in(client, "asso-b")
    edit_page(client, page, action="action-submit", parent_collective=str(rennes.pk))
    page.refresh_from_db()
    assert page.parent_collective_id == collective
    assert page.get_latest_revision_as_object().parent_collective_id == collective


@pytest.mark.parametrize("username", ["asso-b", "asso-a"])
def test_an_editor_cannot_approve_a_pending_item_by_posting_the_workflow_action(username):
    """asso-b's own news waiting for moderation: neither its author nor another association may approve it."""
    news = NewsPage.objects.get(title__icontains="pirogue")
    task_state = pending_task_state(news)
    client = client_for(User.objects.get(username=username))
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[news.pk, "approve", task_state.pk]), {"comment": "Ok"}
    )
    assert response.status_code in (302, 403, 404)  # 404: another association's pending item is not even named
    news.refresh_from_db()
    assert not news.live
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_joining_a_group_on_request_cannot_forge_the_role_or_the_status():
    group = WorkingGroupPage.objects.get(slug="financements")
    user = User.objects.get(username="membre-gt")
    response = client_for(user).post(
        url("group_join", group_id=group.pk),
        {"message": "Bonjour", "role": WorkingGroupRole.COORDINATOR, "status": "active", "user": "1"},
    )
    assert response.status_code == 302
    membership = WorkingGroupMembership.objects.get(working_group=group, user=user)
    assert membership.status == WorkingGroupMembershipStatus.REQUESTED
    assert membership.role == WorkingGroupRole.MEMBER


@pytest.mark.parametrize("action", ["coordinator", "approve"])
def test_a_member_cannot_promote_themselves(action):
    group = WorkingGroupPage.objects.get(slug="ecsi")
    user = User.objects.get(username="membre-gt")
    membership = WorkingGroupMembership.objects.get(working_group=group, user=user)
    response = client_for(user).post(
        url("group_member_action", group_id=group.pk, membership_id=membership.pk, action=action)
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == WorkingGroupRole.MEMBER


def test_an_upload_cannot_choose_its_collection_or_its_uploader():
    group = WorkingGroupPage.objects.get(slug="ecsi")
    user = User.objects.get(username="membre-gt")
    other_collection = OrganisationPage.objects.get(slug="brest-sahel-solidarite").workspace.collection
    before = set(SharedDocumentPage.objects.descendant_of(group).values_list("pk", flat=True))
    response = client_for(user).post(
        url("group_upload", group_id=group.pk),
        {
            "parent": group.pk,
            "files": [pdf_upload("forge.pdf")],
            "collection": other_collection.pk,
            "uploaded_by": User.objects.get(username="admin").pk,
            "uploaded_by_user": User.objects.get(username="admin").pk,
        },
    )
    assert response.status_code == 302
    (page_id,) = set(SharedDocumentPage.objects.descendant_of(group).values_list("pk", flat=True)) - before
    page = SharedDocumentPage.objects.select_related("document").get(pk=page_id)
    assert page.uploaded_by == user and page.document.uploaded_by_user == user
    assert page.document.collection_id == workspace_of(group).collection_id != other_collection.pk


def test_an_editor_cannot_copy_its_page_under_another_association(login):
    """The copy form names its destination by page id: another association's page is refused."""
    news = publication_create("news", "brest-sahel-solidarite", title="Copie forgée")
    other = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    before = set(Page.objects.child_of(other).values_list("pk", flat=True))
    client = login("asso-a")

    def copy(parent: Page, slug: str):
        return client.post(
            reverse("wagtailadmin_pages:copy", args=[news.pk]),
            {"new_title": "Copie", "new_slug": slug, "new_parent_page": str(parent.pk), "publish_copies": "on"},
        )

    response = copy(other, "copie-forgee")
    assert response.status_code in (200, 302, 403, 404)  # 404: a page outside one's tree is not even named
    assert set(Page.objects.child_of(other).values_list("pk", flat=True)) == before
    assert not Page.objects.filter(slug="copie-forgee").exists()
    # The control: the same form copies the page under its own association.
    assert copy(news.get_parent(), "copie-legitime").status_code == 302
    assert Page.objects.filter(slug="copie-legitime").exists()
