"""The dotted paths host sites and queued jobs name keep working after the plugin's split by domain.

Settings name middleware, the login form and the lockout page by path; URLconfs mount the API and
security.txt; django-tasks' database backend stores each queued job's task by path, so a job queued
before an upgrade names `casi_workspace.tasks.<name>`. Each old path must give the very object the
domain now holds.
"""

from __future__ import annotations

import pytest
from django.utils.module_loading import import_string
from django_tasks.base import Task

from casi_workspace.applications.tasks import application_approved_email_send
from casi_workspace.core.forms import LoginForm
from casi_workspace.core.middleware import PrivatePageChooserMiddleware
from casi_workspace.core.page_cache import AnonymousPageCacheMiddleware
from casi_workspace.core.request_hygiene import LogoutOnPostOnlyMiddleware, MalformedFormDataMiddleware
from casi_workspace.core.views.errors import server_error
from casi_workspace.core.views.security import lockout_response, security_txt
from casi_workspace.newsletter.tasks import newsletter_issue_send
from casi_workspace.publications.api import api_router
from casi_workspace.publications.tasks import moderation_submitted_email_send
from casi_workspace.workgroups.tasks import group_item_email_send
from casi_workspace.workspaces.tasks import invitation_email_send

HOST_SITE_PATHS = {
    "casi_workspace.middleware.PrivatePageChooserMiddleware": PrivatePageChooserMiddleware,
    "casi_workspace.request_hygiene.MalformedFormDataMiddleware": MalformedFormDataMiddleware,
    "casi_workspace.request_hygiene.LogoutOnPostOnlyMiddleware": LogoutOnPostOnlyMiddleware,
    "casi_workspace.page_cache.AnonymousPageCacheMiddleware": AnonymousPageCacheMiddleware,
    "casi_workspace.forms.LoginForm": LoginForm,
    "casi_workspace.views.security.lockout_response": lockout_response,
    "casi_workspace.views.security.security_txt": security_txt,
    "casi_workspace.views.errors.server_error": server_error,
    "casi_workspace.api.api_router": api_router,
}

QUEUED_TASK_PATHS = {
    "casi_workspace.tasks.application_approved_email_send": application_approved_email_send,
    "casi_workspace.tasks.invitation_email_send": invitation_email_send,
    "casi_workspace.tasks.moderation_submitted_email_send": moderation_submitted_email_send,
    "casi_workspace.tasks.group_item_email_send": group_item_email_send,
    "casi_workspace.tasks.newsletter_issue_send": newsletter_issue_send,
}


@pytest.mark.parametrize("dotted_path", sorted(HOST_SITE_PATHS))
def test_a_path_host_sites_name_gives_the_domains_object(dotted_path):
    assert import_string(dotted_path) is HOST_SITE_PATHS[dotted_path]


@pytest.mark.parametrize("dotted_path", sorted(QUEUED_TASK_PATHS))
def test_a_task_queued_under_its_former_path_is_found(dotted_path):
    task = import_string(dotted_path)
    assert isinstance(task, Task)
    assert task is QUEUED_TASK_PATHS[dotted_path]


def test_every_task_of_the_former_module_is_still_there():
    import casi_workspace.tasks as former

    tasks = {name for name in dir(former) if isinstance(getattr(former, name), Task)}
    assert tasks == set(former.__all__)
    assert len(tasks) == 15


@pytest.mark.django_db
def test_the_site_serves_through_the_middleware_named_by_their_former_paths(client, settings):
    """This project's settings, like the README's, name the former paths: pages are served through them."""
    for dotted_path in HOST_SITE_PATHS:
        if dotted_path.endswith("Middleware"):
            assert dotted_path in settings.MIDDLEWARE
    assert client.get("/").status_code == 200
