from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

from casi_workspace.conf import get_setting
from casi_workspace.core.brand import Brand, brand_for_request
from casi_workspace.core.breadcrumbs import breadcrumbs_for
from casi_workspace.core.people import person_public_name
from casi_workspace.core.visibility import pages_exclude_private

register = template.Library()


@register.inclusion_tag("casi_workspace/includes/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """The site root's live children shown in menus: one query, whatever the page."""
    request: HttpRequest | None = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        menu = pages_exclude_private(site.root_page.get_children().live().in_menu())
        items = list(menu.only("id", "title", "url_path", "path"))
    current_path = getattr(context.get("page"), "path", "") or ""
    for item in items:
        # The page itself, or the section it belongs to (an ancestor in the tree).
        item.menu_current = (
            "page" if item.path == current_path else "true" if current_path.startswith(item.path) else ""
        )
    return {"request": request, "items": items}


@register.simple_tag(takes_context=True)
def page_query(context, number: int, param: str = "page") -> str:
    """The current query string with `page` (or `param`) replaced, so filters survive pagination."""
    query = context["request"].GET.copy()
    query[param or "page"] = number
    return query.urlencode()


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> str:
    """A schema.org JSON-LD block; <, > and & are escaped so that no value can close the script."""
    payload = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.filter
def percent_of(value: int, total: int) -> int:
    return round(100 * value / total) if total else 0


@register.filter
def person_name(user) -> str:
    """`{{ membership.user|person_name }}`: the name a person chose to show (see `core.people`)."""
    return person_public_name(user)


@register.simple_tag
def search_parameter() -> str:
    """The name the header's search box gives its words (CASI_WORKSPACE_SEARCH_PARAMETER)."""
    return get_setting("SEARCH_PARAMETER")


@register.simple_tag(takes_context=True)
def site_brand(context) -> Brand:
    """`{% site_brand as brand %}`: the network's name, logo, colours, contact details and legal pages."""
    return brand_for_request(context.get("request"))


@register.inclusion_tag("casi_workspace/includes/breadcrumbs.html", takes_context=True)
def site_breadcrumbs(context) -> dict:
    """The trail from the home page to the current page: its public, live ancestors (`core/breadcrumbs.py`)."""
    return {"crumbs": breadcrumbs_for(context.get("page"), context.get("request"))}
