"""The moderation flow over HTTP: asso-b submits news, coordinators request changes, asso-b resubmits, approval.

Every step is what a browser sends to Wagtail's admin; the emails are the ones the tasks send (the
immediate backend runs them as soon as the transaction commits).
"""

from __future__ import annotations

import pytest
from django.core import mail
from wagtail.models import PageLogEntry, WorkflowState

from casi_workspace.models import OrganisationPage
from casi_workspace.publications.selectors.listings import publications_public

from .helpers import QUEUE_URL, add_news, edit_page, sign_in, workflow_action

pytestmark = pytest.mark.django_db

TITLE = "Retour de mission à Toamasina"
COMMENT = "Merci d'ajouter le nom du partenaire malgache."


def _addresses() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_untrusted_news_is_moderated_from_submission_to_publication(client, django_capture_on_commit_callbacks):
    douarnenez = OrganisationPage.objects.get(slug="douarnenez-madagascar")

    # asso-b (untrusted) writes and submits: both groups' coordinators are told, the item stays offline.
    sign_in(client, "asso-b")
    with django_capture_on_commit_callbacks(execute=True):
        page = add_news(client, douarnenez, TITLE)
    assert not page.live
    assert not publications_public().filter(pk=page.pk).exists()
    assert TITLE not in client.get("/actualites/").content.decode()
    assert _addresses() == ["collectif-29@example.org", "coordination@example.org"]
    submitted = mail.outbox[0]
    assert TITLE in submitted.subject
    assert "Douarnenez – Madagascar" in submitted.body and "Bertrand Le Bihan" in submitted.body
    assert f"http://testserver/admin/pages/{page.pk}/edit/" in submitted.body
    assert f"http://testserver{QUEUE_URL}" in submitted.body
    assert submitted.alternatives and TITLE in submitted.alternatives[0][0]
    mail.outbox.clear()

    # Both coordinators find it in their queue; an editor and a working-group member may not open the queue.
    for coordinator in ("coordination", "collectif-29"):
        html = sign_in(client, coordinator).get(QUEUE_URL).content.decode()
        assert f'href="/admin/pages/{page.pk}/edit/">{TITLE}</a>' in html
    for outsider in ("asso-a", "membre-gt"):
        assert sign_in(client, outsider).get(QUEUE_URL).status_code == 403

    # coordination requests changes with a comment: asso-b is told, with the comment and the edit link.
    sign_in(client, "coordination")
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(client, page, "reject", COMMENT)
    page.refresh_from_db()
    assert not page.live
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_NEEDS_CHANGES
    assert _addresses() == ["asso-b@example.org"]
    assert COMMENT in mail.outbox[0].body and "Claire Le Gall" in mail.outbox[0].body
    assert f"http://testserver/admin/pages/{page.pk}/edit/" in mail.outbox[0].body
    assert f'href="/admin/pages/{page.pk}/edit/"' not in client.get(QUEUE_URL).content.decode()
    mail.outbox.clear()

    # asso-b edits and resubmits: the coordinators are told again; still nothing public.
    sign_in(client, "asso-b")
    with django_capture_on_commit_callbacks(execute=True):
        edit_page(client, page, summary="Deux semaines avec l'association Rano Soa pour l'accès à l'eau potable.")
    page.refresh_from_db()
    assert not page.live
    assert _addresses() == ["collectif-29@example.org", "coordination@example.org"]
    mail.outbox.clear()

    # collectif-29 approves: the item is live and public; asso-b gets its address.
    sign_in(client, "collectif-29")
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.summary.startswith("Deux semaines avec l'association Rano Soa")
    assert publications_public().filter(pk=page.pk).exists()
    assert TITLE in client.get("/actualites/").content.decode()
    assert _addresses() == ["asso-b@example.org"]
    assert TITLE in mail.outbox[0].subject
    assert page.get_full_url() in mail.outbox[0].body

    # Every step is in Wagtail's audit log, by whoever took it, the comment with the request for changes.
    entries = list(PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk"))
    actions = [(entry.action, entry.user.username if entry.user else None) for entry in entries]
    expected = [
        ("wagtail.workflow.start", "asso-b"),
        ("wagtail.workflow.reject", "coordination"),
        ("wagtail.workflow.resume", "asso-b"),
        ("wagtail.workflow.approve", "collectif-29"),
        ("wagtail.publish", "collectif-29"),
    ]
    assert [action for action in actions if action[0].startswith(("wagtail.workflow.", "wagtail.publish"))] == expected
    rejection = next(entry for entry in entries if entry.action == "wagtail.workflow.reject")
    assert rejection.data["comment"] == COMMENT


def test_a_trusted_association_publishes_at_once_without_moderation(client, django_capture_on_commit_callbacks):
    brest = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    sign_in(client, "asso-a")
    with django_capture_on_commit_callbacks(execute=True):
        page = add_news(client, brest, "Festival des solidarités à Brest", action="action-publish")
    assert page.live
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()
    assert "Festival des solidarités à Brest" in client.get("/actualites/").content.decode()
    assert mail.outbox == []
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish", user__username="asso-a").exists()
    assert f'href="/admin/pages/{page.pk}/edit/"' not in sign_in(client, "coordination").get(QUEUE_URL).content.decode()


def test_the_network_coordinators_can_approve_a_collective_members_news(client, django_capture_on_commit_callbacks):
    douarnenez = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    sign_in(client, "asso-b")
    page = add_news(client, douarnenez, "Assemblée générale 2026")
    sign_in(client, "coordination")
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(client, page, "approve")
    page.refresh_from_db()
    assert page.live
    assert [message.to for message in mail.outbox][-1] == ["asso-b@example.org"]
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.workflow.approve", user__username="coordination"
    ).exists()
