"""Every background task under its former path `casi_workspace.tasks.<name>`.

A queue that outlives an upgrade (django-tasks' database backend) stores each job's task by dotted path:
jobs queued before the tasks moved to their domains still find them here. New jobs name the domains' paths.
"""

from casi_workspace.applications.tasks import application_approved_email_send, application_rejected_email_send
from casi_workspace.newsletter.tasks import (
    newsletter_confirmation_email_send,
    newsletter_issue_send,
    newsletter_issue_test_email_send,
    newsletter_subscribed_already_email_send,
)
from casi_workspace.publications.tasks import (
    moderation_approved_email_send,
    moderation_changes_requested_email_send,
    moderation_submitted_email_send,
)
from casi_workspace.workgroups.tasks import (
    group_digest_email_send,
    group_invitation_email_send,
    group_item_email_send,
    group_request_approved_email_send,
    group_request_email_send,
)
from casi_workspace.workspaces.tasks import invitation_email_send

__all__ = [
    "application_approved_email_send",
    "application_rejected_email_send",
    "group_digest_email_send",
    "group_invitation_email_send",
    "group_item_email_send",
    "group_request_approved_email_send",
    "group_request_email_send",
    "invitation_email_send",
    "moderation_approved_email_send",
    "moderation_changes_requested_email_send",
    "moderation_submitted_email_send",
    "newsletter_confirmation_email_send",
    "newsletter_issue_send",
    "newsletter_issue_test_email_send",
    "newsletter_subscribed_already_email_send",
]
