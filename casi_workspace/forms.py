"""Forms of the plugin."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .form_fields import SingleLineField
from .models import (
    ActorType,
    MembershipApplication,
    MembershipStatus,
    OrganisationPage,
    Sector,
    SustainableDevelopmentGoal,
)
from .models.applications import SUBMITTED_FIELDS
from .models.organisations import DEPARTMENT_CHOICES
from .selectors import DATED_KINDS, DirectoryFilters, PublicationFilters
from .validators import compact_identifier


class LoginForm(WagtailLoginForm):
    """Wagtail's admin login form, with a password label that follows the language.

    Wagtail 8.0 leaves that label to Django's default (the field name, "Password"), which no
    catalogue translates. Use it with WAGTAILADMIN_USER_LOGIN_FORM = "casi_workspace.forms.LoginForm".
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


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


class MembershipApplicationForm(forms.ModelForm):
    """The public membership form of the membership page.

    `homepage` is a honeypot: hidden from sight and from the keyboard, labelled for screen readers
    as a field to leave empty; robots that fill every field give themselves away.
    """

    HONEYPOT = "homepage"
    IDENTIFIER_MAX_LENGTH = 24  # room for the spaces and dots people type in SIRET numbers
    MOTIVATION_MAX_LENGTH = 5000

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # "www.example.org" becomes https://www.example.org (Django 6's default, chosen now).
    website = MembershipApplication._meta.get_field("website").formfield(
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
        help_text=_("For example https://www.example.org"),
    )

    class Meta:
        model = MembershipApplication
        fields = SUBMITTED_FIELDS
        field_classes = {
            name: SingleLineField for name in ("organisation_name", "acronym", "address", "commune", "contact_name")
        }
        widgets = {
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
            "commune": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "motivation": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "rna": _("For an association: W followed by 9 digits."),
            "siren": _("9 digits."),
            "siret": _("14 digits."),
            "motivation": _("Your actions, your partners here and abroad, and what you expect from the network."),
        }

    FIELDSETS = [
        (_("Your organisation"), ["organisation_name", "acronym", "actor_type", "website"]),
        (_("Legal identifiers"), ["rna", "siren", "siret"]),
        (_("Head office"), ["address", "postcode", "commune", "department"]),
        (_("Contact person"), ["contact_name", "contact_email", "contact_phone"]),
        (_("Your application"), ["motivation", "consent"]),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        consent = self.fields["consent"]
        consent.required = True
        consent.label = _(
            "I agree that the network keeps these data to examine this application and, if it is accepted, "
            "to create my organisation's page and my account."
        )
        consent.error_messages["required"] = _("Please agree to the processing of these data to send the application.")
        for name in ("rna", "siren", "siret"):
            # The model's validators check the compacted value: accept "123 456 789" here.
            field = self.fields[name]
            field.max_length = self.IDENTIFIER_MAX_LENGTH
            field.validators = [MaxLengthValidator(self.IDENTIFIER_MAX_LENGTH)]
            field.widget.attrs["maxlength"] = str(self.IDENTIFIER_MAX_LENGTH)
        for name in ("siren", "siret"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["motivation"].validators.append(MaxLengthValidator(self.MOTIVATION_MAX_LENGTH))

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def is_spam(self) -> bool:
        """Whether the honeypot was filled in: such a submission is dropped without a word."""
        return bool(self.data.get(self.HONEYPOT, "").strip())

    def clean_rna(self) -> str:
        return compact_identifier(self.cleaned_data["rna"])

    def clean_siren(self) -> str:
        return compact_identifier(self.cleaned_data["siren"])

    def clean_siret(self) -> str:
        return compact_identifier(self.cleaned_data["siret"])


class ApplicationApproveForm(forms.Form):
    """The coordinator's approval: a new organisation page, or a link to one already in the directory."""

    organisation = forms.ModelChoiceField(
        label=_("Existing organisation"),
        queryset=OrganisationPage.objects.none(),
        required=False,
        empty_label=_("None: create a new organisation page"),
        help_text=_(
            "Choose an organisation of the directory only if the application is really from it: "
            "the contact will be able to edit its page."
        ),
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Added to the welcome email."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = OrganisationPage.objects.order_by("title")


class ApplicationRejectForm(forms.Form):
    """The coordinator's refusal: the message is the email's substance, so it is required."""

    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sent by email: explain the reason and, if possible, what would allow a new application."),
    )


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
        from .models.publications import OfferKind, ProjectStatus, ResourceKind

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
