"""Every CASI_WORKSPACE_* setting, with its default. Read settings here and nowhere else."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Name of the network's coordinators' group (created by the provisioning services).
    "COORDINATORS_GROUP": "Coordination du réseau",
    # Parent collection of every association's documents and images.
    "ORGANISATIONS_COLLECTION": "Associations",
    # Parent collection of every working group's private documents.
    "WORKING_GROUPS_COLLECTION": "Groupes de travail",
    # Largest file a working group's member may upload to the group's library, in bytes.
    "GROUP_DOCUMENT_MAX_SIZE": 100 * 1024 * 1024,
    # Files per upload to a group's library.
    "GROUP_UPLOAD_MAX_FILES": 20,
    # Documents per page of a group's library.
    "GROUP_LIBRARY_PAGE_SIZE": 50,
    # Page size of public listings.
    "PAGE_SIZE": 20,
    # Map tiles of the directory (Leaflet URL template); empty for markers on a blank background.
    "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "MAP_TILE_ATTRIBUTION": "© OpenStreetMap contributors",
    # Whether `manage.py casi_demo` may run without --force; None means "when DEBUG is on".
    "DEMO_ALLOWED": None,
    # Membership applications accepted from one client IP address per hour; 0 turns the limit off.
    "APPLICATION_RATE_LIMIT": 5,
    # Event proposals accepted from one visitor's client IP address per hour; 0 turns the limit off.
    "PROPOSAL_RATE_LIMIT": 5,
    # Slug of the organisation page (the network's own) under which visitors' event proposals are drafted.
    "PROPOSALS_ORGANISATION": "casi-bretagne",
    # How long an invitation link to join an association's team stays valid, in seconds.
    "INVITATION_MAX_AGE": 7 * 24 * 60 * 60,
    # How long a newsletter subscription's confirmation link stays valid, in seconds.
    "NEWSLETTER_CONFIRM_MAX_AGE": 3 * 24 * 60 * 60,
    # Newsletter subscriptions accepted from one client IP address per hour; 0 turns the limit off.
    "NEWSLETTER_RATE_LIMIT": 10,
    # The départements a subscriber may choose (codes); the network's own region by default.
    "NEWSLETTER_DEPARTMENTS": ["22", "29", "35", "56"],
    # Sending an issue: emails per batch (one task of the worker), and the throttle, the least number of
    # seconds from the start of a batch to the start of the next (0: no pause).
    "NEWSLETTER_BATCH_SIZE": 100,
    "NEWSLETTER_BATCH_INTERVAL": 0,
    # Seconds after which an email still "being sent" is taken as interrupted by a stopped worker.
    "NEWSLETTER_SEND_LEASE": 300,
    # A directory import in the background: rows per task of the worker, and the seconds without progress
    # after which a running import is taken as stopped with its worker, for a coordinator to resume.
    "IMPORT_BATCH_SIZE": 100,
    "IMPORT_LEASE": 300,
    # The anonymous page cache: how long a public page stays cached, in seconds (0 turns the cache off), and
    # the addresses it never caches (the admin, the plugin's own views, documents, Wagtail's utilities, the API).
    "PAGE_CACHE_SECONDS": 300,
    "PAGE_CACHE_EXCLUDED_PATHS": ["/admin/", "/casi/", "/documents/", "/_util/", "/api/"],
    # The query-string parameter the header's search box sends to the site's view named "search": Wagtail's
    # stock search view (`wagtail start`) reads "query".
    "SEARCH_PARAMETER": "q",
    # Registrations on events: how long after the event its registrations (personal data) are kept, in days,
    # and the registrations accepted from one client IP address per hour (0 turns the limit off).
    "REGISTRATION_RETENTION_DAYS": 365,
    "REGISTRATION_RATE_LIMIT": 10,
    # Support requests ("accompagnement"): those accepted from one client IP address per hour (0 turns the limit
    # off), how long the requester's emailed link stays valid (seconds), and their documents: the largest file
    # in bytes and the files per sending.
    "SUPPORT_RATE_LIMIT": 5,
    "SUPPORT_LINK_MAX_AGE": 365 * 24 * 60 * 60,
    "SUPPORT_ATTACHMENT_MAX_SIZE": 20 * 1024 * 1024,
    "SUPPORT_ATTACHMENT_MAX_FILES": 5,
    # The first-answer target of a support request, in calendar days from its sending, per need (the keys of
    # SupportNeed) with a "default" for the others: `casi_support_reminders` reminds the desk once past it.
    "SUPPORT_FIRST_ANSWER_DAYS": {"default": 7, "funding": 5},
    # Support requests are erased this many days after they were closed (their anonymous figures are kept).
    "SUPPORT_RETENTION_DAYS": 3 * 365,
    # The health check reports the task queue as late when a task has waited this long (seconds) for a worker.
    "HEALTH_TASK_DELAY": 10 * 60,
    # Every email leaves through the task worker (`core.mail.QueuedEmailBackend`): the backend that really
    # sends them, the attempts allowed while the mail server refuses for now (4xx, unreachable), the first
    # wait between two attempts in seconds (doubled at each attempt, at most an hour), and the seconds after
    # which an email still "being sent" is taken as interrupted by a stopped worker (reported, never resent).
    "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_ATTEMPTS": 12,
    "EMAIL_RETRY_DELAY": 60,
    "EMAIL_SEND_LEASE": 300,
    # Who receives vulnerability reports (security.txt's Contact: a mailto: or https: address).
    "SECURITY_CONTACT": "mailto:securite@example.org",
    # Partner sources: hosts (or host:port) fetched even though they resolve to a private or local address (for
    # a partner on the same private network, or the demo's second network on 127.0.0.1); none by default.
    "PARTNER_ALLOWED_HOSTS": [],
    # A partner source's fetch: seconds for the whole of it, bytes of one answer (inflated), items in all.
    "PARTNER_TIMEOUT": 20,
    "PARTNER_MAX_BYTES": 10 * 1024 * 1024,
    "PARTNER_MAX_ITEMS": 5000,
    # Days after a source's last success when its items leave the public site.
    "PARTNER_ITEM_EXPIRY_DAYS": 30,
    # The licence of the open data the site publishes (catalogue, exchange datasets, directory exports).
    "OPEN_DATA_LICENCE": {
        "name": "Licence Ouverte / Open Licence 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
}


# The settings of Django, Wagtail and django-axes that the plugin reads, each with the default it has there
# (or the one the plugin assumes when the host site leaves it out).
HOST_DEFAULTS: dict[str, Any] = {
    "LANGUAGE_CODE": "en-us",
    "MEDIA_URL": "/media/",
    "SESSION_COOKIE_NAME": "sessionid",
    "PASSWORD_RESET_TIMEOUT": 60 * 60 * 24 * 3,
    "WAGTAIL_SITE_NAME": "",
    "WAGTAIL_ALLOW_UNICODE_SLUGS": True,
    "WAGTAILADMIN_BASE_URL": "",
    "WAGTAILAPI_SEARCH_ENABLED": True,
    "WAGTAILDOCS_EXTENSIONS": None,
    "WAGTAILDOCS_SERVE_METHOD": "serve_view",
    "WAGTAILDOCS_INLINE_CONTENT_TYPES": ["application/pdf"],
    "WAGTAILDOCS_MAX_UPLOAD_SIZE": None,
    "AXES_FAILURE_LIMIT": 3,
    "AXES_COOLOFF_TIME": None,
    "MIDDLEWARE": [],
    "STORAGES": {},
}


def host_setting(name: str) -> Any:
    """A setting of the host site that is not the plugin's own (Django's, Wagtail's, django-axes')."""
    return getattr(settings, name, HOST_DEFAULTS[name])


def support_first_answer_days() -> dict[str, int]:
    """CASI_WORKSPACE_SUPPORT_FIRST_ANSWER_DAYS with its "default" always there (7 days unless set)."""
    targets = dict(get_setting("SUPPORT_FIRST_ANSWER_DAYS"))
    targets.setdefault("default", DEFAULTS["SUPPORT_FIRST_ANSWER_DAYS"]["default"])
    return {need: int(days) for need, days in targets.items()}


def get_setting(name: str) -> Any:
    value = getattr(settings, f"CASI_WORKSPACE_{name}", DEFAULTS[name])
    if name == "DEMO_ALLOWED" and value is None:
        return settings.DEBUG
    return value
