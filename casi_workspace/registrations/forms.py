"""The public registration form (its fields follow the organisers' settings), and the organisers' forms."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from casi_workspace.core.form_fields import SingleLineField
from casi_workspace.publications.forms.proposals import ProposalFormMixin
from casi_workspace.registrations.models import (
    MAX_PLACES_PER_PERSON,
    EventRegistration,
    EventRegistrationSettings,
)
from casi_workspace.registrations.services import Registrant

NEEDS_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 2000


def _max_length(name: str) -> int:
    return EventRegistration._meta.get_field(name).max_length


def _optional_text(label, max_length: int, **kwargs) -> forms.CharField:
    """A few lines of free text; stored as typed (control characters dropped), shown escaped."""
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3}), **kwargs
    )


class RegistrationForm(ProposalFormMixin, forms.Form):
    """Who registers, how many places, and the optional answers the organisers ask for.

    `homepage` is a honeypot, as on the other public forms. Control characters are dropped from every text
    (ProposalFormMixin); everything is stored as plain text and escaped wherever it is shown.
    """

    HONEYPOT = "homepage"
    FIELDSETS = [
        (_("About you"), ["name", "email", "organisation"]),
        (_("Your registration"), ["places", "accessibility_needs", "answer"]),
    ]

    name = SingleLineField(
        label=_("Your name"), max_length=_max_length("name"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=_max_length("email"),
        help_text=_("Your confirmation and the link to cancel are sent to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = SingleLineField(
        label=_("Your organisation"),
        required=False,
        max_length=_max_length("organisation"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    places = forms.IntegerField(label=_("Number of places"), min_value=1, initial=1)
    accessibility_needs = _optional_text(
        _("Accessibility needs"),
        NEEDS_MAX_LENGTH,
        help_text=_("For example: wheelchair access, sign-language interpreting, hearing loop."),
    )
    answer = _optional_text("", ANSWER_MAX_LENGTH)  # labelled with the organisers' question
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, options: EventRegistrationSettings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        places = self.fields["places"]
        places.max_value = options.max_places_per_person
        places.widget.attrs["max"] = options.max_places_per_person
        places.validators.append(MaxValueValidator(options.max_places_per_person))
        places.help_text = _("At most %(count)d.") % {"count": options.max_places_per_person}
        if options.max_places_per_person == 1:
            places.widget = forms.HiddenInput()
        if not options.asks_organisation:
            del self.fields["organisation"]
        if not options.asks_accessibility:
            del self.fields["accessibility_needs"]
        if options.question:
            self.fields["answer"].label = options.question
        else:
            del self.fields["answer"]

    def is_spam(self) -> bool:
        """Whether the honeypot was filled in: such a registration is dropped without a word."""
        return bool(str(self.data.get(self.HONEYPOT, "")).strip())

    def registrant(self) -> Registrant:
        data = self.cleaned_data
        return Registrant(
            name=data["name"],
            email=data["email"],
            places=data["places"],
            organisation=data.get("organisation") or "",
            accessibility_needs=data.get("accessibility_needs") or "",
            answer=data.get("answer") or "",
        )


class RegistrationSettingsForm(forms.ModelForm):
    class Meta:
        model = EventRegistrationSettings
        fields = [
            "is_open",
            "capacity",
            "deadline",
            "max_places_per_person",
            "asks_organisation",
            "asks_accessibility",
            "question",
            "waitlist_mode",
            "offer_hours",
        ]
        widgets = {
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "waitlist_mode": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        self.fields["max_places_per_person"].widget.attrs["max"] = MAX_PLACES_PER_PERSON


class RegistrationMessageForm(ProposalFormMixin, forms.Form):
    """The organisers' message to the registrants: plain text, sent as typed."""

    FIELDSETS = [(_("Write to the registrants"), ["subject", "body", "include_waiting"])]

    subject = SingleLineField(label=_("Subject of the message"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    include_waiting = forms.BooleanField(label=_("Also to the people on the waiting list"), required=False)
