"""The public support form, and the forms of the requester's follow page."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_countries import countries

from casi_workspace.conf import get_setting
from casi_workspace.core.form_fields import FilteredCheckboxes, SingleLineField
from casi_workspace.core.upload_policy import document_extensions, upload_check
from casi_workspace.organisations.models import OrganisationPage, Sector, SustainableDevelopmentGoal
from casi_workspace.support.models import (
    SUBMITTED_FIELDS,
    SatisfactionScore,
    SupportPriority,
    SupportRequest,
    SupportStatus,
)
from casi_workspace.support.selectors import support_assignable_users, support_suggestable_pages
from casi_workspace.support.services import SUGGESTIONS_MAX

TEXT_MAX_LENGTH = 5000
NEW_STRUCTURE_FIELDS = ("structure_name", "structure_commune", "department", "actor_type")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files in one control, each checked against the upload policy (type, size, not empty)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Documents"))
        super().__init__(**kwargs)
        self.help_text = _("Up to %(count)s files of %(size)s MB at most each. Accepted types: %(types)s.") % {
            "count": get_setting("SUPPORT_ATTACHMENT_MAX_FILES"),
            "size": get_setting("SUPPORT_ATTACHMENT_MAX_SIZE") // (1024 * 1024),
            "types": ", ".join(document_extensions()),
        }

    def clean(self, data, initial=None) -> list[UploadedFile]:
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if self.required and not uploads:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        most = get_setting("SUPPORT_ATTACHMENT_MAX_FILES")
        if len(uploads) > most:
            raise forms.ValidationError(
                ngettext("Send at most %(count)s file at a time.", "Send at most %(count)s files at a time.", most)
                % {"count": most}
            )
        problems = [
            upload_check(upload, extensions=document_extensions(), limit=get_setting("SUPPORT_ATTACHMENT_MAX_SIZE"))
            for upload in uploads
        ]
        problems = [problem for problem in problems if problem]
        if problems:
            raise forms.ValidationError(problems)
        return uploads


def _prompted(field: forms.ChoiceField, prompt: str) -> None:
    field.choices = [("", prompt), *[choice for choice in field.choices if choice[0]]]


class SupportRequestForm(forms.ModelForm):
    """ "Demander un accompagnement". `homepage` is the honeypot of the public forms (includes/honeypot.html)."""

    HONEYPOT = "homepage"

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Your structure in the directory"),
        queryset=OrganisationPage.objects.none(),
        required=False,
        empty_label=_("My structure is not in the directory"),
        help_text=_("If it is not listed, describe it in the fields below."),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=countries,
        required=False,
        widget=FilteredCheckboxes,
        help_text=_("Tick one or several; type a few letters in the box to shorten the list."),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("Sustainable development goals"),
        queryset=SustainableDevelopmentGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the network keeps these data to answer my request and to count, anonymously, "
            "the support it gives."
        ),
        error_messages={"required": _("Please agree to the processing of these data to send the request.")},
    )
    documents = DocumentsField()

    class Meta:
        model = SupportRequest
        fields = (*SUBMITTED_FIELDS, "sectors", "sdgs")
        field_classes = {name: SingleLineField for name in ("structure_name", "structure_commune", "contact_name")}
        field_classes["project_title"] = SingleLineField
        widgets = {
            "structure_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "structure_commune": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "description": _("Your project, where it stands, and what you expect from the network."),
        }

    FIELDSETS = [
        (_("Your structure"), ["organisation", *NEW_STRUCTURE_FIELDS]),
        (_("Contact person"), ["contact_name", "contact_email", "contact_phone"]),
        (_("Your project"), ["project_title", "countries", "stage"]),
        (_("Your request"), ["need", "description", "documents"]),
    ]
    CHECKBOXES = ["sectors", "sdgs"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = OrganisationPage.objects.live().order_by("title")
        self.fields["sectors"].queryset = Sector.objects.order_by("sort_order", "name")
        self.fields["sdgs"].queryset = SustainableDevelopmentGoal.objects.order_by("number")
        self.fields["description"].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        for name in ("structure_name", "structure_commune"):
            self.fields[name].help_text = _("Only if your structure is not in the directory.")
        _prompted(self.fields["department"], _("Choose a département"))
        _prompted(self.fields["actor_type"], _("Choose a type of actor"))
        _prompted(self.fields["stage"], _("Choose a stage"))
        _prompted(self.fields["need"], _("Choose a need"))

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def checkbox_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CHECKBOXES]

    def is_spam(self) -> bool:
        """Whether the honeypot was filled in: such a submission is dropped without a word."""
        return bool(self.data.get(self.HONEYPOT, "").strip())

    def clean(self) -> dict:
        data = super().clean()
        if data.get("organisation") is None:
            for name in NEW_STRUCTURE_FIELDS:
                if name in data and not data[name]:
                    self.add_error(name, _("Choose your structure in the directory, or fill in this field."))
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )


class DocumentForm(forms.Form):
    documents = DocumentsField(required=True)


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Are you satisfied with the support you received?"),
        choices=SatisfactionScore.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose an answer, from very satisfied to not satisfied at all."),
            "invalid_choice": _("Choose an answer, from very satisfied to not satisfied at all."),
        },
    )
    comment = forms.CharField(
        label=_("A comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )


class CollectivesForm(forms.Form):
    """The collectives that handle their département's support requests: the ticked ones of `collectives`."""

    def __init__(self, *args, collectives, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handling"] = forms.TypedMultipleChoiceField(
            label=_("Collectives that handle their département's requests"),
            choices=[(collective.pk, collective.title) for collective in collectives],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Choose among the collectives listed.")},
        )


# The desk's forms, in the admin.

MINUTES_MAX = 6000


class MinutesField(forms.IntegerField):
    """The desk's time on a step, in minutes: left empty, none (0)."""

    def __init__(self, **kwargs) -> None:
        kwargs = {
            "label": _("Time spent (minutes)"),
            "required": False,
            "min_value": 0,
            "max_value": MINUTES_MAX,
            "help_text": _("Counted in the hours of support the network reports."),
            "widget": forms.NumberInput(attrs={"inputmode": "numeric"}),
        } | kwargs
        super().__init__(**kwargs)

    def clean(self, value) -> int:
        return super().clean(value) or 0


class DeskStatusForm(forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("support request", "Status"), choices=SupportStatus.choices)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=SupportPriority.choices, coerce=int)
    closing_reason = SingleLineField(
        label=_("Closing reason"),
        required=False,
        max_length=255,
        help_text=_("Required to close the request."),
    )
    minutes = MinutesField()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == SupportStatus.CLOSED and not data.get("closing_reason"):
            self.add_error("closing_reason", _("Give the reason for closing the request."))
        return data


class DeskAssignForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator in charge"),
        queryset=None,
        empty_label=_("Choose a coordinator"),
        error_messages={"invalid_choice": _("Choose a coordinator among those listed.")},
    )

    def __init__(self, *args, support_request: SupportRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = support_assignable_users(support_request)
        self.fields["coordinator"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class DeskTextForm(forms.Form):
    """A note or a message to the requester."""

    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        strip=True,
    )
    minutes = MinutesField()


SUGGESTION_REFUSED = _("Choose pages among the site's published resources, trainings and calls for projects.")


class SuggestionPicker(forms.Widget):
    """A search box that lists the site's pages as one types (suggestion_picker.js, fed by the desk's
    `suggestions` view), and the chosen pages as ticked checkboxes posted under the field's name."""

    template_name = "casi_workspace/admin/support_suggestion_picker.html"

    def __init__(self, *, queryset: QuerySet, search_url: str, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.queryset, self.search_url = queryset, search_url

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        # Shown again after an error: the pages already chosen that may still be suggested.
        ids = [item for item in value or [] if str(item).isdigit()][:SUGGESTIONS_MAX]
        chosen = list(self.queryset.filter(pk__in=ids)) if ids else []
        context["widget"].update(search_url=self.search_url, chosen=chosen)
        return context

    def value_from_datadict(self, data, files, name: str) -> list[str]:
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return False


class DeskMessageForm(DeskTextForm):
    """A message to the requester, with pages of the site to suggest."""

    suggestions = forms.ModelMultipleChoiceField(
        label=_("Pages of the site to suggest"),
        queryset=None,
        required=False,
        help_text=_("Resources, trainings and calls for projects: type a few words of their title, then choose."),
        error_messages=dict.fromkeys(("invalid_choice", "invalid_pk_value", "invalid_list"), SUGGESTION_REFUSED),
    )

    def __init__(self, *args, search_url: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["suggestions"]
        field.queryset = support_suggestable_pages()
        field.widget = SuggestionPicker(queryset=field.queryset, search_url=search_url)

    def clean_suggestions(self) -> list:
        pages = list(self.cleaned_data["suggestions"])
        if len(pages) > SUGGESTIONS_MAX:
            raise forms.ValidationError(
                ngettext("Suggest at most %(count)s page.", "Suggest at most %(count)s pages.", SUGGESTIONS_MAX)
                % {"count": SUGGESTIONS_MAX}
            )
        return pages


class DeskAppointmentForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Give a date and time, for example 2026-05-14 14:30.")},
    )
    duration = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60)
    place = SingleLineField(label=_("Place"), required=False, max_length=255)
    video_url = forms.URLField(label=_("Video link"), required=False, max_length=200, assume_scheme="https")
    minutes = MinutesField()

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("place") and not data.get("video_url"):
            raise forms.ValidationError(_("Give a place or a video link."))
        return data


class FiguresFilterForm(forms.Form):
    """The figures page's filters, read from the query string (French names, like the public filters): a year,
    a quarter or the whole year."""

    annee = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    trimestre = forms.TypedChoiceField(label=_("Quarter"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annee"].widget = forms.Select(choices=[(year, year) for year in years])
        quarters = [(str(number), _("Quarter %(number)s") % {"number": number}) for number in range(1, 5)]
        self.fields["trimestre"].choices = [("", _("The whole year")), *quarters]
