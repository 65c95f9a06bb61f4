"""How the page history shows the plugin's own log entries."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter


class LiveFieldsChangeFormatter(LogFormatter):
    """`services.live_fields`: which rights-granting facts changed, with their values before and after."""

    label = gettext_lazy("Change membership or rights")

    def format_message(self, log_entry) -> str:
        model = log_entry.content_type.model_class() if log_entry.content_type_id else None
        parts = []
        for change in (log_entry.data or {}).get("changes", []):
            name = change.get("field", "")
            try:
                label = model._meta.get_field(name).verbose_name if model else name
            except FieldDoesNotExist:
                label = name
            parts.append(
                _("%(field)s: %(before)s → %(after)s")
                % {"field": label, "before": change.get("before"), "after": change.get("after")}
            )
        # Translators: between two changes of the list; French puts a space before the semicolon.
        separator = _("; ")
        return _("Changed on the live page, outside its versions: %(changes)s") % {"changes": separator.join(parts)}
