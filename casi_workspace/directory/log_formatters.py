"""How the page history shows a merge of organisations."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter


class OrganisationMergeFormatter(LogFormatter):
    """`services.merge`: which organisation was merged into this one, and what it brought."""

    label = gettext_lazy("Merge organisations")

    def format_message(self, log_entry) -> str:
        data = log_entry.data or {}
        return _(
            "“%(title)s” merged into this organisation: %(pages)s pages, %(members)s new team members, "
            "%(documents)s documents, %(images)s images."
        ) % {
            "title": (data.get("merged") or {}).get("title", "?"),
            "pages": data.get("pages", 0),
            "members": data.get("members", 0),
            "documents": data.get("documents", 0),
            "images": data.get("images", 0),
        }
