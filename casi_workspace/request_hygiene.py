"""The request-hygiene middleware under the paths host sites' settings name (see `core/request_hygiene.py`)."""

from casi_workspace.core.request_hygiene import LogoutOnPostOnlyMiddleware, MalformedFormDataMiddleware

__all__ = ["LogoutOnPostOnlyMiddleware", "MalformedFormDataMiddleware"]
