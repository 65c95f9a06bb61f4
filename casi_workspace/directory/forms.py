"""The directory's filter form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casi_workspace.directory.selectors import DirectoryFilters
from casi_workspace.organisations.models import (
    DEPARTMENT_CHOICES,
    ActorType,
    MembershipStatus,
    Sector,
    SustainableDevelopmentGoal,
)


class DirectoryFilterForm(forms.Form):
    """The directory's filters, read from the query string. Unknown values are dropped, never an error."""

    q = forms.CharField(label=_("Keywords"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Actor type"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    pays = forms.ChoiceField(label=_("Country of intervention"), required=False)
    secteur = forms.ChoiceField(label=_("Sector"), required=False)
    odd = forms.TypedChoiceField(label=_("Sustainable development goal"), required=False, coerce=int, empty_value=None)
    statut = forms.ChoiceField(label=_("Membership"), required=False)

    def __init__(self, data=None, *, departments: list[str]) -> None:
        super().__init__(data)
        department_labels = dict(DEPARTMENT_CHOICES)
        self.fields["type"].choices = [("", _("All types")), *ActorType.choices]
        self.fields["departement"].choices = [("", _("All départements"))] + [
            (code, department_labels.get(code, code)) for code in departments
        ]
        self.fields["pays"].choices = [("", _("All countries")), *countries]
        self.fields["secteur"].choices = [("", _("All sectors")), *list(Sector.objects.values_list("slug", "name"))]
        self.fields["odd"].choices = [("", _("All goals"))] + [
            (str(goal.number), str(goal)) for goal in SustainableDevelopmentGoal.objects.all()
        ]
        self.fields["statut"].choices = [("", _("Members and other actors")), *MembershipStatus.choices]

    def filters(self) -> DirectoryFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DirectoryFilters(
            q=data.get("q") or "",
            actor_type=data.get("type") or "",
            department=data.get("departement") or "",
            country=data.get("pays") or "",
            sector=data.get("secteur") or "",
            sdg=data.get("odd"),
            status=data.get("statut") or "",
        )
