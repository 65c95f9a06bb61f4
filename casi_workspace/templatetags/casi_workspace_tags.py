from __future__ import annotations

from django import template
from django.http import HttpRequest
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("casi_workspace/includes/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """The site root's live children shown in menus: one query, whatever the page."""
    request: HttpRequest | None = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        items = list(site.root_page.get_children().live().public().in_menu().only("id", "title", "url_path", "path"))
    return {"request": request, "items": items, "current": context.get("page")}


@register.simple_tag(takes_context=True)
def page_query(context, number: int) -> str:
    """The current query string with `page` replaced, so filters survive pagination."""
    query = context["request"].GET.copy()
    query["page"] = number
    return query.urlencode()
