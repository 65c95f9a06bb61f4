"""Wagtail discovers this module: it gathers each domain's admin wiring (their own `wagtail_hooks.py`).

Every admin view of the plugin answers under `/admin/casi_workspace/`, in one URL namespace
(`casi_workspace_admin`), whichever domain it belongs to.
"""

from __future__ import annotations

from django.urls import include, path
from wagtail import hooks

from casi_workspace.applications import wagtail_hooks as applications_hooks  # noqa: F401 (registers on import)
from casi_workspace.core import wagtail_hooks as core_hooks
from casi_workspace.directory import wagtail_hooks as directory_hooks
from casi_workspace.newsletter import wagtail_hooks as newsletter_hooks
from casi_workspace.publications import wagtail_hooks as publications_hooks
from casi_workspace.workgroups import wagtail_hooks as workgroups_hooks  # noqa: F401 (registers on import)
from casi_workspace.workspaces import wagtail_hooks as workspaces_hooks

admin_urlpatterns = [
    *core_hooks.admin_urlpatterns,
    *directory_hooks.admin_urlpatterns,
    *workspaces_hooks.admin_urlpatterns,
    *publications_hooks.admin_urlpatterns,
    *newsletter_hooks.admin_urlpatterns,
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("casi_workspace/", include((admin_urlpatterns, "casi_workspace_admin")))]
