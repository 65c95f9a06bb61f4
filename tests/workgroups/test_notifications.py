"""Working groups' emails: new documents and minutes (each, digest, none), requests to join, invitations.

The emails leave through Django Tasks once the transaction commits (immediate backend in the tests). French
translations are written later: the assertions bear on the data (titles, names, addresses) and on the language
the emails are rendered in, not on French wording.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.actions.delete_page import DeletePageAction

from casi_workspace.core.permissions import coordinators_group
from casi_workspace.models import MinutesPage, WorkingGroupJoinPolicy, WorkingGroupMembership, WorkingGroupRole
from casi_workspace.tasks import group_digest_email_send, group_item_email_send
from casi_workspace.workgroups.services.library import documents_upload
from casi_workspace.workgroups.services.memberships import (
    membership_decide,
    membership_invite,
    membership_join,
    membership_leave,
    membership_notifications_set,
)

from ..helpers import french
from .helpers import folder_make, group_make, member_make, pdf_upload, user_make

pytestmark = pytest.mark.django_db


def _to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def _html(message) -> str:
    assert len(message.alternatives) == 1
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return content


def _member(group, notifications: str, role: str = WorkingGroupRole.MEMBER):
    user = member_make(group, role=role)
    membership_notifications_set(group=group, user=user, notifications=notifications)
    return user


def _upload(parent, user, name: str):
    return documents_upload(parent=parent, uploads=[pdf_upload(name)], user=user)[0]


def _digest_run() -> str:
    out = io.StringIO()
    call_command("casi_group_digest", stdout=out)
    return out.getvalue()


@pytest.fixture
def group():
    return group_make()


@pytest.fixture
def coordinator(group):
    return _member(group, "none", role=WorkingGroupRole.COORDINATOR)


def test_a_new_document_emails_the_members_who_want_each_one_in_french(
    group, coordinator, django_capture_on_commit_callbacks
):
    uploader = _member(group, "each")
    each = _member(group, "each")
    nothing = _member(group, "none")
    digest = _member(group, "digest")
    folder = folder_make(group, "Comptes rendus", coordinator)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        page = _upload(folder, uploader, "budget_previsionnel_2025.pdf")

    assert page.title == "budget previsionnel 2025"
    assert [message.to for message in mail.outbox] == [[each.email]]
    (message,) = mail.outbox
    page_url = page.get_full_url()
    assert page_url.startswith("http")
    assert page.title in message.subject and group.title in message.subject
    assert "\n" not in message.subject
    assert page.title in message.body and group.title in message.body
    assert page_url in message.body
    assert uploader.username in message.body
    assert "PDF" in message.body
    assert group.get_full_url() in message.body
    # In the site's language although the uploader's was English (msgids compared through `french()`).
    assert french("Kind regards,") in message.body and french("Open the document:") in message.body
    html = _html(message)
    assert '<html lang="fr">' in html
    assert f'href="{page_url}"' in html
    assert page.title in html and uploader.username in html
    assert not _to(uploader.email) and not _to(nothing.email) and not _to(digest.email)


def test_new_minutes_are_announced_as_minutes(group, coordinator, django_capture_on_commit_callbacks):
    each = _member(group, "each")
    with django_capture_on_commit_callbacks(execute=True):
        minutes = MinutesPage(
            title="Réunion de rentrée",
            meeting_date=datetime.date(2025, 9, 12),
            body="<p>Tour de table.</p>",
            owner=coordinator,
        )
        group.add_child(instance=minutes)
        minutes.save_revision(user=coordinator).publish(user=coordinator)

    (message,) = mail.outbox
    assert message.to == [each.email]
    assert "Réunion de rentrée" in message.subject and group.title in message.subject
    assert minutes.get_full_url() in message.body
    assert coordinator.username in message.body
    assert f'href="{minutes.get_full_url()}"' in _html(message)


def test_a_document_unpublished_or_deleted_before_the_email_leaves_is_not_sent(
    group, coordinator, django_capture_on_commit_callbacks
):
    uploader = _member(group, "each")
    each = _member(group, "each")
    with django_capture_on_commit_callbacks() as callbacks:
        unpublished = _upload(group, uploader, "brouillon.pdf")
        deleted = _upload(group, uploader, "erreur.pdf")
    assert len(callbacks) == 2
    unpublished.unpublish(user=coordinator)
    DeletePageAction(deleted, user=coordinator).execute(skip_permission_checks=True)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    # The task itself, called for a page that is gone or offline, sends nothing either.
    group_item_email_send.call(page_id=unpublished.pk)
    group_item_email_send.call(page_id=deleted.pk)
    assert mail.outbox == []
    assert _to(each.email) == []


def test_a_digest_member_gets_one_digest_a_day(group, coordinator, django_capture_on_commit_callbacks):
    uploader = _member(group, "each")
    digest = _member(group, "digest")
    with django_capture_on_commit_callbacks(execute=True):
        first = _upload(group, uploader, "ordre_du_jour.pdf")
        second = _upload(group, uploader, "annexe_budget.pdf")
    assert not _to(digest.email)

    output = _digest_run()

    (message,) = _to(digest.email)
    assert group.title in message.subject
    for page in (first, second):
        assert page.title in message.body
        assert page.get_full_url() in message.body
        assert f'href="{page.get_full_url()}"' in _html(message)
    assert message.body.index(first.title) < message.body.index(second.title)
    assert group.get_full_url() in message.body
    assert '<html lang="fr">' in _html(message)
    assert re.search(r"\b\d+/\d+\b", output)
    membership = WorkingGroupMembership.objects.get(working_group=group, user=digest)
    assert membership.digest_sent_at is not None

    # A second run the same day sends nothing to anybody, even with a new item since.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(group, uploader, "nouveau.pdf")
    mail.outbox.clear()
    _digest_run()
    assert mail.outbox == []


def test_a_digest_leaves_out_the_members_own_items_and_items_no_longer_online(
    group, coordinator, django_capture_on_commit_callbacks
):
    other = _member(group, "none")
    digest = _member(group, "digest")
    with django_capture_on_commit_callbacks(execute=True):
        own = _upload(group, digest, "ma_contribution.pdf")
        theirs = _upload(group, other, "leur_contribution.pdf")
        withdrawn = _upload(group, other, "retire.pdf")
    withdrawn.unpublish(user=coordinator)

    _digest_run()

    (message,) = _to(digest.email)
    assert theirs.title in message.body
    assert own.title not in message.body and own.title not in _html(message)
    assert withdrawn.title not in message.body


def test_a_digest_with_only_ones_own_items_is_not_sent(group, coordinator, django_capture_on_commit_callbacks):
    digest = _member(group, "digest")
    with django_capture_on_commit_callbacks(execute=True):
        _upload(group, digest, "mon_document.pdf")
    _digest_run()
    assert _to(digest.email) == []


def test_the_digest_task_checks_the_membership_when_it_runs(group, coordinator, django_capture_on_commit_callbacks):
    uploader = _member(group, "none")
    digest = _member(group, "digest")
    with django_capture_on_commit_callbacks(execute=True):
        page = _upload(group, uploader, "synthese.pdf")
    membership = WorkingGroupMembership.objects.get(working_group=group, user=digest)

    membership_notifications_set(group=group, user=digest, notifications="each")
    group_digest_email_send.call(membership_id=membership.pk, page_ids=[page.pk])
    assert mail.outbox == []

    membership_notifications_set(group=group, user=digest, notifications="digest")
    group_digest_email_send.call(membership_id=membership.pk, page_ids=[page.pk])
    assert [message.to for message in mail.outbox] == [[digest.email]]

    mail.outbox.clear()
    membership_leave(group=group, user=digest)
    group_digest_email_send.call(membership_id=membership.pk, page_ids=[page.pk])
    assert mail.outbox == []


def test_a_document_from_another_day_is_not_in_the_digest(group, coordinator, django_capture_on_commit_callbacks):
    uploader = _member(group, "none")
    digest = _member(group, "digest")
    with django_capture_on_commit_callbacks(execute=True):
        old = _upload(group, uploader, "ancien.pdf")
        recent = _upload(group, uploader, "recent.pdf")
    type(old).objects.filter(pk=old.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=2))
    _digest_run()
    (message,) = _to(digest.email)
    assert recent.title in message.body
    assert old.title not in message.body


def test_a_request_to_join_emails_the_coordinators(group, coordinator, django_capture_on_commit_callbacks):
    assert group.join_policy == WorkingGroupJoinPolicy.REQUEST
    second_coordinator = _member(group, "each", role=WorkingGroupRole.COORDINATOR)
    plain_member = _member(group, "each")
    requester = user_make("demandeur")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        membership_join(group=group, user=requester, message="Je travaille sur les jumelages.")

    assert sorted(message.to[0] for message in mail.outbox) == sorted([coordinator.email, second_coordinator.email])
    assert not _to(plain_member.email) and not _to(requester.email)
    message = _to(coordinator.email)[0]
    members_url = f"http://testserver/casi/groupes/{group.pk}/membres/"
    assert group.title in message.subject and requester.username in message.subject
    assert requester.username in message.body
    assert "Je travaille sur les jumelages." in message.body
    assert members_url in message.body
    html = _html(message)
    assert '<html lang="fr">' in html
    assert f'href="{members_url}"' in html
    assert "Je travaille sur les jumelages." in html


def test_a_request_to_a_group_nobody_coordinates_reaches_the_network_coordinators(
    group, django_capture_on_commit_callbacks
):
    _member(group, "each")
    with django_capture_on_commit_callbacks(execute=True):
        membership_join(group=group, user=user_make("demandeur"))
    network = set(coordinators_group().user_set.filter(is_active=True).values_list("email", flat=True)) - {""}
    assert network  # the demo's "coordination" account
    assert {message.to[0] for message in mail.outbox} == network


def _sent_after_withdrawal(capture_on_commit, queue, withdraw) -> list:
    """Queue an email with `queue`, `withdraw` before the queued task runs, then run it: what left."""
    with capture_on_commit() as callbacks:
        queue()
    withdraw()
    for callback in callbacks:
        callback()
    return mail.outbox


def test_a_request_withdrawn_before_the_email_leaves_is_not_sent(
    group, coordinator, django_capture_on_commit_callbacks
):
    requester = user_make("demandeur")
    sent = _sent_after_withdrawal(
        django_capture_on_commit_callbacks,
        lambda: membership_join(group=group, user=requester),
        lambda: membership_leave(group=group, user=requester),
    )
    assert sent == []


def test_approving_a_request_emails_the_new_member(group, coordinator, django_capture_on_commit_callbacks):
    requester = user_make("demandeur")
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_join(group=group, user=requester)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(group=group, by=coordinator, membership_id=membership.pk, approve=True)

    (message,) = mail.outbox
    assert message.to == [requester.email]
    assert group.title in message.subject
    assert group.get_full_url() in message.body
    assert f'href="{group.get_full_url()}"' in _html(message)


def test_refusing_a_request_sends_no_welcome(group, coordinator, django_capture_on_commit_callbacks):
    requester = user_make("demandeur")
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_join(group=group, user=requester)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(group=group, by=coordinator, membership_id=membership.pk, approve=False)
    assert mail.outbox == []


def test_joining_an_open_group_emails_nobody(django_capture_on_commit_callbacks):
    group = group_make(join_policy=WorkingGroupJoinPolicy.OPEN)
    coordinator = _member(group, "each", role=WorkingGroupRole.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        membership_join(group=group, user=user_make("passant"))
    assert _to(coordinator.email) == []


def test_an_invitation_emails_the_invited_person(group, coordinator, django_capture_on_commit_callbacks):
    coordinator.first_name, coordinator.last_name = "Anne", "Le Goff"
    coordinator.save()
    invitee = user_make("invitee")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        membership_invite(group=group, by=coordinator, identifier=invitee.email)

    (message,) = mail.outbox
    assert message.to == [invitee.email]
    assert group.title in message.subject
    assert "Anne Le Goff" in message.body and group.title in message.body
    assert group.get_full_url() in message.body
    html = _html(message)
    assert '<html lang="fr">' in html
    assert f'href="{group.get_full_url()}"' in html
    assert "Anne Le Goff" in html


def test_an_invitation_withdrawn_before_the_email_leaves_is_not_sent(
    group, coordinator, django_capture_on_commit_callbacks
):
    invitee = user_make("invitee")
    sent = _sent_after_withdrawal(
        django_capture_on_commit_callbacks,
        lambda: membership_invite(group=group, by=coordinator, identifier=invitee.username),
        lambda: membership_leave(group=group, user=invitee),
    )
    assert sent == []


def test_a_recipient_without_an_email_address_is_skipped(group, coordinator, django_capture_on_commit_callbacks):
    uploader = _member(group, "each")
    silent = _member(group, "each")
    silent.email = ""
    silent.save()
    each = _member(group, "each")
    with django_capture_on_commit_callbacks(execute=True):
        _upload(group, uploader, "note.pdf")
    assert [message.to for message in mail.outbox] == [[each.email]]
