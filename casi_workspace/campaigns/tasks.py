"""Background work of campaigns: building the printable programme."""

from __future__ import annotations

import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from casi_workspace.campaigns.exports.pdf import programme_filename, programme_pdf_render
from casi_workspace.campaigns.models import CampaignPage, CampaignProgramme
from casi_workspace.core.page_cache import page_cache_invalidate


def programme_pdf_build(*, campaign_id: int, force: bool = False) -> CampaignProgramme | None:
    """Build the campaign's PDF if a change came after the last build (or `force`); return its row.

    The row is locked only to mark the build as started, not while WeasyPrint works: a change that arrives
    during the build moves `requested_at` past `built_at`, and the task it enqueued builds again.
    """
    campaign = CampaignPage.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    with transaction.atomic():
        programme, _created = CampaignProgramme.objects.select_for_update().get_or_create(campaign=campaign)
        if not (force or programme.is_stale or not programme.pdf):
            return programme
        started = timezone.now()
        CampaignProgramme.objects.filter(pk=programme.pk).update(built_at=started)
    clock = time.monotonic()
    content, count = programme_pdf_render(campaign)
    old_name = programme.pdf.name
    programme.refresh_from_db()
    programme.pdf.save(programme_filename(campaign), ContentFile(content), save=False)
    programme.event_count = count
    programme.build_seconds = round(time.monotonic() - clock, 3)
    programme.save(update_fields=["pdf", "event_count", "build_seconds"])
    if old_name and old_name != programme.pdf.name:
        programme.pdf.storage.delete(old_name)
    page_cache_invalidate()  # the campaign's page links to the new file
    return programme


@task()
def campaign_programme_pdf_task(campaign_id: int) -> None:
    programme_pdf_build(campaign_id=campaign_id)
