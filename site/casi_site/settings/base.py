"""Settings shared by every environment of the casi_site host project."""

import datetime
import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from casi_site.startup import database_from_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent

INSTALLED_APPS = [
    "home",
    "search",
    "casi_workspace",
    # The demo network and the scale seeding (manage.py casi_demo): this site's, not the plugin's runtime.
    "casi_workspace.demo",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casi_workspace.middleware.PrivatePageChooserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form post no browser would send gets a French 400, not a 500; a GET of /admin/logout/ signs nobody out.
    "casi_workspace.request_hygiene.MalformedFormDataMiddleware",
    "casi_workspace.request_hygiene.LogoutOnPostOnlyMiddleware",
    # A full disk or a failing storage: a French 507/503 page, and nothing half-saved (Wagtail's uploads too).
    "casi_workspace.middleware.StorageFaultMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "casi_site.csp.SiteCSPMiddleware",
    "casi_workspace.page_cache.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes) on every sign-in form: the admin's, the private pages' and the invitations'.
# Five failures lock that username from that address for 15 minutes; a coordinator can unlock at once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casi_workspace.views.security.lockout_response"
AXES_VERBOSE = False

# Content-Security-Policy: strict on the public site (no inline script or style, no other origin but the
# map's tiles); the admin, whose templates still hold inline scripts, gets its own (casi_site.csp).
MAP_TILE_ORIGIN = "https://tile.openstreetmap.org"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", MAP_TILE_ORIGIN],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# /.well-known/security.txt: whom to tell about a vulnerability.
CASI_WORKSPACE_SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "mailto:securite@example.org")

ROOT_URLCONF = "casi_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "casi_site.wsgi.application"

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    # An outage of Redis slows the site down and never takes it off line (casi_workspace/core/cache.py): a
    # Redis that does not answer costs each request at most these timeouts, then is left alone for a while.
    CACHES = {
        "default": {
            "BACKEND": "casi_workspace.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "casi",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first; English stays available (admin preference, and sites with LANGUAGE_CODE "en").
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Django serves /media/images/ itself (a one-machine install); otherwise the web server in front does.
SERVE_IMAGES = os.environ.get("SERVE_IMAGES", "").lower() in ("1", "true", "yes")

STORAGES = {
    "default": {"BACKEND": "casi_workspace.core.storage.MediaStorage"},  # never a half-written file
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work: Django Tasks. Immediate in development and tests; the database backend and
# `manage.py db_worker` in production.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_SUBJECT_PREFIX = "[CASI] "
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CASI Bretagne <ne-pas-repondre@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "CASI Bretagne")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# No Gravatar: it would send a hash of every editor's address to a third party, and the CSP refuses it.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Team invitations are bound to the invited email address: nobody may set their own address to another one
# (unconfirmed) in the admin's account settings. Coordinators change addresses in Settings › Users.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Documents: private files are only ever served through Wagtail's permission-checked view.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "doc",
    "docx",
    "odp",
    "ods",
    "odt",
    "pdf",
    "ppt",
    "pptx",
    "rtf",
    "txt",
    "xls",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
# Shown in the browser: PDF only (Wagtail serves it under `default-src 'none'`); any other document is a download.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]  # no SVG: it may carry scripts
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# These are checked against the plugin's upload policy (casi_workspace/upload_policy.py) by `manage.py check`.

# Moderation: approval publishes; an edit after approval goes back through moderation.
WAGTAIL_FINISH_WORKFLOW_ACTION = "wagtail.workflows.publish_workflow_state"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True

LOGIN_URL = "wagtailadmin_login"
# Where the site's own sign-in (private pages) leads when it has no safe `next`: the home page.
LOGIN_REDIRECT_URL = "/"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
WAGTAILADMIN_USER_LOGIN_FORM = "casi_workspace.forms.LoginForm"
