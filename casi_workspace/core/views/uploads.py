"""A guard around Wagtail's completion of parked multiple uploads.

Wagtail 8.0.1 parks a multiple upload aimed at a refused collection as an UploadedFile; completing it
(create_from_uploaded_document) then raises ValueError from the document form, whatever collection
is chosen, and the request ends in a 500. The plugin answers that with a 400 and a French message.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from wagtail.documents.views.multiple import CreateFromUploadedDocumentView


def create_from_uploaded_document(request: HttpRequest, uploaded_file_id: int) -> HttpResponse:
    try:
        return CreateFromUploadedDocumentView.as_view()(request, uploaded_file_id=uploaded_file_id)
    except ValueError:
        message = _("This file cannot be added to that collection. Upload it again into one of yours.")
        return JsonResponse({"success": False, "error_message": message}, status=400)
