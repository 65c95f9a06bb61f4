"""The answer to an error no view handled: the root URLconf's `handler500`.

While the database cannot be reached (a restart of PostgreSQL, a failover) every page that reads it fails,
wherever the query comes from: a view, a template, or a middleware loading the signed-in person. Django
sends all of these to `handler500`, with the error being handled; this one answers them with a 503 page
that says to come back shortly, and any other error with the site's ordinary 500 page.
"""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from casi_workspace.core.database import first_line, is_outage_error

logger = logging.getLogger(__name__)

# A restart of the database takes seconds; browsers ignore the header, robots come back later.
RETRY_AFTER_SECONDS = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """503 while the database is away, with `Retry-After` and never stored by a cache; the page is rendered
    without the request, so that nothing in it needs the database. Any other error: Django's own 500 view."""
    error = sys.exc_info()[1]
    if not is_outage_error(error):
        return defaults.server_error(request)
    logger.warning("The database does not answer: 503 for %s %s (%s)", request.method, request.path, first_line(error))
    response = HttpResponse(loader.render_to_string("casi_workspace/errors/database_unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # The warning above says it in one line: Django would log each of them again, with the traceback.
    response._has_been_logged = True
    return response
