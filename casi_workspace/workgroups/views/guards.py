"""What every working-group view checks first, and how it answers a refusal.

Anonymous visitors go to the login page; a page or group that does not exist, or a secret group the
person may not know about, is a 404; a refusal by the rules is a 403 page with its French reason; a bad
request (a form field that names nothing valid) is a 400 page with its French reason. Nothing is
changed when a view answers with an error.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.models import Page

from casi_workspace.core.request_values import checked_id, parsed_id
from casi_workspace.workgroups.access import GroupAccess, WorkingGroupError, group_access
from casi_workspace.workgroups.models import WorkingGroupPage

ERROR_TEMPLATE = "casi_workspace/pages/request_refused.html"


def error_page(request: HttpRequest, message: str, *, status: int, back_url: str = "") -> TemplateResponse:
    return TemplateResponse(request, ERROR_TEMPLATE, {"message": message, "back_url": back_url}, status=status)


def group_view(view):
    """Sign-in first (with the way back), then the service's refusals as French 400 and 403 pages."""

    @wraps(view)
    @never_cache
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except WorkingGroupError as error:
            return error_page(request, error.message, status=403 if error.forbidden else 400)

    return wrapped


def visible_group(request: HttpRequest, group_id: int) -> tuple[WorkingGroupPage, GroupAccess]:
    """The live group of the address and the person's access; 404 if it is secret to them."""
    group = WorkingGroupPage.objects.live().filter(pk=checked_id(group_id)).first()
    if group is None:
        raise Http404
    access = group_access(request.user, group)
    if not access.sees_group:
        raise Http404
    return group, access


def reader_group(request: HttpRequest, group_id: int) -> tuple[WorkingGroupPage, GroupAccess]:
    group, access = visible_group(request, group_id)
    if not access.reader:
        raise WorkingGroupError(_("This working group's documents are for its members only."), forbidden=True)
    return group, access


def group_page(request: HttpRequest, page_id: int, *types: type[Page]) -> tuple[Page, WorkingGroupPage, GroupAccess]:
    """A live page of a working group's library (of one of `types`), for the group's readers only."""
    page = Page.objects.live().filter(pk=checked_id(page_id)).first()
    group = WorkingGroupPage.objects.live().ancestor_of(page).first() if page is not None else None
    if group is None:
        raise Http404
    page = page.specific
    group, access = reader_group(request, group.pk)
    if types and not isinstance(page, types):
        raise WorkingGroupError(_("This action does not apply to this page."))
    return page, group, access


def container_in(group: WorkingGroupPage, value: str | None, *, field_missing: str) -> Page:
    """The group itself or one of its pages, named by a posted id; anything else is a bad request."""
    pk = parsed_id(value)
    page = Page.objects.live().filter(pk=pk).first() if pk else None
    if page is None or not (page.pk == group.pk or page.path.startswith(group.path)):
        raise WorkingGroupError(field_missing)
    return page
