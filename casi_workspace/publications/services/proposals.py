"""Proposals from the public site: an editor's news item or event, and a visitor's event for the agenda.

Both become draft pages under an organisation's page, so that the admin, the moderation queue, the
audit log and the public listings treat them like anything written in the admin. An editor's draft is
published at once when the editor may publish there (a trusted organisation), and otherwise enters
the workflow of the organisation's page. A visitor's draft always enters the network coordinators'
workflow: nothing a visitor sends is published without a coordinator's decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, Workflow
from wagtail.rich_text import RichText

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.ratelimit import rate_limit_exceeded
from casi_workspace.core.slugs import page_slug_available
from casi_workspace.organisations.models import ActorType, OrganisationPage
from casi_workspace.publications.models.publications import PUBLICATION_MODELS, PublicationPage
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.workspaces.workflows import network_workflow

# What editors may propose from the public site, and the model fields each proposal fills in.
PROPOSAL_KINDS = (PublicationKind.NEWS, PublicationKind.EVENT)
SHARED_FIELDS = ("title", "summary", "department")
EVENT_FIELDS = ("start", "end", "venue", "commune", "online_url", "price", "registration_url")
PROPOSER_FIELDS = ("proposer_name", "proposer_email")
MAX_TAGS = 10
_BLANK_LINES = re.compile(r"\n\s*\n")


class ProposalError(CasiError):
    """A proposal that cannot be recorded; the message is meant for the person who sent it."""


class ProposalRateLimited(ProposalError):
    """Too many proposals from one client address within the hour."""


def _model_fields(kind: str) -> tuple[str, ...]:
    return SHARED_FIELDS + EVENT_FIELDS if kind == PublicationKind.EVENT else SHARED_FIELDS


def text_to_body(text: str) -> list[tuple[str, RichText]]:
    """Plain text as one paragraph block: blank lines separate paragraphs, line breaks are kept, HTML is escaped."""
    paragraphs = [part.strip() for part in _BLANK_LINES.split((text or "").replace("\r\n", "\n")) if part.strip()]
    if not paragraphs:
        return []
    html = "".join("<p>" + "<br/>".join(escape(line) for line in part.split("\n")) + "</p>" for part in paragraphs)
    return [("paragraph", RichText(html))]


def publication_build(
    *, kind: str, data: Mapping[str, Any], organisation: OrganisationPage | None = None
) -> PublicationPage:
    """An unsaved page of `kind` holding the proposal's data (missing values left empty), not validated."""
    model = PUBLICATION_MODELS[kind]
    fields: dict[str, Any] = {}
    for name in _model_fields(kind) + PROPOSER_FIELDS:
        value = data.get(name)
        if value is None:
            value = None if name in {"start", "end"} else ""
        fields[name] = value
    page = model(**fields, live=False)
    page.body = text_to_body(data.get("body") or "")
    if organisation is not None:
        page.organisation = organisation
    return page


def publication_validate(page: PublicationPage) -> None:
    """The model's own validation (`full_clean`) on the fields a proposal fills in.

    Raises ValidationError keyed by model field: the end before the start, neither commune nor
    online link, a value too long for its column. Tree fields (path, slug…) are set on creation.
    """
    checked = {*_model_fields(page.kind_value), *PROPOSER_FIELDS, "body"}
    exclude = [field.name for field in page._meta.concrete_fields if field.name not in checked]
    page.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _tag_names(tags: Iterable[str] | None) -> list[str]:
    names: list[str] = []
    for tag in tags or ():
        tag = tag.strip()[:100]
        if tag and tag not in names:
            names.append(tag)
    return names[:MAX_TAGS]


def _create_draft(
    page: PublicationPage, *, parent: OrganisationPage, user: AbstractBaseUser | None, tags: Iterable[str] | None
) -> PublicationPage:
    """Save the draft under `parent` with its first revision, and log its creation as the admin does."""
    page.slug = page_slug_available(parent, page.title, fallback=page.kind_value)
    page.owner = user
    page.organisation = parent
    if tags:
        page.tags.add(*_tag_names(tags))
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=False)
    log(instance=page, action="wagtail.create", user=user)
    return page


@transaction.atomic
def publication_propose(
    *, user: AbstractBaseUser, organisation: OrganisationPage, kind: str, data: Mapping[str, Any]
) -> Page:
    """An editor's news item or event, proposed from the public site: a draft under the organisation.

    Published at once when the editor may publish on the organisation's page (trusted organisations);
    otherwise submitted to the page's workflow, which puts it in the coordinators' queue.
    Raises PermissionDenied when the editor may not add pages there, ValidationError (keyed by model
    field) when the data break the model's rules. `data` holds the model fields, `body` as plain
    text and `tags` as a list of names.
    """
    if kind not in PROPOSAL_KINDS:
        raise ValueError(f"Editors cannot propose {kind!r} from the public site.")
    permissions = organisation.permissions_for_user(user)
    if not permissions.can_add_subpage():
        raise PermissionDenied
    page = publication_build(kind=kind, data=data, organisation=organisation)
    publication_validate(page)
    can_publish = permissions.can_publish_subpage()
    _create_draft(page, parent=organisation, user=user, tags=data.get("tags"))
    if can_publish:
        page.get_latest_revision().publish(user=user)
        page.refresh_from_db()
        return page
    workflow = page.get_workflow() or network_workflow()
    if workflow is not None:
        workflow.start(page, user)
    return page


def proposals_organisation() -> OrganisationPage | None:
    """The organisation page visitors' proposals are drafted under: the network's own.

    CASI_WORKSPACE_PROPOSALS_ORGANISATION names it by slug; without it, the first live collective that
    belongs to no collective (the network sits above the departmental collectives).
    """
    organisations = OrganisationPage.objects.live()
    slug = get_setting("PROPOSALS_ORGANISATION")
    found = organisations.filter(slug=slug).order_by("path").first() if slug else None
    if found is None:
        found = (
            organisations.filter(actor_type=ActorType.COLLECTIVE, parent_collective__isnull=True)
            .order_by("path")
            .first()
        )
    return found


def visitor_event_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """The model fields of a visitor's event: the description is the body, and the summary names who proposes it."""
    fields = {name: data.get(name) for name in (*SHARED_FIELDS, *EVENT_FIELDS, *PROPOSER_FIELDS)}
    description = (data.get("description") or "").strip()
    prefix = _("Proposed by %(organisation)s.") % {"organisation": (data.get("organisation_name") or "").strip()}
    summary_room = PublicationPage._meta.get_field("summary").max_length - len(prefix) - 1
    fields["summary"] = f"{prefix} {Truncator(' '.join(description.split())).chars(max(summary_room, 0))}".strip()
    fields["body"] = description
    return fields


@transaction.atomic
def event_propose(*, data: Mapping[str, Any], ip: str) -> PublicationPage:
    """A visitor's event for the agenda: a draft under the network's organisation, in the coordinators' queue.

    `data` holds the visitor form's fields (proposer_name, proposer_email, organisation_name, title,
    description, start, end, venue, commune, department, online_url, price, registration_url).
    Raises ValidationError (keyed by model field) on invalid data, ProposalRateLimited past
    CASI_WORKSPACE_PROPOSAL_RATE_LIMIT valid proposals from one address in the hour, ProposalError when
    the site has no organisation or workflow to receive it. The draft is never published here.
    """
    page = publication_build(kind=PublicationKind.EVENT, data=visitor_event_data(data))
    publication_validate(page)
    if rate_limit_exceeded("proposals", ip, get_setting("PROPOSAL_RATE_LIMIT")):
        raise ProposalRateLimited(
            _("Too many events have been proposed from your connection. Please try again in an hour.")
        )
    organisation = proposals_organisation()
    workflow: Workflow | None = network_workflow()
    if organisation is None or workflow is None or not workflow.active:
        raise ProposalError(_("The agenda does not accept proposals at the moment. Please try again later."))
    _create_draft(page, parent=organisation, user=None, tags=None)
    workflow.start(page, None)
    return page
