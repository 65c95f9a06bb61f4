"""An import's new organisations, inserted a batch at a time.

Wagtail's way of adding a page (add it, save a revision, publish it) saves the page three times and indexes it
for search and references after each save: some 45 queries an organisation, and a directory of 10,000 would
take the best part of an hour. An import's new organisations are built in memory instead, row by row, and
inserted together when the batch ends: their pages (already live, as publishing would leave them), their
revisions, lists and keywords, their search and reference index entries, in a fixed number of queries per
batch. Nothing is published, so no `page_published` handler runs: the caller provisions their workspaces and
writes their history (`RowImporter.flush`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends

from casi_workspace.conf import host_setting
from casi_workspace.core.slugs import SLUG_MAX_LENGTH
from casi_workspace.core.validators import compact_identifier
from casi_workspace.organisations.models import DirectoryPage, OrganisationPage
from casi_workspace.organisations.selectors import names_are_close

COMMENTS_RELATION = "wagtail_admin_comments"
# A new page as publishing leaves it.
AS_PUBLISHED = {"live": True, "has_unpublished_changes": False, "show_in_menus": False, "numchild": 0}
REFERENCE_FIELDS = ("to_content_type_id", "to_object_id", "model_path", "content_path")


@dataclass
class ImportRow:
    line: int
    values: dict[str, Any]  # model field -> value, for the columns the file has
    relations: dict[str, list[Any]]  # many-to-many field -> objects
    tags: list[str] | None

    @property
    def identity(self) -> tuple[str, str]:
        """(SIREN, RNA), the SIREN read from the SIRET when only that is given."""
        siren, siret, rna = (self.values.get(name) or "" for name in ("siren", "siret", "rna"))
        return compact_identifier(siren) or compact_identifier(siret)[:9], compact_identifier(rna)

    @property
    def commune_key(self) -> str:
        return (self.values.get("commune") or "").strip().lower()


def import_row_assign(page: OrganisationPage, row: ImportRow, *, tags: Sequence[str | Tag] | None = None) -> None:
    """The row's values on `page`, its lists and keywords included (kept in memory until the page is saved)."""
    for name, value in row.values.items():
        setattr(page, name, value)
    for name, objects in row.relations.items():
        getattr(page, name).set(objects)
    if row.tags is not None:
        page.tags.set(tags if tags is not None else row.tags)


class PendingRows:
    """The rows of a batch waiting to be inserted, found by identifier or by name and commune as
    `organisation_find_duplicate` finds an organisation in the database."""

    def __init__(self) -> None:
        self.rows: list[ImportRow] = []
        self._by_identifier: dict[tuple[int, str], ImportRow] = {}
        self._by_commune: dict[str, list[ImportRow]] = {}

    def add(self, row: ImportRow) -> None:
        self.rows.append(row)
        for position, number in enumerate(row.identity):
            if number:
                self._by_identifier.setdefault((position, number), row)
        if row.commune_key:
            self._by_commune.setdefault(row.commune_key, []).append(row)

    def find(self, row: ImportRow) -> ImportRow | None:
        for position, number in enumerate(row.identity):
            if number and (position, number) in self._by_identifier:
                return self._by_identifier[(position, number)]
        title = row.values["title"]
        return next(
            (
                other
                for other in self._by_commune.get(row.commune_key, [])
                if names_are_close(other.values["title"], title)
            ),
            None,
        )

    def take(self) -> list[ImportRow]:
        rows = self.rows
        self.__init__()
        return rows


def _slug_base(title: str) -> str:
    allow_unicode = host_setting("WAGTAIL_ALLOW_UNICODE_SLUGS")
    return slugify(title, allow_unicode=allow_unicode)[:SLUG_MAX_LENGTH].strip("-") or "organisation"


def _slugs_available(directory: DirectoryPage, titles: list[str]) -> list[str]:
    """A free slug for each title among the directory's children and each other, numbered as Wagtail's
    `find_available_slug` numbers them ("-1", "-2"…): one query for the batch, and one more for each slug
    already taken."""
    bases = [_slug_base(title) for title in titles]
    children = Page.objects.filter(path__startswith=directory.path, depth=directory.depth + 1)
    taken = set(children.filter(slug__in=set(bases)).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        if base in taken:
            taken |= set(children.filter(slug__startswith=base).values_list("slug", flat=True))
            number = 1
            while f"{base}-{number}" in taken:
                number += 1
            base = f"{base}-{number}"
        taken.add(base)
        slugs.append(base)
    return slugs


def _tags(rows: list[ImportRow]) -> dict[str, Tag]:
    """Every keyword the rows name, created when new (taggit numbers a slug already taken)."""
    names = {name for row in rows for name in row.tags or ()}
    found = {tag.name: tag for tag in Tag.objects.filter(name__in=names)} if names else {}
    for name in sorted(names - found.keys()):
        found[name] = Tag.objects.create(name=name)
    return found


def _page_built(row: ImportRow, *, directory: DirectoryPage, slug: str, path: str, owner, tags: dict[str, Tag], now):
    page = OrganisationPage(
        **AS_PUBLISHED, slug=slug, path=path, depth=directory.depth + 1, locale_id=directory.locale_id, owner=owner
    )
    page.first_published_at = page.last_published_at = now
    import_row_assign(page, row, tags=[tags[name] for name in row.tags or ()])
    page.draft_title = page.title
    page.set_url_path(directory)
    setattr(page, COMMENTS_RELATION, [])
    return page


def _revision_content(page: OrganisationPage) -> dict[str, Any]:
    """What `save_revision` would store, read from the page in memory (its lists and keywords with it)."""
    content = page.serializable_data()
    for key in ("pk", "id", "page_ptr"):
        if key in content:
            content[key] = page.pk
    return content


def _children_insert(pages: list[OrganisationPage]) -> None:
    """The organisation table's rows of pages whose page rows exist. Django's `bulk_create` refuses models
    that inherit another table, so the insert its `save` makes for the child table is made here for many."""
    fields = OrganisationPage._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, pages) or len(pages)
    for start in range(0, len(pages), size):
        OrganisationPage.objects._insert(pages[start : start + size], fields=fields, using=connection.alias)


def _relations_insert(pages: list[OrganisationPage], rows: list[ImportRow], tags: dict[str, Tag]) -> None:
    for name in ("zones", "sectors", "sdgs"):
        field = OrganisationPage._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(**{f"{source}_id": page.pk, f"{target}_id": item.pk})
            for page, row in zip(pages, rows, strict=True)
            for item in row.relations.get(name, ())
        )
    tagged = OrganisationPage._meta.get_field("tags").through
    tagged.objects.bulk_create(
        tagged(tag_id=tags[name].pk, content_object_id=page.pk)
        for page, row in zip(pages, rows, strict=True)
        for name in dict.fromkeys(row.tags or ())
    )


def _references_insert(pages: list[OrganisationPage]) -> None:
    """The pages' reference index entries, as `ReferenceIndex.create_or_update_for_object` writes them for an
    object that has none yet, for the batch in one insert (Wagtail offers no bulk form: this uses its extraction)."""
    types = {
        "content_type": ContentType.objects.get_for_model(OrganisationPage),
        "base_content_type": pages[0].get_base_content_type(),
    }
    entries = []
    for page in pages:
        for reference in set(ReferenceIndex._extract_references_from_object(page)):
            values = dict(zip(REFERENCE_FIELDS, reference, strict=True))
            path_hash = ReferenceIndex._get_content_path_hash(values["content_path"])
            entries.append(ReferenceIndex(**types, **values, object_id=page.pk, content_path_hash=path_hash))
    ReferenceIndex.objects.bulk_create(entries, ignore_conflicts=connection.features.supports_ignore_conflicts)


def organisations_insert(rows: list[ImportRow], *, directory: DirectoryPage, user) -> list[OrganisationPage]:
    """Insert the rows as new live organisations of `directory`, its last children, each with one revision,
    indexed for search and references. The rows were checked (`_row_cleaned`); the directory's child count,
    workspaces and history are the caller's."""
    if not rows:
        return []
    now = timezone.now()
    owner = user if user is not None and user.is_authenticated else None
    tags = _tags(rows)
    slugs = _slugs_available(directory, [row.values["title"] for row in rows])
    last = (
        Page.objects.filter(path__startswith=directory.path, depth=directory.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    pages = []
    for row, slug in zip(rows, slugs, strict=True):
        path = Page(path=last)._inc_path() if last else Page._get_path(directory.path, directory.depth + 1, 1)
        pages.append(_page_built(row, directory=directory, slug=slug, path=path, owner=owner, tags=tags, now=now))
        last = path
    bases = Page.objects.bulk_create(
        Page(**{field.attname: getattr(page, field.attname) for field in Page._meta.concrete_fields}) for page in pages
    )
    for page, base in zip(pages, bases, strict=True):
        page.id = page.page_ptr_id = base.pk
        page._state.adding = False
    _children_insert(pages)
    _relations_insert(pages, rows, tags)
    base_type = pages[0].get_base_content_type()
    revisions = Revision.objects.bulk_create(
        Revision(
            content_object=page,
            base_content_type=base_type,
            user=owner,
            content=_revision_content(page),
            object_str=str(page),
            created_at=now,
        )
        for page in pages
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    own_revision = Subquery(
        Revision.objects.filter(base_content_type=base_type, object_id=Cast(OuterRef("pk"), CharField()))
        .order_by("-pk")
        .values("pk")[:1]
    )
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision=own_revision, live_revision=own_revision
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(OrganisationPage, pages)
    _references_insert(pages)
    return pages
