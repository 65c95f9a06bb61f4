"""Seed the demo network. Idempotent: what exists is left as it is, only what is missing is created."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from ..conf import get_setting
from ..demo import data
from ..demo.details import logo_png, organisation_details
from ..models import (
    DirectoryPage,
    MembershipApplication,
    MembershipPage,
    MembershipRole,
    NewsletterPage,
    OrganisationPage,
    OrganisationWorkspace,
    PublicationIndexPage,
    Sector,
    SustainableDevelopmentGoal,
    WorkingGroupIndexPage,
    WorkingGroupPage,
    WorkingGroupWorkspace,
    Zone,
)
from .applications import application_create, application_fingerprint
from .provisioning import coordinators_provision, organisation_provision, working_group_provision
from .teams import membership_add

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


def _child(parent: Page, slug: str, build: Callable[[], Page]) -> Page:
    """The live child of `parent` with this slug, created and published when missing."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = build()
    page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


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

    return _child(directory, org.slug, build)


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
    if role == "member":
        return [WorkingGroupWorkspace.objects.get(working_group__slug=target).members_group]
    return []


@transaction.atomic
def demo_seed(*, password: str, report: Report) -> None:
    """Create the demo network under the default site's root page."""
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    home = site.root_page.specific
    if site.site_name != "CASI Bretagne":
        site.site_name = "CASI Bretagne"
        site.save(update_fields=["site_name"])

    if hasattr(home, "headline") and not home.headline:
        home.headline = data.HOME_HEADLINE
        home.intro = _paragraph(data.HOME_INTRO)
        home.save_revision().publish()

    report(_("Sections"))
    sections: dict[str, Page] = {}
    for slug, page_type, title, kind in data.SECTIONS:
        model = SECTION_MODELS[page_type]
        fields = {"title": title, "intro": _paragraph(data.SECTION_INTROS[slug]), "show_in_menus": True}
        if kind:
            fields["kind"] = kind
        sections[slug] = _child(home, slug, lambda model=model, fields=fields: model(**fields))

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
    groups_index = sections["groupes"]
    for slug, title, visibility, purpose in data.WORKING_GROUPS:
        working_group = _child(
            groups_index,
            slug,
            lambda title=title, visibility=visibility, purpose=purpose: WorkingGroupPage(
                title=title, visibility=visibility, purpose=_paragraph(purpose)
            ),
        )
        working_group_provision(working_group=working_group)

    report(_("Membership applications"))
    _membership_applications()

    report(_("Accounts"))
    for username, first_name, last_name, role, target in data.ACCOUNTS:
        user = _user(username, first_name, last_name, password, superuser=role == "superuser")
        for group in _account_groups(role, target):
            user.groups.add(group)
        if role in TEAM_ROLES:
            # The team's membership puts the account in the organisation's editors' group too.
            membership_add(organisation=OrganisationPage.objects.get(slug=target), user=user, role=TEAM_ROLES[role])


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
