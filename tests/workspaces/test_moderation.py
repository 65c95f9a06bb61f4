"""Moderation as editors and coordinators meet it in the admin: submit, approve, request changes."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from wagtail.models import Page, PageLogEntry, Workflow, WorkflowPage, WorkflowState

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import OrganisationPage
from casi_workspace.workspaces.services.live_fields import page_live_fields_change

pytestmark = pytest.mark.django_db


def _edit_form(client, page: Page) -> dict[str, list[str]]:
    """The edit form's fields, as the browser would post them back."""
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or re.search(r'type="(submit|file|button)"', tag):
            continue
        if re.search(r'type="(checkbox|radio)"', tag) and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(name.group(1), []).append(unescape(value.group(1)) if value else "on")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = [unescape(body).removeprefix("\n")]
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        data[name] = [unescape(v) for v in re.findall(r'<option value="([^"]*)"[^>]*selected', options)]
    return data


def _login(client, username: str):
    client.logout()
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    return client


def _edit(client, page: Page, action: str, **changes: str):
    data = {**_edit_form(client, page), **{key: [value] for key, value in changes.items()}, action: ["1"]}
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def test_untrusted_submission_goes_to_its_collective_and_is_approved_there(client):
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    _login(client, "asso-b")
    response = _edit(client, page, "action-submit", acronym="DZM")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.acronym == ""  # the live version is unchanged until approval
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.workflow.name == "Modération — Collectif Finistère Solidarité Internationale"

    _login(client, "collectif-29")
    task_state = state.current_task_state
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "Parfait"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.acronym == "DZM"
    assert PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").exists()


def test_network_coordinators_can_also_moderate_a_collective_member(client):
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    _login(client, "asso-b")
    _edit(client, page, "action-submit", acronym="DZM")
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    _login(client, "coordination")
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/reject/{state.current_task_state.pk}/",
        {"comment": "Précisez le sigle"},
    )
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    page.refresh_from_db()
    assert page.acronym == ""


def test_an_untrusted_editor_cannot_publish_by_forging_the_action(client):
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    live_revision = page.live_revision_id
    _login(client, "asso-b")
    _edit(client, page, "action-publish", acronym="FORGE")
    page.refresh_from_db()
    assert page.acronym == ""
    assert page.live_revision_id == live_revision


def test_a_trusted_editor_publishes_directly(client):
    page = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    _login(client, "asso-a")
    response = _edit(client, page, "action-publish", acronym="BSS2")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.acronym == "BSS2"
    assert not WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()


def test_changing_the_trusted_flag_resyncs_rights_and_workflow(client):
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    editors = page.workspace.editors_group
    assert not editors.page_permissions.filter(permission__codename="publish_page").exists()
    assert WorkflowPage.objects.filter(page=page).exists()
    page_live_fields_change(page=page, user=None, values={"is_trusted": True})
    assert editors.page_permissions.filter(page=page, permission__codename="publish_page").exists()
    assert not WorkflowPage.objects.filter(page=page).exists()
    page_live_fields_change(page=page, user=None, values={"is_trusted": False})
    assert not editors.page_permissions.filter(permission__codename="publish_page").exists()
    assert WorkflowPage.objects.get(page=page).workflow.name.endswith("Collectif Finistère Solidarité Internationale")


def test_changing_the_collective_moves_the_moderation_and_the_rights():
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    finistere = OrganisationPage.objects.get(slug="collectif-finistere").workspace.coordinators_group
    rennes = OrganisationPage.objects.get(slug="collectif-rennes")
    page_live_fields_change(page=page, user=None, values={"parent_collective": rennes})
    assert not finistere.page_permissions.filter(page=page).exists()
    assert rennes.workspace.coordinators_group.page_permissions.filter(page=page).exists()
    assert WorkflowPage.objects.get(page=page).workflow == rennes.workspace.workflow
    page_live_fields_change(page=page, user=None, values={"parent_collective": None})
    assert WorkflowPage.objects.get(page=page).workflow.name == "Modération — Coordination du réseau"


def test_only_coordinators_may_change_trust_and_membership(client):
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    _login(client, "asso-b")
    form = _edit_form(client, page)
    assert "is_trusted" not in form and "membership_status" not in form
    _edit(client, page, "action-submit", is_trusted="on", membership_status="former")
    page.refresh_from_db()
    latest = page.get_latest_revision_as_object()
    assert not latest.is_trusted
    assert latest.membership_status == "member"
    _login(client, "coordination")
    assert 'name="is_trusted"' in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()


def test_deleting_an_organisation_archives_its_groups():
    page = OrganisationPage.objects.get(slug="redon-niger")
    editors = page.workspace.editors_group
    member = User.objects.create_user("redon", password="x")
    member.groups.add(editors)
    page.delete()
    editors.refresh_from_db()
    assert editors.name.endswith("(archivé)")
    assert not editors.permissions.exists()
    assert not editors.collection_permissions.exists()
    assert member.groups.filter(pk=editors.pk).exists()


def test_collective_workflow_is_approved_by_both_groups():
    collective = OrganisationPage.objects.get(slug="collectif-finistere")
    workflow = Workflow.objects.get(pk=collective.workspace.workflow_id)
    groups = set(workflow.tasks.get().specific.groups.values_list("name", flat=True))
    assert groups == {"Coordination du réseau", "Collectif Finistère Solidarité Internationale — coordination"}
