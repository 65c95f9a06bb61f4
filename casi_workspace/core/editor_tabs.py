"""The page editor's tabs in a volunteer's words, for every page type of the plugin.

Wagtail builds a page type's editor from three panel lists (`content_panels`, `promote_panels`,
`settings_panels`) in tabs it names "Content", "Promote" and "Settings" ("Contenu", "Promotion",
"Paramètres" in French), and its promote tab shows its own fields with help written for web developers
("Méta-description", "http://domain.com/blog/[my-slug]/"). `EditorTabsMixin` gives a page type an
`edit_handler` built from the same lists, with tabs named "Contenu", "Référencement" and "Publication";
`search_panels()` is the "Référencement" tab, in plain words. Labels and help are the panels', not the
fields': no migration.
"""

from __future__ import annotations

from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface


class RegisteredPanels(ObjectList):
    """The panels that the functions registered for the Wagtail hook `hook_name` return (a list each), taken when
    the editor is built: a higher domain adds a panel to a lower one's page type without being imported by it
    (the support requests on an organisation's page). Hidden when none of them is shown."""

    def __init__(self, hook_name: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.hook_name = hook_name

    def clone_kwargs(self) -> dict:
        return super().clone_kwargs() | {"hook_name": self.hook_name}

    def on_model_bound(self) -> None:
        self.children = [panel for hook in hooks.get_hooks(self.hook_name) for panel in hook()]
        super().on_model_bound()


def search_panels(*, search_engines: bool = True, main_menu: bool = False) -> list:
    """The "Référencement" tab: the page's address and, for public pages, what search engines and link
    previews show; for a section of the site (a child of the site's root), whether the main menu lists it.
    """
    fields = [
        FieldPanel(
            "slug",
            heading=_("Address of the page"),
            help_text=_(
                "The end of the page's web address. It is written from the title as you type it, until the page "
                "is published; change it only if needed, without spaces."
            ),
        )
    ]
    if search_engines:
        fields += [
            FieldPanel(
                "seo_title",
                heading=_("Title shown by search engines"),
                help_text=_("Leave empty to use the page's title."),
            ),
            FieldPanel(
                "search_description",
                heading=_("Description shown by search engines"),
                help_text=_(
                    "One or two sentences shown under the title in search results and when the page is shared "
                    "on social networks. Leave empty to use the page's summary, introduction or description."
                ),
            ),
        ]
    panels: list = [MultiFieldPanel(fields, heading=_("Address and search engines"))]
    if main_menu:
        panels.append(
            FieldPanel(
                "show_in_menus",
                heading=_("Show in the site's main menu"),
                help_text=_("Tick to list this section in the menu at the top of every page of the site."),
            )
        )
    return panels


class EditorTabsMixin:
    """The page editor's tabs: "Contenu", "Référencement", "Publication" (`settings_heading`).

    As Wagtail's own, an empty panel list makes no tab; the form class stays the model's `base_form_class`.
    """

    promote_panels = search_panels()
    settings_heading = _("Publication")

    @classproperty
    def edit_handler(cls) -> TabbedInterface:
        tabs = [ObjectList(cls.content_panels, heading=_("Content"))]
        if cls.promote_panels:
            tabs.append(ObjectList(cls.promote_panels, heading=_("Search listing")))
        if cls.settings_panels:
            tabs.append(ObjectList(cls.settings_panels, heading=cls.settings_heading))
        return TabbedInterface(tabs)
