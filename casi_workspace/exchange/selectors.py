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
from django.db.models import Count, F, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Coalesce
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
from casi_workspace.publications.selectors.listings import (
    NETWORKS_ALL,
    NETWORKS_PARTNERS,
    PublicationFilters,
    publication_months,
    publications_public,
)

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


def partner_items_visible() -> QuerySet[PartnerItem]:
    """Partner items the public may see at all: not withdrawn or hidden, of an active source not hidden."""
    return PartnerItem.objects.filter(
        withdrawn_at__isnull=True, hidden=False, source__active=True, source__hidden=False
    )


def partner_items_public(
    kind: str, *, when: str = "upcoming", month: datetime.date | None = None
) -> QuerySet[PartnerItem]:
    """Partner items of `kind` the public sees: not withdrawn or hidden, of an active source not hidden, each once
    (an item received from two sources, recognised by its fingerprint, shows the first one received); events
    and trainings from today on, soonest first, the rest latest first.

    For events and trainings, `when` may also be "past" (over before today, latest first) or "" (any date), and
    `month` (its first day) keeps what takes place during that month: the agenda's own filters.
    """
    shown = partner_items_visible().filter(kind=kind)
    dated = kind in (PartnerItemKind.EVENT, PartnerItemKind.TRAINING)
    if dated:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        if when == "upcoming":
            shown = shown.filter(Q(end__gte=today) | Q(end__isnull=True, start__gte=today))
        elif when == "past":
            shown = shown.filter(Q(end__lt=today) | Q(end__isnull=True, start__lt=today))
        if month is not None:
            month_start = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
            month_end = timezone.make_aware(datetime.datetime(month.year + month.month // 12, month.month % 12 + 1, 1))
            shown = shown.filter(
                Q(end__gte=month_start) | Q(end__isnull=True, start__gte=month_start), start__lt=month_end
            )
    first_of_each = shown.values("fingerprint").annotate(first=Min("pk")).values("first")
    items = PartnerItem.objects.filter(pk__in=first_of_each).select_related("source")
    if dated:
        return items.order_by("-start", "-pk") if when == "past" else items.order_by("start", "pk")
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


# The publication indexes that offer partner networks' items, with the partner kind each lists.
PARTNER_LISTED_KINDS: dict[str, str] = {
    PublicationKind.EVENT: PartnerItemKind.EVENT,
    PublicationKind.CALL: PartnerItemKind.CALL,
    PublicationKind.TRAINING: PartnerItemKind.TRAINING,
    PublicationKind.RESOURCE: PartnerItemKind.RESOURCE,
}


def partner_months(kind: str) -> list[datetime.date]:
    """The months the partners' visible events or trainings (`kind`, an index's) take place in, as the agenda's
    month filter offers ours: one query."""
    return publication_months(partner_items_public(PARTNER_LISTED_KINDS[kind], when=""))


class MergedListing:
    """Our publications and partner items as one list in one order, for a paginator.

    Counting costs one query, a page three or four: the keys of the page's rows (a UNION of both lists, ordered
    and sliced by the database), then the page's publications (and their tags) and the page's partner items,
    whatever the size of either list.
    """

    def __init__(self, own: QuerySet, partners: QuerySet, *, own_key: str, partner_key, descending: bool) -> None:
        self.own = own
        self.partners = partners
        own_rows = own.order_by().prefetch_related(None).annotate(casi_key=F(own_key), casi_partner=Value(0))
        partner_rows = partners.order_by().annotate(casi_key=partner_key, casi_partner=Value(1))
        key = "-casi_key" if descending else "casi_key"
        self.rows = (
            own_rows.values_list("casi_key", "casi_partner", "pk")
            .union(partner_rows.values_list("casi_key", "casi_partner", "pk"), all=True)
            .order_by(key, "casi_partner", "-pk" if descending else "pk")
        )

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice):
            raise TypeError("MergedListing is read by slices")
        rows = list(self.rows[index])
        own_ids = [pk for _key, partner, pk in rows if not partner]
        partner_ids = [pk for _key, partner, pk in rows if partner]
        own = {item.pk: item for item in self.own.filter(pk__in=own_ids)} if own_ids else {}
        partners = {item.pk: item for item in self.partners.filter(pk__in=partner_ids)} if partner_ids else {}
        found = [(partners if partner else own).get(pk) for _key, partner, pk in rows]
        return [item for item in found if item is not None]


def publications_with_partners(kind: str, filters: PublicationFilters, own: QuerySet) -> QuerySet | MergedListing:
    """What a publication index lists once a visitor chose the networks (`filters.networks`): our publications
    (`own`, already filtered), the partner networks' items of the same kind, or both in the list's order.

    The filters of our own vocabulary (organisation, keyword, département, type) describe nothing a partner item
    carries: with one of them chosen, "all networks" lists our matching publications only. The period and the
    month apply to partner events and trainings as to ours.
    """
    partner_kind = PARTNER_LISTED_KINDS.get(kind)
    if partner_kind is None or filters.networks not in (NETWORKS_PARTNERS, NETWORKS_ALL):
        return own
    dated = partner_kind in (PartnerItemKind.EVENT, PartnerItemKind.TRAINING)
    partners = partner_items_public(partner_kind, when=filters.when, month=filters.month)
    if not dated:  # latest first, an item its source leaves undated counting from its arrival here
        partners = partners.order_by(Coalesce("modified_at", "received_at").desc(), "-pk")
    if filters.networks == NETWORKS_PARTNERS:
        return partners
    if any((filters.organisation, filters.tag, filters.department, filters.type)):
        return own
    if dated:
        return MergedListing(own, partners, own_key="start", partner_key=F("start"), descending=filters.when == "past")
    return MergedListing(
        own,
        partners,
        own_key="first_published_at",
        partner_key=Coalesce("modified_at", "received_at"),
        descending=True,
    )


def partner_organisations_matching(query: str, *, known: QuerySet, limit_words: int = 8) -> QuerySet[PartnerItem]:
    """The partner networks' organisations whose name or place holds every word of `query`, leaving out those
    that are one of ours (`known`, our public organisations) by their SIREN or RNA number."""
    words = query.split()[:limit_words]
    if not words:
        return PartnerItem.objects.none()
    items = partner_items_public(PartnerItemKind.ORGANISATION)
    for word in words:
        items = items.filter(Q(title__icontains=word) | Q(place__icontains=word) | Q(organisation_name__icontains=word))
    known = known.order_by()
    return (
        items.exclude(siren__in=known.exclude(siren="").values("siren"))
        .exclude(rna__in=known.exclude(rna="").values("rna"))
        .order_by("title", "pk")
    )


def partner_networks_of(organisations: list) -> dict[int, list[str]]:
    """For each of our organisations, the partner networks that list it too (same SIREN or RNA), in one query."""
    sirens = {organisation.siren for organisation in organisations if organisation.siren}
    rnas = {organisation.rna for organisation in organisations if organisation.rna}
    if not sirens and not rnas:
        return {}
    rows = (
        PartnerItem.objects.filter(
            kind=PartnerItemKind.ORGANISATION,
            withdrawn_at__isnull=True,
            hidden=False,
            source__active=True,
            source__hidden=False,
        )
        .filter(Q(siren__in=sirens) | Q(rna__in=rnas))
        .values_list("siren", "rna", "source__name")
        .order_by("source__name")
        .distinct()
    )
    by_siren: dict[str, list[str]] = {}
    by_rna: dict[str, list[str]] = {}
    for siren, rna, name in rows:
        if siren:
            by_siren.setdefault(siren, []).append(name)
        if rna:
            by_rna.setdefault(rna, []).append(name)
    networks: dict[int, list[str]] = {}
    for organisation in organisations:
        names = {*by_siren.get(organisation.siren or "-", []), *by_rna.get(organisation.rna or "-", [])}
        if names:
            networks[organisation.pk] = sorted(names, key=str.casefold)
    return networks
