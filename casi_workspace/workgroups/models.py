"""Working groups: people from several organisations sharing documents and minutes.

A group's private space is a page subtree: folders (`DocumentFolderPage`, nestable), shared documents
(`SharedDocumentPage`, whose file is a Wagtail document in the group's private collection) and minutes
(`MinutesPage`). Privacy, versions (revisions), search, the audit log and locking are Wagtail's own; the
provisioning puts the view restrictions in place (provisioning.py). `WorkingGroupWorkspace` is what it
created for a group, kept beside the page, out of its revisions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page
from wagtail.search import index

from casi_workspace.core.editor_tabs import EditorTabsMixin, search_panels
from casi_workspace.core.models import IntroPageMixin, LiveOnlyFieldsMixin
from casi_workspace.core.page_routes import page_views


class WorkingGroupVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")
    SECRET = "secret", _("Secret")


class WorkingGroupJoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone signed in may join")
    REQUEST = "request", _("On request, approved by the group's coordinators")
    INVITATION = "invitation", _("By invitation only")


class WorkingGroupIndexPageMixin(EditorTabsMixin, IntroPageMixin):
    """The list itself is built by the view layer, which knows who is asking."""

    promote_panels = search_panels(main_menu=True)

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_views().working_group_index_context(request, self))
        return context


class WorkingGroupIndexPage(WorkingGroupIndexPageMixin, Page):
    template = "casi_workspace/pages/working_group_index_page.html"
    subpage_types = ["casi_workspace.WorkingGroupPage"]
    max_count = 1

    class Meta:
        verbose_name = _("working groups index")
        verbose_name_plural = _("working groups indexes")


class WorkingGroupPageMixin(EditorTabsMixin, LiveOnlyFieldsMixin, models.Model):
    """The organisation in charge publishes what the group publishes, at once when it is trusted: only the
    network's coordinators choose it, and it lives on the live record only (`LiveOnlyFieldsMixin`)."""

    live_only_fields = ("organisation",)

    purpose = RichTextField(_("purpose"), blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=WorkingGroupVisibility.choices,
        default=WorkingGroupVisibility.PUBLIC,
        help_text=_(
            "Public: everybody sees the group and its members. Members only: everybody sees the group, only "
            "members see who is in it. Secret: only members know it exists. Documents and minutes are always "
            "for members only."
        ),
    )
    join_policy = models.CharField(
        _("how to join"), max_length=16, choices=WorkingGroupJoinPolicy.choices, default=WorkingGroupJoinPolicy.REQUEST
    )
    members_manage_folders = models.BooleanField(
        _("members manage folders"),
        default=False,
        help_text=_("Members may create, rename, move and delete folders, not only the group's coordinators."),
    )
    organisation = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("organisation in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Documents the group publishes to the network appear under this organisation's page, through "
            "moderation when it is not trusted. Empty: the network's own page."
        ),
    )
    member_organisations = ParentalManyToManyField(
        "casi_workspace.OrganisationPage",
        verbose_name=_("member organisations"),
        blank=True,
        related_name="working_groups",
        help_text=_("Every editor of these organisations is a member of the group."),
    )

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("purpose"),
        MultiFieldPanel(
            [FieldPanel("visibility"), FieldPanel("join_policy"), FieldPanel("members_manage_folders")],
            heading=_("Access"),
        ),
        FieldPanel("organisation", permission=LiveOnlyFieldsMixin.live_fields_permission),
        FieldPanel("member_organisations"),
    ]
    search_fields = [index.SearchField("purpose"), index.FilterField("visibility")]

    class Meta:
        abstract = True


class GroupPageContextMixin:
    """What a working group's pages show depends on who looks: the context comes from the view layer."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_views().group_page_context(request, self))
        return context


class WorkingGroupPage(GroupPageContextMixin, WorkingGroupPageMixin, Page):
    template = "casi_workspace/pages/working_group_page.html"
    parent_page_types = ["casi_workspace.WorkingGroupIndexPage"]
    subpage_types = [
        "casi_workspace.DocumentFolderPage",
        "casi_workspace.SharedDocumentPage",
        "casi_workspace.MinutesPage",
    ]
    search_fields = Page.search_fields + WorkingGroupPageMixin.search_fields
    # The view restrictions are the provisioning's: set from the group's visibility, not by hand.
    private_page_options: list[str] = []

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")


class GroupContentMixin(EditorTabsMixin, GroupPageContextMixin):
    """Folders, documents and minutes: inside a group's subtree, private like it (search engines never see them)."""

    private_page_options: list[str] = []
    promote_panels = search_panels(search_engines=False)

    def working_group(self) -> WorkingGroupPage | None:
        return WorkingGroupPage.objects.ancestor_of(self).first()


class DocumentFolderPage(GroupContentMixin, Page):
    description = models.TextField(_("description"), blank=True)

    template = "casi_workspace/pages/document_folder_page.html"
    parent_page_types = ["casi_workspace.WorkingGroupPage", "casi_workspace.DocumentFolderPage"]
    subpage_types = ["casi_workspace.DocumentFolderPage", "casi_workspace.SharedDocumentPage"]
    content_panels = [TitleFieldPanel("title"), FieldPanel("description")]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")


class SharedDocumentTag(TaggedItemBase):
    content_object = ParentalKey(
        "casi_workspace.SharedDocumentPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class SharedDocumentPage(GroupContentMixin, Page):
    """One shared file. Each revision keeps its own document, so restoring a revision restores the file."""

    description = models.TextField(_("description"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=SharedDocumentTag, blank=True, verbose_name=_("tags"))

    template = "casi_workspace/pages/shared_document_page.html"
    parent_page_types = ["casi_workspace.WorkingGroupPage", "casi_workspace.DocumentFolderPage"]
    subpage_types: list[str] = []
    content_panels = [TitleFieldPanel("title"), FieldPanel("description"), FieldPanel("document"), FieldPanel("tags")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("shared document")
        verbose_name_plural = _("shared documents")


class MinutesPage(GroupContentMixin, Page):
    meeting_date = models.DateField(_("meeting date"))
    attendees = models.TextField(_("attendees"), blank=True)
    body = RichTextField(_("minutes"))

    template = "casi_workspace/pages/minutes_page.html"
    parent_page_types = ["casi_workspace.WorkingGroupPage"]
    subpage_types: list[str] = []
    content_panels = [TitleFieldPanel("title"), FieldPanel("meeting_date"), FieldPanel("attendees"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body"), index.SearchField("attendees")]

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")


class WorkingGroupRole(models.TextChoices):
    MEMBER = "member", _("Member")
    COORDINATOR = "coordinator", _("Coordinator")


class WorkingGroupMembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Member")
    REQUESTED = "requested", _("Request waiting")
    INVITED = "invited", _("Invited")


class WorkingGroupNotifications(models.TextChoices):
    EACH = "each", _("An email for each new document or minutes")
    DIGEST = "digest", _("A daily digest")
    NONE = "none", _("No email")


class WorkingGroupMembership(models.Model):
    """A person's place in a working group; the services keep the group's Django groups in step with it."""

    working_group = models.ForeignKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_group_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=WorkingGroupRole.choices, default=WorkingGroupRole.MEMBER)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=WorkingGroupMembershipStatus.choices,
        default=WorkingGroupMembershipStatus.ACTIVE,
    )
    notifications = models.CharField(
        _("notifications"),
        max_length=16,
        choices=WorkingGroupNotifications.choices,
        default=WorkingGroupNotifications.EACH,
    )
    message = models.TextField(_("message"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    digest_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("working group membership")
        verbose_name_plural = _("working group memberships")
        constraints = [
            models.UniqueConstraint(fields=["working_group", "user"], name="casi_working_group_membership_unique")
        ]
        indexes = [models.Index(fields=["working_group", "status", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.working_group}"

    @property
    def is_active(self) -> bool:
        return self.status == WorkingGroupMembershipStatus.ACTIVE

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.role == WorkingGroupRole.COORDINATOR


class WorkingGroupWorkspace(models.Model):
    working_group = models.OneToOneField(
        "casi_workspace.WorkingGroupPage", on_delete=models.CASCADE, related_name="workspace"
    )
    members_group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="working_group_workspace")
    coordinators_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="working_group_coordination"
    )
    collection = models.OneToOneField(
        Collection, null=True, blank=True, on_delete=models.PROTECT, related_name="working_group_workspace"
    )

    class Meta:
        verbose_name = _("working group workspace")
        verbose_name_plural = _("working group workspaces")

    def __str__(self) -> str:
        return str(self.working_group)
