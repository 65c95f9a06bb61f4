"""Development settings: `make demo` serves these on http://127.0.0.1:8000."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# `make demo` follows the partner demo network that `make demo-partner` serves on the same machine: the
# partner fetch refuses loopback addresses unless allowed here.
CASI_WORKSPACE_PARTNER_ALLOWED_HOSTS = ["127.0.0.1:8001"]
# Two demos on 127.0.0.1 share their cookies in a browser (cookies ignore the port): each names its own.
SESSION_COOKIE_NAME = os.environ.get("SESSION_COOKIE_NAME", "sessionid")
CSRF_COOKIE_NAME = os.environ.get("CSRF_COOKIE_NAME", "csrftoken")
