"""The served site of the concurrency test: the test settings, with no rate limit (every request comes from
127.0.0.1)."""

from casi_site.settings.test import *  # noqa: F403

CASI_WORKSPACE_REGISTRATION_RATE_LIMIT = 0
