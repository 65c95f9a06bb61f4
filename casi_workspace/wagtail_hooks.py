"""Wagtail discovers this module: it gathers each domain's admin wiring (their own `wagtail_hooks.py`).

Each domain registers its admin screens as viewsets; the plugin's own screens keep their addresses under
`/admin/casi_workspace/` (each viewset's `url_prefix`), each in its viewset's URL namespace.
"""

from __future__ import annotations

from casi_workspace.applications import wagtail_hooks as applications_hooks  # noqa: F401 (registers on import)
from casi_workspace.campaigns import wagtail_hooks as campaigns_hooks  # noqa: F401 (registers on import)
from casi_workspace.core import wagtail_hooks as core_hooks  # noqa: F401 (registers on import)
from casi_workspace.directory import wagtail_hooks as directory_hooks  # noqa: F401 (registers on import)
from casi_workspace.exchange import wagtail_hooks as exchange_hooks  # noqa: F401 (registers on import)
from casi_workspace.newsletter import wagtail_hooks as newsletter_hooks  # noqa: F401 (registers on import)
from casi_workspace.publications import wagtail_hooks as publications_hooks  # noqa: F401 (registers on import)
from casi_workspace.registrations import wagtail_hooks as registrations_hooks  # noqa: F401 (registers on import)
from casi_workspace.support import wagtail_hooks as support_hooks  # noqa: F401 (registers on import)
from casi_workspace.workgroups import wagtail_hooks as workgroups_hooks  # noqa: F401 (registers on import)
from casi_workspace.workspaces import wagtail_hooks as workspaces_hooks  # noqa: F401 (registers on import)
