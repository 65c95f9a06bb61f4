"""What the exchange format publishes: its datasets, one page of a dataset's items, and what was withdrawn.

A partner fetches only what changed: items come ordered by their last publication and then by id, and the
next page starts after the last item seen (a cursor), so that items published while a partner pages through
are neither skipped nor repeated. Items taken off the public site are listed apart, from Wagtail's own log
of unpublished and deleted pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page, PageLogEntry

from casi_workspace.core.errors import CasiError
from casi_workspace.core.visibility import pages_public
from casi_workspace.exchange.models import PartnerItem, PartnerItemKind
from casi_workspace.organisations.models import DirectoryPage, OrganisationPage
from casi_workspace.organisations.selectors import organisations_public
from casi_workspace.publications.models.publications import (
    CallForProjectsPage,
    EventPage,
    OfferPage,
    ResourcePage,
    TrainingPage,
)
from casi_workspace.publications.models.sections import PublicationIndexPage, PublicationKind
from casi_workspace.publications.selectors.listings import publications_public

FORMAT_VERSION = "1"
PAGE_SIZE = 100
# At most this many withdrawn items are listed, the most recent first: a partner that stayed away longer
# fetches the whole dataset again (without `modifie_depuis`) and withdraws what is no longer in it.
MAX_WITHDRAWN = 1000
WITHDRAWING_ACTIONS = ("wagtail.unpublish", "wagtail.unpublish.scheduled", "wagtail.delete")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
ONE_MICROSECOND = datetime.timedelta(microseconds=1)


class ExchangeQueryError(CasiError):
    """A malformed parameter of an exchange request; the message says which and what is expected."""


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    model: type[Page]

    def public(self) -> QuerySet:
        """The dataset's items a visitor may see, with what their description reads, in one query."""
        if self.model is OrganisationPage:
            return organisations_public().select_related("parent_collective").prefetch_related("sectors")
        return publications_public(self.model)


DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            "evenements",
            gettext_lazy("Events"),
            gettext_lazy("The agenda of the network and its members (schema.org Event)."),
            EventPage,
        ),
        Dataset(
            "appels-a-projets",
            gettext_lazy("Calls for projects"),
            gettext_lazy("Calls for projects relayed by the network (schema.org CreativeWork)."),
            CallForProjectsPage,
        ),
        Dataset(
            "formations",
            gettext_lazy("Trainings"),
            gettext_lazy("Trainings offered by the network and its members (schema.org Event)."),
            TrainingPage,
        ),
        Dataset(
            "offres",
            gettext_lazy("Jobs and volunteering offers"),
            gettext_lazy("Jobs, internships and volunteering offers (schema.org JobPosting)."),
            OfferPage,
        ),
        Dataset(
            "ressources",
            gettext_lazy("Resources"),
            gettext_lazy("Guides, analyses and position papers (schema.org CreativeWork)."),
            ResourcePage,
        ),
        Dataset(
            "annuaire",
            gettext_lazy("Directory of actors"),
            gettext_lazy(
                "The organisations of the directory, with their SIREN and RNA numbers (schema.org Organization)."
            ),
            OrganisationPage,
        ),
    )
}


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after this item, in the order of (last publication, id)."""

    modified: datetime.datetime
    pk: int

    def encode(self) -> str:
        return f"{(self.modified - EPOCH) // ONE_MICROSECOND}-{self.pk}"

    @classmethod
    def decode(cls, value: str) -> Cursor:
        stamp, _sep, pk = value.partition("-")
        if not (stamp.isascii() and stamp.isdigit() and pk.isascii() and pk.isdigit()) or len(value) > 40:
            raise ExchangeQueryError(_("The parameter “apres” is not valid: use the “next” link of the last page."))
        try:
            return cls(EPOCH + int(stamp) * ONE_MICROSECOND, int(pk))
        except OverflowError:
            raise ExchangeQueryError(
                _("The parameter “apres” is not valid: use the “next” link of the last page.")
            ) from None


def parse_size(value: str) -> int:
    """`taille`: items per page, from 1 to PAGE_SIZE (the default)."""
    if not value:
        return PAGE_SIZE
    if not (value.isascii() and value.isdigit() and len(value) <= 4 and 1 <= int(value) <= PAGE_SIZE):
        raise ExchangeQueryError(
            _("The parameter “taille” is not valid: give a number of items from 1 to %(max)s.") % {"max": PAGE_SIZE}
        )
    return int(value)


def parse_since(value: str) -> datetime.datetime | None:
    """`modifie_depuis`: a date (from its first moment) or a date and time, ISO 8601; empty: no filter."""
    value = value.strip()
    if not value:
        return None
    message = _(
        "The parameter “modifie_depuis” is not valid: give a date such as 2026-01-31 or 2026-01-31T08:00:00+01:00."
    )
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = None if day is None else datetime.datetime.combine(day, datetime.time())
    except ValueError:
        moment = None
    if moment is None or not 1900 <= moment.year <= 9000:
        raise ExchangeQueryError(message)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@dataclass(frozen=True)
class ItemsPage:
    items: list
    next_cursor: Cursor | None


def dataset_page(
    dataset: Dataset, *, since: datetime.datetime | None = None, after: Cursor | None = None, size: int = PAGE_SIZE
) -> ItemsPage:
    """One page of the dataset's public items, oldest change first."""
    queryset = dataset.public().filter(last_published_at__isnull=False)
    if since is not None:
        queryset = queryset.filter(last_published_at__gte=since)
    if after is not None:
        queryset = queryset.filter(
            Q(last_published_at__gt=after.modified) | Q(last_published_at=after.modified, pk__gt=after.pk)
        )
    rows = list(queryset.order_by("last_published_at", "pk")[: size + 1])
    if len(rows) <= size:
        return ItemsPage(rows, None)
    last = rows[size - 1]
    return ItemsPage(rows[:size], Cursor(last.last_published_at, last.pk))


def dataset_withdrawn(dataset: Dataset, since: datetime.datetime) -> list[dict]:
    """The dataset's items unpublished or deleted since `since` and not public now: `page_id` and `at`."""
    content_type = ContentType.objects.get_for_model(dataset.model)
    return list(
        PageLogEntry.objects.filter(content_type=content_type, action__in=WITHDRAWING_ACTIONS, timestamp__gte=since)
        .exclude(page_id__in=dataset.public().values("pk"))
        .values("page_id")
        .annotate(at=Max("timestamp"))
        .order_by("-at", "page_id")[:MAX_WITHDRAWN]
    )


def dataset_last_modified(dataset: Dataset) -> datetime.datetime | None:
    return dataset.public().aggregate(last=Max("last_published_at"))["last"]


# The publication indexes that also publish an iCalendar file.
CALENDAR_KINDS = frozenset({PublicationKind.EVENT})
FEED_DESCRIPTION = gettext_lazy("The latest items of this section, as a feed for feed readers.")
DIRECTORY_DESCRIPTION = gettext_lazy("The whole directory, as a spreadsheet or a JSON file.")


@dataclass(frozen=True)
class CatalogueSources:
    counts: dict[str, int]
    modified: dict[str, datetime.datetime | None]
    indexes: list[PublicationIndexPage]
    directories: list[DirectoryPage]


def catalogue_sources() -> CatalogueSources:
    """What the catalogue lists: each dataset's size and last change, the public publication indexes (their
    feeds) and directories (their exports). A fixed number of queries, whatever the size of the site.

    A dataset's last change is its latest publication or withdrawal: a partner asks the catalogue first, and
    fetches the datasets only when it changed (services.source_sync)."""
    counts, modified = {}, {}
    content_types = ContentType.objects.get_for_models(*(dataset.model for dataset in DATASETS.values()))
    withdrawals = dict(
        PageLogEntry.objects.filter(content_type__in=content_types.values(), action__in=WITHDRAWING_ACTIONS)
        .values("content_type")
        .annotate(last=Max("timestamp"))
        .values_list("content_type", "last")
    )
    for slug, dataset in DATASETS.items():
        figures = dataset.public().aggregate(count=Count("pk"), last=Max("last_published_at"))
        withdrawn = withdrawals.get(content_types[dataset.model].pk)
        counts[slug] = figures["count"]
        modified[slug] = max(filter(None, (figures["last"], withdrawn)), default=None)
    return CatalogueSources(
        counts=counts,
        modified=modified,
        indexes=list(pages_public(PublicationIndexPage.objects.live()).order_by("path")),
        directories=list(pages_public(DirectoryPage.objects.live()).order_by("path")),
    )


def partner_items_public(kind: str) -> QuerySet[PartnerItem]:
    """Partner items of `kind` the public sees: not withdrawn or hidden, of an active source not hidden, each once
    (an item received from two sources, recognised by its fingerprint, shows the first one received); events
    and trainings from today on, soonest first, the rest latest first."""
    shown = PartnerItem.objects.filter(
        kind=kind, withdrawn_at__isnull=True, hidden=False, source__active=True, source__hidden=False
    )
    if kind in (PartnerItemKind.EVENT, PartnerItemKind.TRAINING):
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        shown = shown.filter(Q(end__gte=today) | Q(end__isnull=True, start__gte=today))
    first_of_each = shown.values("fingerprint").annotate(first=Min("pk")).values("first")
    items = PartnerItem.objects.filter(pk__in=first_of_each).select_related("source")
    if kind in (PartnerItemKind.EVENT, PartnerItemKind.TRAINING):
        return items.order_by("start", "pk")
    return items.order_by("-modified_at", "-pk")
