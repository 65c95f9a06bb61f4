"""The membership application form, and the coordinators' approve and reject forms."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from casi_workspace.applications.models import SUBMITTED_FIELDS, MembershipApplication
from casi_workspace.core.form_fields import SingleLineField
from casi_workspace.core.validators import compact_identifier
from casi_workspace.organisations.models import (
    OrganisationPage,
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
        for name, prompt in (("actor_type", _("Choose a type of actor")), ("department", _("Choose a département"))):
            field = self.fields[name]
            field.choices = [("", prompt), *field.choices[1:]]

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
