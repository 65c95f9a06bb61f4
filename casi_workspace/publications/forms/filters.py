"""The publication indexes' filter form."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from casi_workspace.publications.models.publications import OfferKind, ProjectStatus, ResourceKind
from casi_workspace.publications.selectors.listings import DATED_KINDS, PublicationFilters


class PublicationFilterForm(forms.Form):
    """A publication index's filters, read from the query string. Unknown values are dropped, never an error.

    Which fields exist depends on the index: "type" where the kind has one, "when" and "month" on
    the agenda and the trainings.
    """

    MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    tag = forms.ChoiceField(label=_("Keyword"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    when = forms.ChoiceField(label=_("Period"), required=False)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        help_text=_("Year and month, for example 2026-05."),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-05", "pattern": r"\d{4}-\d{2}"}),
    )

    def __init__(self, data=None, *, kind: str, choices: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(data)
        self.kind = kind
        self.fields["organisation"].choices = [("", _("All organisations")), *choices["organisations"]]
        self.fields["departement"].choices = [("", _("All départements")), *choices["departments"]]
        self.fields["tag"].choices = [("", _("All keywords")), *choices["tags"]]
        type_choices = self.type_choices(kind)
        if type_choices:
            self.fields["type"].choices = [("", _("All types")), *type_choices]
        else:
            del self.fields["type"]
        if kind in DATED_KINDS:
            self.fields["when"].choices = [("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All dates"))]
        else:
            del self.fields["when"]
            del self.fields["month"]

    @staticmethod
    def type_choices(kind: str) -> list[tuple[str, str]]:
        return {
            "offer": OfferKind.choices,
            "resource": ResourceKind.choices,
            "project": ProjectStatus.choices,
        }.get(kind, [])

    def clean_month(self) -> datetime.date | None:
        match = self.MONTH_PATTERN.match(self.cleaned_data.get("month") or "")
        if not match:
            if self.cleaned_data.get("month"):
                raise forms.ValidationError(_("Give a month as year-month, for example 2026-05."))
            return None
        year, month = int(match[1]), int(match[2])
        if not (1900 <= year <= 2999 and 1 <= month <= 12):
            raise forms.ValidationError(_("Give a month as year-month, for example 2026-05."))
        return datetime.date(year, month, 1)

    def filters(self) -> PublicationFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        when = data.get("when") or ""
        if self.kind in DATED_KINDS and not when and not data.get("month"):
            when = "upcoming"  # the agenda shows what is coming unless a period or a month is chosen
        if when == "all":
            when = ""
        return PublicationFilters(
            organisation=data.get("organisation") or "",
            department=data.get("departement") or "",
            tag=data.get("tag") or "",
            type=data.get("type") or "",
            when=when,
            month=data.get("month"),
        )
