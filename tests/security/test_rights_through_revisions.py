"""Rights-granting fields through revisions: an old version reverted to, submitted, approved or published
never brings back a fact that gives rights (trust, membership, collective, being a collective, the
organisation in charge of a working group). Every page type that has such fields is tried, through the admin
as its editors would use it."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import PageLogEntry, Revision, WorkflowPage, WorkflowState

from casi_workspace.core.models import LiveOnlyFieldsMixin
from casi_workspace.demo.data import DEFAULT_PASSWORD, TRUSTED_ASSOCIATION, UNTRUSTED_ASSOCIATION
from casi_workspace.models import OrganisationPage, WorkingGroupPage
from tests.permissions.support import body, form_data

pytestmark = pytest.mark.django_db

GROUP = "ecsi"
GROUP_COORDINATOR = "animation-gt"


def _sign_in(client: Client, username: str) -> Client:
    client.logout()
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    return client


def _post_form(client: Client, url: str, action: str | None, **changes) -> dict:
    """Open the admin form at `url`, change what a person would change, and post it back with `action`."""
    response = client.get(url)
    assert response.status_code == 200, url
    data = form_data(body(response))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value]
    if action:
        data[action] = ["1"]
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code, body(response)[:2000])
    return data


def _edit(client: Client, page, action: str | None, **changes) -> None:
    _post_form(client, f"/admin/pages/{page.pk}/edit/", action, **changes)


def _revert(client: Client, page, revision_id: int, action: str) -> None:
    _post_form(client, f"/admin/pages/{page.pk}/revisions/{revision_id}/revert/", action)


def _approve(client: Client, page) -> None:
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{state.current_task_state.pk}/", {"comment": "OK"}
    )
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def _may_publish(page: OrganisationPage) -> bool:
    return page.workspace.editors_group.page_permissions.filter(page=page, permission__codename="publish_page").exists()


def test_every_page_type_with_rights_granting_fields_keeps_them_out_of_revisions():
    """The list the rest of this module relies on: a new page type with such fields must say so here."""
    from wagtail.models import get_page_models

    expected = {
        OrganisationPage: ("membership_status", "parent_collective", "is_trusted"),
        WorkingGroupPage: ("organisation",),
    }
    found = {model: model.live_only_fields for model in get_page_models() if issubclass(model, LiveOnlyFieldsMixin)}
    assert found == expected
    for model, names in expected.items():
        page = model.objects.order_by("pk").first()
        assert not set(names) & set(page.serializable_data()), model


def test_a_withdrawn_trust_does_not_come_back_through_a_revision_revert(client):
    """The attack as found: the coordinator trusts B (revision A), later withdraws it and makes B a former
    member (revision B); B's editor reverts to revision A and submits it; the collective approves."""
    page = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    _sign_in(client, "coordination")
    _edit(client, page, "action-publish", is_trusted="on")
    page.refresh_from_db()
    trusted_revision = page.live_revision_id
    assert page.is_trusted and _may_publish(page)
    _edit(client, page, "action-publish", is_trusted=None, membership_status="former")
    page.refresh_from_db()
    assert not page.is_trusted and page.membership_status == "former" and not _may_publish(page)

    _sign_in(client, "asso-b")
    response = client.get(f"/admin/pages/{page.pk}/revisions/{trusted_revision}/revert/")
    assert response.status_code == 200
    _revert(client, page, trusted_revision, "action-submit")
    latest = Revision.page_revisions.filter(object_id=str(page.pk)).latest("pk")
    assert "is_trusted" not in latest.content and "membership_status" not in latest.content
    assert not latest.as_object().is_trusted

    _sign_in(client, "collectif-29")
    _approve(client, page)
    page.refresh_from_db()
    assert not page.is_trusted
    assert page.membership_status == "former"
    assert not _may_publish(page)
    assert WorkflowPage.objects.filter(page=page).exists()


def test_a_former_collective_does_not_come_back_through_a_revision_revert(client):
    page = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    finistere = page.parent_collective
    rennes = OrganisationPage.objects.get(slug="collectif-rennes")
    old_revision = page.live_revision_id
    _sign_in(client, "coordination")
    _edit(client, page, "action-publish", parent_collective=str(rennes.pk))
    page.refresh_from_db()
    assert page.parent_collective_id == rennes.pk

    _sign_in(client, "asso-b")
    _revert(client, page, old_revision, "action-submit")
    _sign_in(client, "coordination")
    _approve(client, page)
    page.refresh_from_db()
    assert page.parent_collective_id == rennes.pk
    assert not finistere.workspace.coordinators_group.page_permissions.filter(page=page).exists()
    assert WorkflowPage.objects.get(page=page).workflow == rennes.workspace.workflow


def test_an_old_revision_that_still_carries_trust_is_published_without_it():
    """Revisions saved before these fields left them (or forged in the database) hold a stale value:
    publishing such a revision takes the live record's value, whoever publishes."""
    page = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    revision = page.save_revision()
    revision.content.update({"is_trusted": True, "membership_status": "actor", "actor_type": "collective"})
    revision.save(update_fields=["content"])
    revision.publish()
    page.refresh_from_db()
    assert not page.is_trusted and page.membership_status == "member"
    assert page.actor_type == "association"
    assert not _may_publish(page)


def test_an_editor_cannot_make_its_association_a_collective(client):
    """Being a collective gives a coordinators' group and a workflow: the coordinators' decision."""
    page = OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)
    _sign_in(client, "asso-a")
    url = f"/admin/pages/{page.pk}/edit/"
    data = {**form_data(body(client.get(url))), "actor_type": ["collective"], "action-publish": ["1"]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Seuls les coordinateurs du réseau" in body(response)
    page.refresh_from_db()
    assert page.actor_type == "association"
    # Another type is page content, published as usual.
    _edit(client, page, "action-publish", actor_type="education")
    page.refresh_from_db()
    assert page.actor_type == "education"


@pytest.mark.parametrize(
    ("field", "value"),
    [("is_trusted", "on"), ("membership_status", "former"), ("parent_collective", "collectif-rennes")],
)
def test_an_editor_cannot_forge_a_rights_granting_field(client, field, value):
    page = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    before = {name: getattr(page, name) for name in ("is_trusted", "membership_status", "parent_collective_id")}
    if field == "parent_collective":
        value = str(OrganisationPage.objects.get(slug=value).pk)
    _sign_in(client, "asso-b")
    _edit(client, page, "action-submit", **{field: value})
    page.refresh_from_db()
    latest = page.get_latest_revision_as_object()
    for obj in (page, latest):
        assert {name: getattr(obj, name) for name in before} == before
    assert not PageLogEntry.objects.filter(page=page, action="casi_workspace.live_fields").exists()


def test_coordinators_change_the_facts_at_once_and_the_history_says_so(client):
    """Whatever button the coordinator presses, the change is made and recorded with before and after."""
    page = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    _sign_in(client, "coordination")
    _edit(client, page, None, is_trusted="on", membership_status="actor")  # "Save draft"
    page.refresh_from_db()
    assert page.is_trusted and page.membership_status == "actor"
    assert _may_publish(page)
    assert not WorkflowPage.objects.filter(page=page).exists()
    entry = PageLogEntry.objects.get(page=page, action="casi_workspace.live_fields")
    assert entry.user.username == "coordination"
    history = body(client.get(f"/admin/pages/{page.pk}/history/"))
    assert "Membre → Acteur non membre ; de confiance : non → oui" in history
    assert "Membre → Acteur non membre" in history


def test_a_group_coordinator_cannot_point_the_group_at_a_trusted_organisation(client):
    """What a group publishes goes live at once under a trusted organisation: only the network chooses it,
    by hand or through an old revision."""
    group = WorkingGroupPage.objects.get(slug=GROUP)
    trusted = OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)
    untrusted = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    _sign_in(client, "coordination")
    _edit(client, group, "action-publish", organisation=str(trusted.pk))
    group.refresh_from_db()
    trusted_revision = group.live_revision_id
    _edit(client, group, "action-publish", organisation=str(untrusted.pk))
    group.refresh_from_db()
    assert group.organisation_id == untrusted.pk

    _sign_in(client, GROUP_COORDINATOR)
    edit = body(client.get(f"/admin/pages/{group.pk}/edit/"))
    assert 'name="organisation"' not in edit
    _edit(client, group, "action-publish", organisation=str(trusted.pk), title="ECSI")
    group.refresh_from_db()
    assert group.title == "ECSI"  # the rest of the form was published
    assert group.organisation_id == untrusted.pk
    _revert(client, group, trusted_revision, "action-publish")
    group.refresh_from_db()
    assert group.organisation_id == untrusted.pk
