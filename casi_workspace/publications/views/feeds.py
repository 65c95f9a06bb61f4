"""RSS and Atom feeds, and iCalendar files of the agenda.

Every feed starts from `publications_public` (live, public, not expired) and is built from two queries
(the items with their organisation, and their tags), whatever the number of items: links are computed
from the site's root paths, which Wagtail caches on the request.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Site

from casi_workspace.publications.models.publications import (
    PUBLICATION_MODELS,
    EventPage,
    PublicationPage,
    PublicationTag,
)
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.publications.selectors.listings import DATED_KINDS, publications_open, publications_public

FEED_SIZE = 30
FEED_CLASSES: dict[str, type[SyndicationFeed]] = {"rss": Rss201rev2Feed, "atom": Atom1Feed}
# How far back the agenda's calendar reaches, so that a subscribed calendar keeps last month's events.
ICAL_PAST_DAYS = 30
# At most this many events (the soonest): serialising a calendar costs about half a millisecond per event.
ICAL_MAX_EVENTS = 500
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _host(request: HttpRequest | None, site: Site | None = None) -> str:
    """The site's configured host name: stable identifiers whatever address the request came through."""
    site = site or Site.find_for_request(request)
    if site and site.hostname:
        return site.hostname
    domain, _port = split_domain_port(request.get_host()) if request is not None else ("", "")
    return domain or "localhost"


def site_name(request: HttpRequest | None, site: Site | None = None) -> str:
    site = site or Site.find_for_request(request)
    return (site.site_name if site else "") or _host(request, site)


def _current(queryset: QuerySet, kind: str) -> QuerySet:
    """What a feed of this kind lists: coming events and trainings by start, else open items, newest first.

    Closed calls and offers leave feeds as they leave listings (`publications_open`); a feed keeps the
    newest items rather than the listing's closing-soonest order, so that a reader learns of new calls.
    """
    queryset = publications_open(queryset, kind)
    if kind in DATED_KINDS:
        now = timezone.now()
        return queryset.filter(Q(end__gte=now) | Q(end__isnull=True, start__gte=now)).order_by("start", "pk")
    return _latest(queryset)


def _latest(queryset: QuerySet) -> QuerySet:
    return queryset.order_by("-first_published_at", "-pk")


def with_tag_names(items: Iterable[PublicationPage]) -> list[PublicationPage]:
    """The items, each with `feed_tags` (its tag names), from one query for them all.

    Cheaper than `prefetch_related("tags")`, whose manager still builds a queryset per item.
    """
    items = list(items)
    names: dict[int, list[str]] = {item.pk: [] for item in items}
    if items:
        rows = (
            PublicationTag.objects.filter(content_object_id__in=list(names))
            .order_by("pk")
            .values_list("content_object_id", "tag__name")
        )
        for pk, name in rows:
            names[pk].append(name)
    for item in items:
        item.feed_tags = names[item.pk]
    return items


def _unique_id(item: PublicationPage, host: str) -> str:
    """A tag URI (RFC 4151) that survives a change of title or slug."""
    published = item.first_published_at or item.latest_revision_created_at or timezone.now()
    return f"tag:{host},{published:%Y-%m-%d}:publication-{item.pk}"


def _feed(
    request: HttpRequest,
    fmt: str,
    *,
    title: str,
    link: str,
    feed_url: str,
    description: str,
    items: Iterable[PublicationPage],
) -> HttpResponse:
    feed_class = FEED_CLASSES.get(fmt)
    if feed_class is None:
        raise Http404
    host = _host(request)
    feed = feed_class(
        title=title,
        link=link,
        description=description,
        language=translation.get_language() or "fr",
        feed_url=feed_url,
    )
    for item in items:
        organisation = item.organisation
        feed.add_item(
            title=item.title,
            link=item.get_full_url(request) or "",
            description=item.summary,
            pubdate=item.listing_date,
            updateddate=item.last_published_at,
            unique_id=_unique_id(item, host),
            unique_id_is_permalink=False,
            author_name=organisation.title if organisation else None,
            categories=item.feed_tags,
        )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response


def page_feed(
    page: RoutablePageMixin, request: HttpRequest, fmt: str, *, description: str, items: Iterable[PublicationPage]
) -> HttpResponse:
    """The feed of a routable page (an index or an organisation), served at its `feed` subpage route."""
    link = page.get_full_url(request) or request.build_absolute_uri(page.url_path)
    return _feed(
        request,
        fmt,
        title=f"{page.title} — {site_name(request)}",
        link=link,
        feed_url=link + page.reverse_subpage("feed", kwargs={"fmt": fmt}),
        description=description,
        items=items,
    )


def index_feed(index, request: HttpRequest, fmt: str) -> HttpResponse:
    """The latest (or coming, or open) items of the index's kind, from every organisation."""
    if fmt not in FEED_CLASSES:
        raise Http404
    model = PUBLICATION_MODELS[index.kind]
    items = with_tag_names(_current(publications_public(model), index.kind)[:FEED_SIZE])
    description = html.unescape(strip_tags(index.search_description or index.intro or "")).strip() or index.title
    return page_feed(index, request, fmt, description=description, items=items)


def organisation_feed(organisation, request: HttpRequest, fmt: str) -> HttpResponse:
    """Everything one organisation published, every kind together, latest first (closed calls and offers left out)."""
    if fmt not in FEED_CLASSES:
        raise Http404
    items = with_tag_names(_current(publications_public().filter(organisation=organisation), "")[:FEED_SIZE])
    description = _("Publications of %(organisation)s") % {"organisation": organisation.title}
    return page_feed(organisation, request, fmt, description=description, items=items)


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _location(event: EventPage) -> str:
    parts = [event.venue, event.address, event.commune]
    place = ", ".join(part.strip() for part in parts if part and part.strip())
    return place or event.online_url


def _vevent(event: EventPage, request: HttpRequest | None, host: str, stamp: datetime.datetime) -> Event:
    vevent = Event()
    vevent.add("uid", f"event-{event.pk}@{host}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _utc(event.start))
    if event.end:
        vevent.add("dtend", _utc(event.end))
    vevent.add("summary", event.title)
    url = event.get_full_url(request)
    description = "\n\n".join(filter(None, [event.summary, url]))
    if description:
        vevent.add("description", description)
    location = _location(event)
    if location:
        vevent.add("location", location)
    if url:
        vevent.add("url", url)
    if event.last_published_at:
        vevent.add("last-modified", _utc(event.last_published_at))
    categories = event.feed_tags
    if categories:
        vevent.add("categories", categories)
    return vevent


def calendar_body(
    name: str, events: Iterable[EventPage], request: HttpRequest | None, site: Site | None = None
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{site_name(request, site)}//casi_workspace//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    host = _host(request, site)
    stamp = _utc(timezone.now()).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, request, host, stamp))
    return calendar.to_ical()


def index_ical(index, request: HttpRequest) -> HttpResponse:
    """The agenda as a calendar to subscribe to: events of the last 30 days and coming ones (the 500 soonest)."""
    if index.kind != PublicationKind.EVENT:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=ICAL_PAST_DAYS)
    events = publications_public(EventPage).filter(Q(start__gte=since) | Q(end__gte=since)).order_by("start", "pk")
    events = events[:ICAL_MAX_EVENTS]
    body = calendar_body(f"{index.title} — {site_name(request)}", with_tag_names(events), request)
    response = HttpResponse(body, content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


def event_ical(event, request: HttpRequest) -> HttpResponse:
    """One event as an .ics file to add to a calendar."""
    if not event.live or (event.expire_at and event.expire_at <= timezone.now()):
        raise Http404
    body = calendar_body(event.title, with_tag_names([event]), request)
    response = HttpResponse(body, content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{event.slug}.ics")
    return response


def event_calendar(event: EventPage) -> bytes:
    """One event's calendar file outside a request (an email's attachment), named after the event's site.

    The same VEVENT as the event page's "calendrier/" file: its UID is stable, so that a calendar that
    received both keeps one entry.
    """
    return calendar_body(event.title, with_tag_names([event]), None, event.get_site())
