"""Middleware of the plugin; add it to MIDDLEWARE after AuthenticationMiddleware."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from wagtail.models import Page

from .request_values import checked_id
from .selectors import pages_visible_to_editor

CHOOSER_BROWSE_VIEW = "wagtailadmin_choose_page_child"


class PrivatePageChooserMiddleware:
    """The admin's page chooser, browsed at a page id, answers 404 for a page the editor may not see.

    Wagtail filters the chooser's listing through `construct_page_chooser_queryset` but loads the page
    being browsed by its id alone, which would show the title of a secret group or another
    organisation's private page to whoever guesses the id.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.url_name != CHOOSER_BROWSE_VIEW or not request.user.is_authenticated:
            return None
        page_id = view_kwargs.get("parent_page_id")
        if page_id is None:
            return None
        if not pages_visible_to_editor(Page.objects.filter(pk=checked_id(page_id)), request.user).exists():
            raise Http404
        return None
