"""Working groups: people from several organisations sharing documents and minutes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ..pagination import paginate
from .sections import IntroPageMixin


class WorkingGroupVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")
    SECRET = "secret", _("Secret")


class WorkingGroupIndexPageMixin(IntroPageMixin):
    class Meta:
        abstract = True

    def working_groups(self):
        return (
            WorkingGroupPage.objects.child_of(self)
            .live()
            .public()
            .exclude(visibility=WorkingGroupVisibility.SECRET)
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["working_groups"] = paginate(request, self.working_groups())
        return context


class WorkingGroupIndexPage(WorkingGroupIndexPageMixin, Page):
    template = "casi_workspace/pages/working_group_index_page.html"
    subpage_types = ["casi_workspace.WorkingGroupPage"]
    max_count = 1

    class Meta:
        verbose_name = _("working groups index")
        verbose_name_plural = _("working groups indexes")


class WorkingGroupPageMixin(models.Model):
    purpose = RichTextField(_("purpose"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=WorkingGroupVisibility.choices, default=WorkingGroupVisibility.PUBLIC
    )

    content_panels = [FieldPanel("title"), FieldPanel("purpose"), FieldPanel("visibility")]
    search_fields = [index.SearchField("purpose"), index.FilterField("visibility")]

    class Meta:
        abstract = True


class WorkingGroupPage(WorkingGroupPageMixin, Page):
    template = "casi_workspace/pages/working_group_page.html"
    parent_page_types = ["casi_workspace.WorkingGroupIndexPage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + WorkingGroupPageMixin.search_fields

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
