"""Working groups follow a merge of organisations: what named the merged one names the kept one."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Revision

from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.workgroups.models import WorkingGroupPage
from casi_workspace.workgroups.provisioning import working_group_restrictions_sync
from casi_workspace.workgroups.selectors import working_group_workspace


def _revisions_follow(*, kept: OrganisationPage, merged: OrganisationPage) -> set[int]:
    """Working groups' revisions name the kept organisation: a draft published after the merge keeps it."""
    content_type = ContentType.objects.get_for_model(WorkingGroupPage)
    changed = []
    for revision in Revision.page_revisions.filter(content_type=content_type):
        content = revision.content
        members = content.get("member_organisations") or []
        if merged.pk not in members and content.get("organisation") != merged.pk:
            continue
        if merged.pk in members:
            content["member_organisations"] = list(dict.fromkeys(kept.pk if pk == merged.pk else pk for pk in members))
        if content.get("organisation") == merged.pk:
            content["organisation"] = kept.pk
        changed.append(revision)
    Revision.objects.bulk_update(changed, ["content"], batch_size=500)
    return {int(revision.object_id) for revision in changed}


@transaction.atomic
def working_groups_organisation_replace(*, kept: OrganisationPage, merged: OrganisationPage) -> list[int]:
    """The groups whose member organisations or organisation in charge is `merged` take `kept` instead, on
    their live record and in their revisions; their view restrictions then name the kept organisation's
    editors (and no longer the merged one's, whose group is being archived). Returns the groups' ids."""
    through = WorkingGroupPage.member_organisations.through
    members_of = set(through.objects.filter(organisationpage=merged).values_list("workinggrouppage_id", flat=True))
    for group_id in members_of:
        through.objects.get_or_create(workinggrouppage_id=group_id, organisationpage=kept)
    through.objects.filter(organisationpage=merged).delete()
    in_charge = set(WorkingGroupPage.objects.filter(organisation=merged).values_list("pk", flat=True))
    WorkingGroupPage.objects.filter(pk__in=in_charge).update(organisation=kept)
    affected = members_of | in_charge | _revisions_follow(kept=kept, merged=merged)
    for group in WorkingGroupPage.objects.filter(pk__in=members_of):
        workspace = working_group_workspace(group)
        if workspace is not None:
            working_group_restrictions_sync(workspace=workspace)
    return sorted(affected)
