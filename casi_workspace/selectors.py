"""Read queries shared by pages, exports, feeds and search: one place to keep them correct and fast."""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils import timezone
from django_countries import countries as all_countries
from taggit.models import Tag
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, PageViewRestriction, TaskState, WorkflowState
from wagtail.users.models import UserProfile

from .conf import get_setting
from .models import PUBLICATION_MODELS, OrganisationPage, PublicationPage, Sector, SustainableDevelopmentGoal, Zone
from .models.organisations import DEPARTMENT_CHOICES, ActorType
from .models.publications import PublicationTag
from .search import clean_query
from .validators import compact_identifier

_WORDS_TO_IGNORE = re.compile(r"\b(association|asso|collectif|les|le|la|l|des|de|du|d|et)\b")


def pages_public(queryset: QuerySet) -> QuerySet:
    """Wagtail's `.public()` in a query whose size does not grow with the number of view restrictions.

    `.public()` adds one `NOT (path LIKE 'restricted%')` per restriction, and every folder of a working group
    is one: with 20 groups of 50 folders SQLite refuses the query (expression tree too large) and PostgreSQL
    tests a thousand patterns on every row. Here the restricted pages are grouped by depth: a row is left out
    when the start of its path at one of those depths is a restricted page's path, one lookup in a small set
    per depth. Like `.public()`, it costs one query first (the depths). The search backends cannot filter on
    such an expression: search `Model.objects.filter(pk__in=pages_public(…).values("pk"))` instead.
    """
    depths = sorted(set(PageViewRestriction.objects.values_list("page__depth", flat=True)))
    for depth in depths:
        prefix = f"casi_prefix_{depth}"
        paths = PageViewRestriction.objects.filter(page__depth=depth).values("page__path")
        queryset = queryset.alias(**{prefix: Substr("path", 1, depth * Page.steplen)}).exclude(
            **{f"{prefix}__in": paths}
        )
    return queryset


def organisations_public(directory=None) -> QuerySet[OrganisationPage]:
    """Live organisations a visitor may see, optionally those of one directory."""
    queryset = pages_public(OrganisationPage.objects.live())
    if directory is not None:
        queryset = queryset.child_of(directory)
    return queryset


def publications_public(model: type[PublicationPage] = PublicationPage) -> QuerySet:
    """Publications a visitor may see: live, public, not past their expiry date, of a live organisation.

    Everything public reads this. `model` narrows to one kind (its own table joined in the same query).
    An item whose expiry date has passed stays live until `publish_scheduled` runs: it is left out from
    that moment on. Items of an unpublished organisation page stay out of listings, feeds and sitemap.
    """
    return (
        pages_public(model.objects.live())
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()), organisation__live=True)
        .select_related("organisation")
    )


def page_is_expired(page: Page) -> bool:
    """Past its expiry date: out of every list already, and answered 404 from that moment on."""
    return page.expire_at is not None and page.expire_at <= timezone.now()


@dataclass(frozen=True)
class DirectoryFilters:
    """Validated directory filters; an empty value means "no filter"."""

    q: str = ""
    actor_type: str = ""
    department: str = ""
    country: str = ""
    sector: str = ""
    sdg: int | None = None
    status: str = ""

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def organisations_filter(queryset: QuerySet[OrganisationPage], filters: DirectoryFilters):
    """Apply the directory filters, then the full-text query. Returns a queryset or search results.

    Filters on many-to-many and multiple-choice fields go through `pk__in` sub-queries, the form the
    search backends accept.
    """
    if filters.actor_type:
        queryset = queryset.filter(actor_type=filters.actor_type)
    if filters.department:
        queryset = queryset.filter(department=filters.department)
    if filters.status:
        queryset = queryset.filter(membership_status=filters.status)
    related = Q()
    if filters.country:
        related &= Q(countries__contains=filters.country)
    if filters.sector:
        related &= Q(sectors__slug=filters.sector)
    if filters.sdg:
        related &= Q(sdgs__number=filters.sdg)
    if related:
        queryset = queryset.filter(pk__in=OrganisationPage.objects.filter(related).values("pk"))
    query = clean_query(filters.q)
    if query:
        # By primary key: the search backends filter on indexed fields only, not on `pages_public`'s paths.
        searchable = OrganisationPage.objects.filter(pk__in=queryset.values("pk")).order_by(*queryset.query.order_by)
        return searchable.search(query, operator="and", order_by_relevance=False)
    return queryset


def organisation_markers(queryset: QuerySet[OrganisationPage]) -> list[dict[str, Any]]:
    """Map markers: one small dict per organisation with coordinates, from one query."""
    rows = (
        queryset.exclude(latitude__isnull=True)
        .exclude(longitude__isnull=True)
        .order_by("title")
        .values_list("pk", "title", "slug", "commune", "latitude", "longitude")
    )
    return [
        {"id": pk, "name": title, "slug": slug, "commune": commune, "lat": float(lat), "lng": float(lng)}
        for pk, title, slug, commune, lat, lng in rows
    ]


def _normalised_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(_WORDS_TO_IGNORE.sub(" ", text).split())


def names_are_close(first: str, second: str) -> bool:
    a, b = _normalised_name(first), _normalised_name(second)
    return bool(a and b) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.88)


def organisation_find_duplicate(
    *, name: str, commune: str = "", siren: str = "", rna: str = "", siret: str = "", exclude_pk: int | None = None
) -> OrganisationPage | None:
    """An existing organisation with the same SIREN (or SIRET's SIREN) or RNA, or a close name in the same commune."""
    siren = compact_identifier(siren) or compact_identifier(siret)[:9]
    rna = compact_identifier(rna)
    candidates = OrganisationPage.objects.all()
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    identifiers = Q()
    if siren:
        identifiers |= Q(siren=siren) | Q(siret__startswith=siren)
    if rna:
        identifiers |= Q(rna=rna)
    if identifiers:
        match = candidates.filter(identifiers).order_by("pk").first()
        if match:
            return match
    if commune:
        for candidate in candidates.filter(commune__iexact=commune.strip()).only("pk", "title"):
            if names_are_close(candidate.title, name):
                return candidate
    return None


def _counts(rows: Iterable[tuple[Any, int]], labels: dict[Any, str]) -> list[dict[str, Any]]:
    return [{"key": key, "label": labels.get(key, str(key)), "count": count} for key, count in rows if count]


def directory_statistics(queryset: QuerySet[OrganisationPage]) -> dict[str, list[dict[str, Any]]]:
    """Counts of organisations by département, actor type, sector and country, largest first."""
    pks = queryset.values("pk")
    by_department = queryset.values_list("department").annotate(n=Count("pk")).order_by("-n", "department")
    by_type = queryset.values_list("actor_type").annotate(n=Count("pk")).order_by("-n", "actor_type")
    by_sector = (
        Sector.objects.filter(organisations__in=pks)
        .values_list("name")
        .annotate(n=Count("organisations"))
        .order_by("-n", "name")
    )
    country_counts: dict[str, int] = {}
    for (codes,) in queryset.values_list("countries"):
        for code in filter(None, str(codes or "").split(",")):
            country_counts[code] = country_counts.get(code, 0) + 1
    by_country = sorted(country_counts.items(), key=lambda item: (-item[1], item[0]))
    return {
        "department": _counts(by_department, dict(DEPARTMENT_CHOICES)),
        "actor_type": _counts(by_type, dict(ActorType.choices)),
        "sector": _counts(by_sector, {}),
        "country": _counts(by_country, dict(all_countries)),
    }


def user_is_coordinator(user) -> bool:
    """Superuser or member of the network coordinators' group; remembered on the user for the request."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_casi_is_coordinator"):
        user._casi_is_coordinator = (
            user.is_superuser or user.groups.filter(name=get_setting("COORDINATORS_GROUP")).exists()
        )
    return user._casi_is_coordinator


def organisations_edited_by(user) -> QuerySet[OrganisationPage]:
    """The organisations whose editors' group the user belongs to, as a plain (non-coordinator) editor sees them."""
    return OrganisationPage.objects.filter(workspace__editors_group__user=user).order_by("title").distinct()


def _paths_q(paths: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def pages_visible_to_editor(pages: QuerySet, user) -> QuerySet:
    """What a page chooser may list: live, public pages, plus the subtrees the user may edit.

    Coordinators and superusers see everything; everyone else never sees another organisation's
    drafts or private pages.
    """
    if user_is_coordinator(user):
        return pages
    own = GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True).distinct()
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
    public_live = Q(live=True) & ~_paths_q(restricted)
    return pages.filter(public_live | _paths_q(own))


@dataclass(frozen=True)
class PublicationFilters:
    """Validated filters of a publication index; an empty value means "no filter".

    `when` is "upcoming" or "past" on the agenda and the trainings (empty elsewhere); `month` is the
    first day of the chosen month.
    """

    organisation: str = ""
    department: str = ""
    tag: str = ""
    type: str = ""
    when: str = ""
    month: datetime.date | None = None

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in ("organisation", "department", "tag", "type", "month"))


# The column each kind's "type" filter reads, when the kind has one.
PUBLICATION_TYPE_FIELDS: dict[str, str] = {"offer": "offer_kind", "resource": "resource_kind", "project": "status"}
# Kinds listed as an agenda: upcoming or past, by month.
DATED_KINDS = frozenset({"event", "training"})


def _month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
    following = datetime.datetime(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, timezone.make_aware(following)


def publications_open(queryset: QuerySet, kind: str) -> QuerySet:
    """Leave out calls past their deadline, and offers past theirs when they have one (today still counts).

    `kind` empty means a queryset of `PublicationPage` mixing every kind.
    """
    today = timezone.localdate()
    if kind == "call":
        return queryset.filter(deadline__gte=today)
    if kind == "offer":
        return queryset.filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
    if not kind:  # every kind at once (an organisation's page): the kinds' own tables are joined
        return queryset.exclude(callforprojectspage__deadline__lt=today).exclude(offerpage__deadline__lt=today)
    return queryset


def publications_for_index(kind: str, filters: PublicationFilters, *, base: QuerySet | None = None) -> QuerySet:
    """One index's listing: its kind's public items, open ones only, filtered and ordered; tags prefetched.

    Everything a row shows comes from this query and the one tags prefetch. Pass `base` (the kind's
    `publications_public`) when the caller already built it, to spare the private-pages query.
    """
    queryset = base if base is not None else publications_public(PUBLICATION_MODELS[kind])
    queryset = publications_open(queryset, kind)
    if filters.organisation:
        queryset = queryset.filter(organisation__slug=filters.organisation)
    if filters.department:
        queryset = queryset.filter(department=filters.department)
    if filters.tag:
        queryset = queryset.filter(pk__in=PublicationTag.objects.filter(tag__slug=filters.tag).values("content_object"))
    type_field = PUBLICATION_TYPE_FIELDS.get(kind)
    if type_field and filters.type:
        queryset = queryset.filter(**{type_field: filters.type})
    order: list[Any] = ["-first_published_at", "-pk"]
    if kind in DATED_KINDS:
        queryset = queryset.annotate(casi_until=Coalesce("end", "start"))
        now = timezone.now()
        if filters.month:
            month_start, month_end = _month_bounds(filters.month)
            queryset = queryset.filter(start__lt=month_end, casi_until__gte=month_start)
        if filters.when == "past":
            queryset = queryset.filter(casi_until__lt=now)
            order = ["-start", "-pk"]
        else:
            if filters.when == "upcoming":
                queryset = queryset.filter(casi_until__gte=now)
            order = ["start", "pk"]
    elif kind == "call":
        order = ["deadline", "-first_published_at", "-pk"]
    elif kind == "offer":
        order = [F("deadline").asc(nulls_last=True), "-first_published_at", "-pk"]
    return queryset.order_by(*order).prefetch_related("tags")


FILTER_CHOICES_MAX = 100  # organisations, and keywords, offered by a publication index's filters


def publication_filter_choices(
    base: QuerySet, *, organisation: str = "", tag: str = ""
) -> dict[str, list[tuple[str, str]]]:
    """The organisations, départements and keywords that occur in an index, in three queries.

    `base` is the kind's public queryset; choices never offer an organisation or a keyword with nothing here.
    Organisations and keywords are those with the most items, FILTER_CHOICES_MAX at most (alphabetical), and
    always the one chosen (`organisation`, `tag`): with thousands of organisations a complete list would make
    every page of the index hundreds of kilobytes and the list unusable; each organisation's page lists all
    of its publications.
    """
    items = base.order_by()
    top_organisations = (
        items.exclude(organisation__isnull=True)
        .values_list("organisation__slug", "organisation__title")
        .annotate(items=Count("pk"), chosen=Case(When(organisation__slug=organisation, then=1), default=0))
        .order_by("-chosen", "-items", "organisation__title")[:FILTER_CHOICES_MAX]
    )
    codes = items.exclude(department="").values_list("department", flat=True).distinct()
    department_labels = dict(DEPARTMENT_CHOICES)
    top_tags = (
        Tag.objects.filter(casi_workspace_publicationtag_items__content_object__in=items.values("pk"))
        .values_list("slug", "name")
        .annotate(items=Count("pk"), chosen=Case(When(slug=tag, then=1), default=0))
        .order_by("-chosen", "-items", "name")[:FILTER_CHOICES_MAX]
    )
    return {
        "organisations": sorted(
            ((slug, title) for slug, title, _n, _chosen in top_organisations), key=lambda item: item[1].casefold()
        ),
        "departments": [(code, department_labels.get(code, code)) for code in sorted(codes)],
        "tags": sorted(((slug, name) for slug, name, _n, _chosen in top_tags), key=lambda item: item[1].casefold()),
    }


def publications_latest(model: type[PublicationPage] = PublicationPage, *, limit: int = 3, **lookups) -> list:
    """The newest public items of a kind (or of every kind), in one query: home page and organisation page."""
    queryset = publications_public(model).filter(**lookups)
    return list(publications_open(queryset, model.kind_value).order_by("-first_published_at", "-pk")[:limit])


def events_next(model: type[PublicationPage], *, limit: int = 3) -> list:
    """The next events (or trainings) not yet over, soonest first, in one query."""
    queryset = publications_public(model).annotate(casi_until=Coalesce("end", "start"))
    return list(queryset.filter(casi_until__gte=timezone.now()).order_by("start", "pk")[:limit])


def calls_open(model: type[PublicationPage], *, limit: int = 3) -> list:
    """Calls for projects still open, closest deadline first, in one query."""
    return list(publications_open(publications_public(model), "call").order_by("deadline", "pk")[:limit])


PRIVATE_CHECK_DEPTH = 16  # pages deeper than this are left out by `pages_exclude_private`


def pages_exclude_private(queryset: QuerySet) -> QuerySet:
    """`.public()` computed inside the query, for short lists (a menu, a page's own items): no extra query.

    Each row looks its ancestors up among the restricted pages by path, one index lookup per level (the
    row's path cut at each depth), whatever the number of restrictions. Pages deeper than
    PRIVATE_CHECK_DEPTH levels are left out rather than half-checked. Long lists use `pages_public`.
    """
    ancestors = [Substr(OuterRef("path"), 1, level * Page.steplen) for level in range(1, PRIVATE_CHECK_DEPTH + 1)]
    restricted = PageViewRestriction.objects.filter(page__path__in=ancestors)
    return queryset.filter(depth__lte=PRIVATE_CHECK_DEPTH).exclude(Exists(restricted))


@dataclass
class OrganisationDetails:
    """What an organisation's page lists besides its own columns, read in one query."""

    zones: list[str]
    sectors: list[str]
    sdgs: list[str]
    tags: list[str]
    collective: OrganisationPage | None
    members: list[OrganisationPage]


def _organisation_details_in_memory(organisation: OrganisationPage) -> OrganisationDetails:
    """A preview's details: the relations as the editor left them, not as saved."""
    members = []
    if organisation.is_collective and organisation.pk:
        members = list(pages_exclude_private(organisation.collective_members.live()).order_by("title"))
    collective = organisation.parent_collective
    return OrganisationDetails(
        zones=[zone.name for zone in organisation.zones.all()],
        sectors=[sector.name for sector in organisation.sectors.all()],
        sdgs=[str(goal) for goal in organisation.sdgs.all()],
        tags=[tag.name for tag in organisation.tags.all()],
        collective=collective if collective is not None and collective.live else None,
        members=members,
    )


def organisation_details(organisation: OrganisationPage, *, preview: bool = False) -> OrganisationDetails:
    """Zones, sectors, goals, keywords, live collective and live public members of an organisation: one query.

    A UNION of small selects, one per relation; the collective and the members come back as deferred
    `OrganisationPage` instances (title and address loaded; anything else is read on access). The
    collective is also put in the page's `parent_collective` cache, which its JSON-LD reads.
    """
    if preview:
        return _organisation_details_in_memory(organisation)

    def rows(queryset: QuerySet, name: str, label: str, sort: str | Any, url_path: str = "") -> QuerySet:
        return queryset.order_by().values_list(
            Value(name, output_field=CharField()),
            "pk",
            label,
            F(url_path) if url_path else Value("", output_field=CharField()),
            F(sort) if isinstance(sort, str) else sort,
        )

    zero = Value(0, output_field=IntegerField())
    live = Cast("live", IntegerField())
    parts = [
        rows(Zone.objects.filter(organisationpage=organisation.pk), "zone", "name", "sort_order"),
        rows(Sector.objects.filter(organisations=organisation.pk), "sector", "name", "sort_order"),
        rows(SustainableDevelopmentGoal.objects.filter(organisations=organisation.pk), "sdg", "name", "number"),
        rows(
            Tag.objects.filter(casi_workspace_organisationtag_items__content_object=organisation.pk),
            "tag",
            "name",
            zero,
        ),
        rows(
            OrganisationPage.objects.filter(pk=organisation.parent_collective_id),
            "collective",
            "title",
            live,
            "url_path",
        ),
    ]
    if organisation.is_collective:
        members = pages_exclude_private(organisation.collective_members.live())
        parts.append(rows(members, "member", "title", zero, "url_path"))
    details = OrganisationDetails(zones=[], sectors=[], sdgs=[], tags=[], collective=None, members=[])
    found = parts[0].union(*parts[1:], all=True)
    fields = ["page_ptr_id", "id", "title", "url_path", "live"]
    for name, pk, label, url_path, sort in sorted(found, key=lambda row: (row[0], row[4], row[2].casefold())):
        if name == "collective":
            collective = OrganisationPage.from_db(found.db, fields, [pk, pk, label, url_path, bool(sort)])
            OrganisationPage.parent_collective.field.set_cached_value(organisation, collective)
            details.collective = collective if collective.live else None
        elif name == "member":
            details.members.append(OrganisationPage.from_db(found.db, fields, [pk, pk, label, url_path, True]))
        elif name == "sdg":
            details.sdgs.append(f"{sort}. {label}")
        else:
            getattr(details, f"{name}s").append(label)
    return details


def organisation_publications_latest(organisation: OrganisationPage, *, limit: int = 6) -> list[PublicationPage]:
    """An organisation's newest live public publications of every kind, closed calls and offers left out: one query.

    Same rows as `publications_public()` filtered on the organisation, with the private-pages check
    inside the query (the organisation's page has no query to spare).
    """
    queryset = (
        PublicationPage.objects.live()
        .filter(organisation=organisation.pk)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))
    )
    queryset = publications_open(pages_exclude_private(queryset), "")
    items = list(queryset.order_by("-first_published_at", "-pk")[:limit])
    for item in items:  # "Event", "Call for projects"…: the kind's own name, singular
        item.kind_label = PUBLICATION_MODELS[item.kind].get_verbose_name()
    return items


def image_rendition(image_id: int | None, filter_spec: str):
    """An image's rendition, fetched with its image in one query; generated (once) when it does not exist yet."""
    if not image_id:
        return None
    from wagtail.images import get_image_model
    from wagtail.images.models import Filter
    from wagtail.images.shortcuts import get_rendition_or_not_found

    rendition_model = get_image_model().get_rendition_model()
    candidates = rendition_model.objects.select_related("image").filter(image_id=image_id, filter_spec=filter_spec)
    image = None
    for rendition in candidates:
        image = rendition.image
        if rendition.focal_point_key == Filter(spec=filter_spec).get_cache_key(image):
            return rendition
    image = image or get_image_model().objects.filter(pk=image_id).first()
    return get_rendition_or_not_found(image, filter_spec) if image is not None else None


# --- Moderation queue -------------------------------------------------------------------------------------


def page_organisation(page: Page) -> OrganisationPage | None:
    """The organisation a page belongs to: the page itself or its nearest organisation ancestor, in one query."""
    steplen = page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return OrganisationPage.objects.filter(path__in=paths).order_by("-depth").first()


def moderation_task_approvers(task_id: int) -> QuerySet:
    """Active users with an email address in any group of a group approval task, each once.

    Those who turned off "submitted" notifications in their Wagtail account are left out.
    """
    membership = GroupApprovalTask.groups.through.objects.filter(
        groupapprovaltask_id=task_id, group__user=OuterRef("pk")
    )
    users = get_user_model()._default_manager.filter(Exists(membership), is_active=True).exclude(email="")
    return users.exclude(wagtail_userprofile__submitted_notifications=False)


def user_accepts_notification(user, notification: str) -> bool:
    """Whether `user` keeps Wagtail's "approved" or "rejected" notifications on (their account's settings)."""
    return not UserProfile.objects.filter(user=user, **{f"{notification}_notifications": False}).exists()


def publication_proposer_email(page_id: int) -> str:
    """The address a visitor left when proposing a publication from the public site ("" if none)."""
    return PublicationPage.objects.filter(pk=page_id).values_list("proposer_email", flat=True).first() or ""


def user_can_moderate(user) -> bool:
    """Superusers, and members of a group that approves an active group approval task; remembered on the user."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_casi_can_moderate"):
        user._casi_can_moderate = (
            user.is_superuser or GroupApprovalTask.objects.filter(active=True, groups__user=user).exists()
        )
    return user._casi_can_moderate


def _moderation_states(user) -> QuerySet[TaskState]:
    """Pages' moderation steps in progress that `user` may decide: every one for a superuser."""
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__active=True,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
    )
    if not user.is_superuser:
        approving = GroupApprovalTask.groups.through.objects.filter(
            groupapprovaltask_id=OuterRef("task_id"), group__user=user.pk
        )
        states = states.filter(Exists(approving))
    return states


def moderation_queue_count(user) -> int:
    """How many items wait for `user`'s decision (the admin menu shows it)."""
    return _moderation_states(user).count() if user_can_moderate(user) else 0


def moderation_queue(user) -> QuerySet[TaskState]:
    """The moderation queue of `user`, oldest first, each row carrying what the queue shows, in one query.

    A workflow state names its page by a text `object_id`: the page's id is cast from it inside a CASE
    that only casts a page's (PostgreSQL casts no other row then). Annotations: `casi_page_id`,
    `casi_title` (the latest draft's title), `casi_organisation_id` (a publication's organisation, or the
    organisation page itself), `casi_organisation_title`, `casi_proposer_name` (a visitor's proposal);
    the submitter and the page's own type come with `workflow_state` (select_related).
    """
    page_type = ContentType.objects.get_for_model(Page)
    page_id = Case(
        When(
            workflow_state__base_content_type=page_type,
            then=Cast("workflow_state__object_id", IntegerField()),
        ),
        default=None,
        output_field=IntegerField(),
    )

    def publication(field: str) -> Subquery:
        return Subquery(PublicationPage.objects.filter(pk=OuterRef("casi_page_id")).order_by().values(field)[:1])

    organisation_id = Coalesce(
        publication("organisation_id"),
        Subquery(OrganisationPage.objects.filter(pk=OuterRef("casi_page_id")).order_by().values("pk")[:1]),
        output_field=IntegerField(),
    )
    return (
        _moderation_states(user)
        .annotate(casi_page_id=page_id)
        .annotate(
            casi_title=Subquery(Page.objects.filter(pk=OuterRef("casi_page_id")).order_by().values("draft_title")[:1]),
            casi_proposer_name=publication("proposer_name"),
            casi_organisation_id=organisation_id,
        )
        .annotate(
            casi_organisation_title=Subquery(
                Page.objects.filter(pk=OuterRef("casi_organisation_id")).order_by().values("title")[:1]
            )
        )
        .select_related("workflow_state__requested_by", "workflow_state__content_type")
        .order_by("started_at", "pk")
    )


def moderation_kind_key(app_label: str, model: str) -> str:
    """A queue row's kind in the query string: the publication kind ("news"…), else the page type's model name."""
    model_class = apps.get_model(app_label, model)
    return getattr(model_class, "kind_value", "") or model


def moderation_kind_label(app_label: str, model: str) -> str:
    model_class = apps.get_model(app_label, model)
    return str(model_class.get_verbose_name() if hasattr(model_class, "get_verbose_name") else model)


@dataclass(frozen=True)
class ModerationQueueSummary:
    """Counts of a moderation queue, largest first, and the page type behind each kind key."""

    total: int
    by_kind: list[dict[str, Any]]
    by_organisation: list[dict[str, Any]]
    kind_types: dict[str, tuple[str, str]]

    def organisation_ids(self) -> set[int]:
        return {row["key"] for row in self.by_organisation}


def moderation_queue_summary(queue: QuerySet[TaskState]) -> ModerationQueueSummary:
    """Count the queue by kind and by organisation from one query of small rows.

    Grouping by the queue's correlated subqueries is refused by PostgreSQL, and a queue holds what
    coordinators can read through (tens of items, not thousands): the rows are counted here.
    """
    rows = queue.order_by().values_list(
        "workflow_state__content_type__app_label",
        "workflow_state__content_type__model",
        "casi_organisation_id",
        "casi_organisation_title",
    )
    kinds: dict[str, dict[str, Any]] = {}
    organisations: dict[int, dict[str, Any]] = {}
    kind_types: dict[str, tuple[str, str]] = {}
    total = 0
    for app_label, model, organisation_id, organisation_title in rows:
        total += 1
        key = moderation_kind_key(app_label, model)
        kind_types[key] = (app_label, model)
        kind = kinds.setdefault(key, {"key": key, "label": moderation_kind_label(app_label, model), "count": 0})
        kind["count"] += 1
        if organisation_id is not None:
            row = organisations.setdefault(
                organisation_id, {"key": organisation_id, "label": organisation_title, "count": 0}
            )
            row["count"] += 1

    def order(row: dict[str, Any]) -> tuple[int, str]:
        return -row["count"], str(row["label"]).casefold()

    return ModerationQueueSummary(
        total=total,
        by_kind=sorted(kinds.values(), key=order),
        by_organisation=sorted(organisations.values(), key=order),
        kind_types=kind_types,
    )


def moderation_queue_filter(
    queue: QuerySet[TaskState], *, kind_type: tuple[str, str] | None = None, organisation_id: int | None = None
) -> QuerySet[TaskState]:
    """The queue narrowed to one page type (app label, model) and/or one organisation."""
    if kind_type is not None:
        queue = queue.filter(
            workflow_state__content_type__app_label=kind_type[0], workflow_state__content_type__model=kind_type[1]
        )
    if organisation_id is not None:
        queue = queue.filter(casi_organisation_id=organisation_id)
    return queue
