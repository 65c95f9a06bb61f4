"""The newsletter's public forms: subscription (with a honeypot) and preferences."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casi_workspace.conf import get_setting
from casi_workspace.newsletter.models import NewsletterTopic, SubscriptionSource
from casi_workspace.organisations.models import DEPARTMENT_CHOICES


def department_choices() -> list[tuple[str, str]]:
    offered = get_setting("NEWSLETTER_DEPARTMENTS")
    return [(code, label) for code, label in DEPARTMENT_CHOICES if code in offered]


class PreferencesForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=NewsletterTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every topic."),
    )
    departments = forms.MultipleChoiceField(
        label=_("Départements"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: the whole region."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = department_choices()


class SubscriptionForm(PreferencesForm):
    """`homepage` is a honeypot, as on the membership form: a robot fills it, a person never sees it."""

    HONEYPOT = "homepage"

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        # Wide enough for a whole address (40 characters; the full width on a phone, see casi.css).
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 40, "class": "input-wide"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter a valid email address, such as nom@exemple.fr."),
        },
    )
    source = forms.ChoiceField(choices=SubscriptionSource.choices, required=False, widget=forms.HiddenInput)
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["email", "topics", "departments"]

    def is_spam(self) -> bool:
        return bool(self.data.get(self.HONEYPOT, "").strip())

    def clean_source(self) -> str:
        return self.cleaned_data.get("source") or SubscriptionSource.NEWSLETTER_PAGE
