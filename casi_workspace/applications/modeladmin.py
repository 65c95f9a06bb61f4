"""wagtail-modeladmin configuration of the coordinators' lists (wired in wagtail_hooks)."""

from __future__ import annotations

from django.contrib.admin import display
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from wagtail.utils.urlpatterns import decorate_urlpatterns
from wagtail_modeladmin.options import ModelAdmin

from casi_workspace.applications.models import SUBMITTED_FIELDS, ApplicationStatus, MembershipApplication
from casi_workspace.applications.views import (
    ApplicationApproveView,
    ApplicationButtonHelper,
    ApplicationInspectView,
    ApplicationPermissionHelper,
    ApplicationRejectView,
)
from casi_workspace.core.errors import answer_403


def _numeric_pk(instance_pk: str) -> str:
    """modeladmin's URLs accept any word as an id; anything but digits is a 404, not a database error."""
    if not instance_pk.isdigit() or len(instance_pk) > 18:
        raise Http404
    return instance_pk


class MembershipApplicationAdmin(ModelAdmin):
    """Membership applications, for the network's coordinators: pending first, oldest first."""

    model = MembershipApplication
    base_url_path = "casi_workspace/applications"
    menu_label = _("Membership applications")
    menu_icon = "form"
    menu_order = 250
    add_to_admin_menu = True
    permission_helper_class = ApplicationPermissionHelper
    button_helper_class = ApplicationButtonHelper
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    history_view_enabled = False
    inspect_template_name = "casi_workspace/admin/applications_inspect.html"
    list_display = ("organisation_name", "commune", "actor_type", "submitted_at", "status", "possible_duplicate")
    list_filter = ("status",)
    search_fields = ("organisation_name", "commune", "contact_email")
    ordering = ["pending_first", "submitted_at"]
    list_select_related = ["matching_organisation"]
    inspect_view_fields = [
        *(field for field in SUBMITTED_FIELDS if field != "consent"),
        "submitted_at",
        "status",
        "matching_organisation",
        "organisation",
        "decided_at",
        "decided_by",
        "decision_message",
    ]

    def get_queryset(self, request):
        pending_first = Case(
            When(status=ApplicationStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        queryset = MembershipApplication.objects.annotate(pending_first=pending_first)
        return queryset.order_by(*self.get_ordering(request))

    @display(description=_("Possible duplicate"))
    def possible_duplicate(self, obj: MembershipApplication) -> str | None:
        return obj.matching_organisation.title if obj.matching_organisation else None

    def inspect_view(self, request, instance_pk):
        return super().inspect_view(request, _numeric_pk(instance_pk))

    def edit_view(self, request, instance_pk):
        return super().edit_view(request, _numeric_pk(instance_pk))

    def delete_view(self, request, instance_pk):
        return super().delete_view(request, _numeric_pk(instance_pk))

    def decision_view(self, request, instance_pk, *, view_class):
        return view_class.as_view(model_admin=self, instance_pk=instance_pk)(request)

    def get_admin_urls_for_registration(self):
        """modeladmin's URLs, plus approve/ and reject/ whose ids can only be digits; refusals are 403s."""
        decisions = [
            re_path(
                rf"^{self.url_helper.base_url_path}/{view_class.action}/(?P<instance_pk>\d{{1,18}})/$",
                self.decision_view,
                {"view_class": view_class},
                name=self.url_helper.get_action_url_name(view_class.action),
            )
            for view_class in (ApplicationApproveView, ApplicationRejectView)
        ]
        return tuple(decorate_urlpatterns([*super().get_admin_urls_for_registration(), *decisions], answer_403))
