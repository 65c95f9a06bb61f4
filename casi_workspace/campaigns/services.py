"""Writes of campaigns: a coordinator attaches or detaches an event; a change asks for a new PDF."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from casi_workspace.campaigns.models import CampaignPage, CampaignProgramme
from casi_workspace.campaigns.tasks import campaign_programme_pdf_task
from casi_workspace.core.errors import CasiError
from casi_workspace.core.page_cache import page_cache_invalidate
from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.publications.models.publications import EventPage


def programme_pdf_request(*, campaign_id: int) -> None:
    """The programme changed: mark its PDF stale and queue its rebuild (after the commit)."""
    CampaignProgramme.objects.get_or_create(campaign_id=campaign_id)
    CampaignProgramme.objects.filter(campaign_id=campaign_id).update(requested_at=timezone.now())
    enqueue_on_commit(campaign_programme_pdf_task, campaign_id=campaign_id)


def programme_changed(*, campaign_ids: set[int | None]) -> None:
    """Ask for a rebuild of every campaign named (None and campaigns since deleted are skipped)."""
    ids = {pk for pk in campaign_ids if pk}
    for pk in CampaignPage.objects.filter(pk__in=ids).values_list("pk", flat=True):
        programme_pdf_request(campaign_id=pk)


def _revision_campaign_set(event: EventPage, campaign: CampaignPage | None) -> None:
    """The event's latest revision names the same campaign as its live row, so that the next publication
    by its association does not undo a coordinator's decision."""
    revision = event.latest_revision
    if revision is not None and isinstance(revision.content, dict):
        revision.content["campaign"] = campaign.pk if campaign else None
        revision.save(update_fields=["content"])


@transaction.atomic
def campaign_event_attach(*, campaign: CampaignPage, event: EventPage) -> EventPage:
    """A coordinator attaches an event to the campaign, whatever its association's moderation.

    The campaign is the network's, not the association's content: attaching changes the live row and the
    latest revision in place, without a new revision nor a moderation round. The event's dates must lie
    within the campaign's (French message otherwise).
    """
    event = EventPage.objects.select_for_update().get(pk=event.pk)
    previous = event.campaign_id
    event.campaign = campaign
    try:
        event.clean_campaign()
    except ValidationError as error:
        raise CasiError(" ".join(error.message_dict.get("campaign", error.messages))) from error
    EventPage.objects.filter(pk=event.pk).update(campaign=campaign)
    _revision_campaign_set(event, campaign)
    programme_changed(campaign_ids={campaign.pk, previous})
    page_cache_invalidate()  # no publication signal: the programme's cached pages go here
    return event


@transaction.atomic
def campaign_event_detach(*, campaign: CampaignPage, event: EventPage) -> EventPage:
    """A coordinator takes an event out of the campaign's programme (the event itself stays published)."""
    event = EventPage.objects.select_for_update().get(pk=event.pk)
    if event.campaign_id != campaign.pk:
        raise CasiError(_("This event is not in the campaign's programme."))
    EventPage.objects.filter(pk=event.pk).update(campaign=None)
    event.campaign = None
    _revision_campaign_set(event, None)
    programme_changed(campaign_ids={campaign.pk})
    page_cache_invalidate()
    return event


def event_campaigns_before(page: Page) -> set[int | None]:
    """The campaigns an event named in its live row and in its previous revision: both programmes change
    when it moves from one campaign to another."""
    specific = page.specific
    ids: set[int | None] = {getattr(specific, "campaign_id", None)}
    revisions = list(page.revisions.order_by("-created_at", "-pk").values_list("content", flat=True)[:2])
    for content in revisions:
        if isinstance(content, dict):
            ids.add(content.get("campaign"))
    return ids
