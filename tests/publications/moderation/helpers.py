"""What the moderation tests need to act in the admin as editors and coordinators do."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Page, TaskState, WorkflowState

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import NewsPage, OrganisationPage
from tests.permissions.support import form_data

QUEUE_URL = reverse("casi_moderation:index")


def sign_in(client: Client, username: str) -> Client:
    """Sign the client in as a demo account (whoever was signed in before is signed out)."""
    client.logout()
    assert client.login(username=username, password=DEFAULT_PASSWORD), username
    return client


def _post_form(client: Client, url: str, action: str, fields: dict[str, str]):
    data = form_data(client.get(url).content.decode())
    # The StreamField's block count is written by the editor's JavaScript: an empty body sends 0.
    data.setdefault("body-count", ["0"])
    data.update({name: [value] for name, value in fields.items()})
    data[action] = ["1"]
    return client.post(url, data)


def add_news(client: Client, organisation: OrganisationPage, title: str, action: str = "action-submit", **fields: str):
    """Create a news item through the admin's add view, as the signed-in editor ("action-submit"/"action-publish")."""
    url = reverse("wagtailadmin_pages:add", args=["casi_workspace", "newspage", organisation.pk])
    # The slug is written from the title by the editor's JavaScript.
    fields = {"title": title, "slug": slugify(title), "summary": f"Résumé de « {title} ».", **fields}
    response = _post_form(client, url, action, fields)
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.get(response["Location"])  # as a browser does: the admin shows (and so uses up) its message
    return NewsPage.objects.get(title=title)


def edit_page(client: Client, page: Page, action: str = "action-submit", **fields: str):
    """Post the page's edit form back with `fields` changed, as the signed-in user."""
    response = _post_form(client, reverse("wagtailadmin_pages:edit", args=[page.pk]), action, fields)
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.get(response["Location"])  # as a browser does: the admin shows (and so uses up) its message
    return response


def pending_task_state(page: Page) -> TaskState:
    """The moderation step in progress on `page`."""
    state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    return state.current_task_state


def workflow_action(client: Client, page: Page, action: str, comment: str = ""):
    """Take Wagtail's workflow action ("approve", "reject" = request changes) on the page's current step."""
    task_state = pending_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    response = client.post(url, {"comment": comment})
    assert response.status_code in (200, 302), response.content.decode()[-2000:]
    return response


def draft_news(organisation: OrganisationPage, title: str, **fields) -> NewsPage:
    """A news draft saved under an organisation, as the add view saves one (with its first revision)."""
    page = NewsPage(title=title, live=False, **fields)
    organisation.add_child(instance=page)
    page.save_revision()
    return page


def submit(page: Page, user) -> WorkflowState:
    """Start the page's moderation workflow, as "Submit" does (`user` None: a visitor's proposal)."""
    return page.get_workflow().start(page, user)
