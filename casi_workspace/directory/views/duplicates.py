"""The coordinators' list of possible duplicates, in the Wagtail admin: keep a pair apart, or merge it.

Whoever may import organisations decides (`casi_workspace.import_organisations`); the others get a 403.
Decisions are POSTs (CSRF-checked by Django); the merge's GET shows the confirmation, where the coordinator
chooses the organisation to keep. An unknown pair answers a 404 that says so in the admin.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.core.errors import CasiError, permission_denied
from casi_workspace.core.pagination import paginate
from casi_workspace.core.request_values import MAX_ID
from casi_workspace.directory.models import PossibleDuplicate
from casi_workspace.directory.selectors import possible_duplicates_open
from casi_workspace.directory.services.possible_duplicates import (
    possible_duplicate_keep_apart,
    possible_duplicate_merge,
)

IMPORT_PERMISSION = "casi_workspace.import_organisations"
LIST_TEMPLATE = "casi_workspace/admin/possible_duplicates.html"
MERGE_TEMPLATE = "casi_workspace/admin/possible_duplicate_merge.html"
NOT_FOUND_TEMPLATE = "casi_workspace/admin/possible_duplicate_not_found.html"
PAIRS_PER_PAGE = 20


class MergeForm(forms.Form):
    kept = forms.TypedChoiceField(label=gettext_lazy("Organisation to keep"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, pair: PossibleDuplicate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [
            (organisation.pk, f"{organisation.title} ({organisation.commune or '—'})")
            for organisation in pair.organisations
        ]


def _list_url() -> str:
    return reverse("casi_possible_duplicates:index")


def _not_found(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, NOT_FOUND_TEMPLATE, status=404)


def _open_pair(pair_id: int) -> PossibleDuplicate | None:
    """The open pair the URL names, with both organisations and their team sizes; None for any other id."""
    if pair_id > MAX_ID:
        return None
    return possible_duplicates_open().filter(pk=pair_id).first()


def _unavailable(request: HttpRequest, pair_id: int) -> HttpResponse:
    """A pair decided already (a second click, another coordinator) sends back to the list; any other id is a 404."""
    if pair_id <= MAX_ID and PossibleDuplicate.objects.filter(pk=pair_id).exists():
        messages.info(request, _("This possible duplicate has already been decided."))
        return redirect(_list_url())
    return _not_found(request)


def possible_duplicates(request: HttpRequest) -> TemplateResponse:
    if not request.user.has_perm(IMPORT_PERMISSION):
        return permission_denied(request)
    page = paginate(request, possible_duplicates_open(), PAIRS_PER_PAGE)
    return TemplateResponse(request, LIST_TEMPLATE, {"pairs": page, "count": page.paginator.count})


@require_POST
def keep_apart(request: HttpRequest, pair_id: int) -> HttpResponse:
    if not request.user.has_perm(IMPORT_PERMISSION):
        return permission_denied(request)
    pair = _open_pair(pair_id)
    if pair is None:
        return _unavailable(request, pair_id)
    try:
        possible_duplicate_keep_apart(pair=pair, user=request.user)
    except CasiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("“%(first)s” and “%(second)s” are kept apart; they will not be proposed again.")
            % {"first": pair.organisation_a.title, "second": pair.organisation_b.title},
        )
    return redirect(_list_url())


@require_http_methods(["GET", "HEAD", "POST"])
def merge(request: HttpRequest, pair_id: int) -> HttpResponse:
    """GET: the confirmation, choosing the organisation to keep. POST: the merge."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        return permission_denied(request)
    pair = _open_pair(pair_id)
    if pair is None:
        return _unavailable(request, pair_id)
    form = MergeForm(request.POST if request.method == "POST" else None, pair=pair)
    if form.is_valid():
        try:
            report = possible_duplicate_merge(pair=pair, kept_id=form.cleaned_data["kept"], user=request.user)
        except CasiError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("“%(merged)s” is merged into “%(kept)s”; its address now leads to “%(kept)s”.")
                % {"merged": report.merged_title, "kept": report.kept.title},
            )
        return redirect(_list_url())
    return TemplateResponse(request, MERGE_TEMPLATE, {"pair": pair, "form": form})


class PossibleDuplicatesMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)


class PossibleDuplicatesViewSet(ViewSet):
    """The list at /admin/casi_workspace/organisations/duplicates/, beside the import, for those who may import."""

    name = "casi_possible_duplicates"
    url_prefix = "casi_workspace/organisations/duplicates"
    icon = "resubmit"
    menu_label = gettext_lazy("Possible duplicates")
    menu_name = "casi-possible-duplicates"
    menu_order = 451
    add_to_admin_menu = True
    menu_item_class = PossibleDuplicatesMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", possible_duplicates, name="index"),
            path("<int:pair_id>/keep-apart/", keep_apart, name="keep_apart"),
            path("<int:pair_id>/merge/", merge, name="merge"),
        ]
