"""The permission matrix of "Per-association workspaces": every (role, action, object) cell, over HTTP.

The table below IS the matrix: `EXPECTED[(role, action, object)]` says whether the role may do the action on
the object. Each cell is one test, `test_cell[<role>-<action>-<object>]`, that goes through the Wagtail admin
or the public site as a browser would, and checks the state afterwards: a refusal leaves the page live, its
title, revisions, place in the tree and files as they were. docs/permissions.md tells coordinators the same
thing in French.

Roles (roles.py): anonymous; outsider (signed in, in no group); wg-member (membre-gt, a working group's
member, editor of nothing); editor-a (an editor, not a manager, of A); manager-a (asso-a, manager of A's team,
A trusted); editor-b (asso-b, editor of B, untrusted, in the Finistère collective; the demo also makes it the
manager of B's team); collective-29 (collectif-29, coordinator of the Finistère collective); coordinator
(coordination, the network's coordinators); superuser (admin).

Objects are relative to the role:
- own      the role's own association: A (Brest Sahel Solidarité) for the editor and the manager of A,
           B (Douarnenez – Madagascar) for asso-b, the Finistère collective's own page for its coordinator,
           the network's own page (CASI Bretagne) for the network coordinator and the superuser; roles with
           no association (anonymous, outsider, working-group member) get A.
- other    an association outside the Finistère collective: Amitiés kurdes de Bretagne (collectif rennais).
- member   a member of the Finistère collective that is not the role's own: B for the collective's
           coordinator, Les Amis de Koudougou (Morlaix) for everyone else.
- network  the network's "Actualités" section (a publication index); adding a child is tried on the
           directory (Annuaire), the network-level page under which children are created today; files use
           the root collection.
For the publication actions (edit_publication, delete_publication) the object is a live event published by
that organisation; in the network column, by the network's own organisation page (CASI Bretagne).

`GAPS` lists the cells where the current code does not do what the table says: they are marked
xfail(strict=True) with the reason, until production code is fixed.
"""

from __future__ import annotations

import datetime
import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field

import pytest
import swapper
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.shortcuts import resolve_url
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Collection, PageViewRestriction, WorkflowState
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from casi_workspace.demo.campaign import CAMPAIGN_SLUG as DEMO_CAMPAIGN
from casi_workspace.demo.data import FINISTERE_COLLECTIVE, TRUSTED_ASSOCIATION, UNTRUSTED_ASSOCIATION
from casi_workspace.models import (
    CampaignPage,
    DirectoryPage,
    EventRegistration,
    EventRegistrationSettings,
    EventSession,
    EventSlot,
    Invitation,
    OrganisationMembership,
    OrganisationPage,
    OrganisationWorkspace,
    PartnerDuplicateDecision,
    PartnerItem,
    PartnerSource,
    RegistrationChoice,
    SupportRequest,
)
from casi_workspace.publications.models.publications import (
    CallForProjectsPage,
    EventPage,
    OfferPage,
    ResourcePage,
    TrainingPage,
)
from casi_workspace.support.selectors import support_assignable_users, support_suggestable_pages
from casi_workspace.support.services import support_request_create

from .roles import ROLES, log_in
from .support import (
    FormData,
    assert_refused,
    body,
    form_data,
    is_refused,
    page_ids_in_chooser,
    pdf_upload,
    png,
    png_upload,
)

pytestmark = pytest.mark.django_db

Y, N = True, False

OBJECTS = ("own", "other", "member", "network")

# fmt: off
# A screen of the network's own (its campaigns): only its coordinators, whatever the column.
COORDINATORS_ONLY = {
    role: (Y, Y, Y, Y) if role in ("coordinator", "superuser") else (N, N, N, N)
    for role in ROLES
}
# Columns:                   own other member network
GRID: dict[str, dict[str, tuple[bool, bool, bool, bool]]] = {
    # Open the admin preview of the page's latest draft (/admin/pages/<id>/view_draft/).
    "view_draft": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Open the edit view and save a draft.
    "edit": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Revert to an old revision (/admin/pages/<id>/revisions/<old>/revert/) and post it back, published by
    # whoever may publish, submitted by the others. The old revision also carries stale rights-granting
    # values (trust, membership, collective): they never come back (tests/security/test_rights_through_revisions.py).
    "revert": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Publish a change (action-publish on the edit view). B's editor may only submit it for moderation.
    "publish": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (N,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Unpublish the page (it leaves the public site).
    "unpublish": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (N,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Delete the page. Only the network decides that an organisation leaves the directory; its publications
    # (child pages) go with it, which takes the "bulk delete" right that the network coordinators hold.
    "delete": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (N,  N,    N,     N),
        "manager-a":        (N,  N,    N,     N),
        "editor-b":         (N,  N,    N,     N),
        "collective-29":    (N,  N,    N,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Move the page elsewhere in the tree (an organisation to another directory; the section elsewhere).
    "move": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (N,  N,    N,     N),
        "manager-a":        (N,  N,    N,     N),
        "editor-b":         (N,  N,    N,     N),
        "collective-29":    (N,  N,    N,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Lock the page against others' edits.
    "lock": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (N,  N,    N,     N),
        "manager-a":        (N,  N,    N,     N),
        "editor-b":         (N,  N,    N,     N),
        "collective-29":    (N,  N,    N,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Add a child page of each type the parent allows: the seven kinds of publication under an organisation
    # page (CHILD_TYPES), organisations under the directory for the network column. Whoever may publish on
    # the organisation publishes it at once (it is live); B's editor submits it, and it waits, not live, in
    # B's moderation workflow.
    "add_child": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Open the edit view of one of the object's live publications (an event) and save a draft. The network
    # column is an event of the network's own organisation page (CASI Bretagne).
    "edit_publication": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Delete that live publication. Deleting a live page takes the right to publish: B's editor may not (it
    # may only delete its own drafts), nor anyone outside the association, its collective and the network.
    "delete_publication": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (N,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # The page chooser (browse and search) lists the page while it is a draft (never published / unpublished).
    "choose_draft": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # The page chooser lists the page while it is private (a PageViewRestriction).
    "choose_private": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # The admin page search (/admin/pages/search/) finds the page while it is a draft.
    "search_draft": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Upload a document and an image into the object's collection (single and multiple upload).
    "media_upload": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # The document and image choosers list a document and an image of the object's collection.
    "media_choose": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Open (and change) a document and an image of the object's collection in the admin.
    "media_admin": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (Y,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Download a document through the public serve view (/documents/<id>/<file>): every collection is
    # public today (private collections come with the working groups).
    "media_download": {
        "anonymous":        (Y,  Y,    Y,     Y),
        "outsider":         (Y,  Y,    Y,     Y),
        "wg-member":        (Y,  Y,    Y,     Y),
        "editor-a":         (Y,  Y,    Y,     Y),
        "manager-a":        (Y,  Y,    Y,     Y),
        "editor-b":         (Y,  Y,    Y,     Y),
        "collective-29":    (Y,  Y,    Y,     Y),
        "coordinator":      (Y,  Y,    Y,     Y),
        "superuser":        (Y,  Y,    Y,     Y),
    },
    # Manage the association's team (/admin/casi_workspace/organisations/<page id>/team/). The network
    # column is the Actualités page, which has no team: refused to all.
    "team": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (N,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (N,  N,    N,     N),
        "coordinator":      (Y,  Y,    Y,     N),
        "superuser":        (Y,  Y,    Y,     N),
    },
    # Download the organisation's data as a ZIP (/admin/casi_workspace/organisations/<id>/data/): who answers
    # for it (its team's managers, its collective's coordinators, the network's), not its other editors.
    "organisation_data": {
        "anonymous":        (N,  N,    N,     N),
        "outsider":         (N,  N,    N,     N),
        "wg-member":        (N,  N,    N,     N),
        "editor-a":         (N,  N,    N,     N),
        "manager-a":        (Y,  N,    N,     N),
        "editor-b":         (Y,  N,    N,     N),
        "collective-29":    (Y,  N,    Y,     N),
        "coordinator":      (Y,  Y,    Y,     N),
        "superuser":        (Y,  Y,    Y,     N),
    },
    # Open a campaign's statistics (/admin/casi_workspace/campagnes/<id>/statistiques/) and its programme's
    # attach/detach screen: a campaign is the network's, so the columns do not apply (the demo's Festival
    # des Solidarités in each); only the network's coordinators.
    "campaign_statistics": COORDINATORS_ONLY,
    "campaign_programme": COORDINATORS_ONLY,
}
# See one of the object's events' registrations (personal data): the organisers' page, its CSV export and the
# check-in list (/casi/inscriptions/evenements/<id>/…). Whoever may edit the event, nobody else.
GRID["registrations"] = GRID["edit"]
# An event's time slots and sessions (/casi/inscriptions/evenements/<id>/programme/, its edit pages) and its
# sign-in sheet and name badges (emargement.pdf, badges.pdf: the names of the people registered): the same people.
GRID["workshops"] = GRID["edit"]
# A support request (/admin/casi_workspace/accompagnements/<id>/, its documents, its line in the desk's list):
# own, other and member are requests from that organisation; network is one from a structure outside the
# directory, in Ille-et-Vilaine. The Finistère collective handles its département's requests (own: its own
# page is in the 29), so its coordinators see those and no other; editors see none, not even their own
# organisation's (the requester follows theirs through the emailed link: tests/permissions/test_support_links.py).
GRID["support_request"] = {
    **{role: (N, N, N, N) for role in ROLES},
    "collective-29":    (Y,  N,    Y,     N),
    "coordinator":      (Y,  Y,    Y,     Y),
    "superuser":        (Y,  Y,    Y,     Y),
}
# Act on a support request from the desk (POST its assignment, status, internal note, message to the requester
# and appointment): whoever sees it.
GRID["support_desk"] = GRID["support_request"]
# The request is counted in the support figures the role reads (/admin/casi_workspace/accompagnements/chiffres/ and
# its CSV and Excel exports): whoever sees it; the figures page itself is refused to those who see no request.
GRID["support_figures"] = GRID["support_request"]
# Erase the request from the desk (POST …/<id>/effacer/): whoever sees it.
GRID["support_erase"] = GRID["support_request"]
# Search the site's pages to suggest with a message (/admin/casi_workspace/accompagnements/suggestions/): the
# desk, whoever sees any request; the columns do not apply (the pages are public ones).
GRID["support_suggestions"] = {
    role: (Y, Y, Y, Y) if role in ("collective-29", "coordinator", "superuser") else (N, N, N, N) for role in ROLES
}
# See an organisation's support requests in its page editor (/admin/pages/<id>/edit/, the "Support requests"
# panel): whoever sees them on the desk, and only if they may edit the page; the network column is the network's
# own organisation page (CASI Bretagne). Its editors never see the panel, not even empty.
GRID["support_org_panel"] = GRID["support_request"]
# Choose which collectives handle their département's requests (/admin/casi_workspace/accompagnements/collectifs/):
# the network's coordinators only, whatever the column.
GRID["support_optin"] = COORDINATORS_ONLY
# Partner networks (/admin/snippets/casi_workspace/partnersource|partneritem/, /admin/casi_workspace/reseaux/): they
# are the network's, so the columns do not apply. A departmental collective's coordinators get nothing of them:
# partner networks are followed for the whole network, and what the public sees of them is the network's choice.
# The partner sources: list them, add, edit and delete one.
GRID["partner_sources"] = COORDINATORS_ONLY
# The partner items: list them and inspect one.
GRID["partner_items"] = COORDINATORS_ONLY
# Add a partner item, rewrite one's received content (its edit form) or delete one: nobody, not even the superuser
# (a copy of what a partner published; hiding it is what keeps it off the site).
GRID["partner_item_change"] = {role: (N, N, N, N) for role in ROLES}
# Hide a partner item and a whole source (…/reseaux/elements|sources/<id>/masquer/), then show them again.
GRID["partner_hide"] = COORDINATORS_ONLY
# The review list of likely duplicates (…/reseaux/doublons/) and its decisions ("Same item", "Different").
GRID["partner_review"] = COORDINATORS_ONLY
# fmt: on

ACTIONS = tuple(GRID)
EXPECTED: dict[tuple[str, str, str], bool] = {
    (role, action, obj): allowed
    for action, rows in GRID.items()
    for role, cells in rows.items()
    for obj, allowed in zip(OBJECTS, cells, strict=True)
}

# Cells where the code does not (yet) do what the table says, with what happens instead: each is marked
# xfail(strict=True) until production code is fixed. Empty: the gaps this matrix found (editors and
# collective coordinators deleting or moving organisation pages) are closed by OrganisationPagePermissionTester.
GAPS: dict[tuple[str, str, str], str] = {}

# --- Who is who, and what their objects are ----------------------------------------------------------------

OWN = {
    "editor-a": TRUSTED_ASSOCIATION,
    "manager-a": TRUSTED_ASSOCIATION,
    "editor-b": UNTRUSTED_ASSOCIATION,
    "collective-29": FINISTERE_COLLECTIVE,
    "coordinator": "casi-bretagne",
    "superuser": "casi-bretagne",
}
OTHER = "rennes-kurdistan"
MEMBER = {"collective-29": UNTRUSTED_ASSOCIATION}
DEFAULT_MEMBER = "morlaix-burkina"
NETWORK = "actualites"
NETWORK_PARENT = "annuaire"  # where network-level children are added: organisations in the directory
# A word of each title that the admin searches find.
SEARCH_WORDS = {
    TRUSTED_ASSOCIATION: "Sahel",
    UNTRUSTED_ASSOCIATION: "Douarnenez",
    FINISTERE_COLLECTIVE: "Finistère",
    "casi-bretagne": "CASI",
    OTHER: "kurdes",
    DEFAULT_MEMBER: "Koudougou",
    NETWORK: "Actualités",
}
# What a child of each object may be (Wagtail's creatable_subpage_models); a new type must update the table.
CHILD_TYPES = {
    "organisation": [
        "casi_workspace.NewsPage",
        "casi_workspace.EventPage",
        "casi_workspace.CallForProjectsPage",
        "casi_workspace.OfferPage",
        "casi_workspace.TrainingPage",
        "casi_workspace.ResourcePage",
        "casi_workspace.ProjectPage",
    ],
    "network": ["casi_workspace.OrganisationPage"],
}
# The publication whose edit and deletion the "*_publication" actions try: a live event of the object's
# organisation (the network column: of the network's own organisation page).
PUBLICATION_ACTIONS = ("edit_publication", "delete_publication", "registrations", "workshops")
NETWORK_ORGANISATION = "casi-bretagne"


def _slug(role: str, obj: str) -> str:
    if obj == "own":
        return OWN.get(role, TRUSTED_ASSOCIATION)
    if obj == "other":
        return OTHER
    if obj == "member":
        return MEMBER.get(role, DEFAULT_MEMBER)
    return NETWORK


@dataclass
class Cell:
    role: str
    action: str
    obj: str
    allowed: bool
    client: Client
    user: object
    page: object  # the specific page
    marker: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @property
    def is_network(self) -> bool:
        return self.obj == "network"

    @property
    def collection(self) -> Collection:
        if self.is_network:
            return Collection.get_first_root_node()
        return OrganisationWorkspace.objects.get(organisation=self.page).collection

    @property
    def search_word(self) -> str:
        return SEARCH_WORDS[self.page.slug]

    def new_title(self) -> str:
        return f"{self.page.title} ({self.marker})"


def _refreshed(page):
    return type(page).objects.get(pk=page.pk)


# --- One check per action ----------------------------------------------------------------------------------


def check_view_draft(cell: Cell) -> None:
    page = cell.page
    draft = _refreshed(page)
    draft.title = cell.new_title()
    revision = draft.save_revision()
    # The draft itself, its revision in the history, and the history listing.
    urls = (
        f"/admin/pages/{page.pk}/view_draft/",
        f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/",
        f"/admin/pages/{page.pk}/history/",
    )
    for url in urls:
        response = cell.client.get(url)
        if cell.allowed:
            assert response.status_code == 200, url
            assert cell.new_title() in response.content.decode(), url
        else:
            assert_refused(response)
            assert cell.new_title() not in response.content.decode()
    # Whoever asks, the public site shows the live version only.
    public = cell.client.get(page.get_url())
    assert public.status_code == 200
    assert cell.new_title() not in public.content.decode()
    assert _refreshed(page).title == page.title


def _stream_data(model, page=None) -> FormData:
    """The StreamFields' form data, which the admin renders with JavaScript (nothing to scrape): the page's
    current paragraphs, or empty streams for a new page."""
    data = {}
    for stream in (f for f in model._meta.get_fields() if isinstance(f, StreamField)):
        blocks = []
        for block in getattr(page, stream.name, None) or []:
            assert block.block_type == "paragraph", "the matrix only re-posts paragraphs"
            blocks.append(("paragraph", rich_text(block.value.source)))
        data[stream.name] = streamfield(blocks)
    return {name: [str(value)] for name, value in nested_form_data(data).items()}


def check_edit(cell: Cell) -> None:
    page = cell.page
    url = f"/admin/pages/{page.pk}/edit/"
    before = page.latest_revision_id
    if cell.allowed:
        response = cell.client.get(url)
        assert response.status_code == 200
        data = {**form_data(body(response)), **_stream_data(type(page), page)}
        data["title"] = [cell.new_title()]
        response = cell.client.post(url, data)
        assert response.status_code == 302, "the draft was not saved"
        after = _refreshed(page)
        assert after.latest_revision_id != before
        assert after.get_latest_revision_as_object().title == cell.new_title()
        assert after.title == page.title  # saved as a draft: the live page is unchanged
    else:
        assert_refused(cell.client.get(url))
        assert_refused(cell.client.post(url, {"title": cell.new_title(), "slug": page.slug}))
        after = _refreshed(page)
        assert after.latest_revision_id == before
        assert after.title == page.title


RIGHTS_FIELDS = ("is_trusted", "membership_status", "parent_collective_id", "actor_type")


def _rights(page) -> dict:
    return {name: getattr(page, name, None) for name in RIGHTS_FIELDS}


def check_revert(cell: Cell) -> None:
    page = cell.page
    old = _refreshed(page)
    old.title = f"{page.title} (ancien {cell.marker})"
    old_revision = old.save_revision()
    if isinstance(page, OrganisationPage):
        collective = OrganisationPage.objects.filter(actor_type="collective").exclude(pk=page.parent_collective_id)
        old_revision.content.update(
            is_trusted=not page.is_trusted,
            membership_status="former",
            parent_collective=collective.values_list("pk", flat=True).first(),
            actor_type="association" if page.is_collective else "collective",
        )
        old_revision.save(update_fields=["content"])
    _refreshed(page).save_revision()  # the old revision is no longer the latest
    latest = _refreshed(page).latest_revision_id
    rights = _rights(page)
    url = f"/admin/pages/{page.pk}/revisions/{old_revision.pk}/revert/"
    response = cell.client.get(url)
    if cell.allowed:
        assert response.status_code == 200
        html = body(response)
        action = "action-publish" if 'name="action-publish"' in html else "action-submit"
        data = {**form_data(html), **_stream_data(type(page), old), action: ["1"]}
        response = cell.client.post(url, data)
        assert response.status_code == 302, "the revert was not saved"
        after = _refreshed(page)
        assert after.get_latest_revision_as_object().title == old.title
        assert after.title == (old.title if action == "action-publish" else page.title)
    else:
        assert_refused(response)
        assert_refused(cell.client.post(url, {"title": old.title, "slug": page.slug, "action-publish": "1"}))
        after = _refreshed(page)
        assert after.latest_revision_id == latest and after.title == page.title
    assert _rights(after) == rights
    assert _rights(after.get_latest_revision_as_object()) == rights


def check_publish(cell: Cell) -> None:
    page = cell.page
    url = f"/admin/pages/{page.pk}/edit/"
    live_revision = page.live_revision_id
    response = cell.client.get(url)
    if cell.allowed:
        assert response.status_code == 200
        assert 'name="action-publish"' in body(response)
        data = {**form_data(body(response)), "title": [cell.new_title()], "action-publish": ["1"]}
        response = cell.client.post(url, data)
        assert response.status_code == 302
        after = _refreshed(page)
        assert after.live and after.title == cell.new_title()
        assert after.live_revision_id != live_revision
        return
    if response.status_code == 200:
        # May edit but not publish: no publish action is offered, and forging it publishes nothing.
        html = body(response)
        assert 'name="action-publish"' not in html
        data = {**form_data(html), "title": [cell.new_title()], "action-publish": ["1"]}
        cell.client.post(url, data)
        after = _refreshed(page)
        assert after.title == page.title and after.live_revision_id == live_revision
        # The way to publish is to submit the change to the moderation workflow of the page.
        workflow = page.get_workflow()
        assert workflow is not None, "an editor who cannot publish must be able to submit"
        data = {**form_data(html), "title": [cell.new_title()], "action-submit": ["1"]}
        assert cell.client.post(url, data).status_code == 302
        state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
        assert state.workflow == workflow
    else:
        assert_refused(response)
        assert_refused(cell.client.post(url, {"title": cell.new_title(), "slug": page.slug, "action-publish": "1"}))
    after = _refreshed(page)
    assert after.live and after.title == page.title
    assert after.live_revision_id == live_revision


def check_unpublish(cell: Cell) -> None:
    page = cell.page
    response = cell.client.post(f"/admin/pages/{page.pk}/unpublish/")
    if cell.allowed:
        assert response.status_code == 302 and not is_refused(response)
        assert not _refreshed(page).live
    else:
        assert_refused(response)
        assert _refreshed(page).live


def check_delete(cell: Cell) -> None:
    page = cell.page
    Page = swapper.load_model("wagtailcore", "Page")
    response = cell.client.post(f"/admin/pages/{page.pk}/delete/")
    if cell.allowed:
        assert response.status_code == 302 and not is_refused(response)
        assert not Page.objects.filter(pk=page.pk).exists()
    else:
        assert_refused(response)
        assert Page.objects.filter(pk=page.pk, live=True).exists()
        assert_refused(cell.client.get(f"/admin/pages/{page.pk}/delete/"))


def _move_destination(cell: Cell):
    """A page the object may legally go under: another directory for an organisation, a plain page for a section."""
    home = cell.page.get_parent() if cell.is_network else cell.page.get_parent().get_parent()
    if cell.is_network:
        destination = swapper.load_model("wagtailcore", "Page")(title="Archives", slug=f"archives-{cell.marker}")
    else:
        destination = DirectoryPage(title="Annuaire (archives)", slug=f"annuaire-{cell.marker}")
    home.add_child(instance=destination)
    destination.save_revision().publish()
    assert cell.page.specific.can_move_to(destination)
    return destination


def check_move(cell: Cell) -> None:
    page = cell.page
    parent = page.get_parent()
    destination = _move_destination(cell)
    confirm = f"/admin/pages/{page.pk}/move/{destination.pk}/confirm/"
    if cell.allowed:
        assert cell.client.get(f"/admin/pages/{page.pk}/move/").status_code == 200
        response = cell.client.post(confirm)
        assert response.status_code == 302 and not is_refused(response)
        assert _refreshed(page).get_parent().pk == destination.pk
    else:
        assert_refused(cell.client.post(confirm))
        assert _refreshed(page).get_parent().pk == parent.pk
        assert_refused(cell.client.get(f"/admin/pages/{page.pk}/move/"))


def check_lock(cell: Cell) -> None:
    page = cell.page
    response = cell.client.post(f"/admin/pages/{page.pk}/lock/")
    if cell.allowed:
        assert response.status_code == 302 and not is_refused(response)
        assert _refreshed(page).locked
    else:
        assert_refused(response)
        assert not _refreshed(page).locked


def _required_fields(model) -> FormData:
    """What each type's create form needs besides a title and a slug; dates are to come."""
    day = timezone.localdate() + datetime.timedelta(days=60)
    start = [f"{day:%Y-%m-%d} 18:00"]
    return {
        EventPage: {"start": start, "commune": ["Brest"]},
        TrainingPage: {"start": start, "commune": ["Brest"]},
        CallForProjectsPage: {"funder": ["Région Bretagne"], "deadline": [f"{day:%Y-%m-%d}"]},
        OfferPage: {"offer_kind": ["volunteering"]},
        ResourcePage: {"resource_kind": ["guide"]},
    }.get(model, {})


def _create(cell: Cell, parent, model) -> None:
    """Create a page of `model` under `parent` through the admin's create view, as the role would.

    Under an organisation, a role that may publish there publishes it; B's editor may only submit it
    for moderation: the page is then a draft, in the workflow of B's page. Under the directory (the
    network column) an organisation is saved as a draft.
    """
    url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"
    response = cell.client.get(url)
    assert response.status_code == 200
    html = body(response)
    slug = f"nouvelle-{model._meta.model_name}-{cell.marker}"
    data = {
        **form_data(html),
        **_stream_data(model),
        "title": [f"Nouvelle page {cell.marker}"],
        "slug": [slug],
        **_required_fields(model),
    }
    publishes = not cell.is_network and EXPECTED[cell.role, "publish", cell.obj]
    submits = not cell.is_network and not publishes
    if publishes:
        data["action-publish"] = ["1"]
    elif submits:
        assert 'name="action-publish"' not in html
        data["action-submit"] = ["1"]
    response = cell.client.post(url, data)
    errors = response.context["form"].errors if response.status_code == 200 and response.context else None
    assert response.status_code == 302, f"{model.__name__} was not created: {errors}"
    child = parent.get_children().get(slug=slug)
    if publishes:
        assert child.live, f"{model.__name__} was not published"
    else:
        assert not child.live
    if submits:
        state = WorkflowState.objects.get(object_id=str(child.pk), status=WorkflowState.STATUS_IN_PROGRESS)
        assert state.workflow == parent.get_workflow()


def check_add_child(cell: Cell) -> None:
    Page = swapper.load_model("wagtailcore", "Page")
    parent = Page.objects.get(slug=NETWORK_PARENT).specific if cell.is_network else cell.page
    types = [model for model in parent.specific_class.creatable_subpage_models() if model.can_create_at(parent)]
    assert [model._meta.label for model in types] == CHILD_TYPES["network" if cell.is_network else "organisation"]
    children = parent.get_children().count()
    response = cell.client.get(f"/admin/pages/{parent.pk}/add_subpage/")
    if cell.allowed:
        assert response.status_code in (200, 302) and not is_refused(response)
        for model in types:
            _create(cell, parent, model)
        assert parent.get_children().count() == children + len(types)
        return
    assert_refused(response)
    # Forging the create view of each allowed type fails too, whatever the data.
    for model in types:
        url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"
        assert_refused(cell.client.get(url))
        data = {"title": "Intrus", "slug": f"intrus-{cell.marker}", "action-publish": "1"}
        assert_refused(cell.client.post(url, {**data, **{k: v[0] for k, v in _required_fields(model).items()}}))
    assert parent.get_children().count() == children


# Editing and deleting a publication are the same checks as for any page, on the publication.
check_edit_publication = check_edit
check_delete_publication = check_delete


def _chooser_listings(cell: Cell) -> tuple[set[int], set[int]] | None:
    """The page ids the page chooser lists when browsing the object's parent and when searching for it."""
    parent = cell.page.get_parent()
    browse = cell.client.get(f"/admin/choose-page/{parent.pk}/")
    if is_refused(browse):
        return None
    assert browse.status_code == 200
    browsed = page_ids_in_chooser(body(browse))
    for number in range(2, 6):
        more = body(cell.client.get(f"/admin/choose-page/{parent.pk}/", {"p": number}))
        found = page_ids_in_chooser(more)
        if not found or found <= browsed:
            break
        browsed |= found
    search = cell.client.get("/admin/choose-page/search/", {"q": cell.search_word})
    assert search.status_code == 200
    return browsed, page_ids_in_chooser(body(search))


def _check_chooser(cell: Cell) -> None:
    listings = _chooser_listings(cell)
    if cell.allowed:
        assert listings is not None
        browsed, searched = listings
        assert cell.page.pk in browsed and cell.page.pk in searched
        return
    if listings is None:
        assert cell.role in ("anonymous", "outsider")
        return
    browsed, searched = listings
    assert cell.page.pk not in browsed and cell.page.pk not in searched
    # The chooser does work for this role: live, public pages beside the object are listed.
    witness = "agenda" if cell.is_network else "redon-niger"
    assert cell.page.get_parent().get_children().get(slug=witness).pk in browsed


def check_choose_draft(cell: Cell) -> None:
    cell.page.unpublish()
    _check_chooser(cell)


def check_choose_private(cell: Cell) -> None:
    PageViewRestriction.objects.create(page=cell.page, restriction_type=PageViewRestriction.LOGIN)
    _check_chooser(cell)


def check_search_draft(cell: Cell) -> None:
    cell.page.unpublish()
    response = cell.client.get("/admin/pages/search/", {"q": cell.search_word})
    if is_refused(response):
        assert not cell.allowed
        return
    assert response.status_code == 200
    found = f"/admin/pages/{cell.page.pk}/" in body(response)
    assert found is cell.allowed


def _media(cell: Cell):
    """A document and an image in the object's collection."""
    Document, Image = get_document_model(), get_image_model()
    document = Document.objects.create(
        title=f"Compte rendu {cell.marker}",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"cr-{cell.marker}.pdf"),
        collection=cell.collection,
    )
    image = Image(title=f"Photo {cell.marker}", collection=cell.collection)
    image.file = ImageFile(ContentFile(png(), name=f"photo-{cell.marker}.png"), name=f"photo-{cell.marker}.png")
    image.save()
    return document, image


def check_media_upload(cell: Cell) -> None:
    Document, Image = get_document_model(), get_image_model()
    collection = cell.collection
    document, image, multiple = (f"{kind} {cell.marker}" for kind in ("Document", "Image", "Lot"))
    cell.client.post(
        "/admin/documents/add/", {"title": document, "collection": collection.pk, "file": pdf_upload("doc.pdf")}
    )
    cell.client.post(
        "/admin/images/add/", {"title": image, "collection": collection.pk, "file": png_upload("image.png")}
    )
    cell.client.post(
        "/admin/documents/multiple/add/",
        {"title": multiple, "collection": collection.pk, "files[]": pdf_upload("lot.pdf")},
    )
    if cell.allowed:
        assert Document.objects.filter(title=document, collection=collection).exists()
        assert Image.objects.filter(title=image, collection=collection).exists()
        assert Document.objects.filter(title=multiple, collection=collection).exists()
        return
    documents = Document.objects.filter(title__in=[document, multiple])
    images = Image.objects.filter(title=image)
    assert not documents.filter(collection=collection).exists()
    assert not images.filter(collection=collection).exists()
    # Someone with a single collection has no choice to make: Wagtail files the upload in that collection.
    assert {item.collection_id for item in documents} <= _collections(Document, cell.user)
    assert {item.collection_id for item in images} <= _collections(Image, cell.user)


def _collections(model, user) -> set[int]:
    """The collections where `user` may add files of this model."""
    if user is None:
        return set()
    policy = policy_registry.get_by_type(model)
    return set(policy.collections_user_has_permission_for(user, "add").values_list("pk", flat=True))


def check_media_choose(cell: Cell) -> None:
    document, image = _media(cell)
    document_url = f"/admin/documents/chooser/chosen/{document.pk}/"
    image_url = f"/admin/images/chooser/chosen/{image.pk}/"
    collection = {"collection_id": cell.collection.pk}
    documents = cell.client.get("/admin/documents/chooser/", collection)
    images = cell.client.get("/admin/images/chooser/", collection)
    if cell.allowed:
        assert documents.status_code == 200 and images.status_code == 200
        assert document_url in body(documents) and image_url in body(images)
        return
    assert is_refused(documents) or document_url not in body(documents)
    assert is_refused(images) or image_url not in body(images)
    # Choosing it by its id is refused too.
    assert_refused(cell.client.get(document_url))
    assert_refused(cell.client.get(image_url))


def check_media_admin(cell: Cell) -> None:
    document, image = _media(cell)
    urls = (f"/admin/documents/edit/{document.pk}/", f"/admin/images/{image.pk}/")
    listings = (cell.client.get("/admin/documents/"), cell.client.get("/admin/images/"))
    if cell.allowed:
        for url, listing in zip(urls, listings, strict=True):
            assert f'href="{url}' in body(listing), f"{url} is not in the listing"
            response = cell.client.get(url)
            assert response.status_code == 200
            assert response.context["object"].pk in (document.pk, image.pk)
        return
    for url, listing in zip(urls, listings, strict=True):
        assert is_refused(listing) or f'href="{url}' not in body(listing)
        assert_refused(cell.client.get(url))
        assert_refused(cell.client.post(url, {"title": "Renommé", "collection": cell.collection.pk}))
    response = cell.client.post(f"/admin/documents/multiple/{document.pk}/", {f"doc-{document.pk}-title": "Renommé"})
    assert response.status_code in (302, 403, 404) or not response.json().get("success")
    document.refresh_from_db()
    image.refresh_from_db()
    assert document.title == f"Compte rendu {cell.marker}" and image.title == f"Photo {cell.marker}"


def check_media_download(cell: Cell) -> None:
    document, _image = _media(cell)
    response = cell.client.get(document.url)
    if cell.allowed:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    else:
        assert response.status_code in (302, 403, 404)


def check_team(cell: Cell) -> None:
    page = cell.page
    url = f"/admin/casi_workspace/organisations/{page.pk}/team/"
    invite_url = f"{url}invite/"
    email = f"invitee-{cell.marker}@example.org"
    response = cell.client.get(url)
    invite = cell.client.post(invite_url, {"email": email, "role": "editor"})
    if cell.allowed:
        assert response.status_code == 200
        assert f'action="{invite_url}"' in body(response)
        assert invite.status_code == 302 and invite["Location"] == url
        assert Invitation.objects.filter(organisation=page, email=email).exists()
        return
    assert_refused(invite)
    assert not Invitation.objects.filter(email=email).exists()
    if cell.role == "editor-a" and cell.obj == "own":
        # An editor sees the team, read-only: no form to invite, change a role or remove anyone.
        assert response.status_code == 200
        html = body(response)
        assert "Traoré" in html  # asso-a, the team's manager
        assert invite_url not in html and "/remove/" not in html and "/role/" not in html
    else:
        assert_refused(response)
    membership = OrganisationMembership.objects.filter(organisation_id=page.pk).first()
    if membership is not None:
        role = membership.role
        member = f"{url}members/{membership.pk}/"
        assert_refused(cell.client.post(f"{member}role/", {f"member-{membership.pk}-role": "editor"}))
        assert_refused(cell.client.post(f"{member}remove/"))
        membership.refresh_from_db()
        assert membership.role == role


def check_organisation_data(cell: Cell) -> None:
    response = cell.client.get(f"/admin/casi_workspace/organisations/{cell.page.pk}/data/")
    if not cell.allowed:
        assert_refused(response)
        return
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert json.loads(archive.read("organisation.json"))["nom"] == cell.page.title


def _assert_refused(cell: Cell, url: str, response) -> None:
    """Refused: sent to sign in (anonymous) or 403, and nothing of the cell's data in the answer."""
    assert response.status_code in (302, 403), (url, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?")
    assert cell.marker.encode() not in response.content


def check_registrations(cell: Cell) -> None:
    event = cell.page
    # The network's first event is the demo's regional meeting, whose registrations are already open.
    EventRegistrationSettings.objects.update_or_create(
        event=event, defaults={"is_open": True, "capacity": 5, "max_places_per_person": 1}
    )
    EventRegistration.objects.create(
        event=event, name=f"Inscrite {cell.marker}", email="inscrite@example.org", status="confirmed"
    )
    base = f"/casi/inscriptions/evenements/{event.pk}/"
    for url in (base, f"{base}export/csv/", f"{base}pointage/"):
        response = cell.client.get(url)
        if not cell.allowed:
            _assert_refused(cell, url, response)
            continue
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert cell.marker.encode() in content, url
    refused = cell.client.post(base, {"action": "settings", "max_places_per_person": "3", "waitlist_mode": "offer"})
    if not cell.allowed:
        assert refused.status_code in (302, 403)
        assert EventRegistrationSettings.objects.get(pk=event.pk).max_places_per_person == 1


def check_workshops(cell: Cell) -> None:
    event = cell.page
    EventRegistrationSettings.objects.get_or_create(event=event, defaults={"is_open": True})
    slot = EventSlot.objects.create(
        event=event, title=f"Créneau {cell.marker}", start=event.start, end=event.start + datetime.timedelta(hours=1)
    )
    session = EventSession.objects.create(slot=slot, title=f"Atelier {cell.marker}", capacity=3)
    registration = EventRegistration.objects.create(
        event=event, name=f"Inscrite {cell.marker}", email="inscrite@example.org", status="confirmed"
    )
    RegistrationChoice.objects.create(registration=registration, slot=slot, session=session)
    base = f"/casi/inscriptions/evenements/{event.pk}/"
    pages = (f"{base}programme/", f"{base}programme/creneau/{slot.pk}/", f"{base}programme/atelier/{session.pk}/")
    for url in (*pages, f"{base}emargement.pdf", f"{base}badges.pdf"):
        response = cell.client.get(url)
        if not cell.allowed:
            _assert_refused(cell, url, response)
            continue
        assert response.status_code == 200, url
        if url.endswith(".pdf"):
            assert response["Content-Type"] == "application/pdf"
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
            assert f"Inscrite {cell.marker}" in text
        else:
            assert cell.marker in response.content.decode(), url
    if cell.allowed:
        return
    slots = EventSlot.objects.filter(event=event).count()
    data = {"action": "slot", "slot-title": "Intrus", "slot-start": "2030-01-01T10:00", "slot-end": "2030-01-01T11:00"}
    assert cell.client.post(f"{base}programme/", data).status_code in (302, 403)
    assert cell.client.post(f"{base}programme/", {"action": "session_delete", "item": session.pk}).status_code in (
        302,
        403,
    )
    edit = {"slot": slot.pk, "title": "Intrus", "capacity": "100"}
    assert cell.client.post(f"{base}programme/atelier/{session.pk}/", edit).status_code in (302, 403)
    session.refresh_from_db()
    assert EventSlot.objects.filter(event=event).count() == slots
    assert session.title == f"Atelier {cell.marker}" and session.capacity == 3


def _support_request(cell: Cell) -> SupportRequest:
    collective = OrganisationPage.objects.get(slug=FINISTERE_COLLECTIVE)
    OrganisationWorkspace.objects.filter(organisation=collective).update(handles_support_requests=True)
    data = {
        "contact_name": "Demandeuse",
        "contact_email": "demandeuse@example.org",
        "project_title": f"Projet {cell.marker}",
        "stage": "idea",
        "need": "methodology",
        "description": "Besoin d'aide",
        "consent": True,
    }
    if cell.obj == "network":
        data |= {"structure_name": "Nouvelle structure", "department": "35", "actor_type": "association"}
    else:
        data["organisation"] = cell.page
    upload = ContentFile(f"%PDF {cell.marker}".encode(), name="piece.pdf")
    return support_request_create(data=data, uploads=[upload])


def check_support_request(cell: Cell) -> None:
    support_request = _support_request(cell)
    attachment = support_request.attachments.get()
    base = f"/admin/casi_workspace/accompagnements/{support_request.pk}/"
    for url in (base, f"{base}documents/{attachment.pk}/"):
        response = cell.client.get(url)
        if not cell.allowed:
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            assert cell.marker.encode() not in response.content
            continue
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert cell.marker.encode() in content, url
    listing = cell.client.get("/admin/casi_workspace/accompagnements/")
    assert (cell.marker.encode() in listing.content) is cell.allowed


def check_support_desk(cell: Cell) -> None:
    support_request = _support_request(cell)
    base = f"/admin/casi_workspace/accompagnements/{support_request.pk}/"
    assignee = support_assignable_users(support_request).first()
    closing = {"status": "closed", "priority": "2", "closing_reason": f"Clos {cell.marker}"}
    appointment = {
        "appointment-starts_at": "2027-03-11T14:30",
        "appointment-duration": "60",
        "appointment-place": f"Lieu {cell.marker}",
    }
    responses = [
        cell.client.post(f"{base}attribution/", {"coordinator": assignee.pk}),
        cell.client.post(f"{base}statut/", closing),
        cell.client.post(f"{base}note/", {"note-text": f"Note {cell.marker}"}),
        cell.client.post(f"{base}message/", {"message-text": f"Message {cell.marker}"}),
        cell.client.post(f"{base}rendez-vous/", appointment),
    ]
    support_request.refresh_from_db()
    steps = set(support_request.events.values_list("kind", flat=True))
    if not cell.allowed:
        for response in responses:
            assert response.status_code in (302, 403, 404), response.status_code
            assert cell.marker.encode() not in response.content
        assert support_request.status == "new" and support_request.coordinator is None
        assert steps == {"created", "attachment"}
        return
    assert [response.status_code for response in responses] == [302, 302, 302, 302, 302]
    assert support_request.status == "appointment" and support_request.coordinator == assignee
    assert {"assignment", "status", "note", "desk_message", "appointment"} <= steps


def check_support_org_panel(cell: Cell) -> None:
    collective = OrganisationPage.objects.get(slug=FINISTERE_COLLECTIVE)
    OrganisationWorkspace.objects.filter(organisation=collective).update(handles_support_requests=True)
    organisation = OrganisationPage.objects.get(slug=NETWORK_ORGANISATION) if cell.is_network else cell.page
    data = {
        "organisation": organisation,
        "contact_name": "Demandeuse",
        "contact_email": "demandeuse@example.org",
        "project_title": f"Projet {cell.marker}",
        "stage": "idea",
        "need": "funding",
        "description": "Besoin d'aide",
        "consent": True,
    }
    support_request_create(data=data)
    response = cell.client.get(f"/admin/pages/{organisation.pk}/edit/")
    if not cell.allowed:
        assert is_refused(response) or b"data-organisation-support" not in response.content
        assert cell.marker.encode() not in response.content
        return
    assert response.status_code == 200
    assert cell.marker.encode() in response.content


def check_support_optin(cell: Cell) -> None:
    collective = OrganisationPage.objects.get(slug=FINISTERE_COLLECTIVE)
    OrganisationWorkspace.objects.filter(organisation=collective).update(handles_support_requests=False)
    screen = "/admin/casi_workspace/accompagnements/collectifs/"
    seen = cell.client.get(screen)
    posted = cell.client.post(screen, {"handling": [collective.pk]})
    handles = OrganisationWorkspace.objects.get(organisation=collective).handles_support_requests
    if not cell.allowed:
        assert_refused(seen)
        assert_refused(posted)
        assert not handles
        return
    assert seen.status_code == 200 and collective.title in seen.content.decode()
    assert posted.status_code == 302 and handles


SUPPORT_FIGURES = "/admin/casi_workspace/accompagnements/chiffres/"


def _figures_total(cell: Cell) -> int | None:
    """The year's requests in the role's CSV export of the figures; None when the export is refused."""
    response = cell.client.get(f"{SUPPORT_FIGURES}export.csv")
    if response.status_code != 200:
        assert_refused(response)
        return None
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    return int(lines[1].split(",")[2])


def check_support_figures(cell: Cell) -> None:
    before = _figures_total(cell)
    _support_request(cell)
    after = _figures_total(cell)
    page = cell.client.get(SUPPORT_FIGURES)
    xlsx = cell.client.get(f"{SUPPORT_FIGURES}export.xlsx")
    if before is None:  # no request at all for this role: nothing of the figures
        assert not cell.allowed and after is None
        assert_refused(page)
        assert_refused(xlsx)
        return
    assert page.status_code == 200 and xlsx.status_code == 200
    assert (after - before == 1) is cell.allowed


def check_support_erase(cell: Cell) -> None:
    support_request = _support_request(cell)
    response = cell.client.post(f"/admin/casi_workspace/accompagnements/{support_request.pk}/effacer/")
    erased = not SupportRequest.objects.filter(pk=support_request.pk).exists()
    if cell.allowed:
        assert response.status_code == 302 and erased
    else:
        assert response.status_code in (302, 403, 404) and not erased


def _campaign_screen(cell: Cell, screen: str, expected: str) -> None:
    campaign = CampaignPage.objects.get(slug=DEMO_CAMPAIGN)
    response = cell.client.get(f"/admin/casi_workspace/campagnes/{campaign.pk}/{screen}/")
    if not cell.allowed:
        assert_refused(response)
        return
    assert response.status_code == 200
    assert expected in response.content.decode()


def check_support_suggestions(cell: Cell) -> None:
    page = support_suggestable_pages().first()
    type(page).objects.filter(pk=page.pk).update(title=f"Suggestion {cell.marker}")
    response = cell.client.get("/admin/casi_workspace/accompagnements/suggestions/", {"q": cell.marker})
    if not cell.allowed:
        assert response.status_code in (302, 403, 404), response.status_code
        assert cell.marker.encode() not in response.content
        return
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [page.pk]


def check_campaign_statistics(cell: Cell) -> None:
    _campaign_screen(cell, "statistiques", "Statistiques de")


def check_campaign_programme(cell: Cell) -> None:
    _campaign_screen(cell, "programme", "Programme de")


PARTNER_SOURCES = "/admin/snippets/casi_workspace/partnersource/"
PARTNER_ITEMS = "/admin/snippets/casi_workspace/partneritem/"
PARTNER_ADMIN = "/admin/casi_workspace/reseaux/"


def _partner_pair(cell: Cell) -> tuple[PartnerItem, PartnerItem]:
    """Two items of two partner sources that the review list pairs: the same title, the same day, elsewhere."""
    start = timezone.now().replace(hour=10, minute=0) + datetime.timedelta(days=20)
    items = []
    for number, place in enumerate(("Nantes", "Angers")):
        source = PartnerSource.objects.create(
            name=f"Réseau {cell.marker} {number}", url=f"https://{cell.marker}-{number}.example/donnees/", kind="casi"
        )
        items.append(
            PartnerItem.objects.create(
                source=source,
                kind="event",
                external_id=f"{cell.marker}-{number}",
                fingerprint=f"{cell.marker}-{number}",
                title=f"Forum {cell.marker}",
                start=start + datetime.timedelta(hours=number),
                place=place,
            )
        )
    return items[0], items[1]


def check_partner_sources(cell: Cell) -> None:
    first, _second = _partner_pair(cell)
    source = first.source
    listing = cell.client.get(PARTNER_SOURCES)
    added = cell.client.post(
        f"{PARTNER_SOURCES}add/",
        {
            "name": f"Ajout {cell.marker}",
            "url": "https://ajout.example/donnees/",
            "kind": "casi",
            "item_kind": "event",
            "every_minutes": "60",
            "active": "on",
        },
    )
    edited = cell.client.post(
        f"{PARTNER_SOURCES}edit/{source.pk}/",
        {
            "name": f"Renommé {cell.marker}",
            "url": source.url,
            "kind": "casi",
            "item_kind": "event",
            "every_minutes": "60",
            "active": "on",
        },
    )
    deleted = cell.client.post(f"{PARTNER_SOURCES}delete/{source.pk}/")
    if not cell.allowed:
        for response in (listing, added, edited, deleted):
            assert_refused(response)
        assert cell.marker.encode() not in listing.content
        assert not PartnerSource.objects.filter(name__contains="Ajout").filter(name__contains=cell.marker).exists()
        assert PartnerSource.objects.filter(pk=source.pk, name=source.name).exists()
        return
    assert listing.status_code == 200 and source.name in listing.content.decode()
    assert PartnerSource.objects.filter(name=f"Ajout {cell.marker}").exists()
    assert edited.status_code == 302 and deleted.status_code == 302
    assert not PartnerSource.objects.filter(pk=source.pk).exists()


def check_partner_items(cell: Cell) -> None:
    first, _second = _partner_pair(cell)
    listing = cell.client.get(PARTNER_ITEMS)
    inspect = cell.client.get(f"{PARTNER_ITEMS}inspect/{first.pk}/")
    if not cell.allowed:
        assert_refused(listing)
        assert_refused(inspect)
        assert cell.marker.encode() not in listing.content + inspect.content
        return
    assert listing.status_code == 200 and first.title in listing.content.decode()
    assert inspect.status_code == 200 and first.title in inspect.content.decode()


def check_partner_item_change(cell: Cell) -> None:
    first, _second = _partner_pair(cell)
    assert_refused(cell.client.get(f"{PARTNER_ITEMS}add/"))
    assert_refused(cell.client.post(f"{PARTNER_ITEMS}add/", {"title": f"Inventé {cell.marker}", "kind": "event"}))
    cell.client.post(f"{PARTNER_ITEMS}edit/{first.pk}/", {"title": "Réécrit", "summary": "Faux", "hidden": ""})
    assert_refused(cell.client.post(f"{PARTNER_ITEMS}delete/{first.pk}/"))
    first.refresh_from_db()
    assert first.title == f"Forum {cell.marker}" and first.summary == "" and not first.hidden
    assert not PartnerItem.objects.filter(title=f"Inventé {cell.marker}").exists()


def check_partner_hide(cell: Cell) -> None:
    first, _second = _partner_pair(cell)
    source = first.source
    item_url = f"{PARTNER_ADMIN}elements/{first.pk}/masquer/"
    source_url = f"{PARTNER_ADMIN}sources/{source.pk}/masquer/"
    confirmation = cell.client.get(item_url)
    responses = [cell.client.post(item_url), cell.client.post(source_url)]
    first.refresh_from_db()
    source.refresh_from_db()
    if not cell.allowed:
        for response in (confirmation, *responses):
            assert_refused(response)
        assert not first.hidden and not source.hidden
        return
    assert confirmation.status_code == 200
    assert first.hidden and source.hidden
    cell.client.post(item_url)
    first.refresh_from_db()
    assert not first.hidden


def check_partner_review(cell: Cell) -> None:
    first, second = _partner_pair(cell)
    listing = cell.client.get(f"{PARTNER_ADMIN}doublons/")
    decision = cell.client.post(
        f"{PARTNER_ADMIN}doublons/decider/", {"item": second.pk, "other_item": first.pk, "decision": "same"}
    )
    second.refresh_from_db()
    if not cell.allowed:
        assert_refused(listing)
        assert_refused(decision)
        assert cell.marker.encode() not in listing.content
        assert not second.hidden and not PartnerDuplicateDecision.objects.filter(item=second).exists()
        return
    assert listing.status_code == 200 and f'data-pair="{second.pk}"' in listing.content.decode()
    assert decision.status_code == 302 and second.hidden


CHECKS = {name.removeprefix("check_"): value for name, value in globals().items() if name.startswith("check_")}
assert set(CHECKS) == set(ACTIONS), set(CHECKS) ^ set(ACTIONS)


def _cells():
    for role in ROLES:
        for action in ACTIONS:
            for obj in OBJECTS:
                marks = []
                if (role, action, obj) in GAPS:
                    marks.append(pytest.mark.xfail(strict=True, reason=GAPS[role, action, obj]))
                yield pytest.param(role, action, obj, id=f"{role}-{action}-{obj}", marks=marks)


def test_the_table_has_every_cell():
    assert len(EXPECTED) == len(ROLES) * len(ACTIONS) * len(OBJECTS)
    assert all(set(rows) == set(ROLES) for rows in GRID.values())
    assert set(GAPS) <= set(EXPECTED)


@pytest.mark.parametrize(("role", "action", "obj"), list(_cells()))
def test_cell(role: str, action: str, obj: str, client: Client) -> None:
    user = log_in(client, role)
    Page = swapper.load_model("wagtailcore", "Page")
    if action in PUBLICATION_ACTIONS:
        organisation = NETWORK_ORGANISATION if obj == "network" else _slug(role, obj)
        page = EventPage.objects.live().filter(organisation__slug=organisation).order_by("path").first()
    else:
        page = Page.objects.get(slug=_slug(role, obj)).specific
    cell = Cell(role, action, obj, EXPECTED[role, action, obj], client, user, page)
    CHECKS[action](cell)


def test_an_untrusted_editor_cannot_delete_its_page_once_unpublished(client: Client) -> None:
    """Wagtail alone would let it: 'change' and no live page in the subtree is enough for can_delete."""
    page = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    page.unpublish()
    log_in(client, "editor-b")
    assert_refused(client.post(f"/admin/pages/{page.pk}/delete/"))
    assert OrganisationPage.objects.filter(pk=page.pk).exists()
