"""Reading what a partner source answered: this product's exchange format, iCalendar, RSS and Atom.

Each parser turns a body into `Received` items whose every field went through `core.untrusted` (text without
tags and bounded, http/https links only, dates in range). XML is read with defusedxml (no entity expansion, no
external entity). A body that is not what its kind announces, or that holds more than `max_items` items, is a
`ParseError`, and nothing of it is kept.
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import json
import re
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from icalendar import Calendar

from casi_workspace.core.errors import CasiError
from casi_workspace.core.untrusted import clean_datetime, clean_text, clean_url
from casi_workspace.exchange.models import PartnerItemKind, normalised_text

# The exchange format's datasets and the kind of item each holds.
DATASET_KINDS = {
    "evenements": PartnerItemKind.EVENT,
    "appels-a-projets": PartnerItemKind.CALL,
    "formations": PartnerItemKind.TRAINING,
    "offres": PartnerItemKind.OFFER,
    "ressources": PartnerItemKind.RESOURCE,
    "annuaire": PartnerItemKind.ORGANISATION,
}
ATOM = "{http://www.w3.org/2005/Atom}"
SIREN = re.compile(r"^\d{9}$")
RNA = re.compile(r"^W\d{9}$")


class ParseError(CasiError):
    """The answer cannot be read as the source's kind announces; the message is meant for coordinators."""


@dataclass(frozen=True)
class Received:
    external_id: str
    kind: str
    title: str
    summary: str = ""
    url: str = ""
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    place: str = ""
    organisation_name: str = ""
    siren: str = ""
    rna: str = ""
    modified_at: datetime.datetime | None = None

    @property
    def fingerprint(self) -> str:
        """The same title, start (to the minute) and place: the same item, whatever its identifier."""
        start = self.start.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M") if self.start else ""
        key = "|".join((_normalised(self.title), start, _normalised(self.place)))
        return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class Parsed:
    items: list[Received] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    next_url: str = ""


_normalised = normalised_text


def _too_many(max_items: int) -> ParseError:
    return ParseError(_("The source holds more than %(count)s items: they are refused.") % {"count": max_items})


def _item(external_id: str, kind: str, title: str, **fields) -> Received | None:
    """A received item with its fields cleaned; None without an identifier or a title."""
    title = clean_text(title, max_length=255)
    if not title:
        return None
    item = Received(
        external_id=clean_text(external_id, max_length=255),
        kind=kind,
        title=title,
        summary=clean_text(fields.get("summary", ""), max_length=2000),
        url=clean_url(fields.get("url", "")),
        start=clean_datetime(fields.get("start")),
        end=clean_datetime(fields.get("end")),
        place=clean_text(fields.get("place", ""), max_length=255),
        organisation_name=clean_text(fields.get("organisation_name", ""), max_length=255),
        siren=fields.get("siren", "") if SIREN.match(fields.get("siren", "")) else "",
        rna=fields.get("rna", "") if RNA.match(fields.get("rna", "")) else "",
        modified_at=clean_datetime(fields.get("modified_at")),
    )
    if not item.external_id:
        item = Received(**{**item.__dict__, "external_id": f"empreinte:{item.fingerprint}"})
    return item


def _iso(value: object) -> datetime.datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        return None
    return moment


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _identifiers(data: dict) -> dict[str, str]:
    found = {}
    values = data.get("identifier")
    for value in values if isinstance(values, list) else []:
        if isinstance(value, dict) and value.get("propertyID") in ("SIREN", "RNA"):
            found[value["propertyID"].lower()] = _text(value.get("value"))
    return found


def _place(data: dict) -> str:
    location = data.get("location") or data.get("jobLocation") or data.get("address")
    if isinstance(location, dict):
        address = location.get("address") if isinstance(location.get("address"), dict) else location
        parts = [_text(location.get("name")), _text(address.get("addressLocality"))]
        return ", ".join(part for part in parts if part)
    return ""


def parse_exchange(body: bytes, dataset: str, *, max_items: int) -> Parsed:
    """A page of a dataset in this product's exchange format (version 1)."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise ParseError(_("The answer is not a JSON document of the exchange format.")) from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ParseError(_("The answer is not a JSON document of the exchange format."))
    if str(document.get("version")) != "1":
        raise ParseError(
            _("The source speaks another version of the exchange format (%(version)s).")
            % {"version": _text(str(document.get("version")))[:20]}
        )
    if len(document["items"]) > max_items:
        raise _too_many(max_items)
    kind = DATASET_KINDS[dataset]
    parsed = Parsed(next_url=clean_url(_text(document.get("next"))))
    for data in document["items"]:
        if not isinstance(data, dict):
            continue
        publisher = data.get("publisher") if isinstance(data.get("publisher"), dict) else {}
        identifiers = _identifiers(data if kind == PartnerItemKind.ORGANISATION else publisher)
        item = _item(
            _text(data.get("identifier")) or _text(data.get("@id")),
            kind,
            _text(data.get("name")),
            summary=_text(data.get("description")),
            url=_text(data.get("url")),
            start=_iso(data.get("startDate")),
            end=_iso(data.get("endDate")),
            place=_place(data),
            organisation_name=_text(publisher.get("name")) if kind != PartnerItemKind.ORGANISATION else "",
            modified_at=_iso(data.get("dateModified")),
            **identifiers,
        )
        if item is not None:
            parsed.items.append(item)
    withdrawn = document.get("withdrawn")
    for row in withdrawn if isinstance(withdrawn, list) else []:
        if isinstance(row, dict) and _text(row.get("identifier")):
            parsed.withdrawn.append(_text(row["identifier"])[:255])
    return parsed


def _ical_moment(component, name: str) -> datetime.datetime | datetime.date | None:
    value = component.get(name)
    try:
        return value.dt if value is not None else None
    except AttributeError:
        return None


def parse_ical(body: bytes, kind: str, *, max_items: int) -> Parsed:
    """The events of an iCalendar file (RFC 5545)."""
    try:
        calendar = Calendar.from_ical(body.decode("utf-8", errors="replace"))
        events = calendar.walk("VEVENT")
    except (ValueError, IndexError, KeyError, TypeError):
        raise ParseError(_("The answer is not an iCalendar file.")) from None
    if len(events) > max_items:
        raise _too_many(max_items)
    parsed = Parsed()
    for event in events:
        item = _item(
            str(event.get("UID", "")),
            kind,
            str(event.get("SUMMARY", "")),
            summary=str(event.get("DESCRIPTION", "")),
            url=str(event.get("URL", "")),
            start=_ical_moment(event, "DTSTART"),
            end=_ical_moment(event, "DTEND"),
            place=str(event.get("LOCATION", "")),
            modified_at=_ical_moment(event, "LAST-MODIFIED"),
        )
        if item is not None:
            parsed.items.append(item)
    return parsed


def _rss_date(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return _iso(value.strip())


def parse_feed(body: bytes, kind: str, *, max_items: int) -> Parsed:
    """The items of an RSS 2.0 or Atom 1.0 feed."""
    try:
        root = SafeET.fromstring(body)
    except Exception:  # defusedxml's refusals and every XML syntax error alike
        raise ParseError(_("The answer is not an RSS or Atom feed.")) from None
    rss_items, atom_entries = root.findall("./channel/item"), root.findall(f"{ATOM}entry")
    if root.tag not in ("rss", f"{ATOM}feed"):
        raise ParseError(_("The answer is not an RSS or Atom feed."))
    if len(rss_items) + len(atom_entries) > max_items:
        raise _too_many(max_items)
    parsed = Parsed()
    for entry in rss_items:
        item = _item(
            entry.findtext("guid") or entry.findtext("link") or "",
            kind,
            entry.findtext("title") or "",
            summary=entry.findtext("description") or "",
            url=entry.findtext("link") or "",
            modified_at=_rss_date(entry.findtext("pubDate")),
        )
        if item is not None:
            parsed.items.append(item)
    for entry in atom_entries:
        link = next(
            (
                element.get("href", "")
                for element in entry.findall(f"{ATOM}link")
                if element.get("rel", "alternate") == "alternate"
            ),
            "",
        )
        item = _item(
            entry.findtext(f"{ATOM}id") or link,
            kind,
            entry.findtext(f"{ATOM}title") or "",
            summary=entry.findtext(f"{ATOM}summary") or entry.findtext(f"{ATOM}content") or "",
            url=link,
            modified_at=_iso((entry.findtext(f"{ATOM}updated") or "").strip()),
        )
        if item is not None:
            parsed.items.append(item)
    return parsed
