"""The production settings, with the static files' plain storage: a deployment runs `collectstatic`, whose
manifest takes about a minute to build here, for tests that serve pages in processes of their own."""

from casi_site.settings.production import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
