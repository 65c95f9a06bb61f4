"""Test settings: SQLite unless DATABASE_URL names another database (CI runs both)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A served test site (the browser tests' gunicorn) shares its cache between its workers through files.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": os.environ["CACHE_DIR"]}
    if os.environ.get("CACHE_DIR")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
WAGTAILADMIN_BASE_URL = "http://testserver"
CASI_WORKSPACE_DEMO_ALLOWED = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="casi-test-media-"))
SERVE_IMAGES = True  # the served test site shows its pictures, as a visitor would see them
# A served test site's errors reach its log (tests/browser keeps it in test-artifacts/), with their traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
