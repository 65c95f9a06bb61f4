"""What the exchange format publishes: its datasets, one page of a dataset's items, and what was withdrawn.

A partner fetches only what changed: items come ordered by their last publication and then by id, and the
next page starts after the last item seen (a cursor), so that items published while a partner pages through
are neither skipped nor repeated. Items taken off the public site are listed apart, from Wagtail's own log
of unpublished and deleted pages.
"""

from __future__ import annotations

import datetime
import re
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
from casi_workspace.exchange.models import PartnerDuplicateDecision, PartnerItem, PartnerItemKind, normalised_text
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
    feeds) and directories (their exports). A fixed number of queries, whatever the size of the site."""
    counts, modified = {}, {}
    for slug, dataset in DATASETS.items():
        figures = dataset.public().aggregate(count=Count("pk"), last=Max("last_published_at"))
        counts[slug], modified[slug] = figures["count"], figures["last"]
    return CatalogueSources(
        counts=counts,
        modified=modified,
        indexes=list(pages_public(PublicationIndexPage.objects.live()).order_by("path")),
        directories=list(pages_public(DirectoryPage.objects.live()).order_by("path")),
    )


def partner_items_visible() -> QuerySet[PartnerItem]:
    """Partner items the public may see at all: not withdrawn or hidden, of an active source not hidden."""
    return PartnerItem.objects.filter(
        withdrawn_at__isnull=True, hidden=False, source__active=True, source__hidden=False
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


# --- Likely duplicates, for the coordinators' review ---------------------------------------------------------

# Our own publications that a partner item of each kind may duplicate, and the field holding their start.
OWN_MODELS: dict[str, tuple[type[Page], str | None]] = {
    PartnerItemKind.EVENT: (EventPage, "start"),
    PartnerItemKind.TRAINING: (TrainingPage, "start"),
    PartnerItemKind.CALL: (CallForProjectsPage, None),
    PartnerItemKind.OFFER: (OfferPage, None),
    PartnerItemKind.RESOURCE: (ResourcePage, None),
}
NEAR = datetime.timedelta(hours=24)
NOT_A_WORD = re.compile(r"[\W_]+")


def comparable(text: str) -> str:
    """The fingerprint's normalisation (`normalised_text`), every punctuation mark first made a space: the review
    also pairs “l’éducation” with “l'éducation”, which the fingerprint (kept stable for the fetches) tells apart."""
    return normalised_text(NOT_A_WORD.sub(" ", text))


@dataclass(frozen=True)
class Entry:
    """One side of a pair: a partner item, or one of our own publications (`item` None, `page_id` set)."""

    kind: str
    title: str
    start: datetime.datetime | None
    place: str
    item: PartnerItem | None = None
    page_id: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        return ("item", self.item.pk) if self.item is not None else ("page", self.page_id)


@dataclass(frozen=True)
class DuplicatePair:
    """`duplicate` is the partner item hidden if the coordinator says "the same item"; `kept` stays: our own
    publication, or the partner item received first (the one the public listings already show)."""

    duplicate: Entry
    kept: Entry


def _likely_same(a: Entry, b: Entry) -> bool:
    """THE RULE: two items of the same kind and the same normalised title (the caller groups them so) whose
    fingerprint could not decide, and that are likely the same:
    - both without a start (calls, offers, resources: the same title from two networks), or
    - starting less than 24 hours apart, and either on the same day (the place or the time differ: one network
      wrote the venue, the other the commune; one the opening, the other the welcome) or at the same place
      (one of the two places holds the other once normalised; the same evening written either side of midnight
      in another time zone).
    Items whose fingerprints are equal are not pairs: the public listings already show them once."""
    both_partner = a.item is not None and b.item is not None
    if both_partner and (a.item.source_id == b.item.source_id or a.item.fingerprint == b.item.fingerprint):
        return False
    if a.start is None or b.start is None:
        return a.start is None and b.start is None
    if abs(a.start - b.start) >= NEAR:
        return False
    if timezone.localdate(a.start) == timezone.localdate(b.start):
        return True
    place_a, place_b = comparable(a.place), comparable(b.place)
    return bool(place_a and place_b) and (place_a in place_b or place_b in place_a)


def _partner_entries(today: datetime.datetime) -> list[Entry]:
    shown = partner_items_visible().exclude(kind=PartnerItemKind.ORGANISATION)
    scheduled = Q(kind__in=(PartnerItemKind.EVENT, PartnerItemKind.TRAINING))
    shown = shown.exclude(scheduled & ~(Q(end__gte=today) | Q(end__isnull=True, start__gte=today)))
    return [
        Entry(item.kind, item.title, item.start, item.place, item=item)
        for item in shown.select_related("source").order_by("pk")
    ]


def _own_entries(kinds: set[str], titles: set[str], today: datetime.datetime) -> list[Entry]:
    """Our own public publications of `kinds` whose normalised title is among `titles`: one query per kind."""
    entries = []
    for kind in kinds & OWN_MODELS.keys():
        model, start_field = OWN_MODELS[kind]
        queryset = publications_public(model)
        fields = ["pk", "title"]
        if start_field:
            queryset = queryset.filter(**{f"{start_field}__gte": today - NEAR})
            fields += [start_field, "venue", "commune"]
        for row in queryset.values(*fields):
            if comparable(row["title"]) not in titles:
                continue
            place = " ".join(filter(None, (row.get("venue"), row.get("commune"))))
            entries.append(
                Entry(kind, row["title"], row.get(start_field) if start_field else None, place, page_id=row["pk"])
            )
    return entries


def partner_duplicate_candidates() -> list[DuplicatePair]:
    """The likely duplicates coordinators have not decided on yet, soonest first (see `_likely_same`).

    Computed when asked (the review list, or after a sync to count them): at most 2 + the number of kinds
    queries, whatever the number of items; the pairing itself runs on items grouped by kind and title and
    sorted by start, each compared only with those starting less than 24 hours later."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    partner = _partner_entries(today)
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in partner:
        groups.setdefault((entry.kind, comparable(entry.title)), []).append(entry)
    for entry in _own_entries({kind for kind, _title in groups}, {title for _kind, title in groups}, today):
        key = (entry.kind, comparable(entry.title))
        if key in groups:
            groups[key].append(entry)
    decided = {
        (item_id, ("item", other_item) if other_item else ("page", other_page))
        for item_id, other_item, other_page in PartnerDuplicateDecision.objects.values_list(
            "item_id", "other_item_id", "other_page_id"
        )
    }
    pairs = []
    for entries in groups.values():
        if len(entries) < 2:
            continue
        entries.sort(key=lambda entry: (entry.start is not None, entry.start or EPOCH))
        for index, first in enumerate(entries):
            for second in entries[index + 1 :]:
                if first.start is not None and second.start - first.start >= NEAR:
                    break
                if (first.item is None and second.item is None) or not _likely_same(first, second):
                    continue
                duplicate, kept = _ordered(first, second)
                if (duplicate.item.pk, kept.key) not in decided:
                    pairs.append(DuplicatePair(duplicate, kept))
    pairs.sort(key=lambda pair: (pair.duplicate.start is None, pair.duplicate.start or EPOCH, pair.duplicate.item.pk))
    return pairs


def _ordered(first: Entry, second: Entry) -> tuple[Entry, Entry]:
    """(duplicate, kept): our own publication is kept; between two partner items, the one received first."""
    if first.item is None:
        return second, first
    if second.item is None or first.item.pk > second.item.pk:
        return first, second
    return second, first
