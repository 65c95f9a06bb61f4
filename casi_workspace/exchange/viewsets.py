"""The coordinators' screens of partner networks: the sources followed, and the items received (to hide one).

Items are copies of what partners published: here they are only read, and hidden or shown again; the sources
are added, changed and removed by the network's coordinators (group permissions, see core/rights.py).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from casi_workspace.core.untrusted import clean_url
from casi_workspace.exchange.models import PartnerItem, PartnerSource
from casi_workspace.exchange.selectors import DATASETS


class PartnerSourceForm(WagtailAdminModelForm):
    datasets = forms.MultipleChoiceField(
        label=_("datasets to import"),
        choices=[(slug, dataset.title) for slug, dataset in DATASETS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For another site of this product: the datasets to import; none ticked for all of them."),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not clean_url(url):
            raise forms.ValidationError(_("Give an http or https address."))
        return url


class PartnerSourceViewSet(SnippetViewSet):
    model = PartnerSource
    icon = "site"
    menu_label = _("Partner sources")
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
    model = PartnerItem
    icon = "doc-full"
    menu_label = _("Partner items")
    list_display = ["title", "source", "kind", "start", "modified_at", "withdrawn_at", "hidden"]
    list_filter = ["source", "kind", "hidden"]
    search_fields = ["title", "organisation_name"]
    ordering = ["-received_at"]
    inspect_view_enabled = True
    edit_handler = ObjectList([FieldPanel("hidden")])


class PartnerNetworksGroup(SnippetViewSetGroup):
    items = (PartnerSourceViewSet, PartnerItemViewSet)
    menu_icon = "site"
    menu_label = _("Partner networks")
    menu_name = "casi-partner-networks"
    menu_order = 98
