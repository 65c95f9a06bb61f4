"""The publication indexes' filter form."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casi_workspace.publications.models.publications import OfferKind, ProjectStatus, ResourceKind
from casi_workspace.publications.selectors.listings import (
    DATED_KINDS,
    NETWORKS_ALL,
    NETWORKS_OWN,
    NETWORKS_PARTNERS,
    PublicationFilters,
)


class PublicationFilterForm(forms.Form):
    """A publication index's filters, read from the query string. Unknown values are dropped, never an error.

    Which fields exist depends on the index: "type" where the kind has one, "when" and "month" on
    the agenda and the trainings, "reseaux" where partner networks' items can be listed (`networks`). Listing
    partner networks' items only leaves out the filters of our own vocabulary (organisation, département,
    keyword, type), which describe nothing a partner item carries.
    """

    MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    tag = forms.ChoiceField(label=_("Keyword"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    when = forms.ChoiceField(label=_("Period"), required=False)
    # A list of the months that have items (`choices["months"]`), not a browser's month input, whose empty
    # state reads "--------- ----"; any valid year-month in the address still filters (an old link).
    month = forms.CharField(label=_("Month"), required=False, widget=forms.Select)
    reseaux = forms.ChoiceField(
        label=_("Networks"),
        required=False,
        choices=[
            (NETWORKS_OWN, _("This network")),
            (NETWORKS_PARTNERS, _("Partner networks")),
            (NETWORKS_ALL, _("All networks")),
        ],
    )
    OWN_VOCABULARY = ("organisation", "departement", "tag", "type")

    def __init__(self, data=None, *, kind: str, choices: dict[str, list], networks: bool = False) -> None:
        super().__init__(data)
        self.kind = kind
        if networks:
            self.order_fields(["reseaux"])
        else:
            del self.fields["reseaux"]
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
            self.fields["month"].widget.choices = self.month_choices(choices.get("months", []))
        else:
            del self.fields["when"]
            del self.fields["month"]
        if networks and self.data and self.data.get("reseaux") == NETWORKS_PARTNERS:
            for name in self.OWN_VOCABULARY:
                self.fields.pop(name, None)

    def month_choices(self, months: list[datetime.date]) -> list[tuple[str, str]]:
        """An empty choice for every month, then each month that has items ("février 2027"), and the chosen
        one (a valid year-month from the address) even if nothing happens then."""
        offered = list(months)
        chosen = self._month_of(self.data.get("month") if self.data else None)
        if chosen and chosen not in offered:
            offered = sorted([*offered, chosen])
        return [("", _("All months")), *((f"{month:%Y-%m}", date_format(month, "F Y")) for month in offered)]

    @classmethod
    def _month_of(cls, value) -> datetime.date | None:
        """The first day of the month a "year-month" value names, or None for anything else."""
        match = cls.MONTH_PATTERN.fullmatch(value) if isinstance(value, str) else None
        if not match:
            return None
        year, month = int(match[1]), int(match[2])
        if not (1900 <= year <= 2999 and 1 <= month <= 12):
            return None
        return datetime.date(year, month, 1)

    @staticmethod
    def type_choices(kind: str) -> list[tuple[str, str]]:
        return {
            "offer": OfferKind.choices,
            "resource": ResourceKind.choices,
            "project": ProjectStatus.choices,
        }.get(kind, [])

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data.get("month") or ""
        month = self._month_of(value)
        if value and month is None:
            raise forms.ValidationError(_("Give a month as year-month, for example 2026-05."))
        return month

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
            networks=(data.get("reseaux") or NETWORKS_OWN) if "reseaux" in self.fields else "",
        )
