"""How a page type's route methods reach their views without importing them at load time."""

from __future__ import annotations

from types import ModuleType


def page_views() -> ModuleType:
    """The module gathering every view a page type serves (`casi_workspace.page_views`).

    Wagtail asks the page model itself to serve a request (`serve()`, `get_context()`, routable
    sub-addresses), while the views import the page models: the import waits for the first request.
    """
    from casi_workspace import page_views  # the views import the page models: resolved at the first request

    return page_views
