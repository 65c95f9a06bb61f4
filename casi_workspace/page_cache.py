"""`casi_workspace.page_cache.AnonymousPageCacheMiddleware`, the path host sites name (see `core/page_cache.py`)."""

from casi_workspace.core.page_cache import AnonymousPageCacheMiddleware, page_cache_invalidate

__all__ = ["AnonymousPageCacheMiddleware", "page_cache_invalidate"]
