"""`casi_workspace.api.api_router`, the read-only pages API host sites mount (see `publications/api.py`)."""

from casi_workspace.publications.api import api_router

__all__ = ["api_router"]
