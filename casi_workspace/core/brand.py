"""The network's identity as the templates read it: one cached `Brand` per site, and the theme's stylesheet.

`brand_for_request` costs no query once cached: the `Brand` is kept under the anonymous page cache's
generation, which every change the public sees moves on (a page published, moved or deleted, the identity
saved), so a legal page's address or the logo never outlive their change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.models import Site

from casi_workspace.core.colours import WHITE, darken_until, mix
from casi_workspace.core.models import DEFAULT_ACCENT_COLOUR, DEFAULT_PRIMARY_COLOUR, SiteBrand
from casi_workspace.core.page_cache import GENERATION_KEY

BRAND_KEY = "casi:brand:{generation}:{site}"
BRAND_SECONDS = 60 * 60
SURFACE = "#f4f6f8"  # the light grey of cards and panels: casi.css's --casi-surface

# (field, accessible name): the footer's links, in this order.
SOCIAL_LINKS = (
    ("website_url", _("Website")),
    ("mastodon_url", _("Mastodon")),
    ("linkedin_url", _("LinkedIn")),
    ("facebook_url", _("Facebook")),
    ("instagram_url", _("Instagram")),
    ("youtube_url", _("YouTube")),
)


@dataclass(frozen=True)
class Image:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class SocialLink:
    key: str
    label: str  # translated when shown: the cached brand serves every language
    url: str


@dataclass(frozen=True)
class Brand:
    name: str
    tagline: str = ""
    logo: Image | None = None
    logo_alt: str = ""
    icon: Image | None = None
    touch_icon: Image | None = None
    contact_email: str = ""
    phone: str = ""
    postal_address: str = ""
    social_links: tuple[SocialLink, ...] = ()
    legal_notice_url: str = ""
    privacy_url: str = ""
    primary_colour: str = DEFAULT_PRIMARY_COLOUR
    accent_colour: str = DEFAULT_ACCENT_COLOUR
    theme_version: str = ""  # empty: the default palette, casi.css alone
    contact: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "contact", bool(self.contact_email or self.phone or self.postal_address))


def _rendition(image, spec: str) -> Image | None:
    try:
        rendition = image.get_rendition(spec)
    except (OSError, InvalidFilterSpecError):  # a missing or unreadable file: the header shows the name
        return None
    return Image(url=rendition.url, width=rendition.width, height=rendition.height)


def _page_url(page, request: HttpRequest | None) -> str:
    if page is None or not page.live:
        return ""
    return page.get_url(request) or ""


def theme_version(primary: str, accent: str) -> str:
    if (primary, accent) == (DEFAULT_PRIMARY_COLOUR, DEFAULT_ACCENT_COLOUR):
        return ""
    return hashlib.sha256(f"{primary}{accent}".encode()).hexdigest()[:12]


def brand_from_setting(setting: SiteBrand | None, site: Site | None, request: HttpRequest | None = None) -> Brand:
    name = (setting.network_name if setting else "") or (site.site_name if site else "") or "CASI"
    if setting is None:
        return Brand(name=name)
    logo = setting.logo
    primary = (setting.primary_colour or DEFAULT_PRIMARY_COLOUR).lower()
    accent = (setting.accent_colour or DEFAULT_ACCENT_COLOUR).lower()
    return Brand(
        name=name,
        tagline=setting.tagline,
        logo=_rendition(logo, "height-96") if logo else None,
        logo_alt=name,
        icon=_rendition(logo, "max-64x64") if logo else None,
        touch_icon=_rendition(logo, "max-180x180") if logo else None,
        contact_email=setting.contact_email,
        phone=setting.phone,
        postal_address=setting.postal_address,
        social_links=tuple(
            SocialLink(key=name.removesuffix("_url"), label=label, url=getattr(setting, name))
            for name, label in SOCIAL_LINKS
            if getattr(setting, name)
        ),
        legal_notice_url=_page_url(setting.legal_notice_page, request),
        privacy_url=_page_url(setting.privacy_page, request),
        primary_colour=primary,
        accent_colour=accent,
        theme_version=theme_version(primary, accent),
    )


def brand_for_request(request: HttpRequest | None) -> Brand:
    """The site's identity, remembered on the request and, per site, in the cache (no query once warm)."""
    if request is None:
        return Brand(name="CASI")
    if hasattr(request, "_casi_brand"):
        return request._casi_brand
    site = Site.find_for_request(request)
    generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    key = BRAND_KEY.format(generation=generation, site=site.pk if site else 0)
    brand = cache.get(key)
    if brand is None:
        setting = SiteBrand.base_queryset().filter(site=site).first() if site else None
        brand = brand_from_setting(setting, site, request)
        cache.set(key, brand, BRAND_SECONDS)
    request._casi_brand = brand
    return brand


def theme_css(brand: Brand) -> str:
    """The brand's colours as the custom properties casi.css reads; every shade keeps its text readable."""
    primary, accent = brand.primary_colour, brand.accent_colour
    properties = {
        "--casi-brand": primary,
        "--casi-brand-dark": darken_until(mix(primary, "#000000", 0.3), WHITE, 9),
        "--casi-brand-tint": mix(primary, WHITE, 0.9),
        "--casi-link": darken_until(primary, SURFACE),
        "--casi-highlight": accent,
        "--casi-highlight-text": darken_until(accent, SURFACE),
        "--casi-highlight-light": mix(accent, WHITE, 0.5),
    }
    lines = "".join(f"    {name}: {value};\n" for name, value in properties.items())
    return f"/* {brand.name}: colours chosen in Settings. */\n:root {{\n{lines}}}\n"


def brand_for_page(page) -> Brand:
    """The brand of the site a page belongs to (the default site's when it has none), outside a request: the
    printed programme and the badges."""
    site = page.get_site() or Site.objects.filter(is_default_site=True).first()
    setting = SiteBrand.base_queryset().filter(site=site).first() if site else None
    return brand_from_setting(setting, site)
