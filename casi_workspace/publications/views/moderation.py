"""The coordinators' moderation queue in the admin: what waits for their decision, oldest first.

Only users who may decide some moderation step see it, in the menu and at its address (superusers, members
of a group approval task's groups); everyone else gets the 403 page. Decisions themselves are Wagtail's:
each row links to the page's edit view, where the workflow's "Approve" and "Request changes" actions are.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.core.errors import answer_403
from casi_workspace.core.pagination import paginate
from casi_workspace.publications.selectors.moderation import (
    ModerationQueueSummary,
    moderation_kind_key,
    moderation_kind_label,
    moderation_queue,
    moderation_queue_count,
    moderation_queue_filter,
    moderation_queue_summary,
    user_can_moderate,
)

TEMPLATE = "casi_workspace/admin/moderation_queue.html"


class ModerationFilterForm(forms.Form):
    """The queue's filters, read from the query string; a value the queue does not hold is dropped."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, data, *, summary: ModerationQueueSummary) -> None:
        super().__init__(data)
        self.fields["organisation"].choices = [("", _("All organisations"))] + [
            (str(row["key"]), row["label"]) for row in summary.by_organisation
        ]
        self.fields["kind"].choices = [("", _("All types"))] + [(row["key"], row["label"]) for row in summary.by_kind]

    def cleaned(self) -> dict:
        self.is_valid()
        return getattr(self, "cleaned_data", {})


@never_cache
@answer_403
def moderation_queue_view(request: HttpRequest) -> TemplateResponse:
    if not user_can_moderate(request.user):
        raise PermissionDenied
    queue = moderation_queue(request.user)
    summary = moderation_queue_summary(queue)
    form = ModerationFilterForm(request.GET, summary=summary)
    filters = form.cleaned()
    kind = filters.get("kind") or ""
    organisation_id = filters.get("organisation")
    states = moderation_queue_filter(queue, kind_type=summary.kind_types.get(kind), organisation_id=organisation_id)
    page_obj = paginate(request, states)
    for state in page_obj:  # each row's type, from the content type fetched with it
        content_type = state.workflow_state.content_type
        state.casi_kind_key = moderation_kind_key(content_type.app_label, content_type.model)
        state.casi_kind_label = moderation_kind_label(content_type.app_label, content_type.model)
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "page_obj": page_obj,
            "summary": summary,
            "form": form,
            "filtered": bool(kind or organisation_id),
            "kind": kind,
            "organisation_id": organisation_id,
        },
    )


class ModerationMenuItem(MenuItem):
    """The label counts what waits for the user."""

    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_moderate(request.user)

    def render_component(self, request: HttpRequest) -> LinkMenuItemComponent:
        component = super().render_component(request)
        count = moderation_queue_count(request.user)
        if count:
            component.label = f"{self.label} ({count})"
        return component


class ModerationViewSet(ViewSet):
    name = "casi_moderation"
    url_prefix = "casi_workspace/moderation"
    icon = "tasks"
    menu_label = _("Moderation")
    menu_name = "casi-moderation"
    menu_order = 95
    add_to_admin_menu = True
    menu_item_class = ModerationMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [path("", moderation_queue_view, name="index")]
