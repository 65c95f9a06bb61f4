"""Forms of the proposals from the public site: an editor's news item or event, a visitor's event.

Field names are the model's where they map one to one, so that the model's own validation errors
(raised by the services) land on the field they are about: see `add_model_errors`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from casi_workspace.core.form_fields import SingleLineField
from casi_workspace.organisations.models import DEPARTMENT_CHOICES, OrganisationPage
from casi_workspace.publications.models.publications import EventPage, PublicationPage

# C0 control characters and DEL, except tab and line breaks: nobody types them, feeds choke on them.
_CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
BODY_MAX_LENGTH = 10_000
TAGS_MAX_LENGTH = 500
MAX_TAGS = 10
TAG_MAX_LENGTH = 100
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _model_max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _datetime_field(label, *, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Date and time, for example 2026-05-14 18:30."),
    )


def add_model_errors(form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Put the model's validation errors on the form's fields (renamed through `field_map`).

    An error about a field the form does not show becomes a form-wide error; a field that already has
    an error keeps only its own, so that "required" is not followed by "cannot be null".
    """
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for model_field, errors in error.error_dict.items():
        name = field_map.get(model_field, model_field)
        if name == NON_FIELD_ERRORS or name not in form.fields:
            form.add_error(None, errors)
        elif name not in form.errors:
            form.add_error(name, errors)


class ProposalFormMixin:
    """Shared cleaning: control characters are dropped from every text (NUL is refused by Django itself)."""

    def _clean_fields(self) -> None:
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = _CONTROL_CHARACTERS.sub("", value)

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields and not self[name].is_hidden])
            for legend, names in self.FIELDSETS
            if any(name in self.fields and not self[name].is_hidden for name in names)
        ]


def _optional_event_field(field_class: type[forms.Field], name: str, label, **kwargs) -> forms.Field:
    """An optional field as long as the `EventPage` column it fills in."""
    return field_class(label=label, required=False, max_length=_model_max_length(EventPage, name), **kwargs)


def _event_fields() -> dict[str, forms.Field]:
    """The date and place fields an event form shows, with the model's lengths."""
    return {
        "start": _datetime_field(_("Start"), required=True),
        "end": _datetime_field(_("End"), required=False),
        "venue": _optional_event_field(
            SingleLineField, "venue", _("Venue"), help_text=_("For example: Maison des associations.")
        ),
        "commune": _optional_event_field(
            SingleLineField,
            "commune",
            _("Commune"),
            help_text=_("Required unless the event is online."),
            widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        ),
        "department": forms.ChoiceField(
            label=_("Département"), required=False, choices=[("", "—"), *DEPARTMENT_CHOICES]
        ),
        "online_url": _optional_event_field(
            forms.URLField,
            "online_url",
            _("Online link"),
            assume_scheme="https",
            help_text=_("For an online event: the link to join it."),
        ),
        "price": _optional_event_field(forms.CharField, "price", _("Price"), help_text=_("For example: free, 5 €.")),
        "registration_url": _optional_event_field(
            forms.URLField, "registration_url", _("Registration link"), assume_scheme="https"
        ),
    }


# The fieldsets of `_event_fields`, after each form's own.
_EVENT_FIELDSETS = [
    (_("Dates"), ["start", "end"]),
    (_("Place"), ["venue", "commune", "department", "online_url"]),
    (_("Registration"), ["price", "registration_url"]),
]


class PublicationProposalForm(ProposalFormMixin, forms.Form):
    """An editor's news item or event. The organisation is one of those the editor edits; with one, it is hidden."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = SingleLineField(label=_("Title"), max_length=_model_max_length(PublicationPage, "title"))
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=_model_max_length(PublicationPage, "summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences shown in listings and feeds."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; leave a blank line between paragraphs. Images and links can be added in the admin."),
    )
    tags = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=TAGS_MAX_LENGTH,
        help_text=_("Separated by commas, for example: water, Madagascar."),
    )

    FIELDSETS = [
        (_("Organisation"), ["organisation"]),
        (_("Content"), ["title", "summary", "body", "tags"]),
        *_EVENT_FIELDSETS,
    ]

    def __init__(self, *args, kind: str, organisations: Iterable[OrganisationPage], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        field = self.fields["organisation"]
        field.choices = [(pk, organisation.title) for pk, organisation in self.organisations.items()]
        if len(self.organisations) == 1:
            # Nothing to choose: the field is hidden and may be left out, but a forged value is still refused.
            field.widget = forms.HiddenInput()
            field.initial = next(iter(self.organisations))
            field.required = False
        else:
            field.choices = [("", _("Choose the organisation")), *field.choices]
        if kind == "event":
            self.fields.update(_event_fields())
            self.fields["department"].help_text = _("Where it takes place; your organisation's when left empty.")

    def clean_organisation(self) -> OrganisationPage:
        value = self.cleaned_data["organisation"]
        if value in ("", None):  # only when the field is hidden: the editor's one organisation
            return next(iter(self.organisations.values()))
        return self.organisations[value]

    def clean_tags(self) -> list[str]:
        names: list[str] = []
        for name in (part.strip() for part in self.cleaned_data["tags"].split(",")):
            if name and name not in names:
                if len(name) > TAG_MAX_LENGTH:
                    raise ValidationError(
                        _("A keyword has at most %(max)d characters."), params={"max": TAG_MAX_LENGTH}
                    )
                names.append(name)
        if len(names) > MAX_TAGS:
            raise ValidationError(_("Give at most %(max)d keywords."), params={"max": MAX_TAGS})
        return names


class EventProposalForm(ProposalFormMixin, forms.Form):
    """A visitor's event for the agenda. `homepage` is a honeypot, as on the membership form."""

    HONEYPOT = "homepage"
    DESCRIPTION_MAX_LENGTH = 5000
    # The model's errors on the summary or the body are about the description.
    MODEL_FIELD_MAP = {"summary": "description", "body": "description"}

    proposer_name = SingleLineField(
        label=_("Your name"),
        max_length=_model_max_length(PublicationPage, "proposer_name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    proposer_email = forms.EmailField(
        label=_("Your email address"),
        max_length=_model_max_length(PublicationPage, "proposer_email"),
        help_text=_("To answer you; it is not published."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation_name = SingleLineField(
        label=_("Organising structure"),
        max_length=160,
        help_text=_("The association, school or local authority that organises the event."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    title = SingleLineField(label=_("Title of the event"), max_length=_model_max_length(PublicationPage, "title"))
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What, for whom, with whom. Plain text; leave a blank line between paragraphs."),
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    FIELDSETS = [
        (_("About you"), ["proposer_name", "proposer_email", "organisation_name"]),
        (_("The event"), ["title", "description"]),
        *_EVENT_FIELDSETS,
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        honeypot = self.fields.pop(self.HONEYPOT)
        self.fields.update(_event_fields())
        self.fields[self.HONEYPOT] = honeypot

    def is_spam(self) -> bool:
        """Whether the honeypot was filled in: such a proposal is dropped without a word."""
        return bool(str(self.data.get(self.HONEYPOT, "")).strip())
