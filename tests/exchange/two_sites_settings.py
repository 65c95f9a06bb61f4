"""The test settings of the two live sites of test_two_sites.py: each may fetch the other on 127.0.0.1."""

from casi_site.settings.test import *  # noqa: F403

CASI_WORKSPACE_PARTNER_ALLOWED_HOSTS = ["127.0.0.1"]
