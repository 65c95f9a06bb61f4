"""Moderation workflows: the network coordinators' one, and one per departmental collective.

Approval fails unless the approving group may publish on the page (DESIGN.md): provisioning grants
publish to the network coordinators on the site root and to each collective's coordinators on their
members' pages, and every task lists the groups that hold those rights.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.workspaces.models import OrganisationWorkspace


def _workflow(name: str, groups: list[Group], workflow: Workflow | None = None) -> Workflow:
    """A one-step workflow approved by any of `groups`; an existing workflow is renamed and re-targeted."""
    if workflow is None:
        workflow = Workflow.objects.filter(name=name).first() or Workflow.objects.create(name=name)
    elif workflow.name != name:
        workflow.name = name
        workflow.save(update_fields=["name"])
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    step = WorkflowTask.objects.filter(workflow=workflow).select_related("task").order_by("sort_order").first()
    if step is None:
        task = GroupApprovalTask.objects.create(name=name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    else:
        task = step.task.specific
        if task.name != name:
            task.name = name
            task.save(update_fields=["name"])
    if set(task.groups.all()) != set(groups):
        task.groups.set(groups)
    return workflow


def network_workflow_name() -> str:
    return f"Modération — {get_setting('COORDINATORS_GROUP')}"


def network_workflow() -> Workflow | None:
    return Workflow.objects.filter(name=network_workflow_name()).first()


def network_moderators_name() -> str:
    """The network's coordinators, as editors know them: the network's name (the site's), else their group's."""
    return host_setting("WAGTAIL_SITE_NAME") or get_setting("COORDINATORS_GROUP")


def workflow_moderators_name(workflow: Workflow) -> str:
    """Who decides on what is submitted to `workflow`, in the words an editor knows.

    A collective's workflow: the collective's name ("Collectif Finistère…"); the network's: the network's
    name; a workflow made by hand in Wagtail's admin: its own name.
    """
    return workflow_moderators_names(workflow)[0]


def workflow_moderators_names(workflow: Workflow) -> tuple[str, str]:
    """`workflow_moderators_name`, and its short form where room is scarce: a collective's acronym ("CFSI")."""
    workspace = OrganisationWorkspace.objects.filter(workflow=workflow).select_related("organisation").first()
    if workspace is not None:
        organisation = workspace.organisation
        return organisation.title, organisation.acronym or organisation.title
    name = network_moderators_name() if workflow.name == network_workflow_name() else workflow.name
    return name, name


def moderating_group_name(group: Group) -> str:
    """A moderating group, named as its decisions are signed: its collective's name, or the network's."""
    workspace = OrganisationWorkspace.objects.filter(coordinators_group=group).select_related("organisation").first()
    if workspace is not None:
        return workspace.organisation.title
    if group.name == get_setting("COORDINATORS_GROUP"):
        return network_moderators_name()
    return group.name


@transaction.atomic
def network_workflow_ensure(*, coordinators: Group, site_root) -> Workflow:
    """The network coordinators' workflow, attached to the site root (it replaces Wagtail's default there)."""
    workflow = _workflow(network_workflow_name(), [coordinators])
    WorkflowPage.objects.update_or_create(page=site_root, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def collective_workflow_ensure(*, workspace: OrganisationWorkspace, network_coordinators: Group) -> Workflow:
    """A collective's workflow: its own coordinators or the network's approve its members' submissions."""
    groups = [workspace.coordinators_group, network_coordinators]
    workflow = _workflow(f"Modération — {workspace.organisation.title}", groups, workspace.workflow)
    if workspace.workflow_id != workflow.pk:
        workspace.workflow = workflow
        workspace.save(update_fields=["workflow"])
    return workflow


def organisation_workflow_sync(*, organisation: OrganisationPage, network_workflow: Workflow) -> Workflow | None:
    """Untrusted organisations submit to their collective's workflow, else to the network's; trusted ones publish."""
    if organisation.is_trusted:
        WorkflowPage.objects.filter(page=organisation).delete()
        return None
    collective = (
        OrganisationWorkspace.objects.filter(organisation_id=organisation.parent_collective_id, workflow__isnull=False)
        .select_related("workflow")
        .first()
    )
    workflow = collective.workflow if collective else network_workflow
    WorkflowPage.objects.update_or_create(page=organisation, defaults={"workflow": workflow})
    return workflow
