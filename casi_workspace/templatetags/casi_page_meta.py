"""`{% page_meta %}`: the description, canonical link and Open Graph tags of the page being shown."""

from __future__ import annotations

from django import template

from casi_workspace.core.page_meta import page_meta as build_page_meta

register = template.Library()


@register.inclusion_tag("casi_workspace/includes/page_meta_tags.html", takes_context=True)
def page_meta(context) -> dict:
    """Views without a Wagtail page may set `meta_title` and `meta_description` in their context."""
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    if page is not None and not hasattr(page, "get_full_url"):
        page = None  # a paginator's page, not a Wagtail page
    site_name = getattr(context.get("current_site"), "site_name", "") or ""
    meta = build_page_meta(
        request,
        page,
        title=context.get("meta_title", ""),
        description=context.get("meta_description", ""),
        site_name=site_name,
    )
    return {"meta": meta, "site_name": site_name}
