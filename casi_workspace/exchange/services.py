"""Fetching a partner source and keeping its items in step, without ever trusting or losing what was received.

A fetch first reads everything (every page of every dataset) and only then writes, in one transaction: a source
that fails, answers garbage or too much changes nothing already imported; it records its error, and its items
stay until they are older than CASI_WORKSPACE_PARTNER_ITEM_EXPIRY_DAYS after its last success.

Items are updated in place, found by (source, identifier upstream), or by their fingerprint when a feed gives
its items a new identifier at every fetch; never deleted and reloaded. An item missing from a complete fetch,
or listed as withdrawn by another site of this product, is withdrawn (kept, hidden from the public).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.page_cache import page_cache_invalidate
from casi_workspace.core.safe_fetch import FetchError, FetchLimits, FetchResult, fetch
from casi_workspace.exchange.models import (
    DuplicateDecision,
    PartnerDuplicateDecision,
    PartnerItem,
    PartnerSource,
    SourceKind,
)
from casi_workspace.exchange.parsers import DATASET_KINDS, Parsed, ParseError, parse_exchange, parse_feed, parse_ical
from casi_workspace.exchange.selectors import partner_duplicate_candidates

# A complete fetch at least this often; in between, another site of this product is asked only what changed.
FULL_FETCH_EVERY = datetime.timedelta(hours=24)
# Asking what changed since a little before the last success covers clocks that disagree.
CLOCK_MARGIN = datetime.timedelta(minutes=10)
MAX_PAGES = 200
SYNCED_FIELDS = (
    "kind",
    "external_id",
    "fingerprint",
    "title",
    "summary",
    "url",
    "start",
    "end",
    "place",
    "organisation_name",
    "siren",
    "rna",
    "modified_at",
    "withdrawn_at",
)


@dataclass
class SyncReport:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    unchanged: bool = False
    error: str = ""
    received: list = field(default_factory=list, repr=False)


def _limits() -> FetchLimits:
    return FetchLimits(
        timeout=get_setting("PARTNER_TIMEOUT"),
        max_bytes=get_setting("PARTNER_MAX_BYTES"),
        allowed_hosts=frozenset(get_setting("PARTNER_ALLOWED_HOSTS")),
    )


def _get(source: PartnerSource, url: str, limits: FetchLimits, *, conditional: bool) -> FetchResult:
    validators = source.validators.get(url, {}) if conditional else {}
    result = fetch(
        url, limits=limits, etag=validators.get("etag", ""), last_modified=validators.get("last_modified", "")
    )
    if result.status == 200 and (result.etag or result.last_modified):
        source.validators[url] = {"etag": result.etag, "last_modified": result.last_modified}
    return result


def _dataset_url(source: PartnerSource, dataset: str, since: datetime.datetime | None) -> str:
    base = source.url if source.url.endswith("/") else f"{source.url}/"
    query = f"?{urlencode({'modifie_depuis': since.isoformat()})}" if since else ""
    return f"{base}v1/{dataset}/{query}"


def _catalogue_url(source: PartnerSource) -> str:
    base = source.url if source.url.endswith("/") else f"{source.url}/"
    return f"{base}catalogue.jsonld"


def _read_exchange(source: PartnerSource, limits: FetchLimits, *, complete: bool, max_items: int) -> Parsed | None:
    """Every page of every chosen dataset; None when the source says nothing changed.

    The catalogue names each dataset's size and last change: asked conditionally first, an unchanged one (304)
    means that nothing changed, and the source costs one request and no write."""
    if _get(source, _catalogue_url(source), limits, conditional=not complete).status == 304:
        return None
    since = None if complete else source.last_success_at - CLOCK_MARGIN
    everything, any_change = Parsed(), False
    for dataset in source.datasets or list(DATASET_KINDS):
        if dataset not in DATASET_KINDS:
            continue
        url, pages = _dataset_url(source, dataset, since), 0
        while url:
            pages += 1
            if pages > MAX_PAGES:
                raise ParseError(_("The source has too many pages."))
            result = _get(source, url, limits, conditional=pages == 1)
            if result.status == 304:
                break
            any_change = True
            page = parse_exchange(result.body, dataset, max_items=max_items)
            everything.items += page.items
            everything.withdrawn += page.withdrawn
            if len(everything.items) > max_items:
                raise ParseError(
                    _("The source holds more than %(count)s items: they are refused.") % {"count": max_items}
                )
            url = page.next_url
    return everything if any_change else None


def _read(source: PartnerSource, *, complete: bool) -> Parsed | None:
    limits, max_items = _limits(), get_setting("PARTNER_MAX_ITEMS")
    if source.kind == SourceKind.CASI:
        return _read_exchange(source, limits, complete=complete, max_items=max_items)
    result = _get(source, source.url, limits, conditional=not complete)
    if result.status == 304:
        return None
    parser = parse_ical if source.kind == SourceKind.ICAL else parse_feed
    return parser(result.body, source.item_kind, max_items=max_items)


def _store(source: PartnerSource, parsed: Parsed, *, complete: bool, now: datetime.datetime) -> SyncReport:
    """Upsert the received items, then withdraw the missing (complete fetch) and the listed ones."""
    report = SyncReport()
    existing = list(PartnerItem.objects.filter(source=source))
    by_id = {item.external_id: item for item in existing}
    by_fingerprint = {item.fingerprint: item for item in existing}
    seen: set[int] = set()
    created, updated = [], []
    for received in {item.external_id: item for item in parsed.items}.values():
        item = by_id.get(received.external_id) or by_fingerprint.get(received.fingerprint)
        if item is not None and item.pk in seen:
            continue
        values = {
            name: getattr(received, name) for name in SYNCED_FIELDS if name not in ("fingerprint", "withdrawn_at")
        }
        values |= {"fingerprint": received.fingerprint, "withdrawn_at": None}
        if item is None:
            created.append(PartnerItem(source=source, **values))
            continue
        seen.add(item.pk)
        if any(getattr(item, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(item, name, value)
            updated.append(item)
    withdrawn_ids = set(parsed.withdrawn)
    for item in existing:
        gone = item.external_id in withdrawn_ids or (complete and item.pk not in seen)
        if gone and item.withdrawn_at is None and item not in updated:
            item.withdrawn_at = now
            updated.append(item)
            report.withdrawn += 1
    PartnerItem.objects.bulk_create(created, batch_size=500)
    for item in updated:
        item.updated_at = now
    PartnerItem.objects.bulk_update(updated, [*SYNCED_FIELDS, "updated_at"], batch_size=500)
    report.created, report.updated = len(created), len(updated) - report.withdrawn
    return report


def _expire(source: PartnerSource, now: datetime.datetime) -> int:
    """A source that has not answered for too long: its items leave the public site."""
    limit = now - datetime.timedelta(days=get_setting("PARTNER_ITEM_EXPIRY_DAYS"))
    if source.last_success_at is not None and source.last_success_at > limit:
        return 0
    return PartnerItem.objects.filter(source=source, withdrawn_at__isnull=True, received_at__lt=limit).update(
        withdrawn_at=now
    )


def source_sync(
    source: PartnerSource, *, now: datetime.datetime | None = None, complete: bool | None = None
) -> SyncReport:
    """Fetch the source and bring its items up to date; its state (last success, last error) is recorded."""
    now = now or timezone.now()
    if complete is None:
        complete = source.last_full_at is None or source.last_full_at <= now - FULL_FETCH_EVERY
    if source.last_success_at is None:
        complete = True
    source.last_attempt_at = now
    try:
        parsed = _read(source, complete=complete)
    except (FetchError, ParseError) as exc:
        source.last_error = exc.message
        source.save(update_fields=["last_attempt_at", "last_error"])
        report = SyncReport(error=exc.message, withdrawn=_expire(source, now))
        if report.withdrawn:
            page_cache_invalidate()
        return report
    with transaction.atomic():
        report = SyncReport(unchanged=True) if parsed is None else _store(source, parsed, complete=complete, now=now)
        source.last_success_at, source.last_error = now, ""
        if complete and parsed is not None:
            source.last_full_at = now
        source.save(update_fields=["last_attempt_at", "last_success_at", "last_full_at", "last_error", "validators"])
        if report.created or report.updated or report.withdrawn:
            transaction.on_commit(page_cache_invalidate)  # the pages listing partner items show the change
    return report


def sources_due(now: datetime.datetime | None = None) -> list[PartnerSource]:
    """Active sources whose time has come, each claimed by this process (a second node running the same command
    at the same moment skips what this one claimed)."""
    now = now or timezone.now()
    claimed = []
    for source in PartnerSource.objects.filter(active=True).order_by("pk"):
        due = (
            source.last_attempt_at is None
            or source.last_attempt_at + datetime.timedelta(minutes=source.every_minutes) <= now
        )
        if not due:
            continue
        previous = (
            Q(last_attempt_at__isnull=True)
            if source.last_attempt_at is None
            else Q(last_attempt_at=source.last_attempt_at)
        )
        if PartnerSource.objects.filter(previous, pk=source.pk).update(last_attempt_at=now):
            source.last_attempt_at = now
            claimed.append(source)
    return claimed


# --- The coordinators' decisions: hiding, and likely duplicates ---------------------------------------------


class ReviewError(CasiError):
    """A decision that cannot be taken (a pair that is not, or no longer, on the review list)."""


def partner_item_set_hidden(*, item: PartnerItem, hidden: bool) -> PartnerItem:
    """Hide a partner item from the public site, or show it again; nothing else of it changes."""
    PartnerItem.objects.filter(pk=item.pk).update(hidden=hidden)
    item.hidden = hidden
    return item


def partner_source_set_hidden(*, source: PartnerSource, hidden: bool) -> PartnerSource:
    """Hide everything a source sent from the public site (it keeps being fetched), or show it again."""
    PartnerSource.objects.filter(pk=source.pk).update(hidden=hidden)
    source.hidden = hidden
    return source


@transaction.atomic
def partner_duplicate_decide(
    *, item_id: int, other_item_id: int | None, other_page_id: int | None, decision: str, user=None
) -> PartnerDuplicateDecision:
    """Record a coordinator's answer about a pair of the review list: "same" hides the duplicate partner item (the
    other stays), "different" keeps the pair off the list for good. Only a pair the list holds now is accepted."""
    if decision not in DuplicateDecision.values:
        raise ReviewError(_("Choose “Same item” or “Different”."))
    wanted = (item_id, ("item", other_item_id) if other_item_id else ("page", other_page_id))
    if (other_item_id is None) == (other_page_id is None) or not any(
        (pair.duplicate.item.pk, pair.kept.key) == wanted for pair in partner_duplicate_candidates()
    ):
        raise ReviewError(_("This pair is not on the list of likely duplicates (any more)."))
    record = PartnerDuplicateDecision.objects.create(
        item_id=item_id, other_item_id=other_item_id, other_page_id=other_page_id, decision=decision, decided_by=user
    )
    if decision == DuplicateDecision.SAME:
        PartnerItem.objects.filter(pk=item_id).update(hidden=True)
    return record
