"""Merge two organisations into one: the kept organisation takes the other's publications, team, files and the
facts it lacks; the other's page is deleted, and its address redirects to the kept one.

Deleted rather than unpublished: an unpublished copy would still be found by the import's duplicate detection
(a later row would update it rather than the kept organisation), would keep its own editors' group and
workspace, and would stay in the admin's lists beside the kept one. Deleting it runs `organisation_archive`
(the `pre_delete` receiver): its groups lose every right and stay, renamed, for the record.

Rights-granting facts (membership, collective, trust, actor type) stay the kept organisation's: they are not
filled from the other, and the kept page's live record is never rewritten through a revision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Page, Revision
from wagtail.search import index

from casi_workspace.core.errors import CasiError
from casi_workspace.core.page_cache import page_cache_invalidate
from casi_workspace.directory.models import PossibleDuplicate, PossibleDuplicateStatus
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.organisations.signals import organisation_merging
from casi_workspace.publications.models.publications import PublicationPage
from casi_workspace.workspaces.models import Invitation, OrganisationMembership, OrganisationWorkspace
from casi_workspace.workspaces.provisioning import organisation_provision
from casi_workspace.workspaces.services.live_fields import page_live_fields_change
from casi_workspace.workspaces.services.teams import membership_add

LOG_ACTION = "casi_workspace.organisation_merge"

# Copied to the kept organisation when it has no value of its own; never overwritten.
FILLED_FIELDS = (
    "acronym",
    "rna",
    "siren",
    "siret",
    "year_founded",
    "logo",
    "description",
    "address",
    "postcode",
    "commune",
    "department",
    "latitude",
    "longitude",
    "countries",
    "website",
    "public_email",
    "public_phone",
    "contact_name",
    "private_email",
    "private_phone",
)
FILLED_RELATIONS = ("zones", "sectors", "sdgs", "tags")


class MergeError(CasiError):
    """A merge that cannot be made; the message is meant for the coordinator."""


@dataclass
class MergeReport:
    kept: OrganisationPage
    merged_title: str
    pages: int = 0
    members: int = 0
    invitations: int = 0
    documents: int = 0
    images: int = 0
    filled: list[str] = field(default_factory=list)
    # False when the kept page had changes awaiting publication: the filled facts were added to its draft.
    published: bool = True


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def _free_slug(slug: str, taken: set[str]) -> str:
    number = 1
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


def _children_move(merged: OrganisationPage, kept: OrganisationPage, user) -> list[int]:
    """Move the merged organisation's child pages under the kept one, renaming a slug the kept one already uses.

    Wagtail's move is used without its permission check: coordinators hold no page `delete` right (which
    Wagtail's move requires), and the caller has checked the right to merge.
    """
    taken = set(kept.get_children().values_list("slug", flat=True))
    siblings = set(merged.get_children().values_list("slug", flat=True))
    renamed: dict[int, str] = {}
    moved = []
    for pk in merged.get_children().order_by("path").values_list("pk", flat=True):
        child = Page.objects.get(pk=pk)
        if child.slug in taken:
            child.slug = _free_slug(child.slug, taken | siblings)
            child.save(clean=False)
            renamed[pk] = child.slug
        taken.add(child.slug)
        MovePageAction(child, Page.objects.get(pk=kept.pk), pos="last-child", user=user).execute(
            skip_permission_checks=True
        )
        moved.append(pk)
    PublicationPage.objects.filter(pk__in=moved).update(organisation=kept)
    for page in Page.objects.filter(pk__in=moved).specific():
        index.insert_or_update_object(page)  # the organisation is a search filter; update() told no index
    _revisions_follow(moved, kept, renamed)
    return moved


def _revisions_follow(moved: list[int], kept: OrganisationPage, renamed: dict[int, str]) -> None:
    """The moved pages' revisions name the kept organisation (and the new slug): publishing a draft written
    before the merge must neither point at the deleted page nor take back a slug its new sibling holds."""
    revisions = list(Revision.page_revisions.filter(object_id__in=[str(pk) for pk in moved]))
    for revision in revisions:
        if "organisation" in revision.content:
            revision.content["organisation"] = kept.pk
        slug = renamed.get(int(revision.object_id))
        if slug:
            revision.content["slug"] = slug
    Revision.objects.bulk_update(revisions, ["content"], batch_size=500)


def _team_move(merged: OrganisationPage, kept: OrganisationPage) -> tuple[int, int]:
    """Members the kept team lacks join it; someone in both keeps the higher role (membership_add never demotes).
    Pending invitations follow, unless the kept team already has that person or an invitation for them."""
    members = 0
    for membership in OrganisationMembership.objects.filter(organisation=merged).select_related("user"):
        if not OrganisationMembership.objects.filter(organisation=kept, user=membership.user).exists():
            members += 1
        membership_add(organisation=kept, user=membership.user, role=membership.role)
    email_field = get_user_model().get_email_field_name()
    invitations = 0
    pending = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    for invitation in Invitation.objects.filter(pending, organisation=merged):
        clash = Invitation.objects.filter(pending, organisation=kept, email__iexact=invitation.email).exists()
        member = OrganisationMembership.objects.filter(
            organisation=kept, **{f"user__{email_field}__iexact": invitation.email}
        ).exists()
        if not (clash or member):
            invitation.organisation = kept
            invitation.save(update_fields=["organisation"])
            invitations += 1
    return members, invitations


def _media_move(merged: OrganisationPage, kept: OrganisationPage) -> tuple[int, int]:
    """The merged organisation's documents and images (its collection and any below it) go to the kept one's."""
    source = OrganisationWorkspace.objects.filter(organisation=merged).select_related("collection").first()
    if source is None:
        return 0, 0
    target = OrganisationWorkspace.objects.filter(organisation=kept).first() or organisation_provision(
        organisation=kept
    )
    collections = Collection.objects.descendant_of(source.collection, inclusive=True)
    documents = get_document_model().objects.filter(collection__in=collections).update(collection=target.collection)
    images = get_image_model().objects.filter(collection__in=collections).update(collection=target.collection)
    return documents, images


def _fields_fill(kept: OrganisationPage, merged: OrganisationPage, user) -> tuple[list[str], bool]:
    """The kept organisation's empty facts, taken from the merged one, in a new revision of the kept page.

    Published when the kept page is live with nothing waiting; otherwise added to its latest draft, which
    stays for its editors or moderators to publish.
    """
    publish = kept.live and not kept.has_unpublished_changes
    draft = kept if publish else kept.get_latest_revision_as_object()
    filled = []
    for name in FILLED_FIELDS:
        value = getattr(merged, name)
        if _empty(getattr(draft, name)) and not _empty(value):
            setattr(draft, name, value)
            filled.append(name)
    for name in FILLED_RELATIONS:
        values = list(getattr(merged, name).all())
        if values and not list(getattr(draft, name).all()):
            getattr(draft, name).set([value.name for value in values] if name == "tags" else values)
            filled.append(name)
    if filled:
        revision = draft.save_revision(user=user, log_action=True, clean=False)
        if publish:
            revision.publish(user=user)
    return filled, publish


def _collective_members_move(merged: OrganisationPage, kept: OrganisationPage, user) -> None:
    members = list(OrganisationPage.objects.filter(parent_collective=merged).exclude(pk=kept.pk))
    if not members:
        return
    if not kept.is_collective:
        raise MergeError(
            _(
                "“%(merged)s” is the departmental collective of %(count)s organisations and “%(kept)s” is not a "
                "collective: keep “%(merged)s”, or give its members another collective first."
            )
            % {"merged": merged.title, "kept": kept.title, "count": len(members)}
        )
    for member in members:
        page_live_fields_change(page=member, user=user, values={"parent_collective": kept})


def _pairs_settle(merged: OrganisationPage, kept: OrganisationPage, user) -> None:
    """The pair of these two is merged; the merged organisation's other pairs become the kept one's (a pair the
    kept one already has, or one with itself, goes)."""
    now = timezone.now()
    pairs = PossibleDuplicate.objects.select_for_update().filter(Q(organisation_a=merged) | Q(organisation_b=merged))
    for pair in pairs:
        other = pair.organisation_b_id if pair.organisation_a_id == merged.pk else pair.organisation_a_id
        if other == kept.pk:
            pair.status = PossibleDuplicateStatus.MERGED
            pair.decided_by, pair.decided_at, pair.merged_title = user, now, merged.title[:255]
            pair.save(update_fields=["status", "decided_by", "decided_at", "merged_title"])
        elif other is not None:
            first, second = sorted((kept.pk, other))
            if PossibleDuplicate.objects.filter(organisation_a_id=first, organisation_b_id=second).exists():
                pair.delete()
            else:
                pair.organisation_a_id, pair.organisation_b_id = first, second
                pair.save(update_fields=["organisation_a", "organisation_b"])


def _redirects_add(merged: OrganisationPage, kept: OrganisationPage) -> int:
    """The merged page's address (and redirects that led to it) now lead to the kept page, when the site
    has Wagtail's redirects app (a `wagtail start` site has)."""
    if not apps.is_installed("wagtail.contrib.redirects"):
        return 0
    Redirect = apps.get_model("wagtailredirects", "Redirect")
    Redirect.objects.filter(redirect_page=merged).update(redirect_page=kept, redirect_page_route_path="")
    parts = merged.get_url_parts()
    if parts is None:
        return 0
    site_id, _root_url, page_path = parts
    Redirect.objects.update_or_create(
        old_path=Redirect.normalise_path(page_path),
        site_id=site_id,
        defaults={
            "redirect_page": kept,
            "redirect_page_route_path": "",
            "redirect_link": "",
            "is_permanent": True,
            "automatically_created": False,
        },
    )
    return 1


@transaction.atomic
def organisations_merge(*, kept: OrganisationPage, merged: OrganisationPage, user) -> MergeReport:
    """Merge `merged` into `kept`: publications, team, invitations, documents and images, the facts `kept`
    lacks, membership applications, the collective's members (when both are collectives), possible
    duplicates and, through `organisation_merging`, what other domains hold (working groups) move to `kept`;
    `merged` is deleted (its groups archived) and its address redirects to `kept`.

    The caller checks who may merge. Raises MergeError (and changes nothing) when the two are one, when one is
    gone, when `merged` is a collective with members and `kept` is not, or when the kept page fails its own
    validation once filled.
    """
    if kept.pk == merged.pk:
        raise MergeError(_("An organisation cannot be merged with itself."))
    locked = OrganisationPage.objects.select_for_update().in_bulk([kept.pk, merged.pk])
    if len(locked) != 2:
        raise MergeError(_("One of the two organisations no longer exists."))
    kept, merged = locked[kept.pk], locked[merged.pk]
    _collective_members_move(merged, kept, user)
    report = MergeReport(kept=kept, merged_title=merged.title)
    report.pages = len(_children_move(merged, kept, user))
    report.members, report.invitations = _team_move(merged, kept)
    report.documents, report.images = _media_move(merged, kept)
    try:
        report.filled, report.published = _fields_fill(kept, merged, user)
    except ValidationError as exc:
        message = _("“%(title)s” cannot be saved as it is (%(errors)s): correct it, then merge again.")
        raise MergeError(message % {"title": kept.title, "errors": " ".join(exc.messages)}) from exc
    merged.membership_applications.update(organisation=kept)
    _pairs_settle(merged, kept, user)
    organisation_merging.send(sender=OrganisationPage, kept=kept, merged=merged, user=user)
    _redirects_add(merged, kept)
    log(
        instance=kept,
        action=LOG_ACTION,
        user=user,
        data={
            "merged": {"id": merged.pk, "title": merged.title},
            "pages": report.pages,
            "members": report.members,
            "documents": report.documents,
            "images": report.images,
            "filled": report.filled,
        },
    )
    DeletePageAction(OrganisationPage.objects.get(pk=merged.pk), user=user).execute(skip_permission_checks=True)
    report.kept = OrganisationPage.objects.get(pk=kept.pk)
    organisation_provision(organisation=report.kept)
    page_cache_invalidate()
    return report
