"""Middleware of the plugin; add it to MIDDLEWARE after AuthenticationMiddleware.

`PrivatePageChooserMiddleware` is the one gate through which every Wagtail admin view that names a page by
its id passes: Wagtail's choosers, page views, reports and bulk actions load a page from the id they are
given, and several of them show its title, address or place in the tree before (or without) asking whether
the person may see it. Ids are sequential, so one such view would list the whole tree, secret working
groups and other organisations' drafts included. The rules themselves are not written here: the page
chooser's is `pages_visible_to_editor` (the same one as the `construct_page_chooser_queryset` hook), the
other admin views' is Wagtail's own explorable tree (the pages the person holds a permission on, and their
ancestors). Network coordinators and superusers see everything, as in the explorer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import ResolverMatch
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.chooser import BaseLinkFormView, ExternalLinkView, page_models_from_string
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page
from wagtail.permissions import policy_registry

from casi_workspace.core.permissions import user_is_coordinator
from casi_workspace.core.request_values import checked_id, parsed_id
from casi_workspace.core.views.page_privacy import page_privacy
from casi_workspace.core.visibility import pages_visible_to_editor

# The page chooser's views: what they show follows the chooser's rule (`pages_visible_to_editor`).
CHOOSER_BROWSE_VIEW = "wagtailadmin_choose_page_child"
CHOOSER_ROOT_VIEW = "wagtailadmin_choose_page"
CHOOSER_CHOSEN_MULTIPLE_VIEW = "wagtailadmin_choose_page_chosen_multiple"
CHOOSER_EXTERNAL_LINK_VIEW = "wagtailadmin_choose_page_external_link"
# The link forms remember the page being browsed as `?parent_page_id=` (Wagtail reverses a URL with it).
CHOOSER_LINK_VIEWS = frozenset(
    {
        CHOOSER_EXTERNAL_LINK_VIEW,
        "wagtailadmin_choose_page_email_link",
        "wagtailadmin_choose_page_phone_link",
        "wagtailadmin_choose_page_anchor_link",
    }
)
# Every other admin view whose URL names a page: the explorer, every view of Wagtail's pages namespace
# (edit, preview, history, revisions, usage, move, copy, add, workflow…), form submissions, and the
# removal of a workflow from a page. What they show follows the explorer's rule.
EXPLORER_VIEWS = frozenset({"wagtailadmin_explore", "wagtailadmin_explore_results"})
PAGE_NAMESPACES = frozenset({"wagtailadmin_pages", "wagtailforms", "wagtailadmin_workflows"})
PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
# In Wagtail's pages namespace `pk` is a page too (revisions_compare).
PAGES_NAMESPACE = "wagtailadmin_pages"
# Form fields that name a destination or a parent page: Wagtail's forms answer an invalid one with an error
# message that quotes the page's title.
PAGE_FORM_FIELDS: dict[str, str] = {
    "wagtailadmin_pages:copy": "new_parent_page",
    "wagtailadmin_pages:move": "new_parent_page",
    "wagtailadmin_pages:choose_parent": "parent_page",
    "wagtail_bulk_action": "chooser",  # the bulk move's destination
}
BULK_ACTION_VIEW = "wagtail_bulk_action"
PRIVACY_VIEW = "wagtailadmin_pages:set_privacy"
# Reports that count pages across the whole site and name the last page edited of each type: the number of
# secret groups and of their minutes, and their titles. Kept for the network's coordinators (see
# `PrivatePageChooserMiddleware._refuse_site_wide_report`).
COORDINATORS_ONLY_VIEWS = frozenset(
    {"wagtailadmin_reports:page_types_usage", "wagtailadmin_reports:page_types_usage_results"}
)
# Choosers of other models (documents, images, snippets) whose ids Wagtail reads unchecked: `?id=abc` or a
# number past what a column holds is a 500 there. Their listings are already filtered by Wagtail (the
# "choose" permission on collections for documents and images).
CHOSEN_URL_NAMES = frozenset({"chosen", "chosen_multiple"})
GUARDED_VIEWS = frozenset(
    {
        CHOOSER_BROWSE_VIEW,
        CHOOSER_ROOT_VIEW,
        CHOOSER_CHOSEN_MULTIPLE_VIEW,
        BULK_ACTION_VIEW,
        *CHOOSER_LINK_VIEWS,
        *EXPLORER_VIEWS,
        *COORDINATORS_ONLY_VIEWS,
    }
)


def _integer_ids(values: Iterable[str], *, allowed: Iterable[str] = ()) -> list[int]:
    """The identifiers of a query string or form, or 404 for any that is not a positive integer a column holds."""
    ids = []
    for value in values:
        if value in allowed:
            continue
        pk = parsed_id(value)
        if pk is None:
            raise Http404
        ids.append(pk)
    return ids


def _has_integer_pk(view_func: Callable) -> bool:
    """Whether a generic chooser view's model (documents, images, snippets) has integer primary keys."""
    model = getattr(view_func, "view_initkwargs", {}).get("model")
    if isinstance(model, str):
        model = resolve_model_string(model)
    if model is None:
        return False
    return model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField")


def _is_guarded(match: ResolverMatch) -> bool:
    """Whether the view is one of those this middleware looks at (the others cost it nothing)."""
    return (
        match.view_name in GUARDED_VIEWS
        or match.url_name in CHOSEN_URL_NAMES
        or bool(set(match.namespaces) & PAGE_NAMESPACES)
    )


def pages_explorable_by(user):
    """The pages of the user's explorable tree, as Wagtail's explorer and page search compute it."""
    return policy_registry.get_by_type(Page).explorable_instances(user)


class PrivatePageChooserMiddleware:
    """Every admin view that names a page answers 404 for a page the person may not see there.

    - The page chooser (browse, browse from a page type, chosen-multiple, the external-link form that turns
      an address of the site into a page) shows only `pages_visible_to_editor`; its search and listings are
      filtered by the `construct_page_chooser_queryset` hook, but the page being browsed, the chosen ids and
      the common ancestor of a page type are loaded by Wagtail with no filter.
    - Every other admin view of a page (explorer, edit, previews, history, revisions, usage, move and its
      destination, copy and its destination, add and its parent, workflow views, bulk move) names only pages
      of the person's explorable tree: Wagtail shows the destination of a move, the parent of a copy or a new
      page, and the explored page's header before it checks any permission.
    - Identifiers that are not positive integers a column holds answer 404 instead of Wagtail's 500.
    The site-wide page-types report is the network coordinators' (`_refuse_site_wide_report`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        match: ResolverMatch | None = request.resolver_match
        if match is None or not _is_guarded(match):
            return None  # the public site, and admin views that name no page
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # Wagtail sends anonymous people to its login page
        if not user.has_perm("wagtailadmin.access_admin"):
            return None  # Wagtail refuses them the admin
        view_name = match.view_name
        self._check_formats(request, match, view_func, view_kwargs)
        if user_is_coordinator(user):
            return None
        if view_name in COORDINATORS_ONLY_VIEWS:
            return self._refuse_site_wide_report(request)
        if view_name == CHOOSER_BROWSE_VIEW:
            self._require_visible(user, [checked_id(view_kwargs["parent_page_id"])])
            return None
        if view_name == CHOOSER_ROOT_VIEW:
            return self._browse_from_visible_ancestor(request, view_func, view_args)
        if view_name == CHOOSER_CHOSEN_MULTIPLE_VIEW:
            self._keep_visible_ids(request)
            return None
        if view_name == CHOOSER_EXTERNAL_LINK_VIEW and request.method == "POST":
            return self._external_link(request, view_func, view_args, view_kwargs)
        self._require_explorable(request, match, view_kwargs)
        if view_name == PRIVACY_VIEW:
            # Wagtail's dialog lists every group of the site: ours offers those the person may name.
            return page_privacy(request, *view_args, **view_kwargs)
        return None

    # --- Formats -------------------------------------------------------------------------------------------

    def _check_formats(self, request: HttpRequest, match: ResolverMatch, view_func: Callable, kwargs: dict) -> None:
        """404 for an identifier Wagtail would turn into a 500 (ValueError, OverflowError, NoReverseMatch)."""
        view_name = match.view_name
        if view_name == CHOOSER_CHOSEN_MULTIPLE_VIEW:
            _integer_ids(request.GET.getlist("id"))
        elif match.url_name in CHOSEN_URL_NAMES and _has_integer_pk(view_func):
            if "pk" in kwargs:
                _integer_ids([kwargs["pk"]])
            if match.url_name == "chosen_multiple":
                _integer_ids(request.GET.getlist("id"))
        elif view_name == BULK_ACTION_VIEW:
            _integer_ids(request.GET.getlist("id"), allowed=("all",))
            if "childOf" in request.GET:
                _integer_ids([request.GET["childOf"]])
        elif view_name in (CHOOSER_ROOT_VIEW, CHOOSER_BROWSE_VIEW):
            _integer_ids(request.GET.getlist("target_pages[]"))
        elif view_name in CHOOSER_LINK_VIEWS and request.GET.get("parent_page_id"):
            _integer_ids([request.GET["parent_page_id"]])
        field = PAGE_FORM_FIELDS.get(view_name)
        if field and request.method == "POST" and (field in request.POST or view_name != BULK_ACTION_VIEW):
            # Wagtail's copy view loads this page before validating its form (a 500 when it is missing,
            # empty or unknown), and shows the form again with its chooser reading '' as an id (a 500).
            # The admin's own forms always send a chosen page; only the bulk actions other than move lack one.
            page_ids = _integer_ids([request.POST.get(field, "")])
            if not Page.objects.filter(pk__in=page_ids).exists():
                raise Http404

    # --- The chooser's rule ----------------------------------------------------------------------------------

    @staticmethod
    def _require_visible(user, page_ids: list[int]) -> None:
        visible = pages_visible_to_editor(Page.objects.filter(pk__in=page_ids), user)
        if visible.count() != len(set(page_ids)):
            raise Http404

    @staticmethod
    def _browse_from_visible_ancestor(request: HttpRequest, view_func: Callable, view_args: tuple):
        """Browsing a page type opens at the first common ancestor of the pages of that type the user may see.

        Wagtail opens at the first common ancestor of all the pages of that type: the title of a secret group
        whose minutes are the only ones of the site, for instance.
        """
        page_type = request.GET.get("page_type")
        if not page_type:
            return None  # the root page, which everyone sees
        try:
            desired_classes = page_models_from_string(page_type)
        except (ValueError, LookupError):
            return None  # Wagtail answers 404
        if desired_classes == (Page,):
            return None
        visible = pages_visible_to_editor(Page.objects.all(), request.user)
        ancestor = visible.type(*desired_classes).first_common_ancestor()
        if not visible.filter(pk=ancestor.pk).exists():
            ancestor = visible.ancestor_of(ancestor).order_by("-depth").first() or Page.get_first_root_node()
        return view_func(request, *view_args, parent_page_id=ancestor.pk)

    @staticmethod
    def _keep_visible_ids(request: HttpRequest) -> None:
        """chosen-multiple answers for the pages the user may see among those asked, and ignores the others."""
        ids = _integer_ids(request.GET.getlist("id"))
        visible = pages_visible_to_editor(Page.objects.filter(pk__in=ids), request.user)
        query: QueryDict = request.GET.copy()
        query.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
        query._mutable = False
        request.GET = query

    @staticmethod
    def _external_link(request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict):
        """An address of the site is turned into a page link only for a page the user may see.

        Wagtail routes the address to its page and answers with the page's id and draft title, whatever the
        page's restrictions: the title of a secret group for whoever guesses its address. Otherwise the
        address stays an external link, as for an address of another site.
        """
        response = view_func(request, *view_args, **view_kwargs)
        try:
            data = json.loads(response.content)
        except (ValueError, AttributeError):
            return response
        chosen = [data.get("internal"), data.get("result")]
        page_ids = [item["id"] for item in chosen if isinstance(item, dict) and isinstance(item.get("id"), int)]
        if not page_ids:
            return response
        visible = pages_visible_to_editor(Page.objects.filter(pk__in=page_ids), request.user)
        if visible.count() == len(set(page_ids)):
            return response
        view = ExternalLinkView()
        view.setup(request, *view_args, **view_kwargs)
        return BaseLinkFormView.post(view, request)

    # --- The explorer's rule ---------------------------------------------------------------------------------

    @staticmethod
    def _named_pages(request: HttpRequest, match: ResolverMatch, kwargs: dict) -> list[int]:
        """The pages an admin view's address and form name (empty for views that name none)."""
        view_name = match.view_name
        ids: list[int] = []
        if view_name in EXPLORER_VIEWS or set(match.namespaces) & PAGE_NAMESPACES:
            ids += [checked_id(kwargs[name]) for name in PAGE_ID_KWARGS if isinstance(kwargs.get(name), int)]
            if PAGES_NAMESPACE in match.namespaces and "pk" in kwargs:
                ids += _integer_ids([str(kwargs["pk"])])
        field = PAGE_FORM_FIELDS.get(view_name)
        # Bulk actions on documents or images name no page.
        of_pages = view_name != BULK_ACTION_VIEW or (
            kwargs.get("app_label") == "wagtailcore" and kwargs.get("model_name") == "page"
        )
        if field and of_pages and request.method == "POST" and request.POST.get(field):
            ids += _integer_ids([request.POST[field]])
        if view_name == BULK_ACTION_VIEW and of_pages and "childOf" in request.GET:
            ids += _integer_ids([request.GET["childOf"]])
        return ids

    def _require_explorable(self, request: HttpRequest, match: ResolverMatch, kwargs: dict) -> None:
        ids = set(self._named_pages(request, match, kwargs))
        if ids and pages_explorable_by(request.user).filter(pk__in=ids).count() != len(ids):
            raise Http404

    @staticmethod
    def _refuse_site_wide_report(request: HttpRequest) -> HttpResponse:
        """The page-types report is refused to everyone but the network's coordinators, rather than filtered.

        Its rows count every page of each type on the whole site and name the last one edited: filtering
        them to the person's explorable tree would leave an association's editor a report about its own
        handful of pages, which the explorer already shows, while a forgotten column or a future Wagtail
        change could bring the site-wide counts back. Refused the way Wagtail refuses a view (back to the
        dashboard with its own message), and left out of the Reports menu (wagtail_hooks).
        """
        return permission_denied(request)
