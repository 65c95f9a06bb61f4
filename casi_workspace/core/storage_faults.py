"""A full disk or a failing storage answers a French page (507 or 503), never a server error, and leaves nothing.

Add `StorageFaultMiddleware` to MIDDLEWARE after AuthenticationMiddleware and MessageMiddleware. It
- reads a multipart form post before any view does (the CSRF check would, with no way to answer but a 500):
  a large upload is spooled to `FILE_UPLOAD_TEMP_DIR`, which may be full too;
- runs Wagtail's own document and image views (the admin's forms, multiple upload and choosers) inside
  `files_atomic`, as the plugin's own uploads are: what they saved is rolled back, and the files it wrote are
  deleted, when something fails after the file was stored (the next file, a rendition);
- answers an exception `storage_failure_status` recognises with the French page of that status (the admin's
  inside the admin; a JSON refusal, as Wagtail gives for a refused file, to the multiple upload), and logs it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core import checks
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from casi_workspace.conf import host_setting
from casi_workspace.core.errors import request_refused
from casi_workspace.core.request_hygiene import is_admin_request
from casi_workspace.core.stored_files import files_atomic, storage_failure_status

logger = logging.getLogger("casi_workspace.storage")

# Wagtail's admin views that store documents and images.
WAGTAIL_UPLOAD_NAMESPACES = frozenset({"wagtaildocs", "wagtailimages", "wagtaildocs_chooser", "wagtailimages_chooser"})
# Wagtail's multiple upload reads a JSON answer and shows its `error_message` beside the file.
MULTIPLE_UPLOAD_URL_NAMES = frozenset({"add_multiple", "edit_multiple", "create_multiple_from_uploaded_image"})
RETRY_AFTER_SECONDS = 300
MIDDLEWARE_PATH = "casi_workspace.middleware.StorageFaultMiddleware"
# Django's own file system storage leaves a half-written file behind when the disk fills up.
PLAIN_FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
PUBLIC_TEMPLATE = "casi_workspace/pages/request_refused.html"


def storage_failure_message(status: int, *, reading: bool = False) -> str:
    """What the person is told: an upload refused, or (`reading`) a page that needed a file written, such as a
    picture in a size not made yet."""
    if reading:
        if status == 507:
            return _("This page cannot be shown for now: the server's disk is full. Try again later.")
        return _(
            "This page cannot be shown for now: the server's file storage is unavailable. Try again in a few minutes."
        )
    if status == 507:
        return _(
            "The file could not be stored: the server's disk is full. Nothing was saved. Try again later; "
            "if it lasts, tell the network's coordinators."
        )
    return _(
        "The file could not be stored: the server's file storage is unavailable. Nothing was saved. "
        "Try again in a few minutes; if it lasts, tell the network's coordinators."
    )


def storage_failure_response(request: HttpRequest, status: int) -> HttpResponse:
    message = storage_failure_message(status, reading=request.method in ("GET", "HEAD"))
    match = request.resolver_match
    if match is not None and match.url_name in MULTIPLE_UPLOAD_URL_NAMES and _is_wagtail_upload(request):
        response: HttpResponse = JsonResponse({"success": False, "error_message": message})
    else:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_admin_request(request):
            page = request_refused(request, _("The file could not be stored"), message, status=status)
        else:
            page = TemplateResponse(request, PUBLIC_TEMPLATE, {"message": message}, status=status)
        response = page.render()
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _is_wagtail_upload(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and bool(set(match.namespaces) & WAGTAIL_UPLOAD_NAMESPACES)


class StorageFaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.FILES  # noqa: B018 - reads the post (and spools its files) here, where a failure is answered
            except OSError as exc:
                answer = self._answer(request, exc)
                if answer is None:
                    raise
                return answer
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method != "POST" or not _is_wagtail_upload(request):
            return None
        try:
            with files_atomic():
                response = view_func(request, *view_args, **view_kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()  # what the page shows (renditions) is part of the work
                return response
        except Exception as exc:
            answer = self._answer(request, exc)
            if answer is None:
                raise
            return answer

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return self._answer(request, exception)

    @staticmethod
    def _answer(request: HttpRequest, exception: BaseException) -> HttpResponse | None:
        status = storage_failure_status(exception)
        if status is None:
            return None
        logger.error("Storage failure on %s %s: %s", request.method, request.path, exception, exc_info=exception)
        return storage_failure_response(request, status)


def storage_settings_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: the middleware is installed, and media files are not written by Django's plain storage."""
    problems = []
    if MIDDLEWARE_PATH not in host_setting("MIDDLEWARE"):
        problems.append(
            checks.Warning(
                f"{MIDDLEWARE_PATH} is not in MIDDLEWARE: an upload on a full disk ends in a server error, and "
                "Wagtail's document and image forms may leave files no document names.",
                id="casi_workspace.W111",
            )
        )
    default = host_setting("STORAGES").get("default", {}).get("BACKEND", PLAIN_FILE_SYSTEM_STORAGE)
    if default == PLAIN_FILE_SYSTEM_STORAGE:
        problems.append(
            checks.Warning(
                "STORAGES['default'] is Django's FileSystemStorage: a file half-written when the disk fills up "
                "stays in MEDIA_ROOT.",
                hint="Use casi_workspace.core.storage.MediaStorage, which writes a file whole or not at all.",
                id="casi_workspace.W112",
            )
        )
    return problems
