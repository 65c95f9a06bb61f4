"""A campaign's statistics as CSV, for the network's activity report."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from casi_workspace.campaigns.models import CampaignPage
from casi_workspace.core.spreadsheets import spreadsheet_safe


def statistics_csv_response(campaign: CampaignPage, statistics: dict[str, Any]) -> HttpResponse:
    """Totals, then one row per département: a few dozen rows, built in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    totals = statistics["totals"]
    writer.writerow([_("Campaign"), spreadsheet_safe(campaign.title)])
    writer.writerow([_("Events"), totals["events"]])
    writer.writerow([_("Organisations"), totals["organisations"]])
    writer.writerow([_("Communes"), totals["communes"]])
    writer.writerow([_("Online events"), totals["online"]])
    writer.writerow([_("Free events"), totals["free"]])
    writer.writerow([_("Accessible events"), totals["accessible"]])
    if statistics["registrations"] is not None:
        writer.writerow([_("Registrations"), statistics["registrations"]])
    writer.writerow([])
    writer.writerow([_("Département"), _("Events"), _("Organisations"), _("Communes")])
    for row in statistics["by_department"]:
        writer.writerow([spreadsheet_safe(row["label"]), row["count"], row["organisations"], row["communes"]])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"statistiques-{campaign.slug}.csv")
    return response
