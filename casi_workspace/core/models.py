"""Abstract models the domains' page types share.

`LiveOnlyFieldsMixin`: page fields that grant rights live on the live record only, never in a revision.
`IntroPageMixin`: a section page's introduction.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, TitleFieldPanel
from wagtail.fields import RichTextField


class LiveOnlyFieldsMixin(models.Model):
    """Page types list their rights-granting fields in `live_only_fields`; only holders of
    `live_fields_permission` see them in the edit form (`workspaces.forms.LiveFieldsPageForm`)."""

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

    content_panels = [TitleFieldPanel("title"), FieldPanel("intro")]

    class Meta:
        abstract = True
