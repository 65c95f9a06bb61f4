"""The plugin's middleware, under the dotted paths host sites put in `MIDDLEWARE` (each lives in `core/`)."""

from casi_workspace.core.middleware import PrivatePageChooserMiddleware
from casi_workspace.core.page_cache import AnonymousPageCacheMiddleware
from casi_workspace.core.request_hygiene import LogoutOnPostOnlyMiddleware, MalformedFormDataMiddleware
from casi_workspace.core.storage_faults import StorageFaultMiddleware

__all__ = [
    "AnonymousPageCacheMiddleware",
    "LogoutOnPostOnlyMiddleware",
    "MalformedFormDataMiddleware",
    "PrivatePageChooserMiddleware",
    "StorageFaultMiddleware",
]
