"""The error handler under the path host sites' URLconfs name (`handler500`, see `core/views/errors.py`)."""

from casi_workspace.core.views.errors import server_error

__all__ = ["server_error"]
