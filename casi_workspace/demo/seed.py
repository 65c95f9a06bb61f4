"""Seed the demo network. Idempotent: what exists is left as it is, only what is missing is created.

Resumable too: the network (sections, organisations, working groups, accounts) is one transaction, then
each organisation's publications and each working group's library are one transaction of their own, so
that an interrupted run keeps what it finished and the next run carries on from there.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from casi_workspace.applications.services import application_create, application_fingerprint
from casi_workspace.campaigns.services import programme_pdf_request
from casi_workspace.conf import get_setting
from casi_workspace.demo import campaign as festival
from casi_workspace.demo import data, files
from casi_workspace.demo.details import COUNTRIES_BY_SLUG, organisation_details
from casi_workspace.demo.images import illustration_jpeg, logo_png
from casi_workspace.demo.pages import child_page
from casi_workspace.demo.publications import PublicationSpec, closed_deadline, organisation_publications, pending_news
from casi_workspace.demo.registrations import festival_registrations_seed, network_meeting_seed
from casi_workspace.demo.support import support_requests_seed
from casi_workspace.models import (
    PUBLICATION_MODELS,
    CampaignPage,
    CampaignProgramme,
    DeliveryStatus,
    DirectoryPage,
    DocumentFolderPage,
    EventPage,
    MembershipApplication,
    MembershipPage,
    MembershipRole,
    MinutesPage,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterIssueStatus,
    NewsletterPage,
    NewsletterSubscriber,
    NewsletterTopic,
    OrganisationPage,
    OrganisationWorkspace,
    PublicationIndexPage,
    PublicationPage,
    Sector,
    SharedDocumentPage,
    SubscriberStatus,
    SubscriptionSource,
    SustainableDevelopmentGoal,
    WorkingGroupIndexPage,
    WorkingGroupMembership,
    WorkingGroupPage,
    WorkingGroupRole,
    Zone,
)
from casi_workspace.newsletter.selectors import SECTIONS
from casi_workspace.newsletter.services.issues import FIRST_PERIOD, issue_candidates
from casi_workspace.workgroups.provisioning import working_group_provision
from casi_workspace.workgroups.services import memberships as workgroups
from casi_workspace.workgroups.services.library import (
    TITLE_MAX_LENGTH,
    document_replace,
    documents_upload,
    folder_create,
)
from casi_workspace.workspaces.provisioning import coordinators_provision, organisation_provision
from casi_workspace.workspaces.services import teams

Report = Callable[[str], None]

# Accounts whose role is a place in an organisation's team (see services/teams.py).
TEAM_ROLES = {"editor": MembershipRole.EDITOR, "manager": MembershipRole.MANAGER}

SECTION_MODELS = {
    "directory": DirectoryPage,
    "publications": PublicationIndexPage,
    "working_groups": WorkingGroupIndexPage,
    "membership": MembershipPage,
    "newsletter": NewsletterPage,
}


def _paragraph(text: str) -> str:
    return f"<p>{text}</p>" if text else ""


def _organisation(
    directory: Page, org: data.Organisation, collectives: dict[str, OrganisationPage]
) -> OrganisationPage:
    postcode, department, latitude, longitude = data.COMMUNES[org.commune]

    def build() -> OrganisationPage:
        extra = organisation_details(org.slug, org.actor_type)
        page = OrganisationPage(
            title=org.title,
            acronym=org.acronym,
            actor_type=org.actor_type,
            description=_paragraph(org.description or data.DEFAULT_DESCRIPTION),
            address=extra["address"],
            rna=extra["rna"],
            siren=extra["siren"],
            siret=extra["siret"],
            countries=extra["countries"],
            contact_name=extra["contact_name"],
            public_phone=extra["public_phone"],
            private_phone=extra["private_phone"],
            private_email=f"{slugify(extra['contact_name'])}@{org.slug}.example.org",
            membership_status=extra["membership_status"],
            postcode=postcode,
            commune=org.commune,
            department=department,
            latitude=Decimal(str(latitude)),
            longitude=Decimal(str(longitude)),
            website=f"https://{org.slug}.example.org/",
            public_email=f"contact@{org.slug}.example.org",
            year_founded=org.founded,
            parent_collective=collectives.get(org.collective),
            is_trusted=org.trusted,
            show_in_menus=False,
        )
        page.zones = list(Zone.objects.filter(code__in=extra["zones"]))
        page.sectors = list(Sector.objects.filter(slug__in=extra["sectors"]))
        page.sdgs = list(SustainableDevelopmentGoal.objects.filter(number__in=extra["sdgs"]))
        page.tags.set(extra["tags"])
        return page

    return child_page(directory, org.slug, build)


Illustrations = dict[str, object]  # the words written on a picture -> its Wagtail image


def _illustration_title(words: str) -> str:
    return f"Illustration — {words}"


@transaction.atomic
def _illustrations_seed(*, report: Report) -> Illustrations:
    """The demo's few illustrations (data.ILLUSTRATIONS and the home page's), each drawn and stored once.

    Found again by title at the next run: a re-run draws nothing and stores nothing. They sit in the root
    collection, shared by the publications of every organisation.
    """
    report(_("Illustrations"))
    Image = get_image_model()
    wanted = [data.HOME_ILLUSTRATION, *(words for choices in data.ILLUSTRATIONS.values() for words in choices)]
    titles = {_illustration_title(words): words for words in wanted}
    found = {titles[image.title]: image for image in Image.objects.filter(title__in=titles).order_by("pk")}
    for words in wanted:
        if words in found:
            continue
        caption = "" if words == data.HOME_ILLUSTRATION else words
        slug = slugify(words)
        image = Image(
            title=_illustration_title(words),
            description=f"Illustration : {caption}" if caption else "",
            file=ImageFile(io.BytesIO(illustration_jpeg(f"demo:{slug}", caption)), name=f"illustration-{slug}.jpg"),
        )
        image.save()
        found[words] = image
    return found


def _home_seed(home: Page, illustrations: Illustrations) -> None:
    """The home page's headline, introduction and picture, where it has none yet: one revision, published."""
    changed = False
    if hasattr(home, "headline") and not home.headline:
        home.headline = data.HOME_HEADLINE
        home.intro = _paragraph(data.HOME_INTRO)
        changed = True
    if hasattr(home, "hero_image_id") and home.hero_image_id is None:
        home.hero_image = illustrations[data.HOME_ILLUSTRATION]
        home.hero_image_alt = ""  # an abstract picture: decorative, the headline says it all
        changed = True
    if changed:
        home.save_revision().publish()


def _logo(organisation: OrganisationPage, workspace: OrganisationWorkspace) -> None:
    """Give the organisation a logo from its own collection, once."""
    if organisation.logo_id:
        return
    logo = get_image_model()(
        title=f"Logo — {organisation.title}",
        file=ImageFile(io.BytesIO(logo_png(organisation.title, organisation.slug)), name=f"{organisation.slug}.png"),
        collection=workspace.collection,
    )
    logo.save()
    organisation.logo = logo
    organisation.save_revision().publish()


def _user(username: str, first_name: str, last_name: str, password: str, *, superuser: bool = False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.org",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(password)
        user.save()
    return user


def _account_groups(role: str, target: str) -> list[Group]:
    if role == "coordinator":
        return list(Group.objects.filter(name=get_setting("COORDINATORS_GROUP")))
    if role == "collective":
        return [OrganisationWorkspace.objects.get(organisation__slug=target).coordinators_group]
    return []


def demo_site_address(*, hostname: str, port: int) -> None:
    """The default site names the address the demo is served at: Wagtail builds absolute links from it."""
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])


def demo_seed(*, password: str, report: Report) -> None:
    """Create the demo's illustrations, the network under the default site's root page, then what its
    organisations publish, then the working groups' folders, documents and minutes, then support requests."""
    illustrations = _illustrations_seed(report=report)
    directory = _network_seed(password=password, report=report, illustrations=illustrations)
    _publications_seed(directory=directory, report=report, illustrations=illustrations)
    _campaign_seed(directory=directory, report=report, illustrations=illustrations)
    _working_group_libraries_seed(report=report)
    _newsletter_subscribers_seed(report=report)
    _newsletter_issues_seed(report=report)
    report(_("Support requests"))
    support_requests_seed()


@transaction.atomic
def _network_seed(*, password: str, report: Report, illustrations: Illustrations) -> Page:
    """Sections, organisations and their workspaces, working groups, applications and accounts."""
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    home = site.root_page.specific
    if site.site_name != "CASI Bretagne":
        site.site_name = "CASI Bretagne"
        site.save(update_fields=["site_name"])

    _home_seed(home, illustrations)

    report(_("Sections"))
    sections: dict[str, Page] = {}
    for slug, page_type, title, kind in data.SECTIONS:
        model = SECTION_MODELS[page_type]
        fields = {"title": title, "intro": _paragraph(data.SECTION_INTROS[slug]), "show_in_menus": True}
        if kind:
            fields["kind"] = kind
        sections[slug] = child_page(home, slug, lambda model=model, fields=fields: model(**fields))

    report(_("Coordinators"))
    coordinators_provision(site_root=home)

    directory = sections["annuaire"]
    report(_("Network and departmental collectives"))
    collectives: dict[str, OrganisationPage] = {}
    for org in [data.NETWORK, *data.COLLECTIVES]:
        collectives[org.slug] = _organisation(directory, org, collectives)
    total = len(data.MEMBERS)
    organisations = list(collectives.values())
    for number, org in enumerate(data.MEMBERS, start=1):
        organisations.append(_organisation(directory, org, collectives))
        if number % 10 == 0 or number == total:
            report(_("Organisations: %(done)s/%(total)s") % {"done": number, "total": total})

    report(_("Workspaces"))
    for organisation in organisations:
        _logo(organisation, organisation_provision(organisation=organisation))

    report(_("Working groups"))
    by_slug = {organisation.slug: organisation for organisation in organisations}
    working_groups = {spec.slug: _working_group(sections["groupes"], spec, by_slug) for spec in data.WORKING_GROUPS}

    report(_("Membership applications"))
    _membership_applications()

    report(_("Accounts"))
    for username, first_name, last_name, role, target in data.ACCOUNTS:
        user = _user(username, first_name, last_name, password, superuser=role == "superuser")
        for group in _account_groups(role, target):
            user.groups.add(group)
        if role in TEAM_ROLES:
            # The team's membership puts the account in the organisation's editors' group too.
            teams.membership_add(
                organisation=OrganisationPage.objects.get(slug=target), user=user, role=TEAM_ROLES[role]
            )
    _working_group_memberships(working_groups)
    return directory


def _working_group(
    index: Page, spec: data.WorkingGroup, organisations: dict[str, OrganisationPage]
) -> WorkingGroupPage:
    def build() -> WorkingGroupPage:
        page = WorkingGroupPage(
            title=spec.title,
            visibility=spec.visibility,
            join_policy=spec.join_policy,
            purpose=_paragraph(spec.purpose),
            organisation=organisations[spec.organisation],
        )
        page.member_organisations = [organisations[slug] for slug in spec.member_organisations]
        return page

    working_group = child_page(index, spec.slug, build)
    working_group_provision(working_group=working_group)
    return working_group


def _working_group_memberships(working_groups: dict[str, WorkingGroupPage]) -> None:
    """Each account's place in the groups that name it, once: a membership changed since is left as it is."""
    User = get_user_model()
    wanted = [
        (spec.slug, username, role)
        for spec in data.WORKING_GROUPS
        for usernames, role in (
            (spec.coordinators, WorkingGroupRole.COORDINATOR),
            (spec.members, WorkingGroupRole.MEMBER),
        )
        for username in usernames
    ]
    users = {user.username: user for user in User.objects.filter(username__in={row[1] for row in wanted})}
    existing = set(
        WorkingGroupMembership.objects.filter(working_group__in=working_groups.values()).values_list(
            "working_group__slug", "user__username"
        )
    )
    digest = set(data.DIGEST_MEMBERS)
    for slug, username, role in wanted:
        if (slug, username) in existing:
            continue
        group, user = working_groups[slug], users[username]
        workgroups.membership_add(group=group, user=user, role=role)
        if (slug, username) in digest:
            workgroups.membership_notifications_set(group=group, user=user, notifications="digest")


def _membership_applications() -> None:
    """Pending applications for the coordinators, each created once: a decided one is not created again.

    Stored through the service that the public form uses, without its rate limit and with no email.
    """

    for fields in data.APPLICATIONS:
        fingerprint = application_fingerprint(
            organisation_name=fields["organisation_name"], contact_email=fields["contact_email"]
        )
        if not MembershipApplication.objects.filter(fingerprint=fingerprint).exists():
            application_create(data={**fields, "consent": True})


def _authors() -> dict[str, object]:
    """The demo account that writes each organisation's publications, where there is one."""
    User = get_user_model()
    targets = {
        username: data.NETWORK.slug if role == "coordinator" else target
        for username, _first, _last, role, target in data.ACCOUNTS
        if role in ("coordinator", "collective", *TEAM_ROLES)
    }
    return {targets[user.username]: user for user in User.objects.filter(username__in=targets)}


def _body(spec: PublicationSpec) -> list[tuple[str, RichText]]:
    return [("paragraph", RichText(f"<p>{paragraph}</p>")) for paragraph in spec.body]


def _publication_create(
    organisation: OrganisationPage,
    spec: PublicationSpec,
    author,
    now: datetime.datetime,
    illustrations: Illustrations,
) -> PublicationPage:
    """A live publication with one revision, its live one, so that its editors find it in the admin as usual.

    Cheaper than `save_revision().publish()` (a page save, a log entry and the publish signals per item) and
    leaves the same state: live, no unpublished changes, `live_revision` = `latest_revision`.
    """
    model = PUBLICATION_MODELS[spec.kind]
    picture = illustrations.get(spec.illustration) if spec.illustration else None
    page = model(
        image=picture,
        image_alt=f"Illustration : {spec.illustration}" if picture else "",
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        body=_body(spec),
        live=True,
        first_published_at=spec.published_at,
        last_published_at=spec.published_at,
        owner=author,
        **spec.fields,
    )
    page.tags.set(list(spec.tags))
    organisation.add_child(instance=page)
    if spec.closed:
        # A call may not be created with a past deadline: this one closed after it was published.
        page.deadline = closed_deadline(now)
        model.objects.filter(pk=page.pk).update(deadline=page.deadline)
    # The page's own save has just filled the reference index; the revision's save changes no reference.
    with disable_reference_index_auto_update():
        revision = page.save_revision(user=author, changed=False, clean=False)
    Page.objects.filter(pk=page.pk).update(live_revision=revision)
    return page


@contextmanager
def _search_updates_deferred(models: Iterable[type[Page]]) -> Iterator[None]:
    """Saving an indexed page updates its search entry at once, one task per save (three per new page);
    the seed indexes the pages it creates in bulk instead, once they have their tags (`_search_index`)."""
    models = list(models)
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def _search_index(pages: Iterable[PublicationPage]) -> None:
    """Index the new items again, with their tags: the index entry made on save predates them."""
    by_model: dict[type[PublicationPage], list[int]] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page.pk)
    for model, pks in by_model.items():
        items = list(model.objects.filter(pk__in=pks).prefetch_related("tags"))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, items)


@transaction.atomic
def _organisation_publications_seed(
    organisation: OrganisationPage,
    org: data.Organisation,
    author,
    now: datetime.datetime,
    illustrations: Illustrations,
) -> int:
    """The organisation's demo publications that it does not have yet (by slug); how many were created.

    What they say derives from the demo data alone (not from the page, which its editors may change),
    so that a re-run asks for the same slugs.
    """
    existing = set(organisation.get_children().values_list("slug", flat=True))
    specs = organisation_publications(
        slug=org.slug,
        title=org.title,
        commune=org.commune,
        department=data.COMMUNES[org.commune][1],
        countries=COUNTRIES_BY_SLUG.get(org.slug, []),
        now=now,
        association=org.actor_type in ("association", "collective", "popular_education"),
        network=org.slug == data.NETWORK.slug,
    )
    with _search_updates_deferred(PUBLICATION_MODELS.values()):
        created = [
            _publication_create(organisation, spec, author, now, illustrations)
            for spec in specs
            if spec.slug not in existing
        ]
    _search_index(created)
    return len(created)


@transaction.atomic
def _pending_news_seed(organisation: OrganisationPage, author, now: datetime.datetime) -> None:
    """asso-b's news item, a draft its editor submitted to moderation: it waits in the coordinators' queue."""
    spec = pending_news(now=now)
    if author is None or organisation.get_children().filter(slug=spec.slug).exists():
        return
    page = PUBLICATION_MODELS[spec.kind](
        title=spec.title, slug=spec.slug, summary=spec.summary, body=_body(spec), live=False, owner=author
    )
    page.tags.set(list(spec.tags))
    organisation.add_child(instance=page)
    # What the admin's "Submit for moderation" does: a revision by the editor, then the page's workflow.
    page.save_revision(user=author, log_action=True)
    page.get_workflow().start(page, author)
    _search_index([page])


def _publications_seed(*, directory: Page, report: Report, illustrations: Illustrations) -> None:
    """News, events, calls, offers, trainings, resources and projects of every demo organisation."""
    now = timezone.localtime()
    authors = _authors()
    members = [data.NETWORK, *data.COLLECTIVES, *data.MEMBERS]
    pages = {
        page.slug: page
        for page in OrganisationPage.objects.child_of(directory).filter(slug__in=[o.slug for o in members])
    }
    total = len(members)
    for number, org in enumerate(members, start=1):
        _organisation_publications_seed(pages[org.slug], org, authors.get(org.slug), now, illustrations)
        if number % 10 == 0 or number == total:
            report(_("Publications: %(done)s/%(total)s organisations") % {"done": number, "total": total})
    report(_("Publication waiting for moderation"))
    _pending_news_seed(pages[data.UNTRUSTED_ASSOCIATION], authors.get(data.UNTRUSTED_ASSOCIATION), now)
    with transaction.atomic():
        network_meeting_seed()  # the network's regional meeting: workshops and registrations


def _campaign_seed(*, directory: Page, report: Report, illustrations: Illustrations) -> None:
    """The Festival des Solidarités under the home page, its member events, and its printable programme."""
    report(_("Campaign"))
    home = directory.get_parent()
    start, end = festival.campaign_dates(timezone.localdate())

    def build() -> CampaignPage:
        return CampaignPage(
            title=festival.campaign_title(start),
            intro=_paragraph("Le programme des membres du réseau, jour par jour et commune par commune."),
            start_date=start,
            end_date=end,
            presentation=festival.campaign_presentation(),
            partners="\n".join(festival.PARTNERS),
        )

    with transaction.atomic():
        campaign = child_page(home, festival.CAMPAIGN_SLUG, build)
        authors = _authors()
        members = [org for org in data.MEMBERS if org.actor_type == "association"]
        pages = {page.slug: page for page in OrganisationPage.objects.child_of(directory)}
        existing = set(EventPage.objects.filter(campaign=campaign).values_list("slug", flat=True))
        specs = festival.campaign_event_specs(
            organisations=members,
            start=campaign.start_date,
            tz=timezone.get_current_timezone(),
            published_at=timezone.now(),
        )
        created = []
        with _search_updates_deferred([EventPage]):
            for slug, spec in specs:
                if spec.slug in existing:
                    continue
                spec = spec._replace(fields={**spec.fields, "campaign": campaign})
                created.append(_publication_create(pages[slug], spec, authors.get(slug), timezone.now(), illustrations))
        _search_index(created)
        festival_registrations_seed(campaign.pk)
        if created or not CampaignProgramme.objects.filter(campaign=campaign).exclude(pdf="").exists():
            programme_pdf_request(campaign_id=campaign.pk)  # a re-run with nothing new queues nothing


def _document_title(name: str) -> str:
    """The title the library gives an uploaded file: its name without the extension (services.library)."""
    stem = name.rsplit(".", 1)[0].replace("_", " ")
    return " ".join(stem.split())[:TITLE_MAX_LENGTH]


def _upload(spec: data.DocumentSpec, version: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(spec.name, files.document_bytes(spec, version))


@transaction.atomic
def _working_group_library_seed(spec: data.WorkingGroup, group: WorkingGroupPage, today: datetime.date) -> None:
    """The group's folders, documents and minutes that it does not have yet, added the way its people would:
    folders by a coordinator, files uploaded by members through the library, one document replaced once."""
    User = get_user_model()
    usernames = {*spec.coordinators, *spec.members, *(document.uploader for document in spec.documents), "coordination"}
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    organiser = users[spec.coordinators[0] if spec.coordinators else "coordination"]

    folders: dict[str, Page] = {"": group}
    for folder in spec.folders:
        parent = folders[folder.parent]
        folders[folder.key] = DocumentFolderPage.objects.child_of(parent).filter(
            title=folder.title
        ).first() or folder_create(parent=parent, title=folder.title, user=organiser)

    for document in spec.documents:
        parent = folders[document.folder]
        if SharedDocumentPage.objects.child_of(parent).filter(title=_document_title(document.name)).exists():
            continue
        uploader = users[document.uploader]
        (page,) = documents_upload(parent=parent, uploads=[_upload(document, 1)], user=uploader)
        if document.update:
            document_replace(page=page, upload=_upload(document, 2), user=uploader)

    author = users[(spec.coordinators or spec.members)[0]]
    for minutes in spec.minutes:

        def build(minutes: data.MinutesSpec = minutes) -> MinutesPage:
            return MinutesPage(
                title=minutes.title,
                meeting_date=today - datetime.timedelta(days=minutes.days_ago),
                attendees=minutes.attendees,
                body="".join(_paragraph(paragraph) for paragraph in minutes.body),
                owner=author,
            )

        child_page(group, minutes.slug, build)


def _working_group_libraries_seed(*, report: Report) -> None:
    """Each demo group's library and minutes, one transaction per group."""
    today = timezone.localdate()
    index = WorkingGroupIndexPage.objects.get()
    groups = {group.slug: group for group in WorkingGroupPage.objects.child_of(index)}
    total = len(data.WORKING_GROUPS)
    for number, spec in enumerate(data.WORKING_GROUPS, start=1):
        _working_group_library_seed(spec, groups[spec.slug], today)
        report(_("Working groups' documents and minutes: %(done)s/%(total)s") % {"done": number, "total": total})


def _newsletter_subscribers_seed(*, report: Report) -> None:
    """Subscribers with varied topics and départements; a few waiting for confirmation or gone.

    The addresses are fixed and unique: seeding again adds nobody twice.
    """
    report(_("Newsletter subscribers"))
    chance = random.Random(2026)  # noqa: S311 (demo data, the same at every run)
    departments = get_setting("NEWSLETTER_DEPARTMENTS")
    now = timezone.now()
    subscribers = []
    for number in range(1, data.NEWSLETTER_SUBSCRIBERS + 1):
        status = (
            SubscriberStatus.PENDING
            if number % 15 == 0
            else SubscriberStatus.UNSUBSCRIBED
            if number % 20 == 0
            else SubscriberStatus.ACTIVE
        )
        subscribed = now - datetime.timedelta(days=chance.randint(1, 700))
        subscribers.append(
            NewsletterSubscriber(
                email=f"lecteur-{number:03d}@example.org",
                status=status,
                topics=sorted(
                    chance.sample(NewsletterTopic.values, chance.randint(1, 5)), key=NewsletterTopic.values.index
                ),
                departments=sorted(chance.sample(departments, chance.randint(0, 2))),
                consent_source=SubscriptionSource.DEMO,
                consent_at=subscribed,
                confirmed_at=None if status == SubscriberStatus.PENDING else subscribed,
                unsubscribed_at=now if status == SubscriberStatus.UNSUBSCRIBED else None,
            )
        )
    NewsletterSubscriber.objects.bulk_create(subscribers, ignore_conflicts=True, batch_size=500)


def _newsletter_issues_seed(*, report: Report) -> None:
    """The issues already sent, each holding what was published in its period (a dozen items at most)."""
    report(_("Newsletter issues"))
    now = timezone.now()
    since = None
    for title, intro, days_ago in data.NEWSLETTER_PAST_ISSUES:
        sent_at = now - datetime.timedelta(days=days_ago)
        since = since or sent_at - FIRST_PERIOD
        if not NewsletterIssue.objects.filter(title=title).exists():
            issue = NewsletterIssue.objects.create(
                title=title,
                intro=_paragraph(intro),
                period_start=since,
                status=NewsletterIssueStatus.SENT,
                sent_at=sent_at,
            )
            candidates = issue_candidates(since, now=sent_at).values_list("pk", "kind")[:12]
            NewsletterIssueItem.objects.bulk_create(
                NewsletterIssueItem(issue=issue, page_id=pk, section=kind, sort_order=number)
                for number, (pk, kind) in enumerate(sorted(candidates, key=lambda row: SECTIONS.index(row[1])))
            )
            _past_deliveries_seed(issue)
        since = sent_at


def _past_deliveries_seed(issue: NewsletterIssue) -> None:
    """Who received a past issue: the addresses confirmed by then; one in fifty refused by its mail server."""
    recipients = NewsletterSubscriber.objects.filter(confirmed_at__lte=issue.sent_at).order_by("pk")
    NewsletterDelivery.objects.bulk_create(
        (
            NewsletterDelivery(
                issue=issue,
                subscriber_id=pk,
                attempts=1,
                claimed_at=issue.sent_at,
                **(
                    {"status": DeliveryStatus.FAILED, "error": data.NEWSLETTER_REFUSAL}
                    if number % 50 == 49
                    else {"status": DeliveryStatus.SENT, "sent_at": issue.sent_at}
                ),
            )
            for number, pk in enumerate(recipients.values_list("pk", flat=True))
        ),
        ignore_conflicts=True,
        batch_size=500,
    )
