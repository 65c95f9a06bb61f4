"""Placeholder: the document library's views (being written)."""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


upload = folder_create = folder_rename = move = delete = publish = download = replace = restore = _todo
