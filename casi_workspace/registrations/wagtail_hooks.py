"""The registrations' admin wiring: an event's "Registrations" action, in the page listing's and the page
header's menus, for those who may see them (its organisers and the coordinators)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.access import may_manage_registrations

PRIORITY = 55  # after "Unpublish", before "History"


def _registrations_button(page, user):
    if page.specific_class is None or not issubclass(page.specific_class, EventPage):
        return
    if may_manage_registrations(user, page):
        url = reverse("casi_workspace:registrations_manage", args=[page.pk])
        yield Button(_("Registrations"), url=url, icon_name="group", priority=PRIORITY)


@hooks.register("register_page_listing_more_buttons")
def registrations_listing_button(page, user, next_url=None):
    yield from _registrations_button(page, user)


@hooks.register("register_page_header_buttons")
def registrations_header_button(page, user, view_name, next_url=None):
    yield from _registrations_button(page, user)
