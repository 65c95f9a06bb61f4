"""Page fields that grant rights live on the live record only, never in a revision.

Wagtail rebuilds a page from a revision's JSON whenever a revision is reverted to, previewed, submitted,
approved or published (`Revision.as_object()` → `Page.with_content_json()`). A fact such as "trusted", set
by a coordinator and later withdrawn, would come back with any old revision an editor reverts to and submits:
the approver sees a text comparison, the page regains its rights. So these fields are left out of every
revision's content, and every page rebuilt from a revision takes them from the live record, as Wagtail
itself does for `locked`, `owner` or `live`. Coordinators change them through
`services.live_fields.page_live_fields_change`, which writes the live record, logs the change in the page's
history and re-provisions the rights.
"""

# The network's section pages: publication indexes, membership and newsletter landing pages.
#
# Later capabilities fill them (aggregated publications, the membership form, the subscription form);
# the pages, their types and slugs exist from the start so that the site's address plan never changes.
#

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField


class LiveOnlyFieldsMixin(models.Model):
    """Page types list their rights-granting fields in `live_only_fields`; only holders of
    `live_fields_permission` see them in the edit form (`admin_forms.LiveFieldsPageForm`)."""

    live_only_fields: ClassVar[tuple[str, ...]] = ()
    live_fields_permission: ClassVar[str] = "casi_workspace.change_organisation_membership"

    class Meta:
        abstract = True

    def serializable_data(self) -> dict[str, Any]:
        data = super().serializable_data()
        for name in self.live_only_fields:
            data.pop(name, None)
        return data

    def with_content_json(self, content: dict[str, Any]):
        page = super().with_content_json(content)
        for name in self.live_only_fields:
            attname = self._meta.get_field(name).attname
            setattr(page, attname, getattr(self, attname))
        return page


class IntroPageMixin(models.Model):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [FieldPanel("title"), FieldPanel("intro")]

    class Meta:
        abstract = True
