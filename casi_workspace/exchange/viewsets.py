"""The coordinators' screens of partner networks: the sources followed, the items received, likely duplicates.

Items are copies of what partners published: here they are only read, and hidden or shown again (a button on
each row, a confirmation, a POST); the sources are added, changed, removed and hidden by the network's
coordinators (group permissions, see core/rights.py; who may do what: access.py). The review list of likely
duplicates sits in the same menu: each pair side by side, "Same item" or "Different".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import Button
from wagtail.models import Page
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from casi_workspace.core.errors import not_found, permission_denied, request_refused
from casi_workspace.core.pagination import paginate
from casi_workspace.core.request_values import checked_id, parsed_id
from casi_workspace.core.untrusted import clean_url
from casi_workspace.exchange.access import may_hide_item, may_hide_source, may_review_duplicates
from casi_workspace.exchange.models import DuplicateDecision, PartnerItem, PartnerSource
from casi_workspace.exchange.selectors import DATASETS, partner_duplicate_candidates
from casi_workspace.exchange.services import (
    ReviewError,
    partner_duplicate_decide,
    partner_item_set_hidden,
    partner_source_set_hidden,
)

PAIRS_PER_PAGE = 20


class PartnerSourceForm(WagtailAdminModelForm):
    datasets = forms.MultipleChoiceField(
        label=gettext_lazy("datasets to import"),
        choices=[(slug, dataset.title) for slug, dataset in DATASETS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "For another site of this product: the datasets to import; none ticked for all of them."
        ),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not clean_url(url):
            raise forms.ValidationError(_("Give an http or https address."))
        return url


def _hide_button(request: HttpRequest, url_name: str, obj: Model, *, priority: int = 5) -> Button:
    label = _("Show on the public site") if obj.hidden else _("Hide from the public site")
    url = reverse(url_name, args=[obj.pk])
    return Button(
        label,
        url=f"{url}?next={request.get_full_path()}",
        icon_name="view" if obj.hidden else "no-view",
        priority=priority,
    )


class PartnerSourceIndexView(IndexView):
    def get_list_more_buttons(self, instance: PartnerSource) -> list:
        buttons = super().get_list_more_buttons(instance)
        if may_hide_source(self.request.user):
            buttons.append(_hide_button(self.request, "casi_partner_networks:source_hide", instance))
        return buttons


class PartnerItemIndexView(IndexView):
    def get_list_more_buttons(self, instance: PartnerItem) -> list:
        buttons = super().get_list_more_buttons(instance)
        if may_hide_item(self.request.user):
            buttons.append(_hide_button(self.request, "casi_partner_networks:item_hide", instance))
        return buttons


class PartnerSourceViewSet(SnippetViewSet):
    model = PartnerSource
    index_view_class = PartnerSourceIndexView
    icon = "site"
    menu_label = gettext_lazy("Partner sources")
    list_display = ["name", "region", "kind", "last_success_at", "last_error", "active", "hidden"]
    list_filter = ["kind", "active", "hidden"]
    search_fields = ["name", "region"]
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("region")]),
            FieldPanel("url"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("item_kind")]),
            FieldPanel("datasets"),
            FieldRowPanel([FieldPanel("every_minutes"), FieldPanel("active"), FieldPanel("hidden")]),
        ],
        base_form_class=PartnerSourceForm,
    )


class PartnerItemViewSet(SnippetViewSet):
    """No add, no delete, for anyone (access.PartnerItemPermissionPolicy); the edit form holds only "hidden"."""

    model = PartnerItem
    index_view_class = PartnerItemIndexView
    icon = "doc-full"
    menu_label = gettext_lazy("Partner items")
    list_display = ["title", "source", "kind", "start", "modified_at", "withdrawn_at", "hidden"]
    list_filter = ["source", "kind", "hidden"]
    search_fields = ["title", "organisation_name"]
    ordering = ["-received_at"]
    inspect_view_enabled = True
    edit_handler = ObjectList([FieldPanel("hidden")])


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/admin/") and "//" not in target else default


@dataclass(frozen=True)
class Hideable:
    """What the hide/show action needs to know of a kind of partner object."""

    queryset: Callable[[], QuerySet]
    may_hide: Callable[[object], bool]
    missing: str
    listing: str
    set_hidden: Callable[..., None]


HIDEABLE = {
    "item": Hideable(
        lambda: PartnerItem.objects.select_related("source"),
        may_hide_item,
        gettext_lazy("This partner item does not exist."),
        "wagtailsnippets_casi_workspace_partneritem:list",
        lambda obj, hidden: partner_item_set_hidden(item=obj, hidden=hidden),
    ),
    "source": Hideable(
        PartnerSource.objects.all,
        may_hide_source,
        gettext_lazy("This partner source does not exist."),
        "wagtailsnippets_casi_workspace_partnersource:list",
        lambda obj, hidden: partner_source_set_hidden(source=obj, hidden=hidden),
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
def hidden_toggle(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """GET: the confirmation; POST: hide a partner item or source from the public site, or show it again."""
    hideable = HIDEABLE[kind]
    obj = hideable.queryset().filter(pk=checked_id(pk)).first()
    if not hideable.may_hide(request.user):
        return permission_denied(request)
    if obj is None:
        return not_found(request, str(hideable.missing), back_url=reverse(hideable.listing))
    back = _safe_next(request, reverse(hideable.listing))
    if request.method == "POST":
        hidden = not obj.hidden
        hideable.set_hidden(obj, hidden)
        message = _("“%(title)s” is hidden from the public site.") if hidden else _("“%(title)s” is shown again.")
        messages.success(request, message % {"title": str(obj)})
        return redirect(back)
    context = {"object": obj, "kind": kind, "back_url": back}
    return TemplateResponse(request, "casi_workspace/admin/partner_hide.html", context)


def duplicates_review(request: HttpRequest) -> HttpResponse:
    """The likely duplicates, side by side with their sources, twenty a page."""
    if not may_review_duplicates(request.user):
        return permission_denied(request)
    pairs = paginate(request, partner_duplicate_candidates(), PAIRS_PER_PAGE)
    page_ids = {entry.page_id for pair in pairs for entry in (pair.duplicate, pair.kept) if entry.page_id}
    pages = {page.pk: page for page in Page.objects.filter(pk__in=page_ids)}
    rows = [
        {
            "pair": pair,
            "kept_page": pages.get(pair.kept.page_id),
            "kept_url": pages[pair.kept.page_id].get_url(request) if pair.kept.page_id in pages else "",
        }
        for pair in pairs
    ]
    context = {"pairs": pairs, "rows": rows, "count": pairs.paginator.count, "decisions": DuplicateDecision}
    return TemplateResponse(request, "casi_workspace/admin/partner_duplicates.html", context)


@require_POST
def duplicate_decide(request: HttpRequest) -> HttpResponse:
    if not may_review_duplicates(request.user):
        return permission_denied(request)
    back = _safe_next(request, reverse("casi_partner_networks:duplicates"))
    item_id = parsed_id(request.POST.get("item"))
    if item_id is None:
        return request_refused(
            request,
            _("Decision refused"),
            _("The pair to decide on is missing or malformed."),
            status=400,
            back_url=back,
        )
    try:
        partner_duplicate_decide(
            item_id=item_id,
            other_item_id=parsed_id(request.POST.get("other_item")),
            other_page_id=parsed_id(request.POST.get("other_page")),
            decision=request.POST.get("decision", ""),
            user=request.user,
        )
    except ReviewError as exc:
        return request_refused(request, _("Decision refused"), exc.message, status=400, back_url=back)
    if request.POST.get("decision") == DuplicateDecision.SAME:
        messages.success(request, _("The duplicate is hidden from the public site; the other item stays."))
    else:
        messages.success(request, _("The two items are kept apart; the pair will not be proposed again."))
    return redirect(back)


class ReviewMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_review_duplicates(request.user)


class PartnerReviewViewSet(ViewSet):
    """The review list of likely duplicates and the hide/show actions; the first is an entry of the group's menu."""

    name = "casi_partner_networks"
    url_prefix = "casi_workspace/reseaux"
    icon = "resubmit"
    menu_label = gettext_lazy("Possible duplicates")
    menu_item_class = ReviewMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("doublons/", duplicates_review, name="duplicates"),
            path("doublons/decider/", duplicate_decide, name="duplicate_decide"),
            path("elements/<int:pk>/masquer/", hidden_toggle, {"kind": "item"}, name="item_hide"),
            path("sources/<int:pk>/masquer/", hidden_toggle, {"kind": "source"}, name="source_hide"),
        ]


class PartnerNetworksGroup(SnippetViewSetGroup):
    items = (PartnerSourceViewSet, PartnerItemViewSet, PartnerReviewViewSet)
    menu_icon = "site"
    menu_label = gettext_lazy("Partner networks")
    menu_name = "casi-partner-networks"
    menu_order = 98
