"""A moderator's approval from the page editor, completed as the moderator meant it.

Wagtail's editor saves the form before it applies the moderator's decision, and the save makes a new
revision whenever the form differs from the revision under review: the moderator corrected a word, or the
editor rewrote stored rich text in its own markup (pages written by a script or an import, such as the
demo's). With `WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT` (this site's setting), Wagtail then records
the approval on the older revision and starts the step again for the new one: the moderator reads "updated",
the page stays in the queue, and they would have to approve a second time what they have just approved.

They approved what their editor showed them: the revision they saved in that same request is approved too,
by them, with the same comment. Nothing else is approved: another step, another person's revision, or a
revision made after the approval still waits for its own decision.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, WorkflowState

from casi_workspace.publications.selectors.moderation import moderation_approval_of_own_revision


@transaction.atomic
def moderation_approval_complete(*, page_id: int, user) -> bool:
    """Approve the step Wagtail restarted for `user`'s own revision right after `user` approved it.

    True when it did; False when there was nothing of the kind (the usual case: the approval published).
    """
    page = Page.objects.filter(pk=page_id).first()
    state = page.current_workflow_state if page is not None else None
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS or state.current_task_state is None:
        return False
    task_state = state.current_task_state.specific
    latest = page.get_latest_revision()
    if latest is None or task_state.revision_id != latest.pk:
        return False
    approval = moderation_approval_of_own_revision(task_state, user)
    if approval is None:
        return False
    task_state.task.specific.on_action(task_state, user, "approve", comment=approval.comment)
    return True
