"""Bad requests get a 4xx, never a 500, and a GET never signs anybody out.

Add both to MIDDLEWARE after AuthenticationMiddleware and MessageMiddleware:
`MalformedFormDataMiddleware` answers a form post whose data no browser would send (a StreamField's
`body-count` missing or not a number, rich text that is not the editor's JSON, an id that is not a
number or is out of range) with a French 400 page instead of a server error; `LogoutOnPostOnlyMiddleware`
keeps Wagtail's logout view from deleting the session cookie on a GET.
"""

from __future__ import annotations

import logging
import re
from types import TracebackType

from django.db import DataError
from django.forms.formsets import DEFAULT_MAX_NUM
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger("casi_workspace.security")

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# What reading badly formed submitted data raises deep inside Django's and Wagtail's form code: Wagtail's
# StreamBlock reads `int(data["body-count"])` (KeyError, ValueError), Draftail `json.loads` the rich text
# (ValueError, AttributeError on valid JSON of the wrong shape), a chooser widget looks a non-numeric id up
# when the form is shown again (ValueError), and a 30-digit id overflows the database's integer (OverflowError
# on SQLite, DataError on PostgreSQL).
MALFORMED_DATA_ERRORS: tuple[type[BaseException], ...] = (
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    OverflowError,
    DataError,
)
# Functions through which Django and Wagtail read, validate and show again what a form received. An error of
# the kinds above raised below one of them comes from the submitted data, not from a bug of a view.
FORM_DATA_FUNCTIONS = frozenset(
    {
        "value_from_datadict",
        "value_omitted_from_data",
        "full_clean",
        "_clean_fields",
        "_check_values",
        "get_value_data",
        "format_value",
        "get_context",
    }
)
LOGOUT_URL_NAME = "wagtailadmin_logout"
# The admin's hidden counters: a StreamField's `<field>-count` (a field name holds no dash; deeper names may be
# a block's own child called "count") and a formset's management fields.
MAX_COUNT = DEFAULT_MAX_NUM  # Django's formsets never hold more forms than this (`absolute_max` by default)
COUNTER_FIELD = re.compile(r"[A-Za-z_]\w*-count|.+-(TOTAL|INITIAL)_FORMS")


def _is_form_module(filename: str) -> bool:
    """Django's forms, and Wagtail's blocks, rich text and widgets (admin, images, documents, snippets)."""
    if "/django/forms/" in filename:
        return True
    return "/wagtail/" in filename and any(part in filename for part in ("/blocks/", "/rich_text/", "widgets"))


def _raised_while_reading_form_data(traceback: TracebackType | None) -> bool:
    """True when a frame of the traceback is one of the form layer's data-reading functions."""
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_name in FORM_DATA_FUNCTIONS and _is_form_module(code.co_filename):
            return True
        traceback = traceback.tb_next
    return False


def _count_in_range(value: str) -> bool:
    """A whole number from 0 to the formsets' own limit: a larger one would have the admin build and render
    a thousand empty forms (half a minute) only to refuse them."""
    return value.isascii() and value.isdigit() and int(value) <= MAX_COUNT


def is_admin_request(request: HttpRequest) -> bool:
    """Wagtail's views, and every view mounted in the admin (the plugin's viewsets have namespaces of their own)."""
    match = request.resolver_match
    if match is None:
        return False
    return request.path.startswith(reverse("wagtailadmin_home")) or any(
        name.startswith("wagtail") for name in [match.url_name or "", *match.namespaces]
    )


class MalformedFormDataMiddleware:
    """A form post that the form code cannot even read is the sender's fault: a 400 that says so, in French.

    Wagtail's editors write hidden fields (a StreamField's `<name>-count`, its blocks' `-type`, `-order` and
    `-deleted`, Draftail's JSON) that Wagtail reads without checking, so a hand-made or truncated post raised
    KeyError or ValueError in the middle of the form's validation: a 500. Whatever the page type, snippet
    or form, such an error is turned into a 400 page here; nothing has been saved (validation had not ended).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        """A counter that is not a whole number ≥ 0 is refused before the view: Wagtail reads `-1` as "no
        block" without a word and would save an empty body over the page's content."""
        if request.method != "POST" or not is_admin_request(request):
            return None
        for name, value in request.POST.items():
            if COUNTER_FIELD.fullmatch(name) and not _count_in_range(value):
                return self._refusal(request, f"{name}={value[:20]!r}")
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.method not in UNSAFE_METHODS or not isinstance(exception, MALFORMED_DATA_ERRORS):
            return None
        if not _raised_while_reading_form_data(exception.__traceback__):
            return None
        return self._refusal(request, f"{type(exception).__name__}: {exception}")

    def _refusal(self, request: HttpRequest, reason: str) -> HttpResponse:
        logger.warning("Malformed form data refused on %s %s: %s", request.method, request.path, reason)
        template = (
            "casi_workspace/admin/malformed_form.html"
            if is_admin_request(request) and request.user.is_authenticated
            else "casi_workspace/pages/malformed_form.html"
        )
        response = TemplateResponse(request, template, {"back_url": request.get_full_path()}, status=400)
        return response.render()


class LogoutOnPostOnlyMiddleware:
    """Sign out only on POST: a GET of the admin's logout address changes nothing.

    Django's LogoutView accepts only POST and answers a GET with 405, but Wagtail's subclass deletes the
    session cookie (and queues "You have been successfully logged out") in `dispatch`, whatever the method,
    so any page could sign a coordinator out with an `<img src="/admin/logout/">`. The refusal is given
    here, before the view runs.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.url_name != LOGOUT_URL_NAME or request.method in ("POST", "OPTIONS"):
            return None
        return HttpResponseNotAllowed(
            ["POST", "OPTIONS"],
            _("To sign out, use the “Log out” button of the menu.").encode(),
            content_type="text/plain; charset=utf-8",
        )
