"""The programme's filters, read from the query string: an unknown value is dropped, never an error page."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casi_workspace.campaigns.selectors import ProgrammeFilters
from casi_workspace.publications.models.publications import EventType


class ProgrammeFilterForm(forms.Form):
    """Département, commune, day, kind, price, place and accessibility of the campaign's events.

    The day is one of the campaign's days; a day outside it or a malformed one is ignored and said so
    (`ignored_day`), in French, above the results.
    """

    departement = forms.ChoiceField(label=_("Département"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    jour = forms.ChoiceField(label=_("Day"), required=False)
    type = forms.ChoiceField(label=_("Kind of event"), required=False)
    tarif = forms.ChoiceField(
        label=_("Price"),
        required=False,
        choices=[("", _("Free or paying")), ("free", _("Free")), ("paying", _("Paying"))],
    )
    lieu = forms.ChoiceField(
        label=_("Place"),
        required=False,
        choices=[("", _("On site or online")), ("onsite", _("On site")), ("online", _("Online"))],
    )
    accessible = forms.BooleanField(label=_("Accessible to people with reduced mobility only"), required=False)

    def __init__(self, data=None, *, choices: dict[str, list], days: list[datetime.date]) -> None:
        super().__init__(data)
        self.fields["departement"].choices = [("", _("All départements")), *choices["departments"]]
        self.fields["commune"].choices = [("", _("All communes")), *choices["communes"]]
        self.fields["jour"].choices = [
            ("", _("Every day")),
            *((day.isoformat(), date_format(day, "l j F")) for day in days),
        ]
        self.fields["type"].choices = [("", _("Every kind")), *EventType.choices]
        self.ignored_day = ""

    def filters(self) -> ProgrammeFilters:
        """The valid filters; each invalid field is left out on its own (the others still apply)."""
        if not self.is_bound:
            return ProgrammeFilters()
        self.is_valid()
        cleaned = dict(getattr(self, "cleaned_data", {}))
        for name in self.errors:
            cleaned.pop(name, None)
            if name == "jour":
                self.ignored_day = str(self.data.get("jour", ""))[:40]
        day = cleaned.get("jour")
        return ProgrammeFilters(
            department=cleaned.get("departement") or "",
            commune=cleaned.get("commune") or "",
            day=datetime.date.fromisoformat(day) if day else None,
            event_type=cleaned.get("type") or "",
            price=cleaned.get("tarif") or "",
            place=cleaned.get("lieu") or "",
            accessible=bool(cleaned.get("accessible")),
        )


class AttachForm(forms.Form):
    """A coordinator's choice of an event to attach (among those the campaign's dates contain)."""

    event = forms.TypedChoiceField(label=_("Event to attach"), coerce=int)

    def __init__(self, data=None, *, candidates) -> None:
        super().__init__(data)
        self.fields["event"].choices = [
            (
                event.pk,
                f"{date_format(event.start, 'SHORT_DATE_FORMAT')} — {event.title}"
                + (f" ({event.organisation.title})" if event.organisation_id else ""),
            )
            for event in candidates
        ]
