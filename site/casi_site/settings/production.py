"""Production settings, read from the environment. Missing essentials stop the start with one line."""

import os

from casi_site.startup import database_from_url, env_required, fail

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY", "a long random string, e.g. from `openssl rand -base64 48`")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    fail("SECRET_KEY is too short: use at least 50 random characters.")

ALLOWED_HOSTS = [h.strip() for h in env_required("ALLOWED_HOSTS", "comma-separated host names").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

DATABASES = {
    "default": database_from_url(env_required("DATABASE_URL", "e.g. postgres://user:password@127.0.0.1:5432/casi"))
}

STORAGES = {
    "default": {"BACKEND": "casi_workspace.core.storage.MediaStorage"},  # never a half-written file
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere. Behind a proxy that terminates TLS, it must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Every email is kept in the database and leaves through the task worker, retried while the mail server
# refuses for now; EMAIL_BACKEND names the backend that really sends them.
EMAIL_BACKEND = "casi_workspace.core.mail.QueuedEmailBackend"
CASI_WORKSPACE_EMAIL_DELIVERY_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
if os.environ.get("EMAIL_FILE_PATH"):  # with EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

# The newsletter's throttle: at most NEWSLETTER_BATCH_SIZE emails every NEWSLETTER_BATCH_INTERVAL seconds.
CASI_WORKSPACE_NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "100"))
CASI_WORKSPACE_NEWSLETTER_BATCH_INTERVAL = float(os.environ.get("NEWSLETTER_BATCH_INTERVAL", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
