"""Background work (Django Tasks), queued by the services with primitive arguments only.

The immediate backend runs the tasks at once in development and tests; in production they wait in the
database queue for `manage.py db_worker`. Emails are written in the site's language, not in the
language of whoever triggered them (a coordinator may use the admin in English).
"""

from __future__ import annotations

from html import unescape as html_unescape
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.html import strip_tags
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.text import Truncator, capfirst
from django_tasks import task
from wagtail.models import Page, TaskState, WorkflowState

from .conf import get_setting, host_setting
from .links import absolute_url
from .models import (
    Invitation,
    MembershipApplication,
    MinutesPage,
    NewsletterIssue,
    NewsletterSubscriber,
    SharedDocumentPage,
    SubscriberStatus,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupNotifications,
    WorkingGroupPage,
)
from .selectors import page_organisation
from .services.newsletter import confirmation_token, link_token

SECONDS_PER_DAY = 24 * 60 * 60


def _email_send(template: str, context: dict[str, Any], *, to: str) -> None:
    """Send `emails/<template>` (`_subject.txt`, `.txt`, `.html`) in the site's language."""
    with translation.override(host_setting("LANGUAGE_CODE")):
        subject = render_to_string(f"casi_workspace/emails/{template}_subject.txt", context)
        text = render_to_string(f"casi_workspace/emails/{template}.txt", context)
        html = render_to_string(f"casi_workspace/emails/{template}.html", context)
    # A header cannot hold a newline: the subject template's line breaks become spaces.
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def _application_context(application: MembershipApplication) -> dict[str, Any]:
    return {
        "application": application,
        "message": application.decision_message,
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
    }


@task()
def application_approved_email_send(*, application_id: int, user_id: int) -> None:
    """The invitation: the organisation's page, and how to sign in to publish.

    A new account gets a link to Wagtail's own password-reset form: the token is signed, expires after
    PASSWORD_RESET_TIMEOUT and is void once the password is set. It is made here, when the email
    leaves, so that it never waits in the task queue.
    """
    application = MembershipApplication.objects.select_related("organisation").get(pk=application_id)
    user = get_user_model()._default_manager.get(pk=user_id)
    organisation = application.organisation
    context = _application_context(application) | {
        "organisation": organisation,
        "organisation_url": organisation.get_full_url() if organisation else "",
        "username": user.get_username(),
        "login_url": absolute_url(reverse("wagtailadmin_login")),
        "password_reset_url": absolute_url(reverse("wagtailadmin_password_reset")),
        "link_validity_days": max(1, host_setting("PASSWORD_RESET_TIMEOUT") // SECONDS_PER_DAY),
    }
    if not user.has_usable_password():
        path = reverse(
            "wagtailadmin_password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context["set_password_url"] = absolute_url(path)
    _email_send("application_approved", context, to=application.contact_email)


@task()
def application_rejected_email_send(*, application_id: int) -> None:
    """The refusal, with the coordinators' message."""
    application = MembershipApplication.objects.get(pk=application_id)
    _email_send("application_rejected", _application_context(application), to=application.contact_email)


@task()
def invitation_email_send(*, invitation_id: int) -> None:
    """The invitation to join an association's team, with its signed, single-use link.

    The token is signed here, when the email leaves, so that its validity period does not run down
    in the task queue. An invitation accepted or revoked in the meantime is not sent.
    """
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "inviter_name": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "invitation_url": absolute_url(reverse("casi_workspace:invitation", args=[invitation.make_token()])),
        "link_validity_days": max(1, get_setting("INVITATION_MAX_AGE") // SECONDS_PER_DAY),
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
    }
    _email_send("invitation", context, to=invitation.email)


# --- Moderation emails (queued by services.notifications) --------------------------------------------------


def _moderation_context(workflow_state: WorkflowState) -> dict[str, Any] | None:
    """What every moderation email names: the item, its kind and organisation, who submitted it, the links.

    None when the item was deleted while the email waited in the queue: there is nothing left to tell.
    """
    obj = workflow_state.content_object
    if obj is None:
        return None
    page = obj.specific if isinstance(obj, Page) else obj
    submitter = workflow_state.requested_by
    if submitter is not None:
        submitter_name = submitter.get_full_name() or submitter.get_username()
    else:
        submitter_name = getattr(page, "proposer_name", "")
    context: dict[str, Any] = {
        "page": page,
        "title": page.get_admin_display_title() if isinstance(page, Page) else str(page),
        "kind": capfirst(page._meta.verbose_name),
        "organisation": page_organisation(page) if isinstance(page, Page) else None,
        "submitter_name": submitter_name,
        "by_visitor": submitter is None,
        "queue_url": absolute_url(reverse("casi_workspace_admin:moderation")),
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
    }
    if isinstance(page, Page):
        context["edit_url"] = absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return context


@task()
def moderation_submitted_email_send(*, task_state_id: int, to: str) -> None:
    """The "new submission to moderate" email, to one approver; not sent once the step is decided."""
    task_state = TaskState.objects.select_related("workflow_state__requested_by").filter(pk=task_state_id).first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return
    context = _moderation_context(task_state.workflow_state)
    if context is not None:
        _email_send("moderation_submitted", context, to=to)


@task()
def moderation_approved_email_send(*, workflow_state_id: int, to: str) -> None:
    """The "your publication is online" email, with its public address; or the date it goes online, when scheduled."""
    workflow_state = WorkflowState.objects.select_related("requested_by").filter(pk=workflow_state_id).first()
    context = _moderation_context(workflow_state) if workflow_state else None
    if context is None:
        return
    page = context["page"]
    if isinstance(page, Page):
        context["public_url"] = page.get_full_url() or ""
        if not page.live:
            revision = page.get_latest_revision()
            context["go_live_at"] = (revision and revision.approved_go_live_at) or page.go_live_at
    _email_send("moderation_approved", context, to=to)


@task()
def moderation_changes_requested_email_send(*, task_state_id: int, to: str) -> None:
    """The coordinator's request for changes, with their comment, and the link to edit the item."""
    task_state = (
        TaskState.objects.select_related("workflow_state__requested_by", "finished_by").filter(pk=task_state_id).first()
    )
    context = _moderation_context(task_state.workflow_state) if task_state else None
    if context is None:
        return
    moderator = task_state.finished_by
    context["comment"] = task_state.comment.strip()
    context["moderator_name"] = (moderator.get_full_name() or moderator.get_username()) if moderator else ""
    _email_send("moderation_changes_requested", context, to=to)


# --- Working groups (queued by services.workgroups and services.workgroup_notifications) ---------------------


def _person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _addressable(user) -> bool:
    """An account that can receive an email: active, with an address."""
    return user is not None and user.is_active and bool(user.email)


def _plain_text(html: str, words: int = 60) -> str:
    """A rich text field as a short plain text, for both parts of an email."""
    return Truncator(html_unescape(strip_tags(html or ""))).words(words).strip()


def _group_context(group: WorkingGroupPage) -> dict[str, Any]:
    return {
        "group": group,
        "group_url": group.get_full_url() or "",
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
    }


def _group_item(page: Page) -> dict[str, Any]:
    """One document or minutes as the emails name it: title, kind, author, date and address."""
    is_minutes = isinstance(page, MinutesPage)
    author = getattr(page, "uploaded_by", None) or page.owner
    item: dict[str, Any] = {
        "page": page,
        "title": page.title,
        "is_minutes": is_minutes,
        "author_name": _person_name(author),
        "published_at": page.first_published_at,
        "url": page.get_full_url() or "",
    }
    if is_minutes:
        item["meeting_date"] = page.meeting_date
    else:
        document = page.document
        item["description"] = page.description.strip()
        item["file_type"] = document.file_extension.upper() if document else ""
        item["file_size"] = document.get_file_size() if document else None
    return item


def _group_membership(membership_id: int, status: str) -> WorkingGroupMembership | None:
    """The membership, if it still exists with this status (it may have been decided while the email waited)."""
    return (
        WorkingGroupMembership.objects.select_related("working_group", "user", "invited_by")
        .filter(pk=membership_id, status=status)
        .first()
    )


@task()
def group_item_email_send(*, page_id: int) -> None:
    """A new document or minutes in a working group, to the members who want an email for each.

    Nothing is sent if the item was deleted or unpublished while the emails waited in the queue.
    """
    from .services.workgroup_notifications import group_item_recipients

    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if not isinstance(page, SharedDocumentPage | MinutesPage) or not page.live:
        return
    group = page.working_group()
    if group is None:
        return
    context = _group_context(group) | {"item": _group_item(page)}
    for membership in group_item_recipients(page):
        if _addressable(membership.user):
            _email_send(
                "group_item", context | {"recipient_name": _person_name(membership.user)}, to=membership.user.email
            )


@task()
def group_digest_email_send(*, membership_id: int, page_ids: list[int]) -> None:
    """One member's daily digest of a group's new documents and minutes (those still online, in their order)."""
    membership = _group_membership(membership_id, WorkingGroupMembershipStatus.ACTIVE)
    if membership is None or membership.notifications != WorkingGroupNotifications.DIGEST:
        return
    if not _addressable(membership.user):
        return
    group = membership.working_group
    pages = {page.pk: page for page in Page.objects.descendant_of(group).live().filter(pk__in=page_ids).specific()}
    items = [
        _group_item(pages[pk])
        for pk in page_ids
        if pk in pages and isinstance(pages[pk], SharedDocumentPage | MinutesPage)
    ]
    if not items:
        return
    context = _group_context(group) | {"items": items, "recipient_name": _person_name(membership.user)}
    _email_send("group_digest", context, to=membership.user.email)


@task()
def group_request_email_send(*, membership_id: int) -> None:
    """A request to join, to the group's coordinators; not sent once the request is decided or withdrawn."""
    from .selectors_workgroups import coordinators_of
    from .services.provisioning import coordinators_group

    membership = _group_membership(membership_id, WorkingGroupMembershipStatus.REQUESTED)
    if membership is None:
        return
    group = membership.working_group
    context = _group_context(group) | {
        "requester_name": _person_name(membership.user),
        "message": membership.message.strip(),
        "members_url": absolute_url(reverse("casi_workspace:group_members", kwargs={"group_id": group.pk})),
    }
    recipients = [coordinator.user for coordinator in coordinators_of(group)]
    if not recipients:
        # A group nobody coordinates yet: the network's coordinators, who may decide for any group, are told.
        network = coordinators_group()
        recipients = list(network.user_set.filter(is_active=True).order_by("pk")) if network else []
    for user in recipients:
        if _addressable(user):
            _email_send("group_request", context | {"recipient_name": _person_name(user)}, to=user.email)


@task()
def group_request_approved_email_send(*, membership_id: int) -> None:
    """The request to join was approved: to the new member, with the group's address."""
    membership = _group_membership(membership_id, WorkingGroupMembershipStatus.ACTIVE)
    if membership is None or not _addressable(membership.user):
        return
    context = _group_context(membership.working_group) | {"recipient_name": _person_name(membership.user)}
    _email_send("group_request_approved", context, to=membership.user.email)


@task()
def group_invitation_email_send(*, membership_id: int) -> None:
    """An invitation to join a group, to the invited person; not sent once accepted, declined or withdrawn."""
    membership = _group_membership(membership_id, WorkingGroupMembershipStatus.INVITED)
    if membership is None or not _addressable(membership.user):
        return
    group = membership.working_group
    context = _group_context(group) | {
        "recipient_name": _person_name(membership.user),
        "inviter_name": _person_name(membership.invited_by),
        "purpose": _plain_text(group.purpose),
        # Back to the group's page once signed in: a secret group's page answers visitors with a 404.
        "login_url": absolute_url(f"{reverse('wagtailcore_login')}?{urlencode({'next': group.url or '/'})}"),
    }
    _email_send("group_invitation", context, to=membership.user.email)


# --- Newsletter subscriptions ------------------------------------------------------------------------------


def _subscriber_context(subscriber: NewsletterSubscriber) -> dict[str, Any]:
    link = link_token(subscriber)
    return {
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
        "preferences_url": absolute_url(reverse("casi_workspace:newsletter_preferences", kwargs={"token": link})),
        "unsubscribe_url": absolute_url(reverse("casi_workspace:newsletter_unsubscribe", kwargs={"token": link})),
    }


@task()
def newsletter_confirmation_email_send(*, subscriber_id: int) -> None:
    """The double opt-in link, signed when the email leaves so that its validity starts then."""
    subscriber = NewsletterSubscriber.objects.filter(pk=subscriber_id, status=SubscriberStatus.PENDING).first()
    if subscriber is None:
        return
    confirm = reverse("casi_workspace:newsletter_confirm", kwargs={"token": confirmation_token(subscriber)})
    context = _subscriber_context(subscriber) | {
        "confirm_url": absolute_url(confirm),
        "link_validity_days": max(1, get_setting("NEWSLETTER_CONFIRM_MAX_AGE") // SECONDS_PER_DAY),
    }
    _email_send("newsletter_confirmation", context, to=subscriber.email)


@task()
def newsletter_subscribed_already_email_send(*, subscriber_id: int) -> None:
    """Someone asked to subscribe an address that already is: its owner gets the link to their preferences."""
    subscriber = NewsletterSubscriber.objects.filter(pk=subscriber_id, status=SubscriberStatus.ACTIVE).first()
    if subscriber is not None:
        _email_send("newsletter_subscribed_already", _subscriber_context(subscriber), to=subscriber.email)


# --- Newsletter issues (queued by services.newsletter_sending) -------------------------------------------


@task()
def newsletter_issue_send(*, issue_id: int) -> None:
    """One batch of an issue's sending; the next batch follows as a new task, after the throttle's interval."""
    from .services.newsletter_sending import issue_send_run

    issue_send_run(issue_id, can_defer=newsletter_issue_send.get_backend().supports_defer)


@task()
def newsletter_issue_test_email_send(*, issue_id: int, to: str) -> None:
    """The coordinator's test copy of an issue."""
    from .services.newsletter_issues import issue_sections
    from .services.newsletter_sending import IssueEmails

    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is not None:
        IssueEmails(issue, issue_sections(issue)).test_message(to).send()
