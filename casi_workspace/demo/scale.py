"""Large synthetic directories, publications and group libraries for benchmarks and query-count tests.

Pages are written in bulk, below Wagtail's page API: no revisions, no provisioning, and no search-index
entries for organisations. That keeps 5,000 organisations to seconds; the pages are live, public and
complete otherwise. Resumable: pages already created (by slug) are skipped.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from casi_workspace.demo import files
from casi_workspace.demo.data import COMMUNES
from casi_workspace.models import (
    ActorType,
    CampaignPage,
    DirectoryPage,
    DocumentFolderPage,
    OrganisationPage,
    ProjectStage,
    Sector,
    SharedDocumentPage,
    SupportNeed,
    SupportRecord,
    SupportRequest,
    SupportStatus,
    SustainableDevelopmentGoal,
    WorkingGroupJoinPolicy,
    WorkingGroupMembership,
    WorkingGroupPage,
    WorkingGroupRole,
    WorkingGroupVisibility,
)
from casi_workspace.organisations.selectors import organisations_public
from casi_workspace.publications.models.publications import (
    PUBLICATION_MODELS,
    EventPage,
    EventType,
    OfferKind,
    ProjectStatus,
    PublicationPage,
    PublicationTag,
    ResourceKind,
)
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.workgroups.provisioning import (
    working_group_provision,
    working_group_restrictions_sync,
    workspace_of,
)
from casi_workspace.workgroups.services.memberships import membership_add

SLUG_PREFIX = "acteur-"
CHUNK = 500
COUNTRIES = ["ML", "SN", "BF", "MG", "HT", "TG", "IN", "BJ", "CM", "NI", "BO", "MA", "PS", "NE", "GN", "TD", "LA"]


def _slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number:06d}"


def _page_row(
    parent: Page, position: int, *, title: str, slug: str, content_type: ContentType, published: datetime.datetime
) -> Page:
    """An unsaved live page at `position` below `parent`, with the tree columns filled in for `bulk_create`."""
    return Page(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=content_type,
        path=Page._get_path(parent.path, parent.depth + 1, position),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{slug}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=published,
        last_published_at=published,
        locale_id=parent.locale_id,
    )


@transaction.atomic
def _create_chunk(directory: DirectoryPage, numbers: list[int], rng: random.Random) -> None:
    directory.refresh_from_db(fields=["numchild", "path", "url_path"])
    last = directory.get_last_child()
    position = last._get_lastpos_in_path() if last else 0
    content_type = ContentType.objects.get_for_model(OrganisationPage)
    now = timezone.now()
    communes = list(COMMUNES.items())
    sectors = list(Sector.objects.values_list("pk", flat=True))
    goals = list(SustainableDevelopmentGoal.objects.values_list("pk", flat=True))
    pages = []
    for offset, number in enumerate(numbers, start=1):
        slug = _slug(number)
        pages.append(
            _page_row(
                directory,
                position + offset,
                title=f"Acteur de solidarité n° {number}",
                slug=slug,
                content_type=content_type,
                published=now,
            )
        )
    created = Page.objects.bulk_create(pages)
    through_sectors = OrganisationPage.sectors.through
    through_goals = OrganisationPage.sdgs.through
    sector_rows, goal_rows = [], []
    for page in created:
        commune, (postcode, department, latitude, longitude) = rng.choice(communes)
        organisation = OrganisationPage(
            page_ptr_id=page.pk,
            actor_type=rng.choice(ActorType.values),
            commune=commune,
            postcode=postcode,
            department=department,
            latitude=Decimal(f"{latitude + rng.uniform(-0.05, 0.05):.6f}"),
            longitude=Decimal(f"{longitude + rng.uniform(-0.05, 0.05):.6f}"),
            countries=rng.sample(COUNTRIES, k=rng.randint(1, 3)),
            description="<p>Acteur généré pour les mesures de charge.</p>",
        )
        organisation.__dict__.update({field.attname: getattr(page, field.attname) for field in Page._meta.fields})
        organisation.save_base(raw=True, force_insert=True)
        sector_rows += [through_sectors(organisationpage_id=page.pk, sector_id=pk) for pk in rng.sample(sectors, k=2)]
        goal_rows += [
            through_goals(organisationpage_id=page.pk, sustainabledevelopmentgoal_id=pk)
            for pk in rng.sample(goals, k=2)
        ]
    through_sectors.objects.bulk_create(sector_rows)
    through_goals.objects.bulk_create(goal_rows)
    Page.objects.filter(pk=directory.pk).update(numchild=Page.objects.child_of(directory).count())


def organisations_scale(*, directory: DirectoryPage, count: int, report: Callable[[str], None] = print) -> int:
    """Make sure `count` synthetic organisations exist under the directory; return how many were added."""
    existing = set(
        OrganisationPage.objects.child_of(directory).filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    )
    missing = [number for number in range(1, count + 1) if _slug(number) not in existing]
    rng = random.Random(count)  # noqa: S311 -- synthetic data
    for start in range(0, len(missing), CHUNK):
        _create_chunk(directory, missing[start : start + CHUNK], rng)
        report(f"{min(start + CHUNK, len(missing))}/{len(missing)}")
    return len(missing)


PUBLICATION_SLUG_PREFIX = "publication-synthetique-"
PUBLICATION_TAGS = ["solidarité", "éducation", "santé", "climat", "jeunesse", "agriculture"]
KIND_TITLES = {
    PublicationKind.NEWS: "Actualité de solidarité internationale",
    PublicationKind.EVENT: "Rencontre de solidarité internationale",
    PublicationKind.CALL: "Appel à projets de solidarité",
    PublicationKind.OFFER: "Offre de mission de solidarité",
    PublicationKind.TRAINING: "Formation à la solidarité internationale",
    PublicationKind.RESOURCE: "Ressource sur la solidarité internationale",
    PublicationKind.PROJECT: "Projet de solidarité internationale",
}


def _publication_slug(kind: str, number: int) -> str:
    return f"{PUBLICATION_SLUG_PREFIX}{kind}-{number:06d}"


def _kind_fields(kind: str, number: int, rng: random.Random, now: datetime.datetime) -> dict:
    """The kind's own required columns: most events and trainings to come (a fifth past), deadlines ahead."""
    commune = rng.choice(list(COMMUNES))
    if kind in (PublicationKind.EVENT, PublicationKind.TRAINING):
        days = rng.randint(-60, -1) if number % 5 == 0 else rng.randint(1, 365)
        start = (now + datetime.timedelta(days=days)).replace(hour=18, minute=0, second=0, microsecond=0)
        fields = {"start": start, "end": start + datetime.timedelta(hours=2), "commune": commune, "price": "Gratuit"}
        if kind == PublicationKind.EVENT:
            fields["venue"] = "Maison des associations"
        else:
            fields["audience"] = "Bénévoles et salariés des associations"
        return fields
    deadline = timezone.localdate() + datetime.timedelta(days=rng.randint(7, 180))
    if kind == PublicationKind.CALL:
        return {"funder": "Région Bretagne", "deadline": deadline, "amount": "Jusqu'à 10 000 €"}
    if kind == PublicationKind.OFFER:
        return {"offer_kind": rng.choice(OfferKind.values), "commune": commune, "deadline": deadline}
    if kind == PublicationKind.RESOURCE:
        return {"resource_kind": rng.choice(ResourceKind.values)}
    if kind == PublicationKind.PROJECT:
        return {
            "status": rng.choice(ProjectStatus.values),
            "countries": rng.sample(COUNTRIES, k=rng.randint(1, 2)),
            "partners": "Partenaire local\nCommune jumelée",
        }
    return {}


def _last_children(parents: Sequence[OrganisationPage]) -> dict[str, tuple[str | None, int]]:
    """For each parent path: its last child's path and its number of children, in one query per depth."""
    found: dict[str, tuple[str | None, int]] = {parent.path: (None, 0) for parent in parents}
    for depth in {parent.depth for parent in parents}:
        paths = [parent.path for parent in parents if parent.depth == depth]
        rows = (
            Page.objects.filter(depth=depth + 1)
            .annotate(parent_path=Substr("path", 1, depth * Page.steplen))
            .filter(parent_path__in=paths)
            .order_by()  # no default ordering by path in the GROUP BY
            .values("parent_path")
            .annotate(last=Max("path"), children=Count("pk"))
        )
        for row in rows:
            found[row["parent_path"]] = (row["last"], row["children"])
    return found


PICTURES = 12


@transaction.atomic
def _create_publications(
    numbers: list[tuple[str, int]], parents: list[OrganisationPage], rng: random.Random, index: bool
) -> None:
    now = timezone.now()
    assigned = [(kind, number, parents[number % len(parents)]) for kind, number in numbers]
    used = {parent.path: parent for _kind, _number, parent in assigned}
    last = _last_children(list(used.values()))
    positions = {
        path: Page._str2int(last_path[-Page.steplen :]) if last_path else 0 for path, (last_path, _n) in last.items()
    }
    pages = []
    for kind, number, parent in assigned:
        positions[parent.path] += 1
        slug = _publication_slug(kind, number)
        title = f"{KIND_TITLES[kind]} n° {number}"
        published = now - datetime.timedelta(minutes=number)
        pages.append(
            _page_row(
                parent,
                positions[parent.path],
                title=title,
                slug=slug,
                content_type=ContentType.objects.get_for_model(PUBLICATION_MODELS[kind]),
                published=published,
            )
        )
    created = Page.objects.bulk_create(pages)
    # A third of the items show one of the site's first pictures, as cards with and without one mix on a site.
    pictures = list(get_image_model().objects.order_by("pk").values_list("pk", flat=True)[:PICTURES])
    by_kind: dict[str, list[PublicationPage]] = {}
    for page, (kind, number, parent) in zip(created, assigned, strict=True):
        model = PUBLICATION_MODELS[kind]
        pictured = bool(pictures) and number % 3 == 0
        item = model(
            kind=kind,
            organisation_id=parent.pk,
            department=parent.department,
            summary=f"{KIND_TITLES[kind]} proposée par {parent.title}, générée pour les mesures de charge.",
            image_id=pictures[number % len(pictures)] if pictured else None,
            image_alt=f"Illustration : {KIND_TITLES[kind].lower()} de {parent.title}" if pictured else "",
            **_kind_fields(kind, number, rng, now),
        )
        item.__dict__.update({field.attname: getattr(page, field.attname) for field in Page._meta.fields})
        item.page_ptr_id = page.pk
        setattr(item, model._meta.pk.attname, page.pk)
        by_kind.setdefault(kind, []).append(item)
    # bulk_create refuses multi-table models: insert each table's own columns, many rows per statement,
    # through the manager method Model.save_base() itself uses.
    for kind, items in by_kind.items():
        model = PUBLICATION_MODELS[kind]
        PublicationPage._base_manager._insert(items, fields=PublicationPage._meta.local_concrete_fields)
        model._base_manager._insert(items, fields=model._meta.local_concrete_fields)
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0] for name in PUBLICATION_TAGS]
    PublicationTag.objects.bulk_create(
        PublicationTag(content_object_id=page.pk, tag=tag) for page in created for tag in rng.sample(tags, k=2)
    )
    added = Counter(parent.path for _kind, _number, parent in assigned)
    for path, parent in used.items():
        Page.objects.filter(pk=parent.pk).update(numchild=last[path][1] + added[path])
    if index:
        backend = get_search_backend()
        for kind, items in by_kind.items():
            model = PUBLICATION_MODELS[kind]
            fresh = model.objects.filter(pk__in=[item.pk for item in items]).prefetch_related("tags")
            backend.add_bulk(model, list(fresh))


def publications_scale(
    *,
    count: int,
    kinds: Sequence[str] | None = None,
    organisations: Sequence[OrganisationPage] | None = None,
    search_index: bool = True,
    report: Callable[[str], None] = print,
) -> int:
    """Make sure `count` synthetic publications exist, spread over `kinds` (all seven by default) and over
    `organisations` (every live, public organisation by default); return how many were added.

    Events and trainings mostly start in the future (a fifth are past), calls and offers are open.
    Items are indexed for search unless `search_index` is false.
    """
    kinds = list(kinds or PUBLICATION_MODELS)
    parents = list(organisations) if organisations else list(organisations_public().order_by("path"))
    if not parents:
        raise ValueError("publications_scale needs at least one organisation.")
    wanted = [(kinds[(number - 1) % len(kinds)], number) for number in range(1, count + 1)]
    existing = set(
        Page.objects.filter(slug__startswith=PUBLICATION_SLUG_PREFIX).values_list("slug", flat=True).iterator()
    )
    missing = [(kind, number) for kind, number in wanted if _publication_slug(kind, number) not in existing]
    # Items made before their pictures were described (a benchmark database kept from run to run) get a text.
    PublicationPage.objects.filter(slug__startswith=PUBLICATION_SLUG_PREFIX, image__isnull=False, image_alt="").update(
        image_alt="Illustration d’une publication de démonstration"
    )
    rng = random.Random(count)  # noqa: S311 -- synthetic data
    for start in range(0, len(missing), CHUNK):
        _create_publications(missing[start : start + CHUNK], parents, rng, search_index)
        report(f"{min(start + CHUNK, len(missing))}/{len(missing)}")
    return len(missing)


GROUP_FOLDER_SLUG_PREFIX = "dossier-synthetique-"
GROUP_DOCUMENT_SLUG_PREFIX = "document-synthetique-"
# One small file that every synthetic document points at: the listing's figures do not depend on file sizes.
GROUP_SCALE_FILE = "documents/document-synthetique.pdf"


def _group_folder_slug(number: int) -> str:
    return f"{GROUP_FOLDER_SLUG_PREFIX}{number:04d}"


def _group_document_slug(number: int) -> str:
    return f"{GROUP_DOCUMENT_SLUG_PREFIX}{number:06d}"


def _insert_specific(model: type[Page], pages: list[Page], fields: list[dict]) -> list[Page]:
    """Rows of a page type's own table for pages already written to Page's (bulk_create refuses multi-table)."""
    items = []
    for page, values in zip(pages, fields, strict=True):
        item = model(**values)
        item.__dict__.update({field.attname: getattr(page, field.attname) for field in Page._meta.fields})
        item.page_ptr_id = page.pk
        items.append(item)
    model._base_manager._insert(items, fields=model._meta.local_concrete_fields)
    return items


@transaction.atomic
def _group_folders_create(group: WorkingGroupPage, numbers: list[int]) -> None:
    group.refresh_from_db(fields=["numchild", "path", "url_path"])
    last = group.get_last_child()
    position = last._get_lastpos_in_path() if last else 0
    content_type = ContentType.objects.get_for_model(DocumentFolderPage)
    now = timezone.now()
    rows = [
        _page_row(
            group,
            position + offset,
            title=f"Dossier synthétique n° {number}",
            slug=_group_folder_slug(number),
            content_type=content_type,
            published=now,
        )
        for offset, number in enumerate(numbers, start=1)
    ]
    created = Page.objects.bulk_create(rows)
    _insert_specific(DocumentFolderPage, created, [{"description": ""} for _page in created])
    Page.objects.filter(pk=group.pk).update(numchild=Page.objects.child_of(group).count())


@transaction.atomic
def _group_documents_create(
    group: WorkingGroupPage, numbers: list[tuple[int, int]], *, collection, uploader_id: int | None, index: bool
) -> None:
    """Documents `(number, folder number)`: a wagtaildocs Document each (sharing one stored file) and its page."""
    Document = get_document_model()
    folders = {
        page.slug: page
        for page in Page.objects.child_of(group).filter(slug__in={_group_folder_slug(f) for _n, f in numbers})
    }
    parents = [folders[_group_folder_slug(folder)] for _number, folder in numbers]
    last = _last_children(list({parent.path: parent for parent in parents}.values()))
    positions = {
        path: Page._str2int(last_path[-Page.steplen :]) if last_path else 0 for path, (last_path, _n) in last.items()
    }
    size = default_storage.size(GROUP_SCALE_FILE)
    documents = Document.objects.bulk_create(
        Document(
            title=f"Document synthétique n° {number}",
            file=GROUP_SCALE_FILE,
            file_size=size,
            collection=collection,
            uploaded_by_user_id=uploader_id,
        )
        for number, _folder in numbers
    )
    content_type = ContentType.objects.get_for_model(SharedDocumentPage)
    now = timezone.now()
    rows = []
    for (number, _folder), parent in zip(numbers, parents, strict=True):
        positions[parent.path] += 1
        rows.append(
            _page_row(
                parent,
                positions[parent.path],
                title=f"Document synthétique n° {number}",
                slug=_group_document_slug(number),
                content_type=content_type,
                published=now - datetime.timedelta(minutes=number),
            )
        )
    created = Page.objects.bulk_create(rows)
    items = _insert_specific(
        SharedDocumentPage,
        created,
        [
            {"document_id": document.pk, "uploaded_by_id": uploader_id, "description": "Généré pour les mesures."}
            for document in documents
        ],
    )
    added = Counter(parent.path for parent in parents)
    for path, (_last_path, children) in last.items():
        Page.objects.filter(path=path).update(numchild=children + added[path])
    if index:
        fresh = SharedDocumentPage.objects.filter(pk__in=[item.pk for item in items]).prefetch_related("tags")
        get_search_backend().add_bulk(SharedDocumentPage, list(fresh))


def group_documents_scale(
    *,
    group: WorkingGroupPage,
    documents: int,
    folders: int,
    search_index: bool = True,
    report: Callable[[str], None] = print,
) -> int:
    """Make sure `folders` synthetic folders exist at the top of `group` and `documents` synthetic documents in
    them, in order, ceil(documents / folders) per folder; return how many documents were added.

    Written in bulk like the publications: live pages without revisions, private like the group (the view
    restrictions are synced), every file the same small PDF in the group's collection. Resumable by slug.
    """
    if folders < 1 and documents:
        raise ValueError("group_documents_scale needs at least one folder for its documents.")
    workspace = workspace_of(group)
    existing = set(Page.objects.descendant_of(group).values_list("slug", flat=True).iterator())
    missing_folders = [n for n in range(1, folders + 1) if _group_folder_slug(n) not in existing]
    if missing_folders:
        _group_folders_create(group, missing_folders)
        working_group_restrictions_sync(workspace=workspace)
    if not default_storage.exists(GROUP_SCALE_FILE):
        default_storage.save(
            GROUP_SCALE_FILE, ContentFile(files.pdf("Document synthétique", ["Généré pour les mesures de charge."]))
        )
    per_folder = math.ceil(documents / folders) if folders else 0
    missing = [
        (number, (number - 1) // per_folder + 1)
        for number in range(1, documents + 1)
        if _group_document_slug(number) not in existing
    ]
    uploader_id = (
        WorkingGroupMembership.objects.filter(working_group=group, role=WorkingGroupRole.COORDINATOR)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )
    for start in range(0, len(missing), CHUNK):
        _group_documents_create(
            group,
            missing[start : start + CHUNK],
            collection=workspace.collection,
            uploader_id=uploader_id,
            index=search_index,
        )
        report(f"{min(start + CHUNK, len(missing))}/{len(missing)}")
    return len(missing)


WORKING_GROUP_SLUG_PREFIX = "groupe-synthetique-"


def _working_group_slug(number: int) -> str:
    return f"{WORKING_GROUP_SLUG_PREFIX}{number:03d}"


def working_groups_scale(
    *, index: Page, total: int, coordinator=None, report: Callable[[str], None] = print
) -> list[WorkingGroupPage]:
    """Make sure the network has `total` working groups in all, adding synthetic ones below `index`.

    Unlike the pages above, each is made through Wagtail's page API and provisioned like any group (collection,
    permission groups, view restrictions): there are few of them, and their documents need that workspace.
    `coordinator`, when given, coordinates each synthetic group. Returns the synthetic groups, old and new.
    """
    existing = WorkingGroupPage.objects.count()
    synthetic = list(WorkingGroupPage.objects.filter(slug__startswith=WORKING_GROUP_SLUG_PREFIX).order_by("path"))
    taken = {group.slug for group in synthetic}
    number = 0
    while existing < total:
        number += 1
        if _working_group_slug(number) in taken:
            continue
        group = WorkingGroupPage(
            title=f"Groupe de travail synthétique n° {number}",
            slug=_working_group_slug(number),
            purpose="<p>Généré pour les mesures de charge.</p>",
            visibility=WorkingGroupVisibility.PUBLIC,
            join_policy=WorkingGroupJoinPolicy.REQUEST,
        )
        index.add_child(instance=group)
        working_group_provision(working_group=group)
        if coordinator is not None:
            membership_add(group=group, user=coordinator, role=WorkingGroupRole.COORDINATOR)
        synthetic.append(group)
        existing += 1
        report(f"{existing}/{total}")
    return synthetic


# Online, free, accessible and the kind of event: every campaign event gets them from its rank (bulk updates).
CAMPAIGN_SCALE_ONLINE_EVERY = 10


@transaction.atomic
def campaign_scale(*, campaign: CampaignPage, count: int, report: Callable[[str], None] = print) -> int:
    """Make sure `count` synthetic events exist and attach them to `campaign`, spread over its days, at
    18:00 in their commune or online, of every kind, some free, some accessible. Returns how many events
    the campaign has.

    A few bulk updates rather than one per event: the benchmark attaches thousands.
    """
    publications_scale(count=count, kinds=[PublicationKind.EVENT], search_index=False, report=report)
    pks = list(
        EventPage.objects.filter(slug__startswith=PUBLICATION_SLUG_PREFIX).order_by("pk").values_list("pk", flat=True)
    )[:count]
    days = max((campaign.end_date - campaign.start_date).days + 1, 1)
    tz = timezone.get_current_timezone()
    for offset in range(days):
        day = campaign.start_date + datetime.timedelta(days=offset)
        start = datetime.datetime.combine(day, datetime.time(18), tzinfo=tz)
        EventPage.objects.filter(pk__in=pks[offset::days]).update(
            campaign=campaign, start=start, end=start + datetime.timedelta(hours=2)
        )
    kinds = EventType.values
    for rank, kind in enumerate(kinds):
        EventPage.objects.filter(pk__in=pks[rank :: len(kinds)]).update(event_type=kind)
    EventPage.objects.filter(pk__in=pks[::2]).update(is_free=True)
    EventPage.objects.filter(pk__in=pks[::3]).update(accessible=True)
    EventPage.objects.filter(pk__in=pks[::CAMPAIGN_SCALE_ONLINE_EVERY]).update(
        commune="", online_url="https://visio.example.org/festival"
    )
    return EventPage.objects.filter(campaign=campaign).count()


SUPPORT_TITLE_PREFIX = "Projet synthétique "


def support_requests_scale(*, count: int, year: int, report: Callable[[str], None] = print) -> int:
    """Make sure `count` synthetic support requests exist (by their title's prefix), each with its figures record,
    sent over `year`, of every need, stage and actor type, in the Breton départements, one request in three
    answered within days and one in four closed, with some desk time. Bulk-written: the benchmark makes 10,000.
    Returns how many synthetic requests there are."""
    existing = SupportRequest.objects.filter(project_title__startswith=SUPPORT_TITLE_PREFIX).count()
    rng = random.Random(count)  # noqa: S311 -- synthetic data, not secrets
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    needs, stages, actors = SupportNeed.values, ProjectStage.values, ActorType.values
    for first in range(existing, count, CHUNK):
        numbers = range(first, min(first + CHUNK, count))
        requests = [
            SupportRequest(
                structure_name=f"Structure {number}",
                department=["22", "29", "35", "56"][number % 4],
                actor_type=actors[number % len(actors)],
                contact_name=f"Personne {number}",
                contact_email=f"personne{number}@example.org",
                project_title=f"{SUPPORT_TITLE_PREFIX}{number}",
                countries=rng.sample(COUNTRIES, number % 3),
                stage=stages[number % len(stages)],
                need=needs[number % len(needs)],
                description="Demande synthétique.",
                consent_at=start,
                status=SupportStatus.CLOSED if number % 4 == 0 else SupportStatus.NEW,
            )
            for number in numbers
        ]
        with transaction.atomic():
            SupportRequest.objects.bulk_create(requests)
            records = []
            for number, support_request in zip(numbers, requests, strict=True):
                created = start + datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
                answered = created + datetime.timedelta(hours=rng.randrange(1, 240)) if number % 3 == 0 else None
                closed = created + datetime.timedelta(days=rng.randrange(1, 90)) if number % 4 == 0 else None
                records.append(
                    SupportRecord(
                        request=support_request,
                        created_at=created,
                        first_answer_at=answered,
                        closed_at=closed,
                        status=support_request.status,
                        need=support_request.need,
                        stage=support_request.stage,
                        department=support_request.department,
                        actor_type=support_request.actor_type,
                        countries=support_request.countries,
                        minutes=rng.choice((0, 15, 30, 60, 90)),
                    )
                )
            SupportRecord.objects.bulk_create(records)
        report(f"{min(first + CHUNK, count)} support requests")
    return SupportRequest.objects.filter(project_title__startswith=SUPPORT_TITLE_PREFIX).count()
