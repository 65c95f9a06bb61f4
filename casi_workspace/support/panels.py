"""The support requests of an organisation, shown in its page editor to those who see them on the desk.

The organisations domain does not know support: its page type's editor takes this panel through the
`casi_organisation_edit_panels` hook (core.editor_tabs.RegisteredPanels, wired in wagtail_hooks). The panel
asks `SupportAccess`, the desk's own rule: the network's coordinators see every request of the organisation,
a collective's coordinators those their collective is in charge of; the organisation's editors see nothing,
not even that the panel exists.
"""

from __future__ import annotations

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from casi_workspace.support.access import SupportAccess
from casi_workspace.support.selectors import support_request_list

MAX_SHOWN = 10


class OrganisationSupportPanel(Panel):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("heading", _("Support requests"))
        super().__init__(**kwargs)

    @property
    def clean_name(self) -> str:
        return "support_requests"

    class BoundPanel(Panel.BoundPanel):
        template_name = "casi_workspace/admin/organisation_support_panel.html"

        @cached_property
        def access(self) -> SupportAccess:
            return SupportAccess(self.request.user)

        def is_shown(self) -> bool:
            return bool(self.instance and self.instance.pk) and self.access.may_list

        def get_context_data(self, parent_context=None) -> dict:
            context = super().get_context_data(parent_context)
            requests = support_request_list(self.access.visible().filter(organisation_id=self.instance.pk))
            context["support_requests"] = list(requests.order_by("-created_at", "-pk")[:MAX_SHOWN])
            context["support_total"] = requests.count() if len(context["support_requests"]) == MAX_SHOWN else None
            return context
